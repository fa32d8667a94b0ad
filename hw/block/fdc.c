/* SPDX-License-Identifier: MIT */
/*
 * Intel 82078 floppy disk controller in PC-AT mode (Intel 82078 44-pin
 * datasheet, order 290474), as QEMU's isa-fdc: DOR, TDR, MSR/DSR, FIFO,
 * DIR/CCR, and SRB at 0x3f1 as QEMU reads it (SRA at 0x3f0 is a PS/2-mode
 * register that QEMU's ISA controller does not decode; neither do we). This
 * file: registers, the command/execution/result phases, interrupts, the DMA
 * channel, resets and the isa-fdc type; the commands are in fdc-cmd.c, the
 * drives in fdc-drive.c. Left out: the FIFO's threshold timing (the FIFO is
 * always ready), drive polling beyond the reset's ready-change reports,
 * power-down (stored, never entered), the PS/2 and Model 30 modes.
 */
#include "hw/block/fdc.h"

#include <string.h>

#include "emu/log.h"
#include "hw/block/fdc-internal.h"
#include "hw/dma/i8257.h"
#include "hw/devices.h"

#define FDC_IO_SPACE 0x10000u
#define FDC_SRB_RESERVED 0xc0
#define FDC_SRB_MOT0 0x01
#define FDC_SRB_MOT1 0x02
#define FDC_SRB_DR0 0x20

FdcDrive *fdc_drive(FdcState *s, unsigned unit)
{
    return unit < FDC_MAX_DRIVES ? &s->drv[unit] : NULL;
}

/* ---- Interrupt ----------------------------------------------------------- */

/* PC-AT mode: the DMA gate bit of the DOR enables the INT pin (datasheet
 * "Digital Output Register"). */
void fdc_update_irq(FdcState *s)
{
    bool pending = s->int_result || s->int_exec || s->seek_pending || s->reset_polls;
    bool level = pending && (s->dor & FDC_DOR_DMAGATE);

    if (level != s->irq_level) {
        s->irq_level = level;
        irq_set(s->irq_line, level);
    }
}

/* ---- Phases -------------------------------------------------------------- */

static void fdc_dma_release(FdcState *s)
{
    if (s->dma_ctl) {
        i8257_release_DREQ(s->dma_ctl, s->dma);
    }
}

/* PC-AT mode: DRQ is driven only while the DOR's DMA gate is set. */
static void fdc_update_dreq(FdcState *s)
{
    if (!s->dma_ctl) {
        return;
    }
    if (s->phase == FDC_PHASE_EXEC && s->dma_mode && (s->dor & FDC_DOR_DMAGATE)) {
        i8257_hold_DREQ(s->dma_ctl, s->dma);
    } else {
        i8257_release_DREQ(s->dma_ctl, s->dma);
    }
}

void fdc_to_command(FdcState *s)
{
    s->phase = FDC_PHASE_COMMAND;
    s->fifo_pos = 0;
    s->fifo_len = 0;
    s->cmd = NULL;
    s->xfer = FDC_XFER_NONE;
    s->int_exec = false;
    fdc_update_irq(s);
}

/* The result bytes are fifo[0..len). Commands with an execution phase
 * interrupt here; the others just turn the FIFO around. */
void fdc_to_result(FdcState *s, uint32_t len, bool irq)
{
    if (len == 0 || len > FDC_FIFO_LEN) {
        emu_bug("fdc: result of %u bytes", len);
    }
    s->phase = FDC_PHASE_RESULT;
    s->fifo_pos = 0;
    s->fifo_len = len;
    s->xfer = FDC_XFER_NONE;
    s->int_exec = false;
    s->int_result = irq;
    fdc_update_irq(s);
}

/* The seven result bytes of a data command: ST0-ST2 and the ID where the
 * transfer ended. */
void fdc_end_transfer(FdcState *s)
{
    FdcDrive *d = fdc_drive(s, s->cur);

    fdc_dma_release(s);
    timer_del(&s->timer);
    s->fifo[0] = s->st0 | (d && d->head ? FDC_ST0_HD : 0) | s->cur;
    s->fifo[1] = s->st1;
    s->fifo[2] = s->st2;
    memcpy(&s->fifo[3], s->id, 4);
    fdc_to_result(s, 7, true);
}

