/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of sdhci-pci and sd-card on a pc machine with a 1 MiB image
 * made by the test: CRC7, reset values and the read-only registers, the
 * card's state machine (illegal commands, RCA, CMD16 and address errors,
 * CMD6, erase), data by PIO, SDMA (boundary), ADMA2 and ADMA1 written to
 * the image and read back, auto CMD12 and CMD23, stop at block gap, the
 * block size and count fixed during a transfer (CVE-2021-3409), ADMA
 * tables that loop (capped: an ADMA error), and the start-up errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <unistd.h>

#include "emu/byteorder.h"
#include "emu/dma.h"
#include "emu/pci.h"
#include "hw/devices.h"
#include "hw/sd/sd.h"
#include "hw/sd/sdhci.h"

#include "hw-test.h"

#define IMG_SIZE (1u << 20)
#define BAR 0xe0000000ull
#define RCA_ARG 0x45670000u

typedef struct Fixture {
    TestBoard b;
    SDHCIPCIState *p;
    SDHCIState *s;
    SDCard *card;
} Fixture;

static int setup(void **state)
{
    static uint8_t img[IMG_SIZE];

    for (size_t i = 0; i < IMG_SIZE; i++) {
        img[i] = (uint8_t)(i * 3 + (i >> 9));
    }
    *state = test_board_new_image(sizeof(Fixture), "sdhci", img, IMG_SIZE);
    return 0;
}

static Machine *make_machine(Fixture *f, const char *host, const char *card, const char *drive,
                             char **err)
{
    const char *const drives[] = { drive, NULL };
    const char *const devices[] = { host ? host : card, host ? card : NULL, NULL };

    test_board_add(&f->b, drives, NULL, devices);
    return test_board_create(&f->b, err);
}

/* The machine with sdhci-pci (version v) and a card on the image. */
static void make(Fixture *f, int v)
{
    char *err = NULL;
    g_autofree char *host = g_strdup_printf("sdhci-pci,sd-spec-version=%d", v);
    g_autofree char *drive = g_strdup_printf("file=%s,if=none,id=d,format=raw", f->b.path);

    assert_non_null(make_machine(f, host, "sd-card,drive=d,spec_version=3", drive, &err));
    assert_null(err);
    for (unsigned i = 0; i < f->b.m->nr_devices; i++) {
        if (object_is_a(f->b.m->devices[i], TYPE_SDHCI_PCI)) {
            f->p = (SDHCIPCIState *)f->b.m->devices[i];
        }
        if (object_is_a(f->b.m->devices[i], TYPE_SD_CARD)) {
            f->card = (SDCard *)f->b.m->devices[i];
        }
    }
    assert_non_null(f->p);
    assert_non_null(f->card);
    f->s = &f->p->sdhci;
    assert_ptr_equal(f->s->card, f->card);
    pci_config_write(&f->p->pci, PCI_BASE_ADDRESS_0, (uint32_t)BAR, 4);
    pci_config_write(&f->p->pci, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
}

static uint32_t rd(Fixture *f, unsigned off, unsigned size)
{
    uint32_t v = (uint32_t)as_read_val(&f->b.m->as_mem, BAR + off, size, NULL);
    machine_settle(f->b.m);
    return v;
}

static void wr(Fixture *f, unsigned off, uint32_t v, unsigned size)
{
    as_write_val(&f->b.m->as_mem, BAR + off, v, size, NULL);
    machine_settle(f->b.m);
}

/* A command; returns the normal and error interrupt status, then clears them. */
static uint32_t cmd(Fixture *f, unsigned idx, uint32_t arg, unsigned flags)
{
    wr(f, SDHC_ARGUMENT, arg, 4);
    wr(f, SDHC_CMDREG, (idx << 8) | flags, 2);
    uint32_t st = rd(f, SDHC_NORINTSTS, 4);
    wr(f, SDHC_NORINTSTS, 0xffffffff, 4);
    return st;
}

#define R1 0x1a
#define R1B 0x1b
#define R2 0x09
#define R3 0x02
#define DATA 0x3a

/* Linux's bring-up to the transfer state, 4-bit bus. */
static void bring_up(Fixture *f)
{
    wr(f, SDHC_SWRST, SDHC_RESET_ALL, 1);
    wr(f, SDHC_NORINTSTSEN, 0x03ff00fb, 4);
    wr(f, SDHC_PWRCON, 0x0f, 1);
    wr(f, SDHC_CLKCON, 0x0105, 2);
    assert_int_equal(cmd(f, 0, 0, 0), SDHC_NIS_CMDCMP);
    assert_int_equal(cmd(f, 8, 0x1aa, R1), SDHC_NIS_CMDCMP);
    assert_int_equal(rd(f, SDHC_RSPREG0, 4), 0x1aa);
    cmd(f, 55, 0, R1);
    cmd(f, 41, 0x40300000, R3);
    assert_int_equal(rd(f, SDHC_RSPREG0, 4), 0x80ff8000);
    cmd(f, 2, 0, R2);
    cmd(f, 3, 0, R1);
    assert_int_equal(rd(f, SDHC_RSPREG0, 4) >> 16, SD_RCA_DEFAULT);
    cmd(f, 7, RCA_ARG, R1B);
    cmd(f, 55, RCA_ARG, R1);
    cmd(f, 6, 2, R1);
    assert_int_equal(f->card->state, SD_STATE_TRAN);
    assert_true(f->card->bus_4bit);
}

static void image_read(Fixture *f, uint64_t off, void *buf, size_t len)
{
    assert_int_equal(blk_read(f->card->blk, off, buf, len), 0);
}

static void fill(uint8_t *b, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        b[i] = (uint8_t)(i * 13 + seed);
    }
}

