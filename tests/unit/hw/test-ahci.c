/* SPDX-License-Identifier: MIT */
/*
 * AHCI (ich9-ahci on the pc machine, a disk or a CD-ROM on port 0): the
 * PCI function and HBA registers, a port brought up as libahci does
 * (CLB/FB, FRE, ST), IDENTIFY through a PIO setup FIS, READ/WRITE DMA EXT
 * through PRDTs of several entries, an NCQ read, ATAPI INQUIRY and
 * READ(10), COMRESET and its signature, MSI, and hostile tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "emu/byteorder.h"
#include "emu/machine.h"
#include "emu/memory.h"
#include "emu/msi.h"
#include "hw/devices.h"

#include "hw-test.h"

#define IMG_SIZE (1024 * 1024)
#define CFG(reg) (0x80001000u | (reg))  /* 00:02.0 */
#define ABAR 0xe0000000ull
#define IDP 0xc000
#define P0(reg) (ABAR + 0x100 + (reg))
#define CLB 0x10000
#define FB 0x11000
#define CTBA 0x12000
#define DATA 0x100000

typedef struct Fixture {
    TestBoard b;
} Fixture;

static int setup(void **state)
{
    *state = test_board_new_image(sizeof(Fixture), "ahci", NULL, IMG_SIZE);
    return 0;
}

static uint32_t in(Fixture *f, uint16_t port, unsigned size)
{
    return test_board_in(&f->b, port, size);
}

static void out(Fixture *f, uint16_t port, uint32_t val, unsigned size)
{
    test_board_out(&f->b, port, val, size);
}

static uint32_t rd(Fixture *f, uint64_t addr)
{
    return (uint32_t)test_board_read(&f->b, addr, 4);
}

static void wr(Fixture *f, uint64_t addr, uint32_t val)
{
    test_board_write(&f->b, addr, val, 4);
}

static uint32_t ram32(Fixture *f, uint64_t addr)
{
    uint8_t b[4];
    as_read(&f->b.m->as_mem, addr, b, 4);
    return ld_le32(b);
}

static void ram_put32(Fixture *f, uint64_t addr, uint32_t v)
{
    uint8_t b[4];
    st_le32(b, v);
    as_write(&f->b.m->as_mem, addr, b, 4);
}

/* The machine with the controller (BARs placed, enabled) and dev on
 * ahci.0 (NULL: no device). */
static void make(Fixture *f, const char *dev)
{
    static const char *const ctrl[] = { "ich9-ahci,id=ahci", NULL };

    test_board_add(&f->b, NULL, NULL, ctrl);
    if (dev) {
        g_autofree char *disk = g_strdup_printf("%s,drive=d0,bus=ahci.0", dev);
        const char *const drives[] = { test_board_disk(dev), NULL };
        const char *const devices[] = { disk, NULL };
        test_board_add(&f->b, drives, NULL, devices);
    }
    test_board_create(&f->b, NULL);
    out(f, 0xcf8, CFG(0x24), 4);
    out(f, 0xcfc, ABAR, 4);
    out(f, 0xcf8, CFG(0x20), 4);
    out(f, 0xcfc, IDP, 4);
    out(f, 0xcf8, CFG(0x04), 4);
    out(f, 0xcfc, 0x07, 2);
}

static uint32_t cfg_read(Fixture *f, uint8_t reg)
{
    out(f, 0xcf8, CFG(reg), 4);
    return in(f, 0xcfc, 4);
}

/* libahci's port start: addresses, FRE, then ST. */
static void port_start(Fixture *f)
{
    wr(f, P0(0x00), CLB);
    wr(f, P0(0x04), 0);
    wr(f, P0(0x08), FB);
    wr(f, P0(0x0c), 0);
    wr(f, P0(0x30), 0xffffffff);
    wr(f, P0(0x10), 0xffffffff);
    wr(f, P0(0x18), 0x16);                  /* FRE, POD, SUD */
    wr(f, P0(0x18), 0x17);                  /* ST */
}

