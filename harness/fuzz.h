/* SPDX-License-Identifier: MIT */
/*
 * The generic-fuzz harness: set up a target's machine once, run inputs in
 * QEMU's generic-fuzz format against the matched devices, reset. Knows
 * nothing about AFL; emu-afl, emu-libfuzzer and the in-process tools all
 * use this API.
 *
 * Input format (byte-compatible with QEMU's generic-fuzz, see
 * docs/fuzz-input-format.md): commands split on "FUZZ"; the first byte of a
 * command modulo FUZZ_OP_COUNT picks the op; operands pick a matched range
 * by index (modulo the number of ranges), an offset modulo its size, a width
 * and a value.
 */
#ifndef HARNESS_FUZZ_H
#define HARNESS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "emu/machine.h"
#include "emu/pci.h"
#include "emu/snapshot.h"

typedef enum FuzzOp {
    FUZZ_OP_IN,
    FUZZ_OP_OUT,
    FUZZ_OP_READ,
    FUZZ_OP_WRITE,
    FUZZ_OP_PCI_READ,
    FUZZ_OP_PCI_WRITE,
    FUZZ_OP_DISABLE_PCI,
    FUZZ_OP_ADD_DMA_PATTERN,
    FUZZ_OP_CLEAR_DMA_PATTERNS,
    FUZZ_OP_CLOCK_STEP,
    FUZZ_OP_COUNT
} FuzzOp;

#define FUZZ_SEPARATOR "FUZZ"
#define FUZZ_SEPARATOR_LEN 4

/* The op table shared by the decoder (fuzz_run), the printer (fuzz_decode)
 * and the encoder (harness/encode.c): each op's name and the payload bytes
 * after its opcode (QEMU's struct layouts); a shorter command does nothing.
 * Payloads: IN width, range, offset16; OUT the same and value32; READ width,
 * range, 2 unused, offset32; WRITE the same and value64; PCI_READ width,
 * device, register; PCI_WRITE the same, 1 unused, value32; ADD_DMA_PATTERN
 * index, stride, data (at least one byte). Widths: port and PCI ops take
 * the width byte modulo 3 (1, 2, 4 bytes), memory ops modulo 4 (1 to 8). */
typedef struct FuzzOpInfo {
    const char *name;
    size_t payload;
} FuzzOpInfo;
extern const FuzzOpInfo fuzz_op_info[FUZZ_OP_COUNT];
extern const unsigned fuzz_pio_widths[3];
extern const unsigned fuzz_mmio_widths[4];
/* The width byte of a width in bytes: modulo 3 for port and PCI ops
 * (mmio false), modulo 4 for memory ops; -1 if the op has no such width. */
int fuzz_width_code(bool mmio, unsigned width);

/* Limits: no input can hang the machine or grow memory. */
#define FUZZ_MAX_OPS            4096        /* commands run per input */
#define FUZZ_MAX_INPUT          (1u << 20)  /* AFL++'s largest test case */
#define FUZZ_MAX_DMA_PATTERNS   256         /* patterns alive at once */
#define FUZZ_MAX_DMA_FILL       0x10000u    /* bytes filled per DMA read */
#define FUZZ_MAX_DMA_TOTAL      (16u << 20) /* bytes filled per input */
#define FUZZ_MAX_FILLS_PER_OP   64          /* remembered for double fetches */
#define FUZZ_MAX_PCI_DEVICES    32
#define FUZZ_MAX_MATCHED_MRS    512
#define FUZZ_MAX_RANGES         256         /* fuzzable ranges per space */

typedef struct Fuzzer Fuzzer;
/* The encoder's view of a DMA fill (fuzz_record_fills). */
typedef void (*FuzzFillRecorder)(void *opaque, uint64_t addr,
                                 const uint8_t *data, size_t len);

typedef struct FuzzTarget FuzzTarget;
/* Arguments computed at set-up (QEMU's .argfunc): a temporary disk image
 * (fuzz_temp_file), a file name. Returns them (g_malloc'd), or NULL with
 * *errp. */
typedef char *(*FuzzArgFunc)(const FuzzTarget *t, char **errp);

