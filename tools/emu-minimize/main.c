/* SPDX-License-Identifier: MIT */
/*
 * emu-minimize: shrinks a crashing input while it keeps crashing the same
 * way, on the machine built once (tools/minimize is the front end).
 *
 *   emu-minimize [--target=NAME] [--token=STRING] [--timeout-ms=N]
 *                [--max-seconds=N] INPUT OUTPUT
 *
 * INPUT is a generic-fuzz input (needs --target) or a qtest trace whose
 * first line is "# emu-system ARGS -qtest stdio" (as emu-afl --trace and
 * tools/reproduce write them); the machine comes from the target or from
 * ARGS. The crash oracle: the parent process sets the machine up and never
 * runs an input; a worker forked from it runs candidates one after the
 * other (pipe in, one byte out), resetting the machine in-process after
 * each. A candidate that crashes kills the worker: the parent reads its
 * stderr, compares the crash with the original one, and forks a fresh
 * worker. Identity: the top frame of the program's own in the sanitizer
 * report of the original crash (symbolized once with llvm-symbolizer, for
 * the description), compared by its program counter at the same depth in
 * later reports (workers are forks of one process: same addresses, and no
 * symbolizer run per crash); without a stack, emu_bug's file:line; or with
 * --token, a string the report must contain (QEMU's CRASH_TOKEN: a
 * FILE:LINE such as hw/misc/crashtest.c:88, or a function name), searched
 * with the report's frames symbolized (each address once).
 *
 * Reductions, repeated until none applies: drop commands (or trace lines)
 * in halving chunks; cut commands to what their op reads; shrink DMA
 * patterns; split wide accesses into bytes and keep the split only if a
 * piece can go; lower values to 0 and clear their bits one at a time.
 */
#include "tools/emu-minimize/minimize.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/cli.h"
#include "emu/snapshot.h"
#include "harness/fuzz.h"
#include "hw/devices.h"

#define MIN_TRACE_PREFIX "# emu-system "
#define MIN_TRACE_SUFFIX " -qtest stdio"
#define MIN_TRACE_NOTES_MAX 16      /* lines before a trace's header */

/* Sanitizer defaults for the worker: die on the first error with a
 * symbolized stack (abort() reported too: emu_bug), no leak check. */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

const char *__asan_default_options(void)
{
    return "abort_on_error=1:handle_abort=1:symbolize=0:detect_leaks=0";
}

const char *__ubsan_default_options(void)
{
    return "print_stacktrace=1:halt_on_error=1:abort_on_error=1:symbolize=0";
}

/* ---- set-up and main --------------------------------------------------- */

/* A trace's header: "# emu-system ARGS -qtest stdio" (and comment lines
 * right after it, kept in the output). */
static bool min_setup_trace(Oracle *o, Minimizer *z, const char *text, char **errp)
{
    const char *nl = strchr(text, '\n');
    char *first = g_strndup(text, nl ? (size_t)(nl - text) : strlen(text));
    char *args = g_strdup(first + strlen(MIN_TRACE_PREFIX));
    char *suffix = g_strrstr(args, MIN_TRACE_SUFFIX);
    if (suffix) {
        *suffix = '\0';
    }
    hw_register_types();
    o->m = cli_machine_from_string(args, hw_boards, errp);
    g_free(args);
    if (!o->m) {
        g_free(first);
        return false;
    }
    o->snap = snapshot_take(o->m);
    o->trace_mode = true;
    z->header = g_string_new(first);
    g_string_append_c(z->header, '\n');
    for (const char *p = nl ? nl + 1 : ""; g_str_has_prefix(p, "# target "); ) {
        const char *e = strchr(p, '\n');
        g_string_append_len(z->header, p, e ? e - p + 1 : (gssize)strlen(p));
        p = e ? e + 1 : "";
    }
    g_free(first);
    return true;
}

typedef struct MinArgs {
    const char *target;
    const char *token;
    unsigned timeout_ms;
    double max_seconds;
    const char *in;
    const char *out;
} MinArgs;

static int min_usage(void)
{
    fprintf(stderr, "usage: emu-minimize [--target=NAME] [--token=STRING] [--timeout-ms=N]\n"
                    "                    [--max-seconds=N] INPUT OUTPUT\n"
                    "INPUT: a generic-fuzz input (needs --target) or a qtest trace\n"
                    "starting with '" MIN_TRACE_PREFIX "ARGS" MIN_TRACE_SUFFIX "'.\n");
    return 2;
}

static bool min_parse(MinArgs *a, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (g_str_has_prefix(s, "--target=")) {
            a->target = s + 9;
        } else if (g_str_has_prefix(s, "--token=")) {
            a->token = s + 8;
        } else if (g_str_has_prefix(s, "--timeout-ms=")) {
            a->timeout_ms = atoi(s + 13);
        } else if (g_str_has_prefix(s, "--max-seconds=")) {
            a->max_seconds = atof(s + 14);
        } else if (s[0] == '-' && s[1]) {
            return false;
        } else if (!a->in) {
            a->in = s;
        } else if (!a->out) {
            a->out = s;
        } else {
            return false;
        }
    }
    return a->in && a->out && a->timeout_ms > 0;
}

