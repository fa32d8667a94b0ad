/* SPDX-License-Identifier: MIT */
/*
 * Intel ICH9 LPC interface bridge, 00:1f.0 (ICH9 datasheet, order 319973,
 * chapter 13.1) as QEMU 7.2's "ICH9-LPC": PIRQ[A-H] routing to the ISA
 * interrupts (13.1.17, 13.1.20), PMBASE and ACPI_CNTL placing the ACPI
 * block (13.1.10-11, ich9-pm.c), GEN_PMCON with SMI_LOCK,
 * RCBA mapping the 16 KiB chipset configuration registers whose D25IR-
 * D31IR route each slot's INTx to a PIRQ (chapter 10.1), the APM ports
 * 0xb2/0xb3 and the reset control register at 0xcf9 (13.7.5); PIRQ[A-H]
 * also drive I/O APIC pins 16-23 and the SCI pins 20-23 when
 * SCI_IRQ_SEL says so (13.1.11), as QEMU 7.2. Left out: SMIs, the other
 * LPC decode ranges (plain bytes, as QEMU).
 */
#include "hw/isa/lpc-ich9.h"

#include <string.h>

#include "emu/log.h"
#include "emu/machine.h"
#include "emu/pci.h"
#include "hw/devices.h"
#include "hw/isa/ich9-pm.h"
#include "hw/isa/isa-bridge.h"

/* Identity (1f.0) */
#define ICH9_LPC_VENDOR_ID  0x8086
#define ICH9_LPC_DEVICE_ID  0x2918
#define ICH9_LPC_REVISION   0x02
#define ICH9_LPC_DEVFN      PCI_DEVFN(0x1f, 0)

/* Config registers (13.1) */
#define ICH9_LPC_PMBASE     0x40
#define  ICH9_LPC_PMBASE_RTE  0x00000001u
#define  ICH9_LPC_PMBASE_MASK 0x0000ff80u
#define ICH9_LPC_ACPI_CTRL  0x44
#define  ICH9_LPC_ACPI_EN     0x80
#define  ICH9_LPC_SCI_SEL     0x07
#define ICH9_LPC_PIRQA_ROUT 0x60
#define ICH9_LPC_PIRQE_ROUT 0x68
#define  ICH9_LPC_PIRQ_IRQEN  0x80    /* 1: not routed to the PIC */
#define  ICH9_LPC_PIRQ_IRQ    0x0f
#define  ICH9_LPC_PIRQ_DEFAULT 0x80
#define ICH9_LPC_GEN_PMCON_1 0xa0
#define  ICH9_LPC_SMI_LOCK    0x0010
#define ICH9_LPC_RCBA       0xf0
#define  ICH9_LPC_RCBA_EN     0x00000001u
#define  ICH9_LPC_RCBA_MASK   0xffffc000u
/* LPC I/O decode bits QEMU sets for the ports present at start-up */
#define ICH9_LPC_IOD        0x80
#define ICH9_LPC_EN         0x82

/* Chipset configuration registers in the RCRB (10.1) */
#define ICH9_CC_D31IR       0x3140
#define ICH9_CC_D30IR       0x3142
#define ICH9_CC_D29IR       0x3144
#define ICH9_CC_D28IR       0x3146
#define ICH9_CC_D27IR       0x3148
#define ICH9_CC_D26IR       0x314c
#define ICH9_CC_D25IR       0x3150
#define  ICH9_CC_DIR_DEFAULT  0x3210  /* INTA-D to PIRQA-D */
#define  ICH9_CC_DIR_MASK     0x7
#define ICH9_CC_GCS         0x3410
#define  ICH9_CC_GCS_DEFAULT  0x00000020u    /* NO_REBOOT */

/* APM control and status (13.7.2) and reset control (13.7.5) */
#define ICH9_APM_PORT       0xb2
#define  ICH9_RST_CNT_SYS_RST 0x02     /* CPU_RST (0x04): isa-bridge.h */
#define  ICH9_RST_CNT_FULL_RST 0x08

/* Limits */
#define ICH9_LPC_PIC_PINS   MACHINE_ISA_IRQS
#define ICH9_NUM_PIRQS      8
#define ICH9_PIRQ_GSI_BASE  16   /* PIRQ n is I/O APIC pin 16 + n */

