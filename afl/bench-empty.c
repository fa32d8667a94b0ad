/* SPDX-License-Identifier: MIT */
/*
 * bench-empty: a persistent-mode AFL++ harness that does nothing with its
 * input. tools/bench runs it under afl-fuzz for the ceiling of execs/s that
 * AFL++ itself allows on this machine, through the fork server emu-afl's
 * persistent modes use (afl/forkserver.h; AFL++'s own with
 * EMU_AFL_FORKSERVER=afl++).
 */
#include <stddef.h>
#include <unistd.h>

#include "afl/forkserver.h"

__AFL_FUZZ_INIT();

static void bench_one(const unsigned char *buf, size_t len)
{
    static volatile unsigned sink;
    if (len > 0 && buf[0] == 'x') {    /* one branch for the map */
        sink++;
    }
}

int main(void)
{
    if (afl_fs_start()) {
        unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
        for (;;) {
            bench_one(buf, __AFL_FUZZ_TESTCASE_LEN);
            afl_fs_next(100000);
        }
    }
    __AFL_INIT();
    unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(100000)) {
        bench_one(buf, __AFL_FUZZ_TESTCASE_LEN);
    }
    return 0;
}
