/* SPDX-License-Identifier: MIT */
/*
 * emu-afl: the AFL++ binary. Sets the target's machine up once, then runs
 * inputs: from AFL++'s shared memory in persistent mode, or from FILE (@@),
 * or standalone from FILE. Between inputs the machine is reset by the mode
 * --reset picks: "restore" (the in-process snapshot, the default), "fork"
 * (each input in a fresh child of the fork server) or "reboot" (device
 * reset and PCI set-up in the same process, as QEMU does).
 *
 * Outside afl-fuzz it also runs several FILEs (or every file of a folder) in
 * one process, restoring the snapshot between them (tools/coverage), and
 * with --trace it writes the line of an op that crashes before dying, so
 * that the trace of a crash ends with the crashing op (tools/reproduce).
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "afl/forkserver.h"
#include "harness/fuzz.h"

#ifndef __AFL_FUZZ_TESTCASE_LEN
/* Built without afl-clang-fast: a plain runner of FILE arguments. */
#define EMU_AFL_INSTRUMENTED 0
#define __AFL_FUZZ_INIT()
#define __AFL_INIT() do { } while (0)
#define __AFL_LOOP(n) emu_afl_loop_once()
#define __AFL_FUZZ_TESTCASE_BUF ((unsigned char *)NULL)
#define __AFL_FUZZ_TESTCASE_LEN 0
#define EMU_AFL_SHM_INPUT() false
static int emu_afl_loop_once(void)
{
    static int done;
    return done++ == 0;
}
#else
#define EMU_AFL_INSTRUMENTED 1
/* AFL++ hands the test case over in shared memory when the binary supports
 * it, even with @@ (it then stops writing the file). */
#define EMU_AFL_SHM_INPUT() (__afl_fuzz_ptr != NULL)
#endif

__AFL_FUZZ_INIT();

#define EMU_AFL_MAX_INPUT FUZZ_MAX_INPUT
#define EMU_AFL_PERSIST_ITERS 100000

typedef enum ResetMode { RESET_RESTORE, RESET_FORK, RESET_REBOOT } ResetMode;

typedef struct AflOptions {
    const char *target;
    ResetMode reset;
    FuzzInfo info;          /* --list-regions, --info-mtree, ... */
    const char *trace;
    const char *replies;
    const char *file;       /* the first FILE */
    uint64_t timeout_us;    /* QEMU_FUZZ_TIMEOUT outside afl-fuzz, or 0 */
    char **files;           /* every FILE or folder given (argv entries) */
    int nr_files;
} AflOptions;

/* The traced fuzzer, for the crash handlers (process-wide host state). */
static Fuzzer *afl_traced;

/* Sanitizer runtimes call this before they end the process. */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static void afl_list_targets(FILE *out)
{
    fprintf(out, "usage: emu-afl --fuzz-target=TARGET [--reset=restore|fork|reboot] [FILE]\n"
                 "targets:\n");
    for (const FuzzTarget *t = fuzz_targets; t->name; t++) {
        fprintf(out, "  %-24s %s\n", t->name, t->desc);
    }
}

