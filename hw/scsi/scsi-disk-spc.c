/* SPDX-License-Identifier: MIT */
/*
 * scsi-hd and scsi-cd: the commands answered from the device's state
 * (SPC-4: INQUIRY with VPD pages 00h, 80h, 83h, B0h, B1h, B2h, REQUEST
 * SENSE, MODE SENSE/SELECT with pages 01h, 08h, 0Ah, 1Ch, 2Ah and 3Fh,
 * REPORT LUNS, START STOP UNIT; SBC-3: READ CAPACITY 10/16; MMC-6 through
 * mmc.c). Mode pages keep two changeable bits, WCE (08h) and D_SENSE
 * (0Ah); MODE SELECT refuses a change to any other (SPC-4 6.11).
 */
#include "hw/scsi/scsi-disk.h"

#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"

#define SD_INQUIRY_LEN          36
#define SD_TYPE_DISK            0x00
#define SD_TYPE_ROM             0x05
#define SD_VPD_MAX_ID           64      /* bytes of an identifier we give */

static uint8_t sd_type(const SCSIDiskState *s)
{
    return s->is_cd ? SD_TYPE_ROM : SD_TYPE_DISK;
}

static const char *sd_str(const char *prop, const char *def)
{
    return prop ? prop : def;
}

/* ---------------------------------------------------------------------- */
/* INQUIRY (SPC-4 6.6) and the vital product data pages (7.8)              */

static uint32_t sd_vpd_list(SCSIDiskState *s, uint8_t *b)
{
    uint32_t n = 4;

    b[n++] = 0x00;
    if (s->serial) {
        b[n++] = 0x80;
    }
    b[n++] = 0x83;
    if (!s->is_cd) {
        b[n++] = 0xb0;
        b[n++] = 0xb1;
        b[n++] = 0xb2;
    }
    return n;
}

/* 83h: a vendor-specific ASCII designator (QEMU's, from device_id or the
 * drive's id), then the NAA one of wwn= (SPC-4 7.8.6). */
static uint32_t sd_vpd_device_id(SCSIDiskState *s, uint8_t *b)
{
    const char *id = sd_str(s->device_id, s->drive ? s->drive : "");
    uint32_t len = (uint32_t)strlen(id);
    uint32_t n = 4;

    if (len > SD_VPD_MAX_ID) {
        len = SD_VPD_MAX_ID;
    }
    b[n++] = 0x02;              /* code set: ASCII */
    b[n++] = 0x00;              /* vendor specific, associated with the LU */
    b[n++] = 0x00;
    b[n++] = (uint8_t)len;
    memcpy(b + n, id, len);
    n += len;
    if (s->wwn) {
        b[n++] = 0x01;          /* binary */
        b[n++] = 0x03;          /* NAA */
        b[n++] = 0x00;
        b[n++] = 8;
        st_be64(b + n, s->wwn);
        n += 8;
    }
    return n;
}

/* B0h, Block Limits (SBC-3 6.5.3): the limits this model enforces. */
static uint32_t sd_vpd_block_limits(SCSIDiskState *s, uint8_t *b)
{
    memset(b + 4, 0, 0x3c);
    b[4] = 0x01;                                        /* WSNZ */
    st_be32(b + 8, SD_MAX_XFER_BYTES / s->bs);          /* maximum transfer */
    st_be32(b + 12, SCSI_DEV_BUF_SIZE / s->bs);         /* optimal transfer */
    st_be32(b + 20, SD_MAX_UNMAP_BLOCKS);               /* maximum unmap LBAs */
    st_be32(b + 24, SD_MAX_UNMAP_DESC);                 /* descriptors */
    st_be64(b + 36, SD_MAX_WS_BLOCKS);                  /* maximum WRITE SAME */
    return 4 + 0x3c;
}

static uint32_t sd_vpd_characteristics(uint8_t *b)
{
    memset(b + 4, 0, 0x3c);
    st_be16(b + 4, 1);          /* medium rotation rate: non-rotating */
    return 4 + 0x3c;
}

/* B2h, Logical Block Provisioning (SBC-3 6.5.13): UNMAP, WRITE SAME(16)
 * and (10) with UNMAP, unmapped blocks read zeros, thin provisioned. */
static uint32_t sd_vpd_provisioning(uint8_t *b)
{
    memset(b + 4, 0, 4);
    b[5] = 0xe0 | 0x04;         /* LBPU, LBPWS, LBPWS10; LBPRZ */
    b[6] = 0x02;
    return 8;
}

