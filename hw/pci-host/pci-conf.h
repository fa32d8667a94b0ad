/* SPDX-License-Identifier: MIT */
/*
 * What i440FX and q35 host bridges share: configuration mechanism #1 at
 * 0xcf8/0xcfc (PCI 3.0 section 3.2.2.3.2) and the PAM shadowing of
 * 0xc0000-0xfffff (82441FX 3.2.13, Intel 3 Series/Q35 MCH 5.1.13), as
 * QEMU 7.2 has them (its pci-conf-idx/-data and pam-* regions).
 */
#ifndef HW_PCI_HOST_PCI_CONF_H
#define HW_PCI_HOST_PCI_CONF_H

#include "emu/machine.h"
#include "emu/pci.h"

/* The two ports, embedded in the host's instance. */
typedef struct PCIConfPorts {
    uint32_t config_reg;        /* CONFIG_ADDRESS as last latched */
    PCIBus *bus;                /* the root bus the cycles start on */
    MemoryRegion conf_addr;     /* "pci-conf-idx" */
    MemoryRegion conf_data;     /* "pci-conf-data" */
} PCIConfPorts;

/* Regions owned by owner, mapped at 0xcf8 and 0xcfc in m->sysio. */
void pci_conf_init(PCIConfPorts *p, Object *owner, PCIBus *bus, Machine *m);
void pci_conf_reset(PCIConfPorts *p);

/* PAM: 13 segments (0xf0000 64 KiB, then 0xc0000.. 16 KiB each), one
 * alias per segment and mode; the register's mode picks the enabled one. */
#define PAM_SEGS  13
#define PAM_MODES 4
#define PAM_REGS  7

typedef struct PAMRegions {
    MemoryRegion alias[PAM_SEGS][PAM_MODES];
} PAMRegions;

/* Aliases of ram (DRAM modes) and pci (mode 0) in sysmem, priority 1. */
void pam_init(PAMRegions *p, Object *owner, MemoryRegion *ram,
              MemoryRegion *pci, MemoryRegion *sysmem);
/* regs: PAM0..PAM6 as in config space. */
void pam_update(PAMRegions *p, const uint8_t *regs);

#endif
