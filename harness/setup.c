/* SPDX-License-Identifier: MIT */
/*
 * Target set-up: the machine from the target's arguments, the objects
 * matched by their globs, PCI enumeration, the trace header.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/cli.h"
#include "emu/log.h"
#include "harness/fuzz.h"
#include "hw/devices.h"

#define FUZZ_PCI_IO_BASE   0xc000u
#define FUZZ_PCI_IO_LIMIT  0x10000u
#define FUZZ_PCI_MEM_BASE  0xe0000000ull
#define FUZZ_PCI_MEM_LIMIT 0x100000000ull

static const char *fuzz_env(const char *name, const char *alias)
{
    const char *v = getenv(name);
    return v ? v : getenv(alias);
}

/* The temporary folder of fuzz_temp_file, and the process that made it. */
static char *fuzz_temp_dir;
static pid_t fuzz_temp_owner;

void fuzz_temp_cleanup(void)
{
    if (!fuzz_temp_dir || getpid() != fuzz_temp_owner) {
        return;
    }
    GDir *d = g_dir_open(fuzz_temp_dir, 0, NULL);
    for (const char *name; d && (name = g_dir_read_name(d));) {
        char *path = g_build_filename(fuzz_temp_dir, name, NULL);
        unlink(path);
        g_free(path);
    }
    if (d) {
        g_dir_close(d);
    }
    rmdir(fuzz_temp_dir);
    g_free(fuzz_temp_dir);
    fuzz_temp_dir = NULL;
}

char *fuzz_temp_file(const char *name, const void *data, size_t len, char **errp)
{
    GError *gerr = NULL;
    if (strchr(name, '/') || !*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        *errp = g_strdup_printf("temporary file '%s': a plain file name is needed", name);
        return NULL;
    }
    if (!fuzz_temp_dir) {
        fuzz_temp_dir = g_dir_make_tmp("emufuzz-XXXXXX", &gerr);
        if (!fuzz_temp_dir) {
            *errp = g_strdup_printf("temporary folder: %s", gerr->message);
            g_error_free(gerr);
            return NULL;
        }
        if (!fuzz_temp_owner) {
            atexit(fuzz_temp_cleanup);
        }
        fuzz_temp_owner = getpid();
    }
    char *path = g_build_filename(fuzz_temp_dir, name, NULL);
    if (!g_file_set_contents(path, data, len, &gerr)) {
        *errp = g_strdup_printf("%s", gerr->message);
        g_error_free(gerr);
        g_free(path);
        return NULL;
    }
    return path;
}

static bool fuzz_resolve_config(Fuzzer *f, const FuzzTarget *t, char **errp)
{
    const char *args = t->args, *objects = t->objects;
    if (t->argfunc) {
        f->args = t->argfunc(t, errp);
        f->objects = g_strdup(objects);
        return f->args != NULL;
    }
    if (!args) {
        args = fuzz_env("EMU_FUZZ_ARGS", "QEMU_FUZZ_ARGS");
        objects = fuzz_env("EMU_FUZZ_OBJECTS", "QEMU_FUZZ_OBJECTS");
        if (!args || !objects) {
            *errp = g_strdup_printf("%s needs EMU_FUZZ_ARGS (the machine, e.g. "
                                    "'-M pc -nodefaults -device isa-serial') and "
                                    "EMU_FUZZ_OBJECTS (globs, e.g. 'serial*')",
                                    t->name);
            return false;
        }
    }
    f->args = g_strdup(args);
    f->objects = g_strdup(objects);
    return true;
}

/* Matching (QEMU's rule): an object whose type name (or the type's QEMU
 * alias, "virtio-net") matches gives all the non-RAM regions of itself and
 * its descendants, and, if it is a PCI function, the function; otherwise
 * each region whose name matches. */

typedef struct FuzzMatch {
    Fuzzer *f;
    const char *glob;      /* lowercased */
} FuzzMatch;

static bool fuzz_glob(const char *glob, const char *name)
{
    char *lower = g_ascii_strdown(name, -1);
    bool hit = g_pattern_match_simple(glob, lower);
    g_free(lower);
    return hit;
}

