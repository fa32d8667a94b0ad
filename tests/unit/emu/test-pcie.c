/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for PCI Express and bridges in emu/pci.c and emu/pci-bridge.c:
 * 4 KiB config space of an express function (and all ones past 0xff of a
 * conventional one), ECAM decoding, config cycles routed by the bridges'
 * bus numbers (and not while the secondary bus is held in reset), the
 * type 1 masks and reset values, memory and I/O windows forwarding to BARs
 * behind a bridge, INTx swizzled through it, DMA gated by its bus master
 * bit, a secondary bus reset, the PCIe capability and the extended
 * capability list, and "bus=" lookup by name.
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

#define ECAM(bus, devfn, reg) (((bus) << 20) | ((devfn) << 12) | (reg))
#define CF8(bus, devfn, reg) (0x80000000u | ((bus) << 16) | ((devfn) << 8) | (reg))

typedef struct EndDev {
    PCIDevice pci;
    MemoryRegion bar;            /* 4 KiB of memory */
    MemoryRegion bar_io;         /* 16 ports */
    unsigned resets;
} EndDev;

typedef struct Fixture {
    TestBus tb;
    PCIBridge br;                /* 00:02.0, secondary bus "br0" */
    EndDev root_ep;              /* 00:03.0, conventional */
    EndDev ep;                   /* behind the bridge at 00.0, express */
    int levels[PCI_BUS_MAX_IRQS];
    int last_pin_slot;           /* slot of the device map_irq saw */
} Fixture;

static void end_reset(Object *obj)
{
    EndDev *e = (EndDev *)obj;

    e->resets++;
    pci_device_reset(&e->pci);
}

static const TypeInfo end_type = {
    .name = "test-end",
    .parent = "pci-device",
    .reset = end_reset,
};

static const TypeInfo bridge_type = {
    .name = "test-bridge",
    .parent = "pci-device",
};

static uint64_t bar_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0xab00 | (addr & 0xff);
}

static void bar_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
}

