/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for emu/sglist.c: the entry and length caps, zero-length
 * entries, entries that wrap the address space, addresses of a byte, and
 * reads and writes across entries, from offsets, past the end, over
 * unmapped pieces, stopped by a refused piece; and pci_sg_read/pci_sg_write gated by bus mastering.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/dma.h"
#include "emu/log.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "emu/pci.h"
#include "emu/sglist.h"

#define RAM_SIZE 0x10000
#define MAX_ENTRIES 4

typedef struct Fixture {
    MemoryRegion root, ram;
    AddressSpace as;
    SGEntry storage[MAX_ENTRIES];
    SGList sg;
} Fixture;

static int setup(void **state)
{
    Fixture *f = g_new0(Fixture, 1);

    mr_init_container(&f->root, NULL, "root", MR_SIZE_MAX);
    mr_init_ram(&f->ram, NULL, "ram", RAM_SIZE);
    mr_add_subregion(&f->root, 0, &f->ram);
    as_init(&f->as, &f->root, "memory");
    sg_init(&f->sg, f->storage, MAX_ENTRIES, 0x1000);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;

    mr_free_backing(&f->ram);
    g_free(f->as.ranges);
    g_free(f);
    return 0;
}

static void test_entry_cap(void **state)
{
    Fixture *f = *state;
    unsigned long errors = log_guest_error_count();

    for (unsigned i = 0; i < MAX_ENTRIES; i++) {
        assert_true(sg_add(&f->sg, 0x100 * i, 0x10));
    }
    assert_false(sg_add(&f->sg, 0x800, 0x10));
    assert_int_equal(f->sg.nr, MAX_ENTRIES);
    assert_int_equal(sg_size(&f->sg), 0x40);
    assert_int_equal(log_guest_error_count(), errors + 1);
    sg_clear(&f->sg);
    assert_int_equal(f->sg.nr, 0);
    assert_int_equal(sg_size(&f->sg), 0);
    assert_true(sg_add(&f->sg, 0x800, 0x10));
}

static void test_size_cap(void **state)
{
    Fixture *f = *state;

    assert_true(sg_add(&f->sg, 0, 0xff0));
    assert_false(sg_add(&f->sg, 0x2000, 0x11));      /* one byte too many */
    assert_true(sg_add(&f->sg, 0x2000, 0x10));       /* exactly the cap */
    assert_int_equal(sg_size(&f->sg), 0x1000);
    assert_false(sg_add(&f->sg, 0x3000, 1));
    /* A huge length cannot wrap the total past the cap. */
    sg_clear(&f->sg);
    assert_true(sg_add(&f->sg, 0, 0x10));
    assert_false(sg_add(&f->sg, 0, UINT64_MAX));
    assert_int_equal(sg_size(&f->sg), 0x10);
    assert_int_equal(f->sg.nr, 1);
}

static void test_zero_length(void **state)
{
    Fixture *f = *state;
    unsigned long errors = log_guest_error_count();

    /* Accepted, and not stored: they use no entry. */
    for (unsigned i = 0; i < 2 * MAX_ENTRIES; i++) {
        assert_true(sg_add(&f->sg, 0x100, 0));
    }
    assert_int_equal(f->sg.nr, 0);
    assert_true(sg_add(&f->sg, UINT64_MAX, 0));
    assert_int_equal(log_guest_error_count(), errors);
    assert_int_equal(sg_copy(&f->sg, 0, NULL, 0, false, NULL, NULL), 0);
}

static void test_wrap(void **state)
{
    Fixture *f = *state;
    unsigned long errors = log_guest_error_count();

    assert_false(sg_add(&f->sg, UINT64_MAX - 0xf, 0x20));
    assert_false(sg_add(&f->sg, UINT64_MAX, 1));
    /* As dma.c: the end must stay below 2^64 - 1. */
    assert_false(sg_add(&f->sg, UINT64_MAX - 0xf, 0x10));
    assert_true(sg_add(&f->sg, UINT64_MAX - 0xf, 0xf));
    assert_int_equal(f->sg.nr, 1);
    assert_int_equal(log_guest_error_count(), errors + 3);
}

static void test_addr_at(void **state)
{
    Fixture *f = *state;
    uint64_t addr;

    sg_add(&f->sg, 0x1000, 4);
    sg_add(&f->sg, 0x3000, 2);
    assert_true(sg_addr_at(&f->sg, 0, &addr));
    assert_int_equal(addr, 0x1000);
    assert_true(sg_addr_at(&f->sg, 3, &addr));
    assert_int_equal(addr, 0x1003);
    assert_true(sg_addr_at(&f->sg, 4, &addr));
    assert_int_equal(addr, 0x3000);
    assert_true(sg_addr_at(&f->sg, 5, &addr));
    assert_int_equal(addr, 0x3001);
    assert_false(sg_addr_at(&f->sg, 6, &addr));
    assert_false(sg_addr_at(&f->sg, UINT64_MAX, &addr));
}

/* Three entries: 3 bytes at 0x100, 5 at 0x200, 2 at 0x300. */
static void add_three(Fixture *f)
{
    assert_true(sg_add(&f->sg, 0x100, 3));
    assert_true(sg_add(&f->sg, 0x200, 5));
    assert_true(sg_add(&f->sg, 0x300, 2));
}

