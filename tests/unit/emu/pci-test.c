/* SPDX-License-Identifier: MIT */
/* The emu unit tests' PCI bus: see pci-test.h. */
#include "pci-test.h"

#include <glib.h>

void test_bus_init(TestBus *b, uint64_t ram_size)
{
    mr_init_container(&b->mem, NULL, "mem", MR_SIZE_MAX);
    mr_init_container(&b->io, NULL, "io", 0x10000);
    mr_init_ram(&b->ram, NULL, "ram", ram_size);
    mr_add_subregion(&b->mem, 0, &b->ram);
    as_init(&b->as_mem, &b->mem, "memory");
    as_init(&b->as_io, &b->io, "I/O");
    pci_bus_init(&b->bus, NULL, &b->mem, &b->io, &b->as_mem);
}

void test_bus_free(TestBus *b)
{
    mr_free_backing(&b->ram);
    g_free(b->as_mem.ranges);
    g_free(b->as_io.ranges);
    g_free(b->bus.devices);
}
