/* SPDX-License-Identifier: MIT */
/*
 * Intel 82371AB PIIX4 function 3, power management (datasheet order 290562,
 * sections 7.1 and 11.5), as QEMU 7.2's pc has it at 01.3 ("PIIX4_PM"): the
 * configuration space QEMU leaves at reset, the ACPI block at PMBA (PM1
 * status/enable/control and the PM timer; hw/acpi/acpi-pm.c) once PMREGMISC
 * enables it, the SCI on IRQ 9, the APM ports 0xb2/0xb3 (writing 0xf1/0xf0
 * to 0xb2 sets/clears SCI_EN, what QEMU's SMI handler stand-in does), QEMU's
 * 4-byte GPE0 block at 0xafe0, sleep requests, and the SMBus host at SMBBA
 * (hw/i2c/pm_smbus.c) with its interrupt on IRQ 9 when SMBHSTCFG selects it.
 * Left out: the PIIX4 registers past the timer (GPSTS, GLBSTS, DEVCTL...),
 * which QEMU lacks and its ACPI tables never name, and SMI# (no CPU).
 * QEMU's PCI and CPU hotplug registers (0xae00, 0xaf00) read as QEMU's
 * with nothing plugged; nothing here is ever hot-plugged or ejected.
 */
#include "hw/acpi/piix4.h"

#include <string.h>

#include "emu/log.h"
#include "emu/pci.h"
#include "hw/acpi/acpi-pm.h"
#include "hw/devices.h"
#include "hw/i2c/pm_smbus.h"
#include "hw/i2c/smbus-eeprom.h"

/* Identity */
#define PIIX4_PM_VENDOR_ID 0x8086
#define PIIX4_PM_DEVICE_ID 0x7113
#define PIIX4_PM_REVISION  0x03
#define PIIX4_PM_CLASS     0x0680       /* bridge, other */

/* Configuration registers (section 7.1) */
#define PIIX4_PMBA         0x40         /* PM base: bits 15:6; bit 0 reads 1 */
#define  PIIX4_PMBA_MASK       0xffc0
#define PIIX4_DEVRESA_3    0x5f         /* machine-ready bytes, as QEMU */
#define PIIX4_DEVRESB_3    0x63
#define PIIX4_DEVRESC_3    0x67
#define PIIX4_PMREGMISC    0x80
#define  PIIX4_PMIOSE          0x01     /* PM I/O space enable */
#define PIIX4_SMBBA        0x90         /* SMBus base: bits 15:4; bit 0 reads 1 */
#define  PIIX4_SMBBA_MASK      0xfff0
#define PIIX4_SMBHSTCFG    0xd2
#define  PIIX4_SMB_HST_EN      0x01
#define  PIIX4_SMB_INTRSEL     0x0e
#define  PIIX4_SMB_INTRSEL_IRQ9 0x08    /* 100b: IRQ 9; 000b: SMI# */
#define PIIX4_IO_SPACE_IND 0x01         /* bit 0 of PMBA and SMBBA */

/* Fixed I/O and wiring (QEMU 7.2's pc) */
#define PIIX4_APM_PORT     0xb2         /* APMC; APMS at 0xb3 */
#define PIIX4_APM_LEN      2
#define PIIX4_GPE_PORT     0xafe0
#define PIIX4_GPE_HALF     2
#define PIIX4_PM_IO_LEN    64
#define PIIX4_SMB_BASE     0xb100
#define PIIX4_SCI_IRQ      9
#define PIIX4_PCIHP_PORT   0xae00       /* QEMU's ACPI PCI hotplug registers */
#define PIIX4_PCIHP_LEN    0x18
#define  PIIX4_PCIHP_RMV       0x0c     /* removable slots of the selected bus */
#define  PIIX4_PCIHP_SEL       0x10     /* bus select (bsel) */
#define  PIIX4_PCIHP_BUSES     256
#define  PIIX4_PCIHP_FIXED     0x3      /* slots 0 and 1: the chipset's */
#define PIIX4_CPUHP_PORT   0xaf00       /* QEMU's legacy CPU hotplug bitmap */
#define PIIX4_CPUHP_LEN    0x20
#define PIIX4_EEPROMS      8
#define PIIX4_EEPROM_ADDR  0x50