/* ---- tests ---- */

static void test_crc7(void **state)
{
    /* The spec's examples (Physical Layer 4.5): CMD0 arg 0, CMD17 arg 0. */
    static const uint8_t cmd0[5] = { 0x40, 0, 0, 0, 0 };
    static const uint8_t cmd17[5] = { 0x51, 0, 0, 0, 0 };

    assert_int_equal(sd_crc7(cmd0, 5), 0x4a);
    assert_int_equal(sd_crc7(cmd17, 5), 0x2a);
}

static void test_reset_values(void **state)
{
    Fixture *f = *state;

    make(f, 3);
    assert_int_equal(rd(f, SDHC_CAPAB, 4), SDHC_CAPAB_DEFAULT);
    assert_int_equal(rd(f, SDHC_HCVER, 2), 0x2402);
    assert_int_equal(rd(f, SDHC_PRNSTS, 4), 0x01ff0000);
    assert_int_equal(f->s->buf_maxsz, 512);
    /* Read-only registers keep their values. */
    wr(f, SDHC_CAPAB, 0, 4);
    wr(f, SDHC_PRNSTS, 0xffffffff, 4);
    wr(f, SDHC_ADMAERR, 7, 4);
    assert_int_equal(rd(f, SDHC_CAPAB, 4), SDHC_CAPAB_DEFAULT);
    assert_int_equal(rd(f, SDHC_PRNSTS, 4), 0x01ff0000);
    assert_int_equal(rd(f, SDHC_ADMAERR, 4), 0);
    /* Block size above the buffer is clamped; byte access works. */
    wr(f, SDHC_BLKSIZE, 0x7fff, 2);
    assert_int_equal(rd(f, SDHC_BLKSIZE, 2), 0x7200);
    wr(f, SDHC_BLKSIZE + 1, 0x01, 1);
    assert_int_equal(rd(f, SDHC_BLKSIZE, 2), 0x0100);
    /* Software reset for all. */
    wr(f, SDHC_ARGUMENT, 0x1234, 4);
    wr(f, SDHC_SWRST, SDHC_RESET_ALL, 1);
    assert_int_equal(rd(f, SDHC_ARGUMENT, 4), 0);
    assert_int_equal(rd(f, SDHC_SWRST, 1), 0);
}

