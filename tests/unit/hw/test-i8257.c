/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for hw/dma/i8257.c: both chips on a small machine of their own
 * (2 MiB of RAM at 0, DMA1 at 0x00/0x80, DMA2 at 0xc0/0x88, as on the pc),
 * driven through their ports and through a fake device on a channel: the
 * registers and the flip-flop, write, read and verify transfers, terminal
 * count, auto-initialisation, address decrement and the page wrap, masks,
 * the DMA budget stopping a transfer, and the cap on runs in a row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/clock.h"
#include "emu/dma.h"
#include "hw/devices.h"
#include "hw/dma/i8257.h"

#include "hw-test.h"

#define RAM_SIZE 0x200000u

/* DMA1 ports (DMA2: 0xc0 + 2 * port). */
#define ADDR(ch) ((ch) * 2)
#define COUNT(ch) ((ch) * 2 + 1)
#define STATUS 0x08
#define COMMAND 0x08
#define REQUEST 0x09
#define MASK_READ 0x09
#define SINGLE_MASK 0x0a
#define MODE 0x0b
#define CLEAR_FF 0x0c
#define MASTER_CLEAR 0x0d
#define CLEAR_MASK 0x0e
#define WRITE_MASK 0x0f
#define DMA2(port) (0xc0 + 2 * (port))

/* Page register ports of channels 0-3 and 4-7. */
static const uint16_t page_port[8] = {0x87, 0x83, 0x81, 0x82, 0x8f, 0x8b, 0x89, 0x8a};

/* The fake device: what its handler does and what it saw. */
typedef enum { DEV_WRITE, DEV_READ, DEV_COUNT_ONLY } DevAction;

typedef struct FakeDev {
    Object *dma;
    unsigned nchan;
    DevAction action;
    uint32_t step;          /* bytes per call at most (0: all) */
    uint8_t data[0x20000];  /* what it writes; where reads land */
    unsigned calls;
    uint32_t last_pos, last_size;
    unsigned depth, max_depth;
    bool rehold;            /* calls i8257_hold_DREQ from inside */
} FakeDev;

typedef struct Fixture {
    TestMachine *tm;
    Object *dma1, *dma2;
    FakeDev dev;
} Fixture;

static uint32_t fake_handler(void *opaque, unsigned nchan, uint32_t pos, uint32_t size)
{
    FakeDev *d = opaque;
    uint32_t len = size - pos;

    assert_int_equal(nchan, d->nchan);
    d->calls++;
    d->last_pos = pos;
    d->last_size = size;
    d->depth++;
    d->max_depth = MAX(d->max_depth, d->depth);
    if (d->step && len > d->step) {
        len = d->step;
    }
    if (d->action == DEV_WRITE) {
        len = i8257_write_memory(d->dma, nchan, d->data + pos, pos, len);
    } else if (d->action == DEV_READ) {
        len = i8257_read_memory(d->dma, nchan, d->data + pos, pos, len);
    }
    if (d->rehold) {
        i8257_hold_DREQ(d->dma, nchan);     /* schedules, never recurses */
    }
    d->depth--;
    return pos + len;
}

static int setup(void **state)
{
    static const char *const dma1_props[] = {
        "base", "0x00", "page-base", "0x80", "dshift", "0", NULL};
    static const char *const dma2_props[] = {
        "base", "0xc0", "page-base", "0x88", "dshift", "1", NULL};
    Fixture *f = test_fixture_new(sizeof(*f), RAM_SIZE);
    Machine *m = f->tm->m;

    f->dma1 = test_device_new(f->tm, &i8257_type, dma1_props);
    f->dma2 = test_device_new(f->tm, &i8257_type, dma2_props);
    m->devices[m->nr_devices++] = f->dma1;
    m->devices[m->nr_devices++] = f->dma2;
    *state = f;
    return 0;
}

static uint8_t *ram(Fixture *f)
{
    return mr_ram_ptr(&f->tm->ram);
}