static void fuzz_add_mr(Fuzzer *f, const MemoryRegion *mr)
{
    /* Only leaves that dispatch to a device: never RAM or ROM, and aliases
     * and containers never appear in a flattened view. */
    if (mr->kind != MR_KIND_IO) {
        return;
    }
    for (unsigned i = 0; i < f->nr_mrs; i++) {
        if (f->mrs[i] == mr) {
            return;
        }
    }
    if (f->nr_mrs < FUZZ_MAX_MATCHED_MRS) {
        f->mrs[f->nr_mrs++] = mr;
    }
}

static void fuzz_add_pci(Fuzzer *f, PCIDevice *d)
{
    for (unsigned i = 0; i < f->nr_pci; i++) {
        if (f->pci[i] == d) {
            return;
        }
    }
    if (f->nr_pci < FUZZ_MAX_PCI_DEVICES) {
        f->pci[f->nr_pci++] = d;
    }
}

static int fuzz_add_all_regions(Object *obj, void *opaque)
{
    for (MemoryRegion *mr = obj->regions; mr; mr = mr->owner_next) {
        fuzz_add_mr(opaque, mr);
    }
    return 0;
}

static int fuzz_match_object(Object *obj, void *opaque)
{
    FuzzMatch *fm = opaque;
    const char *alias = obj->type->alias;
    if (obj->realized && (fuzz_glob(fm->glob, object_type_name(obj)) ||
                          (alias && fuzz_glob(fm->glob, alias)))) {
        object_foreach_recursive(obj, fuzz_add_all_regions, fm->f);
        if (object_is_a(obj, "pci-device")) {
            fuzz_add_pci(fm->f, (PCIDevice *)obj);
        }
        return 0;
    }
    for (MemoryRegion *mr = obj->regions; mr; mr = mr->owner_next) {
        if (mr->name && fuzz_glob(fm->glob, mr->name)) {
            fuzz_add_mr(fm->f, mr);
        }
    }
    return 0;
}

static void fuzz_match(Fuzzer *f)
{
    char **globs = g_strsplit(f->objects, " ", -1);
    for (int i = 0; globs[i]; i++) {
        if (!*globs[i]) {
            continue;
        }
        FuzzMatch fm = { f, g_ascii_strdown(globs[i], -1) };
        object_foreach_recursive(&f->m->obj, fuzz_match_object, &fm);
        g_free((char *)fm.glob);
    }
    g_strfreev(globs);
}

/* PCI enumeration through the configuration ports, so a trace shows it:
 * mechanism #1 with the bus number the function's bus has now. */

static void fuzz_cfg_write(Fuzzer *f, PCIDevice *d, uint8_t reg, uint32_t val,
                           unsigned width)
{
    AddressSpace *io = &f->m->as_io;
    uint32_t addr = 0x80000000u | fuzz_pci_bus_nr(d) << 16 | (uint32_t)d->devfn << 8 |
                    (reg & 0xfc);
    as_write_val(io, 0xcf8, addr, 4, NULL);
    as_write_val(io, 0xcfc + (reg & 3), val, width, NULL);
    if (f->trace) {
        fuzz_trace(f, "OK", "outl 0xcf8 0x%x", addr);
        fuzz_trace(f, "OK", "out%c 0x%x 0x%x", width == 4 ? 'l' : width == 2 ? 'w' : 'b',
                   0xcfc + (reg & 3), val);
    }
}

static uint64_t fuzz_align(uint64_t v, uint64_t size)
{
    return (v + size - 1) & ~(size - 1);
}