/* APMC commands QEMU's ACPI tables name (FADT ACPI_ENABLE/ACPI_DISABLE) */
#define PIIX4_APM_ACPI_ENABLE  0xf1
#define PIIX4_APM_ACPI_DISABLE 0xf0

/* PMEN and PMCNTRL bits PIIX4 has (section 11.5.2) */
#define PIIX4_PM1_EN_MASK  (ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | ACPI_PM1_RTC)
#define PIIX4_PM1_CNT_MASK (ACPI_PM1_CNT_SCI_EN | ACPI_PM1_CNT_BM_RLD | ACPI_PM1_CNT_SLP_TYP)

/* Sleep types as QEMU's DSDT declares them (\_S3 1, \_S4 2, \_S5 0). */
#define PIIX4_SLP_SOFT_OFF 0
#define PIIX4_SLP_S3       1
#define PIIX4_SLP_S4       2

typedef struct PIIX4PMState {
    PCIDevice pci;
    AcpiPM acpi;
    PMSMBus smb;
    uint8_t apmc;
    uint8_t apms;
    bool suspended;             /* in S3, waiting for a wake event */
    uint16_t wake_sts;          /* PM1 status the resume (the next reset) sets */
    uint8_t devres[3];          /* 0x5f, 0x63, 0x67 at machine-ready */
    uint32_t pcihp_sel;
    MemoryRegion pm_io;         /* "piix4-pm", the PM1 registers inside */
    MemoryRegion apm_io;
    MemoryRegion pcihp_io;
    MemoryRegion cpuhp_io;
    IRQ *sci_irq;
    Machine *machine;
} PIIX4PMState;

/* ---- Interrupt: SCI and the SMBus on IRQ 9 ----------------------------- */

static void piix4_pm_update_irq(PIIX4PMState *s)
{
    bool smb = s->smb.irq && (s->pci.config[PIIX4_SMBHSTCFG] & PIIX4_SMB_INTRSEL) ==
                             PIIX4_SMB_INTRSEL_IRQ9;

    irq_set(s->sci_irq, acpi_pm_sci_level(&s->acpi) || smb);
}

static void piix4_pm_sci_update(void *opaque)
{
    piix4_pm_update_irq(opaque);
}

static void piix4_pm_smb_irq(void *opaque, bool level)
{
    piix4_pm_update_irq(opaque);
}

/* ---- Sleep ------------------------------------------------------------- */

/* SLP_EN. On qtest QEMU 7.2 exits for soft-off and S4 and suspends for S3;
 * here soft-off and S4 are a power cycle (a machine reset: the process
 * never exits), S3 waits for a wake event. Other types do nothing. */
static void piix4_pm_sleep(void *opaque, unsigned typ)
{
    PIIX4PMState *s = opaque;

    switch (typ) {
    case PIIX4_SLP_SOFT_OFF:
    case PIIX4_SLP_S4:
        machine_request_reset(s->machine);
        break;
    case PIIX4_SLP_S3:
        s->suspended = true;
        break;
    default:
        guest_error("PIIX4_PM: sleep type %u has no state on this machine", typ);
        break;
    }
}

/* The PM timer's overflow with TMR_EN wakes an S3 sleep: the machine
 * resumes through a reset, WAK_STS and TMR_STS set (ACPI 6.4 section
 * 4.8.2.1; QEMU's wake-up notifier sets the same two). */
static void piix4_pm_timer_wake(void *opaque)
{
    PIIX4PMState *s = opaque;

    if (s->suspended) {
        s->suspended = false;
        s->wake_sts = ACPI_PM1_WAK_STS | ACPI_PM1_TMR;
        machine_request_reset(s->machine);
    }
}

/* The ACPI reading: PIIX4's own enable and control bits, SCI_EN obeyed. */
static const AcpiPMConfig piix4_pm_acpi_cfg = {
    .gpe_len = PIIX4_GPE_HALF,
    .en_mask = PIIX4_PM1_EN_MASK,
    .cnt_mask = PIIX4_PM1_CNT_MASK,
};

static const AcpiPMOps piix4_pm_acpi_ops = {
    .sci_update = piix4_pm_sci_update,
    .sleep = piix4_pm_sleep,
    .timer_wake = piix4_pm_timer_wake,
};

/* ---- APM control and status ports -------------------------------------- */

