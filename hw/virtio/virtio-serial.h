/* SPDX-License-Identifier: MIT */
/*
 * virtio-serial-pci (OASIS VIRTIO 1.2 section 5.3, the console device) as
 * QEMU 7.2's, with its ports: `-device virtconsole,chardev=ID` and
 * `-device virtserialport,chardev=ID,name=NAME`.
 *
 * Queues: port 0's receive and transmit (0, 1), the control receive and
 * transmit queues (2, 3) when MULTIPORT is offered, then each further
 * port's pair. What the guest sends on a port goes to its chardev; no host
 * input reaches a port (chardevs only send here), so receive buffers wait.
 * The control protocol (section 5.3.6.2): the driver's DEVICE_READY is
 * answered by a DEVICE_ADD per port, its PORT_READY by CONSOLE_PORT,
 * PORT_NAME and PORT_OPEN as the port is, and its PORT_OPEN is kept.
 */
#ifndef HW_VIRTIO_VIRTIO_SERIAL_H
#define HW_VIRTIO_VIRTIO_SERIAL_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/backend/chardev.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/virtio/virtio.h"

#define VIRTIO_ID_CONSOLE              3
#define VIRTIO_SERIAL_PCI_DEVICE_ID    0x1003

/* Feature bits (section 5.3.3) */
#define VIRTIO_CONSOLE_F_SIZE          0
#define VIRTIO_CONSOLE_F_MULTIPORT     1
#define VIRTIO_CONSOLE_F_EMERG_WRITE   2

/* Configuration (section 5.3.4) */
#define VIRTIO_SERIAL_CFG_COLS         0
#define VIRTIO_SERIAL_CFG_ROWS         2
#define VIRTIO_SERIAL_CFG_MAX_PORTS    4
#define VIRTIO_SERIAL_CFG_EMERG_WR     8
#define VIRTIO_SERIAL_CFG_LEN          12

/* Control messages (section 5.3.6.2): id, event, value */
#define VIRTIO_CONSOLE_CTRL_LEN        8
#define VIRTIO_CONSOLE_DEVICE_READY    0
#define VIRTIO_CONSOLE_DEVICE_ADD      1
#define VIRTIO_CONSOLE_DEVICE_REMOVE   2
#define VIRTIO_CONSOLE_PORT_READY      3
#define VIRTIO_CONSOLE_CONSOLE_PORT    4
#define VIRTIO_CONSOLE_RESIZE          5
#define VIRTIO_CONSOLE_PORT_OPEN       6
#define VIRTIO_CONSOLE_PORT_NAME       7

/* Limits and QEMU's defaults */
#define VIRTIO_SERIAL_PORTS_MAX        63       /* 2 + 2 x 63 queues fit the core's 128 */
#define VIRTIO_SERIAL_PORTS_DEFAULT    31
#define VIRTIO_SERIAL_QUEUES_MAX       (2 * (VIRTIO_SERIAL_PORTS_MAX + 1))
#define VIRTIO_SERIAL_PORT_QUEUE_SIZE  128
#define VIRTIO_SERIAL_CTRL_QUEUE_SIZE  32
#define VIRTIO_SERIAL_NAME_MAX         64       /* bytes of a port's name */
#define VIRTIO_SERIAL_CHUNK            4096     /* bytes to a chardev at a time */

/* A port as the guest sees it (state in the device's instance). */
typedef struct VirtIOSerialPortState {
    bool present;
    bool is_console;
    bool guest_connected;     /* the driver's PORT_OPEN */
    bool host_connected;      /* the host side is open (QEMU's rule) */
    Chardev *chr;
    char name[VIRTIO_SERIAL_NAME_MAX];
} VirtIOSerialPortState;

typedef struct VirtIOSerial {
    VirtIOPCIProxy proxy;
    VirtIODevice vdev;
    VirtQueue vqs[VIRTIO_SERIAL_QUEUES_MAX];
    VirtIOPCIQueue pci_vqs[VIRTIO_SERIAL_QUEUES_MAX];
    VirtIOSerialPortState ports[VIRTIO_SERIAL_PORTS_MAX];
    bool ready;               /* the driver's DEVICE_READY */
    uint8_t *scratch;         /* VIRTIO_SERIAL_CHUNK: one chunk at a time */
    /* Properties */
    uint32_t max_ports;
    bool emergency_write;
} VirtIOSerial;

/* -device virtconsole / virtserialport: where a port is (its state is the
 * device's). */
typedef struct VirtIOSerialPortDev {
    Object obj;
    char *chardev;
    char *name;
    uint32_t nr;
    VirtIOSerial *bus;
} VirtIOSerialPortDev;

#endif
