/* SPDX-License-Identifier: MIT */
/*
 * bench-empty: a persistent-mode AFL++ harness that does nothing with its
 * input. tools/bench runs it under afl-fuzz for the ceiling of execs/s that
 * AFL++ itself allows on this machine.
 */
#include <stddef.h>
#include <unistd.h>

__AFL_FUZZ_INIT();

int main(void)
{
    __AFL_INIT();
    unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
    volatile unsigned sink = 0;
    while (__AFL_LOOP(100000)) {
        size_t len = __AFL_FUZZ_TESTCASE_LEN;
        if (len > 0 && buf[0] == 'x') {    /* one branch for the map */
            sink++;
        }
    }
    return 0;
}
