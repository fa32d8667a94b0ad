/* SPDX-License-Identifier: MIT */
/*
 * virtio-rng-pci (hw/virtio/virtio-rng.c) driven as a modern driver would:
 * requests filled from the deterministic generator (same seed, same bytes;
 * another seed, other bytes), chains of several writable buffers, a
 * request queued before DRIVER_OK served at DRIVER_OK, the max-bytes quota
 * and the period timer that refills it, a device-readable-only buffer,
 * the property checks.
 */
#include "virtio-test.h"

#include "hw/virtio/virtio-rng.h"

#define RNG_ARGS "-M pc -nodefaults -device virtio-rng-pci"

static VirtTest *rng_up(const char *args)
{
    VirtTest *t = vt_new(args, "virtio-rng-pci");
    vt_negotiate(t, 0);
    vt_queue(t, 0);
    vt_driver_ok(t);
    return t;
}

/* One request of len bytes at buf; returns the used length. */
static uint32_t rng_request(VirtTest *t, uint16_t head, uint64_t buf, uint32_t len)
{
    uint32_t id, used;
    uint16_t before = vt_used_idx(t, 0);

    vt_desc(t, 0, head, buf, len, VRING_DESC_F_WRITE, 0);
    vt_add(t, 0, head, true);
    if (vt_used_idx(t, 0) == before) {
        return 0;
    }
    vt_used(t, 0, before, &id, &used);
    assert_int_equal(id, head);
    return used;
}

static void test_rng_identity(void **state)
{
    VirtTest *t = vt_new(RNG_ARGS, "virtio-rng-pci");

    assert_int_equal(vt_read(t, VT_COMMON + 0x12, 2), 1);     /* num_queues */
    vt_write(t, VT_COMMON + 0x16, 0, 2);
    assert_int_equal(vt_read(t, VT_COMMON + 0x18, 2), 8);
    vt_write(t, VT_COMMON, 0, 4);
    assert_int_equal(vt_read(t, VT_COMMON + 4, 4), 0x30000000);
    assert_int_equal(vt_read(t, VT_DEVICE, 4), 0xffffffff);   /* no config */
}

static void test_rng_deterministic(void **state)
{
    VirtTest *a = rng_up(RNG_ARGS);
    VirtTest *b = rng_up(RNG_ARGS);
    VirtTest *c = rng_up(RNG_ARGS ",seed=42");

    assert_int_equal(rng_request(a, 0, VT_BUF, 64), 64);
    assert_int_equal(rng_request(b, 0, VT_BUF, 64), 64);
    assert_int_equal(rng_request(c, 0, VT_BUF, 64), 64);
    uint64_t va = vt_read(a, VT_BUF, 8), vb = vt_read(b, VT_BUF, 8);
    assert_int_equal(va, vb);
    assert_int_equal(vt_read(a, VT_BUF + 56, 8), vt_read(b, VT_BUF + 56, 8));
    assert_int_not_equal(va, vt_read(c, VT_BUF, 8));
    assert_int_not_equal(va, 0);
    /* The next request gets new bytes. */
    assert_int_equal(rng_request(a, 1, VT_BUF + 0x1000, 8), 8);
    assert_int_not_equal(vt_read(a, VT_BUF + 0x1000, 8), va);
}

/* A chain of two writable buffers is filled across both; a large one too. */
static void test_rng_chain(void **state)
{
    VirtTest *t = rng_up(RNG_ARGS);
    uint32_t id, len;

    vt_desc(t, 0, 0, VT_BUF, 3, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
    vt_desc(t, 0, 1, VT_BUF + 0x100, 1000, VRING_DESC_F_WRITE, 0);
    vt_add(t, 0, 0, true);
    assert_int_equal(vt_used_idx(t, 0), 1);
    vt_used(t, 0, 0, &id, &len);
    assert_int_equal(len, 1003);
    assert_int_not_equal(vt_read(t, VT_BUF + 0x100 + 992, 8), 0);
    assert_int_equal(vt_read(t, VT_BUF + 3, 1), 0);          /* not past the first */
    /* A gigabyte buffer gets 64 KiB at most (the fuzzer's hang otherwise). */
    vt_desc(t, 0, 2, VT_BUF, 1u << 30, VRING_DESC_F_WRITE, 0);
    vt_add(t, 0, 2, true);
    vt_used(t, 0, 1, &id, &len);
    assert_int_equal(len, 64 * 1024);
}

/* A request before DRIVER_OK waits for it; read-only buffers get nothing. */
static void test_rng_readonly_and_early(void **state)
{
    VirtTest *t = vt_new(RNG_ARGS, "virtio-rng-pci");
    uint32_t id, len;

    vt_negotiate(t, 0);
    vt_queue(t, 0);
    vt_desc(t, 0, 0, VT_BUF, 16, VRING_DESC_F_WRITE, 0);
    vt_add(t, 0, 0, true);
    assert_int_equal(vt_used_idx(t, 0), 0);
    vt_driver_ok(t);
    assert_int_equal(vt_used_idx(t, 0), 1);
    /* A lone device-readable buffer can take nothing: left there (QEMU);
     * with a writable one after it, it is given back empty. */
    vt_desc(t, 0, 1, VT_BUF + 0x100, 16, 0, 0);
    vt_add(t, 0, 1, true);
    assert_int_equal(vt_used_idx(t, 0), 1);
    vt_desc(t, 0, 2, VT_BUF + 0x200, 16, VRING_DESC_F_WRITE, 0);
    vt_add(t, 0, 2, true);
    assert_int_equal(vt_used_idx(t, 0), 3);
    vt_used(t, 0, 1, &id, &len);
    assert_int_equal(id, 1);
    assert_int_equal(len, 0);
    assert_int_equal(vt_read(t, VT_BUF + 0x100, 8), 0);
    vt_used(t, 0, 2, &id, &len);
    assert_int_equal(len, 16);
}

/* max-bytes per period: the quota runs out, the timer refills it. */
static void test_rng_rate_limit(void **state)
{
    VirtTest *t = rng_up(RNG_ARGS ",max-bytes=24,period=10");
    VirtIORNG *r = (VirtIORNG *)t->dev;

    assert_int_equal(rng_request(t, 0, VT_BUF, 16), 16);
    assert_int_equal(rng_request(t, 1, VT_BUF + 0x100, 16), 8);
    assert_int_equal(r->quota_remaining, 0);
    assert_int_equal(rng_request(t, 2, VT_BUF + 0x200, 16), 0);
    assert_true(timer_pending(&r->rate_limit_timer));
    clock_step(&t->m->clock, 10 * 1000000);
    assert_int_equal(vt_used_idx(t, 0), 3);
    assert_int_equal(r->quota_remaining, 8);
    assert_int_not_equal(vt_read(t, VT_BUF + 0x200, 8), 0);
}

static void test_rng_props(void **state)
{
    char *err = NULL;

    hw_register_types();
    assert_null(cli_machine_from_string(RNG_ARGS ",period=0", hw_boards, &err));
    assert_non_null(strstr(err, "period"));
    g_free(err);
    err = NULL;
    assert_null(cli_machine_from_string(RNG_ARGS ",max-bytes=0", hw_boards, &err));
    assert_non_null(strstr(err, "max-bytes"));
    g_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_identity),
        cmocka_unit_test(test_rng_deterministic),
        cmocka_unit_test(test_rng_chain),
        cmocka_unit_test(test_rng_readonly_and_early),
        cmocka_unit_test(test_rng_rate_limit),
        cmocka_unit_test(test_rng_props),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
