/* SPDX-License-Identifier: MIT */
/*
 * ICH9 SMBus controller, 00:1f.3 (ICH9 datasheet, order 319973, chapter
 * 17), as QEMU 7.2's "ICH9-SMB": its SMBus segment ("i2c", hw/i2c/smbus.h,
 * where the board puts QEMU's eight SPD EEPROMs) and the host controller
 * engine PIIX4 uses too (hw/i2c/pm_smbus.c) with ICH9's registers (AUX_CTL,
 * the 32-byte block buffer) and QEMU's i801 timing: a command runs when
 * START is written with INTREN or, polled, at the status read after it.
 * This file is the PCI function: BAR4, HOSTC (HST_EN, I2C_EN, SSRESET),
 * INTA.
 */
#include "hw/i2c/smbus-ich9.h"

#include "emu/log.h"
#include "emu/machine.h"
#include "emu/pci.h"
#include "hw/devices.h"
#include "hw/i2c/pm_smbus.h"

/* Identity (1f.3) */
#define ICH9_SMB_VENDOR_ID  0x8086
#define ICH9_SMB_DEVICE_ID  0x2930
#define ICH9_SMB_REVISION   0x02
#define ICH9_SMB_DEVFN      PCI_DEVFN(0x1f, 3)
#define ICH9_SMB_BAR        4

/* Config: host configuration (17.1.x HOSTC) */
#define ICH9_SMB_HOSTC      0x40
#define  ICH9_SMB_HOSTC_HST_EN 0x01
#define  ICH9_SMB_HOSTC_I2C_EN 0x04
#define  ICH9_SMB_HOSTC_SSRESET 0x08  /* soft reset of the host: reads 0 */

typedef struct ICH9SMBState {
    PCIDevice pci;
    PMSMBus smb;                 /* "pm-smbus" (BAR4), the bus "i2c" */
} ICH9SMBState;

static void smb_set_irq(void *opaque, bool level)
{
    ICH9SMBState *s = opaque;

    pci_set_irq(&s->pci, level);
}

/* ---------------------------------------------------------------------- */
/* Config, reset, realize                                                  */

/* Once HOSTC is written, the I/O window decodes only with HST_EN set and
 * I2C_EN clear; before, it decodes (QEMU 7.2 enables it at realize). */
static void smb_update_hostc(ICH9SMBState *s)
{
    uint8_t hostc = s->pci.config[ICH9_SMB_HOSTC];

    mr_set_enabled(&s->smb.io, (hostc & ICH9_SMB_HOSTC_HST_EN) &&
                               !(hostc & ICH9_SMB_HOSTC_I2C_EN));
    pm_smbus_set_host_off(&s->smb, !(hostc & ICH9_SMB_HOSTC_HST_EN));
}

static void smb_config_write(PCIDevice *d, uint32_t addr, uint32_t val,
                             unsigned len)
{
    ICH9SMBState *s = (ICH9SMBState *)d;

    pci_default_write_config(d, addr, val, len);
    if (addr <= ICH9_SMB_HOSTC && addr + len > ICH9_SMB_HOSTC) {
        if (d->config[ICH9_SMB_HOSTC] & ICH9_SMB_HOSTC_SSRESET) {
            /* SSRESET puts the host's registers back and clears itself. */
            d->config[ICH9_SMB_HOSTC] &= ~ICH9_SMB_HOSTC_SSRESET;
            pm_smbus_reset(&s->smb);
        }
        smb_update_hostc(s);
    }
}

static void smb_reset(Object *obj)
{
    ICH9SMBState *s = (ICH9SMBState *)obj;

    pci_device_reset(&s->pci);
    s->pci.config[ICH9_SMB_HOSTC] = 0;
    pm_smbus_reset(&s->smb);
    pm_smbus_set_host_off(&s->smb, true);
    mr_set_enabled(&s->smb.io, true);
}

static void smb_init(Object *obj)
{
    ICH9SMBState *s = (ICH9SMBState *)obj;

    pci_device_init(&s->pci);
    s->pci.devfn = ICH9_SMB_DEVFN;
}

static bool smb_realize(Object *obj, Machine *m, char **errp)
{
    static const PCIDeviceInfo info = {
        .vendor_id = ICH9_SMB_VENDOR_ID,
        .device_id = ICH9_SMB_DEVICE_ID,
        .revision = ICH9_SMB_REVISION,
        .class_id = PCI_CLASS_SERIAL_SMBUS,
        .header_type = PCI_HEADER_TYPE_MULTI_FUNCTION,
        .interrupt_pin = 1,
    };
    ICH9SMBState *s = (ICH9SMBState *)obj;

    pm_smbus_init(&s->smb, obj, &m->clock, PM_SMBUS_ICH9, PM_SMBUS_RUN_AT_POLL, smb_set_irq,
                  s);
    const PCIBARInfo bars[] = {
        { &s->smb.io, ICH9_SMB_BAR, PCI_BASE_ADDRESS_SPACE_IO },
        { NULL, 0, 0 },
    };
    if (!pci_realize_common(&s->pci, m->pci_bus, &info, bars, errp)) {
        return false;
    }
    s->pci.config_write = smb_config_write;
    smb_reset(obj);
    return true;
}

static const Property smb_props[] = {
    PCI_DEVICE_PROP_ADDR(ICH9SMBState, pci),
    { .name = NULL },
};

const TypeInfo ich9_smb_type = {
    .name = TYPE_ICH9_SMB,
    .parent = "pci-device",
    .desc = "SMBus: ICH9 SMBus host controller (1f.3)",
    OBJECT_INSTANCE(ICH9SMBState),
    .props = smb_props,
    .init = smb_init,
    .realize = smb_realize,
    .reset = smb_reset,
};
