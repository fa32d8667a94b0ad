/* SPDX-License-Identifier: MIT */
/*
 * ICH9 ACPI power management block (ICH9 datasheet 13.8.3; ACPI 6.4
 * sections 4.8.3.1-4.8.3.3 for PM1 and the PM timer): PM1_STS/PM1_EN,
 * PM1_CNT (SCI_EN, sleep requests), the 24-bit PM timer counting at
 * 3.579545 MHz from the virtual clock with TMR_STS on each flip of bit 23,
 * GPE0_STS/GPE0_EN, SMI_EN/SMI_STS, and the SCI level. Regions and access
 * sizes as QEMU 7.2's (acpi-evt, acpi-cnt, acpi-tmr, acpi-gpe0, acpi-smi).
 * Left out: the TCO watchdog at PMBASE+0x60, sleep states (a sleep
 * request is logged and dropped: no CPU sleeps here), SMIs (no CPU).
 */
#include "hw/isa/ich9-pm.h"

#include <string.h>

#include "emu/log.h"

/* Block layout (13.8.3) */
#define ICH9_PM_SIZE        0x80
#define ICH9_PM_EVT         0x00
#define ICH9_PM_CNT         0x04
#define ICH9_PM_TMR         0x08
#define ICH9_PM_GPE0        0x20
#define ICH9_PM_SMI         0x30
/* PM1_STS / PM1_EN bits (ACPI 4.8.3.1) */
#define PM1_TMR             0x0001
#define PM1_GBL             0x0020
#define PM1_PWRBTN          0x0100
#define PM1_RTC             0x0400
#define PM1_SCI_SOURCES     (PM1_TMR | PM1_GBL | PM1_PWRBTN | PM1_RTC)
/* PM1_CNT bits (ACPI 4.8.3.2.1) */
#define PM1_CNT_SLP_TYP(v)  (((v) >> 10) & 7)
#define PM1_CNT_SLP_EN      0x2000
/* SMI_EN bits (13.8.3.9) */
#define SMI_EN_GBL_SMI_EN   0x00000001

/* The PM timer (ACPI 4.8.3.3) */
#define PM_TIMER_HZ         3579545LL
#define PM_TIMER_MASK       0xffffff
#define PM_TIMER_HALF       0x800000LL

__extension__ typedef unsigned __int128 PMUInt128;

static int64_t ich9_pm_ticks(const ICH9PM *pm)
{
    PMUInt128 ns = (uint64_t)clock_get_ns(pm->clock);

    return (int64_t)(ns * PM_TIMER_HZ / NANOSECONDS_PER_SECOND);
}

static int64_t ich9_pm_ticks_to_ns(int64_t ticks)
{
    return (int64_t)((PMUInt128)(uint64_t)ticks * NANOSECONDS_PER_SECOND /
                     PM_TIMER_HZ);
}

/* TMR_STS is due once the clock reaches the next flip of bit 23. */
static uint16_t ich9_pm_sts(ICH9PM *pm)
{
    if (clock_get_ns(pm->clock) >= ich9_pm_ticks_to_ns(pm->tmr_overflow)) {
        pm->pm1_sts |= PM1_TMR;
    }
    return pm->pm1_sts;
}

static void ich9_pm_calc_overflow(ICH9PM *pm)
{
    pm->tmr_overflow = (ich9_pm_ticks(pm) + PM_TIMER_HALF) & ~(PM_TIMER_HALF - 1);
}

/* SCI: an enabled PM1 event or a GPE0 event of the first byte, as QEMU's
 * acpi_update_sci; the timer runs while TMR_EN waits for TMR_STS. */
static void ich9_pm_update_sci(ICH9PM *pm)
{
    uint16_t sts = ich9_pm_sts(pm);
    int level = (sts & pm->pm1_en & PM1_SCI_SOURCES) ||
                (pm->gpe0[0] & pm->gpe0[ICH9_PM_GPE0_LEN / 2]);

    if (level != pm->sci_level) {
        pm->sci_level = level;
        pm->sci(pm->sci_opaque, level);
    }
    if ((pm->pm1_en & PM1_TMR) && !(sts & PM1_TMR)) {
        timer_mod(&pm->tmr, ich9_pm_ticks_to_ns(pm->tmr_overflow));
    } else {
        timer_del(&pm->tmr);
    }
}

