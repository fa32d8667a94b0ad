/* SPDX-License-Identifier: MIT */
/*
 * PS/2 keyboard (IBM MF2, scancode sets 1-3) and PS/2 mouse (with the
 * IntelliMouse sample-rate knock), after the IBM PS/2 Technical Reference
 * keyboard and pointing-device chapters and QEMU 7.2's replies: command
 * replies jump ahead of queued scancodes, unread replies are dropped by the
 * next command. Left out: typematic repeat, host input events (bytes come
 * from ps2_kbd_put / ps2_mouse_put).
 */
#include "hw/input/ps2.h"

#include <string.h>

#include "emu/log.h"

/* Keyboard commands and replies */
#define KBD_CMD_SET_LEDS 0xed
#define KBD_CMD_ECHO 0xee
#define KBD_CMD_SCANCODE 0xf0
#define KBD_CMD_GET_ID 0xf2
#define KBD_CMD_SET_RATE 0xf3
#define KBD_CMD_ENABLE 0xf4
#define KBD_CMD_RESET_DISABLE 0xf5
#define KBD_CMD_RESET_ENABLE 0xf6
#define KBD_CMD_SET_TYPEMATIC 0xfa
#define KBD_CMD_SET_MAKE_BREAK 0xfc
#define KBD_CMD_RESET 0xff
#define KBD_REPLY_POR 0xaa
#define KBD_REPLY_ID 0xab
#define KBD_REPLY_ACK 0xfa
#define KBD_REPLY_RESEND 0xfe
#define KBD_ID_MF2 0x83
#define KBD_ID_MF2_TRANSLATED 0x41
#define KBD_BREAK_PREFIX 0xf0

/* Mouse commands */
#define AUX_SET_SCALE11 0xe6
#define AUX_SET_SCALE21 0xe7
#define AUX_SET_RES 0xe8
#define AUX_GET_SCALE 0xe9 /* status request */
#define AUX_SET_STREAM 0xea
#define AUX_POLL 0xeb /* read data */
#define AUX_RESET_WRAP 0xec
#define AUX_SET_WRAP 0xee
#define AUX_SET_REMOTE 0xf0
#define AUX_GET_TYPE 0xf2
#define AUX_SET_SAMPLE 0xf3
#define AUX_ENABLE_DEV 0xf4
#define AUX_DISABLE_DEV 0xf5
#define AUX_SET_DEFAULT 0xf6
#define AUX_RESET 0xff
#define AUX_ACK 0xfa
#define AUX_BAT_OK 0xaa
#define AUX_PACKET_SYNC 0x08 /* bit 3 of a packet's first byte */

#define PS2_MOUSE_DEFAULT_RATE 100
#define PS2_MOUSE_DEFAULT_RES 2

/*
 * The 8042's translation of scancode set 2 to set 1 (IBM PC/AT Technical
 * Reference, "Keyboard Controller"); codes 0x80 and up pass unchanged
 * except 0x83 (F7) and 0x84 (SysRq).
 */
/* clang-format off */
static const uint8_t ps2_set2_to_set1[128] = {
    0xff, 0x43, 0x41, 0x3f, 0x3d, 0x3b, 0x3c, 0x58,
    0x64, 0x44, 0x42, 0x40, 0x3e, 0x0f, 0x29, 0x59,
    0x65, 0x38, 0x2a, 0x70, 0x1d, 0x10, 0x02, 0x5a,
    0x66, 0x71, 0x2c, 0x1f, 0x1e, 0x11, 0x03, 0x5b,
    0x67, 0x2e, 0x2d, 0x20, 0x12, 0x05, 0x04, 0x5c,
    0x68, 0x39, 0x2f, 0x21, 0x14, 0x13, 0x06, 0x5d,
    0x69, 0x31, 0x30, 0x23, 0x22, 0x15, 0x07, 0x5e,
    0x6a, 0x72, 0x32, 0x24, 0x16, 0x08, 0x09, 0x5f,
    0x6b, 0x33, 0x25, 0x17, 0x18, 0x0b, 0x0a, 0x60,
    0x6c, 0x34, 0x35, 0x26, 0x27, 0x19, 0x0c, 0x61,
    0x6d, 0x73, 0x28, 0x74, 0x1a, 0x0d, 0x62, 0x6e,
    0x3a, 0x36, 0x1c, 0x1b, 0x75, 0x2b, 0x63, 0x76,
    0x55, 0x56, 0x77, 0x78, 0x79, 0x7a, 0x0e, 0x7b,
    0x7c, 0x4f, 0x7d, 0x4b, 0x47, 0x7e, 0x7f, 0x6f,
    0x52, 0x53, 0x50, 0x4c, 0x4d, 0x48, 0x01, 0x45,
    0x57, 0x4e, 0x51, 0x4a, 0x37, 0x49, 0x46, 0x54,
};
/* clang-format on */

