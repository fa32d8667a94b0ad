/* SPDX-License-Identifier: MIT */
/*
 * The ATA side of an IDE cable (ATA/ATAPI-6, T13/1410D; DATA SET
 * MANAGEMENT from ATA8-ACS, T13/1699-D 7.10): the task file shared by two
 * devices, software reset, PIO data blocks, DMA through the controller's
 * engine, and the ATA command set of a hard disk, with the few ATA
 * commands a packet device takes. IDENTIFY DEVICE gives QEMU 7.2's words.
 * Left out: CFA, security, SMART (aborted), HPA (READ NATIVE MAX only),
 * queued commands, the timing of BSY (the device is ready when its bottom
 * half has run), and the standby timer.
 */
#include "hw/ide/ide.h"

#include <errno.h>
#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"

/* Commands (ATA/ATAPI-6 section 8) */
#define WIN_NOP                 0x00
#define WIN_DSM                 0x06
#define WIN_DEVICE_RESET        0x08
#define WIN_RECAL               0x10    /* 0x10-0x1f */
#define WIN_READ                0x20
#define WIN_READ_ONCE           0x21
#define WIN_READ_EXT            0x24
#define WIN_READDMA_EXT         0x25
#define WIN_READ_NATIVE_MAX_EXT 0x27
#define WIN_MULTREAD_EXT        0x29
#define WIN_WRITE               0x30
#define WIN_WRITE_ONCE          0x31
#define WIN_WRITE_EXT           0x34
#define WIN_WRITEDMA_EXT        0x35
#define WIN_MULTWRITE_EXT       0x39
#define WIN_VERIFY              0x40
#define WIN_VERIFY_ONCE         0x41
#define WIN_VERIFY_EXT          0x42
#define WIN_SEEK                0x70    /* 0x70-0x7f */
#define WIN_DIAGNOSE            0x90
#define WIN_SPECIFY             0x91    /* INITIALIZE DEVICE PARAMETERS */
#define WIN_PACKETCMD           0xa0
#define WIN_PIDENTIFY           0xa1
#define WIN_MULTREAD            0xc4
#define WIN_MULTWRITE           0xc5
#define WIN_SETMULT             0xc6
#define WIN_READDMA             0xc8
#define WIN_READDMA_ONCE        0xc9
#define WIN_WRITEDMA            0xca
#define WIN_WRITEDMA_ONCE       0xcb
#define WIN_STANDBYNOW1         0xe0
#define WIN_IDLEIMMEDIATE       0xe1
#define WIN_STANDBY             0xe2
#define WIN_SETIDLE1            0xe3
#define WIN_CHECKPOWERMODE1     0xe5
#define WIN_SLEEPNOW1           0xe6
#define WIN_FLUSH_CACHE         0xe7
#define WIN_FLUSH_CACHE_EXT     0xea
#define WIN_IDENTIFY            0xec
#define WIN_SETFEATURES         0xef
#define WIN_READ_NATIVE_MAX     0xf8

/* SET FEATURES subcommands (8.37) */
#define SETFEAT_WCACHE_ON       0x02
#define SETFEAT_XFER_MODE       0x03
#define SETFEAT_WCACHE_OFF      0x82
/* Transfer mode values (nsector >> 3) */
#define XFER_PIO_DEFAULT        0x00
#define XFER_PIO                0x01
#define XFER_SWDMA              0x02
#define XFER_MWDMA              0x04
#define XFER_UDMA               0x08
#define XFER_MODE_DEFAULT       0x45    /* UDMA5, as QEMU's IDENTIFY word 88 */

/* DATA SET MANAGEMENT (ATA8-ACS 7.10): feature bit 0, TRIM; ranges of
 * 8 bytes, LBA in 47:0 and a count in 63:48 (0: an unused entry). */
#define DSM_TRIM                0x01
#define DSM_RANGE_SIZE          8

/* Identity QEMU 7.2 gives its drives */
#define IDE_FIRMWARE            "2.5+"
#define IDE_HD_MODEL            "QEMU HARDDISK"
#define IDE_CD_MODEL            "QEMU DVD-ROM"
#define IDE_LBA28_MAX           0x0fffffffu

static inline IDEDrive *ide_cur(IDEBus *bus)
{
    return &bus->drive[bus->unit];
}

static bool ide_present(const IDEDrive *s)
{
    return s->kind != IDE_NONE;
}

/* ---------------------------------------------------------------------- */
/* Interrupts and completion                                               */

/* INTRQ, unless nIEN (7.8); reading the status register lowers it. */
void ide_set_irq(IDEBus *bus)
{
    if (!(bus->devctl & IDE_CTL_NIEN)) {
        bus->irq_level = 1;
        irq_set(bus->irq, 1);
    }
}

static void ide_lower_irq(IDEBus *bus)
{
    bus->irq_level = 0;
    irq_set(bus->irq, 0);
}

static void ide_pio_stop(IDEDrive *s)
{
    s->pio_pos = s->pio_end = 0;
    s->pio_end_kind = IDE_PIO_NONE;
    s->status &= ~IDE_STAT_DRQ;
}

void ide_cmd_done(IDEDrive *s)
{
    ide_pio_stop(s);
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
    ide_set_irq(s->bus);
}

void ide_abort(IDEDrive *s)
{
    ide_pio_stop(s);
    s->xfer = IDE_XFER_NONE;
    s->dma = s->dma_waiting = false;
    s->status = IDE_STAT_DRDY | IDE_STAT_ERR;
    s->error = IDE_ERR_ABRT;
}

static void ide_error(IDEDrive *s, uint8_t error)
{
    ide_abort(s);
    s->error = error;
    ide_set_irq(s->bus);
}

/* The guest's PIO block: len bytes of buf, in (to the host) or out. */
void ide_pio_start(IDEDrive *s, uint32_t len, IDEPioEnd kind)
{
    s->pio_pos = 0;
    s->pio_end = MIN(len, IDE_BUF_SIZE);
    s->pio_end_kind = kind;
    s->buf_live = MAX(s->buf_live, s->pio_end);
    s->status = (s->status & ~IDE_STAT_BSY) | IDE_STAT_DRQ;
}

