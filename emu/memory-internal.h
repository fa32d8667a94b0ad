/* SPDX-License-Identifier: MIT */
/*
 * What memory.c, memory-flat.c and memory-print.c share; not an API.
 */
#ifndef EMU_MEMORY_INTERNAL_H
#define EMU_MEMORY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "emu/memory.h"

/* Deepest container/alias nesting accepted (a cycle is an emulator bug). */
#define MR_MAX_DEPTH 64

/* Index of the first flat range of as that ends after addr (as->nr_ranges
 * if none); the ranges must be up to date (as_update). */
size_t flat_first_after(const AddressSpace *as, uint64_t addr);

#endif
