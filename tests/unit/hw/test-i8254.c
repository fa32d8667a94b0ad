/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the i8254 PIT and the port 0x61 speaker device on a small
 * machine of their own: the count at given virtual times in each mode,
 * BCD, GATE, latch and read-back semantics, NULL COUNT, counter 0's IRQ
 * edges (exact for normal periods, bounded for tiny ones), long times.
 * Tick k of a count written at T starts at T + ceil(k * 10^9 / 1193182).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/clock.h"
#include "emu/log.h"
#include "hw/audio/pcspk.h"
#include "hw/devices.h"
#include "hw/timer/i8254.h"

#include "hw-test.h"

#define CTRL 0x43
#define PORT_B 0x61
#define NS_PER_S 1000000000LL
#define ST_OUT 0x80
#define ST_NULL 0x40

typedef struct Fixture {
    TestMachine *tm;
    TestIrq *irq0;
    Object *pit;
    Object *spk;
} Fixture;

static int setup(void **state)
{
    Fixture *f = test_fixture_new(sizeof(*f), 0);

    f->irq0 = &f->tm->irq[0];
    f->pit = test_device_new(f->tm, &i8254_type, NULL);
    f->spk = test_device_create(f->tm, &pcspk_type, NULL);
    pcspk_set_pit(f->spk, f->pit);
    test_device_realize(f->tm, f->spk);
    *state = f;
    return 0;
}

/* Start of tick k of a count written at t0. */
static int64_t tick(int64_t t0, uint64_t k)
{
    return t0 + (int64_t)((k * NS_PER_S + I8254_FREQ - 1) / I8254_FREQ);
}

static void at(Fixture *f, int64_t t)
{
    clock_set(&f->tm->m->clock, t);
    assert_int_equal(clock_get_ns(&f->tm->m->clock), t);
}

static int64_t now(Fixture *f)
{
    return clock_get_ns(&f->tm->m->clock);
}

/* Control word for counter ch: LSB then MSB, the given mode, binary. */
static void program(Fixture *f, int ch, int mode, uint16_t count)
{
    test_outb(f->tm, CTRL, ch << 6 | 0x30 | mode << 1);
    test_outb(f->tm, 0x40 + ch, count & 0xff);
    test_outb(f->tm, 0x40 + ch, count >> 8);
}

static uint16_t read_word(Fixture *f, int ch)
{
    uint16_t lo = test_inb(f->tm, 0x40 + ch);
    return lo | test_inb(f->tm, 0x40 + ch) << 8;
}

/* Counter latch command, then both bytes. */
static uint16_t count(Fixture *f, int ch)
{
    test_outb(f->tm, CTRL, ch << 6);
    return read_word(f, ch);
}

/* Read-back of one counter's status. */
static uint8_t status(Fixture *f, int ch)
{
    test_outb(f->tm, CTRL, 0xe0 | 2 << ch);
    return test_inb(f->tm, 0x40 + ch);
}

static int out(Fixture *f, int ch)
{
    return i8254_get_out(f->pit, ch);
}

static void test_reset_state(void **state)
{
    Fixture *f = *state;

    for (int ch = 0; ch < 3; ch++) {
        assert_int_equal(status(f, ch), 0x86);      /* OUT, mode 3, RW 00 */
    }
    assert_int_equal(i8254_get_gate(f->pit, 0), 1);
    assert_int_equal(i8254_get_gate(f->pit, 1), 1);
    assert_int_equal(i8254_get_gate(f->pit, 2), 0);
    /* Counter 0 runs from power-on: a square wave of 65536 ticks. */
    at(f, tick(0, 32767));
    assert_int_equal(out(f, 0), 1);
    assert_int_equal(f->irq0->edges, 0);
    at(f, tick(0, 32768));
    assert_int_equal(out(f, 0), 0);
    at(f, tick(0, 65536) - 1);
    assert_int_equal(f->irq0->edges, 0);
    at(f, tick(0, 65536));
    assert_int_equal(f->irq0->edges, 1);
    /* Counter 2's GATE is low: it holds its count. */
    test_outb(f->tm, CTRL, 0x80);
    assert_int_equal(test_inb(f->tm, 0x42), 0x00);
    assert_int_equal(out(f, 2), 1);
    assert_int_equal(test_inb(f->tm, CTRL), 0);
}