bool ide_pio_is_out(const IDEDrive *s)
{
    switch (s->pio_end_kind) {
    case IDE_PIO_WRITE:
    case IDE_PIO_DSM:
    case IDE_PIO_PACKET:
    case IDE_PIO_ATAPI_OUT:
        return true;
    default:
        return false;
    }
}

/* ---------------------------------------------------------------------- */
/* Signature, reset                                                        */

/* The signature a device puts in the task file after a reset (9.12). */
void ide_set_signature(IDEDrive *s)
{
    s->select &= ~0x0f;
    s->nsector = 1;
    s->sector = 1;
    if (s->kind == IDE_CD) {
        s->lcyl = 0x14;
        s->hcyl = 0xeb;
    } else if (s->kind == IDE_HD) {
        s->lcyl = 0;
        s->hcyl = 0;
    } else {
        s->lcyl = 0xff;
        s->hcyl = 0xff;
    }
}

static void ide_cancel_xfer(IDEDrive *s)
{
    blk_req_cancel(&s->req);
    s->xfer = IDE_XFER_NONE;
    s->dma = s->dma_waiting = false;
    s->left = s->chunk = 0;
}

static void ide_drive_reset(IDEDrive *s)
{
    ide_cancel_xfer(s);
    s->feature = s->nsector = s->sector = s->lcyl = s->hcyl = 0;
    s->hob_feature = s->hob_nsector = s->hob_sector = 0;
    s->hob_lcyl = s->hob_hcyl = 0;
    s->select = IDE_SEL_OBS;
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
    s->error = 0;
    s->cmd = 0;
    s->mult_sectors = s->kind == IDE_HD ? IDE_MAX_MULT : 0;
    s->lba48 = false;
    s->lba = 0;
    ide_pio_stop(s);
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
    ide_set_signature(s);
    atapi_reset(s);
}

/* Power-on: the settings too (a software reset keeps them, 9.2). */
static void ide_drive_power_on(IDEDrive *s)
{
    s->xfer_mode = XFER_MODE_DEFAULT;
    s->wcache = true;
    s->standby = false;
    s->cur_heads = s->heads;
    s->cur_sectors = s->sectors;
    s->buf_live = 0;
    s->tray_locked = false;
    s->tray_open = false;
    ide_drive_reset(s);
}

void ide_bus_reset(IDEBus *bus)
{
    bus->unit = 0;
    bus->devctl = 0;
    for (unsigned i = 0; i < IDE_UNITS; i++) {
        ide_drive_power_on(&bus->drive[i]);
    }
    ide_lower_irq(bus);
}

/* ---------------------------------------------------------------------- */
/* Task file                                                               */

/* A device absent, or a device 1 that is absent: its registers read 0
 * (the cable's pull-downs; QEMU reads 0 too). */
static bool ide_reads_zero(const IDEBus *bus)
{
    const IDEDrive *s = &bus->drive[bus->unit];
    if (!ide_present(&bus->drive[0]) && !ide_present(&bus->drive[1])) {
        return true;
    }
    return bus->unit == 1 && !ide_present(s);
}

uint32_t ide_reg_read(IDEBus *bus, unsigned reg)
{
    IDEDrive *s = ide_cur(bus);
    bool hob = bus->devctl & IDE_CTL_HOB;

    switch (reg) {
    case IDE_REG_DATA:
        return 0xff;
    case IDE_REG_ERROR:
        return ide_reads_zero(bus) ? 0 : hob ? s->hob_feature : s->error;
    case IDE_REG_NSECTOR:
        return ide_reads_zero(bus) ? 0 : hob ? s->hob_nsector : s->nsector;
    case IDE_REG_SECTOR:
        return ide_reads_zero(bus) ? 0 : hob ? s->hob_sector : s->sector;
    case IDE_REG_LCYL:
        return ide_reads_zero(bus) ? 0 : hob ? s->hob_lcyl : s->lcyl;
    case IDE_REG_HCYL:
        return ide_reads_zero(bus) ? 0 : hob ? s->hob_hcyl : s->hcyl;
    case IDE_REG_SELECT:
        if (!ide_present(&bus->drive[0]) && !ide_present(&bus->drive[1])) {
            return 0;
        }
        return s->select;
    default:
        ide_lower_irq(bus);
        return ide_reads_zero(bus) ? 0 : s->status;
    }
}

uint32_t ide_altstatus_read(IDEBus *bus)
{
    return ide_reads_zero(bus) ? 0 : ide_cur(bus)->status;
}

/* Both devices take every register write (7.1); the previous value moves
 * to the HOB half; a write clears HOB in device control (7.8). */
static void ide_tf_write(IDEBus *bus, unsigned reg, uint8_t val)
{
    bus->devctl &= ~IDE_CTL_HOB;
    for (unsigned i = 0; i < IDE_UNITS; i++) {
        IDEDrive *d = &bus->drive[i];
        switch (reg) {
        case IDE_REG_FEATURE:
            d->hob_feature = d->feature;
            d->feature = val;
            break;
        case IDE_REG_NSECTOR:
            d->hob_nsector = d->nsector;
            d->nsector = val;
            break;
        case IDE_REG_SECTOR:
            d->hob_sector = d->sector;
            d->sector = val;
            break;
        case IDE_REG_LCYL:
            d->hob_lcyl = d->lcyl;
            d->lcyl = val;
            break;
        case IDE_REG_HCYL:
            d->hob_hcyl = d->hcyl;
            d->hcyl = val;
            break;
        default:
            d->select = val | IDE_SEL_OBS;
            break;
        }
    }
    if (reg == IDE_REG_SELECT) {
        bus->unit = (val & IDE_SEL_DEV) ? 1 : 0;
    }
}

static void ide_exec_cmd(IDEBus *bus, uint8_t cmd);

void ide_reg_write(IDEBus *bus, unsigned reg, uint32_t val)
{
    IDEDrive *s = ide_cur(bus);

    if (reg == IDE_REG_DATA) {
        return;
    }
    if (reg == IDE_REG_COMMAND) {
        bus->devctl &= ~IDE_CTL_HOB;
        ide_lower_irq(bus);
        ide_exec_cmd(bus, val);
        return;
    }
    /* Writes while BSY or DRQ are not allowed (7.1): ignored. */
    if (s->status & (IDE_STAT_BSY | IDE_STAT_DRQ)) {
        guest_error("ide: register %u written while busy", reg);
        return;
    }
    ide_tf_write(bus, reg, val);
}

