/* SPDX-License-Identifier: MIT */
/*
 * Configuration mechanism #1 and PAM, shared by the i440FX and q35 host
 * bridges; see pci-conf.h. As QEMU 7.2: the register number is the whole
 * low byte of CONFIG_ADDRESS, only a 32-bit write at 0xcf8 latches, and a
 * read-only or write-only PAM segment is RAM both ways (there is no
 * read-only alias in the core; QEMU's read-only flag does not stop writes).
 */
#include "hw/pci-host/pci-conf.h"

/* Configuration mechanism #1 ports */
#define PCI_CONF_ADDR    0xcf8
#define PCI_CONF_DATA    0xcfc
#define PCI_CONF_ENABLE  0x80000000u

/* PAM layout */
#define PAM_BIOS_BASE    0xf0000    /* PAM0[5:4]: 64 KiB */
#define PAM_BIOS_SIZE    0x10000
#define PAM_EXPAN_BASE   0xc0000    /* PAM1..PAM6, 16 KiB each nibble */
#define PAM_EXPAN_SIZE   0x4000
#define PAM_MASK         0x3        /* RE (bit 0), WE (bit 1) */

/* ---------------------------------------------------------------------- */
/* CONFIG_ADDRESS and CONFIG_DATA                                          */

/* Any read gives the latched value's low bytes, as QEMU's pci-conf-idx. */
static uint64_t pci_conf_addr_read(void *opaque, uint64_t addr, unsigned size)
{
    PCIConfPorts *p = opaque;

    return p->config_reg;
}

static void pci_conf_addr_write(void *opaque, uint64_t addr, uint64_t val,
                                unsigned size)
{
    PCIConfPorts *p = opaque;

    if (addr == 0 && size == 4) {
        p->config_reg = val;
    }
}

static uint64_t pci_conf_data_read(void *opaque, uint64_t addr, unsigned size)
{
    PCIConfPorts *p = opaque;

    if (!(p->config_reg & PCI_CONF_ENABLE)) {
        return UINT32_MAX;
    }
    return pci_host_config_read(p->bus, p->config_reg | (addr & 3), size);
}

static void pci_conf_data_write(void *opaque, uint64_t addr, uint64_t val,
                                unsigned size)
{
    PCIConfPorts *p = opaque;

    if (p->config_reg & PCI_CONF_ENABLE) {
        pci_host_config_write(p->bus, p->config_reg | (addr & 3), val, size);
    }
}

static const MemoryRegionOps pci_conf_addr_ops = {
    .read = pci_conf_addr_read,
    .write = pci_conf_addr_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static const MemoryRegionOps pci_conf_data_ops = {
    .read = pci_conf_data_read,
    .write = pci_conf_data_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

void pci_conf_init(PCIConfPorts *p, Object *owner, PCIBus *bus, Machine *m)
{
    p->bus = bus;
    mr_init_io(&p->conf_addr, owner, &pci_conf_addr_ops, p, "pci-conf-idx", 4);
    mr_init_io(&p->conf_data, owner, &pci_conf_data_ops, p, "pci-conf-data", 4);
    mr_add_subregion(&m->sysio, PCI_CONF_ADDR, &p->conf_addr);
    mr_add_subregion(&m->sysio, PCI_CONF_DATA, &p->conf_data);
}

void pci_conf_reset(PCIConfPorts *p)
{
    p->config_reg = 0;
}

/* ---------------------------------------------------------------------- */
/* PAM                                                                     */

/* Per mode (RE | WE): QEMU 7.2's alias names and whether they show RAM. */
static const struct {
    const char *name;
    bool ram;
} pam_modes[PAM_MODES] = {
    { "pam-pci", false },
    { "pam-rom", true },
    { "pam-pci", true },
    { "pam-ram", true },
};

static uint64_t pam_base(int seg)
{
    return seg == 0 ? PAM_BIOS_BASE
                    : PAM_EXPAN_BASE + (uint64_t)(seg - 1) * PAM_EXPAN_SIZE;
}

/* Segment 0 is PAM0's high nibble; then low, high nibble of PAM1..PAM6. */
static unsigned pam_mode(const uint8_t *regs, int seg)
{
    unsigned shift = (seg & 1) ? 0 : 4;

    return (regs[(seg + 1) / 2] >> shift) & PAM_MASK;
}

void pam_update(PAMRegions *p, const uint8_t *regs)
{
    for (int seg = 0; seg < PAM_SEGS; seg++) {
        unsigned mode = pam_mode(regs, seg);
        for (unsigned i = 0; i < PAM_MODES; i++) {
            mr_set_enabled(&p->alias[seg][i], i == mode);
        }
    }
}

void pam_init(PAMRegions *p, Object *owner, MemoryRegion *ram,
              MemoryRegion *pci, MemoryRegion *sysmem)
{
    for (int seg = 0; seg < PAM_SEGS; seg++) {
        uint64_t base = pam_base(seg);
        uint64_t size = seg == 0 ? PAM_BIOS_SIZE : PAM_EXPAN_SIZE;
        for (unsigned i = 0; i < PAM_MODES; i++) {
            MemoryRegion *mr = &p->alias[seg][i];
            mr_init_alias(mr, owner, pam_modes[i].name,
                          pam_modes[i].ram ? ram : pci, base, size);
            mr_set_enabled(mr, false);
            mr_add_subregion_overlap(sysmem, base, mr, 1);
        }
    }
}
