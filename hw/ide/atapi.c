/* SPDX-License-Identifier: MIT */
/*
 * The ATAPI packet device (a CD/DVD-ROM drive): the PACKET protocol of
 * ATA/ATAPI-6 section 9.8 (command packet, DRQ blocks bounded by the byte
 * count limit, interrupt reason in the sector count register) and the
 * packet commands of SFF-8020i / MMC-3 a driver sends, with sense data,
 * a media-change unit attention and media events. Replies are QEMU 7.2's
 * where QEMU has the command. Left out: audio, writing, changers, the
 * INQUIRY device identification page, MODE SELECT's effects (its data is
 * taken and ignored), DVD structures other than 00h, 01h, 04h and FFh.
 */
#include "hw/ide/ide.h"

#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"
#include "hw/scsi/mmc.h"

/* Packet commands (MMC-3 / SFF-8020i) */
#define GPCMD_TEST_UNIT_READY       0x00
#define GPCMD_REQUEST_SENSE         0x03
#define GPCMD_INQUIRY               0x12
#define GPCMD_START_STOP_UNIT       0x1b
#define GPCMD_PREVENT_ALLOW         0x1e
#define GPCMD_READ_CAPACITY         0x25
#define GPCMD_READ_10               0x28
#define GPCMD_SEEK_10               0x2b
#define GPCMD_READ_TOC_PMA_ATIP     0x43
#define GPCMD_GET_CONFIGURATION     0x46
#define GPCMD_GET_EVENT_STATUS      0x4a
#define GPCMD_READ_DISC_INFO        0x51
#define GPCMD_MODE_SELECT_10        0x55
#define GPCMD_MODE_SENSE_10         0x5a
#define GPCMD_READ_12               0xa8
#define GPCMD_READ_DVD_STRUCTURE    0xad
#define GPCMD_SET_SPEED             0xbb
#define GPCMD_MECHANISM_STATUS      0xbd
#define GPCMD_READ_CD               0xbe

/* Additional sense codes (SPC-3 4.5.6, MMC-3 annex F); the keys are
 * hw/scsi/scsi.h's */
#define SENSE_NONE                  SENSE_NO_SENSE
#define ASC_ILLEGAL_OPCODE          0x20
#define ASC_LBA_OUT_OF_RANGE        0x21
#define ASC_INV_FIELD_IN_CDB        0x24
#define ASC_MEDIUM_MAY_HAVE_CHANGED 0x28
#define ASC_SAVING_PARAMS_UNSUP     0x39
#define ASC_MEDIUM_NOT_PRESENT      0x3a
#define ASC_MEDIA_REMOVAL_PREVENTED 0x53

/* Interrupt reason (sector count register, 9.8): CoD, IO */
#define ATAPI_INT_CD                0x01
#define ATAPI_INT_IO                0x02

/* Commands a pending unit attention lets through, and those that need a
 * medium (MMC-3 4.1.6; QEMU's table). */
#define ATAPI_ALLOW_UA              0x01
#define ATAPI_CHECK_READY           0x02

static uint8_t atapi_cmd_flags(uint8_t op)
{
    switch (op) {
    case GPCMD_REQUEST_SENSE:
    case GPCMD_INQUIRY:
    case GPCMD_GET_CONFIGURATION:
    case GPCMD_GET_EVENT_STATUS:
        return ATAPI_ALLOW_UA;
    case GPCMD_TEST_UNIT_READY:
    case GPCMD_READ_CAPACITY:
    case GPCMD_READ_10:
    case GPCMD_READ_12:
    case GPCMD_READ_CD:
    case GPCMD_SEEK_10:
    case GPCMD_READ_TOC_PMA_ATIP:
    case GPCMD_READ_DISC_INFO:
        return ATAPI_CHECK_READY;
    default:
        return 0;
    }
}

static bool atapi_has_medium(const IDEDrive *s)
{
    return !s->tray_open && s->blk && s->blk->has_medium;
}

/* 2048-byte blocks on the medium. */
static uint64_t atapi_blocks(const IDEDrive *s)
{
    return atapi_has_medium(s) ? blk_size(s->blk) / IDE_CD_SECTOR_SIZE : 0;
}

