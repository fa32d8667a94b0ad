/* SPDX-License-Identifier: MIT */
/*
 * SD host controller (Simplified Specification 3.00): registers, command
 * generation, the PIO buffer and the end of transfers. The DMA engines
 * (SDMA, ADMA1, ADMA2) are in sdhci-adma.c, the PCI function in
 * sdhci-pci.c. Commands complete at once (Command Inhibit (CMD) never
 * reads 1); data moves a block at a time through buf[]. Left out: tuning,
 * UHS-I modes and preset values (read 0), the LED, wake-up events (stored).
 */
#include "hw/sd/sdhci.h"

#include <inttypes.h>
#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"
#include "emu/machine.h"
#include "hw/devices.h"

/* Writable bits (section 2.2) */
#define SDHC_TRNMOD_MASK_V2     0x0037
#define SDHC_TRNMOD_MASK_V3     0x003f
#define SDHC_PWRCON_MASK        0x0f
#define SDHC_BLKGAP_MASK        0x0d    /* continue request self-clears */
#define SDHC_WAKCON_MASK        0x07
#define SDHC_CLKCON_MASK_V2     0xff05
#define SDHC_CLKCON_MASK_V3     0xffe5
#define SDHC_TIMEOUT_MASK       0x0f
#define SDHC_NISEN_MASK_V2      0x01ff
#define SDHC_NISEN_MASK_V3      0x1fff
#define SDHC_HOSTCTL2_MASK      0xc0ff
#define SDHC_ACMDERR_MASK       0x009f
#define SDHC_ADMASYSADDR_HI     0xffffffff00000000ull

/* ---------------------------------------------------------------------- */
/* Interrupts                                                              */

static bool sdhci_slot_int(const SDHCIState *s)
{
    return (s->norintsts & s->norintsigen) || (s->errintsts & s->errintsigen) ||
           ((s->norintsts & SDHC_NIS_INSERT) && (s->wakcon & SDHC_WKUP_ON_INS)) ||
           ((s->norintsts & SDHC_NIS_REMOVE) && (s->wakcon & SDHC_WKUP_ON_RMV));
}

void sdhci_update_irq(SDHCIState *s)
{
    if (s->errintsts) {
        s->norintsts |= SDHC_NIS_ERR;
    } else {
        s->norintsts &= ~SDHC_NIS_ERR;
    }
    if (s->set_irq) {
        s->set_irq(s->opaque, sdhci_slot_int(s));
    }
}

/* A status is latched only while its enable bit is set (section 2.2.19). */
void sdhci_raise_nor(SDHCIState *s, uint16_t bits)
{
    s->norintsts |= bits & s->norintstsen;
}

void sdhci_raise_err(SDHCIState *s, uint16_t bits)
{
    s->errintsts |= bits & s->errintstsen;
}

/* ---------------------------------------------------------------------- */
/* Transfers                                                               */

uint32_t sdhci_block_size(const SDHCIState *s)
{
    return s->blksize & SDHC_BLKSIZE_MASK;
}

bool sdhci_card_ok(const SDHCIState *s)
{
    return s->card && sd_inserted(s->card);
}

/* Auto CMD12 after the last block of a multiple-block transfer (section
 * 3.7.1.2): its response goes to RSP[127:96], its errors to 03Ch. */
static void sdhci_auto_cmd12(SDHCIState *s)
{
    uint8_t resp[16];

    if (!sdhci_card_ok(s) || sd_do_command(s->card, 12, 0, resp) != 4) {
        s->acmd12errsts |= SDHC_ACMD_TIMEOUT;
        sdhci_raise_err(s, SDHC_EIS_CMD12ERR);
        return;
    }
    s->rspreg[3] = ld_be32(resp);
}

