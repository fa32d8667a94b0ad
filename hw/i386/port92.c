/* SPDX-License-Identifier: MIT */
/*
 * System control port A at I/O 0x92 (IBM PS/2 Technical Reference, "System
 * Control Port A"): bit 1 gates A20, a 0-to-1 edge of bit 0 resets the CPU
 * (a system reset request: see machine_request_reset). The other bits are stored
 * and read back, as QEMU 7.2 does. Reset clears bit 0 only, as QEMU.
 */
#include "hw/i386/port92.h"

#include "emu/log.h"
#include "emu/machine.h"
#include "emu/memory.h"
#include "hw/devices.h"

/* Port bits */
#define PORT92_FAST_RESET 0x01
#define PORT92_A20 0x02

#define PORT92_IOBASE 0x92

typedef struct Port92State {
    Object obj;
    uint8_t outport;
    MemoryRegion io;
    Machine *machine;        /* for reset requests */
} Port92State;

static uint8_t port92_read(Port92State *s)
{
    return s->outport;
}

static void port92_write(Port92State *s, uint8_t val)
{
    uint8_t old = s->outport;

    s->outport = val;
    if ((val & PORT92_FAST_RESET) && !(old & PORT92_FAST_RESET)) {
        machine_request_reset(s->machine);
    }
}

/* One register: the offset is not decoded (a wide access repeats it). */
static uint64_t port92_io_read(void *opaque, uint64_t addr, unsigned size)
{
    return port92_read(opaque);
}

static void port92_io_write(void *opaque, uint64_t addr, uint64_t data, unsigned size)
{
    port92_write(opaque, (uint8_t)data);
}

static void port92_reset(Object *obj)
{
    Port92State *s = (Port92State *)obj;

    /* As QEMU: the A20 bit survives a reset; power-on value is 0. */
    s->outport &= ~PORT92_FAST_RESET;
}

static const MemoryRegionOps port92_ops = {
    .read = port92_io_read,
    .write = port92_io_write,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 1, .max_access_size = 1},
};

static bool port92_realize(Object *obj, Machine *m, char **errp)
{
    Port92State *s = (Port92State *)obj;

    s->machine = m;
    mr_init_io(&s->io, obj, &port92_ops, s, "port92", 1);
    mr_add_subregion(&m->sysio, PORT92_IOBASE, &s->io);
    return true;
}

static Port92State *port92_cast(Object *obj)
{
    if (!obj || !object_is_a(obj, TYPE_PORT92)) {
        emu_bug("port92: not a port92 object");
    }
    return (Port92State *)obj;
}

int port92_a20(Object *port92)
{
    return (port92_cast(port92)->outport & PORT92_A20) != 0;
}

const TypeInfo port92_type = {
    .name = TYPE_PORT92,
    .parent = "isa-device",
    .desc = "system control port A (fast A20 and reset) at 0x92",
    OBJECT_INSTANCE(Port92State),
    .user_creatable = false, /* as QEMU: the board wires it */
    .realize = port92_realize,
    .reset = port92_reset,
};
