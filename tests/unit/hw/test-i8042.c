/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the i8042 keyboard controller with its PS/2 keyboard and
 * mouse (hw/input/pckbd.c, ps2.c), and of port 0x92 (hw/i386/port92.c), the
 * PC's two sources of A20 and reset, on a small machine of their own: the
 * host side (scancodes and mouse bytes), set-2 to set-1 translation, queue
 * bounds and ordering, IRQ 1/12 levels, disable bits, reset requests, the
 * kbd-throttle timer and device reset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/clock.h"
#include "hw/devices.h"
#include "hw/i386/port92.h"
#include "hw/input/i8042.h"

#include "hw-test.h"

#define DATA 0x60
#define CMD 0x64
/* Status bits (IBM PC/AT Technical Reference, keyboard controller). */
#define ST_OBF 0x01
#define ST_SYS 0x04
#define ST_CMD 0x08
#define ST_UNLOCKED 0x10
#define ST_AUX 0x20

typedef struct Fixture {
    TestMachine *tm;
    Object *kbc;
    Object *p92;
} Fixture;

/* *state: NULL, or the i8042's properties (cmocka's prestate). */
static int setup(void **state)
{
    Fixture *f = test_fixture_new(sizeof(*f), 0);

    f->kbc = test_device_new(f->tm, &i8042_type, *state);
    f->p92 = test_device_new(f->tm, &port92_type, NULL);
    *state = f;
    return 0;
}

static void set_mode(Fixture *f, uint8_t mode)
{
    test_outb(f->tm, CMD, 0x60);
    test_outb(f->tm, DATA, mode);
}

static void test_scancodes_and_irq1(void **state)
{
    Fixture *f = *state;

    assert_int_equal(test_inb(f->tm, CMD), ST_CMD | ST_UNLOCKED);
    i8042_kbd_put(f->kbc, 0x1c);
    i8042_kbd_put(f->kbc, 0xf0);
    i8042_kbd_put(f->kbc, 0x1c);
    assert_int_equal(test_inb(f->tm, CMD), ST_CMD | ST_UNLOCKED | ST_OBF);
    assert_int_equal(f->tm->irq[1].level, 1);
    assert_int_equal(f->tm->irq[12].level, 0);
    assert_int_equal(test_inb(f->tm, DATA), 0x1c);
    assert_int_equal(test_inb(f->tm, DATA), 0xf0);
    assert_int_equal(f->tm->irq[1].level, 1);
    assert_int_equal(test_inb(f->tm, DATA), 0x1c);
    assert_int_equal(f->tm->irq[1].level, 0);
    assert_int_equal(test_inb(f->tm, CMD) & ST_OBF, 0);
    assert_int_equal(test_inb(f->tm, DATA), 0x1c); /* last byte repeats */
    /* Keyboard interrupt off in the command byte: data, no IRQ 1. */
    set_mode(f, 0x02);
    i8042_kbd_put(f->kbc, 0x29);
    assert_int_equal(test_inb(f->tm, CMD) & ST_OBF, ST_OBF);
    assert_int_equal(f->tm->irq[1].level, 0);
    set_mode(f, 0x03);
    assert_int_equal(f->tm->irq[1].level, 1); /* takes effect at once */
    assert_int_equal(test_inb(f->tm, DATA), 0x29);
}

/* Command byte bit 6: the controller hands out scancode set 1. */
static void test_translation(void **state)
{
    Fixture *f = *state;

    set_mode(f, 0x43);
    i8042_kbd_put(f->kbc, 0x1c); /* A make */
    i8042_kbd_put(f->kbc, 0xf0);
    i8042_kbd_put(f->kbc, 0x1c); /* A break */
    i8042_kbd_put(f->kbc, 0x76); /* Esc */
    i8042_kbd_put(f->kbc, 0x83); /* F7 */
    assert_int_equal(test_inb(f->tm, DATA), 0x1e);
    assert_int_equal(test_inb(f->tm, DATA), 0x9e);
    assert_int_equal(test_inb(f->tm, DATA), 0x01);
    assert_int_equal(test_inb(f->tm, DATA), 0x41);
    assert_int_equal(test_inb(f->tm, CMD) & ST_OBF, 0);
}

/* 16 bytes of scancodes at most; command replies go in front of them. */
static void test_queue_bound_and_order(void **state)
{
    Fixture *f = *state;

    for (int i = 0; i < 20; i++) {
        i8042_kbd_put(f->kbc, 0x10 + i);
    }
    test_outb(f->tm, DATA, 0xf2); /* identify */
    assert_int_equal(test_inb(f->tm, DATA), 0xfa);
    assert_int_equal(test_inb(f->tm, DATA), 0xab);
    assert_int_equal(test_inb(f->tm, DATA), 0x83);
    for (int i = 0; i < 16; i++) {
        assert_int_equal(test_inb(f->tm, DATA), 0x10 + i);
    }
    assert_int_equal(test_inb(f->tm, CMD) & ST_OBF, 0);
    assert_int_equal(test_inb(f->tm, DATA), 0x1f);
}