void sdhci_end_transfer(SDHCIState *s)
{
    if ((s->trnmod & SDHC_TRNS_ACMD_MASK) == SDHC_TRNS_ACMD12 &&
        (s->trnmod & SDHC_TRNS_MULTI)) {
        sdhci_auto_cmd12(s);
    }
    s->prnsts &= ~(SDHC_DATA_INHIBIT | SDHC_DAT_LINE_ACTIVE | SDHC_READ_ACTIVE |
                   SDHC_WRITE_ACTIVE | SDHC_BUF_READ_ENABLE | SDHC_BUF_WRITE_ENABLE);
    s->xfer = SDHC_XFER_NONE;
    s->data_count = 0;
    s->stopped_at_gap = s->sdma_paused = false;
    timer_del(&s->xfer_timer);
    bh_cancel(&s->xfer_bh);
    sdhci_raise_nor(s, SDHC_NIS_TRSCMP);
    sdhci_update_irq(s);
}

/* A transfer that ends on an error (data timeout: the card had nothing). */
void sdhci_data_error(SDHCIState *s, uint16_t err)
{
    sdhci_raise_err(s, err);
    s->prnsts &= ~(SDHC_DATA_INHIBIT | SDHC_DAT_LINE_ACTIVE | SDHC_READ_ACTIVE |
                   SDHC_WRITE_ACTIVE | SDHC_BUF_READ_ENABLE | SDHC_BUF_WRITE_ENABLE);
    s->xfer = SDHC_XFER_NONE;
    s->data_count = 0;
    timer_del(&s->xfer_timer);
    bh_cancel(&s->xfer_bh);
    sdhci_update_irq(s);
}

/* Stop at block gap (section 2.2.12): the transfer halts between blocks,
 * with Block Gap Event and Transfer Complete; Continue Request resumes. */
static void sdhci_stop_at_gap(SDHCIState *s)
{
    s->stopped_at_gap = true;
    s->prnsts &= ~(SDHC_DAT_LINE_ACTIVE | SDHC_READ_ACTIVE | SDHC_WRITE_ACTIVE);
    if (!(s->trnmod & SDHC_TRNS_READ)) {
        s->prnsts &= ~SDHC_DATA_INHIBIT;
    }
    sdhci_raise_nor(s, SDHC_NIS_BLKGAP | SDHC_NIS_TRSCMP);
    sdhci_update_irq(s);
}

bool sdhci_block_done(SDHCIState *s)
{
    s->data_count = 0;
    if (!(s->trnmod & SDHC_TRNS_MULTI)) {
        sdhci_end_transfer(s);
        return false;
    }
    if (s->trnmod & SDHC_TRNS_BLK_CNT_EN) {
        if (s->blkcnt) {
            s->blkcnt--;
        }
        if (s->blkcnt == 0) {
            sdhci_end_transfer(s);
            return false;
        }
    }
    if (s->blkgap & SDHC_STOP_AT_GAP) {
        sdhci_stop_at_gap(s);
        return false;
    }
    return true;
}

static bool sdhci_dma_selected_ok(const SDHCIState *s)
{
    switch (s->hostctl1 & SDHC_CTRL_DMA_MASK) {
    case SDHC_CTRL_SDMA:
        return s->capareg & SDHC_CAPAB_SDMA;
    case SDHC_CTRL_ADMA1_32:
        return s->sd_spec_version == 2 && (s->capareg & SDHC_CAPAB_ADMA1);
    default:
        return s->capareg & SDHC_CAPAB_ADMA2;
    }
}

void sdhci_schedule_run(SDHCIState *s)
{
    timer_mod(&s->xfer_timer, clock_get_ns(s->xfer_timer.clock) + SDHC_RUN_DELAY_NS);
}

static void sdhci_start_transfer(SDHCIState *s)
{
    bool read = s->trnmod & SDHC_TRNS_READ;

    s->prnsts |= SDHC_DATA_INHIBIT | SDHC_DAT_LINE_ACTIVE |
                 (read ? SDHC_READ_ACTIVE : SDHC_WRITE_ACTIVE);
    s->data_count = 0;
    s->stopped_at_gap = s->sdma_paused = false;
    if (!(s->trnmod & SDHC_TRNS_DMA)) {
        s->xfer = SDHC_XFER_PIO;
        sdhci_pio_next(s);
        return;
    }
    if (!sdhci_dma_selected_ok(s)) {
        guest_error("sdhci: DMA mode 0x%02x not supported", s->hostctl1 & SDHC_CTRL_DMA_MASK);
        s->admaerr = SDHC_ADMAERR_STATE_MASK & 1;   /* ST_FDS */
        sdhci_data_error(s, SDHC_EIS_ADMAERR);
        return;
    }
    bool sdma = (s->hostctl1 & SDHC_CTRL_DMA_MASK) == SDHC_CTRL_SDMA;
    s->xfer = sdma ? SDHC_XFER_SDMA : SDHC_XFER_ADMA;
    s->adma_in_desc = false;
    s->adma_len = 0;
    s->adma_descs = 0;
    bh_schedule(&s->xfer_bh);
}