/* Slot's command: header, H2D FIS, PRDT of n entries {addr, bytes}. */
static void cmd_setup(Fixture *f, unsigned slot, uint32_t flags, const uint8_t *fis,
                      const uint32_t (*prd)[2], unsigned n)
{
    uint64_t ct = CTBA + slot * 0x400;
    uint64_t h = CLB + slot * 32;

    ram_put32(f, h, 5 | flags | (n << 16));
    ram_put32(f, h + 4, 0xdeadbeef);        /* PRDBC: the HBA writes it */
    ram_put32(f, h + 8, ct);
    ram_put32(f, h + 12, 0);
    as_write(&f->b.m->as_mem, ct, fis, 20);
    for (unsigned i = 0; i < n; i++) {
        ram_put32(f, ct + 0x80 + 16 * i, prd[i][0]);
        ram_put32(f, ct + 0x84 + 16 * i, 0);
        ram_put32(f, ct + 0x88 + 16 * i, 0);
        ram_put32(f, ct + 0x8c + 16 * i, prd[i][1] - 1);
    }
}

static void fis_ata(uint8_t *fis, uint8_t cmd, uint64_t lba, uint16_t count, uint8_t feat)
{
    memset(fis, 0, 20);
    fis[0] = 0x27;
    fis[1] = 0x80;
    fis[2] = cmd;
    fis[3] = feat;
    fis[4] = lba;
    fis[5] = lba >> 8;
    fis[6] = lba >> 16;
    fis[7] = 0x40;
    fis[8] = lba >> 24;
    fis[9] = lba >> 32;
    fis[10] = lba >> 40;
    fis[12] = count;
    fis[13] = count >> 8;
}

/* The function and the HBA after reset. */
static void test_registers(void **state)
{
    Fixture *f = *state;

    make(f, "ide-hd");
    assert_int_equal(cfg_read(f, 0x00), 0x29228086);
    assert_int_equal(cfg_read(f, 0x08), 0x01060102);
    assert_int_equal(cfg_read(f, 0x34) & 0xff, 0x80);          /* MSI first */
    assert_int_equal(cfg_read(f, 0x80) & 0xffff, 0xa805);
    assert_int_equal(cfg_read(f, 0xa8), 0x00100012);           /* SATA cap */
    assert_int_equal(cfg_read(f, 0xac), 0x48);
    assert_int_equal(cfg_read(f, 0x3c) >> 8 & 0xff, 1);        /* INTA */
    assert_int_equal(rd(f, ABAR + 0x00), 0xc0141f05);
    assert_int_equal(rd(f, ABAR + 0x04), 0x80000000);
    assert_int_equal(rd(f, ABAR + 0x0c), 0x3f);
    assert_int_equal(rd(f, ABAR + 0x10), 0x10300);
    assert_int_equal(rd(f, P0(0x28)), 0x113);
    assert_int_equal(rd(f, ABAR + 0x180 + 0x28), 0);            /* port 1: empty */
    assert_int_equal(rd(f, P0(0x18)), 0x6);
    assert_int_equal(rd(f, P0(0x24)), 0xffffffff);              /* no FIS yet */
    assert_int_equal(rd(f, P0(0x20)), 0x7f);
    /* The index-data pair reaches the same registers */
    out(f, IDP + 0x10, 0x10, 4);
    assert_int_equal(in(f, IDP + 0x14, 4), 0x10300);
    out(f, IDP + 0x10, 0x123, 4);
    assert_int_equal(in(f, IDP + 0x10, 4), 0x120);
    /* FRE: the signature FIS, TFD, DHRS */
    port_start(f);
    assert_int_equal(rd(f, P0(0x18)) & 0xc011, 0xc011);         /* CR, FR */
    assert_int_equal(ram32(f, FB + 0x40) & 0xffff00ff, 0x01500034);
    assert_int_equal(rd(f, P0(0x20)), 0x150);
    assert_int_equal(rd(f, P0(0x24)), 0x101);                   /* PxSIG */
    assert_int_equal(rd(f, P0(0x10)), 1);
    /* Unaligned writes are dropped, narrower reads give the bytes */
    as_write_val(&f->b.m->as_mem, P0(0x15), 0xff, 1, NULL);
    assert_int_equal(rd(f, P0(0x14)), 0);
    assert_int_equal(as_read_val(&f->b.m->as_mem, ABAR + 0x11, 1, NULL), 0x03);
}

