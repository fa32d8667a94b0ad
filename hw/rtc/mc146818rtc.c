/* SPDX-License-Identifier: MIT */
/*
 * Motorola MC146818A real-time clock and 128 bytes of CMOS RAM, as on the
 * IBM PC/AT: index port 0x70 (bit 7 is the NMI mask, dropped as QEMU does),
 * data port 0x71. Follows the MC146818A datasheet (time and alarm in BCD or
 * binary, 12/24 h, update cycle with UIP, periodic, alarm and update-ended
 * interrupts) with QEMU 7.2's register behaviour; the clock is the "start"
 * date plus virtual time, never host time. Left out: square-wave output,
 * daylight saving (DSE is stored only), QEMU's lost-tick reinjection.
 */
#include "hw/rtc/mc146818rtc.h"

#include <string.h>

#include "emu/clock.h"
#include "emu/irq.h"
#include "emu/log.h"
#include "emu/machine.h"
#include "emu/memory.h"
#include "hw/devices.h"
#include "hw/rtc/rtc-calendar.h"

/* Time, alarm and control registers (datasheet "Address Map"). */
#define RTC_SECONDS 0x00
#define RTC_SECONDS_ALARM 0x01
#define RTC_MINUTES 0x02
#define RTC_MINUTES_ALARM 0x03
#define RTC_HOURS 0x04
#define RTC_HOURS_ALARM 0x05
#define RTC_DAY_OF_WEEK 0x06
#define RTC_DAY_OF_MONTH 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_REG_A 0x0a
#define RTC_REG_B 0x0b
#define RTC_REG_C 0x0c
#define RTC_REG_D 0x0d
#define RTC_CENTURY MC146818_CENTURY
#define RTC_PS2_CENTURY 0x37 /* IBM PS/2 alias of the century byte */

/* Register A: update in progress, divider chain, rate select. */
#define RTC_A_UIP 0x80
#define RTC_A_DV_MASK 0x70
#define RTC_A_DV_RESET 0x60   /* DV2 DV1 = 11: divider held in reset */
#define RTC_A_DV_RUN_MAX 0x20 /* DV 000, 001, 010: the time base runs */
#define RTC_A_RS_MASK 0x0f
/* Register B */
#define RTC_B_SET 0x80
#define RTC_B_PIE 0x40
#define RTC_B_AIE 0x20
#define RTC_B_UIE 0x10
#define RTC_B_SQWE 0x08
#define RTC_B_DM 0x04 /* 1: binary, 0: BCD */
#define RTC_B_24H 0x02
#define RTC_B_DSE 0x01
/* Register C: flags line up with their enables in register B. */
#define RTC_C_IRQF 0x80
#define RTC_C_PF 0x40
#define RTC_C_AF 0x20
#define RTC_C_UF 0x10
#define RTC_C_MASK 0x70
/* Register D */
#define RTC_D_VRT 0x80

/* Power-on values (as QEMU 7.2): 32.768 kHz base, 1024 Hz rate, 24 h. */
#define RTC_A_INIT 0x26
#define RTC_B_INIT RTC_B_24H
#define RTC_D_INIT RTC_D_VRT

/* Limits and timing */
#define RTC_IO_SIZE 2
#define RTC_NS NANOSECONDS_PER_SECOND
#define RTC_CLOCK_RATE 32768
/* UIP rises 244 us before the update (datasheet "Update Cycle"). */
#define RTC_UIP_HOLD_NS (8 * RTC_NS / RTC_CLOCK_RATE)
/* The first update comes 500 ms after the divider leaves reset. */
#define RTC_DV_RESTART_NS (RTC_NS / 2)

typedef struct MC146818State {
    Object obj;
    /* properties */
    uint16_t iobase;
    uint8_t irq;
    int32_t base_year;
    char *start;
    /* guest-visible state */
    uint8_t cmos[MC146818_NVRAM_SIZE];
    uint8_t index;
    int64_t base_sec;      /* RTC time in seconds since 1970 at last_update */
    int64_t last_update;   /* virtual ns when base_sec was taken */
    int64_t offset;        /* ns into that second */
    int64_t next_periodic; /* virtual ns of the next periodic tick */
    int64_t next_alarm;    /* virtual ns of the next alarm match */
    uint32_t period;       /* periodic rate in 32.768 kHz ticks; 0: off */
    /* set-up */
    uint8_t board_cmos[MC146818_NVRAM_SIZE];
    int64_t start_sec;
    int32_t year_base; /* base_year, with 2000 counting as 0 */
    Clock *clock;
    Timer periodic_timer;
    Timer update_timer;
    MemoryRegion io;
    MemoryRegion io_index;
    IRQ *irq_line;
} MC146818State;

