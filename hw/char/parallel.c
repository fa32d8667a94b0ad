/* SPDX-License-Identifier: MIT */
/*
 * PC parallel port ("isa-parallel"), the IBM PC/AT standard (SPP) printer
 * port: data, status and control at base+0..2, with the printer's strobe /
 * busy / acknowledge handshake played out on successive status reads as
 * QEMU 7.2 does (a byte goes to the chardev on the strobe's leading edge).
 * Left out: ECP/EPP modes and a pass-through to a host port.
 */
#include <inttypes.h>

#include "hw/char/parallel.h"
#include "hw/backend/chardev.h"
#include "hw/devices.h"

#include "emu/irq.h"
#include "emu/log.h"
#include "emu/memory.h"

/* Registers, by port number modulo 8 (see parallel_reg). */
#define PARA_DATA 0
#define PARA_STATUS 1
#define PARA_CONTROL 2

/* Status: the printer's lines; BUSY reads inverted. */
#define PARA_STS_TMOUT 0x01  /* EPP timeout (QEMU sets it at reset) */
#define PARA_STS_ERROR 0x08  /* nERROR: 1 = no error */
#define PARA_STS_SELECT 0x10 /* printer on line */
#define PARA_STS_PE 0x20     /* paper end */
#define PARA_STS_ACK 0x40    /* nACK: 0 while the printer acknowledges */
#define PARA_STS_BUSY 0x80   /* nBUSY: 1 = ready */
#define PARA_STS_IDLE (PARA_STS_BUSY | PARA_STS_ACK | PARA_STS_SELECT | PARA_STS_ERROR)

/* Control: the host's lines. */
#define PARA_CTR_STROBE 0x01
#define PARA_CTR_AUTOFD 0x02
#define PARA_CTR_INIT 0x04 /* nINIT: 0 resets the printer */
#define PARA_CTR_SELECT_IN 0x08
#define PARA_CTR_IRQ_EN 0x10 /* interrupt on acknowledge */
#define PARA_CTR_DIR 0x20    /* bidirectional: data port reads input */
#define PARA_CTR_ONES 0xc0   /* unused bits, read as ones */

/* Limits: the I/O window, three LPT ports. */
#define PARA_REG_COUNT 8
#define PARA_MAX_PORTS 3
#define PARA_UNSET UINT32_MAX
#define PARA_IO_SPACE 0x10000u

static const uint16_t parallel_iobase[PARA_MAX_PORTS] = {0x378, 0x278, 0x3bc};
#define PARA_DEFAULT_IRQ 7

typedef struct ParallelState {
    Object obj;
    /* Properties; PARA_UNSET until given. */
    uint32_t index;
    uint32_t iobase;
    uint32_t irq;
    char *chardev;
    /* Registers. */
    uint8_t data_out; /* latched by writes to the data port */
    uint8_t data_in;  /* what the cable drives (nothing: 0xff) */
    uint8_t status;
    uint8_t control;
    bool irq_pending;
    MemoryRegion io;
    Chardev *chr;
    IRQ *irq_line;
} ParallelState;

static void parallel_update_irq(ParallelState *s)
{
    irq_set(s->irq_line, s->irq_pending);
}

/*
 * The printer's answer to status polls after a strobe: the first read
 * after the strobe ends shows nACK low, the next one the ack finished and
 * the printer ready again.
 */
static void parallel_step_handshake(ParallelState *s)
{
    if ((s->status & PARA_STS_BUSY) || (s->control & PARA_CTR_STROBE)) {
        return;
    }
    if (s->status & PARA_STS_ACK) {
        s->status &= ~PARA_STS_ACK;
    } else {
        s->status |= PARA_STS_ACK | PARA_STS_BUSY;
    }
}

static uint8_t parallel_read_status(ParallelState *s)
{
    uint8_t val = s->status;

    s->irq_pending = false;
    parallel_step_handshake(s);
    parallel_update_irq(s);
    return val;
}

static void parallel_write_control(ParallelState *s, uint8_t val)
{
    val |= PARA_CTR_ONES;
    if (!(val & PARA_CTR_INIT)) {
        s->status = PARA_STS_IDLE; /* printer reset */
    } else if (val & PARA_CTR_SELECT_IN) {
        if (val & PARA_CTR_STROBE) {
            s->status &= ~PARA_STS_BUSY;
            if (!(s->control & PARA_CTR_STROBE)) {
                chardev_write(s->chr, &s->data_out, 1);
            }
        } else if (s->control & PARA_CTR_IRQ_EN) {
            s->irq_pending = true; /* the acknowledge interrupt */
        }
    }
    parallel_update_irq(s);
    s->control = val;
}

static uint8_t parallel_read(ParallelState *s, unsigned reg)
{
    switch (reg) {
    case PARA_DATA:
        return (s->control & PARA_CTR_DIR) ? s->data_in : s->data_out;
    case PARA_STATUS:
        return parallel_read_status(s);
    case PARA_CONTROL:
        return s->control;
    default:
        return 0xff; /* no ECP/EPP registers */
    }
}

static void parallel_write(ParallelState *s, unsigned reg, uint8_t val)
{
    switch (reg) {
    case PARA_DATA:
        s->data_out = val;
        parallel_update_irq(s);
        break;
    case PARA_CONTROL:
        parallel_write_control(s, val);
        break;
    default:
        guest_error("parallel: write 0x%02x to register %u ignored", val, reg);
        break;
    }
}

/*
 * QEMU 7.2 picks the register from the port number modulo 8, not from the
 * offset in the window: at 0x3bc the data port answers at 0x3c0. Kept so
 * replies match QEMU's.
 */