static void test_unprogrammed_latch(void **state)
{
    Fixture *f = *state;

    /* No RW mode since reset: the latch is ignored (as in QEMU) and reads
     * give the live LSB: mode 3, 65536 - 2 * 100 at tick 100. */
    test_outb(f->tm, CTRL, 0x00);
    at(f, tick(0, 100));
    assert_int_equal(test_inb(f->tm, 0x40), (65536 - 200) & 0xff);
    assert_int_equal(test_inb(f->tm, 0x40), (65536 - 200) & 0xff);
    /* Writes load the LSB. */
    test_outb(f->tm, 0x41, 0x34);
    assert_int_equal(status(f, 1), ST_OUT | ST_NULL | 0x06);
}

static void test_mode0(void **state)
{
    Fixture *f = *state;
    int64_t t0 = 1000;

    at(f, t0);
    program(f, 0, 0, 1000);
    assert_int_equal(status(f, 0), 0x30);
    static const uint16_t k[] = { 0, 1, 500, 999 };
    for (unsigned i = 0; i < 4; i++) {
        at(f, tick(t0, k[i]));
        assert_int_equal(count(f, 0), 1000 - k[i]);
        assert_int_equal(out(f, 0), 0);
    }
    at(f, tick(t0, 1000) - 1);
    assert_int_equal(f->irq0->edges, 0);
    at(f, tick(t0, 1000));
    assert_int_equal(f->irq0->edges, 1);
    assert_int_equal(f->irq0->level, 1);
    assert_int_equal(count(f, 0), 0);
    at(f, tick(t0, 1001));
    assert_int_equal(count(f, 0), 0xffff);      /* wraps, OUT stays high */
    assert_int_equal(status(f, 0), ST_OUT | 0x30);
    at(f, tick(t0, 200000));
    assert_int_equal(f->irq0->edges, 1);

    /* Count 0 is 65536. */
    t0 = now(f);
    program(f, 0, 0, 0);
    assert_int_equal(f->irq0->level, 0);
    at(f, tick(t0, 1));
    assert_int_equal(count(f, 0), 0xffff);
    at(f, tick(t0, 65536));
    assert_int_equal(f->irq0->edges, 2);

    /* The first byte of a new word count stops counting, OUT low. */
    t0 = now(f);
    program(f, 0, 0, 100);
    at(f, tick(t0, 10));
    test_outb(f->tm, 0x40, 0x50);
    at(f, tick(t0, 500));
    assert_int_equal(count(f, 0), 90);
    assert_int_equal(out(f, 0), 0);
    assert_int_equal(f->irq0->edges, 2);
    test_outb(f->tm, 0x40, 0x00);               /* count 0x0050 from now */
    t0 = now(f);
    at(f, tick(t0, 0x50));
    assert_int_equal(f->irq0->edges, 3);
}

static void test_mode1(void **state)
{
    Fixture *f = *state;

    program(f, 2, 1, 100);
    assert_int_equal(status(f, 2), ST_OUT | 0x32);
    at(f, 50000);
    assert_int_equal(count(f, 2), 100);         /* armed, not counting */
    assert_int_equal(out(f, 2), 1);
    i8254_set_gate(f->pit, 2, 1);               /* trigger */
    int64_t t0 = now(f);
    assert_int_equal(out(f, 2), 0);
    at(f, tick(t0, 40));
    assert_int_equal(count(f, 2), 60);
    /* A new count waits for the next trigger (NULL COUNT meanwhile). */
    test_outb(f->tm, 0x42, 10);
    test_outb(f->tm, 0x42, 0);
    assert_int_equal(status(f, 2), ST_NULL | 0x32);
    at(f, tick(t0, 99));
    assert_int_equal(out(f, 2), 0);
    at(f, tick(t0, 100));
    assert_int_equal(out(f, 2), 1);
    /* GATE low does not stop it; the next rising edge retriggers. */
    i8254_set_gate(f->pit, 2, 0);
    at(f, tick(t0, 150));
    assert_int_equal(count(f, 2), (uint16_t)(100 - 150));
    i8254_set_gate(f->pit, 2, 1);
    t0 = now(f);
    assert_int_equal(status(f, 2), 0x32);       /* OUT low, count loaded */
    at(f, tick(t0, 9));
    assert_int_equal(out(f, 2), 0);
    at(f, tick(t0, 10));
    assert_int_equal(out(f, 2), 1);
}

