/* SPDX-License-Identifier: MIT */
/*
 * The SD host controller's DMA engines (Simplified Specification 3.00):
 * SDMA with its buffer boundary (section 1.15.1), ADMA1 (v2 only) and
 * ADMA2 with 32- and 64-bit descriptors (section 1.13). A transfer runs
 * from the controller's bottom half and then its timer, SDHC_BLOCKS_PER_RUN
 * blocks or SDHC_DESCS_PER_RUN descriptors a run, and at most
 * SDHC_ADMA_MAX_DESCS descriptors in all (then an ADMA error): a looping
 * descriptor table costs the guest virtual time, never the host a hang.
 */
#include <inttypes.h>
#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"
#include "hw/sd/sdhci.h"

/* ADMA descriptor attributes (Table 1-10 for ADMA2, 1-? for ADMA1) */
#define ADMA_VALID          0x01
#define ADMA_END            0x02
#define ADMA_INT            0x04
#define ADMA_ACT_SHIFT      4
#define ADMA_ACT_MASK       0x3
#define ADMA_ACT_NOP        0
#define ADMA_ACT_SET        1       /* ADMA1: set data length; ADMA2: reserved */
#define ADMA_ACT_TRAN       2
#define ADMA_ACT_LINK       3
#define ADMA1_ADDR_MASK     0xfffff000u

/* ADMA error states (section 2.2.23) */
#define ADMA_ST_STOP        0
#define ADMA_ST_FDS         1
#define ADMA_ST_TFR         3

typedef enum AdmaStep {
    ADMA_NEXT,              /* go on walking */
    ADMA_DATA,              /* a transfer descriptor is loaded */
    ADMA_STOP,              /* the transfer ended, stopped or waits */
    ADMA_YIELD,             /* this run's share is done */
} AdmaStep;

static bool sdhci_dma_rw(SDHCIState *s, uint64_t addr, void *buf, uint64_t len, bool to_guest)
{
    return s->dma(s->opaque, addr, buf, len, to_guest) == MEMTX_OK;
}

/* ---------------------------------------------------------------------- */
/* SDMA                                                                    */

static void sdhci_sdma_pause(SDHCIState *s)
{
    s->sdma_paused = true;
    sdhci_raise_nor(s, SDHC_NIS_DMA);
    sdhci_update_irq(s);
}

/* Moves the rest of the current block up to the buffer boundary. Returns
 * false when it stopped at the boundary inside the block; *at_boundary
 * says the block ended on one (the pause comes after the block). */
static bool sdhci_sdma_block(SDHCIState *s, bool read, bool *at_boundary)
{
    uint32_t bs = sdhci_block_size(s);
    uint32_t boundary = 4096u << ((s->blksize & SDHC_BLKSIZE_BOUNDARY) >> 12);

    *at_boundary = false;
    while (s->data_count < bs) {
        uint32_t room = boundary - (s->sdmasysad & (boundary - 1));
        uint32_t n = MIN(bs - s->data_count, room);

        sdhci_dma_rw(s, s->sdmasysad, s->buf + s->data_count, n, read);
        s->sdmasysad += n;
        s->data_count += n;
        if ((s->sdmasysad & (boundary - 1)) == 0) {
            if (s->data_count < bs) {
                sdhci_sdma_pause(s);
                return false;
            }
            *at_boundary = true;
        }
    }
    return true;
}

/* Section 1.15.1: at the boundary the transfer stops with a DMA Interrupt
 * (none when the transfer ends there); the SDMA address write resumes. */
static void sdhci_sdma_run(SDHCIState *s)
{
    bool read = s->trnmod & SDHC_TRNS_READ;
    bool at_boundary;

    for (unsigned i = 0; i < SDHC_BLOCKS_PER_RUN; i++) {
        if (read && s->data_count == 0 && !sdhci_card_read_block(s)) {
            return;
        }
        if (!sdhci_sdma_block(s, read, &at_boundary)) {
            return;
        }
        if (!read && !sdhci_card_write_block(s)) {
            return;
        }
        if (!sdhci_block_done(s)) {
            return;
        }
        if (at_boundary) {
            sdhci_sdma_pause(s);
            return;
        }
    }
    sdhci_schedule_run(s);
}

/* ---------------------------------------------------------------------- */
/* ADMA                                                                    */

static void sdhci_adma_error(SDHCIState *s, uint8_t state, bool length)
{
    guest_error("sdhci: ADMA error (state %u%s) at descriptor 0x%" PRIx64, state,
                length ? ", length mismatch" : "", s->admasysaddr);
    s->admaerr = (uint8_t)(state | (length ? SDHC_ADMAERR_LENGTH : 0));
    s->adma_in_desc = false;
    sdhci_data_error(s, SDHC_EIS_ADMAERR);
}

/* The End attribute: the transfer is over, and with Block Count Enable
 * the descriptors must have covered every block (section 2.2.23). */
static void sdhci_adma_end(SDHCIState *s)
{
    if (s->data_count ||
        ((s->trnmod & SDHC_TRNS_BLK_CNT_EN) && (s->trnmod & SDHC_TRNS_MULTI) && s->blkcnt)) {
        sdhci_adma_error(s, ADMA_ST_TFR, true);
        return;
    }
    sdhci_end_transfer(s);
}

/* Reads the descriptor at the ADMA system address into attr/len/addr and
 * steps past it; false on a bus error. */
