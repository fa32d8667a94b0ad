/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for hw/backend/block.c on a pc machine built from -drive and
 * -blockdev strings: the null driver, a raw image read through the
 * overlay, writes that never reach the file, copy-up of partial blocks,
 * discard, read-only and CD-ROM drives, a drive with no medium, the
 * snapshot putting the overlay back, requests completing from a bottom
 * half or after latency-ns, and a clear error for each bad option.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emu/snapshot.h"
#include "hw/backend/block.h"
#include "hw/devices.h"

#include "hw-test.h"

#define IMG_SIZE (64 * 1024 + 512)      /* not a whole number of blocks */

typedef struct Fixture {
    TestBoard b;
    uint8_t orig[IMG_SIZE];
    struct stat st;
} Fixture;

static int setup(void **state)
{
    Fixture *f = test_board_new(sizeof(Fixture));
    for (size_t i = 0; i < IMG_SIZE; i++) {
        f->orig[i] = (uint8_t)(i * 7 + i / 512);
    }
    test_image_create(f->b.path, "block", f->orig, IMG_SIZE);
    assert_int_equal(stat(f->b.path, &f->st), 0);
    *state = f;
    return 0;
}

/* The machine with these -drive / -blockdev strings; NULL-terminated. */
static Machine *make(Fixture *f, const char *const *drives, const char *const *blockdevs,
                     char **errp)
{
    test_board_add(&f->b, drives, blockdevs, NULL);
    return test_board_create(&f->b, errp);
}

static BlockBackend *make_one(Fixture *f, const char *drive)
{
    char *err = NULL;
    const char *const drives[] = {drive, NULL};
    Machine *m = make(f, drives, NULL, &err);
    assert_null(err);
    assert_non_null(m);
    BlockBackend *b = blk_lookup(m, "d0", &err);
    assert_non_null(b);
    return b;
}

static char *image_drive(Fixture *f, const char *extra)
{
    return g_strdup_printf("file=%s,if=none,id=d0,format=raw%s", f->b.path, extra);
}

/* The file on disk is what the test wrote: same bytes, same mtime. */
static void assert_file_unchanged(Fixture *f)
{
    static uint8_t now[IMG_SIZE + 1];
    struct stat st;
    FILE *fp = fopen(f->b.path, "rb");
    assert_non_null(fp);
    assert_int_equal(fread(now, 1, sizeof(now), fp), IMG_SIZE);
    fclose(fp);
    assert_memory_equal(now, f->orig, IMG_SIZE);
    assert_int_equal(stat(f->b.path, &st), 0);
    assert_int_equal(st.st_mtim.tv_sec, f->st.st_mtim.tv_sec);
    assert_int_equal(st.st_mtim.tv_nsec, f->st.st_mtim.tv_nsec);
}

static void test_null_co(void **state)
{
    Fixture *f = *state;
    BlockBackend *b = make_one(f, "file=null-co://,file.read-zeroes=on,if=none,id=d0,format=raw");
    uint8_t buf[1024];

    assert_int_equal(blk_size(b), BLK_NULL_DEFAULT_SIZE);
    memset(buf, 0xaa, sizeof(buf));
    assert_int_equal(blk_write(b, 4096, buf, sizeof(buf)), 0);
    memset(buf, 0x55, sizeof(buf));
    assert_int_equal(blk_read(b, 4096 - 512, buf, sizeof(buf)), 0);
    for (size_t i = 0; i < sizeof(buf); i++) {
        assert_int_equal(buf[i], 0);                  /* writes are dropped */
    }
    assert_int_equal(blk_read(b, BLK_NULL_DEFAULT_SIZE - 512, buf, 512), 0);
    assert_int_equal(blk_read(b, BLK_NULL_DEFAULT_SIZE - 511, buf, 512), -EIO);
    assert_int_equal(blk_read(b, UINT64_MAX - 10, buf, 512), -EIO);
}

static void test_blockdev_null_size(void **state)
{
    Fixture *f = *state;
    char *err = NULL;
    const char *const bd[] = {"driver=null-co,read-zeroes=on,node-name=null0,size=1M", NULL};

    assert_non_null(make(f, NULL, bd, &err));
    BlockBackend *b = blk_lookup(f->b.m, "null0", &err);
    assert_non_null(b);
    assert_int_equal(blk_nb_sectors(b), 2048);
}

static void test_image_read(void **state)
{
    Fixture *f = *state;
    g_autofree char *d = image_drive(f, "");
    BlockBackend *b = make_one(f, d);
    static uint8_t buf[IMG_SIZE];

    assert_int_equal(blk_size(b), IMG_SIZE);
    assert_int_equal(blk_read(b, 0, buf, IMG_SIZE), 0);
    assert_memory_equal(buf, f->orig, IMG_SIZE);
    assert_int_equal(blk_read(b, IMG_SIZE - 512, buf, 513), -EIO);
}

/* A write lands in the overlay; the rest of its block still reads as the
 * image (copy-up), the other blocks too, and the file is untouched. */