/* ---- small helpers ---- */

static int64_t rtc_now(const MC146818State *s)
{
    return clock_get_ns(s->clock);
}

static bool rtc_binary(const MC146818State *s)
{
    return s->cmos[RTC_REG_B] & RTC_B_DM;
}

static bool rtc_mode24(const MC146818State *s)
{
    return s->cmos[RTC_REG_B] & RTC_B_24H;
}

static bool rtc_divider_reset(const MC146818State *s)
{
    return (s->cmos[RTC_REG_A] & RTC_A_DV_RESET) == RTC_A_DV_RESET;
}

/* Time counts: SET is clear and the divider runs. */
static bool rtc_running(const MC146818State *s)
{
    return !(s->cmos[RTC_REG_B] & RTC_B_SET) &&
           (s->cmos[RTC_REG_A] & RTC_A_DV_MASK) <= RTC_A_DV_RUN_MAX;
}

/* a + b for b >= 0, saturating: the clock may run up to INT64_MAX. */
static int64_t rtc_sat_add(int64_t a, int64_t b)
{
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* Whole seconds and the ns into the current one since last_update; kept
 * apart so that nothing overflows near the end of the virtual clock. */
static int64_t rtc_elapsed_sec(const MC146818State *s)
{
    int64_t elapsed = rtc_now(s) - s->last_update;

    return elapsed / RTC_NS + (elapsed % RTC_NS + s->offset) / RTC_NS;
}

static int64_t rtc_guest_sec(const MC146818State *s)
{
    return s->base_sec + rtc_elapsed_sec(s);
}

static int64_t rtc_guest_subsec(const MC146818State *s)
{
    return ((rtc_now(s) - s->last_update) % RTC_NS + s->offset) % RTC_NS;
}

/* Writes a broken-down time into the time registers and century byte. */
static void rtc_store_time(MC146818State *s, const RtcTime *t)
{
    bool bin = rtc_binary(s);
    int64_t year = t->year - s->year_base;

    s->cmos[RTC_SECONDS] = rtc_to_reg(t->sec, bin);
    s->cmos[RTC_MINUTES] = rtc_to_reg(t->min, bin);
    s->cmos[RTC_HOURS] = rtc_hour_to_reg(t->hour, rtc_mode24(s), bin);
    s->cmos[RTC_DAY_OF_WEEK] = rtc_to_reg(t->wday + 1, bin);
    s->cmos[RTC_DAY_OF_MONTH] = rtc_to_reg(t->mday, bin);
    s->cmos[RTC_MONTH] = rtc_to_reg(t->mon, bin);
    s->cmos[RTC_YEAR] = rtc_to_reg(rtc_floor_mod(year, 100), bin);
    s->cmos[RTC_CENTURY] = rtc_to_reg(rtc_floor_div(year, 100), bin);
}

static void rtc_load_time(const MC146818State *s, RtcTime *t)
{
    bool bin = rtc_binary(s);

    t->sec = rtc_from_reg(s->cmos[RTC_SECONDS], bin);
    t->min = rtc_from_reg(s->cmos[RTC_MINUTES], bin);
    t->hour = rtc_hour_from_reg(s->cmos[RTC_HOURS], rtc_mode24(s), bin);
    t->mday = rtc_from_reg(s->cmos[RTC_DAY_OF_MONTH], bin);
    t->mon = rtc_from_reg(s->cmos[RTC_MONTH], bin);
    t->year = rtc_from_reg(s->cmos[RTC_YEAR], bin) + (int64_t)s->year_base +
              rtc_from_reg(s->cmos[RTC_CENTURY], bin) * 100LL;
    t->wday = 0;
}

/* Brings the time registers up to date, unless SET freezes them. */
static void rtc_update_time(MC146818State *s)
{
    RtcTime t;

    if (s->cmos[RTC_REG_B] & RTC_B_SET) {
        return;
    }
    rtc_seconds_to_time(rtc_guest_sec(s), &t);
    rtc_store_time(s, &t);
}

/* Restarts the count from what the guest wrote to the time registers. */
static void rtc_set_time(MC146818State *s)
{
    RtcTime t;

    rtc_load_time(s, &t);
    s->base_sec = rtc_time_to_seconds(&t);
    s->last_update = rtc_now(s);
}

static void rtc_raise_irqf(MC146818State *s)
{
    s->cmos[RTC_REG_C] |= RTC_C_IRQF;
    irq_raise(s->irq_line);
}

static bool rtc_update_in_progress(MC146818State *s)
{
    if (!rtc_running(s)) {
        return false;
    }
    if (timer_pending(&s->update_timer) &&
        rtc_now(s) >= s->update_timer.expire - RTC_UIP_HOLD_NS) {
        s->cmos[RTC_REG_A] |= RTC_A_UIP; /* latched until the update */
        return true;
    }
    return rtc_guest_subsec(s) >= RTC_NS - RTC_UIP_HOLD_NS;
}

/* Seconds from now until the alarm matches, or -1 if it never can. */
static int rtc_alarm_seconds(MC146818State *s)
{
    bool bin = rtc_binary(s), h24 = rtc_mode24(s);
    uint8_t ah_reg = s->cmos[RTC_HOURS_ALARM];
    int ah = (ah_reg & 0xc0) == 0xc0 ? -1 : rtc_hour_from_reg(ah_reg, h24, bin);

    rtc_update_time(s);
    return rtc_alarm_delay(rtc_hour_from_reg(s->cmos[RTC_HOURS], h24, bin),
                           rtc_from_reg(s->cmos[RTC_MINUTES], bin),
                           rtc_from_reg(s->cmos[RTC_SECONDS], bin), ah,
                           rtc_from_reg(s->cmos[RTC_MINUTES_ALARM], bin),
                           rtc_from_reg(s->cmos[RTC_SECONDS_ALARM], bin));
}

/*
 * Arms the update timer for the next update cycle. Once UF is pending the
 * per-second updates are only needed for the alarm (QEMU's optimisation),
 * and the divider in reset stops all of them.
 */
static void rtc_check_update_timer(MC146818State *s)
{
    int64_t next_update;
    int alarm;

    if (rtc_divider_reset(s)) {
        timer_del(&s->update_timer);
        return;
    }
    next_update = rtc_sat_add(rtc_now(s), RTC_NS - rtc_guest_subsec(s));
    alarm = rtc_alarm_seconds(s);
    s->next_alarm =
        alarm < 0 ? INT64_MAX : rtc_sat_add(next_update, (alarm - 1) * RTC_NS);
    if (!(s->cmos[RTC_REG_A] & RTC_A_UIP) && (s->cmos[RTC_REG_C] & RTC_C_UF)) {
        if ((s->cmos[RTC_REG_B] & RTC_B_SET) || (s->cmos[RTC_REG_C] & RTC_C_AF) ||
            alarm < 0) {
            timer_del(&s->update_timer);
            return;
        }
        next_update = s->next_alarm;
    }
    if (!timer_pending(&s->update_timer) || s->update_timer.expire != next_update) {
        timer_mod(&s->update_timer, next_update);
    }
}

/* Periodic rate in 32.768 kHz ticks (datasheet table "Periodic Interrupt
 * Rate"); QEMU runs it only while PIE is set. */
static uint32_t rtc_period_ticks(const MC146818State *s)
{
    int rs = s->cmos[RTC_REG_A] & RTC_A_RS_MASK;

    if (!(s->cmos[RTC_REG_B] & RTC_B_PIE) || rs == 0) {
        return 0;
    }
    if (rs <= 2) {
        rs += 7; /* 256 Hz and 128 Hz */
    }
    return 1u << (rs - 1);
}

static int64_t rtc_ns_to_ticks(int64_t ns)
{
    return ns / RTC_NS * RTC_CLOCK_RATE + ns % RTC_NS * RTC_CLOCK_RATE / RTC_NS;
}

static int64_t rtc_ticks_to_ns(int64_t ticks)
{
    if (ticks / RTC_CLOCK_RATE >= INT64_MAX / RTC_NS) {
        return INT64_MAX - 1; /* beyond the end of time */
    }
    return ticks / RTC_CLOCK_RATE * RTC_NS +
           ticks % RTC_CLOCK_RATE * RTC_NS / RTC_CLOCK_RATE;
}

/*
 * Re-arms the periodic timer from time `now`. When the rate changes, the
 * ticks already counted since the last interrupt carry over (at most one
 * period), so a new rate keeps the phase of the 32 kHz divider.
 */
static void rtc_periodic_update(MC146818State *s, int64_t now, uint32_t old_period,
                                bool changed)
{
    int64_t cur, lost = 0;

    s->period = rtc_period_ticks(s);
    if (!s->period) {
        timer_del(&s->periodic_timer);
        return;
    }
    cur = rtc_ns_to_ticks(now);
    if (old_period && changed) {
        lost = cur - (rtc_ns_to_ticks(s->next_periodic) - old_period);
        lost = lost < 0 ? 0 : lost;
    }
    if (lost > s->period) {
        lost = s->period;
    }
    /* +1 ns: converting back to ticks lands on the tick, not just before. */
    s->next_periodic = rtc_ticks_to_ns(cur + s->period - lost) + 1;
    timer_mod(&s->periodic_timer, s->next_periodic);
}

/* ---- register access ---- */

static void rtc_write_reg_a(MC146818State *s, uint8_t val)
{
    bool rate_changed = (s->cmos[RTC_REG_A] ^ val) & RTC_A_RS_MASK;
    uint32_t old_period = rtc_period_ticks(s);

    if ((val & RTC_A_DV_RESET) == RTC_A_DV_RESET) {
        if (rtc_running(s)) {
            rtc_update_time(s);
        }
        s->cmos[RTC_REG_A] &= ~RTC_A_UIP;
    } else if (rtc_divider_reset(s) && (val & RTC_A_DV_MASK) <= RTC_A_DV_RUN_MAX) {
        if (!(s->cmos[RTC_REG_B] & RTC_B_SET)) {
            s->offset = RTC_DV_RESTART_NS;
            rtc_set_time(s);
        }
        s->cmos[RTC_REG_A] &= ~RTC_A_UIP;
    }
    /* UIP is read-only. */
    s->cmos[RTC_REG_A] = (val & ~RTC_A_UIP) | (s->cmos[RTC_REG_A] & RTC_A_UIP);
    if (rate_changed) {
        rtc_periodic_update(s, rtc_now(s), old_period, true);
    }
    rtc_check_update_timer(s);
}

static void rtc_write_reg_b(MC146818State *s, uint8_t val)
{
    bool pie_changed = (s->cmos[RTC_REG_B] ^ val) & RTC_B_PIE;
    uint32_t old_period = rtc_period_ticks(s);

    if (val & RTC_B_SET) {
        if (rtc_running(s)) {
            rtc_update_time(s);
        }
        s->cmos[RTC_REG_A] &= ~RTC_A_UIP;
        val &= ~RTC_B_UIE; /* datasheet: SET clears UIE */
    } else if ((s->cmos[RTC_REG_B] & RTC_B_SET) &&
               (s->cmos[RTC_REG_A] & RTC_A_DV_MASK) <= RTC_A_DV_RUN_MAX) {
        /* Leaving SET: count on from the written time, same phase. */
        s->offset = rtc_guest_subsec(s);
        rtc_set_time(s);
    }
    /* A flag already pending when its enable turns on interrupts at once. */
    if (val & s->cmos[RTC_REG_C] & RTC_C_MASK) {
        rtc_raise_irqf(s);
    } else {
        s->cmos[RTC_REG_C] &= ~RTC_C_IRQF;
        irq_lower(s->irq_line);
    }
    s->cmos[RTC_REG_B] = val;
    if (pie_changed) {
        rtc_periodic_update(s, rtc_now(s), old_period, true);
    }
    rtc_check_update_timer(s);
}

static void rtc_write_time_reg(MC146818State *s, uint8_t val)
{
    s->cmos[s->index] = val;
    if (rtc_running(s)) {
        rtc_set_time(s);
        rtc_check_update_timer(s);
    }
}

static uint8_t rtc_read_reg_c(MC146818State *s)
{
    uint8_t val = s->cmos[RTC_REG_C];

    irq_lower(s->irq_line);
    s->cmos[RTC_REG_C] = 0;
    if (val & (RTC_C_UF | RTC_C_AF)) {
        rtc_check_update_timer(s);
    }
    return val;
}

/* The clock registers (0x37, the PS/2 century byte, is an alias of 0x32
 * and moves the index there, as QEMU does). */
static bool rtc_select_time_reg(MC146818State *s)
{
    switch (s->index) {
    case RTC_PS2_CENTURY:
        s->index = RTC_CENTURY;
        return true;
    case RTC_CENTURY:
    case RTC_SECONDS:
    case RTC_MINUTES:
    case RTC_HOURS:
    case RTC_DAY_OF_WEEK:
    case RTC_DAY_OF_MONTH:
    case RTC_MONTH:
    case RTC_YEAR:
        return true;
    default:
        return false;
    }
}

static void mc146818_write_data(MC146818State *s, uint8_t val)
{
    if (rtc_select_time_reg(s)) {
        rtc_write_time_reg(s, val);
        return;
    }
    switch (s->index) {
    case RTC_SECONDS_ALARM:
    case RTC_MINUTES_ALARM:
    case RTC_HOURS_ALARM:
        s->cmos[s->index] = val;
        rtc_check_update_timer(s);
        break;
    case RTC_REG_A:
        rtc_write_reg_a(s, val);
        break;
    case RTC_REG_B:
        rtc_write_reg_b(s, val);
        break;
    case RTC_REG_C:
    case RTC_REG_D:
        guest_error("mc146818rtc: write 0x%02x to read-only register 0x%02x", val,
                    s->index);
        break;
    default:
        s->cmos[s->index] = val; /* CMOS RAM */
        break;
    }
}

static uint8_t mc146818_read_data(MC146818State *s)
{
    if (rtc_select_time_reg(s)) {
        if (rtc_running(s)) {
            rtc_update_time(s);
        }
        return s->cmos[s->index];
    }
    switch (s->index) {
    case RTC_REG_A:
        return s->cmos[RTC_REG_A] | (rtc_update_in_progress(s) ? RTC_A_UIP : 0);
    case RTC_REG_C:
        return rtc_read_reg_c(s);
    default:
        return s->cmos[s->index];
    }
}

static uint64_t mc146818_io_read(void *opaque, uint64_t addr, unsigned size)
{
    MC146818State *s = opaque;

    /* Only address bit 0 is decoded (a wide access repeats the pair). */
    switch (addr & 1) {
    case 0:
        return 0xff; /* the index register is write-only */
    default:
        return mc146818_read_data(s);
    }
}

static void mc146818_io_write(void *opaque, uint64_t addr, uint64_t data, unsigned size)
{
    MC146818State *s = opaque;

    switch (addr & 1) {
    case 0:
        s->index = data & 0x7f; /* bit 7: NMI mask, not modelled */
        break;
    default:
        mc146818_write_data(s, (uint8_t)data);
        break;
    }
}

/* ---- timers ---- */

static void rtc_periodic_timer_cb(void *opaque)
{
    MC146818State *s = opaque;

    rtc_periodic_update(s, s->next_periodic, s->period, false);
    s->cmos[RTC_REG_C] |= RTC_C_PF;
    if (s->cmos[RTC_REG_B] & RTC_B_PIE) {
        rtc_raise_irqf(s);
    }
}

/* End of an update cycle: UF, maybe AF, and the interrupt if enabled. */
static void rtc_update_timer_cb(void *opaque)
{
    MC146818State *s = opaque;
    uint8_t flags = RTC_C_UF, fresh;

    if (rtc_divider_reset(s)) {
        return;
    }
    rtc_update_time(s);
    s->cmos[RTC_REG_A] &= ~RTC_A_UIP;
    if (rtc_now(s) >= s->next_alarm) {
        flags |= RTC_C_AF;
    }
    fresh = flags & ~s->cmos[RTC_REG_C];
    s->cmos[RTC_REG_C] |= flags;
    if (fresh & s->cmos[RTC_REG_B]) {
        rtc_raise_irqf(s);
    }
    rtc_check_update_timer(s);
}

/* ---- reset, ops, realize ---- */

static void mc146818_reset(Object *obj)
{
    MC146818State *s = (MC146818State *)obj;

    memcpy(s->cmos, s->board_cmos, sizeof(s->cmos));
    s->index = 0;
    s->cmos[RTC_REG_A] = RTC_A_INIT;
    s->cmos[RTC_REG_B] = RTC_B_INIT;
    s->cmos[RTC_REG_C] = 0;
    s->cmos[RTC_REG_D] = RTC_D_INIT;
    /* The clock reads start + virtual time. */
    s->base_sec = s->start_sec;
    s->last_update = 0;
    s->offset = 0;
    s->next_periodic = 0;
    s->next_alarm = 0;
    s->period = 0;
    timer_del(&s->periodic_timer);
    timer_del(&s->update_timer);
    irq_lower(s->irq_line);
    rtc_update_time(s);
    rtc_check_update_timer(s);
}

static const MemoryRegionOps mc146818_ops = {
    .read = mc146818_io_read,
    .write = mc146818_io_write,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 1, .max_access_size = 1},
};