/* An execution phase that moves bytes: by DMA unless SPECIFY's ND is set,
 * else through the FIFO with RQM and an interrupt per request. */
void fdc_start_exec(FdcState *s, FdcXfer xfer)
{
    s->phase = FDC_PHASE_EXEC;
    s->xfer = xfer;
    s->fifo_pos = 0;
    s->fifo_len = xfer == FDC_XFER_FORMAT ? 4 : FDC_SECTOR;
    s->tc = false;
    s->dma_mode = !(s->hlt_nd & 1) && xfer != FDC_XFER_WAIT;
    s->int_exec = false;
    if (xfer == FDC_XFER_WAIT) {
        timer_mod(&s->timer, clock_get_ns(s->timer.clock) + FDC_READ_ID_NS);
    } else if (s->dma_mode) {
        fdc_update_dreq(s);
    } else {
        s->int_exec = true;
    }
    fdc_update_irq(s);
}

/* A SEEK or RECALIBRATE ended: SENSE INTERRUPT STATUS reports it. */
void fdc_seek_done(FdcState *s, unsigned unit, uint8_t st0)
{
    s->seek_pending |= 1u << unit;
    s->seek_st0[unit] = st0 | unit;
    fdc_to_command(s);
}

/* ---- Resets -------------------------------------------------------------- */

/* Datasheet "Reset": a software reset (DOR, DSR) or the RESET pin clears
 * the command state; CONFIGURE and PRETRK survive a software reset under
 * LOCK. With polling enabled, an interrupt and four ready-change reports. */
static void fdc_soft_reset(FdcState *s, bool hard)
{
    fdc_dma_release(s);
    timer_del(&s->timer);
    if (hard || !s->lock) {
        s->config = FDC_CFG_DEFAULT;
        s->pretrk = 0;
    }
    if (hard) {
        s->lock = false;
    }
    s->perp &= ~0x03;           /* GAP and WGATE; D3-D0 stay */
    s->dsr &= FDC_DSR_RATE;
    s->st0 = s->st1 = s->st2 = 0;
    s->seek_pending = 0;
    s->int_result = false;
    s->tc = false;
    s->reset_polls = (!hard && !(s->config & FDC_CFG_POLL)) ? FDC_RESET_POLLS : 0;
    fdc_to_command(s);
}

/* Power-on as QEMU leaves it with no BIOS: DOR 0x0c (out of reset, DMA and
 * interrupts enabled), 500 kb/s, no interrupt pending. */
static void fdc_reset(Object *obj)
{
    FdcState *s = (FdcState *)obj;

    s->dor = FDC_DOR_NRESET | FDC_DOR_DMAGATE;
    s->tdr = 0;
    s->dsr = 0;
    s->srb = FDC_SRB_RESERVED;
    s->srt_hut = 0;
    s->hlt_nd = 0;
    s->perp = 0;
    s->powerdown = 0;
    s->option = 0;
    s->eot = 0;
    s->cur = 0;
    memset(s->drive_spec, 0, sizeof(s->drive_spec));
    memset(s->seek_st0, 0, sizeof(s->seek_st0));
    for (unsigned i = 0; i < FDC_MAX_DRIVES; i++) {
        fdc_drive_reset(&s->drv[i]);
    }
    fdc_soft_reset(s, true);
    s->irq_level = false;
    irq_set(s->irq_line, 0);
}

/* ---- Registers ----------------------------------------------------------- */

static uint8_t fdc_read_msr(FdcState *s)
{
    if (!(s->dor & FDC_DOR_NRESET)) {
        return 0;
    }
    switch (s->phase) {
    case FDC_PHASE_COMMAND:
        return FDC_MSR_RQM | (s->fifo_pos ? FDC_MSR_CB : 0);
    case FDC_PHASE_RESULT:
        return FDC_MSR_RQM | FDC_MSR_DIO | FDC_MSR_CB;
    case FDC_PHASE_EXEC:
        if (s->dma_mode || s->xfer == FDC_XFER_WAIT) {
            return FDC_MSR_CB;
        }
        return FDC_MSR_RQM | FDC_MSR_NDM | FDC_MSR_CB |
               (s->xfer == FDC_XFER_READ ? FDC_MSR_DIO : 0);
    }
    return 0;
}

