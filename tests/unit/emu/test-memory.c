/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for emu/memory*.c: flattening (priorities, aliases, disabled and
 * nested regions), dispatch (splitting, widening, valid/impl rules,
 * unassigned bytes, re-entrancy), dirty pages, ROM and `info mtree`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/memory.h"
#include "emu/object.h"

#define MAX_CALLS 32

typedef struct Call {
    bool write;
    uint64_t addr;
    unsigned size;
    uint64_t val;
} Call;

/* A fake device: every callback is logged; reads return `base + addr`. */
typedef struct TestDev {
    Object obj;
    MemoryRegion mr;
    uint64_t base;
    Call calls[MAX_CALLS];
    unsigned nr_calls;
    /* Re-entrancy: the read callback reads this address space once. */
    AddressSpace *reenter_as;
    uint64_t reenter_addr;
    MemTxResult reenter_res;
    uint64_t reenter_val;
    bool in_io_seen;
} TestDev;

static void dev_log(TestDev *d, bool write, uint64_t addr, unsigned size,
                    uint64_t val)
{
    assert_true(d->nr_calls < MAX_CALLS);
    d->calls[d->nr_calls++] = (Call){ write, addr, size, val };
}

static uint64_t dev_read(void *opaque, uint64_t addr, unsigned size)
{
    TestDev *d = opaque;
    d->in_io_seen = object_entered(&d->obj);
    if (d->reenter_as) {
        AddressSpace *as = d->reenter_as;
        d->reenter_as = NULL;
        d->reenter_val = as_read_val(as, d->reenter_addr, 1, &d->reenter_res);
    }
    dev_log(d, false, addr, size, 0);
    return d->base + addr;
}

static void dev_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    dev_log(opaque, true, addr, size, val);
}

static const MemoryRegionOps dev_ops = {
    .read = dev_read,
    .write = dev_write,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};

static void dev_init(TestDev *d, const MemoryRegionOps *ops, const char *name,
                     uint64_t size, uint64_t base)
{
    memset(d, 0, sizeof(*d));
    d->base = base;
    mr_init_io(&d->mr, &d->obj, ops, d, name, size);
}

static void assert_call(const TestDev *d, unsigned i, bool write,
                        uint64_t addr, unsigned size, uint64_t val)
{
    assert_true(i < d->nr_calls);
    assert_int_equal(d->calls[i].write, write);
    assert_int_equal(d->calls[i].addr, addr);
    assert_int_equal(d->calls[i].size, size);
    if (write) {
        assert_int_equal(d->calls[i].val, val);
    }
}

/* A root container of 64 KiB with its address space. */
typedef struct Fixture {
    MemoryRegion root;
    AddressSpace as;
} Fixture;

static Fixture *fixture_new(uint64_t size)
{
    Fixture *f = g_new0(Fixture, 1);
    mr_init_container(&f->root, NULL, "root", size);
    as_init(&f->as, &f->root, "test");
    return f;
}

static void fixture_free(Fixture *f)
{
    g_free(f->as.ranges);
    g_free(f);
}

static void ram_free(MemoryRegion *mr)
{
    mr_free_backing(mr);
}

static uint64_t rd(Fixture *f, uint64_t addr, unsigned size, MemTxResult *res)
{
    return as_read_val(&f->as, addr, size, res);
}

/* ---------------------------------------------------------------------- */

static void test_priority(void **state)
{
    Fixture *f = fixture_new(0x10000);
    TestDev a, b;
    dev_init(&a, &dev_ops, "a", 0x10, 0xa0);
    dev_init(&b, &dev_ops, "b", 0x10, 0xb0);

    /* b (prio 1) is added first but still wins over a (prio 0). */
    mr_add_subregion_overlap(&f->root, 0x108, &b.mr, 1);
    mr_add_subregion(&f->root, 0x100, &a.mr);
    assert_int_equal(rd(f, 0x104, 1, NULL), 0xa4);
    assert_int_equal(rd(f, 0x108, 1, NULL), 0xb0);
    assert_int_equal(rd(f, 0x10f, 1, NULL), 0xb7);
    assert_int_equal(rd(f, 0x117, 1, NULL), 0xbf);

    size_t n;
    const FlatRange *fr = as_ranges(&f->as, &n);
    assert_int_equal(n, 2);
    assert_ptr_equal(fr[0].mr, &a.mr);
    assert_int_equal(fr[0].start, 0x100);
    assert_int_equal(fr[0].size, 8);
    assert_ptr_equal(fr[1].mr, &b.mr);
    assert_int_equal(fr[1].start, 0x108);
    assert_int_equal(fr[1].size, 0x10);
    fixture_free(f);
}

static void test_equal_priority_last_added_wins(void **state)
{
    Fixture *f = fixture_new(0x10000);
    TestDev a, b;
    dev_init(&a, &dev_ops, "a", 0x10, 0xa0);
    dev_init(&b, &dev_ops, "b", 0x10, 0xb0);

    mr_add_subregion(&f->root, 0x200, &a.mr);
    mr_add_subregion(&f->root, 0x208, &b.mr);
    assert_int_equal(rd(f, 0x208, 1, NULL), 0xb0);
    assert_int_equal(rd(f, 0x207, 1, NULL), 0xa7);

    /* Re-adding a makes it the most recent: now a wins the overlap. */
    mr_del_subregion(&f->root, &a.mr);
    assert_int_equal(rd(f, 0x200, 1, NULL), 0);
    mr_add_subregion(&f->root, 0x200, &a.mr);
    assert_int_equal(rd(f, 0x208, 1, NULL), 0xa8);
    assert_int_equal(rd(f, 0x210, 1, NULL), 0xb8);
    fixture_free(f);
}

