/* SPDX-License-Identifier: MIT */
/*
 * MMC replies shared by the ATAPI packet device and scsi-cd (mmc.h).
 * One data track, one session, no audio; DVD structures 00h, 01h, 04h
 * and FFh only.
 */
#include "hw/scsi/mmc.h"

#include <string.h>

#include "emu/byteorder.h"

void mmc_lba_to_msf(uint8_t *p, uint64_t lba)
{
    lba += MMC_MSF_OFFSET;
    p[0] = (lba / 75) / 60;
    p[1] = (lba / 75) % 60;
    p[2] = lba % 75;
}

uint16_t mmc_profile(const MMCState *s)
{
    if (!s->blocks) {
        return MMC_PROFILE_NONE;
    }
    return s->blocks > MMC_MAX_CD_BLOCKS ? MMC_PROFILE_DVD_ROM : MMC_PROFILE_CD_ROM;
}

void mmc_pad(uint8_t *p, const char *str, unsigned len)
{
    size_t n = strlen(str);

    for (unsigned i = 0; i < len; i++) {
        p[i] = i < n ? str[i] : ' ';
    }
}

/* ---------------------------------------------------------------------- */
/* READ TOC                                                                */

static uint32_t mmc_toc_entry(uint8_t *q, uint8_t ctl, uint8_t track, bool msf,
                              uint64_t lba)
{
    q[0] = 0;
    q[1] = ctl;
    q[2] = track;
    q[3] = 0;
    if (msf) {
        q[4] = 0;
        mmc_lba_to_msf(q + 5, lba);
    } else {
        st_be32(q + 4, (uint32_t)lba);
    }
    return 8;
}

/* Format 0: track 1 and the lead-out from the start track on. */
static int mmc_toc(const MMCState *s, bool msf, uint8_t start, uint8_t *b)
{
    uint32_t len = 4;

    if (start > 1 && start != 0xaa) {
        return -1;
    }
    b[2] = 1;
    b[3] = 1;
    if (start <= 1) {
        len += mmc_toc_entry(b + len, 0x14, 1, msf, 0);
    }
    len += mmc_toc_entry(b + len, 0x16, 0xaa, msf, s->blocks);
    st_be16(b, len - 2);
    return (int)len;
}

/* Format 2, raw TOC: the A0h, A1h, A2h points and track 1 of session 1. */
static int mmc_toc_raw(const MMCState *s, bool msf, uint8_t *b)
{
    static const uint8_t points[] = { 0xa0, 0xa1, 0xa2, 0x01 };
    uint8_t *q = b + 4;

    memset(b, 0, 4 + 11 * 4);
    b[2] = 1;
    b[3] = 1;
    for (unsigned i = 0; i < 4; i++, q += 11) {
        q[0] = 1;               /* session */
        q[1] = 0x14;            /* ADR 1, data track */
        q[3] = points[i];
        if (points[i] == 0xa0 || points[i] == 0xa1) {
            q[8] = 1;           /* first / last track */
        } else if (points[i] == 0xa2) {
            if (msf) {
                mmc_lba_to_msf(q + 8, s->blocks);
            } else {
                st_be32(q + 7, (uint32_t)s->blocks);
            }
        } else if (msf) {
            mmc_lba_to_msf(q + 8, 0);
        }
    }
    st_be16(b, (uint16_t)((q - b) - 2));
    return (int)(q - b);
}

int mmc_read_toc(const MMCState *s, const uint8_t *cdb, uint8_t *buf)
{
    bool msf = cdb[1] & 2;

    switch (cdb[9] >> 6) {
    case 0:
        return mmc_toc(s, msf, cdb[6], buf);
    case 1:                     /* multi-session: one session */
        memset(buf, 0, 12);
        buf[1] = 0x0a;
        buf[2] = 1;
        buf[3] = 1;
        return 12;
    case 2:
        return mmc_toc_raw(s, msf, buf);
    default:
        return -1;
    }
}

/* ---------------------------------------------------------------------- */
/* GET CONFIGURATION, events, disc information, mechanism                  */

int mmc_get_configuration(const MMCState *s, const uint8_t *cdb, uint8_t *b)
{
    uint16_t cur = mmc_profile(s);
    uint32_t len = 8;

    if ((cdb[1] & 3) == 3) {
        return -1;
    }
    memset(b, 0, 64);
    st_be16(b + 6, cur);
    /* 0000h profile list: DVD-ROM, CD-ROM */
    b[len + 2] = 0x03;          /* persistent, current */
    b[len + 3] = 8;
    st_be16(b + len + 4, MMC_PROFILE_DVD_ROM);
    b[len + 6] = cur == MMC_PROFILE_DVD_ROM;
    st_be16(b + len + 8, MMC_PROFILE_CD_ROM);
    b[len + 10] = cur == MMC_PROFILE_CD_ROM;
    len += 12;
    /* 0001h core: ATAPI (2) or SCSI (1) */
    st_be16(b + len, 0x0001);
    b[len + 2] = 0x0b;          /* version 2, persistent, current */
    b[len + 3] = 8;
    st_be32(b + len + 4, s->scsi ? 1 : 2);
    b[len + 8] = 1;             /* DBE */
    len += 12;
    /* 0003h removable medium: tray, eject, lock */
    st_be16(b + len, 0x0003);
    b[len + 2] = s->scsi ? 0x0b : 0x03;
    b[len + 3] = 4;
    b[len + 4] = (s->scsi ? 0x39 : 0x29) | (s->tray_locked ? 0x04 : 0);
    len += 8;
    st_be32(b, len - 4);
    return (int)len;
}