static uint8_t fdc_read_dir(FdcState *s)
{
    FdcDrive *d = fdc_drive(s, s->dor & FDC_DOR_SEL);

    return d && d->media_changed ? FDC_DIR_DSKCHG : 0;
}

static void fdc_write_dor(FdcState *s, uint8_t val)
{
    bool was_reset = !(s->dor & FDC_DOR_NRESET);

    s->srb = FDC_SRB_RESERVED | (val & FDC_DOR_MOTOR0 ? FDC_SRB_MOT0 : 0) |
             (val & (FDC_DOR_MOTOR0 << 1) ? FDC_SRB_MOT1 : 0) |
             (val & 1 ? FDC_SRB_DR0 : 0);
    s->dor = val;
    if (!(val & FDC_DOR_NRESET)) {
        fdc_soft_reset(s, false);
        s->reset_polls = 0;     /* held in reset: the report comes on release */
        fdc_update_irq(s);
    } else if (was_reset) {
        fdc_soft_reset(s, false);
    } else {
        fdc_update_irq(s);      /* the DMA gate may have changed */
        fdc_update_dreq(s);
    }
}

static void fdc_write_dsr(FdcState *s, uint8_t val)
{
    s->dsr = val & ~FDC_DSR_SWRESET;
    if (val & FDC_DSR_PWRDOWN) {
        guest_error("fdc: DSR power-down is not modelled");
    }
    if (val & FDC_DSR_SWRESET) {
        fdc_soft_reset(s, false);  /* self-clearing */
    }
}

/* ---- The FIFO ------------------------------------------------------------ */

/* Execution phase without DMA: one byte a request; the interrupt of the
 * request clears with the access. */
static uint8_t fdc_pio_read(FdcState *s)
{
    uint8_t val;

    s->int_exec = false;
    if (s->xfer != FDC_XFER_READ || s->fifo_pos >= s->fifo_len) {
        guest_error("fdc: FIFO read with no data to give");
        fdc_update_irq(s);
        return 0;
    }
    val = s->fifo[s->fifo_pos++];
    if (s->fifo_pos == s->fifo_len && !fdc_next_sector(s)) {
        fdc_end_transfer(s);
        return val;
    }
    s->int_exec = s->phase == FDC_PHASE_EXEC;
    fdc_update_irq(s);
    return val;
}

static void fdc_pio_write(FdcState *s, uint8_t val)
{
    bool more = true;

    s->int_exec = false;
    if ((s->xfer != FDC_XFER_WRITE && s->xfer != FDC_XFER_FORMAT) ||
        s->fifo_pos >= s->fifo_len) {
        guest_error("fdc: FIFO write 0x%02x with no data wanted", val);
        fdc_update_irq(s);
        return;
    }
    s->fifo[s->fifo_pos++] = val;
    if (s->fifo_pos == s->fifo_len) {
        more = s->xfer == FDC_XFER_FORMAT ? fdc_format_sector(s)
                                          : fdc_store_sector(s) && fdc_next_sector(s);
    }
    if (!more) {
        fdc_end_transfer(s);
        return;
    }
    s->int_exec = true;
    fdc_update_irq(s);
}

static uint8_t fdc_read_fifo(FdcState *s)
{
    uint8_t val;

    if (!(s->dor & FDC_DOR_NRESET)) {
        return 0;
    }
    if (s->phase == FDC_PHASE_EXEC && !s->dma_mode && s->xfer != FDC_XFER_WAIT) {
        return fdc_pio_read(s);
    }
    if (s->phase != FDC_PHASE_RESULT || s->fifo_pos >= s->fifo_len) {
        guest_error("fdc: FIFO read outside the result phase");
        return 0;
    }
    val = s->fifo[s->fifo_pos++];
    s->int_result = false;      /* the first result byte clears it */
    if (s->fifo_pos == s->fifo_len) {
        fdc_to_command(s);
    }
    fdc_update_irq(s);
    return val;
}

