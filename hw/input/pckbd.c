/* SPDX-License-Identifier: MIT */
/*
 * Intel 8042 keyboard controller of the IBM PC/AT (Technical Reference,
 * "Keyboard Controller") with a PS/2 keyboard and mouse behind it (ps2.c):
 * data port 0x60, status/command port 0x64, command byte, output port with
 * the A20 gate. Register behaviour is QEMU 7.2's ("extended state": one
 * output buffer fed by the keyboard, the mouse or the controller itself).
 * Left out: a real input port, parity/timeout errors, IBF timing, the
 * password and memory commands. A pulse of the reset line resets the machine.
 */
#include "hw/input/i8042.h"

#include "emu/clock.h"
#include "emu/irq.h"
#include "emu/log.h"
#include "emu/machine.h"
#include "emu/memory.h"
#include "hw/devices.h"
#include "hw/input/ps2.h"

/* Controller commands (port 0x64) */
#define KBD_CCMD_READ_MODE 0x20
#define KBD_CCMD_WRITE_MODE 0x60
#define KBD_CCMD_MOUSE_DISABLE 0xa7
#define KBD_CCMD_MOUSE_ENABLE 0xa8
#define KBD_CCMD_TEST_MOUSE 0xa9
#define KBD_CCMD_SELF_TEST 0xaa
#define KBD_CCMD_KBD_TEST 0xab
#define KBD_CCMD_KBD_DISABLE 0xad
#define KBD_CCMD_KBD_ENABLE 0xae
#define KBD_CCMD_READ_INPORT 0xc0
#define KBD_CCMD_READ_OUTPORT 0xd0
#define KBD_CCMD_WRITE_OUTPORT 0xd1
#define KBD_CCMD_WRITE_OBUF 0xd2
#define KBD_CCMD_WRITE_AUX_OBUF 0xd3
#define KBD_CCMD_WRITE_MOUSE 0xd4
#define KBD_CCMD_DISABLE_A20 0xdd
#define KBD_CCMD_ENABLE_A20 0xdf
#define KBD_CCMD_PULSE_MASK 0xf0 /* 0xf0-0xff: pulse output bits 3-0 */
#define KBD_CCMD_RESET 0xfe
#define KBD_CCMD_NO_OP 0xff

/* Status register (port 0x64 read) */
#define KBD_STAT_OBF 0x01
#define KBD_STAT_IBF 0x02
#define KBD_STAT_SELFTEST 0x04 /* system flag */
#define KBD_STAT_CMD 0x08      /* last write was to port 0x64 */
#define KBD_STAT_UNLOCKED 0x10 /* keyboard not inhibited */
#define KBD_STAT_MOUSE_OBF 0x20
#define KBD_STAT_GTO 0x40
#define KBD_STAT_PERR 0x80

/* Command byte */
#define KBD_MODE_KBD_INT 0x01
#define KBD_MODE_MOUSE_INT 0x02
#define KBD_MODE_SYS 0x04
#define KBD_MODE_NO_KEYLOCK 0x08
#define KBD_MODE_DISABLE_KBD 0x10
#define KBD_MODE_DISABLE_MOUSE 0x20
#define KBD_MODE_KCC 0x40 /* translate to scancode set 1 */

/* Output port */
#define KBD_OUT_RESET 0x01 /* 0: CPU held in reset */
#define KBD_OUT_A20 0x02
#define KBD_OUT_OBF 0x10
#define KBD_OUT_MOUSE_OBF 0x20
#define KBD_OUT_ONES 0xcc /* QEMU keeps these bits set */

/* Input port: keyboard not inhibited, everything else 0 (as QEMU). */
#define KBD_INPORT_VALUE 0x80

/* Who has data for the output buffer; the two device bits line up with
 * the command byte's disable bits, which mask them. */
#define KBD_PENDING_CTRL_KBD 0x04
#define KBD_PENDING_CTRL_AUX 0x08
#define KBD_PENDING_KBD KBD_MODE_DISABLE_KBD
#define KBD_PENDING_AUX KBD_MODE_DISABLE_MOUSE
#define KBD_PENDING_CTRL (KBD_PENDING_CTRL_KBD | KBD_PENDING_CTRL_AUX)

