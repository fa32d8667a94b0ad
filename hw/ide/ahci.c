/* SPDX-License-Identifier: MIT */
/*
 * ICH9's AHCI function ("ich9-ahci", 8086:2922, class 0x010601) after the
 * Serial ATA AHCI 1.3.1 specification, with QEMU 7.2's configuration
 * space: MSI at 0x80, the SATA capability at 0xa8 pointing at the
 * index-data pair in BAR4, the HBA registers (ABAR) in BAR5. This file
 * holds the PCI function, the generic host control and port registers,
 * interrupts and resets; ahci-cmd.c runs the commands.
 * Left out: port multipliers and FIS-based switching, command completion
 * coalescing, enclosure management, staggered spin-up and power states
 * (ICC is taken and reads 0, as QEMU), hot plug.
 */
#include "hw/ide/ahci.h"

#include <string.h>

#include "emu/log.h"
#include "emu/machine.h"
#include "emu/msi.h"
#include "hw/devices.h"

#define AHCI_VENDOR_ID      0x8086
#define AHCI_DEVICE_ID      0x2922      /* ICH9 6-port SATA, AHCI mode */
#define AHCI_REVISION       0x02
#define AHCI_PROG_IF        0x01        /* AHCI 1.0 programming interface */
#define PCI_CLASS_STORAGE_SATA 0x0106

/* Configuration space as QEMU 7.2 lays it out (ICH9 datasheet 14.1) */
#define AHCI_MSI_CAP        0x80
#define AHCI_MAP            0x90        /* address map: AHCI mode */
#define AHCI_SATA_CAP       0xa8
#define PCI_CAP_ID_SATA     0x12
#define SATA_CAP_SIZE       8
#define SATA_CAP_REV        2
#define SATA_CAP_BAR        4
#define AHCI_IDP_BAR        4
#define AHCI_ABAR           5
#define AHCI_IDP_INDEX      0x10        /* in BAR4 */
#define AHCI_IDP_DATA       0x14

/* ---------------------------------------------------------------------- */
/* Interrupts (section 5.6.5 / 10.8)                                       */

/* IS.IPS[i] follows PxIS & PxIE of port i; the line (or a message) while
 * one is set and GHC.IE (QEMU's level model, also for IS writes). */
void ahci_update_irq(AHCIState *s)
{
    s->is = 0;
    for (unsigned i = 0; i < AHCI_PORTS; i++) {
        if (s->port[i].is & s->port[i].ie) {
            s->is |= 1u << i;
        }
    }
    if (s->is && (s->ghc & AHCI_GHC_IE)) {
        if (msi_enabled(&s->pci)) {
            msi_notify(&s->pci, 0);
        } else {
            pci_set_irq(&s->pci, 1);
        }
    } else if (!msi_enabled(&s->pci)) {
        pci_set_irq(&s->pci, 0);
    }
}

void ahci_port_irq(AHCIPort *p, uint32_t bits)
{
    p->is |= bits;
    ahci_update_irq(p->s);
}

/* ---------------------------------------------------------------------- */
/* Resets                                                                  */

static bool ahci_port_has_device(const AHCIPort *p)
{
    return p->bus.drive[0].kind != IDE_NONE;
}

/* COMRESET (3.3.11 DET, 10.4.2) and the port part of an HBA reset: the
 * device resets and sends its signature, which reaches memory once FIS
 * receive is on. Command list and FIS addresses, PxIS, PxIE, PxCMD and
 * PxCI are kept, as QEMU keeps them. */
void ahci_port_reset(AHCIPort *p)
{
    IDEDrive *d = &p->bus.drive[0];

    ahci_port_stop(p);
    ide_bus_reset(&p->bus);
    p->serr = 0;
    p->sact = 0;
    p->tfd = 0x7f;
    p->sig = 0xffffffff;
    p->init_d2h_sent = false;
    p->err_stop = false;
    if (!ahci_port_has_device(p)) {
        return;
    }
    /* The reset's outcome (ATA/ATAPI-6 9.12): diagnostic code 01h; a
     * packet device clears DRDY. */
    d->error = 0x01;
    d->status = d->kind == IDE_CD ? 0 : IDE_STAT_DRDY | IDE_STAT_DSC;
    ahci_init_d2h(p);
}

