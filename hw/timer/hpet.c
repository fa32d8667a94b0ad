/* SPDX-License-Identifier: MIT */
/*
 * High Precision Event Timer block: IA-PC HPET specification 1.0a, as
 * QEMU 7.2's pc has it (3 timers, 10 ns period, vendor 0x8086, legacy
 * replacement capable, every timer 64-bit and periodic capable, FSB
 * delivery only with msi=on). General capabilities, configuration,
 * level-triggered interrupt status (write 1 to clear), the main counter
 * (halted while disabled, writable only then), per-timer configuration,
 * comparators with periodic reload and value-set, the 32-bit one-shot
 * wrap interrupt, the interrupt route from the route capability mask, and
 * the FSB message. Timers run on the machine's virtual clock.
 * Departures from QEMU, for the spec: FSB enable is read-only without its
 * capability (2.3.8 bit 14), reserved timer registers past the last timer read
 * 0 (QEMU reads and writes a fourth), comparators keep running with the
 * timer's interrupt disabled and level status is set then (bit 2), and a
 * periodic interrupt comes at most every HPET_MIN_PERIOD_NS (the
 * comparator catches up as if each had come).
 */
#include "hw/timer/hpet.h"

#include <inttypes.h>
#include <string.h>

#include "emu/clock.h"
#include "emu/dma.h"
#include "emu/log.h"
#include "emu/machine.h"
#include "emu/memory.h"
#include "hw/devices.h"

/* General registers (spec 2.3.1). */
#define HPET_ID 0x000               /* capabilities, low dword */
#define HPET_PERIOD 0x004           /* capabilities, high dword */
#define HPET_CFG 0x010
#define HPET_STATUS 0x020
#define HPET_COUNTER 0x0f0
#define HPET_TIMER_BASE 0x100
#define HPET_TIMER_STRIDE 0x20

/* Timer registers, by offset in a timer's 0x20 bytes. */
#define HPET_TN_CFG 0x00
#define HPET_TN_CAP 0x04            /* route capability */
#define HPET_TN_CMP 0x08
#define HPET_TN_CMP_HI 0x0c
#define HPET_TN_FSB 0x10            /* message data */
#define HPET_TN_FSB_ADDR 0x14

/* General configuration (2.3.5). */
#define HPET_CFG_ENABLE 0x1
#define HPET_CFG_LEGACY 0x2
#define HPET_CFG_WRITE_MASK 0x3

/* General capabilities (2.3.4): revision 1, 64-bit counter, legacy route
 * capable, vendor 0x8086; the number of timers - 1 in bits 12:8. */
#define HPET_CAP_BASE 0x8086a001u
#define HPET_CAP_NUM_TIM_SHIFT 8
#define HPET_CLK_PERIOD_NS 10
#define HPET_FS_PER_NS 1000000u

/* Timer configuration and capabilities (2.3.8). */
#define HPET_TN_LEVEL 0x002
#define HPET_TN_ENABLE 0x004
#define HPET_TN_PERIODIC 0x008
#define HPET_TN_PERIODIC_CAP 0x010
#define HPET_TN_SIZE_CAP 0x020
#define HPET_TN_SETVAL 0x040
#define HPET_TN_32BIT 0x100
#define HPET_TN_ROUTE_MASK 0x3e00
#define HPET_TN_ROUTE_SHIFT 9
#define HPET_TN_FSB_ENABLE 0x4000
#define HPET_TN_FSB_CAP 0x8000
#define HPET_TN_CFG_WRITE_MASK 0x7f4e

/* Limits. */
#define HPET_MIN_TIMERS 3
#define HPET_MAX_TIMERS 32
#define HPET_REGION_SIZE 0x400
#define HPET_MIN_PERIOD_NS 100000   /* periodic interrupts, at most this often */
#define HPET_RTC_IRQ 8
#define HPET_NO_ROUTE (-1)

typedef struct HPETState HPETState;

typedef struct HPETTimer {
    HPETState *s;
    uint8_t tn;
    uint64_t config;            /* high dword: route capability */
    uint64_t cmp;
    uint64_t period;
    uint64_t fsb;               /* high: address, low: data */
    bool wrap_flag;             /* armed for the 32-bit wrap, not the match */
    int8_t raised;              /* GSI this timer holds high, or HPET_NO_ROUTE */
    Timer timer;
} HPETTimer;

