/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for emu/dma.c: the read hook (called for guest RAM pieces
 * only, with the right ranges, before the read), bounds (wrapping), unmapped
 * pieces, dirty pages, little-endian helpers, a device's DMA refused on its
 * own MMIO, and the DMA budget (exhaustion, reads zero, writes dropped,
 * refusals reported, a machine's budget shared by its address spaces and
 * refilled by a snapshot restore).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/dma.h"
#include "emu/log.h"
#include "emu/machine.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "emu/snapshot.h"

#define MAX_HOOK_CALLS 16

typedef struct HookCall {
    uint64_t addr;
    uint64_t len;
} HookCall;

/*
 * Layout of the test address space:
 *   0x1000-0x1fff ram1      0x2000-0x200f dev (I/O)   0x2010-0x2fff nothing
 *   0x3000-0x3fff ram2      0x4000-0x4fff rom
 *   0x8000-0x87ff alias of ram1 at offset 0x800
 */
typedef struct Fixture {
    MemoryRegion root, ram1, ram2, rom, alias;
    Object dev_obj;
    MemoryRegion dev;
    unsigned dev_reads;
    MemTxResult dev_dma_res;
    uint8_t dev_dma_buf[2];
    AddressSpace as;
    HookCall calls[MAX_HOOK_CALLS];
    unsigned nr_calls;
    bool hook_fills;
} Fixture;

static uint64_t dev_read(void *opaque, uint64_t addr, unsigned size)
{
    Fixture *f = opaque;
    f->dev_reads++;
    /* DMA into our own registers: must be refused by the core. */
    f->dev_dma_res = dma_read(&f->as, 0x2000, f->dev_dma_buf, 2);
    return 0x5a5a5a5a;
}

