/* SPDX-License-Identifier: MIT */
/*
 * scsi-hd and scsi-cd, shared between scsi-disk.c (the types, the
 * medium's data path, the dispatch) and scsi-disk-spc.c (the commands
 * answered from the device's state: INQUIRY and its VPD pages, MODE
 * SENSE/SELECT, READ CAPACITY, REQUEST SENSE, REPORT LUNS, the MMC ones).
 */
#ifndef HW_SCSI_SCSI_DISK_H
#define HW_SCSI_SCSI_DISK_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/backend/block.h"
#include "hw/scsi/mmc.h"
#include "hw/scsi/scsi-bus.h"

#define TYPE_SCSI_HD "scsi-hd"
#define TYPE_SCSI_CD "scsi-cd"

/* Limits, as the Block Limits VPD page says them (SBC-3 6.5.3) */
#define SD_MAX_XFER_BYTES       (16u * 1024 * 1024) /* a READ or WRITE */
#define SD_MAX_WS_BLOCKS        2048                /* a WRITE SAME */
#define SD_MAX_UNMAP_DESC       255                 /* UNMAP descriptors */
#define SD_MAX_UNMAP_BLOCKS     0x400000            /* blocks one UNMAP frees */

/* req->op of the commands with a medium or parameter phase */
enum {
    SD_OP_READ = SCSI_OP_DEVICE,
    SD_OP_WRITE,
    SD_OP_WRITE_SAME,
    SD_OP_UNMAP,
    SD_OP_MODE_SELECT,
    SD_OP_SYNC,
};

typedef struct SCSIDiskState {
    SCSIDevice qdev;
    /* Properties. */
    char *drive;
    char *serial;
    char *vendor;
    char *product;
    char *version;
    char *device_id;
    bool removable;
    uint32_t logical_block_size;
    uint64_t wwn;
    /* Set at realize. */
    bool is_cd;
    uint32_t bs;                /* bytes a logical block */
    uint32_t sector_bytes;      /* bytes a block gives the guest (READ CD) */
    BlockBackend *blk;
    BlockRequest breq;          /* owner: the HBA, entered for completion */
    /* State. */
    bool wce;                   /* caching page: write cache enabled */
    bool tray_open;
    bool tray_locked;
    bool event_pending;         /* a NewMedia event */
} SCSIDiskState;

static inline SCSIDiskState *sd_of(SCSIDevice *d)
{
    return (SCSIDiskState *)d;
}

bool sd_has_medium(const SCSIDiskState *s);
uint64_t sd_blocks(const SCSIDiskState *s);
MMCState sd_mmc_state(const SCSIDiskState *s);

/* scsi-disk-spc.c: the replies; each returns scsi_req_enqueue's value,
 * or fails the request and returns 0. */
int32_t sd_inquiry(SCSIDiskState *s, SCSIRequest *req);
int32_t sd_request_sense(SCSIDiskState *s, SCSIRequest *req);
int32_t sd_read_capacity(SCSIDiskState *s, SCSIRequest *req);
int32_t sd_mode_sense(SCSIDiskState *s, SCSIRequest *req);
int32_t sd_mode_select(SCSIDiskState *s, SCSIRequest *req);
/* The parameter list of MODE SELECT is in the buffer: check, apply. */
void sd_mode_select_data(SCSIDiskState *s, SCSIRequest *req);
int32_t sd_report_luns(SCSIDiskState *s, SCSIRequest *req);
int32_t sd_start_stop(SCSIDiskState *s, SCSIRequest *req);
/* The MMC commands of scsi-cd (0 with the request failed if not one). */
int32_t sd_mmc_command(SCSIDiskState *s, SCSIRequest *req, bool *handled);

#endif