/* GHC.HR (10.4.3): the HBA's registers and every port; PxCLB/PxFB kept. */
static void ahci_hba_reset(AHCIState *s)
{
    s->ghc = AHCI_GHC_AE;
    s->is = 0;
    for (unsigned i = 0; i < AHCI_PORTS; i++) {
        AHCIPort *p = &s->port[i];
        p->is = 0;
        p->ie = 0;
        p->sctl = 0;
        p->ci = 0;
        p->cmd = PORT_CMD_SUD | PORT_CMD_POD;
        ahci_port_reset(p);
    }
    ahci_update_irq(s);
}

/* ---------------------------------------------------------------------- */
/* Port registers                                                          */

static uint32_t ahci_port_read(AHCIPort *p, unsigned reg)
{
    switch (reg) {
    case PORT_CLB:  return p->clb;
    case PORT_CLBU: return p->clb >> 32;
    case PORT_FB:   return p->fb;
    case PORT_FBU:  return p->fb >> 32;
    case PORT_IS:   return p->is;
    case PORT_IE:   return p->ie;
    case PORT_CMD:  return p->cmd;
    case PORT_TFD:  return p->tfd;
    case PORT_SIG:  return p->sig;
    case PORT_SSTS: return ahci_port_has_device(p) ? PORT_SSTS_UP : 0;
    case PORT_SCTL: return p->sctl;
    case PORT_SERR: return p->serr;
    case PORT_SACT: return p->sact;
    case PORT_CI:   return p->ci;
    default:        return 0;
    }
}

/* PxCMD (3.3.7): ST starts the command list engine (CR follows it), FRE
 * the FIS receive engine (FR); ST going 0 drops PxCI and PxSACT and the
 * commands in process (3.3.14); CLO clears BSY and DRQ of PxTFD and
 * itself. */
static void ahci_port_cmd_write(AHCIPort *p, uint32_t val)
{
    uint32_t old = p->cmd;

    p->cmd = (old & PORT_CMD_RO_MASK) | (val & ~(PORT_CMD_RO_MASK | PORT_CMD_ICC_MASK));
    if (p->cmd & PORT_CMD_CLO) {
        p->tfd &= ~(IDE_STAT_BSY | IDE_STAT_DRQ);
        p->cmd &= ~PORT_CMD_CLO;
    }
    if (p->cmd & PORT_CMD_ST) {
        p->cmd |= PORT_CMD_CR;
    } else if (old & PORT_CMD_CR) {
        p->cmd &= ~PORT_CMD_CR;
        ahci_port_stop(p);
        p->ci = 0;
        p->sact = 0;
        p->err_stop = false;
    }
    if (p->cmd & PORT_CMD_FRE) {
        p->cmd |= PORT_CMD_FR;
        /* The device's signature FIS waits for FIS receive (QEMU sends it
         * once, when FRE comes on). */
        if (!p->init_d2h_sent && ahci_port_has_device(p)) {
            ahci_init_d2h(p);
        }
    } else {
        p->cmd &= ~PORT_CMD_FR;
    }
    bh_schedule(&p->bh);
}

