/* SPDX-License-Identifier: MIT */
/*
 * 16550A UART core after the National Semiconductor PC16550D datasheet, with
 * QEMU 7.2's register-visible behaviour where the two differ: a character
 * leaves (to the chardev, or to the receiver in loopback) the moment THR is
 * written, MCR resets to OUT2, OUT2 does not gate the interrupt, and MSR
 * shows no delta bits in loopback. The receive timeout runs on the virtual
 * clock. Left out: DMA mode signalling (TXRDY/RXRDY pins), parity and
 * framing errors (nothing on our wires can cause them).
 */
#include "hw/char/serial.h"

#include <string.h>

#include "emu/log.h"

/* Register offsets; DLL/DLM replace RBR/THR/IER while LCR.DLAB is set. */
#define UART_RBR 0 /* read */
#define UART_THR 0 /* write */
#define UART_DLL 0
#define UART_IER 1
#define UART_DLM 1
#define UART_IIR 2 /* read */
#define UART_FCR 2 /* write */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

/* IER (section 8.6) */
#define UART_IER_RDI 0x01  /* received data available, timeout */
#define UART_IER_THRI 0x02 /* THR empty */
#define UART_IER_RLSI 0x04 /* receiver line status */
#define UART_IER_MSI 0x08  /* modem status */
#define UART_IER_MASK 0x0f

/* IIR (section 8.5, table IV): identification codes by priority */
#define UART_IIR_NO_INT 0x01
#define UART_IIR_MSI 0x00
#define UART_IIR_THRI 0x02
#define UART_IIR_RDI 0x04
#define UART_IIR_RLSI 0x06
#define UART_IIR_CTI 0x0c
#define UART_IIR_ID_MASK 0x0f
#define UART_IIR_FIFO_ON 0xc0 /* both bits set while FCR.0 is set */

/* FCR (section 8.4) */
#define UART_FCR_FE 0x01  /* FIFO enable */
#define UART_FCR_RFR 0x02 /* clear RCVR FIFO (self-clearing) */
#define UART_FCR_XFR 0x04 /* clear XMIT FIFO (self-clearing) */
#define UART_FCR_DMS 0x08 /* DMA mode select */
#define UART_FCR_TRIGGER 0xc0
#define UART_FCR_STICKY (UART_FCR_TRIGGER | UART_FCR_DMS | UART_FCR_FE)

/* LCR (section 8.1) */
#define UART_LCR_WLS 0x03 /* word length - 5 */
#define UART_LCR_STB 0x04 /* 1.5/2 stop bits */
#define UART_LCR_PEN 0x08 /* parity enable */
#define UART_LCR_DLAB 0x80

/* MCR (section 8.7) */
#define UART_MCR_DTR 0x01
#define UART_MCR_RTS 0x02
#define UART_MCR_OUT1 0x04
#define UART_MCR_OUT2 0x08
#define UART_MCR_LOOP 0x10
#define UART_MCR_MASK 0x1f

/* LSR (section 8.3) */
#define UART_LSR_DR 0x01
#define UART_LSR_OE 0x02
#define UART_LSR_PE 0x04
#define UART_LSR_FE 0x08
#define UART_LSR_BI 0x10
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define UART_LSR_RXERR 0x80 /* an error character is in the RCVR FIFO */
#define UART_LSR_INT_ANY (UART_LSR_OE | UART_LSR_PE | UART_LSR_FE | UART_LSR_BI)

/* MSR (section 8.8): deltas in the low nibble, lines in the high one */
#define UART_MSR_DCTS 0x01
#define UART_MSR_DDSR 0x02
#define UART_MSR_TERI 0x04
#define UART_MSR_DDCD 0x08
#define UART_MSR_DELTA 0x0f
#define UART_MSR_CTS 0x10
#define UART_MSR_DSR 0x20
#define UART_MSR_RI 0x40
#define UART_MSR_DCD 0x80
#define UART_MSR_LINES 0xf0

