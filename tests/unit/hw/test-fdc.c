/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for hw/block/fdc*.c on the pc machine (the controller at 0x3f0,
 * the i8257 on channel 2, the CMOS): power-on registers, the housekeeping
 * commands, resets and their sense reports, seeks, DMA reads and writes of
 * a 1.44 MB image made here (the file itself never changes), non-DMA
 * reads, FORMAT TRACK, a read-only drive, QEMU's geometry for a 1 GiB
 * null-co disk in a 2.88 MB drive, READ ID's wait, the disk-change line,
 * and hostile sequences: every opcode, DRIVE SPECIFICATION without its
 * DONE byte, FIFO floods in every phase.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "emu/machine.h"
#include "emu/memory.h"
#include "hw/devices.h"

#include "hw-test.h"

#define IMG_SIZE (80 * 2 * 18 * 512)    /* 1.44 MB */
#define MSR 0x3f4
#define DSR 0x3f4
#define FIFO 0x3f5
#define DOR 0x3f2
#define DIR 0x3f7
#define CCR 0x3f7
#define BUF 0x10000u                    /* DMA buffer in guest RAM */

typedef struct Fixture {
    TestBoard b;
} Fixture;

static uint8_t img_byte(uint64_t off)
{
    return (uint8_t)(off * 7 + off / 512);
}

static int setup(void **state)
{
    static uint8_t img[IMG_SIZE];

    for (size_t i = 0; i < IMG_SIZE; i++) {
        img[i] = img_byte(i);
    }
    *state = test_board_new_image(sizeof(Fixture), "fdc", img, IMG_SIZE);
    return 0;
}

/* The pc with -drive ("%s": the image) and -device strings (NULL-terminated). */
static Machine *make(Fixture *f, const char *const *drives, const char *const *devices)
{
    test_board_add(&f->b, drives, NULL, devices);
    return test_board_create(&f->b, NULL);
}

/* A floppy at unit 0 with the image (read-only or not). */
static Machine *make_image(Fixture *f, bool ro)
{
    const char *const drives[] = {ro ? "file=%s,if=none,id=d0,format=raw,readonly=on"
                                     : "file=%s,if=none,id=d0,format=raw", NULL};
    const char *const devices[] = {"floppy,drive=d0", NULL};

    return make(f, drives, devices);
}

static uint8_t in(Fixture *f, uint16_t port)
{
    uint8_t v = (uint8_t)as_read_val(&f->b.m->as_io, port, 1, NULL);

    machine_settle(f->b.m);
    return v;
}

static void out(Fixture *f, uint16_t port, uint8_t val)
{
    as_write_val(&f->b.m->as_io, port, val, 1, NULL);
    machine_settle(f->b.m);
}

static void cmd(Fixture *f, const uint8_t *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(in(f, MSR) & 0xc0, 0x80);     /* RQM, host to FDC */
        out(f, FIFO, bytes[i]);
    }
}

/* The result phase, checked against want (n bytes); then idle. */
static void result(Fixture *f, const uint8_t *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(in(f, MSR), 0xd0);
        assert_int_equal(in(f, FIFO), want[i]);
    }
    assert_int_equal(in(f, MSR), 0x80);
}

#define CMD(f, ...) do { const uint8_t b_[] = {__VA_ARGS__}; cmd(f, b_, sizeof(b_)); } while (0)
#define RESULT(f, ...) do { const uint8_t r_[] = {__VA_ARGS__}; result(f, r_, sizeof(r_)); } while (0)

static uint8_t cmos(Fixture *f, uint8_t idx)
{
    out(f, 0x70, idx);
    return in(f, 0x71);
}

/* Channel 2: single mode, write (device to memory) or read, BUF, len. */
static void dma_setup(Fixture *f, bool to_memory, uint32_t len)
{
    out(f, 0x0a, 0x06);
    out(f, 0x0c, 0x00);
    out(f, 0x0b, to_memory ? 0x46 : 0x4a);
    out(f, 0x04, BUF & 0xff);
    out(f, 0x04, (BUF >> 8) & 0xff);
    out(f, 0x81, BUF >> 16);
    out(f, 0x05, (len - 1) & 0xff);
    out(f, 0x05, (len - 1) >> 8);
    out(f, 0x0a, 0x02);
}

static void seek(Fixture *f, uint8_t unit, uint8_t track)
{
    CMD(f, 0x0f, unit, track);
    CMD(f, 0x08);
    RESULT(f, 0x20 | unit, track);
}