/* ---------------------------------------------------------------------- */
/* Commands                                                                */

/* Section 3.3: the SD clock runs; a command that uses the DAT lines (data,
 * or a busy response) waits for Command Inhibit (DAT), except an abort. */
static bool sdhci_can_issue(SDHCIState *s)
{
    uint16_t c = s->cmdreg;

    if ((s->clkcon & (SDHC_CLOCK_INT_EN | SDHC_CLOCK_SDCLK_EN)) !=
        (SDHC_CLOCK_INT_EN | SDHC_CLOCK_SDCLK_EN)) {
        guest_error("sdhci: command with the SD clock off");
        return false;
    }
    bool uses_dat = (c & SDHC_CMD_DATA_PRESENT) ||
                    ((c & SDHC_CMD_RSP_MASK) == SDHC_CMD_RSP_48_BUSY &&
                     (c & SDHC_CMD_TYPE_MASK) != SDHC_CMD_TYPE_ABORT);
    if (uses_dat && ((s->prnsts & SDHC_DATA_INHIBIT) || s->stopped_at_gap)) {
        guest_error("sdhci: command 0x%04x while Command Inhibit (DAT)", c);
        return false;
    }
    return true;
}

/* Auto CMD23 (section 3.7.1.3): CMD23 with Argument 2 before the command. */
static bool sdhci_auto_cmd23(SDHCIState *s)
{
    uint8_t resp[16];

    if (!sdhci_card_ok(s) || sd_do_command(s->card, 23, s->sdmasysad, resp) != 4) {
        s->acmd12errsts |= SDHC_ACMD_TIMEOUT;
        sdhci_raise_err(s, SDHC_EIS_CMD12ERR);
        sdhci_update_irq(s);
        return false;
    }
    return true;
}

/* The response registers (section 2.2.7, Table 2-6): R2 without its CRC. */
static void sdhci_store_response(SDHCIState *s, const uint8_t *r, size_t len)
{
    if (len == 16) {
        s->rspreg[0] = ld_be32(r + 11);
        s->rspreg[1] = ld_be32(r + 7);
        s->rspreg[2] = ld_be32(r + 3);
        s->rspreg[3] = ((uint32_t)r[0] << 16) | ((uint32_t)r[1] << 8) | r[2];
    } else {
        s->rspreg[0] = ld_be32(r);
        s->rspreg[1] = s->rspreg[2] = s->rspreg[3] = 0;
    }
}

static void sdhci_send_command(SDHCIState *s)
{
    uint8_t resp[16] = { 0 };
    uint8_t idx = (uint8_t)(s->cmdreg >> 8) & 0x3f;
    bool data = s->cmdreg & SDHC_CMD_DATA_PRESENT;
    size_t len = 0;

    s->errintsts = 0;
    s->acmd12errsts = 0;
    if (data && (s->trnmod & SDHC_TRNS_MULTI) &&
        (s->trnmod & SDHC_TRNS_ACMD_MASK) == SDHC_TRNS_ACMD23 && !sdhci_auto_cmd23(s)) {
        return;
    }
    if (sdhci_card_ok(s)) {
        len = sd_do_command(s->card, idx, s->argument, resp);
    }
    bool timeout = false;
    if (s->cmdreg & SDHC_CMD_RSP_MASK) {
        if (len) {
            sdhci_store_response(s, resp, len);
        } else {
            timeout = true;
            sdhci_raise_err(s, SDHC_EIS_CMDTIMEOUT);
        }
        if ((s->cmdreg & SDHC_CMD_RSP_MASK) == SDHC_CMD_RSP_48_BUSY && !data) {
            sdhci_raise_nor(s, SDHC_NIS_TRSCMP);    /* busy ends at once */
        }
    }
    sdhci_raise_nor(s, SDHC_NIS_CMDCMP);
    sdhci_update_irq(s);
    if (!timeout && data && sdhci_block_size(s)) {
        sdhci_start_transfer(s);
    }
}