static unsigned parallel_reg(const ParallelState *s, uint64_t addr)
{
    return (unsigned)((s->iobase + addr) % PARA_REG_COUNT);
}

/* Byte registers; a 16-bit access does two of them, the second reading
 * 0xff past the window; 32-bit accesses read all ones and write nothing
 * (QEMU's port-list rules). */
static uint64_t parallel_io_read(void *opaque, uint64_t addr, unsigned size)
{
    ParallelState *s = opaque;
    uint64_t val;

    if (size == 1) {
        return parallel_read(s, parallel_reg(s, addr));
    }
    if (size != 2) {
        return (1ull << (size * 8)) - 1;
    }
    val = parallel_read(s, parallel_reg(s, addr));
    if (addr + 1 < PARA_REG_COUNT) {
        return val | (uint64_t)parallel_read(s, parallel_reg(s, addr + 1)) << 8;
    }
    return val | 0xff00;
}

static void parallel_io_write(void *opaque, uint64_t addr, uint64_t data, unsigned size)
{
    ParallelState *s = opaque;

    if (size > 2) {
        guest_error("parallel: %u-byte write ignored", size);
        return;
    }
    parallel_write(s, parallel_reg(s, addr), (uint8_t)data);
    if (size == 2 && addr + 1 < PARA_REG_COUNT) {
        parallel_write(s, parallel_reg(s, addr + 1), (uint8_t)(data >> 8));
    }
}

static void parallel_reset(Object *obj)
{
    ParallelState *s = (ParallelState *)obj;

    s->data_out = 0xff;
    s->data_in = 0xff;
    s->status = PARA_STS_IDLE | PARA_STS_TMOUT;
    s->control = PARA_CTR_ONES | PARA_CTR_SELECT_IN | PARA_CTR_INIT;
    s->irq_pending = false;
    parallel_update_irq(s);
}

static const MemoryRegionOps parallel_io_ops = {
    .read = parallel_io_read,
    .write = parallel_io_write,
    .valid = {.min_access_size = 1, .max_access_size = 4, .unaligned = true},
    .impl = {.min_access_size = 1, .max_access_size = 4, .unaligned = true},
};

static void parallel_init(Object *obj)
{
    ParallelState *s = (ParallelState *)obj;

    s->index = PARA_UNSET;
    s->iobase = PARA_UNSET;
    s->irq = PARA_DEFAULT_IRQ;
}

/* Without index=, take the next number, counting every isa-parallel
 * realized before (QEMU's rule). */
static uint32_t parallel_next_index(Machine *m, Object *self)
{
    uint32_t n = 0;
    unsigned i;

    for (i = 0; i < m->nr_devices; i++) {
        if (m->devices[i] != self && object_is_a(m->devices[i], TYPE_ISA_PARALLEL)) {
            n++;
        }
    }
    return n;
}

static bool parallel_resolve(ParallelState *s, Machine *m, char **errp)
{
    if (s->index == PARA_UNSET) {
        s->index = parallel_next_index(m, &s->obj);
    }
    if (s->index >= PARA_MAX_PORTS) {
        *errp = g_strdup_printf("Max. supported number of parallel ports is %d.",
                                PARA_MAX_PORTS);
        return false;
    }
    if (s->iobase == PARA_UNSET) {
        s->iobase = parallel_iobase[s->index];
    }
    if (s->iobase > PARA_IO_SPACE - PARA_REG_COUNT) {
        *errp = g_strdup_printf("isa-parallel: iobase 0x%" PRIx32 " out of the I/O space",
                                s->iobase);
        return false;
    }
    if (s->irq >= MACHINE_ISA_IRQS) {
        *errp = g_strdup_printf("isa-parallel: irq %" PRIu32 " out of range 0..%d",
                                s->irq, MACHINE_ISA_IRQS - 1);
        return false;
    }
    return true;
}

static bool parallel_realize(Object *obj, Machine *m, char **errp)
{
    ParallelState *s = (ParallelState *)obj;

    /* QEMU refuses a parallel port without a backend; so do we. */
    if (!s->chardev) {
        *errp = g_strdup("Can't create parallel device, empty char device");
        return false;
    }
    if (!parallel_resolve(s, m, errp)) {
        return false;
    }
    s->chr = chardev_lookup(m, s->chardev, errp);
    if (!s->chr) {
        return false;
    }
    s->irq_line = m->isa_irq[s->irq];
    mr_init_io(&s->io, obj, &parallel_io_ops, s, "parallel", PARA_REG_COUNT);
    mr_add_subregion(&m->sysio, s->iobase, &s->io);
    return true;
}

static const Property parallel_props[] = {
    {"index", PROP_U32, offsetof(ParallelState, index),
     "LPT port number 0..2: picks iobase (default: next free)"},
    {"iobase", PROP_U32, offsetof(ParallelState, iobase),
     "I/O base (default from index)"},
    {"irq", PROP_U32, offsetof(ParallelState, irq), "ISA IRQ (default 7)"},
    {"chardev", PROP_STR, offsetof(ParallelState, chardev),
     "id of the -chardev that receives the output (required)"},
    {.name = NULL},
};

const TypeInfo isa_parallel_type = {
    .name = TYPE_ISA_PARALLEL,
    .parent = "isa-device",
    .desc = "PC parallel port (SPP) on the ISA bus",
    OBJECT_INSTANCE(ParallelState),
    .user_creatable = true,
    .props = parallel_props,
    .init = parallel_init,
    .realize = parallel_realize,
    .reset = parallel_reset,
};