static void test_scanning_disabled(void **state)
{
    Fixture *f = *state;

    test_outb(f->tm, DATA, 0xf5);
    assert_int_equal(test_inb(f->tm, DATA), 0xfa);
    i8042_kbd_put(f->kbc, 0x1c);
    assert_int_equal(test_inb(f->tm, CMD) & ST_OBF, 0);
    test_outb(f->tm, DATA, 0xf4);
    assert_int_equal(test_inb(f->tm, DATA), 0xfa);
    /* Interface disabled (0xad): data waits, no OBF, until 0xae. */
    test_outb(f->tm, CMD, 0xad);
    i8042_kbd_put(f->kbc, 0x1c);
    assert_int_equal(test_inb(f->tm, CMD) & ST_OBF, 0);
    assert_int_equal(f->tm->irq[1].level, 0);
    test_outb(f->tm, CMD, 0xae);
    assert_int_equal(test_inb(f->tm, CMD) & ST_OBF, ST_OBF);
    assert_int_equal(test_inb(f->tm, DATA), 0x1c);
}

static void test_mouse_and_irq12(void **state)
{
    Fixture *f = *state;

    i8042_aux_put(f->kbc, 0x08); /* reporting off: lost */
    assert_int_equal(test_inb(f->tm, CMD) & ST_OBF, 0);
    test_outb(f->tm, CMD, 0xd4);
    test_outb(f->tm, DATA, 0xf4);
    assert_int_equal(test_inb(f->tm, CMD), ST_CMD | ST_UNLOCKED | ST_AUX | ST_OBF);
    assert_int_equal(f->tm->irq[12].level, 1);
    assert_int_equal(f->tm->irq[1].level, 0);
    assert_int_equal(test_inb(f->tm, DATA), 0xfa);
    assert_int_equal(f->tm->irq[12].level, 0);
    i8042_aux_put(f->kbc, 0x09);
    i8042_aux_put(f->kbc, 0x01);
    i8042_aux_put(f->kbc, 0xff);
    assert_int_equal(f->tm->irq[12].level, 1);
    assert_int_equal(test_inb(f->tm, DATA), 0x09);
    assert_int_equal(test_inb(f->tm, DATA), 0x01);
    assert_int_equal(test_inb(f->tm, DATA), 0xff);
    assert_int_equal(f->tm->irq[12].level, 0);
    /* The mouse byte already signalled goes first, then the keyboard's. */
    i8042_aux_put(f->kbc, 0x08);
    i8042_kbd_put(f->kbc, 0x1c);
    assert_int_equal(test_inb(f->tm, DATA), 0x08); /* was in the buffer */
    assert_int_equal(test_inb(f->tm, CMD) & ST_AUX, 0);
    assert_int_equal(test_inb(f->tm, DATA), 0x1c);
    /* The IntelliMouse knock: rates 200, 100, 80, then ID 3. */
    const uint8_t knock[] = {0xf3, 200, 0xf3, 100, 0xf3, 80, 0xf2};
    for (size_t i = 0; i < sizeof(knock); i++) {
        test_outb(f->tm, CMD, 0xd4);
        test_outb(f->tm, DATA, knock[i]);
        assert_int_equal(test_inb(f->tm, DATA), 0xfa);
    }
    assert_int_equal(test_inb(f->tm, DATA), 0x03);
    /* Mouse reset: ACK, BAT, ID 0 again. */
    test_outb(f->tm, CMD, 0xd4);
    test_outb(f->tm, DATA, 0xff);
    assert_int_equal(test_inb(f->tm, DATA), 0xfa);
    assert_int_equal(test_inb(f->tm, DATA), 0xaa);
    assert_int_equal(test_inb(f->tm, DATA), 0x00);
}

/* Whether a device asked for a system reset since the last call (which
 * forgets the request, as carrying it out would). */
static int resets_asked(Fixture *f)
{
    Machine *m = f->tm->m;
    int asked = m->reset_requested;

    m->reset_requested = false;
    return asked;
}