/* The medium's state as the shared MMC replies take it. */
static MMCState atapi_mmc_state(const IDEDrive *s)
{
    return (MMCState){
        .blocks = atapi_blocks(s),
        .tray_open = s->tray_open,
        .tray_locked = s->tray_locked,
        .event_pending = s->event_pending,
    };
}

/* ---------------------------------------------------------------------- */
/* Completion                                                              */

static void atapi_set_reason(IDEDrive *s, uint8_t reason)
{
    s->nsector = (s->nsector & ~7) | reason;
}

static void atapi_end_data(IDEDrive *s)
{
    s->xfer = IDE_XFER_NONE;
    s->reply_left = 0;
    s->buf_pos = s->buf_len = 0;
    s->pio_pos = s->pio_end = 0;
    s->pio_end_kind = IDE_PIO_NONE;
}

static void atapi_cmd_ok(IDEDrive *s)
{
    atapi_end_data(s);
    s->error = 0;
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
    atapi_set_reason(s, ATAPI_INT_IO | ATAPI_INT_CD);
    ide_set_irq(s->bus);
}

/* CHECK CONDITION: the sense key in the error register (9.8). */
static void atapi_cmd_error(IDEDrive *s, uint8_t key, uint8_t asc)
{
    atapi_end_data(s);
    s->error = key << 4;
    s->status = IDE_STAT_DRDY | IDE_STAT_ERR;
    atapi_set_reason(s, ATAPI_INT_IO | ATAPI_INT_CD);
    s->sense_key = key;
    s->asc = asc;
    s->ascq = 0;
    ide_set_irq(s->bus);
}

void atapi_reset(IDEDrive *s)
{
    atapi_end_data(s);
    s->sense_key = s->asc = s->ascq = 0;
    s->unit_attention = false;
    s->event_pending = false;
    s->cd_sector_size = IDE_CD_SECTOR_SIZE;
    s->cd_hdr = 0;
    s->atapi_dma = false;
    memset(s->packet, 0, sizeof(s->packet));
}

/* A new medium (the tray closed on one): UNIT ATTENTION for the next
 * command, and a NewMedia event. */
void atapi_medium_changed(IDEDrive *s)
{
    s->unit_attention = true;
    s->event_pending = true;
}

/* ---------------------------------------------------------------------- */
/* Data phase                                                              */

/* The byte count limit (9.8.2): the host's, even, at most 0xfffe; 0 is
 * not allowed and taken as the largest. */
static uint32_t atapi_byte_limit(const IDEDrive *s)
{
    uint32_t limit = ((uint32_t)s->hcyl << 8) | s->lcyl;

    if (limit == 0 || limit == 0xffff) {
        limit = 0xfffe;
    }
    return limit & ~1u;
}

static void atapi_read_chunk(IDEDrive *s);

/* The next DRQ block of a PIO data-in phase, from the buffer. */
static void atapi_pio_block(IDEDrive *s)
{
    uint32_t size = MIN(s->reply_left, s->buf_len - s->buf_pos);
    uint32_t limit = atapi_byte_limit(s);

    if (size > limit) {
        size = limit;
    }
    s->lcyl = size;
    s->hcyl = size >> 8;
    atapi_set_reason(s, ATAPI_INT_IO);
    s->pio_pos = s->buf_pos;
    s->pio_end = s->buf_pos + size;
    s->pio_end_kind = IDE_PIO_ATAPI;
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ;
    ide_set_irq(s->bus);
}

/* The data phase goes on: the next block, the next read, or the end. */
static void atapi_data_next(IDEDrive *s)
{
    if (!s->reply_left) {
        atapi_cmd_ok(s);
    } else if (s->buf_pos < s->buf_len) {
        atapi_pio_block(s);
    } else if (s->xfer == IDE_XFER_CD_READ && s->left) {
        atapi_read_chunk(s);
    } else {
        atapi_cmd_ok(s);
    }
}

/* A reply of len bytes in buf, cut to the allocation length. */
static void atapi_reply(IDEDrive *s, uint32_t len, uint32_t max_len)
{
    len = MIN(len, max_len);
    s->buf_live = MAX(s->buf_live, len);
    s->buf_pos = 0;
    s->buf_len = len;
    s->reply_left = len;
    if (!len) {
        atapi_cmd_ok(s);
    } else if (s->atapi_dma) {
        s->dma = true;
        s->dma_waiting = true;
        s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ;
        if (s->bus->dma_ops && s->bus->dma_ops->running(s->bus->dma_opaque)) {
            ide_dma_start(s->bus);
        }
    } else {
        atapi_pio_block(s);
    }
}

