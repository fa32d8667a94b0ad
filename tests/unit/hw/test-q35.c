/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the q35 chipset on the whole q35 machine: the MCH's
 * PCIEXBAR placing, moving and removing the ECAM window, PAM, SMRAM's
 * D_OPEN and D_LCK; the ICH9 LPC's PIRQ routing to the PICs (a function's
 * INTx by slot, through the RCRB's D31IR), the SCI from the PM timer's
 * status, reset control; the SMBus host's commands to the SPD EEPROMs
 * (byte, word, block, an absent address, the interrupt with INTREN); the
 * hostile cases (a reserved PCIEXBAR length, a reserved SCI_IRQ_SEL,
 * START without HST_EN, unknown SMBus commands).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/log.h"
#include "emu/machine.h"
#include "emu/msi.h"
#include "emu/pci.h"
#include "hw/devices.h"
#include "hw-test.h"

#define ECAM_BASE   0xb0000000u
#define ECAM(devfn, reg) (ECAM_BASE | ((devfn) << 12) | (reg))
#define MCH         PCI_DEVFN(0, 0)
#define LPC         PCI_DEVFN(0x1f, 0)
#define SMB         PCI_DEVFN(0x1f, 3)
#define PMBASE      0x600
#define SMBBASE     0xb100

/* q35 with -nodefaults (test_board_setup_q35). */
typedef struct Fixture {
    TestBoard b;
} Fixture;

static uint32_t cf8_read(Fixture *f, unsigned devfn, unsigned reg, unsigned len)
{
    as_write_val(&f->b.m->as_io, 0xcf8, 0x80000000u | devfn << 8 | (reg & ~3u), 4, NULL);
    return as_read_val(&f->b.m->as_io, 0xcfc + (reg & 3), len, NULL);
}

static void cf8_write(Fixture *f, unsigned devfn, unsigned reg, uint32_t val,
                      unsigned len)
{
    as_write_val(&f->b.m->as_io, 0xcf8, 0x80000000u | devfn << 8 | (reg & ~3u), 4, NULL);
    as_write_val(&f->b.m->as_io, 0xcfc + (reg & 3), val, len, NULL);
    machine_settle(f->b.m);
}

static uint64_t mem_read(Fixture *f, uint64_t addr, unsigned len)
{
    return as_read_val(&f->b.m->as_mem, addr, len, NULL);
}

static void mem_write(Fixture *f, uint64_t addr, uint64_t val, unsigned len)
{
    test_board_write(&f->b, addr, val, len);
}

static uint64_t io_read(Fixture *f, uint16_t port, unsigned len)
{
    return test_board_in(&f->b, port, len);
}

static void io_write(Fixture *f, uint16_t port, uint64_t val, unsigned len)
{
    test_board_out(&f->b, port, (uint32_t)val, len);
}

/* The slave PIC's IRR (ISA IRQs 8-15 in bits 0-7), by OCW3. */
static uint8_t slave_irr(Fixture *f)
{
    io_write(f, 0xa0, 0x0a, 1);
    return io_read(f, 0xa0, 1);
}

static uint8_t master_irr(Fixture *f)
{
    io_write(f, 0x20, 0x0a, 1);
    return io_read(f, 0x20, 1);
}

static void ecam_on(Fixture *f)
{
    cf8_write(f, MCH, 0x60, ECAM_BASE | 1, 4);
}

/* ---------------------------------------------------------------------- */