/* SRST (9.2): both devices reset at once, their settings kept; the
 * signature in the task file. QEMU finishes in a bottom half after the
 * rising edge: the reset is done before the guest can look. */
void ide_devctl_write(IDEBus *bus, uint32_t val)
{
    if (!(bus->devctl & IDE_CTL_SRST) && (val & IDE_CTL_SRST)) {
        for (unsigned i = 0; i < IDE_UNITS; i++) {
            IDEDrive *s = &bus->drive[i];
            ide_drive_reset(s);
            s->status = s->kind == IDE_CD ? 0 : IDE_STAT_DRDY | IDE_STAT_DSC;
            s->error = 0x01;
        }
        bus->unit = 0;
    }
    bus->devctl = val;
}

/* ---------------------------------------------------------------------- */
/* Data register                                                           */

static void ide_pio_block_done(IDEDrive *s);

uint32_t ide_data_read(IDEBus *bus, unsigned size)
{
    IDEDrive *s = ide_cur(bus);
    uint8_t bytes[4] = { 0 };

    /* Only while DRQ is set for a data-in block; else 0, as QEMU. */
    if (!(s->status & IDE_STAT_DRQ) || ide_pio_is_out(s) ||
        s->pio_pos >= s->pio_end) {
        return 0;
    }
    size = MIN(size, s->pio_end - s->pio_pos);
    memcpy(bytes, s->buf + s->pio_pos, size);
    s->pio_pos += size;
    if (s->pio_pos >= s->pio_end) {
        ide_pio_block_done(s);
    }
    return ld_le32(bytes);
}

void ide_data_write(IDEBus *bus, uint32_t val, unsigned size)
{
    IDEDrive *s = ide_cur(bus);
    uint8_t bytes[4];

    if (!(s->status & IDE_STAT_DRQ) || !ide_pio_is_out(s) ||
        s->pio_pos >= s->pio_end) {
        return;
    }
    st_le32(bytes, val);
    size = MIN(size, s->pio_end - s->pio_pos);
    memcpy(s->buf + s->pio_pos, bytes, size);
    s->pio_pos += size;
    if (s->pio_pos >= s->pio_end) {
        ide_pio_block_done(s);
    }
}

/* ---------------------------------------------------------------------- */
/* LBA and sector count                                                    */

static uint64_t ide_get_lba(const IDEDrive *s)
{
    if (!(s->select & IDE_SEL_LBA)) {
        /* CHS in the current translation (8.x, "CHS addressing") */
        uint32_t cyl = ((uint32_t)s->hcyl << 8) | s->lcyl;
        uint32_t head = s->select & 0x0f;
        uint32_t heads = s->cur_heads ? s->cur_heads : 1;
        uint32_t secs = s->cur_sectors ? s->cur_sectors : 1;
        if (s->sector == 0) {
            return UINT64_MAX;      /* sector numbers start at 1 */
        }
        return ((uint64_t)cyl * heads + head) * secs + (s->sector - 1);
    }
    if (s->lba48) {
        return ((uint64_t)s->hob_hcyl << 40) | ((uint64_t)s->hob_lcyl << 32) |
               ((uint64_t)s->hob_sector << 24) | ((uint64_t)s->hcyl << 16) |
               ((uint64_t)s->lcyl << 8) | s->sector;
    }
    return ((uint64_t)(s->select & 0x0f) << 24) | ((uint64_t)s->hcyl << 16) |
           ((uint64_t)s->lcyl << 8) | s->sector;
}

/* The address of the next sector back into the task file, as a device
 * reports progress (and the failing sector on an error). */
static void ide_set_lba(IDEDrive *s, uint64_t lba)
{
    if (!(s->select & IDE_SEL_LBA)) {
        uint32_t heads = s->cur_heads ? s->cur_heads : 1;
        uint32_t secs = s->cur_sectors ? s->cur_sectors : 1;
        uint64_t track = lba / secs;
        uint64_t cyl = track / heads;
        s->hcyl = cyl >> 8;
        s->lcyl = cyl;
        s->select = (s->select & 0xf0) | (track % heads);
        s->sector = lba % secs + 1;
    } else if (s->lba48) {
        s->sector = lba;
        s->lcyl = lba >> 8;
        s->hcyl = lba >> 16;
        s->hob_sector = lba >> 24;
        s->hob_lcyl = lba >> 32;
        s->hob_hcyl = lba >> 40;
    } else {
        s->select = (s->select & 0xf0) | ((lba >> 24) & 0x0f);
        s->hcyl = lba >> 16;
        s->lcyl = lba >> 8;
        s->sector = lba;
    }
}

/* Sector count: 0 means 256 (65536 for 48-bit commands). */
static uint32_t ide_get_count(const IDEDrive *s)
{
    if (s->lba48) {
        uint32_t n = ((uint32_t)s->hob_nsector << 8) | s->nsector;
        return n ? n : 65536;
    }
    return s->nsector ? s->nsector : 256;
}

static bool ide_range_ok(const IDEDrive *s, uint64_t lba, uint64_t count)
{
    return lba <= s->nb_sectors && count <= s->nb_sectors - lba;
}

/* Sets up the transfer of count sectors at the task file's address; false
 * (the command failed, IDNF) if they are not on the medium. */
static bool ide_setup_xfer(IDEDrive *s, IDEXfer xfer, bool lba48)
{
    s->lba48 = lba48;
    s->lba = ide_get_lba(s);
    s->left = ide_get_count(s);
    if (s->lba == UINT64_MAX || !ide_range_ok(s, s->lba, s->left) ||
        !blk_size(s->blk)) {
        guest_error("ide: sectors %llu+%u past the medium",
                    (unsigned long long)s->lba, s->left);
        ide_error(s, IDE_ERR_IDNF | IDE_ERR_ABRT);
        return false;
    }
    s->xfer = xfer;
    return true;
}

/* ---------------------------------------------------------------------- */
/* Medium transfers                                                        */