static void ahci_port_write(AHCIPort *p, unsigned reg, uint32_t val)
{
    switch (reg) {
    case PORT_CLB:
        p->clb = (p->clb & ~0xffffffffull) | (val & ~0x3ffu);
        break;
    case PORT_CLBU:
        p->clb = (p->clb & 0xffffffffull) | ((uint64_t)val << 32);
        break;
    case PORT_FB:
        p->fb = (p->fb & ~0xffffffffull) | (val & ~0xffu);
        break;
    case PORT_FBU:
        p->fb = (p->fb & 0xffffffffull) | ((uint64_t)val << 32);
        break;
    case PORT_IS:
        p->is &= ~val;
        ahci_update_irq(p->s);
        break;
    case PORT_IE:
        p->ie = val & PORT_IRQ_MASK;
        ahci_update_irq(p->s);
        break;
    case PORT_CMD:
        ahci_port_cmd_write(p, val);
        break;
    case PORT_SCTL:
        /* DET 1 -> 0 ends a COMRESET: the device comes back (10.4.2). */
        if ((p->sctl & PORT_SCTL_DET_MASK) == 1 && (val & PORT_SCTL_DET_MASK) == 0) {
            ahci_port_reset(p);
        }
        p->sctl = val;
        break;
    case PORT_SERR:
        p->serr &= ~val;
        break;
    case PORT_SACT:
        p->sact |= val;
        break;
    case PORT_CI:
        p->ci |= val;
        bh_schedule(&p->bh);
        break;
    case PORT_TFD: case PORT_SIG: case PORT_SSTS: case PORT_SNTF:
        break;
    default:
        guest_error("ahci: write to reserved port register 0x%x", reg);
        break;
    }
}

/* ---------------------------------------------------------------------- */
/* HBA registers                                                           */

static uint32_t ahci_cap(void)
{
    return (AHCI_PORTS - 1) | ((AHCI_SLOTS - 1) << 8) | AHCI_CAP_ISS_GEN1 |
           AHCI_CAP_NCQ | AHCI_CAP_SAM | AHCI_CAP_S64A;
}

static AHCIPort *ahci_port_at(AHCIState *s, uint32_t addr)
{
    uint32_t n = (addr - AHCI_PORT_BASE) / AHCI_PORT_SIZE;

    if (addr < AHCI_PORT_BASE || n >= AHCI_PORTS) {
        return NULL;
    }
    return &s->port[n];
}

static uint32_t ahci_read32(AHCIState *s, uint32_t addr)
{
    AHCIPort *p = ahci_port_at(s, addr);

    if (p) {
        return ahci_port_read(p, addr % AHCI_PORT_SIZE);
    }
    switch (addr) {
    case AHCI_CAP:  return ahci_cap();
    case AHCI_GHC:  return s->ghc;
    case AHCI_IS:   return s->is;
    case AHCI_PI:   return (1u << AHCI_PORTS) - 1;
    case AHCI_VS:   return AHCI_VERSION_1_3;
    default:        return 0;           /* CCC, EM, CAP2 (none), BOHC */
    }
}

static void ahci_write32(AHCIState *s, uint32_t addr, uint32_t val)
{
    AHCIPort *p = ahci_port_at(s, addr);

    if (p) {
        ahci_port_write(p, addr % AHCI_PORT_SIZE, val);
        return;
    }
    switch (addr) {
    case AHCI_GHC:
        if (val & AHCI_GHC_HR) {
            ahci_hba_reset(s);
        } else {
            s->ghc = (val & AHCI_GHC_IE) | AHCI_GHC_AE;
            ahci_update_irq(s);
        }
        break;
    case AHCI_IS:
        s->is &= ~val;
        ahci_update_irq(s);
        break;
    default:
        break;                          /* read-only or not implemented */
    }
}

/* A narrower read gives those bytes of the register (QEMU 7.2 too). */
static uint64_t ahci_mem_read(void *opaque, uint64_t addr, unsigned size)
{
    uint64_t val = ahci_read32(opaque, addr & ~3u) >> (8 * (addr & 3));

    return size >= 4 ? val : val & ((1ull << (8 * size)) - 1);
}

/* Writes: a register at a time; unaligned ones are dropped and narrower
 * ones write the whole register (as QEMU 7.2). */
static void ahci_mem_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    if (addr & 3) {
        guest_error("ahci: unaligned %u-byte write at 0x%llx", size, (unsigned long long)addr);
        return;
    }
    ahci_write32(opaque, addr, val);
}

static const MemoryRegionOps ahci_mem_ops = {
    .read = ahci_mem_read,
    .write = ahci_mem_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4},
};

/* The index-data pair (ICH9 14.2): an ABAR offset at 0x10, the register
 * there at 0x14; other offsets read 0. */