static void test_image_write_overlay(void **state)
{
    Fixture *f = *state;
    g_autofree char *d = image_drive(f, "");
    BlockBackend *b = make_one(f, d);
    static uint8_t buf[IMG_SIZE], want[IMG_SIZE];
    uint8_t sector[700];

    memset(sector, 0xc3, sizeof(sector));
    /* crosses the 4 KiB block boundary at 8192, partial at both ends */
    assert_int_equal(blk_write(b, 8192 - 300, sector, sizeof(sector)), 0);
    /* the last, short block */
    assert_int_equal(blk_write(b, IMG_SIZE - 512, sector, 512), 0);
    memcpy(want, f->orig, IMG_SIZE);
    memset(want + 8192 - 300, 0xc3, sizeof(sector));
    memset(want + IMG_SIZE - 512, 0xc3, 512);
    assert_int_equal(blk_read(b, 0, buf, IMG_SIZE), 0);
    assert_memory_equal(buf, want, IMG_SIZE);
    assert_int_equal(blk_discard(b, 4096, 4096 + 512), 0);
    memset(want + 4096, 0, 4096 + 512);
    assert_int_equal(blk_read(b, 0, buf, IMG_SIZE), 0);
    assert_memory_equal(buf, want, IMG_SIZE);
    assert_int_equal(blk_write(b, IMG_SIZE, sector, 1), -EIO);
    assert_file_unchanged(f);
}

static void test_read_only_and_cdrom(void **state)
{
    Fixture *f = *state;
    char *err = NULL;
    g_autofree char *ro = g_strdup_printf("file=%s,if=none,id=d0,format=raw,readonly=on", f->b.path);
    g_autofree char *cd = g_strdup_printf("file=%s,if=none,id=cd,media=cdrom", f->b.path);
    const char *const drives[] = {ro, cd, "if=none,id=empty,media=cdrom", NULL};
    uint8_t buf[512] = {0};

    assert_non_null(make(f, drives, NULL, &err));
    BlockBackend *b = blk_lookup(f->b.m, "d0", &err);
    BlockBackend *c = blk_lookup(f->b.m, "cd", &err);
    BlockBackend *e = blk_lookup(f->b.m, "empty", &err);
    assert_true(blk_is_read_only(b));
    assert_int_equal(blk_write(b, 0, buf, 512), -EROFS);
    assert_true(c->is_cdrom && blk_is_read_only(c));
    assert_int_equal(blk_write(c, 0, buf, 512), -EROFS);
    assert_int_equal(blk_read(c, 512, buf, 512), 0);
    assert_memory_equal(buf, f->orig + 512, 512);
    assert_false(e->has_medium);
    assert_int_equal(blk_size(e), 0);
    assert_int_equal(blk_read(e, 0, buf, 512), -ENOMEDIUM);
    assert_null(blk_lookup(f->b.m, "nope", &err));
    assert_non_null(strstr(err, "'nope' not found"));
    g_free(err);
}

static void test_attach_once(void **state)
{
    Fixture *f = *state;
    BlockBackend *b = make_one(f, "file=null-co://,if=none,id=d0");
    Object a, c;
    char *err = NULL;

    memset(&a, 0, sizeof(a));
    memset(&c, 0, sizeof(c));
    a.type = c.type = type_lookup("drive");
    assert_true(blk_attach(b, &a, &err));
    assert_false(blk_attach(b, &c, &err));
    assert_non_null(strstr(err, "already in use"));
    g_free(err);
}

/* Blocks written after the snapshot go back to the image's bytes (and
 * those written before it stay) when it is restored. */
static void test_snapshot_restores_overlay(void **state)
{
    Fixture *f = *state;
    g_autofree char *d = image_drive(f, "");
    BlockBackend *b = make_one(f, d);
    static uint8_t buf[IMG_SIZE], want[IMG_SIZE];
    uint8_t x[512];

    memset(x, 0x11, sizeof(x));
    assert_int_equal(blk_write(b, 0, x, sizeof(x)), 0);       /* set-up's write */
    Snapshot *s = snapshot_take(f->b.m);
    for (int round = 0; round < 3; round++) {
        memset(x, 0x22 + round, sizeof(x));
        assert_int_equal(blk_write(b, 512, x, sizeof(x)), 0);
        assert_int_equal(blk_write(b, 40000, x, sizeof(x)), 0);
        assert_int_equal(blk_write(b, 0, x, 100), 0);
        snapshot_restore(s);
        memcpy(want, f->orig, IMG_SIZE);
        memset(want, 0x11, 512);
        assert_int_equal(blk_read(b, 0, buf, IMG_SIZE), 0);
        assert_memory_equal(buf, want, IMG_SIZE);
    }
    snapshot_free(s);
    assert_file_unchanged(f);
}

typedef struct Done {
    int calls;
    int ret;
    int64_t at;
    Clock *clock;
} Done;

static void on_done(void *opaque, int ret)
{
    Done *d = opaque;
    d->calls++;
    d->ret = ret;
    d->at = clock_get_ns(d->clock);
}