static void test_ecam_window(void **state)
{
    Fixture *f = *state;

    assert_int_equal(cf8_read(f, MCH, 0x60, 4), ECAM_BASE);
    assert_int_equal(mem_read(f, ECAM(MCH, 0), 4), 0);
    ecam_on(f);
    assert_int_equal(mem_read(f, ECAM(MCH, 0), 4), 0x29c08086);
    assert_int_equal(mem_read(f, ECAM(LPC, 0), 4), 0x29188086);
    assert_int_equal(mem_read(f, ECAM(SMB, 0), 4), 0x29308086);
    assert_int_equal(mem_read(f, ECAM(LPC, 0x100), 4), 0xffffffff);
    /* 64 MiB at 0xe0000000; bits 27:26 are address then */
    mem_write(f, ECAM(MCH, 0x60), 0xe4000005, 4);
    assert_int_equal(mem_read(f, ECAM(MCH, 0), 4), 0);
    assert_int_equal(mem_read(f, 0xe4000000 | LPC << 12, 4), 0x29188086);
    /* the reserved length 11b decodes nothing, and says so */
    unsigned long errors = log_guest_error_count();
    mem_write(f, 0xe4000060, 0xb0000007, 4);
    assert_true(log_guest_error_count() > errors);
    assert_int_equal(mem_read(f, 0xe4000000, 4), 0);
    assert_int_equal(mem_read(f, ECAM(MCH, 0), 4), 0);
    assert_int_equal(cf8_read(f, MCH, 0x60, 4), 0xb0000007);
    ecam_on(f);
    assert_int_equal(mem_read(f, ECAM(MCH, 0), 4), 0x29c08086);
}

static void test_pam_smram(void **state)
{
    Fixture *f = *state;

    cf8_write(f, MCH, 0x90, 0x30, 1);
    mem_write(f, 0xf0000, 0x1234, 4);
    assert_int_equal(mem_read(f, 0xf0000, 4), 0x1234);
    /* SMRAM: with D_OPEN and H_SMRAME the A segment's RAM shows at
     * 0xfeda0000 (closed: nothing there) */
    mem_write(f, 0xa0000, 0x5678, 4);
    assert_int_equal(mem_read(f, 0xfeda0000, 4), 0);
    cf8_write(f, MCH, 0x9e, 0xb8, 1);
    cf8_write(f, MCH, 0x9d, 0x4a, 1);
    assert_int_equal(mem_read(f, 0xfeda0000, 4), 0x5678);
    cf8_write(f, MCH, 0x9e, 0x38, 1);
    assert_int_equal(mem_read(f, 0xfeda0000, 4), 0);
    /* D_LCK clears D_OPEN and freezes all but D_CLS, and ESMRAMC */
    cf8_write(f, MCH, 0x9d, 0x5a, 1);
    assert_int_equal(cf8_read(f, MCH, 0x9d, 1), 0x1a);
    cf8_write(f, MCH, 0x9d, 0x4a, 1);
    assert_int_equal(cf8_read(f, MCH, 0x9d, 1), 0x1a);
    cf8_write(f, MCH, 0x9e, 0xff, 1);
    assert_int_equal(cf8_read(f, MCH, 0x9e, 1), 0x38);
    /* a machine reset unlocks */
    machine_reset(f->b.m);
    assert_int_equal(cf8_read(f, MCH, 0x9d, 1), 0x02);
    cf8_write(f, MCH, 0x9d, 0x4a, 1);
    assert_int_equal(cf8_read(f, MCH, 0x9d, 1), 0x4a);
}

static void test_tseg(void **state)
{
    Fixture *f = *state;

    mem_write(f, 0x7f00000, 0xabcd, 4);
    cf8_write(f, MCH, 0x9e, 0x39, 1);       /* T_EN, 1 MiB */
    assert_int_equal(mem_read(f, 0x7f00000, 4), 0xffffffff);
    assert_int_equal(mem_read(f, 0x7eff000, 4), 0);
    cf8_write(f, MCH, 0x9e, 0x3f, 1);       /* QEMU's extended size: 16 MiB */
    assert_int_equal(mem_read(f, 0x7000000, 4), 0xffffffff);
    cf8_write(f, MCH, 0x9e, 0x38, 1);
    assert_int_equal(mem_read(f, 0x7f00000, 4), 0xabcd);
}

/* INTA of the SMBus function (slot 31) goes to PIRQA by D31IR; PIRQA to
 * IRQ 10; a new D31IR moves it to PIRQC, routed to IRQ 5. */
