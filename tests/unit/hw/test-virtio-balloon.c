/* SPDX-License-Identifier: MIT */
/*
 * virtio-balloon-pci (hw/virtio/virtio-balloon.c) driven as Linux's
 * virtio_balloon would: pages inflated and deflated are counted (PFNs
 * past RAM ignored, a partial PFN not read), actual and poison_val in the
 * config, the statistics buffer read (unknown tags dropped), held, given
 * back by the polling timer or by a second buffer, and forgotten by a
 * reset; a chain of many PFN buffers.
 */
#include "virtio-test.h"

#include "emu/byteorder.h"
#include "hw/virtio/virtio-balloon.h"

#define BAL_ARGS "-M pc -nodefaults -device virtio-balloon-pci"
#define STATSQ 2

static VirtTest *balloon_up(const char *args, uint32_t features)
{
    VirtTest *t = vt_new(args, "virtio-balloon-pci");
    vt_negotiate(t, features);
    for (unsigned q = 0; q < 3; q++) {
        vt_queue(t, q);
    }
    vt_driver_ok(t);
    return t;
}

static VirtIOBalloon *bal(VirtTest *t)
{
    return (VirtIOBalloon *)t->dev;
}

/* count PFNs from first on queue q, head h, at buf. */
static void send_pfns(VirtTest *t, unsigned q, uint16_t h, uint64_t buf,
                      uint32_t first, unsigned count, uint32_t len)
{
    for (unsigned i = 0; i < count; i++) {
        vt_write(t, buf + 4 * i, first + i, 4);
    }
    vt_desc(t, q, h, buf, len, 0, 0);
    vt_add(t, q, h, true);
}

static void test_balloon_inflate_deflate(void **state)
{
    VirtTest *t = balloon_up(BAL_ARGS, 1u << 1);
    uint32_t id, len;

    send_pfns(t, 0, 0, VT_BUF, 0x100, 8, 32);
    assert_int_equal(vt_used_idx(t, 0), 1);
    vt_used(t, 0, 0, &id, &len);
    assert_int_equal(len, 0);
    assert_int_equal(bal(t)->inflated, 8);
    send_pfns(t, 1, 0, VT_BUF + 0x100, 0x100, 3, 12);
    assert_int_equal(vt_used_idx(t, 1), 1);
    assert_int_equal(bal(t)->deflated, 3);
    /* The driver's accounting, as update_balloon_size writes it. */
    vt_write(t, VT_DEVICE + 4, 5, 4);
    assert_int_equal(vt_read(t, VT_DEVICE + 4, 4), 5);
    assert_int_equal(bal(t)->actual, 5);
    assert_int_equal(vt_read(t, VT_DEVICE, 4), 0);          /* num_pages */
}

/* PFNs past the 128 MiB of RAM are not counted; a partial one not read. */
static void test_balloon_bad_pfns(void **state)
{
    VirtTest *t = balloon_up(BAL_ARGS, 0);

    vt_write(t, VT_BUF, 0x8000, 4);             /* 128 MiB: past the end */
    vt_write(t, VT_BUF + 4, 0xffffffff, 4);
    vt_write(t, VT_BUF + 8, 0x7fff, 4);         /* the last page */
    vt_desc(t, 0, 0, VT_BUF, 14, 0, 0);
    vt_add(t, 0, 0, true);
    assert_int_equal(bal(t)->inflated, 1);
    assert_int_equal(bal(t)->ignored, 2);
    /* A device-writable buffer has no PFNs: given back, nothing counted. */
    vt_desc(t, 0, 1, VT_BUF, 8, VRING_DESC_F_WRITE, 0);
    vt_add(t, 0, 1, true);
    assert_int_equal(vt_used_idx(t, 0), 2);
    assert_int_equal(bal(t)->inflated, 1);
}

/* A chain of many small buffers: every PFN of every segment counted. */
static void test_balloon_chain(void **state)
{
    VirtTest *t = balloon_up(BAL_ARGS, 0);

    for (unsigned i = 0; i < 100; i++) {
        vt_write(t, VT_BUF + 8 * i, 0x1000 + i, 4);
        vt_desc(t, 0, i, VT_BUF + 8 * i, 4, i < 99 ? VRING_DESC_F_NEXT : 0, i + 1);
    }
    vt_add(t, 0, 0, true);
    assert_int_equal(vt_used_idx(t, 0), 1);
    assert_int_equal(bal(t)->inflated, 100);
    /* A 1 GiB buffer: 4096 PFNs read at most (zeros here: page 0). */
    vt_desc(t, 0, 0, 0, 1u << 30, 0, 0);
    vt_add(t, 0, 0, true);
    assert_int_equal(vt_used_idx(t, 0), 2);
    assert_int_equal(bal(t)->inflated + bal(t)->ignored, 100 + 4096);
}