static void test_write_across(void **state)
{
    Fixture *f = *state;
    uint8_t buf[4];

    add_three(f);
    assert_int_equal(sg_write(&f->as, &f->sg, 0, "0123456789xyz", 13), 10);
    as_read(&f->as, 0x100, buf, 4);
    assert_memory_equal(buf, "012\0", 4);
    as_read(&f->as, 0x200, buf, 4);
    assert_memory_equal(buf, "3456", 4);
    as_read(&f->as, 0x204, buf, 2);
    assert_memory_equal(buf, "7", 1);
    as_read(&f->as, 0x300, buf, 3);
    assert_memory_equal(buf, "89\0", 3);
    assert_true(mr_page_dirty(&f->ram, 0));
    /* From an offset inside the second entry, over into the third. */
    assert_int_equal(sg_write(&f->as, &f->sg, 6, "ABCD", 4), 4);
    as_read(&f->as, 0x203, buf, 2);
    assert_memory_equal(buf, "AB", 2);
    as_read(&f->as, 0x300, buf, 2);
    assert_memory_equal(buf, "CD", 2);
}

static void test_read_across(void **state)
{
    Fixture *f = *state;
    uint8_t buf[16];

    as_write(&f->as, 0x100, "abc", 3);
    as_write(&f->as, 0x200, "defgh", 5);
    as_write(&f->as, 0x300, "ij", 2);
    add_three(f);
    memset(buf, 0, sizeof(buf));
    assert_int_equal(sg_read(&f->as, &f->sg, 0, buf, sizeof(buf)), 10);
    assert_memory_equal(buf, "abcdefghij", 10);
    memset(buf, 0, sizeof(buf));
    assert_int_equal(sg_read(&f->as, &f->sg, 2, buf, 4), 4);
    assert_memory_equal(buf, "cdef", 4);
    assert_int_equal(sg_read(&f->as, &f->sg, 3, buf, 0), 0);
    /* At or past the end: nothing. */
    assert_int_equal(sg_read(&f->as, &f->sg, 10, buf, 4), 0);
    assert_int_equal(sg_read(&f->as, &f->sg, UINT64_MAX, buf, 4), 0);
}

/* A piece outside RAM reads as zeros and the copy goes on. */
static void test_unmapped_piece(void **state)
{
    Fixture *f = *state;
    uint8_t buf[6];

    as_write(&f->as, 0x100, "abc", 3);
    as_write(&f->as, 0x400, "xyz", 3);
    assert_true(sg_add(&f->sg, 0x100, 2));
    assert_true(sg_add(&f->sg, 0x100000, 2));
    assert_true(sg_add(&f->sg, 0x400, 2));
    memset(buf, 0xee, sizeof(buf));
    assert_int_equal(sg_read(&f->as, &f->sg, 0, buf, 6), 6);
    assert_memory_equal(buf, "ab\0\0xy", 6);
}

/* A piece the DMA refuses (the budget is spent) ends the copy: the count
 * says how far it got, the rest of a read is zeros, and nothing after the
 * refused piece is written. */
static void test_refused_piece(void **state)
{
    Fixture *f = *state;
    DMABudget b;
    uint8_t buf[10];

    as_write(&f->as, 0x100, "abc", 3);
    as_write(&f->as, 0x300, "ij", 2);
    add_three(f);
    dma_budget_init(&b, 6);             /* the first entry, not the second */
    dma_set_budget(&f->as, &b);
    memset(buf, 0xee, sizeof(buf));
    assert_int_equal(sg_read(&f->as, &f->sg, 0, buf, sizeof(buf)), 3);
    assert_memory_equal(buf, "abc\0\0\0\0\0\0\0", 10);
    dma_budget_refill(&b);
    assert_int_equal(sg_write(&f->as, &f->sg, 0, "0123456789", 10), 3);
    as_read(&f->as, 0x300, buf, 2);
    assert_memory_equal(buf, "ij", 2);   /* past the refusal: untouched */
    dma_set_budget(&f->as, NULL);
}

static const TypeInfo test_pci_type = {
    .name = "test-pci",
    .parent = "pci-device",
};

/* pci_sg_*: bus-master DMA, refused while the master bit is clear. */
static void test_pci_sg(void **state)
{
    Fixture *f = *state;
    MemoryRegion io;
    PCIBus bus;
    PCIDevice d;
    uint8_t buf[4] = { 0 };

    mr_init_container(&io, NULL, "io", 0x10000);
    pci_bus_init(&bus, NULL, &f->root, &io, &f->as);
    memset(&d, 0, sizeof(d));
    object_initialize(&d.obj, &test_pci_type);
    pci_device_init(&d);
    assert_true(pci_device_register(&bus, &d, NULL));
    add_three(f);
    assert_int_equal(pci_sg_write(&d, &f->sg, 0, "wxyz", 4), 4);
    as_read(&f->as, 0x100, buf, 4);
    assert_memory_equal(buf, "\0\0\0\0", 4);
    pci_config_write(&d, PCI_COMMAND, PCI_COMMAND_MASTER, 2);
    assert_int_equal(pci_sg_write(&d, &f->sg, 0, "wxyz", 4), 4);
    assert_int_equal(pci_sg_read(&d, &f->sg, 1, buf, 3), 3);
    assert_memory_equal(buf, "xyz", 3);
    g_free(bus.devices);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_entry_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_size_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zero_length, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_addr_at, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_across, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_across, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmapped_piece, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_piece, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pci_sg, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