static void test_pirq_routing(void **state)
{
    Fixture *f = *state;
    PCIDevice *smb = f->b.m->pci_bus->devices[SMB];

    cf8_write(f, LPC, 0x60, 0x8080800a, 4);
    pci_set_irq(smb, 1);
    assert_int_equal(slave_irr(f) & 0x04, 0x04);
    pci_set_irq(smb, 0);
    assert_int_equal(slave_irr(f) & 0x04, 0x04);  /* edge latched */
    /* RCBA on; D31IR INTA -> PIRQC; PIRQC -> IRQ 5 */
    cf8_write(f, LPC, 0xf0, 0xfed1c001, 4);
    assert_int_equal(mem_read(f, 0xfed1f140, 2), 0x3210);
    mem_write(f, 0xfed1f140, 0x3212, 2);
    cf8_write(f, LPC, 0x62, 0x05, 1);
    pci_set_irq(smb, 1);
    assert_int_equal(master_irr(f) & 0x20, 0x20);
    /* routing it elsewhere while high: IRQ 5 drops, IRQ 11 rises */
    io_write(f, 0x4d1, 0x08, 1);              /* IRQ 11 level-triggered */
    cf8_write(f, LPC, 0x62, 0x0b, 1);
    assert_int_equal(slave_irr(f) & 0x08, 0x08);
    cf8_write(f, LPC, 0x62, 0x80, 1);         /* IRQEN: not routed */
    assert_int_equal(slave_irr(f) & 0x08, 0);
    pci_set_irq(smb, 0);
}

/* The PM timer's TMR_STS is due at tick 0; with TMR_EN the SCI is high on
 * IRQ 9 (level in the ELCR here), and SCI_IRQ_SEL moves it to IRQ 11. */
static void test_sci(void **state)
{
    Fixture *f = *state;

    cf8_write(f, LPC, 0x40, PMBASE | 1, 4);
    cf8_write(f, LPC, 0x44, 0x80, 1);
    io_write(f, 0x4d1, 0x0a, 1);              /* IRQ 9 and 11 level */
    assert_int_equal(io_read(f, PMBASE, 2), 0x0001);
    io_write(f, PMBASE + 2, 0x0001, 2);
    assert_int_equal(slave_irr(f) & 0x02, 0x02);
    cf8_write(f, LPC, 0x44, 0x82, 1);         /* SCI on IRQ 11 */
    assert_int_equal(slave_irr(f) & 0x0a, 0x08);
    unsigned long errors = log_guest_error_count();
    cf8_write(f, LPC, 0x44, 0x84, 1);         /* IRQ 20: an IOAPIC input */
    assert_int_equal(slave_irr(f) & 0x0a, 0);
    cf8_write(f, LPC, 0x44, 0x83, 1);         /* reserved: IRQ 9 */
    assert_int_equal(slave_irr(f) & 0x0a, 0x02);
    (void)errors;
    /* TMR_STS cleared: the SCI drops; the next overflow raises it again */
    io_write(f, PMBASE, 0x0001, 2);
    assert_int_equal(slave_irr(f) & 0x02, 0);
    clock_step(&f->b.m->clock, 3 * NANOSECONDS_PER_SECOND);
    machine_settle(f->b.m);
    assert_int_equal(io_read(f, PMBASE, 2), 0x0001);
    assert_int_equal(slave_irr(f) & 0x02, 0x02);
    /* ACPI_EN off: the block is gone */
    cf8_write(f, LPC, 0x44, 0x00, 1);
    assert_int_equal(io_read(f, PMBASE, 2), 0xffff);
}

/* I/O APIC redirection entry of pin: vector, level-triggered, unmasked. */
static void ioapic_route(Fixture *f, unsigned pin, uint8_t vector)
{
    mem_write(f, 0xfec00000, 0x10 + 2 * pin, 4);
    mem_write(f, 0xfec00010, 0x8000u | vector, 4);
    mem_write(f, 0xfec00000, 0x11 + 2 * pin, 4);
    mem_write(f, 0xfec00010, 0, 4);
}