/* Limits and clocking: a 1.8432 MHz crystal, 16 clocks per bit. */
#define UART_XTAL_HZ 1843200LL
#define UART_CLOCKS_PER_BIT 16
#define UART_ZERO_DIVISOR_BAUD 3500 /* what QEMU makes of divisor 0 */
#define UART_TIMEOUT_CHARS 4        /* section 8.10: character timeout */

static const uint8_t serial_rx_triggers[4] = {1, 4, 8, 14};

/* FIFO helpers: fixed 16-byte rings. */

static void serial_fifo_reset(SerialFifo *f)
{
    memset(f->data, 0, sizeof(f->data));
    f->head = 0;
    f->count = 0;
}

static bool serial_fifo_full(const SerialFifo *f)
{
    return f->count >= SERIAL_FIFO_LEN;
}

static void serial_fifo_push(SerialFifo *f, uint8_t byte)
{
    if (serial_fifo_full(f)) {
        emu_bug("serial: push on a full FIFO");
    }
    f->data[(f->head + f->count) % SERIAL_FIFO_LEN] = byte;
    f->count++;
}

static uint8_t serial_fifo_pop(SerialFifo *f)
{
    uint8_t byte;

    if (f->count == 0) {
        emu_bug("serial: pop on an empty FIFO");
    }
    byte = f->data[f->head];
    f->head = (f->head + 1) % SERIAL_FIFO_LEN;
    f->count--;
    return byte;
}

static bool serial_fifo_on(const SerialState *s)
{
    return s->fcr & UART_FCR_FE;
}

int64_t serial_char_time_ns(uint16_t divisor, uint8_t lcr)
{
    /* Start bit, 5-8 data bits, optional parity, 1 or 2 stop bits. */
    int64_t bits = 1 + 5 + (lcr & UART_LCR_WLS) + 1;

    if (lcr & UART_LCR_PEN) {
        bits++;
    }
    if (lcr & UART_LCR_STB) {
        bits++;
    }
    if (divisor == 0) {
        return bits * NANOSECONDS_PER_SECOND / UART_ZERO_DIVISOR_BAUD;
    }
    return bits * UART_CLOCKS_PER_BIT * divisor * NANOSECONDS_PER_SECOND / UART_XTAL_HZ;
}

static void serial_update_timing(SerialState *s)
{
    s->char_ns = serial_char_time_ns(s->divisor, s->lcr);
}

/* IIR identification by priority (table IV), and the interrupt output. */
static uint8_t serial_pending_id(const SerialState *s)
{
    bool rx_ready = (s->lsr & UART_LSR_DR) &&
                    (!serial_fifo_on(s) || s->rx_fifo.count >= s->rx_trigger);

    if ((s->ier & UART_IER_RLSI) && (s->lsr & UART_LSR_INT_ANY)) {
        return UART_IIR_RLSI;
    }
    /* The timeout is masked by IER.RDI (as on real parts and in QEMU). */
    if ((s->ier & UART_IER_RDI) && s->timeout_ipending) {
        return UART_IIR_CTI;
    }
    if ((s->ier & UART_IER_RDI) && rx_ready) {
        return UART_IIR_RDI;
    }
    if ((s->ier & UART_IER_THRI) && s->thr_ipending) {
        return UART_IIR_THRI;
    }
    if ((s->ier & UART_IER_MSI) && (s->msr & UART_MSR_DELTA)) {
        return UART_IIR_MSI;
    }
    return UART_IIR_NO_INT;
}

static void serial_update_irq(SerialState *s)
{
    uint8_t id = serial_pending_id(s);

    s->iir = (s->iir & UART_IIR_FIFO_ON) | id;
    irq_set(s->irq, id != UART_IIR_NO_INT);
}

static void serial_arm_rx_timeout(SerialState *s)
{
    timer_mod(&s->rx_timeout, clock_get_ns(s->clock) + s->char_ns * UART_TIMEOUT_CHARS);
}