static void fuzz_pci_map_bars(Fuzzer *f, PCIDevice *d, uint64_t *io_next,
                              uint64_t *mem_next)
{
    for (int i = 0; i < PCI_NUM_BARS; i++) {
        const PCIBAR *bar = &d->bars[i];
        if (!bar->size) {
            continue;
        }
        bool is_io = bar->type & PCI_BASE_ADDRESS_SPACE_IO;
        uint64_t *next = is_io ? io_next : mem_next;
        uint64_t limit = is_io ? FUZZ_PCI_IO_LIMIT : FUZZ_PCI_MEM_LIMIT;
        uint64_t addr = fuzz_align(*next, bar->size);
        if (addr + bar->size > limit) {
            fprintf(stderr, "fuzz: no room for BAR %d of %s (size 0x%" PRIx64 ")\n",
                    i, object_type_name(&d->obj), bar->size);
            continue;
        }
        *next = addr + bar->size;
        fuzz_cfg_write(f, d, PCI_BASE_ADDRESS_0 + 4 * i, (uint32_t)addr, 4);
        if (bar->type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
            fuzz_cfg_write(f, d, PCI_BASE_ADDRESS_0 + 4 * (i + 1), addr >> 32, 4);
            i++;
        }
    }
}

static void fuzz_pci_enable(Fuzzer *f, PCIDevice *d)
{
    uint16_t cmd = pci_get_word(d->config + PCI_COMMAND);
    fuzz_cfg_write(f, d, PCI_COMMAND, cmd | PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
                   PCI_COMMAND_MASTER, 2);
}

/* bus itself, or a bus behind a bridge on it, holds a matched function. */
static bool fuzz_pci_matched_under(const Fuzzer *f, const PCIBus *bus)
{
    for (unsigned i = 0; i < f->nr_pci; i++) {
        for (const PCIBus *b = f->pci[i]->bus; b; b = b->parent_dev ? b->parent_dev->bus : NULL) {
            if (b == bus) {
                return true;
            }
        }
    }
    return false;
}

/* The bus behind the bridge at devfn of bus, or NULL. */
static PCIBus *fuzz_pci_child(const PCIBus *bus, int devfn)
{
    for (PCIBus *c = bus->child; c; c = c->sibling) {
        if (c->parent_dev && c->parent_dev->devfn == devfn) {
            return c;
        }
    }
    return NULL;
}

/* Bus numbers for every bridge, depth first in devfn order, as SeaBIOS's
 * pci_bios_init_bus gives them: the subordinate wide open while the buses
 * behind are numbered, then closed on the last of them. */
static void fuzz_pci_number(Fuzzer *f, PCIBus *bus, unsigned nr, unsigned *last)
{
    for (int devfn = 0; devfn < 256; devfn++) {
        PCIBus *sec = fuzz_pci_child(bus, devfn);
        if (!sec || *last >= 0xff) {
            continue;
        }
        PCIDevice *br = sec->parent_dev;
        unsigned s = ++*last;
        fuzz_cfg_write(f, br, PCI_PRIMARY_BUS, nr | s << 8 | 0xffu << 16, 4);
        fuzz_pci_number(f, sec, s, last);
        fuzz_cfg_write(f, br, PCI_SUBORDINATE_BUS, *last, 1);
    }
}

#define FUZZ_BRIDGE_IO_ALIGN   0x1000u      /* PCI-to-PCI Bridge 1.2, 3.2.5.6 */
#define FUZZ_BRIDGE_MEM_ALIGN  0x100000u    /* 3.2.5.8 */

/* A bridge's I/O and memory windows over [io0, io) and [mem0, mem), or
 * closed (base above limit) when empty; the prefetchable one closed. */
static void fuzz_pci_windows(Fuzzer *f, PCIDevice *br, uint64_t io0, uint64_t io,
                             uint64_t mem0, uint64_t mem)
{
    uint32_t iow = io > io0 ? (io0 >> 8 & 0xf0) | ((io - 1) >> 8 & 0xf0) << 8 : 0x00f0;
    uint32_t memw = mem > mem0 ? (mem0 >> 16 & 0xfff0) | ((mem - 1) >> 16 & 0xfff0) << 16
                               : 0x0000fff0;
    fuzz_cfg_write(f, br, PCI_IO_BASE, iow, 2);
    fuzz_cfg_write(f, br, PCI_MEMORY_BASE, memw, 4);
    fuzz_cfg_write(f, br, PCI_PREF_MEMORY_BASE, 0x0000fff0, 4);
    fuzz_cfg_write(f, br, PCI_PREF_BASE_UPPER32, 0, 4);
    fuzz_cfg_write(f, br, PCI_PREF_LIMIT_UPPER32, 0, 4);
}

