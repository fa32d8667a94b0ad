/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the 16550A core (hw/char/serial.c), driven directly:
 * overrun, trigger levels, IIR priorities, THRE rules, the character
 * timeout on the virtual clock, modem deltas, loopback and chardev output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <unistd.h>

#include "hw/char/serial.h"

#include "hw-test.h"

/* Register offsets and bits, from the PC16550D datasheet. */
enum {
    RBR = 0,
    THR = 0,
    DLL = 0,
    IER = 1,
    DLM = 1,
    IIR = 2,
    FCR = 2,
    LCR = 3,
    MCR = 4,
    LSR = 5,
    MSR = 6,
    SCR = 7
};
#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_BI 0x10
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define LSR_RXERR 0x80

typedef struct Fixture {
    Clock clock;
    TestIrq irq;
    SerialState s;
} Fixture;

static int setup(void **state)
{
    Fixture *f = test_calloc(1, sizeof(*f));

    clock_init(&f->clock);
    test_irq_init(&f->irq, 0);
    serial_init(&f->s, NULL, &f->clock, &f->irq.irq, NULL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;

    serial_reset(&f->s); /* drops the pending timer from the clock */
    test_free(f);
    return 0;
}

static void rx(SerialState *s, uint8_t byte)
{
    serial_receive(s, &byte, 1);
}

static void test_reset_values(void **state)
{
    Fixture *f = *state;
    SerialState *s = &f->s;

    assert_int_equal(serial_read(s, IER), 0x00);
    assert_int_equal(serial_read(s, IIR), 0x01);
    assert_int_equal(serial_read(s, LCR), 0x00);
    assert_int_equal(serial_read(s, MCR), 0x08); /* QEMU: OUT2 */
    assert_int_equal(serial_read(s, LSR), 0x60);
    assert_int_equal(serial_read(s, MSR), 0xb0);
    assert_int_equal(serial_read(s, SCR), 0x00);
    serial_write(s, LCR, 0x80);
    assert_int_equal(serial_read(s, DLL), 12);
    assert_int_equal(serial_read(s, DLM), 0);
    assert_int_equal(f->irq.level, 0);
}

static void test_overrun_no_fifo(void **state)
{
    Fixture *f = *state;
    SerialState *s = &f->s;

    serial_write(s, IER, 0x05); /* RLS and RDA */
    rx(s, 0x11);
    assert_int_equal(serial_read(s, IIR), 0x04);
    assert_int_equal(f->irq.level, 1);
    rx(s, 0x22); /* RBR still full: overrun */
    assert_int_equal(serial_read(s, IIR), 0x06);
    assert_int_equal(serial_read(s, LSR), 0x60 | LSR_OE | LSR_DR);
    /* OE cleared by that read; the data interrupt remains. */
    assert_int_equal(serial_read(s, LSR), 0x60 | LSR_DR);
    assert_int_equal(serial_read(s, IIR), 0x04);
    assert_int_equal(serial_read(s, RBR), 0x22); /* the newest survives */
    assert_int_equal(serial_read(s, IIR), 0x01);
    assert_int_equal(f->irq.level, 0);
}

static void test_overrun_fifo(void **state)
{
    Fixture *f = *state;
    SerialState *s = &f->s;
    int i;

    serial_write(s, FCR, 0x01);
    for (i = 0; i < 16; i++) {
        rx(s, (uint8_t)i);
    }
    assert_int_equal(serial_read(s, LSR) & LSR_OE, 0);
    rx(s, 0xee); /* 17th: lost, OE set */
    assert_int_equal(serial_read(s, LSR), 0x60 | LSR_OE | LSR_DR);
    assert_int_equal(serial_read(s, LSR), 0x60 | LSR_DR);
    for (i = 0; i < 16; i++) {
        assert_int_equal(serial_read(s, RBR), i);
    }
    assert_int_equal(serial_read(s, LSR), 0x60);
    assert_int_equal(serial_read(s, RBR), 0x00); /* empty FIFO reads 0 */
}

static void test_trigger_levels(void **state)
{
    static const struct {
        uint8_t fcr;
        int level;
    } cases[] = {
        {0x01, 1},
        {0x41, 4},
        {0x81, 8},
        {0xc1, 14},
    };
    Fixture *f = *state;
    SerialState *s = &f->s;
    size_t c;
    int i;

    serial_write(s, IER, 0x01);
    for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        serial_write(s, FCR, cases[c].fcr | 0x02); /* also clear RX */
        for (i = 0; i < cases[c].level - 1; i++) {
            rx(s, 0x30);
        }
        assert_int_equal(serial_read(s, IIR), 0xc1);
        assert_int_equal(f->irq.level, 0);
        rx(s, 0x31);
        assert_int_equal(serial_read(s, IIR), 0xc4);
        assert_int_equal(f->irq.level, 1);
        serial_read(s, RBR); /* below the level again */
        assert_int_equal(serial_read(s, IIR), 0xc1);
        assert_int_equal(f->irq.level, 0);
    }
}