static void mc146818_init(Object *obj)
{
    MC146818State *s = (MC146818State *)obj;

    s->iobase = 0x70;
    s->irq = 8;
    s->base_year = 2000;
    s->start = g_strdup("2000-01-01T00:00:00");
}

static bool mc146818_realize(Object *obj, Machine *m, char **errp)
{
    MC146818State *s = (MC146818State *)obj;

    if (s->irq >= MACHINE_ISA_IRQS) {
        *errp = g_strdup_printf("Maximum value for \"irq\" is: %u", MACHINE_ISA_IRQS - 1);
        return false;
    }
    if (!s->start || !rtc_parse_date(s->start, &s->start_sec)) {
        *errp = g_strdup_printf("mc146818rtc: invalid start '%s' (expected "
                                "YYYY-MM-DDTHH:MM:SS)",
                                s->start ? s->start : "");
        return false;
    }
    s->year_base = s->base_year == 2000 ? 0 : s->base_year;
    s->clock = &m->clock;
    s->irq_line = m->isa_irq[s->irq];
    timer_init(&s->periodic_timer, obj, &m->clock, rtc_periodic_timer_cb, s);
    timer_init(&s->update_timer, obj, &m->clock, rtc_update_timer_cb, s);
    mr_init_io(&s->io, obj, &mc146818_ops, s, "rtc", RTC_IO_SIZE);
    mr_init_io(&s->io_index, obj, &mc146818_ops, s, "rtc-index", 1);
    mr_add_subregion(&s->io, 0, &s->io_index);
    mr_add_subregion(&m->sysio, s->iobase, &s->io);
    return true;
}