/* Source of the byte in the output buffer */
#define KBD_OBSRC_KBD 0x01
#define KBD_OBSRC_MOUSE 0x02
#define KBD_OBSRC_CTRL 0x04

/* kbd-throttle: at most one keyboard byte a millisecond. */
#define KBD_THROTTLE_NS 1000000

typedef struct I8042State {
    Object obj;
    /* properties */
    uint8_t kbd_irq;
    uint8_t mouse_irq;
    bool kbd_throttle;
    /* guest-visible state */
    uint8_t write_cmd; /* command waiting for a data byte, or 0 */
    uint8_t status;
    uint8_t mode; /* command byte */
    uint8_t outport;
    uint8_t pending; /* KBD_PENDING_* */
    uint8_t obsrc;   /* KBD_OBSRC_* */
    uint8_t obdata;  /* output buffer */
    uint8_t cbdata;  /* the controller's own reply */
    PS2Kbd kbd;
    PS2Mouse mouse;
    Timer throttle_timer;
    /* set-up */
    Clock *clock;
    Machine *machine;        /* for reset requests */
    MemoryRegion io_data;
    MemoryRegion io_cmd;
    IRQ *irq_kbd_line;
    IRQ *irq_mouse_line;
} I8042State;

/* ---- output buffer and interrupts ---- */

static void kbd_update_irq_lines(I8042State *s)
{
    bool obf = s->status & KBD_STAT_OBF;
    bool aux = s->status & KBD_STAT_MOUSE_OBF;
    bool kbd_level =
        obf && !aux && (s->mode & KBD_MODE_KBD_INT) && !(s->mode & KBD_MODE_DISABLE_KBD);
    bool aux_level = obf && aux && (s->mode & KBD_MODE_MOUSE_INT);

    irq_set(s->irq_kbd_line, kbd_level);
    irq_set(s->irq_mouse_line, aux_level);
}

static void kbd_deassert_irq(I8042State *s)
{
    s->status &= ~(KBD_STAT_OBF | KBD_STAT_MOUSE_OBF);
    s->outport &= ~(KBD_OUT_OBF | KBD_OUT_MOUSE_OBF);
    kbd_update_irq_lines(s);
}

/* Pending sources, less the interfaces the command byte disables. */
static uint8_t kbd_pending(const I8042State *s)
{
    return s->pending & ~(s->mode & (KBD_PENDING_KBD | KBD_PENDING_AUX));
}

static void kbd_set_obf(I8042State *s, bool aux, uint8_t src)
{
    s->status |= KBD_STAT_OBF | (aux ? KBD_STAT_MOUSE_OBF : 0);
    s->outport |= KBD_OUT_OBF | (aux ? KBD_OUT_MOUSE_OBF : 0);
    s->obsrc = src;
}

/* Fills the output buffer from the first source with data: the
 * controller, then the keyboard, then the mouse. */
static void kbd_update_irq(I8042State *s)
{
    uint8_t pending = kbd_pending(s);

    s->status &= ~(KBD_STAT_OBF | KBD_STAT_MOUSE_OBF);
    s->outport &= ~(KBD_OUT_OBF | KBD_OUT_MOUSE_OBF);
    if (pending & KBD_PENDING_CTRL_KBD) {
        kbd_set_obf(s, false, KBD_OBSRC_CTRL);
    } else if (pending & KBD_PENDING_CTRL_AUX) {
        kbd_set_obf(s, true, KBD_OBSRC_CTRL);
    } else if (pending & KBD_PENDING_KBD) {
        kbd_set_obf(s, false, KBD_OBSRC_KBD);
    } else if (pending) {
        kbd_set_obf(s, true, KBD_OBSRC_MOUSE);
    }
    kbd_update_irq_lines(s);
}

