/* SPDX-License-Identifier: MIT */
/*
 * scsi-hd and scsi-cd, QEMU's -device scsi-hd,drive=ID and scsi-cd: a
 * direct-access block device after SBC-3 and a CD/DVD-ROM after MMC-6,
 * on the SCSI bus (scsi-bus.h), the medium behind hw/backend/block.h.
 * This file: the types, the dispatch, and the data path (READ, WRITE,
 * VERIFY, WRITE SAME, UNMAP, SYNCHRONIZE CACHE) in chunks of the device's
 * buffer, each through a BlockRequest completed in a bottom half. Left
 * out: protection information, ATA PASS-THROUGH, persistent
 * reservations, FUA's effect (writes are never cached), the tray's eject
 * of a scsi-hd; commands larger than the Block Limits page's are refused
 * where QEMU splits them (SBC-3 6.5.3 lets the device say so).
 */
#include "hw/scsi/scsi-disk.h"

#include <errno.h>
#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"
#include "hw/devices.h"

bool sd_has_medium(const SCSIDiskState *s)
{
    return !s->tray_open && s->blk && s->blk->has_medium;
}

uint64_t sd_blocks(const SCSIDiskState *s)
{
    return sd_has_medium(s) ? blk_size(s->blk) / s->bs : 0;
}

MMCState sd_mmc_state(const SCSIDiskState *s)
{
    return (MMCState){
        .blocks = s->is_cd ? sd_blocks(s) : 0,
        .tray_open = s->tray_open,
        .tray_locked = s->tray_locked,
        .event_pending = s->event_pending,
        .scsi = true,
    };
}

/* ---------------------------------------------------------------------- */
/* The medium's data path                                                  */

/* Blocks of the next chunk: what the buffer holds. */
static uint32_t sd_chunk_blocks(const SCSIDiskState *s, const SCSIRequest *req)
{
    uint32_t n = SCSI_DEV_BUF_SIZE / s->sector_bytes;

    return req->blocks < n ? req->blocks : n;
}

static void sd_submit(SCSIDiskState *s, SCSIRequest *req, BlockOp op, void *buf,
                      size_t len)
{
    req->state = SCSI_REQ_WAITING;
    if (!blk_req_submit(&s->breq, s->blk, op, req->lba * s->bs, buf, len)) {
        emu_bug("scsi-disk: request submitted twice");
    }
}

/* READ: the next chunk into the buffer (raw CD sectors at its end). */
static void sd_read_next(SCSIDiskState *s, SCSIRequest *req)
{
    uint32_t n = sd_chunk_blocks(s, req);
    uint32_t bytes = n * s->bs;
    uint32_t at = s->sector_bytes == s->bs ? 0 : SCSI_DEV_BUF_SIZE - bytes;

    if (!n) {
        scsi_req_done(req);
        return;
    }
    req->chunk = n;
    s->qdev.buf_live = SCSI_DEV_BUF_SIZE;
    sd_submit(s, req, BLK_OP_READ, s->qdev.buf + at, bytes);
}

/* WRITE: ask the HBA for the next chunk, or write the one it gave. */
static void sd_write_next(SCSIDiskState *s, SCSIRequest *req)
{
    uint32_t n;

    if (req->chunk) {
        sd_submit(s, req, BLK_OP_WRITE, s->qdev.buf, (size_t)req->chunk * s->bs);
        return;
    }
    n = sd_chunk_blocks(s, req);
    if (!n) {
        scsi_req_done(req);
        return;
    }
    req->chunk = n;
    s->qdev.buf_live = SCSI_DEV_BUF_SIZE;
    scsi_req_data(req, s->qdev.buf, n * s->bs);
}

/* WRITE SAME: the block the HBA gave, repeated over a chunk, written
 * chunk by chunk; with UNMAP and a block of zeros, the range discarded
 * (SBC-3 5.42: the device may unmap instead of writing zeros). */
