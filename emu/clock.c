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

void timer_init(Timer *t, Clock *c, TimerCB cb, void *opaque)
{
    t->clock = c;
    t->cb = cb;
    t->opaque = opaque;
    t->expire = 0;
    t->pending = false;
    t->next = NULL;
}

static void timer_unlink(Timer *t)
{
    Timer **pp = &t->clock->timers;
    while (*pp && *pp != t) {
        pp = &(*pp)->next;
    }
    if (*pp) {
        *pp = t->next;
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
    t->expire = expire_ns;
    t->pending = true;
    /* After every timer with an equal or earlier deadline: arming order. */
    Timer **pp = &t->clock->timers;
    while (*pp && (*pp)->expire <= expire_ns) {
        pp = &(*pp)->next;
    }
    t->next = *pp;
    *pp = t;
}

void bh_init(BH *bh, Clock *c, TimerCB cb, void *opaque)
{
    bh->clock = c;
    bh->cb = cb;
    bh->opaque = opaque;
    bh->scheduled = false;
    bh->next = NULL;
}

void bh_schedule(BH *bh)
{
    if (bh->scheduled) {
        return;
    }
    BH **pp = &bh->clock->bhs;
    while (*pp) {
        pp = &(*pp)->next;
    }
    bh->next = NULL;
    bh->scheduled = true;
    *pp = bh;
}

void bh_cancel(BH *bh)
{
    if (!bh->scheduled) {
        return;
    }
    BH **pp = &bh->clock->bhs;
    while (*pp && *pp != bh) {
        pp = &(*pp)->next;
    }
    if (*pp) {
        *pp = bh->next;
    }
    bh->next = NULL;
    bh->scheduled = false;
}

void clock_run_bhs(Clock *c)
{
    for (int runs = 0; c->bhs; runs++) {
        if (runs == CLOCK_MAX_BH_RUNS) {
            guest_error("clock: bottom halves keep rescheduling; %d run, rest wait",
                        runs);
            return;
        }
        BH *bh = c->bhs;
        c->bhs = bh->next;
        bh->next = NULL;
        bh->scheduled = false;
        bh->cb(bh->opaque);
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
        t->cb(t->opaque);
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
