/* SPDX-License-Identifier: MIT */
/*
 * The generic-fuzz ops (QEMU's format, see fuzz.h) and the DMA fill hook.
 * Every op goes through the same address spaces as qtest does, and, with a
 * trace open, is written as the qtest line that replays it.
 */
#include "harness/fuzz.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "emu/byteorder.h"
#include "emu/dma.h"
#include "emu/log.h"

const FuzzOpInfo fuzz_op_info[FUZZ_OP_COUNT] = {
    [FUZZ_OP_IN] = { "IN", 4 },
    [FUZZ_OP_OUT] = { "OUT", 8 },
    [FUZZ_OP_READ] = { "READ", 8 },
    [FUZZ_OP_WRITE] = { "WRITE", 16 },
    [FUZZ_OP_PCI_READ] = { "PCI_READ", 3 },
    [FUZZ_OP_PCI_WRITE] = { "PCI_WRITE", 8 },
    [FUZZ_OP_DISABLE_PCI] = { "DISABLE_PCI", 0 },
    [FUZZ_OP_ADD_DMA_PATTERN] = { "ADD_DMA_PATTERN", 3 },
    [FUZZ_OP_CLEAR_DMA_PATTERNS] = { "CLEAR_DMA_PATTERNS", 0 },
    [FUZZ_OP_CLOCK_STEP] = { "CLOCK_STEP", 0 },
};
const unsigned fuzz_pio_widths[3] = { 1, 2, 4 };
const unsigned fuzz_mmio_widths[4] = { 1, 2, 4, 8 };

int fuzz_width_code(bool mmio, unsigned width)
{
    const unsigned *w = mmio ? fuzz_mmio_widths : fuzz_pio_widths;
    int n = mmio ? 4 : 3;
    for (int i = 0; i < n; i++) {
        if (w[i] == width) {
            return i;
        }
    }
    return -1;
}

/* Payload too short for the op: it does nothing, as in QEMU. */
static bool fuzz_short(FuzzOp op, size_t len)
{
    return len < fuzz_op_info[op].payload;
}

#define PCI_CONFIG_ADDR_PORT 0xcf8
#define PCI_CONFIG_DATA_PORT 0xcfc
#define PCI_CONFIG_ENABLE    0x80000000u

void fuzz_trace(Fuzzer *f, const char *reply, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f->trace, fmt, ap);
    va_end(ap);
    fputc('\n', f->trace);
    if (f->replies) {
        fprintf(f->replies, "%s\n", reply);
    }
}

void fuzz_trace_begin(Fuzzer *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->trace_op, sizeof(f->trace_op), fmt, ap);
    va_end(ap);
    f->trace_op_pending = true;
}

void fuzz_trace_end(Fuzzer *f, const char *reply)
{
    f->trace_op_pending = false;
    fuzz_trace(f, reply, "%s", f->trace_op);
}

void fuzz_trace_crash(Fuzzer *f)
{
    if (!f->trace) {
        return;
    }
    if (f->trace_op_pending) {
        f->trace_op_pending = false;
        fprintf(f->trace, "%s\n", f->trace_op);
    }
    fflush(f->trace);
}

/* Every value the input reads, folded into one number (FNV-1a). */
static void fuzz_note_read(Fuzzer *f, uint64_t val)
{
    f->reads_hash = (f->reads_hash ^ val) * 0x100000001b3ull;
    f->reads++;
}

static bool fuzz_mr_matched(const Fuzzer *f, const MemoryRegion *mr)
{
    for (unsigned i = 0; i < f->nr_mrs; i++) {
        if (f->mrs[i] == mr) {
            return true;
        }
    }
    return false;
}

static void fuzz_ranges_rebuild(const Fuzzer *f, FuzzRanges *c)
{
    size_t n;
    const FlatRange *r = as_ranges(c->as, &n);
    c->n = 0;
    for (size_t i = 0; i < n && c->n < FUZZ_MAX_RANGES; i++) {
        if (fuzz_mr_matched(f, r[i].mr)) {
            c->r[c->n++] = r[i];
        }
    }
    /* i % n once here, counted rather than divided, not in every op. */
    for (unsigned i = 0, j = 0; i < G_N_ELEMENTS(c->pick); i++) {
        c->pick[i] = (uint8_t)j;
        j = j + 1 < c->n ? j + 1 : 0;
    }
    c->generation = c->as->generation;
    c->valid = true;
}

