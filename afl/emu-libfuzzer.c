/* SPDX-License-Identifier: MIT */
/*
 * emu-libfuzzer: the harness behind LLVMFuzzerTestOneInput, for libFuzzer
 * (clang -fsanitize=fuzzer) and for AFL++'s libFuzzer driver. The target
 * comes from --fuzz-target=NAME or from the program name
 * emu-libfuzzer-NAME. Our options start with "--", which libFuzzer leaves
 * alone; its own take one dash (-runs=N, -max_len=N, -help=1) and pass
 * through. --list-regions (--json), --info-mtree and --info-qom-tree print
 * as emu-afl's do and exit; with -runs=0 the matched regions print at
 * set-up, as QEMU's generic-fuzz does. Between inputs: snapshot restore.
 *
 * Built with afl-clang-fast, the main() is AFL++'s libFuzzer driver, which
 * reads argv after LLVMFuzzerInitialize (FILE..., -N, "-") and knows no
 * "--" option: ours are taken out of argv for it. libFuzzer keeps them:
 * the workers of its -jobs and -fork get the same argv.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/fuzz.h"

#ifdef __AFL_COMPILER
#define LIBFUZZER_AFL_DRIVER 1
#else
#define LIBFUZZER_AFL_DRIVER 0
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer's entry points leave no other place for it. */
static Fuzzer libfuzzer_state;

typedef struct LibfuzzerOptions {
    const char *target;
    FuzzInfo info;
    bool runs0;         /* -runs=0: print the matches at set-up */
    bool engine_help;   /* -help=1: libFuzzer prints its flags */
} LibfuzzerOptions;

static void libfuzzer_usage(FILE *out)
{
    if (LIBFUZZER_AFL_DRIVER) {
        fprintf(out, "usage: emu-libfuzzer --fuzz-target=TARGET [FILE...|-]\n"
                     "  (AFL++'s libFuzzer driver: afl-fuzz runs it; outside afl-fuzz it\n"
                     "  runs each FILE, or stdin; no libFuzzer flags)\n");
    } else {
        fprintf(out, "usage: emu-libfuzzer --fuzz-target=TARGET [libFuzzer flags] "
                     "[CORPUS_DIR|FILE...]\n");
    }
    fprintf(out,
            "  --fuzz-target=NAME   the target (or run as emu-libfuzzer-NAME)\n"
            "  --list-regions       print the matched regions and PCI functions, exit\n"
            "                       (with --json: as one JSON object, for scripts)\n"
            "  --info-mtree, --info-qom-tree   print the machine's trees, exit (also\n"
            "                       when the objects match nothing: they hold the names)\n"
            "  --help               this text\n"
            "%s"
            "Environment: EMU_FUZZ_ARGS, EMU_FUZZ_OBJECTS (or QEMU_FUZZ_*) for\n"
            "generic-fuzz; EMU_TRACE=1, or QEMU's QTEST_LOG=1 or FUZZ_SERIALIZE_QTEST=1\n"
            "(every op as qtest text on stderr); QEMU_FUZZ_TIMEOUT: use -timeout=S;\n"
            "EMU_DMA_BUDGET=BYTES, EMU_SNAPSHOT_VERIFY=N, as for emu-afl.\n"
            "targets:\n",
            LIBFUZZER_AFL_DRIVER ? "" :
            "libFuzzer's own flags take one dash (-help=1 lists them); with -runs=0\n"
            "the matched regions print at set-up.\n");
    for (const FuzzTarget *p = fuzz_targets; p->name; p++) {
        fprintf(out, "  %-24s %s\n", p->name, p->desc);
    }
}

/* libFuzzer's -NAME=VALUE flag with a numeric value of zero. */
static bool libfuzzer_flag_zero(const char *arg, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0 || arg[n] != '=' || !arg[n + 1]) {
        return false;
    }
    char *end;
    long v = strtol(arg + n + 1, &end, 10);
    return *end == '\0' && v == 0;
}

