/* SPDX-License-Identifier: MIT */
/*
 * Intel 8254 programmable interval timer (82C54 datasheet): three 16-bit
 * counters at 1.193182 MHz on the virtual clock, modes 0-5, binary or BCD,
 * counter latch and read-back commands, GATE. Counts are computed from the
 * clock when read, never ticked; counter 0's OUT drives an ISA IRQ through a
 * timer at its edges (coalesced for tiny periods). A count enters the CE the
 * moment it is written (no extra CLK). Unlike QEMU 7.2, OUT has the
 * datasheet's polarity in modes 2, 4 and 5 and NULL COUNT is reported.
 */
#include "hw/timer/i8254.h"

#include "emu/clock.h"
#include "emu/irq.h"
#include "emu/log.h"
#include "emu/machine.h"
#include "emu/memory.h"
#include "hw/devices.h"

/* Port offsets. */
#define PIT_CONTROL 3

/* Control word (datasheet "Control Word Format"). */
#define PIT_CW_SC(v) ((v) >> 6)
#define PIT_CW_RW(v) (((v) >> 4) & 3)
#define PIT_CW_MODE(v) (((v) >> 1) & 7)
#define PIT_CW_BCD 0x01
#define PIT_CW_BITS 0x3f        /* what the status byte echoes */
#define PIT_SC_READBACK 3
#define PIT_RW_LATCH 0
#define PIT_RW_LSB 1
#define PIT_RW_MSB 2
#define PIT_RW_WORD 3

/* Read-back command: bits are active low. */
#define PIT_RB_NO_COUNT 0x20
#define PIT_RB_NO_STATUS 0x10
#define PIT_RB_COUNTER(i) (2u << (i))

/* Status byte. */
#define PIT_STATUS_OUT 0x80
#define PIT_STATUS_NULL 0x40

/* Limits. */
#define PIT_CHANNELS 3
#define PIT_BIN_MOD 65536u
#define PIT_BCD_MOD 10000u
/* Modes 2 and 3 with a shorter period raise IRQ edges at most this often
 * (longer periods take two timer callbacks a period). */
#define PIT_IRQ_MIN_PERIOD_NS 100000

enum {
    PIT_IDLE,       /* control word written, waiting for a count */
    PIT_ARMED,      /* modes 1, 5: count loaded, waiting for a trigger */
    PIT_RUN,        /* counting from n since run_start_ns (or paused by GATE) */
};

typedef struct I8254Channel {
    /* Programming. */
    uint8_t ctrl;           /* RW, mode and BCD bits as written */
    uint8_t mode;           /* 0..5 (6 and 7 are 2 and 3) */
    bool bcd;
    bool read_msb;          /* next live read of a 2-byte counter: MSB */
    bool write_msb;         /* next write of a 2-byte counter: MSB */
    uint8_t write_lsb;
    uint16_t cr;            /* count register, raw */
    bool null_count;
    bool gate;
    /* Output latch and status latch. */
    uint16_t ol;
    uint8_t ol_left;        /* PIT_RW_*: bytes still to read; 0: none */
    uint8_t status;
    bool status_latched;
    /* Counting element. */
    uint8_t state;
    uint32_t n;             /* count being used, decoded */
    uint16_t n_raw;         /* as written: what the CE reads when it is n */
    int64_t run_start_ns;    /* when counting (re)started */
    int64_t run_start_ticks; /* run ticks then (negative after a reload) */
    bool cr_pending;        /* modes 2, 3: new count loads at reload_at */
    uint64_t reload_at;
    uint16_t ce_hold;       /* CE while not running */
    bool out_hold;          /* OUT while not running */
    /* Counter 0: what the IRQ line shows. */
    bool line;
    bool edge_pending;
    uint64_t rises_seen;
} I8254Channel;

typedef struct I8254State {
    Object obj;
    uint32_t iobase;
    uint32_t irq_num;
    I8254Channel ch[PIT_CHANNELS];
    Timer timer;
    int64_t irq_fired;      /* when the timer last ran */
    Clock *clock;
    IRQ *irq;
    MemoryRegion io;
} I8254State;

/* Time conversion, exact for any ns >= 0. */
static uint64_t pit_ns_to_ticks(int64_t ns)
{
    uint64_t q = (uint64_t)ns / NANOSECONDS_PER_SECOND;
    uint64_t r = (uint64_t)ns % NANOSECONDS_PER_SECOND;
    return q * I8254_FREQ + r * I8254_FREQ / NANOSECONDS_PER_SECOND;
}