/* Refills the output buffer only if it is empty (and not throttled). */
static void kbd_safe_update_irq(I8042State *s)
{
    if (s->status & KBD_STAT_OBF) {
        return;
    }
    if (s->kbd_throttle && timer_pending(&s->throttle_timer)) {
        return;
    }
    if (kbd_pending(s)) {
        kbd_update_irq(s);
    }
}

static void kbd_set_pending(I8042State *s, uint8_t bit, int level)
{
    if (level) {
        s->pending |= bit;
    } else {
        s->pending &= ~bit;
    }
    kbd_safe_update_irq(s);
}

static void kbd_kbd_data_line(void *opaque, int level)
{
    kbd_set_pending(opaque, KBD_PENDING_KBD, level);
}

static void kbd_aux_data_line(void *opaque, int level)
{
    kbd_set_pending(opaque, KBD_PENDING_AUX, level);
}

/* A controller reply, as if from the keyboard (aux false) or the mouse. */
static void kbd_queue(I8042State *s, uint8_t b, bool aux)
{
    s->cbdata = b;
    s->pending &= ~KBD_PENDING_CTRL;
    s->pending |= aux ? KBD_PENDING_CTRL_AUX : KBD_PENDING_CTRL_KBD;
    kbd_safe_update_irq(s);
}

static uint8_t kbd_dequeue(I8042State *s)
{
    s->pending &= ~KBD_PENDING_CTRL;
    if (kbd_pending(s)) {
        kbd_update_irq(s);
    }
    return s->cbdata;
}

static void kbd_request_reset(I8042State *s)
{
    machine_request_reset(s->machine);
}

static void kbd_outport_write(I8042State *s, uint8_t val)
{
    s->outport = val;
    if (!(val & KBD_OUT_RESET)) {
        kbd_request_reset(s);
    }
}

/* ---- registers ---- */

static void kbd_write_command(I8042State *s, uint8_t cmd)
{
    /* 0xf0-0xff pulse the output bits whose command bit is 0; only bit 0,
     * the CPU reset, does anything. */
    if ((cmd & KBD_CCMD_PULSE_MASK) == KBD_CCMD_PULSE_MASK) {
        cmd = (cmd & 1) ? KBD_CCMD_NO_OP : KBD_CCMD_RESET;
    }
    switch (cmd) {
    case KBD_CCMD_READ_MODE:
        kbd_queue(s, s->mode, false);
        break;
    case KBD_CCMD_WRITE_MODE:
    case KBD_CCMD_WRITE_OBUF:
    case KBD_CCMD_WRITE_AUX_OBUF:
    case KBD_CCMD_WRITE_MOUSE:
    case KBD_CCMD_WRITE_OUTPORT:
        s->write_cmd = cmd;
        break;
    case KBD_CCMD_MOUSE_DISABLE:
        s->mode |= KBD_MODE_DISABLE_MOUSE;
        break;
    case KBD_CCMD_MOUSE_ENABLE:
        s->mode &= ~KBD_MODE_DISABLE_MOUSE;
        kbd_safe_update_irq(s);
        break;
    case KBD_CCMD_TEST_MOUSE:
    case KBD_CCMD_KBD_TEST:
        kbd_queue(s, 0x00, false); /* interface OK */
        break;
    case KBD_CCMD_SELF_TEST:
        s->status |= KBD_STAT_SELFTEST;
        kbd_queue(s, 0x55, false);
        break;
    case KBD_CCMD_KBD_DISABLE:
        s->mode |= KBD_MODE_DISABLE_KBD;
        break;
    case KBD_CCMD_KBD_ENABLE:
        s->mode &= ~KBD_MODE_DISABLE_KBD;
        kbd_safe_update_irq(s);
        break;
    case KBD_CCMD_READ_INPORT:
        kbd_queue(s, KBD_INPORT_VALUE, false);
        break;
    case KBD_CCMD_READ_OUTPORT:
        kbd_queue(s, s->outport, false);
        break;
    case KBD_CCMD_ENABLE_A20:
        s->outport |= KBD_OUT_A20;
        break;
    case KBD_CCMD_DISABLE_A20:
        s->outport &= ~KBD_OUT_A20;
        break;
    case KBD_CCMD_RESET:
        kbd_request_reset(s);
        break;
    case KBD_CCMD_NO_OP:
        break;
    default:
        guest_error("i8042: unsupported command 0x%02x", cmd);
        break;
    }
}