/* The matched functions on bus (in the order they matched), then each
 * bridge with matched functions behind it: what lies behind a bridge
 * packed together, so its windows cover it and nothing else. */
static void fuzz_pci_map_bus(Fuzzer *f, PCIBus *bus, uint64_t *io, uint64_t *mem)
{
    for (unsigned i = 0; i < f->nr_pci; i++) {
        if (f->pci[i]->bus == bus) {
            fuzz_pci_map_bars(f, f->pci[i], io, mem);
            fuzz_pci_enable(f, f->pci[i]);
        }
    }
    /* bus->child first: reboot mode runs this before every input. */
    for (int devfn = 0; bus->child && devfn < 256; devfn++) {
        PCIBus *sec = fuzz_pci_child(bus, devfn);
        if (!sec || !fuzz_pci_matched_under(f, sec)) {
            continue;
        }
        uint64_t io0 = *io = fuzz_align(*io, FUZZ_BRIDGE_IO_ALIGN);
        uint64_t mem0 = *mem = fuzz_align(*mem, FUZZ_BRIDGE_MEM_ALIGN);
        fuzz_pci_map_bus(f, sec, io, mem);
        *io = fuzz_align(*io, FUZZ_BRIDGE_IO_ALIGN);
        *mem = fuzz_align(*mem, FUZZ_BRIDGE_MEM_ALIGN);
        fuzz_pci_windows(f, sec->parent_dev, io0, *io, mem0, *mem);
        fuzz_pci_enable(f, sec->parent_dev);
    }
}

/* Firmware's part: BARs of the matched functions mapped, I/O, memory and
 * bus mastering on; for functions behind bridges, every bridge numbered
 * first, and those on the way given windows and enabled (QEMU's fuzzer
 * reaches bus 0 only). */
void fuzz_pci_setup(Fuzzer *f)
{
    uint64_t io_next = FUZZ_PCI_IO_BASE, mem_next = FUZZ_PCI_MEM_BASE;
    PCIBus *root = f->m->pci_bus;
    bool behind = false;
    for (unsigned i = 0; i < f->nr_pci; i++) {
        behind |= f->pci[i]->bus != root;
    }
    if (behind) {
        unsigned last = 0;
        fuzz_pci_number(f, root, 0, &last);
    }
    if (root) {
        fuzz_pci_map_bus(f, root, &io_next, &mem_next);
    }
    machine_settle(f->m);
}

static bool fuzz_in_view(AddressSpace *as, const MemoryRegion *mr)
{
    size_t n;
    const FlatRange *r = as_ranges(as, &n);
    for (size_t i = 0; i < n; i++) {
        if (r[i].mr == mr) {
            return true;
        }
    }
    return false;
}

/* After PCI set-up (which maps the matched functions' BARs): a match that
 * leaves no fuzzable range and no PCI function would fuzz nothing. */
static bool fuzz_check_mapped(Fuzzer *f, char **errp)
{
    if (f->nr_pci) {
        return true;
    }
    GString *names = g_string_new(NULL);
    for (unsigned i = 0; i < f->nr_mrs; i++) {
        const MemoryRegion *mr = f->mrs[i];
        if (fuzz_in_view(&f->m->as_io, mr) || fuzz_in_view(&f->m->as_mem, mr)) {
            g_string_free(names, TRUE);
            return true;
        }
        g_string_append_printf(names, "%s%s", i ? ", " : "", mr->name ? mr->name : "(anon)");
    }
    *errp = g_strdup_printf("objects '%s' match only regions that are not mapped "
                            "(disabled, hidden, or a BAR of a PCI function not "
                            "matched): %s; nothing to fuzz (--info-mtree shows "
                            "what is mapped)", f->objects, names->str);
    g_string_free(names, TRUE);
    return false;
}