/* ---------------------------------------------------------------------- */
/* Register writes                                                         */

static void sdhci_reset_data(SDHCIState *s)
{
    s->data_count = 0;
    s->xfer = SDHC_XFER_NONE;
    s->stopped_at_gap = s->sdma_paused = false;
    s->adma_in_desc = false;
    s->prnsts &= ~(SDHC_DATA_INHIBIT | SDHC_DAT_LINE_ACTIVE | SDHC_READ_ACTIVE |
                   SDHC_WRITE_ACTIVE | SDHC_BUF_READ_ENABLE | SDHC_BUF_WRITE_ENABLE);
    s->blkgap &= ~(SDHC_STOP_AT_GAP | SDHC_CONTINUE_REQ);
    s->norintsts &= ~(SDHC_NIS_WBUFRDY | SDHC_NIS_RBUFRDY | SDHC_NIS_DMA |
                      SDHC_NIS_TRSCMP | SDHC_NIS_BLKGAP);
    timer_del(&s->xfer_timer);
    bh_cancel(&s->xfer_bh);
}

/* Software reset (section 2.2.15): the bits act independently. */
static void sdhci_swrst_write(SDHCIState *s, uint8_t val)
{
    if (val & SDHC_RESET_ALL) {
        sdhci_reset(s);
        return;
    }
    if (val & SDHC_RESET_CMD) {
        s->prnsts &= ~SDHC_CMD_INHIBIT;
        s->norintsts &= ~SDHC_NIS_CMDCMP;
    }
    if (val & SDHC_RESET_DATA) {
        sdhci_reset_data(s);
    }
    sdhci_update_irq(s);
}

static void sdhci_blkgap_write(SDHCIState *s, uint8_t val)
{
    s->blkgap = val & SDHC_BLKGAP_MASK;
    if (!(val & SDHC_CONTINUE_REQ) || (val & SDHC_STOP_AT_GAP) || !s->stopped_at_gap) {
        return;
    }
    s->stopped_at_gap = false;
    s->prnsts |= SDHC_DATA_INHIBIT | SDHC_DAT_LINE_ACTIVE |
                 ((s->trnmod & SDHC_TRNS_READ) ? SDHC_READ_ACTIVE : SDHC_WRITE_ACTIVE);
    if (s->xfer == SDHC_XFER_PIO) {
        sdhci_pio_next(s);
    } else if (s->xfer != SDHC_XFER_NONE) {
        bh_schedule(&s->xfer_bh);
    }
}

/* Power (section 2.2.11): the bus stays off for a voltage the slot lacks
 * or with no card. */
static void sdhci_pwrcon_write(SDHCIState *s, uint8_t val)
{
    unsigned volt = (val >> 1) & 7;
    uint64_t cap = volt == 7 ? SDHC_CAPAB_V33 : volt == 6 ? SDHC_CAPAB_V30 :
                   volt == 5 ? SDHC_CAPAB_V18 : 0;

    s->pwrcon = val & SDHC_PWRCON_MASK;
    if (!cap || !(s->capareg & cap) || !sdhci_card_ok(s)) {
        s->pwrcon &= ~SDHC_POWER_ON;
    }
}

static void sdhci_clkcon_write(SDHCIState *s, uint16_t val)
{
    s->clkcon = val & (s->sd_spec_version >= 3 ? SDHC_CLKCON_MASK_V3 : SDHC_CLKCON_MASK_V2);
    if (s->clkcon & SDHC_CLOCK_INT_EN) {
        s->clkcon |= SDHC_CLOCK_INT_STABLE;     /* stable at once */
    }
}