static void afl_usage(void)
{
    afl_list_targets(stdout);
    printf("options:\n"
           "  --fuzz-target=NAME   the target (or run as emu-afl-NAME)\n"
           "  --reset=MODE         restore (default): the snapshot taken after\n"
           "                       set-up is restored in-process after each input;\n"
           "                       fork: a fresh child of the fork server per input;\n"
           "                       reboot: device reset only (QEMU's way; leaks state)\n"
           "  --list-regions       print the matched regions and PCI functions, exit\n"
           "                       (with --json: as one JSON object, for scripts)\n"
           "  --info-mtree, --info-qom-tree   print the machine's trees, exit (also\n"
           "                       when the objects match nothing: they hold the names)\n"
           "  --trace FILE         write every op as qtest text (EMU_TRACE=1: stderr)\n"
           "  --trace-replies FILE with --trace: the reply emu-system must give to\n"
           "                       each trace line when it replays the trace\n"
           "  FILE                 the input (afl-fuzz's @@); without it, AFL++'s\n"
           "                       shared memory or stdin\n"
           "  FILE|DIR...          outside afl-fuzz: several inputs (every file of a\n"
           "                       folder), one process, the machine reset between\n"
           "environment: EMU_FUZZ_ARGS, EMU_FUZZ_OBJECTS (or QEMU_FUZZ_*) for\n"
           "generic-fuzz; EMU_TRACE=1 (QEMU's QTEST_LOG=1 and\n"
           "FUZZ_SERIALIZE_QTEST=1 alike: the trace on stderr, DMA fills as\n"
           "writes); QEMU_FUZZ_TIMEOUT=MICROSECONDS: outside afl-fuzz, an input\n"
           "running longer is dropped as in QEMU's fork mode (a line on stderr,\n"
           "status 0; 0 or unset: no limit; under afl-fuzz its -t does this);\n"
           "EMU_SNAPSHOT_VERIFY=N (before one restore in\n"
           "N, default 1000, 1: all, 0: none, abort if an object changed without\n"
           "being touched: a leak, named on stderr and appended to the file\n"
           "EMU_SNAPSHOT_REPORT, where tools/fuzz looks for it);\n"
           "EMU_DMA_BUDGET=BYTES (K, M, G suffixes): what all device DMA of one\n"
           "input may move, past which a transfer fails like a bus error (default\n"
           "%llu, or the target's own; -dma-budget in EMU_FUZZ_ARGS wins; a\n"
           "budget that is not the default shows in the trace's command line);\n"
           "EMU_AFL_FORKSERVER=emufuzz|afl++: under afl-fuzz, restore and reboot\n"
           "run under emu-afl's fork server (the default: the child answers\n"
           "afl-fuzz itself, no signals) or AFL++'s (SIGSTOP/SIGCONT per input).\n",
           (unsigned long long)DMA_BUDGET_DEFAULT);
}

