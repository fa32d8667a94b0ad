/* SPDX-License-Identifier: MIT */
/*
 * The MMC replies a CD/DVD-ROM drive gives, written once for the ATAPI
 * packet device (hw/ide/atapi.c) and scsi-cd (hw/scsi/scsi-disk.c): each
 * builds a reply into a buffer from the CDB and the medium's state and
 * returns its full length (the caller cuts it to the allocation length),
 * or -1 for INVALID FIELD IN CDB. Replies are QEMU 7.2's where QEMU has
 * the command (MMC-6 / MMC-3 sections cited at each).
 */
#ifndef HW_SCSI_MMC_H
#define HW_SCSI_MMC_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/scsi/scsi.h"

#define MMC_BLOCK_SIZE          2048
#define MMC_RAW_SECTOR_SIZE     2352
#define MMC_SYNC_HDR            16          /* sync and header of a raw sector */
#define MMC_MAX_CD_BLOCKS       (80 * 60 * 75)  /* past it, a DVD */
#define MMC_MSF_OFFSET          150
#define MMC_PROFILE_NONE        0x0000
#define MMC_PROFILE_CD_ROM      0x0008
#define MMC_PROFILE_DVD_ROM     0x0010
/* The largest reply here: READ DVD STRUCTURE's manufacturing data. */
#define MMC_REPLY_MAX           (MMC_BLOCK_SIZE + 4)

/* Mode pages */
#define MODE_PAGE_R_W_ERROR     0x01
#define MODE_PAGE_CACHING       0x08
#define MODE_PAGE_CONTROL       0x0a
#define MODE_PAGE_AUDIO_CTL     0x0e
#define MODE_PAGE_INFO_EXCEPT   0x1c
#define MODE_PAGE_CAPABILITIES  0x2a
#define MODE_PAGE_ALL           0x3f

/* The drive's state the replies depend on. */
typedef struct MMCState {
    uint64_t blocks;            /* 2048-byte blocks of the medium, 0: none */
    bool tray_open;
    bool tray_locked;
    bool event_pending;         /* a NewMedia event to report once */
    bool scsi;                  /* QEMU's scsi-cd, not its ATAPI drive: the
                                 * SCSI physical interface, the removable
                                 * medium feature's version 2, an event
                                 * descriptor length without the header */
} MMCState;

void mmc_lba_to_msf(uint8_t *p, uint64_t lba);
uint16_t mmc_profile(const MMCState *s);
/* Space-padded ASCII field (INQUIRY strings). */
void mmc_pad(uint8_t *p, const char *str, unsigned len);

/* READ TOC/PMA/ATIP (MMC-3 6.25), formats 0, 1 and 2. */
int mmc_read_toc(const MMCState *s, const uint8_t *cdb, uint8_t *buf);
/* GET CONFIGURATION (MMC-3 6.6). */
int mmc_get_configuration(const MMCState *s, const uint8_t *cdb, uint8_t *buf);
/* GET EVENT STATUS NOTIFICATION (MMC-3 6.7), polled: the event is
 * reported once. */
int mmc_get_event_status(MMCState *s, const uint8_t *cdb, uint8_t *buf);
/* READ DISC INFORMATION (MMC-3 6.22). */
int mmc_read_disc_info(const uint8_t *cdb, uint8_t *buf);
/* MECHANISM STATUS (MMC-3 6.11). */
int mmc_mechanism_status(uint8_t *buf);
/* READ DVD STRUCTURE (MMC-3 6.24): -1 with *sense set on an error. */
int mmc_read_dvd_structure(const MMCState *s, const uint8_t *cdb, uint8_t *buf,
                           SCSISense *sense);
/* Mode pages 01h (8 bytes) and 2Ah (22 bytes), header and all. */
unsigned mmc_mode_page_rw_error(uint8_t *p);
unsigned mmc_mode_page_caps(const MMCState *s, uint8_t *p);
/* A 2048-byte block at the end of n blocks in buf as raw mode-1 sectors
 * (sync, header, data, EDC/ECC zeros), first block lba. */
void mmc_expand_raw(uint8_t *buf, uint32_t n, uint32_t src, uint64_t lba);

#endif