static void test_power_on(void **state)
{
    Fixture *f = *state;

    make(f, NULL, NULL);
    assert_int_equal(in(f, MSR), 0x80);
    assert_int_equal(in(f, DOR), 0x0c);
    assert_int_equal(in(f, 0x3f1), 0xc0);
    assert_int_equal(in(f, DIR), 0x80);
    assert_int_equal(in(f, 0x3f0), 0xff);           /* SRA: not decoded */
    assert_int_equal(cmos(f, 0x10), 0x00);
    assert_int_equal(cmos(f, 0x14) & 0xc1, 0x00);
    CMD(f, 0x10);
    RESULT(f, 0x90);
    CMD(f, 0x18);
    RESULT(f, 0x41);
    CMD(f, 0x08);                                   /* nothing pending */
    RESULT(f, 0x80);
    CMD(f, 0x0e);
    RESULT(f, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0);
}

static void test_housekeeping(void **state)
{
    Fixture *f = *state;

    make(f, NULL, NULL);
    CMD(f, 0x03, 0xaf, 0x02);                       /* SPECIFY */
    CMD(f, 0x13, 0x00, 0x4a, 0x07);                 /* CONFIGURE: EIS, FIFO, thr 10 */
    CMD(f, 0x12, 0x83);                             /* PERPENDICULAR, OW: D = 0 */
    CMD(f, 0x12, 0xbc);                             /* OW, D3-D0 all, GAP/WGATE 0 */
    CMD(f, 0x94);                                   /* LOCK */
    RESULT(f, 0x10);
    CMD(f, 0x0e);
    RESULT(f, 0, 0, 0, 0, 0xaf, 0x02, 0, 0x80 | 0x3c, 0x4a, 0x07);
    /* A software reset keeps CONFIGURE under LOCK; polling is on (bit 4
     * clear): four ready-change reports. */
    out(f, DSR, 0x80);
    for (uint8_t u = 0; u < 4; u++) {
        CMD(f, 0x08);
        RESULT(f, 0xc0 | u, 0);
    }
    CMD(f, 0x08);
    RESULT(f, 0x80);
    CMD(f, 0x0e);
    RESULT(f, 0, 0, 0, 0, 0xaf, 0x02, 0, 0x80 | 0x3c, 0x4a, 0x07);
    CMD(f, 0x14);                                   /* UNLOCK */
    RESULT(f, 0x00);
    out(f, DSR, 0x80);                              /* unlocked: CONFIGURE back to default */
    for (uint8_t u = 0; u < 4; u++) {
        CMD(f, 0x08);
        RESULT(f, 0xc0 | u, 0);
    }
    CMD(f, 0x13, 0x00, 0x10, 0x00);                 /* polling off, locked */
    CMD(f, 0x94);
    RESULT(f, 0x10);
    out(f, DSR, 0x80);
    CMD(f, 0x08);
    RESULT(f, 0x80);                                /* the reset reports nothing */
    CMD(f, 0x17, 0x03);                             /* POWERDOWN MODE */
    RESULT(f, 0x03);
    CMD(f, 0x33, 0x01);                             /* OPTION */
    CMD(f, 0x8e, 0x05, 0x1e, 0x80);                 /* DRIVE SPECIFICATION */
    RESULT(f, 0x00, 0x04, 0x1c, 0x00);
    CMD(f, 0x8e, 0xc0);                             /* NRP: no result */
    assert_int_equal(in(f, MSR), 0x80);
    CMD(f, 0x2e);                                   /* SAVE */
    RESULT(f, 0x00, 0x07, 0, 0, 0, 0, 0xaf, 0x02, 0, 0xbc, 0x10, 0x00, 0x00, 0x04,
           0x1c, 0x00);
    CMD(f, 0x4e, 0x02, 0x00, 5, 6, 0, 0, 0x11, 0x01, 9, 0x80, 0x40, 3, 0, 0, 0, 0);
    CMD(f, 0x0e);                                   /* RESTORE put them back */
    RESULT(f, 5, 6, 0, 0, 0x11, 0x01, 9, 0x80, 0x40, 3);
}