typedef struct ICH9LPCState {
    PCIDevice pci;
    uint8_t apmc, apms;
    uint8_t pirq_levels;               /* bit n: PIRQ n asserted */
    uint16_t isa_driven;               /* bit n: we hold ISA IRQ n high */
    int sci_level;
    ICH9PM pm;
    /* The 16 KiB RCRB's bytes: RAM no address space maps, written with
     * dirty tracking (ich9_cc_store), so a restore copies back the pages
     * the input wrote, not 16 KiB each time an interrupt touches us. */
    MemoryRegion cc_store;             /* "lpc-rcrb-store" */
    const uint8_t *cc;                 /* its backing, for reads */
    MemoryRegion rcrb;                 /* "lpc-rcrb-mmio" */
    MemoryRegion apm_io;               /* "apm-io" */
    IsaResetControl rst_cnt;           /* "lpc-reset-control" */
    IRQ *apic[ICH9_NUM_PIRQS];  /* I/O APIC pins 16-23, once the board wires them */
    Machine *machine;           /* isa_irq[] (wired after us), resets */
} ICH9LPCState;

/* ---------------------------------------------------------------------- */
/* Interrupt routing                                                       */

/* The PIC input PIRQ n goes to, or -1 while IRQEN (bit 7) is set. */
static int ich9_lpc_pirq_route(const ICH9LPCState *s, int pirq)
{
    uint8_t reg = s->pci.config[pirq < 4 ? ICH9_LPC_PIRQA_ROUT + pirq
                                         : ICH9_LPC_PIRQE_ROUT + pirq - 4];

    return (reg & ICH9_LPC_PIRQ_IRQEN) ? -1 : reg & ICH9_LPC_PIRQ_IRQ;
}

/* The SCI's PIC input by SCI_IRQ_SEL (13.1.11): 9, 10, 11; 20-23 are
 * IOAPIC inputs (-1 here); 011b is reserved and means 9 as in QEMU. */
static int ich9_lpc_sci_irq(const ICH9LPCState *s)
{
    static const int sel[8] = { 9, 10, 11, 9, -1, -1, -1, -1 };

    return sel[s->pci.config[ICH9_LPC_ACPI_CTRL] & ICH9_LPC_SCI_SEL];
}

/* The SCI's I/O APIC pin for SCI_IRQ_SEL 100b-111b (20-23), or -1. */
static int ich9_lpc_sci_gsi(const ICH9LPCState *s)
{
    unsigned sel = s->pci.config[ICH9_LPC_ACPI_CTRL] & ICH9_LPC_SCI_SEL;

    return sel >= 4 ? (int)(20 + sel - 4) : -1;
}

/* I/O APIC pin 16 + pirq: the PIRQ's level whatever its PIC route, ORed
 * with the SCI when it is routed there (QEMU's ich9_lpc_update_apic). */
static void ich9_lpc_drive_apic(ICH9LPCState *s, int pirq)
{
    int level = (s->pirq_levels >> pirq) & 1;

    if (s->sci_level && ich9_lpc_sci_gsi(s) == ICH9_PIRQ_GSI_BASE + pirq) {
        level = 1;
    }
    irq_set(s->apic[pirq], level);
}

static void ich9_lpc_update_all_apic(ICH9LPCState *s)
{
    for (int pirq = 0; pirq < ICH9_NUM_PIRQS; pirq++) {
        ich9_lpc_drive_apic(s, pirq);
    }
}

static int ich9_lpc_isa_level(const ICH9LPCState *s, int n)
{
    for (int pirq = 0; pirq < ICH9_NUM_PIRQS; pirq++) {
        if ((s->pirq_levels & (1u << pirq)) && ich9_lpc_pirq_route(s, pirq) == n) {
            return 1;
        }
    }
    return s->sci_level && ich9_lpc_sci_irq(s) == n;
}

/* As PIIX3: never lowering a line an ISA device drives. */
static void ich9_lpc_drive_isa(ICH9LPCState *s, int n)
{
    isa_bridge_drive(s->machine->isa_irq[n], &s->isa_driven, n,
                     ich9_lpc_isa_level(s, n));
}

static void ich9_lpc_update_all_isa(ICH9LPCState *s)
{
    for (int n = 0; n < ICH9_LPC_PIC_PINS; n++) {
        ich9_lpc_drive_isa(s, n);
    }
}

static void ich9_lpc_set_irq(void *opaque, int pirq, int level)
{
    ICH9LPCState *s = opaque;

    if (level) {
        s->pirq_levels |= 1u << pirq;
    } else {
        s->pirq_levels &= ~(1u << pirq);
    }
    ich9_lpc_drive_apic(s, pirq);
    int n = ich9_lpc_pirq_route(s, pirq);
    if (n >= 0) {
        ich9_lpc_drive_isa(s, n);
    }
}

