/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for hw/nvram/fw_cfg.c through its I/O ports and DMA, on a
 * small machine of its own (1 MiB of RAM at 0, an all-ones I/O space):
 * signature and ID, selector semantics, the file directory (layout, sorting,
 * selectors), DMA read/skip/write, read bounds and errors, reset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/dma.h"
#include "emu/log.h"
#include "hw/devices.h"
#include "hw/nvram/fw_cfg.h"

#include "hw-test.h"

#define RAM_SIZE   0x100000u
#define DESC       0x1000u      /* where the tests put DMA access structures */
#define BUF        0x2000u      /* where DMA reads land */
#define SEL        0x510
#define DATA       0x511
#define DMA_HI     0x514
#define DMA_LO     0x518

#define CTL_ERROR  0x01u
#define CTL_READ   0x02u
#define CTL_SKIP   0x04u
#define CTL_SELECT 0x08u
#define CTL_WRITE  0x10u

typedef struct Fixture {
    TestMachine *tm;
    Object *fw;
} Fixture;

/* *state: NULL, or the device's properties (cmocka's prestate). */
static int setup(void **state)
{
    Fixture *f = test_fixture_new(sizeof(*f), RAM_SIZE);

    f->fw = test_device_new(f->tm, &fw_cfg_io_type, *state);
    *state = f;
    return 0;
}

/* ---- port and memory helpers ---- */

static void read_item(Fixture *f, uint16_t key, uint8_t *buf, size_t n)
{
    test_outw(f->tm, SEL, key);
    for (size_t i = 0; i < n; i++) {
        buf[i] = test_inb(f->tm, DATA);
    }
}

static uint32_t ld_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void st_be(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    }
}

static uint8_t *ram(Fixture *f)
{
    return mr_ram_ptr(&f->tm->ram);
}

/* Writes an access structure at DESC and triggers it with the low half. */
static uint32_t dma_run_at(Fixture *f, uint64_t desc, uint32_t control,
                           uint32_t length, uint64_t addr)
{
    uint8_t acc[16];
    st_be(acc, control, 4);
    st_be(acc + 4, length, 4);
    st_be(acc + 8, addr, 8);
    as_write(&f->tm->m->as_mem, desc, acc, sizeof(acc));
    /* Big-endian register: the port value is the byte-swapped half. */
    test_outl(f->tm, DMA_HI, __builtin_bswap32((uint32_t)(desc >> 32)));
    test_outl(f->tm, DMA_LO, __builtin_bswap32((uint32_t)desc));
    return ld_be32(ram(f) + (desc & (RAM_SIZE - 1)));
}

static uint32_t dma_run(Fixture *f, uint32_t control, uint32_t length,
                        uint64_t addr)
{
    return dma_run_at(f, DESC, control, length, addr);
}

/* ---- tests ---- */

static void test_signature_and_id(void **state)
{
    Fixture *f = *state;
    uint8_t buf[8];

    /* Reset selects the signature: no selector write needed. */
    for (int i = 0; i < 4; i++) {
        buf[i] = test_inb(f->tm, DATA);
    }
    assert_memory_equal(buf, "QEMU", 4);
    assert_int_equal(test_inb(f->tm, DATA), 0);  /* past the end */
    read_item(f, FW_CFG_ID, buf, 5);
    assert_memory_equal(buf, "\x03\x00\x00\x00\x00", 5);
    /* The DMA register reads "QEMU CFG" in address order, any width. */
    assert_int_equal(test_inl(f->tm, DMA_HI), 0x554d4551);
    assert_int_equal(test_inl(f->tm, DMA_LO), 0x47464320);
    assert_int_equal(test_inw(f->tm, DMA_HI), 0x4551);
    assert_int_equal(test_inb(f->tm, 0x517), 'U');
    assert_int_equal(test_inb(f->tm, 0x51b), 'G');
}

static const char *const dma_off[] = {"dma_enabled", "off", NULL};

static void test_no_dma(void **state)
{
    Fixture *f = *state;
    uint8_t buf[4];

    read_item(f, FW_CFG_ID, buf, 4);
    assert_memory_equal(buf, "\x01\x00\x00\x00", 4);
    assert_int_equal(test_inl(f->tm, DMA_HI), 0xffffffff);  /* not mapped */
}