static void atapi_run(IDEDrive *s);

/* The PIO block the guest moved is whole (or the command packet came). */
void atapi_pio_next(IDEDrive *s)
{
    IDEPioEnd kind = s->pio_end_kind;
    uint32_t block = s->pio_end - s->buf_pos;

    s->pio_end_kind = IDE_PIO_NONE;
    s->pio_pos = s->pio_end = 0;
    switch (kind) {
    case IDE_PIO_PACKET:
        memcpy(s->packet, s->buf, ATAPI_PACKET_SIZE);
        atapi_run(s);
        break;
    case IDE_PIO_ATAPI_OUT:
        atapi_cmd_ok(s);        /* MODE SELECT's parameters: taken */
        break;
    default:
        s->reply_left -= MIN(block, s->reply_left);
        s->buf_pos += block;
        atapi_data_next(s);
        break;
    }
}

/* ---------------------------------------------------------------------- */
/* Reads from the medium                                                   */

/* Reads the next blocks that fit in buf (BSY until they are there). */
static void atapi_read_chunk(IDEDrive *s)
{
    uint32_t n = MIN(s->left, IDE_BUF_SIZE / s->cd_sector_size);
    uint32_t bytes = n * IDE_CD_SECTOR_SIZE;
    uint32_t at = s->cd_sector_size == IDE_CD_SECTOR_SIZE ? 0 : IDE_BUF_SIZE - bytes;

    s->chunk = n;
    s->buf_live = IDE_BUF_SIZE;
    s->status = IDE_STAT_DRDY | IDE_STAT_BSY;
    if (!blk_req_submit(&s->req, s->blk, BLK_OP_READ, s->lba * IDE_CD_SECTOR_SIZE,
                        s->buf + at, bytes)) {
        emu_bug("atapi: request submitted twice");
    }
}

void atapi_read_done(IDEDrive *s, int ret)
{
    uint32_t n = s->chunk;

    if (ret < 0) {
        guest_error("atapi: read of block %llu failed (%d)", (unsigned long long)s->lba, ret);
        if (s->dma) {
            s->dma = s->dma_waiting = false;
            s->bus->dma_ops->end(s->bus->dma_opaque, true, false);
        }
        atapi_cmd_error(s, SENSE_NOT_READY, ASC_MEDIUM_NOT_PRESENT);
        return;
    }
    if (s->cd_sector_size != IDE_CD_SECTOR_SIZE) {
        mmc_expand_raw(s->buf, n, IDE_BUF_SIZE - n * IDE_CD_SECTOR_SIZE, s->lba);
    }
    s->buf_pos = 0;
    s->buf_len = n * s->cd_sector_size;
    s->lba += n;
    s->left -= n;
    if (s->dma) {
        atapi_dma_run(s);
    } else {
        atapi_pio_block(s);
    }
}

/* READ(10)/(12)/CD: n blocks from lba, sector_size bytes each to the
 * guest; the range is checked against the medium first (MMC-3 6.1.x:
 * LOGICAL BLOCK ADDRESS OUT OF RANGE). */
static void atapi_start_read(IDEDrive *s, uint64_t lba, uint32_t n, uint32_t sector_size)
{
    uint64_t total = atapi_blocks(s);

    if (lba > total || n > total - lba) {
        guest_error("atapi: read of %u blocks at %llu past the medium (%llu)", n,
                    (unsigned long long)lba, (unsigned long long)total);
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
        return;
    }
    if (!n) {
        atapi_cmd_ok(s);
        return;
    }
    s->xfer = IDE_XFER_CD_READ;
    s->lba = lba;
    s->left = n;
    s->cd_sector_size = sector_size;
    s->reply_left = n * sector_size;
    s->buf_pos = s->buf_len = 0;
    if (s->atapi_dma) {
        s->dma = true;
        s->dma_waiting = true;
        s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ;
        if (s->bus->dma_ops && s->bus->dma_ops->running(s->bus->dma_opaque)) {
            ide_dma_start(s->bus);
        }
        return;
    }
    atapi_read_chunk(s);
}

