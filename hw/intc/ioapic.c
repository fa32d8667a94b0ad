/* SPDX-License-Identifier: MIT */
/*
 * I/O APIC: Intel 82093AA datasheet (order 290566) for the register file,
 * with the version-0x20 EOI register of the ICH I/O APICs (ICH9 datasheet
 * 13.5.5), as QEMU 7.2's pc. IOREGSEL/IOWIN indirect access to ID, VER,
 * ARB and 24 64-bit redirection entries; edge and level pins, masking,
 * remote IRR set on delivery of a level interrupt and cleared by an EOI
 * whose vector matches. Each interrupt sent is a message write (address
 * 0xfee0_0000 with the destination, data with vector, delivery and trigger
 * mode) to the machine's memory, where the local APICs would be.
 * Left out: the pin polarity (bit 13 is stored; levels reaching a pin are
 * always "1 = asserted", as in QEMU), the APIC bus arbitration (ARB reads
 * the ID, as QEMU), and the delivery status bit (always 0: a message is
 * sent at once).
 */
#include "hw/intc/ioapic.h"

#include <string.h>

#include "emu/dma.h"
#include "emu/log.h"
#include "emu/machine.h"
#include "emu/memory.h"
#include "hw/devices.h"
#include "hw/intc/i8259.h"

/* Direct registers, by offset in the window (QEMU decodes A7-A0 only). */
#define IOAPIC_IOREGSEL 0x00
#define IOAPIC_IOWIN 0x10
#define IOAPIC_EOI 0x40             /* version 0x20 only */
#define IOAPIC_DECODE_MASK 0xff

/* Indirect registers (82093AA 3.2). */
#define IOAPIC_REG_ID 0x00
#define IOAPIC_REG_VER 0x01
#define IOAPIC_REG_ARB 0x02
#define IOAPIC_REG_REDTBL 0x10      /* two registers an entry, low first */
#define IOAPIC_ID_SHIFT 24
#define IOAPIC_ID_MASK 0x0f
#define IOAPIC_VERSION 0x20
#define IOAPIC_VER_ENTRIES_SHIFT 16

/* Redirection entry (82093AA 3.2.4). */
#define IOAPIC_RTE_VECTOR 0xffull
#define IOAPIC_RTE_DELIV_SHIFT 8
#define IOAPIC_RTE_DELIV_MASK 0x7
#define IOAPIC_RTE_DELIV_EXTINT 0x7
#define IOAPIC_RTE_DEST_MODE_SHIFT 11
#define IOAPIC_RTE_DELIV_STATUS (1ull << 12)   /* read-only */
#define IOAPIC_RTE_POLARITY (1ull << 13)
#define IOAPIC_RTE_REMOTE_IRR (1ull << 14)     /* read-only */
#define IOAPIC_RTE_LEVEL (1ull << 15)
#define IOAPIC_RTE_MASKED (1ull << 16)
#define IOAPIC_RTE_DEST_SHIFT 48    /* QEMU keeps bits 63-48: dest and IR format */
#define IOAPIC_RTE_RO (IOAPIC_RTE_DELIV_STATUS | IOAPIC_RTE_REMOTE_IRR)

/* The message (Intel SDM vol. 3A 10.11: MSI address and data). */
#define IOAPIC_MSG_BASE 0xfee00000ull
#define IOAPIC_MSG_DEST_SHIFT 4     /* entry bits 63-48 to address bits 19-4 */
#define IOAPIC_MSG_DEST_MODE_SHIFT 2
#define IOAPIC_MSG_DELIV_SHIFT 8
#define IOAPIC_MSG_TRIGGER_SHIFT 15

#define IOAPIC_REGION_SIZE 0x1000

typedef struct IOAPICState {
    Object obj;
    /* Registers. */
    uint8_t ioregsel;
    uint8_t id;
    uint64_t redtbl[IOAPIC_NUM_PINS];
    /* The levels on the input pins. */
    uint32_t levels;
    /* Wiring. */
    IRQ in[IOAPIC_NUM_PINS];
    Object *pic_master, *pic_slave;
    AddressSpace *as;
    MemoryRegion io;
} IOAPICState;

static bool ioapic_pin_level(const IOAPICState *s, int n)
{
    return (s->levels >> n) & 1;
}

/* ExtINT: the vector comes from the 8259 by an acknowledge cycle, as a
 * CPU's INTA would fetch it (82093AA 3.2.4, delivery mode 111). */
static uint8_t ioapic_vector(IOAPICState *s, uint64_t rte)
{
    unsigned mode = (rte >> IOAPIC_RTE_DELIV_SHIFT) & IOAPIC_RTE_DELIV_MASK;

    if (mode != IOAPIC_RTE_DELIV_EXTINT || !s->pic_master) {
        return rte & IOAPIC_RTE_VECTOR;
    }
    object_touch(s->pic_master);
    object_touch(s->pic_slave);
    return (uint8_t)i8259_intack(s->pic_master, s->pic_slave);
}

