/* SPDX-License-Identifier: MIT */
/*
 * emu-libfuzzer: the harness behind LLVMFuzzerTestOneInput, for libFuzzer
 * (clang -fsanitize=fuzzer) and for AFL++'s libFuzzer driver. The target
 * comes from --fuzz-target=NAME (libFuzzer leaves "--" flags alone) or from
 * the program name emu-libfuzzer-NAME. Between inputs: snapshot restore.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer's entry points leave no other place for it. */
static Fuzzer libfuzzer_state;

static const char *libfuzzer_target(int argc, char **argv)
{
    const char *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    const char *name = g_str_has_prefix(base, "emu-libfuzzer-") ?
                       base + strlen("emu-libfuzzer-") : NULL;
    for (int i = 1; i < argc; i++) {
        if (g_str_has_prefix(argv[i], "--fuzz-target=")) {
            name = argv[i] + strlen("--fuzz-target=");
        }
    }
    return name;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *name = libfuzzer_target(*argc, *argv);
    const FuzzTarget *t = name ? fuzz_find_target(name) : NULL;
    char *err = NULL;
    if (!t) {
        fprintf(stderr, "emu-libfuzzer: %s; targets:\n",
                name ? "unknown target" : "give --fuzz-target=NAME");
        for (const FuzzTarget *p = fuzz_targets; p->name; p++) {
            fprintf(stderr, "  %-24s %s\n", p->name, p->desc);
        }
        exit(1);
    }
    if (!fuzz_setup(&libfuzzer_state, t, &err)) {
        fprintf(stderr, "emu-libfuzzer: %s\n", err);
        exit(1);
    }
    const char *trace = getenv("EMU_TRACE");
    if (trace && *trace && strcmp(trace, "0") != 0) {
        fuzz_set_trace(&libfuzzer_state, stderr, NULL);
    }
    fuzz_snapshot(&libfuzzer_state);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_run(&libfuzzer_state, data, size);
    fuzz_restore(&libfuzzer_state);
    return 0;
}
