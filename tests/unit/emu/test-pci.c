/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for emu/pci.c: config space masks and W1C bits, BAR sizing,
 * mapping gated by the command register and moves, capability lists, INTx
 * sharing and INTX_DISABLE, mechanism #1 decoding, bus-master gating of DMA,
 * reset of the header, slot allocation, and the realize helper.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/log.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "emu/pci.h"
#include "pci-test.h"

#define CF8(devfn, reg) (0x80000000u | ((devfn) << 8) | (reg))

typedef struct TestDev {
    PCIDevice pci;
    MemoryRegion bar_io;        /* 32 bytes of I/O */
    MemoryRegion bar_mem;       /* 4 KiB, 32-bit, prefetchable */
    MemoryRegion bar_mem64;     /* 16 KiB, 64-bit */
    unsigned hook_writes;
} TestDev;

typedef struct Fixture {
    TestBus tb;
    TestDev a, b;
    int levels[PCI_BUS_MAX_IRQS];
    unsigned set_irq_calls;
} Fixture;

static const TypeInfo test_pci_type = {
    .name = "test-pci",
    .parent = "pci-device",
};

static uint64_t bar_read(void *opaque, uint64_t addr, unsigned size)
{
    uintptr_t tag = (uintptr_t)opaque;
    return (tag << 8) | (addr & 0xff);
}

static void bar_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
}

