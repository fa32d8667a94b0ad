/* SPDX-License-Identifier: MIT */
/*
 * The environment variables of QEMU's fuzzing document, for every fuzzing
 * binary (emu-afl, emu-libfuzzer): QTEST_LOG=1 and FUZZ_SERIALIZE_QTEST=1
 * turn on our trace on stderr as EMU_TRACE=1 does (it always holds the DMA
 * fills as writes, which is what QEMU's serialising adds), and
 * QEMU_FUZZ_TIMEOUT, QEMU's limit on one input in microseconds, is
 * honoured by a runner that can (an interval timer) or answered with one
 * line naming what limits an input there.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "harness/fuzz.h"

static bool fuzz_env_on(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

const char *fuzz_env_trace_variable(void)
{
    static const char *const names[] = { "EMU_TRACE", "QTEST_LOG", "FUZZ_SERIALIZE_QTEST" };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        if (fuzz_env_on(names[i])) {
            return names[i];
        }
    }
    return NULL;
}

void fuzz_env_trace(Fuzzer *f)
{
    if (!f->trace && fuzz_env_trace_variable()) {
        fuzz_set_trace(f, stderr, NULL);
    }
}

bool fuzz_env_timeout(const char *prog, const char *instead, uint64_t *us)
{
    const char *v = getenv("QEMU_FUZZ_TIMEOUT");
    char *end;

    *us = 0;
    if (!v || !*v) {
        return true;
    }
    errno = 0;
    unsigned long long n = strtoull(v, &end, 0);
    if (errno || *end || *v == '-') {
        fprintf(stderr, "%s: QEMU_FUZZ_TIMEOUT=%s: not a number of "
                "microseconds (0: no limit)\n", prog, v);
        return false;
    }
    if (n && instead) {
        fprintf(stderr, "%s: QEMU_FUZZ_TIMEOUT is not used here: %s limits "
                "each input\n", prog, instead);
        return true;
    }
    *us = n;
    return true;
}

/* The timer's state: one per process, as the signal is. */
static Fuzzer *fuzz_timeout_fuzzer;
static char fuzz_timeout_msg[256];

static void fuzz_timeout_expired(int sig)
{
    Fuzzer *f = fuzz_timeout_fuzzer;
    if (f && f->trace) {
        fprintf(f->trace, "# timeout (QEMU_FUZZ_TIMEOUT)\n");
        fflush(f->trace);
    }
    ssize_t n = write(STDERR_FILENO, fuzz_timeout_msg, strlen(fuzz_timeout_msg));
    (void)n;
    _exit(0);
}

void fuzz_timeout_start(Fuzzer *f, uint64_t us, const char *prog, const char *input)
{
    if (!us) {
        return;
    }
    snprintf(fuzz_timeout_msg, sizeof(fuzz_timeout_msg),
             "%s: %s: stopped after QEMU_FUZZ_TIMEOUT=%" PRIu64 " microseconds "
             "(dropped, as QEMU's fork mode does)\n", prog, input, us);
    fuzz_timeout_fuzzer = f;
    signal(SIGALRM, fuzz_timeout_expired);
    struct itimerval it = {
        .it_value = { .tv_sec = us / 1000000, .tv_usec = us % 1000000 },
    };
    setitimer(ITIMER_REAL, &it, NULL);
}

void fuzz_timeout_stop(void)
{
    struct itimerval it = { { 0, 0 }, { 0, 0 } };
    if (fuzz_timeout_fuzzer) {
        setitimer(ITIMER_REAL, &it, NULL);
        fuzz_timeout_fuzzer = NULL;
    }
}
