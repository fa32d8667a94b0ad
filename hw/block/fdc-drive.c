/* SPDX-License-Identifier: MIT */
/*
 * The 82078's drives: QEMU's "floppy" devices on the controller's floppy
 * bus, a medium's geometry from its size (QEMU's table of formats: the
 * first format of the drive's type with the image's sector count, else the
 * drive type's first format, so a 1 GiB null-co disk in a 2.88 MB drive is
 * a 2.88 MB disk), head movement, and sector I/O through the block backend.
 */
#include <errno.h>
#include <string.h>

#include "emu/log.h"
#include "hw/block/fdc-internal.h"
#include "hw/devices.h"

#define TYPE_FLOPPY_BUS "floppy-bus"
#define FDC_UNIT_AUTO UINT32_MAX

/* Data rates, as the DSR/CCR bits encode them. */
#define FDC_RATE_500K 0
#define FDC_RATE_300K 1
#define FDC_RATE_250K 2
#define FDC_RATE_1M 3

typedef struct FdcFormat {
    FdcDriveType type;
    uint8_t last_sect;
    uint8_t max_track;
    uint8_t heads;
    uint8_t rate;
} FdcFormat;

/* Per drive type, its usual format first. */
static const FdcFormat fdc_formats[] = {
    /* 3.5" high density (1.44 MB and the extended formats), then 720 KB. */
    {FDC_DRIVE_144, 18, 80, 2, FDC_RATE_500K},
    {FDC_DRIVE_144, 20, 80, 2, FDC_RATE_500K},
    {FDC_DRIVE_144, 21, 80, 2, FDC_RATE_500K},
    {FDC_DRIVE_144, 21, 82, 2, FDC_RATE_500K},
    {FDC_DRIVE_144, 21, 83, 2, FDC_RATE_500K},
    {FDC_DRIVE_144, 22, 80, 2, FDC_RATE_500K},
    {FDC_DRIVE_144, 23, 80, 2, FDC_RATE_500K},
    {FDC_DRIVE_144, 24, 80, 2, FDC_RATE_500K},
    {FDC_DRIVE_144, 9, 80, 2, FDC_RATE_250K},
    {FDC_DRIVE_144, 10, 80, 2, FDC_RATE_250K},
    {FDC_DRIVE_144, 10, 82, 2, FDC_RATE_250K},
    {FDC_DRIVE_144, 10, 83, 2, FDC_RATE_250K},
    {FDC_DRIVE_144, 13, 80, 2, FDC_RATE_250K},
    {FDC_DRIVE_144, 14, 80, 2, FDC_RATE_250K},
    {FDC_DRIVE_144, 9, 80, 1, FDC_RATE_250K},
    /* 3.5" extra density (2.88 MB). */
    {FDC_DRIVE_288, 36, 80, 2, FDC_RATE_1M},
    {FDC_DRIVE_288, 39, 80, 2, FDC_RATE_1M},
    {FDC_DRIVE_288, 40, 80, 2, FDC_RATE_1M},
    {FDC_DRIVE_288, 44, 80, 2, FDC_RATE_1M},
    {FDC_DRIVE_288, 48, 80, 2, FDC_RATE_1M},
    /* 5.25" (1.2 MB, 720 KB, 360 KB, 320 KB). */
    {FDC_DRIVE_120, 15, 80, 2, FDC_RATE_500K},
    {FDC_DRIVE_120, 18, 80, 2, FDC_RATE_500K},
    {FDC_DRIVE_120, 18, 82, 2, FDC_RATE_500K},
    {FDC_DRIVE_120, 18, 83, 2, FDC_RATE_500K},
    {FDC_DRIVE_120, 20, 80, 2, FDC_RATE_500K},
    {FDC_DRIVE_120, 9, 80, 2, FDC_RATE_250K},
    {FDC_DRIVE_120, 11, 80, 2, FDC_RATE_250K},
    {FDC_DRIVE_120, 9, 40, 2, FDC_RATE_300K},
    {FDC_DRIVE_120, 9, 40, 1, FDC_RATE_300K},
    {FDC_DRIVE_120, 10, 41, 2, FDC_RATE_300K},
    {FDC_DRIVE_120, 10, 42, 2, FDC_RATE_300K},
    {FDC_DRIVE_120, 8, 40, 2, FDC_RATE_300K},
    {FDC_DRIVE_120, 8, 40, 1, FDC_RATE_300K},
};