static uint32_t ide_block_sectors(const IDEDrive *s)
{
    bool multiple = s->cmd == WIN_MULTREAD || s->cmd == WIN_MULTWRITE ||
                    s->cmd == WIN_MULTREAD_EXT || s->cmd == WIN_MULTWRITE_EXT;

    if (s->dma) {
        return IDE_BUF_SIZE / IDE_SECTOR_SIZE;
    }
    return multiple ? s->mult_sectors : 1;
}

/* Submits the next request of the transfer (a chunk of it). */
void ide_xfer_submit(IDEDrive *s)
{
    BlockOp op = BLK_OP_READ;
    uint32_t len;

    s->chunk = MIN(s->left, ide_block_sectors(s));
    if (s->xfer == IDE_XFER_VERIFY) {
        /* No data reaches the host side: the whole range at once (QEMU
         * checks nothing; a drive reads every sector, without a transfer,
         * so a VERIFY of 65536 sectors costs one request, not 65536). */
        s->chunk = s->left;
        s->status = (s->status | IDE_STAT_BSY) & ~IDE_STAT_DRQ;
        if (!blk_req_submit(&s->req, s->blk, BLK_OP_VERIFY, s->lba * IDE_SECTOR_SIZE, NULL,
                            (size_t)s->chunk * IDE_SECTOR_SIZE)) {
            emu_bug("ide: request submitted twice");
        }
        return;
    }
    len = s->chunk * IDE_SECTOR_SIZE;
    switch (s->xfer) {
    case IDE_XFER_WRITE:
        op = BLK_OP_WRITE;
        if (s->dma) {
            s->buf_live = MAX(s->buf_live, len);
            if (s->bus->dma_ops->rw(s->bus->dma_opaque, s->buf, len, false) < len) {
                ide_dma_finish(s, false, true);
                return;
            }
        }
        break;
    case IDE_XFER_FLUSH:
        op = BLK_OP_FLUSH;
        len = 0;
        break;
    default:
        break;
    }
    s->buf_live = MAX(s->buf_live, len);
    s->status = (s->status | IDE_STAT_BSY) & ~IDE_STAT_DRQ;
    if (s->dma) {
        s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ;  /* as QEMU */
    }
    if (!blk_req_submit(&s->req, s->blk, op, s->lba * IDE_SECTOR_SIZE, s->buf, len)) {
        emu_bug("ide: request submitted twice");
    }
}

/* The engine's part of a DMA command is over. */
void ide_dma_finish(IDEDrive *s, bool error, bool short_table)
{
    IDEBus *bus = s->bus;

    /* The device is ready again below: no request of this command may
     * still be in flight (the next command submits its own). */
    blk_req_cancel(&s->req);
    s->dma = s->dma_waiting = false;
    s->xfer = IDE_XFER_NONE;
    if (short_table) {
        /* SFF-8038i: a table shorter than the transfer; QEMU leaves the
         * device ready, no interrupt. */
        s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
    } else if (error) {
        s->status = IDE_STAT_DRDY | IDE_STAT_ERR;
        s->error = IDE_ERR_ABRT;
    } else {
        s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
    }
    if (bus->dma_ops) {
        bus->dma_ops->end(bus->dma_opaque, error, short_table);
    }
    if (!short_table) {
        ide_set_irq(bus);
    }
}

static void ide_advance(IDEDrive *s)
{
    s->lba += s->chunk;
    s->left -= s->chunk;
    s->nsector = s->left & 0xff;
    if (s->lba48) {
        s->hob_nsector = s->left >> 8;
    }
    ide_set_lba(s, s->lba);
}

static void ide_read_done(IDEDrive *s)
{
    uint32_t len = s->chunk * IDE_SECTOR_SIZE;

    if (s->dma) {
        if (s->bus->dma_ops->rw(s->bus->dma_opaque, s->buf, len, true) < len) {
            ide_dma_finish(s, false, true);
            return;
        }
        ide_advance(s);
        if (s->left) {
            ide_xfer_submit(s);
        } else {
            ide_dma_finish(s, false, false);
        }
        return;
    }
    /* A PIO block: the guest reads it, then the next one comes. */
    ide_advance(s);
    ide_pio_start(s, len, IDE_PIO_READ);
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ;
    ide_set_irq(s->bus);
}

static void ide_write_done(IDEDrive *s)
{
    ide_advance(s);
    if (s->dma) {
        if (s->left) {
            ide_xfer_submit(s);
        } else {
            ide_dma_finish(s, false, false);
        }
        return;
    }
    if (!s->left) {
        s->xfer = IDE_XFER_NONE;
        ide_cmd_done(s);
        return;
    }
    s->chunk = MIN(s->left, ide_block_sectors(s));
    ide_pio_start(s, s->chunk * IDE_SECTOR_SIZE, IDE_PIO_WRITE);
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ;
    ide_set_irq(s->bus);
}

static void ide_trim_next(IDEDrive *s);

/* A request completed (bottom half, the controller entered). */
static void ide_req_done(void *opaque, int ret)
{
    IDEDrive *s = opaque;

    if (s->xfer == IDE_XFER_CD_READ) {
        atapi_read_done(s, ret);
        return;
    }
    if (ret < 0 && s->xfer != IDE_XFER_TRIM) {
        guest_error("ide: medium transfer failed (%d)", ret);
        if (s->dma) {
            ide_dma_finish(s, true, false);
        } else {
            ide_error(s, ret == -EROFS ? IDE_ERR_ABRT : IDE_ERR_ABRT | IDE_ERR_UNC);
        }
        return;
    }
    switch (s->xfer) {
    case IDE_XFER_READ:
        ide_read_done(s);
        break;
    case IDE_XFER_WRITE:
        ide_write_done(s);
        break;
    case IDE_XFER_TRIM:
        ide_trim_next(s);
        break;
    case IDE_XFER_VERIFY:
        ide_advance(s);
        if (s->left) {
            ide_xfer_submit(s);
            break;
        }
        /* fall through */
    default:
        s->xfer = IDE_XFER_NONE;
        ide_cmd_done(s);
        break;
    }
}

/* ---------------------------------------------------------------------- */
/* DMA                                                                     */

static bool ide_engine_running(const IDEBus *bus)
{
    return bus->dma_ops && bus->dma_ops->running(bus->dma_opaque);
}

