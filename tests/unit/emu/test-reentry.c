/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the core's re-entrancy guarantee (object_enter): a device
 * whose DMA lands on its own registers is refused on every path that runs
 * its code: a region access (mmio->dma->mmio), a bottom half
 * (bh->dma->mmio), a timer (timer->dma->mmio) and a PCI config access
 * (config->dma->mmio). Each test fails if the core's guard on that path is
 * taken away: the DMA would then reach the register and change it. Refusals
 * are traced through the log's refusal hook; other devices stay reachable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/clock.h"
#include "emu/dma.h"
#include "emu/log.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "emu/pci.h"
#include "pci-test.h"

#define BAR_ADDR   0x100000u    /* where the device's register window is */
#define REG_CTRL   0x0          /* a register: written only by the guest */
#define REG_KICK   0x4          /* writing starts the device's DMA */

/* A DMA-capable PCI device: its DMA writes `dma_val` to `dma_addr`. */
typedef struct TestDev {
    PCIDevice pci;
    MemoryRegion regs;
    uint32_t ctrl;
    uint32_t ctrl_writes;
    uint64_t dma_addr;
    uint32_t dma_val;
    MemTxResult dma_res;
    Timer timer;
    BH bh;
} TestDev;

typedef struct Fixture {
    TestBus tb;
    Clock clock;
    TestDev dev, other;
    char refusals[4][256];
    unsigned nr_refusals;
} Fixture;

static const TypeInfo test_dev_type = {
    .name = "test-dma-dev",
    .parent = "pci-device",
};

static void dev_dma(TestDev *d)
{
    uint8_t b[4];
    st_le32(b, d->dma_val);
    d->dma_res = pci_dma_write(&d->pci, d->dma_addr, b, sizeof(b));
}

static uint64_t regs_read(void *opaque, uint64_t addr, unsigned size)
{
    TestDev *d = opaque;
    return addr == REG_CTRL ? d->ctrl : 0;
}

static void regs_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    TestDev *d = opaque;

    if (addr == REG_CTRL) {
        d->ctrl = (uint32_t)val;
        d->ctrl_writes++;
    } else if (addr == REG_KICK) {
        dev_dma(d);
    }
}