#define FDC_NR_FORMATS (sizeof(fdc_formats) / sizeof(fdc_formats[0]))

typedef struct FloppyState {
    Object obj;
    uint32_t unit;
    char *drive;
    char *drive_type;
} FloppyState;

bool fdc_parse_type(const char *str, FdcDriveType *out, char **errp)
{
    static const char *const names[] = {"144", "288", "120", "none", "auto"};

    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(str, names[i]) == 0) {
            *out = (FdcDriveType)i;
            return true;
        }
    }
    *errp = g_strdup_printf("Parameter 'drive-type' does not accept value '%s' "
                            "(144, 288, 120, none, auto)", str);
    return false;
}

uint8_t fdc_cmos_type(FdcDriveType t)
{
    switch (t) {
    case FDC_DRIVE_144:
        return 4;
    case FDC_DRIVE_288:
        return 5;
    case FDC_DRIVE_120:
        return 2;
    default:
        return 0;
    }
}

/* ---- Mechanism and sectors ----------------------------------------------- */

/* The controller's reset recalibrates the heads (as QEMU); a disk change
 * stays flagged. */
void fdc_drive_reset(FdcDrive *d)
{
    d->track = 0;
    d->head = 0;
    d->sect = 1;
}

/* A step pulse with a disk in the drive clears the disk-change line. */
void fdc_drive_step(FdcDrive *d, uint8_t track)
{
    if (track != d->track && d->has_medium) {
        d->media_changed = false;
    }
    d->track = track;
}

bool fdc_drive_lba(const FdcDrive *d, uint8_t track, uint8_t head, uint8_t sect,
                   uint64_t *lba)
{
    if (!d->has_medium || track >= d->max_track || head >= d->heads || sect < 1 ||
        sect > d->last_sect) {
        return false;
    }
    *lba = ((uint64_t)track * d->heads + head) * d->last_sect + sect - 1;
    return true;
}

static FdcDrive *fdc_cur(FdcState *s)
{
    FdcDrive *d = fdc_drive(s, s->cur);

    if (!d) {
        emu_bug("fdc: transfer on unit %u without a drive", s->cur);
    }
    return d;
}

/* The sector of the current ID on the current track and head: its byte
 * offset, or false with "no data" set. */
static bool fdc_sector_offset(FdcState *s, FdcDrive *d, uint8_t sect, uint64_t *off)
{
    uint64_t lba;

    if (!fdc_drive_lba(d, d->track, d->head, sect, &lba)) {
        s->st0 = FDC_ST0_ABNORMAL;
        s->st1 = FDC_ST1_ND;
        return false;
    }
    *off = lba * FDC_SECTOR;
    d->sect = sect;
    return true;
}

static void fdc_io_error(FdcState *s, int ret)
{
    s->st0 = FDC_ST0_ABNORMAL;
    s->st1 = ret == -EROFS ? FDC_ST1_NW : FDC_ST1_ND;
}

bool fdc_load_sector(FdcState *s)
{
    FdcDrive *d = fdc_cur(s);
    uint64_t off;
    int ret;

    if (!fdc_sector_offset(s, d, s->id[2], &off)) {
        return false;
    }
    ret = blk_read(d->blk, off, s->fifo, FDC_SECTOR);
    if (ret < 0) {
        fdc_io_error(s, ret);
        return false;
    }
    s->fifo_pos = 0;
    s->fifo_len = FDC_SECTOR;
    return true;
}