static void run_bhs(Fixture *f)
{
    clock_run_bhs(&f->tm->m->clock);
}

/* The fake device on channel nchan, doing action. */
static FakeDev *attach(Fixture *f, unsigned nchan, DevAction action)
{
    FakeDev *d = &f->dev;

    d->dma = nchan < 4 ? f->dma1 : f->dma2;
    d->nchan = nchan;
    d->action = action;
    for (size_t i = 0; i < sizeof(d->data); i++) {
        d->data[i] = (uint8_t)(i * 7 + 1);
    }
    i8257_register_channel(d->dma, nchan, NULL, fake_handler, d);
    return d;
}

/* Port of a DMA1 register on the chip of nchan. */
static uint16_t port(unsigned nchan, uint16_t reg)
{
    return nchan < 4 ? reg : DMA2(reg);
}

/* Programs a channel as a driver does: mask, mode, address, page, count. */
static void program(Fixture *f, unsigned nchan, uint8_t mode, uint16_t addr,
                    uint8_t page, uint16_t count)
{
    unsigned c = nchan % 4;

    test_outb(f->tm, port(nchan, SINGLE_MASK), 0x04 | c);
    test_outb(f->tm, port(nchan, CLEAR_FF), 0);
    test_outb(f->tm, port(nchan, MODE), mode | c);
    test_outb(f->tm, port(nchan, ADDR(c)), addr & 0xff);
    test_outb(f->tm, port(nchan, ADDR(c)), addr >> 8);
    test_outb(f->tm, page_port[nchan], page);
    test_outb(f->tm, port(nchan, COUNT(c)), count & 0xff);
    test_outb(f->tm, port(nchan, COUNT(c)), count >> 8);
}

static void unmask(Fixture *f, unsigned nchan)
{
    test_outb(f->tm, port(nchan, SINGLE_MASK), nchan % 4);
}

static uint16_t read16(Fixture *f, uint16_t p)
{
    uint16_t lo = test_inb(f->tm, p);

    return lo | test_inb(f->tm, p) << 8;
}

static uint16_t cur_addr(Fixture *f, unsigned nchan)
{
    test_outb(f->tm, port(nchan, CLEAR_FF), 0);
    return read16(f, port(nchan, ADDR(nchan % 4)));
}

static uint16_t cur_count(Fixture *f, unsigned nchan)
{
    test_outb(f->tm, port(nchan, CLEAR_FF), 0);
    return read16(f, port(nchan, COUNT(nchan % 4)));
}

/* ---- registers ---- */

static void test_registers(void **state)
{
    Fixture *f = *state;

    assert_int_equal(test_inb(f->tm, STATUS), 0);
    assert_int_equal(test_inb(f->tm, MASK_READ), 0x0f);
    assert_int_equal(test_inb(f->tm, DMA2(MASK_READ)), 0x0f);
    for (unsigned n = 0; n < 8; n++) {
        program(f, n, I8257_MODE_SINGLE | I8257_MODE_WRITE, 0x1234 + n * 0x101,
                (uint8_t)(0x10 + n), 0x0fed - n);
    }
    for (unsigned n = 0; n < 8; n++) {
        assert_int_equal(cur_addr(f, n), 0x1234 + n * 0x101);
        assert_int_equal(cur_count(f, n), 0x0fed - n);
        assert_int_equal(test_inb(f->tm, page_port[n]), 0x10 + n);
        assert_int_equal(i8257_channel_mode(n < 4 ? f->dma1 : f->dma2, n),
                         I8257_MODE_SINGLE | I8257_MODE_WRITE);
    }
    /* DMA2's odd ports alias the even ones. */
    test_outb(f->tm, DMA2(CLEAR_FF) + 1, 0);
    assert_int_equal(read16(f, DMA2(ADDR(1)) + 1), 0x1234 + 5 * 0x101);
    /* Neighbours of the page registers are not the chip's. */
    assert_int_equal(test_inb(f->tm, 0x80), 0xff);
    assert_int_equal(test_inb(f->tm, 0x84), 0xff);
    assert_int_equal(test_inb(f->tm, 0x88), 0xff);
    /* Master clear keeps addresses, counts, modes and pages. */
    test_outb(f->tm, MASTER_CLEAR, 0);
    assert_int_equal(cur_addr(f, 2), 0x1234 + 2 * 0x101);
    assert_int_equal(test_inb(f->tm, page_port[2]), 0x12);
    assert_int_equal(test_inb(f->tm, MASK_READ), 0x0f);
    assert_ptr_equal(i8257_for_channel(f->tm->m, 2), f->dma1);
    assert_ptr_equal(i8257_for_channel(f->tm->m, 5), f->dma2);
    assert_null(i8257_for_channel(f->tm->m, 8));
}