static int afl_fail(const char *fmt, const char *arg)
{
    fputs("emu-afl: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return 1;
}

/* Returns -1 to go on, else the exit status. */
static int afl_parse(AflOptions *o, int argc, char **argv)
{
    const char *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    if (g_str_has_prefix(base, "emu-afl-")) {
        o->target = base + strlen("emu-afl-");
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (g_str_has_prefix(a, "--fuzz-target=")) {
            o->target = a + strlen("--fuzz-target=");
        } else if (strcmp(a, "--fuzz-target") == 0 && i + 1 < argc) {
            o->target = argv[++i];
        } else if (strcmp(a, "--reset=restore") == 0) {
            o->reset = RESET_RESTORE;
        } else if (strcmp(a, "--reset=fork") == 0) {
            o->reset = RESET_FORK;
        } else if (strcmp(a, "--reset=reboot") == 0) {
            o->reset = RESET_REBOOT;
        } else if (fuzz_info_flag(&o->info, a)) {
            continue;
        } else if (strcmp(a, "--trace") == 0 && i + 1 < argc) {
            o->trace = argv[++i];
        } else if (strcmp(a, "--trace-replies") == 0 && i + 1 < argc) {
            o->replies = argv[++i];
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            afl_usage();
            return 0;
        } else if (a[0] == '-' && a[1]) {
            return afl_fail("%s: unknown option (try --help)", a);
        } else {
            o->file = o->file ? o->file : a;
            o->files[o->nr_files++] = argv[i];
        }
    }
    if (!o->target) {
        afl_list_targets(argc > 1 ? stderr : stdout);
        return argc > 1 ? 1 : 0;
    }
    return -1;
}

static size_t afl_read_file(const char *path, uint8_t *buf)
{
    FILE *in = fopen(path, "rb");
    if (!in) {
        fprintf(stderr, "emu-afl: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    size_t n = fread(buf, 1, EMU_AFL_MAX_INPUT, in);
    fclose(in);
    return n;
}

static FILE *afl_open(const char *path)
{
    FILE *out = fopen(path, "w");
    if (!out) {
        fprintf(stderr, "emu-afl: %s: %s\n", path, strerror(errno));
    }
    return out;
}

static void afl_trace_crash(void)
{
    if (afl_traced) {
        fuzz_trace_crash(afl_traced);
    }
}

static void afl_crash_signal(int sig)
{
    afl_trace_crash();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* The trace gets the crashing op's line: from the sanitizer's death
 * callback, or from a signal handler (SIGABRT always: emu_bug; the others
 * only without a sanitizer, which reports them itself). */
static void afl_catch_crashes(Fuzzer *f)
{
    static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };
    afl_traced = f;
    signal(SIGABRT, afl_crash_signal);
    if (__sanitizer_set_death_callback) {
        __sanitizer_set_death_callback(afl_trace_crash);
        return;
    }
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        signal(sigs[i], afl_crash_signal);
    }
}

static bool afl_set_trace(Fuzzer *f, const AflOptions *o)
{
    if (o->trace) {
        FILE *out = afl_open(o->trace);
        FILE *replies = o->replies ? afl_open(o->replies) : NULL;
        if (!out || (o->replies && !replies)) {
            return false;
        }
        fuzz_set_trace(f, out, replies);
    }
    fuzz_env_trace(f);      /* EMU_TRACE, QTEST_LOG, FUZZ_SERIALIZE_QTEST */
    if (f->trace) {
        afl_catch_crashes(f);
    }
    return true;
}

/* Several inputs in one process (outside afl-fuzz). */

static bool afl_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static gint afl_cmp_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of a folder, sorted; names starting with '.' skipped
 * (afl-fuzz's queue/.state). */
static void afl_add_dir(GPtrArray *list, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "emu-afl: %s: %s\n", dir, strerror(errno));
        exit(1);
    }
    GPtrArray *names = g_ptr_array_new();
    for (struct dirent *e; (e = readdir(d));) {
        char *path = g_build_filename(dir, e->d_name, NULL);
        if (e->d_name[0] != '.' && !afl_is_dir(path)) {
            g_ptr_array_add(names, path);
        } else {
            g_free(path);
        }
    }
    closedir(d);
    g_ptr_array_sort(names, afl_cmp_names);
    for (guint i = 0; i < names->len; i++) {
        g_ptr_array_add(list, names->pdata[i]);
    }
    g_ptr_array_free(names, TRUE);
}

static bool afl_batch_mode(const AflOptions *o)
{
    return o->nr_files > 1 || (o->nr_files == 1 && afl_is_dir(o->file));
}

static int afl_run_batch(Fuzzer *f, const AflOptions *o)
{
    if (getenv("__AFL_SHM_ID")) {
        return afl_fail("%s", "several inputs: only outside afl-fuzz");
    }
    if (o->trace) {
        return afl_fail("%s", "--trace FILE follows one input: give one input FILE");
    }
    if (f->trace) {
        return afl_fail("%s=1: the trace follows one input: give one input FILE",
                        fuzz_env_trace_variable());
    }
    GPtrArray *list = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < o->nr_files; i++) {
        if (afl_is_dir(o->files[i])) {
            afl_add_dir(list, o->files[i]);
        } else {
            g_ptr_array_add(list, g_strdup(o->files[i]));
        }
    }
    uint8_t *buf = g_malloc(EMU_AFL_MAX_INPUT);
    if (o->reset != RESET_REBOOT) {
        fuzz_snapshot(f);       /* fork mode too: restore is as good */
    }
    for (guint i = 0; i < list->len; i++) {
        size_t len = afl_read_file(list->pdata[i], buf);
        fuzz_timeout_start(f, o->timeout_us, "emu-afl", list->pdata[i]);
        fuzz_run(f, buf, len);
        fuzz_timeout_stop();
        if (o->reset == RESET_REBOOT) {
            fuzz_reboot(f);
        } else {
            fuzz_restore(f);
        }
    }
    fprintf(stderr, "emu-afl: %u inputs run\n", list->len);
    g_free(buf);
    g_ptr_array_free(list, TRUE);
    return 0;
}

