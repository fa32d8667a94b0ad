/* SPDX-License-Identifier: MIT */
/* A target's AFL++ dictionary from its regions and seeds; see encode.h. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "emu/byteorder.h"
#include "harness/encode.h"

#define DICT_MAX_TOKEN 128      /* AFL++'s MAX_DICT_FILE */
#define DICT_SMALL_RANGE 16     /* ranges this small get every offset */

typedef struct Dict {
    GString *out;
    GHashTable *seen;           /* GBytes of every token written */
    unsigned count;
} Dict;

static void dict_add(Dict *d, const char *name, const uint8_t *data, size_t len)
{
    if (len == 0 || len > DICT_MAX_TOKEN) {
        return;
    }
    GBytes *key = g_bytes_new(data, len);
    if (!g_hash_table_add(d->seen, key)) {
        return;
    }
    g_string_append_printf(d->out, "%s=\"", name);
    for (size_t i = 0; i < len; i++) {
        if (g_ascii_isalnum(data[i])) {
            g_string_append_c(d->out, data[i]);
        } else {
            g_string_append_printf(d->out, "\\x%02x", data[i]);
        }
    }
    g_string_append(d->out, "\"\n");
    d->count++;
}

/* FUZZ followed by the first len bytes of cmd. */
static void dict_add_cmd(Dict *d, const char *name, const uint8_t *cmd, size_t len)
{
    uint8_t buf[FUZZ_SEPARATOR_LEN + DICT_MAX_TOKEN];
    if (len + FUZZ_SEPARATOR_LEN <= sizeof(buf)) {
        memcpy(buf, FUZZ_SEPARATOR, FUZZ_SEPARATOR_LEN);
        memcpy(buf + FUZZ_SEPARATOR_LEN, cmd, len);
        dict_add(d, name, buf, FUZZ_SEPARATOR_LEN + len);
    }
}

/* The op's name in lower case ("pci_read"). */
static const char *dict_op_name(FuzzOp op, char *buf, size_t size)
{
    g_strlcpy(buf, fuzz_op_info[op].name, size);
    for (char *p = buf; *p; p++) {
        *p = g_ascii_tolower(*p);
    }
    return buf;
}

static void dict_format(Dict *d, bool pci)
{
    static const uint8_t sep[] = FUZZ_SEPARATOR;
    uint8_t step[] = "FUZZ\x09" "FUZZ", clear = FUZZ_OP_CLEAR_DMA_PATTERNS;
    uint8_t pattern[] = { FUZZ_OP_ADD_DMA_PATTERN, 0, 0 }, off = FUZZ_OP_DISABLE_PCI;
    dict_add(d, "separator", sep, FUZZ_SEPARATOR_LEN);
    dict_add(d, "clock_step", step, sizeof(step) - 1);
    dict_add_cmd(d, "clear_dma_patterns", &clear, 1);
    dict_add_cmd(d, "dma_pattern", pattern, sizeof(pattern));
    if (pci) {
        dict_add_cmd(d, "disable_pci", &off, 1);
    }
}

/* Any machine: op headers for the first few ranges and devices. */
static void dict_any_machine(Dict *d)
{
    char name[48], opname[24];
    for (unsigned op = FUZZ_OP_IN; op <= FUZZ_OP_PCI_WRITE; op++) {
        bool mmio = op == FUZZ_OP_READ || op == FUZZ_OP_WRITE;
        for (unsigned w = 0; w < (mmio ? 4 : 3); w++) {
            unsigned width = mmio ? fuzz_mmio_widths[w] : fuzz_pio_widths[w];
            for (unsigned index = 0; index < 4; index++) {
                uint8_t cmd[3] = { op, w, index };
                snprintf(name, sizeof(name), "%s%u_%u",
                         dict_op_name(op, opname, sizeof(opname)), width, index);
                dict_add_cmd(d, name, cmd, sizeof(cmd));
            }
        }
    }
}

/* Every offset and width of each small port or memory range. */
static void dict_small_ranges(Dict *d, Fuzzer *f, bool mmio)
{
    const FuzzRanges *c = fuzz_ranges(f, mmio);
    char name[64];
    for (unsigned i = 0; i < c->n; i++) {
        if (c->r[i].size > DICT_SMALL_RANGE) {
            continue;
        }
        for (unsigned w = 0; w < (mmio ? 4u : 3u); w++) {
            unsigned width = mmio ? fuzz_mmio_widths[w] : fuzz_pio_widths[w];
            for (uint64_t o = 0; o + width <= c->r[i].size; o++) {
                for (int rd = 0; rd < 2; rd++) {
                    FuzzOp op = mmio ? (rd ? FUZZ_OP_READ : FUZZ_OP_WRITE)
                                     : (rd ? FUZZ_OP_IN : FUZZ_OP_OUT);
                    uint8_t cmd[8] = { op, w, i };
                    size_t len = mmio ? 8 : 5;
                    if (mmio) {
                        st_le32(cmd + 4, o);
                    } else {
                        st_le16(cmd + 3, o);
                    }
                    snprintf(name, sizeof(name), "%s%u_0x%" PRIx64 "_%u",
                             rd ? (mmio ? "read" : "in") : (mmio ? "write" : "out"),
                             width, c->r[i].start + o, i);
                    dict_add_cmd(d, name, cmd, len);
                }
            }
        }
    }
}