static void test_flip_flop(void **state)
{
    Fixture *f = *state;

    program(f, 1, 0, 0xabcd, 0, 0x1234);
    test_outb(f->tm, CLEAR_FF, 0);
    /* Reads and writes share it; each toggles it. */
    assert_int_equal(test_inb(f->tm, ADDR(1)), 0xcd);
    test_outb(f->tm, COUNT(1), 0x56);               /* the high byte */
    assert_int_equal(cur_count(f, 1), 0x5634);
    /* A low byte alone reaches the current register at once. */
    test_outb(f->tm, CLEAR_FF, 0);
    test_outb(f->tm, ADDR(1), 0x11);
    assert_int_equal(cur_addr(f, 1), 0xab11);
    /* Master clear resets it; each chip has its own. */
    test_outb(f->tm, CLEAR_FF, 0);
    test_inb(f->tm, ADDR(1));
    test_outb(f->tm, DMA2(CLEAR_FF), 0);
    test_outb(f->tm, MASTER_CLEAR, 0);
    assert_int_equal(test_inb(f->tm, ADDR(1)), 0x11);
    assert_int_equal(test_inb(f->tm, DMA2(ADDR(0))), 0x00);
}

static void test_masks_and_status(void **state)
{
    Fixture *f = *state;

    test_outb(f->tm, WRITE_MASK, 0xf5);
    assert_int_equal(test_inb(f->tm, MASK_READ), 0x05);
    test_outb(f->tm, SINGLE_MASK, 0x05);
    test_outb(f->tm, SINGLE_MASK, 0x02);
    assert_int_equal(test_inb(f->tm, MASK_READ), 0x03);
    test_outb(f->tm, CLEAR_MASK, 0);
    assert_int_equal(test_inb(f->tm, MASK_READ), 0x00);
    /* Requests in status bits 7-4, software or DREQ, masked or not. */
    test_outb(f->tm, REQUEST, 0x06);
    assert_int_equal(test_inb(f->tm, STATUS), 0x40);
    test_outb(f->tm, REQUEST, 0x02);
    test_outb(f->tm, WRITE_MASK, 0x0f);
    i8257_hold_DREQ(f->dma1, 3);
    assert_int_equal(test_inb(f->tm, STATUS), 0x80);
    i8257_release_DREQ(f->dma1, 3);
    assert_int_equal(test_inb(f->tm, STATUS), 0x00);
    /* Write-only registers read 0. */
    assert_int_equal(test_inb(f->tm, MODE), 0);
    assert_int_equal(test_inb(f->tm, MASTER_CLEAR), 0);
}

/* ---- transfers ---- */

