/* SPDX-License-Identifier: MIT */
/*
 * PIIX4 SMBus host controller (82371AB datasheet, order 290562, section 7.3
 * and 11.5.4.1): quick, byte, byte data, word data and block protocols on
 * the SMBus below it, the 32-byte block array behind SMBBLKDAT with its
 * index pointer, KILL, completion and error status, the interrupt when
 * INTEREN is set. A transaction runs from a bottom half after the access
 * that set START; until then HOST_BUSY reads 1. The slave interface is
 * registers only: nothing on this bus masters it, so its status stays 0.
 * Left out: bus collisions and timeouts (the bus has no other master).
 */
#include "hw/i2c/pm_smbus.h"

#include <inttypes.h>
#include <string.h>

#include "emu/log.h"

/* Registers, by offset from SMBBA */
#define SMBHSTSTS  0x00
#define SMBSLVSTS  0x01
#define SMBHSTCNT  0x02
#define SMBHSTCMD  0x03
#define SMBHSTADD  0x04
#define SMBHSTDAT0 0x05
#define SMBHSTDAT1 0x06
#define SMBBLKDAT  0x07
#define SMBSLVCNT  0x08
#define SMBSHDWCMD 0x09
#define SMBSLVEVT  0x0a     /* 16 bits */
#define SMBSLVDAT  0x0c     /* 16 bits, read-only */

/* Host status: the W1C bits, each an interrupt source */
#define PM_SMBUS_STS_IRQ (PM_SMBUS_STS_INTER | PM_SMBUS_STS_DEV_ERR | \
                          PM_SMBUS_STS_BUS_ERR | PM_SMBUS_STS_FAILED)

/* Host control */
#define PM_SMBUS_CNT_INTEREN 0x01
#define PM_SMBUS_CNT_KILL    0x02
#define PM_SMBUS_CNT_PROT    0x1c
#define PM_SMBUS_CNT_PROT_SHIFT 2
#define PM_SMBUS_CNT_START   0x40
#define PM_SMBUS_CNT_MASK    0x1f   /* bits 7 and 5 are reserved */

/* SMB_CMD_PROT encodings; 100, 110 and 111 are reserved */
#define PM_SMBUS_PROT_QUICK     0
#define PM_SMBUS_PROT_BYTE      1
#define PM_SMBUS_PROT_BYTE_DATA 2
#define PM_SMBUS_PROT_WORD_DATA 3
#define PM_SMBUS_PROT_BLOCK     5

/* Slave registers */
#define PM_SMBUS_SLV_STS_W1C 0x3c   /* alert, shadow 2/1, slave status */
#define PM_SMBUS_SLV_CNT_MASK 0x0f

/* ---- Interrupt ---------------------------------------------------------- */

/* Section 7.3.2: an interrupt status bit with INTEREN set. */
static void pm_smbus_update_irq(PMSMBus *s)
{
    bool level = (s->hst_cnt & PM_SMBUS_CNT_INTEREN) && (s->hst_sts & PM_SMBUS_STS_IRQ);

    if (level != s->irq) {
        s->irq = level;
        s->set_irq(s->opaque, level);
    }
}

/* ---- Protocols ---------------------------------------------------------- */

static void pm_smbus_read_n(SMBusDevice *d, uint8_t *buf, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        buf[i] = smbus_dev_read(d);
    }
}

/* Block read (SMBus 2.0 section 5.5.7): the device sends the count, then
 * that many bytes; a count past the 32-byte array stops at 32. */
static void pm_smbus_block_read(PMSMBus *s, SMBusDevice *d)
{
    uint8_t cmd = s->hst_cmd, count;

    smbus_dev_write(d, &cmd, 1);
    count = smbus_dev_read(d);
    if (count > SMBUS_BLOCK_MAX) {
        guest_error("pm_smbus: block read of %u bytes stops at %u", count, SMBUS_BLOCK_MAX);
        count = SMBUS_BLOCK_MAX;
    }
    pm_smbus_read_n(d, s->blk, count);
    s->hst_dat0 = count;
}

