/* SPDX-License-Identifier: MIT */
/*
 * Scatter-gather lists built from guest descriptors (virtio chains, IDE PRD
 * tables, AHCI PRDTs, SCSI and USB transfers): a list of guest address and
 * length pairs, and copies between a host buffer and the bytes they cover.
 *
 * The storage is the caller's (a fixed array in the device's instance or on
 * the stack, sized at build time): nothing is allocated. Each list has a cap
 * on its entries and on its total length, given at sg_init; sg_add refuses
 * an entry past either cap, or one whose end would wrap the 64-bit address
 * space, with a guest_error, and the device decides what the hardware does
 * then (an error bit, a broken queue). A list of entries that point into
 * itself is not copied by struct assignment: it would keep pointing at the
 * old storage.
 */
#ifndef EMU_SGLIST_H
#define EMU_SGLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/memory.h"

typedef struct SGEntry {
    uint64_t addr;
    uint64_t len;            /* never 0 */
} SGEntry;

typedef struct SGList {
    SGEntry *entries;        /* the caller's storage, max_entries long */
    unsigned nr;             /* entries in use */
    unsigned max_entries;
    uint64_t size;           /* bytes: the sum of the entries' lengths */
    uint64_t max_size;
} SGList;

/* An empty list over storage[max_entries], at most max_size bytes. */
void sg_init(SGList *sg, SGEntry *storage, unsigned max_entries,
             uint64_t max_size);
/* Empties the list (the caps stay). */
void sg_clear(SGList *sg);
/*
 * Appends [addr, addr + len). A zero length adds nothing and is accepted
 * (the device decides whether the hardware allows it). False, the list
 * unchanged, and a guest_error if the list is full, the total would pass
 * max_size, or the end would pass the top of the address space.
 */
bool sg_add(SGList *sg, uint64_t addr, uint64_t len);

static inline uint64_t sg_size(const SGList *sg)
{
    return sg->size;
}

/* The guest address of byte off of the list; false if off >= size. */
bool sg_addr_at(const SGList *sg, uint64_t off, uint64_t *addr);

/*
 * Copies. A DMA function moves one piece (is_write: buf to the guest);
 * sg_copy calls it for each piece of bytes [off, off + len) of the list, in
 * order, and returns how many bytes moved: less than len when the list ends
 * first, or when the DMA refuses a piece with MEMTX_ERROR (the DMA budget
 * is spent, or a bus error such as a device's DMA into its own registers).
 * A refusal ends the copy, since nothing after it can move either (and a
 * device told so stops, instead of working through a transfer the guest
 * made gigabytes long); what a read did not get reads as zeros. Pieces
 * over unmapped addresses move as dma.h says (zeros, writes dropped) and
 * the copy goes on. The DMA function logs what it refuses.
 */
typedef MemTxResult (*SGDMAFn)(void *opaque, uint64_t addr, void *buf,
                               uint64_t len, bool is_write);
size_t sg_copy(const SGList *sg, uint64_t off, void *buf, size_t len,
               bool is_write, SGDMAFn dma, void *opaque);
/* Through dma_read/dma_write on an address space (pci.h has the same for a
 * bus master: pci_sg_read/pci_sg_write). */
size_t sg_read(AddressSpace *as, const SGList *sg, uint64_t off, void *buf,
               size_t len);
size_t sg_write(AddressSpace *as, const SGList *sg, uint64_t off,
                const void *buf, size_t len);

#endif
