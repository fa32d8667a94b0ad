/* SPDX-License-Identifier: MIT */
/*
 * emu-minimize: shrinks a crashing input while it keeps crashing the same
 * way, on the machine built once (tools/minimize is the front end).
 *
 *   emu-minimize [--target=NAME] [--token=STRING] [--timeout-ms=N]
 *                [--max-seconds=N] INPUT OUTPUT
 *
 * INPUT is a generic-fuzz input (needs --target) or a qtest trace whose
 * first line is "# emu-system ARGS -qtest stdio" (as emu-afl --trace and
 * tools/reproduce write them); the machine comes from the target or from
 * ARGS. The crash oracle: the parent process sets the machine up and never
 * runs an input; a worker forked from it runs candidates one after the
 * other (pipe in, one byte out), resetting the machine in-process after
 * each. A candidate that crashes kills the worker: the parent reads its
 * stderr, compares the crash with the original one, and forks a fresh
 * worker. Identity: the top frame of the program's own in the sanitizer
 * report of the original crash (symbolized once with llvm-symbolizer, for
 * the description), compared by its program counter at the same depth in
 * later reports (workers are forks of one process: same addresses, and no
 * symbolizer run per crash); without a stack, emu_bug's file:line; or with
 * --token, a string the report must contain (QEMU's CRASH_TOKEN).
 *
 * Reductions, repeated until none applies: drop commands (or trace lines)
 * in halving chunks; cut commands to what their op reads; shrink DMA
 * patterns; split wide accesses into bytes and keep the split only if a
 * piece can go; lower values to 0 and clear their bits one at a time.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "emu/cli.h"
#include "emu/qtest.h"
#include "emu/snapshot.h"
#include "harness/fuzz.h"
#include "hw/devices.h"

#define MIN_MAX_INPUT (1u << 24)
#define MIN_MAX_ROUNDS 16
#define MIN_LOG_MAX (256u * 1024)
#define MIN_TRACE_PREFIX "# emu-system "
#define MIN_TRACE_SUFFIX " -qtest stdio"

/* Sanitizer defaults for the worker: die on the first error with a
 * symbolized stack (abort() reported too: emu_bug), no leak check. */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

const char *__asan_default_options(void)
{
    return "abort_on_error=1:handle_abort=1:symbolize=0:detect_leaks=0";
}

const char *__ubsan_default_options(void)
{
    return "print_stacktrace=1:halt_on_error=1:abort_on_error=1:symbolize=0";
}

/* ---- the crash oracle ------------------------------------------------- */

typedef struct Oracle {
    bool trace_mode;
    Fuzzer *f;                  /* binary mode */
    Machine *m;                 /* trace mode */
    Snapshot *snap;
    /* The worker. */
    pid_t pid;
    int to_worker;
    int from_worker;
    int log_fd;                 /* the worker's stderr, a scratch file */
    unsigned timeout_ms;
    /* What counts as the same crash. */
    const char *token;
    bool have_identity;
    int site_depth;             /* the site's frame number, -1: no stack */
    uint64_t site_pc;
    char *site_message;         /* without a stack: emu_bug's FILE:LINE */
    char *description;          /* kind and site, for people */
    /* Statistics. */
    uint64_t runs;
    uint64_t crashes;           /* the same crash */
    uint64_t other_crashes;
    uint64_t hangs;
    uint64_t clean_runs;        /* that did not crash, and their time */
    double clean_seconds;
} Oracle;

