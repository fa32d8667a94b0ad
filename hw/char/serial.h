/* SPDX-License-Identifier: MIT */
/*
 * 16550A UART core (National Semiconductor PC16550D), bus-agnostic: the ISA
 * glue (serial-isa.c) maps serial_read/serial_write on an 8-byte I/O region;
 * tests drive the core directly. Host-side input (serial_receive and
 * friends) stands for what a backend would deliver; the backends we have
 * only send, so in the machine the receiver is fed by loopback alone.
 */
#ifndef HW_CHAR_SERIAL_H
#define HW_CHAR_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/clock.h"
#include "emu/irq.h"
#include "hw/backend/chardev.h"

/* isa-serial properties: index (0..3: 0x3f8/4, 0x2f8/3, 0x3e8/4, 0x2e8/3),
 * iobase, irq (override the index), chardev (id). */
#define TYPE_ISA_SERIAL "isa-serial"

#define SERIAL_FIFO_LEN 16
#define SERIAL_REG_COUNT 8 /* register window, bytes */

typedef struct SerialFifo {
    uint8_t data[SERIAL_FIFO_LEN];
    uint8_t head; /* index of the oldest byte */
    uint8_t count;
} SerialFifo;

typedef struct SerialState {
    /* Registers (PC16550D table II). */
    uint8_t rbr; /* receiver buffer, FIFOs off */
    uint8_t thr; /* transmitter holding, FIFOs off */
    uint8_t tsr; /* transmitter shift register */
    uint8_t ier;
    uint8_t iir;
    uint8_t fcr; /* the bits that stick: enable, DMA, trigger */
    uint8_t lcr;
    uint8_t mcr;
    uint8_t lsr;
    uint8_t msr;
    uint8_t scr;
    uint16_t divisor; /* DLM:DLL */
    /* Interrupt sources latched apart from LSR/MSR. */
    bool thr_ipending;     /* THRE identification not yet read from IIR */
    bool timeout_ipending; /* character timeout indication */
    uint8_t rx_trigger;    /* 1, 4, 8 or 14 bytes */
    SerialFifo rx_fifo;
    SerialFifo tx_fifo;
    int64_t char_ns; /* one character on the wire, virtual ns */
    Timer rx_timeout;
    Clock *clock;
    IRQ *irq;     /* may be NULL */
    Chardev *chr; /* may be NULL: output goes nowhere */
} SerialState;

/* Set-up: wires the core and puts it in its reset state. */
/* owner: the object embedding s (its timer belongs to it). */
void serial_init(SerialState *s, Object *owner, Clock *clock, IRQ *irq, Chardev *chr);
void serial_reset(SerialState *s);

/* Guest access to register off (0..7; higher bits are ignored). */
uint8_t serial_read(SerialState *s, unsigned off);
void serial_write(SerialState *s, unsigned off, uint8_t val);

/* Host side, as a backend would: characters arriving on SIN, a break
 * condition, and the modem input lines, laid out as MSR bits 4-7
 * (CTS 0x10, DSR 0x20, RI 0x40, DCD 0x80). */
void serial_receive(SerialState *s, const uint8_t *buf, size_t len);
void serial_receive_break(SerialState *s);
void serial_set_modem_lines(SerialState *s, uint8_t lines);

/* Virtual ns one character takes at the current divisor and LCR. */
int64_t serial_char_time_ns(uint16_t divisor, uint8_t lcr);

#endif
