/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for hw/intc/ioapic.c on the pc machine (-M pc -nodefaults):
 * the indirect registers, an RTC interrupt (ISA IRQ 8) redirected to a
 * recorded message, the PIT's IRQ 0 on pin 2, masking (edges on a masked
 * pin are lost, a level waits), remote IRR and its clearing by the EOI
 * register, ExtINT taking the vector from the 8259, PCI INTx through
 * PIIX3's PIRQ route, and hostile register accesses.
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

#include "hw-test.h"

#define IOREGSEL 0xfec00000ull
#define IOWIN 0xfec00010ull
#define EOI 0xfec00040ull

#define RTE_MASKED 0x10000u
#define RTE_LEVEL 0x8000u
#define RTE_REMOTE_IRR 0x4000u
#define RTE_EXTINT 0x700u

/* The pc with -nodefaults (test_board_setup_pc). */
typedef struct Fixture {
    TestBoard b;
} Fixture;

/* The same machine with an e1000 in slot 3 (INTA is PIRQC there). */
static int setup_e1000(void **state)
{
    Fixture *f = test_board_new(sizeof(*f));

    test_board_from_args(&f->b, "-M pc -nodefaults -device e1000,netdev=n0,addr=3 "
                                "-netdev loopback,id=n0");
    *state = f;
    return 0;
}

static uint32_t mem_read(Fixture *f, uint64_t addr, unsigned size)
{
    return (uint32_t)test_board_read(&f->b, addr, size);
}

static void mem_write(Fixture *f, uint64_t addr, uint32_t val, unsigned size)
{
    test_board_write(&f->b, addr, val, size);
}

static uint32_t reg_read(Fixture *f, uint8_t reg)
{
    mem_write(f, IOREGSEL, reg, 4);
    return mem_read(f, IOWIN, 4);
}

static void reg_write(Fixture *f, uint8_t reg, uint32_t val)
{
    mem_write(f, IOREGSEL, reg, 4);
    mem_write(f, IOWIN, val, 4);
}

static void rte_write(Fixture *f, unsigned pin, uint32_t lo, uint32_t hi)
{
    reg_write(f, 0x11 + 2 * pin, hi);
    reg_write(f, 0x10 + 2 * pin, lo);
}

static uint32_t rte_lo(Fixture *f, unsigned pin)
{
    return reg_read(f, 0x10 + 2 * pin);
}

static void outb(Fixture *f, uint16_t port, uint8_t val)
{
    as_write_val(&f->b.m->as_io, port, val, 1, NULL);
    machine_settle(f->b.m);
}

