/* SPDX-License-Identifier: MIT */
/*
 * ICH9 ACPI power management block (ICH9 datasheet 13.8.3): 128 ports at
 * PMBASE holding the ACPI fixed registers (PM1, the PM timer, GPE0: an
 * AcpiPM from hw/acpi/acpi-pm.c, decoded as QEMU 7.2's ICH9 decodes them)
 * and ICH9's own SMI_EN/SMI_STS, and the SCI level. Regions and access
 * sizes as QEMU 7.2's (acpi-evt, acpi-cnt, acpi-tmr, acpi-gpe0, acpi-smi).
 * Left out: the TCO watchdog at PMBASE+0x60, sleep states (a sleep
 * request is logged and dropped: no CPU sleeps here), SMIs (no CPU).
 */
#include "hw/isa/ich9-pm.h"

#include "emu/log.h"

/* Block layout (13.8.3) */
#define ICH9_PM_SIZE        0x80
#define ICH9_PM_GPE0        0x20
#define ICH9_PM_SMI         0x30
#define ICH9_PM_GPE0_HALF   8        /* GPE0_STS (8 bytes), GPE0_EN (8 bytes) */
/* SMI_EN bits (13.8.3.9) */
#define SMI_EN_GBL_SMI_EN   0x00000001

/*
 * QEMU 7.2's ICH9: every PM1 enable and control bit stored, registers
 * decoded whole, the SCI whatever SCI_EN says, and pm_reset's overflow at
 * tick 0 (TMR_STS reads set at once). q35-lpc.qtest compares these.
 * Nothing sets a GPE0 status bit here, so which GPE bytes reach the SCI
 * (QEMU: the first) does not arise.
 */
static const AcpiPMConfig ich9_pm_acpi_cfg = {
    .gpe_len = ICH9_PM_GPE0_HALF,
    .en_mask = 0xffff,
    .cnt_mask = 0xffff,
    .whole_regs = true,
    .sci_ignores_sci_en = true,
    .tmr_sts_at_reset = true,
};

/* ---------------------------------------------------------------------- */
/* SCI and sleep (AcpiPMOps)                                               */

static void ich9_pm_update_sci(void *opaque)
{
    ICH9PM *pm = opaque;
    int level = acpi_pm_sci_level(&pm->acpi);

    if (level != pm->sci_level) {
        pm->sci_level = level;
        pm->sci(pm->sci_opaque, level);
    }
}

/* SLP_EN: the request is dropped (no CPU to put to sleep). */
static void ich9_pm_sleep(void *opaque, unsigned slp_typ)
{
    guest_error("ich9-pm: sleep request SLP_TYP %u ignored", slp_typ);
}

static const AcpiPMOps ich9_pm_acpi_ops = {
    .sci_update = ich9_pm_update_sci,
    .sleep = ich9_pm_sleep,
};

/* ---------------------------------------------------------------------- */
/* SMI                                                                     */

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

static const MemoryRegionOps ich9_pm_smi_ops = {
    .read = ich9_pm_smi_read,
    .write = ich9_pm_smi_write,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

/* ---------------------------------------------------------------------- */
/* Placement, reset                                                        */

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

/* QEMU 7.2's pm_reset with SMM on (TCG): everything 0, the block unmapped. */
void ich9_pm_reset(ICH9PM *pm)
{
    ich9_pm_set_base(pm, 0);
    acpi_pm_reset(&pm->acpi);
    pm->smi_en = 0;
    pm->smi_sts = 0;
    pm->smi_en_wmask = UINT32_MAX;
    pm->sci_level = 0;
}

void ich9_pm_init(ICH9PM *pm, Object *owner, Clock *clock, MemoryRegion *sysio,
                  ICH9PMSCIFn sci, void *opaque)
{
    pm->sci = sci;
    pm->sci_opaque = opaque;
    mr_init_container(&pm->io, owner, "ich9-pm", ICH9_PM_SIZE);
    acpi_pm_init(&pm->acpi, owner, clock, &pm->io, &ich9_pm_acpi_cfg, &ich9_pm_acpi_ops, pm);
    mr_add_subregion(&pm->io, ICH9_PM_GPE0, &pm->acpi.gpe_io);
    mr_init_io(&pm->smi, owner, &ich9_pm_smi_ops, pm, "acpi-smi", 8);
    mr_add_subregion(&pm->io, ICH9_PM_SMI, &pm->smi);
    mr_set_enabled(&pm->io, false);
    mr_add_subregion(sysio, 0, &pm->io);
}