static uint64_t piix4_apm_read(void *opaque, uint64_t addr, unsigned size)
{
    PIIX4PMState *s = opaque;

    return addr ? s->apms : s->apmc;
}

/* A write to APMC raises SMI# on PIIX4; no CPU takes it here. What the
 * firmware's handler would do for ACPI enable/disable is done at once. */
static void piix4_apm_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PIIX4PMState *s = opaque;

    if (addr) {
        s->apms = (uint8_t)val;
        return;
    }
    s->apmc = (uint8_t)val;
    if (val == PIIX4_APM_ACPI_ENABLE || val == PIIX4_APM_ACPI_DISABLE) {
        acpi_pm_set_sci_enable(&s->acpi, val == PIIX4_APM_ACPI_ENABLE);
    }
}

static const MemoryRegionOps piix4_apm_ops = {
    .read = piix4_apm_read,
    .write = piix4_apm_write,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 1, .max_access_size = 1},
};

/* ---- QEMU's hotplug registers (read-only here) -------------------------- */

/* QEMU 7.2's PCI hotplug block (its docs/specs/acpi_pci_hotplug.rst): up,
 * down and eject bitmaps (0: nothing is plugged or ejected here), the
 * removable slots of the bus SEL selects (every slot but the chipset's on
 * bus 0, all of them for the other bus numbers QEMU keeps, none past
 * them), SEL, the ACPI index (0). Only aligned dwords are decoded. */
static uint64_t piix4_pcihp_read(void *opaque, uint64_t addr, unsigned size)
{
    PIIX4PMState *s = opaque;

    switch (addr) {
    case PIIX4_PCIHP_RMV:
        if (s->pcihp_sel >= PIIX4_PCIHP_BUSES) {
            return 0;
        }
        return s->pcihp_sel ? 0xffffffffu : (uint32_t)~PIIX4_PCIHP_FIXED;
    case PIIX4_PCIHP_SEL:
        return s->pcihp_sel;
    default:
        return 0;
    }
}

static void piix4_pcihp_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PIIX4PMState *s = opaque;

    if (addr == PIIX4_PCIHP_SEL) {
        s->pcihp_sel = (uint32_t)val;
    } else {
        guest_error("PIIX4_PM: PCI hotplug write 0x%x at 0x%x: nothing to eject",
                    (unsigned)val, (unsigned)addr);
    }
}

static const MemoryRegionOps piix4_pcihp_ops = {
    .read = piix4_pcihp_read,
    .write = piix4_pcihp_write,
    .valid = {.min_access_size = 4, .max_access_size = 4},
    .impl = {.min_access_size = 4, .max_access_size = 4},
};

/* QEMU's legacy CPU hotplug bitmap: CPU 0 present. Its switch to the
 * modern interface (a write of 0 at offset 0) is left out. */
static uint64_t piix4_cpuhp_read(void *opaque, uint64_t addr, unsigned size)
{
    return addr == 0 ? 0x01 : 0x00;
}

static void piix4_cpuhp_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    guest_error("PIIX4_PM: CPU hotplug write 0x%x at 0x%x ignored", (unsigned)val,
                (unsigned)addr);
}

static const MemoryRegionOps piix4_cpuhp_ops = {
    .read = piix4_cpuhp_read,
    .write = piix4_cpuhp_write,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 1, .max_access_size = 1},
};

/* ---- Configuration space ------------------------------------------------ */

/* The PM block at PMBA while PMIOSE is set (section 7.1.11, 7.1.24). */
static void piix4_pm_io_update(PIIX4PMState *s)
{
    const uint8_t *c = s->pci.config;

    mr_set_address(&s->pm_io, pci_get_word(c + PIIX4_PMBA) & PIIX4_PMBA_MASK);
    mr_set_enabled(&s->pm_io, c[PIIX4_PMREGMISC] & PIIX4_PMIOSE);
}

/* The SMBus registers at SMBBA while SMB_HST_EN is set (7.1.25, 7.1.26). */
static void piix4_smb_io_update(PIIX4PMState *s)
{
    const uint8_t *c = s->pci.config;

    mr_set_address(&s->smb.io, pci_get_word(c + PIIX4_SMBBA) & PIIX4_SMBBA_MASK);
    mr_set_enabled(&s->smb.io, c[PIIX4_SMBHSTCFG] & PIIX4_SMB_HST_EN);
}