static void ich9_lpc_sci(void *opaque, int level)
{
    ICH9LPCState *s = opaque;

    s->sci_level = level;
    int n = ich9_lpc_sci_irq(s);
    if (n >= 0) {
        ich9_lpc_drive_isa(s, n);
    }
    ich9_lpc_update_all_apic(s);
}

/* Slot to PIRQ: D25-D29 and D31 by their DnIR register, D30 (the DMI-to-PCI
 * bridge) INTx to PIRQ[E-H], other slots swizzled onto PIRQ[E-H] as
 * QEMU 7.2's ich9_cc_init decides (there is no register for them). */
static int ich9_lpc_map_irq(PCIDevice *d, int pin)
{
    static const uint16_t dir[8] = {
        ICH9_CC_D25IR, ICH9_CC_D26IR, ICH9_CC_D27IR, ICH9_CC_D28IR,
        ICH9_CC_D29IR, 0, ICH9_CC_D31IR, 0,
    };
    ICH9LPCState *s = (ICH9LPCState *)d->bus->devices[ICH9_LPC_DEVFN];
    int slot = PCI_SLOT(d->devfn);

    if (slot == 30) {
        return pin + 4;
    }
    if (slot >= 25 && dir[slot - 25]) {
        return (ld_le16(s->cc + dir[slot - 25]) >> (4 * pin)) & ICH9_CC_DIR_MASK;
    }
    return (slot + pin) % 4 + 4;
}

/* ---------------------------------------------------------------------- */
/* RCRB (chipset configuration registers)                                  */

static uint64_t ich9_cc_read(void *opaque, uint64_t addr, unsigned size)
{
    ICH9LPCState *s = opaque;

    return ld_le_n(s->cc + addr, size);
}

static void ich9_cc_store(ICH9LPCState *s, uint64_t addr, uint64_t val, unsigned size)
{
    uint8_t b[8];

    st_le_n(b, size, val);
    mr_ram_write(&s->cc_store, addr, b, size);
}

/* A DnIR change moves the INTx levels held high to their new PIRQs. */
static void ich9_cc_write(void *opaque, uint64_t addr, uint64_t val,
                          unsigned size)
{
    ICH9LPCState *s = opaque;

    ich9_cc_store(s, addr, val, size);
    if (addr < ICH9_CC_D25IR + 2 && addr + size > ICH9_CC_D31IR) {
        pci_bus_intx_rerouted(s->pci.bus);
    }
    ich9_lpc_update_all_isa(s);
}

static const MemoryRegionOps ich9_cc_ops = {
    .read = ich9_cc_read,
    .write = ich9_cc_write,
};

/* QEMU 7.2's ich9_cc_reset, in its order (D31IR's dword clears D30IR). */
static void ich9_cc_reset(ICH9LPCState *s)
{
    mr_ram_write(&s->cc_store, 0, NULL, ICH9_LPC_RCRB_SIZE);
    ich9_cc_store(s, ICH9_CC_D31IR, ICH9_CC_DIR_DEFAULT, 4);
    ich9_cc_store(s, ICH9_CC_D30IR, 0, 4);
    ich9_cc_store(s, ICH9_CC_D29IR, ICH9_CC_DIR_DEFAULT, 4);
    ich9_cc_store(s, ICH9_CC_D28IR, ICH9_CC_DIR_DEFAULT, 4);
    ich9_cc_store(s, ICH9_CC_D27IR, ICH9_CC_DIR_DEFAULT, 4);
    ich9_cc_store(s, ICH9_CC_D26IR, ICH9_CC_DIR_DEFAULT, 4);
    ich9_cc_store(s, ICH9_CC_D25IR, ICH9_CC_DIR_DEFAULT, 4);
    ich9_cc_store(s, ICH9_CC_GCS, ICH9_CC_GCS_DEFAULT, 4);
}

/* ---------------------------------------------------------------------- */
/* APM and reset control                                                   */

static uint64_t ich9_apm_read(void *opaque, uint64_t addr, unsigned size)
{
    ICH9LPCState *s = opaque;

    return addr == 0 ? s->apmc : s->apms;
}

/* APM_CNT would raise an SMI with SMI_EN.APMC_EN: there is no CPU. */
static void ich9_apm_write(void *opaque, uint64_t addr, uint64_t val,
                           unsigned size)
{
    ICH9LPCState *s = opaque;

    if (addr == 0) {
        s->apmc = val;
    } else {
        s->apms = val;
    }
}

static const MemoryRegionOps ich9_apm_ops = {
    .read = ich9_apm_read,
    .write = ich9_apm_write,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};


