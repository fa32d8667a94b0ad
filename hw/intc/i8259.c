/* SPDX-License-Identifier: MIT */
/*
 * Intel 8259A programmable interrupt controller (8259A datasheet: ICW1-ICW4,
 * OCW1-OCW3, priority resolver, poll command), with the PIIX edge/level
 * control register (ELCR) of the PC at 0x4d0/0x4d1. One instance is one
 * chip; the board cascades the slave's INT into the master's IR2. Left out:
 * MCS-80/85 mode, buffered mode and ICW3 (the cascade is wired). Edge
 * requests stay latched in IRR when the input falls again, as in QEMU.
 */
#include "hw/intc/i8259.h"

#include "emu/log.h"
#include "emu/machine.h"
#include "emu/memory.h"
#include "hw/devices.h"

/* Port offsets in the "pic" region. */
#define PIC_CMD 0           /* A0 = 0: ICW1, OCW2, OCW3; IRR/ISR/poll */
#define PIC_DATA 1          /* A0 = 1: ICW2-4, OCW1 (IMR) */

/* ICW1 (A0 = 0, D4 = 1). */
#define PIC_ICW1 0x10
#define PIC_ICW1_IC4 0x01   /* ICW4 follows */
#define PIC_ICW1_SNGL 0x02  /* single chip: no ICW3 */
#define PIC_ICW1_LTIM 0x08  /* all inputs level triggered */
#define PIC_ICW2_VECTOR 0xf8
/* ICW4. */
#define PIC_ICW4_UPM 0x01   /* 8086 mode */
#define PIC_ICW4_AEOI 0x02
#define PIC_ICW4_SFNM 0x10

/* OCW3 (A0 = 0, D4 = 0, D3 = 1). */
#define PIC_OCW3 0x08
#define PIC_OCW3_RIS 0x01   /* read ISR (else IRR) */
#define PIC_OCW3_RR 0x02    /* RIS is valid */
#define PIC_OCW3_P 0x04     /* poll */
#define PIC_OCW3_SMM 0x20   /* special mask mode */
#define PIC_OCW3_ESMM 0x40  /* SMM is valid */

/* OCW2 (A0 = 0, D4 = D3 = 0): R, SL, EOI in bits 7-5, level in 2-0. */
#define PIC_OCW2_CMD(v) ((v) >> 5)
#define PIC_OCW2_LEVEL(v) ((v) & 7)
#define PIC_OCW2_AEOI_ROT_CLEAR 0
#define PIC_OCW2_EOI 1
#define PIC_OCW2_NOP 2
#define PIC_OCW2_SEOI 3
#define PIC_OCW2_AEOI_ROT_SET 4
#define PIC_OCW2_ROT_EOI 5
#define PIC_OCW2_SET_PRIO 6
#define PIC_OCW2_ROT_SEOI 7

/* Poll word: an interrupt was pending, its level in bits 2-0. */
#define PIC_POLL_INT 0x80

/* Limits. */
#define PIC_PINS 8
#define PIC_NONE 8          /* "no level" for the priority resolver */
#define PIC_CASCADE_PIN 2   /* the master's IR the slave's INT drives */
#define PIC_SPURIOUS 7      /* IR7 vector when a request went away */

/* Where the next write to A0 = 1 goes. */
enum {
    PIC_READY,              /* OCW1 */
    PIC_WANT_ICW2,
    PIC_WANT_ICW3,
    PIC_WANT_ICW4,
};

typedef struct I8259State {
    Object obj;
    /* Properties. */
    uint32_t iobase;
    uint32_t elcr_addr;
    uint8_t elcr_mask;
    bool master;
    /* Registers. */
    uint8_t irr;
    uint8_t isr;
    uint8_t imr;
    uint8_t elcr;
    uint8_t pins;           /* input levels, for edge detection */
    uint8_t top;            /* IR with the highest priority (rotation) */
    uint8_t vector_base;    /* ICW2 */
    uint8_t init_step;
    bool want_icw4;
    bool single;
    bool ltim;
    bool auto_eoi;
    bool rotate_on_aeoi;
    bool sfnm;
    bool read_isr;
    bool poll;
    bool special_mask;
    int out_level;
    /* Pins and regions; out is where INT goes. */
    IRQ in[PIC_PINS];
    IRQ *out;
    MemoryRegion io;
    MemoryRegion elcr_io;
} I8259State;

