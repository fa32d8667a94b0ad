/* SPDX-License-Identifier: MIT */
/*
 * DMA from devices into an address space.
 *
 * Bounds-checked: a transfer that wraps the address space is refused whole;
 * one that touches something unmapped is done piecewise (unmapped bytes read
 * as 0, writes to them dropped). Both are reported as guest errors; neither
 * faults the host. Before a read that touches guest RAM, the address space's
 * dma_read_hook (if set) is called with the address and length, so a
 * fuzzing harness can fill that memory first. Writes to RAM set the dirty
 * bitmap, like every write through emu/.
 *
 * Budget: the address spaces of a machine share one DMABudget (a field of
 * the Machine, so a snapshot restore puts it back, full): every transfer
 * takes its length from it, and one longer than what is left is refused
 * whole, like a bus error, through guest_refusal (MEMTX_ERROR; a read
 * gives zeros, a write is dropped). That bounds what one fuzz input (or one emu-system run)
 * can make the devices move, whatever lengths the guest writes into their
 * registers. There is no per-transfer cap besides: a device moves what its
 * hardware could, and the budget stops it. An address space without a
 * budget (a bare one in a unit test) is unbounded.
 *
 * Buffers: buf holds len bytes. A read writes exactly len bytes of it
 * (zeros where it read nothing), whatever goes wrong, and never more.
 */
#ifndef EMU_DMA_H
#define EMU_DMA_H

#include <stddef.h>
#include <stdint.h>

#include "emu/memory.h"

/*
 * Default budget: 1 MiB per input. Large enough for what a driver does in
 * the handful of operations an input holds (a 64 KiB TSO frame read and
 * its segments looped back into receive buffers is about 140 KiB; a
 * 128 KiB storage transfer). Small enough that an input spending all of it
 * costs about what an empty one does under afl-fuzz: 1 MiB moved once and
 * its 256 pages copied back by the restore take tens of microseconds, next
 * to AFL++'s own ~40 per exec (docs/STATUS.md has the measurements).
 */
#define DMA_BUDGET_DEFAULT (1ull << 20)

struct DMABudget {
    uint64_t limit;             /* bytes per input (per emu-system run) */
    uint64_t left;
};

/* A full budget of limit bytes (0: DMA_BUDGET_DEFAULT). */
void dma_budget_init(DMABudget *b, uint64_t limit);
/* Back to full: the start of an input. */
void dma_budget_refill(DMABudget *b);
/* DMA on as is charged to b (NULL: unbounded). */
void dma_set_budget(AddressSpace *as, DMABudget *b);

MemTxResult dma_read(AddressSpace *as, uint64_t addr, void *buf, uint64_t len);
MemTxResult dma_write(AddressSpace *as, uint64_t addr, const void *buf,
                      uint64_t len);
void dma_set_read_hook(AddressSpace *as, DMAReadHook hook, void *opaque);

/* Little-endian helpers for descriptor fields. */
uint16_t dma_ld16(AddressSpace *as, uint64_t addr);
uint32_t dma_ld32(AddressSpace *as, uint64_t addr);
uint64_t dma_ld64(AddressSpace *as, uint64_t addr);
void dma_st16(AddressSpace *as, uint64_t addr, uint16_t val);
void dma_st32(AddressSpace *as, uint64_t addr, uint32_t val);
void dma_st64(AddressSpace *as, uint64_t addr, uint64_t val);

#endif