static void ioapic_send(IOAPICState *s, int n)
{
    uint64_t rte = s->redtbl[n];
    uint64_t addr = IOAPIC_MSG_BASE |
                    (rte >> IOAPIC_RTE_DEST_SHIFT) << IOAPIC_MSG_DEST_SHIFT |
                    ((rte >> IOAPIC_RTE_DEST_MODE_SHIFT) & 1) << IOAPIC_MSG_DEST_MODE_SHIFT;
    uint32_t data = ioapic_vector(s, rte) |
                    ((rte >> IOAPIC_RTE_DELIV_SHIFT) & IOAPIC_RTE_DELIV_MASK)
                        << IOAPIC_MSG_DELIV_SHIFT |
                    (uint32_t)!!(rte & IOAPIC_RTE_LEVEL) << IOAPIC_MSG_TRIGGER_SHIFT;

    dma_st32(s->as, addr, data);
}

/* A level pin that is asserted and unmasked sends once, then waits for the
 * EOI (remote IRR, 82093AA 3.2.4 bit 14). */
static void ioapic_service_level(IOAPICState *s, int n)
{
    uint64_t *rte = &s->redtbl[n];

    if (!(*rte & IOAPIC_RTE_LEVEL) || (*rte & (IOAPIC_RTE_MASKED | IOAPIC_RTE_REMOTE_IRR)) ||
        !ioapic_pin_level(s, n)) {
        return;
    }
    *rte |= IOAPIC_RTE_REMOTE_IRR;
    ioapic_send(s, n);
}

static void ioapic_service_all(IOAPICState *s)
{
    for (int n = 0; n < IOAPIC_NUM_PINS; n++) {
        ioapic_service_level(s, n);
    }
}

/* An input pin changed: an edge pin sends on a rising edge unless masked
 * (the datasheet: edges on a masked pin are lost); a level pin sends while
 * asserted. */
static void ioapic_set_irq(void *opaque, int n, int level)
{
    IOAPICState *s = opaque;
    bool was = ioapic_pin_level(s, n);
    uint64_t rte = s->redtbl[n];

    s->levels = level ? s->levels | (1u << n) : s->levels & ~(1u << n);
    if (rte & IOAPIC_RTE_LEVEL) {
        ioapic_service_level(s, n);
    } else if (level && !was && !(rte & IOAPIC_RTE_MASKED)) {
        ioapic_send(s, n);
    }
}

/* EOI register (ICH9 13.5.5): bits 7-0 name a vector; every level entry
 * with that vector has its remote IRR cleared, and sends again if its pin
 * is still asserted. Each entry sends at most once a write. */
static void ioapic_eoi(IOAPICState *s, uint8_t vector)
{
    for (int n = 0; n < IOAPIC_NUM_PINS; n++) {
        uint64_t *rte = &s->redtbl[n];

        if ((*rte & IOAPIC_RTE_VECTOR) != vector || !(*rte & IOAPIC_RTE_LEVEL) ||
            !(*rte & IOAPIC_RTE_REMOTE_IRR)) {
            continue;
        }
        *rte &= ~IOAPIC_RTE_REMOTE_IRR;
        ioapic_service_level(s, n);
    }
}

/* ---- Registers ----------------------------------------------------------- */

/* The redirection entry an IOREGSEL value selects (two registers each). */
static bool ioapic_rte_index(uint8_t sel, unsigned *index)
{
    if (sel < IOAPIC_REG_REDTBL || (sel - IOAPIC_REG_REDTBL) / 2 >= IOAPIC_NUM_PINS) {
        return false;
    }
    *index = (sel - IOAPIC_REG_REDTBL) / 2;
    return true;
}

static uint32_t ioapic_read_reg(IOAPICState *s)
{
    unsigned index;

    switch (s->ioregsel) {
    case IOAPIC_REG_ID:
    case IOAPIC_REG_ARB:
        return (uint32_t)s->id << IOAPIC_ID_SHIFT;
    case IOAPIC_REG_VER:
        return IOAPIC_VERSION | (IOAPIC_NUM_PINS - 1) << IOAPIC_VER_ENTRIES_SHIFT;
    }
    if (!ioapic_rte_index(s->ioregsel, &index)) {
        guest_error("ioapic: read of register 0x%02x", s->ioregsel);
        return 0;
    }
    return (uint32_t)(s->redtbl[index] >> (s->ioregsel & 1 ? 32 : 0));
}

/* One half of an entry; the read-only bits stay, an edge entry has no
 * remote IRR (QEMU's ioapic_fix_edge_remote_irr). A pin asserted on a
 * level entry that is now unmasked sends. */