static void test_alias(void **state)
{
    Fixture *f = fixture_new(0x100000);
    MemoryRegion ram, alias;
    mr_init_ram(&ram, NULL, "ram", 0x4000);
    for (unsigned i = 0; i < 0x4000; i++) {
        mr_ram_ptr(&ram)[i] = (uint8_t)(i >> 8);
    }
    mr_init_alias(&alias, NULL, "win", &ram, 0x1000, 0x1000);
    mr_add_subregion(&f->root, 0x20000, &alias);

    assert_int_equal(rd(f, 0x20000, 1, NULL), 0x10);
    assert_int_equal(rd(f, 0x20fff, 1, NULL), 0x1f);
    MemTxResult res;
    assert_int_equal(rd(f, 0x21000, 1, &res), 0);
    assert_int_equal(res, MEMTX_DECODE_ERROR);

    const FlatRange *fr = as_lookup(&f->as, 0x20010);
    assert_non_null(fr);
    assert_ptr_equal(fr->mr, &ram);
    assert_int_equal(fr->start, 0x20000);
    assert_int_equal(fr->offset_in_mr, 0x1000);

    mr_set_alias_offset(&alias, 0x2000);
    assert_int_equal(rd(f, 0x20000, 1, NULL), 0x20);
    assert_int_equal(as_lookup(&f->as, 0x20000)->offset_in_mr, 0x2000);

    /* An alias window past the target's end shows only what exists. */
    mr_set_alias_offset(&alias, 0x3800);
    assert_int_equal(rd(f, 0x20000, 1, NULL), 0x38);
    assert_int_equal(rd(f, 0x20800, 1, &res), 0);
    assert_int_equal(res, MEMTX_DECODE_ERROR);
    ram_free(&ram);
    fixture_free(f);
}

static void test_alias_of_container(void **state)
{
    Fixture *f = fixture_new(0x100000);
    MemoryRegion pci, alias;
    TestDev a;
    dev_init(&a, &dev_ops, "a", 0x100, 0x10);
    /* pci has an address of its own (ignored when rendered via the alias). */
    mr_init_container(&pci, NULL, "pci", 0x100000);
    pci.addr = 0x55000;
    mr_add_subregion(&pci, 0xc0000, &a.mr);
    mr_init_alias(&alias, NULL, "pam", &pci, 0xc0000, 0x80);
    mr_add_subregion_overlap(&f->root, 0xc0000, &alias, 1);

    assert_int_equal(rd(f, 0xc0004, 1, NULL), 0x14);
    assert_int_equal(rd(f, 0xc0080, 1, NULL), 0);
    mr_set_alias_offset(&alias, 0xc0040);
    assert_int_equal(rd(f, 0xc0004, 1, NULL), 0x54);
    /* Offsets below the target's subregion show nothing. */
    mr_set_alias_offset(&alias, 0xbffc0);
    assert_int_equal(rd(f, 0xc0000, 1, NULL), 0);
    assert_int_equal(rd(f, 0xc0041, 1, NULL), 0x11);
    fixture_free(f);
}

/* Adjacent pieces of one region with contiguous offsets merge (QEMU too). */
static void test_merge_ranges(void **state)
{
    Fixture *f = fixture_new(0x100000);
    MemoryRegion ram, lo, hi, other;
    mr_init_ram(&ram, NULL, "ram", 0x4000);
    mr_init_alias(&lo, NULL, "lo", &ram, 0, 0x1000);
    mr_init_alias(&hi, NULL, "hi", &ram, 0x1000, 0x1000);
    mr_init_alias(&other, NULL, "other", &ram, 0x3000, 0x1000);
    mr_add_subregion(&f->root, 0x40000, &lo);
    mr_add_subregion(&f->root, 0x41000, &hi);
    mr_add_subregion(&f->root, 0x42000, &other);

    size_t n;
    const FlatRange *fr = as_ranges(&f->as, &n);
    assert_int_equal(n, 2);
    assert_int_equal(fr[0].start, 0x40000);
    assert_int_equal(fr[0].size, 0x2000);
    assert_int_equal(fr[0].offset_in_mr, 0);
    assert_int_equal(fr[1].start, 0x42000);
    assert_int_equal(fr[1].offset_in_mr, 0x3000);
    ram_free(&ram);
    fixture_free(f);
}

static void test_disabled(void **state)
{
    Fixture *f = fixture_new(0x10000);
    TestDev a, b;
    MemTxResult res;
    dev_init(&a, &dev_ops, "a", 0x10, 0xa0);
    dev_init(&b, &dev_ops, "b", 0x10, 0xb0);
    mr_add_subregion(&f->root, 0x100, &a.mr);
    mr_add_subregion_overlap(&f->root, 0x100, &b.mr, 1);

    assert_int_equal(rd(f, 0x100, 1, NULL), 0xb0);
    mr_set_enabled(&b.mr, false);
    assert_int_equal(rd(f, 0x100, 1, NULL), 0xa0);
    mr_set_enabled(&a.mr, false);
    assert_int_equal(rd(f, 0x100, 1, &res), 0);
    assert_int_equal(res, MEMTX_DECODE_ERROR);
    assert_null(as_lookup(&f->as, 0x100));
    mr_set_enabled(&b.mr, true);
    assert_int_equal(rd(f, 0x100, 1, &res), 0xb0);
    assert_int_equal(res, MEMTX_OK);
    fixture_free(f);
}

static void test_nested_containers(void **state)
{
    Fixture *f = fixture_new(0x100000);
    MemoryRegion outer, inner;
    TestDev a;
    dev_init(&a, &dev_ops, "a", 0x100, 0x10);
    mr_init_container(&outer, NULL, "outer", 0x10000);
    mr_init_container(&inner, NULL, "inner", 0x1000);
    mr_add_subregion(&inner, 0xf80, &a.mr);      /* half sticks out */
    mr_add_subregion(&outer, 0x2000, &inner);
    mr_add_subregion(&f->root, 0x30000, &outer);

    assert_int_equal(rd(f, 0x32f80, 1, NULL), 0x10);
    assert_int_equal(rd(f, 0x32fff, 1, NULL), 0x8f);
    /* Clipped by inner's size. */
    assert_int_equal(rd(f, 0x33000, 1, NULL), 0);
    assert_int_equal(a.nr_calls, 2);

    /* Topology changes deep in the tree reach the root's address space. */
    mr_set_address(&inner, 0x4000);
    assert_int_equal(rd(f, 0x34f81, 1, NULL), 0x11);
    assert_int_equal(rd(f, 0x32f81, 1, NULL), 0);
    mr_set_enabled(&outer, false);
    assert_int_equal(rd(f, 0x34f81, 1, NULL), 0);
    fixture_free(f);
}