static bool piix4_range_hits(uint32_t addr, unsigned len, uint32_t reg, unsigned n)
{
    return addr < reg + n && addr + len > reg;
}

static void piix4_pm_config_write(PCIDevice *d, uint32_t addr, uint32_t val, unsigned len)
{
    PIIX4PMState *s = (PIIX4PMState *)d;

    pci_default_write_config(d, addr, val, len);
    if (piix4_range_hits(addr, len, PIIX4_PMBA, 2) ||
        piix4_range_hits(addr, len, PIIX4_PMREGMISC, 1)) {
        piix4_pm_io_update(s);
    }
    if (piix4_range_hits(addr, len, PIIX4_SMBBA, 2) ||
        piix4_range_hits(addr, len, PIIX4_SMBHSTCFG, 1)) {
        piix4_smb_io_update(s);
        piix4_pm_update_irq(s);
    }
}

/* Writable bits of the base and enable registers (the rest of 0x40-0xff
 * stays writable as QEMU has it). */
static void piix4_pm_set_wmask(PIIX4PMState *s)
{
    uint8_t *w = s->pci.wmask;

    pci_set_long(w + PIIX4_PMBA, PIIX4_PMBA_MASK);
    w[PIIX4_PMREGMISC] = PIIX4_PMIOSE;
    pci_set_long(w + PIIX4_SMBBA, PIIX4_SMBBA_MASK);
    w[PIIX4_SMBHSTCFG] = PIIX4_SMB_HST_EN | PIIX4_SMB_INTRSEL;
}

/* ---- Reset, realize ----------------------------------------------------- */

/* QEMU 7.2's values: PMBA 1 (I/O indicator), PM space off, SMBus at
 * 0xb100 and on with IRQ 9 selected (0x09), the machine-ready bytes. */
static void piix4_pm_reset(Object *obj)
{
    PIIX4PMState *s = (PIIX4PMState *)obj;
    uint8_t *c = s->pci.config;

    pci_device_reset(&s->pci);
    memset(c + PCI_CONFIG_HEADER_SIZE, 0, PCI_CONFIG_SPACE_SIZE - PCI_CONFIG_HEADER_SIZE);
    pci_set_long(c + PIIX4_PMBA, PIIX4_IO_SPACE_IND);
    c[PIIX4_DEVRESA_3] = s->devres[0];
    c[PIIX4_DEVRESB_3] = s->devres[1];
    c[PIIX4_DEVRESC_3] = s->devres[2];
    pci_set_long(c + PIIX4_SMBBA, PIIX4_SMB_BASE | PIIX4_IO_SPACE_IND);
    c[PIIX4_SMBHSTCFG] = PIIX4_SMB_HST_EN | PIIX4_SMB_INTRSEL_IRQ9;
    acpi_pm_reset(&s->acpi);
    s->acpi.pm1_sts = s->wake_sts;
    s->wake_sts = 0;
    s->suspended = false;
    pm_smbus_reset(&s->smb);
    s->apmc = 0;
    s->apms = 0;
    s->pcihp_sel = 0;
    piix4_pm_io_update(s);
    piix4_smb_io_update(s);
    piix4_pm_update_irq(s);
}

static void piix4_pm_init(Object *obj)
{
    PIIX4PMState *s = (PIIX4PMState *)obj;

    pci_device_init(&s->pci);
    s->pci.devfn = PCI_DEVFN(1, 3);
}

