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

/* Sense keys and additional sense codes (SPC-3 4.5.6, MMC-3 annex F) */
#define SENSE_NONE                  0x00
#define SENSE_NOT_READY             0x02
#define SENSE_ILLEGAL_REQUEST       0x05
#define SENSE_UNIT_ATTENTION        0x06
#define ASC_ILLEGAL_OPCODE          0x20
#define ASC_LBA_OUT_OF_RANGE        0x21
#define ASC_INV_FIELD_IN_CDB        0x24
#define ASC_MEDIUM_MAY_HAVE_CHANGED 0x28
#define ASC_INCOMPATIBLE_FORMAT     0x30
#define ASC_SAVING_PARAMS_UNSUP     0x39
#define ASC_MEDIUM_NOT_PRESENT      0x3a
#define ASC_MEDIA_REMOVAL_PREVENTED 0x53

/* Interrupt reason (sector count register, 9.8): CoD, IO */
#define ATAPI_INT_CD                0x01
#define ATAPI_INT_IO                0x02

/* Mode pages */
#define MODE_PAGE_R_W_ERROR         0x01
#define MODE_PAGE_AUDIO_CTL         0x0e
#define MODE_PAGE_CAPABILITIES      0x2a

/* Media */
#define CD_RAW_SECTOR_SIZE          2352
#define CD_SYNC_HDR                 16          /* sync and header of a raw sector */
#define CD_MAX_BLOCKS               (80 * 60 * 75)  /* past it, a DVD */
#define CD_MSF_OFFSET               150
#define MMC_PROFILE_NONE            0x0000
#define MMC_PROFILE_CD_ROM          0x0008
#define MMC_PROFILE_DVD_ROM         0x0010

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

static void atapi_lba_to_msf(uint8_t *p, uint64_t lba)
{
    lba += CD_MSF_OFFSET;
    p[0] = (lba / 75) / 60;
    p[1] = (lba / 75) % 60;
    p[2] = lba % 75;
}

/* Blocks of 2048 bytes as 2352-byte raw mode-1 sectors (sync, header with
 * the MSF address, user data, EDC/ECC as zeros, as QEMU): the data was
 * read to the end of buf and moves forward into place. */
static void atapi_expand_raw(IDEDrive *s, uint32_t n, uint32_t src)
{
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *d = s->buf + (size_t)i * CD_RAW_SECTOR_SIZE;
        memmove(d + CD_SYNC_HDR, s->buf + src + (size_t)i * IDE_CD_SECTOR_SIZE,
                IDE_CD_SECTOR_SIZE);
        d[0] = 0x00;
        memset(d + 1, 0xff, 10);
        d[11] = 0x00;
        atapi_lba_to_msf(d + 12, s->lba + i);
        d[15] = 0x01;
        memset(d + CD_SYNC_HDR + IDE_CD_SECTOR_SIZE, 0,
               CD_RAW_SECTOR_SIZE - CD_SYNC_HDR - IDE_CD_SECTOR_SIZE);
    }
}

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
        atapi_expand_raw(s, n, IDE_BUF_SIZE - n * IDE_CD_SECTOR_SIZE);
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

static void atapi_pad(uint8_t *p, const char *str, size_t len)
{
    size_t n = strlen(str);
    for (size_t i = 0; i < len; i++) {
        p[i] = i < n ? str[i] : ' ';
    }
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
    atapi_pad(b + 8, "QEMU", 8);
    atapi_pad(b + 16, "QEMU DVD-ROM", 16);
    atapi_pad(b + 32, "2.5+", 4);
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
        atapi_start_read(s, lba, n, CD_RAW_SECTOR_SIZE);
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
static uint32_t atapi_toc_entry(uint8_t *q, uint8_t ctl, uint8_t track, bool msf,
                                uint64_t lba)
{
    q[0] = 0;
    q[1] = ctl;
    q[2] = track;
    q[3] = 0;
    if (msf) {
        q[4] = 0;
        atapi_lba_to_msf(q + 5, lba);
    } else {
        st_be32(q + 4, (uint32_t)lba);
    }
    return 8;
}

static int atapi_toc(IDEDrive *s, bool msf, uint8_t start)
{
    uint8_t *b = s->buf;
    uint32_t len = 4;

    if (start > 1 && start != 0xaa) {
        return -1;
    }
    b[2] = 1;
    b[3] = 1;
    if (start <= 1) {
        len += atapi_toc_entry(b + len, 0x14, 1, msf, 0);
    }
    len += atapi_toc_entry(b + len, 0x16, 0xaa, msf, atapi_blocks(s));
    st_be16(b, len - 2);
    return len;
}

/* Raw TOC: the A0h, A1h, A2h points and track 1 of session 1. */
static uint32_t atapi_toc_raw(IDEDrive *s, bool msf)
{
    static const uint8_t points[] = { 0xa0, 0xa1, 0xa2, 0x01 };
    uint8_t *b = s->buf;
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
                atapi_lba_to_msf(q + 8, atapi_blocks(s));
            } else {
                st_be32(q + 7, (uint32_t)atapi_blocks(s));
            }
        } else if (msf) {
            atapi_lba_to_msf(q + 8, 0);
        }
    }
    st_be16(b, (q - b) - 2);
    return q - b;
}