static void ich9_pm_timer_cb(void *opaque)
{
    ich9_pm_update_sci(opaque);
}

/* ---------------------------------------------------------------------- */
/* PM1 event and control                                                   */

static uint64_t ich9_pm_evt_read(void *opaque, uint64_t addr, unsigned size)
{
    ICH9PM *pm = opaque;

    switch (addr) {
    case 0:
        return ich9_pm_sts(pm);
    case 2:
        return pm->pm1_en;
    default:
        return 0;
    }
}

static void ich9_pm_evt_write(void *opaque, uint64_t addr, uint64_t val,
                              unsigned size)
{
    ICH9PM *pm = opaque;

    switch (addr) {
    case 0:
        /* Clearing TMR_STS arms the next overflow (ACPI 4.8.3.3). */
        if (ich9_pm_sts(pm) & val & PM1_TMR) {
            ich9_pm_calc_overflow(pm);
        }
        pm->pm1_sts &= ~val;
        break;
    case 2:
        pm->pm1_en = val;
        break;
    default:
        return;
    }
    ich9_pm_update_sci(pm);
}

static uint64_t ich9_pm_cnt_read(void *opaque, uint64_t addr, unsigned size)
{
    ICH9PM *pm = opaque;

    return pm->pm1_cnt >> (addr * 8);
}

/* SLP_EN is write-only: the request is dropped (no CPU to put to sleep). */
static void ich9_pm_cnt_write(void *opaque, uint64_t addr, uint64_t val,
                              unsigned size)
{
    ICH9PM *pm = opaque;

    if (addr == 1) {
        val = val << 8 | (pm->pm1_cnt & 0xff);
    }
    pm->pm1_cnt = val & ~PM1_CNT_SLP_EN;
    if (val & PM1_CNT_SLP_EN) {
        guest_error("ich9-pm: sleep request SLP_TYP %u ignored",
                    (unsigned)PM1_CNT_SLP_TYP(val));
    }
}

static uint64_t ich9_pm_tmr_read(void *opaque, uint64_t addr, unsigned size)
{
    return ich9_pm_ticks(opaque) & PM_TIMER_MASK;
}

static void ich9_pm_tmr_write(void *opaque, uint64_t addr, uint64_t val,
                              unsigned size)
{
}

/* ---------------------------------------------------------------------- */
/* GPE0 and SMI                                                            */

/* GPE0_STS bytes are write-1-to-clear, GPE0_EN bytes plain (ACPI 4.8.4.1). */
static uint64_t ich9_pm_gpe_read(void *opaque, uint64_t addr, unsigned size)
{
    ICH9PM *pm = opaque;

    return addr < ICH9_PM_GPE0_LEN ? pm->gpe0[addr] : 0;
}

static void ich9_pm_gpe_write(void *opaque, uint64_t addr, uint64_t val,
                              unsigned size)
{
    ICH9PM *pm = opaque;

    if (addr < ICH9_PM_GPE0_LEN / 2) {
        pm->gpe0[addr] &= ~val;
    } else if (addr < ICH9_PM_GPE0_LEN) {
        pm->gpe0[addr] = val;
    }
    ich9_pm_update_sci(pm);
}

static uint64_t ich9_pm_smi_read(void *opaque, uint64_t addr, unsigned size)
{
    ICH9PM *pm = opaque;

    switch (addr) {
    case 0:
        return pm->smi_en;
    case 4:
        return pm->smi_sts;
    default:
        return 0;
    }
}

/* SMI_STS is not writable in QEMU 7.2 (its write mask is 0). */
static void ich9_pm_smi_write(void *opaque, uint64_t addr, uint64_t val,
                              unsigned size)
{
    ICH9PM *pm = opaque;

    if (addr == 0) {
        pm->smi_en = (pm->smi_en & ~pm->smi_en_wmask) | (val & pm->smi_en_wmask);
    }
}