struct HPETState {
    Object obj;
    /* Properties. */
    uint8_t num_timers;
    uint32_t intcap;
    bool msi;
    /* Registers. */
    uint64_t capability;
    uint64_t config;
    uint64_t isr;
    uint64_t counter;           /* while halted */
    int64_t start_ns;           /* while running: clock time counter was at */
    HPETTimer timer[HPET_MAX_TIMERS];
    /* The legacy devices' lines as they drive them. */
    bool pit_level, rtc_level;
    IRQ legacy_in[2];
    IRQ *gsi[HPET_NUM_IRQ_ROUTES];
    Clock *clock;
    AddressSpace *as;
    MemoryRegion io;
};

static bool hpet_enabled(const HPETState *s)
{
    return s->config & HPET_CFG_ENABLE;
}

static bool hpet_legacy(const HPETState *s)
{
    return s->config & HPET_CFG_LEGACY;
}

static uint64_t hpet_ticks(const HPETState *s)
{
    if (!hpet_enabled(s)) {
        return s->counter;
    }
    return s->counter + (uint64_t)(clock_get_ns(s->clock) - s->start_ns) / HPET_CLK_PERIOD_NS;
}

/* ---- Interrupts ---------------------------------------------------------- */

/* Spec 2.3.8 and the legacy replacement route (2.3.5 bit 1): timer 0 to
 * IRQ 0 (IOAPIC pin 2), timer 1 to IRQ 8; otherwise Tn_INT_ROUTE_CNF. */
static int hpet_route(const HPETTimer *t)
{
    if (t->tn <= 1 && hpet_legacy(t->s)) {
        return t->tn == 0 ? 0 : HPET_RTC_IRQ;
    }
    return (int)((t->config & HPET_TN_ROUTE_MASK) >> HPET_TN_ROUTE_SHIFT);
}

static bool hpet_fsb(const HPETTimer *t)
{
    return t->config & HPET_TN_FSB_ENABLE;
}

/* The line a level timer holds: its status bit, its interrupt enabled, the
 * block enabled, no FSB delivery. Moves with the route. */
static void hpet_sync_line(HPETTimer *t)
{
    HPETState *s = t->s;
    bool want = (t->config & HPET_TN_LEVEL) && (s->isr & (1ull << t->tn)) &&
                (t->config & HPET_TN_ENABLE) && hpet_enabled(s) && !hpet_fsb(t);
    int route = want ? hpet_route(t) : HPET_NO_ROUTE;

    if (route == t->raised) {
        return;
    }
    if (t->raised != HPET_NO_ROUTE) {
        irq_lower(s->gsi[t->raised]);
    }
    t->raised = (int8_t)route;
    if (route != HPET_NO_ROUTE) {
        irq_raise(s->gsi[route]);
    }
}

static void hpet_sync_lines(HPETState *s)
{
    for (unsigned i = 0; i < s->num_timers; i++) {
        hpet_sync_line(&s->timer[i]);
    }
}

/* FSB delivery (2.3.8 bit 14, 2.3.10): a 4-byte write of the data dword to
 * the address dword, like an MSI. */
static void hpet_send_fsb(HPETTimer *t)
{
    dma_st32(t->s->as, t->fsb >> 32, (uint32_t)t->fsb);
}

/* The comparator matched (or the 32-bit counter wrapped). */
static void hpet_fire(HPETTimer *t)
{
    HPETState *s = t->s;
    bool enabled = t->config & HPET_TN_ENABLE;

    if (t->config & HPET_TN_LEVEL) {
        s->isr |= 1ull << t->tn;
        hpet_sync_line(t);
        if (enabled && hpet_fsb(t)) {
            hpet_send_fsb(t);
        }
    } else if (enabled && hpet_fsb(t)) {
        hpet_send_fsb(t);
    } else if (enabled) {
        irq_pulse(s->gsi[hpet_route(t)]);
    }
}

/* ---- Comparators --------------------------------------------------------- */

/* Ticks from now to the comparator: at least 1 (a comparator in the past,
 * in the counter's signed sense, matches at the next tick, as QEMU). */
static uint64_t hpet_diff(const HPETTimer *t, uint64_t now)
{
    if (t->config & HPET_TN_32BIT) {
        uint32_t diff = (uint32_t)t->cmp - (uint32_t)now;
        return (int32_t)diff > 0 ? diff : 1;
    }
    uint64_t diff = t->cmp - now;
    return (int64_t)diff > 0 ? diff : 1;
}

/* Arms the clock timer diff ticks from now; a deadline past the end of
 * the clock's range is never reached, and the timer stays off. */