static void test_version2_and_capareg(void **state)
{
    Fixture *f = *state;
    char *err = NULL;
    g_autofree char *drive = g_strdup_printf("file=%s,if=none,id=d,format=raw", f->b.path);

    assert_non_null(make_machine(f, "sdhci-pci,capareg=0x057934b4,maxcurr=0x20",
                                 "sd-card,drive=d", drive, &err));
    SDHCIState *s = sdhci_find_free_bus(f->b.m);
    assert_null(s);         /* the one slot is taken */
    for (unsigned i = 0; i < f->b.m->nr_devices; i++) {
        if (object_is_a(f->b.m->devices[i], TYPE_SDHCI_PCI)) {
            s = &((SDHCIPCIState *)f->b.m->devices[i])->sdhci;
        }
    }
    assert_int_equal(s->version, 0x2401);
    assert_int_equal(s->buf_maxsz, 1024);
    assert_int_equal(sdhci_read(s, SDHC_MAXCURR, 4), 0x20);
    /* Version 2: no auto CMD23 bit, no host control 2. */
    sdhci_write(s, SDHC_TRNMOD, 0xff, 2);
    assert_int_equal(sdhci_read(s, SDHC_TRNMOD, 2), 0x37);
    sdhci_write(s, SDHC_HOSTCTL2, 0xffff, 2);
    assert_int_equal(sdhci_read(s, SDHC_HOSTCTL2, 2), 0);
}

static void test_config_errors(void **state)
{
    Fixture *f = *state;
    char *err = NULL;

    assert_null(make_machine(f, NULL, "sd-card", NULL, &err));
    assert_non_null(strstr(err, "no SD bus"));
    g_free(err);
    err = NULL;
    machine_config_free(&f->b.cfg);
    machine_config_init(&f->b.cfg);
    f->b.cfg.nodefaults = true;
    assert_null(make_machine(f, "sdhci-pci,sd-spec-version=4", NULL, NULL, &err));
    assert_non_null(strstr(err, "sd-spec-version"));
    g_free(err);
    err = NULL;
    machine_config_free(&f->b.cfg);
    machine_config_init(&f->b.cfg);
    f->b.cfg.nodefaults = true;
    assert_null(make_machine(f, "sdhci-pci", "sd-card,drive=d",
                             "file=null-co://,if=none,id=d,format=raw,file.size=3145728", &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "power of 2"));
    g_free(err);
}

static void test_card_states(void **state)
{
    Fixture *f = *state;

    make(f, 3);
    wr(f, SDHC_NORINTSTSEN, 0x03ff00fb, 4);
    wr(f, SDHC_CLKCON, 0x0105, 2);
    /* CMD2 in idle is illegal: no response, a timeout; flagged next. */
    assert_int_equal(cmd(f, 2, 0, R2), SDHC_NIS_CMDCMP | SDHC_NIS_ERR |
                     ((uint32_t)SDHC_EIS_CMDTIMEOUT << 16));
    assert_true(f->card->status & SD_CS_ILLEGAL_COMMAND);
    cmd(f, 55, 0, R1);
    assert_int_equal(rd(f, SDHC_RSPREG0, 4), SD_CS_ILLEGAL_COMMAND | SD_CS_APP_CMD |
                     SD_CS_READY_FOR_DATA);
    cmd(f, 41, 0x00300000, R3);             /* powers up: ready */
    assert_int_equal(f->card->state, SD_STATE_READY);
    cmd(f, 2, 0, R2);
    cmd(f, 3, 0, R1);
    /* Addressed commands with another RCA get no answer. */
    assert_true(cmd(f, 13, 0x12340000, R1) & ((uint32_t)SDHC_EIS_CMDTIMEOUT << 16));
    assert_false(f->card->status & SD_CS_ILLEGAL_COMMAND);
    cmd(f, 7, RCA_ARG, R1B);
    /* CMD16 above 512: BLOCK_LEN_ERROR in its own response (an "R"
     * error, Physical Layer 4.10.1), cleared once read. */
    cmd(f, 16, 1024, R1);
    assert_true(rd(f, SDHC_RSPREG0, 4) & SD_CS_BLOCK_LEN_ERROR);
    cmd(f, 13, RCA_ARG, R1);
    assert_false(rd(f, SDHC_RSPREG0, 4) & SD_CS_BLOCK_LEN_ERROR);   /* cleared on read */
    assert_int_equal((rd(f, SDHC_RSPREG0, 4) & SD_CS_STATE_MASK) >> SD_CS_STATE_SHIFT,
                     SD_STATE_TRAN);
    /* A read past the medium: OUT_OF_RANGE, the card stays in tran. */
    cmd(f, 17, IMG_SIZE, R1);
    assert_true(rd(f, SDHC_RSPREG0, 4) & SD_CS_OUT_OF_RANGE);
    assert_int_equal(f->card->state, SD_STATE_TRAN);
    /* CMD0 puts it back to idle. */
    cmd(f, 0, 0, 0);
    assert_int_equal(f->card->state, SD_STATE_IDLE);
    assert_int_equal(f->card->rca, 0);
}