bool fdc_store_sector(FdcState *s)
{
    FdcDrive *d = fdc_cur(s);
    uint64_t off;
    int ret;

    if (!fdc_sector_offset(s, d, s->id[2], &off)) {
        return false;
    }
    ret = blk_write(d->blk, off, s->fifo, FDC_SECTOR);
    if (ret < 0) {
        fdc_io_error(s, ret);
        return false;
    }
    s->fifo_pos = 0;
    return true;
}

/* FORMAT TRACK took one sector's C H R N: the sector R of this track is
 * written with the filler. Another sector size would change the medium's
 * layout, which is not modelled: such an ID formats nothing. */
bool fdc_format_sector(FdcState *s)
{
    FdcDrive *d = fdc_cur(s);
    uint64_t off;
    int ret;

    memcpy(s->id, s->fifo, 4);
    s->fifo_pos = 0;
    s->fifo_len = 4;
    if (s->sectors_left) {
        s->sectors_left--;
    }
    if (s->id[3] != FDC_SECTOR_CODE || !fdc_sector_offset(s, d, s->id[2], &off)) {
        guest_error("fdc: FORMAT TRACK ID C=%u H=%u R=%u N=%u not on the medium",
                    s->id[0], s->id[1], s->id[2], s->id[3]);
        s->st0 = s->st1 = 0;
        return s->sectors_left > 0;
    }
    memset(s->fifo, s->fill, FDC_SECTOR);
    ret = blk_write(d->blk, off, s->fifo, FDC_SECTOR);
    if (ret < 0) {
        fdc_io_error(s, ret);
        return false;
    }
    return s->sectors_left > 0;
}

/*
 * A sector is done: on to the next ID (datasheet table "Result Phase ID
 * Information"): R + 1 up to EOT; with MT from side 0 on to side 1,
 * sector 1; past the end, C + 1 and R = 1 (H complemented with MT). false
 * when the transfer ends; a read loads the next sector.
 */
bool fdc_next_sector(FdcState *s)
{
    FdcDrive *d = fdc_cur(s);

    if (s->single_sector) {
        s->id[2]++;
        return false;
    }
    if (s->id[2] < s->eot_sect) {
        s->id[2]++;
    } else if (s->multi_track && d->head == 0 && d->heads == 2) {
        d->head = 1;
        s->id[1] ^= 1;
        s->id[2] = 1;
    } else {
        s->id[0]++;
        s->id[2] = 1;
        if (s->multi_track) {
            s->id[1] ^= 1;
        }
        return false;
    }
    s->fifo_pos = 0;
    return s->xfer == FDC_XFER_READ ? fdc_load_sector(s) : true;
}

/* ---- The floppy device --------------------------------------------------- */

static const FdcFormat *fdc_find_format(FdcDriveType type, uint64_t sectors)
{
    const FdcFormat *first = NULL;

    for (size_t i = 0; i < FDC_NR_FORMATS; i++) {
        const FdcFormat *f = &fdc_formats[i];
        if (type != FDC_DRIVE_AUTO && f->type != type) {
            continue;
        }
        if ((uint64_t)f->last_sect * f->max_track * f->heads == sectors) {
            return f;
        }
        first = first ? first : f;
    }
    return type == FDC_DRIVE_AUTO ? NULL : first;
}

/* drive-type=auto: the controller's fdtypeA/B, else the medium's exact
 * format, else the controller's fallback (288). */
static bool fdc_resolve_type(FdcState *fdc, unsigned unit, FdcDriveType *type,
                             BlockBackend *blk, char **errp)
{
    const FdcFormat *f;
    FdcDriveType t = FDC_DRIVE_288;

    if (*type != FDC_DRIVE_AUTO) {
        return true;
    }
    if (fdc->fdtype[unit] && !fdc_parse_type(fdc->fdtype[unit], type, errp)) {
        return false;
    }
    if (*type != FDC_DRIVE_AUTO) {
        return true;
    }
    f = blk_size(blk) ? fdc_find_format(FDC_DRIVE_AUTO, blk_nb_sectors(blk)) : NULL;
    if (f) {
        *type = f->type;
        return true;
    }
    if (fdc->fallback && !fdc_parse_type(fdc->fallback, &t, errp)) {
        return false;
    }
    *type = t == FDC_DRIVE_AUTO ? FDC_DRIVE_288 : t;
    return true;
}

