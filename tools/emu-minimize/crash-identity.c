/* SPDX-License-Identifier: MIT */
/*
 * Crash identity for emu-minimize: the top frame of the program's own in the
 * sanitizer report of the original crash (symbolized once with
 * llvm-symbolizer, for the description), compared by its program counter at
 * the same depth in later reports (workers are forks of one process: same
 * addresses, and no symbolizer run per crash); without a stack, emu_bug's or
 * UBSan's file:line. For --token, a report is searched with its frames
 * symbolized (each address once: a cache), so that a FILE:LINE or a
 * function name matches.
 */
#include "tools/emu-minimize/minimize.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

typedef struct Frame {
    int depth;
    uint64_t pc;
    char module[512];
    uint64_t offset;
} Frame;

#define MIN_MAX_FRAMES 32
#define MIN_MAX_ALL_FRAMES 256

/* The first stack of a report (all its stacks: first_only false), frames
 * as "    #3 0x55... (/path/module+0x1234)". */
static int min_frames_of(char **lines, Frame *fr, int max, bool first_only)
{
    int n = 0;
    bool in_stack = false;
    for (int i = 0; lines[i] && n < max; i++) {
        const char *l = lines[i] + strspn(lines[i], " ");
        Frame f = { 0 };
        if (sscanf(l, "#%d 0x%" SCNx64, &f.depth, &f.pc) != 2) {
            if (in_stack && first_only) {
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

static int min_frames(char **lines, Frame *fr)
{
    return min_frames_of(lines, fr, MIN_MAX_FRAMES, true);
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

/* llvm-symbolizer's answer for a frame: pairs of lines, FUNC then
 * FILE:LINE:COL, the innermost inlined function first; NULL if none. */
static char *min_symbolizer_out(const Frame *f)
{
    const char *tool = getenv("ASAN_SYMBOLIZER_PATH");
    char *obj = g_strdup_printf("--obj=%s", f->module);
    char *addr = g_strdup_printf("0x%" PRIx64, f->offset - (f->depth > 0));
    char *argv[] = { (char *)(tool && *tool ? tool : "llvm-symbolizer"), obj, addr, NULL };
    char *out = NULL;
    if (!f->module[0] || !g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH |
                                       G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                                       NULL, NULL, NULL)) {
        g_free(out);
        out = NULL;
    }
    g_free(obj);
    g_free(addr);
    return out;
}

/* "FUNC FILE:LINE" of a frame (the innermost inlined function), or NULL. */
static char *min_symbolize(const Frame *f)
{
    char *out = min_symbolizer_out(f);
    char *result = NULL;
    if (out) {
        char **l = g_strsplit(out, "\n", 3);
        if (l[0] && l[1] && *l[0] && strcmp(l[0], "??") != 0) {
            char *loc = min_norm_location(l[1]);
            result = g_strdup_printf("%s %s", l[0], loc);
            g_free(loc);
        }
        g_strfreev(l);
    }
    g_free(out);
    return result;
}

/* A frame as ASan prints it symbolized, one line per inlined function:
 * "    #N 0xPC in FUNC FILE:LINE:COL". */
static char *min_frame_lines(const Frame *f)
{
    char *out = min_symbolizer_out(f);
    GString *s = g_string_new(NULL);
    char **l = g_strsplit(out ? out : "", "\n", -1);
    for (int i = 0; l[i] && l[i + 1] && *l[i]; i += 2) {
        g_string_append_printf(s, "    #%d 0x%" PRIx64 " in %s %s\n", f->depth, f->pc,
                               l[i], l[i + 1]);
    }
    g_strfreev(l);
    g_free(out);
    return g_string_free(s, FALSE);
}

/* The token in text; one ending in a digit (FILE:LINE) not followed by
 * another, so that crashtest.c:8 does not match crashtest.c:88. */
static bool min_token_in(const char *text, const char *token)
{
    size_t n = strlen(token);
    bool line = n && g_ascii_isdigit(token[n - 1]);
    for (const char *p = strstr(text, token); p; p = strstr(p + 1, token)) {
        if (!line || !g_ascii_isdigit(p[n])) {
            return true;
        }
    }
    return false;
}

/* Whether the report holds the token: as it is, else with its frames
 * symbolized (every stack of it; each module+offset asked once). */
bool min_report_has_token(Oracle *o, const char *log)
{
    if (min_token_in(log, o->token)) {
        return true;
    }
    if (!o->symbols) {
        o->symbols = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    }
    char **lines = g_strsplit(log, "\n", -1);
    Frame *fr = g_new(Frame, MIN_MAX_ALL_FRAMES);
    int n = min_frames_of(lines, fr, MIN_MAX_ALL_FRAMES, false);
    bool found = false;
    for (int i = 0; i < n && !found; i++) {
        char *key = g_strdup_printf("%s+%" PRIx64 "#%d", fr[i].module, fr[i].offset,
                                    fr[i].depth > 0);
        const char *sym = g_hash_table_lookup(o->symbols, key);
        if (!sym) {
            sym = min_frame_lines(&fr[i]);
            g_hash_table_insert(o->symbols, g_strdup(key), (char *)sym);
        }
        found = min_token_in(sym, o->token);
        g_free(key);
    }
    g_free(fr);
    g_strfreev(lines);
    return found;
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
void min_learn_identity(Oracle *o, const char *log, int status)
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

bool min_same_crash(const Oracle *o, const char *log)
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