static void cmd_read_toc(IDEDrive *s, const uint8_t *cdb)
{
    bool msf = cdb[1] & 2;
    uint32_t max_len = ld_be16(cdb + 7);
    int len;

    switch (cdb[9] >> 6) {
    case 0:
        len = atapi_toc(s, msf, cdb[6]);
        if (len < 0) {
            atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INV_FIELD_IN_CDB);
            return;
        }
        atapi_reply(s, len, max_len);
        break;
    case 1:                     /* multi-session: one session */
        memset(s->buf, 0, 12);
        s->buf[1] = 0x0a;
        s->buf[2] = 1;
        s->buf[3] = 1;
        atapi_reply(s, 12, max_len);
        break;
    case 2:
        atapi_reply(s, atapi_toc_raw(s, msf), max_len);
        break;
    default:
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INV_FIELD_IN_CDB);
        break;
    }
}

/* Mode parameter header (10) and a page of len bytes in all. */
static void atapi_mode_header(uint8_t *b, uint32_t len, uint8_t page)
{
    memset(b, 0, len);
    st_be16(b, len - 2);
    b[2] = 0x70;                /* medium type, as QEMU */
    b[8] = page;
    b[9] = len - 10;
}

static void cmd_mode_sense(IDEDrive *s, const uint8_t *cdb)
{
    uint8_t *b = s->buf;
    uint32_t max_len = ld_be16(cdb + 7);
    uint8_t page = cdb[2] & 0x3f;

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
        atapi_mode_header(b, 16, page);
        b[11] = 0x05;           /* read retry count */
        atapi_reply(s, 16, max_len);
        break;
    case MODE_PAGE_AUDIO_CTL:
        atapi_mode_header(b, 24, page);
        atapi_reply(s, 24, max_len);
        break;
    case MODE_PAGE_CAPABILITIES:
        atapi_mode_header(b, 30, page);
        b[10] = 0x3b;           /* reads CD-R/RW, DVD-ROM/R/RAM */
        b[12] = 0x71;           /* audio play, ... */
        b[13] = 3 << 5;
        b[14] = 0x29 | (s->tray_locked ? 0x02 : 0);  /* lock, eject, tray */
        st_be16(b + 16, 704);   /* 4x */
        b[19] = 2;
        st_be16(b + 20, 512);
        st_be16(b + 22, 704);
        atapi_reply(s, 30, max_len);
        break;
    default:
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INV_FIELD_IN_CDB);
        break;
    }
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

static uint16_t atapi_profile(const IDEDrive *s)
{
    uint64_t n = atapi_blocks(s);

    if (!n) {
        return MMC_PROFILE_NONE;
    }
    return n > CD_MAX_BLOCKS ? MMC_PROFILE_DVD_ROM : MMC_PROFILE_CD_ROM;
}

/* GET CONFIGURATION (MMC-3 6.6): the profile list, core and removable
 * medium features. */
static void cmd_get_configuration(IDEDrive *s, const uint8_t *cdb)
{
    uint8_t *b = s->buf;
    uint16_t cur = atapi_profile(s);
    uint32_t len = 8;

    if ((cdb[1] & 3) == 3) {
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INV_FIELD_IN_CDB);
        return;
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
    /* 0001h core: ATAPI */
    st_be16(b + len, 0x0001);
    b[len + 2] = 0x0b;          /* version 2, persistent, current */
    b[len + 3] = 8;
    st_be32(b + len + 4, 2);
    b[len + 8] = 1;             /* DBE */
    len += 12;
    /* 0003h removable medium: tray, eject, lock */
    st_be16(b + len, 0x0003);
    b[len + 2] = 0x03;
    b[len + 3] = 4;
    b[len + 4] = 0x29 | (s->tray_locked ? 0x04 : 0);
    len += 8;
    st_be32(b, len - 4);
    atapi_reply(s, len, ld_be16(cdb + 7));
}