static MC146818State *mc146818_cast(Object *rtc)
{
    if (!rtc || !object_is_a(rtc, TYPE_MC146818)) {
        emu_bug("mc146818: not an RTC object");
    }
    return (MC146818State *)rtc;
}

void mc146818_set_cmos(Object *rtc, unsigned addr, uint8_t val)
{
    MC146818State *s = mc146818_cast(rtc);

    if (addr < MC146818_NVRAM_SIZE) {
        s->board_cmos[addr] = val;
        s->cmos[addr] = val;
    }
}

uint8_t mc146818_get_cmos(Object *rtc, unsigned addr)
{
    MC146818State *s = mc146818_cast(rtc);

    return addr < MC146818_NVRAM_SIZE ? s->cmos[addr] : 0;
}

static const Property mc146818_props[] = {
    {"iobase", PROP_U16, offsetof(MC146818State, iobase), "I/O base (default 0x70)"},
    {"irq", PROP_U8, offsetof(MC146818State, irq), "ISA IRQ (default 8)"},
    {"base_year", PROP_I32, offsetof(MC146818State, base_year),
     "year of RTC year 0 (default 2000: the century byte counts)"},
    {"start", PROP_STR, offsetof(MC146818State, start),
     "power-on date, YYYY-MM-DDTHH:MM:SS (default 2000-01-01T00:00:00)"},
    {.name = NULL},
};

const TypeInfo mc146818_type = {
    .name = TYPE_MC146818,
    .parent = "isa-device",
    .desc = "MC146818A real-time clock and CMOS RAM",
    OBJECT_INSTANCE(MC146818State),
    .user_creatable = true,
    .props = mc146818_props,
    .init = mc146818_init,
    .realize = mc146818_realize,
    .reset = mc146818_reset,
};