/* Where a trace's header is: the start, or a line after a few that the
 * fuzzer printed before it when stderr was taken whole (QEMU's QTEST_LOG=1
 * ... &> FILE: a -netdev user note); NULL for a binary input. */
static const char *min_trace_start(const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    for (int line = 0; p < end && line < MIN_TRACE_NOTES_MAX; line++) {
        if (g_str_has_prefix(p, MIN_TRACE_PREFIX)) {
            return p;
        }
        const char *nl = memchr(p, '\n', end - p);
        p = nl ? nl + 1 : end;
    }
    return NULL;
}

static bool min_setup(const MinArgs *a, Oracle *o, Minimizer *z, const char *text,
                      char **errp)
{
    if (g_str_has_prefix(text, MIN_TRACE_PREFIX)) {
        return min_setup_trace(o, z, text, errp);
    }
    const FuzzTarget *t = a->target ? fuzz_find_target(a->target) : NULL;
    if (!t) {
        *errp = g_strdup_printf("%s: a binary input needs --target=NAME (a known one)",
                                a->in);
        return false;
    }
    static Fuzzer f;
    if (!fuzz_setup(&f, t, errp)) {
        return false;
    }
    fuzz_snapshot(&f);
    o->f = &f;
    return true;
}

static int min_scratch_log(void)
{
    char path[] = "/tmp/emu-minimize-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) {
        unlink(path);
    }
    return fd;
}

static void min_report(const Minimizer *z, size_t in_units, size_t in_bytes, double secs)
{
    GByteArray *out = min_join(z, z->units);
    const Oracle *o = z->o;
    const char *what = z->header ? "lines" : "commands";
    printf("emu-minimize: %zu %s, %zu bytes -> %u %s, %u bytes in %.2f s%s\n", in_units,
           what, in_bytes, z->units->len, what, out->len, secs,
           z->out_of_time ? " (stopped at --max-seconds)" : "");
    printf("emu-minimize: %" PRIu64 " runs: %" PRIu64 " without a crash (%.0f/s), %" PRIu64
           " crashed the same way, %" PRIu64 " otherwise, %" PRIu64 " hung\n",
           o->runs, o->clean_runs,
           o->clean_runs / (o->clean_seconds > 0 ? o->clean_seconds : 1e-9), o->crashes,
           o->other_crashes, o->hangs);
    g_byte_array_free(out, TRUE);
}

static bool min_write_output(const Minimizer *z, const char *path)
{
    GByteArray *out = min_join(z, z->units);
    GError *err = NULL;
    bool ok = g_file_set_contents(path, (const char *)out->data, out->len, &err);
    if (!ok) {
        fprintf(stderr, "emu-minimize: %s\n", err->message);
        g_error_free(err);
    }
    g_byte_array_free(out, TRUE);
    return ok;
}

int main(int argc, char **argv)
{
    MinArgs a = { .timeout_ms = 5000, .max_seconds = 600 };
    if (!min_parse(&a, argc, argv)) {
        return min_usage();
    }
    gchar *text;
    gsize len;
    if (!g_file_get_contents(a.in, &text, &len, NULL) || len > MIN_MAX_INPUT) {
        fprintf(stderr, "emu-minimize: cannot read %s (or larger than 16 MiB)\n", a.in);
        return 2;
    }
    const char *header = min_trace_start(text, len);
    if (header && header != text) {     /* the notes before it go */
        len -= header - text;
        memmove(text, header, len + 1);
    }
    Oracle o = { .timeout_ms = a.timeout_ms, .token = a.token, .log_fd = min_scratch_log() };
    Minimizer z = { .o = &o };
    char *err = NULL;
    signal(SIGPIPE, SIG_IGN);
    if (o.log_fd < 0 || !min_setup(&a, &o, &z, text, &err)) {
        fprintf(stderr, "emu-minimize: %s\n", err ? err : "no scratch file in /tmp");
        return 2;
    }
    double start = min_now();
    z.deadline = start + a.max_seconds;
    z.units = min_split((const uint8_t *)text, len, o.trace_mode);
    size_t in_units = z.units->len;
    if (!min_interesting(&z, z.units)) {
        fprintf(stderr, "emu-minimize: %s does not crash%s\n", a.in,
                a.token ? " with the token in its report" : "");
        return 1;
    }
    printf("emu-minimize: crash: %s%s%s%s\n", o.description, a.token ? " (token '" : "",
           a.token ? a.token : "", a.token ? "')" : "");
    min_loop(&z);
    if (o.pid) {
        close(o.to_worker);
        min_reap(&o, false);
    }
    min_report(&z, in_units, len, min_now() - start);
    return min_write_output(&z, a.out) ? 0 : 2;
}
