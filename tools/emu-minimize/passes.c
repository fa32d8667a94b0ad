/* SPDX-License-Identifier: MIT */
/*
 * emu-minimize's reductions, on the input held as units (generic-fuzz
 * commands or trace lines), each candidate kept only if the oracle says it
 * crashes the same way: drop units in halving chunks; cut commands to what
 * their op reads; shrink DMA patterns; split wide accesses into bytes and
 * keep the split only if a piece can go; lower values to 0 and clear their
 * bits one at a time.
 */
#include "tools/emu-minimize/minimize.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_MAX_ROUNDS 16

/* ---- units: commands or trace lines ------------------------------------- */

GByteArray *min_join(const Minimizer *z, GPtrArray *units)
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
GPtrArray *min_split(const uint8_t *data, size_t len, bool lines)
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

bool min_interesting(Minimizer *z, GPtrArray *units)
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

/* The input the units make, in bytes. */
static size_t min_size(const Minimizer *z, GPtrArray *units)
{
    GByteArray *b = min_join(z, units);
    size_t n = b->len;
    g_byte_array_unref(b);
    return n;
}

/* Replaces unit i by pieces (a split); kept only if, afterwards, one of
 * the pieces can be dropped and the input is no longer than before: a
 * 4-byte OUT split into four 1-byte ones, one dropped, is three commands
 * and their separators, longer than the one it replaced. */
static bool min_try_split(Minimizer *z, guint i, GPtrArray *pieces)
{
    GPtrArray *before = min_copy(z->units);
    guint n = pieces->len;
    bool kept = min_accept(z, min_replace(z->units, i, 1, pieces));
    bool dropped = false;
    for (guint k = n; kept && k-- > 0 && !z->out_of_time;) {
        dropped |= min_accept(z, min_replace(z->units, i + k, 1, NULL));
    }
    if (kept && (!dropped || min_size(z, z->units) > min_size(z, before))) {
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

void min_loop(Minimizer *z)
{
    for (int round = 0; round < MIN_MAX_ROUNDS && !z->out_of_time; round++) {
        bool progress = min_drop_units(z);
        progress |= z->header ? min_lines_pass(z) : min_commands_pass(z);
        if (!progress) {
            break;
        }
    }
}