static int32_t sd_vpd(SCSIDiskState *s, SCSIRequest *req)
{
    uint8_t *b = s->qdev.buf;
    uint8_t page = req->cdb[2];
    uint32_t n;

    memset(b, 0, 4);
    b[0] = sd_type(s);
    b[1] = page;
    switch (page) {
    case 0x00:
        n = sd_vpd_list(s, b);
        break;
    case 0x80:
        if (!s->serial) {
            goto bad;
        }
        n = (uint32_t)strlen(s->serial);
        n = n > SD_VPD_MAX_ID ? SD_VPD_MAX_ID : n;
        memcpy(b + 4, s->serial, n);
        n += 4;
        break;
    case 0x83:
        n = sd_vpd_device_id(s, b);
        break;
    case 0xb0:
    case 0xb1:
    case 0xb2:
        if (s->is_cd) {
            goto bad;
        }
        n = page == 0xb0 ? sd_vpd_block_limits(s, b)
          : page == 0xb1 ? sd_vpd_characteristics(b) : sd_vpd_provisioning(b);
        break;
    default:
        goto bad;
    }
    st_be16(b + 2, (uint16_t)(n - 4));
    return scsi_req_reply(req, n, ld_be16(req->cdb + 3));
bad:
    scsi_req_fail(req, SENSE_CODE_INVALID_FIELD);
    return 0;
}

int32_t sd_inquiry(SCSIDiskState *s, SCSIRequest *req)
{
    uint8_t *b = s->qdev.buf;

    if (req->cdb[1] & 0x02) {           /* CMDDT: obsolete */
        scsi_req_fail(req, SENSE_CODE_INVALID_FIELD);
        return 0;
    }
    if (req->cdb[1] & 0x01) {
        return sd_vpd(s, req);
    }
    if (req->cdb[2]) {
        scsi_req_fail(req, SENSE_CODE_INVALID_FIELD);
        return 0;
    }
    memset(b, 0, SD_INQUIRY_LEN);
    b[0] = sd_type(s);
    b[1] = (s->removable || s->is_cd) ? 0x80 : 0;
    b[2] = 5;                   /* SPC-3 */
    b[3] = 0x12;                /* HiSup, response data format 2 */
    b[4] = SD_INQUIRY_LEN - 5;
    b[7] = 0x10 | 0x02;         /* Sync, CmdQue (as QEMU) */
    mmc_pad(b + 8, sd_str(s->vendor, "QEMU"), 8);
    mmc_pad(b + 16, sd_str(s->product, s->is_cd ? "QEMU CD-ROM" : "QEMU HARDDISK"), 16);
    mmc_pad(b + 32, sd_str(s->version, "2.5+"), 4);
    return scsi_req_reply(req, SD_INQUIRY_LEN, ld_be16(req->cdb + 3));
}

/* REQUEST SENSE (SPC-4 6.39): the last command's sense (or a pending unit
 * attention, which the bus moved there), then none. */
int32_t sd_request_sense(SCSIDiskState *s, SCSIRequest *req)
{
    bool desc = req->cdb[1] & 1;
    uint32_t n = (uint32_t)scsi_build_sense(s->qdev.buf, SCSI_SENSE_BUF_SIZE,
                                            s->qdev.sense, desc);

    s->qdev.sense = SENSE_CODE_NO_SENSE;
    return scsi_req_reply(req, n, req->cdb[4]);
}

/* READ CAPACITY(10) (SBC-3 5.15) and (16) (5.16, SERVICE ACTION IN). */
int32_t sd_read_capacity(SCSIDiskState *s, SCSIRequest *req)
{
    uint64_t total = sd_blocks(s);
    uint64_t last = total ? total - 1 : 0;
    uint8_t *b = s->qdev.buf;

    if (req->cdb[0] == SCSI_READ_CAPACITY_10) {
        st_be32(b, last > UINT32_MAX ? UINT32_MAX : (uint32_t)last);
        st_be32(b + 4, s->bs);
        return scsi_req_reply(req, 8, 8);
    }
    if ((req->cdb[1] & 0x1f) != SCSI_SAI_READ_CAPACITY_16) {
        scsi_req_fail(req, SENSE_CODE_INVALID_OPCODE);
        return 0;
    }
    memset(b, 0, 32);
    st_be64(b, last);
    st_be32(b + 8, s->bs);
    if (!s->is_cd) {
        b[14] = 0x80 | 0x40;    /* LBPME, LBPRZ */
    }
    return scsi_req_reply(req, 32, ld_be32(req->cdb + 10));
}