struct FuzzTarget {
    const char *name;
    const char *desc;
    const char *args;       /* machine command line, QEMU style */
    const char *objects;    /* space-separated globs */
    /* Structured targets only (NULL for generic-fuzz ones): set-up after
     * the machine and the matching (may set f->target_state), and the
     * decoder that replaces the generic ops for each input. */
    bool (*setup)(Fuzzer *f, char **errp);
    void (*run)(Fuzzer *f, const uint8_t *data, size_t len);
    /* Bytes all device DMA of one input may move (emu/dma.h); 0 means
     * DMA_BUDGET_DEFAULT. EMU_DMA_BUDGET, or -dma-budget in the arguments,
     * overrides it. */
    uint64_t dma_budget;
    /* Structured targets: the program that writes their seeds and
     * dictionary (path from the source root; tools/seeds runs it). A
     * generic-fuzz target's seeds are targets/NAME/ *.qtest instead. */
    const char *seed_generator;
    /* If set, the machine's arguments come from it instead of args. */
    FuzzArgFunc argfunc;
};

typedef struct FuzzDMAPattern {
    uint8_t index;
    uint8_t stride;
    const uint8_t *data;    /* points into the current input */
    size_t len;
} FuzzDMAPattern;

typedef struct FuzzFill {
    uint64_t addr;
    uint64_t len;
} FuzzFill;

/* The matched ranges of one address space, rebuilt when it re-flattens. */
typedef struct FuzzRanges {
    AddressSpace *as;
    uint64_t generation;
    bool valid;
    unsigned n;
    FlatRange r[FUZZ_MAX_RANGES];
    uint8_t pick[256];          /* an op's range byte i picks r[i % n] */
} FuzzRanges;

typedef struct FuzzStats {
    uint64_t inputs;
    uint64_t ops;
    uint64_t dma_fills;
    uint64_t dma_bytes;
    uint64_t double_fetches;
} FuzzStats;

struct Fuzzer {
    Machine *m;
    const FuzzTarget *target;
    char *args;                         /* resolved machine arguments */
    char *objects;                      /* resolved object globs */
    /* What the objects matched. */
    const MemoryRegion *mrs[FUZZ_MAX_MATCHED_MRS];
    unsigned nr_mrs;
    PCIDevice *pci[FUZZ_MAX_PCI_DEVICES];
    unsigned nr_pci;
    FuzzRanges pio;                     /* fuzzable I/O port ranges */
    FuzzRanges mmio;                    /* fuzzable memory ranges */
    /* Per-input state. */
    bool pci_disabled;
    FuzzDMAPattern patterns[FUZZ_MAX_DMA_PATTERNS];
    unsigned nr_patterns;
    unsigned next_pattern;
    uint64_t dma_total;
    uint64_t reads;                     /* values read by this input */
    uint64_t reads_hash;                /* and their hash */
    FuzzFill fills[FUZZ_MAX_FILLS_PER_OP];
    unsigned nr_fills;
    uint8_t fill_buf[FUZZ_MAX_DMA_FILL];
    /* Trace: qtest text of every op, DMA fills as writes before their op. */
    Snapshot *snapshot;     /* set by fuzz_snapshot */
    unsigned verify_every;  /* EMU_SNAPSHOT_VERIFY: check the tracking before
                               one restore in this many (0: never) */
    uint64_t restores;
    FILE *trace;
    FILE *replies;          /* the reply emu-system gives to each traced line */
    char trace_op[96];      /* the line of the op running (fuzz_trace_begin) */
    bool trace_op_pending;
    FuzzStats stats;
    void *target_state;     /* a structured target's own, from its setup */
    /* The encoder's: fills copy RAM and are reported (fuzz_record_fills). */
    FuzzFillRecorder fill_recorder;
    void *fill_recorder_opaque;
    /* restore-proof only: after op number reset_after_op of each input
     * (0: none), a reset is requested as a device's reset port would. */
    unsigned reset_after_op;
};

/* A file for a target's set-up (an argfunc's disk image): len bytes of
 * data in the process's own temporary folder, made on first use under
 * $TMPDIR and removed with everything in it when the process that made it
 * exits (not when a fork server's child does). Returns its path, owned by
 * the caller, or NULL with *errp. */
char *fuzz_temp_file(const char *name, const void *data, size_t len, char **errp);
/* Removes that folder now (at exit otherwise). */
void fuzz_temp_cleanup(void);

/* A structured target's input, read front to back (its run and decode). */
typedef struct FuzzReader {
    const uint8_t *p;
    size_t left;
} FuzzReader;

/* The next n bytes into buf; false (nothing taken) if fewer are left. */
static inline bool fuzz_take(FuzzReader *r, void *buf, size_t n)
{
    if (r->left < n) {
        return false;
    }
    memcpy(buf, r->p, n);
    r->p += n;
    r->left -= n;
    return true;
}

extern const FuzzTarget fuzz_targets[];        /* { .name = NULL } ends it */
const FuzzTarget *fuzz_find_target(const char *name);

