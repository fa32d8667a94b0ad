/* SPDX-License-Identifier: MIT */
/* guest_error and emu_bug; see log.h. */
#include "emu/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Logging configuration is process-wide host state, not guest state: it is
 * the one thing in emu/ that lives at file scope.
 */
int log_guest_enabled_ = -1;
unsigned long log_guest_count_;
static LogRefusalHook log_refusal_hook;
static void *log_refusal_opaque;

void log_set_guest_errors(bool on)
{
    log_guest_enabled_ = on;
}

static bool log_guest_on(void)
{
    if (log_guest_enabled_ < 0) {
        const char *env = getenv("EMU_LOG");
        log_guest_enabled_ = env && strstr(env, "guest_errors") != NULL;
    }
    return log_guest_enabled_;
}

/* EMU_LOG is read before main: were it read at the first guest error, the
 * fuzzer's first input to log one would take another branch of guest_error
 * than every later input (restore mode's persistent process), and AFL++
 * would count the edge as unstable. */
__attribute__((constructor)) static void log_read_env(void)
{
    log_guest_on();
}

unsigned long log_guest_error_count(void)
{
    return log_guest_count_;
}

static void guest_error_v(const char *fmt, va_list ap)
{
    log_guest_count_++;
    if (!log_guest_on()) {
        return;
    }
    fputs("guest error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void guest_error_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    guest_error_v(fmt, ap);
    va_end(ap);
}

void log_set_refusal_hook(LogRefusalHook hook, void *opaque)
{
    log_refusal_hook = hook;
    log_refusal_opaque = opaque;
}

void guest_refusal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    guest_error_v(fmt, ap);
    va_end(ap);
    if (log_refusal_hook) {
        char msg[256];
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        log_refusal_hook(log_refusal_opaque, msg);
    }
}

void emu_bug_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "emu bug at %s:%d: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}