/* Reads n bytes of a data command by PIO (32-bit port reads). */
static void pio_read(Fixture *f, uint8_t *buf, size_t n)
{
    for (size_t i = 0; i < n; i += 4) {
        st_le32(buf + i, rd(f, SDHC_BDATA, 4));
    }
}

static void test_pio_roundtrip(void **state)
{
    Fixture *f = *state;
    uint8_t out[1024], in[1024], img[1024];

    make(f, 3);
    bring_up(f);
    fill(out, sizeof(out), 7);
    /* CMD25, two blocks, auto CMD12, 8-bit port writes. */
    wr(f, SDHC_BLKSIZE, 0x200, 2);
    wr(f, SDHC_BLKCNT, 2, 2);
    wr(f, SDHC_TRNMOD, SDHC_TRNS_MULTI | SDHC_TRNS_BLK_CNT_EN | SDHC_TRNS_ACMD12, 2);
    assert_int_equal(cmd(f, 25, 0x10000, DATA), SDHC_NIS_CMDCMP | SDHC_NIS_WBUFRDY);
    assert_true(rd(f, SDHC_PRNSTS, 4) & SDHC_BUF_WRITE_ENABLE);
    for (size_t i = 0; i < sizeof(out); i++) {
        wr(f, SDHC_BDATA, out[i], 1);
    }
    assert_int_equal(rd(f, SDHC_NORINTSTS, 4), SDHC_NIS_TRSCMP | SDHC_NIS_WBUFRDY);
    assert_int_equal(rd(f, SDHC_PRNSTS, 4) & 0xffff, 0);
    assert_int_equal(f->card->state, SD_STATE_TRAN);        /* auto CMD12 */
    image_read(f, 0x10000, img, sizeof(img));
    assert_memory_equal(img, out, sizeof(out));
    wr(f, SDHC_NORINTSTS, 0xffffffff, 4);
    /* Read back, single blocks. */
    wr(f, SDHC_BLKCNT, 1, 2);
    wr(f, SDHC_TRNMOD, SDHC_TRNS_READ, 2);
    for (int b = 0; b < 2; b++) {
        assert_int_equal(cmd(f, 17, 0x10000 + 512 * b, DATA), SDHC_NIS_CMDCMP | SDHC_NIS_RBUFRDY);
        pio_read(f, in + 512 * b, 512);
        assert_int_equal(rd(f, SDHC_NORINTSTS, 4), SDHC_NIS_TRSCMP);
        wr(f, SDHC_NORINTSTS, 0xffffffff, 4);
    }
    assert_memory_equal(in, out, sizeof(in));
    /* The port with no transfer. */
    assert_int_equal(rd(f, SDHC_BDATA, 4), 0);
}