/* Block write: command, the count from SMBHSTDAT0, the array's bytes. */
static bool pm_smbus_block_write(PMSMBus *s, SMBusDevice *d)
{
    uint8_t buf[2 + SMBUS_BLOCK_MAX];
    unsigned count = s->hst_dat0;

    if (count > SMBUS_BLOCK_MAX) {
        guest_error("pm_smbus: block write count %u past the 32-byte array", count);
        return false;
    }
    buf[0] = s->hst_cmd;
    buf[1] = (uint8_t)count;
    memcpy(buf + 2, s->blk, count);
    smbus_dev_write(d, buf, 2 + count);
    return true;
}

/* One protocol on an acknowledging device; false: an illegal command. */
static bool pm_smbus_protocol(PMSMBus *s, SMBusDevice *d, unsigned prot, bool read)
{
    uint8_t buf[3] = {s->hst_cmd, s->hst_dat0, s->hst_dat1};

    switch (prot) {
    case PM_SMBUS_PROT_QUICK:
        smbus_dev_quick(d, read);
        return true;
    case PM_SMBUS_PROT_BYTE:
        if (read) {
            s->hst_dat0 = smbus_dev_read(d);
        } else {
            smbus_dev_write(d, buf, 1);
        }
        return true;
    case PM_SMBUS_PROT_BYTE_DATA:
    case PM_SMBUS_PROT_WORD_DATA: {
        unsigned n = prot == PM_SMBUS_PROT_BYTE_DATA ? 1 : 2;
        if (!read) {
            smbus_dev_write(d, buf, 1 + n);
            return true;
        }
        smbus_dev_write(d, buf, 1);
        pm_smbus_read_n(d, buf + 1, n);
        s->hst_dat0 = buf[1];
        s->hst_dat1 = n == 2 ? buf[2] : s->hst_dat1;
        return true;
    }
    case PM_SMBUS_PROT_BLOCK:
        if (read) {
            pm_smbus_block_read(s, d);
            return true;
        }
        return pm_smbus_block_write(s, d);
    default:
        guest_error("pm_smbus: reserved protocol %u", prot);
        return false;
    }
}

/* The bottom half: the transaction START asked for. DEV_ERR for an
 * illegal command or an address nobody acknowledges (section 7.3.2). */
static void pm_smbus_run(void *opaque)
{
    PMSMBus *s = opaque;
    unsigned prot = (s->hst_cnt & PM_SMBUS_CNT_PROT) >> PM_SMBUS_CNT_PROT_SHIFT;
    SMBusDevice *d = smbus_lookup(s->bus, s->hst_add >> 1);
    bool ok = d && pm_smbus_protocol(s, d, prot, s->hst_add & 1);

    s->hst_sts &= ~PM_SMBUS_STS_HOST_BUSY;
    s->hst_sts |= ok ? PM_SMBUS_STS_INTER : PM_SMBUS_STS_DEV_ERR;
    s->blk_index = 0;
    pm_smbus_update_irq(s);
}

/* ---- Host control ------------------------------------------------------- */

/* Section 7.3.3: START is ignored while a transaction runs, while an
 * interrupt status bit is still set, and while KILL is set. */
static void pm_smbus_start(PMSMBus *s)
{
    if (s->hst_sts & (PM_SMBUS_STS_HOST_BUSY | PM_SMBUS_STS_IRQ)) {
        guest_error("pm_smbus: START ignored, host status 0x%02x", s->hst_sts);
        return;
    }
    s->hst_sts |= PM_SMBUS_STS_HOST_BUSY;
    s->blk_index = 0;
    bh_schedule(&s->bh);
}

/* KILL stops the transaction in progress and sets FAILED. */
static void pm_smbus_kill(PMSMBus *s)
{
    bh_cancel(&s->bh);
    s->hst_sts &= ~PM_SMBUS_STS_HOST_BUSY;
    s->hst_sts |= PM_SMBUS_STS_FAILED;
}

static void pm_smbus_write_cnt(PMSMBus *s, uint8_t val)
{
    s->hst_cnt = val & PM_SMBUS_CNT_MASK;
    if (val & PM_SMBUS_CNT_KILL) {
        pm_smbus_kill(s);
    } else if (val & PM_SMBUS_CNT_START) {
        pm_smbus_start(s);
    }
}

/* ---- Registers ---------------------------------------------------------- */

/* The array's index pointer moves on after each SMBBLKDAT access and is
 * set to 0 by a read of SMBHSTCNT (section 11.5.4.1). */
