/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the i8259 pair on a small machine of its own (master at
 * 0x20, slave at 0xa0 cascaded on IR2, ELCRs at 0x4d0/0x4d1), driven through
 * the ports, the input pins and i8259_intack: priorities, rotation, auto-EOI,
 * special mask and special fully nested modes, level triggering (LTIM and
 * ELCR), poll, cascade and spurious IRQ 7 on either chip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hw/devices.h"
#include "hw/intc/i8259.h"

#include "hw-test.h"

#define MASTER 0x20
#define SLAVE 0xa0
#define OCW3_READ_IRR 0x0a
#define OCW3_READ_ISR 0x0b
#define OCW3_POLL 0x0c
#define OCW2_EOI 0x20
#define OCW2_SEOI(n) (0x60 | (n))
#define OCW2_ROT_EOI 0xa0
#define OCW2_ROT_SEOI(n) (0xe0 | (n))
#define OCW2_SET_PRIO(n) (0xc0 | (n))
#define OCW2_AEOI_ROTATE 0x80
#define MASTER_BASE 0x08
#define SLAVE_BASE 0x70

typedef struct Fixture {
    TestMachine *tm;
    Object *master;
    Object *slave;
    TestIrq cpu;        /* the master's INT */
} Fixture;

static const char *const master_props[] = {
    "iobase", "0x20", "elcr_addr", "0x4d0", "elcr_mask", "0xf8", "master", "on", NULL,
};
static const char *const slave_props[] = {
    "iobase", "0xa0", "elcr_addr", "0x4d1", "elcr_mask", "0xde", "master", "off", NULL,
};

/* ICW1-4 as SeaBIOS: edge, cascade, vector bases 0x08 and 0x70; icw4 may
 * add auto-EOI (0x02) or special fully nested mode (0x10). All unmasked. */
static void init_pics(Fixture *f, uint8_t icw1, uint8_t icw4)
{
    test_outb(f->tm, MASTER, icw1);
    test_outb(f->tm, MASTER + 1, MASTER_BASE);
    test_outb(f->tm, MASTER + 1, 0x04);
    test_outb(f->tm, MASTER + 1, icw4);
    test_outb(f->tm, SLAVE, icw1);
    test_outb(f->tm, SLAVE + 1, SLAVE_BASE);
    test_outb(f->tm, SLAVE + 1, 0x02);
    test_outb(f->tm, SLAVE + 1, 0x01);
    test_outb(f->tm, MASTER + 1, 0x00);
    test_outb(f->tm, SLAVE + 1, 0x00);
}

static int setup(void **state)
{
    Fixture *f = test_fixture_new(sizeof(*f), 0);

    test_irq_init(&f->cpu, 0);
    f->master = test_device_new(f->tm, &i8259_type, master_props);
    f->slave = test_device_new(f->tm, &i8259_type, slave_props);
    i8259_set_output(f->master, &f->cpu.irq);
    i8259_set_output(f->slave, i8259_input(f->master, 2));
    init_pics(f, 0x11, 0x01);
    *state = f;
    return 0;
}

/* ISA IRQ n: master pins 0-7, slave pins 8-15. */
static void set_irq(Fixture *f, int n, int level)
{
    irq_set(i8259_input(n < 8 ? f->master : f->slave, n % 8), level);
}

static void pulse(Fixture *f, int n)
{
    set_irq(f, n, 1);
    set_irq(f, n, 0);
}

static uint8_t isr(Fixture *f, uint16_t pic)
{
    test_outb(f->tm, pic, OCW3_READ_ISR);
    uint8_t v = test_inb(f->tm, pic);
    test_outb(f->tm, pic, OCW3_READ_IRR);
    return v;
}

static int intack(Fixture *f)
{
    return i8259_intack(f->master, f->slave);
}

static void test_reset_values(void **state)
{
    Fixture *f = *state;

    i8259_type.reset(f->master);
    i8259_type.reset(f->slave);
    assert_int_equal(test_inb(f->tm, MASTER), 0x00);
    assert_int_equal(test_inb(f->tm, MASTER + 1), 0x00);
    assert_int_equal(isr(f, MASTER), 0x00);
    assert_int_equal(test_inb(f->tm, 0x4d0), 0x00);
    assert_int_equal(test_inb(f->tm, 0x4d1), 0x00);
    test_outb(f->tm, 0x4d0, 0xff);
    test_outb(f->tm, 0x4d1, 0xff);
    assert_int_equal(test_inb(f->tm, 0x4d0), 0xf8);
    assert_int_equal(test_inb(f->tm, 0x4d1), 0xde);
    assert_int_equal(i8259_output_level(f->master), 0);
}

