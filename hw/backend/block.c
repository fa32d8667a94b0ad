/* SPDX-License-Identifier: MIT */
/*
 * Block backends (see block.h): a raw image mapped read-only with a
 * copy-on-write overlay in RAM regions, or the null driver. Opening and
 * mapping the file at set-up is the only host I/O; afterwards every
 * transfer is a memcpy, so runs are deterministic and a user's file is
 * never written (it is not even open for writing).
 */
#include "hw/backend/block.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emu/log.h"
#include "hw/devices.h"

#define BLK_NULL_PREFIX "null-co://"
#define BLK_NULL_AIO_PREFIX "null-aio://"

/* ---------------------------------------------------------------------- */
/* Set-up                                                                  */

static bool blk_is_null_name(const char *s)
{
    return s && (g_str_has_prefix(s, BLK_NULL_PREFIX) ||
                 g_str_has_prefix(s, BLK_NULL_AIO_PREFIX) ||
                 strcmp(s, "null-co") == 0 || strcmp(s, "null-aio") == 0);
}

/* Checks the options that say what the drive is; fills is_null, is_cdrom
 * and *path (NULL: null driver or no medium). */
static bool blk_check_opts(BlockBackend *b, const char **path, char **errp)
{
    const char *id = b->id;

    if (b->iface && strcmp(b->iface, "none") != 0) {
        *errp = g_strdup_printf("drive %s: if=%s is not supported: give if=none and "
                                "attach it with -device ...,drive=%s", id, b->iface, id);
        return false;
    }
    if (b->format && strcmp(b->format, "raw") != 0) {
        *errp = g_strdup_printf("drive %s: format=%s is not supported (raw only)",
                                id, b->format);
        return false;
    }
    if (b->media && strcmp(b->media, "disk") != 0 && strcmp(b->media, "cdrom") != 0) {
        *errp = g_strdup_printf("drive %s: media=%s: expected disk or cdrom", id, b->media);
        return false;
    }
    b->is_cdrom = b->media && strcmp(b->media, "cdrom") == 0;
    if (b->is_cdrom) {
        b->readonly = true;     /* as QEMU: a CD-ROM is read-only */
    }
    *path = NULL;
    if (b->driver && strcmp(b->driver, "raw") != 0) {
        if (blk_is_null_name(b->driver)) {
            b->is_null = true;
        } else if (strcmp(b->driver, "file") == 0 || strcmp(b->driver, "host_device") == 0) {
            *path = b->filename ? b->filename : b->file;
            if (!*path) {
                *errp = g_strdup_printf("drive %s: driver=%s needs filename=", id, b->driver);
                return false;
            }
        } else {
            *errp = g_strdup_printf("drive %s: driver=%s is not supported (null-co, "
                                    "null-aio, file or raw)", id, b->driver);
            return false;
        }
    } else if (blk_is_null_name(b->file)) {
        b->is_null = true;
    } else if (b->file && *b->file) {
        *path = b->file;
    } else if (b->filename) {
        *path = b->filename;
    }
    if (b->size && !b->is_null) {
        *errp = g_strdup_printf("drive %s: size= is an option of the null driver", id);
        return false;
    }
    return true;
}

static bool blk_check_size(BlockBackend *b, uint64_t size, const char *what, char **errp)
{
    if (size == 0) {
        *errp = g_strdup_printf("drive %s: %s is empty", b->id, what);
        return false;
    }
    if (size % BLK_SECTOR_SIZE) {
        *errp = g_strdup_printf("drive %s: %s is %" PRIu64 " bytes, not a whole number "
                                "of %d-byte sectors", b->id, what, size, BLK_SECTOR_SIZE);
        return false;
    }
    if (size > SIZE_MAX / 2) {
        *errp = g_strdup_printf("drive %s: %s is too large", b->id, what);
        return false;
    }
    return true;
}

static bool blk_open_image(BlockBackend *b, const char *path, char **errp)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;

    if (fd < 0) {
        *errp = g_strdup_printf("drive %s: cannot open '%s': %s", b->id, path,
                                g_strerror(errno));
        return false;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        *errp = g_strdup_printf("drive %s: '%s' is not a regular file", b->id, path);
        close(fd);
        return false;
    }
    if (!blk_check_size(b, (uint64_t)st.st_size, path, errp)) {
        close(fd);
        return false;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        *errp = g_strdup_printf("drive %s: cannot map '%s': %s", b->id, path,
                                g_strerror(errno));
        return false;
    }
    b->image = p;
    b->image_size = (uint64_t)st.st_size;
    b->size = b->image_size;
    return true;
}

/* The overlay and its block map: RAM regions of this object, so the
 * snapshot saves and restores them page by page like guest RAM. */
