/* SPDX-License-Identifier: MIT */
/*
 * qtest text protocol server; see qtest.h. Replies follow QEMU 7.2's
 * softmmu/qtest.c format: "OK", "OK 0x%04x" for in*, "OK 0x%016x" for read*,
 * "OK 0x<hex>" for read, "OK <base64>" for b64read, "OK <ns>" for the clock,
 * "FAIL Unknown command 'X'" for an unknown word. Argument errors (where QEMU
 * asserts) give "ERR <reason>".
 */
#include "emu/qtest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "emu/log.h"
#include "emu/msi.h"

/* Largest read/write/memset a single command may ask for. */
#define QTEST_MAX_XFER (64u * 1024 * 1024)

typedef struct QtestCmd {
    const char *name;
    int min_args;
    void (*run)(Machine *m, char **args, int nargs, GString *out);
} QtestCmd;

bool qtest_u64(const char *word, uint64_t *v)
{
    char *end;
    errno = 0;
    if (!word || !*word || *word == '-') {
        return false;
    }
    *v = strtoull(word, &end, 0);
    return errno == 0 && *end == '\0';
}

unsigned qtest_size_suffix(const char *cmd)
{
    switch (cmd[strlen(cmd) - 1]) {
    case 'b': return 1;
    case 'w': return 2;
    case 'l': return 4;
    default:  return 8;
    }
}

static void qtest_err(GString *out, const char *why)
{
    g_string_append_printf(out, "ERR %s\n", why);
}

static bool qtest_addr_len(char **args, uint64_t *addr, uint64_t *len,
                           GString *out)
{
    if (!qtest_u64(args[1], addr) || !qtest_u64(args[2], len)) {
        qtest_err(out, "invalid address or size");
        return false;
    }
    if (*len > QTEST_MAX_XFER) {
        qtest_err(out, "size too large");
        return false;
    }
    return true;
}

static void cmd_out(Machine *m, char **args, int nargs, GString *out)
{
    uint64_t addr, val;
    if (!qtest_u64(args[1], &addr) || !qtest_u64(args[2], &val)) {
        qtest_err(out, "invalid port or value");
    } else if (addr > 0xffff) {
        qtest_err(out, "port out of range");
    } else {
        as_write_val(&m->as_io, addr, val, qtest_size_suffix(args[0]), NULL);
        g_string_append(out, "OK\n");
    }
}

static void cmd_in(Machine *m, char **args, int nargs, GString *out)
{
    uint64_t addr;
    if (!qtest_u64(args[1], &addr)) {
        qtest_err(out, "invalid port");
    } else if (addr > 0xffff) {
        qtest_err(out, "port out of range");
    } else {
        uint64_t v = as_read_val(&m->as_io, addr, qtest_size_suffix(args[0]), NULL);
        g_string_append_printf(out, "OK 0x%04" PRIx64 "\n", v);
    }
}

static void cmd_writeN(Machine *m, char **args, int nargs, GString *out)
{
    uint64_t addr, val;
    if (!qtest_u64(args[1], &addr) || !qtest_u64(args[2], &val)) {
        qtest_err(out, "invalid address or value");
    } else {
        as_write_val(&m->as_mem, addr, val, qtest_size_suffix(args[0]), NULL);
        g_string_append(out, "OK\n");
    }
}

static void cmd_readN(Machine *m, char **args, int nargs, GString *out)
{
    uint64_t addr;
    if (!qtest_u64(args[1], &addr)) {
        qtest_err(out, "invalid address");
    } else {
        uint64_t v = as_read_val(&m->as_mem, addr, qtest_size_suffix(args[0]), NULL);
        g_string_append_printf(out, "OK 0x%016" PRIx64 "\n", v);
    }
}

static void cmd_read(Machine *m, char **args, int nargs, GString *out)
{
    uint64_t addr, len;
    if (!qtest_addr_len(args, &addr, &len, out)) {
        return;
    }
    if (len == 0) {
        qtest_err(out, "size must not be 0");
        return;
    }
    uint8_t *buf = g_malloc(len);
    as_read(&m->as_mem, addr, buf, len);
    g_string_append(out, "OK 0x");
    for (uint64_t i = 0; i < len; i++) {
        g_string_append_printf(out, "%02x", buf[i]);
    }
    g_string_append_c(out, '\n');
    g_free(buf);
}

static void cmd_b64read(Machine *m, char **args, int nargs, GString *out)
{
    uint64_t addr, len;
    if (!qtest_addr_len(args, &addr, &len, out)) {
        return;
    }
    uint8_t *buf = g_malloc(len ? len : 1);
    as_read(&m->as_mem, addr, buf, len);
    gchar *enc = g_base64_encode(buf, len);
    g_string_append_printf(out, "OK %s\n", enc);
    g_free(enc);
    g_free(buf);
}