/* One command of a seed: its header, the whole command, its value. */
static void dict_command(Dict *d, const uint8_t *c, size_t len, unsigned *npat)
{
    FuzzOp op = c[0] % FUZZ_OP_COUNT;
    size_t need = 1 + fuzz_op_info[op].payload;
    char name[48], buf[24];
    if (len < need) {
        return;
    }
    const char *opname = dict_op_name(op, buf, sizeof(buf));
    switch (op) {
    case FUZZ_OP_IN:
    case FUZZ_OP_READ:
    case FUZZ_OP_PCI_READ:
        snprintf(name, sizeof(name), "%s_r%u", opname, c[2]);
        dict_add_cmd(d, name, c, need);
        break;
    case FUZZ_OP_OUT:
    case FUZZ_OP_WRITE:
    case FUZZ_OP_PCI_WRITE: {
        size_t head = op == FUZZ_OP_OUT ? 5 : op == FUZZ_OP_WRITE ? 9 : 5;
        unsigned width = op == FUZZ_OP_WRITE ? fuzz_mmio_widths[c[1] % 4]
                                             : fuzz_pio_widths[c[1] % 3];
        snprintf(name, sizeof(name), "%s_r%u", opname, c[2]);
        dict_add_cmd(d, name, c, head);
        snprintf(name, sizeof(name), "cmd_%s_r%u", opname, c[2]);
        dict_add_cmd(d, name, c, need);
        snprintf(name, sizeof(name), "val%u", width);
        dict_add(d, name, c + head, width);
        break;
    }
    case FUZZ_OP_ADD_DMA_PATTERN:
        snprintf(name, sizeof(name), "pattern%u", (*npat)++);
        dict_add(d, name, c + 3, len - 3);
        break;
    default:
        break;
    }
}

static void dict_input(Dict *d, const GByteArray *in, unsigned *npat)
{
    const uint8_t *p = in->data, *end = in->data + in->len;
    while (p < end) {
        const uint8_t *sep = memmem(p, end - p, FUZZ_SEPARATOR, FUZZ_SEPARATOR_LEN);
        size_t len = (sep ? sep : end) - p;
        if (len > 0) {
            dict_command(d, p, len, npat);
        }
        if (!sep) {
            break;
        }
        p = sep + FUZZ_SEPARATOR_LEN;
    }
}

/* An AFL++ dictionary line, `[name[@level]=]"escaped"`, as its bytes. */
static GByteArray *dict_parse_line(const char *line)
{
    const char *q = strchr(line, '"');
    const char *end = strrchr(line, '"');
    if (!q || end == q || end[1] != '\0') {
        return NULL;
    }
    GByteArray *b = g_byte_array_new();
    for (const char *p = q + 1; p < end; p++) {
        uint8_t c = *p;
        if (c == '\\') {
            if (p[1] == '\\' || p[1] == '"') {
                c = *++p;
            } else if (p[1] == 'x' && g_ascii_isxdigit(p[2]) && g_ascii_isxdigit(p[3])) {
                c = g_ascii_xdigit_value(p[2]) << 4 | g_ascii_xdigit_value(p[3]);
                p += 3;
            } else {
                g_byte_array_free(b, TRUE);
                return NULL;
            }
        } else if (c == '"' || c < 0x20 || c > 0x7e) {
            g_byte_array_free(b, TRUE);
            return NULL;
        }
        g_byte_array_append(b, &c, 1);
    }
    return b;
}

static bool dict_extra(Dict *d, const char *path, char **errp)
{
    char *text;
    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        *errp = g_strdup_printf("%s: cannot read it", path);
        return false;
    }
    char **lines = g_strsplit(text, "\n", -1);
    bool ok = true;
    for (unsigned i = 0; ok && lines[i]; i++) {
        char *l = g_strstrip(lines[i]);
        if (!*l || *l == '#') {
            continue;
        }
        GByteArray *b = dict_parse_line(l);
        ok = b && b->len > 0 && b->len <= DICT_MAX_TOKEN;
        if (!ok) {
            *errp = g_strdup_printf("%s:%u: not an AFL++ dictionary entry of 1 to %d "
                                    "bytes (name=\"...\", \\xNN escapes)", path, i + 1,
                                    DICT_MAX_TOKEN);
        } else {
            char *eq = strchr(l, '=');
            char *name = eq && eq < strchr(l, '"') ? g_strndup(l, eq - l) : g_strdup("extra");
            dict_add(d, name, b->data, b->len);
            g_free(name);
        }
        if (b) {
            g_byte_array_free(b, TRUE);
        }
    }
    g_strfreev(lines);
    g_free(text);
    return ok;
}

bool fuzz_dictionary(Fuzzer *f, GPtrArray *inputs, const char *const *extra_files,
                     GString *out, char **errp)
{
    Dict d = { .out = out,
               .seen = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
                                             (GDestroyNotify)g_bytes_unref, NULL) };
    unsigned npat = 0;
    g_string_append_printf(out, "# AFL++ dictionary for %s, made by tools/seeds from "
                           "the target's\n# ranges and seeds%s. Do not edit: "
                           "additions go in targets/NAME/extra.dict.\n",
                           f ? f->target->name : "generic-fuzz (any machine)",
                           extra_files && extra_files[0] ? " and its extra.dict" : "");
    dict_format(&d, !f || f->nr_pci > 0);
    if (!f) {
        dict_any_machine(&d);
    } else {
        dict_small_ranges(&d, f, false);
        dict_small_ranges(&d, f, true);
    }
    for (guint i = 0; inputs && i < inputs->len; i++) {
        dict_input(&d, inputs->pdata[i], &npat);
    }
    bool ok = true;
    for (unsigned i = 0; ok && extra_files && extra_files[i]; i++) {
        ok = dict_extra(&d, extra_files[i], errp);
    }
    g_hash_table_destroy(d.seen);
    return ok;
}
