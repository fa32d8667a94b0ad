/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of PIIX4 function 3 (hw/acpi/piix4.c, acpi-pm.c) and its SMBus
 * (hw/i2c/pm_smbus.c, smbus-eeprom.c) on the pc machine: the configuration
 * space at reset and its write masks, the PM and SMBus I/O spaces moving
 * with PMBA/SMBBA and their enables, the PM timer on the virtual clock,
 * TMR_STS at each toggle of bit 23, the SCI on IRQ 9 (only with SCI_EN, set
 * through the APM port), GPE enables, soft-off and S3 with its wake by the
 * timer, and every SMBus protocol on the SPD EEPROMs: byte, byte data, word
 * data, block both ways, quick, a missing device, reserved protocols, KILL,
 * START refused while status is pending, the block array's index pointer,
 * the SMBus interrupt, and reset restoring the EEPROM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/clock.h"
#include "emu/pci.h"
#include "hw/devices.h"

#include "hw-test.h"

#define CFG(reg) (0x80000b00u | (reg))  /* 00:01.3 */
#define PMBASE 0x600
#define SMBASE 0x700
#define TICKS_PER_S 3579545ull

/* SMBus registers */
#define HSTSTS (SMBASE + 0)
#define HSTCNT (SMBASE + 2)
#define HSTCMD (SMBASE + 3)
#define HSTADD (SMBASE + 4)
#define HSTDAT0 (SMBASE + 5)
#define HSTDAT1 (SMBASE + 6)
#define BLKDAT (SMBASE + 7)
#define PROT_QUICK 0x00
#define PROT_BYTE 0x04
#define PROT_BYTE_DATA 0x08
#define PROT_WORD_DATA 0x0c
#define PROT_BLOCK 0x14
#define START 0x40
#define EEPROM 0x50

/* The pc with -nodefaults (test_board_setup_pc). */
typedef struct Fixture {
    TestBoard b;
} Fixture;

static uint32_t in(Fixture *f, uint16_t port, unsigned size)
{
    return test_board_in(&f->b, port, size);
}

static void out(Fixture *f, uint16_t port, uint32_t val, unsigned size)
{
    test_board_out(&f->b, port, val, size);
}

static uint32_t cfg_read(Fixture *f, uint8_t reg, unsigned size)
{
    out(f, 0xcf8, CFG(reg & 0xfc), 4);
    return in(f, 0xcfc + (reg & 3), size);
}

static void cfg_write(Fixture *f, uint8_t reg, uint32_t val, unsigned size)
{
    out(f, 0xcf8, CFG(reg & 0xfc), 4);
    out(f, 0xcfc + (reg & 3), val, size);
}

static void step(Fixture *f, int64_t ns)
{
    clock_step(&f->b.m->clock, ns);
    machine_settle(f->b.m);
}

/* SeaBIOS's piix4_pm_setup: PM block at 0x600, SMBus at 0x700. */
static void firmware_setup(Fixture *f)
{
    cfg_write(f, 0x40, PMBASE | 1, 4);
    cfg_write(f, 0x80, 0x01, 1);
    cfg_write(f, 0x90, SMBASE | 1, 4);
    cfg_write(f, 0xd2, 0x09, 1);
}

/* IRQ 9 as a level: ELCR2 bit 1 makes the slave PIC's IRR follow it. */
static bool irq9(Fixture *f)
{
    out(f, 0x4d1, 0x02, 1);
    out(f, 0xa0, 0x0a, 1);
    return in(f, 0xa0, 1) & 0x02;
}

/* ---- configuration space ---- */

static void test_config_reset(void **state)
{
    Fixture *f = *state;

    assert_int_equal(cfg_read(f, 0x00, 4), 0x71138086);
    assert_int_equal(cfg_read(f, 0x04, 4), 0x02800000);
    assert_int_equal(cfg_read(f, 0x08, 4), 0x06800003);
    assert_int_equal(cfg_read(f, 0x0c, 4), 0x00000000);
    assert_int_equal(cfg_read(f, 0x2c, 4), 0x11001af4);
    assert_int_equal(cfg_read(f, 0x3c, 4), 0x00000100);
    assert_int_equal(cfg_read(f, 0x40, 4), 0x00000001);
    assert_int_equal(cfg_read(f, 0x5c, 4), 0x10000000);
    assert_int_equal(cfg_read(f, 0x60, 4), 0x60000000);
    assert_int_equal(cfg_read(f, 0x64, 4), 0x00000000);
    assert_int_equal(cfg_read(f, 0x80, 4), 0x00000000);
    assert_int_equal(cfg_read(f, 0x90, 4), 0x0000b101);
    assert_int_equal(cfg_read(f, 0xd0, 4), 0x00090000);
    /* The SMBus answers at 0xb100 from reset; the PM block does not. */
    assert_int_equal(in(f, 0xb100, 1), 0x00);
    assert_int_equal(in(f, 0x0000 + 8, 1), 0x00);     /* DMA status, not the timer */
}

