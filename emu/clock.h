/* SPDX-License-Identifier: MIT */
/*
 * The virtual clock: nanoseconds since machine creation, advanced only by
 * clock_step / clock_set / clock_step_next (qtest or the harness). Timers and
 * bottom halves are embedded in device instances; the clock keeps them in
 * intrusive lists, timers sorted by deadline (equal deadlines fire in the
 * order they were armed). Firing is bounded: a timer that keeps re-arming
 * itself in the past cannot hang a step.
 */
#ifndef EMU_CLOCK_H
#define EMU_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/object.h"

#define NANOSECONDS_PER_SECOND 1000000000LL

/* Most timer callbacks run by one step before the rest is dropped. */
#define CLOCK_MAX_FIRES_PER_STEP 100000

typedef void (*TimerCB)(void *opaque);
typedef struct Clock Clock;
typedef struct Timer Timer;
typedef struct BH BH;

/* A timer or bottom half belongs to an object (its owner, touched whenever
 * the timer changes or fires: see object_touch), or to none (NULL). */
struct Timer {
    Object *owner;
    Clock *clock;
    TimerCB cb;
    void *opaque;
    int64_t expire;     /* absolute ns; valid while pending */
    bool pending;
    Timer *next;
};

struct BH {
    Object *owner;
    Clock *clock;
    TimerCB cb;
    void *opaque;
    bool scheduled;
    BH *next;
};

struct Clock {
    int64_t now;
    Timer *timers;      /* pending, by expire */
    BH *bhs;            /* scheduled, in scheduling order */
    uint64_t seq;       /* fires so far, for tests and stats */
};

void clock_init(Clock *c);
static inline int64_t clock_get_ns(const Clock *c)
{
    return c->now;
}

void timer_init(Timer *t, Object *owner, Clock *c, TimerCB cb, void *opaque);
/* Arm (or re-arm) at an absolute time; a time in the past fires next step. */
void timer_mod(Timer *t, int64_t expire_ns);
void timer_del(Timer *t);
static inline bool timer_pending(const Timer *t)
{
    return t->pending;
}

void bh_init(BH *bh, Object *owner, Clock *c, TimerCB cb, void *opaque);
void bh_schedule(BH *bh);
void bh_cancel(BH *bh);
/* Runs scheduled bottom halves (those scheduled meanwhile too), bounded. */
void clock_run_pending_bhs(Clock *c);
/* Inline: it runs after every access, and mostly finds nothing to do. */
static inline void clock_run_bhs(Clock *c)
{
    if (c->bhs) {
        clock_run_pending_bhs(c);
    }
}

/* Next deadline, or -1 when no timer is pending. */
int64_t clock_deadline(const Clock *c);
/* Advance by ns (>= 0), firing due timers in deadline order. Returns now. */
int64_t clock_step(Clock *c, int64_t ns);
/* Advance to absolute time ns; earlier than now does nothing. Returns now. */
int64_t clock_set(Clock *c, int64_t ns);
/* Advance to the next deadline and fire it; false (no change) if none. */
bool clock_step_next(Clock *c);

#endif