static void test_fixed_priority(void **state)
{
    Fixture *f = *state;

    pulse(f, 5);
    pulse(f, 3);
    assert_int_equal(test_inb(f->tm, MASTER), 0x28);
    assert_int_equal(f->cpu.level, 1);
    assert_int_equal(intack(f), MASTER_BASE + 3);
    assert_int_equal(isr(f, MASTER), 0x08);
    assert_int_equal(test_inb(f->tm, MASTER), 0x20);
    /* IR5 is lower than IR3 in service: INT stays low. */
    assert_int_equal(f->cpu.level, 0);
    /* IR1 is higher: it nests. */
    pulse(f, 1);
    assert_int_equal(f->cpu.level, 1);
    assert_int_equal(intack(f), MASTER_BASE + 1);
    assert_int_equal(isr(f, MASTER), 0x0a);
    test_outb(f->tm, MASTER, OCW2_EOI);     /* clears IR1, the highest */
    assert_int_equal(isr(f, MASTER), 0x08);
    assert_int_equal(f->cpu.level, 0);
    test_outb(f->tm, MASTER, OCW2_EOI);
    assert_int_equal(f->cpu.level, 1);
    assert_int_equal(intack(f), MASTER_BASE + 5);
    test_outb(f->tm, MASTER, OCW2_SEOI(5));
    assert_int_equal(isr(f, MASTER), 0x00);
    assert_int_equal(f->cpu.level, 0);
}

static void test_rotation(void **state)
{
    Fixture *f = *state;

    /* Rotate on non-specific EOI: IR3 becomes the lowest (order 4..3). */
    pulse(f, 3);
    assert_int_equal(intack(f), MASTER_BASE + 3);
    test_outb(f->tm, MASTER, OCW2_ROT_EOI);
    pulse(f, 3);
    pulse(f, 4);
    assert_int_equal(intack(f), MASTER_BASE + 4);
    /* IR3, now lowest, does not preempt IR4 in service. */
    assert_int_equal(f->cpu.level, 0);
    test_outb(f->tm, MASTER, OCW2_EOI);
    assert_int_equal(intack(f), MASTER_BASE + 3);
    test_outb(f->tm, MASTER, OCW2_EOI);

    /* Set priority: IR4 lowest, so IR5 highest; IR6 beats IR1. */
    test_outb(f->tm, MASTER, OCW2_SET_PRIO(4));
    pulse(f, 1);
    pulse(f, 6);
    assert_int_equal(intack(f), MASTER_BASE + 6);
    /* Rotate on specific EOI of IR6: IR7 highest; IR1 waits behind IR0. */
    test_outb(f->tm, MASTER, OCW2_ROT_SEOI(6));
    pulse(f, 0);
    pulse(f, 7);
    assert_int_equal(intack(f), MASTER_BASE + 7);
    test_outb(f->tm, MASTER, OCW2_EOI);
    assert_int_equal(intack(f), MASTER_BASE + 0);
    test_outb(f->tm, MASTER, OCW2_EOI);
    assert_int_equal(intack(f), MASTER_BASE + 1);
    test_outb(f->tm, MASTER, OCW2_EOI);
    assert_int_equal(isr(f, MASTER), 0x00);
}

static void test_auto_eoi(void **state)
{
    Fixture *f = *state;

    init_pics(f, 0x11, 0x03);
    pulse(f, 3);
    pulse(f, 5);
    assert_int_equal(intack(f), MASTER_BASE + 3);
    assert_int_equal(isr(f, MASTER), 0x00);
    /* Nothing in service: IR5 is delivered at once, no EOI needed. */
    assert_int_equal(f->cpu.level, 1);
    assert_int_equal(intack(f), MASTER_BASE + 5);
    assert_int_equal(f->cpu.level, 0);

    /* Rotate in auto-EOI mode: each acknowledged level becomes lowest. */
    test_outb(f->tm, MASTER, OCW2_AEOI_ROTATE);
    pulse(f, 1);
    assert_int_equal(intack(f), MASTER_BASE + 1);
    pulse(f, 1);
    pulse(f, 3);
    assert_int_equal(intack(f), MASTER_BASE + 3);
    assert_int_equal(intack(f), MASTER_BASE + 1);
    /* Rotation off again: the order stays as last rotated (IR1 lowest). */
    test_outb(f->tm, MASTER, 0x00);
    pulse(f, 5);
    pulse(f, 1);
    assert_int_equal(intack(f), MASTER_BASE + 5);
    assert_int_equal(intack(f), MASTER_BASE + 1);
    pulse(f, 5);
    pulse(f, 1);
    assert_int_equal(intack(f), MASTER_BASE + 5);
}