static void sd_write_same_next(SCSIDiskState *s, SCSIRequest *req)
{
    uint32_t per = SCSI_DEV_BUF_SIZE / s->bs;
    uint32_t n = req->blocks < per ? req->blocks : per;
    bool zero = true;

    if (!req->blocks) {
        scsi_req_done(req);
        return;
    }
    if (!req->chunk) {          /* the block is in: spread it */
        for (uint32_t i = 0; i < s->bs && zero; i++) {
            zero = s->qdev.buf[i] == 0;
        }
        if (zero && (req->cdb[1] & 0x08)) {
            req->chunk = req->blocks;
            sd_submit(s, req, BLK_OP_DISCARD, NULL, (size_t)req->blocks * s->bs);
            return;
        }
        for (uint32_t i = 1; i < per; i++) {
            memcpy(s->qdev.buf + (size_t)i * s->bs, s->qdev.buf, s->bs);
        }
        s->qdev.buf_live = SCSI_DEV_BUF_SIZE;
    }
    req->chunk = n;
    sd_submit(s, req, BLK_OP_WRITE, s->qdev.buf, (size_t)n * s->bs);
}

/* UNMAP's parameter list (SBC-3 5.28): the lengths agree with each other
 * and with the CDB's, every range is on the medium; then each is freed. */
static void sd_unmap_data(SCSIDiskState *s, SCSIRequest *req)
{
    const uint8_t *b = s->qdev.buf;
    uint32_t len = req->xfer_len;
    uint32_t bdl = ld_be16(b + 2);
    uint32_t count = bdl / 16;
    uint64_t total = sd_blocks(s);

    if (len < 8 || ld_be16(b) + 2u > len || bdl + 8 > len || bdl % 16) {
        guest_error("scsi-disk: UNMAP list of %u bytes says %u and %u", len, ld_be16(b),
                    bdl);
        scsi_req_fail(req, SENSE_CODE_PARAM_LIST_LEN);
        return;
    }
    if (count > SD_MAX_UNMAP_DESC) {
        scsi_req_fail(req, SENSE_CODE_INVALID_PARAM);
        return;
    }
    for (uint32_t i = 0; i < count; i++) {
        uint64_t lba = ld_be64(b + 8 + 16 * i);
        uint32_t n = ld_be32(b + 8 + 16 * i + 8);
        if (lba > total || n > total - lba) {
            scsi_req_fail(req, SENSE_CODE_LBA_OUT_OF_RANGE);
            return;
        }
        if (n > SD_MAX_UNMAP_BLOCKS) {
            scsi_req_fail(req, SENSE_CODE_INVALID_PARAM);
            return;
        }
    }
    for (uint32_t i = 0; i < count; i++) {
        uint64_t lba = ld_be64(b + 8 + 16 * i);
        uint64_t n = ld_be32(b + 8 + 16 * i + 8);
        blk_discard(s->blk, lba * s->bs, n * s->bs);
    }
    scsi_req_done(req);
}

/* A BlockRequest ended (a bottom half, entered as the HBA). */
static void sd_block_done(void *opaque, int ret)
{
    SCSIDiskState *s = opaque;
    SCSIRequest *req = s->qdev.active;
    uint32_t n;

    object_touch(&s->qdev.obj);
    if (!req || req->state != SCSI_REQ_WAITING) {
        emu_bug("scsi-disk: a block completion with no request waiting");
    }
    req->state = SCSI_REQ_DATA;
    if (ret < 0) {
        guest_error("scsi-disk: block %llu: error %d", (unsigned long long)req->lba, ret);
        scsi_req_fail(req, ret == -ENOMEDIUM ? SENSE_CODE_NO_MEDIUM :
                           req->op == SD_OP_READ ? SENSE_CODE_READ_ERROR :
                           SENSE_CODE_WRITE_ERROR);
        return;
    }
    n = req->chunk;
    req->chunk = 0;
    if (req->op == SD_OP_SYNC) {
        scsi_req_done(req);
        return;
    }
    req->lba += n;
    req->blocks -= n;
    switch (req->op) {
    case SD_OP_READ:
        if (s->sector_bytes != s->bs) {
            mmc_expand_raw(s->qdev.buf, n, SCSI_DEV_BUF_SIZE - n * s->bs, req->lba - n);
        }
        scsi_req_data(req, s->qdev.buf, n * s->sector_bytes);
        break;
    case SD_OP_WRITE:
        sd_write_next(s, req);
        break;
    case SD_OP_WRITE_SAME:
        req->chunk = n;         /* the buffer holds the pattern still */
        sd_write_same_next(s, req);
        break;
    default:
        emu_bug("scsi-disk: op %u completed a block request", req->op);
    }
}