static bool min_write_all(int fd, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
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

static bool min_read_all(int fd, void *buf, size_t len)
{
    uint8_t *p = buf;
    while (len) {
        ssize_t n = read(fd, p, len);
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
static int min_reap(Oracle *o, bool kill_it)
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

/* ---- crash identity ----------------------------------------------------- */

typedef struct Frame {
    int depth;
    uint64_t pc;
    char module[512];
    uint64_t offset;
} Frame;

#define MIN_MAX_FRAMES 32

/* The first stack of a report: "    #3 0x55... (/path/module+0x1234)". */
static int min_frames(char **lines, Frame *fr)
{
    int n = 0;
    bool in_stack = false;
    for (int i = 0; lines[i] && n < MIN_MAX_FRAMES; i++) {
        const char *l = lines[i] + strspn(lines[i], " ");
        Frame f = { 0 };
        if (sscanf(l, "#%d 0x%" SCNx64, &f.depth, &f.pc) != 2) {
            if (in_stack) {
                break;                  /* the first stack ended */
            }
            continue;
        }
        in_stack = true;
        const char *paren = strrchr(l, '(');
        if (paren && g_str_has_prefix(paren, "(BuildId")) {
            paren = g_strrstr_len(l, paren - l, "(");
        }
        if (paren) {
            sscanf(paren, "(%511[^+)]+0x%" SCNx64, f.module, &f.offset);
        }
        fr[n++] = f;
    }
    return n;
}

static const char *const min_skip_funcs[] = {
    "abort", "raise", "gsignal", "pthread_kill", "__pthread_kill_implementation",
    "__pthread_kill_internal", "__GI_raise", "__GI_abort", "emu_bug_at", NULL,
};

static bool min_skip_func(const char *func)
{
    for (int i = 0; min_skip_funcs[i]; i++) {
        if (strcmp(func, min_skip_funcs[i]) == 0) {
            return true;
        }
    }
    return g_str_has_prefix(func, "__sanitizer") || g_str_has_prefix(func, "__asan") ||
           g_str_has_prefix(func, "__ubsan") || g_str_has_prefix(func, "__interceptor");
}

/* "/x/build/../hw/a.c:12:5" -> "hw/a.c:12": after the last "../", no column. */
static char *min_norm_location(const char *loc)
{
    const char *up = g_strrstr(loc, "../");
    char *s = g_strdup(up ? up + 3 : loc);
    char *colon = strchr(s, ':');
    if (colon) {
        char *col = strchr(colon + 1, ':');
        if (col) {
            *col = '\0';
        }
    }
    return s;
}

/* "FUNC FILE:LINE" of a frame (the innermost inlined function), or NULL. */
static char *min_symbolize(const Frame *f)
{
    const char *tool = getenv("ASAN_SYMBOLIZER_PATH");
    char *obj = g_strdup_printf("--obj=%s", f->module);
    char *addr = g_strdup_printf("0x%" PRIx64, f->offset - (f->depth > 0));
    char *argv[] = { (char *)(tool && *tool ? tool : "llvm-symbolizer"), obj, addr, NULL };
    char *out = NULL;
    char *result = NULL;
    if (f->module[0] && g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH |
                                     G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                                     NULL, NULL)) {
        char **l = g_strsplit(out, "\n", 3);
        if (l[0] && l[1] && *l[0] && strcmp(l[0], "??") != 0) {
            char *loc = min_norm_location(l[1]);
            result = g_strdup_printf("%s %s", l[0], loc);
            g_free(loc);
        }
        g_strfreev(l);
    }
    g_free(out);
    g_free(obj);
    g_free(addr);
    return result;
}

/* "AddressSanitizer: heap-buffer-overflow", "runtime error", "emu bug", ... */
static char *min_crash_kind(char **lines, int status)
{
    for (int i = 0; lines[i]; i++) {
        const char *e = strstr(lines[i], "ERROR: AddressSanitizer: ");
        if (e) {
            char kind[128] = "";
            sscanf(e + strlen("ERROR: AddressSanitizer: "), "%127s", kind);
            return g_strdup_printf("AddressSanitizer: %s", kind);
        }
        if (strstr(lines[i], ": runtime error: ")) {
            return g_strdup("UndefinedBehaviorSanitizer: runtime error");
        }
        if (g_str_has_prefix(lines[i], "emu bug at ")) {
            return g_strdup("emu_bug");
        }
    }
    if (WIFSIGNALED(status)) {
        return g_strdup_printf("signal %d", WTERMSIG(status));
    }
    return g_strdup_printf("exit status %d", WEXITSTATUS(status));
}

/* Without a stack: emu_bug's or UBSan's own "FILE:LINE". */
static char *min_message_site(char **lines)
{
    for (int i = 0; lines[i]; i++) {
        char loc[1024];
        if (sscanf(lines[i], "emu bug at %1023[^ ]", loc) == 1) {
            size_t n = strlen(loc);
            if (n && loc[n - 1] == ':') {
                loc[n - 1] = '\0';
            }
            return min_norm_location(loc);
        }
        const char *rt = strstr(lines[i], ": runtime error: ");
        if (rt) {
            char *s = g_strndup(lines[i], rt - lines[i]);
            char *norm = min_norm_location(s);
            g_free(s);
            return norm;
        }
    }
    return NULL;
}

/* The original crash: the site frame (the first of the program's own that
 * is not abort/emu_bug/sanitizer machinery) and a description. */
static void min_learn_identity(Oracle *o, const char *log, int status)
{
    char **lines = g_strsplit(log, "\n", -1);
    Frame fr[MIN_MAX_FRAMES];
    int n = min_frames(lines, fr);
    char *kind = min_crash_kind(lines, status);
    char *site = NULL;
    o->site_depth = -1;
    for (int i = 0; i < n && !site; i++) {
        char *sym = min_symbolize(&fr[i]);
        char func[256] = "";
        if (sym && sscanf(sym, "%255s", func) == 1 && !min_skip_func(func) &&
            !g_str_has_prefix(fr[i].module, "/lib") &&
            !g_str_has_prefix(fr[i].module, "/usr/lib")) {
            site = sym;
            o->site_depth = fr[i].depth;
            o->site_pc = fr[i].pc;
        } else {
            g_free(sym);
        }
    }
    if (!site) {
        o->site_message = min_message_site(lines);
        site = g_strdup(o->site_message);
    }
    o->description = site ? g_strdup_printf("%s in %s", kind, site) : g_strdup(kind);
    o->have_identity = true;
    g_free(site);
    g_free(kind);
    g_strfreev(lines);
}

static bool min_same_crash(const Oracle *o, const char *log)
{
    char **lines = g_strsplit(log, "\n", -1);
    bool same = false;
    if (o->site_depth >= 0) {
        Frame fr[MIN_MAX_FRAMES];
        int n = min_frames(lines, fr);
        for (int i = 0; i < n; i++) {
            same |= fr[i].depth == o->site_depth && fr[i].pc == o->site_pc;
        }
    } else {
        char *site = min_message_site(lines);
        same = g_strcmp0(site, o->site_message) == 0;
        g_free(site);
    }
    g_strfreev(lines);
    return same;
}

/* ---- testing a candidate ------------------------------------------------- */

typedef enum Verdict { V_NO_CRASH, V_SAME, V_OTHER, V_HANG } Verdict;

static Verdict min_judge(Oracle *o, int status)
{
    if (!WIFSIGNALED(status) && WEXITSTATUS(status) == 0) {
        return V_NO_CRASH;
    }
    char *log = min_read_log(o);
    Verdict v;
    if (!o->have_identity) {
        min_learn_identity(o, log, status);
        v = !o->token || strstr(log, o->token) ? V_SAME : V_OTHER;
    } else if (o->token) {
        v = strstr(log, o->token) ? V_SAME : V_OTHER;
    } else {
        v = min_same_crash(o, log) ? V_SAME : V_OTHER;
    }
    g_free(log);
    return v;
}

static double min_now(void);

static Verdict min_run(Oracle *o, const uint8_t *data, size_t len)
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

/* ---- units: commands or trace lines ------------------------------------- */

typedef struct Minimizer {
    Oracle *o;
    GPtrArray *units;           /* GBytes*: a command, or a trace line */
    GString *header;            /* trace mode: the comment lines kept */
    double deadline;
    bool out_of_time;
} Minimizer;

static double min_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static GByteArray *min_join(const Minimizer *z, GPtrArray *units)
{
    GByteArray *out = g_byte_array_new();
    if (z->header) {
        g_byte_array_append(out, (const guint8 *)z->header->str, z->header->len);
    }
    for (guint i = 0; i < units->len; i++) {
        gsize len;
        const guint8 *p = g_bytes_get_data(units->pdata[i], &len);
        if (!z->header && i > 0) {
            g_byte_array_append(out, (const guint8 *)FUZZ_SEPARATOR, FUZZ_SEPARATOR_LEN);
        }
        g_byte_array_append(out, p, len);
        if (z->header) {
            g_byte_array_append(out, (const guint8 *)"\n", 1);
        }
    }
    return out;
}

/* Splits an input into units: commands (empty ones dropped, as the
 * harness skips them) or non-comment trace lines. */
static GPtrArray *min_split(const uint8_t *data, size_t len, bool lines)
{
    GPtrArray *units = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    const uint8_t *p = data, *end = data + len;
    while (p < end) {
        const uint8_t *sep = lines ? memchr(p, '\n', end - p)
                                   : memmem(p, end - p, FUZZ_SEPARATOR, FUZZ_SEPARATOR_LEN);
        const uint8_t *stop = sep ? sep : end;
        bool keep = stop > p && (!lines || *p != '#');
        if (keep) {
            g_ptr_array_add(units, g_bytes_new(p, stop - p));
        }
        p = sep ? sep + (lines ? 1 : FUZZ_SEPARATOR_LEN) : end;
    }
    return units;
}

static bool min_interesting(Minimizer *z, GPtrArray *units)
{
    if (min_now() > z->deadline) {
        z->out_of_time = true;
        return false;
    }
    GByteArray *in = min_join(z, units);
    Verdict v = min_run(z->o, in->data, in->len);
    g_byte_array_free(in, TRUE);
    return v == V_SAME;
}

static GPtrArray *min_copy(GPtrArray *units)
{
    GPtrArray *c = g_ptr_array_new_full(units->len, (GDestroyNotify)g_bytes_unref);
    for (guint i = 0; i < units->len; i++) {
        g_ptr_array_add(c, g_bytes_ref(units->pdata[i]));
    }
    return c;
}

/* The units with [at, at + count) replaced by repl (may be NULL). */
static GPtrArray *min_replace(GPtrArray *units, guint at, guint count, GPtrArray *repl)
{
    GPtrArray *c = g_ptr_array_new_full(units->len, (GDestroyNotify)g_bytes_unref);
    for (guint i = 0; i < units->len; i++) {
        if (i == at && repl) {
            for (guint k = 0; k < repl->len; k++) {
                g_ptr_array_add(c, g_bytes_ref(repl->pdata[k]));
            }
        }
        if (i < at || i >= at + count) {
            g_ptr_array_add(c, g_bytes_ref(units->pdata[i]));
        }
    }
    return c;
}

static bool min_accept(Minimizer *z, GPtrArray *cand)
{
    if (min_interesting(z, cand)) {
        g_ptr_array_unref(z->units);
        z->units = cand;
        return true;
    }
    g_ptr_array_unref(cand);
    return false;
}

/* Pass 1: drop chunks of units, halving the chunk size down to one. */
static bool min_drop_units(Minimizer *z)
{
    bool progress = false;
    for (guint chunk = MAX(z->units->len / 2, 1); chunk >= 1; chunk /= 2) {
        for (gint at = (gint)z->units->len - (gint)chunk; at >= 0 && !z->out_of_time;) {
            if (min_accept(z, min_replace(z->units, at, chunk, NULL))) {
                progress = true;
                at = MIN(at, (gint)z->units->len - (gint)chunk);
            } else {
                at -= chunk;
            }
        }
        if (chunk == 1) {
            break;
        }
    }
    return progress;
}

/* Replaces unit i by pieces (a split); kept only if, afterwards, one of
 * the pieces can be dropped, so a split never just makes the input longer. */
static bool min_try_split(Minimizer *z, guint i, GPtrArray *pieces)
{
    GPtrArray *before = min_copy(z->units);
    guint n = pieces->len;
    bool kept = min_accept(z, min_replace(z->units, i, 1, pieces));
    bool dropped = false;
    for (guint k = n; kept && k-- > 0 && !z->out_of_time;) {
        dropped |= min_accept(z, min_replace(z->units, i + k, 1, NULL));
    }
    if (kept && !dropped) {
        g_ptr_array_unref(z->units);
        z->units = before;
        return false;
    }
    g_ptr_array_unref(before);
    return kept;
}

static bool min_try_unit(Minimizer *z, guint i, const void *data, size_t len)
{
    GPtrArray *one = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    g_ptr_array_add(one, g_bytes_new(data, len));
    bool ok = min_accept(z, min_replace(z->units, i, 1, one));
    g_ptr_array_unref(one);
    return ok;
}

/* ---- binary commands ------------------------------------------------------ */

/* Bytes an op reads, op byte included (docs/fuzz-input-format.md). */
static size_t min_op_len(uint8_t op)
{
    static const uint8_t need[FUZZ_OP_COUNT] = { 5, 9, 9, 17, 4, 9, 1, 0, 1, 1 };
    return need[op % FUZZ_OP_COUNT];
}

/* Lowers one byte of unit i: to 0, else each set bit cleared. */
static bool min_lower_byte(Minimizer *z, guint i, size_t pos)
{
    bool progress = false;
    for (int bit = 8; bit >= 0 && !z->out_of_time; bit--) {
        gsize len;
        const uint8_t *cur = g_bytes_get_data(z->units->pdata[i], &len);
        if (pos >= len || cur[pos] == 0) {
            break;
        }
        uint8_t v = bit == 8 ? 0 : cur[pos] & ~(1u << bit);
        if (v == cur[pos]) {
            continue;
        }
        uint8_t *c = g_memdup2(cur, len);
        c[pos] = v;
        progress |= min_try_unit(z, i, c, len);
        g_free(c);
    }
    return progress;
}

/* OUT or WRITE of width w split into w one-byte accesses. */
static GPtrArray *min_split_wide(const uint8_t *c, size_t len)
{
    uint8_t op = c[0] % FUZZ_OP_COUNT;
    static const unsigned io_w[3] = { 1, 2, 4 }, mem_w[4] = { 1, 2, 4, 8 };
    if ((op != FUZZ_OP_OUT && op != FUZZ_OP_WRITE) || len < min_op_len(op)) {
        return NULL;
    }
    bool io = op == FUZZ_OP_OUT;
    unsigned w = io ? io_w[c[1] % 3] : mem_w[c[1] % 4];
    if (w == 1) {
        return NULL;
    }
    GPtrArray *pieces = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    for (unsigned k = 0; k < w; k++) {
        uint8_t p[17];
        size_t n = min_op_len(op);
        memcpy(p, c, n);
        p[0] = op;
        p[1] = 0;
        size_t off_at = io ? 3 : 5, val_at = io ? 5 : 9, off_len = io ? 2 : 4;
        uint64_t off = 0;
        for (size_t b = 0; b < off_len; b++) {
            off |= (uint64_t)c[off_at + b] << (8 * b);
        }
        off += k;
        for (size_t b = 0; b < off_len; b++) {
            p[off_at + b] = off >> (8 * b);
        }
        memset(p + val_at, 0, n - val_at);
        p[val_at] = c[val_at + k];
        g_ptr_array_add(pieces, g_bytes_new(p, n));
    }
    return pieces;
}

static bool min_shrink_command(Minimizer *z, guint i)
{
    gsize len;
    const uint8_t *c = g_bytes_get_data(z->units->pdata[i], &len);
    uint8_t op = c[0] % FUZZ_OP_COUNT;
    bool progress = false;
    if (c[0] != op) {
        uint8_t *d = g_memdup2(c, len);
        d[0] = op;
        progress |= min_try_unit(z, i, d, len);
        g_free(d);
        c = g_bytes_get_data(z->units->pdata[i], &len);
    }
    if (op == FUZZ_OP_ADD_DMA_PATTERN) {
        /* Fewer pattern bytes: halves, then one at a time from the end. */
        while (len > 4 && !z->out_of_time &&
               (min_try_unit(z, i, c, MAX(len / 2, 4)) || min_try_unit(z, i, c, len - 1))) {
            progress = true;
            c = g_bytes_get_data(z->units->pdata[i], &len);
        }
    } else if (len > min_op_len(op)) {
        progress |= min_try_unit(z, i, c, MAX(min_op_len(op), 1));
    }
    return progress;
}

static bool min_commands_pass(Minimizer *z)
{
    bool progress = false;
    for (guint i = 0; i < z->units->len && !z->out_of_time; i++) {
        progress |= min_shrink_command(z, i);
        gsize len;
        const uint8_t *c = g_bytes_get_data(z->units->pdata[i], &len);
        GPtrArray *pieces = min_split_wide(c, len);
        if (pieces) {
            progress |= min_try_split(z, i, pieces);
            g_ptr_array_unref(pieces);
        }
        g_bytes_get_data(z->units->pdata[i], &len);
        for (size_t pos = 1; pos < len && !z->out_of_time; pos++) {
            progress |= min_lower_byte(z, i, pos);
            g_bytes_get_data(z->units->pdata[i], &len);
        }
    }
    return progress;
}

/* ---- trace lines ------------------------------------------------------- */

static bool min_try_line(Minimizer *z, guint i, const char *line)
{
    return min_try_unit(z, i, line, strlen(line));
}

static GPtrArray *min_lines(const char *a, const char *b)
{
    GPtrArray *p = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    g_ptr_array_add(p, g_bytes_new(a, strlen(a)));
    g_ptr_array_add(p, g_bytes_new(b, strlen(b)));
    return p;
}

/* "write ADDR LEN 0xHEX": halves as two writes, the ends trimmed, bytes
 * set to 0. */
static bool min_shrink_write(Minimizer *z, guint i, uint64_t addr, uint64_t len,
                             const char *hex)
{
    size_t digits = strlen(hex);
    if (digits != 2 * len) {
        return false;
    }
    bool progress = false;
    if (len > 1) {
        uint64_t h = len / 2;
        char *a = g_strdup_printf("write 0x%" PRIx64 " 0x%" PRIx64 " 0x%.*s", addr, h,
                                  (int)(2 * h), hex);
        char *b = g_strdup_printf("write 0x%" PRIx64 " 0x%" PRIx64 " 0x%s", addr + h,
                                  len - h, hex + 2 * h);
        GPtrArray *pieces = min_lines(a, b);
        progress = min_try_split(z, i, pieces);
        g_ptr_array_unref(pieces);
        g_free(a);
        g_free(b);
        if (progress) {
            return true;
        }
    }
    for (size_t k = 0; k < len && !z->out_of_time; k++) {
        if (hex[2 * k] == '0' && hex[2 * k + 1] == '0') {
            continue;
        }
        char *h2 = g_strdup(hex);
        h2[2 * k] = h2[2 * k + 1] = '0';
        char *line = g_strdup_printf("write 0x%" PRIx64 " 0x%" PRIx64 " 0x%s", addr, len, h2);
        bool ok = min_try_line(z, i, line);
        g_free(line);
        g_free(h2);
        if (ok) {
            return true;        /* the caller starts again on the new line */
        }
    }
    return false;
}

static char min_width_char(unsigned w)
{
    return w == 1 ? 'b' : w == 2 ? 'w' : w == 4 ? 'l' : 'q';
}

static unsigned min_width_of(char c)
{
    return c == 'b' ? 1 : c == 'w' ? 2 : c == 'l' ? 4 : c == 'q' ? 8 : 0;
}

/* "outl P V" / "writeq A V": halves, then the value lowered bit by bit. */
static bool min_shrink_sized(Minimizer *z, guint i, const char *verb, unsigned w,
                             uint64_t addr, uint64_t val)
{
    if (w > 1) {
        unsigned h = w / 2;
        uint64_t mask = (1ull << (8 * h)) - 1;
        char *a = g_strdup_printf("%s%c 0x%" PRIx64 " 0x%" PRIx64, verb, min_width_char(h),
                                  addr, val & mask);
        char *b = g_strdup_printf("%s%c 0x%" PRIx64 " 0x%" PRIx64, verb, min_width_char(h),
                                  addr + h, (val >> (8 * h)) & mask);
        GPtrArray *pieces = min_lines(a, b);
        bool ok = min_try_split(z, i, pieces);
        g_ptr_array_unref(pieces);
        g_free(a);
        g_free(b);
        if (ok) {
            return true;
        }
    }
    for (int bit = 64; bit >= 0 && val && !z->out_of_time; bit--) {
        uint64_t v = bit == 64 ? 0 : val & ~(1ull << bit);
        if (v == val) {
            continue;
        }
        char *line = g_strdup_printf("%s%c 0x%" PRIx64 " 0x%" PRIx64, verb,
                                     min_width_char(w), addr, v);
        bool ok = min_try_line(z, i, line);
        g_free(line);
        if (ok) {
            return true;
        }
    }
    return false;
}

static bool min_shrink_line(Minimizer *z, guint i)
{
    gsize n;
    const char *p = g_bytes_get_data(z->units->pdata[i], &n);
    char *line = g_strndup(p, n);
    char verb[16], hex[64] = "";
    uint64_t a = 0, b = 0;
    bool progress = false;
    char *data = NULL;
    if (sscanf(line, "write %" SCNi64 " %" SCNi64 " 0x%ms", &a, &b, &data) == 3) {
        progress = min_shrink_write(z, i, a, b, data);
    } else if (sscanf(line, "%15[a-z] %" SCNi64 " %" SCNi64 "%63s", verb, &a, &b, hex) == 3) {
        size_t vl = strlen(verb);
        unsigned w = vl ? min_width_of(verb[vl - 1]) : 0;
        verb[vl ? vl - 1 : 0] = '\0';
        if (w && (strcmp(verb, "out") == 0 || strcmp(verb, "write") == 0)) {
            progress = min_shrink_sized(z, i, verb, w, a, b);
        }
    } else if (sscanf(line, "clock_step %" SCNi64, &a) == 1) {
        progress = min_try_line(z, i, "clock_step");
    }
    free(data);
    g_free(line);
    return progress;
}

static bool min_lines_pass(Minimizer *z)
{
    bool progress = false;
    for (guint i = 0; i < z->units->len && !z->out_of_time; i++) {
        /* Each success changes the line: go on with it until it is stuck. */
        for (int tries = 0; tries < 256 && min_shrink_line(z, i); tries++) {
            progress = true;
            if (i >= z->units->len) {
                break;
            }
        }
    }
    return progress;
}

/* ---- set-up and main --------------------------------------------------- */

/* A trace's header: "# emu-system ARGS -qtest stdio" (and comment lines
 * right after it, kept in the output). */
static bool min_setup_trace(Oracle *o, Minimizer *z, const char *text, char **errp)
{
    const char *nl = strchr(text, '\n');
    char *first = g_strndup(text, nl ? (size_t)(nl - text) : strlen(text));
    char *args = g_strdup(first + strlen(MIN_TRACE_PREFIX));
    char *suffix = g_strrstr(args, MIN_TRACE_SUFFIX);
    if (suffix) {
        *suffix = '\0';
    }
    hw_register_types();
    o->m = cli_machine_from_string(args, hw_boards, errp);
    g_free(args);
    if (!o->m) {
        g_free(first);
        return false;
    }
    o->snap = snapshot_take(o->m);
    o->trace_mode = true;
    z->header = g_string_new(first);
    g_string_append_c(z->header, '\n');
    for (const char *p = nl ? nl + 1 : ""; g_str_has_prefix(p, "# target "); ) {
        const char *e = strchr(p, '\n');
        g_string_append_len(z->header, p, e ? e - p + 1 : (gssize)strlen(p));
        p = e ? e + 1 : "";
    }
    g_free(first);
    return true;
}

typedef struct MinArgs {
    const char *target;
    const char *token;
    unsigned timeout_ms;
    double max_seconds;
    const char *in;
    const char *out;
} MinArgs;

static int min_usage(void)
{
    fprintf(stderr, "usage: emu-minimize [--target=NAME] [--token=STRING] [--timeout-ms=N]\n"
                    "                    [--max-seconds=N] INPUT OUTPUT\n"
                    "INPUT: a generic-fuzz input (needs --target) or a qtest trace\n"
                    "starting with '" MIN_TRACE_PREFIX "ARGS" MIN_TRACE_SUFFIX "'.\n");
    return 2;
}

static bool min_parse(MinArgs *a, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (g_str_has_prefix(s, "--target=")) {
            a->target = s + 9;
        } else if (g_str_has_prefix(s, "--token=")) {
            a->token = s + 8;
        } else if (g_str_has_prefix(s, "--timeout-ms=")) {
            a->timeout_ms = atoi(s + 13);
        } else if (g_str_has_prefix(s, "--max-seconds=")) {
            a->max_seconds = atof(s + 14);
        } else if (s[0] == '-' && s[1]) {
            return false;
        } else if (!a->in) {
            a->in = s;
        } else if (!a->out) {
            a->out = s;
        } else {
            return false;
        }
    }
    return a->in && a->out && a->timeout_ms > 0;
}

static bool min_setup(const MinArgs *a, Oracle *o, Minimizer *z, const char *text,
                      char **errp)
{
    if (g_str_has_prefix(text, MIN_TRACE_PREFIX)) {
        return min_setup_trace(o, z, text, errp);
    }
    const FuzzTarget *t = a->target ? fuzz_find_target(a->target) : NULL;
    if (!t) {
        *errp = g_strdup_printf("%s: a binary input needs --target=NAME (a known one)",
                                a->in);
        return false;
    }
    static Fuzzer f;
    if (!fuzz_setup(&f, t, errp)) {
        return false;
    }
    fuzz_snapshot(&f);
    o->f = &f;
    return true;
}

static int min_scratch_log(void)
{
    char path[] = "/tmp/emu-minimize-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) {
        unlink(path);
    }
    return fd;
}