static void test_hostile(void **state)
{
    Fixture *f = *state;

    make(f, NULL, (const char *const[]){"floppy", NULL});
    /* Every opcode: send it, then zeros while the FIFO wants bytes, then
     * read what it gives back; the controller ends idle each time. */
    for (unsigned op = 0; op < 256; op++) {
        out(f, FIFO, (uint8_t)op);
        for (unsigned i = 0; i < 32 && (in(f, MSR) & 0xc0) == 0x80 && (in(f, MSR) & 0x10); i++) {
            out(f, FIFO, 0);
        }
        for (unsigned i = 0; i < 32 && (in(f, MSR) & 0xc0) == 0xc0; i++) {
            in(f, FIFO);
        }
        clock_step(&f->b.m->clock, 100000000);        /* READ ID's wait */
        machine_settle(f->b.m);
        for (unsigned i = 0; i < 32 && (in(f, MSR) & 0xc0) == 0xc0; i++) {
            in(f, FIFO);
        }
        if (in(f, MSR) != 0x80) {
            fail_msg("opcode 0x%02x left MSR 0x%02x", op, in(f, MSR));
        }
    }
    /* DRIVE SPECIFICATION without DONE: five bytes, then invalid. */
    CMD(f, 0x8e, 1, 2, 3, 0, 1);
    RESULT(f, 0x80);
    /* Floods: in the result phase, during READ ID's wait, in reset. */
    CMD(f, 0x10);
    for (unsigned i = 0; i < 2000; i++) {
        out(f, FIFO, 0x55);
    }
    RESULT(f, 0x90);
    CMD(f, 0x0a, 0x00);
    assert_int_equal(in(f, MSR), 0x10);
    for (unsigned i = 0; i < 2000; i++) {
        out(f, FIFO, 0xaa);
        in(f, FIFO);
    }
    clock_step(&f->b.m->clock, 100000000);
    machine_settle(f->b.m);
    RESULT(f, 0x40, 0x01, 0x00, 0, 0, 1, 2);       /* no disk: no address mark */
    out(f, DOR, 0x08);                              /* held in reset */
    assert_int_equal(in(f, MSR), 0x00);
    for (unsigned i = 0; i < 2000; i++) {
        out(f, FIFO, 0x13);
    }
    out(f, DOR, 0x0c);
    for (uint8_t u = 0; u < 4; u++) {
        CMD(f, 0x08);
        RESULT(f, 0xc0 | u, 0);
    }
}

static void test_seek(void **state)
{
    Fixture *f = *state;

    make_image(f, false);
    assert_int_equal(cmos(f, 0x10), 0x40);          /* 1.44 MB found by auto */
    assert_int_equal(cmos(f, 0x14) & 0xc1, 0x01);
    assert_int_equal(in(f, DIR), 0x80);
    CMD(f, 0x07, 0x00);
    CMD(f, 0x08);
    RESULT(f, 0x20, 0);
    assert_int_equal(in(f, DIR), 0x80);             /* no step: still changed */
    seek(f, 0, 10);
    assert_int_equal(in(f, DIR), 0x00);
    CMD(f, 0xcf, 0x00, 5);                          /* RELATIVE SEEK in by 5 */
    CMD(f, 0x08);
    RESULT(f, 0x20, 15);
    CMD(f, 0x8f, 0x00, 20);                         /* out by 20: stops at 0, EC */
    CMD(f, 0x08);
    RESULT(f, 0x30, 0);
    CMD(f, 0x04, 0x04);                             /* SENSE DRIVE STATUS, head 1 */
    RESULT(f, 0x3c);
    CMD(f, 0x07, 0x02);                             /* no drive at unit 2 */
    CMD(f, 0x08);
    RESULT(f, 0x72, 0);
}

/* READ DATA of sectors r..eot on track c, head h by DMA: count bytes. */
static void read_dma(Fixture *f, uint8_t c, uint8_t h, uint8_t r, uint8_t eot, uint32_t len)
{
    dma_setup(f, true, len);
    CMD(f, 0x46, h << 2, c, h, r, 2, eot, 0x1b, 0xff);
}

static void check_sectors(Fixture *f, uint64_t lba, unsigned n)
{
    static uint8_t buf[18 * 512];

    as_read(&f->b.m->as_mem, BUF, buf, n * 512);
    for (unsigned i = 0; i < n * 512; i++) {
        if (buf[i] != img_byte(lba * 512 + i)) {
            fail_msg("byte %u of lba %u: 0x%02x", i, (unsigned)lba, buf[i]);
        }
    }
}