/* ---------------------------------------------------------------------- */
/* Commands with a medium phase                                            */

/* The range is on the medium and the transfer within the Block Limits
 * page's (SBC-3 4.5: LOGICAL BLOCK ADDRESS OUT OF RANGE). */
static bool sd_check_range(SCSIDiskState *s, SCSIRequest *req, uint64_t lba, uint32_t n)
{
    uint64_t total = sd_blocks(s);

    if (lba > total || n > total - lba) {
        guest_error("scsi-disk: %u blocks at %llu past the medium (%llu)", n,
                    (unsigned long long)lba, (unsigned long long)total);
        scsi_req_fail(req, SENSE_CODE_LBA_OUT_OF_RANGE);
        return false;
    }
    return true;
}

static int32_t sd_rw(SCSIDiskState *s, SCSIRequest *req, bool write)
{
    uint64_t lba;
    uint32_t n;

    scsi_cdb_rw(req->cdb, &lba, &n);
    if (write && (s->is_cd || blk_is_read_only(s->blk))) {
        scsi_req_fail(req, SENSE_CODE_WRITE_PROTECTED);
        return 0;
    }
    if (!sd_check_range(s, req, lba, n)) {
        return 0;
    }
    if ((uint64_t)n * s->bs > SD_MAX_XFER_BYTES) {
        guest_error("scsi-disk: %u blocks in one command", n);
        scsi_req_fail(req, SENSE_CODE_INVALID_FIELD);
        return 0;
    }
    if (!n) {
        return 0;
    }
    req->op = write ? SD_OP_WRITE : SD_OP_READ;
    req->lba = lba;
    req->blocks = n;
    return scsi_req_expect(req, write ? SCSI_XFER_TO_DEV : SCSI_XFER_FROM_DEV, n * s->bs);
}

/* VERIFY with BYTCHK 0: the range is checked, nothing read (as QEMU). */
static int32_t sd_verify(SCSIDiskState *s, SCSIRequest *req)
{
    uint64_t lba;
    uint32_t n;

    scsi_cdb_rw(req->cdb, &lba, &n);
    if (req->cdb[1] & 0x06) {
        scsi_req_fail(req, SENSE_CODE_INVALID_FIELD);
        return 0;
    }
    sd_check_range(s, req, lba, n);
    return 0;
}

/* WRITE SAME(10)/(16) (SBC-3 5.41, 5.42): one block of data-out (none
 * with NDOB: zeros), at most SD_MAX_WS_BLOCKS, WSNZ (0 blocks refused). */
static int32_t sd_write_same(SCSIDiskState *s, SCSIRequest *req)
{
    bool ndob = req->cdb[0] == SCSI_WRITE_SAME_16 && (req->cdb[1] & 0x01);
    uint64_t lba;
    uint32_t n;

    scsi_cdb_rw(req->cdb, &lba, &n);
    if (s->is_cd || blk_is_read_only(s->blk)) {
        scsi_req_fail(req, SENSE_CODE_WRITE_PROTECTED);
        return 0;
    }
    if (!n || n > SD_MAX_WS_BLOCKS || (req->cdb[1] & 0xf6)) {
        scsi_req_fail(req, SENSE_CODE_INVALID_FIELD);
        return 0;
    }
    if (!sd_check_range(s, req, lba, n)) {
        return 0;
    }
    req->op = SD_OP_WRITE_SAME;
    req->lba = lba;
    req->blocks = n;
    if (ndob) {
        memset(s->qdev.buf, 0, s->bs);
        s->qdev.buf_live = s->qdev.buf_live > s->bs ? s->qdev.buf_live : s->bs;
        return 0;
    }
    return scsi_req_expect(req, SCSI_XFER_TO_DEV, s->bs);
}