static void test_blksize_fixed_during_transfer(void **state)
{
    Fixture *f = *state;

    make(f, 3);
    bring_up(f);
    wr(f, SDHC_BLKSIZE, 0x200, 2);
    wr(f, SDHC_BLKCNT, 4, 2);
    wr(f, SDHC_TRNMOD, SDHC_TRNS_MULTI | SDHC_TRNS_BLK_CNT_EN | SDHC_TRNS_READ, 2);
    cmd(f, 18, 0, DATA);
    for (int i = 0; i < 100; i++) {
        rd(f, SDHC_BDATA, 4);
    }
    /* CVE-2021-3409: a smaller block size mid-transfer must not leave the
     * position past the block. Both registers are fixed now. */
    wr(f, SDHC_BLKSIZE, 0x10, 2);
    wr(f, SDHC_BLKCNT, 0x1000, 2);
    wr(f, SDHC_TRNMOD, 0, 2);
    assert_int_equal(rd(f, SDHC_BLKSIZE, 2), 0x200);
    assert_int_equal(rd(f, SDHC_BLKCNT, 2), 4);
    assert_int_equal(rd(f, SDHC_TRNMOD, 2), SDHC_TRNS_MULTI | SDHC_TRNS_BLK_CNT_EN | SDHC_TRNS_READ);
    assert_int_equal(f->s->data_count, 400);
    /* A data command is refused while Command Inhibit (DAT); CMD13 is not. */
    assert_int_equal(cmd(f, 17, 0, DATA), 0);
    assert_int_equal(cmd(f, 13, RCA_ARG, R1), SDHC_NIS_CMDCMP);
    /* Abort: CMD12 (abort type) and a DAT reset free the lines. */
    cmd(f, 12, 0, R1B | SDHC_CMD_TYPE_ABORT);
    wr(f, SDHC_SWRST, SDHC_RESET_DATA, 1);
    assert_int_equal(rd(f, SDHC_PRNSTS, 4) & 0xffff, 0);
    assert_int_equal(f->card->state, SD_STATE_TRAN);
    wr(f, SDHC_BLKSIZE, 0x10, 2);
    assert_int_equal(rd(f, SDHC_BLKSIZE, 2), 0x10);
}

static void test_sdma_boundary(void **state)
{
    Fixture *f = *state;
    uint8_t out[2048], in[2048];

    make(f, 3);
    bring_up(f);
    fill(out, sizeof(out), 3);
    dma_write(&f->b.m->as_mem, 0x100c00, out, sizeof(out));
    /* 4 blocks from 0x100c00, 4 KiB boundary: a stop after the 2nd block. */
    wr(f, SDHC_SYSAD, 0x100c00, 4);
    wr(f, SDHC_BLKSIZE, 0x200, 2);
    wr(f, SDHC_BLKCNT, 4, 2);
    wr(f, SDHC_TRNMOD, SDHC_TRNS_DMA | SDHC_TRNS_MULTI | SDHC_TRNS_BLK_CNT_EN |
       SDHC_TRNS_ACMD12, 2);
    assert_int_equal(cmd(f, 25, 0x20000, DATA), SDHC_NIS_CMDCMP | SDHC_NIS_DMA);
    assert_int_equal(rd(f, SDHC_BLKCNT, 2), 2);
    assert_int_equal(rd(f, SDHC_SYSAD, 4), 0x101000);
    assert_true(f->s->sdma_paused);
    /* The driver gives the next address (where the data goes on). */
    wr(f, SDHC_SYSAD, 0x101000, 4);
    assert_int_equal(rd(f, SDHC_NORINTSTS, 4), SDHC_NIS_TRSCMP);
    wr(f, SDHC_NORINTSTS, 0xffffffff, 4);
    image_read(f, 0x20000, in, sizeof(in));
    assert_memory_equal(in, out, sizeof(in));
    /* Read back to 0x200000: 512 KiB boundary, no stop. */
    wr(f, SDHC_SYSAD, 0x200000, 4);
    wr(f, SDHC_BLKSIZE, 0x7200, 2);
    wr(f, SDHC_BLKCNT, 4, 2);
    wr(f, SDHC_TRNMOD, SDHC_TRNS_DMA | SDHC_TRNS_MULTI | SDHC_TRNS_BLK_CNT_EN |
       SDHC_TRNS_ACMD12 | SDHC_TRNS_READ, 2);
    assert_int_equal(cmd(f, 18, 0x20000, DATA), SDHC_NIS_CMDCMP | SDHC_NIS_TRSCMP);
    memset(in, 0, sizeof(in));
    dma_read(&f->b.m->as_mem, 0x200000, in, sizeof(in));
    assert_memory_equal(in, out, sizeof(in));
}

