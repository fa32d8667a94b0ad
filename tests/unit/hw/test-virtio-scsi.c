/* SPDX-License-Identifier: MIT */
/*
 * virtio-scsi-pci through a modern driver (virtio-test.h) on an image whose
 * 32-bit words hold their byte offset: a READ scattered over uneven
 * descriptors across the SCSI core's chunks, a WRITE gathered the same way
 * and read back, requests queued on one kick and on two request queues
 * served in order, the event queue with nothing to say, and the config
 * writes QEMU refuses (the device breaks).
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
#include "hw/virtio/virtio-scsi.h"

#include "hw-test.h"
#include "virtio-test.h"

#define IMG_SIZE    (1024 * 1024)
#define REQ_Q       2               /* the first request queue */
#define HDR         0x40000u        /* request headers, 0x100 apart */
#define RESP        0x48000u        /* responses, 0x100 apart */
#define DATA        0x100000u       /* data */

typedef struct Fixture {
    char path[TEST_IMAGE_PATH_LEN];
    VirtTest *t;
    unsigned next_desc[VT_MAX_QUEUES];
} Fixture;

static int setup(void **state)
{
    Fixture *f = g_new0(Fixture, 1);
    static uint32_t words[IMG_SIZE / 4];
    char *args;

    for (uint32_t off = 0; off < IMG_SIZE; off += 4) {
        words[off / 4] = off;
    }
    test_image_create(f->path, "vscsi", words, IMG_SIZE);
    args = g_strdup_printf("-M pc -nodefaults -m 16 -drive file=%s,if=none,format=raw,id=d0 "
                           "-device virtio-scsi-pci,num_queues=2 -device scsi-hd,drive=d0",
                           f->path);
    f->t = vt_new(args, "virtio-scsi-pci");
    g_free(args);
    vt_negotiate(f->t, 0x30000006);
    for (unsigned q = 0; q < 4; q++) {
        vt_queue(f->t, q);
    }
    vt_driver_ok(f->t);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;

    unlink(f->path);
    g_free(f->t);
    g_free(f);
    return 0;
}

static void cdb10(uint8_t *c, uint8_t op, uint32_t lba, uint16_t n)
{
    memset(c, 0, 10);
    c[0] = op;
    st_be32(c + 2, lba);
    st_be16(c + 7, n);
}

/* Request k's header (LUN 0 of target 0, tag k) with cdb; its response
 * buffer's header marked 0xee. */
static void put_req(Fixture *f, unsigned k, const uint8_t *cdb, unsigned cdb_len)
{
    uint8_t h[VIRTIO_SCSI_REQ_HDR + VIRTIO_SCSI_CDB_DEFAULT] = { 1, 0 };

    st_le64(h + 8, k);
    memcpy(h + VIRTIO_SCSI_REQ_HDR, cdb, cdb_len);
    for (unsigned i = 0; i < sizeof(h); i++) {
        vt_write(f->t, HDR + 0x100 * k + i, h[i], 1);
    }
    for (unsigned i = 0; i < VIRTIO_SCSI_RESP_HDR; i++) {
        vt_write(f->t, RESP + 0x100 * k + i, 0xee, 1);
    }
}

/* A chain on queue q: the header, data-out segments, the response, then
 * data-in segments (segs: lengths; out: which way); returns its head. */
static uint16_t chain(Fixture *f, unsigned q, unsigned k, const uint32_t *segs,
                      unsigned nsegs, bool out, uint64_t data)
{
    unsigned d = f->next_desc[q];
    unsigned head = d;
    uint64_t at = data;

    vt_desc(f->t, q, d, HDR + 0x100 * k, VIRTIO_SCSI_REQ_HDR + 32, 1, d + 1);
    d++;
    for (unsigned i = 0; out && i < nsegs; i++, d++) {
        vt_desc(f->t, q, d, at, segs[i], 1, d + 1);
        at += segs[i];
    }
    vt_desc(f->t, q, d, RESP + 0x100 * k, VIRTIO_SCSI_RESP_HDR + 96,
            2 | (!out && nsegs ? 1 : 0), d + 1);
    d++;
    for (unsigned i = 0; !out && i < nsegs; i++, d++) {
        vt_desc(f->t, q, d, at, segs[i], 2 | (i + 1 < nsegs ? 1 : 0), d + 1);
        at += segs[i];
    }
    f->next_desc[q] = d;
    return (uint16_t)head;
}

static uint8_t resp_byte(Fixture *f, unsigned k, unsigned off)
{
    return (uint8_t)vt_read(f->t, RESP + 0x100 * k + off, 1);
}

static uint32_t resp_status(Fixture *f, unsigned k)
{
    return resp_byte(f, k, 10) | (uint32_t)resp_byte(f, k, 11) << 8;
}

/* Takes the reset's unit attention with a TEST UNIT READY (request 0). */
static void clear_ua(Fixture *f)
{
    static const uint8_t tur[6];

    put_req(f, 0, tur, 6);
    vt_add(f->t, REQ_Q, chain(f, REQ_Q, 0, NULL, 0, false, 0), true);
    machine_settle(f->t->m);
    assert_int_equal(resp_status(f, 0), SCSI_STATUS_CHECK_CONDITION);
    assert_int_equal(resp_byte(f, 0, VIRTIO_SCSI_RESP_HDR + 2), SENSE_UNIT_ATTENTION);
}

/* READ(10) of 130 blocks (two of the core's 64 KiB chunks) into three
 * uneven segments; WRITE(10) of 3 blocks from two, read back. */