/*
 * Builds the machine of the target (for "generic-fuzz", from EMU_FUZZ_ARGS
 * and EMU_FUZZ_OBJECTS, or QEMU_FUZZ_ARGS/QEMU_FUZZ_OBJECTS), matches the
 * objects, maps and enables matched PCI devices. The DMA budget of an
 * input is -dma-budget in the arguments, else EMU_DMA_BUDGET, else the
 * target's, else DMA_BUDGET_DEFAULT; one that is not the default is added
 * to f->args, so that the trace header and --list-regions carry it. False
 * with *errp if the arguments are bad, nothing matched, or what matched is
 * regions none of which is mapped after PCI set-up (and no PCI function).
 */
bool fuzz_setup(Fuzzer *f, const FuzzTarget *t, char **errp);
/* After each op of an input (ops: how many have run): bottom halves, a
 * requested machine reset, the op count. */
void fuzz_after_op(Fuzzer *f, unsigned ops);
/* Sends the trace to out (NULL: off); writes the header and set-up ops.
 * With replies, also what build/emu-system answers to each trace line when
 * it replays the trace (tests compare the two). Refusals by the core
 * (guest_refusal: re-entry, DMA past the budget) go into it as
 * "# refused: ..." lines, before the line of the op that caused them. */
void fuzz_set_trace(Fuzzer *f, FILE *out, FILE *replies);
/* The harness's own state that outlives an input is its cache of the
 * fuzzable ranges (the per-input fields are reset by each input): NULL if
 * both caches agree with their address spaces, else the stale one's name.
 * Checked with the snapshot's tracking (EMU_SNAPSHOT_VERIFY, restore-proof). */
