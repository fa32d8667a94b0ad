/* SPDX-License-Identifier: MIT */
/*
 * ACPI fixed-hardware registers (ACPI 6.4 section 4.8): PM1a event and
 * control, the PM timer, a GPE0 block. See acpi-pm.h. Accesses of one byte
 * reach the byte they address, unless the chipset decodes whole registers
 * (AcpiPMConfig.whole_regs: QEMU 7.2 widens them to the 16- or 32-bit
 * register and hands odd offsets nothing). Left out: BM_STS, SLPBTN and
 * the PM1b/PM2 blocks (no chipset here has them wired).
 */
#include "hw/acpi/acpi-pm.h"

#include <inttypes.h>
#include <string.h>

#include "emu/log.h"

/* Offsets in the PM1 container. */
#define ACPI_PM1_EVT_OFF 0x00
#define ACPI_PM1_CNT_OFF 0x04
#define ACPI_PM_TMR_OFF  0x08

/* The counter is 24 bits wide; TMR_STS sets when bit 23 toggles
 * (ACPI 6.4 section 4.8.3.3). */
#define ACPI_PM_TMR_MASK 0xffffffu
#define ACPI_PM_TMR_HALF 0x800000ull

/* ---- Time ------------------------------------------------------------- */

static uint64_t acpi_pm_ticks(int64_t ns)
{
    return (uint64_t)(((unsigned __int128)ns * ACPI_PM_TIMER_FREQ) / NANOSECONDS_PER_SECOND);
}

/* The virtual time of a tick, rounded down (as QEMU's muldiv64), the
 * same rounding for the status check and the timer deadline. */
static int64_t acpi_pm_tick_ns(uint64_t ticks)
{
    return (int64_t)(((unsigned __int128)ticks * NANOSECONDS_PER_SECOND) / ACPI_PM_TIMER_FREQ);
}

uint32_t acpi_pm_timer_count(const AcpiPM *pm)
{
    return (uint32_t)acpi_pm_ticks(clock_get_ns(pm->clock)) & ACPI_PM_TMR_MASK;
}

/* The next toggle of bit 23 after now. */
static void acpi_pm_next_overflow(AcpiPM *pm)
{
    uint64_t next = (acpi_pm_ticks(clock_get_ns(pm->clock)) + ACPI_PM_TMR_HALF) &
                    ~(ACPI_PM_TMR_HALF - 1);

    pm->tmr_ovf_ns = acpi_pm_tick_ns(next);
}

void acpi_pm_sync_timer(AcpiPM *pm)
{
    if (clock_get_ns(pm->clock) >= pm->tmr_ovf_ns) {
        pm->pm1_sts |= ACPI_PM1_TMR;
    }
}

/* ---- SCI -------------------------------------------------------------- */

static bool acpi_pm_gpe_pending(const AcpiPM *pm)
{
    for (unsigned i = 0; i < pm->gpe_len; i++) {
        if (pm->gpe_sts[i] & pm->gpe_en[i]) {
            return true;
        }
    }
    return false;
}

/* ACPI 6.4 section 4.8.3.2.1: an event with its enable bit set raises the
 * SCI, not an SMI, when SCI_EN is set (QEMU 7.2 ignores SCI_EN). */
bool acpi_pm_sci_level(AcpiPM *pm)
{
    acpi_pm_sync_timer(pm);
    if (!(pm->pm1_cnt & ACPI_PM1_CNT_SCI_EN) && !pm->sci_ignores_sci_en) {
        return false;
    }
    return (pm->pm1_sts & pm->pm1_en & ACPI_PM1_SCI_EVENTS) || acpi_pm_gpe_pending(pm);
}

/* The timer runs while its overflow could raise the SCI or wake the
 * owner: TMR_EN set and TMR_STS clear. */
static void acpi_pm_update(AcpiPM *pm)
{
    acpi_pm_sync_timer(pm);
    if ((pm->pm1_en & ACPI_PM1_TMR) && !(pm->pm1_sts & ACPI_PM1_TMR)) {
        timer_mod(&pm->tmr, pm->tmr_ovf_ns);
    } else {
        timer_del(&pm->tmr);
    }
    pm->ops->sci_update(pm->opaque);
}

static void acpi_pm_timer_cb(void *opaque)
{
    AcpiPM *pm = opaque;

    if ((pm->pm1_en & ACPI_PM1_TMR) && pm->ops->timer_wake) {
        pm->ops->timer_wake(pm->opaque);
    }
    acpi_pm_update(pm);
}

void acpi_pm_set_pm1_status(AcpiPM *pm, uint16_t bits)
{
    pm->pm1_sts |= bits;
    acpi_pm_update(pm);
}

void acpi_pm_set_gpe(AcpiPM *pm, unsigned n)
{
    if (n / 8 >= pm->gpe_len) {
        emu_bug("acpi-pm: GPE %u past the %u-byte block", n, pm->gpe_len);
    }
    pm->gpe_sts[n / 8] |= 1u << (n % 8);
    acpi_pm_update(pm);
}