static void test_write_transfer(void **state)
{
    Fixture *f = *state;
    FakeDev *d = attach(f, 2, DEV_WRITE);

    program(f, 2, I8257_MODE_SINGLE | I8257_MODE_WRITE, 0x1000, 0x05, 511);
    i8257_hold_DREQ(f->dma1, 2);
    run_bhs(f);
    assert_int_equal(d->calls, 0);      /* masked */
    unmask(f, 2);
    run_bhs(f);
    assert_int_equal(d->calls, 1);
    assert_int_equal(d->last_pos, 0);
    assert_int_equal(d->last_size, 512);
    assert_memory_equal(ram(f) + 0x51000, d->data, 512);
    assert_int_equal(ram(f)[0x51200], 0);
    /* TC, cleared by the status read; the channel masked itself; the count
     * rolled over and the address is past the block. */
    assert_int_equal(test_inb(f->tm, STATUS), 0x44);
    assert_int_equal(test_inb(f->tm, STATUS), 0x40);
    assert_int_equal(test_inb(f->tm, MASK_READ), 0x0f);
    assert_int_equal(cur_count(f, 2), 0xffff);
    assert_int_equal(cur_addr(f, 2), 0x1200);
    /* Still held but masked: no more calls. */
    run_bhs(f);
    assert_int_equal(d->calls, 1);
    assert_int_equal(d->max_depth, 1);
}

static void test_read_transfer(void **state)
{
    Fixture *f = *state;
    FakeDev *d = attach(f, 1, DEV_READ);

    for (unsigned i = 0; i < 300; i++) {
        ram(f)[0x12345 + i] = (uint8_t)(i ^ 0x5a);
    }
    program(f, 1, I8257_MODE_DEMAND | I8257_MODE_READ, 0x2345, 0x01, 299);
    unmask(f, 1);
    i8257_hold_DREQ(f->dma1, 1);
    run_bhs(f);
    assert_int_equal(d->calls, 1);
    assert_memory_equal(d->data, ram(f) + 0x12345, 300);
    assert_int_equal(test_inb(f->tm, STATUS) & 0x0f, 0x02);
}

static void test_verify(void **state)
{
    Fixture *f = *state;
    FakeDev *d = attach(f, 3, DEV_COUNT_ONLY);
    uint8_t zero[64] = {0};

    program(f, 3, I8257_MODE_BLOCK | I8257_MODE_VERIFY, 0x0000, 0x04, 63);
    unmask(f, 3);
    i8257_hold_DREQ(f->dma1, 3);
    run_bhs(f);
    assert_int_equal(d->calls, 1);
    assert_memory_equal(ram(f) + 0x40000, zero, sizeof(zero));
    assert_int_equal(test_inb(f->tm, STATUS), 0x88);
}

static void test_autoinit(void **state)
{
    Fixture *f = *state;
    FakeDev *d = attach(f, 1, DEV_WRITE);

    d->step = 16;
    program(f, 1, I8257_MODE_SINGLE | I8257_MODE_WRITE | I8257_MODE_AUTOINIT,
            0x8000, 0x02, 31);
    unmask(f, 1);
    i8257_hold_DREQ(f->dma1, 1);
    run_bhs(f);
    /* Runs go on while it moves: 16, 32 (TC, reload), 16, ... up to the cap. */
    assert_int_equal(d->calls, I8257_MAX_RUNS);
    assert_int_equal(test_inb(f->tm, STATUS), 0x22);
    assert_int_equal(test_inb(f->tm, MASK_READ) & 0x02, 0);
    /* After an even number of calls the block has just reloaded. */
    assert_int_equal(cur_addr(f, 1), 0x8000);
    assert_int_equal(cur_count(f, 1), 31);
    assert_memory_equal(ram(f) + 0x28000, d->data, 32);
    /* A DREQ change is a new event: the next runs go on. */
    i8257_hold_DREQ(f->dma1, 1);
    run_bhs(f);
    assert_int_equal(d->calls, 2 * I8257_MAX_RUNS);
    assert_int_equal(d->last_pos, 16);
    assert_int_equal(d->last_size, 32);
}

