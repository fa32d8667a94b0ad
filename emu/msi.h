/* SPDX-License-Identifier: MIT */
/*
 * Message Signalled Interrupts for PCI functions: the MSI capability (PCI
 * Local Bus 3.0 section 6.8.1) and MSI-X (section 6.8.2), as QEMU 7.2's
 * hw/pci/msi.c and msix.c behave where the guest can see it.
 *
 * A message is a 4-byte bus-master write of the data to the address, through
 * pci_dma_write: lost while bus mastering is off, and an ordinary access on
 * the bus's DMA address space, so the core's re-entrancy guard refuses one
 * aimed at the sending device's own registers. On pc an interrupt sink at
 * 0xfee00000 records them (hw/intc/msi-sink.c, MSILog below).
 *
 * MSI keeps all its state in config space. MSI-X keeps its table and
 * pending bits in storage the device gives (arrays in its instance, sized
 * with PCI_MSIX_TABLE_SIZE/PCI_MSIX_PBA_SIZE) and maps them into one or two
 * of its BARs. pci_default_write_config runs the capabilities' config
 * writes (enable, function mask, MSI per-vector mask: an unmasked pending
 * vector is sent at once) and pci_device_reset resets them.
 */
#ifndef EMU_MSI_H
#define EMU_MSI_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/memory.h"
#include "emu/pci.h"

/* MSI capability (PCI 3.0 section 6.8.1) */
#define PCI_MSI_FLAGS           2
#define  PCI_MSI_FLAGS_ENABLE   0x0001
#define  PCI_MSI_FLAGS_QMASK    0x000e   /* Multiple Message Capable, log2 */
#define  PCI_MSI_FLAGS_QSIZE    0x0070   /* Multiple Message Enable, log2 */
#define  PCI_MSI_FLAGS_64BIT    0x0080
#define  PCI_MSI_FLAGS_MASKBIT  0x0100   /* per-vector masking */
#define PCI_MSI_ADDRESS_LO      4
#define PCI_MSI_ADDRESS_HI      8        /* 64-bit only */
#define PCI_MSI_DATA_32         8
#define PCI_MSI_DATA_64         12
#define PCI_MSI_MASK_32         12
#define PCI_MSI_MASK_64         16
#define PCI_MSI_PENDING_32      16
#define PCI_MSI_PENDING_64      20
#define PCI_MSI_VECTORS_MAX     32

/* MSI-X capability and table (PCI 3.0 section 6.8.2) */
#define PCI_MSIX_FLAGS          2
#define  PCI_MSIX_FLAGS_QSIZE   0x07ff   /* table size - 1 */
#define  PCI_MSIX_FLAGS_MASKALL 0x4000
#define  PCI_MSIX_FLAGS_ENABLE  0x8000
#define PCI_MSIX_TABLE          4        /* offset | BIR */
#define PCI_MSIX_PBA            8
#define  PCI_MSIX_BIR           0x7
#define PCI_MSIX_CAP_SIZE       12
#define PCI_MSIX_ENTRY_SIZE     16
#define PCI_MSIX_ENTRY_ADDR     0        /* lower, then upper dword */
#define PCI_MSIX_ENTRY_DATA     8
#define PCI_MSIX_ENTRY_CTRL     12
#define  PCI_MSIX_ENTRY_MASKBIT 0x1
#define PCI_MSIX_VECTORS_MAX    2048

/* Storage a device gives for n vectors. */
#define PCI_MSIX_TABLE_SIZE(n)  ((n) * PCI_MSIX_ENTRY_SIZE)
#define PCI_MSIX_PBA_SIZE(n)    (((n) + 63) / 64 * 8)

/* ---------------------------------------------------------------------- */
/* MSI                                                                     */

/* Adds an MSI capability at offset (0: the first free) for nvectors (1, 2,
 * 4, ..., 32) vectors, 64-bit addresses or not, per-vector masking or not. */