/* A command byte: the first picks the command (and its length); the
 * command runs when the last one is in. */
static void fdc_command_byte(FdcState *s, uint8_t val)
{
    if (s->fifo_pos == 0) {
        s->cmd = fdc_find_command(val);
        s->fifo_len = s->cmd->len;
    }
    if (s->fifo_pos >= s->fifo_len || s->fifo_len > FDC_FIFO_LEN) {
        emu_bug("fdc: command byte %u of %u", s->fifo_pos, s->fifo_len);
    }
    s->fifo[s->fifo_pos++] = val;
    if (fdc_command_complete(s)) {
        s->cmd->exec(s);
    }
}

static void fdc_write_fifo(FdcState *s, uint8_t val)
{
    if (!(s->dor & FDC_DOR_NRESET)) {
        guest_error("fdc: FIFO write while held in reset");
        return;
    }
    switch (s->phase) {
    case FDC_PHASE_COMMAND:
        fdc_command_byte(s, val);
        break;
    case FDC_PHASE_EXEC:
        if (s->dma_mode || s->xfer == FDC_XFER_WAIT) {
            guest_error("fdc: FIFO write 0x%02x during a DMA or waiting execution", val);
            break;
        }
        fdc_pio_write(s, val);
        break;
    case FDC_PHASE_RESULT:
        guest_error("fdc: FIFO write 0x%02x in the result phase", val);
        break;
    }
}

/* ---- DMA ----------------------------------------------------------------- */

/* Moves one piece between the FIFO and guest memory; how many moved. The
 * i8257's verify mode moves nothing but counts. */
static uint32_t fdc_dma_piece(FdcState *s, uint32_t pos, uint32_t len)
{
    uint8_t *buf = &s->fifo[s->fifo_pos];

    if ((i8257_channel_mode(s->dma_ctl, s->dma) & I8257_MODE_TYPE_MASK) ==
        I8257_MODE_VERIFY) {
        return len;
    }
    if (s->xfer == FDC_XFER_READ) {
        return i8257_write_memory(s->dma_ctl, s->dma, buf, pos, len);
    }
    return i8257_read_memory(s->dma_ctl, s->dma, buf, pos, len);
}

/* Terminal count in the middle of a sector (datasheet "Terminal Count"):
 * the sector is finished, a write's rest filled with zeros, and the
 * command ends there with normal termination. */
static void fdc_dma_tc(FdcState *s)
{
    if (s->xfer == FDC_XFER_WRITE && s->fifo_pos) {
        memset(&s->fifo[s->fifo_pos], 0, s->fifo_len - s->fifo_pos);
        s->fifo_pos = s->fifo_len;
        if (fdc_store_sector(s)) {
            fdc_next_sector(s);
        }
    } else if (s->xfer == FDC_XFER_READ && s->fifo_pos) {
        fdc_next_sector(s);
    }
    fdc_end_transfer(s);
}

static uint32_t fdc_dma_handler(void *opaque, unsigned nchan, uint32_t pos, uint32_t size)
{
    FdcState *s = opaque;

    if (s->phase != FDC_PHASE_EXEC || !s->dma_mode) {
        fdc_dma_release(s);
        return pos;
    }
    while (pos < size && s->phase == FDC_PHASE_EXEC) {
        uint32_t want = MIN(size - pos, s->fifo_len - s->fifo_pos);
        uint32_t moved = fdc_dma_piece(s, pos, want);
        bool more = true;

        pos += moved;
        s->fifo_pos += moved;
        if (moved < want) {
            return pos;         /* DMA budget spent: DREQ stays held */
        }
        if (s->fifo_pos == s->fifo_len) {
            if (s->xfer == FDC_XFER_FORMAT) {
                more = fdc_format_sector(s);
            } else if (s->xfer == FDC_XFER_WRITE) {
                more = fdc_store_sector(s) && fdc_next_sector(s);
            } else {
                more = fdc_next_sector(s);
            }
        }
        if (!more) {
            fdc_end_transfer(s);
            return pos;
        }
    }
    if (pos == size && s->phase == FDC_PHASE_EXEC) {
        fdc_dma_tc(s);
    }
    return pos;
}