static void write_stat(VirtTest *t, uint64_t at, uint16_t tag, uint64_t val)
{
    vt_write(t, at, tag, 2);
    vt_write(t, at + 2, val, 8);
}

static void test_balloon_stats(void **state)
{
    VirtTest *t = balloon_up(BAL_ARGS ",guest-stats-polling-interval=1", 1u << 1);
    uint32_t id, len;

    write_stat(t, VT_BUF, 4, 0x4000);           /* free memory */
    write_stat(t, VT_BUF + 10, 0x99, 7);        /* unknown tag: dropped */
    write_stat(t, VT_BUF + 20, 5, 0x8000);      /* total memory */
    vt_desc(t, STATSQ, 0, VT_BUF, 34, 0, 0);    /* three records and 4 bytes */
    vt_add(t, STATSQ, 0, true);
    assert_true(bal(t)->stats_held);
    assert_int_equal(vt_used_idx(t, STATSQ), 0);
    assert_int_equal(bal(t)->stats[4], 0x4000);
    assert_int_equal(bal(t)->stats[5], 0x8000);
    assert_int_equal(bal(t)->stats[0], UINT64_MAX);   /* not reported */
    /* One second: the buffer back, with the 30 bytes read. */
    clock_step(&t->m->clock, 1000000000);
    assert_int_equal(vt_used_idx(t, STATSQ), 1);
    vt_used(t, STATSQ, 0, &id, &len);
    assert_int_equal(len, 30);
    assert_false(bal(t)->stats_held);
    /* Two buffers in a row: the first is given back by the second. */
    vt_desc(t, STATSQ, 1, VT_BUF, 10, 0, 0);
    vt_add(t, STATSQ, 1, true);
    vt_desc(t, STATSQ, 2, VT_BUF, 20, 0, 0);
    vt_add(t, STATSQ, 2, true);
    assert_int_equal(vt_used_idx(t, STATSQ), 2);
    vt_used(t, STATSQ, 1, &id, &len);
    assert_int_equal(id, 1);
    assert_int_equal(len, 10);
    assert_int_equal(bal(t)->stats_head, 2);
}

/* A reset forgets the held buffer; the timer then has nothing to give. */
static void test_balloon_reset_drops_stats(void **state)
{
    VirtTest *t = balloon_up(BAL_ARGS ",guest-stats-polling-interval=1", 1u << 1);

    write_stat(t, VT_BUF, 4, 1);
    vt_desc(t, STATSQ, 0, VT_BUF, 10, 0, 0);
    vt_add(t, STATSQ, 0, true);
    assert_true(bal(t)->stats_held);
    vt_write(t, VT_COMMON + 0x14, 0, 1);
    assert_false(bal(t)->stats_held);
    assert_false(timer_pending(&bal(t)->stats_timer));
    clock_step(&t->m->clock, 2000000000);
    assert_int_equal(vt_read(t, VT_USED(STATSQ) + 2, 2), 0);
}

/* poison_val sticks only with PAGE_POISON negotiated. */
static void test_balloon_poison(void **state)
{
    VirtTest *t = balloon_up(BAL_ARGS, 0);
    VirtTest *p = balloon_up(BAL_ARGS, (1u << 1) | (1u << 4));

    vt_write(t, VT_DEVICE + 12, 0xaaaaaaaa, 4);
    assert_int_equal(vt_read(t, VT_DEVICE + 12, 4), 0);
    vt_write(p, VT_DEVICE + 12, 0xaaaaaaaa, 4);
    assert_int_equal(vt_read(p, VT_DEVICE + 12, 4), 0xaaaaaaaa);
    assert_int_equal(vt_read(p, VT_DEVICE + 16, 4), 0xffffffff);   /* past the end */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_balloon_inflate_deflate),
        cmocka_unit_test(test_balloon_bad_pfns),
        cmocka_unit_test(test_balloon_chain),
        cmocka_unit_test(test_balloon_stats),
        cmocka_unit_test(test_balloon_reset_drops_stats),
        cmocka_unit_test(test_balloon_poison),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