static void test_mode2(void **state)
{
    Fixture *f = *state;
    int64_t t0 = 1000000;

    at(f, t0);
    program(f, 0, 2, 200);
    int base = f->irq0->edges;
    assert_int_equal(status(f, 0), ST_OUT | 0x34);
    at(f, tick(t0, 198));
    assert_int_equal(count(f, 0), 2);
    assert_int_equal(out(f, 0), 1);
    at(f, tick(t0, 199));
    assert_int_equal(count(f, 0), 1);
    assert_int_equal(out(f, 0), 0);
    assert_int_equal(f->irq0->edges, base);
    at(f, tick(t0, 200));
    assert_int_equal(count(f, 0), 200);
    assert_int_equal(out(f, 0), 1);
    assert_int_equal(f->irq0->edges, base + 1);
    at(f, tick(t0, 2000));
    assert_int_equal(f->irq0->edges, base + 10);

    /* A new count (150) written in a period is taken at its end (2200). */
    at(f, tick(t0, 2050));
    test_outb(f->tm, 0x40, 150);
    test_outb(f->tm, 0x40, 0);
    assert_int_equal(status(f, 0), ST_OUT | ST_NULL | 0x34);
    at(f, tick(t0, 2199));
    assert_int_equal(count(f, 0), 1);
    at(f, tick(t0, 2250));
    assert_int_equal(count(f, 0), 100);
    assert_int_equal(status(f, 0), ST_OUT | 0x34);
    at(f, tick(t0, 2350) - 1);
    assert_int_equal(f->irq0->edges, base + 11);
    at(f, tick(t0, 2350));
    assert_int_equal(f->irq0->edges, base + 12);

    /* Counter 2: GATE low holds the count with OUT high; high reloads. */
    program(f, 2, 2, 50);
    i8254_set_gate(f->pit, 2, 1);
    t0 = now(f);
    at(f, tick(t0, 49));
    assert_int_equal(out(f, 2), 0);
    i8254_set_gate(f->pit, 2, 0);
    assert_int_equal(out(f, 2), 1);
    at(f, tick(t0, 500));
    assert_int_equal(count(f, 2), 1);
    i8254_set_gate(f->pit, 2, 1);
    assert_int_equal(count(f, 2), 50);
}

static void test_mode3(void **state)
{
    Fixture *f = *state;
    int64_t t0 = 2000000;

    at(f, t0);
    program(f, 0, 3, 1000);
    int base = f->irq0->edges;
    at(f, tick(t0, 10));
    assert_int_equal(count(f, 0), 980);
    at(f, tick(t0, 499));
    assert_int_equal(out(f, 0), 1);
    assert_int_equal(count(f, 0), 2);
    at(f, tick(t0, 500));
    assert_int_equal(out(f, 0), 0);
    assert_int_equal(count(f, 0), 1000);
    at(f, tick(t0, 999));
    assert_int_equal(count(f, 0), 2);
    assert_int_equal(f->irq0->edges, base);
    at(f, tick(t0, 1000));
    assert_int_equal(out(f, 0), 1);
    assert_int_equal(f->irq0->edges, base + 1);
    at(f, tick(t0, 100000));
    assert_int_equal(f->irq0->edges, base + 100);

    /* Odd count 5: high for 3 ticks (5, 4, 2), low for 2 (5, 2). */
    t0 = now(f);
    program(f, 1, 3, 5);
    static const uint8_t values[] = { 5, 4, 2, 5, 2, 5 };
    static const uint8_t outs[] = { 1, 1, 1, 0, 0, 1 };
    for (int k = 0; k < 6; k++) {
        at(f, tick(t0, k));
        assert_int_equal(count(f, 1), values[k]);
        assert_int_equal(out(f, 1), outs[k]);
    }
}

