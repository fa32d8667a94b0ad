/* SPDX-License-Identifier: MIT */
/*
 * PS/2 keyboard and mouse as seen from the 8042 controller: each a byte
 * queue towards the controller and a command interpreter for bytes from it.
 * Not devices of their own: the i8042 embeds both (hw/input/pckbd.c).
 */
#ifndef HW_INPUT_PS2_H
#define HW_INPUT_PS2_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The ring holds at most PS2_QUEUE_SIZE bytes of scancodes or packets
 * (the PS/2 protocol's buffer) plus up to PS2_QUEUE_HEADROOM bytes of
 * command replies, which go in front of the queued data (as in QEMU 7.2).
 */
#define PS2_BUFFER_SIZE 256
#define PS2_QUEUE_SIZE 16
#define PS2_QUEUE_HEADROOM 8

/* The device's "data available" line towards the controller. */
typedef void (*PS2IrqFn)(void *opaque, int level);

typedef struct PS2Queue {
    uint8_t data[PS2_BUFFER_SIZE];
    int rptr;
    int wptr;
    int reply_end; /* end of the command replies, or -1 */
    int count;
} PS2Queue;

typedef struct PS2Port {
    PS2Queue q;
    int write_cmd; /* command waiting for its parameter, or -1 */
    PS2IrqFn irq;
    void *opaque;
} PS2Port;

typedef struct PS2Kbd {
    PS2Port port;
    bool scan_enabled;
    bool translate;     /* controller translates set 2 to set 1 */
    bool need_high_bit; /* translating: last byte was a 0xf0 break prefix */
    uint8_t scancode_set;
    uint8_t ledstate;
} PS2Kbd;

typedef struct PS2Mouse {
    PS2Port port;
    uint8_t status; /* PS2_MOUSE_STATUS_* */
    uint8_t resolution;
    uint8_t sample_rate;
    bool wrap;
    uint8_t type; /* 0: PS/2, 3: IntelliMouse, 4: IntelliMouse Explorer */
    uint8_t detect_state;
} PS2Mouse;

#define PS2_MOUSE_STATUS_REMOTE 0x40
#define PS2_MOUSE_STATUS_ENABLED 0x20
#define PS2_MOUSE_STATUS_SCALE21 0x10

/* Reads the next byte; with nothing queued, repeats the last one. */
uint8_t ps2_read_data(PS2Port *p);
bool ps2_queue_empty(const PS2Port *p);

void ps2_kbd_init(PS2Kbd *k, PS2IrqFn irq, void *opaque);
void ps2_kbd_reset(PS2Kbd *k);
void ps2_kbd_write(PS2Kbd *k, uint8_t val);
void ps2_kbd_set_translation(PS2Kbd *k, bool on);
/* The keyboard sends a byte of its current scancode set (if scanning). */
void ps2_kbd_put(PS2Kbd *k, uint8_t scancode);

void ps2_mouse_init(PS2Mouse *ms, PS2IrqFn irq, void *opaque);
void ps2_mouse_reset(PS2Mouse *ms);
void ps2_mouse_write(PS2Mouse *ms, uint8_t val);
/* The mouse sends a byte of a movement packet (if reporting is enabled). */
void ps2_mouse_put(PS2Mouse *ms, uint8_t byte);

#endif