static void ide_dma_go(IDEDrive *s)
{
    s->dma_waiting = false;
    if (s->kind == IDE_CD) {
        atapi_dma_run(s);
    } else if (s->xfer == IDE_XFER_TRIM) {
        uint32_t len = s->left * IDE_SECTOR_SIZE;
        s->buf_live = MAX(s->buf_live, len);
        if (s->bus->dma_ops->rw(s->bus->dma_opaque, s->buf, len, false) < len) {
            ide_dma_finish(s, false, true);
            return;
        }
        s->chunk = 0;       /* the range being done */
        s->left = len / DSM_RANGE_SIZE;
        ide_trim_next(s);
    } else {
        ide_xfer_submit(s);
    }
}

/* A DMA command: DRQ set, the data moves once the engine runs. */
static void ide_dma_setup(IDEDrive *s)
{
    s->dma = true;
    s->dma_waiting = true;
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ;
    if (ide_engine_running(s->bus)) {
        ide_dma_go(s);
    }
}

void ide_dma_start(IDEBus *bus)
{
    IDEDrive *s = ide_cur(bus);

    if (s->dma_waiting) {
        ide_dma_go(s);
    }
}

/* The guest stopped the engine mid-transfer: the transfer is dropped, the
 * device left ready without an interrupt (as QEMU ends it). */
void ide_dma_cancel(IDEBus *bus)
{
    for (unsigned i = 0; i < IDE_UNITS; i++) {
        IDEDrive *s = &bus->drive[i];
        if (s->dma && !s->dma_waiting) {
            ide_cancel_xfer(s);
            s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
        }
    }
}

/* ---------------------------------------------------------------------- */
/* TRIM                                                                    */

/* One range of the list a request (chunk: the index of the next range). */
static void ide_trim_next(IDEDrive *s)
{
    while (s->chunk < s->left) {
        const uint8_t *r = s->buf + (size_t)s->chunk++ * DSM_RANGE_SIZE;
        uint64_t ent = ld_le64(r);
        uint64_t lba = ent & 0x0000ffffffffffffull;
        uint32_t count = ent >> 48;
        if (!count) {
            continue;
        }
        if (!ide_range_ok(s, lba, count)) {
            guest_error("ide: TRIM range %llu+%u past the medium",
                        (unsigned long long)lba, count);
            ide_dma_finish(s, true, false);
            return;
        }
        blk_req_submit(&s->req, s->blk, BLK_OP_DISCARD, lba * IDE_SECTOR_SIZE, NULL,
                       (size_t)count * IDE_SECTOR_SIZE);
        return;
    }
    ide_dma_finish(s, false, false);
}

/* ---------------------------------------------------------------------- */
/* IDENTIFY                                                                */

/* ATA strings: two characters a word, the first in the high byte. */
static void ide_put_str(uint8_t *p, const char *str, size_t len)
{
    size_t n = strlen(str);
    for (size_t i = 0; i < len; i++) {
        p[i ^ 1] = i < n ? str[i] : ' ';
    }
}

static void ide_put_w(uint8_t *p, unsigned word, uint16_t val)
{
    st_le16(p + 2 * word, val);
}

static void ide_put_dmamodes(IDEDrive *s, uint8_t *p)
{
    unsigned mode = s->xfer_mode & 7;
    unsigned type = s->xfer_mode >> 3;

    ide_put_w(p, 62, 0x07 | (type == XFER_SWDMA ? 1u << (8 + mode) : 0));
    ide_put_w(p, 63, 0x07 | (type == XFER_MWDMA ? 1u << (8 + mode) : 0));
    ide_put_w(p, 88, 0x3f | (type == XFER_UDMA ? 1u << (8 + mode) : 0));
}

static void ide_put_ident_strings(IDEDrive *s, uint8_t *p)
{
    ide_put_str(p + 20, s->serial, IDE_SERIAL_LEN);
    ide_put_w(p, 20, 3);                /* buffer type (obsolete) */
    ide_put_w(p, 21, 512);              /* buffer size, sectors */
    ide_put_w(p, 22, 4);                /* ECC bytes */
    ide_put_str(p + 46, IDE_FIRMWARE, 8);
    ide_put_str(p + 54, s->model, IDE_MODEL_LEN);
}

/* IDENTIFY DEVICE data (8.15), QEMU 7.2's words. */
static void ide_identify(IDEDrive *s)
{
    uint8_t *p = s->buf;
    uint64_t cur_cap = (uint64_t)s->cylinders * s->cur_heads * s->cur_sectors;
    uint32_t lba28 = MIN(s->nb_sectors, IDE_LBA28_MAX);

    memset(p, 0, IDE_SECTOR_SIZE);
    ide_put_w(p, 0, 0x0040);            /* fixed device */
    ide_put_w(p, 1, s->cylinders);
    ide_put_w(p, 3, s->heads);
    ide_put_w(p, 4, 512 * s->sectors);  /* obsolete: bytes a track */
    ide_put_w(p, 5, 512);
    ide_put_w(p, 6, s->sectors);
    ide_put_ident_strings(s, p);
    ide_put_w(p, 47, 0x8000 | IDE_MAX_MULT);
    ide_put_w(p, 48, 1);                /* dword I/O (obsolete) */
    ide_put_w(p, 49, 0x0b00);           /* IORDY, LBA, DMA */
    ide_put_w(p, 51, 0x200);
    ide_put_w(p, 52, 0x200);
    ide_put_w(p, 53, 0x0007);           /* words 54-58, 64-70, 88 valid */
    ide_put_w(p, 54, s->cylinders);
    ide_put_w(p, 55, s->cur_heads);
    ide_put_w(p, 56, s->cur_sectors);
    ide_put_w(p, 57, cur_cap);
    ide_put_w(p, 58, cur_cap >> 16);
    if (s->mult_sectors) {
        ide_put_w(p, 59, 0x100 | s->mult_sectors);
    }
    ide_put_w(p, 60, lba28);
    ide_put_w(p, 61, lba28 >> 16);
    ide_put_dmamodes(s, p);
    ide_put_w(p, 64, 0x03);             /* PIO 3-4 */
    ide_put_w(p, 65, 120);
    ide_put_w(p, 66, 120);
    ide_put_w(p, 67, 120);
    ide_put_w(p, 68, 120);
    ide_put_w(p, 69, 0x4000);           /* deterministic read after TRIM */
    ide_put_w(p, 80, 0xf0);             /* ATA-4 to ATA-7 */
    ide_put_w(p, 81, 0x16);
    ide_put_w(p, 82, 0x4021);           /* write cache, SMART */
    ide_put_w(p, 83, 0x7400);           /* 48-bit, FLUSH CACHE (EXT) */
    ide_put_w(p, 84, 0x4000);
    ide_put_w(p, 85, 0x4001 | (s->wcache ? 0x20 : 0));
    ide_put_w(p, 86, 0x3400);
    ide_put_w(p, 87, 0x4000);
    ide_put_w(p, 93, 0x6001);           /* 80-conductor cable */
    ide_put_w(p, 100, s->nb_sectors);
    ide_put_w(p, 101, s->nb_sectors >> 16);
    ide_put_w(p, 102, s->nb_sectors >> 32);
    ide_put_w(p, 103, s->nb_sectors >> 48);
    ide_put_w(p, 106, 0x6000);
    ide_put_w(p, 169, 1);               /* DATA SET MANAGEMENT, TRIM */
}