static void kbd_write_mode(I8042State *s, uint8_t val)
{
    s->mode = val;
    ps2_kbd_set_translation(&s->kbd, val & KBD_MODE_KCC);
    /* The enables act on the lines at once; clearing a disable bit may
     * let queued device data in. */
    kbd_update_irq_lines(s);
    kbd_safe_update_irq(s);
}

static void kbd_write_data(I8042State *s, uint8_t val)
{
    uint8_t cmd = s->write_cmd;

    s->write_cmd = 0;
    switch (cmd) {
    case 0:
        ps2_kbd_write(&s->kbd, val);
        s->mode &= ~KBD_MODE_DISABLE_KBD; /* sending re-enables the port */
        kbd_safe_update_irq(s);
        break;
    case KBD_CCMD_WRITE_MODE:
        kbd_write_mode(s, val);
        break;
    case KBD_CCMD_WRITE_OBUF:
        kbd_queue(s, val, false);
        break;
    case KBD_CCMD_WRITE_AUX_OBUF:
        kbd_queue(s, val, true);
        break;
    case KBD_CCMD_WRITE_OUTPORT:
        kbd_outport_write(s, val);
        break;
    case KBD_CCMD_WRITE_MOUSE:
        ps2_mouse_write(&s->mouse, val);
        s->mode &= ~KBD_MODE_DISABLE_MOUSE;
        kbd_safe_update_irq(s);
        break;
    default:
        emu_bug("i8042: bad pending command 0x%02x", cmd);
    }
}

/* QEMU counts the throttle in whole microseconds. */
static void kbd_arm_throttle(I8042State *s)
{
    int64_t now_us = clock_get_ns(s->clock) / 1000 * 1000;

    timer_mod(&s->throttle_timer, now_us > INT64_MAX - KBD_THROTTLE_NS
                                      ? INT64_MAX
                                      : now_us + KBD_THROTTLE_NS);
}

static uint8_t kbd_read_data(I8042State *s)
{
    if (!(s->status & KBD_STAT_OBF)) {
        return s->obdata; /* the buffer keeps its last byte */
    }
    kbd_deassert_irq(s);
    switch (s->obsrc) {
    case KBD_OBSRC_KBD:
        if (s->kbd_throttle) {
            kbd_arm_throttle(s);
        }
        s->obdata = ps2_read_data(&s->kbd.port);
        break;
    case KBD_OBSRC_MOUSE:
        s->obdata = ps2_read_data(&s->mouse.port);
        break;
    case KBD_OBSRC_CTRL:
        s->obdata = kbd_dequeue(s);
        break;
    default:
        break;
    }
    return s->obdata;
}

static uint64_t kbd_data_io_read(void *opaque, uint64_t addr, unsigned size)
{
    return kbd_read_data(opaque);
}

static void kbd_data_io_write(void *opaque, uint64_t addr, uint64_t data, unsigned size)
{
    kbd_write_data(opaque, (uint8_t)data);
}

static uint64_t kbd_cmd_io_read(void *opaque, uint64_t addr, unsigned size)
{
    I8042State *s = opaque;

    return s->status;
}

static void kbd_cmd_io_write(void *opaque, uint64_t addr, uint64_t data, unsigned size)
{
    kbd_write_command(opaque, (uint8_t)data);
}

/* ---- timer, reset, ops, realize ---- */

static void kbd_throttle_timeout(void *opaque)
{
    I8042State *s = opaque;

    if (kbd_pending(s)) {
        kbd_update_irq(s);
    }
}

