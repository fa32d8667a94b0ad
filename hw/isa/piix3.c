/* SPDX-License-Identifier: MIT */
/*
 * Intel 82371SB PIIX3, function 0: the PCI-to-ISA bridge. It routes the four
 * PCI interrupt lines PIRQ[A:D] onto ISA IRQs (PIRQRC, 0x60-0x63) and has the
 * reset control register at port 0xcf9 (82371FB/SB datasheet, order 290550,
 * sections 2.2.9 and 2.3.1). Its other registers are plain bytes with QEMU
 * 7.2's reset values; ISA DMA, timers and the PICs are separate devices.
 */
#include "hw/isa/piix3.h"

#include <string.h>

#include "emu/machine.h"
#include "emu/pci.h"
#include "hw/devices.h"
#include "hw/isa/isa-bridge.h"

/* Identity (01.0) */
#define PIIX3_VENDOR_ID    0x8086
#define PIIX3_DEVICE_ID    0x7000
#define PIIX3_DEVFN        PCI_DEVFN(1, 0)

/* Function 0 registers with a non-zero reset value */
#define PIIX3_IORT         0x4c   /* ISA I/O recovery timer */
#define PIIX3_XBCS         0x4e   /* X-bus chip select */
#define PIIX3_PIRQRC       0x60   /* PIRQ route control A..D */
#define  PIIX3_PIRQRC_IRQ      0x0f
#define  PIIX3_PIRQRC_DISABLE  0x80
#define PIIX3_TOM          0x69   /* top of memory */
#define PIIX3_MBIRQ0       0x70   /* motherboard IRQ route */
#define PIIX3_MBDMA0       0x76   /* motherboard DMA 0, 1 */
#define PIIX3_MBDMA1       0x77
#define PIIX3_PCSC         0x78   /* programmable chip select */
#define PIIX3_SMICNTL      0xa0
#define PIIX3_FTMR         0xa8   /* fast off timer */

/* Reset control register, I/O port 0xcf9 (datasheet 2.3.1); RCPU (bit 2)
 * starts the reset and is not kept, SRST is (as QEMU). */
#define  PIIX3_RCR_SRST    0x02   /* system reset: hard (1) or soft (0) */

/* Limits */
#define PIIX3_NUM_PIRQS    4
#define PIIX3_NUM_ISA_IRQS 16

typedef struct PIIX3State {
    PCIDevice pci;
    uint8_t pirq_levels;                 /* bit n: PIRQ n asserted */
    uint16_t isa_driven;                 /* bit n: we hold ISA IRQ n high */
    IsaResetControl rcr;                 /* "piix3-reset-control" */
    IRQ *isa_irq[PIIX3_NUM_ISA_IRQS];    /* the PICs' inputs */
} PIIX3State;

/* QEMU 7.2's reset values of the device-specific registers. */
static const struct {
    uint8_t reg;
    uint8_t val;
} piix3_reset_regs[] = {
    { PIIX3_IORT, 0x4d },
    { PIIX3_XBCS, 0x03 },
    { PIIX3_PIRQRC + 0, PIIX3_PIRQRC_DISABLE },
    { PIIX3_PIRQRC + 1, PIIX3_PIRQRC_DISABLE },
    { PIIX3_PIRQRC + 2, PIIX3_PIRQRC_DISABLE },
    { PIIX3_PIRQRC + 3, PIIX3_PIRQRC_DISABLE },
    { PIIX3_TOM, 0x02 },
    { PIIX3_MBIRQ0, 0x80 },
    { PIIX3_MBDMA0, 0x0c },
    { PIIX3_MBDMA1, 0x0c },
    { PIIX3_PCSC, 0x02 },
    { PIIX3_SMICNTL, 0x08 },
    { PIIX3_FTMR, 0x0f },
};

/* ---------------------------------------------------------------------- */
/* PIRQ routing                                                            */

/* Route of PIRQ n: an ISA IRQ, or -1. As QEMU, any value >= 16 disables. */
static int piix3_pirq_route(const PIIX3State *s, int pirq)
{
    uint8_t v = s->pci.config[PIIX3_PIRQRC + pirq];

    return v < PIIX3_NUM_ISA_IRQS ? v : -1;
}

/* The wire-OR of every asserted PIRQ routed to ISA IRQ n. */
static int piix3_isa_level(const PIIX3State *s, int n)
{
    for (int pirq = 0; pirq < PIIX3_NUM_PIRQS; pirq++) {
        if ((s->pirq_levels & (1u << pirq)) && piix3_pirq_route(s, pirq) == n) {
            return 1;
        }
    }
    return 0;
}