static int qtest_hex_nibble(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* "0xHEX" into len bytes; missing bytes are 0, as QEMU. */
static bool qtest_parse_hex(const char *word, uint8_t *buf, uint64_t len)
{
    if (strlen(word) < 3 || word[0] != '0' || (word[1] != 'x' && word[1] != 'X')) {
        return false;
    }
    const char *hex = word + 2;
    size_t hex_len = strlen(hex);
    for (size_t i = 0; i < hex_len; i++) {
        if (qtest_hex_nibble(hex[i]) < 0) {
            return false;
        }
    }
    for (uint64_t i = 0; i < len; i++) {
        buf[i] = 0;
        if (2 * i + 1 < hex_len) {
            buf[i] = qtest_hex_nibble(hex[2 * i]) << 4 |
                     qtest_hex_nibble(hex[2 * i + 1]);
        }
    }
    return true;
}

static void cmd_write(Machine *m, char **args, int nargs, GString *out)
{
    uint64_t addr, len;
    if (!qtest_addr_len(args, &addr, &len, out)) {
        return;
    }
    uint8_t *buf = g_malloc(len ? len : 1);
    if (!qtest_parse_hex(args[3], buf, len)) {
        qtest_err(out, "invalid argument size");
    } else {
        as_write(&m->as_mem, addr, buf, len);
        g_string_append(out, "OK\n");
    }
    g_free(buf);
}

static void cmd_b64write(Machine *m, char **args, int nargs, GString *out)
{
    uint64_t addr, len;
    if (!qtest_addr_len(args, &addr, &len, out)) {
        return;
    }
    gsize dec_len;
    guchar *data = g_base64_decode(args[3], &dec_len);
    /* As QEMU: a short payload writes what there is. */
    as_write(&m->as_mem, addr, data, MIN(dec_len, len));
    g_free(data);
    g_string_append(out, "OK\n");
}

static void cmd_memset(Machine *m, char **args, int nargs, GString *out)
{
    uint64_t addr, len, pattern;
    if (!qtest_addr_len(args, &addr, &len, out)) {
        return;
    }
    if (!qtest_u64(args[3], &pattern)) {
        qtest_err(out, "invalid pattern");
        return;
    }
    if (len) {
        uint8_t *buf = g_malloc(len);
        memset(buf, (int)(pattern & 0xff), len);
        as_write(&m->as_mem, addr, buf, len);
        g_free(buf);
    }
    g_string_append(out, "OK\n");
}

static void cmd_clock_step(Machine *m, char **args, int nargs, GString *out)
{
    uint64_t ns;
    if (nargs < 2) {
        if (!clock_step_next(&m->clock)) {
            g_string_append(out, "FAIL No timer is pending\n");
            return;
        }
    } else if (!qtest_u64(args[1], &ns) || ns > INT64_MAX) {
        qtest_err(out, "invalid time");
        return;
    } else {
        clock_step(&m->clock, (int64_t)ns);
    }
    g_string_append_printf(out, "OK %" PRIi64 "\n", clock_get_ns(&m->clock));
}

static void cmd_clock_set(Machine *m, char **args, int nargs, GString *out)
{
    uint64_t ns;
    if (!qtest_u64(args[1], &ns) || ns > INT64_MAX) {
        qtest_err(out, "invalid time");
        return;
    }
    clock_set(&m->clock, (int64_t)ns);
    g_string_append_printf(out, "OK %" PRIi64 "\n", clock_get_ns(&m->clock));
}

static void cmd_endianness(Machine *m, char **args, int nargs, GString *out)
{
    g_string_append(out, "OK little\n");
}

static void cmd_info(Machine *m, char **args, int nargs, GString *out)
{
    if (strcmp(args[1], "mtree") == 0) {
        unsigned flags = 0;
        for (int i = 2; i < nargs; i++) {
            flags |= strcmp(args[i], "-f") == 0 ? MTREE_FLAT :
                     strcmp(args[i], "-o") == 0 ? MTREE_OWNER :
                     strcmp(args[i], "-D") == 0 ? MTREE_DISABLED : 0;
        }
        machine_info_mtree(m, out, flags);
    } else if (strcmp(args[1], "qom-tree") == 0) {
        machine_info_qom_tree(m, out);
    } else {
        qtest_err(out, "info: mtree [-f] [-o] [-D] or qom-tree");
        return;
    }
    g_string_append(out, "OK\n");
}

/* "msi [N]": the interrupt sink's count and its message N before the last
 * (0, the default: the last; 0x0 0x0 while there is none). */
static void cmd_msi(Machine *m, char **args, int nargs, GString *out)
{
    uint64_t back = 0, addr = 0;
    uint32_t data = 0;

    if (!m->msi_log) {
        qtest_err(out, "msi: this machine has no MSI sink");
    } else if (nargs > 2) {
        qtest_err(out, "msi: one optional argument, N (0: the last message)");
    } else if (nargs == 2 && (!qtest_u64(args[1], &back) || back >= MSI_LOG_LEN)) {
        g_string_append_printf(out, "ERR msi: N must be a number below %u\n",
                               MSI_LOG_LEN);
    } else if (!msi_log_get(m->msi_log, back, &addr, &data) &&
               (back > 0 || m->msi_log->count > 0)) {
        g_string_append_printf(out, "ERR msi: no message %" PRIu64 " before the "
                               "last (%" PRIu64 " recorded)\n", back,
                               m->msi_log->count);
    } else {
        g_string_append_printf(out, "OK %" PRIu64 " 0x%" PRIx64 " 0x%" PRIx32 "\n",
                               m->msi_log->count, addr, data);
    }
}

static const QtestCmd qtest_cmds[] = {
    { "outb", 3, cmd_out }, { "outw", 3, cmd_out }, { "outl", 3, cmd_out },
    { "inb", 2, cmd_in }, { "inw", 2, cmd_in }, { "inl", 2, cmd_in },
    { "writeb", 3, cmd_writeN }, { "writew", 3, cmd_writeN },
    { "writel", 3, cmd_writeN }, { "writeq", 3, cmd_writeN },
    { "readb", 2, cmd_readN }, { "readw", 2, cmd_readN },
    { "readl", 2, cmd_readN }, { "readq", 2, cmd_readN },
    { "read", 3, cmd_read }, { "b64read", 3, cmd_b64read },
    { "write", 4, cmd_write }, { "b64write", 4, cmd_b64write },
    { "memset", 4, cmd_memset },
    { "clock_step", 1, cmd_clock_step }, { "clock_set", 2, cmd_clock_set },
    { "endianness", 1, cmd_endianness },
    { "info", 2, cmd_info },
    { "msi", 1, cmd_msi },
};

char **qtest_split_words(const char *line, int *nargs)
{
    char **args = g_strsplit_set(line, " \t\r", -1);
    /* Drop empty words: several blanks count as one. */
    int n = 0;
    for (int i = 0; args[i]; i++) {
        if (*args[i]) {
            args[n++] = args[i];
        } else {
            g_free(args[i]);
        }
    }
    args[n] = NULL;
    *nargs = n;
    return args;
}

void qtest_process_line(Machine *m, const char *line, GString *out)
{
    int nargs;
    char **args = qtest_split_words(line, &nargs);
    if (nargs == 0 || args[0][0] == '#') {
        /* Blank lines get no reply, as in QEMU; nor do '#' comments (ours:
         * traces carry their command line and notes in them). */
        g_strfreev(args);
        return;
    }
    const QtestCmd *cmd = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(qtest_cmds) && !cmd; i++) {
        if (strcmp(qtest_cmds[i].name, args[0]) == 0) {
            cmd = &qtest_cmds[i];
        }
    }
    if (!cmd) {
        g_string_append_printf(out, "FAIL Unknown command '%s'\n", args[0]);
    } else if (nargs < cmd->min_args) {
        qtest_err(out, "missing arguments");
    } else {
        cmd->run(m, args, nargs, out);
        machine_settle(m);
    }
    g_strfreev(args);
}