static uint32_t last_msi_data(Fixture *f)
{
    uint64_t addr = 0;
    uint32_t data = 0;

    return msi_log_get(f->b.m->msi_log, 0, &addr, &data) ? data : 0;
}

/* PIRQ[A-H] are I/O APIC pins 16-23 whatever their PIC routes; the SCI
 * with SCI_IRQ_SEL 4-7 is pins 20-23 (ICH9 13.1.11). */
static void test_ioapic_routes(void **state)
{
    Fixture *f = *state;
    PCIDevice *smb = f->b.m->pci_bus->devices[SMB];

    ioapic_route(f, 16, 0x41);
    pci_set_irq(smb, 1);                      /* INTA, D31IR: PIRQA */
    machine_settle(f->b.m);
    assert_int_equal(last_msi_data(f) & 0xff, 0x41);
    pci_set_irq(smb, 0);
    ioapic_route(f, 21, 0x45);
    cf8_write(f, LPC, 0x40, PMBASE | 1, 4);
    cf8_write(f, LPC, 0x44, 0x85, 1);         /* ACPI_EN, SCI on pin 21 */
    io_write(f, PMBASE + 2, 0x0001, 2);       /* TMR_EN: TMR_STS is set */
    assert_int_equal(last_msi_data(f) & 0xff, 0x45);
}

static void test_reset_control(void **state)
{
    Fixture *f = *state;
    uint64_t resets = f->b.m->resets;

    io_write(f, 0xcf9, 0x0a, 1);
    assert_int_equal(io_read(f, 0xcf9, 1), 0x0a);
    cf8_write(f, LPC, 0x60, 0x0b, 1);
    io_write(f, 0xcf9, 0x06, 1);
    assert_int_equal(f->b.m->resets, resets + 1);
    assert_int_equal(io_read(f, 0xcf9, 1), 0);
    assert_int_equal(cf8_read(f, LPC, 0x60, 1), 0x80);
}

static void smb_on(Fixture *f)
{
    cf8_write(f, SMB, 0x20, SMBBASE | 1, 4);
    cf8_write(f, SMB, 0x04, 1, 2);
    cf8_write(f, SMB, 0x40, 1, 1);
}

/* One polled command: START, then the status reads (busy, then done). */
static uint8_t smb_cmd(Fixture *f, uint8_t slva, uint8_t cmd, uint8_t cnt)
{
    io_write(f, SMBBASE + 4, slva, 1);
    io_write(f, SMBBASE + 3, cmd, 1);
    io_write(f, SMBBASE + 2, cnt, 1);
    assert_int_equal(io_read(f, SMBBASE, 1), 0x01);
    uint8_t sts = io_read(f, SMBBASE, 1);
    io_write(f, SMBBASE, 0xff, 1);
    return sts;
}