const char *fuzz_stale_ranges(const Fuzzer *f)
{
    const FuzzRanges *caches[] = { &f->pio, &f->mmio };

    for (unsigned i = 0; i < G_N_ELEMENTS(caches); i++) {
        const FuzzRanges *c = caches[i];
        if (!c->valid || c->as->dirty || c->generation != c->as->generation) {
            continue;       /* rebuilt before its next use */
        }
        FuzzRanges fresh = { .as = c->as };
        fuzz_ranges_rebuild(f, &fresh);
        if (fresh.n != c->n || memcmp(fresh.r, c->r, c->n * sizeof(c->r[0])) != 0) {
            return c->as->name;
        }
    }
    return NULL;
}

_Static_assert(FUZZ_MAX_RANGES <= 256, "FuzzRanges.pick holds range numbers in a byte");

/* Matched range number index modulo the number of matched ranges. */
static const FlatRange *fuzz_pick_range(const Fuzzer *f, FuzzRanges *c,
                                        uint8_t index)
{
    as_update(c->as);
    if (!c->valid || c->generation != c->as->generation) {
        fuzz_ranges_rebuild(f, c);
    }
    if (!c->n) {
        return NULL;
    }
    return &c->r[c->pick[index]];
}

/* Address of the access and the range it lies in, or NULL when the op
 * does nothing (QEMU's rules: wider accesses need that many bytes left in
 * the range). */
static const FlatRange *fuzz_address(const Fuzzer *f, FuzzRanges *c, uint8_t base,
                                     uint64_t offset, unsigned width, uint64_t *addr)
{
    const FlatRange *r = fuzz_pick_range(f, c, base);
    if (!r) {
        return NULL;
    }
    /* offset modulo the size: a mask for a power of two, else a division,
     * 32 bits wide when it can be (the ops' offsets are 16 or 32 bits). */
    uint64_t off = offset;
    if (off >= r->size) {
        off = (r->size & (r->size - 1)) == 0 ? offset & (r->size - 1)
              : offset <= UINT32_MAX ? (uint32_t)offset % (uint32_t)r->size
              : offset % r->size;
    }
    if (width > 1 && r->size - off < width) {
        return NULL;
    }
    *addr = r->start + off;
    return r;
}

const FuzzRanges *fuzz_ranges(Fuzzer *f, bool mmio)
{
    FuzzRanges *c = mmio ? &f->mmio : &f->pio;
    fuzz_pick_range(f, c, 0);       /* rebuilds the cache when stale */
    return c;
}

bool fuzz_range_of(Fuzzer *f, bool mmio, uint64_t addr, unsigned width,
                   uint8_t *index, uint64_t *offset)
{
    const FuzzRanges *c = fuzz_ranges(f, mmio);
    for (unsigned i = 0; i < c->n; i++) {
        const FlatRange *r = &c->r[i];
        if (addr >= r->start && addr - r->start < r->size &&
            r->size - (addr - r->start) >= width) {
            *index = i;
            *offset = addr - r->start;
            return true;
        }
    }
    return false;
}

static char fuzz_width_char(unsigned width)
{
    return width == 1 ? 'b' : width == 2 ? 'w' : width == 4 ? 'l' : 'q';
}

static uint64_t fuzz_mask(uint64_t v, unsigned width)
{
    return width == 8 ? v : v & ((1ull << (8 * width)) - 1);
}

/* One access as the ops and the structured targets make it (op 'p': port,
 * 'm': memory; fr: the range addr lies in, when the op picked one): the
 * access, machine_settle, and with a trace open its line (out/in or
 * write/read, ADDR [VALUE]) and reply, with QEMU qtest's digits (4 for in,
 * 16 for read); a value read counts for the restore-versus-fork proof. One
 * path and one trace line for all. */
