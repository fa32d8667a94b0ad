/* SPDX-License-Identifier: MIT */
/* Unit tests of emu/clock: deadline order, stepping, bottom halves, caps,
 * and which objects timer changes touch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "emu/clock.h"

typedef struct Rec {
    Clock *clock;
    int order[16];
    int64_t when[16];
    int n;
} Rec;

typedef struct Probe {
    Rec *rec;
    int id;
    Timer t;
} Probe;

static void probe_fire(void *opaque)
{
    Probe *p = opaque;
    p->rec->order[p->rec->n] = p->id;
    p->rec->when[p->rec->n++] = clock_get_ns(p->rec->clock);
}

static void test_deadline_order(void **state)
{
    Clock c;
    Rec rec = { .clock = &c };
    Probe p[4];
    clock_init(&c);
    const int64_t at[4] = { 300, 100, 200, 100 };
    for (int i = 0; i < 4; i++) {
        p[i] = (Probe){ .rec = &rec, .id = i };
        timer_init(&p[i].t, NULL, &c, probe_fire, &p[i]);
        timer_mod(&p[i].t, at[i]);
    }
    assert_int_equal(clock_deadline(&c), 100);
    assert_int_equal(clock_step(&c, 1000), 1000);
    assert_int_equal(rec.n, 4);
    /* 100 (armed first), 100, 200, 300; each fires at its own time. */
    assert_int_equal(rec.order[0], 1);
    assert_int_equal(rec.order[1], 3);
    assert_int_equal(rec.order[2], 2);
    assert_int_equal(rec.order[3], 0);
    assert_int_equal(rec.when[0], 100);
    assert_int_equal(rec.when[2], 200);
    assert_int_equal(rec.when[3], 300);
    assert_int_equal(clock_deadline(&c), -1);
}

static void test_step_partial_and_del(void **state)
{
    Clock c;
    Rec rec = { .clock = &c };
    Probe a = { .rec = &rec, .id = 1 }, b = { .rec = &rec, .id = 2 };
    clock_init(&c);
    timer_init(&a.t, NULL, &c, probe_fire, &a);
    timer_init(&b.t, NULL, &c, probe_fire, &b);
    timer_mod(&a.t, 50);
    timer_mod(&b.t, 150);
    clock_step(&c, 100);
    assert_int_equal(rec.n, 1);
    assert_true(timer_pending(&b.t));
    timer_del(&b.t);
    assert_false(timer_pending(&b.t));
    clock_step(&c, 100);
    assert_int_equal(rec.n, 1);
    assert_int_equal(clock_get_ns(&c), 200);
}

static void test_rearm_moves_timer(void **state)
{
    Clock c;
    Rec rec = { .clock = &c };
    Probe a = { .rec = &rec, .id = 1 };
    clock_init(&c);
    timer_init(&a.t, NULL, &c, probe_fire, &a);
    timer_mod(&a.t, 500);
    timer_mod(&a.t, 20);
    assert_int_equal(clock_deadline(&c), 20);
    clock_step(&c, 1000);
    assert_int_equal(rec.n, 1);
    assert_int_equal(rec.when[0], 20);
}

static void test_step_next_and_set(void **state)
{
    Clock c;
    Rec rec = { .clock = &c };
    Probe a = { .rec = &rec, .id = 1 };
    clock_init(&c);
    assert_false(clock_step_next(&c));
    assert_int_equal(clock_get_ns(&c), 0);
    timer_init(&a.t, NULL, &c, probe_fire, &a);
    timer_mod(&a.t, 12345);
    assert_true(clock_step_next(&c));
    assert_int_equal(clock_get_ns(&c), 12345);
    assert_int_equal(rec.n, 1);
    assert_int_equal(clock_set(&c, 100), 12345);     /* never backwards */
    assert_int_equal(clock_set(&c, 20000), 20000);
}

typedef struct Storm {
    Timer t;
    int fires;
} Storm;