/* The engine runs: give it what the buffer holds, then read on. */
void atapi_dma_run(IDEDrive *s)
{
    IDEBus *bus = s->bus;
    uint32_t len;

    s->dma_waiting = false;
    if (s->xfer == IDE_XFER_CD_READ && s->buf_pos >= s->buf_len) {
        if (s->left) {
            atapi_read_chunk(s);
            s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ;
            return;
        }
    }
    len = MIN(s->reply_left, s->buf_len - s->buf_pos);
    if (bus->dma_ops->rw(bus->dma_opaque, s->buf + s->buf_pos, len, true) < len) {
        s->dma = false;
        atapi_end_data(s);
        s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
        bus->dma_ops->end(bus->dma_opaque, false, true);
        return;
    }
    s->buf_pos += len;
    s->reply_left -= len;
    if (s->reply_left && s->xfer == IDE_XFER_CD_READ && s->left) {
        atapi_read_chunk(s);
        s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ;
        return;
    }
    s->dma = false;
    bus->dma_ops->end(bus->dma_opaque, false, false);
    atapi_cmd_ok(s);
}

/* ---------------------------------------------------------------------- */
/* Commands                                                                */

static void cmd_request_sense(IDEDrive *s, const uint8_t *cdb)
{
    uint8_t *b = s->buf;

    memset(b, 0, 18);
    b[0] = 0x70 | 0x80;         /* current error, fixed format, valid */
    b[2] = s->sense_key;
    b[7] = 10;
    b[12] = s->asc;
    b[13] = s->ascq;
    if (s->sense_key == SENSE_UNIT_ATTENTION) {
        s->sense_key = SENSE_NONE;
    }
    atapi_reply(s, 18, cdb[4]);
}

/* INQUIRY (SPC-3 6.4): standard data as QEMU's; of the vital product data
 * pages, only the list of pages. */
static void cmd_inquiry(IDEDrive *s, const uint8_t *cdb)
{
    uint8_t *b = s->buf;
    uint32_t max_len = ld_be16(cdb + 3);

    if (cdb[1] & 1) {
        if (cdb[2] != 0x00) {
            atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INV_FIELD_IN_CDB);
            return;
        }
        memset(b, 0, 5);
        b[0] = 0x05;
        b[3] = 1;               /* page length: one page, 00h */
        atapi_reply(s, 5, max_len);
        return;
    }
    memset(b, 0, 36);
    b[0] = 0x05;                /* CD/DVD device */
    b[1] = 0x80;                /* removable */
    b[3] = 0x21;                /* ATAPI, response format 1 */
    b[4] = 31;
    mmc_pad(b + 8, "QEMU", 8);
    mmc_pad(b + 16, "QEMU DVD-ROM", 16);
    mmc_pad(b + 32, "2.5+", 4);
    atapi_reply(s, 36, max_len);
}

static void cmd_read_capacity(IDEDrive *s)
{
    uint64_t total = atapi_blocks(s);

    st_be32(s->buf, total ? (uint32_t)MIN(total - 1, UINT32_MAX) : 0);
    st_be32(s->buf + 4, IDE_CD_SECTOR_SIZE);
    atapi_reply(s, 8, 8);
}

static void cmd_read_cd(IDEDrive *s, const uint8_t *cdb)
{
    uint32_t lba = ld_be32(cdb + 2);
    uint32_t n = ((uint32_t)cdb[6] << 16) | ld_be16(cdb + 7);

    if (!n) {
        atapi_cmd_ok(s);
        return;
    }
    /* Byte 9: which fields of each sector (MMC-3 table 201). */
    switch (cdb[9] & 0xf8) {
    case 0x00:
        atapi_cmd_ok(s);
        break;
    case 0x10:
        atapi_start_read(s, lba, n, IDE_CD_SECTOR_SIZE);
        break;
    case 0xf8:
        atapi_start_read(s, lba, n, MMC_RAW_SECTOR_SIZE);
        break;
    default:
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INV_FIELD_IN_CDB);
        break;
    }
}

static void cmd_seek(IDEDrive *s, const uint8_t *cdb)
{
    if (ld_be32(cdb + 2) >= atapi_blocks(s)) {
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
        return;
    }
    atapi_cmd_ok(s);
}

