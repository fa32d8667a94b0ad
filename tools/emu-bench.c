/* SPDX-License-Identifier: MIT */
/*
 * emu-bench: the in-process rate of the harness alone (no AFL++): the
 * target's seeds run round robin for a fixed time with a reset after each,
 * timing every reset. Prints one JSON object (with restore: the snapshot's
 * size and the state bytes copied back per input).
 *
 *   emu-bench TARGET SECONDS RESET(restore|reboot) SEED...
 *
 * With --each instead of SECONDS: every FILE once after another, three
 * times, timing each input with its reset (restore); prints the slowest
 * (by its median time) and the mean. tools/bench runs it over the corpus
 * of each afl-fuzz run: AFL++ 4.04c's slowest_exec_ms stays 0 in
 * persistent mode, whatever the inputs cost.
 *
 *   emu-bench TARGET --each restore|reboot FILE...
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/fuzz.h"

#define BENCH_MAX_SAMPLES (1u << 22)

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* One input and its reset, in ns. */
static uint64_t bench_one(Fuzzer *f, bool restore, const uint8_t *d, size_t len)
{
    uint64_t t0 = now_ns();
    fuzz_run(f, d, len);
    if (restore) {
        fuzz_restore(f);
    } else {
        fuzz_reboot(f);
    }
    return now_ns() - t0;
}

/* --each: the slowest input of files[] by its median of three runs. */
static int bench_each(Fuzzer *f, bool restore, char **files, int nfiles)
{
    uint64_t slowest = 0, total = 0;
    int slowest_i = -1;
    for (int i = 0; i < nfiles; i++) {
        gchar *data;
        gsize len;
        if (!g_file_get_contents(files[i], &data, &len, NULL)) {
            fprintf(stderr, "emu-bench: cannot read %s\n", files[i]);
            return 2;
        }
        uint64_t ns[3];
        for (int k = 0; k < 3; k++) {
            ns[k] = bench_one(f, restore, (const uint8_t *)data, len);
        }
        qsort(ns, 3, sizeof(ns[0]), cmp_u64);
        total += ns[1];
        if (ns[1] > slowest) {
            slowest = ns[1];
            slowest_i = i;
        }
        g_free(data);
    }
    printf("{\"inputs\": %d, \"slowest_us\": %.1f, \"slowest_file\": \"%s\", "
           "\"mean_us\": %.1f}\n", nfiles, slowest / 1e3,
           slowest_i >= 0 ? files[slowest_i] : "", nfiles ? total / 1e3 / nfiles : 0.0);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: emu-bench TARGET SECONDS|--each restore|reboot FILE...\n");
        return 2;
    }
    static Fuzzer f;
    char *err = NULL;
    const FuzzTarget *t = fuzz_find_target(argv[1]);
    if (!t || !fuzz_setup(&f, t, &err)) {
        fprintf(stderr, "emu-bench: %s\n", t ? err : "unknown target");
        return 2;
    }
    bool restore = strcmp(argv[3], "restore") == 0;
    if (strcmp(argv[2], "--each") == 0) {
        if (restore) {
            fuzz_snapshot(&f);
        }
        return bench_each(&f, restore, argv + 4, argc - 4);
    }
    double seconds = atof(argv[2]);
    int nseeds = argc - 4;
    GBytes **seeds = g_new(GBytes *, nseeds);
    for (int i = 0; i < nseeds; i++) {
        gchar *data;
        gsize len;
        if (!g_file_get_contents(argv[4 + i], &data, &len, NULL)) {
            fprintf(stderr, "emu-bench: cannot read %s\n", argv[4 + i]);
            return 2;
        }
        seeds[i] = g_bytes_new_take(data, len);
    }
    if (restore) {
        fuzz_snapshot(&f);
    }
    uint32_t *reset_ns = g_new(uint32_t, BENCH_MAX_SAMPLES);
    uint32_t *clean_ns = g_new(uint32_t, BENCH_MAX_SAMPLES);
    uint64_t runs = 0, pages = 0, clean = 0;
    uint64_t start = now_ns(), end = start + (uint64_t)(seconds * 1e9);
    while (now_ns() < end) {
        for (int i = 0; i < nseeds; i++) {
            gsize len;
            const uint8_t *d = g_bytes_get_data(seeds[i], &len);
            fuzz_run(&f, d, len);
            uint64_t t0 = now_ns();
            size_t p = restore ? fuzz_restore(&f) : (fuzz_reboot(&f), 0);
            uint32_t dt = (uint32_t)MIN(now_ns() - t0, UINT32_MAX);
            if (runs < BENCH_MAX_SAMPLES) {
                reset_ns[runs] = dt;
            }
            if (p == 0 && clean < BENCH_MAX_SAMPLES) {
                clean_ns[clean++] = dt;
            }
            pages += p;
            runs++;
        }
    }
    double elapsed = (now_ns() - start) / 1e9;
    uint64_t n = MIN(runs, BENCH_MAX_SAMPLES);
    qsort(reset_ns, n, sizeof(uint32_t), cmp_u32);
    qsort(clean_ns, clean, sizeof(uint32_t), cmp_u32);
    printf("{\"target\": \"%s\", \"reset\": \"%s\", \"inputs\": %" PRIu64
           ", \"seconds\": %.3f, \"inputs_per_s\": %.0f, \"reset_p50_ns\": %u"
           ", \"reset_p99_ns\": %u, \"clean_reset_p50_ns\": %u"
           ", \"dirty_pages_per_input\": %.3f, \"state_bytes\": %zu"
           ", \"bytes_restored_per_input\": %.0f}\n",
           t->name, argv[3], runs, elapsed, runs / elapsed, reset_ns[n / 2],
           reset_ns[n * 99 / 100], clean ? clean_ns[clean / 2] : 0,
           (double)pages / (runs ? runs : 1),
           restore ? snapshot_stats(f.snapshot)->state_bytes : 0,
           restore ? (double)snapshot_stats(f.snapshot)->bytes_restored / (runs ? runs : 1)
                   : 0.0);
    return 0;
}