static void test_a20_and_reset_requests(void **state)
{
    Fixture *f = *state;

    assert_int_equal(i8042_a20(f->kbc), 1);
    test_outb(f->tm, CMD, 0xdd);
    assert_int_equal(i8042_a20(f->kbc), 0);
    test_outb(f->tm, CMD, 0xdf);
    assert_int_equal(i8042_a20(f->kbc), 1);
    test_outb(f->tm, CMD, 0xd1);
    test_outb(f->tm, DATA, 0x01);
    assert_int_equal(i8042_a20(f->kbc), 0);
    assert_int_equal(resets_asked(f), 0);
    test_outb(f->tm, CMD, 0xff); /* pulse nothing */
    test_outb(f->tm, CMD, 0xf1);
    assert_int_equal(resets_asked(f), 0);
    test_outb(f->tm, CMD, 0xfe);
    assert_int_equal(resets_asked(f), 1);
    test_outb(f->tm, CMD, 0xf0); /* bits 3-0 low: reset */
    assert_int_equal(resets_asked(f), 1);
    test_outb(f->tm, CMD, 0xd1);
    test_outb(f->tm, DATA, 0x02); /* bit 0 low: reset */
    assert_int_equal(resets_asked(f), 1);
    assert_int_equal(i8042_a20(f->kbc), 1);

    /* Port 0x92: A20 in bit 1, a reset on each 0-to-1 edge of bit 0. */
    assert_int_equal(test_inb(f->tm, 0x92), 0x00);
    test_outb(f->tm, 0x92, 0x02);
    assert_int_equal(port92_a20(f->p92), 1);
    test_outb(f->tm, 0x92, 0x03);
    assert_int_equal(resets_asked(f), 1);
    test_outb(f->tm, 0x92, 0x03);
    assert_int_equal(resets_asked(f), 0);
    test_outb(f->tm, 0x92, 0x02);
    test_outb(f->tm, 0x92, 0x01);
    assert_int_equal(resets_asked(f), 1);
    assert_int_equal(port92_a20(f->p92), 0);
    test_outb(f->tm, 0x92, 0xfb);
    port92_type.reset(f->p92); /* keeps all but bit 0 */
    assert_int_equal(test_inb(f->tm, 0x92), 0xfa);
    assert_int_equal(resets_asked(f), 0);
}

static void test_device_reset(void **state)
{
    Fixture *f = *state;

    test_outb(f->tm, CMD, 0xaa);
    set_mode(f, 0x20);
    i8042_kbd_put(f->kbc, 0x1c);
    test_outb(f->tm, CMD, 0xd4);
    test_outb(f->tm, DATA, 0xf4);
    test_outb(f->tm, CMD, 0xd1);
    test_outb(f->tm, DATA, 0x00);  /* output port bit 0 low: a reset */
    assert_int_equal(resets_asked(f), 1);
    test_outb(f->tm, CMD, 0xd4); /* left waiting */
    i8042_type.reset(f->kbc);
    assert_int_equal(test_inb(f->tm, CMD), ST_CMD | ST_UNLOCKED);
    assert_int_equal(f->tm->irq[1].level | f->tm->irq[12].level, 0);
    assert_int_equal(resets_asked(f), 0);
    assert_int_equal(i8042_a20(f->kbc), 1);
    test_outb(f->tm, CMD, 0x20);
    assert_int_equal(test_inb(f->tm, DATA), 0x03);
    test_outb(f->tm, CMD, 0xd0);
    assert_int_equal(test_inb(f->tm, DATA), 0xcf);
    /* The 0xd4 did not survive: this byte goes to the keyboard. */
    test_outb(f->tm, DATA, 0xee);
    assert_int_equal(test_inb(f->tm, DATA), 0xee);
    /* The mouse is disabled again; status request reads zeros. */
    i8042_aux_put(f->kbc, 0x08);
    assert_int_equal(test_inb(f->tm, CMD) & ST_OBF, 0);
    test_outb(f->tm, CMD, 0xd4);
    test_outb(f->tm, DATA, 0xe9);
    assert_int_equal(test_inb(f->tm, DATA), 0xfa);
    assert_int_equal(test_inb(f->tm, DATA), 0x00);
    assert_int_equal(test_inb(f->tm, DATA), 0x00);
    assert_int_equal(test_inb(f->tm, DATA), 0x00);
}

/* kbd-throttle: one keyboard byte a millisecond of virtual time. */
static const char *const throttle_on[] = {"kbd-throttle", "on", NULL};

static void test_kbd_throttle(void **state)
{
    Fixture *f = *state;

    i8042_kbd_put(f->kbc, 0x1c);
    i8042_kbd_put(f->kbc, 0x32);
    assert_int_equal(test_inb(f->tm, DATA), 0x1c);
    assert_int_equal(test_inb(f->tm, CMD) & ST_OBF, 0);
    clock_step(&f->tm->m->clock, 999999);
    assert_int_equal(test_inb(f->tm, CMD) & ST_OBF, 0);
    clock_step(&f->tm->m->clock, 1);
    assert_int_equal(test_inb(f->tm, CMD) & ST_OBF, ST_OBF);
    assert_int_equal(test_inb(f->tm, DATA), 0x32);
}

int main(void)
{
    hw_register_types();
    const struct CMUnitTest tests[] = {
        FIXTURE_TEST(test_scancodes_and_irq1),
        FIXTURE_TEST(test_translation),
        FIXTURE_TEST(test_queue_bound_and_order),
        FIXTURE_TEST(test_scanning_disabled),
        FIXTURE_TEST(test_mouse_and_irq12),
        FIXTURE_TEST(test_a20_and_reset_requests),
        FIXTURE_TEST(test_device_reset),
        FIXTURE_TEST_PROPS(test_kbd_throttle, throttle_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
