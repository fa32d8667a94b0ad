/* SPDX-License-Identifier: MIT */
/*
 * virtio-net-fuzz inputs printed as their records (tools/decode): the same
 * walk as virtio_net_fuzz_run (docs/fuzz-input-format.md, "virtio-net-fuzz"),
 * without a machine, so slots and guest addresses are not shown.
 */
#include "harness/virtio-net-fuzz.h"

#include <stdio.h>
#include <string.h>

#include "emu/byteorder.h"

#define VND_MAX_RECORDS 256
#define VND_MAX_CHAIN   8
#define VND_MAX_POKE    32
#define VND_BUF_SIZE    0x1000
#define VND_QUEUES      3
#define VND_SHOW        16      /* data bytes shown of a buffer or a poke */

typedef struct VndReader {
    FuzzReader in;
    FILE *out;
} VndReader;

/* n data bytes of the input: the first few shown, all skipped. */
static void vnd_data(VndReader *r, size_t n)
{
    fprintf(r->out, " %zu bytes", n);
    for (size_t i = 0; i < n && i < VND_SHOW; i++) {
        fprintf(r->out, "%s%02x", i ? " " : ": ", r->in.p[i]);
    }
    fputs(n > VND_SHOW ? " ...\n" : "\n", r->out);
    r->in.p += n;
    r->in.left -= n;
}

static bool vnd_desc(VndReader *r, unsigned j)
{
    uint8_t fl, b[2], raw;
    if (!fuzz_take(&r->in, &fl, 1) || !fuzz_take(&r->in, b, 2)) {
        fprintf(r->out, "    entry %u cut short: the run stops here\n", j);
        return false;
    }
    uint16_t len = ld_le16(b);
    fprintf(r->out, "    entry %u: %s, length %u", j, (fl & 1) ? "writable" : "readable",
            len);
    if ((fl & 2) && fuzz_take(&r->in, &raw, 1)) {
        fprintf(r->out, ", NEXT raw index %u", raw);
    }
    if (fl & 4) {
        fputs(", no NEXT (cut chain)", r->out);
    }
    if (fl & 8) {
        fputs(", INDIRECT flag", r->out);
    }
    if (fl & 1) {
        fputc('\n', r->out);
        return true;
    }
    fputc(',', r->out);
    vnd_data(r, MIN(MIN((size_t)len, (size_t)VND_BUF_SIZE), r->in.left));
    return true;
}

static bool vnd_chain(VndReader *r, uint8_t c, unsigned q)
{
    uint8_t b;
    if (!fuzz_take(&r->in, &b, 1)) {
        fprintf(r->out, "CHAIN q%u cut short: the run stops here\n", q);
        return false;
    }
    unsigned n = 1 + b % VND_MAX_CHAIN;
    fprintf(r->out, "CHAIN q%u%s%s, %u entr%s\n", q, (c & 0x20) ? " indirect" : "",
            (c & 0x10) ? " + kick" : "", n, n == 1 ? "y" : "ies");
    for (unsigned j = 0; j < n; j++) {
        if (!vnd_desc(r, j)) {
            return false;
        }
    }
    return true;
}

static void vnd_reg(VndReader *r, uint8_t c)
{
    static const char *const regs[] = {
        "device_status", "queue_select", "queue_size", "queue_msix_vector",
        "queue_enable", "queue_reset", "msix_config", "driver_feature_select",
        "driver_feature", "device_feature_select",
    };
    uint8_t b[4] = { 0 };
    size_t n = MIN(r->in.left, sizeof(b));
    fuzz_take(&r->in, b, n);
    uint32_t v = ld_le32(b);
    unsigned which = (c >> 2) % (G_N_ELEMENTS(regs) + 3);
    if (which < G_N_ELEMENTS(regs)) {
        fprintf(r->out, "REG %s = 0x%x\n", regs[which], v);
    } else if (which == G_N_ELEMENTS(regs)) {
        fprintf(r->out, "REG device config [%u] = 0x%02x\n", (v >> 8) % 8, v & 0xff);
    } else if (which == G_N_ELEMENTS(regs) + 1) {
        fputs("REG read ISR\n", r->out);
    } else {
        fputs("REG bring-up again\n", r->out);
    }
}

static bool vnd_poke(VndReader *r, uint8_t c, unsigned q)
{
    static const char *const areas[] = { "descriptor table", "avail ring", "used ring",
                                         "buffers" };
    static const unsigned sizes[] = { 0x1000, 0x1000, 0x1000, 0x100000 };
    unsigned area = (c >> 4) & 3;
    uint8_t b[2], n;
    if (!fuzz_take(&r->in, b, 2) || !fuzz_take(&r->in, &n, 1)) {
        fprintf(r->out, "POKE q%u cut short: the run stops here\n", q);
        return false;
    }
    fprintf(r->out, "POKE q%u %s + 0x%x,", q, areas[area], ld_le16(b) % sizes[area]);
    vnd_data(r, MIN((size_t)(n % (VND_MAX_POKE + 1)), r->in.left));
    return true;
}

void virtio_net_fuzz_decode(const uint8_t *data, size_t len, FILE *out)
{
    VndReader r = { { data, len }, out };
    uint8_t c;
    bool ok = true;
    unsigned n;

    for (n = 0; ok && n < VND_MAX_RECORDS && fuzz_take(&r.in, &c, 1); n++) {
        unsigned q = ((c >> 2) & 3) % VND_QUEUES;
        switch (c % 4) {
        case 0: ok = vnd_chain(&r, c, q); break;
        case 1: fprintf(out, "KICK q%u\n", q); break;
        case 2: vnd_reg(&r, c); break;
        case 3: ok = vnd_poke(&r, c, q); break;
        }
    }
    if (ok && n == VND_MAX_RECORDS && r.in.left) {
        fprintf(out, "(%zu bytes after record %d ignored)\n", r.in.left, VND_MAX_RECORDS);
    }
}