static const MemoryRegionOps bar_ops = {
    .read = bar_read,
    .write = bar_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static int test_map_irq(PCIDevice *d, int pin)
{
    return pin;
}

static void test_set_irq(void *opaque, int n, int level)
{
    Fixture *f = opaque;

    f->levels[n] = level;
}

static void end_init(EndDev *e, PCIBus *bus, int devfn, bool express,
                     const char *bus_name)
{
    const PCIDeviceInfo info = {
        .vendor_id = 0x1234, .device_id = express ? 0x0e : 0x0c,
        .interrupt_pin = 1, .express = express,
    };

    object_initialize(&e->pci.obj, &end_type);
    pci_device_init(&e->pci);
    e->pci.devfn = devfn;
    e->pci.bus_name = (char *)bus_name;
    mr_init_io(&e->bar, NULL, &bar_ops, e, "ep-bar", 0x1000);
    mr_init_io(&e->bar_io, NULL, &bar_ops, e, "ep-io", 0x10);
    const PCIBARInfo bars[] = {
        { &e->bar, 0, 0 }, { &e->bar_io, 1, PCI_BASE_ADDRESS_SPACE_IO },
        { NULL, 0, 0 },
    };
    assert_true(pci_realize_common(&e->pci, bus, &info, bars, NULL));
}

static int setup(void **state)
{
    Fixture *f = g_new0(Fixture, 1);
    const PCIDeviceInfo br_info = {
        .vendor_id = 0x1b36, .device_id = 0x0001,
        .class_id = PCI_CLASS_BRIDGE_PCI, .header_type = PCI_HEADER_TYPE_BRIDGE,
        .express = true,
    };

    test_bus_init(&f->tb, 0x10000);
    f->tb.bus.name = "pcie.0";
    f->tb.bus.express = true;
    pci_bus_set_irqs(&f->tb.bus, test_map_irq, test_set_irq, f, NULL);
    object_initialize(&f->br.dev.obj, &bridge_type);
    f->br.dev.obj.name = (char *)"br0";
    pci_device_init(&f->br.dev);
    f->br.dev.devfn = PCI_DEVFN(2, 0);
    assert_true(pci_realize_common(&f->br.dev, &f->tb.bus, &br_info, NULL, NULL));
    pci_bridge_init(&f->br, true);
    pci_bridge_reset(&f->br);
    end_init(&f->root_ep, &f->tb.bus, PCI_DEVFN(3, 0), false, NULL);
    end_init(&f->ep, &f->tb.bus, PCI_DEVFN(0, 0), true, "br0");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;

    test_bus_free(&f->tb);
    g_free(f->br.dev.ext);
    g_free(f->ep.pci.ext);
    g_free(f);
    return 0;
}

static uint32_t ecam_rd(Fixture *f, uint32_t off, unsigned len)
{
    return pci_ecam_read(&f->tb.bus, off, len);
}

static void ecam_wr(Fixture *f, uint32_t off, uint32_t val, unsigned len)
{
    pci_ecam_write(&f->tb.bus, off, val, len);
}

/* Secondary 1, subordinate 1, and the bridge's decoding on. */
static void bridge_open(Fixture *f, uint16_t cmd)
{
    ecam_wr(f, ECAM(0, PCI_DEVFN(2, 0), PCI_PRIMARY_BUS), 0x00010100, 4);
    ecam_wr(f, ECAM(0, PCI_DEVFN(2, 0), PCI_COMMAND), cmd, 2);
}

/* ---------------------------------------------------------------------- */

static void test_bus_by_name(void **state)
{
    Fixture *f = *state;

    assert_ptr_equal(f->ep.pci.bus, &f->br.sec_bus);
    assert_ptr_equal(pci_bus_find(&f->tb.bus, "pcie.0"), &f->tb.bus);
    assert_ptr_equal(pci_bus_find(&f->tb.bus, "br0"), &f->br.sec_bus);
    assert_null(pci_bus_find(&f->tb.bus, "nope"));

    EndDev bad;
    const PCIDeviceInfo info = { .vendor_id = 1 };
    char *err = NULL;
    memset(&bad, 0, sizeof(bad));
    object_initialize(&bad.pci.obj, &end_type);
    pci_device_init(&bad.pci);
    bad.pci.bus_name = (char *)"nope";
    assert_false(pci_realize_common(&bad.pci, &f->tb.bus, &info, NULL, &err));
    assert_non_null(strstr(err, "Bus 'nope' not found"));
    g_free(err);
}

static void test_ecam_root_bus(void **state)
{
    Fixture *f = *state;

    assert_int_equal(ecam_rd(f, ECAM(0, PCI_DEVFN(3, 0), 0), 4), 0x000c1234);
    assert_int_equal(ecam_rd(f, ECAM(0, PCI_DEVFN(3, 0), 2), 2), 0x000c);
    /* a conventional function: all ones past 0xff, writes vanish */
    assert_int_equal(ecam_rd(f, ECAM(0, PCI_DEVFN(3, 0), 0x100), 4), 0xffffffff);
    assert_int_equal(ecam_rd(f, ECAM(0, PCI_DEVFN(3, 0), 0x100), 1), 0xff);
    ecam_wr(f, ECAM(0, PCI_DEVFN(3, 0), 0x100), 0, 4);
    /* an absent function */
    assert_int_equal(ecam_rd(f, ECAM(0, PCI_DEVFN(9, 0), 0), 4), 0xffffffff);
    assert_int_equal(ecam_rd(f, ECAM(0, PCI_DEVFN(9, 0), 0), 2), 0xffff);
    /* writes reach config space */
    ecam_wr(f, ECAM(0, PCI_DEVFN(3, 0), PCI_INTERRUPT_LINE), 0x0b, 1);
    assert_int_equal(f->root_ep.pci.config[PCI_INTERRUPT_LINE], 0x0b);
}

static void test_bridge_routing(void **state)
{
    Fixture *f = *state;

    /* secondary bus 0 at reset: bus 1 is nowhere */
    assert_int_equal(ecam_rd(f, ECAM(1, 0, 0), 4), 0xffffffff);
    assert_int_equal(pci_host_config_read(&f->tb.bus, CF8(1, 0, 0), 4), 0xffffffff);
    bridge_open(f, 0);
    assert_int_equal(ecam_rd(f, ECAM(1, 0, 0), 4), 0x000e1234);
    assert_int_equal(pci_host_config_read(&f->tb.bus, CF8(1, 0, 0), 4), 0x000e1234);
    assert_int_equal(ecam_rd(f, ECAM(2, 0, 0), 4), 0xffffffff);
    /* a subordinate range forwards, but nothing answers on bus 2 */
    ecam_wr(f, ECAM(0, PCI_DEVFN(2, 0), PCI_SUBORDINATE_BUS), 4, 1);
    assert_int_equal(ecam_rd(f, ECAM(3, 0, 0), 4), 0xffffffff);
    /* secondary bus reset held: no forwarding beyond the secondary number */
    ecam_wr(f, ECAM(0, PCI_DEVFN(2, 0), PCI_BRIDGE_CONTROL), PCI_BRIDGE_CTL_BUS_RESET, 2);
    assert_int_equal(ecam_rd(f, ECAM(1, 0, 0), 4), 0x000e1234);
    assert_int_equal(ecam_rd(f, ECAM(1, 0, 0), 4), 0x000e1234);
}

static void test_bridge_masks(void **state)
{
    Fixture *f = *state;
    uint32_t br = PCI_DEVFN(2, 0);

    assert_int_equal(ecam_rd(f, ECAM(0, br, PCI_HEADER_TYPE), 1), 1);
    ecam_wr(f, ECAM(0, br, PCI_PRIMARY_BUS), 0xffffffff, 4);
    assert_int_equal(ecam_rd(f, ECAM(0, br, PCI_PRIMARY_BUS), 4), 0xffffffff);
    ecam_wr(f, ECAM(0, br, PCI_IO_BASE), 0xffff, 2);
    assert_int_equal(ecam_rd(f, ECAM(0, br, PCI_IO_BASE), 2), 0xf0f0);
    ecam_wr(f, ECAM(0, br, PCI_MEMORY_BASE), 0xffffffff, 4);
    assert_int_equal(ecam_rd(f, ECAM(0, br, PCI_MEMORY_BASE), 4), 0xfff0fff0);
    ecam_wr(f, ECAM(0, br, PCI_PREF_MEMORY_BASE), 0xffffffff, 4);
    assert_int_equal(ecam_rd(f, ECAM(0, br, PCI_PREF_MEMORY_BASE), 4), 0xfff1fff1);
    ecam_wr(f, ECAM(0, br, PCI_BRIDGE_CONTROL), 0xffff, 2);
    assert_int_equal(ecam_rd(f, ECAM(0, br, PCI_BRIDGE_CONTROL), 2), 0x0bff);
    pci_bridge_reset(&f->br);
    assert_int_equal(ecam_rd(f, ECAM(0, br, PCI_PRIMARY_BUS), 4), 0);
    assert_int_equal(ecam_rd(f, ECAM(0, br, PCI_PREF_MEMORY_BASE), 4), 0x00010001);
    assert_int_equal(ecam_rd(f, ECAM(0, br, PCI_BRIDGE_CONTROL), 2), 0);
}

static void test_bridge_windows(void **state)
{
    Fixture *f = *state;
    uint32_t br = PCI_DEVFN(2, 0);

    bridge_open(f, 0);
    /* the device behind: BAR0 at 0x2000 (memory), BAR1 at 0x1100 (I/O) */
    ecam_wr(f, ECAM(1, 0, PCI_BASE_ADDRESS_0), 0x2000, 4);
    ecam_wr(f, ECAM(1, 0, PCI_BASE_ADDRESS_0 + 4), 0x1101, 4);
    ecam_wr(f, ECAM(1, 0, PCI_COMMAND), PCI_COMMAND_MEMORY | PCI_COMMAND_IO, 2);
    /* memory window [0, 0xfffff] at reset (I/O [0, 0xfff]: moved to
     * 0x1000-0x1fff), but the bridge does not decode yet */
    ecam_wr(f, ECAM(0, br, PCI_IO_BASE), 0x1010, 2);
    assert_int_equal(as_read_val(&f->tb.as_mem, 0x2004, 2, NULL), 0);
    ecam_wr(f, ECAM(0, br, PCI_COMMAND), PCI_COMMAND_MEMORY | PCI_COMMAND_IO, 2);
    assert_int_equal(as_read_val(&f->tb.as_mem, 0x2004, 2, NULL), 0xab04);
    assert_int_equal(as_read_val(&f->tb.as_io, 0x1102, 2, NULL), 0xab02);
    /* a memory window of 0x100000-0x1fffff, the prefetchable one closed
     * (base above limit), leaves 0x2000 behind */
    ecam_wr(f, ECAM(0, br, PCI_MEMORY_BASE), 0x00100010, 4);
    assert_int_equal(as_read_val(&f->tb.as_mem, 0x2004, 2, NULL), 0xab04);
    ecam_wr(f, ECAM(0, br, PCI_PREF_MEMORY_BASE), 0x0001fff1, 4);
    assert_int_equal(as_read_val(&f->tb.as_mem, 0x2004, 2, NULL), 0);
    ecam_wr(f, ECAM(1, 0, PCI_BASE_ADDRESS_0), 0x101000, 4);
    assert_int_equal(as_read_val(&f->tb.as_mem, 0x101008, 2, NULL), 0xab08);
    /* base above limit: closed */
    ecam_wr(f, ECAM(0, br, PCI_MEMORY_BASE), 0x00100020, 4);
    assert_int_equal(as_read_val(&f->tb.as_mem, 0x101008, 2, NULL), 0);
    /* an I/O window of 0x2000-0x2fff leaves 0x1100 behind */
    ecam_wr(f, ECAM(0, br, PCI_IO_BASE), 0x2020, 2);
    assert_int_equal(as_read_val(&f->tb.as_io, 0x1102, 2, NULL), 0);
}

static void test_bridge_intx_swizzle(void **state)
{
    Fixture *f = *state;

    /* INTA of slot 0 behind a bridge is the bridge's INTA: pin 0 */
    pci_set_irq(&f->ep.pci, 1);
    assert_int_equal(f->levels[0], 1);
    pci_set_irq(&f->ep.pci, 0);
    assert_int_equal(f->levels[0], 0);
    /* the same pin moved to slot 1 arrives as INTB */
    f->br.sec_bus.devices[PCI_DEVFN(0, 0)] = NULL;
    f->ep.pci.devfn = PCI_DEVFN(1, 0);
    f->br.sec_bus.devices[PCI_DEVFN(1, 0)] = &f->ep.pci;
    pci_set_irq(&f->ep.pci, 1);
    assert_int_equal(f->levels[1], 1);
    assert_int_equal(f->levels[0], 0);
    pci_set_irq(&f->ep.pci, 0);
}

static void test_bridge_dma_master(void **state)
{
    Fixture *f = *state;
    uint8_t buf[4] = { 1, 2, 3, 4 };

    ecam_wr(f, ECAM(0, PCI_DEVFN(2, 0), PCI_PRIMARY_BUS), 0x00010100, 4);
    ecam_wr(f, ECAM(1, 0, PCI_COMMAND), PCI_COMMAND_MASTER, 2);
    unsigned long errors = log_guest_error_count();
    assert_int_equal(pci_dma_write(&f->ep.pci, 0x100, buf, 4), MEMTX_DECODE_ERROR);
    assert_int_equal(log_guest_error_count(), errors + 1);
    ecam_wr(f, ECAM(0, PCI_DEVFN(2, 0), PCI_COMMAND), PCI_COMMAND_MASTER, 2);
    assert_int_equal(pci_dma_write(&f->ep.pci, 0x100, buf, 4), MEMTX_OK);
    assert_int_equal(as_read_val(&f->tb.as_mem, 0x100, 4, NULL), 0x04030201);
}

static void test_bridge_bus_reset(void **state)
{
    Fixture *f = *state;
    uint32_t br = PCI_DEVFN(2, 0);

    bridge_open(f, 0);
    ecam_wr(f, ECAM(1, 0, PCI_COMMAND), PCI_COMMAND_MEMORY, 2);
    unsigned before = f->ep.resets;
    ecam_wr(f, ECAM(0, br, PCI_BRIDGE_CONTROL), PCI_BRIDGE_CTL_BUS_RESET, 2);
    assert_int_equal(f->ep.resets, before + 1);
    assert_int_equal(f->ep.pci.config[PCI_COMMAND], 0);
    /* held: no second reset; released and set again: one more */
    ecam_wr(f, ECAM(0, br, PCI_BRIDGE_CONTROL), PCI_BRIDGE_CTL_BUS_RESET, 2);
    assert_int_equal(f->ep.resets, before + 1);
    ecam_wr(f, ECAM(0, br, PCI_BRIDGE_CONTROL), 0, 2);
    ecam_wr(f, ECAM(0, br, PCI_BRIDGE_CONTROL), PCI_BRIDGE_CTL_BUS_RESET, 2);
    assert_int_equal(f->ep.resets, before + 2);
}

static void test_express_space(void **state)
{
    Fixture *f = *state;

    bridge_open(f, 0);
    assert_int_equal(pci_config_size(&f->ep.pci), PCIE_CONFIG_SPACE_SIZE);
    assert_int_equal(pci_config_size(&f->root_ep.pci), PCI_CONFIG_SPACE_SIZE);
    ecam_wr(f, ECAM(1, 0, 0x200), 0xdeadbeef, 4);
    assert_int_equal(ecam_rd(f, ECAM(1, 0, 0x200), 4), 0xdeadbeef);
    assert_int_equal(ecam_rd(f, ECAM(1, 0, 0x201), 2), 0xadbe);
    ecam_wr(f, ECAM(1, 0, 0xffe), 0x44332211, 4);
    assert_int_equal(ecam_rd(f, ECAM(1, 0, 0xffc), 4), 0x22110000);
    assert_int_equal(ecam_rd(f, ECAM(1, 0, 0xffe), 4), 0x2211);
    /* mechanism #1 reaches the first 256 bytes only, cut at 0xff */
    ecam_wr(f, ECAM(1, 0, 0xfc), 0x88776655, 4);
    assert_int_equal(pci_host_config_read(&f->tb.bus, CF8(1, 0, 0xfe), 4), 0x8877);
}

static void test_pcie_capability(void **state)
{
    Fixture *f = *state;
    PCIDevice *d = &f->ep.pci;

    uint8_t pos = pcie_add_capability(d, PCI_EXP_TYPE_ENDPOINT, 0x40, 0, NULL);
    assert_int_equal(pos, 0x40);
    assert_int_equal(d->exp_cap, 0x40);
    assert_int_equal(pci_find_capability(d, PCI_CAP_ID_EXP), 0x40);
    assert_int_equal(pci_get_word(d->config + pos + PCI_EXP_FLAGS), 0x0002);
    assert_int_equal(pci_get_long(d->config + pos + PCI_EXP_DEVCAP), 0x8000);
    assert_int_equal(pci_get_long(d->config + pos + PCI_EXP_LNKCAP), 0x00000411);
    assert_int_equal(pci_get_word(d->config + pos + PCI_EXP_LNKSTA), 0x0011);
    assert_int_equal(pci_get_long(d->config + pos + PCI_EXP_DEVCAP2), 0x00300000);
    /* read-only but for DEVCTL2's EETLPPB; 0x100 a read-only null header */
    pci_config_write(d, pos + PCI_EXP_DEVCAP, 0, 4);
    assert_int_equal(pci_get_long(d->config + pos + PCI_EXP_DEVCAP), 0x8000);
    pci_config_write(d, pos + PCI_EXP_DEVCTL2, 0xffff, 2);
    assert_int_equal(pci_config_read(d, pos + PCI_EXP_DEVCTL2, 2), 0x8000);
    pci_config_write(d, 0x100, 0xffffffff, 4);
    assert_int_equal(pci_config_read(d, 0x100, 4), 0);
    /* root port type */
    uint8_t rp = pcie_add_capability(&f->br.dev, PCI_EXP_TYPE_ROOT_PORT, 0, 3, NULL);
    assert_int_equal(pci_get_word(f->br.dev.config + rp + PCI_EXP_FLAGS), 0x0042);
    assert_int_equal(f->br.dev.config[rp + PCI_EXP_LNKCAP + 3], 3);
}

static void test_ext_capabilities(void **state)
{
    Fixture *f = *state;
    PCIDevice *d = &f->ep.pci;

    pcie_add_ext_capability(d, 0x0001, 2, 0x100, 0x48);
    pcie_add_ext_capability(d, 0x000d, 1, 0x148, 8);
    assert_int_equal(pci_config_read(d, 0x100, 4), 0x14820001);
    assert_int_equal(pci_config_read(d, 0x148, 4), 0x0001000d);
    pci_config_write(d, 0x148, 0, 4);
    assert_int_equal(pci_config_read(d, 0x148, 4), 0x0001000d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bus_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ecam_root_bus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bridge_routing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bridge_masks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bridge_windows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bridge_intx_swizzle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bridge_dma_master, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bridge_bus_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_express_space, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pcie_capability, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ext_capabilities, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