static void fdc_drive_insert(FdcDrive *d, BlockBackend *blk)
{
    const FdcFormat *f = NULL;

    d->blk = blk;
    if (blk_size(blk) && d->type != FDC_DRIVE_NONE) {
        f = fdc_find_format(d->type, blk_nb_sectors(blk));
    }
    d->has_medium = f != NULL;
    d->ro = blk_is_read_only(blk);
    if (f) {
        d->last_sect = f->last_sect;
        d->max_track = f->max_track;
        d->heads = f->heads;
        d->media_rate = f->rate;
    }
    d->media_changed = true;
}

static FdcState *floppy_find_fdc(Machine *m)
{
    for (unsigned i = 0; i < m->nr_devices; i++) {
        if (object_is_a(m->devices[i], TYPE_ISA_FDC)) {
            return (FdcState *)m->devices[i];
        }
    }
    return NULL;
}

static bool floppy_pick_unit(FloppyState *f, FdcState *fdc, char **errp)
{
    if (f->unit == FDC_UNIT_AUTO) {
        for (f->unit = 0; f->unit < FDC_MAX_DRIVES && fdc->drv[f->unit].dev; f->unit++) {
        }
    }
    if (f->unit >= FDC_MAX_DRIVES) {
        *errp = g_strdup_printf("Can't create floppy unit %u, bus supports only %d units",
                                f->unit, FDC_MAX_DRIVES);
        return false;
    }
    if (fdc->drv[f->unit].dev) {
        *errp = g_strdup_printf("Floppy unit %u is in use", f->unit);
        return false;
    }
    return true;
}

static void floppy_init(Object *obj)
{
    FloppyState *f = (FloppyState *)obj;

    f->unit = FDC_UNIT_AUTO;
}

static bool floppy_realize(Object *obj, Machine *m, char **errp)
{
    FloppyState *f = (FloppyState *)obj;
    FdcState *fdc = floppy_find_fdc(m);
    FdcDriveType type = FDC_DRIVE_AUTO;
    BlockBackend *blk = NULL;
    FdcDrive *d;

    if (!fdc) {
        *errp = g_strdup("No 'floppy-bus' bus found for device 'floppy'");
        return false;
    }
    if (!floppy_pick_unit(f, fdc, errp) ||
        (f->drive_type && !fdc_parse_type(f->drive_type, &type, errp))) {
        return false;
    }
    if (f->drive && (!(blk = blk_lookup(m, f->drive, errp)) || !blk_attach(blk, obj, errp))) {
        return false;
    }
    if (!fdc_resolve_type(fdc, f->unit, &type, blk, errp)) {
        return false;
    }
    d = &fdc->drv[f->unit];
    d->dev = obj;
    d->type = type;
    fdc_drive_insert(d, blk);
    return true;
}

static const Property floppy_props[] = {
    {"unit", PROP_U32, offsetof(FloppyState, unit), "drive unit 0 or 1 (default: first free)"},
    {"drive", PROP_STR, offsetof(FloppyState, drive),
     "id of the -drive holding the disk (none: an empty drive)"},
    {"drive-type", PROP_STR, offsetof(FloppyState, drive_type),
     "144, 288, 120, none or auto (default auto)"},
    {.name = NULL},
};

const TypeInfo floppy_type = {
    .name = TYPE_FLOPPY,
    .parent = "device",
    .desc = "floppy drive on the floppy controller's bus",
    OBJECT_INSTANCE(FloppyState),
    .user_creatable = true,
    .props = floppy_props,
    .init = floppy_init,
    .realize = floppy_realize,
};

/* The controller's bus, an object of its own in the tree as in QEMU. */
const TypeInfo floppy_bus_type = {
    .name = TYPE_FLOPPY_BUS,
    .desc = "the floppy controller's drive bus",
    OBJECT_INSTANCE(Object),
};