static void test_config_masks(void **state)
{
    Fixture *f = *state;

    cfg_write(f, 0x40, 0xffffffff, 4);
    assert_int_equal(cfg_read(f, 0x40, 4), 0x0000ffc1);
    cfg_write(f, 0x90, 0xffffffff, 4);
    assert_int_equal(cfg_read(f, 0x90, 4), 0x0000fff1);
    cfg_write(f, 0x80, 0xff, 1);
    assert_int_equal(cfg_read(f, 0x80, 1), 0x01);
    cfg_write(f, 0xd2, 0xff, 1);
    assert_int_equal(cfg_read(f, 0xd2, 1), 0x0f);
    /* Other device bytes are plain storage, as QEMU has them. */
    cfg_write(f, 0x58, 0x12345678, 4);
    assert_int_equal(cfg_read(f, 0x58, 4), 0x12345678);
    machine_reset(f->b.m);
    assert_int_equal(cfg_read(f, 0x58, 4), 0);
    assert_int_equal(cfg_read(f, 0x40, 4), 1);
}

static void test_io_spaces_move(void **state)
{
    Fixture *f = *state;

    cfg_write(f, 0x40, PMBASE | 1, 4);
    assert_int_equal(in(f, PMBASE + 2, 2), 0xffff);   /* PMIOSE still clear */
    cfg_write(f, 0x80, 0x01, 1);
    assert_int_equal(in(f, PMBASE + 2, 2), 0x0000);
    assert_int_equal(in(f, PMBASE + 0x0c, 1), 0xff);  /* past the timer: nothing */
    cfg_write(f, 0x40, 0x1234 | 1, 4);                /* 64-byte aligned: 0x1200 */
    assert_int_equal(in(f, PMBASE + 2, 2), 0xffff);
    assert_int_equal(in(f, 0x1202, 2), 0x0000);
    cfg_write(f, 0x80, 0x00, 1);
    assert_int_equal(in(f, 0x1202, 2), 0xffff);
    /* SMBus: 16 bytes at SMBBA & 0xfff0, off with SMB_HST_EN clear. */
    cfg_write(f, 0x90, SMBASE | 1, 4);
    out(f, HSTCMD, 0x5a, 1);
    assert_int_equal(in(f, HSTCMD, 1), 0x5a);
    assert_int_equal(in(f, 0xb103, 1), 0xff);
    assert_int_equal(in(f, SMBASE + 0x10, 1), 0xff);
    cfg_write(f, 0xd2, 0x08, 1);
    assert_int_equal(in(f, HSTCMD, 1), 0xff);
}

/* ---- PM timer and PM1 registers ---- */

static void test_pm_timer(void **state)
{
    Fixture *f = *state;
    int64_t now;
    uint32_t t0, t1;

    firmware_setup(f);
    now = clock_get_ns(&f->b.m->clock);
    t0 = in(f, PMBASE + 8, 4);
    assert_int_equal(t0, (uint32_t)((uint64_t)now * TICKS_PER_S / 1000000000ull) & 0xffffff);
    step(f, 1000000000);
    t1 = in(f, PMBASE + 8, 4);
    assert_int_equal((t1 - t0) & 0xffffff, TICKS_PER_S & 0xffffff);
    /* Bytes of the counter; writes change nothing. */
    assert_int_equal(in(f, PMBASE + 9, 1), (t1 >> 8) & 0xff);
    assert_int_equal(in(f, PMBASE + 10, 2), t1 >> 16);
    out(f, PMBASE + 8, 0, 4);
    assert_int_equal(in(f, PMBASE + 8, 4), t1);
    assert_int_equal(in(f, PMBASE + 11, 1), 0);       /* 24 bits */
}

/* TMR_STS sets when bit 23 toggles (every 2^23 ticks, 2.34 s) and is
 * write-1-to-clear; the next one counts from the clear. */