static void blk_init_overlay(BlockBackend *b)
{
    uint64_t blocks = (b->size + BLK_OVERLAY_BLOCK - 1) / BLK_OVERLAY_BLOCK;
    mr_init_ram(&b->overlay, &b->obj, g_strdup_printf("%s-overlay", b->id),
                blocks * BLK_OVERLAY_BLOCK);
    mr_init_ram(&b->map, &b->obj, g_strdup_printf("%s-overlay-map", b->id), blocks);
    b->has_overlay = true;
}

static bool blk_realize(Object *obj, Machine *m, char **errp)
{
    BlockBackend *b = (BlockBackend *)obj;
    const char *path;

    b->clock = &m->clock;
    if (!blk_check_opts(b, &path, errp)) {
        return false;
    }
    if (b->is_null) {
        if (!b->size) {
            b->size = BLK_NULL_DEFAULT_SIZE;
        }
        if (!blk_check_size(b, b->size, "size", errp)) {
            return false;
        }
        b->has_medium = true;
        return true;
    }
    if (!path) {
        b->size = 0;            /* an empty drive: a CD-ROM without a disc */
        return true;
    }
    if (!blk_open_image(b, path, errp)) {
        return false;
    }
    b->has_medium = true;
    if (!b->readonly) {
        blk_init_overlay(b);
    }
    return true;
}

/* ---------------------------------------------------------------------- */
/* Lookup                                                                  */

BlockBackend *blk_lookup(Machine *m, const char *id, char **errp)
{
    Object *o = id ? machine_find_drive(m, id) : NULL;

    if (!o || !object_is_a(o, "drive")) {
        *errp = g_strdup_printf("drive '%s' not found (give it with -drive ...,id=%s "
                                "or -blockdev ...,node-name=%s)", id ? id : "", id ? id : "",
                                id ? id : "");
        return NULL;
    }
    return (BlockBackend *)o;
}

bool blk_attach(BlockBackend *blk, Object *dev, char **errp)
{
    if (blk->dev && blk->dev != dev) {
        *errp = g_strdup_printf("drive '%s' is already in use by %s", blk->id,
                                object_type_name(blk->dev));
        return false;
    }
    blk->dev = dev;
    return true;
}

/* ---------------------------------------------------------------------- */
/* Transfers                                                               */

static int blk_check_range(const BlockBackend *blk, uint64_t offset, uint64_t len)
{
    if (!blk || !blk->has_medium) {
        return -ENOMEDIUM;
    }
    if (offset > blk->size || len > blk->size - offset) {
        return -EIO;
    }
    return 0;
}

static bool blk_block_in_overlay(const BlockBackend *blk, uint64_t block)
{
    return blk->has_overlay && blk->map.ram[block];
}

int blk_read(BlockBackend *blk, uint64_t offset, void *buf, size_t len)
{
    int ret = blk_check_range(blk, offset, len);
    uint8_t *out = buf;

    if (ret < 0) {
        return ret;
    }
    if (blk->is_null) {
        memset(buf, 0, len);
        return 0;
    }
    while (len > 0) {
        uint64_t block = offset / BLK_OVERLAY_BLOCK;
        size_t n = MIN(len, BLK_OVERLAY_BLOCK - offset % BLK_OVERLAY_BLOCK);
        const uint8_t *src = blk_block_in_overlay(blk, block) ? blk->overlay.ram : blk->image;
        memcpy(out, src + offset, n);
        out += n;
        offset += n;
        len -= n;
    }
    return 0;
}

/* Puts [offset, offset + n) of one block in the overlay (from buf, or
 * zeros), copying the rest of the block up from the image first. */
static void blk_overlay_put(BlockBackend *blk, uint64_t offset, const uint8_t *buf, size_t n)
{
    uint64_t block = offset / BLK_OVERLAY_BLOCK;
    uint64_t start = block * BLK_OVERLAY_BLOCK;

    if (!blk_block_in_overlay(blk, block)) {
        static const uint8_t one = 1;
        if (n < BLK_OVERLAY_BLOCK) {
            mr_ram_write(&blk->overlay, start, blk->image + start,
                         MIN(BLK_OVERLAY_BLOCK, blk->image_size - start));
        }
        mr_ram_write(&blk->map, block, &one, 1);
    }
    mr_ram_write(&blk->overlay, offset, buf, n);
}

static int blk_put(BlockBackend *blk, uint64_t offset, const uint8_t *buf, uint64_t len)
{
    int ret = blk_check_range(blk, offset, len);

    if (ret < 0) {
        return ret;
    }
    if (blk->readonly) {
        return -EROFS;
    }
    if (blk->is_null) {
        return 0;               /* dropped, as QEMU's null driver does */
    }
    while (len > 0) {
        size_t n = MIN(len, BLK_OVERLAY_BLOCK - offset % BLK_OVERLAY_BLOCK);
        blk_overlay_put(blk, offset, buf, n);
        buf = buf ? buf + n : NULL;
        offset += n;
        len -= n;
    }
    return 0;
}

int blk_write(BlockBackend *blk, uint64_t offset, const void *buf, size_t len)
{
    return blk_put(blk, offset, buf, len);
}