/* One character completely received into RBR or the RCVR FIFO. */
static void serial_rx_char(SerialState *s, uint8_t byte)
{
    if (serial_fifo_on(s)) {
        /* Overrun keeps the FIFO and loses the new character (8.3, OE). */
        if (serial_fifo_full(&s->rx_fifo)) {
            s->lsr |= UART_LSR_OE;
        } else {
            serial_fifo_push(&s->rx_fifo, byte);
        }
    } else {
        if (s->lsr & UART_LSR_DR) {
            s->lsr |= UART_LSR_OE;
        }
        s->rbr = byte;
    }
    s->lsr |= UART_LSR_DR;
}

void serial_receive(SerialState *s, const uint8_t *buf, size_t len)
{
    size_t i;

    if (len == 0) {
        return;
    }
    for (i = 0; i < len; i++) {
        serial_rx_char(s, buf[i]);
    }
    if (serial_fifo_on(s)) {
        serial_arm_rx_timeout(s);
    }
    serial_update_irq(s);
}

void serial_receive_break(SerialState *s)
{
    /* A break loads a zero character and sets BI (8.3, bit 4). */
    serial_rx_char(s, 0);
    s->lsr |= UART_LSR_BI;
    if (serial_fifo_on(s)) {
        s->lsr |= UART_LSR_RXERR;
        serial_arm_rx_timeout(s);
    }
    serial_update_irq(s);
}

void serial_set_modem_lines(SerialState *s, uint8_t lines)
{
    uint8_t old = s->msr & UART_MSR_LINES;
    uint8_t changed = (old ^ lines) & UART_MSR_LINES;
    uint8_t delta = changed >> 4;

    /* TERI flags only the trailing (1 -> 0) edge of RI (8.8, bit 2). */
    if (lines & UART_MSR_RI) {
        delta &= ~UART_MSR_TERI;
    }
    s->msr = (lines & UART_MSR_LINES) | (s->msr & UART_MSR_DELTA) | delta;
    if (changed) {
        serial_update_irq(s);
    }
}

/*
 * Transmit: THR or the XMIT FIFO goes through the shift register at once
 * (QEMU 7.2 does not pace output by the baud rate), so THRE and TEMT read
 * set again right after the write. The loop drains at most the FIFO.
 */
static void serial_tx_char(SerialState *s, uint8_t byte)
{
    if (s->mcr & UART_MCR_LOOP) {
        serial_receive(s, &byte, 1); /* SOUT is looped to SIN (8.7) */
    } else {
        chardev_write(s->chr, &byte, 1);
    }
}

static void serial_transmit(SerialState *s)
{
    unsigned n;

    for (n = 0; n <= SERIAL_FIFO_LEN && !(s->lsr & UART_LSR_THRE); n++) {
        if (!serial_fifo_on(s)) {
            s->tsr = s->thr;
            s->lsr |= UART_LSR_THRE;
        } else if (s->tx_fifo.count == 0) {
            s->lsr |= UART_LSR_THRE;
            break;
        } else {
            s->tsr = serial_fifo_pop(&s->tx_fifo);
            if (s->tx_fifo.count == 0) {
                s->lsr |= UART_LSR_THRE;
            }
        }
        if ((s->lsr & UART_LSR_THRE) && !s->thr_ipending) {
            s->thr_ipending = true;
            serial_update_irq(s);
        }
        serial_tx_char(s, s->tsr);
    }
    s->lsr |= UART_LSR_TEMT;
}

/* Register helpers. */

static uint8_t serial_read_rbr(SerialState *s)
{
    uint8_t val;

    if (!serial_fifo_on(s)) {
        val = s->rbr;
        s->lsr &= ~(UART_LSR_DR | UART_LSR_BI);
    } else {
        val = s->rx_fifo.count ? serial_fifo_pop(&s->rx_fifo) : 0;
        if (s->rx_fifo.count == 0) {
            s->lsr &= ~(UART_LSR_DR | UART_LSR_BI);
        } else {
            serial_arm_rx_timeout(s); /* a read restarts the timeout */
        }
        s->timeout_ipending = false;
    }
    serial_update_irq(s);
    return val;
}

