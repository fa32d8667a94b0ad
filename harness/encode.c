/* SPDX-License-Identifier: MIT */
/* qtest script to generic-fuzz input; see encode.h. */
#include "harness/encode.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "emu/byteorder.h"
#include "emu/qtest.h"

#define PCI_ADDR_PORT   0xcf8
#define PCI_DATA_PORT   0xcfc
#define PCI_ADDR_ENABLE 0x80000000u

typedef struct Encoder {
    Fuzzer *f;
    const char *name;
    unsigned lineno;
    FuzzEncoded *out;
    GPtrArray *fills;       /* GBytes: the fills of the op running */
    GPtrArray *active;      /* GBytes: the patterns the input has now */
    bool have_cf8;
    uint32_t cf8;           /* the last `outl 0xcf8` of the script */
    unsigned ops;           /* commands run, for fuzz_after_op */
    char *reply;            /* what the line running got (NULL: nothing) */
    char *err;
} Encoder;

static bool enc_fail(Encoder *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool enc_fail(Encoder *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_free(e->err);
    e->err = g_strdup_printf("%s:%u: %s", e->name, e->lineno, msg);
    g_free(msg);
    return false;
}

static void enc_note(Encoder *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void enc_note(Encoder *e, const char *fmt, ...)
{
    va_list ap;
    g_string_append_printf(e->out->log, "%s:%u: ", e->name, e->lineno);
    va_start(ap, fmt);
    g_string_append_vprintf(e->out->log, fmt, ap);
    va_end(ap);
    g_string_append_c(e->out->log, '\n');
}

static void enc_expect(Encoder *e, const char *cmd, const char *expected,
                       const char *got)
{
    g_free(e->reply);
    e->reply = g_strdup(got);
    if (expected && strcmp(expected, got) != 0) {
        e->out->mismatches++;
        enc_note(e, "%s: expected '%s', got '%s'", cmd, expected, got);
    }
}

/* Appends one command; none may hold the separator, or it would split. */
static bool enc_emit(Encoder *e, const uint8_t *cmd, size_t len)
{
    if (memmem(cmd, len, FUZZ_SEPARATOR, FUZZ_SEPARATOR_LEN)) {
        return enc_fail(e, "the command holds the bytes \"" FUZZ_SEPARATOR
                        "\", which split commands; no input can carry it");
    }
    if (e->out->input->len > 0) {
        g_byte_array_append(e->out->input, (const guint8 *)FUZZ_SEPARATOR,
                            FUZZ_SEPARATOR_LEN);
    }
    g_byte_array_append(e->out->input, cmd, len);
    e->out->commands++;
    return true;
}

static void enc_record_fill(void *opaque, uint64_t addr, const uint8_t *data,
                            size_t len)
{
    Encoder *e = opaque;
    g_ptr_array_add(e->fills, g_bytes_new(data, len));
}

/* The patterns the op's fills need, unless the input has them already (the
 * same list: k fills of k patterns bring the round robin back to 0). */
static bool enc_emit_patterns(Encoder *e)
{
    GPtrArray *fills = e->fills, *active = e->active;
    bool same = fills->len == active->len;
    for (guint i = 0; same && i < fills->len; i++) {
        same = g_bytes_equal(fills->pdata[i], active->pdata[i]);
    }
    if (fills->len == 0 || same) {
        return true;
    }
    if (fills->len > FUZZ_MAX_DMA_PATTERNS) {
        return enc_fail(e, "the op makes %u DMA fills; an input holds at most %d "
                        "patterns at once", fills->len, FUZZ_MAX_DMA_PATTERNS);
    }
    uint8_t clear = FUZZ_OP_CLEAR_DMA_PATTERNS;
    if (!enc_emit(e, &clear, 1)) {
        return false;
    }
    g_ptr_array_set_size(active, 0);
    for (guint i = 0; i < fills->len; i++) {
        gsize n;
        const uint8_t *data = g_bytes_get_data(fills->pdata[i], &n);
        GByteArray *cmd = g_byte_array_new();
        uint8_t head[3] = { FUZZ_OP_ADD_DMA_PATTERN, 0, 0 };  /* index 0, stride 0 */
        g_byte_array_append(cmd, head, sizeof(head));
        g_byte_array_append(cmd, data, n);
        bool ok = enc_emit(e, cmd->data, cmd->len);
        g_byte_array_free(cmd, TRUE);
        if (!ok) {
            return enc_fail(e, "the device reads %zu bytes holding \"" FUZZ_SEPARATOR
                            "\" by DMA: no pattern can carry them", (size_t)n);
        }
        e->out->patterns++;
        g_ptr_array_add(active, g_bytes_ref(fills->pdata[i]));
    }
    return true;
}

/* Trace lines and replies, paired: comments have no reply. Appends the op
 * lines (not the fills' RAM writes, not comments) to trace as
 * "LINE\tREPLY\n"; returns the last reply. */
static char *enc_pair(const char *lines, const char *replies, GString *trace)
{
    char **l = g_strsplit(lines, "\n", -1), **r = g_strsplit(replies, "\n", -1);
    char *last = NULL;
    for (unsigned i = 0, j = 0; l[i] && *l[i]; i++) {
        if (l[i][0] == '#') {
            continue;
        }
        const char *reply = r[j] ? r[j++] : "";
        if (!g_str_has_prefix(l[i], "write ")) {
            g_string_append_printf(trace, "%s\t%s\n", l[i], reply);
            g_free(last);
            last = g_strdup(reply);
        }
    }
    g_strfreev(l);
    g_strfreev(r);
    return last;
}

/* Runs the bytes of one command with a trace, collecting its fills: the
 * reply of its last line (NULL: it traced nothing) in *reply. */
static void enc_trace_run(Fuzzer *f, const uint8_t *cmd, size_t len,
                          unsigned *ops, GString *trace, char **reply)
{
    char *tbuf = NULL, *rbuf = NULL;
    size_t tlen, rlen;
    f->trace = open_memstream(&tbuf, &tlen);
    f->replies = open_memstream(&rbuf, &rlen);
    fuzz_run_command(f, cmd, len, ops);
    fclose(f->trace);
    fclose(f->replies);
    f->trace = f->replies = NULL;
    char *last = enc_pair(tbuf, rbuf, trace);
    if (reply) {
        *reply = last;
    } else {
        g_free(last);
    }
    free(tbuf);
    free(rbuf);
}

/* Runs one device op: the fills it needs go before it in the input. */
static bool enc_op(Encoder *e, const uint8_t *cmd, size_t len, const char *text,
                   const char *expected)
{
    char *reply = NULL;
    g_ptr_array_set_size(e->fills, 0);
    fuzz_record_fills(e->f, enc_record_fill, e);
    enc_trace_run(e->f, cmd, len, &e->ops, e->out->trace, &reply);
    fuzz_record_fills(e->f, NULL, NULL);
    bool ok = enc_emit_patterns(e) && enc_emit(e, cmd, len);
    if (ok && reply) {
        enc_expect(e, text, expected, reply);
    } else if (ok && expected) {
        enc_expect(e, text, expected, "(no reply)");
    }
    g_free(reply);
    return ok;
}

/* [addr, addr + len) is guest RAM (or ROM, for reads) from end to end. */
static bool enc_is_ram(Fuzzer *f, uint64_t addr, uint64_t len, bool rom_ok)
{
    AddressSpace *as = &f->m->as_mem;
    if (addr + len < addr) {
        return false;
    }
    as_update(as);
    while (len > 0) {
        const FlatRange *r = as_lookup(as, addr);
        if (!r || !(r->mr->kind == MR_KIND_RAM || (rom_ok && r->mr->kind == MR_KIND_ROM))) {
            return false;
        }
        uint64_t n = MIN(len, r->start + r->size - addr);
        addr += n;
        len -= n;
    }
    return true;
}

/* A command that only touches RAM or asks the board: answered directly. */
static bool enc_direct(Encoder *e, const char *line, const char *expected)
{
    GString *reply = g_string_new(NULL);
    qtest_process_line(e->f->m, line, reply);
    g_strchomp(reply->str);
    bool ok = !g_str_has_prefix(reply->str, "ERR") && !g_str_has_prefix(reply->str, "FAIL");
    if (!ok) {
        enc_fail(e, "%s: %s", line, reply->str);
    } else {
        enc_expect(e, line, expected, reply->str);
    }
    g_string_free(reply, TRUE);
    return ok;
}

static void enc_pack_io(uint8_t *cmd, FuzzOp op, unsigned width, uint8_t index,
                        uint64_t off, uint64_t val)
{
    cmd[0] = op;
    cmd[1] = fuzz_width_code(false, width);
    cmd[2] = index;
    st_le16(cmd + 3, off);
    st_le32(cmd + 5, val);
}

/* 0xcfc-0xcff after `outl 0xcf8`: the PCI op of the function it selects. */
static bool enc_pci(Encoder *e, bool write, uint64_t port, unsigned width,
                    uint64_t val, const char *text, const char *expected)
{
    if (!e->have_cf8 || !(e->cf8 & PCI_ADDR_ENABLE)) {
        return enc_fail(e, "config data port 0x%" PRIx64 " without a config "
                        "address (outl 0xcf8 0x8000xxxx) before it", port);
    }
    unsigned bus = e->cf8 >> 16 & 0xff, devfn = e->cf8 >> 8 & 0xff;
    int index = fuzz_pci_index(e->f, bus, devfn);
    if (index < 0) {
        return enc_fail(e, "PCI %02x:%02x.%u is not a matched PCI function of "
                        "this target (--list-regions lists them)", bus, devfn >> 3,
                        devfn & 7);
    }
    uint8_t cmd[9] = { write ? FUZZ_OP_PCI_WRITE : FUZZ_OP_PCI_READ,
                       fuzz_width_code(false, width), index,
                       (e->cf8 | (port & 3)) & 0xff };
    st_le32(cmd + 5, val);
    return enc_op(e, cmd, write ? 9 : 4, text, expected);
}

static bool enc_port(Encoder *e, char **w, int n, const char *text, const char *expected)
{
    bool write = w[0][0] == 'o';
    unsigned width = qtest_size_suffix(w[0]);
    uint64_t port, val = 0;
    uint8_t index;
    uint64_t off;
    if (n != (write ? 3 : 2) || !qtest_u64(w[1], &port) || port > 0xffff ||
        (write && !qtest_u64(w[2], &val))) {
        return enc_fail(e, "%s: bad arguments", text);
    }
    bool data_port = port >= PCI_DATA_PORT && port + width <= PCI_DATA_PORT + 4;
    /* After the script's own `outl 0xcf8`, config data goes through the PCI
     * ops (which write 0xcf8 themselves) even where 0xcfc is a fuzzable
     * range: a plain IN or OUT would miss the config address. */
    if (data_port && e->have_cf8 && fuzz_pci_index(e->f, e->cf8 >> 16 & 0xff, e->cf8 >> 8 & 0xff) >= 0) {
        return enc_pci(e, write, port, width, val, text, expected);
    }
    if (write && port == PCI_ADDR_PORT && width == 4) {
        e->have_cf8 = true;
        e->cf8 = val;
        enc_expect(e, text, expected, "OK");
        return true;
    }
    if (fuzz_range_of(e->f, false, port, width, &index, &off)) {
        uint8_t cmd[9];
        enc_pack_io(cmd, write ? FUZZ_OP_OUT : FUZZ_OP_IN, width, index, off, val);
        return enc_op(e, cmd, write ? 9 : 5, text, expected);
    }
    if (data_port) {
        return enc_pci(e, write, port, width, val, text, expected);
    }
    if (fuzz_range_of(e->f, false, port, 1, &index, &off)) {
        return enc_fail(e, "%s: %u bytes from port 0x%" PRIx64 " cross the end of "
                        "its fuzzable range; the fuzzer cannot make that access",
                        text, width, port);
    }
    return enc_fail(e, "port 0x%" PRIx64 " is in no fuzzable range of this target "
                    "(--list-regions lists them)", port);
}

static bool enc_mem(Encoder *e, char **w, int n, const char *text, const char *expected)
{
    bool write = w[0][0] == 'w';
    unsigned width = qtest_size_suffix(w[0]);
    uint64_t addr, val = 0, off;
    uint8_t index;
    if (n != (write ? 3 : 2) || !qtest_u64(w[1], &addr) ||
        (write && !qtest_u64(w[2], &val))) {
        return enc_fail(e, "%s: bad arguments", text);
    }
    if (fuzz_range_of(e->f, true, addr, width, &index, &off)) {
        uint8_t cmd[17] = { write ? FUZZ_OP_WRITE : FUZZ_OP_READ,
                            fuzz_width_code(true, width), index };
        st_le32(cmd + 5, off);
        st_le64(cmd + 9, val);
        return enc_op(e, cmd, write ? 17 : 9, text, expected);
    }
    if (enc_is_ram(e->f, addr, width, !write)) {
        return enc_direct(e, text, expected);
    }
    return enc_fail(e, "0x%" PRIx64 " (%u bytes) is neither in a fuzzable range "
                    "of this target nor guest RAM", addr, width);
}

/* write / b64write / memset / read / b64read: guest RAM only. */
static bool enc_ram(Encoder *e, char **w, int n, const char *text, const char *expected)
{
    bool write = strcmp(w[0], "read") != 0 && strcmp(w[0], "b64read") != 0;
    uint64_t addr, len;
    if (n < (write ? 4 : 3) || !qtest_u64(w[1], &addr) || !qtest_u64(w[2], &len)) {
        return enc_fail(e, "%s: bad arguments", text);
    }
    if (!enc_is_ram(e->f, addr, len, !write)) {
        return enc_fail(e, "%s: 0x%" PRIx64 "+0x%" PRIx64 " is not all guest RAM "
                        "(the fuzzer reaches devices only through their ranges)",
                        w[0], addr, len);
    }
    return enc_direct(e, text, expected);
}

static bool enc_clock_step(Encoder *e, char **w, int n, const char *text,
                           const char *expected)
{
    Clock *c = &e->f->m->clock;
    uint8_t cmd = FUZZ_OP_CLOCK_STEP;
    uint64_t arg;
    if (n == 1) {
        if (clock_deadline(c) < 0) {
            enc_expect(e, text, expected, "FAIL No timer is pending");
            return true;
        }
        return enc_op(e, &cmd, 1, text, expected);
    }
    if (n != 2 || !qtest_u64(w[1], &arg) || arg > INT64_MAX) {
        return enc_fail(e, "%s: bad arguments", text);
    }
    int64_t now = clock_get_ns(c);
    int64_t target = strcmp(w[0], "clock_set") == 0 ? (int64_t)arg :
                     (int64_t)MIN((uint64_t)INT64_MAX - now, arg) + now;
    unsigned steps = 0;
    for (int64_t d; (d = clock_deadline(c)) >= 0 && d <= target; steps++) {
        if (steps == FUZZ_MAX_OPS) {
            return enc_fail(e, "%s: more than %d timer deadlines before %" PRIi64
                            " ns; the clock op steps one deadline at a time",
                            text, FUZZ_MAX_OPS, target);
        }
        if (!enc_op(e, &cmd, 1, text, NULL)) {
            return false;
        }
    }
    now = clock_get_ns(c);
    if (now != target) {
        e->out->warnings++;
        enc_note(e, "%s: the clock op steps to timer deadlines only; %u step(s) "
                 "reach %" PRIi64 " ns, not %" PRIi64, text, steps, now, target);
    }
    char reply[32];
    snprintf(reply, sizeof(reply), "OK %" PRIi64, now);
    enc_expect(e, text, expected, reply);
    return true;
}

typedef struct EncCmd {
    const char *name;
    bool (*run)(Encoder *e, char **w, int n, const char *text, const char *expected);
} EncCmd;

static bool enc_board(Encoder *e, char **w, int n, const char *text, const char *expected)
{
    return enc_direct(e, text, expected);
}

static const EncCmd enc_cmds[] = {
    { "outb", enc_port }, { "outw", enc_port }, { "outl", enc_port },
    { "inb", enc_port }, { "inw", enc_port }, { "inl", enc_port },
    { "readb", enc_mem }, { "readw", enc_mem }, { "readl", enc_mem }, { "readq", enc_mem },
    { "writeb", enc_mem }, { "writew", enc_mem }, { "writel", enc_mem },
    { "writeq", enc_mem },
    { "write", enc_ram }, { "b64write", enc_ram }, { "memset", enc_ram },
    { "read", enc_ram }, { "b64read", enc_ram },
    { "clock_step", enc_clock_step }, { "clock_set", enc_clock_step },
    { "msi", enc_board }, { "info", enc_board }, { "endianness", enc_board },
};

static bool enc_command(Encoder *e, char *line);

/* The line as it ran: its command, " -> " and the reply it got (unless a
 * bare "OK"), then its comment (what --show-replies prints). */
static void enc_annotate(Encoder *e, const char *cmd, const char *comment)
{
    GString *a = e->out->annotated;
    if (*cmd) {
        g_string_append(a, cmd);
        if (e->reply && strcmp(e->reply, "OK") != 0) {
            g_string_append_printf(a, " -> %s", e->reply);
        }
        if (comment) {
            g_string_append(a, "  ");
        }
    }
    if (comment) {
        g_string_append_printf(a, "#%s", comment);
    }
    g_string_append_c(a, '\n');
}

static bool enc_line(Encoder *e, char *line)
{
    char *hash = strchr(line, '#');
    char *comment = NULL;
    if (hash) {
        *hash = '\0';
        comment = g_strchomp(hash + 1);
    }
    g_free(e->reply);
    e->reply = NULL;
    bool ok = enc_command(e, line);
    enc_annotate(e, g_strstrip(line), comment);
    return ok;
}

static bool enc_command(Encoder *e, char *line)
{
    char *expected = strstr(line, " -> ");
    if (expected) {
        *expected = '\0';
        expected = g_strstrip(expected + 4);
    }
    char *text = g_strstrip(line);
    if (!*text) {
        return true;
    }
    text = g_strdup(text);
    int n;
    char **w = qtest_split_words(text, &n);
    const EncCmd *cmd = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(enc_cmds) && !cmd; i++) {
        cmd = strcmp(enc_cmds[i].name, w[0]) == 0 ? &enc_cmds[i] : NULL;
    }
    bool ok = cmd ? cmd->run(e, w, n, text, expected)
                  : enc_fail(e, "'%s': not a command the encoder knows", w[0]);
    g_strfreev(w);
    strcpy(line, text);     /* the command alone, for enc_annotate */
    g_free(text);
    return ok;
}

/* QEMU's qtest log (QTEST_LOG=1): "[R +T] CMD" lines are commands, the
 * "[S +T] REPLY" after each is its reply (kept as "CMD -> REPLY"; IRQ
 * notices are not replies), "[I +T] ..." lines are dropped. Other text is
 * left as it is. */
static char **enc_qemu_log(char **lines)
{
    bool log = false;
    for (unsigned i = 0; lines[i] && !log; i++) {
        log = g_str_has_prefix(lines[i], "[R +");
    }
    if (!log) {
        return lines;
    }
    GPtrArray *out = g_ptr_array_new();
    for (unsigned i = 0; lines[i]; i++) {
        char *body = strstr(lines[i], "] ");
        if (!g_str_has_prefix(lines[i], "[R +") || !body) {
            continue;
        }
        char *reply = NULL;
        for (unsigned j = i + 1; lines[j] && !g_str_has_prefix(lines[j], "[R +"); j++) {
            char *r = strstr(lines[j], "] ");
            if (g_str_has_prefix(lines[j], "[S +") && r && !g_str_has_prefix(r + 2, "IRQ")) {
                reply = g_strchomp(r + 2);
                break;
            }
        }
        g_ptr_array_add(out, reply ? g_strdup_printf("%s -> %s", g_strchomp(body + 2), reply)
                                   : g_strdup(body + 2));
    }
    g_ptr_array_add(out, NULL);
    g_strfreev(lines);
    return (char **)g_ptr_array_free(out, FALSE);
}

bool fuzz_encode(Fuzzer *f, const char *name, const char *text,
                 FuzzEncoded *out, char **errp)
{
    *out = (FuzzEncoded){ .input = g_byte_array_new(), .log = g_string_new(NULL),
                          .trace = g_string_new(NULL), .annotated = g_string_new(NULL) };
    Encoder e = { .f = f, .name = name, .out = out,
                  .fills = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref),
                  .active = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref) };
    char **lines = enc_qemu_log(g_strsplit(text, "\n", -1));
    bool ok = true;
    fuzz_begin_input(f);
    for (unsigned i = 0; ok && lines[i]; i++) {
        e.lineno = i + 1;
        ok = enc_line(&e, lines[i]);
    }
    if (ok && out->commands > FUZZ_MAX_OPS) {
        ok = enc_fail(&e, "%u commands; an input runs the first %d", out->commands,
                      FUZZ_MAX_OPS);
    }
    if (ok && out->input->len > FUZZ_MAX_INPUT) {
        ok = enc_fail(&e, "the input is %u bytes; AFL++ takes at most %u",
                      out->input->len, FUZZ_MAX_INPUT);
    }
    g_strfreev(lines);
    g_ptr_array_free(e.fills, TRUE);
    g_ptr_array_free(e.active, TRUE);
    g_free(e.reply);
    if (!ok) {
        *errp = e.err;
    }
    return ok;
}

