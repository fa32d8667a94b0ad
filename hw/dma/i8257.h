/* SPDX-License-Identifier: MIT */
/*
 * Intel 8237A DMA controller ("i8257", QEMU's name), one chip per instance:
 * the pc board makes DMA1 (8-bit channels 0-3) and DMA2 (16-bit channels
 * 4-7, channel 4 the cascade). Properties: base (I/O base of the channel
 * registers), page-base (the 16-port page-register block; the chip decodes
 * offsets 1-3 and 7 of it), dshift (0: 8-bit chip, registers at every port;
 * 1: 16-bit chip, registers at even ports, transfers in words).
 *
 * An ISA device that uses DMA (floppy, sound card):
 *   - finds the chip of its channel with i8257_for_channel() at realize and
 *     registers a transfer handler for the channel (i8257_register_channel);
 *   - raises and lowers its DREQ line (i8257_hold_DREQ / i8257_release_DREQ).
 *     That only schedules the controller's bottom half: transfers never run
 *     inside the call, so a device may call these from anywhere, its handler
 *     included;
 *   - in its handler moves bytes with i8257_read_memory (guest memory to the
 *     device: a "read" transfer) or i8257_write_memory (device to memory: a
 *     "write" transfer), which walk the channel's address as the hardware
 *     does, and returns the new position.
 *
 * The handler: handler(opaque, nchan, pos, size) is called, with its owner
 * entered (object_enter), while the channel requests service: its DREQ is
 * held and its mask bit clear, or the guest wrote a software request (not
 * masked; block mode only). size is the block's length in bytes ((count +
 * 1) units; a unit is 2 bytes on DMA2), pos (less than size) how many of
 * them moved so far. It moves what it can and returns the new pos, pos <=
 * new pos <= size (anything else is an emulator bug). At size the channel
 * reaches terminal count: TC in the status register, the software request
 * cleared, then auto-initialisation (pos back to 0) or the channel's mask
 * bit set. The controller calls a handler again, in later runs of its
 * bottom half, while it makes progress and the channel still requests, at
 * most I8257_MAX_RUNS runs in a row; a handler that cannot go on returns
 * pos unchanged and calls i8257_hold_DREQ again once it can. The mode
 * (single, demand, block) does not change how the handler is called: the
 * device paces itself.
 */
#ifndef HW_DMA_I8257_H
#define HW_DMA_I8257_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/machine.h"
#include "emu/object.h"

#define TYPE_I8257 "i8257"

/* Mode register (written at base + 0xb << dshift). */
#define I8257_MODE_CHAN_MASK 0x03
#define I8257_MODE_TYPE_MASK 0x0c
#define I8257_MODE_VERIFY 0x00
#define I8257_MODE_WRITE 0x04       /* device to memory */
#define I8257_MODE_READ 0x08        /* memory to device */
#define I8257_MODE_TYPE_ILLEGAL 0x0c
#define I8257_MODE_AUTOINIT 0x10
#define I8257_MODE_DECREMENT 0x20
#define I8257_MODE_MODE_MASK 0xc0
#define I8257_MODE_DEMAND 0x00
#define I8257_MODE_SINGLE 0x40
#define I8257_MODE_BLOCK 0x80
#define I8257_MODE_CASCADE 0xc0

/* Bottom-half runs in a row, without a register access or DREQ change in
 * between, before a channel that keeps requesting waits for one. */
#define I8257_MAX_RUNS 16

/* Returns the new position; see above. */
typedef uint32_t (*I8257TransferHandler)(void *opaque, unsigned nchan,
                                         uint32_t pos, uint32_t size);

/* The controller of channel nchan (0-7) in m, or NULL if m has none. */
Object *i8257_for_channel(Machine *m, unsigned nchan);

/*
 * Set-up only. nchan is 0-7 and must belong to dma (0-3 to the 8-bit chip,
 * 4-7 to the 16-bit one), one handler per channel: otherwise an emulator
 * bug. owner is the device, entered around each call (may be NULL in tests).
 */
void i8257_register_channel(Object *dma, unsigned nchan, Object *owner,
                            I8257TransferHandler handler, void *opaque);

void i8257_hold_DREQ(Object *dma, unsigned nchan);
void i8257_release_DREQ(Object *dma, unsigned nchan);

/* The channel's mode register (I8257_MODE_*, channel bits clear). */
uint8_t i8257_channel_mode(Object *dma, unsigned nchan);

/*
 * len bytes at block position pos: from guest memory into buf, or from buf
 * into guest memory. Returns how many moved: len, or fewer if the DMA
 * budget (emu/dma.h) or the core refused a piece; a read zero-fills the rest
 * of buf. Bytes of unmapped addresses read 0 and are dropped on write, as on
 * the bus: they count as moved.
 */
uint32_t i8257_read_memory(Object *dma, unsigned nchan, void *buf, uint32_t pos,
                           uint32_t len);
uint32_t i8257_write_memory(Object *dma, unsigned nchan, const void *buf,
                            uint32_t pos, uint32_t len);

#endif