/* ---- Port access --------------------------------------------------------- */

static uint64_t fdc_io_read(void *opaque, uint64_t addr, unsigned size)
{
    FdcState *s = opaque;

    switch (addr) {
    case FDC_SRB:
        return s->srb;
    case FDC_DOR:
        return s->dor;
    case FDC_TDR:
        return s->tdr;
    case FDC_MSR:
        return fdc_read_msr(s);
    case FDC_FIFO:
        return fdc_read_fifo(s);
    case FDC_DIR:
        return fdc_read_dir(s);
    default:
        guest_error("fdc: read of port offset %u", (unsigned)addr);
        return 0xff;
    }
}

static void fdc_io_write(void *opaque, uint64_t addr, uint64_t data, unsigned size)
{
    FdcState *s = opaque;
    uint8_t val = (uint8_t)data;

    switch (addr) {
    case FDC_DOR:
        fdc_write_dor(s, val);
        break;
    case FDC_TDR:
        s->tdr = val & FDC_TDR_BOOTSEL;
        break;
    case FDC_DSR:
        fdc_write_dsr(s, val);
        break;
    case FDC_FIFO:
        fdc_write_fifo(s, val);
        break;
    case FDC_CCR:
        s->dsr = (s->dsr & ~FDC_DSR_RATE) | (val & FDC_DSR_RATE);
        break;
    default:
        guest_error("fdc: write 0x%02x to read-only port offset %u", val, (unsigned)addr);
        break;
    }
}

/* The two regions start at offsets 1 and 7 of the I/O base. */
static uint64_t fdc_io1_read(void *opaque, uint64_t addr, unsigned size)
{
    return fdc_io_read(opaque, addr + 1, size);
}

static void fdc_io1_write(void *opaque, uint64_t addr, uint64_t data, unsigned size)
{
    fdc_io_write(opaque, addr + 1, data, size);
}

static uint64_t fdc_io7_read(void *opaque, uint64_t addr, unsigned size)
{
    return fdc_io_read(opaque, addr + 7, size);
}

static void fdc_io7_write(void *opaque, uint64_t addr, uint64_t data, unsigned size)
{
    fdc_io_write(opaque, addr + 7, data, size);
}

static const MemoryRegionOps fdc_io1_ops = {
    .read = fdc_io1_read,
    .write = fdc_io1_write,
    .impl = {.min_access_size = 1, .max_access_size = 1},
};

static const MemoryRegionOps fdc_io7_ops = {
    .read = fdc_io7_read,
    .write = fdc_io7_write,
    .impl = {.min_access_size = 1, .max_access_size = 1},
};

static void fdc_timer_cb(void *opaque)
{
    FdcState *s = opaque;

    if (s->phase == FDC_PHASE_EXEC && s->xfer == FDC_XFER_WAIT) {
        fdc_read_id_done(s);
    }
}

/* ---- Set-up -------------------------------------------------------------- */

void fdc_drive_types(Object *fdc, FdcDriveType *a, FdcDriveType *b)
{
    FdcState *s = (FdcState *)fdc;

    if (!object_is_a(fdc, TYPE_ISA_FDC)) {
        emu_bug("fdc: not an %s", TYPE_ISA_FDC);
    }
    *a = s->drv[0].type;
    *b = s->drv[1].type;
}

static void fdc_init(Object *obj)
{
    FdcState *s = (FdcState *)obj;

    s->iobase = 0x3f0;
    s->irq = 6;
    s->dma = 2;
    for (unsigned i = 0; i < FDC_MAX_DRIVES; i++) {
        s->drv[i].type = FDC_DRIVE_NONE;
        s->drv[i].media_changed = true;     /* as QEMU: set at power-on */
        s->bootindex[i] = -1;
    }
}

static bool fdc_check_props(const FdcState *s, char **errp)
{
    if (s->iobase > FDC_IO_SPACE - 8) {
        *errp = g_strdup_printf("isa-fdc: iobase 0x%x out of the I/O space", s->iobase);
        return false;
    }
    if (s->irq >= MACHINE_ISA_IRQS) {
        *errp = g_strdup_printf("isa-fdc: irq %u out of range 0..%d", s->irq,
                                MACHINE_ISA_IRQS - 1);
        return false;
    }
    if (s->dma > 3 && s->dma != UINT32_MAX) {
        *errp = g_strdup_printf("isa-fdc: dma %u is not an 8-bit channel (0-3)", s->dma);
        return false;
    }
    return true;
}