/* The DMA budget (see fuzz_setup); a non-default one joins the arguments. */
static bool fuzz_resolve_budget(Fuzzer *f, const FuzzTarget *t, CliOptions *o,
                                char **errp)
{
    if (o->cfg.dma_budget) {
        return true;            /* -dma-budget in the arguments */
    }
    if (!cli_apply_env(o, errp)) {
        return false;
    }
    if (!o->cfg.dma_budget) {
        o->cfg.dma_budget = t->dma_budget;
    }
    if (o->cfg.dma_budget && o->cfg.dma_budget != DMA_BUDGET_DEFAULT) {
        char *args = g_strdup_printf("%s -dma-budget %" PRIu64, f->args,
                                     o->cfg.dma_budget);
        g_free(f->args);
        f->args = args;
    }
    return true;
}

static Machine *fuzz_machine(Fuzzer *f, const FuzzTarget *t, char **errp)
{
    CliOptions *o = g_new0(CliOptions, 1);    /* the config outlives set-up */
    cli_options_init(o);
    if (!cli_parse_string(o, f->args, errp) ||
        !fuzz_resolve_budget(f, t, o, errp)) {
        return NULL;
    }
    return machine_create(&o->cfg, hw_boards, errp);
}

bool fuzz_setup(Fuzzer *f, const FuzzTarget *t, char **errp)
{
    memset(f, 0, sizeof(*f));
    f->target = t;
    hw_register_types();
    if (!fuzz_resolve_config(f, t, errp) || !(f->m = fuzz_machine(f, t, errp))) {
        return false;
    }
    fuzz_match(f);
    f->pio.as = &f->m->as_io;
    f->mmio.as = &f->m->as_mem;
    if (f->nr_mrs == 0 && f->nr_pci == 0) {
        *errp = g_strdup_printf("objects '%s' match no region or PCI device "
                                "(--info-qom-tree and --info-mtree show the names)",
                                f->objects);
        return false;
    }
    fuzz_pci_setup(f);
    if (!fuzz_check_mapped(f, errp)) {
        return false;
    }
    fuzz_enable_dma_fill(f);
    return !t->setup || t->setup(f, errp);
}

void fuzz_reboot(Fuzzer *f)
{
    machine_reset(f->m);
    fuzz_pci_setup(f);
}

/* EMU_SNAPSHOT_VERIFY=N: check one restore in N (1: all, 0: none). */
static unsigned fuzz_verify_every(void)
{
    const char *env = getenv("EMU_SNAPSHOT_VERIFY");
    char *end;

    if (!env || !*env) {
        return FUZZ_VERIFY_EVERY_DEFAULT;
    }
    unsigned long n = strtoul(env, &end, 10);
    if (*end || n > UINT32_MAX) {
        fprintf(stderr, "emufuzz: EMU_SNAPSHOT_VERIFY=%s is not a number; "
                "checking every %u restores\n", env, FUZZ_VERIFY_EVERY_DEFAULT);
        return FUZZ_VERIFY_EVERY_DEFAULT;
    }
    return (unsigned)n;
}

void fuzz_snapshot(Fuzzer *f)
{
    if (!f->snapshot) {
        f->verify_every = fuzz_verify_every();
        f->snapshot = snapshot_take(f->m);
    }
}

typedef struct LeakReport {
    const char *path;       /* EMU_SNAPSHOT_REPORT, or NULL */
    FILE *file;             /* opened at the first line for it */
    unsigned lines;
} LeakReport;

static void leak_report_line(LeakReport *r, const char *line)
{
    if (!r->file && r->path && *r->path) {
        r->file = fopen(r->path, "a");
    }
    if (r->file) {
        fprintf(r->file, "%s\n", line);
    }
}

static void fuzz_untouched(void *opaque, const SnapshotDiffAt *at)
{
    LeakReport *r = opaque;
    char *where = snapshot_describe(at);

    if (r->lines++ < 20) {
        fprintf(stderr, "emufuzz: %s changed without object_touch: the "
                "restore would leak it\n", where);
        leak_report_line(r, where);
    }
    g_free(where);
}

/* A leak stops the run: the message names the object and the bytes (an
 * instance offset, or a registered state's name), and goes to the file
 * EMU_SNAPSHOT_REPORT names too (tools/fuzz stops the campaign on it). */