/* IDENTIFY PACKET DEVICE data (8.16), QEMU 7.2's words. */
void ide_identify_packet(IDEDrive *s)
{
    uint8_t *p = s->buf;

    memset(p, 0, IDE_SECTOR_SIZE);
    /* ATAPI, CD-ROM, removable, DRQ within 50 us, 12-byte packets */
    ide_put_w(p, 0, (2 << 14) | (5 << 8) | (1 << 7) | (2 << 5));
    ide_put_ident_strings(s, p);
    ide_put_w(p, 48, 1);
    ide_put_w(p, 49, 0x0300);           /* LBA, DMA */
    ide_put_w(p, 53, 0x0007);
    ide_put_dmamodes(s, p);
    ide_put_w(p, 64, 0x03);
    ide_put_w(p, 65, 0xb4);
    ide_put_w(p, 66, 0xb4);
    ide_put_w(p, 67, 0x12c);
    ide_put_w(p, 68, 0xb4);
    ide_put_w(p, 71, 30);
    ide_put_w(p, 72, 30);
    ide_put_w(p, 80, 0x1e);             /* ATA-1 to ATA-4 */
}

/* ---------------------------------------------------------------------- */
/* Commands                                                                */

/* Command flags: who takes it; whether it completes with DSC set. */
#define CMD_HD   0x01
#define CMD_CD   0x02
#define CMD_ALL  (CMD_HD | CMD_CD)

static uint8_t ide_cmd_flags(uint8_t cmd)
{
    if (cmd >= WIN_RECAL && cmd <= WIN_RECAL + 0x0f) {
        return CMD_HD;
    }
    if (cmd >= WIN_SEEK && cmd <= WIN_SEEK + 0x0f) {
        return CMD_HD;
    }
    switch (cmd) {
    case WIN_DEVICE_RESET:
    case WIN_PACKETCMD:
    case WIN_PIDENTIFY:
        return CMD_CD;
    case WIN_NOP:
    case WIN_DIAGNOSE:
    case WIN_SETFEATURES:
    case WIN_CHECKPOWERMODE1:
    case WIN_STANDBYNOW1:
    case WIN_IDLEIMMEDIATE:
    case WIN_STANDBY:
    case WIN_SETIDLE1:
    case WIN_SLEEPNOW1:
    case WIN_IDENTIFY:          /* a packet device aborts it, signature set */
    case WIN_READ:
    case WIN_READ_ONCE:
        return CMD_ALL;
    case WIN_DSM:
    case WIN_READ_EXT: case WIN_READDMA_EXT: case WIN_READ_NATIVE_MAX_EXT:
    case WIN_MULTREAD_EXT: case WIN_WRITE: case WIN_WRITE_ONCE:
    case WIN_WRITE_EXT: case WIN_WRITEDMA_EXT: case WIN_MULTWRITE_EXT:
    case WIN_VERIFY: case WIN_VERIFY_ONCE: case WIN_VERIFY_EXT:
    case WIN_SPECIFY: case WIN_MULTREAD: case WIN_MULTWRITE: case WIN_SETMULT:
    case WIN_READDMA: case WIN_READDMA_ONCE: case WIN_WRITEDMA:
    case WIN_WRITEDMA_ONCE: case WIN_FLUSH_CACHE: case WIN_FLUSH_CACHE_EXT:
    case WIN_READ_NATIVE_MAX:
        return CMD_HD;
    default:
        return 0;
    }
}

static void cmd_read_write(IDEDrive *s, IDEXfer xfer, bool lba48, bool dma)
{
    if (!ide_setup_xfer(s, xfer, lba48)) {
        return;
    }
    if (dma) {
        ide_dma_setup(s);
    } else if (xfer == IDE_XFER_WRITE) {
        /* The first block needs no interrupt (8.64, PIO data-out). */
        s->chunk = MIN(s->left, ide_block_sectors(s));
        ide_pio_start(s, s->chunk * IDE_SECTOR_SIZE, IDE_PIO_WRITE);
        s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ;
    } else {
        ide_xfer_submit(s);
    }
}

static void cmd_multiple(IDEDrive *s, IDEXfer xfer, bool lba48)
{
    if (!s->mult_sectors) {
        ide_error(s, IDE_ERR_ABRT);
        return;
    }
    cmd_read_write(s, xfer, lba48, false);
}

static void cmd_identify(IDEDrive *s)
{
    if (s->kind == IDE_CD) {
        /* A packet device aborts it, its signature in the task file. */
        ide_set_signature(s);
        ide_error(s, IDE_ERR_ABRT);
        return;
    }
    ide_identify(s);
    ide_pio_start(s, IDE_SECTOR_SIZE, IDE_PIO_IDENTIFY);
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ;
    ide_set_irq(s->bus);
}

static void cmd_pidentify(IDEDrive *s)
{
    ide_identify_packet(s);
    ide_pio_start(s, IDE_SECTOR_SIZE, IDE_PIO_IDENTIFY);
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ;
    ide_set_irq(s->bus);
}