/* IDENTIFY DEVICE: PIO setup FIS, 512 bytes through the PRDT. */
static void test_identify(void **state)
{
    Fixture *f = *state;
    uint8_t fis[20];
    const uint32_t prd[1][2] = { { DATA, 512 } };

    make(f, "ide-hd");
    port_start(f);
    wr(f, P0(0x10), 0xffffffff);
    wr(f, ABAR + 0x04, 0x80000002);
    wr(f, P0(0x14), 0xffffffff);
    fis_ata(fis, 0xec, 0, 0, 0);
    fis[7] = 0;
    cmd_setup(f, 0, 0, fis, prd, 1);
    wr(f, P0(0x38), 1);
    assert_int_equal(rd(f, P0(0x38)), 0);
    assert_int_equal(rd(f, P0(0x10)), 0x3);                     /* DHRS, PSS */
    assert_int_equal(rd(f, ABAR + 0x08), 1);
    assert_int_equal(rd(f, P0(0x20)), 0x50);
    assert_int_equal(ram32(f, CLB + 4), 512);                   /* PRDBC */
    assert_int_equal(ram32(f, FB + 0x20), 0x0058605f);          /* PIO setup, DRQ */
    assert_int_equal(ram32(f, FB + 0x2c) >> 24, 0x50);          /* E_Status */
    assert_int_equal(ram32(f, FB + 0x30) & 0xffff, 512);
    assert_int_equal(ram32(f, DATA) & 0xffff, 0x0040);
    assert_int_equal(ram32(f, DATA + 120), IMG_SIZE / 512);     /* words 60-61 */
    assert_int_equal(ram32(f, DATA + 166) & 0x0400, 0x0400);    /* 48-bit */
    /* INTx follows IS while GHC.IE; clearing PxIS lowers it */
    wr(f, P0(0x10), 0xffffffff);
    assert_int_equal(rd(f, ABAR + 0x08), 0);
}

/* WRITE DMA EXT through three entries, READ DMA EXT back through four. */
static void test_dma_ext(void **state)
{
    Fixture *f = *state;
    uint8_t fis[20], src[4096], dst[4096];
    const uint32_t wprd[3][2] = { { 0x200000, 1024 }, { 0x201000, 2048 }, { 0x203000, 1024 } };
    const uint32_t rprd[4][2] = {
        { 0x300000, 512 }, { 0x300800, 1536 }, { 0x302000, 1024 }, { 0x304000, 1024 },
    };

    make(f, "ide-hd");
    port_start(f);
    for (size_t i = 0; i < sizeof(src); i++) {
        src[i] = i * 7 + 3;
    }
    as_write(&f->b.m->as_mem, 0x200000, src, 1024);
    as_write(&f->b.m->as_mem, 0x201000, src + 1024, 2048);
    as_write(&f->b.m->as_mem, 0x203000, src + 3072, 1024);
    fis_ata(fis, 0x35, 16, 8, 0);
    cmd_setup(f, 2, 1 << 6, fis, wprd, 3);
    wr(f, P0(0x38), 1 << 2);
    assert_int_equal(rd(f, P0(0x38)), 0);
    assert_int_equal(rd(f, P0(0x20)), 0x50);
    assert_int_equal(ram32(f, CLB + 2 * 32 + 4), 4096);
    fis_ata(fis, 0x25, 16, 8, 0);
    cmd_setup(f, 5, 0, fis, rprd, 4);
    wr(f, P0(0x38), 1 << 5);
    assert_int_equal(rd(f, P0(0x38)), 0);
    assert_int_equal(ram32(f, CLB + 5 * 32 + 4), 4096);
    as_read(&f->b.m->as_mem, 0x300000, dst, 512);
    as_read(&f->b.m->as_mem, 0x300800, dst + 512, 1536);
    as_read(&f->b.m->as_mem, 0x302000, dst + 2048, 1024);
    as_read(&f->b.m->as_mem, 0x304000, dst + 3072, 1024);
    assert_memory_equal(src, dst, sizeof(dst));
    /* The image around it: sector 24 as the file has it */
    fis_ata(fis, 0x25, 24, 1, 0);
    cmd_setup(f, 0, 0, fis, rprd, 1);
    wr(f, P0(0x38), 1);
    assert_int_equal(ram32(f, 0x300000 + 4), 24 * 512 + 4);
}