/* First ns after which `ticks` ticks have elapsed; saturates. */
static int64_t pit_ticks_to_ns(uint64_t ticks)
{
    uint64_t q = ticks / I8254_FREQ;
    uint64_t r = ticks % I8254_FREQ;
    if (q >= (uint64_t)INT64_MAX / NANOSECONDS_PER_SECOND) {
        return INT64_MAX;
    }
    return q * NANOSECONDS_PER_SECOND +
           (r * NANOSECONDS_PER_SECOND + I8254_FREQ - 1) / I8254_FREQ;
}

static int64_t pit_now(const I8254State *s)
{
    return clock_get_ns(s->clock);
}

static uint32_t pit_modulus(const I8254Channel *ch)
{
    return ch->bcd ? PIT_BCD_MOD : PIT_BIN_MOD;
}

/* A count as the counter uses it: 0 is the largest, 2^16 or 10^4. */
static uint32_t pit_decode(const I8254Channel *ch, uint16_t raw)
{
    if (!ch->bcd) {
        return raw ? raw : PIT_BIN_MOD;
    }
    uint32_t v = 0;
    for (int shift = 12; shift >= 0; shift -= 4) {
        v = v * 10 + ((raw >> shift) & 0xf);
    }
    return v ? v : PIT_BCD_MOD;
}

static bool pit_bcd_valid(uint16_t raw)
{
    for (int shift = 0; shift < 16; shift += 4) {
        if (((raw >> shift) & 0xf) > 9) {
            return false;
        }
    }
    return true;
}

static uint16_t pit_encode(const I8254Channel *ch, uint32_t v)
{
    if (!ch->bcd) {
        return v & 0xffff;
    }
    v %= PIT_BCD_MOD;
    return (v / 1000) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10;
}

static uint8_t pit_rw(const I8254Channel *ch)
{
    uint8_t rw = PIT_CW_RW(ch->ctrl);
    return rw ? rw : PIT_RW_LSB;    /* never programmed since reset */
}

static bool pit_counting(const I8254Channel *ch)
{
    return ch->state == PIT_RUN &&
           (ch->gate || ch->mode == 1 || ch->mode == 5);
}

/* Ticks since the count in use was loaded (or triggered). */
static uint64_t pit_ticks(const I8254Channel *ch, int64_t now)
{
    uint64_t d = ch->run_start_ticks;
    if (pit_counting(ch) && now > ch->run_start_ns) {
        d += pit_ns_to_ticks(now - ch->run_start_ns);
    }
    return d;       /* run_start_ticks + elapsed >= 0 by construction */
}

/* CE contents d ticks into a run (datasheet, mode descriptions). */
static uint32_t pit_ce_value(const I8254Channel *ch, uint64_t d)
{
    uint32_t n = ch->n;
    uint32_t mod = pit_modulus(ch);
    switch (ch->mode) {
    case 2:
        return n - d % n;
    case 3: {
        /* Down by two; an odd count spends one CLK more in the high half
         * (N, N-1, N-3 .. 0 high; N, N-3, N-5 .. 0 low). */
        uint32_t k = d % n;
        uint32_t high = (n + 1) / 2;
        if (!(n & 1)) {
            return n - 2 * (k < high ? k : k - high);
        }
        if (k < high) {
            return k ? n + 1 - 2 * k : n;
        }
        k -= high;
        return k ? n - 1 - 2 * k : n;
    }
    default:    /* 0, 1, 4, 5: down by one, wrapping */
        return d ? (n % mod + mod - d % mod) % mod : n;
    }
}

static bool pit_out_at(const I8254Channel *ch, uint64_t d)
{
    uint32_t n = ch->n;
    switch (ch->mode) {
    case 0:
    case 1:
        return d >= n;
    case 2:
        return !ch->gate || d % n != n - 1;     /* low while CE is 1 */
    case 3:
        return !ch->gate || d % n < (n + 1) / 2;
    default:    /* 4, 5: one CLK low when the count expires */
        return d != n;
    }
}