/* ---------------------------------------------------------------------- */
/* Regions, reset                                                          */

static const MemoryRegionOps ich9_pm_evt_ops = {
    .read = ich9_pm_evt_read,
    .write = ich9_pm_evt_write,
    .valid = { .min_access_size = 1, .max_access_size = 2 },
    .impl = { .min_access_size = 2, .max_access_size = 2 },
};

static const MemoryRegionOps ich9_pm_cnt_ops = {
    .read = ich9_pm_cnt_read,
    .write = ich9_pm_cnt_write,
    .valid = { .min_access_size = 1, .max_access_size = 2 },
    .impl = { .min_access_size = 2, .max_access_size = 2 },
};

static const MemoryRegionOps ich9_pm_tmr_ops = {
    .read = ich9_pm_tmr_read,
    .write = ich9_pm_tmr_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static const MemoryRegionOps ich9_pm_gpe_ops = {
    .read = ich9_pm_gpe_read,
    .write = ich9_pm_gpe_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static const MemoryRegionOps ich9_pm_smi_ops = {
    .read = ich9_pm_smi_read,
    .write = ich9_pm_smi_write,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

void ich9_pm_set_base(ICH9PM *pm, uint16_t base)
{
    pm->base = base;
    mr_set_enabled(&pm->io, base != 0);
    mr_set_address(&pm->io, base);
}

void ich9_pm_lock_smi(ICH9PM *pm)
{
    pm->smi_en_wmask &= ~SMI_EN_GBL_SMI_EN;
}

/* QEMU 7.2's pm_reset with SMM on (TCG): everything 0, the timer's first
 * overflow at tick 0 (so TMR_STS reads set at once), the block unmapped. */
void ich9_pm_reset(ICH9PM *pm)
{
    ich9_pm_set_base(pm, 0);
    pm->pm1_sts = 0;
    pm->pm1_en = 0;
    pm->pm1_cnt = 0;
    memset(pm->gpe0, 0, sizeof(pm->gpe0));
    pm->tmr_overflow = 0;
    timer_del(&pm->tmr);
    pm->smi_en = 0;
    pm->smi_sts = 0;
    pm->smi_en_wmask = UINT32_MAX;
    pm->sci_level = 0;
    ich9_pm_update_sci(pm);
}

void ich9_pm_init(ICH9PM *pm, Object *owner, Clock *clock, MemoryRegion *sysio,
                  ICH9PMSCIFn sci, void *opaque)
{
    pm->clock = clock;
    pm->sci = sci;
    pm->sci_opaque = opaque;
    timer_init(&pm->tmr, owner, clock, ich9_pm_timer_cb, pm);
    mr_init_container(&pm->io, owner, "ich9-pm", ICH9_PM_SIZE);
    mr_init_io(&pm->tmr_io, owner, &ich9_pm_tmr_ops, pm, "acpi-tmr", 4);
    mr_init_io(&pm->evt, owner, &ich9_pm_evt_ops, pm, "acpi-evt", 4);
    mr_init_io(&pm->cnt, owner, &ich9_pm_cnt_ops, pm, "acpi-cnt", 2);
    mr_init_io(&pm->gpe, owner, &ich9_pm_gpe_ops, pm, "acpi-gpe0",
               ICH9_PM_GPE0_LEN);
    mr_init_io(&pm->smi, owner, &ich9_pm_smi_ops, pm, "acpi-smi", 8);
    mr_add_subregion(&pm->io, ICH9_PM_TMR, &pm->tmr_io);
    mr_add_subregion(&pm->io, ICH9_PM_EVT, &pm->evt);
    mr_add_subregion(&pm->io, ICH9_PM_CNT, &pm->cnt);
    mr_add_subregion(&pm->io, ICH9_PM_GPE0, &pm->gpe);
    mr_add_subregion(&pm->io, ICH9_PM_SMI, &pm->smi);
    mr_set_enabled(&pm->io, false);
    mr_add_subregion(sysio, 0, &pm->io);
}