static void fuzz_write_as(Fuzzer *f, AddressSpace *as, const FlatRange *fr, char op,
                          uint64_t addr, uint64_t val, unsigned width)
{
    val = fuzz_mask(val, width);
    if (f->trace) {
        fuzz_trace_begin(f, "%s%c 0x%" PRIx64 " 0x%" PRIx64, op == 'p' ? "out" : "write",
                         fuzz_width_char(width), addr, val);
    }
    if (fr) {
        as_range_write_val(as, fr, addr, val, width);
    } else {
        as_write_val(as, addr, val, width, NULL);
    }
    machine_settle(f->m);
    if (f->trace) {
        fuzz_trace_end(f, "OK");
    }
}

static uint64_t fuzz_read_as(Fuzzer *f, AddressSpace *as, const FlatRange *fr, char op,
                             uint64_t addr, unsigned width)
{
    if (f->trace) {
        fuzz_trace_begin(f, "%s%c 0x%" PRIx64, op == 'p' ? "in" : "read",
                         fuzz_width_char(width), addr);
    }
    uint64_t val = fr ? as_range_read_val(as, fr, addr, width)
                      : as_read_val(as, addr, width, NULL);
    machine_settle(f->m);
    fuzz_note_read(f, val);
    if (f->trace) {
        char reply[40];
        snprintf(reply, sizeof(reply), "OK 0x%0*" PRIx64, op == 'p' ? 4 : 16, val);
        fuzz_trace_end(f, reply);
    }
    return val;
}

void fuzz_out(Fuzzer *f, uint16_t port, uint32_t val, unsigned width)
{
    fuzz_write_as(f, &f->m->as_io, NULL, 'p', port, val, width);
}

uint32_t fuzz_in(Fuzzer *f, uint16_t port, unsigned width)
{
    return (uint32_t)fuzz_read_as(f, &f->m->as_io, NULL, 'p', port, width);
}

void fuzz_mem_write(Fuzzer *f, uint64_t addr, uint64_t val, unsigned width)
{
    fuzz_write_as(f, &f->m->as_mem, NULL, 'm', addr, val, width);
}

uint64_t fuzz_mem_read(Fuzzer *f, uint64_t addr, unsigned width)
{
    return fuzz_read_as(f, &f->m->as_mem, NULL, 'm', addr, width);
}

void fuzz_ram_write(Fuzzer *f, uint64_t addr, const void *buf, size_t len)
{
    as_write(&f->m->as_mem, addr, buf, len);
    if (f->trace && len) {
        GString *hex = g_string_sized_new(2 * len);
        for (size_t i = 0; i < len; i++) {
            g_string_append_printf(hex, "%02x", ((const uint8_t *)buf)[i]);
        }
        fuzz_trace(f, "OK", "write 0x%" PRIx64 " 0x%zx 0x%s", addr, len, hex->str);
        g_string_free(hex, TRUE);
    }
}

static void op_in(Fuzzer *f, const uint8_t *p, size_t len)
{
    uint64_t addr;
    if (fuzz_short(FUZZ_OP_IN, len)) {
        return;
    }
    unsigned width = fuzz_pio_widths[p[0] % 3];
    const FlatRange *r = fuzz_address(f, &f->pio, p[1], ld_le16(p + 2), width, &addr);
    if (r && addr <= 0xffff) {
        fuzz_read_as(f, &f->m->as_io, r, 'p', addr, width);
    }
}

static void op_out(Fuzzer *f, const uint8_t *p, size_t len)
{
    uint64_t addr;
    if (fuzz_short(FUZZ_OP_OUT, len)) {
        return;
    }
    unsigned width = fuzz_pio_widths[p[0] % 3];
    const FlatRange *r = fuzz_address(f, &f->pio, p[1], ld_le16(p + 2), width, &addr);
    if (r && addr <= 0xffff) {
        fuzz_write_as(f, &f->m->as_io, r, 'p', addr, ld_le32(p + 4), width);
    }
}