static I8259State *i8259_cast(Object *obj)
{
    if (!obj || !object_is_a(obj, TYPE_I8259)) {
        emu_bug("i8259: not an %s", TYPE_I8259);
    }
    return (I8259State *)obj;
}

static uint8_t i8259_level_mask(const I8259State *s)
{
    return s->ltim ? 0xff : s->elcr;
}

/* Priority rank (0 = highest) of the best request in mask, or PIC_NONE. */
static int i8259_rank(const I8259State *s, uint8_t mask)
{
    if (!mask) {
        return PIC_NONE;
    }
    /* Rotate so that the highest-priority IR (s->top) is bit 0. */
    unsigned top = s->top & 7;
    unsigned rotated = ((mask >> top) | (mask << (8 - top))) & 0xff;
    return __builtin_ctz(rotated);
}

/*
 * The IR the priority resolver would present on INT, or -1. In special mask
 * mode masked in-service levels do not block others; in special fully
 * nested mode the master lets the cascade input through again.
 */
static int i8259_pending(const I8259State *s)
{
    int want = i8259_rank(s, s->irr & ~s->imr);
    if (want == PIC_NONE) {
        return -1;
    }
    uint8_t busy = s->isr;
    if (s->special_mask) {
        busy &= ~s->imr;
    }
    if (s->sfnm && s->master) {
        busy &= ~(1u << PIC_CASCADE_PIN);
    }
    return want < i8259_rank(s, busy) ? (want + s->top) & 7 : -1;
}

static void i8259_update(I8259State *s)
{
    int level = i8259_pending(s) >= 0;
    if (level != s->out_level) {
        s->out_level = level;
        irq_set(s->out, level);
    }
}

/* Level-triggered inputs show their pin in IRR (datasheet, LTIM). */
static void i8259_sync_levels(I8259State *s)
{
    uint8_t lvl = i8259_level_mask(s);
    s->irr = (s->irr & ~lvl) | (s->pins & lvl);
}

static void i8259_set_pin(void *opaque, int n, int level)
{
    I8259State *s = opaque;
    uint8_t bit = 1u << n;
    if (!(i8259_level_mask(s) & bit) && level && !(s->pins & bit)) {
        s->irr |= bit;      /* rising edge */
    }
    s->pins = level ? (s->pins | bit) : (s->pins & ~bit);
    i8259_sync_levels(s);
    i8259_update(s);
}

/* INTA (or a poll read) of level irq: into service unless AEOI. */
static void i8259_ack(I8259State *s, int irq)
{
    uint8_t bit = 1u << irq;
    if (!s->auto_eoi) {
        s->isr |= bit;
    } else if (s->rotate_on_aeoi) {
        s->top = (irq + 1) & 7;
    }
    if (!(i8259_level_mask(s) & bit)) {
        s->irr &= ~bit;     /* edge latch consumed; a level stays */
    }
    i8259_update(s);
}

static uint8_t i8259_poll(I8259State *s)
{
    s->poll = false;
    int irq = i8259_pending(s);
    if (irq < 0) {
        return 0;
    }
    i8259_ack(s, irq);
    return PIC_POLL_INT | irq;
}

/* End of interrupt for one level, optionally making it the lowest. */
static void i8259_eoi(I8259State *s, int irq, bool rotate)
{
    s->isr &= ~(1u << irq);
    if (rotate) {
        s->top = (irq + 1) & 7;
    }
    i8259_update(s);
}

static void i8259_nonspecific_eoi(I8259State *s, bool rotate)
{
    int rank = i8259_rank(s, s->isr);
    if (rank != PIC_NONE) {
        i8259_eoi(s, (rank + s->top) & 7, rotate);
    }
}

static void i8259_ocw2(I8259State *s, uint8_t val)
{
    int level = PIC_OCW2_LEVEL(val);
    switch (PIC_OCW2_CMD(val)) {
    case PIC_OCW2_AEOI_ROT_CLEAR:
    case PIC_OCW2_AEOI_ROT_SET:
        s->rotate_on_aeoi = PIC_OCW2_CMD(val) == PIC_OCW2_AEOI_ROT_SET;
        break;
    case PIC_OCW2_EOI:
    case PIC_OCW2_ROT_EOI:
        i8259_nonspecific_eoi(s, PIC_OCW2_CMD(val) == PIC_OCW2_ROT_EOI);
        break;
    case PIC_OCW2_SEOI:
    case PIC_OCW2_ROT_SEOI:
        i8259_eoi(s, level, PIC_OCW2_CMD(val) == PIC_OCW2_ROT_SEOI);
        break;
    case PIC_OCW2_SET_PRIO:
        s->top = (level + 1) & 7;
        i8259_update(s);
        break;
    default:            /* PIC_OCW2_NOP */
        break;
    }
}