static void test_special_mask(void **state)
{
    Fixture *f = *state;

    pulse(f, 3);
    assert_int_equal(intack(f), MASTER_BASE + 3);
    pulse(f, 5);
    assert_int_equal(f->cpu.level, 0);
    /* Mask IR3 and enter special mask mode: lower IR5 gets through. */
    test_outb(f->tm, MASTER + 1, 0x08);
    test_outb(f->tm, MASTER, 0x68);
    assert_int_equal(f->cpu.level, 1);
    assert_int_equal(intack(f), MASTER_BASE + 5);
    assert_int_equal(isr(f, MASTER), 0x28);
    test_outb(f->tm, MASTER, OCW2_SEOI(5));
    /* Leaving special mask mode: IR3 in service blocks IR6 again. */
    test_outb(f->tm, MASTER, 0x48);
    pulse(f, 6);
    assert_int_equal(f->cpu.level, 0);
    test_outb(f->tm, MASTER, OCW2_SEOI(3));
    assert_int_equal(f->cpu.level, 1);
    assert_int_equal(intack(f), MASTER_BASE + 6);
}

static void test_cascade_and_sfnm(void **state)
{
    Fixture *f = *state;

    pulse(f, 11);
    assert_int_equal(test_inb(f->tm, SLAVE), 0x08);
    assert_int_equal(test_inb(f->tm, MASTER), 0x04);
    assert_int_equal(intack(f), SLAVE_BASE + 3);
    assert_int_equal(isr(f, SLAVE), 0x08);
    assert_int_equal(isr(f, MASTER), 0x04);
    /* A higher slave level: the slave raises INT again, but the master's
     * IR2 is in service, so without special fully nested mode it waits. */
    pulse(f, 9);
    assert_int_equal(i8259_output_level(f->slave), 1);
    assert_int_equal(f->cpu.level, 0);
    test_outb(f->tm, SLAVE, OCW2_EOI);
    test_outb(f->tm, MASTER, OCW2_EOI);
    assert_int_equal(f->cpu.level, 1);
    assert_int_equal(intack(f), SLAVE_BASE + 1);
    test_outb(f->tm, SLAVE, OCW2_EOI);
    test_outb(f->tm, MASTER, OCW2_EOI);

    /* Special fully nested mode on the master: it nests. */
    init_pics(f, 0x11, 0x11);
    pulse(f, 11);
    assert_int_equal(intack(f), SLAVE_BASE + 3);
    pulse(f, 9);
    assert_int_equal(f->cpu.level, 1);
    assert_int_equal(intack(f), SLAVE_BASE + 1);
    assert_int_equal(isr(f, SLAVE), 0x0a);
}

static void test_edge_and_level(void **state)
{
    Fixture *f = *state;

    /* Edge: a held line requests once; acknowledging consumes it. */
    set_irq(f, 4, 1);
    set_irq(f, 4, 1);
    assert_int_equal(intack(f), MASTER_BASE + 4);
    test_outb(f->tm, MASTER, OCW2_EOI);
    assert_int_equal(test_inb(f->tm, MASTER), 0x00);
    set_irq(f, 4, 1);
    assert_int_equal(test_inb(f->tm, MASTER), 0x00);
    /* ICW1 forgets the request; the line must fall and rise again. */
    set_irq(f, 4, 0);
    set_irq(f, 4, 1);
    init_pics(f, 0x11, 0x01);
    assert_int_equal(test_inb(f->tm, MASTER), 0x00);
    set_irq(f, 4, 1);
    assert_int_equal(test_inb(f->tm, MASTER), 0x00);
    pulse(f, 4);
    set_irq(f, 4, 1);
    assert_int_equal(test_inb(f->tm, MASTER), 0x10);
    set_irq(f, 4, 0);
    assert_int_equal(test_inb(f->tm, MASTER), 0x10);  /* latched */
    assert_int_equal(intack(f), MASTER_BASE + 4);
    test_outb(f->tm, MASTER, OCW2_EOI);

    /* ELCR level (IRQ 10): IRR follows the line, stays after INTA. */
    test_outb(f->tm, 0x4d1, 0x04);
    set_irq(f, 10, 1);
    assert_int_equal(test_inb(f->tm, SLAVE), 0x04);
    assert_int_equal(intack(f), SLAVE_BASE + 2);
    assert_int_equal(test_inb(f->tm, SLAVE), 0x04);
    test_outb(f->tm, SLAVE, OCW2_EOI);
    test_outb(f->tm, MASTER, OCW2_EOI);
    assert_int_equal(f->cpu.level, 1);         /* still asserted */
    set_irq(f, 10, 0);
    assert_int_equal(test_inb(f->tm, SLAVE), 0x00);
    /* The master latched the cascade edge: INTA finds the slave empty. */
    assert_int_equal(f->cpu.level, 1);
    assert_int_equal(intack(f), SLAVE_BASE + 7);
    test_outb(f->tm, MASTER, OCW2_EOI);
    assert_int_equal(f->cpu.level, 0);

    /* LTIM: all master inputs level triggered, IR0 and IR1 included. */
    init_pics(f, 0x19, 0x01);
    set_irq(f, 1, 1);
    assert_int_equal(test_inb(f->tm, MASTER), 0x02);
    set_irq(f, 1, 0);
    assert_int_equal(test_inb(f->tm, MASTER), 0x00);
}

