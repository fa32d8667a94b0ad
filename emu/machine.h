/* SPDX-License-Identifier: MIT */
/*
 * The machine: its address spaces, clock, object tree and devices, and the
 * lifecycle create -> realize in order -> reset.
 *
 * emu/ knows no board. A board is a BoardInfo from hw/ whose init builds the
 * fixed devices with machine_new_device()/machine_realize_device() and fills
 * the wiring fields below (isa_irq, pci_bus). "-device" strings are created
 * after the board, in command-line order; "-chardev", "-netdev", "-drive"
 * and "-blockdev" backends before it.
 */
#ifndef EMU_MACHINE_H
#define EMU_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "emu/clock.h"
#include "emu/dma.h"
#include "emu/irq.h"
#include "emu/memory.h"
#include "emu/object.h"

typedef struct PCIBus PCIBus;
typedef struct MSILog MSILog;

#define MACHINE_MAX_DEVICES 256
#define MACHINE_ISA_IRQS 16
#define MACHINE_DEFAULT_RAM (128ull * 1024 * 1024)

typedef struct MachineConfig {
    const char *board;          /* -M; NULL means the default board */
    uint64_t ram_size;          /* -m; 0 means MACHINE_DEFAULT_RAM */
    bool nodefaults;
    GPtrArray *devices;         /* char *: "driver,prop=val,..." */
    GPtrArray *chardevs;        /* char *: "backend,id=x,..." */
    GPtrArray *netdevs;
    GPtrArray *drives;          /* char *: -drive "file=...,id=x,..." */
    GPtrArray *blockdevs;       /* char *: -blockdev "driver=...,node-name=x" */
    uint64_t dma_budget;        /* -dma-budget; 0 means DMA_BUDGET_DEFAULT */
} MachineConfig;

typedef struct BoardInfo {
    const char *name;
    const char *desc;
    const char *qom_type;       /* the machine object's type in the tree */
    bool (*init)(Machine *m, char **errp);
    /* Optional: after the -device devices (what the firmware is told of
     * them, e.g. pc's CMOS disk bytes). */
    bool (*late_init)(Machine *m, char **errp);
} BoardInfo;

struct Machine {
    Object obj;                 /* "/machine" */
    Object root;                /* "/" */
    Object *peripheral;         /* devices given with id= */
    Object *peripheral_anon;    /* other -device devices */
    Object *unattached;         /* board devices without a fixed name */
    Object *chardevs;           /* "-chardev" backends, named by id */
    Object *netdevs;            /* "-netdev" backends, named by id */
    Object *drives;             /* "-drive"/"-blockdev" backends, by id or node-name */
    const BoardInfo *board;
    const MachineConfig *config;
    uint64_t ram_size;
    bool nodefaults;

    MemoryRegion sysmem;        /* root of "memory" */
    MemoryRegion sysio;         /* root of "I/O" */
    AddressSpace as_mem;
    AddressSpace as_io;
    Clock clock;
    /* What all device DMA may still move, on every address space above;
     * in the struct so that a snapshot restore refills it (dma.h). */
    DMABudget dma_budget;

    /* Wiring, filled by the board. */
    IRQ *isa_irq[MACHINE_ISA_IRQS];
    PCIBus *pci_bus;
    MemoryRegion *ram;          /* main guest RAM (the DMA fill target) */
    MSILog *msi_log;            /* the interrupt sink's, for qtest `msi` */

    /* Realized devices, in realize order (reset runs in this order). */
    Object *devices[MACHINE_MAX_DEVICES];
    unsigned nr_devices;

    /* A device asked for a system reset (machine_request_reset); acted on
     * by machine_settle after the access that asked. */
    bool reset_requested;
    uint64_t resets;            /* requested resets carried out */
};

/* The abstract type of every machine object. */
extern const TypeInfo machine_type;

void machine_config_init(MachineConfig *cfg);
void machine_config_free(MachineConfig *cfg);

/* Builds the whole machine and resets it; NULL with *errp on failure. */
Machine *machine_create(const MachineConfig *cfg, const BoardInfo *boards,
                        char **errp);
/* Every device's reset, in realize order. Guest RAM and the virtual clock are
 * kept, as on real hardware (a reset does not clear memory). */
void machine_reset(Machine *m);

/* A device's request for a system reset (PIIX3 0xcf9, port 0x92 bit 0, the
 * i8042's pulse of its reset line; the device keeps the Machine it was
 * realized in): recorded, and carried out by machine_settle once the access
 * that asked has returned. */
void machine_request_reset(Machine *m);
/* What runs after each op of an input and each qtest command: the bottom
 * halves, then a requested reset (and the bottom halves it schedules).
 * Returns true if the machine was reset. Inline: it runs after every
 * access, and mostly finds nothing to do. */
bool machine_settle_pending(Machine *m);
static inline bool machine_settle(Machine *m)
{
    if (!m->clock.bhs && !m->reset_requested) {
        return false;
    }
    return machine_settle_pending(m);
}

/* Board helpers. parent NULL means /machine/unattached as device[N]. */
Object *machine_new_device(Machine *m, const char *type_name, Object *parent,
                           const char *name, char **errp);
bool machine_realize_device(Machine *m, Object *dev, char **errp);
/* Parses "driver[,prop=val]..." (QEMU's -device) and creates and realizes it. */
Object *machine_device_add(Machine *m, const char *optstr, char **errp);
/* Parses "backend[,id=x][,prop=val]..." as type "chardev-BACKEND". */
Object *machine_chardev_add(Machine *m, const char *optstr, char **errp);
Object *machine_find_chardev(Machine *m, const char *id);
/* The same for "-netdev": type "netdev-BACKEND", under /netdevs. */
Object *machine_netdev_add(Machine *m, const char *optstr, char **errp);
Object *machine_find_netdev(Machine *m, const char *id);
/* "-drive key=val,..." (id= names it) and "-blockdev key=val,..."
 * (node-name= names it): both make a "drive" object under /drives, the
 * block backend of hw/backend/block.h. */
Object *machine_drive_add(Machine *m, const char *optstr, char **errp);
Object *machine_blockdev_add(Machine *m, const char *optstr, char **errp);
Object *machine_find_drive(Machine *m, const char *id);

/* `info mtree` (flags: MTREE_* of memory.h) and `info qom-tree` text. */
void machine_info_mtree(Machine *m, GString *out, unsigned flags);
void machine_info_qom_tree(Machine *m, GString *out);

/* Splits "a,b=c,d" QEMU-style (",," is a literal comma). g_strfreev. */
char **machine_split_opts(const char *optstr);

#endif