static uint8_t serial_read_iir(SerialState *s)
{
    uint8_t val = s->iir;

    /* Reading IIR while it names THRE clears that source (table IV). */
    if ((val & UART_IIR_ID_MASK) == UART_IIR_THRI) {
        s->thr_ipending = false;
        serial_update_irq(s);
    }
    return val;
}

static uint8_t serial_read_lsr(SerialState *s)
{
    uint8_t val = s->lsr;

    /* OE and BI clear on read; QEMU leaves PE/FE (never set here). */
    if (s->lsr & (UART_LSR_OE | UART_LSR_BI | UART_LSR_RXERR)) {
        s->lsr &= ~(UART_LSR_OE | UART_LSR_BI | UART_LSR_RXERR);
        serial_update_irq(s);
    }
    return val;
}

static uint8_t serial_read_msr(SerialState *s)
{
    uint8_t val;

    if (s->mcr & UART_MCR_LOOP) {
        /* Loopback (8.7): DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD. */
        val = (s->mcr & UART_MCR_DTR) ? UART_MSR_DSR : 0;
        val |= (s->mcr & UART_MCR_RTS) ? UART_MSR_CTS : 0;
        val |= (s->mcr & UART_MCR_OUT1) ? UART_MSR_RI : 0;
        val |= (s->mcr & UART_MCR_OUT2) ? UART_MSR_DCD : 0;
        return val;
    }
    val = s->msr;
    if (s->msr & UART_MSR_DELTA) {
        s->msr &= ~UART_MSR_DELTA;
        serial_update_irq(s);
    }
    return val;
}

static void serial_write_thr(SerialState *s, uint8_t val)
{
    s->thr = val;
    if (serial_fifo_on(s)) {
        /* A full XMIT FIFO loses its oldest byte to the new one. */
        if (serial_fifo_full(&s->tx_fifo)) {
            serial_fifo_pop(&s->tx_fifo);
        }
        serial_fifo_push(&s->tx_fifo, val);
    }
    s->thr_ipending = false;
    s->lsr &= ~(UART_LSR_THRE | UART_LSR_TEMT);
    serial_update_irq(s);
    serial_transmit(s);
}

static void serial_write_ier(SerialState *s, uint8_t val)
{
    uint8_t changed = (s->ier ^ val) & UART_IER_MASK;

    s->ier = val & UART_IER_MASK;
    /*
     * Setting ETBEI while THR is empty raises THRE again even if IIR has
     * been read (not in the datasheet; PC software relies on it). Only a
     * 0 -> 1 change of the bit does so, as in QEMU and Bochs.
     */
    if (changed & UART_IER_THRI) {
        s->thr_ipending = (s->ier & UART_IER_THRI) && (s->lsr & UART_LSR_THRE);
    }
    if (changed) {
        serial_update_irq(s);
    }
}

static void serial_write_fcr(SerialState *s, uint8_t val)
{
    /* Changing the enable bit clears both FIFOs (8.4, bit 0). */
    if ((val ^ s->fcr) & UART_FCR_FE) {
        val |= UART_FCR_RFR | UART_FCR_XFR;
    }
    if (val & UART_FCR_RFR) {
        s->lsr &= ~(UART_LSR_DR | UART_LSR_BI);
        timer_del(&s->rx_timeout);
        s->timeout_ipending = false;
        serial_fifo_reset(&s->rx_fifo);
    }
    if (val & UART_FCR_XFR) {
        s->lsr |= UART_LSR_THRE;
        s->thr_ipending = true;
        serial_fifo_reset(&s->tx_fifo);
    }
    s->fcr = val & UART_FCR_STICKY;
    if (val & UART_FCR_FE) {
        s->iir |= UART_IIR_FIFO_ON;
        s->rx_trigger = serial_rx_triggers[(val & UART_FCR_TRIGGER) >> 6];
    } else {
        s->iir &= ~UART_IIR_FIFO_ON;
    }
    serial_update_irq(s);
}

