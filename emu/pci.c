/* SPDX-License-Identifier: MIT */
/* Placeholder: the PCI core is being written. */
#include "emu/pci.h"
const TypeInfo pci_device_type = { .name = "pci-device", .parent = "device" };
void pci_bus_init(PCIBus *bus, MemoryRegion *mem, MemoryRegion *io, AddressSpace *dma_as) { bus->mem = mem; bus->io = io; bus->dma_as = dma_as; }
void pci_bus_set_irqs(PCIBus *bus, PCIMapIRQ map_irq, PCISetIRQ set_irq, void *opaque) { (void)bus; (void)map_irq; (void)set_irq; (void)opaque; }
void pci_device_init(PCIDevice *d) { d->devfn = -1; }
bool pci_device_register(PCIBus *bus, PCIDevice *d, char **errp) { (void)bus; (void)d; (void)errp; return true; }
void pci_register_bar(PCIDevice *d, int bar, uint8_t type, MemoryRegion *mr) { (void)d; (void)bar; (void)type; (void)mr; }
void pci_device_reset(PCIDevice *d) { (void)d; }
uint32_t pci_config_read(PCIDevice *d, uint32_t addr, unsigned len) { (void)d; (void)addr; (void)len; return 0; }
void pci_config_write(PCIDevice *d, uint32_t addr, uint32_t val, unsigned len) { (void)d; (void)addr; (void)val; (void)len; }
uint32_t pci_host_config_read(PCIBus *bus, uint32_t cf8, unsigned len) { (void)bus; (void)cf8; (void)len; return ~0u; }
void pci_host_config_write(PCIBus *bus, uint32_t cf8, uint32_t val, unsigned len) { (void)bus; (void)cf8; (void)val; (void)len; }
void pci_set_irq(PCIDevice *d, int level) { (void)d; (void)level; }
