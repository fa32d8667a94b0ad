/* SPDX-License-Identifier: MIT */
/*
 * What the parts of emu-minimize share (main.c describes the program): the
 * crash oracle, which runs candidates in a forked worker and judges their
 * crashes (oracle.c, crash-identity.c), and the minimizer, which holds the
 * input as units and applies the reductions (passes.c).
 */
#ifndef TOOLS_EMU_MINIMIZE_H
#define TOOLS_EMU_MINIMIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <glib.h>

#include "emu/snapshot.h"
#include "harness/fuzz.h"

#define MIN_MAX_INPUT (1u << 24)

typedef struct Oracle {
    bool trace_mode;
    Fuzzer *f;                  /* binary mode */
    Machine *m;                 /* trace mode */
    Snapshot *snap;
    /* The worker. */
    pid_t pid;
    int to_worker;
    int from_worker;
    int log_fd;                 /* the worker's stderr, a scratch file */
    unsigned timeout_ms;
    /* What counts as the same crash. */
    const char *token;
    GHashTable *symbols;        /* frame -> its symbolized lines (--token) */
    bool have_identity;
    int site_depth;             /* the site's frame number, -1: no stack */
    uint64_t site_pc;
    char *site_message;         /* without a stack: emu_bug's FILE:LINE */
    char *description;          /* kind and site, for people */
    /* Statistics. */
    uint64_t runs;
    uint64_t crashes;           /* the same crash */
    uint64_t other_crashes;
    uint64_t hangs;
    uint64_t clean_runs;        /* that did not crash, and their time */
    double clean_seconds;
} Oracle;

typedef enum Verdict { V_NO_CRASH, V_SAME, V_OTHER, V_HANG } Verdict;

typedef struct Minimizer {
    Oracle *o;
    GPtrArray *units;           /* GBytes*: a command, or a trace line */
    GString *header;            /* trace mode: the comment lines kept */
    double deadline;
    bool out_of_time;
} Minimizer;

/* oracle.c: runs one candidate in the worker (forked on demand). */
Verdict min_run(Oracle *o, const uint8_t *data, size_t len);
/* Reaps the worker (killed first if kill_it); returns its wait status. */
int min_reap(Oracle *o, bool kill_it);
double min_now(void);

/* crash-identity.c: the original crash's site, learnt from its report, and
 * whether a later report shows the same one. */
void min_learn_identity(Oracle *o, const char *log, int status);
bool min_same_crash(const Oracle *o, const char *log);
/* Whether the report holds o->token, raw or with its frames symbolized. */
bool min_report_has_token(Oracle *o, const char *log);

/* passes.c */
GPtrArray *min_split(const uint8_t *data, size_t len, bool lines);
GByteArray *min_join(const Minimizer *z, GPtrArray *units);
bool min_interesting(Minimizer *z, GPtrArray *units);
/* The reductions, repeated until none applies or time is out. */
void min_loop(Minimizer *z);

#endif