static void i8259_ocw3(I8259State *s, uint8_t val)
{
    if (val & PIC_OCW3_P) {
        s->poll = true;
    }
    if (val & PIC_OCW3_RR) {
        s->read_isr = val & PIC_OCW3_RIS;
    }
    if (val & PIC_OCW3_ESMM) {
        s->special_mask = val & PIC_OCW3_SMM;
    }
    i8259_update(s);
}

/* Everything ICW1 puts back; ELCR and the pins are not part of the chip's
 * initialization. Edge requests are forgotten: an input must rise again. */
static void i8259_init_state(I8259State *s)
{
    s->irr = 0;
    s->isr = 0;
    s->imr = 0;
    s->top = 0;
    s->vector_base = 0;
    s->init_step = PIC_READY;
    s->want_icw4 = false;
    s->single = false;
    s->ltim = false;
    s->auto_eoi = false;
    s->rotate_on_aeoi = false;
    s->sfnm = false;
    s->read_isr = false;
    s->poll = false;
    s->special_mask = false;
}

static void i8259_icw1(I8259State *s, uint8_t val)
{
    i8259_init_state(s);
    s->init_step = PIC_WANT_ICW2;
    s->want_icw4 = val & PIC_ICW1_IC4;
    s->single = val & PIC_ICW1_SNGL;
    s->ltim = val & PIC_ICW1_LTIM;
    i8259_sync_levels(s);
    i8259_update(s);
}

static void i8259_icw4(I8259State *s, uint8_t val)
{
    if (!(val & PIC_ICW4_UPM)) {
        guest_error("i8259: ICW4 selects MCS-80/85 mode; 8086 mode kept");
    }
    s->auto_eoi = val & PIC_ICW4_AEOI;
    s->sfnm = val & PIC_ICW4_SFNM;
}

static void i8259_write_data(I8259State *s, uint8_t val)
{
    switch (s->init_step) {
    case PIC_WANT_ICW2:
        s->vector_base = val & PIC_ICW2_VECTOR;
        s->init_step = !s->single ? PIC_WANT_ICW3 :
                       s->want_icw4 ? PIC_WANT_ICW4 : PIC_READY;
        break;
    case PIC_WANT_ICW3:     /* cascade wiring: fixed by the board */
        s->init_step = s->want_icw4 ? PIC_WANT_ICW4 : PIC_READY;
        break;
    case PIC_WANT_ICW4:
        i8259_icw4(s, val);
        s->init_step = PIC_READY;
        break;
    default:            /* OCW1 */
        s->imr = val;
        i8259_update(s);
        break;
    }
}

static uint64_t i8259_read(void *opaque, uint64_t addr, unsigned size)
{
    I8259State *s = opaque;
    if (s->poll) {
        return i8259_poll(s);
    }
    switch (addr & 1) {
    case PIC_CMD:
        return s->read_isr ? s->isr : s->irr;
    default:
        return s->imr;
    }
}

/* A0 = 0: D4 picks ICW1, else D3 picks OCW3 over OCW2. */
static void i8259_write_cmd(I8259State *s, uint8_t val)
{
    if (val & PIC_ICW1) {
        i8259_icw1(s, val);
    } else if (val & PIC_OCW3) {
        i8259_ocw3(s, val);
    } else {
        i8259_ocw2(s, val);
    }
}

static void i8259_write(void *opaque, uint64_t addr, uint64_t data,
                        unsigned size)
{
    I8259State *s = opaque;
    switch (addr & 1) {
    case PIC_CMD:
        i8259_write_cmd(s, data);
        break;
    default:
        i8259_write_data(s, data);
        break;
    }
}

/* ELCR: one byte; a widened access reaches it at every offset. */
static uint64_t i8259_elcr_read(void *opaque, uint64_t addr, unsigned size)
{
    I8259State *s = opaque;
    return s->elcr;
}