static void min_report(const Minimizer *z, size_t in_units, size_t in_bytes, double secs)
{
    GByteArray *out = min_join(z, z->units);
    const Oracle *o = z->o;
    const char *what = z->header ? "lines" : "commands";
    printf("emu-minimize: %zu %s, %zu bytes -> %u %s, %u bytes in %.2f s%s\n", in_units,
           what, in_bytes, z->units->len, what, out->len, secs,
           z->out_of_time ? " (stopped at --max-seconds)" : "");
    printf("emu-minimize: %" PRIu64 " runs: %" PRIu64 " without a crash (%.0f/s), %" PRIu64
           " crashed the same way, %" PRIu64 " otherwise, %" PRIu64 " hung\n",
           o->runs, o->clean_runs,
           o->clean_runs / (o->clean_seconds > 0 ? o->clean_seconds : 1e-9), o->crashes,
           o->other_crashes, o->hangs);
    g_byte_array_free(out, TRUE);
}

static bool min_write_output(const Minimizer *z, const char *path)
{
    GByteArray *out = min_join(z, z->units);
    GError *err = NULL;
    bool ok = g_file_set_contents(path, (const char *)out->data, out->len, &err);
    if (!ok) {
        fprintf(stderr, "emu-minimize: %s\n", err->message);
        g_error_free(err);
    }
    g_byte_array_free(out, TRUE);
    return ok;
}