/* A transfer of many blocks runs SDHC_BLOCKS_PER_RUN at a time. */
static void test_dma_runs_on_the_clock(void **state)
{
    Fixture *f = *state;
    uint8_t in[512], img[512];

    make(f, 3);
    bring_up(f);
    wr(f, SDHC_SYSAD, 0x300000, 4);
    wr(f, SDHC_BLKSIZE, 0x7200, 2);
    wr(f, SDHC_BLKCNT, 20, 2);
    wr(f, SDHC_TRNMOD, SDHC_TRNS_DMA | SDHC_TRNS_MULTI | SDHC_TRNS_BLK_CNT_EN |
       SDHC_TRNS_READ, 2);
    cmd(f, 18, 0, DATA);
    assert_int_equal(rd(f, SDHC_BLKCNT, 2), 20 - SDHC_BLOCKS_PER_RUN);
    int steps = 0;
    while (rd(f, SDHC_PRNSTS, 4) & SDHC_DATA_INHIBIT) {
        assert_true(clock_step_next(&f->b.m->clock));
        machine_settle(f->b.m);
        assert_true(++steps < 10);
    }
    assert_int_equal(steps, 2);
    assert_int_equal(rd(f, SDHC_NORINTSTS, 4), SDHC_NIS_TRSCMP);
    /* No auto CMD12: the card is still sending; CMD12 stops it. */
    assert_int_equal(f->card->state, SD_STATE_DATA);
    cmd(f, 12, 0, R1B);
    assert_int_equal(f->card->state, SD_STATE_TRAN);
    dma_read(&f->b.m->as_mem, 0x300000 + 19 * 512, in, 512);
    image_read(f, 19 * 512, img, 512);
    assert_memory_equal(in, img, 512);
}

static void adma2_desc(Fixture *f, uint64_t at, uint16_t attr, uint16_t len, uint32_t addr)
{
    uint8_t d[8];

    st_le16(d, attr);
    st_le16(d + 2, len);
    st_le32(d + 4, addr);
    dma_write(&f->b.m->as_mem, at, d, sizeof(d));
}

static void test_adma2_and_auto_cmd23(void **state)
{
    Fixture *f = *state;
    uint8_t out[1536], in[1536];

    make(f, 3);
    bring_up(f);
    fill(out, sizeof(out), 11);
    dma_write(&f->b.m->as_mem, 0x400000, out, sizeof(out));
    /* 1536 bytes in descriptors of 1000 and 536 (blocks straddle them),
     * the second with End and Int; auto CMD23 with Argument 2 = 3. */
    adma2_desc(f, 0x500000, 0x21, 1000, 0x400000);
    adma2_desc(f, 0x500008, 0x27, 536, 0x400000 + 1000);
    wr(f, SDHC_HOSTCTL, SDHC_CTRL_ADMA2_32 | SDHC_CTRL_4BIT, 1);
    wr(f, SDHC_ADMASYSADDR, 0x500000, 4);
    wr(f, SDHC_SYSAD, 3, 4);
    wr(f, SDHC_BLKSIZE, 0x200, 2);
    wr(f, SDHC_BLKCNT, 3, 2);
    wr(f, SDHC_TRNMOD, SDHC_TRNS_DMA | SDHC_TRNS_MULTI | SDHC_TRNS_BLK_CNT_EN |
       SDHC_TRNS_ACMD23, 2);
    assert_int_equal(cmd(f, 25, 0x30000, DATA), SDHC_NIS_CMDCMP | SDHC_NIS_TRSCMP | SDHC_NIS_DMA);
    assert_int_equal(rd(f, SDHC_ADMASYSADDR, 4), 0x500010);
    /* CMD23's count ended the card's write by itself. */
    assert_int_equal(f->card->state, SD_STATE_TRAN);
    image_read(f, 0x30000, in, sizeof(in));
    assert_memory_equal(in, out, sizeof(in));
    /* A table shorter than the blocks: End with blocks left is a length
     * mismatch (ADMA error, state ST_TFR). */
    adma2_desc(f, 0x500100, 0x23, 512, 0x600000);
    wr(f, SDHC_ADMASYSADDR, 0x500100, 4);
    wr(f, SDHC_BLKCNT, 2, 2);
    wr(f, SDHC_TRNMOD, SDHC_TRNS_DMA | SDHC_TRNS_MULTI | SDHC_TRNS_BLK_CNT_EN |
       SDHC_TRNS_READ | SDHC_TRNS_ACMD12, 2);
    uint32_t st = cmd(f, 18, 0x30000, DATA);
    assert_int_equal(st, SDHC_NIS_CMDCMP | SDHC_NIS_ERR | ((uint32_t)SDHC_EIS_ADMAERR << 16));
    assert_int_equal(rd(f, SDHC_ADMAERR, 1), SDHC_ADMAERR_LENGTH | 3);
    assert_int_equal(rd(f, SDHC_PRNSTS, 4) & SDHC_DATA_INHIBIT, 0);
    memset(in, 0, 512);
    dma_read(&f->b.m->as_mem, 0x600000, in, 512);
    assert_memory_equal(in, out, 512);
}