static int32_t sd_unmap(SCSIDiskState *s, SCSIRequest *req)
{
    uint32_t len = ld_be16(req->cdb + 7);

    if (s->is_cd || blk_is_read_only(s->blk)) {
        scsi_req_fail(req, SENSE_CODE_WRITE_PROTECTED);
        return 0;
    }
    if (req->cdb[1] & 0x01) {   /* ANCHOR: no anchored state here */
        scsi_req_fail(req, SENSE_CODE_INVALID_FIELD);
        return 0;
    }
    if (!len) {
        return 0;
    }
    req->op = SD_OP_UNMAP;
    return scsi_req_expect(req, SCSI_XFER_TO_DEV, len);
}

/* ---------------------------------------------------------------------- */
/* Dispatch                                                                */

/* Commands that need a medium (a scsi-cd's may be missing). */
static bool sd_needs_medium(uint8_t op)
{
    switch (op) {
    case SCSI_TEST_UNIT_READY:
    case SCSI_READ_CAPACITY_10:
    case SCSI_SERVICE_ACTION_IN_16:
    case SCSI_READ_6: case SCSI_READ_10: case SCSI_READ_12: case SCSI_READ_16:
    case SCSI_WRITE_6: case SCSI_WRITE_10: case SCSI_WRITE_12: case SCSI_WRITE_16:
    case SCSI_VERIFY_10: case SCSI_VERIFY_12: case SCSI_VERIFY_16:
    case SCSI_SEEK_10:
    case SCSI_READ_CD:
    case SCSI_READ_TOC:
    case SCSI_READ_DISC_INFO:
        return true;
    default:
        return false;
    }
}

static int32_t sd_dispatch(SCSIDiskState *s, SCSIRequest *req)
{
    const uint8_t *cdb = req->cdb;

    switch (cdb[0]) {
    case SCSI_TEST_UNIT_READY:
        return 0;
    case SCSI_REQUEST_SENSE:
        return sd_request_sense(s, req);
    case SCSI_INQUIRY:
        return sd_inquiry(s, req);
    case SCSI_MODE_SENSE_6:
    case SCSI_MODE_SENSE_10:
        return sd_mode_sense(s, req);
    case SCSI_MODE_SELECT_6:
    case SCSI_MODE_SELECT_10:
        return sd_mode_select(s, req);
    case SCSI_START_STOP_UNIT:
        return sd_start_stop(s, req);
    case SCSI_PREVENT_ALLOW:
        s->tray_locked = s->is_cd && (cdb[4] & 1);
        return 0;
    case SCSI_READ_CAPACITY_10:
    case SCSI_SERVICE_ACTION_IN_16:
        return sd_read_capacity(s, req);
    case SCSI_REPORT_LUNS:
        return sd_report_luns(s, req);
    case SCSI_READ_6: case SCSI_READ_10: case SCSI_READ_12: case SCSI_READ_16:
        return sd_rw(s, req, false);
    case SCSI_WRITE_6: case SCSI_WRITE_10: case SCSI_WRITE_12: case SCSI_WRITE_16:
        return sd_rw(s, req, true);
    case SCSI_VERIFY_10: case SCSI_VERIFY_12: case SCSI_VERIFY_16:
        return sd_verify(s, req);
    case SCSI_SYNCHRONIZE_CACHE_10:
    case SCSI_SYNCHRONIZE_CACHE_16:
        req->op = SD_OP_SYNC;
        return 0;
    case SCSI_WRITE_SAME_10:
    case SCSI_WRITE_SAME_16:
        if (!s->is_cd) {
            return sd_write_same(s, req);
        }
        break;
    case SCSI_UNMAP:
        if (!s->is_cd) {
            return sd_unmap(s, req);
        }
        break;
    default:
        break;
    }
    if (s->is_cd) {
        bool handled = false;
        int32_t len = sd_mmc_command(s, req, &handled);
        if (handled) {
            return len;
        }
    }
    guest_error("scsi-disk: opcode %#x not supported", cdb[0]);
    scsi_req_fail(req, SENSE_CODE_INVALID_OPCODE);
    return 0;
}

