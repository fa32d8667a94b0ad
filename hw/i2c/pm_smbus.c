/* SPDX-License-Identifier: MIT */
/*
 * The SMBus host controller of PIIX4 (82371AB datasheet, order 290562,
 * sections 7.3 and 11.5.4.1) and ICH9 (order 319973, section 17.2): quick,
 * byte, byte data, word data and block protocols on the SMBus below it,
 * the 32-byte block array behind SMBBLKDAT with its index pointer, KILL,
 * completion and error status, the interrupt when INTEREN is set. Until a
 * started command runs (pm_smbus.h: PMSMBusTiming) HOST_BUSY reads 1.
 * PIIX4's slave interface is registers only: nothing on this bus masters
 * it, so its status stays 0. Left out: bus collisions and timeouts (the
 * bus has no other master); ICH9's process calls, I2C read, PEC, SMBALERT
 * and byte-by-byte block mode (DEV_ERR, as a command the host lacks).
 */
#include "hw/i2c/pm_smbus.h"

#include <inttypes.h>
#include <string.h>

#include "emu/log.h"

/* Registers, by offset from SMBBA */
#define SMBHSTSTS  0x00
#define SMBSLVSTS  0x01     /* PIIX4 */
#define SMBHSTCNT  0x02
#define SMBHSTCMD  0x03
#define SMBHSTADD  0x04
#define SMBHSTDAT0 0x05
#define SMBHSTDAT1 0x06
#define SMBBLKDAT  0x07
#define SMBSLVCNT  0x08     /* PIIX4 */
#define SMBSHDWCMD 0x09     /* PIIX4 */
#define SMBSLVEVT  0x0a     /* PIIX4, 16 bits */
#define SMBSLVDAT  0x0c     /* PIIX4, 16 bits, read-only */
#define SMBAUXCTL  0x0d     /* ICH9 AUX_CTL */

/* Region sizes */
#define PM_SMBUS_PIIX4_LEN 16
#define PM_SMBUS_ICH9_LEN  64   /* QEMU's pm-smbus region on ICH9 */

/* Host status: the W1C bits that are interrupt sources */
#define PM_SMBUS_STS_IRQ (PM_SMBUS_STS_INTER | PM_SMBUS_STS_DEV_ERR | \
                          PM_SMBUS_STS_BUS_ERR | PM_SMBUS_STS_FAILED)
/* ICH9: INUSE_STS and BYTE_DONE_STS clear by 1 too; HOST_BUSY never */
#define PM_SMBUS_ICH9_STS_W1C (0xff & ~PM_SMBUS_STS_HOST_BUSY)

/* Host control */
#define PM_SMBUS_CNT_INTEREN 0x01
#define PM_SMBUS_CNT_KILL    0x02
#define PM_SMBUS_CNT_PROT    0x1c
#define PM_SMBUS_CNT_PROT_SHIFT 2
#define PM_SMBUS_CNT_START   0x40
#define PM_SMBUS_PIIX4_CNT_MASK 0x1f    /* bits 7 and 5 reserved */
#define PM_SMBUS_ICH9_CNT_MASK  0xbf    /* PEC_EN, LAST_BYTE kept */

/* SMB_CMD_PROT encodings the host runs; the others are DEV_ERR */
#define PM_SMBUS_PROT_QUICK     0
#define PM_SMBUS_PROT_BYTE      1
#define PM_SMBUS_PROT_BYTE_DATA 2
#define PM_SMBUS_PROT_WORD_DATA 3
#define PM_SMBUS_PROT_BLOCK     5

/* PIIX4 slave registers */
#define PM_SMBUS_SLV_STS_W1C 0x3c   /* alert, shadow 2/1, slave status */
#define PM_SMBUS_SLV_CNT_MASK 0x0f
/* ICH9 AUX_CTL: AAC and E32B */
#define PM_SMBUS_AUX_CTL_MASK 0x03

static const char *pm_smbus_name(const PMSMBus *s)
{
    return s->layout == PM_SMBUS_ICH9 ? "ich9-smb" : "pm_smbus";
}

/* ---- Interrupt ---------------------------------------------------------- */

/* Section 7.3.2 (17.2.1): an interrupt status bit with INTEREN set. */
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
        guest_error("%s: block read of %u bytes stops at %u", pm_smbus_name(s), count,
                    SMBUS_BLOCK_MAX);
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
        guest_error("%s: block write count %u past the 32-byte array", pm_smbus_name(s),
                    count);
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
        guest_error("%s: protocol %u reserved or not supported", pm_smbus_name(s), prot);
        return false;
    }
}

/* The command START asked for. DEV_ERR for an illegal command or an
 * address nobody acknowledges (section 7.3.2, 17.2.1). */
static void pm_smbus_run(PMSMBus *s)
{
    unsigned prot = (s->hst_cnt & PM_SMBUS_CNT_PROT) >> PM_SMBUS_CNT_PROT_SHIFT;
    SMBusDevice *d = smbus_lookup(s->bus, s->hst_add >> 1);
    bool ok = d && pm_smbus_protocol(s, d, prot, s->hst_add & 1);

    s->hst_sts &= ~PM_SMBUS_STS_HOST_BUSY;
    s->hst_sts |= ok ? PM_SMBUS_STS_INTER : PM_SMBUS_STS_DEV_ERR;
    s->blk_index = 0;
    pm_smbus_update_irq(s);
}

static void pm_smbus_bh(void *opaque)
{
    pm_smbus_run(opaque);
}

/* ---- Host control ------------------------------------------------------- */

/* Section 7.3.3: START is ignored while a command runs, while an interrupt
 * status bit is still set, and while the owner has the host disabled. */