int blk_discard(BlockBackend *blk, uint64_t offset, uint64_t len)
{
    return blk_put(blk, offset, NULL, len);
}

int blk_flush(BlockBackend *blk)
{
    return blk && blk->has_medium ? 0 : -ENOMEDIUM;
}

/* ---------------------------------------------------------------------- */
/* Requests                                                                */

static void blk_req_complete(void *opaque)
{
    BlockRequest *req = opaque;
    int ret = -EIO;

    switch (req->op) {
    case BLK_OP_READ:
        ret = blk_read(req->blk, req->offset, req->buf, req->len);
        break;
    case BLK_OP_WRITE:
        ret = blk_write(req->blk, req->offset, req->buf, req->len);
        break;
    case BLK_OP_DISCARD:
        ret = blk_discard(req->blk, req->offset, req->len);
        break;
    case BLK_OP_FLUSH:
        ret = blk_flush(req->blk);
        break;
    case BLK_OP_VERIFY:
        ret = blk_check_range(req->blk, req->offset, req->len);
        break;
    case BLK_OP_NONE:
        return;                 /* cancelled after it fired: nothing */
    }
    req->op = BLK_OP_NONE;
    req->cb(req->opaque, ret);
}

void blk_req_init(BlockRequest *req, Object *owner, Clock *clock,
                  BlockCompleteFn cb, void *opaque)
{
    memset(req, 0, sizeof(*req));
    req->cb = cb;
    req->opaque = opaque;
    bh_init(&req->bh, owner, clock, blk_req_complete, req);
    timer_init(&req->timer, owner, clock, blk_req_complete, req);
}

bool blk_req_submit(BlockRequest *req, BlockBackend *blk, BlockOp op,
                    uint64_t offset, void *buf, size_t len)
{
    if (req->op != BLK_OP_NONE || op == BLK_OP_NONE) {
        return false;
    }
    req->blk = blk;
    req->op = op;
    req->offset = offset;
    req->buf = buf;
    req->len = len;
    if (blk && blk->latency_ns) {
        timer_mod(&req->timer, clock_get_ns(req->timer.clock) + (int64_t)blk->latency_ns);
    } else {
        bh_schedule(&req->bh);
    }
    return true;
}

bool blk_req_pending(const BlockRequest *req)
{
    return req->op != BLK_OP_NONE;
}

void blk_req_cancel(BlockRequest *req)
{
    bh_cancel(&req->bh);
    timer_del(&req->timer);
    req->op = BLK_OP_NONE;
}

/* ---------------------------------------------------------------------- */
/* Type                                                                    */

#define BLK_PROP(n, k, f, d) {n, k, offsetof(BlockBackend, f), d}

static const Property blk_props[] = {
    BLK_PROP("id", PROP_STR, id, "name devices refer to (drive=)"),
    BLK_PROP("node-name", PROP_STR, node_name, "-blockdev's name (drive=)"),
    BLK_PROP("file", PROP_STR, file, "raw image file, or null-co:// / null-aio://"),
    BLK_PROP("filename", PROP_STR, filename, "image file (-blockdev driver=file)"),
    BLK_PROP("driver", PROP_STR, driver, "null-co, null-aio, file or raw"),
    BLK_PROP("format", PROP_STR, format, "raw"),
    BLK_PROP("if", PROP_STR, iface, "none"),
    BLK_PROP("media", PROP_STR, media, "disk or cdrom"),
    BLK_PROP("index", PROP_U32, index, "accepted; no effect with if=none"),
    BLK_PROP("readonly", PROP_BOOL, readonly, "guest writes fail"),
    BLK_PROP("read-only", PROP_BOOL, readonly, "guest writes fail"),
    BLK_PROP("read-zeroes", PROP_BOOL, read_zeroes, "null driver: reads give zeros "
             "(always here)"),
    BLK_PROP("file.read-zeroes", PROP_BOOL, read_zeroes, "the same, -drive spelling"),
    BLK_PROP("size", PROP_U64, size, "null driver: medium size (default 1G)"),
    BLK_PROP("file.size", PROP_U64, size, "the same, -drive spelling"),
    BLK_PROP("latency-ns", PROP_U64, latency_ns, "requests complete after this much "
             "virtual time (default: in the next bottom half)"),
    BLK_PROP("file.latency-ns", PROP_U64, latency_ns, "the same, -drive spelling"),
    {.name = NULL},
};

const TypeInfo drive_type = {
    .name = "drive",
    .desc = "block backend (-drive, -blockdev)",
    OBJECT_INSTANCE(BlockBackend),
    .props = blk_props,
    .realize = blk_realize,
};

void blk_guess_geometry(uint64_t nb_sectors, uint32_t *cyls, uint32_t *heads,
                        uint32_t *secs)
{
    uint64_t c = nb_sectors / (16 * 63);

    *heads = 16;
    *secs = 63;
    *cyls = c > 16383 ? 16383 : c < 2 ? 2 : (uint32_t)c;
}