static int32_t sd_enqueue(SCSIDevice *d, SCSIRequest *req)
{
    SCSIDiskState *s = sd_of(d);

    s->sector_bytes = s->bs;
    if (sd_needs_medium(req->cdb[0]) && !sd_has_medium(s)) {
        scsi_req_fail(req, SENSE_CODE_NO_MEDIUM);
        return 0;
    }
    return sd_dispatch(s, req);
}

static void sd_cont(SCSIDevice *d, SCSIRequest *req)
{
    SCSIDiskState *s = sd_of(d);

    switch (req->op) {
    case SD_OP_READ:
        sd_read_next(s, req);
        break;
    case SD_OP_WRITE:
        sd_write_next(s, req);
        break;
    case SD_OP_WRITE_SAME:
        if (req->dir == SCSI_XFER_TO_DEV && !req->moved) {
            s->qdev.buf_live = SCSI_DEV_BUF_SIZE;
            scsi_req_data(req, s->qdev.buf, s->bs);
        } else {
            sd_write_same_next(s, req);
        }
        break;
    case SD_OP_UNMAP:
    case SD_OP_MODE_SELECT:     /* a parameter list: in one chunk, then used */
        if (!req->moved) {
            s->qdev.buf_live = SCSI_DEV_BUF_SIZE;
            scsi_req_data(req, s->qdev.buf, req->xfer_len);
        } else if (req->op == SD_OP_UNMAP) {
            sd_unmap_data(s, req);
        } else {
            sd_mode_select_data(s, req);
        }
        break;
    case SD_OP_SYNC:
        req->chunk = 0;
        sd_submit(s, req, BLK_OP_FLUSH, NULL, 0);
        break;
    default:
        scsi_req_done(req);
        break;
    }
}

static void sd_cancel(SCSIDevice *d, SCSIRequest *req)
{
    (void)req;
    blk_req_cancel(&sd_of(d)->breq);
}

static void sd_dev_reset(SCSIDevice *d)
{
    blk_req_cancel(&sd_of(d)->breq);
}

static const SCSIDeviceOps sd_ops = {
    .enqueue = sd_enqueue,
    .cont = sd_cont,
    .cancel = sd_cancel,
    .reset = sd_dev_reset,
};

/* ---------------------------------------------------------------------- */
/* Reset, realize, types                                                   */

static void sd_reset(Object *obj)
{
    SCSIDiskState *s = (SCSIDiskState *)obj;

    blk_req_cancel(&s->breq);
    s->qdev.active = NULL;
    s->qdev.sense = SENSE_CODE_NO_SENSE;
    s->qdev.ua = SENSE_CODE_RESET;      /* power on (SPC-4 5.14) */
    s->qdev.dsense = false;
    s->qdev.buf_live = 0;
    s->wce = true;
    s->tray_open = false;
    s->tray_locked = false;
    s->event_pending = false;
}

static void sd_init(Object *obj)
{
    SCSIDiskState *s = (SCSIDiskState *)obj;

    s->qdev.id = -1;
    s->logical_block_size = BLK_SECTOR_SIZE;
}

static bool sd_check_props(SCSIDiskState *s, const char *type, char **errp)
{
    if (s->logical_block_size != 512 && s->logical_block_size != 4096) {
        *errp = g_strdup_printf("%s: logical_block_size=%u: 512 or 4096", type,
                                s->logical_block_size);
        return false;
    }
    if (!s->drive && !s->is_cd) {
        *errp = g_strdup_printf("%s: drive property not set", type);
        return false;
    }
    if ((s->vendor && strlen(s->vendor) > 8) || (s->product && strlen(s->product) > 16) ||
        (s->version && strlen(s->version) > 4)) {
        *errp = g_strdup_printf("%s: vendor=, product=, ver= take at most 8, 16 and 4 "
                                "characters", type);
        return false;
    }
    return true;
}