static void cmd_start_stop(IDEDrive *s, const uint8_t *cdb)
{
    bool start = cdb[4] & 1;
    bool loej = cdb[4] & 2;

    if (loej) {
        if (!start && !s->tray_open && s->tray_locked) {
            atapi_cmd_error(s, atapi_has_medium(s) ? SENSE_NOT_READY : SENSE_ILLEGAL_REQUEST,
                            ASC_MEDIA_REMOVAL_PREVENTED);
            s->ascq = 2;
            return;
        }
        if (s->tray_open == start) {
            s->tray_open = !start;
            if (start && s->blk && s->blk->has_medium) {
                atapi_medium_changed(s);    /* the medium loaded again */
            }
        }
    }
    atapi_cmd_ok(s);
}

/* READ TOC/PMA/ATIP (MMC-3 6.25), formats 0, 1 and 2, one data track. */
static void cmd_read_toc(IDEDrive *s, const uint8_t *cdb)
{
    MMCState m = atapi_mmc_state(s);
    int len = mmc_read_toc(&m, cdb, s->buf);

    if (len < 0) {
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INV_FIELD_IN_CDB);
        return;
    }
    atapi_reply(s, len, ld_be16(cdb + 7));
}

/* Mode parameter header (10) before a page of len - 8 bytes. */
static void atapi_mode_header(uint8_t *b, uint32_t len)
{
    memset(b, 0, 8);
    st_be16(b, len - 2);
    b[2] = 0x70;                /* medium type, as QEMU */
}

static void cmd_mode_sense(IDEDrive *s, const uint8_t *cdb)
{
    uint8_t *b = s->buf;
    uint32_t max_len = ld_be16(cdb + 7);
    uint8_t page = cdb[2] & 0x3f;
    uint32_t len;

    switch (cdb[2] >> 6) {
    case 0:
        break;
    case 3:
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_SAVING_PARAMS_UNSUP);
        return;
    default:
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INV_FIELD_IN_CDB);
        return;
    }
    switch (page) {
    case MODE_PAGE_R_W_ERROR:
        len = 8 + mmc_mode_page_rw_error(b + 8);
        break;
    case MODE_PAGE_AUDIO_CTL:
        len = 24;
        memset(b + 8, 0, len - 8);
        b[8] = page;
        b[9] = len - 10;
        break;
    case MODE_PAGE_CAPABILITIES: {
        MMCState m = atapi_mmc_state(s);
        len = 8 + mmc_mode_page_caps(&m, b + 8);
        break;
    }
    default:
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INV_FIELD_IN_CDB);
        return;
    }
    atapi_mode_header(b, len);
    atapi_reply(s, len, max_len);
}

/* MODE SELECT(10): the parameter list is taken from the host and ignored
 * (no page here is changeable). */
static void cmd_mode_select(IDEDrive *s, const uint8_t *cdb)
{
    uint32_t len = ld_be16(cdb + 7);     /* at most 64 KiB: fits buf */

    if (!len) {
        atapi_cmd_ok(s);
        return;
    }
    if (s->atapi_dma) {
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INV_FIELD_IN_CDB);
        return;
    }
    s->lcyl = len;
    s->hcyl = len >> 8;
    atapi_set_reason(s, 0);
    s->buf_pos = 0;
    ide_pio_start(s, MIN(len, atapi_byte_limit(s)), IDE_PIO_ATAPI_OUT);
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ;
    ide_set_irq(s->bus);
}

static void atapi_reply_or_fail(IDEDrive *s, int len, uint32_t max_len)
{
    if (len < 0) {
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INV_FIELD_IN_CDB);
        return;
    }
    atapi_reply(s, len, max_len);
}

/* GET CONFIGURATION (MMC-3 6.6): the profile list, core and removable
 * medium features. */
static void cmd_get_configuration(IDEDrive *s, const uint8_t *cdb)
{
    MMCState m = atapi_mmc_state(s);

    atapi_reply_or_fail(s, mmc_get_configuration(&m, cdb, s->buf), ld_be16(cdb + 7));
}

/* GET EVENT STATUS NOTIFICATION (MMC-3 6.7), polled only: the media
 * class. */
static void cmd_get_event_status(IDEDrive *s, const uint8_t *cdb)
{
    MMCState m = atapi_mmc_state(s);
    int len = mmc_get_event_status(&m, cdb, s->buf);

    s->event_pending = m.event_pending;
    atapi_reply_or_fail(s, len, ld_be16(cdb + 7));
}

