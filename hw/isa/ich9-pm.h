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

#define ICH9_PM_GPE0_LEN 16      /* GPE0_STS (8 bytes), GPE0_EN (8 bytes) */

typedef struct ICH9PM ICH9PM;
/* The SCI's level changed (the LPC routes it by ACPI_CNTL.SCI_IRQ_SEL). */
typedef void (*ICH9PMSCIFn)(void *opaque, int level);

struct ICH9PM {
    uint16_t pm1_sts;
    uint16_t pm1_en;
    uint16_t pm1_cnt;
    uint8_t gpe0[ICH9_PM_GPE0_LEN];
    uint32_t smi_en;
    uint32_t smi_sts;
    uint32_t smi_en_wmask;
    int64_t tmr_overflow;       /* PM timer ticks at which TMR_STS sets */
    uint16_t base;              /* where the block is mapped; 0: off */
    int sci_level;
    Timer tmr;
    MemoryRegion io;            /* "ich9-pm": the 128-byte container */
    MemoryRegion evt;           /* "acpi-evt": PM1_STS, PM1_EN */
    MemoryRegion cnt;           /* "acpi-cnt": PM1_CNT */
    MemoryRegion tmr_io;        /* "acpi-tmr": PM1_TMR */
    MemoryRegion gpe;           /* "acpi-gpe0" */
    MemoryRegion smi;           /* "acpi-smi": SMI_EN, SMI_STS */
    Clock *clock;
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
