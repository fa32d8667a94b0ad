/* SPDX-License-Identifier: MIT */
/*
 * Scatter-gather lists; see sglist.h. Every walk is over at most the list's
 * entries, which its cap bounds.
 */
#include "emu/sglist.h"

#include <inttypes.h>
#include <string.h>

#include "emu/dma.h"
#include "emu/log.h"

void sg_init(SGList *sg, SGEntry *storage, unsigned max_entries,
             uint64_t max_size)
{
    sg->entries = storage;
    sg->max_entries = max_entries;
    sg->max_size = max_size;
    sg_clear(sg);
}

void sg_clear(SGList *sg)
{
    sg->nr = 0;
    sg->size = 0;
}

/* The same rule as dma.c's: the end, addr + len, must not pass 2^64 - 1. */
static bool sg_wraps(uint64_t addr, uint64_t len)
{
    return len > UINT64_MAX - addr;
}

bool sg_add(SGList *sg, uint64_t addr, uint64_t len)
{
    if (len == 0) {
        return true;
    }
    if (sg->nr == sg->max_entries) {
        guest_error("sglist: entry at 0x%" PRIx64 " past the cap of %u entries",
                    addr, sg->max_entries);
        return false;
    }
    if (len > sg->max_size - sg->size) {
        guest_error("sglist: entry at 0x%" PRIx64 " of 0x%" PRIx64 " bytes: "
                    "total past the cap of 0x%" PRIx64, addr, len, sg->max_size);
        return false;
    }
    if (sg_wraps(addr, len)) {
        guest_error("sglist: entry at 0x%" PRIx64 " of 0x%" PRIx64 " bytes "
                    "wraps the address space", addr, len);
        return false;
    }
    sg->entries[sg->nr++] = (SGEntry){ .addr = addr, .len = len };
    sg->size += len;
    return true;
}

/* The entry holding byte *off, with *off made relative to it; nr if none. */
static unsigned sg_find(const SGList *sg, uint64_t *off)
{
    unsigned i = 0;

    while (i < sg->nr && *off >= sg->entries[i].len) {
        *off -= sg->entries[i].len;
        i++;
    }
    return i;
}

bool sg_addr_at(const SGList *sg, uint64_t off, uint64_t *addr)
{
    unsigned i = sg_find(sg, &off);

    if (i == sg->nr) {
        return false;
    }
    *addr = sg->entries[i].addr + off;
    return true;
}

size_t sg_copy(const SGList *sg, uint64_t off, void *buf, size_t len,
               bool is_write, SGDMAFn dma, void *opaque)
{
    uint8_t *p = buf;
    size_t done = 0;

    for (unsigned i = sg_find(sg, &off); i < sg->nr && done < len; i++) {
        uint64_t n = MIN(sg->entries[i].len - off, (uint64_t)(len - done));
        if (dma(opaque, sg->entries[i].addr + off, p + done, n, is_write) == MEMTX_ERROR) {
            /* Refused (the budget is spent, or a bus error): the rest
             * cannot move either. What was not read reads as zeros. */
            if (!is_write) {
                memset(p + done, 0, len - done);
            }
            break;
        }
        done += n;
        off = 0;
    }
    return done;
}

static MemTxResult sg_as_dma(void *opaque, uint64_t addr, void *buf,
                             uint64_t len, bool is_write)
{
    AddressSpace *as = opaque;

    return is_write ? dma_write(as, addr, buf, len) : dma_read(as, addr, buf, len);
}

size_t sg_read(AddressSpace *as, const SGList *sg, uint64_t off, void *buf,
               size_t len)
{
    return sg_copy(sg, off, buf, len, false, sg_as_dma, as);
}

size_t sg_write(AddressSpace *as, const SGList *sg, uint64_t off,
                const void *buf, size_t len)
{
    return sg_copy(sg, off, (void *)buf, len, true, sg_as_dma, as);
}