static void test_read_dma(void **state)
{
    Fixture *f = *state;

    make_image(f, false);
    seek(f, 0, 3);
    read_dma(f, 3, 1, 17, 18, 1024);                /* two sectors, to EOT */
    RESULT(f, 0x04, 0, 0, 4, 1, 1, 2);              /* C + 1, R = 1 */
    check_sectors(f, (3 * 2 + 1) * 18 + 16, 2);
    out(f, DOR, 0x14);                              /* DMA gate off: DRQ not driven */
    read_dma(f, 3, 0, 1, 18, 512);                  /* TC after one sector */
    assert_int_equal(in(f, MSR), 0x10);
    out(f, DOR, 0x1c);                              /* gate on: the transfer goes */
    RESULT(f, 0x00, 0, 0, 3, 0, 2, 2);
    check_sectors(f, 3 * 36, 1);
    read_dma(f, 5, 0, 1, 18, 512);                  /* not on track 5: no implied seek */
    RESULT(f, 0x40, 0x04, 0x10, 5, 0, 1, 2);
    read_dma(f, 3, 0, 19, 19, 512);                 /* no sector 19 */
    RESULT(f, 0x40, 0x04, 0x00, 3, 0, 19, 2);
    out(f, CCR, 0x02);                              /* 250 kb/s: nothing found */
    read_dma(f, 3, 0, 1, 1, 512);
    RESULT(f, 0x40, 0x01, 0x00, 3, 0, 1, 2);
    out(f, CCR, 0x00);
    CMD(f, 0x13, 0x00, 0x40, 0x00);                 /* implied seeks on */
    read_dma(f, 79, 1, 18, 18, 512);
    RESULT(f, 0x04, 0, 0, 80, 1, 1, 2);
    check_sectors(f, 2879, 1);
}

static void test_write_dma(void **state)
{
    Fixture *f = *state;
    uint8_t data[512];
    struct stat before, after;

    assert_int_equal(stat(f->b.path, &before), 0);
    make_image(f, false);
    for (unsigned i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(0xa5 ^ i);
    }
    as_write(&f->b.m->as_mem, BUF, data, sizeof(data));
    seek(f, 0, 2);
    dma_setup(f, false, 512);
    CMD(f, 0x45, 0x00, 2, 0, 5, 2, 18, 0x1b, 0xff);
    RESULT(f, 0x00, 0, 0, 2, 0, 6, 2);
    as_write(&f->b.m->as_mem, BUF, (uint8_t[512]){0}, 512);
    read_dma(f, 2, 0, 5, 5, 512);
    RESULT(f, 0x00, 0, 0, 3, 0, 1, 2);
    uint8_t back[512];
    as_read(&f->b.m->as_mem, BUF, back, sizeof(back));
    assert_memory_equal(back, data, sizeof(data));
    /* A DMA count shorter than the sector: TC mid-sector pads with zeros. */
    dma_setup(f, false, 100);
    CMD(f, 0x45, 0x00, 2, 0, 6, 2, 18, 0x1b, 0xff);
    RESULT(f, 0x00, 0, 0, 2, 0, 7, 2);
    read_dma(f, 2, 0, 6, 6, 512);
    RESULT(f, 0x00, 0, 0, 3, 0, 1, 2);
    as_read(&f->b.m->as_mem, BUF, back, sizeof(back));
    assert_memory_equal(back, data, 100);
    for (unsigned i = 100; i < 512; i++) {
        assert_int_equal(back[i], 0);
    }
    assert_int_equal(stat(f->b.path, &after), 0);
    assert_int_equal(before.st_mtime, after.st_mtime);
    assert_int_equal(before.st_size, after.st_size);
}

static void test_read_pio(void **state)
{
    Fixture *f = *state;

    make_image(f, false);
    CMD(f, 0x03, 0xaf, 0x03);                       /* ND: non-DMA */
    CMD(f, 0xe6, 0x00, 0, 0, 18, 2, 18, 0x1b, 0xff);/* MT: on to side 1 */
    for (unsigned i = 0; i < 3 * 512; i++) {        /* lba 17, then 18 and 19 */
        assert_int_equal(in(f, MSR), 0xf0);
        assert_int_equal(in(f, FIFO), img_byte(17 * 512 + i));
    }
    /* Writes to the FIFO while it gives data are refused. */
    out(f, FIFO, 0x12);
    assert_int_equal(in(f, MSR), 0xf0);
}