/* Returns -1 to go on, else the exit status. */
static int libfuzzer_parse(LibfuzzerOptions *o, int argc, char **argv)
{
    const char *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    if (g_str_has_prefix(base, "emu-libfuzzer-")) {
        o->target = base + strlen("emu-libfuzzer-");
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (g_str_has_prefix(a, "--fuzz-target=")) {
            o->target = a + strlen("--fuzz-target=");
        } else if (fuzz_info_flag(&o->info, a)) {
            continue;
        } else if (strcmp(a, "--help") == 0) {
            libfuzzer_usage(stdout);
            return 0;
        } else if (g_str_has_prefix(a, "--")) {
            fprintf(stderr, "emu-libfuzzer: %s: unknown option (--help lists ours; "
                            "libFuzzer's take one dash, -help=1 lists them)\n", a);
            return 1;
        } else if (g_str_has_prefix(a, "-runs=")) {     /* the last one counts */
            o->runs0 = libfuzzer_flag_zero(a, "-runs");
        } else if (g_str_has_prefix(a, "-help=")) {
            o->engine_help = !LIBFUZZER_AFL_DRIVER && !libfuzzer_flag_zero(a, "-help");
        }
    }
    return -1;
}

static int libfuzzer_setup(const LibfuzzerOptions *o)
{
    const FuzzTarget *t = o->target ? fuzz_find_target(o->target) : NULL;
    if (!t) {
        fprintf(stderr, "emu-libfuzzer: %s (--help for options)\n",
                o->target ? "unknown target" : "give --fuzz-target=NAME");
        libfuzzer_usage(stderr);
        return 1;
    }
    char *err = NULL;
    bool ok = fuzz_setup(&libfuzzer_state, t, &err);
    if (!ok) {
        fprintf(stderr, "emu-libfuzzer: %s\n", err);
        g_free(err);
    }
    if (fuzz_info_wanted(&o->info)) {
        return fuzz_print_info(&libfuzzer_state, &o->info, ok, stdout) ? 0 : 1;
    }
    if (!ok) {
        return 1;
    }
    if (o->runs0) {
        fuzz_print_matches(&libfuzzer_state, stdout);
        fflush(stdout);
    }
    return -1;
}

/* Takes our "--" options out of argv (for AFL++'s driver). */
static void libfuzzer_drop_own_options(int *argc, char **argv)
{
    int n = 1;
    for (int i = 1; i < *argc; i++) {
        if (!g_str_has_prefix(argv[i], "--")) {
            argv[n++] = argv[i];
        }
    }
    argv[n] = NULL;
    *argc = n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    LibfuzzerOptions o = { 0 };
    int status = libfuzzer_parse(&o, *argc, *argv);
    if (status < 0 && o.engine_help && !fuzz_info_wanted(&o.info)) {
        return 0;       /* libFuzzer prints its help and exits: no set-up */
    }
    if (status < 0) {
        status = libfuzzer_setup(&o);
    }
    if (status >= 0) {
        exit(status);
    }
    /* EMU_TRACE, QTEST_LOG, FUZZ_SERIALIZE_QTEST; QEMU_FUZZ_TIMEOUT is
     * libFuzzer's -timeout here (one line says so). */
    fuzz_env_trace(&libfuzzer_state);
    uint64_t timeout_us;
    if (!fuzz_env_timeout("emu-libfuzzer", "libFuzzer's -timeout=SECONDS", &timeout_us)) {
        exit(1);
    }
    fuzz_snapshot(&libfuzzer_state);
    if (LIBFUZZER_AFL_DRIVER) {
        libfuzzer_drop_own_options(argc, *argv);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!libfuzzer_state.m) {
        return 0;       /* -help=1: never set up */
    }
    fuzz_run(&libfuzzer_state, data, size);
    fuzz_restore(&libfuzzer_state);
    return 0;
}
