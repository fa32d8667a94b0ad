/* SPDX-License-Identifier: MIT */
/*
 * The small bus the emu unit tests put PCI functions on: a memory space with
 * RAM at 0, an I/O space, their address spaces, and a PCI bus over them
 * (bus masters see the memory space). Include after <cmocka.h>.
 */
#ifndef TESTS_UNIT_EMU_PCI_TEST_H
#define TESTS_UNIT_EMU_PCI_TEST_H

#include <stdint.h>

#include "emu/memory.h"
#include "emu/pci.h"

typedef struct TestBus {
    MemoryRegion mem, io, ram;
    AddressSpace as_mem, as_io;
    PCIBus bus;
} TestBus;

/* RAM of ram_size bytes at 0 (a multiple of the page size). */
void test_bus_init(TestBus *b, uint64_t ram_size);
void test_bus_free(TestBus *b);

#endif
