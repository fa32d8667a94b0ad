/* SPDX-License-Identifier: MIT */
/*
 * emu-afl's own fork server, for the persistent modes (restore, reboot).
 *
 * AFL++'s fork server stands between afl-fuzz and the persistent child: at
 * each input afl-fuzz wakes it, it wakes the child with SIGCONT, the child
 * stops itself with SIGSTOP, and the fork server reports that back. Four
 * process switches and two signals per input: on a small machine that was
 * three quarters of an input's time (docs/STATUS.md, tools/bench).
 *
 * This one speaks the same protocol on afl-fuzz's two pipes (the hello
 * with the map size and the test case in shared memory; then per input a
 * 4-byte request, the child's pid, the 4-byte wait status), but the child
 * answers afl-fuzz itself: request, pid and status pass between afl-fuzz
 * and the child only. The fork server sleeps in waitpid. When the child
 * dies during an input (a crash, or afl-fuzz's SIGKILL at its timeout) it
 * sends the wait status, and it forks the next child at the next request.
 * A child killed between two inputs (its status went out just as
 * afl-fuzz's timeout struck) has already answered, and the fork server
 * says nothing, as AFL++'s own says nothing for a stopped child killed at
 * that moment. (A kill landing in the few instructions between the child
 * marking an input answered and its write would leave afl-fuzz waiting;
 * it needs an input to end within nanoseconds of afl-fuzz's timeout.)
 */
#ifndef EMU_AFL_FORKSERVER_H
#define EMU_AFL_FORKSERVER_H

#include <stdbool.h>

/*
 * Outside afl-fuzz (its pipes are not open), or with
 * EMU_AFL_FORKSERVER=afl++ (AFL++'s own fork server, from __AFL_INIT):
 * false at once, nothing done.
 * Under it: the hello, then the fork server's loop, which never returns;
 * true in each child it forks, which runs the first input at once.
 */
bool afl_fs_start(void);

/*
 * In the child, after an input: its status to afl-fuzz, then the wait for
 * the next request; returns when there is one. Ends the child when
 * afl-fuzz has gone, and after `max_inputs` inputs, so that the next child
 * starts afresh from the fork server's copy.
 */
void afl_fs_next(unsigned max_inputs);

#endif
