/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of emu/snapshot: device state, region links, clock and timers,
 * dirty RAM pages and flattened views all go back to the take; only touched
 * objects are copied back, and an untouched change is reported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "emu/snapshot.h"

typedef struct Dev {
    Object obj;
    MemoryRegion io;
    MemoryRegion window;
    uint32_t reg;
    Timer t;
    int fired;
    uint8_t *ext;           /* state outside the instance: DEV_EXT bytes */
    uint32_t ext_len;       /* its live part */
} Dev;

#define DEV_EXT 64

static size_t dev_ext_live(const Object *obj)
{
    return ((const Dev *)obj)->ext_len;
}

static uint64_t dev_read(void *opaque, uint64_t addr, unsigned size)
{
    return ((Dev *)opaque)->reg;
}

static void dev_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    Dev *d = opaque;
    d->reg = val;
    if (val == 0x99) {         /* moves its window, as a BAR write would */
        mr_set_address(&d->window, 0x3000);
    }
    timer_mod(&d->t, clock_get_ns(d->t.clock) + 100);
}

static const MemoryRegionOps dev_ops = { .read = dev_read, .write = dev_write };

static void dev_fire(void *opaque)
{
    ((Dev *)opaque)->fired++;
}

static bool dev_realize(Object *obj, Machine *m, char **errp)
{
    Dev *d = (Dev *)obj;
    mr_init_io(&d->io, obj, &dev_ops, d, "dev", 4);
    mr_add_subregion(&m->sysio, 0x100, &d->io);
    mr_init_io(&d->window, obj, &dev_ops, d, "dev-window", 0x100);
    mr_add_subregion(&m->sysmem, 0x2000000, &d->window);
    timer_init(&d->t, obj, &m->clock, dev_fire, d);
    d->ext = g_malloc0(DEV_EXT);
    memcpy(d->ext, "ABCD", 4);
    d->ext_len = 4;
    object_add_state(obj, "dev-ext", d->ext, DEV_EXT, dev_ext_live);
    return true;
}

static const TypeInfo dev_type = {
    .name = "snap-dev", .parent = "device", .instance_size = sizeof(Dev),
    .realize = dev_realize,
};
static const TypeInfo *const types[] = { &dev_type, NULL };

static bool board_init(Machine *m, char **errp)
{
    mr_init_container(&m->sysio, NULL, "io", 0x10000);
    as_init(&m->as_io, &m->sysio, "I/O");
    m->ram = g_new0(MemoryRegion, 1);
    mr_init_ram(m->ram, &m->obj, "ram", 1 << 20);
    mr_add_subregion(&m->sysmem, 0, m->ram);
    uint8_t content[8] = "ROMDATA";
    as_write(&m->as_mem, 0x5000, content, sizeof(content));   /* before the take */
    Object *dev = machine_new_device(m, "snap-dev", NULL, NULL, errp);
    return dev && machine_realize_device(m, dev, errp);
}

static const BoardInfo boards[] = { { "snap", "test", NULL, board_init }, { NULL } };

typedef struct Fixture {
    Machine *m;
    Dev *d;
    Snapshot *s;
} Fixture;

static int setup(void **state)
{
    static MachineConfig cfg;
    static Fixture f;
    char *err = NULL;
    type_register_table(types);
    machine_config_init(&cfg);
    f.m = machine_create(&cfg, boards, &err);
    assert_non_null(f.m);
    f.d = (Dev *)f.m->devices[0];
    f.s = snapshot_take(f.m);
    *state = &f;
    return 0;
}

static void test_device_and_clock(void **state)
{
    Fixture *f = *state;
    as_write_val(&f->m->as_io, 0x100, 0x1234, 4, NULL);
    clock_step(&f->m->clock, 50);
    assert_true(timer_pending(&f->d->t));
    snapshot_restore(f->s);
    assert_int_equal(f->d->reg, 0);
    assert_int_equal(clock_get_ns(&f->m->clock), 0);
    assert_false(timer_pending(&f->d->t));
    assert_int_equal(clock_deadline(&f->m->clock), -1);
    clock_step(&f->m->clock, 1000);
    assert_int_equal(f->d->fired, 0);      /* the restored queue is empty */
}

static void test_ram_pages(void **state)
{
    Fixture *f = *state;
    uint8_t buf[8];
    as_write_val(&f->m->as_mem, 0x5000, 0xff, 1, NULL);      /* had content */
    as_write_val(&f->m->as_mem, 0x9000, 0x77, 4, NULL);      /* was zero */
    assert_int_equal(snapshot_restore(f->s), 2);
    as_read(&f->m->as_mem, 0x5000, buf, 8);
    assert_memory_equal(buf, "ROMDATA", 8);
    assert_int_equal(as_read_val(&f->m->as_mem, 0x9000, 4, NULL), 0);
    assert_int_equal(snapshot_restore(f->s), 0);              /* bits cleared */
}

