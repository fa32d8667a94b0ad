/* SPDX-License-Identifier: MIT */
/*
 * ISA glue of the 16550A UART ("isa-serial"): the PC's COM1..COM4 port and
 * IRQ assignments, an 8-byte I/O region "serial" decoded one byte at a time
 * (wider accesses are split by the memory core, as in QEMU), and the
 * optional chardev that receives the output. The UART itself is serial.c.
 */
#include <inttypes.h>

#include "hw/char/serial.h"
#include "hw/devices.h"

#include "emu/memory.h"

/* Limits: four COM ports, 16 ISA IRQs, a 64 KiB port space. */
#define ISA_SERIAL_MAX_PORTS 4
#define ISA_SERIAL_UNSET UINT32_MAX
#define ISA_SERIAL_IO_SPACE 0x10000u

static const uint16_t isa_serial_iobase[ISA_SERIAL_MAX_PORTS] = {
    0x3f8,
    0x2f8,
    0x3e8,
    0x2e8,
};
static const uint8_t isa_serial_irq[ISA_SERIAL_MAX_PORTS] = {4, 3, 4, 3};

typedef struct ISASerialState {
    Object obj;
    /* Properties; ISA_SERIAL_UNSET until given. */
    uint32_t index;
    uint32_t iobase;
    uint32_t irq;
    char *chardev;
    MemoryRegion io;
    SerialState uart;
} ISASerialState;

static uint64_t isa_serial_io_read(void *opaque, uint64_t addr, unsigned size)
{
    ISASerialState *s = opaque;

    return serial_read(&s->uart, (unsigned)addr);
}

static void isa_serial_io_write(void *opaque, uint64_t addr, uint64_t data, unsigned size)
{
    ISASerialState *s = opaque;

    serial_write(&s->uart, (unsigned)addr, (uint8_t)data);
}

static const MemoryRegionOps isa_serial_io_ops = {
    .read = isa_serial_io_read,
    .write = isa_serial_io_write,
    .valid = {.min_access_size = 1, .max_access_size = 4, .unaligned = true},
    .impl = {.min_access_size = 1, .max_access_size = 1},
};

static void isa_serial_init(Object *obj)
{
    ISASerialState *s = (ISASerialState *)obj;

    s->index = ISA_SERIAL_UNSET;
    s->iobase = ISA_SERIAL_UNSET;
    s->irq = ISA_SERIAL_UNSET;
}

static void isa_serial_reset(Object *obj)
{
    ISASerialState *s = (ISASerialState *)obj;

    serial_reset(&s->uart);
}

/* Without index=, a port takes the next number, counting every isa-serial
 * realized before it (QEMU's rule, duplicates included). */
static uint32_t isa_serial_next_index(Machine *m, Object *self)
{
    uint32_t n = 0;
    unsigned i;

    for (i = 0; i < m->nr_devices; i++) {
        if (m->devices[i] != self && object_is_a(m->devices[i], TYPE_ISA_SERIAL)) {
            n++;
        }
    }
    return n;
}

static bool isa_serial_resolve(ISASerialState *s, Machine *m, char **errp)
{
    if (s->index == ISA_SERIAL_UNSET) {
        s->index = isa_serial_next_index(m, &s->obj);
    }
    if (s->index >= ISA_SERIAL_MAX_PORTS) {
        *errp = g_strdup_printf("Max. supported number of ISA serial ports is %d.",
                                ISA_SERIAL_MAX_PORTS);
        return false;
    }
    if (s->iobase == ISA_SERIAL_UNSET) {
        s->iobase = isa_serial_iobase[s->index];
    }
    if (s->irq == ISA_SERIAL_UNSET) {
        s->irq = isa_serial_irq[s->index];
    }
    if (s->iobase > ISA_SERIAL_IO_SPACE - SERIAL_REG_COUNT) {
        *errp = g_strdup_printf("isa-serial: iobase 0x%" PRIx32 " out of the I/O space",
                                s->iobase);
        return false;
    }
    if (s->irq >= MACHINE_ISA_IRQS) {
        *errp = g_strdup_printf("isa-serial: irq %" PRIu32 " out of range 0..%d", s->irq,
                                MACHINE_ISA_IRQS - 1);
        return false;
    }
    return true;
}

static bool isa_serial_realize(Object *obj, Machine *m, char **errp)
{
    ISASerialState *s = (ISASerialState *)obj;
    Chardev *chr = NULL;

    if (!isa_serial_resolve(s, m, errp)) {
        return false;
    }
    if (s->chardev) {
        chr = chardev_lookup(m, s->chardev, errp);
        if (!chr) {
            return false;
        }
    }
    serial_init(&s->uart, obj, &m->clock, m->isa_irq[s->irq], chr);
    mr_init_io(&s->io, obj, &isa_serial_io_ops, s, "serial", SERIAL_REG_COUNT);
    mr_add_subregion(&m->sysio, s->iobase, &s->io);
    return true;
}

static const Property isa_serial_props[] = {
    {"index", PROP_U32, offsetof(ISASerialState, index),
     "COM port number 0..3: picks iobase and irq (default: next free)"},
    {"iobase", PROP_U32, offsetof(ISASerialState, iobase),
     "I/O base (default from index)"},
    {"irq", PROP_U32, offsetof(ISASerialState, irq), "ISA IRQ (default from index)"},
    {"chardev", PROP_STR, offsetof(ISASerialState, chardev),
     "id of the -chardev that receives the output"},
    {.name = NULL},
};

const TypeInfo isa_serial_type = {
    .name = TYPE_ISA_SERIAL,
    .parent = "isa-device",
    .desc = "16550A UART on the ISA bus",
    OBJECT_INSTANCE(ISASerialState),
    .user_creatable = true,
    .props = isa_serial_props,
    .init = isa_serial_init,
    .realize = isa_serial_realize,
    .reset = isa_serial_reset,
};