/* Rising OUT edges in (0, d] of a run. */
static uint64_t pit_rises(const I8254Channel *ch, uint64_t d)
{
    switch (ch->mode) {
    case 0:
    case 1:
        return d >= ch->n;
    case 2:
    case 3:
        return ch->n > 1 ? d / ch->n : 0;
    default:
        return d > ch->n;
    }
}

/* Next tick after d at which OUT changes; false if it never does. */
static bool pit_next_change(const I8254Channel *ch, uint64_t d, uint64_t *next)
{
    uint64_t n = ch->n;
    uint64_t base = n ? d - d % n : d;
    switch (ch->mode) {
    case 0:
    case 1:
        *next = n;
        return d < n;
    case 2:
        *next = base + (d % n < n - 1 ? n - 1 : n);
        return n > 1;
    case 3:
        *next = base + (d % n < (n + 1) / 2 ? (n + 1) / 2 : n);
        return n > 1;
    default:
        *next = d < n ? n : n + 1;
        return d <= n;
    }
}

static void pit_note_edges(I8254Channel *ch, uint64_t d)
{
    uint64_t r = pit_rises(ch, d);
    if (r > ch->rises_seen) {
        ch->edge_pending = true;
    }
    ch->rises_seen = r;
}

/* CR into the counting element: a new run begins at d = 0. */
static void pit_load_cr(I8254Channel *ch)
{
    ch->n = pit_decode(ch, ch->cr);
    ch->n_raw = ch->cr;
    ch->null_count = false;
    ch->cr_pending = false;
    ch->rises_seen = 0;
}

/* Start counting n = CR from now. */
static void pit_start(I8254State *s, I8254Channel *ch)
{
    pit_load_cr(ch);
    ch->run_start_ns = pit_now(s);
    ch->run_start_ticks = 0;
    ch->state = PIT_RUN;
}

/* Modes 2 and 3: a count written while counting is taken at the end of the
 * current period (datasheet, "Mode 2"; for mode 3 it says half-period, the
 * whole period keeps the square wave in phase). */
static void pit_catch_up(I8254State *s, I8254Channel *ch)
{
    if (!ch->cr_pending || !pit_counting(ch) ||
        pit_ticks(ch, pit_now(s)) < ch->reload_at) {
        return;
    }
    pit_note_edges(ch, ch->reload_at);
    ch->run_start_ticks -= ch->reload_at; /* rebased in ticks: no rounding drift */
    pit_load_cr(ch);
}

static uint16_t pit_read_ce(I8254State *s, I8254Channel *ch)
{
    pit_catch_up(s, ch);
    if (ch->state != PIT_RUN) {
        return ch->ce_hold;
    }
    uint32_t v = pit_ce_value(ch, pit_ticks(ch, pit_now(s)));
    return v == ch->n ? ch->n_raw : pit_encode(ch, v);
}

static bool pit_out(I8254State *s, I8254Channel *ch)
{
    pit_catch_up(s, ch);
    if (ch->state != PIT_RUN) {
        return ch->out_hold;
    }
    return pit_out_at(ch, pit_ticks(ch, pit_now(s)));
}

/* Stop counting; CE and OUT keep their values until a count comes. */
static void pit_hold(I8254State *s, I8254Channel *ch, bool out)
{
    ch->ce_hold = pit_read_ce(s, ch);
    ch->state = PIT_IDLE;
    ch->out_hold = out;
}

/* --- Counter 0's IRQ ---------------------------------------------------- */

/* Brings the line to OUT, pulsing it for rising edges it did not show. */
static void pit_irq_sync(I8254State *s, I8254Channel *ch)
{
    pit_catch_up(s, ch);
    if (pit_counting(ch)) {
        pit_note_edges(ch, pit_ticks(ch, pit_now(s)));
    }
    bool out = pit_out(s, ch);
    if (ch->edge_pending) {
        ch->edge_pending = false;
        if (ch->line) {
            irq_lower(s->irq);
        }
        irq_raise(s->irq);
        ch->line = true;
    }
    if (ch->line != out) {
        ch->line = out;
        irq_set(s->irq, out);
    }
}