void acpi_pm_set_sci_enable(AcpiPM *pm, bool on)
{
    pm->pm1_cnt = on ? (pm->pm1_cnt | ACPI_PM1_CNT_SCI_EN)
                     : (pm->pm1_cnt & ~ACPI_PM1_CNT_SCI_EN);
    acpi_pm_update(pm);
}

/* ---- PM1 event: status (W1C) at 0, enable at 2 -------------------------- */

/* Status bits are write-1-to-clear; a cleared TMR_STS waits for the next
 * toggle of bit 23 from now. */
static void acpi_pm_clear_status(AcpiPM *pm, uint16_t bits)
{
    acpi_pm_sync_timer(pm);
    if (pm->pm1_sts & bits & ACPI_PM1_TMR) {
        acpi_pm_next_overflow(pm);
    }
    pm->pm1_sts &= ~bits;
}

static uint64_t acpi_pm_evt_read(void *opaque, uint64_t addr, unsigned size)
{
    AcpiPM *pm = opaque;
    uint16_t reg;

    acpi_pm_sync_timer(pm);
    reg = addr < 2 ? pm->pm1_sts : pm->pm1_en;
    return (reg >> (8 * (addr & 1))) & (size == 1 ? 0xff : 0xffff);
}

static void acpi_pm_evt_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    AcpiPM *pm = opaque;
    unsigned shift = 8 * (addr & 1);
    uint16_t mask = (uint16_t)((size == 1 ? 0xff : 0xffff) << shift);
    uint16_t v = (uint16_t)(val << shift) & mask;

    if (addr < 2) {
        acpi_pm_clear_status(pm, v);
    } else {
        if (v & mask & ~pm->en_mask) {
            guest_error("acpi-pm: PM1 enable bits 0x%x are reserved", v & mask & ~pm->en_mask);
        }
        pm->pm1_en = (pm->pm1_en & ~mask) | (v & pm->en_mask);
    }
    acpi_pm_update(pm);
}

/* Whole-register decoding: PM1_STS+1 and PM1_EN+1 decode nothing. */
static uint64_t acpi_pm_evt_whole_read(void *opaque, uint64_t addr, unsigned size)
{
    return (addr & 1) ? 0 : acpi_pm_evt_read(opaque, addr, size);
}

static void acpi_pm_evt_whole_write(void *opaque, uint64_t addr, uint64_t val,
                                    unsigned size)
{
    if (!(addr & 1)) {
        acpi_pm_evt_write(opaque, addr, val, size);
    }
}

/* ---- PM1 control ------------------------------------------------------ */

static uint64_t acpi_pm_cnt_read(void *opaque, uint64_t addr, unsigned size)
{
    AcpiPM *pm = opaque;

    return (pm->pm1_cnt >> (8 * addr)) & (size == 1 ? 0xff : 0xffff);
}

/* SLP_EN starts the sleep state SLP_TYP names; it is write-only (ACPI
 * 6.4 table 4.18), as GBL_RLS is where cnt_mask leaves it out. The owner
 * decides what a sleep type means on its machine. */
static void acpi_pm_cnt_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    AcpiPM *pm = opaque;
    unsigned shift = 8 * addr;
    uint16_t mask = (uint16_t)((size == 1 ? 0xff : 0xffff) << shift);
    uint16_t v = (uint16_t)(((uint16_t)(val << shift) & mask) | (pm->pm1_cnt & ~mask));

    pm->pm1_cnt = v & pm->cnt_mask;
    acpi_pm_update(pm);
    if (v & ACPI_PM1_CNT_SLP_EN) {
        pm->ops->sleep(pm->opaque, (v & ACPI_PM1_CNT_SLP_TYP) >> ACPI_PM1_CNT_SLP_TYP_SHIFT);
    }
}

/* ---- PM timer (read-only) --------------------------------------------- */

static uint64_t acpi_pm_tmr_read(void *opaque, uint64_t addr, unsigned size)
{
    uint64_t v = acpi_pm_timer_count(opaque) >> (8 * addr);

    return size == 4 ? v : v & ((1u << (8 * size)) - 1);
}

/* Whole-register decoding: the count whatever the offset. */
static uint64_t acpi_pm_tmr_whole_read(void *opaque, uint64_t addr, unsigned size)
{
    return acpi_pm_timer_count(opaque);
}

static void acpi_pm_tmr_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    guest_error("acpi-pm: write 0x%" PRIx64 " to the read-only PM timer", val);
}

/* ---- GPE0: status bytes (W1C), then enable bytes ------------------------ */

static uint64_t acpi_pm_gpe_read(void *opaque, uint64_t addr, unsigned size)
{
    AcpiPM *pm = opaque;

    return addr < pm->gpe_len ? pm->gpe_sts[addr] : pm->gpe_en[addr - pm->gpe_len];
}