static void test_requests(void **state)
{
    Fixture *f = *state;
    char *err = NULL;
    g_autofree char *img = image_drive(f, "");
    const char *const drives[] = {img, NULL};
    const char *const bd[] = {"driver=null-co,node-name=slow,latency-ns=5000", NULL};
    assert_non_null(make(f, drives, bd, &err));
    BlockBackend *b = blk_lookup(f->b.m, "d0", &err);
    BlockBackend *slow = blk_lookup(f->b.m, "slow", &err);
    Done d = {.clock = &f->b.m->clock};
    BlockRequest req;
    uint8_t buf[1024];

    blk_req_init(&req, NULL, &f->b.m->clock, on_done, &d);
    assert_true(blk_req_submit(&req, b, BLK_OP_READ, 1024, buf, sizeof(buf)));
    assert_true(blk_req_pending(&req));
    assert_false(blk_req_submit(&req, b, BLK_OP_READ, 0, buf, 512));   /* busy */
    assert_int_equal(d.calls, 0);
    clock_run_bhs(&f->b.m->clock);
    assert_int_equal(d.calls, 1);
    assert_int_equal(d.ret, 0);
    assert_memory_equal(buf, f->orig + 1024, sizeof(buf));
    assert_false(blk_req_pending(&req));

    assert_true(blk_req_submit(&req, b, BLK_OP_WRITE, IMG_SIZE, buf, 512));
    clock_run_bhs(&f->b.m->clock);
    assert_int_equal(d.ret, -EIO);

    assert_true(blk_req_submit(&req, b, BLK_OP_READ, 0, buf, 512));
    blk_req_cancel(&req);
    clock_run_bhs(&f->b.m->clock);
    assert_int_equal(d.calls, 2);                  /* cancelled: no callback */

    int64_t t0 = clock_get_ns(&f->b.m->clock);
    assert_true(blk_req_submit(&req, slow, BLK_OP_FLUSH, 0, NULL, 0));
    clock_run_bhs(&f->b.m->clock);
    clock_step(&f->b.m->clock, 4999);
    assert_int_equal(d.calls, 2);
    clock_step(&f->b.m->clock, 1);
    assert_int_equal(d.calls, 3);
    assert_int_equal(d.at, t0 + 5000);
}

static void expect_error(Fixture *f, const char *drive, const char *blockdev, const char *msg)
{
    char *err = NULL;
    const char *const drives[] = {drive, NULL};
    const char *const bd[] = {blockdev, NULL};

    assert_null(make(f, drive ? drives : NULL, blockdev ? bd : NULL, &err));
    assert_non_null(err);
    if (!strstr(err, msg)) {
        fail_msg("error '%s' does not say '%s'", err, msg);
    }
    g_free(err);
}

static void test_bad_options(void **state)
{
    Fixture *f = *state;
    char odd[TEST_IMAGE_PATH_LEN];
    g_autofree char *odd_drive = NULL;
    g_autofree char *qcow = image_drive(f, ",format=qcow2");
    g_autofree char *ide = g_strdup_printf("file=%s,if=ide,id=d0", f->b.path);
    g_autofree char *media = image_drive(f, ",media=tape");
    g_autofree char *sized = image_drive(f, ",file.size=1M");
    test_image_create(odd, "block-odd", f->orig, 1000);
    odd_drive = g_strdup_printf("file=%s,if=none,id=d0", odd);

    struct { const char *drive, *blockdev, *msg; } cases[] = {
        {"file=/nonexistent/x.img,if=none,id=d0", NULL, "cannot open '/nonexistent/x.img'"},
        {odd_drive, NULL, "not a whole number of 512-byte sectors"},
        {qcow, NULL, "format=qcow2 is not supported"},
        {ide, NULL, "if=ide is not supported"},
        {media, NULL, "media=tape"},
        {sized, NULL, "size= is an option of the null driver"},
        {"file=null-co://,if=none", NULL, "id= is required"},
        {"file=null-co://,id=d0,bogus=1", NULL, "unknown option 'bogus' (options: id, node-name"},
        {NULL, "driver=null-co,node-name=n,size=1000", "not a whole number"},
        {NULL, "driver=qcow2,node-name=n", "driver=qcow2 is not supported"},
        {NULL, "driver=file,node-name=n", "needs filename="},
        {NULL, "driver=null-co", "node-name= is required"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        machine_config_free(&f->b.cfg);
        machine_config_init(&f->b.cfg);
        f->b.cfg.nodefaults = true;
        expect_error(f, cases[i].drive, cases[i].blockdev, cases[i].msg);
    }
    unlink(odd);
}

int main(void)
{
    hw_register_types();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_null_co, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_blockdev_null_size, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_image_read, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_image_write_overlay, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_read_only_and_cdrom, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_attach_once, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_restores_overlay, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_requests, setup, test_board_teardown),
        cmocka_unit_test_setup_teardown(test_bad_options, setup, test_board_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
