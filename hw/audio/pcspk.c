/* SPDX-License-Identifier: MIT */
/*
 * PC speaker and system control port B (port 0x61, IBM PC/AT technical
 * reference; PIIX "NMI Status and Control"): bit 0 gates PIT counter 2,
 * bit 1 enables the speaker data, bit 5 reads counter 2's OUT. Bit 4, the
 * refresh toggle, flips on every read, as QEMU 7.2's model does (under -S
 * two reads at the same instant differ). No sound is produced; parity and
 * channel-check bits read 0.
 */
#include "hw/audio/pcspk.h"

#include "emu/log.h"
#include "emu/machine.h"
#include "emu/memory.h"
#include "hw/devices.h"
#include "hw/timer/i8254.h"

/* Port B bits. */
#define PCSPK_GATE2 0x01        /* PIT counter 2 GATE */
#define PCSPK_DATA_ON 0x02      /* speaker data enable */
#define PCSPK_REFRESH 0x10      /* refresh request toggle (read) */
#define PCSPK_OUT2 0x20         /* PIT counter 2 OUT (read) */

#define PCSPK_PIT_CHANNEL 2

typedef struct PCSpkState {
    Object obj;
    uint32_t iobase;
    bool data_on;
    uint8_t refresh;            /* PCSPK_REFRESH or 0 */
    Object *pit;
    MemoryRegion io;
} PCSpkState;

static PCSpkState *pcspk_cast(Object *obj)
{
    if (!obj || !object_is_a(obj, TYPE_PCSPK)) {
        emu_bug("pcspk: not an %s", TYPE_PCSPK);
    }
    return (PCSpkState *)obj;
}

static uint64_t pcspk_read(void *opaque, uint64_t addr, unsigned size)
{
    PCSpkState *s = opaque;
    s->refresh ^= PCSPK_REFRESH;
    return (i8254_get_gate(s->pit, PCSPK_PIT_CHANNEL) ? PCSPK_GATE2 : 0) |
           (s->data_on ? PCSPK_DATA_ON : 0) | s->refresh |
           (i8254_get_out(s->pit, PCSPK_PIT_CHANNEL) ? PCSPK_OUT2 : 0);
}

static void pcspk_write(void *opaque, uint64_t addr, uint64_t data,
                        unsigned size)
{
    PCSpkState *s = opaque;
    s->data_on = data & PCSPK_DATA_ON;
    i8254_set_gate(s->pit, PCSPK_PIT_CHANNEL, data & PCSPK_GATE2);
}

static void pcspk_reset(Object *obj)
{
    PCSpkState *s = (PCSpkState *)obj;
    s->data_on = false;
    s->refresh = 0;
}

static const MemoryRegionOps pcspk_ops = {
    .read = pcspk_read,
    .write = pcspk_write,
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

void pcspk_set_pit(Object *spk, Object *pit)
{
    pcspk_cast(spk)->pit = pit;
}

static void pcspk_init(Object *obj)
{
    PCSpkState *s = (PCSpkState *)obj;
    s->iobase = 0x61;
}

static bool pcspk_realize(Object *obj, Machine *m, char **errp)
{
    PCSpkState *s = (PCSpkState *)obj;
    if (!s->pit || !object_is_a(s->pit, TYPE_I8254)) {
        *errp = g_strdup("isa-pcspk: no PIT given (the board must call "
                         "pcspk_set_pit before realize)");
        return false;
    }
    if (s->iobase > 0xffff) {
        *errp = g_strdup_printf("isa-pcspk: iobase 0x%x out of range",
                                s->iobase);
        return false;
    }
    mr_init_io(&s->io, obj, &pcspk_ops, s, "pcspk", 1);
    mr_add_subregion(&m->sysio, s->iobase, &s->io);
    return true;
}

static const Property pcspk_props[] = {
    { "iobase", PROP_U32, offsetof(PCSpkState, iobase),
      "I/O port of system control port B (0x61)" },
    { NULL },
};

const TypeInfo pcspk_type = {
    .name = TYPE_PCSPK,
    .parent = "isa-device",
    .desc = "PC speaker / port 0x61 (PIT counter 2 gate and output)",
    OBJECT_INSTANCE(PCSpkState),
    .user_creatable = false,
    .props = pcspk_props,
    .init = pcspk_init,
    .realize = pcspk_realize,
    .reset = pcspk_reset,
};
