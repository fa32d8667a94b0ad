/* SPDX-License-Identifier: MIT */
/*
 * Canaries of the planted-bug benchmark (bench/bugs/, tools/bugbench,
 * docs/bugbench.md). A plant marks the path its bug takes with
 * BUG_REACHED("id") and the condition that makes it a bug with
 * BUG_TRIGGERED("id", cond), placed before the faulty access so the record
 * is written even when the access then crashes.
 *
 * Outside a bench build (meson -Dbugbench=true defines EMU_BUGBENCH) both
 * are nothing: the condition is not evaluated (it must have no side
 * effects) and no code is emitted. In a bench build each canary records,
 * per bug, the first time (CLOCK_REALTIME) it fired and how often, in the
 * file $EMU_CANARY_FILE, shared by every process of a run (fork-server
 * children, persistent loops, replays); and says "canary: ID reached" or
 * "canary: ID triggered" on stderr once per process.
 */
#ifndef EMU_CANARY_H
#define EMU_CANARY_H

#include <stdbool.h>
#include <stdint.h>

/* The file's layout, read by bench/bugbench/canary.py (same numbers). */
#define CANARY_MAGIC "EMUCANRY"
#define CANARY_VERSION 1
#define CANARY_SLOTS 64
#define CANARY_NAME_LEN 48

typedef struct CanarySlot {
    uint32_t state;               /* 0 free, 1 being claimed, 2 in use */
    uint32_t pad;
    char bug[CANARY_NAME_LEN];    /* NUL-terminated id */
    uint64_t first_reached_ns;    /* 0: never */
    uint64_t first_triggered_ns;
    uint64_t reached;             /* counts */
    uint64_t triggered;
} CanarySlot;

typedef struct CanaryFile {
    char magic[8];
    uint32_t version;
    uint32_t nslots;
    CanarySlot slots[CANARY_SLOTS];
} CanaryFile;

/* One call site: its bug id and what this process has done for it. */
typedef struct CanarySite {
    const char *bug;
    int slot;                     /* -1 until looked up */
    bool said;                    /* the stderr line was written */
} CanarySite;

#ifdef EMU_BUGBENCH
void canary_hit(CanarySite *site, bool triggered);
#define BUG_REACHED(id)                                                  \
    do {                                                                 \
        static CanarySite canary_site_ = { (id), -1, false };            \
        canary_hit(&canary_site_, false);                                \
    } while (0)
#define BUG_TRIGGERED(id, cond)                                          \
    do {                                                                 \
        if (cond) {                                                      \
            static CanarySite canary_site_ = { (id), -1, false };        \
            canary_hit(&canary_site_, true);                             \
        }                                                                \
    } while (0)
#else
#define BUG_REACHED(id) ((void)0)
#define BUG_TRIGGERED(id, cond) ((void)sizeof(cond))
#endif

#endif