static void hpet_arm(HPETTimer *t, uint64_t diff)
{
    int64_t now = clock_get_ns(t->s->clock);

    if (diff > (uint64_t)(INT64_MAX - now) / HPET_CLK_PERIOD_NS) {
        timer_del(&t->timer);
        return;
    }
    timer_mod(&t->timer, now + (int64_t)diff * HPET_CLK_PERIOD_NS);
}

/* (Re)arms the timer from its comparator. Spec 2.3.9.2.2: in 32-bit
 * one-shot mode the timer also fires when the counter wraps. */
static void hpet_set_timer(HPETTimer *t)
{
    uint64_t now = hpet_ticks(t->s);
    uint64_t diff = hpet_diff(t, now);

    t->wrap_flag = false;
    if ((t->config & HPET_TN_32BIT) && !(t->config & HPET_TN_PERIODIC)) {
        uint32_t wrap_diff = 0xffffffffu - (uint32_t)now;
        if (wrap_diff < (uint32_t)diff) {
            diff = wrap_diff;
            t->wrap_flag = true;
        }
    }
    hpet_arm(t, diff);
}

/* Periodic mode (2.3.9.2.1): when the counter reaches the comparator, the
 * comparator goes up by the period, as many periods as it takes to pass
 * the counter, in closed form (no loop the period can make long). QEMU
 * only moves it once the counter is past it, so it fires a second time
 * one tick after each match. */
static void hpet_catch_up(HPETTimer *t, uint64_t now)
{
    if (t->config & HPET_TN_32BIT) {
        uint32_t cmp = (uint32_t)t->cmp, period = (uint32_t)t->period;
        if ((int32_t)(cmp - (uint32_t)now) <= 0) {
            uint32_t n = ((uint32_t)now - cmp) / period + 1;
            t->cmp = (uint32_t)(cmp + n * period);
        }
        return;
    }
    if ((int64_t)(t->cmp - now) <= 0) {
        uint64_t n = (now - t->cmp) / t->period + 1;
        t->cmp += n * t->period;
    }
}

static void hpet_timer_cb(void *opaque)
{
    HPETTimer *t = opaque;
    uint64_t now = hpet_ticks(t->s);
    int64_t ns = clock_get_ns(t->s->clock);

    if ((t->config & HPET_TN_PERIODIC) && t->period) {
        hpet_catch_up(t, now);
        hpet_arm(t, hpet_diff(t, now));
        if (timer_pending(&t->timer) && t->timer.expire < ns + HPET_MIN_PERIOD_NS) {
            timer_mod(&t->timer, ns + HPET_MIN_PERIOD_NS);
        }
    } else if ((t->config & HPET_TN_32BIT) && t->wrap_flag) {
        t->wrap_flag = false;
        hpet_arm(t, hpet_diff(t, now));
    }
    hpet_fire(t);
}

static void hpet_stop_timer(HPETTimer *t)
{
    timer_del(&t->timer);
    t->wrap_flag = false;
}

/* ---- Registers ----------------------------------------------------------- */

static HPETTimer *hpet_timer_at(HPETState *s, uint64_t addr)
{
    unsigned id = (unsigned)(addr - HPET_TIMER_BASE) / HPET_TIMER_STRIDE;

    return id < s->num_timers ? &s->timer[id] : NULL;
}

static uint32_t hpet_timer_read(HPETTimer *t, unsigned reg)
{
    switch (reg) {
    case HPET_TN_CFG:
        return (uint32_t)t->config;
    case HPET_TN_CAP:
        return (uint32_t)(t->config >> 32);
    case HPET_TN_CMP:
        return (uint32_t)t->cmp;
    case HPET_TN_CMP_HI:
        return (uint32_t)(t->cmp >> 32);
    case HPET_TN_FSB:
        return (uint32_t)t->fsb;
    case HPET_TN_FSB_ADDR:
        return (uint32_t)(t->fsb >> 32);
    }
    guest_error("hpet: read of reserved timer register 0x%02x", reg);
    return 0;
}

static uint32_t hpet_general_read(HPETState *s, uint64_t addr)
{
    switch (addr) {
    case HPET_ID:
        return (uint32_t)s->capability;
    case HPET_PERIOD:
        return (uint32_t)(s->capability >> 32);
    case HPET_CFG:
        return (uint32_t)s->config;
    case HPET_STATUS:
        return (uint32_t)s->isr;
    case HPET_COUNTER:
        return (uint32_t)hpet_ticks(s);
    case HPET_COUNTER + 4:
        return (uint32_t)(hpet_ticks(s) >> 32);
    }
    if (addr != HPET_CFG + 4 && addr != HPET_STATUS + 4) {
        guest_error("hpet: read of reserved register 0x%03" PRIx64, addr);
    }
    return 0;
}