static void test_iir_priorities(void **state)
{
    Fixture *f = *state;
    SerialState *s = &f->s;

    serial_write(s, IER, 0x0f);      /* all four; THRE pends now */
    serial_set_modem_lines(s, 0xa0); /* CTS drops: DCTS */
    rx(s, 1);
    rx(s, 2);                                    /* overrun */
    assert_int_equal(serial_read(s, IIR), 0x06); /* line status */
    serial_read(s, LSR);
    assert_int_equal(serial_read(s, IIR), 0x04); /* data */
    serial_read(s, RBR);
    assert_int_equal(serial_read(s, IIR), 0x02); /* THRE; read clears */
    assert_int_equal(serial_read(s, IIR), 0x00); /* modem status */
    assert_int_equal(f->irq.level, 1);
    assert_int_equal(serial_read(s, MSR), 0xa1);
    assert_int_equal(serial_read(s, IIR), 0x01);
    assert_int_equal(f->irq.level, 0);
}

static void test_thre_rules(void **state)
{
    Fixture *f = *state;
    SerialState *s = &f->s;

    serial_write(s, IER, 0x02); /* ETBEI with THR empty */
    assert_int_equal(serial_read(s, IIR), 0x02);
    assert_int_equal(serial_read(s, IIR), 0x01);
    serial_write(s, IER, 0x02); /* no 0 -> 1 change: stays off */
    assert_int_equal(serial_read(s, IIR), 0x01);
    serial_write(s, IER, 0x00);
    serial_write(s, IER, 0x02);
    assert_int_equal(serial_read(s, IIR), 0x02);
    serial_read(s, IIR);
    serial_write(s, THR, 0x41); /* sent at once, THRE again */
    assert_int_equal(serial_read(s, LSR), LSR_THRE | LSR_TEMT);
    assert_int_equal(serial_read(s, IIR), 0x02);
    serial_write(s, FCR, 0x07); /* XMIT clear pends THRE too */
    serial_read(s, IIR);
    serial_write(s, FCR, 0x05);
    assert_int_equal(serial_read(s, IIR), 0xc2);
}

static void test_rx_timeout(void **state)
{
    Fixture *f = *state;
    SerialState *s = &f->s;
    int64_t t4;

    serial_write(s, LCR, 0x03); /* 8N1: 10 bits a character */
    t4 = 4 * serial_char_time_ns(12, 0x03);
    assert_int_equal(t4, 4 * 1041666);
    serial_write(s, FCR, 0xc1); /* trigger 14 */
    serial_write(s, IER, 0x01);
    rx(s, 'a');
    rx(s, 'b');
    rx(s, 'c');
    assert_int_equal(serial_read(s, IIR), 0xc1);
    clock_step(&f->clock, t4 - 1);
    assert_int_equal(serial_read(s, IIR), 0xc1);
    clock_step(&f->clock, 1);
    assert_int_equal(serial_read(s, IIR), 0xcc);
    assert_int_equal(f->irq.level, 1);
    /* A read clears the indication and restarts the count. */
    assert_int_equal(serial_read(s, RBR), 'a');
    assert_int_equal(serial_read(s, IIR), 0xc1);
    clock_step(&f->clock, t4 - 1);
    assert_int_equal(serial_read(s, IIR), 0xc1);
    clock_step(&f->clock, 1);
    assert_int_equal(serial_read(s, IIR), 0xcc);
    /* IER.RDI masks it. */
    serial_write(s, IER, 0x00);
    assert_int_equal(serial_read(s, IIR), 0xc1);
    serial_write(s, IER, 0x01);
    serial_read(s, RBR);
    serial_read(s, RBR); /* empty: no more timeout */
    clock_step(&f->clock, 10 * t4);
    assert_int_equal(serial_read(s, IIR), 0xc1);
    assert_int_equal(f->irq.level, 0);
}