static uint8_t inb(Fixture *f, uint16_t port)
{
    uint8_t v = (uint8_t)as_read_val(&f->b.m->as_io, port, 1, NULL);

    machine_settle(f->b.m);
    return v;
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

static void last_msg(Fixture *f, uint64_t addr, uint32_t data)
{
    uint64_t a;
    uint32_t d;

    assert_true(msi_log_get(f->b.m->msi_log, 0, &a, &d));
    assert_int_equal(a, addr);
    assert_int_equal(d, data);
}

/* The RTC's periodic interrupt at 1024 Hz (register A 0x26, B: PIE). */
static void rtc_periodic_on(Fixture *f)
{
    outb(f, 0x70, 0x0a);
    outb(f, 0x71, 0x26);
    outb(f, 0x70, 0x0b);
    outb(f, 0x71, 0x42);
}

/* Reading register C acknowledges the RTC: its IRQ line falls. */
static void rtc_ack(Fixture *f)
{
    outb(f, 0x70, 0x0c);
    inb(f, 0x71);
}

static void test_registers(void **state)
{
    Fixture *f = *state;

    assert_int_equal(reg_read(f, 0x01), 0x00170020);    /* version 0x20, 24 entries */
    assert_int_equal(reg_read(f, 0x00), 0);
    reg_write(f, 0x00, 0xff000000);
    assert_int_equal(reg_read(f, 0x00), 0x0f000000);    /* four ID bits */
    assert_int_equal(reg_read(f, 0x02), 0x0f000000);    /* ARB reads the ID */
    reg_write(f, 0x01, 0);
    assert_int_equal(reg_read(f, 0x01), 0x00170020);
    for (unsigned pin = 0; pin < 24; pin++) {
        assert_int_equal(rte_lo(f, pin), RTE_MASKED);
        assert_int_equal(reg_read(f, 0x11 + 2 * pin), 0);
    }
    /* Read-only bits: delivery status (12) and remote IRR (14). */
    rte_write(f, 5, 0xffffffff, 0xff000000);
    assert_int_equal(rte_lo(f, 5), 0xffffffff & ~(0x1000u | RTE_REMOTE_IRR));
    assert_int_equal(reg_read(f, 0x1b), 0xff000000);
    assert_int_equal(mem_read(f, IOREGSEL, 4), 0x1b);
    /* Past the table: reads 0, writes go nowhere. */
    reg_write(f, 0x40, 0x1234);
    assert_int_equal(reg_read(f, 0x40), 0);
    assert_int_equal(reg_read(f, 0x03), 0);
}

/* IOWIN and EOI only take dwords; IOREGSEL keeps a byte of any write; the
 * decode repeats every 256 bytes. */
static void test_hostile_access(void **state)
{
    Fixture *f = *state;

    mem_write(f, IOREGSEL, 0x1234501, 4);
    assert_int_equal(mem_read(f, IOREGSEL, 4), 0x01);
    assert_int_equal(mem_read(f, IOWIN, 2), 0);
    assert_int_equal(mem_read(f, IOWIN, 1), 0);
    mem_write(f, IOREGSEL, 0x10, 1);
    mem_write(f, IOWIN, 0x31, 1);
    assert_int_equal(rte_lo(f, 0), RTE_MASKED);
    assert_int_equal(mem_read(f, IOREGSEL + 0x100, 4), 0x10);
    assert_int_equal(mem_read(f, IOWIN + 0x100, 4), RTE_MASKED);
    assert_int_equal(mem_read(f, IOREGSEL + 0x20, 4), 0);
    mem_write(f, IOREGSEL + 0x30, 0xffffffff, 4);
    mem_write(f, EOI, 0xffffffff, 2);
    assert_int_equal(mem_read(f, IOREGSEL, 4), 0x10);
    /* A quadword at IOREGSEL: IOREGSEL, then the reserved dword after it. */
    as_write_val(&f->b.m->as_mem, IOREGSEL, 0x1111111112ull, 8, NULL);
    assert_int_equal(mem_read(f, IOREGSEL, 4), 0x12);
    assert_int_equal(msgs(f), 0);
}

/* ISA IRQ 8 (the RTC) reaches pin 8: one message per rising edge, the
 * destination in address bits 19-12, vector and trigger in the data. */
static void test_rtc_edge(void **state)
{
    Fixture *f = *state;

    rte_write(f, 8, 0x38, 0x01000000);
    rtc_periodic_on(f);
    step(f, 1000000);
    assert_int_equal(msgs(f), 1);
    last_msg(f, 0xfee01000, 0x38);
    step(f, 2000000);
    assert_int_equal(msgs(f), 1);       /* the line stays high until C is read */
    rtc_ack(f);
    step(f, 1000000);
    assert_int_equal(msgs(f), 2);
    /* Logical destination mode (bit 11), lowest priority (delivery 001). */
    rte_write(f, 8, 0x0940, 0x03000000);
    rtc_ack(f);
    step(f, 1000000);
    assert_int_equal(msgs(f), 3);
    last_msg(f, 0xfee03004, 0x0140);
}

static void test_masking(void **state)
{
    Fixture *f = *state;

    rte_write(f, 8, 0x38 | RTE_MASKED, 0);
    rtc_periodic_on(f);
    step(f, 1000000);
    assert_int_equal(msgs(f), 0);
    /* An edge on a masked pin is lost: unmasking sends nothing. */
    rte_write(f, 8, 0x38, 0);
    assert_int_equal(msgs(f), 0);
    rtc_ack(f);
    step(f, 1000000);
    assert_int_equal(msgs(f), 1);
    /* A level pin waits: unmasking it while asserted sends. */
    rte_write(f, 8, 0x39 | RTE_LEVEL | RTE_MASKED, 0);
    rtc_ack(f);
    step(f, 1000000);
    assert_int_equal(msgs(f), 1);
    rte_write(f, 8, 0x39 | RTE_LEVEL, 0);
    assert_int_equal(msgs(f), 2);
    last_msg(f, 0xfee00000, 0x8039);
}

/* Level: remote IRR holds the pin until an EOI of its vector; an EOI while
 * still asserted sends again, once. */
static void test_level_eoi(void **state)
{
    Fixture *f = *state;

    rte_write(f, 8, 0x41 | RTE_LEVEL, 0);
    rtc_periodic_on(f);
    step(f, 1000000);
    assert_int_equal(msgs(f), 1);
    last_msg(f, 0xfee00000, 0x8041);
    assert_int_equal(rte_lo(f, 8), 0x41 | RTE_LEVEL | RTE_REMOTE_IRR);
    mem_write(f, EOI, 0x42, 4);                 /* another vector */
    assert_int_equal(rte_lo(f, 8), 0x41 | RTE_LEVEL | RTE_REMOTE_IRR);
    mem_write(f, EOI, 0x41, 4);                 /* still asserted: again */
    assert_int_equal(msgs(f), 2);
    assert_int_equal(rte_lo(f, 8), 0x41 | RTE_LEVEL | RTE_REMOTE_IRR);
    rtc_ack(f);
    mem_write(f, EOI, 0x141, 4);                /* bits 31-8 ignored */
    assert_int_equal(msgs(f), 2);
    assert_int_equal(rte_lo(f, 8), 0x41 | RTE_LEVEL);
    /* An edge entry has no remote IRR. */
    rte_write(f, 8, 0x41 | RTE_LEVEL, 0);
    step(f, 1000000);
    assert_int_equal(rte_lo(f, 8), 0x41 | RTE_LEVEL | RTE_REMOTE_IRR);
    rte_write(f, 8, 0x41, 0);
    assert_int_equal(rte_lo(f, 8), 0x41);
}

/* The PIT's counter 0 is ISA IRQ 0, which is pin 2 (not pin 0). */
static void test_pit_on_pin2(void **state)
{
    Fixture *f = *state;

    rte_write(f, 0, 0x20, 0);
    rte_write(f, 2, 0x30, 0);
    outb(f, 0x43, 0x34);                        /* counter 0, mode 2 */
    outb(f, 0x40, 0xa9);
    outb(f, 0x40, 0x04);                        /* 1193 ticks: 1 ms */
    step(f, 3000000);
    assert_true(msgs(f) >= 2);
    last_msg(f, 0xfee00000, 0x30);
}

/* ExtINT: the vector is the 8259's, fetched by an acknowledge cycle. */
static void test_extint(void **state)
{
    Fixture *f = *state;

    outb(f, 0x20, 0x11);                        /* ICW1 */
    outb(f, 0x21, 0x08);                        /* ICW2: vectors 0x08-0x0f */
    outb(f, 0x21, 0x04);
    outb(f, 0x21, 0x01);
    outb(f, 0x21, 0xfe);                        /* IRQ 0 unmasked */
    rte_write(f, 2, RTE_EXTINT, 0);
    outb(f, 0x43, 0x34);
    outb(f, 0x40, 0xa9);
    outb(f, 0x40, 0x04);
    step(f, 1500000);
    assert_true(msgs(f) >= 1);
    last_msg(f, 0xfee00000, 0x0708);
}

static void cfg_write(Fixture *f, unsigned devfn, uint8_t reg, uint32_t val, unsigned size)
{
    as_write_val(&f->b.m->as_io, 0xcf8, 0x80000000u | devfn << 8 | (reg & ~3u), 4, NULL);
    as_write_val(&f->b.m->as_io, 0xcfc + (reg & 3), val, size, NULL);
    machine_settle(f->b.m);
}

/* PCI INTx: the e1000's INTA (slot 3: PIRQC) routed by PIIX3's PIRQRC[C]
 * (config 0x62) to ISA IRQ 11, which is I/O APIC pin 11, level. */
static void test_pci_intx(void **state)
{
    Fixture *f = *state;
    const uint64_t bar = 0xe0000000ull;

    cfg_write(f, 3 << 3, 0x10, (uint32_t)bar, 4);      /* BAR0 */
    cfg_write(f, 3 << 3, 0x04, 0x0006, 2);              /* memory, bus master */
    cfg_write(f, 1 << 3, 0x62, 11, 1);                  /* PIRQC -> IRQ 11 */
    rte_write(f, 11, 0x4b | RTE_LEVEL | 0x2000, 0);      /* active low, as PCI */
    mem_write(f, bar + 0xd0, 0x4, 4);                   /* IMS: LSC */
    mem_write(f, bar + 0xc8, 0x4, 4);                   /* ICS: LSC */
    assert_int_equal(msgs(f), 1);
    last_msg(f, 0xfee00000, 0x804b);
    assert_int_equal(rte_lo(f, 11), 0x4b | RTE_LEVEL | 0x2000 | RTE_REMOTE_IRR);
    assert_int_not_equal(mem_read(f, bar + 0xc0, 4), 0); /* ICR read: INTA falls */
    mem_write(f, EOI, 0x4b, 4);
    assert_int_equal(msgs(f), 1);
    assert_int_equal(rte_lo(f, 11), 0x4b | RTE_LEVEL | 0x2000);
    /* Routed elsewhere (IRQ 10): pin 11 hears nothing more. */
    cfg_write(f, 1 << 3, 0x62, 10, 1);
    mem_write(f, bar + 0xc8, 0x4, 4);
    assert_int_equal(msgs(f), 1);
}

int main(void)
{
    hw_register_types();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_registers, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_hostile_access, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_rtc_edge, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_masking, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_level_eoi, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_pit_on_pin2, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_extint, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_pci_intx, setup_e1000, test_board_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
