/* SPDX-License-Identifier: MIT */
#ifndef HW_PCI_HOST_I440FX_H
#define HW_PCI_HOST_I440FX_H

#include "emu/object.h"
#include "emu/pci.h"

/* The host bridge object ("i440FX-pcihost", /machine/i440fx): ports
 * 0xcf8/0xcfc, the PCI bus "pci.0", the "pci" memory container, and the
 * i440FX function at 00.0 (PAM, SMRAM). Realize needs m->ram set. */
#define TYPE_I440FX_PCI_HOST "i440FX-pcihost"
#define TYPE_I440FX "i440FX"
#define TYPE_PIIX3 "PIIX3"

PCIBus *i440fx_bus(Object *host);

#endif
