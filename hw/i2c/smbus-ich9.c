/* SPDX-License-Identifier: MIT */
/*
 * ICH9 SMBus controller, 00:1f.3 (ICH9 datasheet, order 319973, chapter
 * 17 and 12.x SMBus registers), as QEMU 7.2's "ICH9-SMB": its SMBus
 * segment ("i2c", hw/i2c/smbus.h, where the board puts QEMU's eight SPD
 * EEPROMs) and a minimal i801 host controller: quick, byte, byte data,
 * word data and block commands built from the bus's primitives, run when
 * START is written with INTREN or, polled, at the status read after it
 * (as QEMU's pm_smbus for i801); INTR or DEV_ERR in HST_STS, an interrupt
 * with INTREN. Left out: process calls, I2C read, PEC, the slave
 * interface, SMBALERT, KILL mid-transfer, the byte-by-byte block mode.
 * PIIX4's engine (hw/i2c/pm_smbus.c) runs its commands from a bottom half
 * and has PIIX4's 16 ports: merging the two is left for later.
 */
#include "hw/i2c/smbus-ich9.h"

#include <string.h>

#include "emu/log.h"
#include "emu/machine.h"
#include "emu/pci.h"
#include "hw/devices.h"
#include "hw/i2c/smbus.h"

/* Identity (1f.3) */
#define ICH9_SMB_VENDOR_ID  0x8086
#define ICH9_SMB_DEVICE_ID  0x2930
#define ICH9_SMB_REVISION   0x02
#define ICH9_SMB_DEVFN      PCI_DEVFN(0x1f, 3)
#define ICH9_SMB_BAR        4
#define ICH9_SMB_IO_SIZE    64       /* QEMU's pm-smbus region */

/* Config: host configuration (17.1.x HOSTC) */
#define ICH9_SMB_HOSTC      0x40
#define  ICH9_SMB_HOSTC_HST_EN 0x01
#define  ICH9_SMB_HOSTC_I2C_EN 0x04
#define  ICH9_SMB_HOSTC_SSRESET 0x08  /* soft reset of the host: reads 0 */

/* I/O registers (17.2) */
#define SMB_HST_STS         0x00
#define  SMB_STS_HOST_BUSY  0x01
#define  SMB_STS_INTR       0x02
#define  SMB_STS_DEV_ERR    0x04
#define  SMB_STS_BUS_ERR    0x08
#define  SMB_STS_FAILED     0x10
#define  SMB_STS_INUSE      0x40
#define  SMB_STS_BYTE_DONE  0x80
#define SMB_HST_CNT         0x02
#define  SMB_CNT_INTREN     0x01
#define  SMB_CNT_KILL       0x02
#define  SMB_CNT_CMD(v)     (((v) >> 2) & 7)
#define  SMB_CNT_START      0x40
#define SMB_HST_CMD         0x03
#define SMB_XMIT_SLVA       0x04
#define  SMB_SLVA_READ      0x01
#define SMB_HST_D0          0x05
#define SMB_HST_D1          0x06
#define SMB_BLOCK_DB        0x07
#define SMB_AUX_CTL         0x0d

/* SMB_CMD encodings */
enum { SMB_QUICK, SMB_BYTE, SMB_BYTE_DATA, SMB_WORD_DATA, SMB_PROC_CALL,
       SMB_BLOCK, SMB_I2C_READ, SMB_BLOCK_PROC };

/* Limits */
#define SMB_BLOCK_MAX       SMBUS_BLOCK_MAX

typedef struct ICH9SMBState {
    PCIDevice pci;
    uint8_t sts, cnt, cmd, slva, d0, d1, aux_ctl;
    uint8_t block[SMB_BLOCK_MAX];
    uint8_t block_idx;
    bool start_on_sts_read;      /* a polled command waits for HST_STS */
    MemoryRegion io;             /* "pm-smbus", BAR4 */
    SMBusBus *bus;               /* "i2c" */
} ICH9SMBState;

/* ---------------------------------------------------------------------- */
/* Host commands                                                           */

static void smb_update_irq(ICH9SMBState *s)
{
    bool level = (s->cnt & SMB_CNT_INTREN) &&
                 (s->sts & (SMB_STS_INTR | SMB_STS_DEV_ERR | SMB_STS_FAILED));

    pci_set_irq(&s->pci, level);
}