static uint64_t hpet_mem_read(void *opaque, uint64_t addr, unsigned size)
{
    HPETState *s = opaque;

    if (addr >= HPET_TIMER_BASE) {
        HPETTimer *t = hpet_timer_at(s, addr);
        return t ? hpet_timer_read(t, (addr - HPET_TIMER_BASE) % HPET_TIMER_STRIDE) : 0;
    }
    return hpet_general_read(s, addr);
}

/* Tn_CONF (2.3.8): the writable bits, FSB only if capable; 32-bit mode
 * truncates comparator and period. A route the capability mask does not
 * offer reads back undefined in the spec; it is kept, as QEMU does, and
 * goes to that GSI if the board connected one. */
static void hpet_write_tn_cfg(HPETTimer *t, uint32_t val)
{
    uint64_t old = t->config;
    uint64_t cap_route = t->config >> 32;
    unsigned route = (val & HPET_TN_ROUTE_MASK) >> HPET_TN_ROUTE_SHIFT;
    uint64_t mask = HPET_TN_CFG_WRITE_MASK;

    if ((val & HPET_TN_ENABLE) && !(cap_route & (1ull << route))) {
        guest_error("hpet: timer %u: route %u not in capabilities 0x%08" PRIx64,
                    t->tn, route, cap_route);
    }
    if (!(t->config & HPET_TN_FSB_CAP)) {
        mask &= ~(uint64_t)HPET_TN_FSB_ENABLE;
    }
    t->config = (old & ~mask) | (val & mask);
    if (t->config & HPET_TN_32BIT) {
        t->cmp = (uint32_t)t->cmp;
        t->period = (uint32_t)t->period;
    }
    if ((old ^ t->config) & HPET_TN_LEVEL) {
        t->s->isr &= ~(1ull << t->tn);    /* the status is level mode's */
    }
    if (hpet_enabled(t->s) && (t->config & ~old & HPET_TN_ENABLE)) {
        hpet_set_timer(t);
    }
    hpet_sync_line(t);
}

/* Tn_COMPARATOR (2.3.9): in periodic mode a write sets the period, and the
 * comparator too if value-set is on (which the write clears), as QEMU. */
static void hpet_write_tn_cmp(HPETTimer *t, uint32_t val, bool high)
{
    bool periodic = t->config & HPET_TN_PERIODIC;
    uint64_t max_period = t->config & HPET_TN_32BIT ? INT32_MAX : INT64_MAX;
    unsigned shift = high ? 32 : 0;
    uint64_t keep = high ? 0xffffffffull : ~0xffffffffull;

    if (high && (t->config & HPET_TN_32BIT)) {
        val = 0;
    }
    if (!periodic || (t->config & HPET_TN_SETVAL)) {
        t->cmp = (t->cmp & keep) | (uint64_t)val << shift;
    }
    if (periodic && (!high || !(t->config & HPET_TN_SETVAL))) {
        t->period = ((t->period & keep) | (uint64_t)val << shift) & max_period;
    }
    t->config &= ~(uint64_t)HPET_TN_SETVAL;
    if (hpet_enabled(t->s)) {
        hpet_set_timer(t);
    }
}

static void hpet_timer_write(HPETTimer *t, unsigned reg, uint32_t val)
{
    switch (reg) {
    case HPET_TN_CFG:
        hpet_write_tn_cfg(t, val);
        break;
    case HPET_TN_CAP:
        break;      /* read-only */
    case HPET_TN_CMP:
    case HPET_TN_CMP_HI:
        hpet_write_tn_cmp(t, val, reg == HPET_TN_CMP_HI);
        break;
    case HPET_TN_FSB:
        t->fsb = (t->fsb & ~0xffffffffull) | val;
        break;
    case HPET_TN_FSB_ADDR:
        t->fsb = (t->fsb & 0xffffffffull) | (uint64_t)val << 32;
        break;
    default:
        guest_error("hpet: write of reserved timer register 0x%02x", reg);
    }
}

/* ENABLE_CNF (2.3.5 bit 0): the counter runs on from where it was halted
 * (ticks: its value under the old configuration) and the comparators with
 * it; halting keeps the count and stops them. */
