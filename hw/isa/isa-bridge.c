/* SPDX-License-Identifier: MIT */
/* The reset control register at 0xcf9; see isa-bridge.h. */
#include "hw/isa/isa-bridge.h"

static uint64_t isa_reset_control_read(void *opaque, uint64_t addr, unsigned size)
{
    IsaResetControl *rc = opaque;

    return rc->value;
}

static void isa_reset_control_write(void *opaque, uint64_t addr, uint64_t val,
                                    unsigned size)
{
    IsaResetControl *rc = opaque;

    if (val & ISA_BRIDGE_RST_CPU) {
        machine_request_reset(rc->machine);
        return;
    }
    rc->value = val & rc->keep;
}

/* A wider access reaches 0xcf9 a byte at a time, as in QEMU. */
static const MemoryRegionOps isa_reset_control_ops = {
    .read = isa_reset_control_read,
    .write = isa_reset_control_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

void isa_reset_control_init(IsaResetControl *rc, Object *owner, Machine *m,
                            const char *name, uint8_t keep)
{
    rc->keep = keep;
    rc->machine = m;
    mr_init_io(&rc->io, owner, &isa_reset_control_ops, rc, name, 1);
    mr_add_subregion_overlap(&m->sysio, ISA_BRIDGE_RST_PORT, &rc->io, 1);
}