static void test_tmr_sts(void **state)
{
    Fixture *f = *state;
    uint32_t t;

    firmware_setup(f);
    assert_int_equal(in(f, PMBASE, 2), 0x0000);
    t = in(f, PMBASE + 8, 4);
    step(f, (int64_t)((0x800000 - (t & 0x7fffff) - 2) * 1000000000ull / TICKS_PER_S));
    assert_int_equal(in(f, PMBASE, 2), 0x0000);
    step(f, 1000);
    assert_int_equal(in(f, PMBASE, 2), 0x0001);
    assert_in_range(in(f, PMBASE + 8, 4), 0x800000, 0x800004);  /* bit 23 just set */
    out(f, PMBASE, 0x0000, 2);                          /* writing 0 keeps it */
    assert_int_equal(in(f, PMBASE, 2), 0x0001);
    out(f, PMBASE, 0xffff, 2);
    assert_int_equal(in(f, PMBASE, 2), 0x0000);
    step(f, 2000000000);
    assert_int_equal(in(f, PMBASE, 2), 0x0000);
    step(f, 400000000);
    assert_int_equal(in(f, PMBASE, 1), 0x01);
}

static void test_pm1_enable_control(void **state)
{
    Fixture *f = *state;

    firmware_setup(f);
    out(f, PMBASE + 2, 0xffff, 2);
    assert_int_equal(in(f, PMBASE + 2, 2), 0x0521);     /* TMR, GBL, PWRBTN, RTC */
    out(f, PMBASE + 3, 0x00, 1);
    assert_int_equal(in(f, PMBASE + 2, 2), 0x0021);
    out(f, PMBASE + 4, 0x0c03, 2);                      /* SCI_EN, BM_RLD, SLP_TYP 3 */
    assert_int_equal(in(f, PMBASE + 4, 2), 0x0c03);
    assert_int_equal(in(f, PMBASE + 5, 1), 0x0c);
    out(f, PMBASE + 4, 0x0004, 2);                      /* GBL_RLS reads 0 */
    assert_int_equal(in(f, PMBASE + 4, 2), 0x0000);
    /* APM: 0xf1 sets SCI_EN, 0xf0 clears it, other values are stored. */
    out(f, 0xb2, 0xf1, 1);
    assert_int_equal(in(f, PMBASE + 4, 2), 0x0001);
    assert_int_equal(in(f, 0xb2, 1), 0xf1);
    out(f, 0xb2, 0xf0, 1);
    assert_int_equal(in(f, PMBASE + 4, 2), 0x0000);
    out(f, 0xb3, 0x5a, 1);
    assert_int_equal(in(f, 0xb2, 2), 0x5af0);
}

static void test_sci(void **state)
{
    Fixture *f = *state;
    uint32_t t;

    firmware_setup(f);
    out(f, PMBASE + 2, 0x0001, 2);                      /* TMR_EN */
    t = in(f, PMBASE + 8, 4);
    step(f, (int64_t)((0x800000 - (t & 0x7fffff) + 10) * 1000000000ull / TICKS_PER_S));
    assert_int_equal(in(f, PMBASE, 2), 0x0001);
    assert_false(irq9(f));                              /* SCI_EN clear: SMI, not SCI */
    out(f, 0xb2, 0xf1, 1);
    assert_true(irq9(f));
    out(f, PMBASE, 0x0001, 2);
    assert_false(irq9(f));
    /* The next overflow fires the timer and raises it again. */
    step(f, 2400000000);
    assert_true(irq9(f));
    out(f, PMBASE + 2, 0x0000, 2);
    assert_false(irq9(f));
    /* GPE0 at 0xafe0: status W1C (nothing sets it here), enable stored. */
    out(f, 0xafe2, 0xa5, 1);
    assert_int_equal(in(f, 0xafe0, 4), 0x00a50000);
    out(f, 0xafe0, 0xffff, 2);
    assert_int_equal(in(f, 0xafe0, 2), 0x0000);
    assert_false(irq9(f));
}

/* ---- sleep ---- */

static void test_soft_off(void **state)
{
    Fixture *f = *state;
    uint64_t resets = f->b.m->resets;

    firmware_setup(f);
    out(f, PMBASE + 4, 0x2000, 2);                      /* SLP_TYP 0 (S5), SLP_EN */
    assert_int_equal(f->b.m->resets, resets + 1);
    assert_int_equal(cfg_read(f, 0x80, 1), 0);          /* powered up again */
    firmware_setup(f);
    out(f, PMBASE + 4, 0x2800, 2);                      /* S4 */
    assert_int_equal(f->b.m->resets, resets + 2);
    firmware_setup(f);
    out(f, PMBASE + 4, 0x3400, 2);                      /* type 5: no state */
    assert_int_equal(f->b.m->resets, resets + 2);
    assert_int_equal(in(f, PMBASE + 4, 2), 0x1400);
}