static void pm_smbus_start(PMSMBus *s)
{
    if (s->host_off) {
        guest_error("%s: START with the host disabled", pm_smbus_name(s));
        return;
    }
    if (s->hst_sts & (PM_SMBUS_STS_HOST_BUSY | PM_SMBUS_STS_IRQ)) {
        guest_error("%s: START ignored, host status 0x%02x", pm_smbus_name(s), s->hst_sts);
        return;
    }
    s->blk_index = 0;
    if (s->timing == PM_SMBUS_RUN_BH) {
        s->hst_sts |= PM_SMBUS_STS_HOST_BUSY;
        bh_schedule(&s->bh);
    } else if (s->hst_cnt & PM_SMBUS_CNT_INTEREN) {
        pm_smbus_run(s);
    } else {
        s->hst_sts |= PM_SMBUS_STS_HOST_BUSY;
        s->run_at_poll = true;
    }
}

/* KILL stops the command in progress and sets FAILED. */
static void pm_smbus_kill(PMSMBus *s)
{
    bh_cancel(&s->bh);
    s->run_at_poll = false;
    s->hst_sts &= ~PM_SMBUS_STS_HOST_BUSY;
    s->hst_sts |= PM_SMBUS_STS_FAILED;
}

static void pm_smbus_write_cnt(PMSMBus *s, uint8_t val)
{
    s->hst_cnt = val & (s->layout == PM_SMBUS_ICH9 ? PM_SMBUS_ICH9_CNT_MASK
                                                   : PM_SMBUS_PIIX4_CNT_MASK);
    if (val & PM_SMBUS_CNT_KILL) {
        pm_smbus_kill(s);
    } else if (val & PM_SMBUS_CNT_START) {
        pm_smbus_start(s);
    }
}

/* The status as read; a polled command runs after this read. */
static uint8_t pm_smbus_read_sts(PMSMBus *s)
{
    uint8_t val = s->hst_sts;

    if (s->run_at_poll) {
        s->run_at_poll = false;
        pm_smbus_run(s);
    }
    return val;
}

static void pm_smbus_write_sts(PMSMBus *s, uint8_t val)
{
    s->hst_sts &= ~(val & (s->layout == PM_SMBUS_ICH9 ? PM_SMBUS_ICH9_STS_W1C
                                                      : PM_SMBUS_STS_IRQ));
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

/* PIIX4's slave registers, or ICH9's AUX_CTL; 0 elsewhere. */
static uint8_t pm_smbus_read_other(PMSMBus *s, uint64_t addr)
{
    if (s->layout == PM_SMBUS_ICH9) {
        return addr == SMBAUXCTL ? s->aux_ctl : 0;
    }
    switch (addr) {
    case SMBSLVSTS:
        return s->slv_sts;
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

static uint64_t pm_smbus_io_read(void *opaque, uint64_t addr, unsigned size)
{
    PMSMBus *s = opaque;

    switch (addr) {
    case SMBHSTSTS:
        return pm_smbus_read_sts(s);
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
    default:
        return pm_smbus_read_other(s, addr);
    }
}

/* PIIX4's slave registers, or ICH9's AUX_CTL; false: nothing there. */
static bool pm_smbus_write_other(PMSMBus *s, uint64_t addr, uint8_t val)
{
    if (s->layout == PM_SMBUS_ICH9) {
        if (addr == SMBAUXCTL) {
            s->aux_ctl = val & PM_SMBUS_AUX_CTL_MASK;
        }
        return addr == SMBAUXCTL;
    }
    switch (addr) {
    case SMBSLVSTS:
        s->slv_sts &= ~(val & PM_SMBUS_SLV_STS_W1C);
        return true;
    case SMBSLVCNT:
        s->slv_cnt = val & PM_SMBUS_SLV_CNT_MASK;
        return true;
    case SMBSHDWCMD:
        s->shdw_cmd = val;
        return true;
    case SMBSLVEVT:
    case SMBSLVEVT + 1: {
        unsigned shift = 8 * (addr - SMBSLVEVT);
        s->slv_evt = (uint16_t)((s->slv_evt & ~(0xffu << shift)) | (val << shift));
        return true;
    }
    default:
        return false;
    }
}

static void pm_smbus_io_write(void *opaque, uint64_t addr, uint64_t data, unsigned size)
{
    PMSMBus *s = opaque;
    uint8_t val = (uint8_t)data;

    switch (addr) {
    case SMBHSTSTS:
        pm_smbus_write_sts(s, val);
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
    default:
        if (!pm_smbus_write_other(s, addr, val)) {
            guest_error("%s: write 0x%02x to read-only or reserved offset 0x%" PRIx64,
                        pm_smbus_name(s), val, addr);
        }
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

void pm_smbus_set_host_off(PMSMBus *s, bool off)
{
    s->host_off = off;
}

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
    s->aux_ctl = 0;
    s->slv_sts = 0;
    s->slv_cnt = 0;
    s->shdw_cmd = 0;
    s->slv_evt = 0;
    s->run_at_poll = false;
    bh_cancel(&s->bh);
    if (s->irq) {
        s->irq = false;
        s->set_irq(s->opaque, false);
    }
}

void pm_smbus_init(PMSMBus *s, Object *owner, Clock *clock, PMSMBusLayout layout,
                   PMSMBusTiming timing, PMSMBusIRQ set_irq, void *opaque)
{
    s->layout = layout;
    s->timing = timing;
    s->set_irq = set_irq;
    s->opaque = opaque;
    s->bus = smbus_bus_new(owner);
    bh_init(&s->bh, owner, clock, pm_smbus_bh, s);
    mr_init_io(&s->io, owner, &pm_smbus_ops, s, "pm-smbus",
               layout == PM_SMBUS_ICH9 ? PM_SMBUS_ICH9_LEN : PM_SMBUS_PIIX4_LEN);
}