static void i8259_elcr_write(void *opaque, uint64_t addr, uint64_t data,
                             unsigned size)
{
    I8259State *s = opaque;
    s->elcr = data & s->elcr_mask;
    i8259_sync_levels(s);
    i8259_update(s);
}

static void i8259_reset(Object *obj)
{
    I8259State *s = (I8259State *)obj;
    i8259_init_state(s);
    s->elcr = 0;
    s->pins = 0;
    s->out_level = 0;       /* the receiving pin is reset with its owner */
}

static const MemoryRegionOps i8259_ops = {
    .read = i8259_read,
    .write = i8259_write,
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static const MemoryRegionOps i8259_elcr_ops = {
    .read = i8259_elcr_read,
    .write = i8259_elcr_write,
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

IRQ *i8259_input(Object *pic, int n)
{
    if (n < 0 || n >= PIC_PINS) {
        emu_bug("i8259: no input pin %d", n);
    }
    return &i8259_cast(pic)->in[n];
}

void i8259_set_output(Object *pic, IRQ *out)
{
    I8259State *s = i8259_cast(pic);
    s->out = out;
    irq_set(s->out, s->out_level);
}

int i8259_output_level(Object *pic)
{
    return i8259_cast(pic)->out_level;
}

int i8259_intack(Object *master, Object *slave)
{
    I8259State *m = i8259_cast(master);
    int irq = i8259_pending(m);
    if (irq < 0) {
        return m->vector_base + PIC_SPURIOUS;   /* nothing in ISR */
    }
    int vector = m->vector_base + irq;
    if (irq == PIC_CASCADE_PIN && slave) {
        I8259State *sl = i8259_cast(slave);
        int irq2 = i8259_pending(sl);
        if (irq2 >= 0) {
            i8259_ack(sl, irq2);
        } else {
            irq2 = PIC_SPURIOUS;
        }
        vector = sl->vector_base + irq2;
    }
    i8259_ack(m, irq);
    return vector;
}

static void i8259_init(Object *obj)
{
    I8259State *s = (I8259State *)obj;
    s->iobase = 0x20;
    s->elcr_addr = 0x4d0;
    s->elcr_mask = 0xf8;
    s->master = true;
}

static bool i8259_realize(Object *obj, Machine *m, char **errp)
{
    I8259State *s = (I8259State *)obj;
    if (s->iobase > 0xfffe) {
        *errp = g_strdup_printf("isa-i8259: iobase 0x%x out of range",
                                s->iobase);
        return false;
    }
    if (s->elcr_addr != UINT32_MAX && s->elcr_addr > 0xffff) {
        *errp = g_strdup_printf("isa-i8259: elcr_addr 0x%x out of range",
                                s->elcr_addr);
        return false;
    }
    for (int n = 0; n < PIC_PINS; n++) {
        irq_init(&s->in[n], obj, i8259_set_pin, s, n);
    }
    mr_init_io(&s->io, obj, &i8259_ops, s, "pic", 2);
    mr_add_subregion(&m->sysio, s->iobase, &s->io);
    if (s->elcr_addr != UINT32_MAX) {
        mr_init_io(&s->elcr_io, obj, &i8259_elcr_ops, s, "elcr", 1);
        mr_add_subregion(&m->sysio, s->elcr_addr, &s->elcr_io);
    }
    return true;
}

static const Property i8259_props[] = {
    { "iobase", PROP_U32, offsetof(I8259State, iobase),
      "I/O base of the two command/data ports (0x20)" },
    { "elcr_addr", PROP_U32, offsetof(I8259State, elcr_addr),
      "port of the edge/level control register (0x4d0; 0xffffffff: none)" },
    { "elcr_mask", PROP_U8, offsetof(I8259State, elcr_mask),
      "ELCR bits that may be set (0xf8)" },
    { "master", PROP_BOOL, offsetof(I8259State, master),
      "master chip: special fully nested mode spares IR2 (on)" },
    { NULL },
};

const TypeInfo i8259_type = {
    .name = TYPE_I8259,
    .parent = "isa-device",
    .desc = "Intel 8259A interrupt controller with PIIX ELCR",
    OBJECT_INSTANCE(I8259State),
    .user_creatable = false,
    .props = i8259_props,
    .init = i8259_init,
    .realize = i8259_realize,
    .reset = i8259_reset,
};