/* SDMA System Address: at a boundary stop, a write of its top byte
 * resumes the transfer there (section 1.15.1); during a transfer it is
 * ignored; else it is Argument 2 or the next start address. */
static void sdhci_sysad_write(SDHCIState *s, uint32_t val, uint32_t mask, bool top)
{
    if ((s->prnsts & SDHC_DATA_INHIBIT) && !s->sdma_paused) {
        guest_error("sdhci: SDMA address write during a transfer");
        return;
    }
    s->sdmasysad = (s->sdmasysad & ~mask) | (val & mask);
    if (s->sdma_paused && top) {
        s->sdma_paused = false;
        bh_schedule(&s->xfer_bh);
    }
}

static void sdhci_blksize_write(SDHCIState *s, uint32_t val, uint32_t mask)
{
    uint32_t both = (uint32_t)s->blksize | ((uint32_t)s->blkcnt << 16);

    /* Both are fixed while a transfer runs (CVE-2021-3409). */
    if (s->prnsts & SDHC_DATA_INHIBIT) {
        guest_error("sdhci: block size/count write during a transfer");
        return;
    }
    both = (both & ~mask) | (val & mask);
    s->blksize = (uint16_t)both & (SDHC_BLKSIZE_MASK | SDHC_BLKSIZE_BOUNDARY);
    s->blkcnt = (uint16_t)(both >> 16);
    if (sdhci_block_size(s) > s->buf_maxsz) {
        guest_error("sdhci: block size %u above the buffer's %u", sdhci_block_size(s),
                    s->buf_maxsz);
        s->blksize = (uint16_t)((s->blksize & SDHC_BLKSIZE_BOUNDARY) | s->buf_maxsz);
    }
}

static void sdhci_trnmod_write(SDHCIState *s, uint32_t val, uint32_t mask)
{
    uint16_t tmask = s->sd_spec_version >= 3 ? SDHC_TRNMOD_MASK_V3 : SDHC_TRNMOD_MASK_V2;

    if (!(s->capareg & (SDHC_CAPAB_SDMA | SDHC_CAPAB_ADMA1 | SDHC_CAPAB_ADMA2))) {
        val &= ~(uint32_t)SDHC_TRNS_DMA;
    }
    /* Ignored while Command Inhibit (DAT) is 1 (section 2.2.5). */
    if ((mask & 0xffff) && !(s->prnsts & SDHC_DATA_INHIBIT)) {
        s->trnmod = (uint16_t)((s->trnmod & ~mask) | (val & mask & tmask));
    }
    if (mask & 0xffff0000) {
        uint32_t m = mask >> 16;
        s->cmdreg = (uint16_t)((s->cmdreg & ~m) | ((val >> 16) & m));
    }
    /* Writing the command register's upper byte sends it (2.2.6). */
    if ((mask & 0xff000000) && sdhci_can_issue(s)) {
        sdhci_send_command(s);
    }
}

static void sdhci_norintsts_write(SDHCIState *s, uint32_t val, uint32_t mask)
{
    uint32_t clr = val & mask;

    s->norintsts &= (uint16_t)~(clr & ~(uint32_t)(SDHC_NIS_CARDINT | SDHC_NIS_ERR));
    s->errintsts &= (uint16_t)~(clr >> 16);
    sdhci_update_irq(s);
}

static void sdhci_stsen_write(SDHCIState *s, uint32_t val, uint32_t mask)
{
    uint16_t nmask = s->sd_spec_version >= 3 ? SDHC_NISEN_MASK_V3 : SDHC_NISEN_MASK_V2;
    uint32_t both = s->norintstsen | ((uint32_t)s->errintstsen << 16);

    both = (both & ~mask) | (val & mask);
    s->norintstsen = (uint16_t)both & nmask;
    s->errintstsen = (uint16_t)(both >> 16);
    s->norintsts &= s->norintstsen | SDHC_NIS_ERR;
    s->errintsts &= s->errintstsen;
    sdhci_update_irq(s);
}