/* READ FPDMA QUEUED, tag 3: CI drops at once, SACT and SDB FIS at the end. */
static void test_ncq_read(void **state)
{
    Fixture *f = *state;
    uint8_t fis[20];
    const uint32_t prd[2][2] = { { 0x400000, 1024 }, { 0x401000, 1024 } };

    make(f, "ide-hd");
    port_start(f);
    wr(f, P0(0x14), 0xffffffff);
    wr(f, P0(0x10), 0xffffffff);
    fis_ata(fis, 0x60, 8, 0, 4);                    /* 4 sectors in FEATURES */
    fis[12] = 3 << 3;                               /* tag 3 */
    cmd_setup(f, 3, 0, fis, prd, 2);
    wr(f, P0(0x34), 1 << 3);
    wr(f, P0(0x38), 1 << 3);
    assert_int_equal(rd(f, P0(0x38)), 0);
    assert_int_equal(rd(f, P0(0x34)), 0);
    assert_int_equal(rd(f, P0(0x10)), 0x8);         /* SDBS */
    assert_int_equal(ram32(f, FB + 0x58) & 0xff, 0xa1);
    assert_int_equal(ram32(f, FB + 0x5c), 1 << 3);
    assert_int_equal(ram32(f, 0x400000), 8 * 512);
    assert_int_equal(ram32(f, 0x401000 + 1020), 8 * 512 + 1024 + 1020);
    /* Past the medium: TFES, the port stops taking commands */
    fis_ata(fis, 0x60, IMG_SIZE / 512, 0, 1);
    cmd_setup(f, 0, 0, fis, prd, 1);
    wr(f, P0(0x34), 1);
    wr(f, P0(0x38), 1);
    assert_int_equal(rd(f, P0(0x10)) & 0x40000000, 0x40000000);
    assert_int_equal(rd(f, P0(0x20)), 0x1441);
}

static void atapi_cmd(Fixture *f, const uint8_t cdb[12], bool dma, const uint32_t (*prd)[2],
                      unsigned n)
{
    uint8_t fis[20];

    fis_ata(fis, 0xa0, 0, 0, dma);
    fis[5] = 0x00;
    fis[6] = 0x80;                                  /* byte count 0x8000 */
    cmd_setup(f, 0, 1 << 5, fis, prd, n);
    as_write(&f->b.m->as_mem, CTBA + 0x40, cdb, 12);
    wr(f, P0(0x38), 1);
}