static void pit_irq_schedule(I8254State *s, I8254Channel *ch)
{
    int64_t now = pit_now(s);
    uint64_t d = pit_ticks(ch, now);
    uint64_t next;
    if (!pit_counting(ch) || !pit_next_change(ch, d, &next)) {
        timer_del(&s->timer);
        return;
    }
    bool fast = (ch->mode == 2 || ch->mode == 3) &&
                pit_ticks_to_ns(ch->n) < PIT_IRQ_MIN_PERIOD_NS;
    if (fast) {
        next = (d / ch->n + 1) * ch->n;     /* next rising edge only */
    }
    if (ch->cr_pending && ch->reload_at > d && ch->reload_at < next) {
        next = ch->reload_at;
    }
    int64_t delta = pit_ticks_to_ns(next - ch->run_start_ticks);
    int64_t when = delta > INT64_MAX - ch->run_start_ns ? INT64_MAX
                                                        : ch->run_start_ns + delta;
    int64_t earliest = s->irq_fired > INT64_MAX - PIT_IRQ_MIN_PERIOD_NS ?
                       INT64_MAX : s->irq_fired + PIT_IRQ_MIN_PERIOD_NS;
    if (fast && when < earliest) {
        when = earliest;
    }
    timer_mod(&s->timer, when);
}

static void pit_irq_update(I8254State *s)
{
    I8254Channel *ch = &s->ch[0];
    pit_irq_sync(s, ch);
    pit_irq_schedule(s, ch);
}

/* Before counter 0 changes how it counts: account for edges so far. */
static void pit_irq_before(I8254State *s, I8254Channel *ch)
{
    if (ch == &s->ch[0]) {
        pit_irq_sync(s, ch);
    }
}

static void pit_irq_after(I8254State *s, I8254Channel *ch)
{
    if (ch == &s->ch[0]) {
        ch->rises_seen = pit_rises(ch, pit_ticks(ch, pit_now(s)));
        pit_irq_update(s);
    }
}

/* --- Programming -------------------------------------------------------- */

static void pit_control_word(I8254State *s, I8254Channel *ch, uint8_t val)
{
    pit_irq_before(s, ch);
    uint8_t mode = PIT_CW_MODE(val);
    pit_hold(s, ch, mode != 0);         /* OUT's initial state */
    ch->ctrl = val & PIT_CW_BITS;
    ch->mode = mode > 5 ? mode - 4 : mode;
    ch->bcd = val & PIT_CW_BCD;
    ch->null_count = true;
    ch->cr_pending = false;
    ch->read_msb = false;
    ch->write_msb = false;
    pit_irq_after(s, ch);
}

/* Period boundary after d: where modes 2 and 3 take a new count. */
static uint64_t pit_period_end(const I8254Channel *ch, uint64_t d)
{
    return (d / ch->n + 1) * ch->n;
}

/* A whole count has reached CR (datasheet, "Mode n" write rules). */
static void pit_count_written(I8254State *s, I8254Channel *ch, uint16_t raw)
{
    pit_irq_before(s, ch);
    ch->cr = raw;
    ch->null_count = true;
    if (ch->bcd && !pit_bcd_valid(raw)) {
        guest_error("i8254: count 0x%04x is not BCD", raw);
    }
    switch (ch->mode) {
    case 2:
    case 3:
        if (ch->state == PIT_RUN) {
            ch->cr_pending = true;
            ch->reload_at = ch->gate ?
                pit_period_end(ch, pit_ticks(ch, pit_now(s))) : UINT64_MAX;
            break;
        }
        pit_start(s, ch);
        break;
    case 1:
    case 5:
        if (ch->state != PIT_RUN) {
            /* Shown at once, as QEMU does; counting waits for GATE. */
            ch->state = PIT_ARMED;
            ch->ce_hold = raw;
            ch->out_hold = true;
            ch->null_count = false;
        }
        break;
    default:    /* 0, 4: loaded at once, counting restarts */
        pit_start(s, ch);
        break;
    }
    pit_irq_after(s, ch);
}

/* Mode 0: the first byte of a two-byte count stops counting, OUT low. */
static void pit_write_first_byte(I8254State *s, I8254Channel *ch, uint8_t val)
{
    ch->write_lsb = val;
    ch->write_msb = true;
    if (ch->mode == 0) {
        pit_irq_before(s, ch);
        pit_hold(s, ch, false);
        pit_irq_after(s, ch);
    }
}