static void test_selector(void **state)
{
    Fixture *f = *state;
    uint8_t buf[4];

    fw_cfg_add_i16(f->fw, FW_CFG_IRQ0_OVERRIDE, 0x1234);
    fw_cfg_add_i16(f->fw, FW_CFG_NB_CPUS, 0x0506);
    /* Bit 14 (write channel) selects the same item. */
    read_item(f, 0x4000, buf, 4);
    assert_memory_equal(buf, "QEMU", 4);
    /* Bit 15 selects the arch-local table. */
    read_item(f, FW_CFG_IRQ0_OVERRIDE, buf, 2);
    assert_memory_equal(buf, "\x34\x12", 2);
    read_item(f, FW_CFG_NB_CPUS | FW_CFG_ARCH_LOCAL, buf, 2);
    assert_memory_equal(buf, "\x00\x00", 2);
    /* Unknown and out-of-range keys read 0. */
    read_item(f, 0x3f, buf, 2);
    assert_memory_equal(buf, "\x00\x00", 2);
    read_item(f, 0x40, buf, 2);
    assert_memory_equal(buf, "\x00\x00", 2);
    read_item(f, 0xffff, buf, 2);
    assert_memory_equal(buf, "\x00\x00", 2);
    /* Reselecting rewinds the offset. */
    read_item(f, FW_CFG_NB_CPUS, buf, 1);
    read_item(f, FW_CFG_NB_CPUS, buf, 2);
    assert_memory_equal(buf, "\x06\x05", 2);
}

static void test_port_widths(void **state)
{
    Fixture *f = *state;

    test_outw(f->tm, SEL, FW_CFG_SIGNATURE);
    /* A 16-bit read of the selector reads 0 and consumes nothing. */
    assert_int_equal(test_inw(f->tm, SEL), 0);
    /* A byte read of the selector port reads data, as in QEMU. */
    assert_int_equal(test_inb(f->tm, SEL), 'Q');
    /* A 16-bit read of the data port: one data byte, then port 0x512. */
    assert_int_equal(test_inw(f->tm, DATA), 0xff45);
    /* Byte writes are data writes: ignored, the selection stays. */
    test_outb(f->tm, SEL, FW_CFG_ID);
    test_outb(f->tm, DATA, 0x00);
    assert_int_equal(test_inb(f->tm, DATA), 'M');
    /* A 16-bit write at the data port splits into bytes: no select. */
    test_outw(f->tm, DATA, FW_CFG_ID);
    assert_int_equal(test_inb(f->tm, DATA), 'U');
}

static void test_file_dir(void **state)
{
    Fixture *f = *state;
    static const char *const names[] = { "etc/z", "bootorder", "etc/a", "b" };
    static const char *const sorted[] = { "b", "bootorder", "etc/a", "etc/z" };
    uint8_t dir[4 + 5 * 64];
    uint8_t data[16];

    for (int i = 0; i < 4; i++) {
        fw_cfg_add_file(f->fw, names[i], names[i], strlen(names[i]));
    }
    read_item(f, FW_CFG_FILE_DIR, dir, sizeof(dir));
    assert_int_equal(ld_be32(dir), 4);
    for (unsigned i = 0; i < 4; i++) {
        const uint8_t *e = dir + 4 + 64 * i;
        assert_int_equal(ld_be32(e), strlen(sorted[i]));
        assert_int_equal(e[4] << 8 | e[5], FW_CFG_FILE_FIRST + i);
        assert_int_equal(e[6] | e[7], 0);
        assert_string_equal((const char *)e + 8, sorted[i]);
        /* The selector in the entry reads that file's data. */
        memset(data, 0xee, sizeof(data));
        read_item(f, FW_CFG_FILE_FIRST + i, data, strlen(sorted[i]) + 1);
        assert_memory_equal(data, sorted[i], strlen(sorted[i]));
        assert_int_equal(data[strlen(sorted[i])], 0);
    }
    /* Unused slots are zero. */
    for (unsigned i = 4 + 4 * 64; i < sizeof(dir); i++) {
        assert_int_equal(dir[i], 0);
    }
}

