/* SPDX-License-Identifier: MIT */
/*
 * emu-minimize's crash oracle: a worker forked from the set-up machine runs
 * candidates (pipe in, one byte out) and resets in-process after each; a
 * candidate that crashes or hangs ends it, and its report, left in a
 * scratch file, is judged against the original crash.
 */
#include "tools/emu-minimize/minimize.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "emu/qtest.h"

#define MIN_LOG_MAX (256u * 1024)

/* All len bytes through read or write, retried on EINTR and short counts;
 * false on an error or end of file. */
static bool min_io_all(int fd, void *buf, size_t len, bool writing)
{
    uint8_t *p = buf;
    while (len) {
        ssize_t n = writing ? write(fd, p, len) : read(fd, p, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        p += n;
        len -= n;
    }
    return true;
}

static bool min_write_all(int fd, const void *buf, size_t len)
{
    return min_io_all(fd, (void *)buf, len, true);
}

static bool min_read_all(int fd, void *buf, size_t len)
{
    return min_io_all(fd, buf, len, false);
}

static void min_run_trace(Oracle *o, char *text, size_t len, GString *reply)
{
    char *line = text, *end = text + len;
    while (line < end) {
        char *nl = memchr(line, '\n', end - line);
        char *stop = nl ? nl : end;
        *stop = '\0';
        if (*line && *line != '#') {
            g_string_truncate(reply, 0);
            qtest_process_line(o->m, line, reply);
        }
        line = stop + 1;
    }
    snapshot_restore(o->snap);
}

/* The worker: runs each candidate, resets, answers one byte; a crash ends
 * it. Its stderr is emptied before each candidate, so after a crash it
 * holds that candidate's report only. */
static _Noreturn void min_worker(Oracle *o, int in, int out)
{
    uint8_t *buf = g_malloc(MIN_MAX_INPUT + 1);
    GString *reply = g_string_new(NULL);
    for (;;) {
        uint32_t len;
        if (!min_read_all(in, &len, sizeof(len)) || len > MIN_MAX_INPUT ||
            !min_read_all(in, buf, len)) {
            _exit(0);
        }
        if (ftruncate(STDERR_FILENO, 0) == 0) {
            lseek(STDERR_FILENO, 0, SEEK_SET);
        }
        if (o->trace_mode) {
            min_run_trace(o, (char *)buf, len, reply);
        } else {
            fuzz_run(o->f, buf, len);
            fuzz_restore(o->f);
        }
        char ok = 'k';
        if (!min_write_all(out, &ok, 1)) {
            _exit(0);
        }
    }
}

static bool min_spawn(Oracle *o)
{
    int in[2], out[2];
    if (pipe(in) < 0 || pipe(out) < 0) {
        perror("emu-minimize: pipe");
        return false;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("emu-minimize: fork");
        return false;
    }
    if (pid == 0) {
        close(in[1]);
        close(out[0]);
        dup2(o->log_fd, STDERR_FILENO);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        min_worker(o, in[0], out[1]);
    }
    close(in[0]);
    close(out[1]);
    o->pid = pid;
    o->to_worker = in[1];
    o->from_worker = out[0];
    return true;
}

/* Waits for the worker's answer; false if it died or timed out. */
static bool min_wait_answer(Oracle *o, bool *timed_out)
{
    struct pollfd p = { .fd = o->from_worker, .events = POLLIN };
    *timed_out = false;
    int r;
    do {
        r = poll(&p, 1, (int)o->timeout_ms);
    } while (r < 0 && errno == EINTR);
    if (r == 0) {
        *timed_out = true;
        return false;
    }
    char c;
    return read(o->from_worker, &c, 1) == 1;
}

/* The worker is gone: reap it; its report is left in the log file. */
int min_reap(Oracle *o, bool kill_it)
{
    int status = 0;
    if (kill_it) {
        kill(o->pid, SIGKILL);
    }
    waitpid(o->pid, &status, 0);
    close(o->to_worker);
    close(o->from_worker);
    o->pid = 0;
    return status;
}

static char *min_read_log(const Oracle *o)
{
    char *log = g_malloc(MIN_LOG_MAX + 1);
    ssize_t n = pread(o->log_fd, log, MIN_LOG_MAX, 0);
    log[n > 0 ? n : 0] = '\0';
    return log;
}

static Verdict min_judge(Oracle *o, int status)
{
    if (!WIFSIGNALED(status) && WEXITSTATUS(status) == 0) {
        return V_NO_CRASH;
    }
    char *log = min_read_log(o);
    Verdict v;
    if (!o->have_identity) {
        min_learn_identity(o, log, status);
        v = !o->token || min_report_has_token(o, log) ? V_SAME : V_OTHER;
    } else if (o->token) {
        v = min_report_has_token(o, log) ? V_SAME : V_OTHER;
    } else {
        v = min_same_crash(o, log) ? V_SAME : V_OTHER;
    }
    g_free(log);
    return v;
}

Verdict min_run(Oracle *o, const uint8_t *data, size_t len)
{
    if (!o->pid && !min_spawn(o)) {
        exit(2);
    }
    double t0 = min_now();
    o->runs++;
    uint32_t n = (uint32_t)len;
    bool timed_out = false;
    if (min_write_all(o->to_worker, &n, sizeof(n)) &&
        min_write_all(o->to_worker, data, len) && min_wait_answer(o, &timed_out)) {
        o->clean_runs++;
        o->clean_seconds += min_now() - t0;
        return V_NO_CRASH;
    }
    int status = min_reap(o, timed_out);
    if (timed_out) {
        o->hangs++;
        return V_HANG;
    }
    Verdict v = min_judge(o, status);
    o->crashes += v == V_SAME;
    o->other_crashes += v == V_OTHER;
    return v;
}

double min_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}
