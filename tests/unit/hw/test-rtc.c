/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the MC146818 RTC: the calendar helpers (hw/rtc/rtc-calendar.c:
 * BCD and binary registers, 12-hour round trips, month/year/leap rollover,
 * alarm matching with don't-care bytes) and the device through ports
 * 0x70/0x71 on a small machine of its own (rollover on the virtual clock,
 * alarm interrupts, periodic rate, CMOS image across reset).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/clock.h"
#include "hw/devices.h"
#include "hw/rtc/mc146818rtc.h"
#include "hw/rtc/rtc-calendar.h"

#include "hw-test.h"

#define NS 1000000000LL

/* Registers, from the MC146818A datasheet. */
enum {
    SEC = 0x00,
    SEC_ALARM = 0x01,
    MIN = 0x02,
    MIN_ALARM = 0x03,
    HOUR = 0x04,
    HOUR_ALARM = 0x05,
    WDAY = 0x06,
    MDAY = 0x07,
    MONTH = 0x08,
    YEAR = 0x09,
    REG_A = 0x0a,
    REG_B = 0x0b,
    REG_C = 0x0c,
    REG_D = 0x0d,
    CENTURY = 0x32
};
#define B_SET 0x80
#define B_PIE 0x40
#define B_AIE 0x20
#define B_UIE 0x10
#define B_DM 0x04
#define B_24H 0x02
#define C_IRQF 0x80
#define C_PF 0x40
#define C_AF 0x20
#define C_UF 0x10

/* ---- calendar helpers ---- */

static void test_bcd_binary(void **state)
{
    for (int v = 0; v < 100; v++) {
        uint8_t bcd = rtc_to_reg(v, false);
        assert_int_equal(bcd, (v / 10) << 4 | v % 10);
        assert_int_equal(rtc_from_reg(bcd, false), v);
        assert_int_equal(rtc_to_reg(v, true), v);
        assert_int_equal(rtc_from_reg((uint8_t)v, true), v);
    }
    assert_int_equal(rtc_to_reg(2024, false), 0x24); /* two digits kept */
    assert_int_equal(rtc_to_reg(-1, false), 0x99);
    /* Two top bits set: don't care, in both modes. */
    assert_int_equal(rtc_from_reg(0xc0, false), -1);
    assert_int_equal(rtc_from_reg(0xff, true), -1);
    assert_int_equal(rtc_from_reg(0xbf, true), 0xbf);
}

static void test_hour_12h_round_trip(void **state)
{
    for (int bin = 0; bin < 2; bin++) {
        for (int h = 0; h < 24; h++) {
            uint8_t r12 = rtc_hour_to_reg(h, false, bin);
            uint8_t r24 = rtc_hour_to_reg(h, true, bin);
            assert_int_equal(rtc_hour_from_reg(r12, false, bin), h);
            assert_int_equal(rtc_hour_from_reg(r24, true, bin), h);
            assert_int_equal(!!(r12 & 0x80), h >= 12);
            assert_int_equal(r24 & 0x80, 0);
        }
    }
    /* Midnight is 12 AM, noon 12 PM, 23:00 is 11 PM. */
    assert_int_equal(rtc_hour_to_reg(0, false, false), 0x12);
    assert_int_equal(rtc_hour_to_reg(12, false, false), 0x92);
    assert_int_equal(rtc_hour_to_reg(23, false, false), 0x91);
    assert_int_equal(rtc_hour_to_reg(12, false, true), 0x8c);
}

static int64_t secs_of(int64_t y, int mon, int mday, int h, int mi, int s)
{
    RtcTime t = {.year = y, .mon = mon, .mday = mday, .hour = h, .min = mi, .sec = s};
    return rtc_time_to_seconds(&t);
}

static void assert_date(int64_t secs, int64_t y, int mon, int mday, int h, int mi, int s,
                        int wday)
{
    RtcTime t;

    rtc_seconds_to_time(secs, &t);
    assert_int_equal(t.year, y);
    assert_int_equal(t.mon, mon);
    assert_int_equal(t.mday, mday);
    assert_int_equal(t.hour, h);
    assert_int_equal(t.min, mi);
    assert_int_equal(t.sec, s);
    assert_int_equal(t.wday, wday);
}

static void test_date_rollover(void **state)
{
    assert_int_equal(secs_of(1970, 1, 1, 0, 0, 0), 0);
    assert_int_equal(secs_of(2000, 1, 1, 0, 0, 0), 946684800);
    /* Month ends: 30- and 31-day months. */
    assert_date(secs_of(2023, 4, 30, 23, 59, 59) + 1, 2023, 5, 1, 0, 0, 0, 1);
    assert_date(secs_of(2023, 1, 31, 23, 59, 59) + 1, 2023, 2, 1, 0, 0, 0, 3);
    /* Year end. */
    assert_date(secs_of(1999, 12, 31, 23, 59, 59) + 1, 2000, 1, 1, 0, 0, 0, 6);
    /* Leap years: 2000 (divisible by 400), 2024; not 1900, 2100, 2023. */
    assert_date(secs_of(2000, 2, 28, 23, 59, 59) + 1, 2000, 2, 29, 0, 0, 0, 2);
    assert_date(secs_of(2024, 2, 29, 23, 59, 59) + 1, 2024, 3, 1, 0, 0, 0, 5);
    assert_date(secs_of(2100, 2, 28, 23, 59, 59) + 1, 2100, 3, 1, 0, 0, 0, 1);
    assert_date(secs_of(1900, 2, 28, 12, 0, 0) + 86400, 1900, 3, 1, 12, 0, 0, 4);
    assert_date(secs_of(2023, 2, 28, 23, 59, 59) + 1, 2023, 3, 1, 0, 0, 0, 3);
    assert_true(rtc_is_leap(2000) && rtc_is_leap(2024) && rtc_is_leap(2400));
    assert_false(rtc_is_leap(1900) || rtc_is_leap(2100) || rtc_is_leap(2023));
    assert_int_equal(rtc_days_in_month(2024, 2), 29);
    assert_int_equal(rtc_days_in_month(2100, 2), 28);
    assert_int_equal(rtc_days_in_month(2023, 13), 0);
    /* Before the epoch and far after it. */
    assert_date(-1, 1969, 12, 31, 23, 59, 59, 3);
    assert_date(secs_of(1600, 3, 1, 0, 0, 0) - 1, 1600, 2, 29, 23, 59, 59, 2);
    assert_date(secs_of(9999, 12, 31, 23, 59, 59) + 1, 10000, 1, 1, 0, 0, 0, 6);
    /* Every day of 1999-2001 round-trips and advances the weekday. */
    for (int64_t d = rtc_days_from_civil(1999, 1, 1); d < rtc_days_from_civil(2002, 1, 1);
         d++) {
        int64_t y;
        int m, md;
        rtc_civil_from_days(d, &y, &m, &md);
        assert_int_equal(rtc_days_from_civil(y, m, md), d);
        assert_true(md >= 1 && md <= rtc_days_in_month(y, m));
    }
    /* Out-of-range fields carry over like mktime: month 13, day 0. */
    assert_int_equal(secs_of(2023, 13, 1, 0, 0, 0), secs_of(2024, 1, 1, 0, 0, 0));
    assert_int_equal(secs_of(2024, 3, 0, 0, 0, 0), secs_of(2024, 2, 29, 0, 0, 0));
}

static void test_parse_date(void **state)
{
    int64_t s;

    assert_true(rtc_parse_date("2000-01-01T00:00:00", &s));
    assert_int_equal(s, 946684800);
    assert_true(rtc_parse_date("2024-02-29", &s));
    assert_int_equal(s, secs_of(2024, 2, 29, 0, 0, 0));
    assert_false(rtc_parse_date("2023-02-29T00:00:00", &s));
    assert_false(rtc_parse_date("2023-01-01T24:00:00", &s));
    assert_false(rtc_parse_date("2023-01-01T00:00:00Z", &s));
    assert_false(rtc_parse_date("now", &s));
    assert_false(rtc_parse_date("", &s));
}

/* rtc_alarm_delay against a second-by-second search, for many alarms. */
static void check_alarm_brute(int h, int m, int s)
{
    for (int ah = -1; ah < 24; ah += 5) {
        for (int am = -1; am < 60; am += 13) {
            for (int as = -1; as < 60; as += 17) {
                int d = rtc_alarm_delay(h, m, s, ah, am, as);
                int64_t now = h * 3600 + m * 60 + s, t;
                for (t = 1; t <= 86400; t++) {
                    int64_t x = (now + t) % 86400;
                    if ((ah < 0 || x / 3600 == ah) && (am < 0 || x / 60 % 60 == am) &&
                        (as < 0 || x % 60 == as)) {
                        break;
                    }
                }
                assert_int_equal(d, t);
            }
        }
    }
}

static void test_alarm_match(void **state)
{
    /* Exact alarm: later today, or tomorrow when already past. */
    assert_int_equal(rtc_alarm_delay(12, 0, 0, 12, 0, 5), 5);
    assert_int_equal(rtc_alarm_delay(12, 0, 5, 12, 0, 5), 86400);
    assert_int_equal(rtc_alarm_delay(12, 0, 6, 12, 0, 5), 86399);
    assert_int_equal(rtc_alarm_delay(23, 59, 59, 0, 0, 0), 1);
    /* All don't care: every second. */
    assert_int_equal(rtc_alarm_delay(12, 34, 56, -1, -1, -1), 1);
    assert_int_equal(rtc_alarm_delay(23, 59, 59, -1, -1, -1), 1);
    /* Don't-care hours and minutes: once a minute, at the seconds value. */
    assert_int_equal(rtc_alarm_delay(10, 20, 10, -1, -1, 30), 20);
    assert_int_equal(rtc_alarm_delay(10, 20, 30, -1, -1, 30), 60);
    assert_int_equal(rtc_alarm_delay(10, 20, 45, -1, -1, 30), 45);
    /* Don't-care hours: once an hour at mm:ss. */
    assert_int_equal(rtc_alarm_delay(10, 20, 0, -1, 15, 0), 3300);
    assert_int_equal(rtc_alarm_delay(10, 15, 0, -1, 15, 0), 3600);
    /* Don't-care seconds: every second of the matching minute. */
    assert_int_equal(rtc_alarm_delay(10, 14, 58, 10, 15, -1), 2);
    assert_int_equal(rtc_alarm_delay(10, 15, 0, 10, 15, -1), 1);
    assert_int_equal(rtc_alarm_delay(10, 15, 59, 10, 15, -1), 86341);
    /* Don't-care minutes: the hour's every minute at :ss. */
    assert_int_equal(rtc_alarm_delay(9, 59, 50, 10, -1, 0), 10);
    assert_int_equal(rtc_alarm_delay(10, 59, 0, 10, -1, 0), 82860);
    /* Values out of range never match. */
    assert_int_equal(rtc_alarm_delay(10, 0, 0, 24, 0, 0), -1);
    assert_int_equal(rtc_alarm_delay(10, 0, 0, -1, 60, -1), -1);
    assert_int_equal(rtc_alarm_delay(10, 0, 0, -1, -1, 75), -1);
    /* Brute force over a sample of alarms and times of day. */
    static const int times[][3] = {
        { 23, 58, 31 }, { 0, 0, 0 }, { 10, 15, 59 }, { 12, 34, 56 }, { 5, 59, 59 },
    };
    for (unsigned i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
        check_alarm_brute(times[i][0], times[i][1], times[i][2]);
    }
}

/* ---- the device on a small machine ---- */

typedef struct Fixture {
    TestMachine *tm;
    TestIrq *irq8;
    Object *rtc;
} Fixture;

/* *state: NULL, or the RTC's properties (cmocka's prestate). */
static int setup(void **state)
{
    Fixture *f = test_fixture_new(sizeof(*f), 0);

    f->irq8 = &f->tm->irq[8];
    f->rtc = test_device_new(f->tm, &mc146818_type, *state);
    *state = f;
    return 0;
}

static uint8_t rd(Fixture *f, uint8_t reg)
{
    test_outb(f->tm, 0x70, reg);
    return test_inb(f->tm, 0x71);
}

static void wr(Fixture *f, uint8_t reg, uint8_t val)
{
    test_outb(f->tm, 0x70, reg);
    test_outb(f->tm, 0x71, val);
}

static void step(Fixture *f, int64_t ns)
{
    clock_step(&f->tm->m->clock, ns);
}

static void test_power_on(void **state)
{
    Fixture *f = *state;

    assert_int_equal(rd(f, REG_A), 0x26);
    assert_int_equal(rd(f, REG_B), 0x02);
    assert_int_equal(rd(f, REG_C), 0x00);
    assert_int_equal(rd(f, REG_D), 0x80);
    /* 2000-01-01T00:00:00, a Saturday, century byte 0x20. */
    assert_int_equal(rd(f, SEC), 0x00);
    assert_int_equal(rd(f, WDAY), 7);
    assert_int_equal(rd(f, MDAY), 0x01);
    assert_int_equal(rd(f, MONTH), 0x01);
    assert_int_equal(rd(f, YEAR), 0x00);
    assert_int_equal(rd(f, CENTURY), 0x20);
    assert_int_equal(test_inb(f->tm, 0x70), 0xff);
}

/* Leap day through the device: 2024-02-28 23:59:59 + 1 s, binary mode. */
static const char *const leap_eve[] = {"start", "2024-02-28T23:59:59", NULL};

static void test_leap_rollover_on_clock(void **state)
{
    Fixture *f = *state;

    assert_int_equal(rd(f, MDAY), 0x28);
    step(f, NS);
    assert_int_equal(rd(f, MDAY), 0x29);
    assert_int_equal(rd(f, MONTH), 0x02);
    assert_int_equal(rd(f, HOUR), 0x00);
    assert_int_equal(rd(f, WDAY), 5); /* Thursday */
    /* In binary mode the time registers read in binary. */
    wr(f, REG_B, B_DM | B_24H);
    assert_int_equal(rd(f, YEAR), 24);
    assert_int_equal(rd(f, CENTURY), 20);
    /* A day later it is March 1st. */
    step(f, 86400 * NS);
    assert_int_equal(rd(f, MDAY), 1);
    assert_int_equal(rd(f, MONTH), 3);
}

/* 12-hour mode written with SET: 11:59:58 PM on 2099-12-31 rolls to 2100. */
static void test_12h_and_century_rollover(void **state)
{
    Fixture *f = *state;

    wr(f, REG_B, B_SET);
    wr(f, HOUR, 0x91);
    wr(f, MIN, 0x59);
    wr(f, SEC, 0x58);
    wr(f, MDAY, 0x31);
    wr(f, MONTH, 0x12);
    wr(f, YEAR, 0x99);
    wr(f, CENTURY, 0x20);
    step(f, 5 * NS); /* SET holds the clock */
    assert_int_equal(rd(f, SEC), 0x58);
    wr(f, REG_B, 0);
    step(f, NS);
    assert_int_equal(rd(f, SEC), 0x59);
    assert_int_equal(rd(f, HOUR), 0x91);
    step(f, NS);
    assert_int_equal(rd(f, SEC), 0x00);
    assert_int_equal(rd(f, HOUR), 0x12); /* 12 AM */
    assert_int_equal(rd(f, MDAY), 0x01);
    assert_int_equal(rd(f, MONTH), 0x01);
    assert_int_equal(rd(f, YEAR), 0x00);
    assert_int_equal(rd(f, CENTURY), 0x21);
    assert_int_equal(rd(f, WDAY), 6); /* 2100-01-01: Friday */
}

static void test_alarm_interrupt(void **state)
{
    Fixture *f = *state;

    /* Alarm at 00:00:03 exactly, AIE only. */
    wr(f, SEC_ALARM, 0x03);
    wr(f, MIN_ALARM, 0x00);
    wr(f, HOUR_ALARM, 0x00);
    wr(f, REG_B, B_AIE | B_24H);
    step(f, 3 * NS - 1);
    assert_int_equal(f->irq8->level, 0);
    step(f, 1);
    assert_int_equal(f->irq8->level, 1);
    assert_int_equal(rd(f, REG_C), C_IRQF | C_AF | C_UF);
    assert_int_equal(f->irq8->level, 0); /* reading C lowers it */
    /* All three bytes don't care: an alarm every second. */
    wr(f, SEC_ALARM, 0xc0);
    wr(f, MIN_ALARM, 0xd5);
    wr(f, HOUR_ALARM, 0xff);
    f->irq8->edges = 0;
    for (int i = 0; i < 10; i++) {
        step(f, NS);
        assert_int_equal(rd(f, REG_C), C_IRQF | C_AF | C_UF);
    }
    assert_int_equal(f->irq8->edges, 10);
    /* An impossible alarm (minutes 0x60) never fires. */
    wr(f, MIN_ALARM, 0x60);
    step(f, 7200 * NS);
    assert_int_equal(rd(f, REG_C), C_UF);
}

/* 1024 Hz periodic rate: about 1024 PF in one second of virtual time. */
static void test_periodic_rate(void **state)
{
    Fixture *f = *state;
    int pf = 0;

    wr(f, REG_B, B_PIE | B_24H);
    for (int i = 0; i < 2000; i++) {
        step(f, 500000);
        pf += (rd(f, REG_C) & C_PF) != 0;
    }
    assert_in_range(pf, 1023, 1025);
    /* Rate 0 stops it. */
    wr(f, REG_A, 0x20);
    step(f, NS / 10);
    assert_int_equal(rd(f, REG_C) & C_PF, 0);
}

/* SET clears UIE; UIE raises IRQ 8 at the next update. */
static void test_update_interrupt(void **state)
{
    Fixture *f = *state;

    wr(f, REG_B, B_SET | B_UIE | B_24H);
    assert_int_equal(rd(f, REG_B), B_SET | B_24H);
    wr(f, REG_B, B_UIE | B_24H);
    step(f, NS);
    assert_int_equal(f->irq8->level, 1);
    assert_int_equal(rd(f, REG_C), C_IRQF | C_UF);
    /* A pending flag raises the line as soon as its enable is set. */
    wr(f, REG_B, B_24H);
    step(f, NS);
    assert_int_equal(f->irq8->level, 0);
    wr(f, REG_B, B_UIE | B_24H);
    assert_int_equal(f->irq8->level, 1);
}

/* Board bytes survive reset; guest writes and time changes do not. */
static void test_cmos_across_reset(void **state)
{
    Fixture *f = *state;

    mc146818_set_cmos(f->rtc, 0x15, 0x80);
    mc146818_set_cmos(f->rtc, 0x200, 0x55); /* ignored */
    assert_int_equal(mc146818_get_cmos(f->rtc, 0x15), 0x80);
    assert_int_equal(mc146818_get_cmos(f->rtc, 0x200), 0);
    wr(f, 0x15, 0x11);
    wr(f, 0x40, 0x22);
    wr(f, REG_B, B_SET | B_DM);
    wr(f, YEAR, 77);
    wr(f, REG_A, 0x70);
    step(f, 10 * NS);
    mc146818_type.reset(f->rtc);
    assert_int_equal(rd(f, 0x15), 0x80);
    assert_int_equal(rd(f, 0x40), 0x00);
    assert_int_equal(rd(f, REG_A), 0x26);
    assert_int_equal(rd(f, REG_B), 0x02);
    /* The clock reads start + virtual time again. */
    assert_int_equal(rd(f, SEC), 0x10);
    assert_int_equal(rd(f, YEAR), 0x00);
}

static void test_bad_props(void **state)
{
    TestMachine *tm = test_machine_new(0);
    const char *const bad_start[] = {"start", "2023-02-30T00:00:00", NULL};
    const char *const bad_irq[] = {"irq", "16", NULL};
    char *err = NULL;

    Object *rtc = test_device_create(tm, &mc146818_type, bad_start);
    assert_false(mc146818_type.realize(rtc, tm->m, &err));
    assert_non_null(err);
    g_free(err);
    err = NULL;
    rtc = test_device_create(tm, &mc146818_type, bad_irq);
    assert_false(mc146818_type.realize(rtc, tm->m, &err));
    assert_non_null(err);
    g_free(err);
    test_machine_free(tm);
}

int main(void)
{
    hw_register_types();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bcd_binary),
        cmocka_unit_test(test_hour_12h_round_trip),
        cmocka_unit_test(test_date_rollover),
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_alarm_match),
        FIXTURE_TEST(test_power_on),
        FIXTURE_TEST_PROPS(test_leap_rollover_on_clock, leap_eve),
        FIXTURE_TEST(test_12h_and_century_rollover),
        FIXTURE_TEST(test_alarm_interrupt),
        FIXTURE_TEST(test_periodic_rate),
        FIXTURE_TEST(test_update_interrupt),
        FIXTURE_TEST(test_cmos_across_reset),
        cmocka_unit_test(test_bad_props),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