static uint8_t ps2_translate(uint8_t code)
{
    if (code < 0x80) {
        return ps2_set2_to_set1[code];
    }
    return code == 0x83 ? 0x41 : code == 0x84 ? 0x54 : code;
}

/* ---- the byte queue ---- */

static int ps2_wrap(int i)
{
    return i & (PS2_BUFFER_SIZE - 1);
}

static void ps2_reset_queue(PS2Port *p)
{
    p->q.rptr = 0;
    p->q.wptr = 0;
    p->q.reply_end = -1;
    p->q.count = 0;
}

static void ps2_set_irq(PS2Port *p, int level)
{
    if (p->irq) {
        p->irq(p->opaque, level);
    }
}

bool ps2_queue_empty(const PS2Port *p)
{
    return p->q.count == 0;
}

/* Queues n data bytes, all or none, then signals data available. */
static void ps2_queue_bytes(PS2Port *p, const uint8_t *b, int n)
{
    if (PS2_QUEUE_SIZE - p->q.count < n) {
        return;
    }
    for (int i = 0; i < n; i++) {
        p->q.data[p->q.wptr] = b[i];
        p->q.wptr = ps2_wrap(p->q.wptr + 1);
        p->q.count++;
    }
    ps2_set_irq(p, 1);
}

static void ps2_queue1(PS2Port *p, uint8_t b)
{
    ps2_queue_bytes(p, &b, 1);
}

/*
 * Puts a command reply in front of the queue. Replies never exceed three
 * bytes and the previous ones are dropped first (ps2_cqueue_drop), so the
 * headroom holds them.
 */
static void ps2_cqueue(PS2Port *p, const uint8_t *b, int n)
{
    p->q.rptr = ps2_wrap(p->q.rptr - n);
    p->q.reply_end = p->q.rptr;
    for (int i = 0; i < n; i++) {
        p->q.data[p->q.reply_end] = b[i];
        p->q.reply_end = ps2_wrap(p->q.reply_end + 1);
        p->q.count++;
    }
    ps2_set_irq(p, 1);
}

static void ps2_cqueue1(PS2Port *p, uint8_t b)
{
    ps2_cqueue(p, &b, 1);
}

static void ps2_cqueue2(PS2Port *p, uint8_t b1, uint8_t b2)
{
    const uint8_t b[2] = {b1, b2};

    ps2_cqueue(p, b, 2);
}

/* A new command cancels the unread replies to the previous one. */
static void ps2_cqueue_drop(PS2Port *p)
{
    if (p->q.reply_end == -1) {
        return;
    }
    p->q.count -= ps2_wrap(p->q.reply_end - p->q.rptr);
    p->q.rptr = p->q.reply_end;
    p->q.reply_end = -1;
}

uint8_t ps2_read_data(PS2Port *p)
{
    uint8_t val;

    if (p->q.count == 0) {
        /* The last byte stays on the wire (EMM386 relies on it). */
        return p->q.data[ps2_wrap(p->q.rptr - 1)];
    }
    val = p->q.data[p->q.rptr];
    p->q.rptr = ps2_wrap(p->q.rptr + 1);
    p->q.count--;
    if (p->q.rptr == p->q.reply_end) {
        p->q.reply_end = -1;
    }
    ps2_set_irq(p, 0);
    if (p->q.count) {
        ps2_set_irq(p, 1);
    }
    return val;
}

static void ps2_port_reset(PS2Port *p)
{
    memset(p->q.data, 0, sizeof(p->q.data));
    p->write_cmd = -1;
    ps2_reset_queue(p);
    ps2_set_irq(p, 0);
}

/* ---- keyboard ---- */

void ps2_kbd_init(PS2Kbd *k, PS2IrqFn irq, void *opaque)
{
    k->port.irq = irq;
    k->port.opaque = opaque;
}

void ps2_kbd_reset(PS2Kbd *k)
{
    ps2_port_reset(&k->port);
    k->scan_enabled = true;
    k->translate = false;
    k->need_high_bit = false;
    k->scancode_set = 2;
    k->ledstate = 0;
}