static const MemoryRegionOps dev_ops = {
    .read = dev_read,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static void hook(void *opaque, AddressSpace *as, uint64_t addr, uint64_t len)
{
    Fixture *f = opaque;
    assert_ptr_equal(as, &f->as);
    assert_true(f->nr_calls < MAX_HOOK_CALLS);
    f->calls[f->nr_calls++] = (HookCall){ addr, len };
    if (f->hook_fills) {
        uint8_t *fill = g_malloc(len);
        memset(fill, 0xf0 + (int)f->nr_calls, len);
        as_write(as, addr, fill, len);
        g_free(fill);
    }
}

static int setup(void **state)
{
    Fixture *f = g_new0(Fixture, 1);
    mr_init_container(&f->root, NULL, "root", MR_SIZE_MAX);
    mr_init_ram(&f->ram1, NULL, "ram1", 0x1000);
    mr_init_ram(&f->ram2, NULL, "ram2", 0x1000);
    mr_init_rom(&f->rom, NULL, "rom", 0x1000);
    mr_init_io(&f->dev, &f->dev_obj, &dev_ops, f, "dev", 0x10);
    mr_init_alias(&f->alias, NULL, "alias", &f->ram1, 0x800, 0x800);
    memset(mr_ram_ptr(&f->ram1), 0x11, 0x1000);
    memset(mr_ram_ptr(&f->ram2), 0x22, 0x1000);
    memset(mr_ram_ptr(&f->rom), 0x33, 0x1000);
    mr_add_subregion(&f->root, 0x1000, &f->ram1);
    mr_add_subregion(&f->root, 0x2000, &f->dev);
    mr_add_subregion(&f->root, 0x3000, &f->ram2);
    mr_add_subregion(&f->root, 0x4000, &f->rom);
    mr_add_subregion(&f->root, 0x8000, &f->alias);
    as_init(&f->as, &f->root, "dma-test");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    MemoryRegion *backed[] = { &f->ram1, &f->ram2, &f->rom };
    for (unsigned i = 0; i < 3; i++) {
        mr_free_backing(backed[i]);
    }
    g_free(f->as.ranges);
    g_free(f);
    return 0;
}

static void assert_hook_call(const Fixture *f, unsigned i, uint64_t addr,
                             uint64_t len)
{
    assert_true(i < f->nr_calls);
    assert_int_equal(f->calls[i].addr, addr);
    assert_int_equal(f->calls[i].len, len);
}

static void test_hook_ram_pieces(void **state)
{
    Fixture *f = *state;
    uint8_t *buf = g_malloc(0x3000);
    dma_set_read_hook(&f->as, hook, f);

    /* 0x1800-0x47ff: ram1, dev, hole, ram2, rom. */
    assert_int_equal(dma_read(&f->as, 0x1800, buf, 0x3000), MEMTX_DECODE_ERROR);
    assert_int_equal(f->nr_calls, 2);
    assert_hook_call(f, 0, 0x1800, 0x800);
    assert_hook_call(f, 1, 0x3000, 0x1000);
    assert_int_equal(buf[0], 0x11);
    assert_int_equal(buf[0x800], 0x5a);       /* dev */
    assert_int_equal(buf[0x810], 0);          /* hole */
    assert_int_equal(buf[0x1800], 0x22);      /* ram2 */
    assert_int_equal(buf[0x2800], 0x33);      /* rom */

    /* Through the alias: address-space addresses. */
    f->nr_calls = 0;
    assert_int_equal(dma_read(&f->as, 0x8100, buf, 0x10), MEMTX_OK);
    assert_int_equal(f->nr_calls, 1);
    assert_hook_call(f, 0, 0x8100, 0x10);

    /* Nothing for I/O, ROM or holes only; nothing on writes. */
    f->nr_calls = 0;
    dma_read(&f->as, 0x2000, buf, 0x1000);
    dma_read(&f->as, 0x4000, buf, 0x100);
    dma_write(&f->as, 0x1000, buf, 0x100);
    assert_int_equal(f->nr_calls, 0);
    g_free(buf);
}

static void test_hook_fills_before_read(void **state)
{
    Fixture *f = *state;
    uint8_t buf[0x20];
    dma_set_read_hook(&f->as, hook, f);
    f->hook_fills = true;

    /* ram1's last 0x10 bytes, then dev's first 0x10. */
    assert_int_equal(dma_read(&f->as, 0x1ff0, buf, 0x20), MEMTX_OK);
    assert_int_equal(f->nr_calls, 1);
    assert_hook_call(f, 0, 0x1ff0, 0x10);
    assert_int_equal(buf[0], 0xf1);
    assert_int_equal(buf[0xf], 0xf1);
    assert_int_equal(buf[0x10], 0x5a);
    assert_true(mr_page_dirty(&f->ram1, 0));

    /* Without a hook, the read sees RAM as it is. */
    dma_set_read_hook(&f->as, NULL, NULL);
    f->nr_calls = 0;
    assert_int_equal(dma_read(&f->as, 0x1000, buf, 4), MEMTX_OK);
    assert_int_equal(f->nr_calls, 0);
    assert_int_equal(buf[0], 0x11);
}

/* Refusals seen through the log's hook (what the harness traces). */
typedef struct Refusals {
    unsigned count;
    char last[256];
} Refusals;

static void note_refusal(void *opaque, const char *msg)
{
    Refusals *r = opaque;
    r->count++;
    g_strlcpy(r->last, msg, sizeof(r->last));
}

static void test_budget_exhaustion(void **state)
{
    Fixture *f = *state;
    DMABudget b;
    Refusals r = { 0 };
    uint8_t buf[0x100], two[2];
    dma_budget_init(&b, 0x100);
    dma_set_budget(&f->as, &b);
    dma_set_read_hook(&f->as, hook, f);
    log_set_refusal_hook(note_refusal, &r);

    /* Reads and writes, mapped or not, take their length. */
    assert_int_equal(dma_write(&f->as, 0x1000, "\1\2\3\4", 4), MEMTX_OK);
    assert_int_equal(dma_read(&f->as, 0x1000, buf, 0x80), MEMTX_OK);
    assert_int_equal(dma_read(&f->as, 0x6000, buf, 0x7c), MEMTX_DECODE_ERROR);
    assert_int_equal(b.left, 0);
    assert_int_equal(r.count, 0);
    assert_int_equal(f->nr_calls, 1);

    /* Spent: a read gives zeros in its own length only, and no fill. */
    memset(two, 0x77, sizeof(two));
    assert_int_equal(dma_read(&f->as, 0x1000, two, 1), MEMTX_ERROR);
    assert_int_equal(two[0], 0);
    assert_int_equal(two[1], 0x77);
    assert_int_equal(f->nr_calls, 1);
    assert_int_equal(r.count, 1);
    assert_non_null(strstr(r.last, "DMA budget"));

    /* A write is dropped: RAM and its dirty bit as they were. */
    mr_clear_dirty(&f->ram2);
    assert_int_equal(dma_write(&f->as, 0x3000, "\x99", 1), MEMTX_ERROR);
    assert_int_equal(mr_ram_ptr(&f->ram2)[0], 0x22);
    assert_false(mr_page_dirty(&f->ram2, 0));
    assert_int_equal(dma_ld32(&f->as, 0x1000), 0);
    assert_int_equal(r.count, 3);

    /* Nothing is nothing; a refill gives the whole budget back. */
    assert_int_equal(dma_read(&f->as, 0x1000, buf, 0), MEMTX_OK);
    dma_budget_refill(&b);
    assert_int_equal(dma_read(&f->as, 0x1000, buf, 0x100), MEMTX_OK);
    assert_memory_equal(buf, "\1\2\3\4\x11", 5);
    assert_int_equal(r.count, 3);
    log_set_refusal_hook(NULL, NULL);
}

static void test_budget_refuses_whole(void **state)
{
    Fixture *f = *state;
    DMABudget b;
    uint8_t buf[0x20];
    dma_budget_init(&b, 0x30);
    dma_set_budget(&f->as, &b);

    /* 0x10 left: a longer transfer moves nothing and takes nothing... */
    memset(buf, 0x44, sizeof(buf));
    assert_int_equal(dma_write(&f->as, 0x1000, buf, 0x20), MEMTX_OK);
    memset(buf, 0x55, sizeof(buf));
    assert_int_equal(dma_write(&f->as, 0x1000, buf, 0x20), MEMTX_ERROR);
    assert_int_equal(mr_ram_ptr(&f->ram1)[0x1f], 0x44);
    assert_int_equal(b.left, 0x10);
    /* ... and one that fits still goes. */
    assert_int_equal(dma_write(&f->as, 0x1000, buf, 0x10), MEMTX_OK);
    assert_int_equal(mr_ram_ptr(&f->ram1)[0xf], 0x55);
    assert_int_equal(b.left, 0);

    /* No per-transfer cap: an unbounded space takes what its caller asks. */
    dma_set_budget(&f->as, NULL);
    uint8_t *big = g_malloc(0x10000);
    assert_int_equal(dma_read(&f->as, 0x1000, big, 0x10000), MEMTX_DECODE_ERROR);
    assert_int_equal(big[0x2fff], 0x22);
    g_free(big);

    dma_budget_init(&b, 0);
    assert_int_equal(b.limit, DMA_BUDGET_DEFAULT);
    assert_int_equal(b.left, DMA_BUDGET_DEFAULT);
}

/* A machine with RAM only, for the budget's place in the machine. */
static bool ram_board_init(Machine *m, char **errp)
{
    mr_init_container(&m->sysio, NULL, "io", 0x10000);
    as_init(&m->as_io, &m->sysio, "I/O");
    m->ram = g_new0(MemoryRegion, 1);
    mr_init_ram(m->ram, &m->obj, "ram", 1 << 20);
    mr_add_subregion(&m->sysmem, 0, m->ram);
    return true;
}

static const BoardInfo ram_boards[] = {
    { "ram", "RAM only", NULL, ram_board_init }, { NULL }
};

static void test_budget_machine_snapshot(void **state)
{
    static MachineConfig cfg;
    char *err = NULL;
    uint8_t buf[0x1000] = { 0 };
    machine_config_init(&cfg);
    cfg.dma_budget = 0x2000;
    Machine *m = machine_create(&cfg, ram_boards, &err);
    assert_non_null(m);
    assert_ptr_equal(m->as_mem.dma_budget, &m->dma_budget);
    assert_ptr_equal(m->as_io.dma_budget, &m->dma_budget);
    assert_int_equal(m->dma_budget.left, 0x2000);
    Snapshot *s = snapshot_take(m);

    /* Both spaces draw on the one budget. */
    assert_int_equal(dma_write(&m->as_mem, 0x1000, buf, 0x1000), MEMTX_OK);
    assert_int_equal(dma_write(&m->as_io, 0x10, buf, 0xff0), MEMTX_DECODE_ERROR);
    assert_int_equal(dma_read(&m->as_mem, 0x1000, buf, 0x11), MEMTX_ERROR);
    assert_int_equal(m->dma_budget.left, 0x10);

    /* The next input starts with all of it. */
    snapshot_restore(s);
    assert_int_equal(m->dma_budget.left, 0x2000);
    assert_int_equal(dma_read(&m->as_mem, 0x1000, buf, 0x1000), MEMTX_OK);
    assert_int_equal(m->dma_budget.left, 0x1000);
    snapshot_free(s);
}

static void test_bounds_wrap(void **state)
{
    Fixture *f = *state;
    uint8_t buf[16];
    MemoryRegion low;
    /* RAM at 0: what a wrapping transfer would reach. */
    mr_init_alias(&low, NULL, "low", &f->ram1, 0, 0x100);
    mr_add_subregion(&f->root, 0, &low);
    dma_set_read_hook(&f->as, hook, f);
    unsigned long errors = log_guest_error_count();

    memset(buf, 0x77, sizeof(buf));
    assert_int_equal(dma_read(&f->as, UINT64_MAX - 3, buf, 16),
                     MEMTX_DECODE_ERROR);
    for (unsigned i = 0; i < 16; i++) {
        assert_int_equal(buf[i], 0);
    }
    assert_int_equal(log_guest_error_count(), errors + 1);
    assert_int_equal(f->nr_calls, 0);
    memset(buf, 0x99, sizeof(buf));
    assert_int_equal(dma_write(&f->as, UINT64_MAX - 3, buf, 16),
                     MEMTX_DECODE_ERROR);
    assert_int_equal(log_guest_error_count(), errors + 2);
    assert_int_equal(mr_ram_ptr(&f->ram1)[0], 0x11);
    assert_false(mr_page_dirty(&f->ram1, 0));
    /* Zero length is fine anywhere. */
    assert_int_equal(dma_read(&f->as, UINT64_MAX, buf, 0), MEMTX_OK);
}

static void test_unmapped(void **state)
{
    Fixture *f = *state;
    uint8_t buf[8];
    unsigned long errors = log_guest_error_count();

    memset(buf, 0x77, sizeof(buf));
    assert_int_equal(dma_read(&f->as, 0x2ffc, buf, 8), MEMTX_DECODE_ERROR);
    assert_memory_equal(buf, "\0\0\0\0\x22\x22\x22\x22", 8);
    assert_int_equal(log_guest_error_count(), errors + 1);

    assert_int_equal(dma_write(&f->as, 0x2ffc, "\1\2\3\4\5\6\7\x8", 8),
                     MEMTX_DECODE_ERROR);
    assert_memory_equal(mr_ram_ptr(&f->ram2), "\5\6\7\x8", 4);
    assert_true(mr_page_dirty(&f->ram2, 0));
}

static void test_ld_st(void **state)
{
    Fixture *f = *state;
    dma_st16(&f->as, 0x1000, 0xbeef);
    dma_st32(&f->as, 0x1010, 0x12345678);
    dma_st64(&f->as, 0x1020, 0x0102030405060708ull);
    uint8_t *ram = mr_ram_ptr(&f->ram1);
    assert_memory_equal(ram, "\xef\xbe", 2);
    assert_memory_equal(ram + 0x10, "\x78\x56\x34\x12", 4);
    assert_memory_equal(ram + 0x20, "\x08\x07\x06\x05\x04\x03\x02\x01", 8);
    assert_int_equal(dma_ld16(&f->as, 0x1000), 0xbeef);
    assert_int_equal(dma_ld32(&f->as, 0x1010), 0x12345678);
    assert_int_equal(dma_ld64(&f->as, 0x1020), 0x0102030405060708ull);
    /* Straddling ram1's end into the device. */
    assert_int_equal(dma_ld32(&f->as, 0x1ffe), 0x5a5a1111);
    /* Unmapped reads 0. */
    assert_int_equal(dma_ld64(&f->as, 0x6000), 0);
}

static void test_dma_reentrancy(void **state)
{
    Fixture *f = *state;
    uint8_t buf[1];

    /* The device's callback DMAs from its own MMIO: refused. */
    assert_int_equal(dma_read(&f->as, 0x2000, buf, 1), MEMTX_OK);
    assert_int_equal(buf[0], 0x5a);
    assert_int_equal(f->dev_reads, 1);
    assert_int_equal(f->dev_dma_res, MEMTX_ERROR);
    assert_memory_equal(f->dev_dma_buf, "\0\0", 2);
    assert_false(object_entered(&f->dev_obj));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hook_ram_pieces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hook_fills_before_read, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_budget_exhaustion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_budget_refuses_whole, setup,
                                        teardown),
        cmocka_unit_test(test_budget_machine_snapshot),
        cmocka_unit_test_setup_teardown(test_bounds_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmapped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ld_st, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dma_reentrancy, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