static void test_format(void **state)
{
    Fixture *f = *state;

    make_image(f, false);
    CMD(f, 0x03, 0xaf, 0x03);                       /* non-DMA */
    seek(f, 0, 1);
    CMD(f, 0x4d, 0x04, 2, 2, 0x54, 0xe5);           /* head 1, 2 sectors, fill 0xe5 */
    const uint8_t ids[] = {1, 1, 7, 2, 1, 1, 8, 2};
    for (unsigned i = 0; i < sizeof(ids); i++) {
        assert_int_equal(in(f, MSR), 0xb0);         /* RQM, NDM, CB; host to FDC */
        out(f, FIFO, ids[i]);
    }
    RESULT(f, 0x04, 0, 0, 1, 1, 8, 2);
    CMD(f, 0x03, 0xaf, 0x02);
    read_dma(f, 1, 1, 7, 9, 3 * 512);
    RESULT(f, 0x04, 0, 0, 2, 1, 1, 2);
    uint8_t back[3 * 512];
    as_read(&f->b.m->as_mem, BUF, back, sizeof(back));
    for (unsigned i = 0; i < 1024; i++) {
        assert_int_equal(back[i], 0xe5);
    }
    assert_int_equal(back[1024], img_byte((1 * 36 + 18 + 8) * 512));
}

static void test_read_only(void **state)
{
    Fixture *f = *state;

    make_image(f, true);
    CMD(f, 0x04, 0x00);
    RESULT(f, 0x78);                                /* WP, RDY, T0, TS */
    dma_setup(f, false, 512);
    CMD(f, 0x45, 0x00, 0, 0, 1, 2, 18, 0x1b, 0xff);
    RESULT(f, 0x40, 0x02, 0x00, 0, 0, 1, 2);
    CMD(f, 0x4d, 0x00, 2, 18, 0x54, 0xf6);
    RESULT(f, 0x40, 0x02, 0x00, 0, 0, 1, 2);
    CMD(f, 0x56, 0x00, 0, 0, 1, 2, 18, 0x1b, 0xff); /* VERIFY reads */
    RESULT(f, 0x00, 0, 0, 1, 0, 1, 2);
}

static void test_null_288(void **state)
{
    Fixture *f = *state;
    const char *const drives[] = {"id=disk0,file=null-co://,file.read-zeroes=on,if=none,"
                                  "format=raw", NULL};
    const char *const devices[] = {"floppy,id=floppy0",
                                   "floppy,drive=disk0,drive-type=288", NULL};

    make(f, drives, devices);
    assert_int_equal(cmos(f, 0x10), 0x55);
    assert_int_equal(cmos(f, 0x14) & 0xc1, 0x41);
    out(f, CCR, 0x03);                              /* 1 Mb/s */
    out(f, DOR, 0x2d);
    CMD(f, 0x13, 0x00, 0x40, 0x00);                 /* implied seeks */
    as_write(&f->b.m->as_mem, BUF, "\xff\xff", 2);
    dma_setup(f, true, 512);                        /* the last sector of a 2.88 MB disk */
    CMD(f, 0x46, 0x05, 79, 1, 36, 2, 36, 0x1b, 0xff);
    RESULT(f, 0x05, 0, 0, 80, 1, 1, 2);
    uint8_t back[2];
    as_read(&f->b.m->as_mem, BUF, back, 2);
    assert_int_equal(back[0] | back[1], 0);
    dma_setup(f, true, 512);                        /* no sector 37 */
    CMD(f, 0x46, 0x05, 79, 1, 37, 2, 37, 0x1b, 0xff);
    RESULT(f, 0x45, 0x04, 0, 79, 1, 37, 2);
    CMD(f, 0x46, 0x04, 0, 1, 1, 2, 1, 0x1b, 0xff);  /* the empty drive */
    RESULT(f, 0x44, 0x01, 0, 0, 1, 1, 2);
}

static void test_read_id(void **state)
{
    Fixture *f = *state;

    make_image(f, false);
    seek(f, 0, 7);
    CMD(f, 0x4a, 0x04);
    assert_int_equal(in(f, MSR), 0x10);
    clock_step(&f->b.m->clock, 1000000000 / 50);
    machine_settle(f->b.m);
    RESULT(f, 0x04, 0, 0, 7, 1, 1, 2);
    CMD(f, 0x0a, 0x00);                             /* FM: no address mark */
    clock_step(&f->b.m->clock, 1000000000 / 50);
    machine_settle(f->b.m);
    RESULT(f, 0x40, 0x01, 0, 7, 0, 1, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_power_on, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_housekeeping, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_hostile, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_seek, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_read_dma, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_write_dma, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_read_pio, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_format, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_read_only, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_null_288, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_read_id, setup, test_board_teardown),
    };

    hw_register_types();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
