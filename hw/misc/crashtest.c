/* SPDX-License-Identifier: MIT */
/*
 * "crashtest": a test-only ISA device with a planted bug, for the
 * end-to-end test of the crash tooling (tests/e2e/). It is built only with
 * meson's -Dcrashtest=true and exists in no real machine and in no QEMU.
 *
 * Four byte registers at 0x2e0 (iobase= moves them): a key, a 5-bit slot
 * index, a data latch and a command. Writing the key 0xc0 unlocks the
 * device; COMMIT (0x5a) then stores the data latch in slot INDEX of a
 * 16-byte table and locks it again. The plant: COMMIT does not check INDEX
 * against the table, so slots 16..31 write past the end of the instance
 * (the table is its last member): ASan reports a heap-buffer-overflow; a
 * build without ASan stops at the same place with emu_bug(). Built with
 * EMU_CRASHTEST_FIXED, the bounds check is there and the write is refused.
 */
#include "hw/misc/crashtest.h"

#include <inttypes.h>
#include <string.h>

#include "emu/log.h"
#include "emu/machine.h"
#include "emu/memory.h"
#include "hw/devices.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CRASHTEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(CRASHTEST_ASAN)
#define CRASHTEST_ASAN 1
#endif

/* Registers (offsets from iobase) */
#define CRASHTEST_KEY 0      /* W: unlock key; R: status */
#define CRASHTEST_INDEX 1    /* RW: slot index, 5 bits */
#define CRASHTEST_DATA 2     /* W: data latch; R: the table at INDEX */
#define CRASHTEST_CMD 3      /* W: command; R: commits done */

/* Values */
#define CRASHTEST_UNLOCK 0xc0
#define CRASHTEST_CMD_COMMIT 0x5a
#define CRASHTEST_CMD_CLEAR 0xa5
#define CRASHTEST_STATUS_UNLOCKED 0x01
#define CRASHTEST_STATUS_ERROR 0x02

/* Limits */
#define CRASHTEST_REG_COUNT 4
#define CRASHTEST_INDEX_MASK 0x1f
#define CRASHTEST_TABLE_LEN 16
#define CRASHTEST_DEFAULT_IOBASE 0x2e0
#define CRASHTEST_IO_SPACE 0x10000u

typedef struct CrashtestState {
    Object obj;
    uint32_t iobase;            /* property */
    uint8_t status;
    uint8_t index;
    uint8_t data;
    uint8_t commits;
    MemoryRegion io;
    /* Last, and 8-aligned so that nothing pads it: slot 16 is the first
     * byte past the instance's allocation. */
    _Alignas(8) uint8_t table[CRASHTEST_TABLE_LEN];
} CrashtestState;

static void crashtest_commit(CrashtestState *s)
{
    unsigned idx = s->index;

    s->status &= ~CRASHTEST_STATUS_UNLOCKED;
#ifdef EMU_CRASHTEST_FIXED
    if (idx >= CRASHTEST_TABLE_LEN) {
        guest_error("crashtest: COMMIT to slot %u of %u", idx, CRASHTEST_TABLE_LEN);
        s->status |= CRASHTEST_STATUS_ERROR;
        return;
    }
#elif !defined(CRASHTEST_ASAN)
    if (idx >= CRASHTEST_TABLE_LEN) {
        emu_bug("crashtest: planted bug: COMMIT to slot %u of %u", idx,
                CRASHTEST_TABLE_LEN);
    }
#endif
    /* The slot through a plain pointer, as a buggy device would compute it
     * (an array subscript would be stopped by UBSan before ASan sees it). */
    uint8_t *slot = &s->table[0] + idx;
    *slot = s->data;
    s->commits++;
}