static const MemoryRegionOps regs_ops = {
    .read = regs_read,
    .write = regs_write,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static void dev_timer(void *opaque)
{
    dev_dma(opaque);
}

/* A config write to the vendor-specific byte 0x40 starts the DMA. */
static void dev_config_write(PCIDevice *pci, uint32_t addr, uint32_t val, unsigned len)
{
    pci_default_write_config(pci, addr, val, len);
    if (addr == 0x40) {
        dev_dma((TestDev *)pci);
    }
}

static void dev_init(Fixture *f, TestDev *d, int slot, uint64_t bar)
{
    object_initialize(&d->pci.obj, &test_dev_type);
    pci_device_init(&d->pci);
    d->pci.devfn = PCI_DEVFN(slot, 0);
    assert_true(pci_device_register(&f->tb.bus, &d->pci, NULL));
    d->pci.config_write = dev_config_write;
    mr_init_io(&d->regs, &d->pci.obj, &regs_ops, d, "test-regs", 0x1000);
    pci_register_bar(&d->pci, 0, 0, &d->regs);
    timer_init(&d->timer, &d->pci.obj, &f->clock, dev_timer, d);
    bh_init(&d->bh, &d->pci.obj, &f->clock, dev_timer, d);
    /* Memory decoding and bus mastering on, the BAR at `bar`. */
    pci_config_write(&d->pci, PCI_BASE_ADDRESS_0, (uint32_t)bar, 4);
    pci_config_write(&d->pci, PCI_COMMAND,
                     PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
}

static void record_refusal(void *opaque, const char *msg)
{
    Fixture *f = opaque;
    if (f->nr_refusals < 4) {
        g_strlcpy(f->refusals[f->nr_refusals], msg, sizeof(f->refusals[0]));
    }
    f->nr_refusals++;
}

static int setup(void **state)
{
    Fixture *f = g_new0(Fixture, 1);
    test_bus_init(&f->tb, 0x10000);
    clock_init(&f->clock);
    dev_init(f, &f->dev, 3, BAR_ADDR);
    dev_init(f, &f->other, 4, BAR_ADDR + 0x1000);
    log_set_refusal_hook(record_refusal, f);
    /* The device's DMA aims at its own CTRL register. */
    f->dev.dma_addr = BAR_ADDR + REG_CTRL;
    f->dev.dma_val = 0xdeadbeef;
    as_write_val(&f->tb.as_mem, BAR_ADDR + REG_CTRL, 0x11, 4, NULL);
    f->dev.ctrl_writes = 0;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    log_set_refusal_hook(NULL, NULL);
    test_bus_free(&f->tb);
    g_free(f);
    return 0;
}

/* The DMA was refused, the register kept the guest's value, and the
 * refusal went to the trace. */
static void assert_refused(Fixture *f)
{
    assert_int_equal(f->dev.dma_res, MEMTX_ERROR);
    assert_int_equal(f->dev.ctrl, 0x11);
    assert_int_equal(f->dev.ctrl_writes, 0);
    assert_int_equal(f->nr_refusals, 1);
    assert_non_null(strstr(f->refusals[0], "re-entrant write"));
    assert_non_null(strstr(f->refusals[0], "test-regs"));
    assert_false(object_entered(&f->dev.pci.obj));
}

static void test_mmio_dma_mmio(void **state)
{
    Fixture *f = *state;
    MemTxResult res;

    as_write_val(&f->tb.as_mem, BAR_ADDR + REG_KICK, 1, 4, &res);
    assert_int_equal(res, MEMTX_OK);
    assert_refused(f);
}

static void test_bh_dma_mmio(void **state)
{
    Fixture *f = *state;

    bh_schedule(&f->dev.bh);
    clock_run_bhs(&f->clock);
    assert_refused(f);
}

static void test_timer_dma_mmio(void **state)
{
    Fixture *f = *state;

    timer_mod(&f->dev.timer, 1000);
    clock_step(&f->clock, 2000);
    assert_refused(f);
}

static void test_config_dma_mmio(void **state)
{
    Fixture *f = *state;

    pci_config_write(&f->dev.pci, 0x40, 1, 1);
    assert_refused(f);
    /* Through config mechanism #1 as well. */
    f->nr_refusals = 0;
    pci_host_config_write(&f->tb.bus, 0x80000000u | (f->dev.pci.devfn << 8) | 0x40,
                          1, 1);
    assert_refused(f);
}

/* Another device's registers stay reachable from every path. */
static void test_other_device_reachable(void **state)
{
    Fixture *f = *state;

    f->dev.dma_addr = BAR_ADDR + 0x1000 + REG_CTRL;
    timer_mod(&f->dev.timer, 10);
    clock_step(&f->clock, 20);
    assert_int_equal(f->dev.dma_res, MEMTX_OK);
    assert_int_equal(f->other.ctrl, 0xdeadbeef);
    f->dev.dma_val = 0x5;
    pci_config_write(&f->dev.pci, 0x40, 1, 1);
    assert_int_equal(f->other.ctrl, 0x5);
    assert_int_equal(f->nr_refusals, 0);
}

/* A config access arriving while the device is inside its own callback (a
 * path a device cannot build, simulated here) is refused too. */
static void test_config_while_entered(void **state)
{
    Fixture *f = *state;

    assert_true(object_enter(&f->dev.pci.obj, "test"));
    assert_int_equal(pci_config_read(&f->dev.pci, PCI_COMMAND, 2), 0xffff);
    pci_config_write(&f->dev.pci, PCI_COMMAND, 0, 2);
    object_leave(&f->dev.pci.obj);
    assert_int_equal(pci_config_read(&f->dev.pci, PCI_COMMAND, 2),
                     PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    assert_int_equal(f->nr_refusals, 2);
    assert_non_null(strstr(f->refusals[0], "config read"));
    assert_non_null(strstr(f->refusals[1], "config write"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    static const TypeInfo *const types[] = { &test_dev_type, NULL };
    type_register_table(types);
    const struct CMUnitTest tests[] = {
        T(test_mmio_dma_mmio),
        T(test_bh_dma_mmio),
        T(test_timer_dma_mmio),
        T(test_config_dma_mmio),
        T(test_other_device_reachable),
        T(test_config_while_entered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