static void test_modes4_5(void **state)
{
    Fixture *f = *state;
    int64_t t0 = 3000000;

    /* Mode 4: OUT low exactly during tick N; counting goes on. */
    at(f, t0);
    program(f, 0, 4, 10);
    int base = f->irq0->edges;
    assert_int_equal(out(f, 0), 1);
    at(f, tick(t0, 9));
    assert_int_equal(out(f, 0), 1);
    at(f, tick(t0, 10));
    assert_int_equal(out(f, 0), 0);
    at(f, tick(t0, 11));
    assert_int_equal(out(f, 0), 1);
    assert_int_equal(f->irq0->edges, base + 1);
    assert_int_equal(count(f, 0), 0xffff);
    /* GATE low inhibits mode 4 counting (counter 2). */
    i8254_set_gate(f->pit, 2, 1);
    program(f, 2, 4, 100);
    t0 = now(f);
    at(f, tick(t0, 20));
    i8254_set_gate(f->pit, 2, 0);
    at(f, tick(t0, 5000));
    assert_int_equal(count(f, 2), 80);
    assert_int_equal(out(f, 2), 1);

    /* Mode 5: the strobe comes N ticks after the trigger. */
    program(f, 2, 5, 10);
    at(f, now(f) + 100000);
    assert_int_equal(out(f, 2), 1);
    assert_int_equal(count(f, 2), 10);
    i8254_set_gate(f->pit, 2, 1);
    t0 = now(f);
    at(f, tick(t0, 9));
    assert_int_equal(out(f, 2), 1);
    assert_int_equal(count(f, 2), 1);
    at(f, tick(t0, 10));
    assert_int_equal(out(f, 2), 0);
    at(f, tick(t0, 11));
    assert_int_equal(out(f, 2), 1);
}

static void test_bcd(void **state)
{
    Fixture *f = *state;
    int64_t t0 = 4000000;

    at(f, t0);
    test_outb(f->tm, CTRL, 0xb1);               /* counter 2, mode 0, BCD */
    test_outb(f->tm, 0x42, 0x00);
    test_outb(f->tm, 0x42, 0x01);
    i8254_set_gate(f->pit, 2, 1);
    t0 = now(f);
    assert_int_equal(status(f, 2), 0x31);
    at(f, tick(t0, 50));
    assert_int_equal(count(f, 2), 0x0050);
    at(f, tick(t0, 100));
    assert_int_equal(count(f, 2), 0x0000);
    assert_int_equal(out(f, 2), 1);
    at(f, tick(t0, 101));
    assert_int_equal(count(f, 2), 0x9999);
    /* Count 0 in BCD is 10000. */
    test_outb(f->tm, CTRL, 0xb1);
    test_outb(f->tm, 0x42, 0x00);
    test_outb(f->tm, 0x42, 0x00);
    t0 = now(f);
    at(f, tick(t0, 1));
    assert_int_equal(count(f, 2), 0x9999);
    at(f, tick(t0, 1234));
    assert_int_equal(count(f, 2), 0x8766);
    /* Not BCD: a guest error; reads back as written until it counts. */
    unsigned long errors = log_guest_error_count();
    test_outb(f->tm, CTRL, 0xb1);
    test_outb(f->tm, 0x42, 0x72);
    test_outb(f->tm, 0x42, 0xa9);
    assert_int_equal(log_guest_error_count(), errors + 1);
    assert_int_equal(count(f, 2), 0xa972);
    /* BCD mode 2 on counter 0: count 0x1000 is a period of 1000 ticks. */
    test_outb(f->tm, CTRL, 0x35);
    test_outb(f->tm, 0x40, 0x00);
    test_outb(f->tm, 0x40, 0x10);
    t0 = now(f);
    int base = f->irq0->edges;
    at(f, tick(t0, 3));
    assert_int_equal(count(f, 0), 0x0997);
    at(f, tick(t0, 100000));
    assert_int_equal(f->irq0->edges, base + 100);
}