static void test_decrement(void **state)
{
    Fixture *f = *state;
    FakeDev *d = attach(f, 2, DEV_WRITE);

    /* 8-bit: bytes go down from 0x0002 and wrap to 0xffff in the page. */
    program(f, 2, I8257_MODE_SINGLE | I8257_MODE_WRITE | I8257_MODE_DECREMENT,
            0x0002, 0x03, 4);
    unmask(f, 2);
    i8257_hold_DREQ(f->dma1, 2);
    run_bhs(f);
    assert_int_equal(ram(f)[0x30002], d->data[0]);
    assert_int_equal(ram(f)[0x30001], d->data[1]);
    assert_int_equal(ram(f)[0x30000], d->data[2]);
    assert_int_equal(ram(f)[0x3ffff], d->data[3]);
    assert_int_equal(ram(f)[0x3fffe], d->data[4]);
    assert_int_equal(ram(f)[0x2ffff], 0);
    assert_int_equal(ram(f)[0x40000], 0);
    assert_int_equal(cur_addr(f, 2), 0xfffd);
}

/* Programs nchan, unmasks it, raises its DREQ and runs the transfer. */
static void transfer(Fixture *f, unsigned nchan, uint8_t mode, uint16_t addr,
                     uint8_t page, uint16_t count)
{
    program(f, nchan, mode, addr, page, count);
    unmask(f, nchan);
    i8257_hold_DREQ(nchan < 4 ? f->dma1 : f->dma2, nchan);
    run_bhs(f);
}

/* Decrement transfers longer than a word in both directions and widths:
 * the units land (or are read) last first, the byte order in a 16-bit
 * unit kept, odd lengths included. */
static void test_decrement_long(void **state)
{
    Fixture *f = *state;
    FakeDev *d = attach(f, 2, DEV_WRITE);

    transfer(f, 2, I8257_MODE_SINGLE | I8257_MODE_WRITE | I8257_MODE_DECREMENT,
             0x1000, 0x05, 36);                          /* 37 bytes down from 0x51000 */
    for (unsigned i = 0; i < 37; i++) {
        assert_int_equal(ram(f)[0x51000 - i], d->data[i]);
    }
    assert_int_equal(ram(f)[0x51001], 0);
    assert_int_equal(ram(f)[0x51000 - 37], 0);

    for (unsigned i = 0; i < 64; i++) {
        ram(f)[0x62000 - i] = (uint8_t)(0x80 + i * 3);
    }
    d = attach(f, 1, DEV_READ);
    transfer(f, 1, I8257_MODE_SINGLE | I8257_MODE_READ | I8257_MODE_DECREMENT,
             0x2000, 0x06, 40);                          /* 41 bytes down from 0x62000 */
    for (unsigned i = 0; i < 41; i++) {
        assert_int_equal(d->data[i], (uint8_t)(0x80 + i * 3));
    }

    d = attach(f, 5, DEV_WRITE);
    transfer(f, 5, I8257_MODE_SINGLE | I8257_MODE_WRITE | I8257_MODE_DECREMENT,
             0x0900, 0x04, 18);                          /* 19 words down from 0x41200 */
    for (unsigned i = 0; i < 19; i++) {
        assert_memory_equal(ram(f) + 0x41200 - 2 * i, d->data + 2 * i, 2);
    }
    assert_int_equal(ram(f)[0x41202], 0);
    assert_int_equal(ram(f)[0x41200 - 2 * 19 + 1], 0);

    for (unsigned i = 0; i < 64; i++) {
        ram(f)[0x61000 - 2 * i] = (uint8_t)i;
        ram(f)[0x61000 - 2 * i + 1] = (uint8_t)(0xc0 | i);
    }
    d = attach(f, 6, DEV_READ);
    transfer(f, 6, I8257_MODE_SINGLE | I8257_MODE_READ | I8257_MODE_DECREMENT,
             0x0800, 0x07, 22);       /* 23 words down from 0x61000 (page bit 0 unused) */
    for (unsigned i = 0; i < 23; i++) {
        assert_int_equal(d->data[2 * i], i);
        assert_int_equal(d->data[2 * i + 1], 0xc0 | i);
    }
}