static bool sdhci_adma_load(SDHCIState *s, uint16_t *attr, uint32_t *len, uint64_t *addr)
{
    uint8_t d[12];

    switch (s->hostctl1 & SDHC_CTRL_DMA_MASK) {
    case SDHC_CTRL_ADMA1_32: {
        if (!sdhci_dma_rw(s, s->admasysaddr, d, 4, false)) {
            return false;
        }
        uint32_t v = ld_le32(d);
        *attr = v & 0x3f;
        *addr = v & ADMA1_ADDR_MASK;
        *len = v >> 16;
        s->admasysaddr += 4;
        return true;
    }
    case SDHC_CTRL_ADMA2_64:
        if (!sdhci_dma_rw(s, s->admasysaddr, d, 12, false)) {
            return false;
        }
        *addr = ld_le64(d + 4);
        s->admasysaddr += 12;
        break;
    default:
        if (!sdhci_dma_rw(s, s->admasysaddr, d, 8, false)) {
            return false;
        }
        *addr = ld_le32(d + 4);
        s->admasysaddr = (uint32_t)(s->admasysaddr + 8);
        break;
    }
    *attr = ld_le16(d);
    *len = ld_le16(d + 2) ? ld_le16(d + 2) : 65536;
    return true;
}

static AdmaStep sdhci_adma_fetch(SDHCIState *s)
{
    bool adma1 = (s->hostctl1 & SDHC_CTRL_DMA_MASK) == SDHC_CTRL_ADMA1_32;
    uint64_t at = s->admasysaddr;
    uint16_t attr;
    uint32_t len;
    uint64_t addr;

    if (++s->adma_descs > SDHC_ADMA_MAX_DESCS || !sdhci_adma_load(s, &attr, &len, &addr)) {
        s->admasysaddr = at;
        sdhci_adma_error(s, ADMA_ST_FDS, false);
        return ADMA_STOP;
    }
    if (!(attr & ADMA_VALID)) {
        s->admasysaddr = at;
        sdhci_adma_error(s, ADMA_ST_FDS, false);
        return ADMA_STOP;
    }
    switch ((attr >> ADMA_ACT_SHIFT) & ADMA_ACT_MASK) {
    case ADMA_ACT_TRAN:
        s->adma_addr = addr;
        s->adma_len = adma1 ? s->adma1_len : len;
        s->adma_attr = attr;
        s->adma_in_desc = true;
        return ADMA_DATA;
    case ADMA_ACT_LINK:
        s->admasysaddr = addr;
        break;
    case ADMA_ACT_SET:
        if (adma1) {
            s->adma1_len = len;
        }
        break;
    default:
        break;
    }
    if (attr & ADMA_INT) {
        sdhci_raise_nor(s, SDHC_NIS_DMA);
        sdhci_update_irq(s);
    }
    if (attr & ADMA_END) {
        sdhci_adma_end(s);
        return ADMA_STOP;
    }
    return ADMA_NEXT;
}

/* Moves the current descriptor's data a block at a time through buf. */
static AdmaStep sdhci_adma_move(SDHCIState *s)
{
    bool read = s->trnmod & SDHC_TRNS_READ;
    uint32_t bs = sdhci_block_size(s);
    unsigned blocks = 0;

    while (s->adma_len) {
        if (read && s->data_count == 0 && !sdhci_card_read_block(s)) {
            return ADMA_STOP;
        }
        uint32_t n = MIN(s->adma_len, bs - s->data_count);
        if (!sdhci_dma_rw(s, s->adma_addr, s->buf + s->data_count, n, read)) {
            sdhci_adma_error(s, ADMA_ST_TFR, false);
            return ADMA_STOP;
        }
        s->adma_addr += n;
        s->adma_len -= n;
        s->data_count += n;
        if (s->data_count < bs) {
            continue;
        }
        if (!read && !sdhci_card_write_block(s)) {
            return ADMA_STOP;
        }
        if (!sdhci_block_done(s)) {
            /* The last block ends the transfer: the descriptor's Int still
             * counts (section 1.13.4). */
            if (s->xfer == SDHC_XFER_NONE && !s->adma_len && (s->adma_attr & ADMA_INT)) {
                sdhci_raise_nor(s, SDHC_NIS_DMA);
                sdhci_update_irq(s);
            }
            return ADMA_STOP;
        }
        if (++blocks >= SDHC_BLOCKS_PER_RUN && s->adma_len) {
            return ADMA_YIELD;
        }
    }
    s->adma_in_desc = false;
    if (s->adma_attr & ADMA_INT) {
        sdhci_raise_nor(s, SDHC_NIS_DMA);
        sdhci_update_irq(s);
    }
    if (s->adma_attr & ADMA_END) {
        sdhci_adma_end(s);
        return ADMA_STOP;
    }
    return ADMA_NEXT;
}

static void sdhci_adma_run(SDHCIState *s)
{
    for (unsigned i = 0; i < SDHC_DESCS_PER_RUN; i++) {
        AdmaStep step = s->adma_in_desc ? sdhci_adma_move(s) : sdhci_adma_fetch(s);

        if (step == ADMA_STOP) {
            return;
        }
        if (step == ADMA_YIELD) {
            break;
        }
    }
    sdhci_schedule_run(s);
}

void sdhci_dma_run(SDHCIState *s)
{
    if (s->stopped_at_gap || s->sdma_paused) {
        return;
    }
    switch (s->xfer) {
    case SDHC_XFER_SDMA:
        sdhci_sdma_run(s);
        break;
    case SDHC_XFER_ADMA:
        sdhci_adma_run(s);
        break;
    default:
        break;
    }
}