/* GET EVENT STATUS NOTIFICATION (MMC-3 6.7), polled only: the media
 * class. */
static void cmd_get_event_status(IDEDrive *s, const uint8_t *cdb)
{
    uint8_t *b = s->buf;
    uint32_t max_len = ld_be16(cdb + 7);

    if (!(cdb[1] & 1)) {
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INV_FIELD_IN_CDB);
        return;
    }
    memset(b, 0, 8);
    b[3] = 0x10;                /* supported: media */
    if (!(cdb[4] & 0x10)) {
        b[2] = 0x80;            /* no event available */
        atapi_reply(s, 4, max_len);
        return;
    }
    st_be16(b, 6);
    b[2] = 0x04;                /* media class */
    if (s->event_pending) {
        b[4] = 0x02;            /* NewMedia */
        s->event_pending = false;
    }
    b[5] = (atapi_has_medium(s) ? 0x02 : 0) | (s->tray_open ? 0x01 : 0);
    atapi_reply(s, 8, max_len);
}

static void cmd_read_disc_info(IDEDrive *s, const uint8_t *cdb)
{
    uint8_t *b = s->buf;

    if (cdb[1] & 7) {           /* types 1 and 2: Blu-ray only */
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INV_FIELD_IN_CDB);
        return;
    }
    memset(b, 0, 34);
    b[1] = 32;
    b[2] = 0x0e;                /* last session complete, disc finalized */
    b[3] = 1;
    b[4] = 1;
    b[5] = 1;
    b[6] = 1;
    b[7] = 0x20;                /* unrestricted use */
    atapi_reply(s, 34, ld_be16(cdb + 7));
}

static void cmd_mechanism_status(IDEDrive *s, const uint8_t *cdb)
{
    memset(s->buf, 0, 8);
    s->buf[5] = 1;              /* one slot */
    atapi_reply(s, 8, ld_be16(cdb + 8));
}

/* READ DVD STRUCTURE (MMC-3 6.24) for a DVD: physical format (00h),
 * copyright (01h), manufacturing data (04h), the list (FFh). */
static void cmd_read_dvd_structure(IDEDrive *s, const uint8_t *cdb)
{
    uint8_t *b = s->buf;
    uint32_t max_len = ld_be16(cdb + 8);
    uint64_t total = atapi_blocks(s);
    uint32_t len;

    if (cdb[7] != 0xff && (cdb[7] >= 0xc0 || !total)) {
        atapi_cmd_error(s, total ? SENSE_ILLEGAL_REQUEST : SENSE_NOT_READY,
                        total ? ASC_INV_FIELD_IN_CDB : ASC_MEDIUM_NOT_PRESENT);
        return;
    }
    if (cdb[7] != 0xff && atapi_profile(s) != MMC_PROFILE_DVD_ROM) {
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INCOMPATIBLE_FORMAT);
        return;
    }
    memset(b, 0, 2048 + 4);
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
        len = 4 + 2048;
        break;
    case 0xff:
        b[4] = 0x00; b[5] = 0x40; st_be16(b + 6, 2048 + 4);
        b[8] = 0x01; b[9] = 0x40; st_be16(b + 10, 4 + 4);
        b[12] = 0x04; b[13] = 0x40; st_be16(b + 14, 2048 + 4);
        b[16] = 0xff; b[17] = 0x40; st_be16(b + 18, 4 + 16);
        len = 4 + 16;
        break;
    default:
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INV_FIELD_IN_CDB);
        return;
    }
    st_be16(b, len - 2);
    atapi_reply(s, len, max_len);
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
    case GPCMD_READ_DISC_INFO:    cmd_read_disc_info(s, cdb); break;
    case GPCMD_MODE_SELECT_10:    cmd_mode_select(s, cdb); break;
    case GPCMD_MODE_SENSE_10:     cmd_mode_sense(s, cdb); break;
    case GPCMD_READ_DVD_STRUCTURE: cmd_read_dvd_structure(s, cdb); break;
    case GPCMD_SET_SPEED:         atapi_cmd_ok(s); break;
    case GPCMD_MECHANISM_STATUS:  cmd_mechanism_status(s, cdb); break;
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