static void pit_write_count(I8254State *s, I8254Channel *ch, uint8_t val)
{
    switch (pit_rw(ch)) {
    case PIT_RW_LSB:
        pit_count_written(s, ch, val);
        break;
    case PIT_RW_MSB:
        pit_count_written(s, ch, val << 8);
        break;
    default:
        if (!ch->write_msb) {
            pit_write_first_byte(s, ch, val);
        } else {
            ch->write_msb = false;
            pit_count_written(s, ch, ch->write_lsb | val << 8);
        }
        break;
    }
}

/* A second latch before reading is ignored; so is one on a counter never
 * programmed since reset (no byte order yet; QEMU 7.2 does the same). */
static void pit_latch_count(I8254State *s, I8254Channel *ch)
{
    if (!ch->ol_left && PIT_CW_RW(ch->ctrl) != PIT_RW_LATCH) {
        ch->ol = pit_read_ce(s, ch);
        ch->ol_left = pit_rw(ch);
    }
}

static void pit_latch_status(I8254State *s, I8254Channel *ch)
{
    if (!ch->status_latched) {
        ch->status = (pit_out(s, ch) ? PIT_STATUS_OUT : 0) |
                     (ch->null_count ? PIT_STATUS_NULL : 0) | ch->ctrl;
        ch->status_latched = true;
    }
}

static void pit_read_back(I8254State *s, uint8_t val)
{
    for (int i = 0; i < PIT_CHANNELS; i++) {
        if (!(val & PIT_RB_COUNTER(i))) {
            continue;
        }
        if (!(val & PIT_RB_NO_COUNT)) {
            pit_latch_count(s, &s->ch[i]);
        }
        if (!(val & PIT_RB_NO_STATUS)) {
            pit_latch_status(s, &s->ch[i]);
        }
    }
}

static void pit_write_control(I8254State *s, uint8_t val)
{
    if (PIT_CW_SC(val) == PIT_SC_READBACK) {
        pit_read_back(s, val);
    } else if (PIT_CW_RW(val) == PIT_RW_LATCH) {
        pit_latch_count(s, &s->ch[PIT_CW_SC(val)]);
    } else {
        pit_control_word(s, &s->ch[PIT_CW_SC(val)], val);
    }
}

/* --- Reads ---------------------------------------------------------------- */

static uint8_t pit_read_latched(I8254Channel *ch)
{
    switch (ch->ol_left) {
    case PIT_RW_MSB:
        ch->ol_left = 0;
        return ch->ol >> 8;
    case PIT_RW_WORD:
        ch->ol_left = PIT_RW_MSB;
        return ch->ol & 0xff;
    default:
        ch->ol_left = 0;
        return ch->ol & 0xff;
    }
}

static uint8_t pit_read_counter(I8254State *s, I8254Channel *ch)
{
    if (ch->status_latched) {
        ch->status_latched = false;
        return ch->status;
    }
    if (ch->ol_left) {
        return pit_read_latched(ch);
    }
    uint16_t ce = pit_read_ce(s, ch);
    bool msb = pit_rw(ch) == PIT_RW_MSB;
    if (pit_rw(ch) == PIT_RW_WORD) {
        msb = ch->read_msb;
        ch->read_msb = !ch->read_msb;
    }
    return msb ? ce >> 8 : ce & 0xff;
}

static uint64_t pit_read(void *opaque, uint64_t addr, unsigned size)
{
    I8254State *s = opaque;
    switch (addr & 3) {
    case PIT_CONTROL:
        return 0;           /* write-only; QEMU reads 0 */
    default:
        return pit_read_counter(s, &s->ch[addr & 3]);
    }
}

static void pit_write(void *opaque, uint64_t addr, uint64_t data,
                      unsigned size)
{
    I8254State *s = opaque;
    switch (addr & 3) {
    case PIT_CONTROL:
        pit_write_control(s, data);
        break;
    default:
        pit_write_count(s, &s->ch[addr & 3], data);
        break;
    }
}

/* --- GATE ----------------------------------------------------------------- */

static void pit_gate_rise(I8254State *s, I8254Channel *ch)
{
    switch (ch->mode) {
    case 1:
    case 5:
        if (ch->state != PIT_IDLE) {
            pit_start(s, ch);       /* (re)trigger */
        }
        break;
    case 2:
    case 3:
        if (ch->state == PIT_RUN) {
            pit_start(s, ch);       /* reload from CR */
        }
        break;
    default:
        ch->run_start_ns = pit_now(s);  /* resume */
        break;
    }
}

