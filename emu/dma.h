/* SPDX-License-Identifier: MIT */
/*
 * DMA from devices into an address space.
 *
 * Bounds-checked: a transfer that wraps the address space or touches nothing
 * mapped is refused piecewise (unmapped bytes read as 0, writes dropped) and
 * reported as a guest error; it never faults the host. Before a read that
 * touches guest RAM, the address space's dma_read_hook (if set) is called
 * with the address and length, so a fuzzing harness can fill that memory
 * first. Writes to RAM set the dirty bitmap, like every write through emu/.
 */
#ifndef EMU_DMA_H
#define EMU_DMA_H

#include <stddef.h>
#include <stdint.h>

#include "emu/memory.h"

/* Upper bound on one transfer; larger requests are a guest error. */
#define DMA_MAX_LEN (64u * 1024 * 1024)

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