/* SMBus 2.0 block write/read (5.5.7): the command, the byte count, the
 * bytes; a read's count comes from the device (capped at 32). */
static void smb_block_transfer(ICH9SMBState *s, SMBusDevice *d, bool read)
{
    if (read) {
        smbus_dev_write(d, &s->cmd, 1);
        uint8_t count = smbus_dev_read(d);
        s->d0 = MIN(count, SMB_BLOCK_MAX);
        for (unsigned i = 0; i < s->d0; i++) {
            s->block[i] = smbus_dev_read(d);
        }
        return;
    }
    uint8_t buf[2 + SMB_BLOCK_MAX];
    unsigned n = MIN(s->d0, SMB_BLOCK_MAX);
    buf[0] = s->cmd;
    buf[1] = n;
    memcpy(buf + 2, s->block, n);
    smbus_dev_write(d, buf, 2 + n);
}

/* One command to the slave in XMIT_SLVA; false: nobody acknowledged. */
static bool smb_run(ICH9SMBState *s, unsigned cmd)
{
    SMBusDevice *d = smbus_lookup(s->bus, s->slva >> 1);
    bool read = s->slva & SMB_SLVA_READ;
    uint8_t buf[3] = { s->cmd, s->d0, s->d1 };

    if (!d) {
        return false;
    }
    switch (cmd) {
    case SMB_QUICK:
        smbus_dev_quick(d, read);
        break;
    case SMB_BYTE:
        if (read) {
            s->d0 = smbus_dev_read(d);
        } else {
            smbus_dev_write(d, buf, 1);
        }
        break;
    case SMB_BYTE_DATA:
    case SMB_WORD_DATA:
        if (!read) {
            smbus_dev_write(d, buf, cmd == SMB_WORD_DATA ? 3 : 2);
            break;
        }
        smbus_dev_write(d, buf, 1);
        s->d0 = smbus_dev_read(d);
        if (cmd == SMB_WORD_DATA) {
            s->d1 = smbus_dev_read(d);
        }
        break;
    case SMB_BLOCK:
        smb_block_transfer(s, d, read);
        break;
    default:
        guest_error("ich9-smb: SMB_CMD %u not supported", cmd);
        s->sts |= SMB_STS_FAILED;
        return true;
    }
    s->sts |= SMB_STS_INTR;
    return true;
}

static void smb_execute(ICH9SMBState *s)
{
    s->block_idx = 0;
    if (!smb_run(s, SMB_CNT_CMD(s->cnt))) {
        s->sts |= SMB_STS_DEV_ERR;
    }
    smb_update_irq(s);
}

/* As QEMU 7.2's pm_smbus: without INTREN the driver polls, so the command
 * reads HOST_BUSY once and runs when that status read is done. */
static void smb_start(ICH9SMBState *s)
{
    if (!(s->pci.config[ICH9_SMB_HOSTC] & ICH9_SMB_HOSTC_HST_EN)) {
        guest_error("ich9-smb: START with HOSTC.HST_EN clear");
        return;
    }
    if (s->cnt & SMB_CNT_INTREN) {
        smb_execute(s);
        return;
    }
    s->sts |= SMB_STS_HOST_BUSY;
    s->start_on_sts_read = true;
}

static uint8_t smb_read_sts(ICH9SMBState *s)
{
    uint8_t val = s->sts;

    if (s->start_on_sts_read) {
        s->start_on_sts_read = false;
        s->sts &= ~SMB_STS_HOST_BUSY;
        smb_execute(s);
    }
    return val;
}

/* ---------------------------------------------------------------------- */
/* I/O registers                                                           */

static uint64_t smb_io_read(void *opaque, uint64_t addr, unsigned size)
{
    ICH9SMBState *s = opaque;

    switch (addr) {
    case SMB_HST_STS:
        return smb_read_sts(s);
    case SMB_HST_CNT:
        s->block_idx = 0;
        return s->cnt & ~SMB_CNT_START;
    case SMB_HST_CMD:
        return s->cmd;
    case SMB_XMIT_SLVA:
        return s->slva;
    case SMB_HST_D0:
        return s->d0;
    case SMB_HST_D1:
        return s->d1;
    case SMB_BLOCK_DB:
        return s->block[s->block_idx++ % SMB_BLOCK_MAX];
    case SMB_AUX_CTL:
        return s->aux_ctl;
    default:
        return 0;
    }
}