static void test_straddle(void **state)
{
    Fixture *f = fixture_new(0x10000);
    TestDev a, b;
    MemoryRegion ram;
    MemTxResult res;
    dev_init(&a, &dev_ops, "a", 0x10, 0xa0);
    dev_init(&b, &dev_ops, "b", 0x10, 0xb0);
    mr_add_subregion(&f->root, 0x100, &a.mr);
    mr_add_subregion(&f->root, 0x110, &b.mr);

    /* 4 bytes at 0x10e: a's last 2 bytes, then b's first 2. */
    assert_int_equal(rd(f, 0x10e, 4, &res), 0x00b000aeu);
    assert_int_equal(res, MEMTX_OK);
    assert_int_equal(a.nr_calls, 1);
    assert_call(&a, 0, false, 0xe, 2, 0);
    assert_int_equal(b.nr_calls, 1);
    assert_call(&b, 0, false, 0x0, 2, 0);

    as_write_val(&f->as, 0x10e, 0x44332211, 4, &res);
    assert_call(&a, 1, true, 0xe, 2, 0x2211);
    assert_call(&b, 1, true, 0x0, 2, 0x4433);

    /* RAM next to a device. */
    mr_init_ram(&ram, NULL, "ram", 0x100);
    memset(mr_ram_ptr(&ram), 0x5a, 0x100);
    mr_add_subregion(&f->root, 0x0, &ram);
    assert_int_equal(rd(f, 0xfe, 4, &res), 0x00a05a5au);
    ram_free(&ram);
    fixture_free(f);
}

/*
 * An I/O piece is one access sized by the region's rules only; it is not
 * cut where the flat range ends (QEMU: inl 0xcf8 is one 4-byte access to
 * the PCI address register though 0xcf9 is the reset control register).
 */
static void test_io_piece_runs_past_range(void **state)
{
    Fixture *f = fixture_new(0x10000);
    TestDev idx, rst, small;
    MemTxResult res;
    dev_init(&idx, &dev_ops, "idx", 4, 0x10);
    dev_init(&rst, &dev_ops, "rst", 1, 0x20);
    dev_init(&small, &dev_ops, "small", 2, 0x30);
    mr_add_subregion(&f->root, 0xcf8, &idx.mr);
    mr_add_subregion_overlap(&f->root, 0xcf9, &rst.mr, 1);
    mr_add_subregion(&f->root, 0x60, &small.mr);

    assert_int_equal(rd(f, 0xcf8, 4, &res), 0x10);
    assert_int_equal(res, MEMTX_OK);
    assert_int_equal(idx.nr_calls, 1);
    assert_call(&idx, 0, false, 0, 4, 0);
    assert_int_equal(rst.nr_calls, 0);
    as_write_val(&f->as, 0xcf8, 0x80000000, 4, NULL);
    assert_call(&idx, 1, true, 0, 4, 0x80000000);
    assert_int_equal(rst.nr_calls, 0);
    assert_int_equal(rd(f, 0xcf9, 1, NULL), 0x20);
    assert_int_equal(rst.nr_calls, 1);

    /* A 2-byte region read with 8 bytes: one access of 8 at offset 0. */
    assert_int_equal(rd(f, 0x60, 8, &res), 0x30);
    assert_int_equal(small.nr_calls, 1);
    assert_call(&small, 0, false, 0, 8, 0);
    fixture_free(f);
}

/* Unassigned bytes go in QEMU's pieces: aligned, at most 4 bytes. */
static void test_unassigned_pieces(void **state)
{
    Fixture *f = fixture_new(0x10000);
    TestDev a;
    MemTxResult res;
    uint8_t buf[8];
    static const uint8_t zero8[8];
    dev_init(&a, &dev_ops, "a", 8, 0xa0);
    mr_add_subregion(&f->root, 0x1006, &a.mr);

    /* The piece at 0x1004 covers 0x1004-0x1007: a's first bytes read 0. */
    memset(buf, 0x77, sizeof(buf));
    assert_int_equal(as_read(&f->as, 0x1000, buf, 8), MEMTX_DECODE_ERROR);
    assert_memory_equal(buf, zero8, 8);
    assert_int_equal(a.nr_calls, 0);
    /* From 0x1005: 1 byte unassigned, then a 2-byte access to a. */
    assert_int_equal(rd(f, 0x1005, 2, &res), 0xa000);
    assert_int_equal(res, MEMTX_DECODE_ERROR);
    assert_int_equal(a.nr_calls, 1);
    assert_call(&a, 0, false, 0, 1, 0);

    /* A device's last 2 bytes, then 2 unassigned bytes: two pieces. */
    assert_int_equal(rd(f, 0x100c, 4, &res), 0xa6);
    assert_int_equal(res, MEMTX_DECODE_ERROR);
    assert_call(&a, 1, false, 6, 2, 0);
    assert_int_equal(a.nr_calls, 2);

    /* A long unassigned run: its last piece (0x1004) runs over a's start. */
    uint8_t *big = g_malloc(0x1010);
    memset(big, 0x77, 0x1010);
    assert_int_equal(as_read(&f->as, 0x2, big, 0x1010), MEMTX_DECODE_ERROR);
    for (unsigned i = 0; i < 0x1006; i++) {
        assert_int_equal(big[i], 0);
    }
    assert_int_equal(big[0x1006], 0xa2);     /* 0x1008: a at offset 2 */
    assert_int_equal(big[0x1008], 0xa4);     /* 0x100a: offset 4 */
    g_free(big);
    fixture_free(f);
}

