/* SPDX-License-Identifier: MIT */
/*
 * Between the SD card's files: the command decoder (sd.c), its register
 * builders (sd-regs.c) and its data phases (sd-data.c).
 */
#ifndef HW_SD_SD_INTERNAL_H
#define HW_SD_SD_INTERNAL_H

#include "hw/sd/sd.h"

/* Capacity limit of a standard capacity card (section 5.3.2) */
#define SD_SDSC_MAX_SIZE    (2ull << 30)
#define SD_HWBLOCK_SHIFT    9
#define SD_CMULT_SHIFT      9
#define SD_SECTOR_SHIFT     5       /* erase sector: 64 blocks */
#define SD_WPGROUP_SHIFT    7       /* write protect group: 128 sectors */

void sd_set_cid(SDCard *sd);
void sd_set_csd(SDCard *sd);
void sd_set_scr(SDCard *sd);
void sd_set_sd_status(SDCard *sd);
/* Ends the data phase (sd.c). */
void sd_data_stop(SDCard *sd);

#endif
