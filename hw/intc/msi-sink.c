/* SPDX-License-Identifier: MIT */
/*
 * MSI interrupt sink: the 1 MiB at 0xfee00000 where x86 delivers message
 * signalled interrupts (Intel SDM vol. 3A, "Message Signalled Interrupts").
 * QEMU's pc has its local APIC's "apic-msi" region there; without a CPU,
 * this one records each 4-byte write as a message (a count and the last
 * MSI_LOG_LEN addresses and data, emu/msi.h) for tests and the qtest `msi`
 * command. Reads give 0 and narrower writes are ignored, as QEMU's region
 * does under qtest. Left out: delivering them to anything.
 */
#include "hw/intc/msi-sink.h"

#include <inttypes.h>
#include <string.h>

#include "emu/log.h"
#include "emu/machine.h"
#include "emu/memory.h"
#include "hw/devices.h"

/* QEMU's priority for apic-msi in system memory. */
#define MSI_SINK_PRIORITY 4096
#define MSI_SINK_MSG_SIZE 4

typedef struct MSISinkState {
    Object obj;
    MSILog log;
    MemoryRegion io;
} MSISinkState;

static uint64_t msi_sink_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0;
}

static void msi_sink_write(void *opaque, uint64_t addr, uint64_t val,
                           unsigned size)
{
    MSISinkState *s = opaque;

    if (size != MSI_SINK_MSG_SIZE) {
        guest_error("msi-sink: %u-byte write at 0x%" PRIx64 " ignored "
                    "(messages are 4 bytes)", size, (uint64_t)(MSI_SINK_BASE + addr));
        return;
    }
    msi_log_record(&s->log, MSI_SINK_BASE + addr, (uint32_t)val);
}

static void msi_sink_reset(Object *obj)
{
    MSISinkState *s = (MSISinkState *)obj;

    memset(&s->log, 0, sizeof(s->log));
}

static const MemoryRegionOps msi_sink_ops = {
    .read = msi_sink_read,
    .write = msi_sink_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static bool msi_sink_realize(Object *obj, Machine *m, char **errp)
{
    MSISinkState *s = (MSISinkState *)obj;

    mr_init_io(&s->io, obj, &msi_sink_ops, s, "apic-msi", MSI_SINK_SIZE);
    mr_add_subregion_overlap(&m->sysmem, MSI_SINK_BASE, &s->io, MSI_SINK_PRIORITY);
    msi_sink_reset(obj);
    return true;
}

MSILog *msi_sink_log(Object *sink)
{
    if (!sink || !object_is_a(sink, TYPE_MSI_SINK)) {
        emu_bug("msi-sink: not an msi-sink object");
    }
    return &((MSISinkState *)sink)->log;
}

const TypeInfo msi_sink_type = {
    .name = TYPE_MSI_SINK,
    .parent = "device",
    .desc = "x86 MSI window at 0xfee00000: records the messages written to it",
    OBJECT_INSTANCE(MSISinkState),
    .user_creatable = false,
    .realize = msi_sink_realize,
    .reset = msi_sink_reset,
};