static void test_16bit(void **state)
{
    Fixture *f = *state;
    FakeDev *d = attach(f, 5, DEV_WRITE);

    /* Words, page bit 0 unused: word 0xfffe of page 0x03 is byte 0x3fffc;
     * three words wrap to 0x20000 in the 128 KiB page. */
    program(f, 5, I8257_MODE_SINGLE | I8257_MODE_WRITE, 0xfffe, 0x03, 2);
    unmask(f, 5);
    i8257_hold_DREQ(f->dma2, 5);
    run_bhs(f);
    assert_int_equal(d->last_size, 6);
    assert_memory_equal(ram(f) + 0x3fffc, d->data, 4);
    assert_memory_equal(ram(f) + 0x20000, d->data + 4, 2);
    assert_int_equal(ram(f)[0x40000], 0);
    assert_int_equal(cur_addr(f, 5), 0x0001);
    assert_int_equal(test_inb(f->tm, DMA2(STATUS)), 0x22);
    /* Decrement: whole words, in descending order. */
    d->calls = 0;
    program(f, 5, I8257_MODE_SINGLE | I8257_MODE_WRITE | I8257_MODE_DECREMENT,
            0x0801, 0x04, 1);
    unmask(f, 5);
    run_bhs(f);
    assert_int_equal(d->calls, 1);
    assert_memory_equal(ram(f) + 0x41002, d->data, 2);
    assert_memory_equal(ram(f) + 0x41000, d->data + 2, 2);
}

static void test_budget(void **state)
{
    Fixture *f = *state;
    Machine *m = f->tm->m;
    FakeDev *d = attach(f, 2, DEV_WRITE);

    dma_budget_init(&m->dma_budget, 1000);
    dma_set_budget(&m->as_mem, &m->dma_budget);
    d->step = 256;
    program(f, 2, I8257_MODE_DEMAND | I8257_MODE_WRITE, 0x0000, 0x06, 0xffff);
    unmask(f, 2);
    i8257_hold_DREQ(f->dma1, 2);
    run_bhs(f);
    /* Three pieces of 256 fit; the budget refuses the fourth whole, the
     * handler moves nothing and the runs end. */
    assert_int_equal(d->calls, 4);
    assert_int_equal(d->last_pos, 768);
    assert_null(m->clock.bhs);
    assert_int_equal(cur_addr(f, 2), 768);
    assert_int_equal(cur_count(f, 2), 0xffff - 768);
    assert_memory_equal(ram(f) + 0x60000, d->data, 768);
    assert_int_equal(ram(f)[0x60000 + 768], 0);
    assert_int_equal(test_inb(f->tm, STATUS), 0x40);   /* no TC */
    /* A read past the budget fills zeros and says how much it moved. */
    uint8_t buf[300];
    memset(buf, 0xaa, sizeof(buf));
    assert_int_equal(i8257_read_memory(f->dma1, 2, buf, 0, sizeof(buf)), 0);
    assert_int_equal(buf[0], 0);
    assert_int_equal(buf[299], 0);
    /* A new DREQ edge tries again and stops again at once. */
    i8257_hold_DREQ(f->dma1, 2);
    run_bhs(f);
    assert_int_equal(d->calls, 5);
    assert_null(m->clock.bhs);
    dma_set_budget(&m->as_mem, NULL);
}

