/* SPDX-License-Identifier: MIT */
#ifndef HW_PCI_HOST_Q35_H
#define HW_PCI_HOST_Q35_H

#include "emu/object.h"
#include "emu/pci.h"

/* The host bridge object ("q35-pcihost", /machine/q35): ports 0xcf8/0xcfc,
 * the ECAM window ("pcie-mmcfg-mmio", placed by the MCH's PCIEXBAR), the
 * root bus "pcie.0", the "pci" memory container, and the MCH at 00.0 (PAM,
 * SMRAM, TSEG), which it creates and realizes as /machine/q35/mch, as
 * QEMU. Realize needs m->ram set, adds "pci" to m->sysmem at priority -1
 * and sets m->pci_bus if it is unset. */
#define TYPE_Q35_HOST "q35-pcihost"
#define TYPE_MCH "mch"

/* RAM below 4 GiB on q35 (QEMU 7.2's pc_q35_init): all of it up to
 * 0xb0000000 (the ECAM window sits there); from that size on, 2 GiB. */
#define Q35_LOWMEM_SMALL 0xb0000000ull
#define Q35_LOWMEM_LARGE 0x80000000ull

PCIBus *q35_host_bus(Object *host);

#endif