static void op_read(Fuzzer *f, const uint8_t *p, size_t len)
{
    uint64_t addr;
    if (fuzz_short(FUZZ_OP_READ, len)) {
        return;
    }
    unsigned width = fuzz_mmio_widths[p[0] % 4];
    const FlatRange *r = fuzz_address(f, &f->mmio, p[1], ld_le32(p + 4), width, &addr);
    if (r) {
        fuzz_read_as(f, &f->m->as_mem, r, 'm', addr, width);
    }
}

static void op_write(Fuzzer *f, const uint8_t *p, size_t len)
{
    uint64_t addr;
    if (fuzz_short(FUZZ_OP_WRITE, len)) {
        return;
    }
    unsigned width = fuzz_mmio_widths[p[0] % 4];
    const FlatRange *r = fuzz_address(f, &f->mmio, p[1], ld_le32(p + 4), width, &addr);
    if (r) {
        fuzz_write_as(f, &f->m->as_mem, r, 'm', addr, ld_le64(p + 8), width);
    }
}

static PCIDevice *fuzz_pick_pci(const Fuzzer *f, uint8_t base)
{
    if (f->pci_disabled || f->nr_pci == 0) {
        return NULL;
    }
    return f->pci[base % f->nr_pci];
}

unsigned fuzz_pci_bus_nr(const PCIDevice *d)
{
    const PCIDevice *br = d->bus ? d->bus->parent_dev : NULL;
    return br ? br->config[PCI_SECONDARY_BUS] : 0;
}

int fuzz_pci_index(const Fuzzer *f, unsigned bus, unsigned devfn)
{
    for (unsigned i = 0; i < f->nr_pci; i++) {
        if ((unsigned)f->pci[i]->devfn == devfn && fuzz_pci_bus_nr(f->pci[i]) == bus) {
            return i;
        }
    }
    return -1;
}

static void fuzz_pci_select(Fuzzer *f, PCIDevice *d, uint8_t offset)
{
    fuzz_out(f, PCI_CONFIG_ADDR_PORT,
             PCI_CONFIG_ENABLE | fuzz_pci_bus_nr(d) << 16 | (uint32_t)d->devfn << 8 | offset,
             4);
}

static void op_pci_read(Fuzzer *f, const uint8_t *p, size_t len)
{
    PCIDevice *d;
    if (fuzz_short(FUZZ_OP_PCI_READ, len) || !(d = fuzz_pick_pci(f, p[1]))) {
        return;
    }
    fuzz_pci_select(f, d, p[2]);
    fuzz_in(f, PCI_CONFIG_DATA_PORT, fuzz_pio_widths[p[0] % 3]);
}

static void op_pci_write(Fuzzer *f, const uint8_t *p, size_t len)
{
    PCIDevice *d;
    if (fuzz_short(FUZZ_OP_PCI_WRITE, len) || !(d = fuzz_pick_pci(f, p[1]))) {
        return;
    }
    fuzz_pci_select(f, d, p[2]);
    fuzz_out(f, PCI_CONFIG_DATA_PORT, ld_le32(p + 4), fuzz_pio_widths[p[0] % 3]);
}

static void op_add_dma_pattern(Fuzzer *f, const uint8_t *p, size_t len)
{
    if (fuzz_short(FUZZ_OP_ADD_DMA_PATTERN, len) ||
        f->nr_patterns == FUZZ_MAX_DMA_PATTERNS) {
        return;
    }
    FuzzDMAPattern *pat = &f->patterns[f->nr_patterns++];
    pat->len = len - 2;
    pat->index = p[0] % pat->len;
    pat->stride = p[1];
    pat->data = p + 2;
}

static void op_clock_step(Fuzzer *f)
{
    if (f->trace) {
        fuzz_trace_begin(f, "clock_step");
    }
    bool stepped = clock_step_next(&f->m->clock);
    machine_settle(f->m);
    f->trace_op_pending = false;
    if (stepped && f->trace) {
        char reply[32];
        snprintf(reply, sizeof(reply), "OK %" PRIi64, clock_get_ns(&f->m->clock));
        fuzz_trace(f, reply, "clock_step");
    }
}