static void acpi_pm_gpe_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    AcpiPM *pm = opaque;

    if (addr < pm->gpe_len) {
        pm->gpe_sts[addr] &= ~(uint8_t)val;
    } else {
        pm->gpe_en[addr - pm->gpe_len] = (uint8_t)val;
    }
    acpi_pm_update(pm);
}

static const MemoryRegionOps acpi_pm_evt_ops = {
    .read = acpi_pm_evt_read,
    .write = acpi_pm_evt_write,
    .valid = {.min_access_size = 1, .max_access_size = 2},
    .impl = {.min_access_size = 1, .max_access_size = 2},
};

static const MemoryRegionOps acpi_pm_cnt_ops = {
    .read = acpi_pm_cnt_read,
    .write = acpi_pm_cnt_write,
    .valid = {.min_access_size = 1, .max_access_size = 2},
    .impl = {.min_access_size = 1, .max_access_size = 2},
};

static const MemoryRegionOps acpi_pm_tmr_ops = {
    .read = acpi_pm_tmr_read,
    .write = acpi_pm_tmr_write,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 1, .max_access_size = 4},
};

/* The same registers decoded whole (AcpiPMConfig.whole_regs). */
static const MemoryRegionOps acpi_pm_evt_whole_ops = {
    .read = acpi_pm_evt_whole_read,
    .write = acpi_pm_evt_whole_write,
    .valid = {.min_access_size = 1, .max_access_size = 2},
    .impl = {.min_access_size = 2, .max_access_size = 2},
};

static const MemoryRegionOps acpi_pm_cnt_whole_ops = {
    .read = acpi_pm_cnt_read,
    .write = acpi_pm_cnt_write,
    .valid = {.min_access_size = 1, .max_access_size = 2},
    .impl = {.min_access_size = 2, .max_access_size = 2},
};

static const MemoryRegionOps acpi_pm_tmr_whole_ops = {
    .read = acpi_pm_tmr_whole_read,
    .write = acpi_pm_tmr_write,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 4, .max_access_size = 4},
};

static const MemoryRegionOps acpi_pm_gpe_ops = {
    .read = acpi_pm_gpe_read,
    .write = acpi_pm_gpe_write,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 1, .max_access_size = 1},
};

void acpi_pm_reset(AcpiPM *pm)
{
    pm->pm1_sts = 0;
    pm->pm1_en = 0;
    pm->pm1_cnt = 0;
    memset(pm->gpe_sts, 0, sizeof(pm->gpe_sts));
    memset(pm->gpe_en, 0, sizeof(pm->gpe_en));
    if (pm->tmr_sts_at_reset) {
        pm->tmr_ovf_ns = 0;
    } else {
        acpi_pm_next_overflow(pm);
    }
    timer_del(&pm->tmr);
}

void acpi_pm_init(AcpiPM *pm, Object *owner, Clock *clock, MemoryRegion *pm1_container,
                  const AcpiPMConfig *cfg, const AcpiPMOps *ops, void *opaque)
{
    bool whole = cfg->whole_regs;

    if (!cfg->gpe_len || cfg->gpe_len > ACPI_GPE_MAX_HALF || !ops || !ops->sci_update ||
        !ops->sleep) {
        emu_bug("acpi-pm: bad set-up (GPE half %u bytes, ops %p)", cfg->gpe_len,
                (const void *)ops);
    }
    pm->clock = clock;
    pm->gpe_len = cfg->gpe_len;
    pm->en_mask = cfg->en_mask;
    pm->cnt_mask = cfg->cnt_mask & ~ACPI_PM1_CNT_SLP_EN;
    pm->sci_ignores_sci_en = cfg->sci_ignores_sci_en;
    pm->tmr_sts_at_reset = cfg->tmr_sts_at_reset;
    pm->ops = ops;
    pm->opaque = opaque;
    timer_init(&pm->tmr, owner, clock, acpi_pm_timer_cb, pm);
    mr_init_io(&pm->evt_io, owner, whole ? &acpi_pm_evt_whole_ops : &acpi_pm_evt_ops, pm,
               "acpi-evt", ACPI_PM1_EVT_LEN);
    mr_init_io(&pm->cnt_io, owner, whole ? &acpi_pm_cnt_whole_ops : &acpi_pm_cnt_ops, pm,
               "acpi-cnt", ACPI_PM1_CNT_LEN);
    mr_init_io(&pm->tmr_io, owner, whole ? &acpi_pm_tmr_whole_ops : &acpi_pm_tmr_ops, pm,
               "acpi-tmr", ACPI_PM_TMR_LEN);
    mr_init_io(&pm->gpe_io, owner, &acpi_pm_gpe_ops, pm, "acpi-gpe0", 2 * cfg->gpe_len);
    mr_add_subregion(pm1_container, ACPI_PM1_EVT_OFF, &pm->evt_io);
    mr_add_subregion(pm1_container, ACPI_PM1_CNT_OFF, &pm->cnt_io);
    mr_add_subregion(pm1_container, ACPI_PM_TMR_OFF, &pm->tmr_io);
}