static uint8_t pm_smbus_blk_next(PMSMBus *s)
{
    uint8_t i = s->blk_index;

    s->blk_index = (uint8_t)((i + 1) % SMBUS_BLOCK_MAX);
    return i;
}

static uint64_t pm_smbus_io_read(void *opaque, uint64_t addr, unsigned size)
{
    PMSMBus *s = opaque;

    switch (addr) {
    case SMBHSTSTS:
        return s->hst_sts;
    case SMBSLVSTS:
        return s->slv_sts;
    case SMBHSTCNT:
        s->blk_index = 0;
        return s->hst_cnt;
    case SMBHSTCMD:
        return s->hst_cmd;
    case SMBHSTADD:
        return s->hst_add;
    case SMBHSTDAT0:
        return s->hst_dat0;
    case SMBHSTDAT1:
        return s->hst_dat1;
    case SMBBLKDAT:
        return s->blk[pm_smbus_blk_next(s)];
    case SMBSLVCNT:
        return s->slv_cnt;
    case SMBSHDWCMD:
        return s->shdw_cmd;
    case SMBSLVEVT:
    case SMBSLVEVT + 1:
        return (s->slv_evt >> (8 * (addr - SMBSLVEVT))) & 0xff;
    default:
        return 0;   /* SMBSLVDAT (nothing received) and reserved bytes */
    }
}

static void pm_smbus_io_write(void *opaque, uint64_t addr, uint64_t data, unsigned size)
{
    PMSMBus *s = opaque;
    uint8_t val = (uint8_t)data;

    switch (addr) {
    case SMBHSTSTS:
        s->hst_sts &= ~(val & PM_SMBUS_STS_IRQ);
        break;
    case SMBSLVSTS:
        s->slv_sts &= ~(val & PM_SMBUS_SLV_STS_W1C);
        break;
    case SMBHSTCNT:
        pm_smbus_write_cnt(s, val);
        break;
    case SMBHSTCMD:
        s->hst_cmd = val;
        break;
    case SMBHSTADD:
        s->hst_add = val;
        break;
    case SMBHSTDAT0:
        s->hst_dat0 = val;
        break;
    case SMBHSTDAT1:
        s->hst_dat1 = val;
        break;
    case SMBBLKDAT:
        s->blk[pm_smbus_blk_next(s)] = val;
        break;
    case SMBSLVCNT:
        s->slv_cnt = val & PM_SMBUS_SLV_CNT_MASK;
        break;
    case SMBSHDWCMD:
        s->shdw_cmd = val;
        break;
    case SMBSLVEVT:
    case SMBSLVEVT + 1: {
        unsigned shift = 8 * (addr - SMBSLVEVT);
        s->slv_evt = (uint16_t)((s->slv_evt & ~(0xffu << shift)) | (val << shift));
        break;
    }
    default:
        guest_error("pm_smbus: write 0x%02x to read-only or reserved offset 0x%" PRIx64,
                    val, addr);
        break;
    }
    pm_smbus_update_irq(s);
}

static const MemoryRegionOps pm_smbus_ops = {
    .read = pm_smbus_io_read,
    .write = pm_smbus_io_write,
    .valid = {.min_access_size = 1, .max_access_size = 1},
    .impl = {.min_access_size = 1, .max_access_size = 1},
};

void pm_smbus_reset(PMSMBus *s)
{
    s->hst_sts = 0;
    s->hst_cnt = 0;
    s->hst_cmd = 0;
    s->hst_add = 0;
    s->hst_dat0 = 0;
    s->hst_dat1 = 0;
    memset(s->blk, 0, sizeof(s->blk));
    s->blk_index = 0;
    s->slv_sts = 0;
    s->slv_cnt = 0;
    s->shdw_cmd = 0;
    s->slv_evt = 0;
    bh_cancel(&s->bh);
    if (s->irq) {
        s->irq = false;
        s->set_irq(s->opaque, false);
    }
}

void pm_smbus_init(PMSMBus *s, Object *owner, Clock *clock, PMSMBusIRQ set_irq,
                   void *opaque)
{
    s->set_irq = set_irq;
    s->opaque = opaque;
    s->bus = smbus_bus_new(owner);
    bh_init(&s->bh, owner, clock, pm_smbus_run, s);
    mr_init_io(&s->io, owner, &pm_smbus_ops, s, "pm-smbus", PM_SMBUS_IO_LEN);
}