static void test_smbus(void **state)
{
    Fixture *f = *state;

    smb_on(f);
    /* word data write then read back at EEPROM 0x52 */
    io_write(f, SMBBASE + 5, 0x34, 1);
    io_write(f, SMBBASE + 6, 0x12, 1);
    assert_int_equal(smb_cmd(f, 0x52 << 1, 0x10, 0x4c), 0x02);
    assert_int_equal(smb_cmd(f, 0x52 << 1 | 1, 0x10, 0x4c), 0x02);
    assert_int_equal(io_read(f, SMBBASE + 5, 1), 0x34);
    assert_int_equal(io_read(f, SMBBASE + 6, 1), 0x12);
    /* receive byte goes on from there */
    assert_int_equal(smb_cmd(f, 0x52 << 1 | 1, 0, 0x44), 0x02);
    assert_int_equal(io_read(f, SMBBASE + 5, 1), 0);
    /* block write of 3 bytes at 0x80, block read back */
    io_read(f, SMBBASE + 2, 1);               /* resets the block index */
    io_write(f, SMBBASE + 5, 3, 1);
    io_write(f, SMBBASE + 7, 0xa1, 1);
    io_write(f, SMBBASE + 7, 0xa2, 1);
    io_write(f, SMBBASE + 7, 0xa3, 1);
    assert_int_equal(smb_cmd(f, 0x57 << 1, 0x80, 0x54), 0x02);
    /* the EEPROM got the count byte first (SMBus 2.0 5.5.7), so it reads
     * back as the block's count */
    assert_int_equal(smb_cmd(f, 0x57 << 1 | 1, 0x80, 0x54), 0x02);
    assert_int_equal(io_read(f, SMBBASE + 5, 1), 3);
    io_read(f, SMBBASE + 2, 1);
    assert_int_equal(io_read(f, SMBBASE + 7, 1), 0xa1);
    assert_int_equal(io_read(f, SMBBASE + 7, 1), 0xa2);
    assert_int_equal(io_read(f, SMBBASE + 7, 1), 0xa3);
    /* a count past 32 is cut at 32; the block index wraps at 32 bytes */
    io_write(f, SMBBASE + 5, 2, 1);
    io_read(f, SMBBASE + 2, 1);
    io_write(f, SMBBASE + 7, 0xff, 1);
    io_write(f, SMBBASE + 7, 0xee, 1);
    assert_int_equal(smb_cmd(f, 0x56 << 1, 0x10, 0x54), 0x02);
    assert_int_equal(smb_cmd(f, 0x56 << 1 | 1, 0x11, 0x54), 0x02);
    assert_int_equal(io_read(f, SMBBASE + 5, 1), 32);
    for (int i = 0; i < 40; i++) {
        io_read(f, SMBBASE + 7, 1);
    }
    /* an absent address, a process call (not supported: DEV_ERR, as an
     * illegal command), a block write count past 32 */
    assert_int_equal(smb_cmd(f, 0x30 << 1 | 1, 0, 0x48), 0x04);
    assert_int_equal(smb_cmd(f, 0x50 << 1 | 1, 0, 0x50), 0x04);
    io_write(f, SMBBASE + 5, 33, 1);
    assert_int_equal(smb_cmd(f, 0x56 << 1, 0x10, 0x54), 0x04);
    /* a reset brings the EEPROM's zeros back */
    machine_reset(f->b.m);
    smb_on(f);
    assert_int_equal(smb_cmd(f, 0x52 << 1 | 1, 0x10, 0x48), 0x02);
    assert_int_equal(io_read(f, SMBBASE + 5, 1), 0);
}

static void test_smbus_irq(void **state)
{
    Fixture *f = *state;
    PCIDevice *smb = f->b.m->pci_bus->devices[SMB];

    smb_on(f);
    /* START with INTREN runs at once and raises INTA */
    io_write(f, SMBBASE + 4, 0x50 << 1 | 1, 1);
    io_write(f, SMBBASE + 2, 0x49, 1);
    assert_int_equal(io_read(f, SMBBASE, 1), 0x02);
    assert_int_equal(smb->irq_state, 1);
    io_write(f, SMBBASE, 0x02, 1);
    assert_int_equal(smb->irq_state, 0);
    /* START without HST_EN does nothing but say so */
    unsigned long errors = log_guest_error_count();
    cf8_write(f, SMB, 0x40, 0, 1);
    cf8_write(f, SMB, 0x40, 0x8, 1);          /* SSRESET alone, self-clearing */
    assert_int_equal(cf8_read(f, SMB, 0x40, 1), 0);
    assert_int_equal(io_read(f, SMBBASE, 1), 0xff);  /* no decoding */
    cf8_write(f, SMB, 0x40, 0x1, 1);
    cf8_write(f, SMB, 0x40, 0x0, 1);
    assert_true(log_guest_error_count() == errors);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ecam_window, test_board_setup_q35, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_pam_smram, test_board_setup_q35, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_tseg, test_board_setup_q35, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_pirq_routing, test_board_setup_q35, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_sci, test_board_setup_q35, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_ioapic_routes, test_board_setup_q35, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_reset_control, test_board_setup_q35, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_smbus, test_board_setup_q35, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_smbus_irq, test_board_setup_q35, test_board_teardown),
    };

    hw_register_types();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
