/* SPDX-License-Identifier: MIT */
/*
 * IDE: the ATA and ATAPI devices on the pc machine's PIIX3 function (ports,
 * task file, PIO, bus-master DMA) and on a bare IDEBus with a fake DMA
 * engine (the interface AHCI will use): data written and read back, the
 * hostile cases (registers while busy, ranges past the medium, bad counts,
 * short PRD tables), sense data and the media-change unit attention.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "emu/clock.h"
#include "emu/machine.h"
#include "emu/memory.h"
#include "hw/devices.h"
#include "hw/ide/ide.h"

#include "hw-test.h"

#define IMG_SIZE (1024 * 1024)
#define PB 0x170                /* ide.1, where the disk goes by default */
#define CTL 0x376

typedef struct Fixture {
    TestBoard b;
} Fixture;

static int setup(void **state)
{
    *state = test_board_new_image(sizeof(Fixture), "ide", NULL, IMG_SIZE);
    return 0;
}

/* The pc with dev (ide-hd or ide-cd) on the image, where it goes by default. */
static void make(Fixture *f, const char *dev)
{
    g_autofree char *disk = g_strdup_printf("%s,drive=d0", dev);
    const char *const drives[] = { test_board_disk(dev), NULL };
    const char *const devices[] = { disk, NULL };

    test_board_add(&f->b, drives, NULL, devices);
    test_board_create(&f->b, NULL);
}

static uint32_t in(Fixture *f, uint16_t port, unsigned size)
{
    return test_board_in(&f->b, port, size);
}

static void out(Fixture *f, uint16_t port, uint32_t val, unsigned size)
{
    test_board_out(&f->b, port, val, size);
}

static void ata_cmd(Fixture *f, uint32_t lba, uint8_t n, uint8_t cmd)
{
    out(f, PB + 2, n, 1);
    out(f, PB + 3, lba & 0xff, 1);
    out(f, PB + 4, (lba >> 8) & 0xff, 1);
    out(f, PB + 5, (lba >> 16) & 0xff, 1);
    out(f, PB + 6, 0xe0, 1);
    out(f, PB + 7, cmd, 1);
}

/* IDENTIFY: status with DRQ, QEMU's words, DRQ gone after 256 reads. */
static void test_identify(void **state)
{
    Fixture *f = *state;
    uint16_t w[256];

    make(f, "ide-hd");
    assert_int_equal(in(f, PB + 7, 1), 0x50);
    assert_int_equal(in(f, 0x1f7, 1), 0x00);           /* no device on ide.0 */
    out(f, PB + 6, 0xa0, 1);
    out(f, PB + 7, 0xec, 1);
    assert_int_equal(in(f, PB + 7, 1), 0x58);
    for (int i = 0; i < 256; i++) {
        w[i] = in(f, PB, 2);
    }
    assert_int_equal(in(f, PB + 7, 1), 0x50);
    assert_int_equal(w[0], 0x0040);
    assert_int_equal(w[60] | (uint32_t)w[61] << 16, IMG_SIZE / 512);
    assert_int_equal(w[83] & 0x0400, 0x0400);           /* 48-bit */
    assert_int_equal(in(f, PB, 2), 0);                  /* DRQ clear: 0 */
}

/* WRITE SECTORS then READ SECTORS of LBA 3; the image pattern around it. */
static void test_pio_write_read(void **state)
{
    Fixture *f = *state;

    make(f, "ide-hd");
    ata_cmd(f, 3, 1, 0x30);
    assert_int_equal(in(f, CTL, 1), 0x58);
    for (int i = 0; i < 256; i++) {
        out(f, PB, 0xa500 + i, 2);
    }
    assert_int_equal(in(f, PB + 7, 1), 0x50);
    ata_cmd(f, 2, 2, 0x20);
    for (int i = 0; i < 128; i++) {
        assert_int_equal(in(f, PB, 4), 2 * 512 + 4 * i);    /* the image */
    }
    assert_int_equal(in(f, PB + 7, 1), 0x58);               /* next block */
    for (int i = 0; i < 256; i++) {
        assert_int_equal(in(f, PB, 2), 0xa500 + i);
    }
    assert_int_equal(in(f, PB + 7, 1), 0x50);
}

