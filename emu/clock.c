/* SPDX-License-Identifier: MIT */
/* Virtual clock, timers and bottom halves; see clock.h. */
#include "emu/clock.h"

#include <stddef.h>

#include "emu/log.h"

/* Most bottom halves run by one clock_run_bhs before the rest wait. */
#define CLOCK_MAX_BH_RUNS 10000

void clock_init(Clock *c)
{
    c->now = 0;
    c->timers = NULL;
    c->bhs = NULL;
    c->seq = 0;
}

void timer_init(Timer *t, Object *owner, Clock *c, TimerCB cb, void *opaque)
{
    t->owner = owner;
    t->clock = c;
    t->cb = cb;
    t->opaque = opaque;
    t->expire = 0;
    t->pending = false;
    t->next = NULL;
}

/* The link to t's successor in the list: the clock's head (in the machine)
 * or the previous timer's next, whose owner is touched (its instance
 * changes). */
static Timer **timer_link_to(Timer **head, Timer *prev)
{
    if (!prev) {
        return head;
    }
    object_touch(prev->owner);
    return &prev->next;
}

static void timer_unlink(Timer *t)
{
    Timer *prev = NULL;
    object_touch(t->owner);
    for (Timer *cur = t->clock->timers; cur && cur != t; cur = cur->next) {
        prev = cur;
    }
    Timer **link = timer_link_to(&t->clock->timers, prev);
    if (*link == t) {
        *link = t->next;
    }
    t->next = NULL;
    t->pending = false;
}

void timer_del(Timer *t)
{
    if (t->pending) {
        timer_unlink(t);
    }
}

void timer_mod(Timer *t, int64_t expire_ns)
{
    timer_del(t);
    object_touch(t->owner);
    t->expire = expire_ns;
    t->pending = true;
    /* After every timer with an equal or earlier deadline: arming order. */
    Timer *prev = NULL;
    for (Timer *cur = t->clock->timers; cur && cur->expire <= expire_ns; cur = cur->next) {
        prev = cur;
    }
    Timer **link = timer_link_to(&t->clock->timers, prev);
    t->next = *link;
    *link = t;
}

void bh_init(BH *bh, Object *owner, Clock *c, TimerCB cb, void *opaque)
{
    bh->owner = owner;
    bh->clock = c;
    bh->cb = cb;
    bh->opaque = opaque;
    bh->scheduled = false;
    bh->next = NULL;
}

/* As timer_link_to, for bottom halves. */
static BH **bh_link_to(BH **head, BH *prev)
{
    if (!prev) {
        return head;
    }
    object_touch(prev->owner);
    return &prev->next;
}

void bh_schedule(BH *bh)
{
    if (bh->scheduled) {
        return;
    }
    BH *prev = NULL;
    for (BH *cur = bh->clock->bhs; cur; cur = cur->next) {
        prev = cur;
    }
    object_touch(bh->owner);
    bh->next = NULL;
    bh->scheduled = true;
    *bh_link_to(&bh->clock->bhs, prev) = bh;
}

void bh_cancel(BH *bh)
{
    if (!bh->scheduled) {
        return;
    }
    BH *prev = NULL;
    for (BH *cur = bh->clock->bhs; cur && cur != bh; cur = cur->next) {
        prev = cur;
    }
    object_touch(bh->owner);
    BH **link = bh_link_to(&bh->clock->bhs, prev);
    if (*link == bh) {
        *link = bh->next;
    }
    bh->next = NULL;
    bh->scheduled = false;
}

void clock_run_pending_bhs(Clock *c)
{
    for (int runs = 0; c->bhs; runs++) {
        if (runs == CLOCK_MAX_BH_RUNS) {
            guest_error("clock: bottom halves keep rescheduling; %d run, rest wait",
                        runs);
            return;
        }
        BH *bh = c->bhs;
        object_touch(bh->owner);
        c->bhs = bh->next;
        bh->next = NULL;
        bh->scheduled = false;
        if (object_enter(bh->owner, "bottom half")) {
            bh->cb(bh->opaque);
            object_leave(bh->owner);
        }
    }
}

int64_t clock_deadline(const Clock *c)
{
    return c->timers ? c->timers->expire : -1;
}

/* Fires every timer due at or before `until`, moving now along with them. */
static void clock_run_until(Clock *c, int64_t until)
{
    clock_run_bhs(c);
    for (int fires = 0; c->timers && c->timers->expire <= until; fires++) {
        if (fires == CLOCK_MAX_FIRES_PER_STEP) {
            guest_error("clock: %d timer callbacks in one step; rest dropped "
                        "to the end of the step", fires);
            break;
        }
        Timer *t = c->timers;
        if (t->expire > c->now) {
            c->now = t->expire;
        }
        timer_unlink(t);
        c->seq++;
        if (object_enter(t->owner, "timer")) {
            t->cb(t->opaque);
            object_leave(t->owner);
        }
        clock_run_bhs(c);
    }
    if (until > c->now) {
        c->now = until;
    }
}

int64_t clock_step(Clock *c, int64_t ns)
{
    if (ns < 0) {
        ns = 0;
    }
    int64_t until = (ns > INT64_MAX - c->now) ? INT64_MAX : c->now + ns;
    clock_run_until(c, until);
    return c->now;
}

int64_t clock_set(Clock *c, int64_t ns)
{
    if (ns > c->now) {
        clock_run_until(c, ns);
    }
    return c->now;
}

bool clock_step_next(Clock *c)
{
    if (!c->timers) {
        return false;
    }
    int64_t when = c->timers->expire;
    clock_run_until(c, when > c->now ? when : c->now);
    return true;
}