static void pit_set_gate(I8254State *s, I8254Channel *ch, bool level)
{
    if (level == ch->gate) {
        return;
    }
    pit_irq_before(s, ch);
    pit_catch_up(s, ch);
    uint64_t d = pit_ticks(ch, pit_now(s));
    ch->gate = level;
    if (level) {
        pit_gate_rise(s, ch);
    } else if (ch->state == PIT_RUN && !pit_counting(ch)) {
        ch->run_start_ticks = d; /* modes 0, 2, 3, 4 pause where they are */
        ch->run_start_ns = pit_now(s);
    }
    pit_irq_after(s, ch);
}

static void pit_timer_cb(void *opaque)
{
    I8254State *s = opaque;
    s->irq_fired = pit_now(s);
    pit_irq_update(s);
}

/* Power-on state as QEMU 7.2 has it: mode 3, count 0 (65536), running,
 * GATE high on counters 0 and 1; counter 2's GATE is port 0x61 bit 0. */
static void pit_reset(Object *obj)
{
    I8254State *s = (I8254State *)obj;
    for (int i = 0; i < PIT_CHANNELS; i++) {
        I8254Channel *ch = &s->ch[i];
        *ch = (I8254Channel){ .ctrl = 3 << 1, .mode = 3, .gate = i != 2 };
        pit_start(s, ch);
        /* Taken as the line's level without driving it: the PIC resets its
         * pin low, and IR0 first rises at the first edge, as in QEMU. */
        ch->line = pit_out(s, ch);
    }
    s->irq_fired = INT64_MIN / 2;
    pit_irq_schedule(s, &s->ch[0]);
}

static const MemoryRegionOps pit_ops = {
    .read = pit_read,
    .write = pit_write,
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static I8254State *pit_cast(Object *obj, int channel)
{
    if (!obj || !object_is_a(obj, TYPE_I8254) || channel < 0 ||
        channel >= PIT_CHANNELS) {
        emu_bug("i8254: bad timer or channel %d", channel);
    }
    return (I8254State *)obj;
}

void i8254_set_gate(Object *pit, int channel, int level)
{
    I8254State *s = pit_cast(pit, channel);
    object_touch(pit);          /* called by another device (pcspk) */
    pit_set_gate(s, &s->ch[channel], level != 0);
}

int i8254_get_gate(Object *pit, int channel)
{
    return pit_cast(pit, channel)->ch[channel].gate;
}

int i8254_get_out(Object *pit, int channel)
{
    I8254State *s = pit_cast(pit, channel);
    object_touch(pit);          /* reading OUT catches the counter up */
    return pit_out(s, &s->ch[channel]);
}

static void pit_init(Object *obj)
{
    I8254State *s = (I8254State *)obj;
    s->iobase = 0x40;
    s->irq_num = 0;
}

static bool pit_realize(Object *obj, Machine *m, char **errp)
{
    I8254State *s = (I8254State *)obj;
    if (s->iobase > 0xfffc) {
        *errp = g_strdup_printf("isa-pit: iobase 0x%x out of range", s->iobase);
        return false;
    }
    if (s->irq_num >= MACHINE_ISA_IRQS) {
        *errp = g_strdup_printf("isa-pit: irq %u out of range (0-%d)",
                                s->irq_num, MACHINE_ISA_IRQS - 1);
        return false;
    }
    s->clock = &m->clock;
    s->irq = m->isa_irq[s->irq_num];
    timer_init(&s->timer, obj, &m->clock, pit_timer_cb, s);
    mr_init_io(&s->io, obj, &pit_ops, s, "pit", 4);
    mr_add_subregion(&m->sysio, s->iobase, &s->io);
    return true;
}

static const Property pit_props[] = {
    { "iobase", PROP_U32, offsetof(I8254State, iobase),
      "I/O base of the counters and control word (0x40)" },
    { "irq", PROP_U32, offsetof(I8254State, irq_num),
      "ISA IRQ driven by counter 0 (0)" },
    { NULL },
};

const TypeInfo i8254_type = {
    .name = TYPE_I8254,
    .parent = "isa-device",
    .desc = "Intel 8254 programmable interval timer",
    OBJECT_INSTANCE(I8254State),
    .user_creatable = false,
    .props = pit_props,
    .init = pit_init,
    .realize = pit_realize,
    .reset = pit_reset,
};