static void sdhci_sigen_write(SDHCIState *s, uint32_t val, uint32_t mask)
{
    uint16_t nmask = s->sd_spec_version >= 3 ? SDHC_NISEN_MASK_V3 : SDHC_NISEN_MASK_V2;
    uint32_t both = s->norintsigen | ((uint32_t)s->errintsigen << 16);

    both = (both & ~mask) | (val & mask);
    s->norintsigen = (uint16_t)both & nmask;
    s->errintsigen = (uint16_t)(both >> 16);
    sdhci_update_irq(s);
}

/* Force Event (section 2.2.21): sets Auto CMD and error statuses. */
static void sdhci_force_event(SDHCIState *s, uint32_t val, uint32_t mask)
{
    val &= mask;
    s->acmd12errsts |= (uint16_t)val & SDHC_ACMDERR_MASK;
    if (s->acmd12errsts) {
        sdhci_raise_err(s, SDHC_EIS_CMD12ERR);
    }
    sdhci_raise_err(s, (uint16_t)(val >> 16));
    sdhci_update_irq(s);
}

static void sdhci_hostctl_write(SDHCIState *s, uint32_t val, uint32_t mask)
{
    if (mask & 0xff) {
        s->hostctl1 = (uint8_t)val;
    }
    if (mask & 0xff00) {
        sdhci_pwrcon_write(s, (uint8_t)(val >> 8));
    }
    if (mask & 0xff0000) {
        sdhci_blkgap_write(s, (uint8_t)(val >> 16));
    }
    if (mask & 0xff000000) {
        s->wakcon = (uint8_t)(val >> 24) & SDHC_WAKCON_MASK;
        sdhci_update_irq(s);
    }
}

static void sdhci_clkcon_reg_write(SDHCIState *s, uint32_t val, uint32_t mask)
{
    if (mask & 0xff000000) {
        sdhci_swrst_write(s, (uint8_t)(val >> 24));
    }
    if (mask & 0xffff) {
        sdhci_clkcon_write(s, (uint16_t)((s->clkcon & ~mask) | (val & mask)));
    }
    if (mask & 0xff0000) {
        s->timeoutcon = (uint8_t)(val >> 16) & SDHC_TIMEOUT_MASK;
    }
}

static void sdhci_admasysaddr_write(SDHCIState *s, uint64_t off, uint32_t val, uint32_t mask)
{
    unsigned shift = (off & 4) ? 32 : 0;
    uint64_t m = (uint64_t)mask << shift;

    s->admasysaddr = (s->admasysaddr & ~m) | (((uint64_t)val << shift) & m);
}

static void sdhci_write32(SDHCIState *s, uint64_t off, uint32_t val, uint32_t mask)
{
    switch (off) {
    case SDHC_SYSAD:
        sdhci_sysad_write(s, val, mask, mask & 0xff000000);
        break;
    case SDHC_BLKSIZE:
        sdhci_blksize_write(s, val, mask);
        break;
    case SDHC_ARGUMENT:
        s->argument = (s->argument & ~mask) | (val & mask);
        break;
    case SDHC_TRNMOD:
        sdhci_trnmod_write(s, val, mask);
        break;
    case SDHC_BDATA:
        sdhci_data_port_write(s, val >> (__builtin_ctz(mask) & ~7u),
                              (unsigned)__builtin_popcount(mask) / 8);
        break;
    case SDHC_HOSTCTL:
        sdhci_hostctl_write(s, val, mask);
        break;
    case SDHC_CLKCON:
        sdhci_clkcon_reg_write(s, val, mask);
        break;
    case SDHC_NORINTSTS:
        sdhci_norintsts_write(s, val, mask);
        break;
    case SDHC_NORINTSTSEN:
        sdhci_stsen_write(s, val, mask);
        break;
    case SDHC_NORINTSIGEN:
        sdhci_sigen_write(s, val, mask);
        break;
    case SDHC_ACMD12ERRSTS:
        if ((mask & 0xffff0000) && s->sd_spec_version >= 3) {
            uint32_t m = (mask >> 16) & SDHC_HOSTCTL2_MASK;
            s->hostctl2 = (uint16_t)((s->hostctl2 & ~m) | ((val >> 16) & m));
        }
        break;
    case SDHC_FEAER:
        sdhci_force_event(s, val, mask);
        break;
    case SDHC_ADMASYSADDR:
    case SDHC_ADMASYSADDR + 4:
        sdhci_admasysaddr_write(s, off, val, mask);
        break;
    case SDHC_RSPREG0: case SDHC_RSPREG0 + 4: case SDHC_RSPREG0 + 8: case SDHC_RSPREG0 + 12:
    case SDHC_PRNSTS: case SDHC_CAPAB: case SDHC_CAPAB + 4: case SDHC_MAXCURR:
    case SDHC_MAXCURR + 4: case SDHC_ADMAERR: case SDHC_SLOT_INT_STATUS:
    case SDHC_PRESET: case SDHC_PRESET + 4: case SDHC_PRESET + 8: case SDHC_PRESET + 12:
        guest_error("sdhci: write to read-only register 0x%02" PRIx64, off);
        break;
    default:
        guest_error("sdhci: write to reserved offset 0x%02" PRIx64, off);
        break;
    }
}