static const MemoryRegionOps bar_ops = {
    .read = bar_read,
    .write = bar_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

/* All devices share one bus IRQ (2 unless a test re-routes): a wire-OR. */
static int test_route = 2;

static int test_map_irq(PCIDevice *d, int pin)
{
    return test_route;
}

static void test_set_irq(void *opaque, int n, int level)
{
    Fixture *f = opaque;
    f->levels[n] = level;
    f->set_irq_calls++;
}

static void test_dev_init(Fixture *f, TestDev *t, int devfn, uintptr_t tag)
{
    object_initialize(&t->pci.obj, &test_pci_type);
    pci_device_init(&t->pci);
    t->pci.devfn = devfn;
    assert_true(pci_device_register(&f->tb.bus, &t->pci, NULL));
    pci_set_word(t->pci.config + PCI_VENDOR_ID, 0x1234);
    pci_set_word(t->pci.config + PCI_DEVICE_ID, 0x5678 + tag);
    t->pci.config[PCI_INTERRUPT_PIN] = 1;
    mr_init_io(&t->bar_io, NULL, &bar_ops, (void *)(tag * 0x10 + 1), "bar-io", 0x20);
    mr_init_io(&t->bar_mem, NULL, &bar_ops, (void *)(tag * 0x10 + 2), "bar-mem", 0x1000);
    mr_init_io(&t->bar_mem64, NULL, &bar_ops, (void *)(tag * 0x10 + 3), "bar-mem64",
               0x4000);
    pci_register_bar(&t->pci, 0, PCI_BASE_ADDRESS_SPACE_IO, &t->bar_io);
    pci_register_bar(&t->pci, 1, PCI_BASE_ADDRESS_MEM_PREFETCH, &t->bar_mem);
    pci_register_bar(&t->pci, 2, PCI_BASE_ADDRESS_MEM_TYPE_64, &t->bar_mem64);
}

static int setup(void **state)
{
    Fixture *f = g_new0(Fixture, 1);
    test_route = 2;
    test_bus_init(&f->tb, 0x10000);
    pci_bus_set_irqs(&f->tb.bus, test_map_irq, test_set_irq, f, NULL);
    test_dev_init(f, &f->a, PCI_DEVFN(3, 0), 1);
    test_dev_init(f, &f->b, PCI_DEVFN(4, 0), 2);
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

static uint32_t cfg_read(TestDev *t, uint32_t reg, unsigned len)
{
    return pci_config_read(&t->pci, reg, len);
}

static void cfg_write(TestDev *t, uint32_t reg, uint32_t val, unsigned len)
{
    pci_config_write(&t->pci, reg, val, len);
}

/* 16-bit reads: a BAR answers (tag << 8) | offset, unassigned gives 0. */
static uint64_t io_read(Fixture *f, uint64_t addr)
{
    return as_read_val(&f->tb.as_io, addr, 2, NULL);
}

static uint64_t mem_read(Fixture *f, uint64_t addr)
{
    return as_read_val(&f->tb.as_mem, addr, 2, NULL);
}

/* ---------------------------------------------------------------------- */

static void test_config_masks(void **state)
{
    Fixture *f = *state;
    TestDev *a = &f->a;

    cfg_write(a, PCI_VENDOR_ID, 0xffffffff, 4);
    assert_int_equal(cfg_read(a, PCI_VENDOR_ID, 4), 0x56791234);
    cfg_write(a, PCI_COMMAND, 0xffff, 2);
    assert_int_equal(cfg_read(a, PCI_COMMAND, 2), 0x0507);
    cfg_write(a, PCI_COMMAND, 0, 2);
    cfg_write(a, PCI_CACHE_LINE_SIZE, 0xffffffff, 4);
    /* cache line writable; latency timer, header type, BIST read-only */
    assert_int_equal(cfg_read(a, PCI_CACHE_LINE_SIZE, 4), 0x000000ff);
    cfg_write(a, PCI_INTERRUPT_LINE, 0xffff, 2);
    assert_int_equal(cfg_read(a, PCI_INTERRUPT_LINE, 2), 0x01ff);
    assert_int_equal(cfg_read(a, PCI_SUBSYSTEM_VENDOR_ID, 4), 0x11001af4);
    cfg_write(a, 0x80, 0xa5, 1);
    assert_int_equal(cfg_read(a, 0x80, 1), 0xa5);
    /* Unaligned word, then an access cut at the end of config space. */
    cfg_write(a, 0x81, 0x3c5a, 2);
    assert_int_equal(cfg_read(a, 0x80, 4), 0x003c5aa5);
    cfg_write(a, 0xfe, 0x44332211, 4);
    assert_int_equal(cfg_read(a, 0xfc, 4), 0x22110000);
    assert_int_equal(cfg_read(a, 0xfe, 4), 0x2211);
}

static void test_status_w1c(void **state)
{
    Fixture *f = *state;
    TestDev *a = &f->a;

    pci_set_word(a->pci.config + PCI_STATUS,
                 PCI_STATUS_W1C_BITS | PCI_STATUS_CAP_LIST |
                 PCI_STATUS_DEVSEL_MEDIUM);
    cfg_write(a, PCI_STATUS, 0, 2);
    assert_int_equal(cfg_read(a, PCI_STATUS, 2), 0xfb10);
    cfg_write(a, PCI_STATUS, 0x0100, 2);
    assert_int_equal(cfg_read(a, PCI_STATUS, 2), 0xfa10);
    /* A byte write to the command register leaves the status alone. */
    cfg_write(a, PCI_COMMAND, 0xffffffff, 1);
    assert_int_equal(cfg_read(a, PCI_STATUS, 2), 0xfa10);
    cfg_write(a, PCI_COMMAND, 0xffff0000, 4);
    assert_int_equal(cfg_read(a, PCI_STATUS, 2), 0x0210);
}

static void test_bar_sizing(void **state)
{
    Fixture *f = *state;
    TestDev *a = &f->a;

    assert_int_equal(cfg_read(a, PCI_BASE_ADDRESS_0, 4), 0x1);
    assert_int_equal(cfg_read(a, PCI_BASE_ADDRESS_0 + 4, 4), 0x8);
    assert_int_equal(cfg_read(a, PCI_BASE_ADDRESS_0 + 8, 4), 0x4);
    for (unsigned reg = PCI_BASE_ADDRESS_0; reg < PCI_CARDBUS_CIS; reg += 4) {
        cfg_write(a, reg, 0xffffffff, 4);
    }
    assert_int_equal(cfg_read(a, PCI_BASE_ADDRESS_0, 4), 0xffffffe1);
    assert_int_equal(cfg_read(a, PCI_BASE_ADDRESS_0 + 4, 4), 0xfffff008);
    assert_int_equal(cfg_read(a, PCI_BASE_ADDRESS_0 + 8, 4), 0xffffc004);
    assert_int_equal(cfg_read(a, PCI_BASE_ADDRESS_0 + 12, 4), 0xffffffff);
    /* Unimplemented BARs stay zero. */
    assert_int_equal(cfg_read(a, PCI_BASE_ADDRESS_0 + 16, 4), 0);
    assert_int_equal(cfg_read(a, PCI_BASE_ADDRESS_0 + 20, 4), 0);
    /* Sized BARs do not decode even with decoding on. */
    cfg_write(a, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY, 2);
    for (int i = 0; i < PCI_NUM_BARS; i++) {
        assert_true(a->pci.bars[i].addr == PCI_BAR_UNMAPPED);
    }
    assert_false(mr_is_mapped(&a->bar_io));
    assert_false(mr_is_mapped(&a->bar_mem64));
}

static void test_bar_mapping(void **state)
{
    Fixture *f = *state;
    TestDev *a = &f->a;

    cfg_write(a, PCI_BASE_ADDRESS_0, 0xc000, 4);
    cfg_write(a, PCI_BASE_ADDRESS_0 + 4, 0xfeb00000, 4);
    assert_int_equal(io_read(f, 0xc004), 0);
    assert_int_equal(mem_read(f, 0xfeb00006), 0);
    cfg_write(a, PCI_COMMAND, PCI_COMMAND_IO, 2);
    assert_int_equal(io_read(f, 0xc004), 0x1104);
    assert_int_equal(mem_read(f, 0xfeb00006), 0);
    assert_true(a->pci.bars[0].addr == 0xc000);
    cfg_write(a, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY, 2);
    assert_int_equal(mem_read(f, 0xfeb00006), 0x1206);
    cfg_write(a, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    assert_int_equal(io_read(f, 0xc004), 0);
    assert_false(mr_is_mapped(&a->bar_io));
    assert_true(a->pci.bars[0].addr == PCI_BAR_UNMAPPED);
}

static void test_bar_move(void **state)
{
    Fixture *f = *state;
    TestDev *a = &f->a;

    cfg_write(a, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY, 2);
    cfg_write(a, PCI_BASE_ADDRESS_0, 0xc000, 4);
    assert_int_equal(io_read(f, 0xc010), 0x1110);
    cfg_write(a, PCI_BASE_ADDRESS_0, 0xd020, 4);
    assert_int_equal(io_read(f, 0xc010), 0);
    assert_int_equal(io_read(f, 0xd030), 0x1110);
    /* Byte writes move it too: low bits below the size are ignored. */
    cfg_write(a, PCI_BASE_ADDRESS_0 + 1, 0xe0, 1);
    assert_int_equal(io_read(f, 0xe03e), 0x111e);
    assert_int_equal(io_read(f, 0xd030), 0);
    /* 64-bit BAR above 4 GiB: both halves count. */
    cfg_write(a, PCI_BASE_ADDRESS_0 + 8, 0x40000000, 4);
    assert_int_equal(mem_read(f, 0x40000010), 0x1310);
    cfg_write(a, PCI_BASE_ADDRESS_0 + 12, 0x2, 4);
    assert_int_equal(mem_read(f, 0x40000010), 0);
    assert_int_equal(mem_read(f, 0x240000010ull), 0x1310);
    assert_true(a->pci.bars[2].addr == 0x240000000ull);
    /* Two devices' BARs overlapping: both mapped, no crash. */
    cfg_write(&f->b, PCI_COMMAND, PCI_COMMAND_IO, 2);
    cfg_write(&f->b, PCI_BASE_ADDRESS_0, 0xe020, 4);
    assert_true(mr_is_mapped(&f->b.bar_io));
}

static void test_bar_invalid(void **state)
{
    Fixture *f = *state;
    TestDev *a = &f->a;

    cfg_write(a, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY, 2);
    cfg_write(a, PCI_BASE_ADDRESS_0, 0x0, 4);
    assert_false(mr_is_mapped(&a->bar_io));
    cfg_write(a, PCI_BASE_ADDRESS_0, 0x10000, 4);       /* beyond 64 KiB */
    assert_false(mr_is_mapped(&a->bar_io));
    cfg_write(a, PCI_BASE_ADDRESS_0, 0xffe0, 4);        /* last 32 bytes */
    assert_true(mr_is_mapped(&a->bar_io));
    cfg_write(a, PCI_BASE_ADDRESS_0 + 4, 0xfffff000, 4); /* reaches 4 GiB */
    assert_false(mr_is_mapped(&a->bar_mem));
    cfg_write(a, PCI_BASE_ADDRESS_0 + 4, 0xffffe000, 4);
    assert_true(mr_is_mapped(&a->bar_mem));
    cfg_write(a, PCI_BASE_ADDRESS_0 + 8, 0xffffc000, 4);
    cfg_write(a, PCI_BASE_ADDRESS_0 + 12, 0xffffffff, 4);
    assert_false(mr_is_mapped(&a->bar_mem64));
}

static void test_capabilities(void **state)
{
    Fixture *f = *state;
    PCIDevice *d = &f->a.pci;
    char *err = NULL;

    assert_int_equal(pci_find_capability(d, PCI_CAP_ID_PM), 0);
    assert_int_equal(pci_add_capability(d, PCI_CAP_ID_PM, 0, 8, NULL), 0x40);
    assert_int_equal(pci_add_capability(d, PCI_CAP_ID_MSI, 0x50, 0x10, NULL), 0x50);
    assert_int_equal(pci_add_capability(d, PCI_CAP_ID_VNDR, 0, 4, NULL), 0x48);
    assert_true(d->config[PCI_STATUS] & PCI_STATUS_CAP_LIST);
    /* Newest first: 0x48 -> 0x50 -> 0x40 -> end. */
    assert_int_equal(d->config[PCI_CAPABILITY_LIST], 0x48);
    assert_int_equal(d->config[0x49], 0x50);
    assert_int_equal(d->config[0x51], 0x40);
    assert_int_equal(d->config[0x41], 0x00);
    assert_int_equal(pci_find_capability(d, PCI_CAP_ID_PM), 0x40);
    assert_int_equal(pci_find_capability(d, PCI_CAP_ID_MSI), 0x50);
    assert_int_equal(pci_find_capability(d, PCI_CAP_ID_VNDR), 0x48);
    assert_int_equal(pci_find_capability(d, PCI_CAP_ID_MSIX), 0);
    /* Overlaps and bad offsets fail with a message. */
    assert_int_equal(pci_add_capability(d, PCI_CAP_ID_MSIX, 0x44, 8, &err), 0);
    assert_non_null(err);
    g_free(err);
    err = NULL;
    assert_int_equal(pci_add_capability(d, PCI_CAP_ID_MSIX, 0x20, 8, &err), 0);
    assert_non_null(err);
    g_free(err);
    /* Capability bytes are read-only to the guest. */
    pci_config_write(d, 0x40, 0xffffffff, 4);
    assert_int_equal(pci_config_read(d, 0x40, 2), 0x0001);
    pci_config_write(d, PCI_STATUS, 0xffff, 2);
    assert_true(d->config[PCI_STATUS] & PCI_STATUS_CAP_LIST);
    /* A list that loops (the device's own doing) still ends. */
    d->config[0x41] = 0x48;
    assert_int_equal(pci_find_capability(d, PCI_CAP_ID_MSIX), 0);
}

static void test_intx_shared(void **state)
{
    Fixture *f = *state;
    PCIDevice *a = &f->a.pci, *b = &f->b.pci;

    pci_set_irq(a, 1);
    assert_int_equal(f->levels[2], 1);
    assert_int_equal(f->tb.bus.irq_count[2], 1);
    assert_true(a->config[PCI_STATUS] & PCI_STATUS_INTERRUPT);
    assert_false(b->config[PCI_STATUS] & PCI_STATUS_INTERRUPT);
    pci_set_irq(b, 1);
    pci_set_irq(b, 1);      /* no change: not counted twice */
    assert_int_equal(f->tb.bus.irq_count[2], 2);
    pci_set_irq(a, 0);
    assert_int_equal(f->levels[2], 1);
    assert_false(a->config[PCI_STATUS] & PCI_STATUS_INTERRUPT);
    pci_set_irq(b, 0);
    assert_int_equal(f->levels[2], 0);
    assert_int_equal(f->tb.bus.irq_count[2], 0);
}

/* The route changes while a pin is high (ICH9's DnIR written by the
 * guest): the level moves with it, and lowering it later takes it off the
 * bus IRQ it was counted on (it went negative on the new one before). */
static void test_intx_rerouted(void **state)
{
    Fixture *f = *state;
    PCIDevice *a = &f->a.pci, *b = &f->b.pci;

    pci_set_irq(a, 1);
    pci_set_irq(b, 1);
    assert_int_equal(f->tb.bus.irq_count[2], 2);
    test_route = 5;
    pci_set_irq(a, 0);                       /* before the bus hears of it */
    assert_int_equal(f->tb.bus.irq_count[2], 1);
    assert_int_equal(f->tb.bus.irq_count[5], 0);
    pci_bus_intx_rerouted(&f->tb.bus);
    assert_int_equal(f->tb.bus.irq_count[2], 0);
    assert_int_equal(f->levels[2], 0);
    assert_int_equal(f->tb.bus.irq_count[5], 1);
    assert_int_equal(f->levels[5], 1);
    test_route = 1;
    pci_config_write(b, PCI_COMMAND, PCI_COMMAND_INTX_DISABLE, 2);
    assert_int_equal(f->tb.bus.irq_count[5], 0);
    assert_int_equal(f->levels[5], 0);
    pci_bus_intx_rerouted(&f->tb.bus);       /* nothing held: nothing moves */
    pci_config_write(b, PCI_COMMAND, 0, 2);
    assert_int_equal(f->tb.bus.irq_count[1], 1);
    pci_device_reset(b);
    for (int n = 0; n < PCI_BUS_MAX_IRQS; n++) {
        assert_int_equal(f->tb.bus.irq_count[n], 0);
    }
}

static void test_intx_disable(void **state)
{
    Fixture *f = *state;
    PCIDevice *a = &f->a.pci, *b = &f->b.pci;

    pci_set_irq(a, 1);
    pci_set_irq(b, 1);
    pci_config_write(a, PCI_COMMAND, PCI_COMMAND_INTX_DISABLE, 2);
    assert_int_equal(f->levels[2], 1);          /* b still drives it */
    pci_config_write(b, PCI_COMMAND + 1, PCI_COMMAND_INTX_DISABLE >> 8, 1);
    assert_int_equal(f->levels[2], 0);
    /* The status bit shows the pin even while masked. */
    assert_true(a->config[PCI_STATUS] & PCI_STATUS_INTERRUPT);
    pci_set_irq(a, 0);
    pci_set_irq(a, 1);
    assert_int_equal(f->levels[2], 0);
    assert_int_equal(f->tb.bus.irq_count[2], 0);
    pci_config_write(a, PCI_COMMAND, 0, 2);
    assert_int_equal(f->levels[2], 1);
    assert_int_equal(f->tb.bus.irq_count[2], 1);
    /* Reset lowers the pin: masked b is not counted, a is. */
    pci_device_reset(b);
    assert_int_equal(f->tb.bus.irq_count[2], 1);
    pci_device_reset(a);
    assert_int_equal(f->tb.bus.irq_count[2], 0);
    assert_int_equal(f->levels[2], 0);
    assert_int_equal(a->irq_state, 0);
    assert_false(a->config[PCI_STATUS] & PCI_STATUS_INTERRUPT);
}

static void test_host_config(void **state)
{
    Fixture *f = *state;
    int devfn = PCI_DEVFN(3, 0);

    assert_int_equal(pci_host_config_read(&f->tb.bus, CF8(devfn, 0), 4), 0x56791234);
    assert_int_equal(pci_host_config_read(&f->tb.bus, CF8(devfn, 2), 2), 0x5679);
    assert_int_equal(pci_host_config_read(&f->tb.bus, CF8(devfn, 3), 1), 0x56);
    /* Absent function, disabled address, other bus: all ones. */
    assert_int_equal(pci_host_config_read(&f->tb.bus, CF8(PCI_DEVFN(3, 1), 0), 4),
                     0xffffffff);
    assert_int_equal(pci_host_config_read(&f->tb.bus, CF8(PCI_DEVFN(9, 0), 0), 2),
                     0xffff);
    assert_int_equal(pci_host_config_read(&f->tb.bus, CF8(PCI_DEVFN(9, 0), 0), 1),
                     0xff);
    assert_int_equal(pci_host_config_read(&f->tb.bus, CF8(devfn, 0) & ~0x80000000u,
                                          4), 0xffffffff);
    assert_int_equal(pci_host_config_read(&f->tb.bus, CF8(devfn, 0) | 0x10000, 4),
                     0xffffffff);
    /* Writes go to the right function through the masks. */
    pci_host_config_write(&f->tb.bus, CF8(devfn, PCI_INTERRUPT_LINE), 0xab, 1);
    pci_host_config_write(&f->tb.bus, CF8(PCI_DEVFN(3, 1), PCI_INTERRUPT_LINE), 0xcd, 1);
    pci_host_config_write(&f->tb.bus, (CF8(devfn, 0) & ~0x80000000u) | 0x3c, 0xee, 1);
    assert_int_equal(f->a.pci.config[PCI_INTERRUPT_LINE], 0xab);
    assert_int_equal(f->b.pci.config[PCI_INTERRUPT_LINE], 0);
}

static uint32_t hook_read(PCIDevice *d, uint32_t addr, unsigned len)
{
    if (addr == 0x60) {
        return 0x12345678;
    }
    return pci_default_read_config(d, addr, len);
}

static void hook_write(PCIDevice *d, uint32_t addr, uint32_t val, unsigned len)
{
    ((TestDev *)d)->hook_writes++;
    pci_default_write_config(d, addr, val, len);
}

static void test_config_hooks(void **state)
{
    Fixture *f = *state;
    TestDev *a = &f->a;

    a->pci.config_read = hook_read;
    a->pci.config_write = hook_write;
    assert_int_equal(pci_host_config_read(&f->tb.bus, CF8(a->pci.devfn, 0x60), 4),
                     0x12345678);
    assert_int_equal(cfg_read(a, 0, 2), 0x1234);
    pci_host_config_write(&f->tb.bus, CF8(a->pci.devfn, 0x70), 0x99, 1);
    assert_int_equal(a->hook_writes, 1);
    assert_int_equal(a->pci.config[0x70], 0x99);
}

static void test_dma_master(void **state)
{
    Fixture *f = *state;
    PCIDevice *a = &f->a.pci;
    uint8_t buf[4] = { 1, 2, 3, 4 }, back[4];
    unsigned long errors = log_guest_error_count();

    assert_int_not_equal(pci_dma_write(a, 0x100, buf, 4), MEMTX_OK);
    assert_true(log_guest_error_count() > errors);
    assert_int_equal(mem_read(f, 0x100), 0);
    memset(back, 0x55, sizeof(back));
    f->tb.ram.ram[0x200] = 0x77;
    assert_int_not_equal(pci_dma_read(a, 0x200, back, 4), MEMTX_OK);
    assert_int_equal(back[0], 0);
    pci_config_write(a, PCI_COMMAND, PCI_COMMAND_MASTER, 2);
    assert_int_equal(pci_dma_write(a, 0x100, buf, 4), MEMTX_OK);
    assert_int_equal(pci_dma_read(a, 0x100, back, 4), MEMTX_OK);
    assert_memory_equal(back, buf, 4);
    assert_int_equal(mem_read(f, 0x103), 4);
}

static void test_reset(void **state)
{
    Fixture *f = *state;
    TestDev *a = &f->a;

    cfg_write(a, PCI_BASE_ADDRESS_0, 0xc000, 4);
    cfg_write(a, PCI_BASE_ADDRESS_0 + 8, 0x80000000, 4);
    cfg_write(a, PCI_BASE_ADDRESS_0 + 12, 0x1, 4);
    cfg_write(a, PCI_COMMAND, 0x0507, 2);
    cfg_write(a, PCI_CACHE_LINE_SIZE, 0x10, 1);
    cfg_write(a, PCI_INTERRUPT_LINE, 0x0b, 1);
    cfg_write(a, 0x90, 0x42, 1);
    assert_true(mr_is_mapped(&a->bar_io));
    pci_device_reset(&a->pci);
    assert_int_equal(cfg_read(a, PCI_COMMAND, 2), 0);
    assert_int_equal(cfg_read(a, PCI_CACHE_LINE_SIZE, 1), 0);
    assert_int_equal(cfg_read(a, PCI_INTERRUPT_LINE, 2), 0x0100);
    assert_int_equal(cfg_read(a, PCI_BASE_ADDRESS_0, 4), 0x1);
    assert_int_equal(cfg_read(a, PCI_BASE_ADDRESS_0 + 8, 4), 0x4);
    assert_int_equal(cfg_read(a, PCI_BASE_ADDRESS_0 + 12, 4), 0);
    assert_false(mr_is_mapped(&a->bar_io));
    assert_false(mr_is_mapped(&a->bar_mem64));
    assert_true(a->pci.bars[0].addr == PCI_BAR_UNMAPPED);
    /* Device-specific bytes are the device's own reset's business. */
    assert_int_equal(cfg_read(a, 0x90, 1), 0x42);
    assert_int_equal(io_read(f, 0xc000), 0);
}

static void test_register_slots(void **state)
{
    Fixture *f = *state;
    TestDev *c = g_new0(TestDev, 1), *d = g_new0(TestDev, 1);
    char *err = NULL;

    object_initialize(&c->pci.obj, &test_pci_type);
    pci_device_init(&c->pci);
    assert_true(pci_device_register(&f->tb.bus, &c->pci, NULL));
    assert_int_equal(c->pci.devfn, 0);
    object_initialize(&d->pci.obj, &test_pci_type);
    pci_device_init(&d->pci);
    d->pci.devfn = PCI_DEVFN(3, 0);
    assert_false(pci_device_register(&f->tb.bus, &d->pci, &err));
    assert_non_null(err);
    g_free(err);
    err = NULL;
    d->pci.devfn = 256;
    assert_false(pci_device_register(&f->tb.bus, &d->pci, &err));
    assert_non_null(err);
    g_free(err);
    d->pci.devfn = -1;
    assert_true(pci_device_register(&f->tb.bus, &d->pci, NULL));
    assert_int_equal(d->pci.devfn, PCI_DEVFN(1, 0));
    assert_ptr_equal(f->tb.bus.devices[PCI_DEVFN(1, 0)], &d->pci);
    /* A function of a taken slot may still be used explicitly. */
    assert_null(f->tb.bus.devices[PCI_DEVFN(1, 1)]);
    g_free(c);
    g_free(d);
}

/* pci_realize_common: bus, IDs (subsystem defaults), pin, BARs, errors. */
static void test_realize_common(void **state)
{
    Fixture *f = *state;
    TestDev *t = g_new0(TestDev, 1);
    const PCIDeviceInfo info = {
        .vendor_id = 0x8086, .device_id = 0x100e, .revision = 3,
        .prog_if = 0x8a, .class_id = 0x0101, .subsystem_id = 0x0042,
        .header_type = PCI_HEADER_TYPE_MULTI_FUNCTION,
        .status = PCI_STATUS_DEVSEL_MEDIUM, .interrupt_pin = 2,
    };
    char *err = NULL;

    object_initialize(&t->pci.obj, &test_pci_type);
    pci_device_init(&t->pci);
    mr_init_io(&t->bar_io, NULL, &bar_ops, (void *)0x51, "bar-io", 0x20);
    mr_init_io(&t->bar_mem64, NULL, &bar_ops, (void *)0x53, "bar-mem64", 0x4000);
    const PCIBARInfo bars[] = {
        { &t->bar_io, 0, PCI_BASE_ADDRESS_SPACE_IO },
        { &t->bar_mem64, 2, PCI_BASE_ADDRESS_MEM_TYPE_64 },
        { NULL },
    };
    assert_false(pci_realize_common(&t->pci, NULL, &info, bars, &err));
    assert_non_null(strstr(err, "no PCI bus"));
    g_free(err);
    t->pci.devfn = PCI_DEVFN(3, 0);            /* taken by f->a */
    assert_false(pci_realize_common(&t->pci, &f->tb.bus, &info, bars, &err));
    assert_non_null(strstr(err, "not available"));
    g_free(err);
    t->pci.devfn = PCI_DEVFN(5, 0);
    assert_true(pci_realize_common(&t->pci, &f->tb.bus, &info, bars, NULL));
    assert_int_equal(cfg_read(t, PCI_VENDOR_ID, 4), 0x100e8086);
    assert_int_equal(cfg_read(t, PCI_REVISION_ID, 4), 0x01018a03);
    assert_int_equal(cfg_read(t, PCI_SUBSYSTEM_VENDOR_ID, 4), 0x00421af4);
    assert_int_equal(cfg_read(t, PCI_HEADER_TYPE, 1), 0x80);
    assert_int_equal(cfg_read(t, PCI_STATUS, 2), PCI_STATUS_DEVSEL_MEDIUM);
    assert_int_equal(cfg_read(t, PCI_INTERRUPT_PIN, 1), 2);
    assert_int_equal(t->pci.bars[0].size, 0x20);
    assert_int_equal(t->pci.bars[2].size, 0x4000);
    assert_int_equal(cfg_read(t, PCI_BASE_ADDRESS_0 + 8, 4), PCI_BASE_ADDRESS_MEM_TYPE_64);
    assert_int_equal(t->pci.bars[1].size, 0);
    f->tb.bus.devices[t->pci.devfn] = NULL;
    g_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_config_masks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_w1c, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bar_sizing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bar_mapping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bar_move, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bar_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_capabilities, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intx_shared, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intx_disable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intx_rerouted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_host_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_hooks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dma_master, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_slots, setup, teardown),
        cmocka_unit_test_setup_teardown(test_realize_common, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