static void hpet_set_enable(HPETState *s, bool on, uint64_t ticks)
{
    if (on) {
        s->start_ns = clock_get_ns(s->clock);
        for (unsigned i = 0; i < s->num_timers; i++) {
            if (s->timer[i].cmp != ~0ull) {
                hpet_set_timer(&s->timer[i]);
            }
        }
        return;
    }
    s->counter = ticks;
    for (unsigned i = 0; i < s->num_timers; i++) {
        hpet_stop_timer(&s->timer[i]);
    }
}

/* LEG_RT_CNF (2.3.5 bit 1): the PIT's and RTC's interrupts are cut off
 * while it is set and come back with their current levels after. */
static void hpet_set_legacy(HPETState *s, bool on)
{
    irq_lower(s->gsi[0]);
    irq_set(s->gsi[HPET_RTC_IRQ], on ? 0 : s->rtc_level);
    if (!on) {
        irq_set(s->gsi[0], s->pit_level);
    }
}

static void hpet_write_cfg(HPETState *s, uint32_t val)
{
    uint64_t old = s->config, ticks = hpet_ticks(s);

    s->config = (old & ~(uint64_t)HPET_CFG_WRITE_MASK) | (val & HPET_CFG_WRITE_MASK);
    if ((old ^ s->config) & HPET_CFG_ENABLE) {
        hpet_set_enable(s, hpet_enabled(s), ticks);
    }
    if ((old ^ s->config) & HPET_CFG_LEGACY) {
        /* Timers 0 and 1 leave their old routes first. */
        for (unsigned i = 0; i < 2 && i < s->num_timers; i++) {
            if (s->timer[i].raised != HPET_NO_ROUTE) {
                irq_lower(s->gsi[s->timer[i].raised]);
                s->timer[i].raised = HPET_NO_ROUTE;
            }
        }
        hpet_set_legacy(s, s->config & HPET_CFG_LEGACY);
    }
    hpet_sync_lines(s);
}

/* GENERAL_INT_STATUS (2.3.6): writing 1 clears a level timer's bit. */
static void hpet_write_status(HPETState *s, uint32_t val)
{
    s->isr &= ~(uint64_t)val;
    hpet_sync_lines(s);
}

/* MAIN_COUNTER_VAL (2.3.7): written only while halted. */
static void hpet_write_counter(HPETState *s, uint32_t val, bool high)
{
    if (hpet_enabled(s)) {
        guest_error("hpet: main counter written while it runs: ignored");
        return;
    }
    if (high) {
        s->counter = (s->counter & 0xffffffffull) | (uint64_t)val << 32;
    } else {
        s->counter = (s->counter & ~0xffffffffull) | val;
    }
}

static void hpet_general_write(HPETState *s, uint64_t addr, uint32_t val)
{
    switch (addr) {
    case HPET_ID:
    case HPET_PERIOD:
        break;      /* read-only */
    case HPET_CFG:
        hpet_write_cfg(s, val);
        break;
    case HPET_STATUS:
        hpet_write_status(s, val);
        break;
    case HPET_COUNTER:
    case HPET_COUNTER + 4:
        hpet_write_counter(s, val, addr == HPET_COUNTER + 4);
        break;
    default:
        guest_error("hpet: write of reserved register 0x%03" PRIx64, addr);
    }
}

static void hpet_mem_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    HPETState *s = opaque;

    if (addr < HPET_TIMER_BASE) {
        hpet_general_write(s, addr, (uint32_t)val);
        return;
    }
    HPETTimer *t = hpet_timer_at(s, addr);
    if (!t) {
        guest_error("hpet: write of timer register 0x%03" PRIx64 " past the last timer", addr);
        return;
    }
    hpet_timer_write(t, (addr - HPET_TIMER_BASE) % HPET_TIMER_STRIDE, (uint32_t)val);
}

/* ---- Legacy inputs ------------------------------------------------------- */

static void hpet_legacy_set(void *opaque, int n, int level)
{
    HPETState *s = opaque;

    if (n == HPET_LEGACY_PIT) {
        s->pit_level = level;
    } else {
        s->rtc_level = level;
    }
    if (!hpet_legacy(s)) {
        irq_set(s->gsi[n == HPET_LEGACY_PIT ? 0 : HPET_RTC_IRQ], level);
    }
}

/* ---- Reset and realize --------------------------------------------------- */