static void serial_write_divisor(SerialState *s, unsigned shift, uint8_t val)
{
    s->divisor = (uint16_t)((s->divisor & ~(0xffu << shift)) | ((unsigned)val << shift));
    serial_update_timing(s);
}

uint8_t serial_read(SerialState *s, unsigned off)
{
    bool dlab = s->lcr & UART_LCR_DLAB;

    switch (off % SERIAL_REG_COUNT) {
    case UART_RBR:
        return dlab ? (uint8_t)s->divisor : serial_read_rbr(s);
    case UART_IER:
        return dlab ? (uint8_t)(s->divisor >> 8) : s->ier;
    case UART_IIR:
        return serial_read_iir(s);
    case UART_LCR:
        return s->lcr;
    case UART_MCR:
        return s->mcr;
    case UART_LSR:
        return serial_read_lsr(s);
    case UART_MSR:
        return serial_read_msr(s);
    default: /* UART_SCR */
        return s->scr;
    }
}

void serial_write(SerialState *s, unsigned off, uint8_t val)
{
    bool dlab = s->lcr & UART_LCR_DLAB;

    switch (off % SERIAL_REG_COUNT) {
    case UART_THR:
        if (dlab) {
            serial_write_divisor(s, 0, val);
        } else {
            serial_write_thr(s, val);
        }
        break;
    case UART_IER:
        if (dlab) {
            serial_write_divisor(s, 8, val);
        } else {
            serial_write_ier(s, val);
        }
        break;
    case UART_FCR:
        serial_write_fcr(s, val);
        break;
    case UART_LCR:
        s->lcr = val; /* the break bit drives nothing we model */
        serial_update_timing(s);
        break;
    case UART_MCR:
        s->mcr = val & UART_MCR_MASK;
        break;
    case UART_LSR:
    case UART_MSR:
        guest_error("serial: write 0x%02x to read-only %s ignored", val,
                    (off % SERIAL_REG_COUNT) == UART_LSR ? "LSR" : "MSR");
        break;
    default: /* UART_SCR */
        s->scr = val;
        break;
    }
}

/* Character timeout (8.10): data waited 4 character times untouched. */
static void serial_rx_timeout_cb(void *opaque)
{
    SerialState *s = opaque;

    if (s->rx_fifo.count > 0) {
        s->timeout_ipending = true;
        serial_update_irq(s);
    }
}

void serial_reset(SerialState *s)
{
    timer_del(&s->rx_timeout);
    s->rbr = 0;
    s->thr = 0;
    s->tsr = 0;
    s->ier = 0;
    s->iir = UART_IIR_NO_INT;
    s->fcr = 0;
    s->lcr = 0;
    s->mcr = UART_MCR_OUT2; /* QEMU's reset value (the chip's is 0) */
    s->lsr = UART_LSR_THRE | UART_LSR_TEMT;
    s->msr = UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
    s->scr = 0;
    s->divisor = 12; /* 9600 baud */
    s->thr_ipending = false;
    s->timeout_ipending = false;
    s->rx_trigger = 1;
    serial_fifo_reset(&s->rx_fifo);
    serial_fifo_reset(&s->tx_fifo);
    serial_update_timing(s);
    irq_lower(s->irq);
}

void serial_init(SerialState *s, Object *owner, Clock *clock, IRQ *irq, Chardev *chr)
{
    s->clock = clock;
    s->irq = irq;
    s->chr = chr;
    timer_init(&s->rx_timeout, owner, clock, serial_rx_timeout_cb, s);
    serial_reset(s);
}