static void test_scatter_gather(void **state)
{
    Fixture *f = *state;
    static const uint32_t in_segs[] = { 1000, 40000, 130 * 512 - 41000 };
    static const uint32_t out_segs[] = { 700, 3 * 512 - 700 };
    uint8_t c[10];
    uint32_t id, len;

    clear_ua(f);
    cdb10(c, SCSI_READ_10, 4, 130);
    put_req(f, 1, c, 10);
    vt_add(f->t, REQ_Q, chain(f, REQ_Q, 1, in_segs, 3, false, DATA), true);
    machine_settle(f->t->m);
    assert_int_equal(vt_used_idx(f->t, REQ_Q), 2);
    vt_used(f->t, REQ_Q, 1, &id, &len);
    assert_int_equal(len, VIRTIO_SCSI_RESP_HDR + 96 + 130 * 512);
    assert_int_equal(resp_status(f, 1), 0);
    for (uint32_t off = 0; off < 130 * 512; off += 4) {
        assert_int_equal(vt_read(f->t, DATA + off, 4), 4 * 512 + off);
    }
    for (uint32_t i = 0; i < 3 * 512; i++) {
        vt_write(f->t, DATA + 0x40000 + i, (uint8_t)(i * 13 + 5), 1);
    }
    cdb10(c, SCSI_WRITE_10, 300, 3);
    put_req(f, 2, c, 10);
    vt_add(f->t, REQ_Q, chain(f, REQ_Q, 2, out_segs, 2, true, DATA + 0x40000), true);
    machine_settle(f->t->m);
    assert_int_equal(resp_status(f, 2), 0);
    cdb10(c, SCSI_READ_10, 300, 3);
    put_req(f, 3, c, 10);
    vt_add(f->t, REQ_Q, chain(f, REQ_Q, 3, &(uint32_t){ 3 * 512 }, 1, false, DATA + 0x80000),
           true);
    machine_settle(f->t->m);
    assert_int_equal(resp_status(f, 3), 0);
    for (uint32_t i = 0; i < 3 * 512; i++) {
        assert_int_equal(vt_read(f->t, DATA + 0x80000 + i, 1), (uint8_t)(i * 13 + 5));
    }
}

/* Three requests on one kick and one on the second queue: all answered,
 * each once, the used entries in the order served. */
static void test_queued(void **state)
{
    Fixture *f = *state;
    uint8_t c[10];
    uint32_t id, len;
    uint16_t heads[3];

    clear_ua(f);
    for (unsigned k = 1; k <= 3; k++) {
        cdb10(c, SCSI_READ_10, k, 1);
        put_req(f, k, c, 10);
        heads[k - 1] = chain(f, REQ_Q, k, &(uint32_t){ 512 }, 1, false, DATA + 0x1000 * k);
        vt_add(f->t, REQ_Q, heads[k - 1], k == 3);
    }
    cdb10(c, SCSI_READ_10, 9, 1);
    put_req(f, 4, c, 10);
    vt_add(f->t, REQ_Q + 1, chain(f, REQ_Q + 1, 4, &(uint32_t){ 512 }, 1, false, DATA + 0x4000),
           true);
    machine_settle(f->t->m);
    assert_int_equal(vt_used_idx(f->t, REQ_Q), 4);
    assert_int_equal(vt_used_idx(f->t, REQ_Q + 1), 1);
    for (unsigned k = 1; k <= 3; k++) {
        vt_used(f->t, REQ_Q, k, &id, &len);
        assert_int_equal(id, heads[k - 1]);
        assert_int_equal(resp_status(f, k), 0);
        assert_int_equal(vt_read(f->t, DATA + 0x1000 * k, 4), 512 * k);
    }
    assert_int_equal(vt_read(f->t, DATA + 0x4000, 4), 512 * 9);
}

/* The event queue: buffers wait, nothing is reported. */
static void test_event_queue(void **state)
{
    Fixture *f = *state;

    vt_desc(f->t, 1, 0, DATA, VIRTIO_SCSI_EVENT_LEN, 2, 0);
    vt_add(f->t, 1, 0, true);
    machine_settle(f->t->m);
    assert_int_equal(vt_used_idx(f->t, 1), 0);
}

/* cdb_size 256 or sense_size 64 Ki break the device (QEMU's limits);
 * sizes within them are kept. */
static void test_config_limits(void **state)
{
    Fixture *f = *state;

    vt_write(f->t, VT_DEVICE + VIRTIO_SCSI_CFG_CDB_SIZE, 255, 4);
    assert_int_equal(vt_read(f->t, VT_DEVICE + VIRTIO_SCSI_CFG_CDB_SIZE, 4), 255);
    assert_int_equal(vt_read(f->t, VT_COMMON + 0x14, 1) & 0x40, 0);
    vt_write(f->t, VT_DEVICE + VIRTIO_SCSI_CFG_CDB_SIZE, 256, 4);
    assert_int_equal(vt_read(f->t, VT_COMMON + 0x14, 1) & 0x40, 0x40);     /* NEEDS_RESET */
    vt_negotiate(f->t, 0x30000006);
    assert_int_equal(vt_read(f->t, VT_DEVICE + VIRTIO_SCSI_CFG_CDB_SIZE, 4), 32);
    vt_write(f->t, VT_DEVICE + VIRTIO_SCSI_CFG_SENSE_SIZE, 65536, 4);
    assert_int_equal(vt_read(f->t, VT_COMMON + 0x14, 1) & 0x40, 0x40);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_scatter_gather),
        T(test_queued),
        T(test_event_queue),
        T(test_config_limits),
    };

    log_set_guest_errors(false);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