/* READ VERIFY SECTORS: no data, the whole range checked, the task file at
 * the sector after it (count 0: 256 sectors); past the medium: IDNF. */
static void test_verify(void **state)
{
    Fixture *f = *state;

    make(f, "ide-hd");
    ata_cmd(f, 0, 0, 0x40);
    assert_int_equal(in(f, PB + 7, 1), 0x50);
    assert_int_equal(in(f, PB + 2, 1), 0);
    assert_int_equal(in(f, PB + 3, 1), 0x00);
    assert_int_equal(in(f, PB + 4, 1), 0x01);               /* LBA 256 */
    ata_cmd(f, IMG_SIZE / 512 - 1, 2, 0x40);
    assert_int_equal(in(f, PB + 7, 1), 0x41);
    assert_int_equal(in(f, PB + 1, 1), 0x14);               /* IDNF | ABRT */
}

/* Bus-master DMA: WRITE DMA from RAM, READ DMA into other RAM, equal; a
 * PRD table shorter than the transfer leaves Active clear, no INT. */
static void test_bmdma(void **state)
{
    Fixture *f = *state;
    uint8_t src[1024], dst[1024];

    make(f, "ide-hd");
    out(f, 0xcf8, 0x80000920, 4);
    out(f, 0xcfc, 0xc000, 4);
    out(f, 0xcf8, 0x80000904, 4);
    out(f, 0xcfc, 0x5, 2);
    for (size_t i = 0; i < sizeof(src); i++) {
        src[i] = i * 13 + 1;
    }
    as_write(&f->b.m->as_mem, 0x100000, src, sizeof(src));
    uint32_t prd[4] = { 0x100000, 0x200, 0x100200, 0x80000200 };
    as_write(&f->b.m->as_mem, 0x1000, prd, sizeof(prd));
    out(f, 0xc00c, 0x1000, 4);
    ata_cmd(f, 7, 2, 0xca);
    assert_int_equal(in(f, PB + 7, 1), 0x58);       /* waits for the engine */
    out(f, 0xc008, 0x01, 1);
    assert_int_equal(in(f, 0xc00a, 1), 0x04);       /* INT, Active clear */
    assert_int_equal(in(f, PB + 7, 1), 0x50);
    out(f, 0xc008, 0x00, 1);
    out(f, 0xc00a, 0x04, 1);
    uint32_t prd2[2] = { 0x300000, 0x80000400 };
    as_write(&f->b.m->as_mem, 0x1000, prd2, sizeof(prd2));
    ata_cmd(f, 7, 2, 0xc8);
    out(f, 0xc008, 0x09, 1);
    as_read(&f->b.m->as_mem, 0x300000, dst, sizeof(dst));
    assert_memory_equal(src, dst, sizeof(dst));
    out(f, 0xc008, 0x08, 1);
    out(f, 0xc00a, 0x04, 1);
    /* 4 sectors, a table of 1 KiB: short */
    ata_cmd(f, 7, 4, 0xc8);
    out(f, 0xc008, 0x09, 1);
    assert_int_equal(in(f, 0xc00a, 1), 0x00);
    assert_int_equal(in(f, PB + 7, 1), 0x50);
}

/* The guest is hostile: writes while DRQ ignored, LBA past the end, SET
 * MULTIPLE with a count that is not a power of two. */
