/* SPDX-License-Identifier: MIT */
/* Unit tests of emu/irq: handlers, unconnected lines, pulse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "emu/irq.h"

typedef struct Pin {
    int calls;
    int n;
    int levels[8];
} Pin;

static void pin_handler(void *opaque, int n, int level)
{
    Pin *p = opaque;
    p->n = n;
    p->levels[p->calls++ % 8] = level;
}

static void test_levels_and_pin_number(void **state)
{
    Pin p = { 0 };
    IRQ irq;
    irq_init(&irq, NULL, pin_handler, &p, 5);
    irq_raise(&irq);
    irq_lower(&irq);
    irq_set(&irq, 7);          /* any non-zero level is 1 */
    assert_int_equal(p.calls, 3);
    assert_int_equal(p.n, 5);
    assert_int_equal(p.levels[0], 1);
    assert_int_equal(p.levels[1], 0);
    assert_int_equal(p.levels[2], 1);
}

static void test_pulse(void **state)
{
    Pin p = { 0 };
    IRQ irq;
    irq_init(&irq, NULL, pin_handler, &p, 0);
    irq_pulse(&irq);
    assert_int_equal(p.calls, 2);
    assert_int_equal(p.levels[0], 1);
    assert_int_equal(p.levels[1], 0);
}

static void test_unconnected(void **state)
{
    IRQ unwired = { 0 };
    irq_raise(NULL);           /* a sender with no line: nothing happens */
    irq_set(&unwired, 1);      /* a line with no handler: nothing happens */
    assert_null(unwired.handler);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels_and_pin_number),
        cmocka_unit_test(test_pulse),
        cmocka_unit_test(test_unconnected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