static void hpet_reset(Object *obj)
{
    HPETState *s = (HPETState *)obj;

    for (unsigned i = 0; i < s->num_timers; i++) {
        HPETTimer *t = &s->timer[i];

        hpet_stop_timer(t);
        if (t->raised != HPET_NO_ROUTE) {
            irq_lower(s->gsi[t->raised]);
        }
        t->raised = HPET_NO_ROUTE;
        t->cmp = ~0ull;
        t->period = 0;
        t->fsb = 0;
        t->config = HPET_TN_PERIODIC_CAP | HPET_TN_SIZE_CAP |
                    (s->msi ? HPET_TN_FSB_CAP : 0) | (uint64_t)s->intcap << 32;
    }
    s->counter = 0;
    s->start_ns = 0;
    s->config = 0;
    s->isr = 0;
    /* As QEMU: the RTC lowers its line on reset too. */
    s->rtc_level = false;
}

static const MemoryRegionOps hpet_ops = {
    .read = hpet_mem_read,
    .write = hpet_mem_write,
    .valid = {.min_access_size = 4, .max_access_size = 4},
    .impl = {.min_access_size = 4, .max_access_size = 4},
};

static void hpet_init(Object *obj)
{
    HPETState *s = (HPETState *)obj;

    s->num_timers = HPET_MIN_TIMERS;
}

static bool hpet_realize(Object *obj, Machine *m, char **errp)
{
    HPETState *s = (HPETState *)obj;

    if (s->num_timers < HPET_MIN_TIMERS || s->num_timers > HPET_MAX_TIMERS) {
        *errp = g_strdup_printf("hpet: timers must be %d to %d", HPET_MIN_TIMERS,
                                HPET_MAX_TIMERS);
        return false;
    }
    s->clock = &m->clock;
    s->as = &m->as_mem;
    s->capability = HPET_CAP_BASE | (uint64_t)(s->num_timers - 1) << HPET_CAP_NUM_TIM_SHIFT |
                    (uint64_t)(HPET_CLK_PERIOD_NS * HPET_FS_PER_NS) << 32;
    for (unsigned i = 0; i < HPET_MAX_TIMERS; i++) {
        s->timer[i].s = s;
        s->timer[i].tn = (uint8_t)i;
        s->timer[i].raised = HPET_NO_ROUTE;
        timer_init(&s->timer[i].timer, obj, &m->clock, hpet_timer_cb, &s->timer[i]);
    }
    irq_init(&s->legacy_in[HPET_LEGACY_PIT], obj, hpet_legacy_set, s, HPET_LEGACY_PIT);
    irq_init(&s->legacy_in[HPET_LEGACY_RTC], obj, hpet_legacy_set, s, HPET_LEGACY_RTC);
    mr_init_io(&s->io, obj, &hpet_ops, s, "hpet", HPET_REGION_SIZE);
    mr_add_subregion(&m->sysmem, HPET_BASE, &s->io);
    return true;
}

static HPETState *hpet_cast(Object *obj)
{
    if (!obj || !object_is_a(obj, TYPE_HPET)) {
        emu_bug("hpet: not an %s object", TYPE_HPET);
    }
    return (HPETState *)obj;
}

void hpet_connect_gsi(Object *hpet, int n, IRQ *line)
{
    if (n < 0 || n >= HPET_NUM_IRQ_ROUTES) {
        emu_bug("hpet: no GSI %d", n);
    }
    hpet_cast(hpet)->gsi[n] = line;
}

IRQ *hpet_legacy_input(Object *hpet, int n)
{
    if (n != HPET_LEGACY_PIT && n != HPET_LEGACY_RTC) {
        emu_bug("hpet: no legacy input %d", n);
    }
    return &hpet_cast(hpet)->legacy_in[n];
}

static const Property hpet_props[] = {
    {"timers", PROP_U8, offsetof(HPETState, num_timers), "number of timers (3-32)"},
    {"hpet-intcap", PROP_U32, offsetof(HPETState, intcap),
     "GSIs the timers may route to, bit n for GSI n (pc: 0x4)"},
    {"msi", PROP_BOOL, offsetof(HPETState, msi), "FSB (MSI) delivery capability"},
    {.name = NULL},
};

const TypeInfo hpet_type = {
    .name = TYPE_HPET,
    .parent = "device",
    .desc = "HPET event timer block (IA-PC HPET 1.0a), QEMU's pc configuration",
    OBJECT_INSTANCE(HPETState),
    .user_creatable = false,
    .props = hpet_props,
    .init = hpet_init,
    .realize = hpet_realize,
    .reset = hpet_reset,
};
