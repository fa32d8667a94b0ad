/* SPDX-License-Identifier: MIT */
/* An input printed as ops, one a line, without a machine (tools/decode). */
#include <inttypes.h>
#include <string.h>

#include "emu/byteorder.h"
#include "harness/fuzz.h"
#include "harness/virtio-flags-fuzz.h"
#include "harness/virtio-net-fuzz.h"

static void decode_op(const uint8_t *c, size_t len, FILE *out)
{
    const unsigned *pio = fuzz_pio_widths, *mmio = fuzz_mmio_widths;
    int op = c[0] % FUZZ_OP_COUNT;
    const uint8_t *p = c + 1;
    size_t n = len - 1;
    fprintf(out, "%-18s", fuzz_op_info[op].name);
    if (n < fuzz_op_info[op].payload) {
        fprintf(out, " (short: %zu of %zu payload bytes; does nothing)\n", n,
                fuzz_op_info[op].payload);
        return;
    }
    switch (op) {
    case FUZZ_OP_IN:
        fprintf(out, " width %u range #%u offset 0x%04" PRIx64, pio[p[0] % 3], p[1], ld_le_n(p + 2, 2));
        break;
    case FUZZ_OP_OUT:
        fprintf(out, " width %u range #%u offset 0x%04" PRIx64 " value 0x%" PRIx64,
                pio[p[0] % 3], p[1], ld_le_n(p + 2, 2), ld_le_n(p + 4, 4));
        break;
    case FUZZ_OP_READ:
        fprintf(out, " width %u range #%u offset 0x%" PRIx64, mmio[p[0] % 4], p[1], ld_le_n(p + 4, 4));
        break;
    case FUZZ_OP_WRITE:
        fprintf(out, " width %u range #%u offset 0x%" PRIx64 " value 0x%" PRIx64,
                mmio[p[0] % 4], p[1], ld_le_n(p + 4, 4), ld_le_n(p + 8, 8));
        break;
    case FUZZ_OP_PCI_READ:
        fprintf(out, " width %u device #%u reg 0x%02x", pio[p[0] % 3], p[1], p[2]);
        break;
    case FUZZ_OP_PCI_WRITE:
        fprintf(out, " width %u device #%u reg 0x%02x value 0x%" PRIx64, pio[p[0] % 3],
                p[1], p[2], ld_le_n(p + 4, 4));
        break;
    case FUZZ_OP_ADD_DMA_PATTERN:
        fprintf(out, " index %zu stride %u data", p[0] % (n - 2), p[1]);
        for (size_t i = 2; i < n && i < 34; i++) {
            fprintf(out, " %02x", p[i]);
        }
        if (n > 34) {
            fprintf(out, " ... (%zu bytes)", n - 2);
        }
        break;
    default:
        break;
    }
    fputc('\n', out);
}

void fuzz_decode(const uint8_t *data, size_t len, FILE *out)
{
    const uint8_t *end = data + len;
    unsigned ops = 0;
    while (data < end) {
        const uint8_t *sep = memmem(data, end - data, FUZZ_SEPARATOR, FUZZ_SEPARATOR_LEN);
        size_t cmd_len = (sep ? sep : end) - data;
        if (cmd_len > 0) {
            if (ops == FUZZ_MAX_OPS) {
                fprintf(out, "(ops after the first %d are not run)\n", FUZZ_MAX_OPS);
            }
            decode_op(data, cmd_len, out);
            ops++;
        }
        if (!sep) {
            break;
        }
        data = sep + FUZZ_SEPARATOR_LEN;
    }
}

/* The structured targets whose records tools/decode prints, by their run
 * function (a target's own format). */
static const struct {
    void (*run)(Fuzzer *f, const uint8_t *data, size_t len);
    void (*decode)(const uint8_t *data, size_t len, FILE *out);
} decode_structured[] = {
    { virtio_net_fuzz_run, virtio_net_fuzz_decode },
    { virtio_flags_fuzz_run, virtio_flags_fuzz_decode },
};

void fuzz_decode_target(const FuzzTarget *t, const uint8_t *data, size_t len,
                        FILE *out)
{
    if (!t || !t->run) {
        fuzz_decode(data, len, out);
        return;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(decode_structured); i++) {
        if (decode_structured[i].run == t->run) {
            decode_structured[i].decode(data, len, out);
            return;
        }
    }
    fprintf(out, "(%s is a structured target: its input format is its own, not "
            "generic-fuzz ops; see docs/fuzz-input-format.md)\n", t->name);
}