const char *fuzz_stale_ranges(const Fuzzer *f);
/* The default of EMU_SNAPSHOT_VERIFY: one restore in this many is checked. */
#define FUZZ_VERIFY_EVERY_DEFAULT 1000
/* One trace line (fmt, no newline) and its expected reply. */
void fuzz_trace(Fuzzer *f, const char *reply, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The op about to run (with a trace open): its line is kept, and written by
 * fuzz_trace_end when the op completes, after the DMA fills it caused. */
void fuzz_trace_begin(Fuzzer *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void fuzz_trace_end(Fuzzer *f, const char *reply);
/* For a crash handler: writes the line of the op that never completed (the
 * crashing one, after its fills) and flushes the trace. */
void fuzz_trace_crash(Fuzzer *f);
/* Where a DMA fill takes its bytes from: the input's patterns, or (set by
 * the encoder) the bytes guest RAM already holds, each fill reported to
 * record(): the fills an op would need, in the order it needs them. */
void fuzz_record_fills(Fuzzer *f, FuzzFillRecorder record, void *opaque);
/* The per-input state (patterns, fills, budget) as at an input's start;
 * fuzz_run calls it first. */
void fuzz_begin_input(Fuzzer *f);
/* Runs one command (the bytes between two separators, cmd_len > 0) and
 * what follows each op (fuzz_after_op with *ops counted). */
void fuzz_run_command(Fuzzer *f, const uint8_t *cmd, size_t cmd_len,
                      unsigned *ops);
/* The matched ranges of the port (mmio false) or memory address space, up
 * to date, in op index order. */
const FuzzRanges *fuzz_ranges(Fuzzer *f, bool mmio);
/* The matched range of the port (mmio false) or memory address space that
 * holds [addr, addr + width): its op index and the offset in it. False if
 * none does. */
bool fuzz_range_of(Fuzzer *f, bool mmio, uint64_t addr, unsigned width,
                   uint8_t *index, uint64_t *offset);
/* A port access as the IN and OUT ops (and the PCI ops) make it, for the
 * structured targets whose records are port accesses: the value cut to the
 * width (1, 2 or 4), the access, machine_settle, and with a trace open the
 * line outX/inX PORT [VALUE] and its reply. A value read counts for the
 * restore-versus-fork proof. fuzz_after_op is still the caller's. */
void fuzz_out(Fuzzer *f, uint16_t port, uint32_t val, unsigned width);
uint32_t fuzz_in(Fuzzer *f, uint16_t port, unsigned width);
/* The same for memory: an MMIO access (width 1, 2, 4 or 8) with its line
 * writeX/readX ADDR [VALUE], and guest RAM filled as a driver fills it
 * (no machine_settle: RAM has no side effect), traced as `write ADDR LEN
 * DATA`. */
void fuzz_mem_write(Fuzzer *f, uint64_t addr, uint64_t val, unsigned width);
uint64_t fuzz_mem_read(Fuzzer *f, uint64_t addr, unsigned width);
void fuzz_ram_write(Fuzzer *f, uint64_t addr, const void *buf, size_t len);
/* The number config cycles reach d's bus by now: 0 on the root bus, else
 * the secondary bus number of the bridge in front (0 until numbered). */
unsigned fuzz_pci_bus_nr(const PCIDevice *d);
/* The index of the matched PCI function at bus:devfn (its bus's number
 * now) for the PCI ops, or -1. */
int fuzz_pci_index(const Fuzzer *f, unsigned bus, unsigned devfn);

/* Installs the DMA fill hook on guest memory (fuzz_setup does it). */
void fuzz_enable_dma_fill(Fuzzer *f);
/* Runs one input. */
void fuzz_run(Fuzzer *f, const uint8_t *data, size_t len);
/* Device reset and PCI set-up again: QEMU's "reboot" between inputs. */
void fuzz_reboot(Fuzzer *f);
/* Takes the snapshot that fuzz_restore goes back to (once, after set-up). */
void fuzz_snapshot(Fuzzer *f);
/* The machine exactly as at fuzz_snapshot; returns RAM pages copied back. */
size_t fuzz_restore(Fuzzer *f);
/* PCI enumeration: BARs assigned, I/O, memory and bus master enabled;
 * with matched functions behind bridges, bus numbers and windows too. */
void fuzz_pci_setup(Fuzzer *f);

/* The matched regions and PCI devices, as --list-regions prints them. */
void fuzz_print_matches(Fuzzer *f, FILE *out);
/* The same as one JSON object (--list-regions --json), for programs that
 * write a target's seeds: "target", "machine", "objects", "io" and
 * "memory" (the fuzzable ranges in op index order: start, size, name,
 * owner_type) and "pci" (devfn, vendor, device, type, in op index order). */
void fuzz_print_matches_json(Fuzzer *f, FILE *out);
/* What emu-afl and emu-libfuzzer print instead of fuzzing: --list-regions
 * (with --json: fuzz_print_matches_json), --info-mtree (with owners),
 * --info-qom-tree. */
typedef struct FuzzInfo {
    bool regions;
    bool json;
    bool mtree;
    bool qom_tree;
} FuzzInfo;
/* Sets the field of arg if it is one of those flags; false if not. */
bool fuzz_info_flag(FuzzInfo *info, const char *arg);
bool fuzz_info_wanted(const FuzzInfo *info);
/* Prints what info asks for. setup_ok: what fuzz_setup returned; when it
 * failed after building the machine (nothing matched), the trees still
 * print, to find the names to match. False if the set-up failed and the
 * regions were asked for, or there is no machine to print. */
bool fuzz_print_info(Fuzzer *f, const FuzzInfo *info, bool setup_ok, FILE *out);

/*
 * QEMU's fuzzing variables (harness/env.c), for every runner after
 * fuzz_setup. The trace on stderr is asked for by EMU_TRACE=1 or QEMU's
 * QTEST_LOG=1 or FUZZ_SERIALIZE_QTEST=1 ("0" or empty: off):
 * fuzz_env_trace_variable() names the first one set (NULL: none), and
 * fuzz_env_trace() turns the trace on unless one is open already.
 * fuzz_env_timeout() reads QEMU_FUZZ_TIMEOUT (microseconds per input, 0:
 * none; unset: none, as our inputs are bounded); instead NULL: the caller
 * enforces it and *us is the limit; else one line on stderr says that
 * `instead` limits an input here and *us is 0. False (a line on stderr)
 * if the value is not a number. fuzz_timeout_start() arms the limit for one
 * input (0: nothing): when it passes, the trace gets a comment line, stderr
 * names the input, and the process exits with status 0 (QEMU's fork mode
 * drops such an input); fuzz_timeout_stop() disarms it.
 */
const char *fuzz_env_trace_variable(void);
void fuzz_env_trace(Fuzzer *f);
bool fuzz_env_timeout(const char *prog, const char *instead, uint64_t *us);
void fuzz_timeout_start(Fuzzer *f, uint64_t us, const char *prog, const char *input);
void fuzz_timeout_stop(void);

/* An input as ops, one a line (tools/decode). */
void fuzz_decode(const uint8_t *data, size_t len, FILE *out);
/* An input of target t as tools/decode prints it: generic-fuzz ops (t NULL
 * or a generic-fuzz target), a structured target's records where the
 * harness has a printer for them (virtio-net-fuzz), else one line saying
 * that the format is the target's own. */
void fuzz_decode_target(const FuzzTarget *t, const uint8_t *data, size_t len,
                        FILE *out);

#endif