static const MemoryRegionOps byte_ops = {
    .read = dev_read,
    .write = dev_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static uint64_t const_read(void *opaque, uint64_t addr, unsigned size)
{
    TestDev *d = opaque;
    dev_log(d, false, addr, size, 0);
    return d->base;
}

static void test_split_impl_max(void **state)
{
    Fixture *f = fixture_new(0x10000);
    TestDev a;
    dev_init(&a, &byte_ops, "a", 0x10, 0x40);
    mr_add_subregion(&f->root, 0x100, &a.mr);

    /* Callbacks return 0x40 + addr: bytes 44 45 46 47. */
    assert_int_equal(rd(f, 0x104, 4, NULL), 0x47464544);
    assert_int_equal(a.nr_calls, 4);
    for (unsigned i = 0; i < 4; i++) {
        assert_call(&a, i, false, 4 + i, 1, 0);
    }
    a.nr_calls = 0;
    as_write_val(&f->as, 0x104, 0xddccbbaa, 4, NULL);
    assert_int_equal(a.nr_calls, 4);
    assert_call(&a, 0, true, 4, 1, 0xaa);
    assert_call(&a, 3, true, 7, 1, 0xdd);
    fixture_free(f);
}

static const MemoryRegionOps wide_ops = {
    .read = const_read,
    .write = dev_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static void test_widen_impl_min(void **state)
{
    Fixture *f = fixture_new(0x10000);
    TestDev a;
    dev_init(&a, &wide_ops, "a", 0x10, 0x11223344);
    mr_add_subregion(&f->root, 0x100, &a.mr);

    /* One 4-byte callback at the same address; the low byte is returned. */
    assert_int_equal(rd(f, 0x101, 1, NULL), 0x44);
    assert_int_equal(a.nr_calls, 1);
    assert_call(&a, 0, false, 1, 4, 0);
    assert_int_equal(rd(f, 0x102, 2, NULL), 0x3344);
    assert_call(&a, 1, false, 2, 4, 0);

    as_write_val(&f->as, 0x103, 0x9a, 1, NULL);
    assert_int_equal(a.nr_calls, 3);
    assert_call(&a, 2, true, 3, 4, 0x9a);
    fixture_free(f);
}

static const MemoryRegionOps dword_ops = {
    .read = dev_read,
    .write = dev_write,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static void test_valid_sizes(void **state)
{
    Fixture *f = fixture_new(0x10000);
    TestDev a;
    MemTxResult res;
    dev_init(&a, &dword_ops, "a", 0x10, 0x100);
    mr_add_subregion(&f->root, 0x100, &a.mr);

    /* valid.max 4: an 8-byte access becomes two 4-byte ones (as QEMU). */
    assert_int_equal(rd(f, 0x100, 8, &res), 0x0000010400000100ull);
    assert_int_equal(res, MEMTX_OK);
    assert_int_equal(a.nr_calls, 2);
    assert_call(&a, 0, false, 0, 4, 0);
    assert_call(&a, 1, false, 4, 4, 0);

    /* valid.min 4: a 1- or 2-byte access is refused, reads 0. */
    assert_int_equal(rd(f, 0x100, 1, &res), 0);
    assert_int_equal(res, MEMTX_DECODE_ERROR);
    assert_int_equal(rd(f, 0x100, 2, &res), 0);
    assert_int_equal(res, MEMTX_DECODE_ERROR);
    as_write_val(&f->as, 0x100, 0x12, 1, &res);
    assert_int_equal(res, MEMTX_DECODE_ERROR);
    assert_int_equal(a.nr_calls, 2);

    /* valid max 0 means 4: an 8-byte read is still split. */
    static const MemoryRegionOps dflt_ops = { .read = dev_read, .write = dev_write };
    TestDev b;
    dev_init(&b, &dflt_ops, "b", 0x10, 0x200);
    mr_add_subregion(&f->root, 0x200, &b.mr);
    assert_int_equal(rd(f, 0x208, 8, &res), 0x0000020c00000208ull);
    assert_int_equal(b.nr_calls, 2);
    assert_call(&b, 0, false, 8, 4, 0);
    fixture_free(f);
}

static const MemoryRegionOps impl_unaligned_ops = {
    .read = const_read,
    .write = dev_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4, .unaligned = true },
};

static const MemoryRegionOps all_unaligned_ops = {
    .read = const_read,
    .write = dev_write,
    .valid = { .min_access_size = 1, .max_access_size = 4, .unaligned = true },
    .impl = { .min_access_size = 1, .max_access_size = 4, .unaligned = true },
};

static void test_unaligned(void **state)
{
    Fixture *f = fixture_new(0x10000);
    TestDev a, b, c;
    MemTxResult res;

    /* impl.unaligned false: a 4-byte access at 1 goes as 1 + 2 + 1. */
    dev_init(&a, &dev_ops, "a", 0x10, 0x10);
    mr_add_subregion(&f->root, 0x100, &a.mr);
    assert_int_equal(rd(f, 0x101, 4, &res), 0x14001211u);
    assert_int_equal(res, MEMTX_OK);
    assert_int_equal(a.nr_calls, 3);
    assert_call(&a, 0, false, 1, 1, 0);
    assert_call(&a, 1, false, 2, 2, 0);
    assert_call(&a, 2, false, 4, 1, 0);

    /* impl.unaligned true, valid.unaligned false: refused. */
    dev_init(&b, &impl_unaligned_ops, "b", 0x10, 0xcafe);
    mr_add_subregion(&f->root, 0x200, &b.mr);
    assert_int_equal(rd(f, 0x201, 4, &res), 0);
    assert_int_equal(res, MEMTX_DECODE_ERROR);
    assert_int_equal(b.nr_calls, 0);

    /* Both unaligned: one 4-byte callback at offset 1. */
    dev_init(&c, &all_unaligned_ops, "c", 0x10, 0xcafe);
    mr_add_subregion(&f->root, 0x300, &c.mr);
    assert_int_equal(rd(f, 0x301, 4, &res), 0xcafe);
    assert_int_equal(res, MEMTX_OK);
    assert_int_equal(c.nr_calls, 1);
    assert_call(&c, 0, false, 1, 4, 0);
    fixture_free(f);
}

/* as_range_read_val/as_range_write_val, given the range an address lies
 * in, make the same callbacks and give the same values as the general
 * path, for every region kind here: one callback, split, widened, refused
 * sizes, unaligned either way, accesses running past the range, and RAM. */
static void test_range_access(void **state)
{
    Fixture *f = fixture_new(0x10000);
    /* The last one ends off a 4-byte line. */
    TestDev dev[7];
    const MemoryRegionOps *ops[7] = { &dev_ops, &byte_ops, &wide_ops, &dword_ops,
                                      &impl_unaligned_ops, &all_unaligned_ops, &dev_ops };
    MemoryRegion ram;

    for (unsigned i = 0; i < G_N_ELEMENTS(dev); i++) {
        dev_init(&dev[i], ops[i], "d", i == 6 ? 0x6 : 0x10, 0x1000 * (i + 1));
        mr_add_subregion(&f->root, 0x100 * (i + 1), &dev[i].mr);
    }
    mr_init_ram(&ram, NULL, "ram", 0x1000);
    mr_add_subregion(&f->root, 0x2000, &ram);

    size_t n;
    const FlatRange *ranges = as_ranges(&f->as, &n);
    unsigned compared = 0;
    for (size_t i = 0; i < n; i++) {
        FlatRange fr = ranges[i];
        TestDev *d = fr.mr->kind == MR_KIND_IO ? fr.mr->opaque : NULL;
        for (uint64_t off = 0; off < MIN(fr.size, 12); off++) {
            for (unsigned size = 1; size <= 8; size *= 2) {
                if (off + size > fr.size && fr.mr->kind != MR_KIND_IO) {
                    continue;
                }
                uint64_t addr = fr.start + off, val = 0x8877665544332211ull;
                Call want[MAX_CALLS];
                unsigned nr_want = 0;
                uint8_t ram_want[16];

                for (int write = 0; write <= 1; write++) {
                    uint64_t got[2];
                    for (int fast = 0; fast <= 1; fast++) {
                        if (d) {
                            d->nr_calls = 0;
                        } else {
                            memset(ram.ram, 0xee, 0x20);
                        }
                        if (write && fast) {
                            as_range_write_val(&f->as, &fr, addr, val, size);
                        } else if (write) {
                            as_write_val(&f->as, addr, val, size, NULL);
                        }
                        got[fast] = write ? 0
                                    : fast ? as_range_read_val(&f->as, &fr, addr, size)
                                           : as_read_val(&f->as, addr, size, NULL);
                        if (!d) {
                            if (!fast) {
                                memcpy(ram_want, ram.ram, sizeof(ram_want));
                            } else {
                                assert_memory_equal(ram.ram, ram_want, sizeof(ram_want));
                            }
                        } else if (!fast) {
                            nr_want = d->nr_calls;
                            memcpy(want, d->calls, sizeof(want));
                        } else {
                            assert_int_equal(d->nr_calls, nr_want);
                            for (unsigned c = 0; c < nr_want; c++) {
                                assert_call(d, c, want[c].write, want[c].addr,
                                            want[c].size, want[c].val);
                            }
                        }
                    }
                    assert_int_equal(got[0], got[1]);
                    compared++;
                }
            }
        }
    }
    assert_true(compared > 300);
    ram_free(&ram);
    fixture_free(f);
}

static void test_unassigned(void **state)
{
    Fixture *f = fixture_new(0x10000);
    MemoryRegion ram;
    MemTxResult res;
    uint8_t buf[8];

    assert_int_equal(rd(f, 0x1234, 4, &res), 0);
    assert_int_equal(res, MEMTX_DECODE_ERROR);
    as_write_val(&f->as, 0x1234, 1, 4, &res);
    assert_int_equal(res, MEMTX_DECODE_ERROR);

    mr_init_ram(&ram, NULL, "ram", 0x100);
    memset(mr_ram_ptr(&ram), 0xee, 0x100);
    mr_add_subregion(&f->root, 0x1000, &ram);
    memset(buf, 0x77, sizeof(buf));
    assert_int_equal(as_read(&f->as, 0x10fc, buf, 8), MEMTX_DECODE_ERROR);
    assert_memory_equal(buf, "\xee\xee\xee\xee\0\0\0\0", 8);
    memset(buf, 0x77, sizeof(buf));
    assert_int_equal(as_read(&f->as, 0x10f8, buf, 8), MEMTX_OK);
    assert_memory_equal(buf, "\xee\xee\xee\xee\xee\xee\xee\xee", 8);
    ram_free(&ram);
    fixture_free(f);
}

static void test_set_address(void **state)
{
    Fixture *f = fixture_new(0x10000);
    TestDev a, b;
    dev_init(&a, &dev_ops, "a", 0x10, 0xa0);
    dev_init(&b, &dev_ops, "b", 0x10, 0xb0);
    mr_add_subregion(&f->root, 0x100, &a.mr);
    mr_add_subregion(&f->root, 0x200, &b.mr);
    assert_int_equal(rd(f, 0x200, 1, NULL), 0xb0);

    /* Moving a over b: a moved last, so it wins the tie (as QEMU). */
    mr_set_address(&a.mr, 0x208);
    assert_int_equal(a.mr.addr, 0x208);
    assert_int_equal(rd(f, 0x100, 1, NULL), 0);
    assert_int_equal(rd(f, 0x207, 1, NULL), 0xb7);
    assert_int_equal(rd(f, 0x208, 1, NULL), 0xa0);
    assert_int_equal(rd(f, 0x217, 1, NULL), 0xaf);
    assert_true(mr_is_mapped(&a.mr));
    mr_del_subregion(&f->root, &a.mr);
    assert_false(mr_is_mapped(&a.mr));
    assert_int_equal(rd(f, 0x208, 1, NULL), 0xb8);
    fixture_free(f);
}

static void test_dirty(void **state)
{
    Fixture *f = fixture_new(0x100000);
    MemoryRegion ram, alias;
    mr_init_ram(&ram, NULL, "ram", 3 * EMU_PAGE_SIZE + 16);
    mr_add_subregion(&f->root, 0x10000, &ram);
    mr_init_alias(&alias, NULL, "ram-alias", &ram, EMU_PAGE_SIZE, EMU_PAGE_SIZE);
    mr_add_subregion(&f->root, 0x80000, &alias);
    assert_int_equal(mr_nr_pages(&ram), 4);
    for (unsigned p = 0; p < 4; p++) {
        assert_false(mr_page_dirty(&ram, p));
    }

    as_write_val(&f->as, 0x10000 + EMU_PAGE_SIZE + 8, 0x1234, 2, NULL);
    assert_false(mr_page_dirty(&ram, 0));
    assert_true(mr_page_dirty(&ram, 1));
    assert_false(mr_page_dirty(&ram, 2));
    assert_int_equal(mr_ram_ptr(&ram)[EMU_PAGE_SIZE + 8], 0x34);

    /* A write straddling pages 2 and 3. */
    uint8_t buf[4] = { 1, 2, 3, 4 };
    assert_int_equal(as_write(&f->as, 0x10000 + 3 * EMU_PAGE_SIZE - 2, buf, 4),
                     MEMTX_OK);
    assert_true(mr_page_dirty(&ram, 2));
    assert_true(mr_page_dirty(&ram, 3));
    assert_false(mr_page_dirty(&ram, 4));   /* out of range: false */

    mr_clear_dirty(&ram);
    for (unsigned p = 0; p < 4; p++) {
        assert_false(mr_page_dirty(&ram, p));
    }
    /* Through the alias: the target's page 1. */
    as_write_val(&f->as, 0x80010, 0xff, 1, NULL);
    assert_true(mr_page_dirty(&ram, 1));
    assert_false(mr_page_dirty(&ram, 0));
    /* Reads do not dirty. */
    mr_clear_dirty(&ram);
    assert_int_equal(rd(f, 0x10000, 8, NULL), 0);
    assert_false(mr_page_dirty(&ram, 0));
    ram_free(&ram);
    fixture_free(f);
}

static void drain_collect(void *opaque, uint64_t page)
{
    GArray *pages = opaque;
    g_array_append_val(pages, page);
}

/* Draining visits the dirty pages in order, however far apart, and leaves
 * none behind. */
static void test_dirty_drain(void **state)
{
    Fixture *f = fixture_new(0x10000000);
    MemoryRegion ram;
    const uint64_t far = 1000;      /* pages: well past the first bitmap word */
    mr_init_ram(&ram, NULL, "ram", (far + 2) * EMU_PAGE_SIZE);
    mr_add_subregion(&f->root, 0, &ram);
    GArray *pages = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    assert_int_equal(mr_drain_dirty(&ram, drain_collect, pages), 0);

    as_write_val(&f->as, far * EMU_PAGE_SIZE + 4, 1, 4, NULL);
    as_write_val(&f->as, 3 * EMU_PAGE_SIZE, 1, 1, NULL);
    as_write_val(&f->as, 3 * EMU_PAGE_SIZE + 100, 1, 1, NULL);   /* same page */
    as_write_val(&f->as, 70 * EMU_PAGE_SIZE - 1, 0xffff, 2, NULL);  /* 69 and 70 */
    assert_int_equal(mr_drain_dirty(&ram, drain_collect, pages), 4);
    assert_int_equal(pages->len, 4);
    const uint64_t want[] = { 3, 69, 70, far };
    for (unsigned i = 0; i < 4; i++) {
        assert_int_equal(g_array_index(pages, uint64_t, i), want[i]);
    }
    for (uint64_t p = 0; p < far + 2; p++) {
        assert_false(mr_page_dirty(&ram, p));
    }
    g_array_set_size(pages, 0);
    assert_int_equal(mr_drain_dirty(&ram, drain_collect, pages), 0);

    /* After mr_clear_dirty too, only new writes are drained. */
    as_write_val(&f->as, 5 * EMU_PAGE_SIZE, 1, 1, NULL);
    mr_clear_dirty(&ram);
    as_write_val(&f->as, 9 * EMU_PAGE_SIZE, 1, 1, NULL);
    assert_int_equal(mr_drain_dirty(&ram, drain_collect, pages), 1);
    assert_int_equal(g_array_index(pages, uint64_t, 0), 9);
    g_array_free(pages, TRUE);
    ram_free(&ram);
    fixture_free(f);
}

static void test_rom(void **state)
{
    Fixture *f = fixture_new(0x100000);
    MemoryRegion rom;
    MemTxResult res;
    mr_init_rom(&rom, NULL, "rom", 0x2000);
    memset(mr_ram_ptr(&rom), 0xab, 0x2000);
    mr_add_subregion(&f->root, 0xe0000, &rom);

    assert_int_equal(rd(f, 0xe0000, 4, &res), 0xabababab);
    assert_int_equal(res, MEMTX_OK);
    as_write_val(&f->as, 0xe0000, 0x12345678, 4, &res);
    assert_int_equal(res, MEMTX_DECODE_ERROR);
    assert_int_equal(rd(f, 0xe0000, 4, NULL), 0xabababab);
    assert_int_equal(mr_ram_ptr(&rom)[0], 0xab);
    assert_false(mr_page_dirty(&rom, 0));
    ram_free(&rom);
    fixture_free(f);
}

static void test_reentrancy(void **state)
{
    Fixture *f = fixture_new(0x10000);
    TestDev a, b;
    MemTxResult res;
    dev_init(&a, &dev_ops, "a", 0x10, 0xa0);
    dev_init(&b, &dev_ops, "b", 0x10, 0xb0);
    mr_add_subregion(&f->root, 0x100, &a.mr);
    mr_add_subregion(&f->root, 0x200, &b.mr);

    /* a's callback reads a itself: refused. */
    a.reenter_as = &f->as;
    a.reenter_addr = 0x104;
    a.reenter_val = 0x99;
    assert_int_equal(rd(f, 0x100, 1, &res), 0xa0);
    assert_int_equal(res, MEMTX_OK);
    assert_true(a.in_io_seen);
    assert_int_equal(a.reenter_res, MEMTX_ERROR);
    assert_int_equal(a.reenter_val, 0);
    assert_int_equal(a.nr_calls, 1);
    assert_false(object_entered(&a.obj));

    /* a's callback reads b: allowed. */
    a.reenter_as = &f->as;
    a.reenter_addr = 0x203;
    rd(f, 0x100, 1, &res);
    assert_int_equal(a.reenter_res, MEMTX_OK);
    assert_int_equal(a.reenter_val, 0xb3);
    assert_int_equal(b.nr_calls, 1);
    assert_false(object_entered(&a.obj));
    assert_false(object_entered(&b.obj));
    fixture_free(f);
}

static void test_null_callbacks(void **state)
{
    static const MemoryRegionOps none_ops = { .read = NULL, .write = NULL };
    Fixture *f = fixture_new(0x10000);
    MemoryRegion io, io2;
    MemTxResult res;
    mr_init_io(&io, NULL, &none_ops, NULL, "none", 0x10);
    mr_init_io(&io2, NULL, NULL, NULL, "noops", 0x10);
    mr_add_subregion(&f->root, 0x100, &io);
    mr_add_subregion(&f->root, 0x200, &io2);
    assert_int_equal(rd(f, 0x100, 4, &res), 0);
    assert_int_equal(res, MEMTX_OK);
    as_write_val(&f->as, 0x100, 0x55, 4, &res);
    assert_int_equal(res, MEMTX_OK);
    assert_int_equal(rd(f, 0x200, 2, &res), 0);
    as_write_val(&f->as, 0x200, 0x55, 2, &res);
    fixture_free(f);
}

/* An I/O root with subregions, as the pc board's "io". */
static uint64_t ones_read(void *opaque, uint64_t addr, unsigned size)
{
    TestDev *d = opaque;
    dev_log(d, false, addr, size, 0);
    return UINT64_MAX;
}

static const MemoryRegionOps ones_ops = { .read = ones_read, .write = dev_write };

static void test_io_root(void **state)
{
    TestDev root, a;
    AddressSpace as;
    MemTxResult res;
    dev_init(&root, &ones_ops, "io", 0x10000, 0);
    dev_init(&a, &dev_ops, "a", 0x8, 0xa0);
    as_init(&as, &root.mr, "I/O");
    mr_add_subregion(&root.mr, 0x70, &a.mr);

    assert_int_equal(as_read_val(&as, 0x71, 1, &res), 0xa1);
    assert_int_equal(as_read_val(&as, 0x80, 1, &res), 0xff);
    assert_call(&root, 0, false, 0x80, 1, 0);
    /* inl at 0x76: a's last 2 bytes, then 2 bytes of the root. */
    assert_int_equal(as_read_val(&as, 0x76, 4, &res), 0xffff00a6u);
    assert_int_equal(res, MEMTX_OK);
    assert_call(&a, 1, false, 6, 2, 0);
    assert_int_equal(root.nr_calls, 2);
    assert_call(&root, 1, false, 0x78, 2, 0);

    size_t n;
    const FlatRange *fr = as_ranges(&as, &n);
    assert_int_equal(n, 3);
    assert_ptr_equal(fr[0].mr, &root.mr);
    assert_int_equal(fr[0].size, 0x70);
    assert_ptr_equal(fr[2].mr, &root.mr);
    assert_int_equal(fr[2].start, 0x78);
    assert_int_equal(fr[2].offset_in_mr, 0x78);

    /* Removing a merges the root back into one range. */
    mr_del_subregion(&root.mr, &a.mr);
    fr = as_ranges(&as, &n);
    assert_int_equal(n, 1);
    assert_int_equal(fr[0].size, 0x10000);
    g_free(as.ranges);
}

static void test_top_of_space(void **state)
{
    Fixture *f = fixture_new(MR_SIZE_MAX);
    MemoryRegion ram;
    MemTxResult res;
    mr_init_ram(&ram, NULL, "top", 0x1000);
    memset(mr_ram_ptr(&ram), 0x11, 0x1000);
    mr_add_subregion(&f->root, UINT64_MAX - 0xfff, &ram);

    size_t n;
    const FlatRange *fr = as_ranges(&f->as, &n);
    assert_int_equal(n, 1);
    assert_int_equal(fr[0].start, UINT64_MAX - 0xfff);
    assert_int_equal(fr[0].size, 0xfff);     /* the last byte is excluded */

    assert_int_equal(as_read_val(&f->as, UINT64_MAX - 1, 2, &res), 0x11);
    assert_int_equal(res, MEMTX_DECODE_ERROR);
    /* Wraps around to address 0 (unassigned). */
    assert_int_equal(as_read_val(&f->as, UINT64_MAX, 4, &res), 0);
    assert_null(as_lookup(&f->as, UINT64_MAX));
    assert_non_null(as_lookup(&f->as, UINT64_MAX - 1));
    ram_free(&ram);
    fixture_free(f);
}

static void test_reflatten_reuses_array(void **state)
{
    Fixture *f = fixture_new(0x10000);
    TestDev d[4];
    for (unsigned i = 0; i < 4; i++) {
        dev_init(&d[i], &dev_ops, "d", 0x10, 0);
        mr_add_subregion(&f->root, 0x100 * (i + 1), &d[i].mr);
    }
    size_t n;
    const FlatRange *fr = as_ranges(&f->as, &n);
    assert_int_equal(n, 4);
    size_t cap = f->as.cap_ranges;
    for (unsigned round = 0; round < 10; round++) {
        mr_set_enabled(&d[round % 4].mr, false);
        assert_true(f->as.dirty);
        assert_ptr_equal(as_ranges(&f->as, &n), fr);
        assert_int_equal(n, 3);
        assert_false(f->as.dirty);
        mr_set_enabled(&d[round % 4].mr, true);
    }
    assert_int_equal(f->as.cap_ranges, cap);
    fixture_free(f);
}

static void test_mtree(void **state)
{
    Fixture *f = fixture_new(MR_SIZE_MAX);
    Object root, machine, dev;
    MemoryRegion ram, rom, alias, pci, isa_bios;
    TestDev a;

    object_initialize(&root, NULL);
    object_initialize(&machine, NULL);
    object_initialize(&dev, NULL);
    object_add_child(&root, "machine", &machine);
    object_add_child(&machine, "dev", &dev);

    mr_init_ram(&ram, NULL, "pc.ram", 0x8000000);
    mr_init_alias(&alias, NULL, "ram-below-4g", &ram, 0, 0xa0000);
    mr_init_container(&pci, NULL, "pci", MR_SIZE_MAX);
    mr_init_rom(&rom, &dev, "pc.bios", 0x40000);
    dev_init(&a, &dev_ops, "hpet", 0x400, 0);
    object_add_child(&machine, "hpet", &a.obj);
    mr_add_subregion_overlap(&f->root, 0, &pci, -1);
    mr_add_subregion(&f->root, 0, &alias);
    mr_add_subregion(&pci, 0xfffc0000, &rom);
    mr_init_alias(&isa_bios, NULL, "isa-bios", &rom, 0x20000, 0x20000);
    mr_add_subregion_overlap(&pci, 0xe0000, &isa_bios, 1);
    mr_add_subregion(&f->root, 0xfed00000, &a.mr);
    mr_set_enabled(&a.mr, false);
    assert_ptr_equal(dev.regions, &rom);

    GString *out = g_string_new(NULL);
    as_print_mtree(&f->as, out, MTREE_OWNER | MTREE_DISABLED);
    const char *expect =
        "address-space: test\n"
        "  0000000000000000-ffffffffffffffff (prio 0, i/o): root\n"
        "    0000000000000000-000000000009ffff (prio 0, ram): alias ram-below-4g"
        " @pc.ram 0000000000000000-000000000009ffff\n"
        "    0000000000000000-ffffffffffffffff (prio -1, i/o): pci\n"
        "      00000000000e0000-00000000000fffff (prio 1, rom): alias isa-bios"
        " @pc.bios 0000000000020000-000000000003ffff\n"
        "      00000000fffc0000-00000000ffffffff (prio 0, rom): pc.bios"
        " owner:{obj path=/machine/dev}\n"
        "    00000000fed00000-00000000fed003ff (prio 0, i/o): hpet [disabled]"
        " owner:{obj path=/machine/hpet}\n"
        "\n";
    assert_string_equal(out->str, expect);

    /* QEMU's default: enabled regions only, no owners. */
    g_string_truncate(out, 0);
    as_print_mtree(&f->as, out, 0);
    assert_null(strstr(out->str, "hpet"));
    assert_null(strstr(out->str, "owner"));
    assert_non_null(strstr(out->str, "(prio 0, rom): pc.bios\n"));

    g_string_truncate(out, 0);
    mr_set_enabled(&a.mr, true);
    as_print_mtree(&f->as, out, MTREE_FLAT | MTREE_OWNER);
    const char *flat =
        "FlatView\n"
        " AS \"test\", root: root\n"
        " Root memory region: root\n"
        "  0000000000000000-000000000009ffff (prio 0, ram): pc.ram\n"
        "  00000000000e0000-00000000000fffff (prio 0, rom): pc.bios"
        " @0000000000020000 owner:{obj path=/machine/dev}\n"
        "  00000000fed00000-00000000fed003ff (prio 0, i/o): hpet"
        " owner:{obj path=/machine/hpet}\n"
        "  00000000fffc0000-00000000ffffffff (prio 0, rom): pc.bios"
        " owner:{obj path=/machine/dev}\n"
        "\n";
    assert_string_equal(out->str, flat);
    g_string_free(out, TRUE);
    ram_free(&ram);
    ram_free(&rom);
    g_free(machine.name);
    g_free(dev.name);
    g_free(a.obj.name);
    fixture_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_priority),
        cmocka_unit_test(test_equal_priority_last_added_wins),
        cmocka_unit_test(test_alias),
        cmocka_unit_test(test_alias_of_container),
        cmocka_unit_test(test_merge_ranges),
        cmocka_unit_test(test_disabled),
        cmocka_unit_test(test_nested_containers),
        cmocka_unit_test(test_straddle),
        cmocka_unit_test(test_io_piece_runs_past_range),
        cmocka_unit_test(test_unassigned_pieces),
        cmocka_unit_test(test_split_impl_max),
        cmocka_unit_test(test_widen_impl_min),
        cmocka_unit_test(test_valid_sizes),
        cmocka_unit_test(test_unaligned),
        cmocka_unit_test(test_range_access),
        cmocka_unit_test(test_unassigned),
        cmocka_unit_test(test_set_address),
        cmocka_unit_test(test_dirty),
        cmocka_unit_test(test_dirty_drain),
        cmocka_unit_test(test_rom),
        cmocka_unit_test(test_reentrancy),
        cmocka_unit_test(test_null_callbacks),
        cmocka_unit_test(test_io_root),
        cmocka_unit_test(test_top_of_space),
        cmocka_unit_test(test_reflatten_reuses_array),
        cmocka_unit_test(test_mtree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