static void test_adma_loop_capped(void **state)
{
    Fixture *f = *state;

    make(f, 3);
    bring_up(f);
    /* A link to itself: walked SDHC_DESCS_PER_RUN a run, then an error. */
    adma2_desc(f, 0x500000, 0x31, 0, 0x500000);
    wr(f, SDHC_HOSTCTL, SDHC_CTRL_ADMA2_32, 1);
    wr(f, SDHC_ADMASYSADDR, 0x500000, 4);
    wr(f, SDHC_BLKSIZE, 0x200, 2);
    wr(f, SDHC_BLKCNT, 1, 2);
    wr(f, SDHC_TRNMOD, SDHC_TRNS_DMA | SDHC_TRNS_READ, 2);
    cmd(f, 17, 0, DATA);
    int runs = 0;
    while (rd(f, SDHC_PRNSTS, 4) & SDHC_DATA_INHIBIT) {
        assert_true(clock_step_next(&f->b.m->clock));
        machine_settle(f->b.m);
        assert_true(++runs <= SDHC_ADMA_MAX_DESCS / SDHC_DESCS_PER_RUN);
    }
    assert_int_equal(rd(f, SDHC_ERRINTSTS, 2), SDHC_EIS_ADMAERR);
    assert_int_equal(rd(f, SDHC_ADMAERR, 1), 1);      /* ST_FDS */
}

static void test_adma1(void **state)
{
    Fixture *f = *state;
    uint8_t out[512], in[512];

    make(f, 2);
    bring_up(f);
    fill(out, sizeof(out), 5);
    dma_write(&f->b.m->as_mem, 0x700000, out, sizeof(out));
    /* set length 512; tran at 0x700000 with End */
    dma_st32(&f->b.m->as_mem, 0x710000, (512u << 16) | 0x11);
    dma_st32(&f->b.m->as_mem, 0x710004, 0x700000 | 0x23);
    wr(f, SDHC_HOSTCTL, SDHC_CTRL_ADMA1_32, 1);
    wr(f, SDHC_ADMASYSADDR, 0x710000, 4);
    wr(f, SDHC_BLKSIZE, 0x200, 2);
    wr(f, SDHC_BLKCNT, 1, 2);
    wr(f, SDHC_TRNMOD, SDHC_TRNS_DMA, 2);
    assert_int_equal(cmd(f, 24, 0x40000, DATA), SDHC_NIS_CMDCMP | SDHC_NIS_TRSCMP);
    image_read(f, 0x40000, in, sizeof(in));
    assert_memory_equal(in, out, sizeof(in));
}