static void test_hostile(void **state)
{
    Fixture *f = *state;

    make(f, "ide-hd");
    ata_cmd(f, 0, 1, 0x20);
    out(f, PB + 3, 0x77, 1);                        /* DRQ: ignored */
    out(f, PB + 7, 0xec, 1);                        /* busy: ignored */
    assert_int_equal(in(f, PB + 3, 1), 0x01);       /* the next sector */
    assert_int_equal(in(f, PB + 7, 1), 0x58);
    out(f, CTL, 0x04, 1);                           /* SRST */
    out(f, CTL, 0x00, 1);
    assert_int_equal(in(f, PB + 7, 1), 0x50);
    assert_int_equal(in(f, PB + 1, 1), 0x01);
    ata_cmd(f, IMG_SIZE / 512 - 1, 2, 0x20);        /* one past the end */
    assert_int_equal(in(f, PB + 7, 1), 0x41);
    assert_int_equal(in(f, PB + 1, 1), 0x14);       /* IDNF, ABRT */
    out(f, PB + 2, 3, 1);
    out(f, PB + 7, 0xc6, 1);
    assert_int_equal(in(f, PB + 7, 1), 0x41);
    out(f, PB + 2, 0, 1);
    out(f, PB + 7, 0xc6, 1);                        /* 0: off */
    assert_int_equal(in(f, PB + 7, 1), 0x50);
    ata_cmd(f, 0, 1, 0xc4);                         /* READ MULTIPLE: off */
    assert_int_equal(in(f, PB + 7, 1), 0x41);
}

static uint8_t atapi(Fixture *f, const uint8_t cdb[12], uint8_t *reply, unsigned len)
{
    out(f, PB + 6, 0xa0, 1);
    out(f, PB + 1, 0, 1);
    out(f, PB + 4, 0x00, 1);
    out(f, PB + 5, 0x08, 1);
    out(f, PB + 7, 0xa0, 1);
    for (int i = 0; i < 12; i += 2) {
        out(f, PB, cdb[i] | cdb[i + 1] << 8, 2);
    }
    for (unsigned i = 0; i + 1 < len && (in(f, CTL, 1) & 0x08); i += 2) {
        uint16_t w = in(f, PB, 2);
        reply[i] = w & 0xff;
        reply[i + 1] = w >> 8;
    }
    return in(f, PB + 7, 1);
}

/* Eject and load: UNIT ATTENTION once, sense 06/28h, then ready. */
static void test_atapi_media_change(void **state)
{
    Fixture *f = *state;
    uint8_t cdb[12] = { 0 }, r[64];

    make(f, "ide-cd");
    assert_int_equal(in(f, PB + 4, 1), 0x14);       /* packet signature */
    assert_int_equal(in(f, PB + 5, 1), 0xeb);
    assert_int_equal(atapi(f, cdb, r, 0), 0x50);    /* TEST UNIT READY */
    cdb[0] = 0x1b;
    cdb[4] = 0x02;                                  /* eject */
    assert_int_equal(atapi(f, cdb, r, 0), 0x50);
    memset(cdb, 0, sizeof(cdb));
    assert_int_equal(atapi(f, cdb, r, 0), 0x41);    /* no medium */
    assert_int_equal(in(f, PB + 1, 1), 0x20);       /* NOT READY */
    cdb[0] = 0x1b;
    cdb[4] = 0x03;                                  /* load */
    assert_int_equal(atapi(f, cdb, r, 0), 0x50);
    memset(cdb, 0, sizeof(cdb));
    assert_int_equal(atapi(f, cdb, r, 0), 0x41);
    assert_int_equal(in(f, PB + 1, 1), 0x60);       /* UNIT ATTENTION */
    assert_int_equal(atapi(f, cdb, r, 0), 0x50);    /* once */
    cdb[0] = 0x28;                                  /* READ(10) past the end */
    cdb[4] = 0xff;
    cdb[5] = 0xff;
    cdb[8] = 1;
    assert_int_equal(atapi(f, cdb, r, 0), 0x41);
    memset(cdb, 0, sizeof(cdb));
    cdb[0] = 0x03;
    cdb[4] = 18;
    assert_int_equal(atapi(f, cdb, r, 18), 0x50);
    assert_int_equal(r[2], 0x05);                   /* ILLEGAL REQUEST */
    assert_int_equal(r[12], 0x21);                  /* LBA out of range */
}

int main(void)
{
    hw_register_types();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_identify, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_pio_write_read, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_verify, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_bmdma, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_hostile, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_atapi_media_change, setup, test_board_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
