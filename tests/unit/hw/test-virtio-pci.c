/* SPDX-License-Identifier: MIT */
/*
 * virtio-net-pci on the pc machine, driven as a guest would (config space
 * through 0xcf8/0xcfc, BARs, rings in RAM): MSI-X messages reach the MSI
 * sink, and config -> MSI-X -> DMA -> MMIO is refused by the core: a
 * message pending under the function mask and aimed at the device's own
 * device_status, sent by the config write that clears MASKALL, must not
 * reset the device (the config write has entered it: emu/pci.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/cli.h"
#include "emu/log.h"
#include "emu/msi.h"
#include "hw/devices.h"

#define ARGS "-M pc -nodefaults -device virtio-net-pci,netdev=n0 -netdev null,id=n0"

/* 02.0, and where its BARs go */
#define CF8(reg)      (0x80001000u | (reg))
#define LEGACY_BAR    0xc000u
#define MSIX_BAR      0xfebf0000u
#define MODERN_BAR    0xfe000000u
#define COMMON        MODERN_BAR
#define NOTIFY        (MODERN_BAR + 0x3000)
#define MSIX_CONTROL  0x9b          /* capability 0x98, Message Control high */
#define SINK          0xfee00000u

/* Common configuration */
#define C_GFSELECT    0x08
#define C_GF          0x0c
#define C_STATUS      0x14
#define C_Q_SELECT    0x16
#define C_Q_MSIX      0x1a
#define C_Q_ENABLE    0x1c
#define C_Q_DESC      0x20
#define C_Q_AVAIL     0x28
#define C_Q_USED      0x30

/* The transmit queue's rings and one buffer in RAM */
#define TXQ           1
#define DESC          0x10000u
#define AVAIL         0x11000u
#define USED          0x12000u
#define BUF           0x13000u
#define STATUS_OK     0x0f          /* ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK */

typedef struct Fixture {
    Machine *m;
    uint16_t avail_idx;
} Fixture;