/* The keyboard's own reset (commands 0xff, 0xf5, 0xf6). */
static void ps2_kbd_soft_reset(PS2Kbd *k)
{
    k->scan_enabled = true;
    k->scancode_set = 2;
    ps2_reset_queue(&k->port);
    k->ledstate = 0;
}

static void ps2_kbd_command(PS2Kbd *k, uint8_t val)
{
    PS2Port *p = &k->port;
    uint8_t id[3] = {KBD_REPLY_ACK, KBD_REPLY_ID, KBD_ID_MF2};

    switch (val) {
    case 0x00:
    case KBD_CMD_SET_TYPEMATIC:
        ps2_cqueue1(p, KBD_REPLY_ACK);
        break;
    case KBD_CMD_GET_ID:
        id[2] = k->translate ? KBD_ID_MF2_TRANSLATED : KBD_ID_MF2;
        ps2_cqueue(p, id, 3);
        break;
    case KBD_CMD_ECHO:
        ps2_cqueue1(p, KBD_CMD_ECHO);
        break;
    case KBD_CMD_ENABLE:
        k->scan_enabled = true;
        ps2_cqueue1(p, KBD_REPLY_ACK);
        break;
    case KBD_CMD_SCANCODE:
    case KBD_CMD_SET_LEDS:
    case KBD_CMD_SET_RATE:
    case KBD_CMD_SET_MAKE_BREAK:
        p->write_cmd = val;
        ps2_cqueue1(p, KBD_REPLY_ACK);
        break;
    case KBD_CMD_RESET_DISABLE:
    case KBD_CMD_RESET_ENABLE:
        ps2_kbd_soft_reset(k);
        k->scan_enabled = val == KBD_CMD_RESET_ENABLE;
        ps2_cqueue1(p, KBD_REPLY_ACK);
        break;
    case KBD_CMD_RESET:
        ps2_kbd_soft_reset(k);
        ps2_cqueue2(p, KBD_REPLY_ACK, KBD_REPLY_POR);
        break;
    default:
        /* 0x05, resend (0xfe) and unknown commands: ask for a resend. */
        ps2_cqueue1(p, KBD_REPLY_RESEND);
        break;
    }
}

/* The parameter byte of a two-byte command. */
static void ps2_kbd_parameter(PS2Kbd *k, uint8_t val)
{
    PS2Port *p = &k->port;

    switch (p->write_cmd) {
    case KBD_CMD_SCANCODE:
        if (val == 0) {
            ps2_cqueue2(p, KBD_REPLY_ACK,
                        k->translate ? ps2_translate(k->scancode_set) : k->scancode_set);
        } else if (val <= 3) {
            k->scancode_set = val;
            ps2_cqueue1(p, KBD_REPLY_ACK);
        } else {
            ps2_cqueue1(p, KBD_REPLY_RESEND);
        }
        break;
    case KBD_CMD_SET_LEDS:
        k->ledstate = val;
        ps2_cqueue1(p, KBD_REPLY_ACK);
        break;
    default: /* typematic rate, make/break mode */
        ps2_cqueue1(p, KBD_REPLY_ACK);
        break;
    }
    p->write_cmd = -1;
}

void ps2_kbd_write(PS2Kbd *k, uint8_t val)
{
    ps2_cqueue_drop(&k->port);
    if (k->port.write_cmd == -1) {
        ps2_kbd_command(k, val);
    } else {
        ps2_kbd_parameter(k, val);
    }
}

void ps2_kbd_set_translation(PS2Kbd *k, bool on)
{
    k->translate = on;
}

void ps2_kbd_put(PS2Kbd *k, uint8_t scancode)
{
    if (!k->scan_enabled) {
        return;
    }
    if (!k->translate) {
        ps2_queue1(&k->port, scancode);
    } else if (scancode == KBD_BREAK_PREFIX) {
        k->need_high_bit = true; /* set 1 marks a break by bit 7 */
    } else {
        ps2_queue1(&k->port, ps2_translate(scancode) | (k->need_high_bit ? 0x80 : 0));
        k->need_high_bit = false;
    }
}

/* ---- mouse ---- */

void ps2_mouse_init(PS2Mouse *ms, PS2IrqFn irq, void *opaque)
{
    ms->port.irq = irq;
    ms->port.opaque = opaque;
}

void ps2_mouse_reset(PS2Mouse *ms)
{
    ps2_port_reset(&ms->port);
    ms->status = 0;
    ms->resolution = 0;
    ms->sample_rate = 0;
    ms->wrap = false;
    ms->type = 0;
    ms->detect_state = 0;
}