static bool cmd_set_xfer_mode(IDEDrive *s)
{
    switch (s->nsector >> 3) {
    case XFER_PIO_DEFAULT:
    case XFER_PIO:
    case XFER_SWDMA:
    case XFER_MWDMA:
    case XFER_UDMA:
        s->xfer_mode = s->nsector;
        return true;
    default:
        return false;
    }
}

/* SET FEATURES (8.37): the subcommands QEMU takes; the rest abort. */
static void cmd_set_features(IDEDrive *s)
{
    bool ok = true;

    switch (s->feature) {
    case SETFEAT_WCACHE_ON:
        s->wcache = true;
        break;
    case SETFEAT_WCACHE_OFF:
        s->wcache = false;
        break;
    case SETFEAT_XFER_MODE:
        ok = cmd_set_xfer_mode(s);
        break;
    case 0x42: case 0xc2:       /* acoustic management */
    case 0xcc: case 0x66:       /* reverting to power-on defaults */
    case 0x05: case 0x85:       /* advanced power management */
    case 0x31: case 0xaa: case 0x55:  /* media status, read look-ahead */
        break;
    default:
        ok = false;
        break;
    }
    if (!ok) {
        guest_error("ide: SET FEATURES %#x not supported", s->feature);
        ide_error(s, IDE_ERR_ABRT);
        return;
    }
    ide_cmd_done(s);
}

/* SET MULTIPLE MODE (8.39): a power of two up to the maximum, 0 off. */
static void cmd_set_multiple(IDEDrive *s)
{
    if (s->nsector > IDE_MAX_MULT || (s->nsector & (s->nsector - 1))) {
        ide_error(s, IDE_ERR_ABRT);
        return;
    }
    s->mult_sectors = s->nsector;
    ide_cmd_done(s);
}

/* INITIALIZE DEVICE PARAMETERS (8.16 of ATA-6): sectors a track from the
 * sector count, heads from the device/head register. */
static void cmd_specify(IDEDrive *s)
{
    if (!s->nsector) {
        ide_error(s, IDE_ERR_ABRT);
        return;
    }
    s->cur_sectors = s->nsector;
    s->cur_heads = (s->select & 0x0f) + 1;
    ide_cmd_done(s);
}

static void cmd_read_native_max(IDEDrive *s, bool lba48)
{
    uint64_t max = s->nb_sectors ? s->nb_sectors - 1 : 0;

    s->lba48 = lba48;
    if (!lba48 && max > IDE_LBA28_MAX) {
        max = IDE_LBA28_MAX;
    }
    s->select |= IDE_SEL_LBA;
    ide_set_lba(s, max);
    ide_cmd_done(s);
}

static void cmd_dsm(IDEDrive *s)
{
    uint32_t blocks = ((uint32_t)s->hob_nsector << 8) | s->nsector;

    s->lba48 = true;
    if (!(s->feature & DSM_TRIM) || !blocks || blocks > IDE_BUF_SIZE / IDE_SECTOR_SIZE) {
        ide_error(s, IDE_ERR_ABRT);
        return;
    }
    s->xfer = IDE_XFER_TRIM;
    s->left = blocks;
    ide_dma_setup(s);
}

static void cmd_diagnose(IDEDrive *s)
{
    ide_set_signature(s);
    s->status = s->kind == IDE_CD ? 0 : IDE_STAT_DRDY | IDE_STAT_DSC;
    s->error = 0x01;        /* device 0 passed, device 1 passed or absent */
    ide_set_irq(s->bus);
}

static void cmd_device_reset(IDEDrive *s)
{
    ide_drive_reset(s);
    s->status = 0;
    s->error = 0x01;
}

static void cmd_flush(IDEDrive *s)
{
    s->xfer = IDE_XFER_FLUSH;
    s->dma = false;
    s->left = 0;
    ide_xfer_submit(s);
}

static void cmd_power(IDEDrive *s, uint8_t cmd)
{
    if (cmd == WIN_CHECKPOWERMODE1) {
        s->nsector = s->standby ? 0x00 : 0xff;
    } else {
        s->standby = cmd == WIN_STANDBYNOW1 || cmd == WIN_STANDBY ||
                     cmd == WIN_SLEEPNOW1;
    }
    ide_cmd_done(s);
}

static void ide_dispatch(IDEDrive *s, uint8_t cmd)
{
    if ((cmd & 0xf0) == WIN_RECAL || (cmd & 0xf0) == WIN_SEEK) {
        ide_cmd_done(s);
        return;
    }
    switch (cmd) {
    case WIN_DSM:           cmd_dsm(s); break;
    case WIN_DEVICE_RESET:  cmd_device_reset(s); break;
    case WIN_READ: case WIN_READ_ONCE:
        if (s->kind == IDE_CD) {
            ide_set_signature(s);
            ide_error(s, IDE_ERR_ABRT);
            break;
        }
        cmd_read_write(s, IDE_XFER_READ, false, false);
        break;
    case WIN_READ_EXT:      cmd_read_write(s, IDE_XFER_READ, true, false); break;
    case WIN_READDMA:
    case WIN_READDMA_ONCE:  cmd_read_write(s, IDE_XFER_READ, false, true); break;
    case WIN_READDMA_EXT:   cmd_read_write(s, IDE_XFER_READ, true, true); break;
    case WIN_MULTREAD:      cmd_multiple(s, IDE_XFER_READ, false); break;
    case WIN_MULTREAD_EXT:  cmd_multiple(s, IDE_XFER_READ, true); break;
    case WIN_WRITE:
    case WIN_WRITE_ONCE:    cmd_read_write(s, IDE_XFER_WRITE, false, false); break;
    case WIN_WRITE_EXT:     cmd_read_write(s, IDE_XFER_WRITE, true, false); break;
    case WIN_WRITEDMA:
    case WIN_WRITEDMA_ONCE: cmd_read_write(s, IDE_XFER_WRITE, false, true); break;
    case WIN_WRITEDMA_EXT:  cmd_read_write(s, IDE_XFER_WRITE, true, true); break;
    case WIN_MULTWRITE:     cmd_multiple(s, IDE_XFER_WRITE, false); break;
    case WIN_MULTWRITE_EXT: cmd_multiple(s, IDE_XFER_WRITE, true); break;
    case WIN_VERIFY:
    case WIN_VERIFY_ONCE:   cmd_read_write(s, IDE_XFER_VERIFY, false, false); break;
    case WIN_VERIFY_EXT:    cmd_read_write(s, IDE_XFER_VERIFY, true, false); break;
    case WIN_READ_NATIVE_MAX:     cmd_read_native_max(s, false); break;
    case WIN_READ_NATIVE_MAX_EXT: cmd_read_native_max(s, true); break;
    case WIN_DIAGNOSE:      cmd_diagnose(s); break;
    case WIN_SPECIFY:       cmd_specify(s); break;
    case WIN_PACKETCMD:     atapi_packet_cmd(s); break;
    case WIN_PIDENTIFY:     cmd_pidentify(s); break;
    case WIN_SETMULT:       cmd_set_multiple(s); break;
    case WIN_FLUSH_CACHE:
    case WIN_FLUSH_CACHE_EXT: cmd_flush(s); break;
    case WIN_IDENTIFY:      cmd_identify(s); break;
    case WIN_SETFEATURES:   cmd_set_features(s); break;
    case WIN_CHECKPOWERMODE1: case WIN_STANDBYNOW1: case WIN_IDLEIMMEDIATE:
    case WIN_STANDBY: case WIN_SETIDLE1: case WIN_SLEEPNOW1:
        cmd_power(s, cmd);
        break;
    default:                ide_error(s, IDE_ERR_ABRT); break;
    }
}

