/* SPDX-License-Identifier: MIT */
/*
 * virtio-scsi-pci (OASIS VIRTIO 1.2 section 5.6), as QEMU 7.2's: a SCSI
 * host adapter whose bus (hw/scsi/scsi-bus.h) takes scsi-hd and scsi-cd.
 * Queue 0 is the control queue (task management, asynchronous
 * notification), queue 1 the event queue, 2 and up the request queues
 * (num_queues of them).
 *
 * A request is a chain: the request header the device reads (LUN, tag,
 * task attribute, a CDB of cdb_size bytes), data-out, then the response
 * the device writes (sense length, residual, status, response, sense of
 * sense_size bytes) and data-in. Requests are served one at a time for
 * the whole device, in queue order, handed to the SCSI core which moves
 * their data in chunks (its block requests complete from the clock, so
 * the guest can kick, abort or reset in between); control requests are
 * served at once, and may abort the request in flight.
 */
#ifndef HW_VIRTIO_VIRTIO_SCSI_H
#define HW_VIRTIO_VIRTIO_SCSI_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/scsi/scsi-bus.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/virtio/virtio.h"

#define VIRTIO_ID_SCSI              8
#define VIRTIO_SCSI_PCI_DEVICE_ID   0x1004      /* transitional */

/* Feature bits (section 5.6.3) */
#define VIRTIO_SCSI_F_INOUT         0
#define VIRTIO_SCSI_F_HOTPLUG       1
#define VIRTIO_SCSI_F_CHANGE        2
#define VIRTIO_SCSI_F_T10_PI        3

/* Configuration space (section 5.6.4), offsets */
#define VIRTIO_SCSI_CFG_NUM_QUEUES      0
#define VIRTIO_SCSI_CFG_SEG_MAX         4
#define VIRTIO_SCSI_CFG_MAX_SECTORS     8
#define VIRTIO_SCSI_CFG_CMD_PER_LUN     12
#define VIRTIO_SCSI_CFG_EVENT_INFO_SIZE 16
#define VIRTIO_SCSI_CFG_SENSE_SIZE      20
#define VIRTIO_SCSI_CFG_CDB_SIZE        24
#define VIRTIO_SCSI_CFG_MAX_CHANNEL     28
#define VIRTIO_SCSI_CFG_MAX_TARGET      30
#define VIRTIO_SCSI_CFG_MAX_LUN         32
#define VIRTIO_SCSI_CFG_LEN             36

/* Response codes (section 5.6.6.1) */
#define VIRTIO_SCSI_S_OK                0
#define VIRTIO_SCSI_S_OVERRUN           1
#define VIRTIO_SCSI_S_ABORTED           2
#define VIRTIO_SCSI_S_BAD_TARGET        3
#define VIRTIO_SCSI_S_RESET             4
#define VIRTIO_SCSI_S_BUSY              5
#define VIRTIO_SCSI_S_TRANSPORT_FAILURE 6
#define VIRTIO_SCSI_S_TARGET_FAILURE    7
#define VIRTIO_SCSI_S_NEXUS_FAILURE     8
#define VIRTIO_SCSI_S_FAILURE           9
#define VIRTIO_SCSI_S_FUNCTION_SUCCEEDED 10
#define VIRTIO_SCSI_S_FUNCTION_REJECTED 11
#define VIRTIO_SCSI_S_INCORRECT_LUN     12

/* Control queue (section 5.6.6.2) */
#define VIRTIO_SCSI_T_TMF               0
#define VIRTIO_SCSI_T_AN_QUERY          1
#define VIRTIO_SCSI_T_AN_SUBSCRIBE      2
#define VIRTIO_SCSI_T_TMF_ABORT_TASK        0
#define VIRTIO_SCSI_T_TMF_ABORT_TASK_SET    1
#define VIRTIO_SCSI_T_TMF_CLEAR_ACA         2
#define VIRTIO_SCSI_T_TMF_CLEAR_TASK_SET    3
#define VIRTIO_SCSI_T_TMF_I_T_NEXUS_RESET   4
#define VIRTIO_SCSI_T_TMF_LUN_RESET         5
#define VIRTIO_SCSI_T_TMF_QUERY_TASK        6
#define VIRTIO_SCSI_T_TMF_QUERY_TASK_SET    7
#define VIRTIO_SCSI_TMF_REQ_LEN         24      /* type, subtype, lun, id */
#define VIRTIO_SCSI_AN_REQ_LEN          16      /* type, lun, event_requested */
#define VIRTIO_SCSI_AN_RESP_LEN         5       /* event_actual, response */

/* Events (section 5.6.6.3) */
#define VIRTIO_SCSI_T_NO_EVENT          0
#define VIRTIO_SCSI_T_EVENTS_MISSED     0x80000000u
#define VIRTIO_SCSI_EVENT_LEN           16

/* Request and response headers before the CDB and the sense (5.6.6.1) */
#define VIRTIO_SCSI_REQ_HDR             19      /* lun[8], id, attr, prio, crn */
#define VIRTIO_SCSI_RESP_HDR            12      /* sense_len, residual, sq, status, response */
#define VIRTIO_SCSI_CDB_DEFAULT         32
#define VIRTIO_SCSI_SENSE_DEFAULT       96

/* Limits and QEMU's defaults */
#define VIRTIO_SCSI_QUEUES_MAX          32      /* request queues */
#define VIRTIO_SCSI_QUEUE_SIZE          256
#define VIRTIO_SCSI_MAX_TARGET          255
#define VIRTIO_SCSI_MAX_LUN             16383
#define VIRTIO_SCSI_CTRL_MAX            VIRTIO_QUEUE_SIZE_MAX   /* a kick's control requests */

/* The request being served. */
typedef struct VirtIOSCSICur {
    bool active;
    uint16_t queue;
    SCSIRequest *sreq;
    uint32_t req_size;        /* request header with its CDB */
    uint32_t resp_size;       /* response header with its sense */
    uint32_t pos;             /* data bytes moved */
    uint32_t data_out;        /* data-out bytes of the chain */
    uint32_t target, lun;
    uint64_t tag;
    VirtQueueElement elem;
} VirtIOSCSICur;

typedef struct VirtIOSCSI {
    VirtIOPCIProxy proxy;
    VirtIODevice vdev;
    VirtQueue vqs[VIRTIO_SCSI_QUEUES_MAX + 2];
    VirtIOPCIQueue pci_vqs[VIRTIO_SCSI_QUEUES_MAX + 2];
    SCSIBus bus;
    uint32_t sense_size;      /* config, the driver may write them */
    uint32_t cdb_size;
    uint64_t kicked;          /* request queues kicked, not yet found empty */
    uint16_t next_queue;      /* where the search for a request begins */
    bool running;             /* inside virtio_scsi_run */
    bool events_dropped;      /* an event found no buffer: EVENTS_MISSED */
    VirtIOSCSICur cur;
    VirtQueueElement ctrl;    /* the control or event request being served */
    /* Properties */
    uint32_t num_queues;
    uint32_t virtqueue_size;
    uint32_t max_sectors;
    uint32_t cmd_per_lun;
    bool seg_max_adjust;
    bool hotplug;
    bool param_change;
} VirtIOSCSI;

#endif