static void test_latch(void **state)
{
    Fixture *f = *state;
    int64_t t0 = 5000000;

    at(f, t0);
    program(f, 0, 0, 0x1000);
    at(f, tick(t0, 10));
    test_outb(f->tm, CTRL, 0x00);
    at(f, tick(t0, 110));
    test_outb(f->tm, CTRL, 0x00);               /* ignored: still latched */
    assert_int_equal(test_inb(f->tm, 0x40), 0xf6);
    at(f, tick(t0, 300));
    assert_int_equal(test_inb(f->tm, 0x40), 0x0f);  /* held across the read */
    assert_int_equal(read_word(f, 0), 0x1000 - 300);

    /* Live reads of a word counter alternate LSB and MSB; a latch read in
     * between has its own byte order. */
    assert_int_equal(test_inb(f->tm, 0x40), (0x1000 - 300) & 0xff);
    test_outb(f->tm, CTRL, 0x00);
    assert_int_equal(read_word(f, 0), 0x1000 - 300);
    assert_int_equal(test_inb(f->tm, 0x40), (0x1000 - 300) >> 8);

    /* MSB-only counter: one byte latched. */
    test_outb(f->tm, CTRL, 0x60);               /* counter 1, MSB, mode 0 */
    test_outb(f->tm, 0x41, 0x12);
    t0 = now(f);
    at(f, tick(t0, 0x100));
    test_outb(f->tm, CTRL, 0x40);
    at(f, tick(t0, 0x300));
    assert_int_equal(test_inb(f->tm, 0x41), 0x11);
    assert_int_equal(test_inb(f->tm, 0x41), 0x0f);

    /* Read-back of counters 0 and 2: status first, then the count. */
    program(f, 2, 0, 0x4321);
    test_outb(f->tm, CTRL, 0xca);
    assert_int_equal(test_inb(f->tm, 0x42), 0x30);
    assert_int_equal(read_word(f, 2), 0x4321);
    assert_int_equal(test_inb(f->tm, 0x40), 0x30);
    assert_int_equal(read_word(f, 0), 0x1000 - 300 - 0x300);
}

static void test_null_count(void **state)
{
    Fixture *f = *state;

    test_outb(f->tm, CTRL, 0x34);
    assert_int_equal(status(f, 0), ST_OUT | ST_NULL | 0x34);
    test_outb(f->tm, 0x40, 0x10);
    assert_int_equal(status(f, 0), ST_OUT | ST_NULL | 0x34);
    test_outb(f->tm, 0x40, 0x00);
    assert_int_equal(status(f, 0), ST_OUT | 0x34);
    /* A status latched twice keeps the first. */
    test_outb(f->tm, CTRL, 0xe2);
    test_outb(f->tm, CTRL, 0x30);
    test_outb(f->tm, CTRL, 0xe2);
    assert_int_equal(test_inb(f->tm, 0x40), ST_OUT | 0x34);
    assert_int_equal(status(f, 0), ST_NULL | 0x30);
}

static void test_irq_bounded(void **state)
{
    Fixture *f = *state;

    at(f, 1000);
    program(f, 0, 2, 2);                        /* 1.676 us period */
    uint64_t fires = f->tm->m->clock.seq;
    int base = f->irq0->edges;
    clock_step(&f->tm->m->clock, NS_PER_S);
    fires = f->tm->m->clock.seq - fires;
    assert_true(fires <= NS_PER_S / 100000 + 2);
    assert_true(f->irq0->edges - base >= (int)fires - 1);
    assert_true(f->irq0->edges > base);
    /* Mode 3 with count 3: same bound. */
    program(f, 0, 3, 3);
    fires = f->tm->m->clock.seq;
    clock_step(&f->tm->m->clock, NS_PER_S);
    assert_true(f->tm->m->clock.seq - fires <= NS_PER_S / 100000 + 2);
    /* Count 1 in mode 2 (illegal): no edges at all. */
    program(f, 0, 2, 1);
    fires = f->tm->m->clock.seq;
    clock_step(&f->tm->m->clock, NS_PER_S);
    assert_true(f->tm->m->clock.seq - fires <= 1);
}