static void test_topology(void **state)
{
    Fixture *f = *state;
    as_write_val(&f->m->as_io, 0x100, 0x99, 1, NULL);       /* window moves */
    assert_int_equal(as_read_val(&f->m->as_mem, 0x3000, 1, NULL), 0x99);
    uint64_t before = snapshot_stats(f->s)->reflattens;
    snapshot_restore(f->s);
    assert_int_equal(snapshot_stats(f->s)->reflattens, before + 1);
    const FlatRange *r = as_lookup(&f->m->as_mem, 0x2000000);
    assert_non_null(r);
    assert_ptr_equal(r->mr, &f->d->window);
    assert_ptr_equal(as_lookup(&f->m->as_mem, 0x3000)->mr, f->m->ram);
    /* Nothing moved this time: the flattened view is kept. */
    as_write_val(&f->m->as_io, 0x100, 0x1, 1, NULL);
    snapshot_restore(f->s);
    assert_int_equal(snapshot_stats(f->s)->reflattens, before + 1);
}

static void count_diff(void *opaque, const SnapshotDiffAt *at)
{
    (*(int *)opaque)++;
}

static void last_diff(void *opaque, const SnapshotDiffAt *at)
{
    *(SnapshotDiffAt *)opaque = *at;
}

/* State registered with object_add_state: its live part at the take is
 * checked and, with its object touched, restored; the rest is dead. */
static void test_object_state(void **state)
{
    Fixture *f = *state;
    SnapshotDiffAt at = { 0 };

    f->d->ext[40] = 0xee;           /* past the live part: not state */
    assert_int_equal(snapshot_check_untouched(f->s, last_diff, &at), 0);
    f->d->ext[1] = 'x';
    assert_int_equal(snapshot_check_untouched(f->s, last_diff, &at), 1);
    assert_ptr_equal(at.owner, &f->d->obj);
    assert_string_equal(at.state, "dev-ext");
    assert_int_equal(at.offset, 1);
    assert_int_equal(at.size, 1);
    char *line = snapshot_describe(&at);
    assert_non_null(strstr(line, "(snap-dev) state 'dev-ext' bytes 0x1..0x1"));
    g_free(line);
    /* A frame of 10 bytes assembled during the input, then the restore. */
    object_touch(&f->d->obj);
    memcpy(f->d->ext, "0123456789", 10);
    f->d->ext_len = 10;
    snapshot_restore(f->s);
    assert_int_equal(f->d->ext_len, 4);
    assert_memory_equal(f->d->ext, "ABCD", 4);
    assert_int_equal(snapshot_check_untouched(f->s, last_diff, &at), 0);
}

/* An instance's offsets count from its start, past the regions inside. */
static void test_diff_offset_in_instance(void **state)
{
    Fixture *f = *state;
    SnapshotDiffAt at = { 0 };

    f->d->reg = 7;
    assert_int_equal(snapshot_check_untouched(f->s, last_diff, &at), 1);
    assert_null(at.state);
    assert_int_equal(at.offset, offsetof(Dev, reg));
    object_touch(&f->d->obj);
    snapshot_restore(f->s);
}

static void test_diff_names_the_owner(void **state)
{
    Fixture *f = *state;
    int diffs = 0;
    snapshot_diff(f->s, count_diff, &diffs);
    assert_int_equal(diffs, 0);
    f->d->reg = 5;      /* state changed behind the machine's back */
    snapshot_diff(f->s, count_diff, &diffs);
    assert_int_equal(diffs, 1);
    /* Untouched, so the tracking missed it: reported, and not restored. */
    diffs = 0;
    assert_int_equal(snapshot_check_untouched(f->s, count_diff, &diffs), 1);
    assert_int_equal(diffs, 1);
    snapshot_restore(f->s);
    assert_int_equal(f->d->reg, 5);
    /* Once touched it goes back. */
    object_touch(&f->d->obj);
    assert_int_equal(snapshot_check_untouched(f->s, count_diff, &diffs), 0);
    snapshot_restore(f->s);
    assert_int_equal(f->d->reg, 0);
}

/* A restore copies back the machine struct and the touched objects only. */
static void test_only_touched_copied(void **state)
{
    Fixture *f = *state;
    const SnapshotStats *st = snapshot_stats(f->s);
    snapshot_restore(f->s);
    uint64_t objects = st->objects_restored, bytes = st->bytes_restored;
    as_write_val(&f->m->as_mem, 0x9000, 0x77, 4, NULL);     /* RAM only */
    snapshot_restore(f->s);
    assert_int_equal(st->objects_restored, objects);
    assert_int_equal(st->bytes_restored - bytes, sizeof(Machine));

    as_write_val(&f->m->as_io, 0x100, 0x1234, 4, NULL);     /* the device */
    assert_true(f->d->obj.track->touched);
    snapshot_restore(f->s);
    assert_false(f->d->obj.track->touched);
    assert_int_equal(st->objects_restored, objects + 1);
    /* The instance less its two region structs, which did not change, and
     * the live part of its state outside the instance. */
    assert_int_equal(st->bytes_restored - bytes,
                     2 * sizeof(Machine) + sizeof(Dev) - 2 * sizeof(MemoryRegion) + 4);
    assert_int_equal(f->d->reg, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_device_and_clock),
        cmocka_unit_test(test_ram_pages),
        cmocka_unit_test(test_topology),
        cmocka_unit_test(test_diff_names_the_owner),
        cmocka_unit_test(test_only_touched_copied),
        cmocka_unit_test(test_object_state),
        cmocka_unit_test(test_diff_offset_in_instance),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