static void ide_exec_cmd(IDEBus *bus, uint8_t cmd)
{
    IDEDrive *s = ide_cur(bus);
    uint8_t flags = ide_cmd_flags(cmd);

    /* A command to an absent device 1 is ignored (9.x: no device). */
    if (!ide_present(s)) {
        return;
    }
    /* Only DEVICE RESET is taken while BSY or DRQ, by a packet device. */
    if (s->status & (IDE_STAT_BSY | IDE_STAT_DRQ)) {
        if (cmd != WIN_DEVICE_RESET || s->kind != IDE_CD) {
            guest_error("ide: command %#x while busy", cmd);
            return;
        }
    }
    s->cmd = cmd;
    if (!(flags & (s->kind == IDE_CD ? CMD_CD : CMD_HD))) {
        guest_error("ide: command %#x not supported", cmd);
        ide_error(s, IDE_ERR_ABRT);
        return;
    }
    s->status = IDE_STAT_DRDY | IDE_STAT_BSY;
    s->error = 0;
    ide_dispatch(s, cmd);
}

/* A PIO block was read or written whole. */
static void ide_pio_block_done(IDEDrive *s)
{
    IDEPioEnd kind = s->pio_end_kind;

    s->status &= ~IDE_STAT_DRQ;
    if (kind == IDE_PIO_PACKET || kind == IDE_PIO_ATAPI || kind == IDE_PIO_ATAPI_OUT) {
        atapi_pio_next(s);      /* it needs the block's bounds */
        return;
    }
    s->pio_pos = s->pio_end = 0;
    switch (kind) {
    case IDE_PIO_READ:
        if (s->left) {
            ide_xfer_submit(s);
        } else {
            s->xfer = IDE_XFER_NONE;
            s->pio_end_kind = IDE_PIO_NONE;
            s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
        }
        break;
    case IDE_PIO_WRITE:
        s->pio_end_kind = IDE_PIO_NONE;
        ide_xfer_submit(s);
        break;
    default:
        s->pio_end_kind = IDE_PIO_NONE;
        s->status &= ~IDE_STAT_BSY;
        break;
    }
}

void ide_pio_block_moved(IDEBus *bus)
{
    IDEDrive *s = ide_cur(bus);

    if ((s->status & IDE_STAT_DRQ) && s->pio_pos < s->pio_end) {
        s->pio_pos = s->pio_end;
        ide_pio_block_done(s);
    }
}

/* ---------------------------------------------------------------------- */
/* Set-up                                                                  */

void ide_drive_attach(IDEBus *bus, unsigned unit, IDEKind kind,
                      BlockBackend *blk, const char *serial, const char *model)
{
    IDEDrive *s = &bus->drive[unit];

    s->kind = kind;
    s->blk = blk;
    s->nb_sectors = kind == IDE_HD ? blk_nb_sectors(blk) : 0;
    if (serial) {
        g_strlcpy(s->serial, serial, sizeof(s->serial));
    } else {
        g_snprintf(s->serial, sizeof(s->serial), "QM%05u", bus->index * 2 + unit + 1);
    }
    g_strlcpy(s->model, model ? model : kind == IDE_CD ? IDE_CD_MODEL : IDE_HD_MODEL,
              sizeof(s->model));
    if (kind == IDE_HD) {
        blk_guess_geometry(s->nb_sectors, &s->cylinders, &s->heads, &s->sectors);
    }
    ide_drive_power_on(s);
}

bool ide_drive_geometry(const IDEBus *bus, unsigned unit, uint32_t *cyls,
                        uint32_t *heads, uint32_t *secs, bool *lba_trans)
{
    const IDEDrive *s = &bus->drive[unit];

    if (s->kind != IDE_HD) {
        return false;
    }
    *cyls = s->cylinders;
    *heads = s->heads;
    *secs = s->sectors;
    *lba_trans = s->cylinders > 1024;
    return true;
}

void ide_bus_init(IDEBus *bus, Object *owner, Clock *clock, unsigned index,
                  IRQ *irq, const IDEDMAOps *ops, void *opaque,
                  uint8_t *buf[IDE_UNITS])
{
    bus->owner = owner;
    bus->clock = clock;
    bus->index = index;
    bus->irq = irq;
    bus->dma_ops = ops;
    bus->dma_opaque = opaque;
    bus->units = IDE_UNITS;
    for (unsigned i = 0; i < IDE_UNITS; i++) {
        IDEDrive *s = &bus->drive[i];
        s->bus = bus;
        s->unit = i;
        s->buf = buf[i];
        blk_req_init(&s->req, owner, clock, ide_req_done, s);
    }
    ide_bus_reset(bus);
}