/* One input (FILE, else AFL++'s shared memory or stdin), then the reset
 * of the mode. */
static void afl_run_one(Fuzzer *f, const AflOptions *o, uint8_t *file_buf,
                        unsigned char *shm_buf)
{
    if (o->file && !EMU_AFL_SHM_INPUT()) {
        size_t len = afl_read_file(o->file, file_buf);
        fuzz_timeout_start(f, o->timeout_us, "emu-afl", o->file);
        fuzz_run(f, file_buf, len);
        fuzz_timeout_stop();
    } else {
        size_t len = __AFL_FUZZ_TESTCASE_LEN;
        fuzz_run(f, shm_buf, len);
    }
    if (o->reset == RESET_RESTORE) {
        fuzz_restore(f);
    } else if (o->reset == RESET_REBOOT) {
        fuzz_reboot(f);
    }
}

static int afl_main(AflOptions o, int argc, char **argv)
{
    int status = afl_parse(&o, argc, argv);
    if (status >= 0) {
        return status;
    }
    const char *fs = getenv("EMU_AFL_FORKSERVER");
    if (fs && strcmp(fs, "emufuzz") != 0 && strcmp(fs, "afl++") != 0) {
        return afl_fail("EMU_AFL_FORKSERVER=%s: emufuzz or afl++", fs);
    }
    const FuzzTarget *t = fuzz_find_target(o.target);
    if (!t) {
        afl_list_targets(stderr);
        return afl_fail("unknown target '%s'", o.target);
    }
    static Fuzzer f;
    char *err = NULL;
    bool setup_ok = fuzz_setup(&f, t, &err);
    if (!setup_ok) {
        afl_fail("%s", err);
        g_free(err);
    }
    if (fuzz_info_wanted(&o.info)) {
        /* The trees print even when nothing matched: they have the names. */
        return fuzz_print_info(&f, &o.info, setup_ok, stdout) ? 0 : 1;
    }
    if (!setup_ok) {
        return 1;
    }
    if (!afl_set_trace(&f, &o) ||
        !fuzz_env_timeout("emu-afl", getenv("__AFL_SHM_ID") ? "afl-fuzz's -t MSEC" : NULL,
                          &o.timeout_us)) {
        return 1;
    }
    if (afl_batch_mode(&o)) {
        return afl_run_batch(&f, &o);
    }
    uint8_t *file_buf = o.file ? g_malloc(EMU_AFL_MAX_INPUT) : NULL;
    if (!o.file && !EMU_AFL_INSTRUMENTED) {
        return afl_fail("%s", "no input FILE (this build is not instrumented)");
    }

    if (o.reset == RESET_RESTORE) {
        fuzz_snapshot(&f);
    }
#if EMU_AFL_INSTRUMENTED
    /* The persistent modes under afl-fuzz: our own fork server, the child
     * answering afl-fuzz itself (afl/forkserver.h). */
    if (o.reset != RESET_FORK && afl_fs_start()) {
        unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
        for (;;) {
            afl_run_one(&f, &o, file_buf, buf);
            afl_fs_next(EMU_AFL_PERSIST_ITERS);
        }
    }
#endif
    __AFL_INIT();      /* AFL++'s fork server starts here, after set-up */
    unsigned char *shm_buf = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(o.reset == RESET_FORK ? 1 : EMU_AFL_PERSIST_ITERS)) {
        afl_run_one(&f, &o, file_buf, shm_buf);
    }
    g_free(file_buf);
    return 0;
}

int main(int argc, char **argv)
{
    AflOptions o = { .reset = RESET_RESTORE, .files = g_new0(char *, argc) };
    int status = afl_main(o, argc, argv);
    g_free(o.files);
    return status;
}
