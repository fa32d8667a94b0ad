/* SPDX-License-Identifier: MIT */
/*
 * Device DMA over an address space; see dma.h. Transfers may not wrap the
 * address space and are charged to the machine's DMA budget; reads of
 * guest RAM call the address space's read hook first (the fuzzer's
 * on-demand fill).
 */
#include "emu/dma.h"

#include <inttypes.h>
#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"

void dma_budget_init(DMABudget *b, uint64_t limit)
{
    b->limit = limit ? limit : DMA_BUDGET_DEFAULT;
    b->left = b->limit;
}

void dma_budget_refill(DMABudget *b)
{
    b->left = b->limit;
}

void dma_set_budget(AddressSpace *as, DMABudget *b)
{
    as->dma_budget = b;
}

/* The transfer [addr, addr + len) does not wrap the address space. */
static bool dma_in_bounds(const char *what, uint64_t addr, uint64_t len)
{
    if (len > UINT64_MAX - addr) {
        guest_error("dma %s at 0x%" PRIx64 ": length 0x%" PRIx64
                    " wraps the address space", what, addr, len);
        return false;
    }
    return true;
}

/* Takes len bytes from the budget; false (and a refusal) if fewer are
 * left. A refused transfer takes nothing: a shorter one may still fit. */
static bool dma_charge(AddressSpace *as, const char *what, uint64_t addr,
                       uint64_t len)
{
    DMABudget *b = as->dma_budget;

    if (!b || len <= b->left) {
        if (b) {
            b->left -= len;
        }
        return true;
    }
    guest_refusal("dma %s at 0x%" PRIx64 ", length 0x%" PRIx64 ": over the "
                  "DMA budget (0x%" PRIx64 " of 0x%" PRIx64 " bytes left)",
                  what, addr, len, b->left, b->limit);
    return false;
}

/* Calls the read hook once for each RAM range piece of [addr, end). */
static void dma_call_read_hook(AddressSpace *as, uint64_t addr, uint64_t end)
{
    uint64_t cur = addr;

    /* Looked up afresh each time: the hook may touch the address space. */
    while (cur < end) {
        size_t n;
        const FlatRange *fr = as_ranges(as, &n);
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (fr[mid].start + fr[mid].size <= cur) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo == n || fr[lo].start >= end) {
            return;
        }
        uint64_t start = MAX(cur, fr[lo].start);
        uint64_t stop = MIN(end, fr[lo].start + fr[lo].size);
        bool ram = fr[lo].mr->kind == MR_KIND_RAM;
        if (ram && as->dma_read_hook) {
            as->dma_read_hook(as->dma_read_hook_opaque, as, start, stop - start);
        }
        cur = stop;
    }
}

MemTxResult dma_read(AddressSpace *as, uint64_t addr, void *buf, uint64_t len)
{
    /* Refused: the caller's buffer (len bytes, see dma.h) reads as zeros. */
    if (!dma_in_bounds("read", addr, len)) {
        memset(buf, 0, len);
        return MEMTX_DECODE_ERROR;
    }
    if (!dma_charge(as, "read", addr, len)) {
        memset(buf, 0, len);
        return MEMTX_ERROR;
    }
    if (as->dma_read_hook) {
        dma_call_read_hook(as, addr, addr + len);
    }
    MemTxResult res = as_read(as, addr, buf, len);
    if (res != MEMTX_OK) {
        guest_error("dma read at 0x%" PRIx64 ", length 0x%" PRIx64
                    ": not all of it is mapped", addr, len);
    }
    return res;
}

MemTxResult dma_write(AddressSpace *as, uint64_t addr, const void *buf,
                      uint64_t len)
{
    if (!dma_in_bounds("write", addr, len)) {
        return MEMTX_DECODE_ERROR;
    }
    if (!dma_charge(as, "write", addr, len)) {
        return MEMTX_ERROR;
    }
    MemTxResult res = as_write(as, addr, buf, len);
    if (res != MEMTX_OK) {
        guest_error("dma write at 0x%" PRIx64 ", length 0x%" PRIx64
                    ": not all of it is mapped", addr, len);
    }
    return res;
}

void dma_set_read_hook(AddressSpace *as, DMAReadHook hook, void *opaque)
{
    as->dma_read_hook = hook;
    as->dma_read_hook_opaque = opaque;
}

static uint64_t dma_ld(AddressSpace *as, uint64_t addr, unsigned n)
{
    uint8_t b[8] = { 0 };
    dma_read(as, addr, b, n);
    return ld_le_n(b, n);
}

static void dma_st(AddressSpace *as, uint64_t addr, uint64_t v, unsigned n)
{
    uint8_t b[8];
    st_le_n(b, n, v);
    dma_write(as, addr, b, n);
}

uint16_t dma_ld16(AddressSpace *as, uint64_t addr)
{
    return (uint16_t)dma_ld(as, addr, 2);
}

uint32_t dma_ld32(AddressSpace *as, uint64_t addr)
{
    return (uint32_t)dma_ld(as, addr, 4);
}

uint64_t dma_ld64(AddressSpace *as, uint64_t addr)
{
    return dma_ld(as, addr, 8);
}

void dma_st16(AddressSpace *as, uint64_t addr, uint16_t val)
{
    dma_st(as, addr, val, 2);
}

void dma_st32(AddressSpace *as, uint64_t addr, uint32_t val)
{
    dma_st(as, addr, val, 4);
}

void dma_st64(AddressSpace *as, uint64_t addr, uint64_t val)
{
    dma_st(as, addr, val, 8);
}