static void test_poll(void **state)
{
    Fixture *f = *state;

    test_outb(f->tm, MASTER, OCW3_POLL);
    assert_int_equal(test_inb(f->tm, MASTER), 0x00);
    pulse(f, 6);
    test_outb(f->tm, MASTER + 1, 0x40);
    test_outb(f->tm, MASTER, OCW3_POLL);
    assert_int_equal(test_inb(f->tm, MASTER), 0x00);  /* masked */
    test_outb(f->tm, MASTER + 1, 0x00);
    test_outb(f->tm, MASTER, OCW3_POLL);
    assert_int_equal(test_inb(f->tm, MASTER + 1), 0x86);
    assert_int_equal(isr(f, MASTER), 0x40);
    assert_int_equal(test_inb(f->tm, MASTER), 0x00);
    /* The poll is a one-shot: the next read is IRR again. */
    pulse(f, 6);
    assert_int_equal(test_inb(f->tm, MASTER), 0x40);
}

static void test_spurious(void **state)
{
    Fixture *f = *state;

    /* Nothing pending: IR7's vector, nothing put in service. */
    assert_int_equal(intack(f), MASTER_BASE + 7);
    assert_int_equal(isr(f, MASTER), 0x00);
    /* A level request that went away before INTA. */
    test_outb(f->tm, 0x4d0, 0x20);
    set_irq(f, 5, 1);
    assert_int_equal(f->cpu.level, 1);
    set_irq(f, 5, 0);
    assert_int_equal(intack(f), MASTER_BASE + 7);
    assert_int_equal(isr(f, MASTER), 0x00);
    /* Masked between INT and INTA. */
    pulse(f, 3);
    test_outb(f->tm, MASTER + 1, 0x08);
    assert_int_equal(intack(f), MASTER_BASE + 7);
    test_outb(f->tm, MASTER + 1, 0x00);
    assert_int_equal(intack(f), MASTER_BASE + 3);
    test_outb(f->tm, MASTER, OCW2_EOI);
    /* On the slave: the cascade request stays latched on the master, the
     * slave's level request is gone: the slave answers IR7 (vector 0x77)
     * and the master still puts IR2 in service. */
    test_outb(f->tm, 0x4d1, 0x02);
    set_irq(f, 9, 1);
    set_irq(f, 9, 0);
    assert_int_equal(test_inb(f->tm, MASTER), 0x04);
    assert_int_equal(intack(f), SLAVE_BASE + 7);
    assert_int_equal(isr(f, MASTER), 0x04);
    assert_int_equal(isr(f, SLAVE), 0x00);
}

static void test_icw_without_icw4(void **state)
{
    Fixture *f = *state;

    /* Single chip, no ICW3, no ICW4: the third data write is OCW1. */
    test_outb(f->tm, MASTER, 0x12);
    test_outb(f->tm, MASTER + 1, 0x48);
    test_outb(f->tm, MASTER + 1, 0x3c);
    assert_int_equal(test_inb(f->tm, MASTER + 1), 0x3c);
    test_outb(f->tm, MASTER + 1, 0x00);
    pulse(f, 1);
    assert_int_equal(intack(f), 0x49);
    /* ICW4 absent: no auto-EOI. */
    assert_int_equal(isr(f, MASTER), 0x02);
}

int main(void)
{
    hw_register_types();
    const struct CMUnitTest tests[] = {
        FIXTURE_TEST(test_reset_values),
        FIXTURE_TEST(test_fixed_priority),
        FIXTURE_TEST(test_rotation),
        FIXTURE_TEST(test_auto_eoi),
        FIXTURE_TEST(test_special_mask),
        FIXTURE_TEST(test_cascade_and_sfnm),
        FIXTURE_TEST(test_edge_and_level),
        FIXTURE_TEST(test_poll),
        FIXTURE_TEST(test_spurious),
        FIXTURE_TEST(test_icw_without_icw4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