/* ---------------------------------------------------------------------- */
/* Config space                                                            */

static void ich9_lpc_update_pmbase(ICH9LPCState *s)
{
    uint32_t base = pci_get_long(s->pci.config + ICH9_LPC_PMBASE);
    bool on = s->pci.config[ICH9_LPC_ACPI_CTRL] & ICH9_LPC_ACPI_EN;

    ich9_pm_set_base(&s->pm, on ? base & ICH9_LPC_PMBASE_MASK : 0);
}

static void ich9_lpc_update_rcba(ICH9LPCState *s)
{
    uint32_t rcba = pci_get_long(s->pci.config + ICH9_LPC_RCBA);

    if (mr_is_mapped(&s->rcrb)) {
        mr_del_subregion(&s->machine->sysmem, &s->rcrb);
    }
    if (rcba & ICH9_LPC_RCBA_EN) {
        mr_add_subregion_overlap(&s->machine->sysmem, rcba & ICH9_LPC_RCBA_MASK,
                                 &s->rcrb, 1);
    }
}

static bool ich9_lpc_overlaps(uint32_t addr, unsigned len, uint32_t reg,
                              unsigned size)
{
    return addr < reg + size && reg < addr + len;
}

static void ich9_lpc_config_write(PCIDevice *d, uint32_t addr, uint32_t val,
                                  unsigned len)
{
    ICH9LPCState *s = (ICH9LPCState *)d;
    int old_sci = ich9_lpc_sci_irq(s);

    pci_default_write_config(d, addr, val, len);
    if (ich9_lpc_overlaps(addr, len, ICH9_LPC_PMBASE, 4) ||
        ich9_lpc_overlaps(addr, len, ICH9_LPC_ACPI_CTRL, 1)) {
        ich9_lpc_update_pmbase(s);
    }
    if (ich9_lpc_overlaps(addr, len, ICH9_LPC_RCBA, 4)) {
        ich9_lpc_update_rcba(s);
    }
    if (ich9_lpc_overlaps(addr, len, ICH9_LPC_PIRQA_ROUT, 4) ||
        ich9_lpc_overlaps(addr, len, ICH9_LPC_PIRQE_ROUT, 4) ||
        old_sci != ich9_lpc_sci_irq(s)) {
        ich9_lpc_update_all_isa(s);
    }
    if (ich9_lpc_overlaps(addr, len, ICH9_LPC_ACPI_CTRL, 1)) {
        ich9_lpc_update_all_apic(s);
    }
    /* SMI_LOCK is write-once (13.8.1.1). */
    if (ich9_lpc_overlaps(addr, len, ICH9_LPC_GEN_PMCON_1, 8) &&
        (pci_get_word(d->config + ICH9_LPC_GEN_PMCON_1) & ICH9_LPC_SMI_LOCK)) {
        pci_set_word(d->wmask + ICH9_LPC_GEN_PMCON_1,
                     pci_get_word(d->wmask + ICH9_LPC_GEN_PMCON_1) &
                     ~ICH9_LPC_SMI_LOCK);
        ich9_pm_lock_smi(&s->pm);
    }
}

/* QEMU 7.2's machine-ready hook: the LPC decode bits of the legacy ports
 * the machine has (COM1, COM2, LPT, floppy). Set once, kept over resets. */
static void ich9_lpc_set_decode(ICH9LPCState *s, Machine *m)
{
    static const struct {
        uint16_t port;
        uint8_t iod, en;
    } ports[] = {
        { 0x3f8, 0x00, 0x01 }, { 0x2f8, 0x10, 0x02 },
        { 0x378, 0x00, 0x04 }, { 0x3f2, 0x00, 0x08 },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(ports); i++) {
        const FlatRange *fr = as_lookup(&m->as_io, ports[i].port);
        if (fr && fr->mr->owner) {
            s->pci.config[ICH9_LPC_IOD] |= ports[i].iod;
            s->pci.config[ICH9_LPC_EN] |= ports[i].en;
        }
    }
}

