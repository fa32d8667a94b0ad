/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for emu/msi.c: the MSI capability (layout and write masks,
 * enable, vector numbers in the data, Multiple Message Enable clamped,
 * per-vector masking and pending bits, reset), MSI-X (capability, table and
 * PBA in a BAR, entries masked at reset, per-vector and function masks,
 * pending bits sent on unmask, layout errors), messages lost while bus
 * mastering is off, INTx dropped when MSI is enabled, a message aimed at
 * the device's own BAR refused (config -> MSI-X -> DMA -> MMIO), and the
 * sink's log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/log.h"
#include "emu/memory.h"
#include "emu/msi.h"
#include "emu/object.h"
#include "emu/pci.h"
#include "pci-test.h"

#define SINK_BASE 0xfee00000ull
#define SINK_SIZE 0x100000ull
#define NVEC      4
#define MSIX_BAR  1
#define MSIX_ADDR 0xfebf0000u
#define REGS_BAR  0
#define REGS_ADDR 0xfebe0000u

typedef struct TestDev {
    PCIDevice pci;
    MemoryRegion regs;          /* BAR 0: one register, counts its writes */
    uint32_t reg;
    unsigned reg_writes;
    PCIMSIX msix;
    uint8_t msix_table[PCI_MSIX_TABLE_SIZE(NVEC)];
    uint8_t msix_pba[PCI_MSIX_PBA_SIZE(NVEC)];
    MemoryRegion bar2;          /* a container for test_msix_layout_errors */
} TestDev;

typedef struct Fixture {
    TestBus tb;
    MemoryRegion sink;
    MSILog log;
    int levels[PCI_BUS_MAX_IRQS];
    TestDev d;
} Fixture;

static const TypeInfo test_msi_type = {
    .name = "test-msi",
    .parent = "pci-device",
};

static uint64_t sink_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0;
}

static void sink_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    msi_log_record(opaque, SINK_BASE + addr, val);
}

static const MemoryRegionOps sink_ops = {
    .read = sink_read,
    .write = sink_write,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static uint64_t regs_read(void *opaque, uint64_t addr, unsigned size)
{
    TestDev *t = opaque;
    return t->reg;
}

static void regs_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    TestDev *t = opaque;
    t->reg = val;
    t->reg_writes++;
}