int32_t sd_report_luns(SCSIDiskState *s, SCSIRequest *req)
{
    uint32_t alloc = ld_be32(req->cdb + 6);
    uint32_t n;

    if (alloc < 16 || req->cdb[2] > 2) {
        scsi_req_fail(req, SENSE_CODE_INVALID_FIELD);
        return 0;
    }
    n = scsi_report_luns(s->qdev.bus, s->qdev.channel, (uint32_t)s->qdev.id, req->cdb[2],
                         s->qdev.buf, SCSI_DEV_BUF_SIZE);
    return scsi_req_reply(req, n < SCSI_DEV_BUF_SIZE ? n : SCSI_DEV_BUF_SIZE, alloc);
}

/* START STOP UNIT (SBC-3 5.25, MMC-6 6.40): LOEJ opens or closes the
 * tray of a scsi-cd, unless PREVENT ALLOW locked it. */
int32_t sd_start_stop(SCSIDiskState *s, SCSIRequest *req)
{
    bool start = req->cdb[4] & 1;
    bool loej = req->cdb[4] & 2;

    if (!s->is_cd || !loej || (req->cdb[4] & 0xf0)) {
        return 0;               /* power conditions: accepted */
    }
    if (!start && !s->tray_open && s->tray_locked) {
        scsi_req_fail(req, SENSE_CODE_REMOVAL_PREVENTED);      /* MMC-6 6.40, QEMU */
        return 0;
    }
    if (s->tray_open == start) {
        s->tray_open = !start;
        if (start && s->blk && s->blk->has_medium) {
            s->qdev.ua = SENSE_CODE_MEDIUM_CHANGED;
            s->event_pending = true;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Mode pages (SPC-4 7.5, SBC-3 6.4)                                       */

/* Page code, page length, then the parameters; pc 1: the changeable bits,
 * 2: the defaults. Returns the page's length, 0 if not ours. */
static unsigned sd_mode_page(SCSIDiskState *s, uint8_t page, unsigned pc, uint8_t *p)
{
    MMCState m = sd_mmc_state(s);
    unsigned n;

    switch (page) {
    case MODE_PAGE_R_W_ERROR:
        if (s->is_cd) {
            n = mmc_mode_page_rw_error(p);
            if (pc == 1) {
                memset(p + 2, 0, n - 2);
            }
            return n;
        }
        n = 12;
        memset(p, 0, n);
        p[2] = pc == 1 ? 0 : 0x80;      /* AWRE */
        break;
    case MODE_PAGE_CACHING:
        n = 20;
        memset(p, 0, n);
        p[2] = pc == 1 || pc == 2 || s->wce ? 0x04 : 0;     /* WCE */
        break;
    case MODE_PAGE_CONTROL:
        n = 12;
        memset(p, 0, n);
        p[2] = pc == 1 || (pc == 0 && s->qdev.dsense) ? 0x04 : 0;  /* D_SENSE */
        break;
    case MODE_PAGE_INFO_EXCEPT:
        n = 12;
        memset(p, 0, n);
        break;
    case MODE_PAGE_CAPABILITIES:
        if (!s->is_cd) {
            return 0;
        }
        n = mmc_mode_page_caps(&m, p);
        if (pc == 1) {
            memset(p + 2, 0, n - 2);
        }
        return n;
    default:
        return 0;
    }
    p[0] = page;
    p[1] = (uint8_t)(n - 2);
    return n;
}

static const uint8_t sd_all_pages[] = {
    MODE_PAGE_R_W_ERROR, MODE_PAGE_CACHING, MODE_PAGE_CONTROL, MODE_PAGE_INFO_EXCEPT,
    MODE_PAGE_CAPABILITIES,
};

/* The mode parameter header (6 or 10) and the short LBA block descriptor
 * (SBC-3 6.4.2), unless DBD or no medium. */
static uint32_t sd_mode_header(SCSIDiskState *s, uint8_t *b, bool ten, bool dbd)
{
    uint32_t hlen = ten ? 8 : 4;
    uint64_t total = sd_blocks(s);
    uint8_t spec = s->is_cd ? 0 : 0x10 | (blk_is_read_only(s->blk) ? 0x80 : 0);
    uint32_t bdl = dbd || !total || s->is_cd ? 0 : 8;     /* MMC-6 7.2: none */

    memset(b, 0, hlen + bdl);
    if (ten) {
        b[3] = spec;
        st_be16(b + 6, (uint16_t)bdl);
    } else {
        b[2] = spec;
        b[3] = (uint8_t)bdl;
    }
    if (bdl) {
        st_be32(b + hlen, total > UINT32_MAX ? UINT32_MAX : (uint32_t)total);
        st_be32(b + hlen + 4, s->bs & 0xffffff);
    }
    return hlen + bdl;
}

int32_t sd_mode_sense(SCSIDiskState *s, SCSIRequest *req)
{
    const uint8_t *cdb = req->cdb;
    bool ten = cdb[0] == SCSI_MODE_SENSE_10;
    unsigned pc = cdb[2] >> 6;
    uint8_t page = cdb[2] & 0x3f;
    uint8_t *b = s->qdev.buf;
    uint32_t n;

    if (pc == 3) {
        scsi_req_fail(req, SENSE_CODE_SAVING_UNSUP);
        return 0;
    }
    if (cdb[3] && !(page == MODE_PAGE_ALL && cdb[3] == 0xff)) {
        scsi_req_fail(req, SENSE_CODE_INVALID_FIELD);       /* subpages */
        return 0;
    }
    n = sd_mode_header(s, b, ten, cdb[1] & 0x08);
    if (page == MODE_PAGE_ALL) {
        for (unsigned i = 0; i < sizeof(sd_all_pages); i++) {
            n += sd_mode_page(s, sd_all_pages[i], pc, b + n);
        }
    } else {
        unsigned len = sd_mode_page(s, page, pc, b + n);
        if (!len) {
            scsi_req_fail(req, SENSE_CODE_INVALID_FIELD);
            return 0;
        }
        n += len;
    }
    if (ten) {
        st_be16(b, (uint16_t)(n - 2));
    } else {
        b[0] = (uint8_t)(n - 1);
    }
    return scsi_req_reply(req, n, ten ? ld_be16(cdb + 7) : cdb[4]);
}

int32_t sd_mode_select(SCSIDiskState *s, SCSIRequest *req)
{
    bool ten = req->cdb[0] == SCSI_MODE_SELECT_10;
    uint32_t len = ten ? ld_be16(req->cdb + 7) : req->cdb[4];

    if (req->cdb[1] & 0x01) {   /* SP: no saved pages */
        scsi_req_fail(req, SENSE_CODE_INVALID_FIELD);
        return 0;
    }
    if (!len) {
        return 0;
    }
    req->op = SD_OP_MODE_SELECT;
    return scsi_req_expect(req, SCSI_XFER_TO_DEV, len);
}

/* One page of a MODE SELECT list: its length must be ours, and only the
 * changeable bits may differ from the current values (SPC-4 6.11). */
static bool sd_select_page(SCSIDiskState *s, const uint8_t *p, uint32_t left, bool apply,
                           uint32_t *used, SCSISense *err)
{
    uint8_t cur[32], mask[32];
    unsigned n;

    if (left < 2 || (uint32_t)p[1] + 2 > left) {
        *err = SENSE_CODE_PARAM_LIST_LEN;
        return false;
    }
    n = sd_mode_page(s, p[0] & 0x3f, 0, cur);
    if (!n || p[1] + 2u != n || (p[0] & 0x40)) {
        *err = SENSE_CODE_INVALID_PARAM;
        return false;
    }
    sd_mode_page(s, p[0] & 0x3f, 1, mask);
    for (unsigned i = 2; i < n; i++) {
        if ((p[i] ^ cur[i]) & ~mask[i]) {
            *err = SENSE_CODE_INVALID_PARAM;
            return false;
        }
    }
    if (apply && (p[0] & 0x3f) == MODE_PAGE_CACHING) {
        s->wce = p[2] & 0x04;
    } else if (apply && (p[0] & 0x3f) == MODE_PAGE_CONTROL) {
        s->qdev.dsense = p[2] & 0x04;
    }
    *used = n;
    return true;
}

static bool sd_select_pages(SCSIDiskState *s, const uint8_t *b, uint32_t len, bool apply,
                            SCSISense *err)
{
    for (uint32_t off = 0, used = 0; off < len; off += used) {
        if (!sd_select_page(s, b + off, len - off, apply, &used, err)) {
            return false;
        }
    }
    return true;
}

void sd_mode_select_data(SCSIDiskState *s, SCSIRequest *req)
{
    bool ten = req->cdb[0] == SCSI_MODE_SELECT_10;
    const uint8_t *b = s->qdev.buf;
    uint32_t len = req->xfer_len;
    uint32_t hlen = ten ? 8 : 4;
    uint32_t bdl;
    SCSISense err;

    if (len < hlen) {
        scsi_req_fail(req, SENSE_CODE_PARAM_LIST_LEN);
        return;
    }
    bdl = ten ? ld_be16(b + 6) : b[3];
    if ((bdl != 0 && bdl != 8) || hlen + bdl > len) {
        scsi_req_fail(req, bdl + hlen > len ? SENSE_CODE_PARAM_LIST_LEN
                                            : SENSE_CODE_INVALID_PARAM);
        return;
    }
    if (bdl && (ld_be_n(b + hlen + 5, 3) != s->bs)) {
        scsi_req_fail(req, SENSE_CODE_INVALID_PARAM);   /* no block size change */
        return;
    }
    b += hlen + bdl;
    len -= hlen + bdl;
    if (!sd_select_pages(s, b, len, false, &err)) {
        guest_error("scsi-disk: MODE SELECT list refused");
        scsi_req_fail(req, err);
        return;
    }
    sd_select_pages(s, b, len, true, &err);
    scsi_req_done(req);
}

/* ---------------------------------------------------------------------- */
/* scsi-cd: the MMC commands                                               */

static int32_t sd_mmc_reply(SCSIRequest *req, int len, uint32_t alloc)
{
    if (len < 0) {
        scsi_req_fail(req, SENSE_CODE_INVALID_FIELD);
        return 0;
    }
    return scsi_req_reply(req, (uint32_t)len, alloc);
}

/* READ CD (MMC-6 6.19): user data (10h) or whole raw sectors (F8h). */
static int32_t sd_read_cd(SCSIDiskState *s, SCSIRequest *req)
{
    const uint8_t *cdb = req->cdb;
    uint64_t lba = ld_be32(cdb + 2);
    uint32_t n = ((uint32_t)cdb[6] << 16) | ld_be16(cdb + 7);
    uint64_t total = sd_blocks(s);

    switch (cdb[9] & 0xf8) {
    case 0x00:
        return 0;
    case 0x10:
        break;
    case 0xf8:
        s->sector_bytes = MMC_RAW_SECTOR_SIZE;
        break;
    default:
        scsi_req_fail(req, SENSE_CODE_INVALID_FIELD);
        return 0;
    }
    if (lba > total || n > total - lba) {
        scsi_req_fail(req, SENSE_CODE_LBA_OUT_OF_RANGE);
        return 0;
    }
    if ((uint64_t)n * s->sector_bytes > SD_MAX_XFER_BYTES) {
        scsi_req_fail(req, SENSE_CODE_INVALID_FIELD);
        return 0;
    }
    if (!n) {
        return 0;
    }
    req->op = SD_OP_READ;
    req->lba = lba;
    req->blocks = n;
    return scsi_req_expect(req, SCSI_XFER_FROM_DEV, n * s->sector_bytes);
}

int32_t sd_mmc_command(SCSIDiskState *s, SCSIRequest *req, bool *handled)
{
    const uint8_t *cdb = req->cdb;
    MMCState m = sd_mmc_state(s);
    uint8_t *b = s->qdev.buf;
    SCSISense sense;
    int len;

    *handled = true;
    s->qdev.buf_live = SCSI_DEV_BUF_SIZE;
    switch (cdb[0]) {
    case SCSI_READ_TOC:
        return sd_mmc_reply(req, mmc_read_toc(&m, cdb, b), ld_be16(cdb + 7));
    case SCSI_GET_CONFIGURATION:
        return sd_mmc_reply(req, mmc_get_configuration(&m, cdb, b), ld_be16(cdb + 7));
    case SCSI_GET_EVENT_STATUS:
        len = mmc_get_event_status(&m, cdb, b);
        s->event_pending = m.event_pending;
        return sd_mmc_reply(req, len, ld_be16(cdb + 7));
    case SCSI_READ_DISC_INFO:
        return sd_mmc_reply(req, mmc_read_disc_info(cdb, b), ld_be16(cdb + 7));
    case SCSI_MECHANISM_STATUS:
        return sd_mmc_reply(req, mmc_mechanism_status(b), ld_be16(cdb + 8));
    case SCSI_READ_DVD_STRUCTURE:
        len = mmc_read_dvd_structure(&m, cdb, b, &sense);
        if (len < 0) {
            scsi_req_fail(req, sense);
            return 0;
        }
        return scsi_req_reply(req, (uint32_t)len, ld_be16(cdb + 8));
    case SCSI_READ_CD:
        return sd_read_cd(s, req);
    case SCSI_SEEK_10:
        if (ld_be32(cdb + 2) >= sd_blocks(s)) {
            scsi_req_fail(req, SENSE_CODE_LBA_OUT_OF_RANGE);
        }
        return 0;
    case SCSI_SET_CD_SPEED:
        return 0;
    default:
        *handled = false;
        return 0;
    }
}