static void crashtest_command(CrashtestState *s, uint8_t cmd)
{
    if (!(s->status & CRASHTEST_STATUS_UNLOCKED)) {
        guest_error("crashtest: command 0x%02x while locked", cmd);
        return;
    }
    switch (cmd) {
    case CRASHTEST_CMD_COMMIT:
        crashtest_commit(s);
        break;
    case CRASHTEST_CMD_CLEAR:
        memset(s->table, 0, sizeof(s->table));
        s->status &= ~CRASHTEST_STATUS_ERROR;
        break;
    default:
        guest_error("crashtest: unknown command 0x%02x", cmd);
        break;
    }
}

static uint8_t crashtest_read(CrashtestState *s, unsigned off)
{
    switch (off) {
    case CRASHTEST_KEY:
        return s->status;
    case CRASHTEST_INDEX:
        return s->index;
    case CRASHTEST_DATA:
        return s->table[s->index % CRASHTEST_TABLE_LEN];
    case CRASHTEST_CMD:
        return s->commits;
    default:
        guest_error("crashtest: read of offset %u", off);
        return 0xff;
    }
}

static void crashtest_write(CrashtestState *s, unsigned off, uint8_t val)
{
    switch (off) {
    case CRASHTEST_KEY:
        if (val == CRASHTEST_UNLOCK) {
            s->status |= CRASHTEST_STATUS_UNLOCKED;
        } else {
            s->status &= ~CRASHTEST_STATUS_UNLOCKED;
        }
        break;
    case CRASHTEST_INDEX:
        s->index = val & CRASHTEST_INDEX_MASK;
        break;
    case CRASHTEST_DATA:
        s->data = val;
        break;
    case CRASHTEST_CMD:
        crashtest_command(s, val);
        break;
    default:
        guest_error("crashtest: write of offset %u", off);
        break;
    }
}

static uint64_t crashtest_io_read(void *opaque, uint64_t addr, unsigned size)
{
    return crashtest_read(opaque, (unsigned)addr);
}

static void crashtest_io_write(void *opaque, uint64_t addr, uint64_t data, unsigned size)
{
    crashtest_write(opaque, (unsigned)addr, (uint8_t)data);
}

static void crashtest_reset(Object *obj)
{
    CrashtestState *s = (CrashtestState *)obj;

    s->status = 0;
    s->index = 0;
    s->data = 0;
    s->commits = 0;
    memset(s->table, 0, sizeof(s->table));
}

static const MemoryRegionOps crashtest_ops = {
    .read = crashtest_io_read,
    .write = crashtest_io_write,
    .valid = {.min_access_size = 1, .max_access_size = 4, .unaligned = true},
    .impl = {.min_access_size = 1, .max_access_size = 1},
};

static void crashtest_init(Object *obj)
{
    ((CrashtestState *)obj)->iobase = CRASHTEST_DEFAULT_IOBASE;
}

static bool crashtest_realize(Object *obj, Machine *m, char **errp)
{
    CrashtestState *s = (CrashtestState *)obj;

    if (s->iobase > CRASHTEST_IO_SPACE - CRASHTEST_REG_COUNT) {
        *errp = g_strdup_printf("crashtest: iobase 0x%" PRIx32 " out of the I/O space",
                                s->iobase);
        return false;
    }
    mr_init_io(&s->io, obj, &crashtest_ops, s, "crashtest", CRASHTEST_REG_COUNT);
    mr_add_subregion(&m->sysio, s->iobase, &s->io);
    return true;
}

static const Property crashtest_props[] = {
    {"iobase", PROP_U32, offsetof(CrashtestState, iobase), "I/O base (default 0x2e0)"},
    {.name = NULL},
};

const TypeInfo crashtest_type = {
    .name = TYPE_CRASHTEST,
    .parent = "isa-device",
    .desc = "test-only device with a planted bug (-Dcrashtest=true builds only)",
    OBJECT_INSTANCE(CrashtestState),
    .user_creatable = true,
    .props = crashtest_props,
    .init = crashtest_init,
    .realize = crashtest_realize,
    .reset = crashtest_reset,
};
