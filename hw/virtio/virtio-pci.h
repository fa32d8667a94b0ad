/* SPDX-License-Identifier: MIT */
/*
 * The virtio PCI transport (OASIS VIRTIO 1.1 section 4.1), transitional as
 * QEMU 7.2's virtio-*-pci: the legacy (0.9.5) registers in I/O BAR 0, MSI-X
 * table and PBA (emu/msi.c) in memory BAR 1, and the modern (1.0) common, ISR, device
 * and notify structures in the 64-bit prefetchable memory BAR 4, found
 * through vendor capabilities, plus the PCI configuration access capability.
 *
 * A device embeds VirtIOPCIProxy first in its instance (it begins with
 * PCIDevice) and a VirtIODevice anywhere, and calls virtio_pci_realize.
 */
#ifndef HW_VIRTIO_VIRTIO_PCI_H
#define HW_VIRTIO_VIRTIO_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/machine.h"
#include "emu/msi.h"
#include "emu/pci.h"
#include "hw/virtio/virtio.h"

#define VIRTIO_PCI_VENDOR_ID     0x1af4
#define VIRTIO_PCI_MSIX_MAX      32         /* the "vectors" property's limit */
#define VIRTIO_PCI_VECTORS_UNSET 0xffffffffu /* "vectors" not given: the device's default */

/* BAR layout, as QEMU's: BAR 4 holds four 4 KiB structures */
#define VIRTIO_PCI_LEGACY_BAR   0
#define VIRTIO_PCI_MSIX_BAR     1
#define VIRTIO_PCI_MODERN_BAR   4
#define VIRTIO_PCI_MODERN_ID_BASE 0x1040  /* + type: a non-transitional device ID */
#define VIRTIO_PCI_REGION_SIZE  0x1000
#define VIRTIO_PCI_COMMON_ADDR  0x0000
#define VIRTIO_PCI_ISR_ADDR     0x1000
#define VIRTIO_PCI_DEVICE_ADDR  0x2000
#define VIRTIO_PCI_NOTIFY_ADDR  0x3000
#define VIRTIO_PCI_MODERN_SIZE  0x4000
#define VIRTIO_PCI_NOTIFY_MULT  4

/* What the modern common configuration keeps per queue (QEMU's proxy). */
typedef struct VirtIOPCIQueue {
    uint16_t num;
    bool enabled;
    uint32_t desc[2];
    uint32_t avail[2];
    uint32_t used[2];
} VirtIOPCIQueue;

typedef struct VirtIOPCIProxy {
    PCIDevice pci;
    VirtIODevice *vdev;                 /* inside the same instance */
    /* Modern common configuration */
    uint32_t dfselect;
    uint32_t gfselect;
    uint32_t guest_features[2];
    VirtIOPCIQueue *vqs;                /* vqs_inline, or the device's */
    uint16_t max_vqs;
    VirtIOPCIQueue vqs_inline[VIRTIO_QUEUE_INLINE];
    /* MSI-X (emu/msi.h): "vectors" of them, 0: no MSI-X capability */
    uint32_t vectors;
    bool packed;                        /* "packed": offer VIRTIO_F_RING_PACKED */
    bool ioeventfd;                     /* accepted for QEMU command lines */
    PCIMSIX msix;
    uint8_t msix_table[PCI_MSIX_TABLE_SIZE(VIRTIO_PCI_MSIX_MAX)];
    uint8_t msix_pba[PCI_MSIX_PBA_SIZE(VIRTIO_PCI_MSIX_MAX)];
    char *disable_legacy;               /* "on", "off", "auto" (NULL: auto) */
    bool disable_modern;
    bool legacy;                        /* the legacy I/O BAR and IDs */
    bool modern;                        /* BAR 4 and the virtio capabilities */
    bool express;                       /* behind a PCIe port: an endpoint */
    uint8_t cfg_cap;                    /* configuration access capability */
    uint16_t rom_size;                  /* expansion ROM BAR size, KiB */
    /* Regions, named as QEMU names them */
    MemoryRegion legacy_io;
    MemoryRegion modern_bar;
    MemoryRegion common;
    MemoryRegion isr;
    MemoryRegion device;
    MemoryRegion notify;
} VirtIOPCIProxy;