static void test_file_long_name(void **state)
{
    Fixture *f = *state;
    char name[80];
    uint8_t dir[4 + 64];

    memset(name, 'x', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    fw_cfg_add_file(f->fw, name, "", 0);
    read_item(f, FW_CFG_FILE_DIR, dir, sizeof(dir));
    assert_int_equal(ld_be32(dir), 1);
    assert_int_equal(ld_be32(dir + 4), 0);
    assert_int_equal(strlen((const char *)dir + 12), FW_CFG_MAX_FILE_PATH - 1);
}

static void test_dma_read(void **state)
{
    Fixture *f = *state;

    memset(ram(f) + BUF, 0xaa, 16);
    assert_int_equal(dma_run(f, FW_CFG_SIGNATURE << 16 | CTL_SELECT | CTL_READ,
                             4, BUF), 0);
    assert_memory_equal(ram(f) + BUF, "QEMU\xaa", 5);
    /* Only the control word is written back. */
    assert_int_equal(ld_be32(ram(f) + DESC + 4), 4);
    assert_int_equal(ld_be32(ram(f) + DESC + 12), BUF);
    /* Past the end: the item's bytes, then zeros up to length. */
    assert_int_equal(dma_run(f, FW_CFG_ID << 16 | CTL_SELECT | CTL_READ,
                             12, BUF), 0);
    assert_memory_equal(ram(f) + BUF, "\x03\0\0\0\0\0\0\0\0\0\0\0\xaa", 13);
    /* The data port continues where DMA left off: at the end. */
    assert_int_equal(test_inb(f->tm, DATA), 0);
}

static void test_dma_skip(void **state)
{
    Fixture *f = *state;

    memset(ram(f) + BUF, 0xaa, 8);
    assert_int_equal(dma_run(f, CTL_SELECT | CTL_SKIP, 2, 0), 0);
    assert_int_equal(dma_run(f, CTL_READ, 4, BUF), 0);
    assert_memory_equal(ram(f) + BUF, "MU\0\0\xaa", 5);
    /* Skip mixes with the data port; a huge skip stops at the end. */
    test_outw(f->tm, SEL, FW_CFG_SIGNATURE);
    assert_int_equal(test_inb(f->tm, DATA), 'Q');
    assert_int_equal(dma_run(f, CTL_SKIP, 1, 0), 0);
    assert_int_equal(test_inb(f->tm, DATA), 'M');
    assert_int_equal(dma_run(f, CTL_SKIP, 0xffffffff, 0), 0);
    assert_int_equal(test_inb(f->tm, DATA), 0);
    /* Select without read or skip only selects. */
    assert_int_equal(dma_run(f, FW_CFG_ID << 16 | CTL_SELECT, 4, BUF), 0);
    assert_int_equal(test_inb(f->tm, DATA), 3);
}

static void test_dma_bounds(void **state)
{
    Fixture *f = *state;
    uint8_t *end = ram(f) + RAM_SIZE - 8;

    /* A read running off the end of RAM fails. */
    memset(end, 0xaa, 8);
    assert_int_equal(dma_run(f, CTL_SELECT | CTL_READ, 12, RAM_SIZE - 8),
                     CTL_ERROR);
    assert_memory_equal(end, "QEMU\0\0\0\0", 8);
    /* A huge read moves the item, then zeros until the bus refuses: here
     * the machine's DMA budget (16 bytes of access structure, 4 of item
     * and 15 chunks of zeros fit; the status write too). */
    Machine *m = f->tm->m;
    dma_budget_init(&m->dma_budget, 0x10000);
    dma_set_budget(&m->as_mem, &m->dma_budget);
    memset(ram(f) + BUF, 0xaa, 0x20000);
    assert_int_equal(dma_run(f, CTL_SELECT | CTL_READ, 0xffffffff, BUF),
                     CTL_ERROR);
    assert_memory_equal(ram(f) + BUF, "QEMU\0\0\0\0", 8);
    assert_int_equal(ram(f)[BUF + 0xf003], 0);
    assert_int_equal(ram(f)[BUF + 0xf004], 0xaa);
    assert_int_equal(m->dma_budget.left, 0xfe8);
    dma_set_budget(&m->as_mem, NULL);
    /* A destination wrapping the address space. */
    assert_int_equal(dma_run(f, CTL_SELECT | CTL_READ, 16, UINT64_MAX - 3),
                     CTL_ERROR);
    /* Unmapped destination. */
    assert_int_equal(dma_run(f, CTL_SELECT | CTL_READ, 4, 0xe0000000), CTL_ERROR);
}

static void test_dma_write_and_bogus(void **state)
{
    Fixture *f = *state;

    /* Items are read-only: DMA writes fail, even past the end. */
    assert_int_equal(dma_run(f, CTL_SELECT | CTL_WRITE, 4, BUF), CTL_ERROR);
    assert_int_equal(dma_run(f, 0x40 << 16 | CTL_SELECT | CTL_WRITE, 4, BUF),
                     CTL_ERROR);
    assert_int_equal(dma_run(f, CTL_WRITE, 0, BUF), 0);
    /* A failed write still moves the offset over the item (as QEMU). */
    assert_int_equal(dma_run(f, CTL_SELECT | CTL_WRITE, 3, BUF), CTL_ERROR);
    assert_int_equal(test_inb(f->tm, DATA), 'U');
    /* Read wins over write; unknown bits and the error bit do nothing. */
    assert_int_equal(dma_run(f, CTL_SELECT | CTL_READ | CTL_WRITE, 4, BUF), 0);
    assert_int_equal(dma_run(f, 0x20, 4, BUF), 0);
    assert_int_equal(dma_run(f, CTL_ERROR, 4, BUF), 0);
}

static void test_dma_address_register(void **state)
{
    Fixture *f = *state;
    uint8_t acc[16] = { 0 };

    /* A descriptor above 4 GiB is unmapped: the transfer does nothing here. */
    st_be(acc, CTL_SELECT | CTL_READ, 4);
    st_be(acc + 4, 4, 4);
    st_be(acc + 8, BUF, 8);
    as_write(&f->tm->m->as_mem, DESC, acc, sizeof(acc));
    memset(ram(f) + BUF, 0xaa, 4);
    test_outl(f->tm, DMA_HI, __builtin_bswap32(1));
    test_outl(f->tm, DMA_LO, __builtin_bswap32(DESC));
    assert_int_equal(ram(f)[BUF], 0xaa);
    assert_int_equal(ld_be32(ram(f) + DESC), CTL_SELECT | CTL_READ);
    /* The register was cleared: a low-half write alone now works. */
    test_outl(f->tm, DMA_LO, __builtin_bswap32(DESC));
    assert_memory_equal(ram(f) + BUF, "QEMU", 4);
    assert_int_equal(ld_be32(ram(f) + DESC), 0);
    /* Narrow or misplaced writes do nothing. */
    as_write(&f->tm->m->as_mem, DESC, acc, sizeof(acc));
    test_outw(f->tm, DMA_LO, 0);
    test_outw(f->tm, 0x51a, 0);
    test_outb(f->tm, DMA_LO, 0);
    assert_int_equal(ld_be32(ram(f) + DESC), CTL_SELECT | CTL_READ);
    /* A structure running off RAM: the error goes to its control word. */
    test_outl(f->tm, DMA_LO, __builtin_bswap32(RAM_SIZE - 8));
    assert_int_equal(ld_be32(ram(f) + RAM_SIZE - 8), CTL_ERROR);
}

static void test_reset(void **state)
{
    Fixture *f = *state;

    test_outw(f->tm, SEL, FW_CFG_ID);
    assert_int_equal(test_inb(f->tm, DATA), 3);
    test_outl(f->tm, DMA_HI, __builtin_bswap32(1));
    fw_cfg_io_type.reset(f->fw);
    assert_int_equal(test_inb(f->tm, DATA), 'Q');
    /* The high half written before reset is gone. */
    assert_int_equal(dma_run_at(f, DESC, CTL_SELECT | CTL_READ, 4, BUF), 0);
    assert_memory_equal(ram(f) + BUF, "QEMU", 4);
}

int main(void)
{
    hw_register_types();
    const struct CMUnitTest tests[] = {
        FIXTURE_TEST(test_signature_and_id),
        FIXTURE_TEST_PROPS(test_no_dma, dma_off),
        FIXTURE_TEST(test_selector),
        FIXTURE_TEST(test_port_widths),
        FIXTURE_TEST(test_file_dir),
        FIXTURE_TEST(test_file_long_name),
        FIXTURE_TEST(test_dma_read),
        FIXTURE_TEST(test_dma_skip),
        FIXTURE_TEST(test_dma_bounds),
        FIXTURE_TEST(test_dma_write_and_bogus),
        FIXTURE_TEST(test_dma_address_register),
        FIXTURE_TEST(test_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
