/* SPDX-License-Identifier: MIT */
/*
 * The SD card's registers (SD Physical Layer Simplified Specification
 * 3.01, chapter 5): CID, CSD version 1.0 and 2.0, SCR, SD status, and
 * the CRC7 that ends the CID and CSD. QEMU's CID and CSD values, so that
 * a differential run agrees.
 */
#include <string.h>

#include "hw/sd/sd-internal.h"

/* CRC7, polynomial x^7 + x^3 + 1 (section 4.5). */
uint8_t sd_crc7(const uint8_t *buf, size_t len)
{
    uint8_t crc = 0;

    for (size_t i = 0; i < len; i++) {
        for (int bit = 7; bit >= 0; bit--) {
            uint8_t in = ((buf[i] >> bit) & 1) ^ ((crc >> 6) & 1);
            crc = (uint8_t)((crc << 1) & 0x7f);
            if (in) {
                crc ^= 0x09;
            }
        }
    }
    return crc;
}

/* CID (section 5.2): QEMU's values, so that a differential run agrees. */
void sd_set_cid(SDCard *sd)
{
    static const uint8_t cid[15] = {
        0xaa, 'X', 'Y', 'Q', 'E', 'M', 'U', '!',        /* MID OID PNM */
        0x01, 0xde, 0xad, 0xbe, 0xef,                    /* PRV PSN */
        0x00, 0x62,                                      /* MDT: 2006-02 */
    };

    memcpy(sd->cid, cid, sizeof(cid));
    sd->cid[15] = (uint8_t)((sd_crc7(sd->cid, 15) << 1) | 1);
}

/* CSD version 1.0 (section 5.3.2) for SDSC, 2.0 (5.3.3) for SDHC. */
void sd_set_csd(SDCard *sd)
{
    uint8_t *c = sd->csd;

    if (!sd->high_capacity) {
        uint32_t csize = sd->size ? (uint32_t)(sd->size >> (SD_CMULT_SHIFT +
                                                            SD_HWBLOCK_SHIFT)) - 1 : 0;
        uint32_t sectsize = (1u << (SD_SECTOR_SHIFT + 1)) - 1;
        uint32_t wpsize = (1u << (SD_WPGROUP_SHIFT + 1)) - 1;

        c[0] = 0x00;
        c[1] = 0x26;                    /* TAAC */
        c[2] = 0x00;                    /* NSAC */
        c[3] = 0x32;                    /* TRAN_SPEED: 25 MHz */
        c[4] = 0x5f;                    /* CCC 0x5f5 */
        c[5] = 0x50 | SD_HWBLOCK_SHIFT; /* READ_BL_LEN */
        c[6] = (uint8_t)(0xe0 | ((csize >> 10) & 0x03));  /* partial reads */
        c[7] = (uint8_t)(csize >> 2);
        c[8] = (uint8_t)(0x3f | ((csize << 6) & 0xc0));
        c[9] = (uint8_t)(0xfc | ((SD_CMULT_SHIFT - 2) >> 1));
        c[10] = (uint8_t)(0x40 | (((SD_CMULT_SHIFT - 2) << 7) & 0x80) | (sectsize >> 1));
        c[11] = (uint8_t)(((sectsize << 7) & 0x80) | wpsize);
        c[12] = 0x90 | (SD_HWBLOCK_SHIFT >> 2);     /* WP_GRP_ENABLE, R2W */
        c[13] = (uint8_t)(0x20 | ((SD_HWBLOCK_SHIFT << 6) & 0xc0));
        c[14] = 0x00;
    } else {
        uint32_t csize = (uint32_t)(sd->size / (512 * 1024)) - 1;

        c[0] = 0x40;
        c[1] = 0x0e;
        c[2] = 0x00;
        c[3] = 0x32;
        c[4] = 0x5b;
        c[5] = 0x59;
        c[6] = 0x00;
        c[7] = (uint8_t)(csize >> 16);
        c[8] = (uint8_t)(csize >> 8);
        c[9] = (uint8_t)csize;
        c[10] = 0x7f;
        c[11] = 0x80;
        c[12] = 0x0a;
        c[13] = 0x40;
        c[14] = 0x00;
    }
    c[15] = (uint8_t)((sd_crc7(c, 15) << 1) | 1);
}

/* SCR (section 5.6): SD_SPEC, 1- and 4-bit buses, CMD23 from 3.0. */
void sd_set_scr(SDCard *sd)
{
    memset(sd->scr, 0, sizeof(sd->scr));
    sd->scr[0] = sd->spec_version == 1 ? 0x01 : 0x02;
    sd->scr[1] = 0x05;                          /* SD_BUS_WIDTHS 1, 4 */
    if (sd->spec_version >= 3) {
        sd->scr[2] = 0x80;                      /* SD_SPEC3 */
        sd->scr[3] = 0x02;                      /* CMD_SUPPORT: CMD23 */
    }
}

void sd_set_sd_status(SDCard *sd)
{
    memset(sd->sd_status, 0, sizeof(sd->sd_status));
    sd->sd_status[0] = sd->bus_4bit ? 0x80 : 0x00;     /* DAT_BUS_WIDTH */
    sd->sd_status[10] = 0x90;                           /* AU_SIZE 4 MiB */
}