static void fuzz_run_op(Fuzzer *f, const uint8_t *cmd, size_t len)
{
    const uint8_t *p = cmd + 1;
    size_t plen = len - 1;
    switch (cmd[0] % FUZZ_OP_COUNT) {
    case FUZZ_OP_IN: op_in(f, p, plen); break;
    case FUZZ_OP_OUT: op_out(f, p, plen); break;
    case FUZZ_OP_READ: op_read(f, p, plen); break;
    case FUZZ_OP_WRITE: op_write(f, p, plen); break;
    case FUZZ_OP_PCI_READ: op_pci_read(f, p, plen); break;
    case FUZZ_OP_PCI_WRITE: op_pci_write(f, p, plen); break;
    case FUZZ_OP_DISABLE_PCI: f->pci_disabled = true; break;
    case FUZZ_OP_ADD_DMA_PATTERN: op_add_dma_pattern(f, p, plen); break;
    case FUZZ_OP_CLEAR_DMA_PATTERNS:
        f->nr_patterns = 0;
        f->next_pattern = 0;
        break;
    case FUZZ_OP_CLOCK_STEP: op_clock_step(f); break;
    }
}

void fuzz_begin_input(Fuzzer *f)
{
    /* The snapshot restores it too; this also covers --reset=reboot. */
    dma_budget_refill(&f->m->dma_budget);
    f->pci_disabled = false;
    f->nr_patterns = 0;
    f->next_pattern = 0;
    f->dma_total = 0;
    f->nr_fills = 0;
    f->reads = 0;
    f->reads_hash = 0xcbf29ce484222325ull;
    f->stats.inputs++;
}

static void fuzz_end_input(Fuzzer *f)
{
    if (f->trace) {
        fflush(f->trace);
    }
    if (f->replies) {
        fflush(f->replies);
    }
}

/* The next "FUZZ" in [p, end), or NULL: memchr for the first byte, which
 * beats a general memmem on these short commands. */
static const uint8_t *fuzz_next_separator(const uint8_t *p, const uint8_t *end)
{
    while (end - p >= FUZZ_SEPARATOR_LEN) {
        p = memchr(p, FUZZ_SEPARATOR[0], end - p - (FUZZ_SEPARATOR_LEN - 1));
        if (!p) {
            return NULL;
        }
        if (memcmp(p, FUZZ_SEPARATOR, FUZZ_SEPARATOR_LEN) == 0) {
            return p;
        }
        p++;
    }
    return NULL;
}

/* Each guest access is followed by machine_settle, as emu-system follows
 * each qtest command, so bottom halves (a looped-back frame) and resets run
 * at the same point of a trace in both; their DMA fills are traced before
 * the access's line. This runs once more after the whole op. */
void fuzz_after_op(Fuzzer *f, unsigned ops)
{
    if (ops == f->reset_after_op) {
        machine_request_reset(f->m);
    }
    machine_settle(f->m);
    f->stats.ops++;
}

void fuzz_run_command(Fuzzer *f, const uint8_t *cmd, size_t cmd_len,
                      unsigned *ops)
{
    fuzz_run_op(f, cmd, cmd_len);
    fuzz_after_op(f, ++*ops);
    f->nr_fills = 0;
}

void fuzz_run(Fuzzer *f, const uint8_t *data, size_t len)
{
    fuzz_begin_input(f);
    if (f->target->run) {
        f->target->run(f, data, len);
        fuzz_end_input(f);
        return;
    }
    const uint8_t *end = data + len;
    for (unsigned ops = 0; data < end && ops < FUZZ_MAX_OPS;) {
        const uint8_t *sep = fuzz_next_separator(data, end);
        size_t cmd_len = (sep ? sep : end) - data;
        if (cmd_len > 0) {
            fuzz_run_command(f, data, cmd_len, &ops);
        }
        if (!sep) {
            break;
        }
        data = sep + FUZZ_SEPARATOR_LEN;
    }
    fuzz_end_input(f);
}

/* DMA fill from the input's patterns (QEMU's fuzz_dma_read_cb). */