void sdhci_write(SDHCIState *s, uint64_t off, uint64_t val, unsigned size)
{
    unsigned shift = (unsigned)(off & 3) * 8;
    uint32_t mask = (size >= 4 ? 0xffffffffu : ((1u << (size * 8)) - 1)) << shift;

    sdhci_write32(s, off & ~3ull, (uint32_t)(val << shift) & mask, mask);
}

/* ---------------------------------------------------------------------- */
/* Register reads                                                          */

static uint32_t sdhci_prnsts(const SDHCIState *s)
{
    uint32_t v = s->prnsts | SDHC_CARD_STABLE | SDHC_DAT_LEVELS | SDHC_CMD_LEVEL;

    if (sdhci_card_ok(s)) {
        v |= SDHC_CARD_INSERTED | SDHC_CARD_DETECT_PIN;
        if (sd_read_only(s->card)) {
            return v;
        }
    }
    return v | SDHC_WRITE_PROTECT_PIN;
}

static uint32_t sdhci_read32(SDHCIState *s, uint64_t off, unsigned size)
{
    switch (off) {
    case SDHC_SYSAD:
        return s->sdmasysad;
    case SDHC_BLKSIZE:
        return s->blksize | ((uint32_t)s->blkcnt << 16);
    case SDHC_ARGUMENT:
        return s->argument;
    case SDHC_TRNMOD:
        return s->trnmod | ((uint32_t)s->cmdreg << 16);
    case SDHC_RSPREG0: case SDHC_RSPREG0 + 4: case SDHC_RSPREG0 + 8: case SDHC_RSPREG0 + 12:
        return s->rspreg[(off - SDHC_RSPREG0) / 4];
    case SDHC_BDATA:
        return sdhci_data_port_read(s, size);
    case SDHC_PRNSTS:
        return sdhci_prnsts(s);
    case SDHC_HOSTCTL:
        return s->hostctl1 | ((uint32_t)s->pwrcon << 8) | ((uint32_t)s->blkgap << 16) |
               ((uint32_t)s->wakcon << 24);
    case SDHC_CLKCON:
        return s->clkcon | ((uint32_t)s->timeoutcon << 16);
    case SDHC_NORINTSTS:
        return s->norintsts | ((uint32_t)s->errintsts << 16);
    case SDHC_NORINTSTSEN:
        return s->norintstsen | ((uint32_t)s->errintstsen << 16);
    case SDHC_NORINTSIGEN:
        return s->norintsigen | ((uint32_t)s->errintsigen << 16);
    case SDHC_ACMD12ERRSTS:
        return s->acmd12errsts | ((uint32_t)s->hostctl2 << 16);
    case SDHC_CAPAB:
        return (uint32_t)s->capareg;
    case SDHC_CAPAB + 4:
        return (uint32_t)(s->capareg >> 32);
    case SDHC_MAXCURR:
        return (uint32_t)s->maxcurr;
    case SDHC_MAXCURR + 4:
        return (uint32_t)(s->maxcurr >> 32);
    case SDHC_FEAER:
        return 0;                               /* write-only */
    case SDHC_ADMAERR:
        return s->admaerr;
    case SDHC_ADMASYSADDR:
        return (uint32_t)s->admasysaddr;
    case SDHC_ADMASYSADDR + 4:
        return (uint32_t)(s->admasysaddr >> 32);
    case SDHC_PRESET: case SDHC_PRESET + 4: case SDHC_PRESET + 8: case SDHC_PRESET + 12:
        return 0;
    case SDHC_SLOT_INT_STATUS:
        return ((uint32_t)s->version << 16) | (sdhci_slot_int(s) ? 1 : 0);
    default:
        guest_error("sdhci: read of reserved offset 0x%02" PRIx64, off);
        return 0;
    }
}