static void test_masked_and_disabled(void **state)
{
    Fixture *f = *state;
    FakeDev *d = attach(f, 0, DEV_COUNT_ONLY);

    program(f, 0, I8257_MODE_SINGLE | I8257_MODE_VERIFY, 0, 0, 3);
    i8257_hold_DREQ(f->dma1, 0);
    test_outb(f->tm, WRITE_MASK, 0x0e);
    test_outb(f->tm, COMMAND, 0x04);            /* controller disabled */
    run_bhs(f);
    assert_int_equal(d->calls, 0);
    test_outb(f->tm, COMMAND, 0x00);
    run_bhs(f);
    assert_int_equal(d->calls, 1);
    /* Cascade mode: no cycles of its own. */
    test_outb(f->tm, MODE, I8257_MODE_CASCADE);
    test_outb(f->tm, CLEAR_MASK, 0);
    i8257_hold_DREQ(f->dma1, 0);
    run_bhs(f);
    assert_int_equal(d->calls, 1);
}

/* A handler that moves a byte a call and re-raises DREQ from inside:
 * called once a run, never inside itself, and at most I8257_MAX_RUNS runs
 * in a row. */
static void test_run_cap(void **state)
{
    Fixture *f = *state;
    FakeDev *d = attach(f, 6, DEV_COUNT_ONLY);

    d->step = 1;
    d->rehold = true;
    program(f, 6, I8257_MODE_DEMAND | I8257_MODE_WRITE, 0, 0x10, 0xffff);
    unmask(f, 6);
    i8257_hold_DREQ(f->dma2, 6);
    run_bhs(f);
    assert_int_equal(d->calls, I8257_MAX_RUNS);
    assert_int_equal(d->max_depth, 1);
    assert_null(f->tm->m->clock.bhs);
    assert_int_equal(cur_count(f, 6), 0xffff - I8257_MAX_RUNS / 2);
}

/* A software request in block mode on a channel no device answers: the
 * block runs; a write transfer stores all ones. */
static void test_software_request(void **state)
{
    Fixture *f = *state;
    uint8_t ones[8];

    memset(ones, 0xff, sizeof(ones));
    program(f, 3, I8257_MODE_BLOCK | I8257_MODE_WRITE, 0x0100, 0x07, 7);
    test_outb(f->tm, REQUEST, 0x07);
    run_bhs(f);
    assert_memory_equal(ram(f) + 0x70100, ones, sizeof(ones));
    assert_int_equal(ram(f)[0x70108], 0);
    assert_int_equal(test_inb(f->tm, STATUS), 0x08);
}

static void test_reset(void **state)
{
    Fixture *f = *state;
    FakeDev *d = attach(f, 2, DEV_COUNT_ONLY);

    program(f, 2, I8257_MODE_SINGLE | I8257_MODE_VERIFY, 0x4321, 0x09, 5);
    unmask(f, 2);
    test_outb(f->tm, REQUEST, 0x05);
    test_outb(f->tm, COMMAND, 0x04);
    i8257_hold_DREQ(f->dma1, 2);        /* would run with the next BHs */
    i8257_type.reset(f->dma1);
    run_bhs(f);
    assert_int_equal(d->calls, 0);
    assert_int_equal(test_inb(f->tm, MASK_READ), 0x0f);
    assert_int_equal(test_inb(f->tm, STATUS), 0x40);   /* DREQ is the device's */
    assert_int_equal(cur_addr(f, 2), 0x4321);
    assert_int_equal(test_inb(f->tm, page_port[2]), 0x09);
}

int main(void)
{
    hw_register_types();
    const struct CMUnitTest tests[] = {
        FIXTURE_TEST(test_registers),
        FIXTURE_TEST(test_flip_flop),
        FIXTURE_TEST(test_masks_and_status),
        FIXTURE_TEST(test_write_transfer),
        FIXTURE_TEST(test_read_transfer),
        FIXTURE_TEST(test_verify),
        FIXTURE_TEST(test_autoinit),
        FIXTURE_TEST(test_decrement),
        FIXTURE_TEST(test_decrement_long),
        FIXTURE_TEST(test_16bit),
        FIXTURE_TEST(test_budget),
        FIXTURE_TEST(test_masked_and_disabled),
        FIXTURE_TEST(test_run_cap),
        FIXTURE_TEST(test_software_request),
        FIXTURE_TEST(test_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