static bool sd_realize_kind(Object *obj, Machine *m, bool cd, char **errp)
{
    SCSIDiskState *s = (SCSIDiskState *)obj;
    const char *type = object_type_name(obj);

    s->is_cd = cd;
    if (!sd_check_props(s, type, errp)) {
        return false;
    }
    if (s->drive) {
        s->blk = blk_lookup(m, s->drive, errp);
        if (!s->blk || !blk_attach(s->blk, obj, errp)) {
            return false;
        }
        if (!cd && !s->blk->has_medium) {
            *errp = g_strdup_printf("%s: drive '%s' has no medium", type, s->drive);
            return false;
        }
    }
    s->bs = cd ? MMC_BLOCK_SIZE : s->logical_block_size;
    s->sector_bytes = s->bs;
    if (!scsi_device_attach(&s->qdev, m, &sd_ops, errp)) {
        return false;
    }
    blk_req_init(&s->breq, s->qdev.bus->owner, &m->clock, sd_block_done, s);
    return true;
}

static bool sd_hd_realize(Object *obj, Machine *m, char **errp)
{
    return sd_realize_kind(obj, m, false, errp);
}

static bool sd_cd_realize(Object *obj, Machine *m, char **errp)
{
    return sd_realize_kind(obj, m, true, errp);
}

static const Property sd_props[] = {
    { "drive", PROP_STR, offsetof(SCSIDiskState, drive), "id of the -drive" },
    { "bus", PROP_STR, offsetof(SCSIDiskState, qdev.bus_name),
      "the SCSI bus (default: the first with a free target)" },
    { "channel", PROP_U32, offsetof(SCSIDiskState, qdev.channel), "channel (default 0)" },
    { "scsi-id", PROP_I32, offsetof(SCSIDiskState, qdev.id),
      "target (default: the first free one)" },
    { "lun", PROP_U32, offsetof(SCSIDiskState, qdev.lun), "LUN (default 0)" },
    { "serial", PROP_STR, offsetof(SCSIDiskState, serial), "unit serial number (VPD 80h)" },
    { "vendor", PROP_STR, offsetof(SCSIDiskState, vendor), "INQUIRY vendor (default QEMU)" },
    { "product", PROP_STR, offsetof(SCSIDiskState, product), "INQUIRY product" },
    { "ver", PROP_STR, offsetof(SCSIDiskState, version), "INQUIRY revision (default 2.5+)" },
    { "device_id", PROP_STR, offsetof(SCSIDiskState, device_id),
      "VPD 83h vendor-specific identifier (default: the drive's id)" },
    { "removable", PROP_BOOL, offsetof(SCSIDiskState, removable), "RMB in INQUIRY" },
    { "logical_block_size", PROP_U32, offsetof(SCSIDiskState, logical_block_size),
      "512 or 4096 (scsi-hd)" },
    { "wwn", PROP_U64, offsetof(SCSIDiskState, wwn), "NAA world wide name (VPD 83h)" },
    { .name = NULL },
};

const TypeInfo scsi_hd_type = {
    .name = TYPE_SCSI_HD,
    .desc = "storage: SCSI disk (SBC-3)",
    OBJECT_INSTANCE(SCSIDiskState),
    .user_creatable = true,
    .props = sd_props,
    .init = sd_init,
    .realize = sd_hd_realize,
    .reset = sd_reset,
};

const TypeInfo scsi_cd_type = {
    .name = TYPE_SCSI_CD,
    .desc = "storage: SCSI CD/DVD-ROM (MMC-6)",
    OBJECT_INSTANCE(SCSIDiskState),
    .user_creatable = true,
    .props = sd_props,
    .init = sd_init,
    .realize = sd_cd_realize,
    .reset = sd_reset,
};