static void fuzz_verify(Fuzzer *f)
{
    LeakReport r = { getenv("EMU_SNAPSHOT_REPORT"), NULL, 0 };

    const char *stale = fuzz_stale_ranges(f);
    if (stale) {
        fprintf(stderr, "emufuzz: the harness's fuzzable ranges of '%s' are "
                "stale: they no longer match the address space\n", stale);
        char line[128];
        snprintf(line, sizeof(line), "harness: fuzzable ranges of '%s' stale", stale);
        leak_report_line(&r, line);
    }
    if (snapshot_check_untouched(f->snapshot, fuzz_untouched, &r) == 0 && !stale) {
        return;
    }
    if (r.file) {
        fprintf(r.file, "(target %s, after %" PRIu64 " restores)\n",
                f->target->name, f->restores);
        fclose(r.file);
    }
    emu_bug("snapshot: a change escaped the tracking (see above)");
}

size_t fuzz_restore(Fuzzer *f)
{
    if (f->verify_every && f->restores % f->verify_every == 0) {
        fuzz_verify(f);
    }
    f->restores++;
    return snapshot_restore(f->snapshot);
}

/* A refusal by the core, as a comment line (emu-system skips it). */
static void fuzz_trace_refusal(void *opaque, const char *msg)
{
    Fuzzer *f = opaque;
    fprintf(f->trace, "# refused: %s\n", msg);
}

void fuzz_set_trace(Fuzzer *f, FILE *out, FILE *replies)
{
    f->trace = out;
    f->replies = out ? replies : NULL;
    if (!out) {
        log_set_refusal_hook(NULL, NULL);
        return;
    }
    log_set_refusal_hook(fuzz_trace_refusal, f);
    fprintf(out, "# emu-system %s -qtest stdio\n", f->args);
    fprintf(out, "# target %s, objects '%s'\n", f->target->name, f->objects);
    fuzz_pci_setup(f);      /* again, traced: replay starts from reset */
}

static void fuzz_print_range(FILE *out, const char *as_name, const FlatRange *r)
{
    fprintf(out, "  %-6s 0x%016" PRIx64 "-0x%016" PRIx64 " %s", as_name, r->start,
            r->start + r->size - 1, r->mr->name ? r->mr->name : "(anon)");
    if (r->mr->owner) {
        char *path = object_get_path(r->mr->owner);
        fprintf(out, " owner %s (%s)", path, object_type_name(r->mr->owner));
        g_free(path);
    }
    fputc('\n', out);
}

static void fuzz_json_string(GString *j, const char *s)
{
    g_string_append_c(j, '"');
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\') {
            g_string_append_printf(j, "\\%c", *s);
        } else if ((unsigned char)*s < 0x20) {
            g_string_append_printf(j, "\\u%04x", *s);
        } else {
            g_string_append_c(j, *s);
        }
    }
    g_string_append_c(j, '"');
}

/* The fuzzable ranges of one space, in op index order, as JSON objects. */
static void fuzz_json_ranges(Fuzzer *f, GString *j, AddressSpace *as)
{
    size_t n;
    const FlatRange *r = as_ranges(as, &n);
    bool first = true;
    g_string_append_c(j, '[');
    for (size_t i = 0; i < n; i++) {
        bool hit = false;
        for (unsigned k = 0; k < f->nr_mrs && !hit; k++) {
            hit = f->mrs[k] == r[i].mr;
        }
        if (!hit) {
            continue;
        }
        g_string_append_printf(j, "%s{\"start\": %" PRIu64 ", \"size\": %" PRIu64
                               ", \"name\": ", first ? "" : ", ", r[i].start, r[i].size);
        fuzz_json_string(j, r[i].mr->name);
        g_string_append(j, ", \"owner_type\": ");
        fuzz_json_string(j, r[i].mr->owner ? object_type_name(r[i].mr->owner) : NULL);
        g_string_append_c(j, '}');
        first = false;
    }
    g_string_append_c(j, ']');
}