uint64_t sdhci_read(SDHCIState *s, uint64_t off, unsigned size)
{
    unsigned shift = (unsigned)(off & 3) * 8;
    uint32_t v;

    if ((off & ~3ull) == SDHC_BDATA) {
        return sdhci_data_port_read(s, size);
    }
    v = sdhci_read32(s, off & ~3ull, size) >> shift;
    return size >= 4 ? v : v & ((1u << (size * 8)) - 1);
}

/* ---------------------------------------------------------------------- */
/* Reset and set-up                                                        */

void sdhci_reset(SDHCIState *s)
{
    s->sdmasysad = s->argument = 0;
    s->blksize = s->blkcnt = s->trnmod = s->cmdreg = 0;
    memset(s->rspreg, 0, sizeof(s->rspreg));
    s->prnsts = 0;
    s->hostctl1 = s->pwrcon = s->blkgap = s->wakcon = 0;
    s->clkcon = 0;
    s->timeoutcon = 0;
    s->norintsts = s->errintsts = 0;
    s->norintstsen = s->errintstsen = s->norintsigen = s->errintsigen = 0;
    s->acmd12errsts = s->hostctl2 = 0;
    s->admaerr = 0;
    s->admasysaddr = 0;
    s->xfer = SDHC_XFER_NONE;
    s->stopped_at_gap = s->sdma_paused = false;
    s->data_count = 0;
    s->adma_len = 0;
    s->adma_addr = 0;
    s->adma_in_desc = false;
    s->adma_attr = 0;
    s->adma_descs = 0;
    memset(s->buf, 0, sizeof(s->buf));
    timer_del(&s->xfer_timer);
    bh_cancel(&s->xfer_bh);
    sdhci_update_irq(s);
}

static void sdhci_run_cb(void *opaque)
{
    sdhci_dma_run(opaque);
}

bool sdhci_realize_common(SDHCIState *s, Object *owner, Clock *clock, char **errp)
{
    unsigned mbl = (unsigned)(s->capareg >> SDHC_CAPAB_MBL_SHIFT) & 3;

    if (s->sd_spec_version < 2 || s->sd_spec_version > 3) {
        *errp = g_strdup("sdhci: only sd-spec-version 2 and 3 are supported");
        return false;
    }
    if (mbl == 3) {
        *errp = g_strdup("sdhci: capareg's max block length (bits 17:16) 3 is reserved");
        return false;
    }
    s->owner = owner;
    s->buf_maxsz = 512u << mbl;
    s->version = (uint16_t)((SDHC_HCVER_VENDOR << 8) | (s->sd_spec_version - 1));
    timer_init(&s->xfer_timer, owner, clock, sdhci_run_cb, s);
    bh_init(&s->xfer_bh, owner, clock, sdhci_run_cb, s);
    return true;
}

bool sdhci_attach_card(SDHCIState *s, SDCard *card)
{
    if (s->card) {
        return false;
    }
    s->card = card;
    return true;
}

SDHCIState *sdhci_find_free_bus(Machine *m)
{
    for (unsigned i = 0; i < m->nr_devices; i++) {
        Object *o = m->devices[i];
        if (object_is_a(o, TYPE_SDHCI_PCI) && !((SDHCIPCIState *)o)->sdhci.card) {
            return &((SDHCIPCIState *)o)->sdhci;
        }
    }
    return NULL;
}