/* Polled only (the Polled bit, byte 1 bit 0), the media class. */
int mmc_get_event_status(MMCState *s, const uint8_t *cdb, uint8_t *b)
{
    if (!(cdb[1] & 1)) {
        return -1;
    }
    memset(b, 0, 8);
    b[3] = 0x10;                /* supported: media */
    if (!(cdb[4] & 0x10)) {
        b[2] = 0x80;            /* no event available */
        return 4;
    }
    st_be16(b, s->scsi ? 4 : 6);    /* MMC-6 6.8.2.2: after the header (4) */
    b[2] = 0x04;                /* media class */
    if (s->event_pending) {
        b[4] = 0x02;            /* NewMedia */
        s->event_pending = false;
    }
    b[5] = (s->blocks ? 0x02 : 0) | (s->tray_open ? 0x01 : 0);
    return 8;
}

int mmc_read_disc_info(const uint8_t *cdb, uint8_t *b)
{
    if (cdb[1] & 7) {           /* types 1 and 2: Blu-ray only */
        return -1;
    }
    memset(b, 0, 34);
    b[1] = 32;
    b[2] = 0x0e;                /* last session complete, disc finalized */
    b[3] = 1;
    b[4] = 1;
    b[5] = 1;
    b[6] = 1;
    b[7] = 0x20;                /* unrestricted use */
    return 34;
}

int mmc_mechanism_status(uint8_t *b)
{
    memset(b, 0, 8);
    b[5] = 1;                   /* one slot */
    return 8;
}

/* For a DVD: physical format (00h), copyright (01h), manufacturing data
 * (04h), the list (FFh). */
int mmc_read_dvd_structure(const MMCState *s, const uint8_t *cdb, uint8_t *b,
                           SCSISense *sense)
{
    uint64_t total = s->blocks;
    uint32_t len;

    if (cdb[7] != 0xff && (cdb[7] >= 0xc0 || !total)) {
        *sense = total ? SENSE_CODE_INVALID_FIELD : SENSE_CODE_NO_MEDIUM;
        return -1;
    }
    if (cdb[7] != 0xff && mmc_profile(s) != MMC_PROFILE_DVD_ROM) {
        *sense = SENSE_CODE_INCOMPATIBLE_FORMAT;
        return -1;
    }
    memset(b, 0, MMC_REPLY_MAX);
    switch (cdb[7]) {
    case 0x00:
        b[4] = 0x01;            /* DVD-ROM, part version 1 */
        b[5] = 0x0f;            /* 120 mm, maximum rate unspecified */
        b[6] = 0x01;            /* one layer, read-only */
        b[7] = 0x00;
        st_be32(b + 8, 0x30000);            /* start of the data area */
        st_be32(b + 12, (uint32_t)(0x30000 + total - 1));
        len = 4 + 17;
        break;
    case 0x01:
        len = 4 + 4;            /* no copy protection */
        break;
    case 0x04:
        len = 4 + MMC_BLOCK_SIZE;
        break;
    case 0xff:
        b[4] = 0x00; b[5] = 0x40; st_be16(b + 6, MMC_BLOCK_SIZE + 4);
        b[8] = 0x01; b[9] = 0x40; st_be16(b + 10, 4 + 4);
        b[12] = 0x04; b[13] = 0x40; st_be16(b + 14, MMC_BLOCK_SIZE + 4);
        b[16] = 0xff; b[17] = 0x40; st_be16(b + 18, 4 + 16);
        len = 4 + 16;
        break;
    default:
        *sense = SENSE_CODE_INVALID_FIELD;
        return -1;
    }
    st_be16(b, len - 2);
    return (int)len;
}

/* ---------------------------------------------------------------------- */
/* Mode pages and raw sectors                                              */

unsigned mmc_mode_page_rw_error(uint8_t *p)
{
    memset(p, 0, 8);
    p[0] = MODE_PAGE_R_W_ERROR;
    p[1] = 6;
    p[3] = 0x05;                /* read retry count */
    return 8;
}

unsigned mmc_mode_page_caps(const MMCState *s, uint8_t *p)
{
    memset(p, 0, 22);
    p[0] = MODE_PAGE_CAPABILITIES;
    p[1] = 20;
    p[2] = 0x3b;                /* reads CD-R/RW, DVD-ROM/R/RAM */
    p[4] = 0x71;                /* audio play, ... */
    p[5] = 3 << 5;
    p[6] = 0x29 | (s->tray_locked ? 0x02 : 0);  /* lock, eject, tray */
    st_be16(p + 8, 704);        /* 4x */
    p[11] = 2;
    st_be16(p + 12, 512);
    st_be16(p + 14, 704);
    return 22;
}

void mmc_expand_raw(uint8_t *buf, uint32_t n, uint32_t src, uint64_t lba)
{
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *d = buf + (size_t)i * MMC_RAW_SECTOR_SIZE;
        memmove(d + MMC_SYNC_HDR, buf + src + (size_t)i * MMC_BLOCK_SIZE, MMC_BLOCK_SIZE);
        d[0] = 0x00;
        memset(d + 1, 0xff, 10);
        d[11] = 0x00;
        mmc_lba_to_msf(d + 12, lba + i);
        d[15] = 0x01;
        memset(d + MMC_SYNC_HDR + MMC_BLOCK_SIZE, 0,
               MMC_RAW_SECTOR_SIZE - MMC_SYNC_HDR - MMC_BLOCK_SIZE);
    }
}