static void test_char_time(void **state)
{
    /* 1.8432 MHz / 16 / divisor; start + data + parity + stop bits. */
    assert_int_equal(serial_char_time_ns(1, 0x03), 86805);    /* 115200 */
    assert_int_equal(serial_char_time_ns(12, 0x00), 729166);  /* 5N1 */
    assert_int_equal(serial_char_time_ns(12, 0x0f), 1250000); /* 8P2 */
    assert_int_equal(serial_char_time_ns(0, 0x03), 2857142);  /* 3500 */
}

static void test_modem_deltas(void **state)
{
    Fixture *f = *state;
    SerialState *s = &f->s;

    serial_set_modem_lines(s, 0xf0); /* RI rises: no TERI */
    assert_int_equal(serial_read(s, MSR), 0xf0);
    serial_set_modem_lines(s, 0x00); /* all fall */
    assert_int_equal(serial_read(s, MSR), 0x0f);
    assert_int_equal(serial_read(s, MSR), 0x00);
    serial_set_modem_lines(s, 0x30);
    assert_int_equal(serial_read(s, MSR), 0x33);
    /* Loopback shows the MCR outputs and no deltas, as QEMU. */
    serial_write(s, MCR, 0x1f);
    assert_int_equal(serial_read(s, MSR), 0xf0);
    serial_write(s, MCR, 0x11);
    assert_int_equal(serial_read(s, MSR), 0x20);
    serial_write(s, MCR, 0x12);
    assert_int_equal(serial_read(s, MSR), 0x10);
    serial_write(s, MCR, 0x14);
    assert_int_equal(serial_read(s, MSR), 0x40);
    serial_write(s, MCR, 0x18);
    assert_int_equal(serial_read(s, MSR), 0x80);
}

static void test_break(void **state)
{
    Fixture *f = *state;
    SerialState *s = &f->s;

    serial_write(s, IER, 0x04);
    serial_receive_break(s);
    assert_int_equal(serial_read(s, IIR), 0x06);
    assert_int_equal(serial_read(s, LSR), 0x60 | LSR_BI | LSR_DR);
    assert_int_equal(serial_read(s, RBR), 0x00);
    serial_write(s, FCR, 0x01);
    serial_receive_break(s);
    assert_int_equal(serial_read(s, LSR), 0x60 | LSR_RXERR | LSR_BI | LSR_DR);
    assert_int_equal(serial_read(s, LSR), 0x60 | LSR_DR);
}

static void test_loopback_and_chardev(void **state)
{
    Fixture *f = *state;
    SerialState *s = &f->s;
    Chardev chr = {.fd = -1};
    uint8_t out[8];
    int fds[2];

    assert_int_equal(pipe(fds), 0);
    assert_int_equal(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
    chr.fd = fds[1];
    s->chr = &chr;
    serial_write(s, MCR, 0x10);
    serial_write(s, THR, 'L'); /* looped: not on the wire */
    assert_int_equal(serial_read(s, LSR), 0x61);
    assert_int_equal(serial_read(s, RBR), 'L');
    assert_int_equal(read(fds[0], out, sizeof(out)), -1);
    serial_write(s, MCR, 0x00);
    serial_write(s, FCR, 0x01);
    serial_write(s, THR, 'h');
    serial_write(s, THR, 'i');
    assert_int_equal(read(fds[0], out, sizeof(out)), 2);
    assert_memory_equal(out, "hi", 2);
    assert_int_equal(serial_read(s, LSR), 0x60);
    s->chr = NULL;
    close(fds[0]);
    close(fds[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reset_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overrun_no_fifo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overrun_fifo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trigger_levels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iir_priorities, setup, teardown),
        cmocka_unit_test_setup_teardown(test_thre_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_timeout, setup, teardown),
        cmocka_unit_test(test_char_time),
        cmocka_unit_test_setup_teardown(test_modem_deltas, setup, teardown),
        cmocka_unit_test_setup_teardown(test_break, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loopback_and_chardev, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
