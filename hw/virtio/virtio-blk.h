/* SPDX-License-Identifier: MIT */
/*
 * virtio-blk-pci (OASIS VIRTIO 1.2 section 5.2), as QEMU 7.2's: a disk on
 * hw/backend/block.h behind one or more request queues.
 *
 * A request is a chain: a 16-byte header the device reads (type, reserved,
 * sector), the data (read by the device for OUT, DISCARD and WRITE_ZEROES,
 * written for IN and GET_ID), and a status byte the device writes last.
 * Requests are served one at a time for the whole device, in queue order:
 * reads and writes move through a bounded bounce buffer in chunks, each
 * chunk a BlockRequest completed from the clock (a bottom half), so the
 * guest can reset, renegotiate or kick between submission and completion
 * as with QEMU's asynchronous block layer.
 */
#ifndef HW_VIRTIO_VIRTIO_BLK_H
#define HW_VIRTIO_VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/backend/block.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/virtio/virtio.h"

#define VIRTIO_ID_BLOCK            2
#define VIRTIO_BLK_PCI_DEVICE_ID   0x1001      /* transitional */

/* Feature bits (section 5.2.3) */
#define VIRTIO_BLK_F_SIZE_MAX      1
#define VIRTIO_BLK_F_SEG_MAX       2
#define VIRTIO_BLK_F_GEOMETRY      4
#define VIRTIO_BLK_F_RO            5
#define VIRTIO_BLK_F_BLK_SIZE      6
#define VIRTIO_BLK_F_SCSI          7     /* legacy, not offered (QEMU's scsi=off) */
#define VIRTIO_BLK_F_FLUSH         9
#define VIRTIO_BLK_F_TOPOLOGY      10
#define VIRTIO_BLK_F_CONFIG_WCE    11
#define VIRTIO_BLK_F_MQ            12
#define VIRTIO_BLK_F_DISCARD       13
#define VIRTIO_BLK_F_WRITE_ZEROES  14

/* Request types (section 5.2.6) */
#define VIRTIO_BLK_T_IN            0
#define VIRTIO_BLK_T_OUT           1
#define VIRTIO_BLK_T_SCSI_CMD      2     /* legacy: unsupported */
#define VIRTIO_BLK_T_FLUSH         4
#define VIRTIO_BLK_T_GET_ID        8
#define VIRTIO_BLK_T_DISCARD       11
#define VIRTIO_BLK_T_WRITE_ZEROES  13
#define VIRTIO_BLK_T_BARRIER       0x80000000u   /* legacy flag, ignored */

#define VIRTIO_BLK_S_OK            0
#define VIRTIO_BLK_S_IOERR         1
#define VIRTIO_BLK_S_UNSUPP        2

#define VIRTIO_BLK_OUTHDR_LEN      16
#define VIRTIO_BLK_DWZ_LEN         16    /* a discard / write-zeroes segment */
#define VIRTIO_BLK_DWZ_F_UNMAP     0x1
#define VIRTIO_BLK_ID_BYTES        20

/* Configuration space (section 5.2.4), offsets */
#define VIRTIO_BLK_CFG_CAPACITY        0
#define VIRTIO_BLK_CFG_SIZE_MAX        8
#define VIRTIO_BLK_CFG_SEG_MAX         12
#define VIRTIO_BLK_CFG_CYLINDERS       16
#define VIRTIO_BLK_CFG_HEADS           18
#define VIRTIO_BLK_CFG_SECTORS         19
#define VIRTIO_BLK_CFG_BLK_SIZE        20
#define VIRTIO_BLK_CFG_PHYS_EXP        24
#define VIRTIO_BLK_CFG_ALIGN_OFF       25
#define VIRTIO_BLK_CFG_MIN_IO          26
#define VIRTIO_BLK_CFG_OPT_IO          28
#define VIRTIO_BLK_CFG_WRITEBACK       32
#define VIRTIO_BLK_CFG_NUM_QUEUES      34
#define VIRTIO_BLK_CFG_MAX_DISCARD     36
#define VIRTIO_BLK_CFG_MAX_DISCARD_SEG 40
#define VIRTIO_BLK_CFG_DISCARD_ALIGN   44
#define VIRTIO_BLK_CFG_MAX_WZ          48
#define VIRTIO_BLK_CFG_MAX_WZ_SEG      52
#define VIRTIO_BLK_CFG_WZ_MAY_UNMAP    56
#define VIRTIO_BLK_CFG_LEN             57    /* QEMU 7.2 with discard and write-zeroes */
#define VIRTIO_BLK_CFG_LEN_BASE        36    /* without either */

/* Limits and QEMU's defaults */
#define VIRTIO_BLK_QUEUES_MAX      16
#define VIRTIO_BLK_QUEUE_SIZE      256
#define VIRTIO_BLK_MAX_DWZ_SECTORS 0x3fffff  /* max-discard/write-zeroes-sectors */
#define VIRTIO_BLK_CHUNK           (64 * 1024)   /* bounce buffer: bytes a chunk */

/* The request being served. */
typedef struct VirtIOBlkCur {
    bool active;
    uint16_t queue;
    uint32_t type;
    uint64_t offset;          /* bytes into the disk */
    uint64_t len;             /* data bytes of the request */
    uint64_t done;            /* data bytes moved */
    uint32_t chunk;           /* bytes of the chunk in flight */
    VirtQueueElement elem;
} VirtIOBlkCur;

typedef struct VirtIOBlock {
    VirtIOPCIProxy proxy;
    VirtIODevice vdev;
    VirtQueue vqs[VIRTIO_BLK_QUEUES_MAX];
    VirtIOPCIQueue pci_vqs[VIRTIO_BLK_QUEUES_MAX];
    bool wce;                 /* config writeback: the write cache on */
    uint32_t kicked;          /* queues kicked and not yet found empty */
    uint16_t next_queue;      /* where the search for a request begins */
    VirtIOBlkCur cur;
    BlockRequest req;
    uint32_t buf_live;        /* bytes of buf that hold state (a write's chunk) */
    uint8_t *buf;             /* VIRTIO_BLK_CHUNK, object_add_state */
    /* Properties */
    char *drive;
    char *serial;
    uint32_t num_queues;
    uint32_t queue_size;
    uint32_t logical_block_size;
    uint32_t max_discard_sectors;
    uint32_t max_write_zeroes_sectors;
    bool discard;
    bool write_zeroes;
    bool config_wce;
    bool seg_max_adjust;
    /* Set-up */
    BlockBackend *blk;
    uint16_t cyls;
    uint8_t heads, secs;
} VirtIOBlock;

#endif