static void smb_io_write(void *opaque, uint64_t addr, uint64_t val,
                         unsigned size)
{
    ICH9SMBState *s = opaque;

    switch (addr) {
    case SMB_HST_STS:
        s->sts &= ~(val & ~SMB_STS_HOST_BUSY);
        smb_update_irq(s);
        break;
    case SMB_HST_CNT:
        s->cnt = val & ~(SMB_CNT_START | SMB_CNT_KILL);
        if (val & SMB_CNT_KILL) {
            s->sts |= SMB_STS_FAILED;
            smb_update_irq(s);
        } else if (val & SMB_CNT_START) {
            smb_start(s);
        } else {
            smb_update_irq(s);
        }
        break;
    case SMB_HST_CMD:
        s->cmd = val;
        break;
    case SMB_XMIT_SLVA:
        s->slva = val;
        break;
    case SMB_HST_D0:
        s->d0 = val;
        break;
    case SMB_HST_D1:
        s->d1 = val;
        break;
    case SMB_BLOCK_DB:
        s->block[s->block_idx++ % SMB_BLOCK_MAX] = val;
        break;
    case SMB_AUX_CTL:
        s->aux_ctl = val & 0x3;
        break;
    default:
        guest_error("ich9-smb: write of 0x%x to register 0x%x ignored",
                    (unsigned)val, (unsigned)addr);
        break;
    }
}

static const MemoryRegionOps smb_io_ops = {
    .read = smb_io_read,
    .write = smb_io_write,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

/* ---------------------------------------------------------------------- */
/* Config, reset, realize                                                  */

/* Once HOSTC is written, the I/O window decodes only with HST_EN set and
 * I2C_EN clear; before, it decodes (QEMU 7.2 enables it at realize). */
static void smb_update_hostc(ICH9SMBState *s)
{
    uint8_t hostc = s->pci.config[ICH9_SMB_HOSTC];

    mr_set_enabled(&s->io, (hostc & ICH9_SMB_HOSTC_HST_EN) &&
                           !(hostc & ICH9_SMB_HOSTC_I2C_EN));
}

/* SSRESET puts the host controller's registers back and clears itself. */
static void smb_host_reset(ICH9SMBState *s)
{
    s->sts = s->cnt = s->cmd = s->slva = s->d0 = s->d1 = s->aux_ctl = 0;
    memset(s->block, 0, sizeof(s->block));
    s->block_idx = 0;
    s->start_on_sts_read = false;
    smb_update_irq(s);
}

static void smb_config_write(PCIDevice *d, uint32_t addr, uint32_t val,
                             unsigned len)
{
    ICH9SMBState *s = (ICH9SMBState *)d;

    pci_default_write_config(d, addr, val, len);
    if (addr <= ICH9_SMB_HOSTC && addr + len > ICH9_SMB_HOSTC) {
        if (d->config[ICH9_SMB_HOSTC] & ICH9_SMB_HOSTC_SSRESET) {
            d->config[ICH9_SMB_HOSTC] &= ~ICH9_SMB_HOSTC_SSRESET;
            smb_host_reset(s);
        }
        smb_update_hostc(s);
    }
}

static void smb_reset(Object *obj)
{
    ICH9SMBState *s = (ICH9SMBState *)obj;

    pci_device_reset(&s->pci);
    s->pci.config[ICH9_SMB_HOSTC] = 0;
    smb_host_reset(s);
    mr_set_enabled(&s->io, true);
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

    mr_init_io(&s->io, obj, &smb_io_ops, s, "pm-smbus", ICH9_SMB_IO_SIZE);
    const PCIBARInfo bars[] = {
        { &s->io, ICH9_SMB_BAR, PCI_BASE_ADDRESS_SPACE_IO },
        { NULL, 0, 0 },
    };
    if (!pci_realize_common(&s->pci, m->pci_bus, &info, bars, errp)) {
        return false;
    }
    s->pci.config_write = smb_config_write;
    s->bus = smbus_bus_new(obj);
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