static void test_s3_wake(void **state)
{
    Fixture *f = *state;
    uint64_t resets = f->b.m->resets;

    firmware_setup(f);
    out(f, PMBASE + 2, 0x0001, 2);
    out(f, PMBASE + 4, 0x2401, 2);                      /* S3, SCI_EN */
    assert_int_equal(f->b.m->resets, resets);
    step(f, 3000000000);                                /* an overflow wakes it */
    assert_int_equal(f->b.m->resets, resets + 1);
    firmware_setup(f);
    assert_int_equal(in(f, PMBASE, 2), 0x8001);         /* WAK_STS, TMR_STS */
    assert_int_equal(in(f, PMBASE + 2, 2), 0x0000);
    /* Without TMR_EN nothing wakes it. */
    out(f, PMBASE + 4, 0x2400, 2);
    step(f, 5000000000);
    assert_int_equal(f->b.m->resets, resets + 1);
}

/* ---- SMBus ---- */

/* One host transaction as Linux's i2c-piix4 runs it: clear the status,
 * set address, command, data and protocol, START; the status after. */
static uint8_t smb_xfer(Fixture *f, uint8_t addr_rw, uint8_t cmd, uint8_t prot)
{
    out(f, HSTSTS, 0x1e, 1);
    out(f, HSTADD, addr_rw, 1);
    out(f, HSTCMD, cmd, 1);
    out(f, HSTCNT, prot, 1);
    out(f, HSTCNT, in(f, HSTCNT, 1) | START, 1);
    return (uint8_t)in(f, HSTSTS, 1);
}

static void test_smbus_byte_word(void **state)
{
    Fixture *f = *state;

    firmware_setup(f);
    assert_int_equal(smb_xfer(f, EEPROM << 1 | 1, 0x00, PROT_BYTE_DATA), 0x02);
    assert_int_equal(in(f, HSTDAT0, 1), 0x00);          /* QEMU's SPD: zeros */
    out(f, HSTDAT0, 0xa5, 1);
    assert_int_equal(smb_xfer(f, EEPROM << 1, 0x10, PROT_BYTE_DATA), 0x02);
    out(f, HSTDAT0, 0x00, 1);
    assert_int_equal(smb_xfer(f, EEPROM << 1 | 1, 0x10, PROT_BYTE_DATA), 0x02);
    assert_int_equal(in(f, HSTDAT0, 1), 0xa5);
    /* Word data: low byte at the command's offset, high at the next. */
    out(f, HSTDAT0, 0x34, 1);
    out(f, HSTDAT1, 0x12, 1);
    assert_int_equal(smb_xfer(f, (EEPROM + 3) << 1, 0xff, PROT_WORD_DATA), 0x02);
    assert_int_equal(smb_xfer(f, (EEPROM + 3) << 1 | 1, 0xff, PROT_WORD_DATA), 0x02);
    assert_int_equal(in(f, HSTDAT0, 1), 0x34);
    assert_int_equal(in(f, HSTDAT1, 1), 0x12);
    /* Send byte sets the address; receive byte reads on from it. */
    assert_int_equal(smb_xfer(f, (EEPROM + 3) << 1, 0x00, PROT_BYTE), 0x02);
    assert_int_equal(smb_xfer(f, (EEPROM + 3) << 1 | 1, 0x00, PROT_BYTE), 0x02);
    assert_int_equal(in(f, HSTDAT0, 1), 0x12);          /* 0x00 after 0xff wrapped */
    /* Quick to a present and a missing device. */
    assert_int_equal(smb_xfer(f, EEPROM << 1, 0x00, PROT_QUICK), 0x02);
    assert_int_equal(smb_xfer(f, 0x10 << 1 | 1, 0x00, PROT_BYTE_DATA), 0x04);
    assert_int_equal(smb_xfer(f, 0x58 << 1 | 1, 0x00, PROT_QUICK), 0x04);
    /* Reset restores the EEPROM. */
    machine_reset(f->b.m);
    firmware_setup(f);
    assert_int_equal(smb_xfer(f, EEPROM << 1 | 1, 0x10, PROT_BYTE_DATA), 0x02);
    assert_int_equal(in(f, HSTDAT0, 1), 0x00);
}