/* QEMU warns and creates a second controller at the same ports; its ports
 * and DMA channel would be shared here, so it is a configuration error. */
static bool fdc_check_unique(const FdcState *s, Machine *m, char **errp)
{
    for (unsigned i = 0; i < m->nr_devices; i++) {
        const FdcState *o = (const FdcState *)m->devices[i];
        if (m->devices[i] == &s->obj || !object_is_a(m->devices[i], TYPE_ISA_FDC)) {
            continue;
        }
        if (o->iobase == s->iobase || (o->dma == s->dma && s->dma != UINT32_MAX)) {
            *errp = g_strdup_printf("isa-fdc: a floppy controller with iobase 0x%x or "
                                    "DMA channel %u exists already", s->iobase, s->dma);
            return false;
        }
    }
    return true;
}

static bool fdc_realize(Object *obj, Machine *m, char **errp)
{
    FdcState *s = (FdcState *)obj;
    FdcDriveType t;

    if (!fdc_check_props(s, errp) || !fdc_check_unique(s, m, errp)) {
        return false;
    }
    for (unsigned i = 0; i < FDC_MAX_DRIVES; i++) {
        if (s->fdtype[i] && !fdc_parse_type(s->fdtype[i], &t, errp)) {
            return false;
        }
    }
    if (s->fallback && !fdc_parse_type(s->fallback, &t, errp)) {
        return false;
    }
    s->irq_line = m->isa_irq[s->irq];
    if (s->dma != UINT32_MAX) {
        s->dma_ctl = i8257_for_channel(m, s->dma);
        if (s->dma_ctl) {
            i8257_register_channel(s->dma_ctl, s->dma, obj, fdc_dma_handler, s);
        }
    }
    timer_init(&s->timer, obj, &m->clock, fdc_timer_cb, s);
    object_add_child(obj, "floppy-bus.0", object_new_by_name("floppy-bus"));
    mr_init_io(&s->io[0], obj, &fdc_io1_ops, s, "fdc", 5);
    mr_add_subregion(&m->sysio, s->iobase + 1, &s->io[0]);
    mr_init_io(&s->io[1], obj, &fdc_io7_ops, s, "fdc", 1);
    mr_add_subregion(&m->sysio, s->iobase + 7, &s->io[1]);
    return true;
}

static const Property fdc_props[] = {
    {"iobase", PROP_U32, offsetof(FdcState, iobase), "I/O base (default 0x3f0)"},
    {"irq", PROP_U32, offsetof(FdcState, irq), "ISA IRQ (default 6)"},
    {"dma", PROP_U32, offsetof(FdcState, dma), "ISA DMA channel (default 2)"},
    {"fdtypeA", PROP_STR, offsetof(FdcState, fdtype[0]),
     "drive type of unit 0 for a floppy with drive-type=auto: 144/288/120/none/auto"},
    {"fdtypeB", PROP_STR, offsetof(FdcState, fdtype[1]),
     "drive type of unit 1 for a floppy with drive-type=auto"},
    {"fallback", PROP_STR, offsetof(FdcState, fallback),
     "drive type when auto finds no match (default 288)"},
    {"bootindexA", PROP_I32, offsetof(FdcState, bootindex[0]), "accepted, unused"},
    {"bootindexB", PROP_I32, offsetof(FdcState, bootindex[1]), "accepted, unused"},
    {.name = NULL},
};

const TypeInfo isa_fdc_type = {
    .name = TYPE_ISA_FDC,
    .parent = "isa-device",
    .desc = "Intel 82078 floppy disk controller (PC-AT mode) on the ISA bus",
    OBJECT_INSTANCE(FdcState),
    .user_creatable = true,
    .props = fdc_props,
    .init = fdc_init,
    .realize = fdc_realize,
    .reset = fdc_reset,
};