static void i8042_reset(Object *obj)
{
    I8042State *s = (I8042State *)obj;

    s->write_cmd = 0;
    s->mode = KBD_MODE_KBD_INT | KBD_MODE_MOUSE_INT;
    s->status = KBD_STAT_CMD | KBD_STAT_UNLOCKED;
    s->outport = KBD_OUT_RESET | KBD_OUT_A20 | KBD_OUT_ONES;
    s->pending = 0;
    s->obsrc = 0;
    s->obdata = 0;
    s->cbdata = 0;
    timer_del(&s->throttle_timer);
    ps2_kbd_reset(&s->kbd);
    ps2_mouse_reset(&s->mouse);
    kbd_deassert_irq(s);
}

static const MemoryRegionOps kbd_data_ops = {
    .read = kbd_data_io_read,
    .write = kbd_data_io_write,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 1, .max_access_size = 1},
};

static const MemoryRegionOps kbd_cmd_ops = {
    .read = kbd_cmd_io_read,
    .write = kbd_cmd_io_write,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 1, .max_access_size = 1},
};

static void i8042_init(Object *obj)
{
    I8042State *s = (I8042State *)obj;

    s->kbd_irq = 1;
    s->mouse_irq = 12;
    s->kbd_throttle = false;
}

static bool i8042_realize(Object *obj, Machine *m, char **errp)
{
    I8042State *s = (I8042State *)obj;

    if (s->kbd_irq >= MACHINE_ISA_IRQS || s->mouse_irq >= MACHINE_ISA_IRQS) {
        *errp = g_strdup_printf("Maximum value for \"%s\" is: %u",
                                s->kbd_irq >= MACHINE_ISA_IRQS ? "kbd-irq" : "mouse-irq",
                                MACHINE_ISA_IRQS - 1);
        return false;
    }
    s->clock = &m->clock;
    s->machine = m;
    s->irq_kbd_line = m->isa_irq[s->kbd_irq];
    s->irq_mouse_line = m->isa_irq[s->mouse_irq];
    ps2_kbd_init(&s->kbd, kbd_kbd_data_line, s);
    ps2_mouse_init(&s->mouse, kbd_aux_data_line, s);
    timer_init(&s->throttle_timer, obj, &m->clock, kbd_throttle_timeout, s);
    mr_init_io(&s->io_data, obj, &kbd_data_ops, s, "i8042-data", 1);
    mr_init_io(&s->io_cmd, obj, &kbd_cmd_ops, s, "i8042-cmd", 1);
    mr_add_subregion(&m->sysio, 0x60, &s->io_data);
    mr_add_subregion(&m->sysio, 0x64, &s->io_cmd);
    return true;
}

static I8042State *i8042_cast(Object *kbc)
{
    if (!kbc || !object_is_a(kbc, TYPE_I8042)) {
        emu_bug("i8042: not a keyboard controller object");
    }
    return (I8042State *)kbc;
}

void i8042_kbd_put(Object *kbc, uint8_t byte)
{
    ps2_kbd_put(&i8042_cast(kbc)->kbd, byte);
}

void i8042_aux_put(Object *kbc, uint8_t byte)
{
    ps2_mouse_put(&i8042_cast(kbc)->mouse, byte);
}

int i8042_a20(Object *kbc)
{
    return (i8042_cast(kbc)->outport & KBD_OUT_A20) != 0;
}

static const Property i8042_props[] = {
    {"kbd-irq", PROP_U8, offsetof(I8042State, kbd_irq), "keyboard ISA IRQ (default 1)"},
    {"mouse-irq", PROP_U8, offsetof(I8042State, mouse_irq), "mouse ISA IRQ (default 12)"},
    {"kbd-throttle", PROP_BOOL, offsetof(I8042State, kbd_throttle),
     "at most one keyboard byte a millisecond (default off)"},
    {.name = NULL},
};

const TypeInfo i8042_type = {
    .name = TYPE_I8042,
    .parent = "isa-device",
    .desc = "i8042 PS/2 keyboard controller with keyboard and mouse",
    OBJECT_INSTANCE(I8042State),
    .user_creatable = true,
    .props = i8042_props,
    .init = i8042_init,
    .realize = i8042_realize,
    .reset = i8042_reset,
};