bool msi_init(PCIDevice *d, uint8_t offset, unsigned nvectors, bool is_64,
              bool per_vector_mask, char **errp);
bool msi_enabled(const PCIDevice *d);
/*
 * Sends vector's message (its number in the low bits of the data), or sets
 * its pending bit while it is masked. Nothing while MSI is off. A vector
 * past those the driver enabled aliases onto them (only that many low data
 * bits are the function's, section 6.8.1.6); past those the device
 * declared is a bug of the device.
 */
void msi_notify(PCIDevice *d, unsigned vector);

/* ---------------------------------------------------------------------- */
/* MSI-X                                                                   */

typedef struct PCIMSIX {
    uint8_t cap;                /* capability offset */
    uint16_t nvectors;
    bool function_masked;       /* MSI-X off or MASKALL (QEMU caches it) */
    uint8_t *table;             /* PCI_MSIX_TABLE_SIZE(nvectors), device's */
    uint8_t *pba;               /* PCI_MSIX_PBA_SIZE(nvectors), device's */
    MemoryRegion bar;           /* msix_init_exclusive_bar's BAR */
    MemoryRegion table_mr;
    MemoryRegion pba_mr;
} PCIMSIX;

/* Where the table and the PBA go: offsets in BARs already registered whose
 * regions are containers (8-byte aligned, inside the BAR, not overlapping). */
typedef struct PCIMSIXLayout {
    unsigned nvectors;          /* 1 to PCI_MSIX_VECTORS_MAX */
    uint8_t cap_offset;         /* 0: the first free */
    int table_bar;
    uint32_t table_offset;
    int pba_bar;
    uint32_t pba_offset;
} PCIMSIXLayout;

bool msix_init(PCIDevice *d, PCIMSIX *x, const PCIMSIXLayout *layout,
               uint8_t *table, uint8_t *pba, char **errp);
/* As QEMU's: a 4 KiB memory BAR of its own named name (longer if needed),
 * the table at 0 and the PBA at 2 KiB (or right after the table). */
bool msix_init_exclusive_bar(PCIDevice *d, PCIMSIX *x, unsigned nvectors,
                             int bar, const char *name, uint8_t *table,
                             uint8_t *pba, char **errp);
bool msix_enabled(const PCIDevice *d);
bool msix_is_masked(const PCIDevice *d, unsigned vector);
bool msix_is_pending(const PCIDevice *d, unsigned vector);
/*
 * Sends vector's message, or sets its pending bit while it or the function
 * is masked (or MSI-X is off, as QEMU: enabling it later sends it). The
 * vector must be below nvectors (else a bug of the device).
 */
void msix_notify(PCIDevice *d, unsigned vector);
/* Drops a pending message (QEMU's msix_vector_unuse). */
void msix_clear_pending(PCIDevice *d, unsigned vector);

/* ---------------------------------------------------------------------- */
/* For emu/pci.c                                                           */

/* After pci_default_write_config changed [addr, addr + len). */
void msi_write_config(PCIDevice *d, uint32_t addr, unsigned len);
void msix_write_config(PCIDevice *d, uint32_t addr, unsigned len);
/* Capability registers and (MSI-X) table and PBA to their reset values. */
void msi_reset(PCIDevice *d);
void msix_reset(PCIDevice *d);

/* ---------------------------------------------------------------------- */
/* What an interrupt sink records                                          */

#define MSI_LOG_LEN 16

/* The messages written to a sink: how many, and the last MSI_LOG_LEN. Lives
 * in the sink's instance; Machine.msi_log points at the board's. */
typedef struct MSILog {
    uint64_t count;
    uint64_t addr[MSI_LOG_LEN];
    uint32_t data[MSI_LOG_LEN];
} MSILog;

void msi_log_record(MSILog *log, uint64_t addr, uint32_t data);
/* The message back messages before the last (0: the last); false if the
 * log does not hold it. */
bool msi_log_get(const MSILog *log, unsigned back, uint64_t *addr,
                 uint32_t *data);

#endif
