/* SPDX-License-Identifier: MIT */
/*
 * The ICH9's ACPI power management I/O block (ICH9 datasheet, order
 * 319973, section 13.8.3): 128 ports at PMBASE, enabled by the LPC
 * bridge's ACPI_EN. Part of the LPC bridge's instance (lpc-ich9.c).
 */
#ifndef HW_ISA_ICH9_PM_H
#define HW_ISA_ICH9_PM_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/clock.h"
#include "emu/memory.h"
#include "hw/acpi/acpi-pm.h"

typedef struct ICH9PM ICH9PM;
/* The SCI's level changed (the LPC routes it by ACPI_CNTL.SCI_IRQ_SEL). */
typedef void (*ICH9PMSCIFn)(void *opaque, int level);

/* The ACPI registers are hw/acpi's AcpiPM; SMI_EN/SMI_STS and the block's
 * placement are ICH9's own. */
struct ICH9PM {
    AcpiPM acpi;                /* acpi-evt, acpi-cnt, acpi-tmr, acpi-gpe0 */
    uint32_t smi_en;
    uint32_t smi_sts;
    uint32_t smi_en_wmask;
    uint16_t base;              /* where the block is mapped; 0: off */
    int sci_level;
    MemoryRegion io;            /* "ich9-pm": the 128-byte container */
    MemoryRegion smi;           /* "acpi-smi": SMI_EN, SMI_STS */
    ICH9PMSCIFn sci;
    void *sci_opaque;
};

/* Regions owned by owner, the container in sysio at 0, disabled. */
void ich9_pm_init(ICH9PM *pm, Object *owner, Clock *clock, MemoryRegion *sysio,
                  ICH9PMSCIFn sci, void *opaque);
void ich9_pm_reset(ICH9PM *pm);
/* Maps the block at base (128-byte aligned), or unmaps it (0). */
void ich9_pm_set_base(ICH9PM *pm, uint16_t base);
/* GEN_PMCON_1.SMI_LOCK: GBL_SMI_EN cannot change any more. */
void ich9_pm_lock_smi(ICH9PM *pm);

#endif