int qtest_serve_stream(Machine *m, FILE *in, FILE *out)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    GString *reply = g_string_new(NULL);
    while ((n = getline(&line, &cap, in)) >= 0) {
        g_string_truncate(reply, 0);
        if ((size_t)n > QTEST_MAX_LINE) {
            qtest_err(reply, "line too long");
        } else {
            if (n > 0 && line[n - 1] == '\n') {
                line[n - 1] = '\0';
            }
            if (memchr(line, '\0', n > 0 && line[n - 1] == '\0' ? n - 1 : n)) {
                qtest_err(reply, "NUL byte in command");
            } else {
                qtest_process_line(m, line, reply);
            }
        }
        fwrite(reply->str, 1, reply->len, out);
        fflush(out);
    }
    g_string_free(reply, TRUE);
    free(line);
    return 0;
}

static int qtest_serve_unix(Machine *m, const char *path, char **errp)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(sa.sun_path)) {
        *errp = g_strdup_printf("-qtest unix:%s: path too long", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    int listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        listen(listen_fd, 1) < 0) {
        *errp = g_strdup_printf("-qtest unix:%s: %s", path, strerror(errno));
        if (listen_fd >= 0) {
            close(listen_fd);
        }
        return -1;
    }
    int fd = accept(listen_fd, NULL, NULL);
    close(listen_fd);
    unlink(path);
    if (fd < 0) {
        *errp = g_strdup_printf("-qtest unix:%s: accept: %s", path, strerror(errno));
        return -1;
    }
    FILE *in = fdopen(fd, "r");
    FILE *out = fdopen(dup(fd), "w");
    int ret = qtest_serve_stream(m, in, out);
    fclose(in);
    fclose(out);
    return ret;
}

int qtest_serve(Machine *m, const char *spec, char **errp)
{
    if (strcmp(spec, "stdio") == 0) {
        return qtest_serve_stream(m, stdin, stdout);
    }
    if (g_str_has_prefix(spec, "unix:")) {
        return qtest_serve_unix(m, spec + 5, errp);
    }
    *errp = g_strdup_printf("-qtest: '%s' is not stdio or unix:PATH", spec);
    return -1;
}
