/* SPDX-License-Identifier: MIT */
/*
 * The ACPI fixed-hardware registers a chipset's power-management function
 * carries (ACPI 6.4 section 4.8): the PM1a event block (status and
 * enable), the PM1a control block, the 24-bit PM timer at 3.579545 MHz and
 * a general-purpose event block (GPE0: status then enable bytes). PIIX4's
 * function 3 embeds one (hw/acpi/piix4.c); ICH9's LPC can embed the same.
 *
 * The owner embeds AcpiPM in its instance, calls acpi_pm_init at realize
 * with a container for the PM1 registers (event at 0, control at 4, timer
 * at 8) and maps pm->gpe_io where its GPE block lives. What the owner
 * decides it learns through AcpiPMOps: the SCI level changed (it drives
 * its interrupt line from acpi_pm_sci_level), or the guest wrote SLP_EN.
 *
 * Time is the machine's virtual clock: the counter is the clock in PM
 * timer ticks, so it is deterministic and restored with the snapshot.
 */
#ifndef HW_ACPI_ACPI_PM_H
#define HW_ACPI_ACPI_PM_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/clock.h"
#include "emu/memory.h"
#include "emu/object.h"

#define ACPI_PM_TIMER_FREQ 3579545u     /* Hz, ACPI 6.4 section 4.8.3.3 */

/* PM1 status (ACPI 6.4 table 4.16) and enable (table 4.17) bits */
#define ACPI_PM1_TMR        0x0001
#define ACPI_PM1_BM_STS     0x0010
#define ACPI_PM1_GBL        0x0020
#define ACPI_PM1_PWRBTN     0x0100
#define ACPI_PM1_SLPBTN     0x0200
#define ACPI_PM1_RTC        0x0400
#define ACPI_PM1_WAK_STS    0x8000
/* Events that raise the SCI when their enable bit is set too. */
#define ACPI_PM1_SCI_EVENTS (ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | ACPI_PM1_RTC)

/* PM1 control (ACPI 6.4 table 4.18) */
#define ACPI_PM1_CNT_SCI_EN  0x0001
#define ACPI_PM1_CNT_BM_RLD  0x0002
#define ACPI_PM1_CNT_GBL_RLS 0x0004     /* write-only (ACPI): a cnt_mask without it */
#define ACPI_PM1_CNT_SLP_TYP 0x1c00
#define ACPI_PM1_CNT_SLP_TYP_SHIFT 10
#define ACPI_PM1_CNT_SLP_EN  0x2000     /* write-only: reads 0 */

/* Register sizes: the three PM1 regions and the largest GPE half. */
#define ACPI_PM1_EVT_LEN 4
#define ACPI_PM1_CNT_LEN 2
#define ACPI_PM_TMR_LEN  4
#define ACPI_GPE_MAX_HALF 8

/*
 * A chipset's block. Zero flags give the ACPI reading (PIIX4); each flag is
 * a departure QEMU 7.2's ICH9 makes and a differential test compares.
 */
typedef struct AcpiPMConfig {
    unsigned gpe_len;       /* bytes of each GPE half, 1..ACPI_GPE_MAX_HALF */
    uint16_t en_mask;       /* the PM1 enable bits the chipset has */
    uint16_t cnt_mask;      /* the PM1 control bits it stores (SLP_EN never) */
    /* Registers decoded whole: a narrower access is the register's width
     * at its offset (a byte at an odd PM1 event offset reads 0 and writes
     * nothing, a byte write at an even one zero-extends, the timer gives
     * its count at any offset). */
    bool whole_regs;
    /* Events raise the SCI whatever SCI_EN says (no SMI path). */
    bool sci_ignores_sci_en;
    /* The first overflow is at tick 0: TMR_STS reads set from reset on. */
    bool tmr_sts_at_reset;
} AcpiPMConfig;

typedef struct AcpiPMOps {
    /* The SCI level may have changed (acpi_pm_sci_level says what it is). */
    void (*sci_update)(void *opaque);
    /* The guest wrote SLP_EN with this SLP_TYP (0-7). */
    void (*sleep)(void *opaque, unsigned slp_typ);
    /* The PM timer's overflow fired with TMR_EN set (a wake event while
     * the owner sleeps); may be NULL. */
    void (*timer_wake)(void *opaque);
} AcpiPMOps;

typedef struct AcpiPM {
    /* Registers. TMR_STS in pm1_sts is brought up to date from the clock
     * (acpi_pm_sync_timer) before anything reads it. */
    uint16_t pm1_sts;
    uint16_t pm1_en;
    uint16_t pm1_cnt;
    uint16_t en_mask;               /* the enable bits the chipset has */
    uint16_t cnt_mask;              /* the storable control bits */
    /* Virtual time at which TMR_STS sets: the next toggle of counter bit
     * 23 after the last clear (or reset). */
    int64_t tmr_ovf_ns;
    uint8_t gpe_sts[ACPI_GPE_MAX_HALF];
    uint8_t gpe_en[ACPI_GPE_MAX_HALF];
    unsigned gpe_len;               /* bytes of each GPE half */
    bool sci_ignores_sci_en;        /* from AcpiPMConfig */
    bool tmr_sts_at_reset;
    /* Wiring, set at realize. */
    Timer tmr;
    Clock *clock;
    MemoryRegion evt_io;
    MemoryRegion cnt_io;
    MemoryRegion tmr_io;
    MemoryRegion gpe_io;
    const AcpiPMOps *ops;
    void *opaque;
} AcpiPM;

/*
 * Realize: regions owned by owner, the PM1 ones added to pm1_container;
 * cfg->gpe_len bytes of GPE status and as many of enable in pm->gpe_io,
 * which the caller maps.
 */
void acpi_pm_init(AcpiPM *pm, Object *owner, Clock *clock, MemoryRegion *pm1_container,
                  const AcpiPMConfig *cfg, const AcpiPMOps *ops, void *opaque);
/* Power-on values; the timer's next overflow counts from now (is due at
 * once with tmr_sts_at_reset). Does not
 * call sci_update (the owner drives its line from acpi_pm_sci_level). */
void acpi_pm_reset(AcpiPM *pm);

/* The PM timer's counter now (24 bits). */
uint32_t acpi_pm_timer_count(const AcpiPM *pm);
/* Sets TMR_STS if the overflow time has passed. */
void acpi_pm_sync_timer(AcpiPM *pm);
/* Status and enable both set for an event, with SCI_EN set. */
bool acpi_pm_sci_level(AcpiPM *pm);

/* Hardware events: status bits set (PM1 or GPE bit n), the SCI updated. */
void acpi_pm_set_pm1_status(AcpiPM *pm, uint16_t bits);
void acpi_pm_set_gpe(AcpiPM *pm, unsigned n);
/* SCI_EN set or cleared, as an SMI handler does on ACPI enable/disable. */
void acpi_pm_set_sci_enable(AcpiPM *pm, bool on);

#endif