static void min_loop(Minimizer *z)
{
    for (int round = 0; round < MIN_MAX_ROUNDS && !z->out_of_time; round++) {
        bool progress = min_drop_units(z);
        progress |= z->header ? min_lines_pass(z) : min_commands_pass(z);
        if (!progress) {
            break;
        }
    }
}

int main(int argc, char **argv)
{
    MinArgs a = { .timeout_ms = 5000, .max_seconds = 600 };
    if (!min_parse(&a, argc, argv)) {
        return min_usage();
    }
    gchar *text;
    gsize len;
    if (!g_file_get_contents(a.in, &text, &len, NULL) || len > MIN_MAX_INPUT) {
        fprintf(stderr, "emu-minimize: cannot read %s (or larger than 16 MiB)\n", a.in);
        return 2;
    }
    Oracle o = { .timeout_ms = a.timeout_ms, .token = a.token, .log_fd = min_scratch_log() };
    Minimizer z = { .o = &o };
    char *err = NULL;
    signal(SIGPIPE, SIG_IGN);
    if (o.log_fd < 0 || !min_setup(&a, &o, &z, text, &err)) {
        fprintf(stderr, "emu-minimize: %s\n", err ? err : "no scratch file in /tmp");
        return 2;
    }
    double start = min_now();
    z.deadline = start + a.max_seconds;
    z.units = min_split((const uint8_t *)text, len, o.trace_mode);
    size_t in_units = z.units->len;
    if (!min_interesting(&z, z.units)) {
        fprintf(stderr, "emu-minimize: %s does not crash%s\n", a.in,
                a.token ? " with the token in its report" : "");
        return 1;
    }
    printf("emu-minimize: crash: %s%s%s%s\n", o.description, a.token ? " (token '" : "",
           a.token ? a.token : "", a.token ? "')" : "");
    min_loop(&z);
    if (o.pid) {
        close(o.to_worker);
        min_reap(&o, false);
    }
    min_report(&z, in_units, len, min_now() - start);
    return min_write_output(&z, a.out) ? 0 : 2;
}