static bool piix4_pm_realize(Object *obj, Machine *m, char **errp)
{
    static const PCIDeviceInfo info = {
        .vendor_id = PIIX4_PM_VENDOR_ID,
        .device_id = PIIX4_PM_DEVICE_ID,
        .revision = PIIX4_PM_REVISION,
        .class_id = PIIX4_PM_CLASS,
        .status = PCI_STATUS_FAST_BACK | PCI_STATUS_DEVSEL_MEDIUM,
        .interrupt_pin = 1,
    };
    PIIX4PMState *s = (PIIX4PMState *)obj;

    if (!pci_realize_common(&s->pci, m->pci_bus, &info, NULL, errp)) {
        return false;
    }
    s->machine = m;
    s->sci_irq = m->isa_irq[PIIX4_SCI_IRQ];
    s->pci.config_write = piix4_pm_config_write;
    piix4_pm_set_wmask(s);
    mr_init_container(&s->pm_io, obj, "piix4-pm", PIIX4_PM_IO_LEN);
    acpi_pm_init(&s->acpi, obj, &m->clock, &s->pm_io, &piix4_pm_acpi_cfg, &piix4_pm_acpi_ops, s);
    pm_smbus_init(&s->smb, obj, &m->clock, PM_SMBUS_PIIX4, PM_SMBUS_RUN_BH, piix4_pm_smb_irq,
                  s);
    mr_set_enabled(&s->pm_io, false);
    mr_add_subregion(&m->sysio, 0, &s->pm_io);
    mr_set_enabled(&s->smb.io, false);
    mr_add_subregion(&m->sysio, PIIX4_SMB_BASE, &s->smb.io);
    mr_add_subregion(&m->sysio, PIIX4_GPE_PORT, &s->acpi.gpe_io);
    mr_init_io(&s->apm_io, obj, &piix4_apm_ops, s, "apm-io", PIIX4_APM_LEN);
    mr_add_subregion(&m->sysio, PIIX4_APM_PORT, &s->apm_io);
    mr_init_io(&s->pcihp_io, obj, &piix4_pcihp_ops, s, "acpi-pci-hotplug", PIIX4_PCIHP_LEN);
    mr_add_subregion(&m->sysio, PIIX4_PCIHP_PORT, &s->pcihp_io);
    mr_init_io(&s->cpuhp_io, obj, &piix4_cpuhp_ops, s, "acpi-cpu-hotplug", PIIX4_CPUHP_LEN);
    mr_add_subregion(&m->sysio, PIIX4_CPUHP_PORT, &s->cpuhp_io);
    return true;
}

/* ---- Board -------------------------------------------------------------- */

static PIIX4PMState *piix4_pm_find(Machine *m)
{
    for (unsigned i = 0; i < m->nr_devices; i++) {
        if (object_is_a(m->devices[i], TYPE_PIIX4_PM)) {
            return (PIIX4PMState *)m->devices[i];
        }
    }
    return NULL;
}

static bool piix4_io_present(Machine *m, uint16_t port)
{
    const FlatRange *r = as_lookup(&m->as_io, port);

    return r && r->mr != &m->sysio;
}

/* QEMU's piix4_pm_machine_ready: 0x5f bit 7 for a parallel port at 0x378,
 * 0x67 bit 3 for a UART at 0x3f8, bits 7 and 4 for one at 0x2f8. */
void piix4_pm_machine_ready(Machine *m)
{
    PIIX4PMState *s = piix4_pm_find(m);

    if (!s) {
        return;
    }
    s->devres[0] = 0x10 | (piix4_io_present(m, 0x378) ? 0x80 : 0);
    s->devres[1] = 0x60;
    s->devres[2] = (piix4_io_present(m, 0x3f8) ? 0x08 : 0) |
                   (piix4_io_present(m, 0x2f8) ? 0x90 : 0);
}

bool piix4_pm_board_init(Machine *m, char **errp)
{
    Object *pm = machine_new_device(m, TYPE_PIIX4_PM, NULL, NULL, errp);

    if (!pm || !object_set_prop(pm, "addr", "1.3", errp) ||
        !machine_realize_device(m, pm, errp)) {
        return false;
    }
    for (unsigned i = 0; i < PIIX4_EEPROMS; i++) {
        char addr[8];
        Object *e = machine_new_device(m, TYPE_SMBUS_EEPROM, NULL, NULL, errp);

        g_snprintf(addr, sizeof(addr), "0x%x", PIIX4_EEPROM_ADDR + i);
        if (!e || !object_set_prop(e, "address", addr, errp) ||
            !machine_realize_device(m, e, errp)) {
            return false;
        }
    }
    return true;
}

static const Property piix4_pm_props[] = {
    PCI_DEVICE_PROP_ADDR(PIIX4PMState, pci),
    {.name = NULL},
};

const TypeInfo piix4_pm_type = {
    .name = TYPE_PIIX4_PM,
    .parent = "pci-device",
    .desc = "PIIX4 power management: ACPI PM block, PM timer, SCI, SMBus host",
    OBJECT_INSTANCE(PIIX4PMState),
    .props = piix4_pm_props,
    .init = piix4_pm_init,
    .realize = piix4_pm_realize,
    .reset = piix4_pm_reset,
};
