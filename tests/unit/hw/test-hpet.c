/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for hw/timer/hpet.c, on the pc machine (-M pc -nodefaults;
 * interrupts seen as I/O APIC messages at the sink) and on a bare machine
 * for FSB delivery: capabilities and reset values, the main counter
 * (running, halted, writable only halted), periodic interrupts after clock
 * steps, level status and its write-1-to-clear, legacy replacement taking
 * IRQ 0 and IRQ 8 from the PIT and the RTC, the 32-bit one-shot wrap, and
 * hostile values (a 1-tick period, a comparator at the end of time, FSB
 * without its capability, reserved timers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "emu/clock.h"
#include "emu/machine.h"
#include "emu/msi.h"
#include "hw/devices.h"
#include "hw/intc/msi-sink.h"

#include "hw-test.h"

#define HPET 0xfed00000ull
#define CAP (HPET + 0x000)
#define PERIOD (HPET + 0x004)
#define CFG (HPET + 0x010)
#define STATUS (HPET + 0x020)
#define COUNTER (HPET + 0x0f0)
#define TN_CFG(n) (HPET + 0x100 + 0x20 * (n))
#define TN_CAP(n) (TN_CFG(n) + 4)
#define TN_CMP(n) (TN_CFG(n) + 8)
#define TN_CMP_HI(n) (TN_CFG(n) + 12)
#define TN_FSB(n) (TN_CFG(n) + 16)
#define TN_FSB_ADDR(n) (TN_CFG(n) + 20)

#define CFG_ENABLE 1u
#define CFG_LEGACY 2u
#define TN_LEVEL 0x002u
#define TN_ENABLE 0x004u
#define TN_PERIODIC 0x008u
#define TN_SETVAL 0x040u
#define TN_32BIT 0x100u
#define TN_ROUTE(n) ((n) << 9)
#define TN_FSB_EN 0x4000u

#define IOREGSEL 0xfec00000ull
#define IOWIN 0xfec00010ull
#define IOAPIC_EOI 0xfec00040ull
#define RTE_LEVEL 0x8000u

/* The pc with -nodefaults (test_board_setup_pc). */
typedef struct Fixture {
    TestBoard b;
} Fixture;

static uint32_t rd(Fixture *f, uint64_t addr)
{
    return (uint32_t)test_board_read(&f->b, addr, 4);
}

static void wr(Fixture *f, uint64_t addr, uint32_t val)
{
    test_board_write(&f->b, addr, val, 4);
}

static void outb(Fixture *f, uint16_t port, uint8_t val)
{
    test_board_out(&f->b, port, val, 1);
}

static void step(Fixture *f, int64_t ns)
{
    clock_step(&f->b.m->clock, ns);
    machine_settle(f->b.m);
}

static uint64_t msgs(Fixture *f)
{
    return f->b.m->msi_log->count;
}

static uint32_t last_data(Fixture *f)
{
    uint64_t a;
    uint32_t d;

    assert_true(msi_log_get(f->b.m->msi_log, 0, &a, &d));
    return d;
}

static void rte_write(Fixture *f, unsigned pin, uint32_t lo)
{
    wr(f, IOREGSEL, 0x11 + 2 * pin);
    wr(f, IOWIN, 0);
    wr(f, IOREGSEL, 0x10 + 2 * pin);
    wr(f, IOWIN, lo);
}

static uint32_t rte_read(Fixture *f, unsigned pin)
{
    wr(f, IOREGSEL, 0x10 + 2 * pin);
    return rd(f, IOWIN);
}

static void test_reset_values(void **state)
{
    Fixture *f = *state;

    assert_int_equal(rd(f, CAP), 0x8086a201);
    assert_int_equal(rd(f, PERIOD), 0x00989680);       /* 10 ns in fs */
    assert_int_equal(rd(f, CFG), 0);
    assert_int_equal(rd(f, STATUS), 0);
    assert_int_equal(rd(f, COUNTER), 0);
    for (unsigned n = 0; n < 3; n++) {
        assert_int_equal(rd(f, TN_CFG(n)), 0x30);       /* periodic and 64-bit capable */
        assert_int_equal(rd(f, TN_CAP(n)), 0x4);        /* GSI 2 only, as QEMU's pc */
        assert_int_equal(rd(f, TN_CMP(n)), 0xffffffff);
        assert_int_equal(rd(f, TN_CMP_HI(n)), 0xffffffff);
        assert_int_equal(rd(f, TN_FSB(n)), 0);
    }
    /* Read-only registers stay. */
    wr(f, CAP, 0);
    wr(f, PERIOD, 0);
    wr(f, TN_CAP(0), 0xffffffff);
    assert_int_equal(rd(f, CAP), 0x8086a201);
    assert_int_equal(rd(f, TN_CAP(0)), 0x4);
    /* Only bits 1:0 of the configuration are writable. */
    wr(f, CFG, 0xfffffffc);
    assert_int_equal(rd(f, CFG), 0);
}

static void test_counter(void **state)
{
    Fixture *f = *state;

    step(f, 1000);
    assert_int_equal(rd(f, COUNTER), 0);                /* halted */
    wr(f, COUNTER, 0x100);
    wr(f, COUNTER + 4, 0x2);
    assert_int_equal(rd(f, COUNTER), 0x100);
    assert_int_equal(rd(f, COUNTER + 4), 0x2);
    wr(f, CFG, CFG_ENABLE);
    step(f, 1005);
    assert_int_equal(rd(f, COUNTER), 0x100 + 100);
    wr(f, COUNTER, 0);                                  /* ignored while running */
    assert_int_equal(rd(f, COUNTER), 0x100 + 100);
    wr(f, CFG, 0);
    step(f, 1000000);
    assert_int_equal(rd(f, COUNTER), 0x100 + 100);
    assert_int_equal(rd(f, COUNTER + 4), 0x2);
    wr(f, CFG, CFG_ENABLE);
    step(f, 10);
    assert_int_equal(rd(f, COUNTER), 0x100 + 101);
}

/* Timer 0 periodic on GSI 2 (I/O APIC pin 2), edge: one message a period,
 * the comparator moving on by the period. Linux's set-up: stop, program
 * with value-set, start. */
static void test_periodic(void **state)
{
    Fixture *f = *state;

    rte_write(f, 2, 0x30);
    /* Each comparator write clears value-set: the high dword first, then
     * value-set again for the low dword, then the period. */
    wr(f, TN_CFG(0), TN_ENABLE | TN_PERIODIC | TN_SETVAL | TN_ROUTE(2));
    assert_int_equal(rd(f, TN_CFG(0)), 0x30 | TN_ENABLE | TN_PERIODIC | TN_SETVAL | TN_ROUTE(2));
    wr(f, TN_CMP_HI(0), 0);
    wr(f, TN_CFG(0), TN_ENABLE | TN_PERIODIC | TN_SETVAL | TN_ROUTE(2));
    wr(f, TN_CMP(0), 100000);                           /* 1 ms */
    wr(f, TN_CMP(0), 100000);                           /* the period */
    assert_int_equal(rd(f, TN_CFG(0)) & TN_SETVAL, 0);
    assert_int_equal(rd(f, TN_CMP(0)), 100000);
    assert_int_equal(rd(f, TN_CMP_HI(0)), 0);
    wr(f, CFG, CFG_ENABLE);
    step(f, 999990);
    assert_int_equal(msgs(f), 0);
    step(f, 10);
    assert_int_equal(msgs(f), 1);
    assert_int_equal(last_data(f), 0x30);
    assert_int_equal(rd(f, TN_CMP(0)), 200000);
    step(f, 3000000);
    assert_int_equal(msgs(f), 4);
    assert_int_equal(rd(f, TN_CMP(0)), 500000);
    assert_int_equal(rd(f, STATUS), 0);                 /* edge: no status */
    /* Halted: no more. */
    wr(f, CFG, 0);
    step(f, 5000000);
    assert_int_equal(msgs(f), 4);
}

/* Level: the status bit holds the line; writing 1 clears both. */
static void test_level_status(void **state)
{
    Fixture *f = *state;

    rte_write(f, 2, 0x31 | RTE_LEVEL);
    wr(f, TN_CFG(0), TN_ENABLE | TN_LEVEL | TN_ROUTE(2));
    wr(f, TN_CMP(0), 1000);
    wr(f, TN_CMP_HI(0), 0);
    wr(f, CFG, CFG_ENABLE);
    step(f, 10000);
    assert_int_equal(rd(f, STATUS), 1);
    assert_int_equal(msgs(f), 1);
    assert_int_equal(last_data(f), 0x8031);
    wr(f, IOAPIC_EOI, 0x31);                            /* still asserted */
    assert_int_equal(msgs(f), 2);
    wr(f, STATUS, 0xfffffffe);                          /* other bits: nothing */
    assert_int_equal(rd(f, STATUS), 1);
    wr(f, STATUS, 1);
    assert_int_equal(rd(f, STATUS), 0);
    wr(f, IOAPIC_EOI, 0x31);
    assert_int_equal(msgs(f), 2);
    assert_int_equal(rte_read(f, 2), 0x31 | RTE_LEVEL);
    /* Interrupt disabled: the comparator still matches and sets status. */
    wr(f, TN_CFG(0), TN_LEVEL | TN_ROUTE(2));
    wr(f, TN_CMP(0), rd(f, COUNTER) + 100);
    step(f, 2000);
    assert_int_equal(rd(f, STATUS), 1);
    assert_int_equal(msgs(f), 2);
    /* Enabled again with status pending: the line rises. */
    wr(f, TN_CFG(0), TN_ENABLE | TN_LEVEL | TN_ROUTE(2));
    assert_int_equal(msgs(f), 3);
}

/* Legacy replacement: timer 0 is IRQ 0 (pin 2), timer 1 IRQ 8 (pin 8);
 * the PIT's and the RTC's interrupts no longer get through. */
static void test_legacy(void **state)
{
    Fixture *f = *state;

    rte_write(f, 2, 0x30);
    rte_write(f, 8, 0x38);
    /* RTC periodic interrupt at 1024 Hz, PIT at 1 kHz: both arrive. */
    outb(f, 0x70, 0x0a);
    outb(f, 0x71, 0x26);
    outb(f, 0x70, 0x0b);
    outb(f, 0x71, 0x42);
    outb(f, 0x43, 0x34);
    outb(f, 0x40, 0xa9);
    outb(f, 0x40, 0x04);
    step(f, 2000000);
    assert_true(msgs(f) >= 2);
    /* Legacy on, no timer armed: silence. */
    outb(f, 0x70, 0x0c);
    as_read_val(&f->b.m->as_io, 0x71, 1, NULL);
    wr(f, CFG, CFG_LEGACY);
    uint64_t before = msgs(f);
    step(f, 5000000);
    assert_int_equal(msgs(f), before);
    /* Timer 1 one-shot: pin 8; timer 0: pin 2. */
    wr(f, TN_CFG(1), TN_ENABLE);
    wr(f, TN_CMP(1), 500);
    wr(f, TN_CMP_HI(1), 0);
    wr(f, TN_CFG(0), TN_ENABLE);
    wr(f, TN_CMP(0), 1000);
    wr(f, TN_CMP_HI(0), 0);
    wr(f, CFG, CFG_LEGACY | CFG_ENABLE);
    step(f, 6000);
    assert_int_equal(msgs(f), before + 1);
    assert_int_equal(last_data(f), 0x38);
    step(f, 5000);
    assert_int_equal(msgs(f), before + 2);
    assert_int_equal(last_data(f), 0x30);
    /* Legacy off: the PIT is back on pin 2. */
    wr(f, CFG, CFG_ENABLE);
    step(f, 3000000);
    assert_true(msgs(f) >= before + 4);
    assert_int_equal(last_data(f) == 0x30 || last_data(f) == 0x38, 1);
}

/* Spec 2.3.9.2.2: a 32-bit one-shot timer also fires when the counter's
 * low 32 bits wrap, before its match. */
static void test_32bit_wrap(void **state)
{
    Fixture *f = *state;

    rte_write(f, 2, 0x30);
    wr(f, COUNTER, 0xffffff00);
    wr(f, TN_CFG(0), TN_ENABLE | TN_32BIT | TN_ROUTE(2));
    wr(f, TN_CMP_HI(0), 0x1234);                        /* ignored in 32-bit mode */
    wr(f, TN_CMP(0), 0x100);
    assert_int_equal(rd(f, TN_CMP_HI(0)), 0);
    wr(f, CFG, CFG_ENABLE);
    step(f, 0xff * 10 - 10);
    assert_int_equal(msgs(f), 0);
    step(f, 10);
    assert_int_equal(msgs(f), 1);                       /* the wrap */
    step(f, 0x100 * 10);
    assert_int_equal(msgs(f), 1);
    step(f, 20);
    assert_int_equal(msgs(f), 2);                       /* the match */
    assert_int_equal(rd(f, COUNTER + 4), 1);
}

/* Hostile values: nothing loops, nothing overflows. */
static void test_hostile(void **state)
{
    Fixture *f = *state;

    rte_write(f, 2, 0x30);
    /* A 1-tick period: interrupts come at most every 100 us. */
    wr(f, TN_CFG(0), TN_ENABLE | TN_PERIODIC | TN_SETVAL | TN_ROUTE(2));
    wr(f, TN_CMP(0), 1);
    wr(f, TN_CMP(0), 1);
    wr(f, CFG, CFG_ENABLE);
    step(f, 10000000);
    assert_true(msgs(f) >= 90 && msgs(f) <= 101);
    uint32_t cmp = rd(f, TN_CMP(0)), now = rd(f, COUNTER);
    assert_true(cmp > now - 10000 && cmp <= now + 1);
    /* A comparator at the end of time never fires (the PIT, also on pin
     * 2, stopped: mode 0 waiting for its count). */
    outb(f, 0x43, 0x30);
    wr(f, CFG, 0);
    wr(f, TN_CFG(1), TN_ENABLE | TN_ROUTE(2));
    wr(f, TN_CMP(1), 0xffffffff);
    wr(f, TN_CMP_HI(1), 0x7fffffff);
    wr(f, TN_CFG(0), 0);
    uint64_t before = msgs(f);
    wr(f, CFG, CFG_ENABLE);
    step(f, 1000000000);
    assert_int_equal(msgs(f), before);
    /* A route not offered is kept, as QEMU (its read-back is undefined);
     * FSB enable without the capability is not. */
    wr(f, TN_CFG(2), TN_ROUTE(5) | TN_FSB_EN | TN_LEVEL);
    assert_int_equal(rd(f, TN_CFG(2)), 0x30 | TN_ROUTE(5) | TN_LEVEL);
    /* Timer 3 does not exist: its registers read 0 and ignore writes. */
    wr(f, TN_CFG(3), 0xffffffff);
    wr(f, TN_CMP(3), 5);
    assert_int_equal(rd(f, TN_CFG(3)), 0);
    assert_int_equal(rd(f, TN_CMP(3)), 0);
    assert_int_equal(rd(f, HPET + 0x3fc), 0);
    /* Eight-byte accesses come as two dwords, as in QEMU. */
    assert_int_equal(as_read_val(&f->b.m->as_mem, CAP, 8, NULL), 0x009896808086a201ull);
}

/* FSB delivery on a bare machine with msi=on: the data dword written to
 * the address dword, at the sink. */
static void test_fsb(void **state)
{
    static const char *const props[] = {"msi", "on", NULL};
    TestMachine *tm = test_machine_new(0);
    Object *sink = test_device_new(tm, &msi_sink_type, NULL);
    Object *hpet = test_device_new(tm, &hpet_type, props);
    MSILog *log = msi_sink_log(sink);
    AddressSpace *as = &tm->m->as_mem;

    (void)hpet;
    (void)state;
    assert_int_equal(as_read_val(as, TN_CFG(0), 4, NULL), 0x8030);
    as_write_val(as, TN_FSB(0), 0x4055, 4, NULL);
    as_write_val(as, TN_FSB_ADDR(0), 0xfee00000, 4, NULL);
    as_write_val(as, TN_CFG(0), TN_ENABLE | TN_FSB_EN, 4, NULL);
    as_write_val(as, TN_CMP(0), 50, 4, NULL);
    as_write_val(as, TN_CMP_HI(0), 0, 4, NULL);
    as_write_val(as, CFG, CFG_ENABLE, 4, NULL);
    clock_step(&tm->m->clock, 1000);
    assert_int_equal(log->count, 1);
    assert_int_equal(log->addr[0], 0xfee00000);
    assert_int_equal(log->data[0], 0x4055);
    /* Aimed at the HPET itself: refused by the core, nothing happens. */
    as_write_val(as, TN_FSB_ADDR(0), HPET + 0x10, 4, NULL);
    as_write_val(as, TN_CMP(0), 200, 4, NULL);
    clock_step(&tm->m->clock, 10000);
    assert_int_equal(log->count, 1);
    assert_int_equal(as_read_val(as, CFG, 4, NULL), CFG_ENABLE);
    test_machine_free(tm);
}

int main(void)
{
    hw_register_types();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reset_values, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_counter, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_periodic, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_level_status, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_legacy, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_32bit_wrap, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_hostile, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test(test_fsb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
