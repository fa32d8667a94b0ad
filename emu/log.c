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
static int log_guest_enabled = -1;
static unsigned long log_guest_count;

void log_set_guest_errors(bool on)
{
    log_guest_enabled = on;
}

static bool log_guest_on(void)
{
    if (log_guest_enabled < 0) {
        const char *env = getenv("EMU_LOG");
        log_guest_enabled = env && strstr(env, "guest_errors") != NULL;
    }
    return log_guest_enabled;
}

unsigned long log_guest_error_count(void)
{
    return log_guest_count;
}

void guest_error(const char *fmt, ...)
{
    log_guest_count++;
    if (!log_guest_on()) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    fputs("guest error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
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