/* ATAPI: the signature, INQUIRY by PIO, READ(10) by DMA. */
static void test_atapi(void **state)
{
    Fixture *f = *state;
    uint8_t cdb[12] = { 0x12, 0, 0, 0, 36 }, r[36];
    const uint32_t prd[2][2] = { { 0x500000, 2048 }, { 0x600000, 2048 } };

    make(f, "ide-cd");
    port_start(f);
    assert_int_equal(rd(f, P0(0x24)), 0xeb140101);
    atapi_cmd(f, cdb, false, prd, 1);
    assert_int_equal(rd(f, P0(0x38)), 0);
    assert_int_equal(rd(f, P0(0x20)) & 0xff, 0x50);
    as_read(&f->b.m->as_mem, 0x500000, r, sizeof(r));
    assert_int_equal(r[0], 0x05);
    assert_memory_equal(r + 8, "QEMU    ", 8);
    assert_int_equal(ram32(f, CLB + 4), 36);
    memset(cdb, 0, sizeof(cdb));
    cdb[0] = 0x00;                                  /* TEST UNIT READY */
    atapi_cmd(f, cdb, false, prd, 0);
    cdb[0] = 0x28;                                  /* READ(10) LBA 5, 2 blocks */
    cdb[5] = 5;
    cdb[8] = 2;
    atapi_cmd(f, cdb, true, prd, 2);
    assert_int_equal(rd(f, P0(0x38)), 0);
    assert_int_equal(rd(f, P0(0x20)) & 0xff, 0x50);
    assert_int_equal(ram32(f, 0x500000), 5 * 2048);
    assert_int_equal(ram32(f, 0x600000 + 2044), 6 * 2048 + 2044);
    assert_int_equal(ram32(f, CLB + 4), 4096);
}

/* COMRESET through PxSCTL.DET: the signature comes again. */
static void test_comreset(void **state)
{
    Fixture *f = *state;

    make(f, "ide-hd");
    port_start(f);
    wr(f, P0(0x10), 0xffffffff);
    ram_put32(f, FB + 0x40, 0);
    wr(f, P0(0x2c), 0x301);
    assert_int_equal(rd(f, P0(0x24)), 0x101);
    wr(f, P0(0x2c), 0x300);
    assert_int_equal(rd(f, P0(0x2c)), 0x300);
    assert_int_equal(rd(f, P0(0x24)), 0x101);
    assert_int_equal(rd(f, P0(0x20)), 0x150);
    assert_int_equal(ram32(f, FB + 0x40) & 0xff, 0x34);
    assert_int_equal(rd(f, P0(0x10)), 1);
    /* HBA reset: registers back, PxCLB kept */
    wr(f, ABAR + 0x04, 1);
    assert_int_equal(rd(f, ABAR + 0x04), 0x80000000);
    assert_int_equal(rd(f, P0(0x18)), 0x6);
    assert_int_equal(rd(f, P0(0x00)), CLB);
}

/* MSI: a command's end sends the message instead of INTx. */
static void test_msi(void **state)
{
    Fixture *f = *state;
    uint8_t fis[20];
    uint64_t before, addr;
    uint32_t data;

    make(f, "ide-hd");
    out(f, 0xcf8, CFG(0x84), 4);
    out(f, 0xcfc, 0xfee00000, 4);
    out(f, 0xcf8, CFG(0x8c), 4);
    out(f, 0xcfc, 0x4041, 4);
    out(f, 0xcf8, CFG(0x80), 4);
    out(f, 0xcfc, 0x10000 | 0xa805, 4);             /* enable */
    port_start(f);
    wr(f, P0(0x14), 0xffffffff);
    wr(f, ABAR + 0x04, 0x80000002);
    before = f->b.m->msi_log->count;
    fis_ata(fis, 0xe7, 0, 0, 0);                    /* FLUSH CACHE */
    cmd_setup(f, 0, 0, fis, NULL, 0);
    wr(f, P0(0x38), 1);
    assert_true(f->b.m->msi_log->count > before);
    assert_true(msi_log_get(f->b.m->msi_log, 0, &addr, &data));
    assert_int_equal(addr, 0xfee00000);
    assert_int_equal(data, 0x4041);
}

/* Hostile tables: no PRDT, a table in unmapped space, a bad FIS type, a
 * command list at the top of the address space, 65535 entries. */