bool fuzz_encode_check(Fuzzer *f, const FuzzEncoded *e, char **errp)
{
    GString *got = g_string_new(NULL);
    char *tbuf = NULL, *rbuf = NULL;
    size_t tlen, rlen;
    fuzz_restore(f);
    f->trace = open_memstream(&tbuf, &tlen);
    f->replies = open_memstream(&rbuf, &rlen);
    fuzz_run(f, e->input->data, e->input->len);
    fclose(f->trace);
    fclose(f->replies);
    f->trace = f->replies = NULL;
    g_free(enc_pair(tbuf, rbuf, got));
    free(tbuf);
    free(rbuf);
    fuzz_restore(f);
    bool ok = g_string_equal(got, e->trace);
    if (!ok) {
        char **want = g_strsplit(e->trace->str, "\n", -1);
        char **have = g_strsplit(got->str, "\n", -1);
        unsigned i = 0;
        while (want[i] && have[i] && strcmp(want[i], have[i]) == 0) {
            i++;
        }
        *errp = g_strdup_printf("the encoded input replays otherwise: op line %u "
                                "is '%s' where the script gave '%s'", i + 1,
                                have[i] ? have[i] : "(end)", want[i] ? want[i] : "(end)");
        g_strfreev(want);
        g_strfreev(have);
    }
    g_string_free(got, TRUE);
    return ok;
}

void fuzz_encoded_free(FuzzEncoded *e)
{
    if (e->input) {
        g_byte_array_free(e->input, TRUE);
    }
    if (e->log) {
        g_string_free(e->log, TRUE);
    }
    if (e->trace) {
        g_string_free(e->trace, TRUE);
    }
    if (e->annotated) {
        g_string_free(e->annotated, TRUE);
    }
    *e = (FuzzEncoded){ 0 };
}