/* ISA IRQ n from the PIRQs routed to it (never lowering an ISA device's). */
static void piix3_drive_isa(PIIX3State *s, int n)
{
    isa_bridge_drive(s->isa_irq[n], &s->isa_driven, n, piix3_isa_level(s, n));
}

static void piix3_set_irq(void *opaque, int pirq, int level)
{
    PIIX3State *s = opaque;

    if (level) {
        s->pirq_levels |= 1u << pirq;
    } else {
        s->pirq_levels &= ~(1u << pirq);
    }
    int n = piix3_pirq_route(s, pirq);
    if (n >= 0) {
        piix3_drive_isa(s, n);
    }
}

/* Slot swizzle of the pc board: slot 1 INTA is PIRQA (QEMU 7.2). */
static int piix3_map_irq(PCIDevice *d, int pin)
{
    return (PCI_SLOT(d->devfn) + pin + PIIX3_NUM_PIRQS - 1) % PIIX3_NUM_PIRQS;
}

/* A route change: every line a PIRQ now reaches, or we held high. */
static void piix3_update_all_isa(PIIX3State *s)
{
    for (int n = 0; n < PIIX3_NUM_ISA_IRQS; n++) {
        piix3_drive_isa(s, n);
    }
}

static void piix3_config_write(PCIDevice *d, uint32_t addr, uint32_t val,
                               unsigned len)
{
    pci_default_write_config(d, addr, val, len);
    if (addr < PIIX3_PIRQRC + PIIX3_NUM_PIRQS && addr + len > PIIX3_PIRQRC) {
        piix3_update_all_isa((PIIX3State *)d);
    }
}

/* ---------------------------------------------------------------------- */
/* Reset and realize                                                       */

/* The command register stays 0: QEMU's bus reset clears what PIIX3 sets. */
static void piix3_reset(Object *obj)
{
    PIIX3State *s = (PIIX3State *)obj;
    uint8_t *c = s->pci.config;

    pci_device_reset(&s->pci);
    memset(c + PCI_CONFIG_HEADER_SIZE, 0,
           PCI_CONFIG_SPACE_SIZE - PCI_CONFIG_HEADER_SIZE);
    for (size_t i = 0; i < G_N_ELEMENTS(piix3_reset_regs); i++) {
        c[piix3_reset_regs[i].reg] = piix3_reset_regs[i].val;
    }
    isa_reset_control_reset(&s->rcr);
    s->pirq_levels = 0;
    piix3_update_all_isa(s);    /* lowers what we held high */
}

static void piix3_init(Object *obj)
{
    PIIX3State *s = (PIIX3State *)obj;

    pci_device_init(&s->pci);
    s->pci.devfn = PIIX3_DEVFN;
}

static bool piix3_realize(Object *obj, Machine *m, char **errp)
{
    static const PCIDeviceInfo info = {
        .vendor_id = PIIX3_VENDOR_ID,
        .device_id = PIIX3_DEVICE_ID,
        .class_id = PCI_CLASS_BRIDGE_ISA,
        .header_type = PCI_HEADER_TYPE_MULTI_FUNCTION,
        .status = PCI_STATUS_DEVSEL_MEDIUM,
    };
    PIIX3State *s = (PIIX3State *)obj;

    if (!pci_realize_common(&s->pci, m->pci_bus, &info, NULL, errp)) {
        return false;
    }
    s->pci.config_write = piix3_config_write;
    memcpy(s->isa_irq, m->isa_irq, sizeof(s->isa_irq));
    pci_bus_set_irqs(m->pci_bus, piix3_map_irq, piix3_set_irq, s, &s->pci.obj);
    isa_reset_control_init(&s->rcr, obj, m, "piix3-reset-control", PIIX3_RCR_SRST);
    piix3_reset(obj);
    return true;
}

static const Property piix3_props[] = {
    PCI_DEVICE_PROP_ADDR(PIIX3State, pci),
    { .name = NULL },
};

const TypeInfo piix3_type = {
    .name = TYPE_PIIX3,
    .parent = "pci-device",
    .desc = "ISA bridge: PIIX3 PCI-to-ISA bridge (PIRQ routing, port 0xcf9)",
    OBJECT_INSTANCE(PIIX3State),
    .props = piix3_props,
    .init = piix3_init,
    .realize = piix3_realize,
    .reset = piix3_reset,
};
