/* SPDX-License-Identifier: MIT */
/*
 * Block backends, as QEMU's fuzz configs write them:
 *   -drive file=PATH,if=none,id=ID,format=raw[,media=cdrom][,readonly=on]
 *   -drive file=null-co://,if=none,id=ID,format=raw[,file.read-zeroes=on]
 *   -drive if=none,id=ID,media=cdrom             (a drive with no medium)
 *   -blockdev driver=null-co,node-name=ID[,read-zeroes=on][,size=N]
 *   -blockdev driver=file,filename=PATH,node-name=ID[,read-only=on]
 * A device takes one with its "drive=ID" property (blk_lookup, blk_attach).
 *
 * A user's image is opened read-only and never written: it is mapped
 * read-only at set-up, and what the guest writes goes to an overlay, a
 * RAM region of the image's size owned by the backend, with a map of which
 * BLK_OVERLAY_BLOCK-sized blocks it holds (a block is copied up whole on
 * its first write). Both are RAM regions, so the snapshot restores the
 * blocks an input changed exactly as it restores dirty guest pages.
 * null-co reads zeros (QEMU leaves the buffer as it was unless
 * read-zeroes=on: here always zeros, to stay deterministic) and drops
 * writes, as QEMU's null driver does; its size is 1 GiB unless size= says.
 *
 * Transfers: blk_read/blk_write move bytes at once (bounds checked, never
 * past the medium). A device that models a disk's latency submits a
 * BlockRequest instead: the transfer and the device's callback happen in
 * a bottom half (or after latency-ns of virtual time, null-co's option),
 * entered as the device (object_enter), so the guest can touch registers
 * between submission and completion as with a real disk.
 */
#ifndef HW_BACKEND_BLOCK_H
#define HW_BACKEND_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/clock.h"
#include "emu/machine.h"
#include "emu/memory.h"
#include "emu/object.h"

#define BLK_SECTOR_SIZE 512
#define BLK_OVERLAY_BLOCK 4096                  /* copy-up unit: a RAM page */
#define BLK_NULL_DEFAULT_SIZE (1ull << 30)      /* null-co without size= */

typedef struct BlockBackend {
    Object obj;
    /* Properties. */
    char *id;                /* -drive id= / -blockdev node-name= */
    char *file;              /* -drive file=; "null-co://" for the null driver */
    char *filename;          /* -blockdev driver=file filename= */
    char *driver;            /* -blockdev driver=; -drive driver= (format) */
    char *format;            /* raw only */
    char *iface;             /* if=: none only */
    char *media;             /* disk (default) or cdrom */
    char *node_name;
    bool readonly;           /* readonly= / read-only= */
    bool read_zeroes;        /* accepted; null-co reads zeros regardless */
    uint64_t size;           /* null-co size=; the medium's size after realize */
    uint64_t latency_ns;     /* null-co latency-ns=: requests complete after it */
    uint32_t index;          /* accepted (if=none ignores it) */

    /* After realize. */
    bool has_medium;         /* a file or null-co (false: empty drive) */
    bool is_null;            /* null-co: zeros, writes dropped */
    bool is_cdrom;
    const uint8_t *image;    /* the user's file, mapped read-only, or NULL */
    uint64_t image_size;     /* bytes mapped */
    MemoryRegion overlay;    /* written blocks, at their image offset */
    MemoryRegion map;        /* a byte per block: 1 = the overlay holds it */
    bool has_overlay;
    Object *dev;             /* the device attached, or NULL */
    Clock *clock;
} BlockBackend;

/* Completion of a BlockRequest: ret 0, or a negative errno (-EIO past the
 * medium, -ENOMEDIUM with none, -EROFS on a read-only drive). */
typedef void (*BlockCompleteFn)(void *opaque, int ret);

typedef enum BlockOp {
    BLK_OP_NONE,
    BLK_OP_READ,
    BLK_OP_WRITE,
    BLK_OP_FLUSH,
    BLK_OP_DISCARD,
    BLK_OP_VERIFY,           /* the range is on the medium; no data moves */
} BlockOp;

/* One request in flight, embedded in the device instance (no allocation). */
typedef struct BlockRequest {
    BlockBackend *blk;
    BlockOp op;
    uint64_t offset;
    uint8_t *buf;            /* in the device instance: where a read lands */
    size_t len;
    BlockCompleteFn cb;
    void *opaque;
    BH bh;
    Timer timer;
} BlockRequest;

/* The drive named id, for a device's "drive=ID" (NULL with *errp: unknown
 * id, or already attached to another device). */
BlockBackend *blk_lookup(Machine *m, const char *id, char **errp);
/* Set-up: dev takes blk (one device per drive, as in QEMU). */
bool blk_attach(BlockBackend *blk, Object *dev, char **errp);

static inline uint64_t blk_size(const BlockBackend *blk)
{
    return blk && blk->has_medium ? blk->size : 0;
}
static inline uint64_t blk_nb_sectors(const BlockBackend *blk)
{
    return blk_size(blk) / BLK_SECTOR_SIZE;
}
static inline bool blk_is_read_only(const BlockBackend *blk)
{
    return blk && blk->readonly;
}

/* QEMU's geometry for a disk without a partition table (its
 * hd_geometry_guess on a medium with no MBR): 16 heads, 63 sectors,
 * cylinders from the size, clamped to 2..16383. */
void blk_guess_geometry(uint64_t nb_sectors, uint32_t *cyls, uint32_t *heads,
                        uint32_t *secs);

/* Immediate transfers: 0 or a negative errno (as for requests); nothing
 * moves on an error. */
int blk_read(BlockBackend *blk, uint64_t offset, void *buf, size_t len);
int blk_write(BlockBackend *blk, uint64_t offset, const void *buf, size_t len);
/* The range reads back as zeros afterwards (TRIM, WRITE ZEROES). */
int blk_discard(BlockBackend *blk, uint64_t offset, uint64_t len);
int blk_flush(BlockBackend *blk);

/* Requests: init once at realize (owner: the device, or the controller
 * whose code runs the completion (an HBA for its disks), entered for the
 * completion); submit while none is in flight (blk_req_pending false),
 * else the submission is dropped and false returned. A write takes its
 * bytes from buf when it completes, a read puts them there; a verify only
 * checks [offset, offset + len) against the medium (buf unused), as a
 * drive's VERIFY reads without a transfer. */
void blk_req_init(BlockRequest *req, Object *owner, Clock *clock,
                  BlockCompleteFn cb, void *opaque);
bool blk_req_submit(BlockRequest *req, BlockBackend *blk, BlockOp op,
                    uint64_t offset, void *buf, size_t len);
bool blk_req_pending(const BlockRequest *req);
/* Device reset or a cancelled command: the callback will not run. */
void blk_req_cancel(BlockRequest *req);

#endif