static int setup(void **state)
{
    Fixture *f = g_new0(Fixture, 1);
    char *err = NULL;

    hw_register_types();
    f->m = cli_machine_from_string(ARGS, hw_boards, &err);
    if (!f->m) {
        fail_msg("machine: %s", err);
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    g_free(*state);             /* the machine lives to the process's end */
    return 0;
}

static void cfg_write(Fixture *f, uint8_t reg, uint32_t val, unsigned size)
{
    as_write_val(&f->m->as_io, 0xcf8, CF8(reg & ~3u), 4, NULL);
    as_write_val(&f->m->as_io, 0xcfc + (reg & 3), val, size, NULL);
}

static void mem_write(Fixture *f, uint64_t addr, uint64_t val, unsigned size)
{
    as_write_val(&f->m->as_mem, addr, val, size, NULL);
}

static uint64_t mem_read(Fixture *f, uint64_t addr, unsigned size)
{
    return as_read_val(&f->m->as_mem, addr, size, NULL);
}

/* BARs placed, I/O, memory and bus mastering on. */
static void pci_enable(Fixture *f)
{
    cfg_write(f, PCI_BASE_ADDRESS_0, LEGACY_BAR, 4);
    cfg_write(f, PCI_BASE_ADDRESS_0 + 4, MSIX_BAR, 4);
    cfg_write(f, PCI_BASE_ADDRESS_0 + 16, MODERN_BAR, 4);
    cfg_write(f, PCI_BASE_ADDRESS_0 + 20, 0, 4);
    cfg_write(f, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
              PCI_COMMAND_MASTER, 2);
}

/* A 1.0 driver's start-up with the transmit queue on MSI-X vector 0. */
static void driver_init(Fixture *f)
{
    mem_write(f, COMMON + C_STATUS, 0x03, 1);
    mem_write(f, COMMON + C_GFSELECT, 1, 4);
    mem_write(f, COMMON + C_GF, 1, 4);                 /* VERSION_1 */
    mem_write(f, COMMON + C_STATUS, 0x0b, 1);
    mem_write(f, COMMON + C_Q_SELECT, TXQ, 2);
    mem_write(f, COMMON + C_Q_DESC, DESC, 4);
    mem_write(f, COMMON + C_Q_AVAIL, AVAIL, 4);
    mem_write(f, COMMON + C_Q_USED, USED, 4);
    mem_write(f, COMMON + C_Q_MSIX, 0, 2);
    mem_write(f, COMMON + C_Q_ENABLE, 1, 2);
    mem_write(f, COMMON + C_STATUS, STATUS_OK, 1);
    assert_int_equal(mem_read(f, COMMON + C_Q_MSIX, 2), 0);
}

/* MSI-X table entry 0: address, data, unmasked. */
static void msix_entry0(Fixture *f, uint64_t addr, uint32_t data)
{
    mem_write(f, MSIX_BAR + 0, addr, 8);
    mem_write(f, MSIX_BAR + 8, data, 4);
    mem_write(f, MSIX_BAR + 12, 0, 4);
}

/* One 12-byte frame (just the header) on the transmit queue, and a kick:
 * the device sends it and interrupts on the queue's vector. */
static void transmit(Fixture *f)
{
    mem_write(f, DESC, BUF, 8);
    mem_write(f, DESC + 8, 12, 4);
    mem_write(f, DESC + 12, 0, 4);
    mem_write(f, AVAIL + 4 + 2 * (f->avail_idx % 256), 0, 2);
    mem_write(f, AVAIL + 2, ++f->avail_idx, 2);
    mem_write(f, NOTIFY + 4 * TXQ, TXQ, 2);
    assert_int_equal(mem_read(f, USED + 2, 2), f->avail_idx);
}

static void test_msix_to_sink(void **state)
{
    Fixture *f = *state;

    pci_enable(f);
    driver_init(f);
    msix_entry0(f, SINK, 0x4021);
    cfg_write(f, MSIX_CONTROL, 0x80, 1);
    transmit(f);
    assert_int_equal(f->m->msi_log->count, 1);
    assert_int_equal(f->m->msi_log->addr[0], SINK);
    assert_int_equal(f->m->msi_log->data[0], 0x4021);
    /* Bus mastering off: the message is lost (so is the frame). */
    cfg_write(f, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY, 2);
    mem_write(f, NOTIFY + 4 * TXQ, TXQ, 2);
    assert_int_equal(f->m->msi_log->count, 1);
}

/*
 * config -> MSI-X -> DMA -> MMIO. The pending message's address is the
 * device's own device_status and its data 0: delivered, it would reset the
 * device in the middle of the config write. Refused by the core, the
 * status stays as the driver set it. Fails with the object_enter of
 * pci_config_write (emu/pci.c) taken out.
 */
static void test_msix_reentry_refused(void **state)
{
    Fixture *f = *state;
    unsigned long errors = log_guest_error_count();

    pci_enable(f);
    driver_init(f);
    msix_entry0(f, COMMON + C_STATUS, 0);
    cfg_write(f, MSIX_CONTROL, 0xc0, 1);               /* enable, MASKALL */
    transmit(f);
    assert_int_equal(mem_read(f, MSIX_BAR + 0x800, 4), 1);  /* pending */
    assert_int_equal(mem_read(f, COMMON + C_STATUS, 1), STATUS_OK);
    cfg_write(f, MSIX_CONTROL, 0x80, 1);               /* MASKALL off: sent */
    assert_int_equal(mem_read(f, MSIX_BAR + 0x800, 4), 0);
    assert_int_equal(mem_read(f, COMMON + C_STATUS, 1), STATUS_OK);
    assert_true(log_guest_error_count() > errors);
    assert_int_equal(f->m->msi_log->count, 0);
    /* The device still works: the next message goes to the sink. */
    msix_entry0(f, SINK + 0x10, 0x4022);
    transmit(f);
    assert_int_equal(f->m->msi_log->count, 1);
    assert_int_equal(f->m->msi_log->addr[0], SINK + 0x10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_msix_to_sink, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msix_reentry_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