static uint64_t ahci_idp_read(void *opaque, uint64_t addr, unsigned size)
{
    AHCIState *s = opaque;

    if (addr == AHCI_IDP_INDEX) {
        return s->idp_index;
    }
    if (addr == AHCI_IDP_DATA) {
        return ahci_mem_read(s, s->idp_index, size);
    }
    return 0;
}

static void ahci_idp_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    AHCIState *s = opaque;

    if (addr == AHCI_IDP_INDEX) {
        s->idp_index = (uint32_t)val & ((AHCI_MEM_BAR_SIZE - 1) & ~3u);
    } else if (addr == AHCI_IDP_DATA) {
        ahci_mem_write(s, s->idp_index, val, size);
    }
}

static const MemoryRegionOps ahci_idp_ops = {
    .read = ahci_idp_read,
    .write = ahci_idp_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4},
};

/* ---------------------------------------------------------------------- */
/* The device's INTRQ and reset                                            */

/* The device raised INTRQ: a block is there or a command ended. The port
 * looks at it from its bottom half, never inside the command set. */
static void ahci_port_intrq(void *opaque, int n, int level)
{
    AHCIPort *p = opaque;

    if (level) {
        bh_schedule(&p->bh);
    }
}

static void ahci_config_extra(AHCIState *s)
{
    uint8_t *c = s->pci.config;

    c[AHCI_MAP] = 1 << 6;               /* AHCI mode (QEMU sets it) */
    pci_set_word(c + AHCI_SATA_CAP + SATA_CAP_REV, 0x10);
    pci_set_long(c + AHCI_SATA_CAP + SATA_CAP_BAR,
                 (AHCI_IDP_BAR + 4) | (4 << 4));    /* BAR4, index at 2^4 */
}

static void ahci_reset(Object *obj)
{
    AHCIState *s = (AHCIState *)obj;

    pci_device_reset(&s->pci);
    ahci_config_extra(s);
    s->idp_index = 0;
    for (unsigned i = 0; i < AHCI_PORTS; i++) {
        s->port[i].clb = s->port[i].fb = 0;
        bh_cancel(&s->port[i].bh);
    }
    ahci_hba_reset(s);
}

/* ---------------------------------------------------------------------- */
/* Realize                                                                 */

#define AHCI_BUF_LIVE(n) \
    static size_t ahci_buf_live##n(const Object *obj) \
    { \
        return ((const AHCIState *)obj)->port[n].bus.drive[0].buf_live; \
    }
AHCI_BUF_LIVE(0)
AHCI_BUF_LIVE(1)
AHCI_BUF_LIVE(2)
AHCI_BUF_LIVE(3)
AHCI_BUF_LIVE(4)
AHCI_BUF_LIVE(5)

static const ObjectLiveBytes ahci_buf_live[AHCI_PORTS] = {
    ahci_buf_live0, ahci_buf_live1, ahci_buf_live2,
    ahci_buf_live3, ahci_buf_live4, ahci_buf_live5,
};
static const char *const ahci_buf_names[AHCI_PORTS] = {
    "port0.buf", "port1.buf", "port2.buf", "port3.buf", "port4.buf", "port5.buf",
};

static int ahci_count_bus(Object *obj, void *opaque)
{
    *(unsigned *)opaque += object_is_a(obj, TYPE_IDE_BUS);
    return 0;
}

/* QEMU numbers IDE buses across the machine (PIIX3's are 0 and 1 on pc):
 * the number is in the drives' default serials, QM0000(2N + 1). */
static unsigned ahci_first_bus_number(Machine *m)
{
    unsigned n = 0;

    object_foreach_recursive(&m->obj, ahci_count_bus, &n);
    return n;
}

/* Bus names as QEMU's: ID.N for a controller with an id, else ide.N
 * with the next free numbers. */