static void ioapic_write_rte(IOAPICState *s, unsigned index, bool high, uint32_t val)
{
    uint64_t *rte = &s->redtbl[index];
    uint64_t ro = *rte & IOAPIC_RTE_RO;
    uint64_t v = high ? (*rte & 0xffffffffull) | (uint64_t)val << 32
                      : (*rte & ~0xffffffffull) | val;

    *rte = (v & ~IOAPIC_RTE_RO) | ro;
    if (!(*rte & IOAPIC_RTE_LEVEL)) {
        *rte &= ~IOAPIC_RTE_REMOTE_IRR;
    }
    ioapic_service_all(s);
}

static void ioapic_write_reg(IOAPICState *s, uint32_t val)
{
    unsigned index;

    switch (s->ioregsel) {
    case IOAPIC_REG_ID:
        s->id = (val >> IOAPIC_ID_SHIFT) & IOAPIC_ID_MASK;
        return;
    case IOAPIC_REG_VER:
    case IOAPIC_REG_ARB:
        return;     /* read-only */
    }
    if (!ioapic_rte_index(s->ioregsel, &index)) {
        guest_error("ioapic: write of register 0x%02x", s->ioregsel);
        return;
    }
    ioapic_write_rte(s, index, s->ioregsel & 1, val);
}

/* IOREGSEL takes any width (its low byte); IOWIN and EOI only dwords, as
 * the datasheet requires and QEMU does: narrower accesses read 0 and are
 * dropped. */
static uint64_t ioapic_mem_read(void *opaque, uint64_t addr, unsigned size)
{
    IOAPICState *s = opaque;

    switch (addr & IOAPIC_DECODE_MASK) {
    case IOAPIC_IOREGSEL:
        return s->ioregsel;
    case IOAPIC_IOWIN:
        if (size == 4) {
            return ioapic_read_reg(s);
        }
        break;
    }
    guest_error("ioapic: %u-byte read at 0x%02x", size, (unsigned)addr);
    return 0;
}

static void ioapic_mem_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    IOAPICState *s = opaque;

    switch (addr & IOAPIC_DECODE_MASK) {
    case IOAPIC_IOREGSEL:
        s->ioregsel = (uint8_t)val;
        return;
    case IOAPIC_IOWIN:
        if (size == 4) {
            ioapic_write_reg(s, (uint32_t)val);
            return;
        }
        break;
    case IOAPIC_EOI:
        if (size == 4) {
            ioapic_eoi(s, (uint8_t)val);
            return;
        }
        break;
    }
    guest_error("ioapic: %u-byte write at 0x%02x ignored", size, (unsigned)addr);
}

/* 82093AA 3.0: after reset every entry is masked, the ID 0. The levels on
 * the pins are the wires' and stay. */
static void ioapic_reset(Object *obj)
{
    IOAPICState *s = (IOAPICState *)obj;

    s->ioregsel = 0;
    s->id = 0;
    for (int n = 0; n < IOAPIC_NUM_PINS; n++) {
        s->redtbl[n] = IOAPIC_RTE_MASKED;
    }
}

static const MemoryRegionOps ioapic_ops = {
    .read = ioapic_mem_read,
    .write = ioapic_mem_write,
    .valid = {.min_access_size = 1, .max_access_size = 8},
    .impl = {.min_access_size = 1, .max_access_size = 4},
};

static bool ioapic_realize(Object *obj, Machine *m, char **errp)
{
    IOAPICState *s = (IOAPICState *)obj;

    s->as = &m->as_mem;
    for (int n = 0; n < IOAPIC_NUM_PINS; n++) {
        irq_init(&s->in[n], obj, ioapic_set_irq, s, n);
    }
    mr_init_io(&s->io, obj, &ioapic_ops, s, "ioapic", IOAPIC_REGION_SIZE);
    mr_add_subregion(&m->sysmem, IOAPIC_BASE, &s->io);
    return true;
}

static IOAPICState *ioapic_cast(Object *obj)
{
    if (!obj || !object_is_a(obj, TYPE_IOAPIC)) {
        emu_bug("ioapic: not an %s object", TYPE_IOAPIC);
    }
    return (IOAPICState *)obj;
}

IRQ *ioapic_input(Object *ioapic, int n)
{
    if (n < 0 || n >= IOAPIC_NUM_PINS) {
        emu_bug("ioapic: no pin %d", n);
    }
    return &ioapic_cast(ioapic)->in[n];
}

void ioapic_connect_pic(Object *ioapic, Object *master, Object *slave)
{
    IOAPICState *s = ioapic_cast(ioapic);

    s->pic_master = master;
    s->pic_slave = slave;
}

const TypeInfo ioapic_type = {
    .name = TYPE_IOAPIC,
    .parent = "device",
    .desc = "82093AA I/O APIC, version 0x20, 24 pins",
    OBJECT_INSTANCE(IOAPICState),
    .user_creatable = false,
    .realize = ioapic_realize,
    .reset = ioapic_reset,
};
