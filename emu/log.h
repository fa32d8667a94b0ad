/* SPDX-License-Identifier: MIT */
/*
 * Logging for the machine core and devices.
 *
 * guest_error(): the guest did something a real device would ignore or
 * flag (bad register, bad descriptor, out-of-range DMA). Never fatal; quiet
 * unless enabled with log_set_guest_errors() or EMU_LOG=guest_errors.
 * emu_bug(): an invariant of the emulator itself is broken. Aborts.
 */
#ifndef EMU_LOG_H
#define EMU_LOG_H

#include <stdbool.h>

/* The planted-bug benchmark's canaries, nothing outside a bench build:
 * here so that a plant in any file that logs needs no include of its own
 * (two plants adding the same include line to one file would collide). */
#include "emu/canary.h"

/*
 * guest_error is a macro: quiet, as under a fuzzer where a device may log
 * on most accesses, it costs a test and a count, and its arguments are not
 * evaluated (they have no side effects; none may). Only on does
 * guest_error_log run.
 */
extern int log_guest_enabled_;          /* 0 or 1 (EMU_LOG, read before main) */
extern unsigned long log_guest_count_;
void guest_error_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define guest_error(...) \
    (log_guest_enabled_ == 0 ? (void)log_guest_count_++ : guest_error_log(__VA_ARGS__))
_Noreturn void emu_bug_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define emu_bug(...) emu_bug_at(__FILE__, __LINE__, __VA_ARGS__)

/*
 * A refusal by the core that changes what an input does (a re-entrant
 * access, a DMA past the input's budget): logged as a guest error and,
 * when a trace is open, written into it as a "# refused: ..." comment line
 * so a reader of the trace sees why an access had no effect.
 */
void guest_refusal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Where refusals go besides the log (the harness's trace writer); NULL: off. */
typedef void (*LogRefusalHook)(void *opaque, const char *msg);
void log_set_refusal_hook(LogRefusalHook hook, void *opaque);

/* Turn guest-error messages on stderr on or off (default: EMU_LOG env). */
void log_set_guest_errors(bool on);
/* Number of guest errors seen since start (for tests). */
unsigned long log_guest_error_count(void);

#endif