static void test_smbus_block(void **state)
{
    Fixture *f = *state;

    firmware_setup(f);
    /* Block write of 4 bytes at 0x20: the EEPROM stores count then data. */
    out(f, HSTDAT0, 4, 1);
    in(f, HSTCNT, 1);                                   /* index pointer to 0 */
    for (unsigned i = 0; i < 4; i++) {
        out(f, BLKDAT, 0x11 * (i + 1), 1);
    }
    assert_int_equal(smb_xfer(f, EEPROM << 1, 0x20, PROT_BLOCK), 0x02);
    /* Block read from 0x20: the count byte (4) comes first. */
    out(f, HSTDAT0, 0, 1);
    assert_int_equal(smb_xfer(f, EEPROM << 1 | 1, 0x20, PROT_BLOCK), 0x02);
    assert_int_equal(in(f, HSTDAT0, 1), 4);
    in(f, HSTCNT, 1);
    for (unsigned i = 0; i < 4; i++) {
        assert_int_equal(in(f, BLKDAT, 1), 0x11 * (i + 1));
    }
    /* The index wraps at 32; a read of SMBHSTCNT sets it back to 0. */
    for (unsigned i = 4; i < 32; i++) {
        in(f, BLKDAT, 1);
    }
    assert_int_equal(in(f, BLKDAT, 1), 0x11);
    in(f, HSTCNT, 1);
    assert_int_equal(in(f, BLKDAT, 1), 0x11);
    /* A count byte of 0xff reads 32 bytes at most. */
    out(f, HSTDAT0, 0xff, 1);
    assert_int_equal(smb_xfer(f, EEPROM << 1, 0x40, PROT_BYTE_DATA), 0x02);
    assert_int_equal(smb_xfer(f, EEPROM << 1 | 1, 0x40, PROT_BLOCK), 0x02);
    assert_int_equal(in(f, HSTDAT0, 1), 32);
    /* A block write count past 32 is an illegal command. */
    out(f, HSTDAT0, 33, 1);
    assert_int_equal(smb_xfer(f, EEPROM << 1, 0x40, PROT_BLOCK), 0x04);
    assert_int_equal(smb_xfer(f, EEPROM << 1, 0x40, 0x10), 0x04);  /* reserved 100b */
}

static void test_smbus_control(void **state)
{
    Fixture *f = *state;

    firmware_setup(f);
    /* START with a status bit pending is ignored. */
    assert_int_equal(smb_xfer(f, 0x10 << 1, 0x00, PROT_QUICK), 0x04);
    out(f, HSTADD, EEPROM << 1, 1);
    out(f, HSTCNT, START | PROT_QUICK, 1);
    assert_int_equal(in(f, HSTSTS, 1), 0x04);
    /* KILL sets FAILED; START reads 0; the reserved bits are not kept. */
    out(f, HSTSTS, 0xff, 1);
    out(f, HSTCNT, 0xa2, 1);
    assert_int_equal(in(f, HSTSTS, 1), 0x10);
    assert_int_equal(in(f, HSTCNT, 1), 0x02);
    out(f, HSTSTS, 0x10, 1);
    assert_int_equal(in(f, HSTSTS, 1), 0x00);
    /* INTEREN: the completion raises IRQ 9 until INTER is cleared; with
     * SMBHSTCFG's interrupt select at SMI#, nothing. */
    out(f, HSTADD, EEPROM << 1, 1);
    out(f, HSTCNT, START | PROT_QUICK | 1, 1);
    assert_int_equal(in(f, HSTSTS, 1), 0x02);
    assert_true(irq9(f));
    cfg_write(f, 0xd2, 0x01, 1);
    assert_false(irq9(f));
    cfg_write(f, 0xd2, 0x09, 1);
    assert_true(irq9(f));
    out(f, HSTSTS, 0x02, 1);
    assert_false(irq9(f));
    /* Slave registers: storage, status W1C, data read-only. */
    out(f, SMBASE + 8, 0xff, 1);
    assert_int_equal(in(f, SMBASE + 8, 1), 0x0f);
    out(f, SMBASE + 0x0a, 0x34, 1);
    out(f, SMBASE + 0x0b, 0x12, 1);
    assert_int_equal(in(f, SMBASE + 0x0b, 1), 0x12);
    out(f, SMBASE + 0x0c, 0x55, 1);
    assert_int_equal(in(f, SMBASE + 0x0c, 1), 0x00);
    assert_int_equal(in(f, SMBASE + 1, 1), 0x00);
    /* Word accesses are not decoded (byte registers). */
    assert_int_equal(in(f, HSTSTS, 2), 0x0000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_config_reset, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_config_masks, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_io_spaces_move, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_pm_timer, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_tmr_sts, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_pm1_enable_control, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_sci, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_soft_off, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_s3_wake, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_smbus_byte_word, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_smbus_block, test_board_setup_pc, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_smbus_control, test_board_setup_pc, test_board_teardown),
    };

    hw_register_types();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