static void storm_fire(void *opaque)
{
    Storm *s = opaque;
    s->fires++;
    timer_mod(&s->t, clock_get_ns(s->t.clock));    /* re-arm in the present */
}

static void test_self_rearm_is_bounded(void **state)
{
    Clock c;
    Storm s = { .fires = 0 };
    clock_init(&c);
    timer_init(&s.t, NULL, &c, storm_fire, &s);
    timer_mod(&s.t, 10);
    clock_step(&c, 100);
    assert_int_equal(s.fires, CLOCK_MAX_FIRES_PER_STEP);
    assert_int_equal(clock_get_ns(&c), 100);
}

typedef struct BhRec {
    BH bh;
    BH *other;
    int runs;
} BhRec;

static void bh_fire(void *opaque)
{
    BhRec *r = opaque;
    r->runs++;
    if (r->other) {
        bh_schedule(r->other);
    }
}

static void test_bottom_halves(void **state)
{
    Clock c;
    BhRec a = { .runs = 0 }, b = { .runs = 0 };
    clock_init(&c);
    bh_init(&a.bh, NULL, &c, bh_fire, &a);
    bh_init(&b.bh, NULL, &c, bh_fire, &b);
    a.other = &b.bh;
    bh_schedule(&a.bh);
    bh_schedule(&a.bh);        /* scheduling twice runs once */
    clock_run_bhs(&c);
    assert_int_equal(a.runs, 1);
    assert_int_equal(b.runs, 1);   /* scheduled by a, run in the same pass */
    bh_schedule(&b.bh);
    bh_cancel(&b.bh);
    clock_run_bhs(&c);
    assert_int_equal(b.runs, 1);
}

/* Change tracking: an object is touched when its timer changes or fires,
 * and when its timer's link to the next one is rewritten. */
typedef struct Owned {
    Object obj;
    ObjectTrack track;
    int touches;
    Timer t;
} Owned;

static void owned_first_touch(ObjectTrack *t)
{
    t->touched = true;
}

static void owned_fire(void *opaque);

static void owned_init(Owned *o, Clock *c)
{
    *o = (Owned){ 0 };
    o->track.first_touch = owned_first_touch;
    o->obj.track = &o->track;
    timer_init(&o->t, &o->obj, c, owned_fire, o);
}

static void owned_fire(void *opaque)
{
    ((Owned *)opaque)->touches++;
}

static void untouch(Owned *o, int n)
{
    for (int i = 0; i < n; i++) {
        o[i].track.touched = false;
    }
}

static void test_timer_touches_owners(void **state)
{
    Clock c;
    Owned o[3];
    clock_init(&c);
    for (int i = 0; i < 3; i++) {
        owned_init(&o[i], &c);
    }
    timer_mod(&o[0].t, 100);
    assert_true(o[0].track.touched);
    assert_false(o[1].track.touched);
    untouch(o, 3);
    timer_mod(&o[2].t, 300);        /* links after o[0]: o[0].t.next changes */
    assert_true(o[0].track.touched);
    assert_true(o[2].track.touched);
    assert_false(o[1].track.touched);
    untouch(o, 3);
    timer_mod(&o[1].t, 200);        /* between: o[0].t.next changes again */
    assert_true(o[0].track.touched && o[1].track.touched);
    assert_false(o[2].track.touched);
    untouch(o, 3);
    timer_del(&o[2].t);             /* o[1].t.next changes */
    assert_true(o[1].track.touched && o[2].track.touched);
    assert_false(o[0].track.touched);
    untouch(o, 3);
    clock_step(&c, 150);            /* o[0] fires */
    assert_int_equal(o[0].touches, 1);
    assert_true(o[0].track.touched);
    assert_false(o[1].track.touched);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadline_order),
        cmocka_unit_test(test_step_partial_and_del),
        cmocka_unit_test(test_rearm_moves_timer),
        cmocka_unit_test(test_step_next_and_set),
        cmocka_unit_test(test_self_rearm_is_bounded),
        cmocka_unit_test(test_bottom_halves),
        cmocka_unit_test(test_timer_touches_owners),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