static void ich9_lpc_reset(Object *obj)
{
    ICH9LPCState *s = (ICH9LPCState *)obj;
    uint8_t *c = s->pci.config;

    pci_device_reset(&s->pci);
    for (int i = 0; i < 4; i++) {
        c[ICH9_LPC_PIRQA_ROUT + i] = ICH9_LPC_PIRQ_DEFAULT;
        c[ICH9_LPC_PIRQE_ROUT + i] = ICH9_LPC_PIRQ_DEFAULT;
    }
    c[ICH9_LPC_ACPI_CTRL] = 0;
    pci_set_long(c + ICH9_LPC_PMBASE, ICH9_LPC_PMBASE_RTE);
    pci_set_long(c + ICH9_LPC_RCBA, 0);
    pci_set_word(s->pci.wmask + ICH9_LPC_GEN_PMCON_1, 0xffff);
    ich9_cc_reset(s);
    ich9_pm_reset(&s->pm);
    ich9_lpc_update_pmbase(s);
    ich9_lpc_update_rcba(s);
    isa_reset_control_reset(&s->rst_cnt);
    s->apmc = 0;
    s->apms = 0;
    s->pirq_levels = 0;
    s->sci_level = 0;
    ich9_lpc_update_all_isa(s);
    ich9_lpc_update_all_apic(s);
}

static void ich9_lpc_init(Object *obj)
{
    ICH9LPCState *s = (ICH9LPCState *)obj;

    pci_device_init(&s->pci);
    s->pci.devfn = ICH9_LPC_DEVFN;
}

static void ich9_lpc_init_regions(ICH9LPCState *s, Machine *m)
{
    Object *o = &s->pci.obj;

    mr_init_io(&s->rcrb, o, &ich9_cc_ops, s, "lpc-rcrb-mmio", ICH9_LPC_RCRB_SIZE);
    mr_init_io(&s->apm_io, o, &ich9_apm_ops, s, "apm-io", 2);
    mr_add_subregion(&m->sysio, ICH9_APM_PORT, &s->apm_io);
    isa_reset_control_init(&s->rst_cnt, o, m, "lpc-reset-control",
                           ICH9_RST_CNT_SYS_RST | ICH9_RST_CNT_FULL_RST);
    ich9_pm_init(&s->pm, o, &m->clock, &m->sysio, ich9_lpc_sci, s);
}

static bool ich9_lpc_realize(Object *obj, Machine *m, char **errp)
{
    static const PCIDeviceInfo info = {
        .vendor_id = ICH9_LPC_VENDOR_ID,
        .device_id = ICH9_LPC_DEVICE_ID,
        .revision = ICH9_LPC_REVISION,
        .class_id = PCI_CLASS_BRIDGE_ISA,
        .header_type = PCI_HEADER_TYPE_MULTI_FUNCTION,
    };
    ICH9LPCState *s = (ICH9LPCState *)obj;

    if (!pci_realize_common(&s->pci, m->pci_bus, &info, NULL, errp)) {
        return false;
    }
    s->machine = m;
    s->pci.config_write = ich9_lpc_config_write;
    pci_set_long(s->pci.wmask + ICH9_LPC_PMBASE, ICH9_LPC_PMBASE_MASK);
    pci_set_long(s->pci.wmask + ICH9_LPC_RCBA,
                 ICH9_LPC_RCBA_MASK | ICH9_LPC_RCBA_EN);
    mr_init_ram(&s->cc_store, obj, "lpc-rcrb-store", ICH9_LPC_RCRB_SIZE);
    s->cc = mr_ram_ptr(&s->cc_store);
    pci_bus_set_irqs(s->pci.bus, ich9_lpc_map_irq, ich9_lpc_set_irq, s, obj);
    ich9_lpc_init_regions(s, m);
    ich9_lpc_reset(obj);
    return true;
}

void ich9_lpc_connect_apic(Object *lpc, IRQ *const pins[8])
{
    ICH9LPCState *s = (ICH9LPCState *)lpc;

    if (!object_is_a(lpc, TYPE_ICH9_LPC)) {
        emu_bug("ich9_lpc_connect_apic: not an ICH9-LPC");
    }
    memcpy(s->apic, pins, sizeof(s->apic));
}

void ich9_lpc_machine_ready(Object *lpc, Machine *m)
{
    if (lpc && object_is_a(lpc, TYPE_ICH9_LPC)) {
        ich9_lpc_set_decode((ICH9LPCState *)lpc, m);
    }
}

static const Property ich9_lpc_props[] = {
    PCI_DEVICE_PROP_ADDR(ICH9LPCState, pci),
    { .name = NULL },
};

const TypeInfo ich9_lpc_type = {
    .name = TYPE_ICH9_LPC,
    .parent = "pci-device",
    .desc = "ISA bridge: ICH9 LPC (PIRQ routing, ACPI PM block, RCRB, 0xcf9)",
    OBJECT_INSTANCE(ICH9LPCState),
    .props = ich9_lpc_props,
    .init = ich9_lpc_init,
    .realize = ich9_lpc_realize,
    .reset = ich9_lpc_reset,
};