static void test_long_times(void **state)
{
    Fixture *f = *state;
    int64_t t0 = 3600 * NS_PER_S;

    at(f, t0);
    program(f, 0, 0, 0);
    at(f, t0 + NS_PER_S);                       /* 1193182 ticks */
    assert_int_equal(count(f, 0), (uint16_t)(65536 - 1193182 % 65536));
    /* Counter 1 has run in mode 3 (65536) since power-on. */
    t0 = 4000000000LL * NS_PER_S;
    at(f, t0);
    uint64_t k = 4000000000ULL * I8254_FREQ % 65536;
    assert_int_equal(out(f, 1), k < 32768);
    assert_int_equal(count(f, 1) & 0xff,
                     (65536 - 2 * (k < 32768 ? k : k - 32768)) & 0xff);
    program(f, 0, 0, 0);
    program(f, 1, 2, 1000);
    at(f, t0 + NS_PER_S);
    assert_int_equal(count(f, 0), (uint16_t)(65536 - 1193182 % 65536));
    assert_int_equal(count(f, 1), 1000 - 1193182 % 1000);
}

static void test_port_b(void **state)
{
    Fixture *f = *state;

    assert_int_equal(test_inb(f->tm, PORT_B), 0x30);
    assert_int_equal(test_inb(f->tm, PORT_B), 0x20);  /* refresh flips per read */
    test_outb(f->tm, PORT_B, 0xff);
    assert_int_equal(i8254_get_gate(f->pit, 2), 1);
    assert_int_equal(test_inb(f->tm, PORT_B), 0x33);
    test_outb(f->tm, CTRL, 0xb0);               /* mode 0: OUT 2 low */
    assert_int_equal(test_inb(f->tm, PORT_B), 0x03);
    test_outb(f->tm, 0x42, 5);
    test_outb(f->tm, 0x42, 0);
    int64_t t0 = now(f);
    at(f, tick(t0, 5));
    assert_int_equal(test_inb(f->tm, PORT_B), 0x33);
    test_outb(f->tm, PORT_B, 0x00);
    assert_int_equal(i8254_get_gate(f->pit, 2), 0);
    assert_int_equal(test_inb(f->tm, PORT_B), 0x20);
    pcspk_type.reset(f->spk);
    assert_int_equal(test_inb(f->tm, PORT_B), 0x30);
}

static void test_bad_config(void **state)
{
    TestMachine *tm = test_machine_new(0);
    const char *const bad_irq[] = {"irq", "16", NULL};
    char *err = NULL;

    Object *pit = test_device_create(tm, &i8254_type, bad_irq);
    assert_false(i8254_type.realize(pit, tm->m, &err));
    assert_non_null(err);
    g_free(err);
    err = NULL;
    Object *spk = test_device_create(tm, &pcspk_type, NULL);
    assert_false(pcspk_type.realize(spk, tm->m, &err));
    assert_non_null(strstr(err, "PIT"));
    g_free(err);
    test_machine_free(tm);
}

int main(void)
{
    hw_register_types();
    const struct CMUnitTest tests[] = {
        FIXTURE_TEST(test_reset_state),
        FIXTURE_TEST(test_unprogrammed_latch),
        FIXTURE_TEST(test_mode0),
        FIXTURE_TEST(test_mode1),
        FIXTURE_TEST(test_mode2),
        FIXTURE_TEST(test_mode3),
        FIXTURE_TEST(test_modes4_5),
        FIXTURE_TEST(test_bcd),
        FIXTURE_TEST(test_latch),
        FIXTURE_TEST(test_null_count),
        FIXTURE_TEST(test_irq_bounded),
        FIXTURE_TEST(test_long_times),
        FIXTURE_TEST(test_port_b),
        cmocka_unit_test(test_bad_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