/* Byte i is data[i % len], plus the running sum where i % len == index
 * (the sum starts at 0 and grows by stride at each such byte). A fill is
 * up to 64 KiB and an input's fills up to the DMA budget: the period is
 * copied by doubling memcpys, then the summed bytes are patched, instead
 * of a branch per byte. */
static void fuzz_render(const FuzzDMAPattern *p, uint8_t *buf, size_t len)
{
    size_t done = MIN(len, p->len);
    memcpy(buf, p->data, done);
    while (done < len) {
        /* buf[0, done) is whole periods: copy as much of it as fits. */
        size_t n = MIN(done, len - done);
        memcpy(buf + done, buf, n);
        done += n;
    }
    uint8_t sum = 0;
    for (size_t i = p->index; i < len; i += p->len) {
        buf[i] = (uint8_t)(p->data[p->index] + sum);
        sum = (uint8_t)(sum + p->stride);
    }
}

static void fuzz_trace_fill(Fuzzer *f, uint64_t addr, uint64_t len)
{
    fprintf(f->trace, "write 0x%" PRIx64 " 0x%" PRIx64 " 0x", addr, len);
    for (uint64_t i = 0; i < len; i++) {
        fprintf(f->trace, "%02x", f->fill_buf[i]);
    }
    fputc('\n', f->trace);
    if (f->replies) {
        fputs("OK\n", f->replies);
    }
}

static void fuzz_fill(Fuzzer *f, AddressSpace *as, uint64_t addr, uint64_t len,
                      int depth)
{
    if (len == 0 || depth > FUZZ_MAX_FILLS_PER_OP) {
        return;
    }
    /* Bytes already filled during this op are not filled again: the device
     * reads what it read the first time (a double fetch, counted). */
    for (unsigned i = 0; i < f->nr_fills; i++) {
        const FuzzFill *r = &f->fills[i];
        if (addr < r->addr + r->len && r->addr < addr + len) {
            f->stats.double_fetches++;
            if (f->trace) {
                fprintf(f->trace, "# double fetch: 0x%" PRIx64 "+0x%" PRIx64
                        " was filled earlier in this op\n", addr, len);
            }
            if (addr < r->addr) {
                fuzz_fill(f, as, addr, r->addr - addr, depth + 1);
            }
            if (addr + len > r->addr + r->len) {
                fuzz_fill(f, as, r->addr + r->len, addr + len - (r->addr + r->len),
                          depth + 1);
            }
            return;
        }
    }
    len = MIN(len, FUZZ_MAX_DMA_FILL);
    if (f->dma_total + len > FUZZ_MAX_DMA_TOTAL) {
        return;
    }
    if (f->fill_recorder) {
        as_read(as, addr, f->fill_buf, len);
        f->fill_recorder(f->fill_recorder_opaque, addr, f->fill_buf, len);
    } else {
        fuzz_render(&f->patterns[f->next_pattern], f->fill_buf, len);
        f->next_pattern = (f->next_pattern + 1) % f->nr_patterns;
    }
    if (f->nr_fills < FUZZ_MAX_FILLS_PER_OP) {
        f->fills[f->nr_fills++] = (FuzzFill){ addr, len };
    }
    if (f->trace) {
        fuzz_trace_fill(f, addr, len);
    }
    as_write(as, addr, f->fill_buf, len);
    f->dma_total += len;
    f->stats.dma_fills++;
    f->stats.dma_bytes += len;
}

static void fuzz_dma_hook(void *opaque, AddressSpace *as, uint64_t addr,
                          uint64_t len)
{
    Fuzzer *f = opaque;
    if (f->nr_patterns > 0 || f->fill_recorder) {
        fuzz_fill(f, as, addr, len, 0);
    }
}

void fuzz_record_fills(Fuzzer *f, FuzzFillRecorder record, void *opaque)
{
    f->fill_recorder = record;
    f->fill_recorder_opaque = opaque;
}

void fuzz_enable_dma_fill(Fuzzer *f)
{
    dma_set_read_hook(&f->m->as_mem, fuzz_dma_hook, f);
}