static void ahci_bus_names(AHCIState *s, Machine *m, char names[AHCI_PORTS][32])
{
    Object *obj = &s->pci.obj;
    unsigned next = 0;
    Object *ctrl;

    for (unsigned i = 0; i < AHCI_PORTS; i++) {
        if (obj->parent == m->peripheral) {
            g_snprintf(names[i], sizeof(names[i]), "%s.%u", obj->name, i);
            continue;
        }
        do {
            g_snprintf(names[i], sizeof(names[i]), "ide.%u", next++);
        } while (ide_bus_lookup(m, names[i], &ctrl));
    }
}

static void ahci_port_init(AHCIState *s, Machine *m, unsigned i, unsigned bus_number,
                           const char *bus_name)
{
    Object *obj = &s->pci.obj;
    AHCIPort *p = &s->port[i];
    uint8_t *buf = s->bufs + (size_t)i * IDE_BUF_SIZE;
    uint8_t *bufs[IDE_UNITS] = { buf, buf };    /* unit 1 never exists */

    p->s = s;
    p->index = i;
    p->busy_slot = -1;
    p->ncq_cur = -1;
    irq_init(&p->intrq, obj, ahci_port_intrq, p, i);
    bh_init(&p->bh, obj, &m->clock, ahci_port_run, p);
    ide_bus_init(&p->bus, obj, &m->clock, bus_number, &p->intrq, &ahci_dma_ops, p, bufs);
    p->bus.units = 1;
    blk_req_init(&p->ncq_req, obj, &m->clock, ahci_ncq_done, p);
    object_add_state(obj, ahci_buf_names[i], buf, IDE_BUF_SIZE, ahci_buf_live[i]);
    ide_bus_object_add(obj, &p->bus, bus_name);
}

static bool ahci_realize(Object *obj, Machine *m, char **errp)
{
    AHCIState *s = (AHCIState *)obj;
    static const PCIDeviceInfo info = {
        .vendor_id = AHCI_VENDOR_ID,
        .device_id = AHCI_DEVICE_ID,
        .revision = AHCI_REVISION,
        .prog_if = AHCI_PROG_IF,
        .class_id = PCI_CLASS_STORAGE_SATA,
        .interrupt_pin = 1,
    };
    const PCIBARInfo bars[] = {
        { &s->idp, AHCI_IDP_BAR, PCI_BASE_ADDRESS_SPACE_IO },
        { &s->mem, AHCI_ABAR, 0 },
        { NULL },
    };
    char names[AHCI_PORTS][32];
    unsigned first;

    mr_init_io(&s->idp, obj, &ahci_idp_ops, s, "ahci-idp", AHCI_IDP_BAR_SIZE);
    mr_init_io(&s->mem, obj, &ahci_mem_ops, s, "ahci", AHCI_MEM_BAR_SIZE);
    if (!pci_realize_common(&s->pci, m->pci_bus, &info, bars, errp) ||
        !pci_add_capability(&s->pci, PCI_CAP_ID_SATA, AHCI_SATA_CAP, SATA_CAP_SIZE, errp) ||
        !msi_init(&s->pci, AHCI_MSI_CAP, 1, true, false, errp)) {
        return false;
    }
    ahci_bus_names(s, m, names);
    first = ahci_first_bus_number(m);
    s->bufs = g_malloc0((size_t)AHCI_PORTS * IDE_BUF_SIZE);
    for (unsigned i = 0; i < AHCI_PORTS; i++) {
        ahci_port_init(s, m, i, first + i, names[i]);
    }
    ahci_reset(obj);
    return true;
}

static void ahci_init(Object *obj)
{
    pci_device_init(&((AHCIState *)obj)->pci);
}

static const Property ahci_props[] = {
    PCI_DEVICE_PROP_ADDR(AHCIState, pci),
    { .name = NULL },
};

const TypeInfo ich9_ahci_type = {
    .name = TYPE_ICH9_AHCI,
    .parent = "pci-device",
    .desc = "storage: ICH9 AHCI controller (6 SATA ports, NCQ, MSI)",
    OBJECT_INSTANCE(AHCIState),
    .user_creatable = true,
    .props = ahci_props,
    .init = ahci_init,
    .realize = ahci_realize,
    .reset = ahci_reset,
};