/* Identity of a transitional device (QEMU's values for it). */
typedef struct VirtIOPCIInfo {
    const char *name;             /* "virtio-net": region names */
    const char *msix_name;        /* "virtio-net-pci-msix" */
    uint16_t device_id;           /* transitional ID, 0x1000 + type - 1 */
    uint16_t subsystem_id;        /* the virtio device type */
    uint16_t class_id;
    uint16_t rom_size_kib;        /* QEMU's option ROM BAR size, 0: none */
    uint32_t vectors;             /* MSI-X vectors unless "vectors" says */
    /* QEMU's disable-legacy=on (virtio-input-pci): a modern-only function,
     * device_id 0x1040 + type, revision 1, QEMU's default subsystem, no
     * legacy I/O BAR and no legacy-only features. */
    bool modern_only;
} VirtIOPCIInfo;

/* The properties every virtio PCI device has (QEMU's names). */
#define VIRTIO_PCI_PROPS(type, field) \
    PCI_DEVICE_PROP_ADDR(type, field.pci), \
    { "vectors", PROP_U32, offsetof(type, field.vectors), \
      "MSI-X vectors (0: none; at most 32; default: the device's, as QEMU's)" }, \
    { "packed", PROP_BOOL, offsetof(type, field.packed), \
      "offer packed virtqueues (VIRTIO_F_RING_PACKED; default off, as QEMU)" }, \
    { "ioeventfd", PROP_BOOL, offsetof(type, field.ioeventfd), \
      "accepted for QEMU command lines; kicks are always handled at once" }, \
    { "disable-legacy", PROP_STR, offsetof(type, field.disable_legacy), \
      "on, off or auto (default: on behind a PCIe port, else off, as QEMU)" }, \
    { "disable-modern", PROP_BOOL, offsetof(type, field.disable_modern), \
      "no modern interface: BAR 4, its capabilities, VERSION_1 (default off)" }

/* The instance init of a virtio PCI device (before its properties). */
void virtio_pci_proxy_init(VirtIOPCIProxy *p);
/* A device with more than VIRTIO_QUEUE_INLINE queues gives the storage of
 * both halves, n entries each inside its instance, before adding them. */
void virtio_pci_init_queues(VirtIOPCIProxy *p, VirtIODevice *vdev, VirtQueue *vqs,
                            VirtIOPCIQueue *pvqs, unsigned n);

/* Registers the function on the machine's PCI bus, its BARs and
 * capabilities, and wires vdev to it. */
bool virtio_pci_realize(VirtIOPCIProxy *p, Machine *m, VirtIODevice *vdev,
                        const VirtIOPCIInfo *info, char **errp);
/* Device reset: PCI header, MSI-X, and the virtio device. */
void virtio_pci_reset(VirtIOPCIProxy *p);

/* Between the two halves of the transport (virtio-pci-config.c: PCI
 * configuration, capabilities, MSI-X vectors; virtio-pci.c: the registers). */
bool virtio_pci_config_init(VirtIOPCIProxy *p, const VirtIOPCIInfo *info,
                            char **errp);
void virtio_pci_config_reset(VirtIOPCIProxy *p);
/* The Express and power management capabilities of an endpoint behind a
 * PCIe port (before virtio_pci_config_init). */
bool virtio_pci_express_init(VirtIOPCIProxy *p, char **errp);
/* Sends vector's message (msix_notify) if the vector is in use. */
void virtio_pci_msix_notify(VirtIOPCIProxy *p, unsigned v);
/* Drops the pending bits of vectors nothing points at any more. */
void virtio_pci_msix_drop_unused(VirtIOPCIProxy *p);
/* A vector the driver writes: out of range becomes VIRTIO_NO_VECTOR. */
uint16_t virtio_pci_check_vector(const VirtIOPCIProxy *p, uint16_t v);

#endif