static void test_stop_at_block_gap(void **state)
{
    Fixture *f = *state;
    uint8_t in[1024], img[1024];

    make(f, 3);
    bring_up(f);
    wr(f, SDHC_NORINTSTSEN, 0x03ff00ff, 4);
    wr(f, SDHC_BLKSIZE, 0x200, 2);
    wr(f, SDHC_BLKCNT, 2, 2);
    wr(f, SDHC_TRNMOD, SDHC_TRNS_MULTI | SDHC_TRNS_BLK_CNT_EN | SDHC_TRNS_READ |
       SDHC_TRNS_ACMD12, 2);
    cmd(f, 18, 0x1000, DATA);
    wr(f, SDHC_BLKGAP, SDHC_STOP_AT_GAP, 1);
    pio_read(f, in, 512);
    assert_int_equal(rd(f, SDHC_NORINTSTS, 2), SDHC_NIS_BLKGAP | SDHC_NIS_TRSCMP);
    assert_false(rd(f, SDHC_PRNSTS, 4) & SDHC_BUF_READ_ENABLE);
    wr(f, SDHC_NORINTSTS, 0xffff, 2);
    wr(f, SDHC_BLKGAP, SDHC_CONTINUE_REQ, 1);
    assert_int_equal(rd(f, SDHC_BLKGAP, 1), 0);       /* self-clearing */
    assert_int_equal(rd(f, SDHC_NORINTSTS, 2), SDHC_NIS_RBUFRDY);
    pio_read(f, in + 512, 512);
    assert_int_equal(rd(f, SDHC_NORINTSTS, 2), SDHC_NIS_RBUFRDY | SDHC_NIS_TRSCMP);
    image_read(f, 0x1000, img, sizeof(img));
    assert_memory_equal(in, img, sizeof(in));
    assert_int_equal(f->card->state, SD_STATE_TRAN);
}

static void test_card_registers(void **state)
{
    Fixture *f = *state;
    uint8_t buf[64], img[512];

    make(f, 3);
    bring_up(f);
    /* CMD6 switch to high speed, then check mode sees it. */
    wr(f, SDHC_BLKSIZE, 64, 2);
    wr(f, SDHC_TRNMOD, SDHC_TRNS_READ, 2);
    cmd(f, 6, 0x80fffff1, DATA);
    pio_read(f, buf, 64);
    assert_int_equal(buf[16] & 0xf, 1);
    cmd(f, 6, 0x00fffff2, DATA);                    /* function 2: unsupported */
    pio_read(f, buf, 64);
    assert_int_equal(buf[16] & 0xf, 0xf);
    assert_int_equal(f->card->func_group[0], 1);
    /* ACMD51 SCR: version 3 card says CMD23. */
    wr(f, SDHC_BLKSIZE, 8, 2);
    cmd(f, 55, RCA_ARG, R1);
    cmd(f, 51, 0, DATA);
    pio_read(f, buf, 8);
    assert_int_equal(buf[0], 0x02);
    assert_int_equal(buf[2], 0x80);
    assert_int_equal(buf[3], 0x02);
    /* ACMD13 SD status: 4-bit bus. */
    wr(f, SDHC_BLKSIZE, 64, 2);
    cmd(f, 55, RCA_ARG, R1);
    cmd(f, 13, 0, DATA);
    pio_read(f, buf, 64);
    assert_int_equal(buf[0], 0x80);
    /* Erase blocks 2-3: they read back as zeros. */
    cmd(f, 32, 1024, R1);
    cmd(f, 33, 1536, R1);
    cmd(f, 38, 0, R1B);
    image_read(f, 1024, img, 512);
    for (int i = 0; i < 512; i++) {
        assert_int_equal(img[i], 0);
    }
    /* Erase without its start: ERASE_SEQ_ERROR. */
    cmd(f, 38, 0, R1B);
    assert_true(rd(f, SDHC_RSPREG0, 4) & SD_CS_ERASE_SEQ_ERROR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc7),
        cmocka_unit_test_setup_teardown(test_reset_values, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_version2_and_capareg, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_config_errors, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_card_states, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_pio_roundtrip, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_blksize_fixed_during_transfer, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_sdma_boundary, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_dma_runs_on_the_clock, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_adma2_and_auto_cmd23, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_adma_loop_capped, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_adma1, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_stop_at_block_gap, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_card_registers, setup, test_board_teardown),
    };
    hw_register_types();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