/* One movement packet with no motion and no buttons (no host events). */
static void ps2_mouse_send_packet(PS2Mouse *ms)
{
    const uint8_t packet[4] = {AUX_PACKET_SYNC, 0, 0, 0};

    ps2_queue_bytes(&ms->port, packet, ms->type ? 4 : 3);
}

/* Sample rates 200,100,80 select the IntelliMouse, 200,200,80 the Explorer. */
static void ps2_mouse_set_sample_rate(PS2Mouse *ms, uint8_t val)
{
    ms->sample_rate = val;
    switch (ms->detect_state) {
    case 0:
        ms->detect_state = val == 200 ? 1 : 0;
        break;
    case 1:
        ms->detect_state = val == 100 ? 2 : val == 200 ? 3 : 0;
        break;
    case 2:
        ms->type = val == 80 ? 3 : ms->type;
        ms->detect_state = 0;
        break;
    default:
        ms->type = val == 80 ? 4 : ms->type;
        ms->detect_state = 0;
        break;
    }
}

static void ps2_mouse_defaults(PS2Mouse *ms)
{
    ms->sample_rate = PS2_MOUSE_DEFAULT_RATE;
    ms->resolution = PS2_MOUSE_DEFAULT_RES;
    ms->status = 0;
}

static void ps2_mouse_command(PS2Mouse *ms, uint8_t val)
{
    PS2Port *p = &ms->port;
    uint8_t reply[4] = {AUX_ACK, 0, 0, 0};

    switch (val) {
    case AUX_SET_SCALE11:
        ms->status &= ~PS2_MOUSE_STATUS_SCALE21;
        break;
    case AUX_SET_SCALE21:
        ms->status |= PS2_MOUSE_STATUS_SCALE21;
        break;
    case AUX_SET_STREAM:
        ms->status &= ~PS2_MOUSE_STATUS_REMOTE;
        break;
    case AUX_SET_WRAP:
        ms->wrap = true;
        break;
    case AUX_SET_REMOTE:
        ms->status |= PS2_MOUSE_STATUS_REMOTE;
        break;
    case AUX_GET_TYPE:
        reply[1] = ms->type;
        ps2_queue_bytes(p, reply, 2);
        return;
    case AUX_SET_RES:
    case AUX_SET_SAMPLE:
        p->write_cmd = val;
        break;
    case AUX_GET_SCALE:
        reply[1] = ms->status;
        reply[2] = ms->resolution;
        reply[3] = ms->sample_rate;
        ps2_queue_bytes(p, reply, 4);
        return;
    case AUX_POLL:
        ps2_queue1(p, AUX_ACK);
        ps2_mouse_send_packet(ms);
        return;
    case AUX_ENABLE_DEV:
        ms->status |= PS2_MOUSE_STATUS_ENABLED;
        break;
    case AUX_DISABLE_DEV:
        ms->status &= ~PS2_MOUSE_STATUS_ENABLED;
        break;
    case AUX_SET_DEFAULT:
        ps2_mouse_defaults(ms);
        break;
    case AUX_RESET:
        ps2_mouse_defaults(ms);
        ms->type = 0;
        ps2_reset_queue(p);
        reply[1] = AUX_BAT_OK;
        reply[2] = ms->type;
        ps2_queue_bytes(p, reply, 3);
        return;
    default:
        guest_error("ps2 mouse: unknown command 0x%02x", val);
        return; /* no reply, as QEMU */
    }
    ps2_queue1(p, AUX_ACK);
}

void ps2_mouse_write(PS2Mouse *ms, uint8_t val)
{
    PS2Port *p = &ms->port;

    if (p->write_cmd == AUX_SET_SAMPLE) {
        ps2_mouse_set_sample_rate(ms, val);
    } else if (p->write_cmd == AUX_SET_RES) {
        ms->resolution = val;
    } else if (ms->wrap && val != AUX_RESET) {
        /* Wrap mode echoes every byte except reset and reset-wrap. */
        if (val == AUX_RESET_WRAP) {
            ms->wrap = false;
            val = AUX_ACK;
        }
        ps2_queue1(p, val);
        return;
    } else {
        ps2_mouse_command(ms, val);
        return;
    }
    p->write_cmd = -1;
    ps2_queue1(p, AUX_ACK);
}

void ps2_mouse_put(PS2Mouse *ms, uint8_t byte)
{
    if (ms->status & PS2_MOUSE_STATUS_ENABLED) {
        ps2_queue1(&ms->port, byte);
    }
}