static void test_hostile(void **state)
{
    Fixture *f = *state;
    uint8_t fis[20];
    const uint32_t prd[1][2] = { { 0xfffff000, 4096 } };

    make(f, "ide-hd");
    port_start(f);
    fis_ata(fis, 0xc8, 0, 8, 0);                    /* READ DMA, no PRDT */
    cmd_setup(f, 0, 0, fis, NULL, 0);
    wr(f, P0(0x38), 1);
    assert_int_equal(rd(f, P0(0x38)), 0);
    assert_int_equal(ram32(f, CLB + 4), 0);
    assert_int_equal(rd(f, P0(0x20)) & 0xff, 0x50);
    cmd_setup(f, 0, 0, fis, prd, 1);                /* into nothing */
    wr(f, P0(0x38), 1);
    assert_int_equal(rd(f, P0(0x38)), 0);
    fis_ata(fis, 0xec, 0, 0, 0);                    /* IDENTIFY, no PRDT: */
    cmd_setup(f, 3, 0, fis, NULL, 0);
    wr(f, P0(0x10), 0xffffffff);
    wr(f, P0(0x38), 1 << 3);
    assert_int_equal(rd(f, P0(0x10)), 1u << 24);    /* OFS */
    assert_int_equal(rd(f, P0(0x38)), 1u << 3);     /* kept, the port stopped */
    wr(f, P0(0x18), 0x16);
    wr(f, P0(0x18), 0x17);
    fis_ata(fis, 0xc8, 0, 8, 0);
    fis[0] = 0x39;                                  /* not an H2D FIS */
    cmd_setup(f, 1, 0, fis, prd, 1);
    wr(f, P0(0x38), 2);
    assert_int_equal(rd(f, P0(0x38)), 0);
    fis_ata(fis, 0x25, IMG_SIZE / 512, 1, 0);       /* past the end: */
    cmd_setup(f, 0, 0, fis, NULL, 0);
    wr(f, P0(0x38), 1);
    assert_int_equal(rd(f, P0(0x20)), 0x1441);      /* IDNF, ABRT */
    assert_int_equal(rd(f, P0(0x38)), 1);           /* CI kept (6.1.2) */
    assert_int_equal(rd(f, P0(0x10)) & 0x40000000, 0x40000000);
    wr(f, P0(0x18), 0x16);                          /* ST off and on */
    assert_int_equal(rd(f, P0(0x38)), 0);
    wr(f, P0(0x18), 0x17);
    /* PRDTL 65535 of 2-byte entries: the walk ends with the DMA budget */
    fis_ata(fis, 0x25, 0, IMG_SIZE / 512, 0);       /* the whole disk */
    cmd_setup(f, 0, 0, fis, NULL, 0);
    ram_put32(f, CLB, 5 | 0xffff0000u);             /* PRDTL 65535, zeros */
    wr(f, P0(0x38), 1);
    assert_int_equal(rd(f, P0(0x20)), 0x50);
    assert_int_equal(rd(f, P0(0x38)), 0);
    wr(f, P0(0x18), 0x16);                          /* stop */
    wr(f, P0(0x00), 0xfffffc00);
    wr(f, P0(0x04), 0xffffffff);
    wr(f, P0(0x18), 0x17);
    wr(f, P0(0x38), 0x80000000);
    assert_int_equal(rd(f, P0(0x38)), 0);
    /* ST cleared drops CI */
    wr(f, P0(0x18), 0x16);
    wr(f, P0(0x38), 0xffffffff);
    assert_int_equal(rd(f, P0(0x38)), 0xffffffff);
    wr(f, P0(0x18), 0x17);
    wr(f, P0(0x18), 0x16);
    assert_int_equal(rd(f, P0(0x38)), 0);
}

int main(void)
{
    hw_register_types();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_registers, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_identify, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_dma_ext, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_ncq_read, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_atapi, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_comreset, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_msi, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_hostile, setup, test_board_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
