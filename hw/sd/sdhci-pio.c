/* SPDX-License-Identifier: MIT */
/*
 * The SD host controller's buffer and its data port (SD Host Controller
 * Simplified Specification 3.00, sections 1.7 and 3.7.2): a block moves
 * between the card and buf[], and the guest reads or writes it through the
 * Buffer Data Port with Buffer Read/Write Ready and Enable. The position
 * never passes the block size, which is fixed while the transfer runs.
 */
#include "emu/log.h"
#include "hw/sd/sdhci.h"

/* Reads the next block from the card into buf; false (and the transfer
 * ended with a data timeout) when the card has none. */
bool sdhci_card_read_block(SDHCIState *s)
{
    if (!sdhci_card_ok(s) || !sd_data_ready(s->card)) {
        guest_error("sdhci: the card has no data to read");
        sdhci_data_error(s, SDHC_EIS_DATATIMEOUT);
        return false;
    }
    sd_read_data(s->card, s->buf, sdhci_block_size(s));
    return true;
}

bool sdhci_card_write_block(SDHCIState *s)
{
    if (!sdhci_card_ok(s) || !sd_receive_ready(s->card)) {
        guest_error("sdhci: the card takes no data");
        sdhci_data_error(s, SDHC_EIS_DATATIMEOUT);
        return false;
    }
    sd_write_data(s->card, s->buf, sdhci_block_size(s));
    return true;
}

/* PIO: the next block is in the buffer (read) or the buffer is free
 * (write), with Buffer Read/Write Ready (section 3.7.2). */
void sdhci_pio_next(SDHCIState *s)
{
    s->data_count = 0;
    if (s->trnmod & SDHC_TRNS_READ) {
        if (!sdhci_card_read_block(s)) {
            return;
        }
        s->prnsts |= SDHC_BUF_READ_ENABLE;
        sdhci_raise_nor(s, SDHC_NIS_RBUFRDY);
    } else {
        s->prnsts |= SDHC_BUF_WRITE_ENABLE;
        sdhci_raise_nor(s, SDHC_NIS_WBUFRDY);
    }
    sdhci_update_irq(s);
}

static void sdhci_pio_block_end(SDHCIState *s)
{
    if (s->trnmod & SDHC_TRNS_READ) {
        s->prnsts &= ~SDHC_BUF_READ_ENABLE;
    } else {
        s->prnsts &= ~SDHC_BUF_WRITE_ENABLE;
        if (!sdhci_card_write_block(s)) {
            return;
        }
    }
    if (sdhci_block_done(s)) {
        sdhci_pio_next(s);
    }
}

uint32_t sdhci_data_port_read(SDHCIState *s, unsigned size)
{
    uint32_t bs = sdhci_block_size(s);
    uint32_t val = 0;

    if (s->xfer != SDHC_XFER_PIO || !(s->prnsts & SDHC_BUF_READ_ENABLE)) {
        guest_error("sdhci: buffer data port read with no data ready");
        return 0;
    }
    for (unsigned i = 0; i < size; i++) {
        if (s->data_count >= bs) {
            break;
        }
        val |= (uint32_t)s->buf[s->data_count++] << (8 * i);
    }
    if (s->data_count >= bs) {
        sdhci_pio_block_end(s);
    }
    return val;
}

void sdhci_data_port_write(SDHCIState *s, uint32_t val, unsigned size)
{
    uint32_t bs = sdhci_block_size(s);

    if (s->xfer != SDHC_XFER_PIO || !(s->prnsts & SDHC_BUF_WRITE_ENABLE)) {
        guest_error("sdhci: buffer data port write with no space");
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        if (s->data_count >= bs) {
            break;
        }
        s->buf[s->data_count++] = (uint8_t)(val >> (8 * i));
    }
    if (s->data_count >= bs) {
        sdhci_pio_block_end(s);
    }
}