/* READ DVD STRUCTURE (MMC-3 6.24). */
static void cmd_read_dvd_structure(IDEDrive *s, const uint8_t *cdb)
{
    MMCState m = atapi_mmc_state(s);
    SCSISense sense;
    int len = mmc_read_dvd_structure(&m, cdb, s->buf, &sense);

    if (len < 0) {
        atapi_cmd_error(s, sense.key, sense.asc);
        return;
    }
    atapi_reply(s, len, ld_be16(cdb + 8));
}

static void atapi_dispatch(IDEDrive *s, const uint8_t *cdb)
{
    switch (cdb[0]) {
    case GPCMD_TEST_UNIT_READY:   atapi_cmd_ok(s); break;
    case GPCMD_REQUEST_SENSE:     cmd_request_sense(s, cdb); break;
    case GPCMD_INQUIRY:           cmd_inquiry(s, cdb); break;
    case GPCMD_START_STOP_UNIT:   cmd_start_stop(s, cdb); break;
    case GPCMD_PREVENT_ALLOW:
        s->tray_locked = cdb[4] & 1;
        atapi_cmd_ok(s);
        break;
    case GPCMD_READ_CAPACITY:     cmd_read_capacity(s); break;
    case GPCMD_READ_10:
        atapi_start_read(s, ld_be32(cdb + 2), ld_be16(cdb + 7), IDE_CD_SECTOR_SIZE);
        break;
    case GPCMD_READ_12:
        atapi_start_read(s, ld_be32(cdb + 2), ld_be32(cdb + 6), IDE_CD_SECTOR_SIZE);
        break;
    case GPCMD_READ_CD:           cmd_read_cd(s, cdb); break;
    case GPCMD_SEEK_10:           cmd_seek(s, cdb); break;
    case GPCMD_READ_TOC_PMA_ATIP: cmd_read_toc(s, cdb); break;
    case GPCMD_GET_CONFIGURATION: cmd_get_configuration(s, cdb); break;
    case GPCMD_GET_EVENT_STATUS:  cmd_get_event_status(s, cdb); break;
    case GPCMD_READ_DISC_INFO:
        atapi_reply_or_fail(s, mmc_read_disc_info(cdb, s->buf), ld_be16(cdb + 7));
        break;
    case GPCMD_MODE_SELECT_10:    cmd_mode_select(s, cdb); break;
    case GPCMD_MODE_SENSE_10:     cmd_mode_sense(s, cdb); break;
    case GPCMD_READ_DVD_STRUCTURE: cmd_read_dvd_structure(s, cdb); break;
    case GPCMD_SET_SPEED:         atapi_cmd_ok(s); break;
    case GPCMD_MECHANISM_STATUS:
        atapi_reply(s, mmc_mechanism_status(s->buf), ld_be16(cdb + 8));
        break;
    default:
        guest_error("atapi: packet command %#x not supported", cdb[0]);
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_ILLEGAL_OPCODE);
        break;
    }
}

/* The command packet is in: a pending unit attention or a missing medium
 * fails it first (MMC-3 4.1.6). */
static void atapi_run(IDEDrive *s)
{
    const uint8_t *cdb = s->packet;
    uint8_t flags = atapi_cmd_flags(cdb[0]);

    if (s->unit_attention && !(flags & ATAPI_ALLOW_UA)) {
        s->unit_attention = false;
        atapi_cmd_error(s, SENSE_UNIT_ATTENTION, ASC_MEDIUM_MAY_HAVE_CHANGED);
        return;
    }
    if ((flags & ATAPI_CHECK_READY) && !atapi_has_medium(s)) {
        atapi_cmd_error(s, SENSE_NOT_READY, ASC_MEDIUM_NOT_PRESENT);
        return;
    }
    if (cdb[0] != GPCMD_REQUEST_SENSE) {
        s->sense_key = s->asc = s->ascq = 0;
    }
    atapi_dispatch(s, cdb);
}

/* PACKET (8.21): the 12-byte command comes through the data register;
 * feature bit 0 asks for its data by DMA. */
void atapi_packet_cmd(IDEDrive *s)
{
    s->atapi_dma = s->feature & 1;
    ide_pio_start(s, ATAPI_PACKET_SIZE, IDE_PIO_PACKET);
    atapi_set_reason(s, ATAPI_INT_CD);
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ;
}