static const MemoryRegionOps regs_ops = {
    .read = regs_read,
    .write = regs_write,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static int test_map_irq(PCIDevice *d, int pin)
{
    return 0;
}

static void test_set_irq(void *opaque, int n, int level)
{
    Fixture *f = opaque;
    f->levels[n] = level;
}

static int setup(void **state)
{
    Fixture *f = g_new0(Fixture, 1);
    TestDev *t = &f->d;

    test_bus_init(&f->tb, 0x10000);
    mr_init_io(&f->sink, NULL, &sink_ops, &f->log, "apic-msi", SINK_SIZE);
    mr_add_subregion(&f->tb.mem, SINK_BASE, &f->sink);
    pci_bus_set_irqs(&f->tb.bus, test_map_irq, test_set_irq, f, NULL);
    object_initialize(&t->pci.obj, &test_msi_type);
    pci_device_init(&t->pci);
    mr_init_io(&t->regs, &t->pci.obj, &regs_ops, t, "regs", 0x1000);
    const PCIDeviceInfo info = { .vendor_id = 0x1234, .device_id = 0x11,
                                 .interrupt_pin = 1 };
    const PCIBARInfo bars[] = { { &t->regs, REGS_BAR, 0 }, { NULL } };
    assert_true(pci_realize_common(&t->pci, &f->tb.bus, &info, bars, NULL));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    test_bus_free(&f->tb);
    g_free(f);
    return 0;
}

static uint32_t cfg_read(Fixture *f, uint32_t reg, unsigned len)
{
    return pci_config_read(&f->d.pci, reg, len);
}

static void cfg_write(Fixture *f, uint32_t reg, uint32_t val, unsigned len)
{
    pci_config_write(&f->d.pci, reg, val, len);
}

/* Memory decoding and bus mastering on, BAR 0 and the MSI-X BAR placed. */
static void enable_device(Fixture *f)
{
    cfg_write(f, PCI_BASE_ADDRESS_0 + 4 * REGS_BAR, REGS_ADDR, 4);
    cfg_write(f, PCI_BASE_ADDRESS_0 + 4 * MSIX_BAR, MSIX_ADDR, 4);
    cfg_write(f, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
}

static void expect_msg(Fixture *f, uint64_t count, uint64_t addr, uint32_t data)
{
    uint64_t a;
    uint32_t d;

    assert_int_equal(f->log.count, count);
    assert_true(msi_log_get(&f->log, 0, &a, &d));
    assert_int_equal(a, addr);
    assert_int_equal(d, data);
}

/* ---------------------------------------------------------------------- */
/* MSI                                                                     */

static void test_msi_init_errors(void **state)
{
    Fixture *f = *state;
    char *err = NULL;

    assert_false(msi_init(&f->d.pci, 0, 3, true, true, &err));
    assert_non_null(err);
    g_free(err);
    err = NULL;
    assert_false(msi_init(&f->d.pci, 0, 64, true, true, &err));
    assert_non_null(err);
    g_free(err);
    err = NULL;
    assert_false(msi_init(&f->d.pci, 0, 0, false, false, &err));
    assert_non_null(err);
    g_free(err);
    assert_int_equal(f->d.pci.msi_cap, 0);
    assert_false(msi_enabled(&f->d.pci));
}

/* 32-bit, no masking: 10 bytes; address, data writable; flags partly. */
static void test_msi_layout(void **state)
{
    Fixture *f = *state;

    assert_true(msi_init(&f->d.pci, 0x50, 2, false, false, NULL));
    uint8_t cap = f->d.pci.msi_cap;
    assert_int_equal(cap, 0x50);
    assert_int_equal(pci_find_capability(&f->d.pci, PCI_CAP_ID_MSI), 0x50);
    assert_int_equal(cfg_read(f, cap + PCI_MSI_FLAGS, 2), 0x0002);
    cfg_write(f, cap + PCI_MSI_FLAGS, 0xffff, 2);       /* QSIZE clamped to 1 */
    assert_int_equal(cfg_read(f, cap + PCI_MSI_FLAGS, 2), 0x0013);
    cfg_write(f, cap + PCI_MSI_ADDRESS_LO, 0xffffffff, 4);
    assert_int_equal(cfg_read(f, cap + PCI_MSI_ADDRESS_LO, 4), 0xfffffffc);
    cfg_write(f, cap + PCI_MSI_DATA_32, 0xffffffff, 4);
    assert_int_equal(cfg_read(f, cap + PCI_MSI_DATA_32, 2), 0xffff);
    /* A 64-bit maskable capability after it: 24 bytes. */
    TestDev *t = &f->d;
    t->pci.msi_cap = 0;
    assert_true(msi_init(&t->pci, 0x60, 32, true, true, NULL));
    cfg_write(f, 0x60 + PCI_MSI_MASK_64, 0xffffffff, 4);
    assert_int_equal(cfg_read(f, 0x60 + PCI_MSI_MASK_64, 4), 0xffffffff);
    cfg_write(f, 0x60 + PCI_MSI_PENDING_64, 0xffffffff, 4);
    assert_int_equal(cfg_read(f, 0x60 + PCI_MSI_PENDING_64, 4), 0);
    assert_false(pci_add_capability(&t->pci, 0x99, 0x74, 4, NULL));
}

/* Enable MSI with `log` vectors at 0xfee01000, data 0x4400. */
static uint8_t msi_setup(Fixture *f, bool mask, unsigned log)
{
    assert_true(msi_init(&f->d.pci, 0, NVEC, true, mask, NULL));
    uint8_t cap = f->d.pci.msi_cap;
    enable_device(f);
    cfg_write(f, cap + PCI_MSI_ADDRESS_LO, 0xfee01000, 4);
    cfg_write(f, cap + PCI_MSI_ADDRESS_HI, 0, 4);
    cfg_write(f, cap + PCI_MSI_DATA_64, 0x4400, 2);
    cfg_write(f, cap + PCI_MSI_FLAGS, PCI_MSI_FLAGS_ENABLE | (log << 4), 2);
    return cap;
}

static void test_msi_notify(void **state)
{
    Fixture *f = *state;
    uint8_t cap = msi_setup(f, false, 2);

    assert_true(msi_enabled(&f->d.pci));
    msi_notify(&f->d.pci, 0);
    expect_msg(f, 1, 0xfee01000, 0x4400);
    msi_notify(&f->d.pci, 3);
    expect_msg(f, 2, 0xfee01000, 0x4403);
    cfg_write(f, cap + PCI_MSI_FLAGS, 0, 2);       /* off: nothing */
    msi_notify(&f->d.pci, 1);
    assert_int_equal(f->log.count, 2);
}

/* One vector enabled of four: every vector sends the base data. */
static void test_msi_alias(void **state)
{
    Fixture *f = *state;

    msi_setup(f, false, 0);
    msi_notify(&f->d.pci, 3);
    expect_msg(f, 1, 0xfee01000, 0x4400);
}

static void test_msi_bus_master_off(void **state)
{
    Fixture *f = *state;

    msi_setup(f, false, 2);
    cfg_write(f, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    msi_notify(&f->d.pci, 1);
    assert_int_equal(f->log.count, 0);
}

static void test_msi_mask(void **state)
{
    Fixture *f = *state;
    uint8_t cap = msi_setup(f, true, 2);

    cfg_write(f, cap + PCI_MSI_MASK_64, 0x2, 4);
    msi_notify(&f->d.pci, 1);
    assert_int_equal(f->log.count, 0);
    assert_int_equal(cfg_read(f, cap + PCI_MSI_PENDING_64, 4), 0x2);
    msi_notify(&f->d.pci, 2);
    expect_msg(f, 1, 0xfee01000, 0x4402);
    cfg_write(f, cap + PCI_MSI_MASK_64, 0, 4);
    expect_msg(f, 2, 0xfee01000, 0x4401);
    assert_int_equal(cfg_read(f, cap + PCI_MSI_PENDING_64, 4), 0);
}

/* Fewer vectors enabled: the pending bits above them are dropped. */
static void test_msi_pending_dropped(void **state)
{
    Fixture *f = *state;
    uint8_t cap = msi_setup(f, true, 2);

    cfg_write(f, cap + PCI_MSI_MASK_64, 0xf, 4);
    msi_notify(&f->d.pci, 3);
    assert_int_equal(cfg_read(f, cap + PCI_MSI_PENDING_64, 4), 0x8);
    cfg_write(f, cap + PCI_MSI_FLAGS, PCI_MSI_FLAGS_ENABLE | (1 << 4), 2);
    assert_int_equal(cfg_read(f, cap + PCI_MSI_PENDING_64, 4), 0);
    cfg_write(f, cap + PCI_MSI_MASK_64, 0, 4);
    assert_int_equal(f->log.count, 0);
}

static void test_msi_intx_and_reset(void **state)
{
    Fixture *f = *state;

    assert_true(msi_init(&f->d.pci, 0, NVEC, false, true, NULL));
    uint8_t cap = f->d.pci.msi_cap;
    pci_set_irq(&f->d.pci, 1);
    assert_int_equal(f->levels[0], 1);
    cfg_write(f, cap + PCI_MSI_ADDRESS_LO, 0xfee00000, 4);
    cfg_write(f, cap + PCI_MSI_MASK_32, 0x5, 4);
    cfg_write(f, cap + PCI_MSI_FLAGS, PCI_MSI_FLAGS_ENABLE, 2);
    assert_int_equal(f->levels[0], 0);              /* MSI on: INTx off */
    pci_device_reset(&f->d.pci);
    assert_false(msi_enabled(&f->d.pci));
    assert_int_equal(cfg_read(f, cap + PCI_MSI_FLAGS, 2), 0x0104);
    assert_int_equal(cfg_read(f, cap + PCI_MSI_ADDRESS_LO, 4), 0);
    assert_int_equal(cfg_read(f, cap + PCI_MSI_MASK_32, 4), 0);
}

/* ---------------------------------------------------------------------- */
/* MSI-X                                                                   */

static void msix_setup(Fixture *f)
{
    TestDev *t = &f->d;

    assert_true(msix_init_exclusive_bar(&t->pci, &t->msix, NVEC, MSIX_BAR,
                                        "test-msix", t->msix_table, t->msix_pba,
                                        NULL));
    pci_device_reset(&t->pci);
    enable_device(f);
}

/* Entry v: message to the sink at addr with data; unmasked or not. */
static void msix_program(Fixture *f, unsigned v, uint64_t addr, uint32_t data,
                         bool masked)
{
    uint64_t e = MSIX_ADDR + PCI_MSIX_ENTRY_SIZE * v;

    as_write_val(&f->tb.as_mem, e + PCI_MSIX_ENTRY_ADDR, addr, 8, NULL);
    as_write_val(&f->tb.as_mem, e + PCI_MSIX_ENTRY_DATA, data, 4, NULL);
    as_write_val(&f->tb.as_mem, e + PCI_MSIX_ENTRY_CTRL, masked, 4, NULL);
}

static uint32_t msix_readl(Fixture *f, uint64_t off)
{
    return as_read_val(&f->tb.as_mem, MSIX_ADDR + off, 4, NULL);
}

static void msix_control(Fixture *f, uint8_t hi)
{
    cfg_write(f, f->d.msix.cap + 3, hi, 1);
}

static void test_msix_layout(void **state)
{
    Fixture *f = *state;

    msix_setup(f);
    uint8_t cap = f->d.msix.cap;
    assert_int_equal(pci_find_capability(&f->d.pci, PCI_CAP_ID_MSIX), cap);
    assert_int_equal(cfg_read(f, cap + PCI_MSIX_FLAGS, 2), NVEC - 1);
    assert_int_equal(cfg_read(f, cap + PCI_MSIX_TABLE, 4), MSIX_BAR);
    assert_int_equal(cfg_read(f, cap + PCI_MSIX_PBA, 4), 0x800 | MSIX_BAR);
    assert_int_equal(f->d.pci.bars[MSIX_BAR].size, 0x1000);
    cfg_write(f, cap + PCI_MSIX_FLAGS, 0xffff, 2);       /* only the top bits */
    assert_int_equal(cfg_read(f, cap + PCI_MSIX_FLAGS, 2), 0xc000 | (NVEC - 1));
    /* Entries masked at reset; the PBA read-only; 2-byte accesses invalid. */
    assert_int_equal(msix_readl(f, 0x0c), 1);
    assert_int_equal(msix_readl(f, 0x3c), 1);
    as_write_val(&f->tb.as_mem, MSIX_ADDR + 0x800, 0xff, 4, NULL);
    assert_int_equal(msix_readl(f, 0x800), 0);
    as_write_val(&f->tb.as_mem, MSIX_ADDR + 0x10, 0x1234, 2, NULL);
    assert_int_equal(msix_readl(f, 0x10), 0);
    as_write_val(&f->tb.as_mem, MSIX_ADDR + 0x10, 0x1122334455667788ull, 8, NULL);
    assert_int_equal(msix_readl(f, 0x14), 0x11223344);
    pci_device_reset(&f->d.pci);
    assert_int_equal(f->d.msix_table[0x10], 0);
    assert_false(msix_enabled(&f->d.pci));
}

static void test_msix_notify(void **state)
{
    Fixture *f = *state;

    msix_setup(f);
    msix_program(f, 2, SINK_BASE + 0x2000, 0x4062, false);
    msix_control(f, 0x80);
    assert_true(msix_enabled(&f->d.pci));
    msix_notify(&f->d.pci, 2);
    expect_msg(f, 1, SINK_BASE + 0x2000, 0x4062);
    /* A masked entry: pending, sent when unmasked by a table write. */
    msix_notify(&f->d.pci, 1);
    assert_int_equal(f->log.count, 1);
    assert_true(msix_is_pending(&f->d.pci, 1));
    assert_int_equal(msix_readl(f, 0x800), 0x2);
    msix_program(f, 1, SINK_BASE + 0x1000, 0x4061, false);
    expect_msg(f, 2, SINK_BASE + 0x1000, 0x4061);
    assert_int_equal(msix_readl(f, 0x800), 0);
    /* msix_clear_pending drops it. */
    msix_program(f, 1, SINK_BASE + 0x1000, 0x4061, true);
    msix_notify(&f->d.pci, 1);
    msix_clear_pending(&f->d.pci, 1);
    msix_program(f, 1, SINK_BASE + 0x1000, 0x4061, false);
    assert_int_equal(f->log.count, 2);
}

/* MASKALL: pending under the function mask; clearing it sends. */
static void test_msix_function_mask(void **state)
{
    Fixture *f = *state;

    msix_setup(f);
    msix_program(f, 0, SINK_BASE, 0x4020, false);
    msix_control(f, 0xc0);
    assert_true(msix_is_masked(&f->d.pci, 0));
    msix_notify(&f->d.pci, 0);
    assert_int_equal(f->log.count, 0);
    assert_int_equal(msix_readl(f, 0x800), 0x1);
    msix_control(f, 0x80);
    expect_msg(f, 1, SINK_BASE, 0x4020);
    assert_int_equal(msix_readl(f, 0x800), 0);
}

/* As QEMU: a notify while MSI-X is off is pending; enabling sends it. */
static void test_msix_disabled(void **state)
{
    Fixture *f = *state;

    msix_setup(f);
    msix_program(f, 3, SINK_BASE + 0x30, 0x23, false);
    msix_notify(&f->d.pci, 3);
    assert_int_equal(f->log.count, 0);
    assert_true(msix_is_pending(&f->d.pci, 3));
    pci_set_irq(&f->d.pci, 1);
    msix_control(f, 0x80);
    expect_msg(f, 1, SINK_BASE + 0x30, 0x23);
    assert_int_equal(f->levels[0], 0);               /* INTx dropped */
}

static void test_msix_bus_master_off(void **state)
{
    Fixture *f = *state;

    msix_setup(f);
    msix_program(f, 0, SINK_BASE, 0x20, false);
    msix_control(f, 0x80);
    cfg_write(f, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    msix_notify(&f->d.pci, 0);
    assert_int_equal(f->log.count, 0);
    assert_false(msix_is_pending(&f->d.pci, 0));     /* lost, as on a bus */
}

/*
 * config -> MSI-X -> DMA -> MMIO: a pending message aimed at the device's
 * own BAR, sent by the config write that clears MASKALL, is refused by the
 * core (the config write has entered the device); one to the sink arrives.
 */
static void test_msix_self_aimed(void **state)
{
    Fixture *f = *state;
    unsigned long errors = log_guest_error_count();

    msix_setup(f);
    f->d.reg = 0x11;
    msix_program(f, 0, REGS_ADDR, 0xdead, false);
    msix_program(f, 1, SINK_BASE + 0x100, 0x4021, false);
    msix_control(f, 0xc0);
    msix_notify(&f->d.pci, 0);
    msix_notify(&f->d.pci, 1);
    msix_control(f, 0x80);
    assert_int_equal(f->d.reg_writes, 0);
    assert_int_equal(f->d.reg, 0x11);
    assert_true(log_guest_error_count() > errors);
    expect_msg(f, 1, SINK_BASE + 0x100, 0x4021);
    /* Sent from outside the device, the same message lands (no guard). */
    msix_notify(&f->d.pci, 0);
    assert_int_equal(f->d.reg, 0xdead);
}

static void test_msix_layout_errors(void **state)
{
    Fixture *f = *state;
    TestDev *t = &f->d;
    char *err = NULL;

    PCIMSIXLayout l = { .nvectors = NVEC, .table_bar = REGS_BAR, .pba_bar = 2 };
    assert_false(msix_init(&t->pci, &t->msix, &l, t->msix_table, t->msix_pba, &err));
    assert_non_null(strstr(err, "container"));      /* BAR 0 is I/O */
    g_free(err);
    mr_init_container(&t->bar2, &t->pci.obj, "bar2", 0x100);
    pci_register_bar(&t->pci, 2, 0, &t->bar2);
    l = (PCIMSIXLayout){ .nvectors = NVEC, .table_bar = 2, .pba_bar = 2,
                         .pba_offset = 0x20 };
    assert_false(msix_init(&t->pci, &t->msix, &l, t->msix_table, t->msix_pba, &err));
    assert_non_null(strstr(err, "overlap"));
    g_free(err);
    l.pba_offset = 0xfc;
    assert_false(msix_init(&t->pci, &t->msix, &l, t->msix_table, t->msix_pba, &err));
    assert_non_null(strstr(err, "fit"));
    g_free(err);
    l.pba_offset = 0xf8;
    l.table_offset = 0x4;
    assert_false(msix_init(&t->pci, &t->msix, &l, t->msix_table, t->msix_pba, &err));
    g_free(err);
    l.nvectors = 0;
    assert_false(msix_init(&t->pci, &t->msix, &l, t->msix_table, t->msix_pba, &err));
    g_free(err);
    assert_null(t->pci.msix);
    l = (PCIMSIXLayout){ .nvectors = NVEC, .table_bar = 2, .pba_bar = 2,
                         .table_offset = 0x80, .pba_offset = 0xf8 };
    assert_true(msix_init(&t->pci, &t->msix, &l, t->msix_table, t->msix_pba, NULL));
    assert_int_equal(cfg_read(f, t->msix.cap + PCI_MSIX_TABLE, 4), 0x82);
    assert_int_equal(cfg_read(f, t->msix.cap + PCI_MSIX_PBA, 4), 0xfa);
}

/* ---------------------------------------------------------------------- */
/* The sink's log                                                          */

static void test_log(void **state)
{
    MSILog log = { 0 };
    uint64_t a;
    uint32_t d;

    assert_false(msi_log_get(&log, 0, &a, &d));
    for (unsigned i = 0; i < MSI_LOG_LEN + 3; i++) {
        msi_log_record(&log, 0x1000 + i, i);
    }
    assert_int_equal(log.count, MSI_LOG_LEN + 3);
    assert_true(msi_log_get(&log, 0, &a, &d));
    assert_int_equal(a, 0x1000 + MSI_LOG_LEN + 2);
    assert_int_equal(d, MSI_LOG_LEN + 2);
    assert_true(msi_log_get(&log, MSI_LOG_LEN - 1, &a, &d));
    assert_int_equal(d, 3);
    assert_false(msi_log_get(&log, MSI_LOG_LEN, &a, &d));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_msi_init_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msi_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msi_notify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msi_alias, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msi_bus_master_off, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msi_mask, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msi_pending_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msi_intx_and_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msix_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msix_notify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msix_function_mask, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msix_disabled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msix_bus_master_off, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msix_self_aimed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msix_layout_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