void fuzz_print_matches_json(Fuzzer *f, FILE *out)
{
    GString *j = g_string_new("{\"target\": ");
    fuzz_json_string(j, f->target->name);
    g_string_append(j, ", \"machine\": ");
    fuzz_json_string(j, f->args);
    g_string_append(j, ", \"objects\": ");
    fuzz_json_string(j, f->objects);
    g_string_append(j, ", \"io\": ");
    fuzz_json_ranges(f, j, &f->m->as_io);
    g_string_append(j, ", \"memory\": ");
    fuzz_json_ranges(f, j, &f->m->as_mem);
    g_string_append(j, ", \"pci\": [");
    for (unsigned i = 0; i < f->nr_pci; i++) {
        PCIDevice *d = f->pci[i];
        g_string_append_printf(j, "%s{\"bus\": %u, \"devfn\": %d, \"vendor\": %u, "
                               "\"device\": %u, \"type\": ", i ? ", " : "",
                               fuzz_pci_bus_nr(d), d->devfn,
                               pci_get_word(d->config + PCI_VENDOR_ID),
                               pci_get_word(d->config + PCI_DEVICE_ID));
        fuzz_json_string(j, object_type_name(&d->obj));
        g_string_append_c(j, '}');
    }
    g_string_append(j, "]}\n");
    fputs(j->str, out);
    g_string_free(j, TRUE);
}

void fuzz_print_matches(Fuzzer *f, FILE *out)
{
    AddressSpace *spaces[2] = { &f->m->as_io, &f->m->as_mem };
    const char *names[2] = { "io", "memory" };
    fprintf(out, "target %s\n  machine: %s\n  objects: %s\n", f->target->name,
            f->args, f->objects);
    fprintf(out, "matched regions (%u):\n", f->nr_mrs);
    for (unsigned i = 0; i < f->nr_mrs; i++) {
        const MemoryRegion *mr = f->mrs[i];
        fprintf(out, "  * %s (size 0x%" PRIx64 ")%s\n", mr->name ? mr->name : "(anon)",
                mr->size, mr_is_mapped(mr) ? "" : " not mapped");
    }
    fprintf(out, "fuzzable ranges, in op index order:\n");
    for (int s = 0; s < 2; s++) {
        size_t n;
        const FlatRange *r = as_ranges(spaces[s], &n);
        for (size_t i = 0; i < n; i++) {
            bool hit = false;
            for (unsigned k = 0; k < f->nr_mrs && !hit; k++) {
                hit = f->mrs[k] == r[i].mr;
            }
            if (hit) {
                fuzz_print_range(out, names[s], &r[i]);
            }
        }
    }
    fprintf(out, "PCI functions (%u):\n", f->nr_pci);
    for (unsigned i = 0; i < f->nr_pci; i++) {
        PCIDevice *d = f->pci[i];
        fprintf(out, "  %02x:%02x.%x %s %04x:%04x\n", fuzz_pci_bus_nr(d), PCI_SLOT(d->devfn),
                PCI_FUNC(d->devfn),
                object_type_name(&d->obj), pci_get_word(d->config + PCI_VENDOR_ID),
                pci_get_word(d->config + PCI_DEVICE_ID));
    }
}

bool fuzz_info_flag(FuzzInfo *info, const char *arg)
{
    const struct {
        const char *flag;
        bool *field;
    } flags[] = {
        { "--list-regions", &info->regions },
        { "--json", &info->json },
        { "--info-mtree", &info->mtree },
        { "--info-qom-tree", &info->qom_tree },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(flags); i++) {
        if (strcmp(arg, flags[i].flag) == 0) {
            *flags[i].field = true;
            return true;
        }
    }
    return false;
}

bool fuzz_info_wanted(const FuzzInfo *info)
{
    return info->regions || info->mtree || info->qom_tree;
}

bool fuzz_print_info(Fuzzer *f, const FuzzInfo *info, bool setup_ok, FILE *out)
{
    if (!f->m) {
        return false;
    }
    if (info->regions && info->json) {
        fuzz_print_matches_json(f, out);
    } else if (info->regions) {
        fuzz_print_matches(f, out);
    }
    GString *text = g_string_new(NULL);
    if (info->mtree) {
        machine_info_mtree(f->m, text, MTREE_OWNER);
    }
    if (info->qom_tree) {
        machine_info_qom_tree(f->m, text);
    }
    fputs(text->str, out);
    g_string_free(text, TRUE);
    return setup_ok || !info->regions;
}
