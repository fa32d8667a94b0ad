/* SPDX-License-Identifier: MIT */
#ifndef HW_PCI_HOST_I440FX_H
#define HW_PCI_HOST_I440FX_H

#include "emu/object.h"
#include "emu/pci.h"

/* The host bridge object ("i440FX-pcihost", /machine/i440fx): ports
 * 0xcf8/0xcfc, the PCI bus "pci.0", the "pci" memory container, and the
 * i440FX function at 00.0 (PAM, SMRAM), which it creates and realizes as
 * /machine/unattached/device[N], as QEMU. Realize needs m->ram set, adds
 * "pci" to m->sysmem at priority -1 and sets m->pci_bus if it is unset. */
#define TYPE_I440FX_PCI_HOST "i440FX-pcihost"
#define TYPE_I440FX "i440FX"
#define TYPE_PIIX3 "PIIX3"

PCIBus *i440fx_bus(Object *host);

#endif
