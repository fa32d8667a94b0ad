/* SPDX-License-Identifier: MIT */
/*
 * Intel 8237A DMA controller (Intel 8237A datasheet, order 231466), with the
 * PC/AT page registers next to it (74LS612 at 0x80-0x8f). Per channel:
 * base and current address and word count through the byte-pointer
 * flip-flop, mode, mask and request bits; status with TC and request bits;
 * command with controller disable; master clear. Transfers run from a
 * bottom half through the device's handler (i8257.h), each requesting
 * channel once a run in fixed priority order. Left out: memory-to-memory
 * transfers (command bit 0, so the temporary register always reads 0),
 * DREQ/DACK polarity (bits 6-7), rotating priority (bit 4: stored, but a
 * run serves every requesting channel anyway), external EOP, the high page
 * registers (QEMU's pc has none), and the AT cascade gate: DMA1 runs
 * whatever DMA2's channel 4 says, as in QEMU.
 */
#include "hw/dma/i8257.h"

#include <string.h>

#include "emu/byteorder.h"
#include "emu/clock.h"
#include "emu/dma.h"
#include "emu/log.h"
#include "emu/memory.h"
#include "hw/devices.h"

/* Control registers, by index (port offset >> dshift) in the "dma-cont"
 * region; reads where the datasheet says "illegal" give 0, as QEMU. */
#define I8257_STATUS 0          /* read */
#define I8257_COMMAND 0         /* write */
#define I8257_REQUEST 1         /* write; read: the mask, as QEMU */
#define I8257_SINGLE_MASK 2
#define I8257_MODE 3
#define I8257_CLEAR_FF 4
#define I8257_TEMP 5            /* read */
#define I8257_MASTER_CLEAR 5    /* write */
#define I8257_CLEAR_MASK 6
#define I8257_WRITE_MASK 7

/* Command register. */
#define I8257_CMD_MEM_TO_MEM 0x01
#define I8257_CMD_CH0_HOLD 0x02
#define I8257_CMD_DISABLE 0x04
#define I8257_CMD_DREQ_LOW 0x40
#define I8257_CMD_DACK_HIGH 0x80
#define I8257_CMD_UNMODELLED (I8257_CMD_MEM_TO_MEM | I8257_CMD_CH0_HOLD | \
                              I8257_CMD_DREQ_LOW | I8257_CMD_DACK_HIGH)

/* Request and single-mask writes: channel in bits 1-0, set/clear in bit 2. */
#define I8257_SEL_CHAN 0x03
#define I8257_SEL_SET 0x04

/* Status register: TC bits 3-0, request bits 7-4. */
#define I8257_STATUS_REQ_SHIFT 4

/* Limits. */
#define I8257_CHANNELS 4
#define I8257_ALL 0x0f
#define I8257_REGS 8                /* registers per region */
#define I8257_PAGE_PORTS 8          /* the chip's half of the page block */
#define I8257_CHUNK 256u            /* bounce buffer for reversed pieces */
#define I8257_IO_SPACE 0x10000u

/* Page register of each port offset in the page block (PC/AT wiring:
 * 0x87 channel 0, 0x83 channel 1, 0x81 channel 2, 0x82 channel 3). */
static const int8_t i8257_page_chan[I8257_PAGE_PORTS] = {-1, 2, 3, 1, -1, -1, -1, 0};

typedef struct I8257State I8257State;

typedef struct I8257Channel {
    uint16_t base_addr;
    uint16_t base_count;
    /* The current registers are start_* moved on by done bytes: the
     * handler's pos counts from where the block (re)started. */
    uint16_t start_addr;
    uint16_t start_count;
    uint32_t done;
    uint8_t mode;               /* bits 7-2 of the mode register */
    uint8_t page;
    /* Wiring, set up once. */
    I8257TransferHandler handler;
    Object *owner;
    void *opaque;
} I8257Channel;

/* One of the two page-register regions ("dma-page"): ports first.. of the
 * block. */
typedef struct I8257PagePorts {
    MemoryRegion io;
    I8257State *s;
    uint8_t first;
} I8257PagePorts;

struct I8257State {
    Object obj;
    /* Properties. */
    uint32_t base;
    uint32_t page_base;
    uint32_t dshift;
    /* Registers. */
    I8257Channel ch[I8257_CHANNELS];
    uint8_t command;
    uint8_t tc;                 /* status bits 3-0 */
    uint8_t request;            /* software requests */
    uint8_t dreq;               /* the devices' DREQ lines */
    uint8_t mask;
    bool flip_flop;             /* next byte is the high one */
    /* Bottom half: runs in a row, and whether one is running now. */
    uint8_t runs;
    bool in_run;
    BH bh;
    MemoryRegion chan_io;
    MemoryRegion cont_io;
    I8257PagePorts page[2];
    AddressSpace *as;
};

/* Position and length of a walk piece in guest memory; reversed: the
 * piece's units are in descending address order (address decrement). */
typedef struct I8257Piece {
    uint64_t addr;
    uint32_t len;
    bool reversed;
} I8257Piece;

static uint32_t i8257_block_size(const I8257State *s, const I8257Channel *c)
{
    return ((uint32_t)c->start_count + 1) << s->dshift;
}

static uint16_t i8257_unit_addr(const I8257Channel *c, uint32_t unit)
{
    if (c->mode & I8257_MODE_DECREMENT) {
        return (uint16_t)(c->start_addr - unit);
    }
    return (uint16_t)(c->start_addr + unit);
}

static uint16_t i8257_cur_addr(const I8257State *s, const I8257Channel *c)
{
    return i8257_unit_addr(c, c->done >> s->dshift);
}

static uint16_t i8257_cur_count(const I8257State *s, const I8257Channel *c)
{
    return (uint16_t)(c->start_count - (c->done >> s->dshift));
}

/* A block starts from these current values (register write, autoinit). */
static void i8257_restart(I8257Channel *c, uint16_t addr, uint16_t count)
{
    c->start_addr = addr;
    c->start_count = count;
    c->done = 0;
}

static bool i8257_active(const I8257State *s, unsigned n)
{
    const I8257Channel *c = &s->ch[n];
    uint8_t bit = 1u << n;
    bool sw = (s->request & bit) &&
              (c->mode & I8257_MODE_MODE_MASK) == I8257_MODE_BLOCK;

    if (s->command & I8257_CMD_DISABLE) {
        return false;
    }
    if ((c->mode & I8257_MODE_MODE_MASK) == I8257_MODE_CASCADE) {
        return false;
    }
    return sw || ((s->dreq & bit) && !(s->mask & bit));
}

static bool i8257_any_active(const I8257State *s)
{
    for (unsigned n = 0; n < I8257_CHANNELS; n++) {
        if (i8257_active(s, n)) {
            return true;
        }
    }
    return false;
}

/* Something outside the bottom half changed: run it if there is work.
 * From inside a run (a handler's DREQ change) the run's end decides. */
static void i8257_kick(I8257State *s)
{
    if (s->in_run) {
        return;
    }
    s->runs = 0;
    if (i8257_any_active(s)) {
        bh_schedule(&s->bh);
    }
}

/* Datasheet "Master Clear": command, status, request, temporary register
 * and flip-flop cleared, mask set. Address, count and mode stay. */
static void i8257_master_clear(I8257State *s)
{
    s->command = 0;
    s->tc = 0;
    s->request = 0;
    s->flip_flop = false;
    s->mask = I8257_ALL;
}

/* ---- Guest memory walk --------------------------------------------------- */

static uint64_t i8257_page_addr(const I8257State *s, const I8257Channel *c)
{
    /* On DMA2 the page's bit 0 is unused: the word address fills A16-A1. */
    uint8_t page = s->dshift ? (c->page & 0xfe) : c->page;

    return (uint64_t)page << 16;
}

/*
 * The next piece of [pos, pos + len) that is one run of guest memory. The
 * address counter is 16 bits and never carries into the page: a block
 * wraps inside its 64 KiB (DMA2: 128 KiB) page.
 */
static I8257Piece i8257_piece(const I8257State *s, const I8257Channel *c,
                              uint32_t pos, uint32_t len)
{
    unsigned sh = s->dshift;
    uint32_t unit = 1u << sh, in_unit = pos & (unit - 1);
    uint16_t ua = i8257_unit_addr(c, pos >> sh);
    uint64_t page = i8257_page_addr(s, c);
    I8257Piece p = {page + ((uint64_t)ua << sh) + in_unit, 0, false};

    if (!(c->mode & I8257_MODE_DECREMENT)) {
        p.len = MIN(len, ((0x10000u - ua) << sh) - in_unit);
    } else if (in_unit || len < unit) {
        p.len = MIN(len, unit - in_unit);  /* part of one unit */
    } else {
        uint32_t units = MIN(MIN(len >> sh, (uint32_t)ua + 1), I8257_CHUNK >> sh);
        p.addr = page + ((uint64_t)(ua - units + 1) << sh);
        p.len = units << sh;
        p.reversed = true;
    }
    return p;
}

/* Copies len bytes (a whole number of units), unit by unit in reverse
 * order. A unit is a byte (DMA1) or a word (DMA2, its bytes kept in
 * order). Eight bytes at a time, then the tail: byte by byte this was a
 * fifth of a floppy input's instructions. */
static void i8257_reverse_units(uint8_t *dst, const uint8_t *src, uint32_t len,
                                uint32_t unit)
{
    uint32_t off = 0;

    for (; off + 8 <= len; off += 8) {
        uint64_t v = ld_le64(src + len - 8 - off);
        v = __builtin_bswap64(v);               /* units reversed, bytes too */
        if (unit == 2) {                        /* bytes back in each word */
            v = (v & 0x00ff00ff00ff00ffull) << 8 | (v >> 8 & 0x00ff00ff00ff00ffull);
        }
        st_le64(dst + off, v);
    }
    if (unit == 1) {
        for (; off < len; off++) {
            dst[off] = src[len - 1 - off];
        }
        return;
    }
    for (; off + 1 < len; off += 2) {
        dst[off] = src[len - 2 - off];
        dst[off + 1] = src[len - 1 - off];
    }
}

static uint32_t i8257_walk_read(I8257State *s, I8257Channel *c, uint8_t *buf,
                                uint32_t pos, uint32_t len)
{
    uint8_t tmp[I8257_CHUNK];
    uint32_t moved = 0;

    while (moved < len) {
        I8257Piece p = i8257_piece(s, c, pos + moved, len - moved);
        uint8_t *dst = p.reversed ? tmp : buf + moved;

        if (dma_read(s->as, p.addr, dst, p.len) == MEMTX_ERROR) {
            memset(buf + moved, 0, len - moved);
            break;
        }
        if (p.reversed) {
            i8257_reverse_units(buf + moved, tmp, p.len, 1u << s->dshift);
        }
        moved += p.len;
    }
    return moved;
}

static uint32_t i8257_walk_write(I8257State *s, I8257Channel *c, const uint8_t *buf,
                                 uint32_t pos, uint32_t len)
{
    uint8_t tmp[I8257_CHUNK];
    uint32_t moved = 0;

    while (moved < len) {
        I8257Piece p = i8257_piece(s, c, pos + moved, len - moved);
        const uint8_t *src = buf + moved;

        if (p.reversed) {
            i8257_reverse_units(tmp, src, p.len, 1u << s->dshift);
            src = tmp;
        }
        if (dma_write(s->as, p.addr, src, p.len) == MEMTX_ERROR) {
            break;
        }
        moved += p.len;
    }
    return moved;
}

/* ---- Transfers ----------------------------------------------------------- */

/*
 * A software request on a channel no device answers: the cycles run with
 * nothing on the data bus. A write transfer stores what floats there (all
 * ones), a read transfer reads memory for nobody, verify only counts.
 */
static uint32_t i8257_no_device(I8257State *s, I8257Channel *c, uint32_t pos,
                                uint32_t size)
{
    uint8_t buf[I8257_CHUNK];
    uint8_t type = c->mode & I8257_MODE_TYPE_MASK;

    if (type != I8257_MODE_WRITE && type != I8257_MODE_READ) {
        return size;
    }
    memset(buf, 0xff, sizeof(buf));
    while (pos < size) {
        uint32_t len = MIN(size - pos, (uint32_t)sizeof(buf));
        uint32_t moved = type == I8257_MODE_WRITE ? i8257_walk_write(s, c, buf, pos, len)
                                                  : i8257_walk_read(s, c, buf, pos, len);
        pos += moved;
        if (moved < len) {
            break;      /* budget spent: the request stays, nothing moves */
        }
    }
    return pos;
}

/* Datasheet "Autoinitialize" and "Mask Register": at TC the request bit
 * clears; then the current registers reload from the base ones, or the
 * channel masks itself. */
static void i8257_terminal_count(I8257State *s, unsigned n)
{
    I8257Channel *c = &s->ch[n];

    s->tc |= 1u << n;
    s->request &= ~(1u << n);
    if (c->mode & I8257_MODE_AUTOINIT) {
        i8257_restart(c, c->base_addr, c->base_count);
    } else {
        s->mask |= 1u << n;
    }
}

static uint32_t i8257_call_handler(I8257State *s, unsigned n, uint32_t pos,
                                   uint32_t size)
{
    I8257Channel *c = &s->ch[n];
    unsigned nchan = n + (s->dshift ? I8257_CHANNELS : 0);
    uint32_t ret;

    if (!c->handler) {
        return i8257_no_device(s, c, pos, size);
    }
    if (!object_enter(c->owner, "isa dma transfer")) {
        return pos;
    }
    ret = c->handler(c->opaque, nchan, pos, size);
    object_leave(c->owner);
    if (ret < pos || ret > size) {
        emu_bug("i8257: channel %u handler returned %u outside [%u, %u]",
                nchan, ret, pos, size);
    }
    return ret;
}

/* One service of channel n; true if it moved anything. */
static bool i8257_service(I8257State *s, unsigned n)
{
    I8257Channel *c = &s->ch[n];
    uint32_t pos, size;

    if (c->done >= i8257_block_size(s, c)) {
        /* Past TC without autoinit: the counter rolled over to 0xffff and
         * goes on from there, as the chip would. */
        i8257_restart(c, i8257_cur_addr(s, c), i8257_cur_count(s, c));
    }
    pos = c->done;
    size = i8257_block_size(s, c);
    c->done = i8257_call_handler(s, n, pos, size);
    if (c->done == size) {
        i8257_terminal_count(s, n);
    }
    return c->done != pos;
}

/* The bottom half: each requesting channel once, channel 0 first. */
static void i8257_run(void *opaque)
{
    I8257State *s = opaque;
    bool progress = false;

    s->in_run = true;
    for (unsigned n = 0; n < I8257_CHANNELS; n++) {
        if (i8257_active(s, n)) {
            progress |= i8257_service(s, n);
        }
    }
    s->in_run = false;
    if (!progress || !i8257_any_active(s)) {
        return;
    }
    if (++s->runs < I8257_MAX_RUNS) {
        bh_schedule(&s->bh);
    } else {
        guest_error("i8257: channels still requesting after %d runs; they wait "
                    "for a register access or a DREQ change", I8257_MAX_RUNS);
    }
}

/* ---- Registers ----------------------------------------------------------- */

/* Address and count: low byte, then high byte (the flip-flop). */
static uint8_t i8257_read_chan(I8257State *s, unsigned reg)
{
    I8257Channel *c = &s->ch[reg >> 1];
    uint16_t val = (reg & 1) ? i8257_cur_count(s, c) : i8257_cur_addr(s, c);
    bool high = s->flip_flop;

    s->flip_flop = !high;
    return high ? val >> 8 : val & 0xff;
}

static uint16_t i8257_set_byte(uint16_t old, uint8_t val, bool high)
{
    return high ? (old & 0x00ff) | (val << 8) : (old & 0xff00) | val;
}

/* Datasheet "Base Address and Base Word Count": each byte goes to the base
 * and the current register at once. */
static void i8257_write_chan(I8257State *s, unsigned reg, uint8_t val)
{
    I8257Channel *c = &s->ch[reg >> 1];
    uint16_t addr = i8257_cur_addr(s, c), count = i8257_cur_count(s, c);
    bool high = s->flip_flop;

    s->flip_flop = !high;
    if (reg & 1) {
        c->base_count = i8257_set_byte(c->base_count, val, high);
        count = i8257_set_byte(count, val, high);
    } else {
        c->base_addr = i8257_set_byte(c->base_addr, val, high);
        addr = i8257_set_byte(addr, val, high);
    }
    i8257_restart(c, addr, count);
}

static uint8_t i8257_read_status(I8257State *s)
{
    uint8_t val = s->tc | (uint8_t)((s->dreq | s->request) << I8257_STATUS_REQ_SHIFT);

    s->tc = 0;
    return val;
}

static uint8_t i8257_read_cont(I8257State *s, unsigned reg)
{
    switch (reg) {
    case I8257_STATUS:
        return i8257_read_status(s);
    case I8257_REQUEST:
        return s->mask;
    case I8257_TEMP:
        return 0;       /* only memory-to-memory fills it */
    default:
        guest_error("i8257: read of write-only register %u", reg);
        return 0;
    }
}

static void i8257_write_command(I8257State *s, uint8_t val)
{
    if (val & I8257_CMD_UNMODELLED) {
        guest_error("i8257: command 0x%02x: memory-to-memory and DREQ/DACK "
                    "polarity are not modelled", val);
    }
    s->command = val;
}

static void i8257_write_mode(I8257State *s, uint8_t val)
{
    if ((val & I8257_MODE_TYPE_MASK) == I8257_MODE_TYPE_ILLEGAL &&
        (val & I8257_MODE_MODE_MASK) != I8257_MODE_CASCADE) {
        guest_error("i8257: mode 0x%02x: illegal transfer type", val);
    }
    s->ch[val & I8257_MODE_CHAN_MASK].mode = val & ~I8257_MODE_CHAN_MASK;
}

static void i8257_write_bit(uint8_t *reg, uint8_t val)
{
    uint8_t bit = 1u << (val & I8257_SEL_CHAN);

    *reg = (val & I8257_SEL_SET) ? (*reg | bit) : (*reg & ~bit);
}

static void i8257_write_cont(I8257State *s, unsigned reg, uint8_t val)
{
    switch (reg) {
    case I8257_COMMAND:
        i8257_write_command(s, val);
        break;
    case I8257_REQUEST:
        i8257_write_bit(&s->request, val);
        break;
    case I8257_SINGLE_MASK:
        i8257_write_bit(&s->mask, val);
        break;
    case I8257_MODE:
        i8257_write_mode(s, val);
        break;
    case I8257_CLEAR_FF:
        s->flip_flop = false;
        break;
    case I8257_MASTER_CLEAR:
        i8257_master_clear(s);
        break;
    case I8257_CLEAR_MASK:
        s->mask = 0;
        break;
    case I8257_WRITE_MASK:
        s->mask = val & I8257_ALL;
        break;
    }
}

/* One byte register per port; DMA2's sit at even ports and the odd ones
 * alias them (A0 is not wired). Wider accesses are split by the core. */
static unsigned i8257_reg(const I8257State *s, uint64_t addr)
{
    return (unsigned)(addr >> s->dshift) % I8257_REGS;
}

static uint64_t i8257_chan_io_read(void *opaque, uint64_t addr, unsigned size)
{
    I8257State *s = opaque;

    return i8257_read_chan(s, i8257_reg(s, addr));
}

static void i8257_chan_io_write(void *opaque, uint64_t addr, uint64_t data, unsigned size)
{
    I8257State *s = opaque;

    i8257_write_chan(s, i8257_reg(s, addr), (uint8_t)data);
    i8257_kick(s);
}

static uint64_t i8257_cont_io_read(void *opaque, uint64_t addr, unsigned size)
{
    I8257State *s = opaque;

    return i8257_read_cont(s, i8257_reg(s, addr));
}

static void i8257_cont_io_write(void *opaque, uint64_t addr, uint64_t data, unsigned size)
{
    I8257State *s = opaque;

    i8257_write_cont(s, i8257_reg(s, addr), (uint8_t)data);
    i8257_kick(s);
}

/* Page registers: byte ports with QEMU's port-list rules for wider
 * accesses (a 16-bit access does two ports, 0xff past the region's end;
 * 32-bit accesses read all ones and write nothing). */
static uint8_t i8257_page_read(I8257PagePorts *pp, uint64_t addr)
{
    if (addr >= pp->io.size) {
        return 0xff;
    }
    return pp->s->ch[i8257_page_chan[pp->first + addr]].page;
}

static uint64_t i8257_page_io_read(void *opaque, uint64_t addr, unsigned size)
{
    I8257PagePorts *pp = opaque;

    if (size == 1) {
        return i8257_page_read(pp, addr);
    }
    if (size != 2) {
        return (1ull << (size * 8)) - 1;
    }
    return i8257_page_read(pp, addr) | (uint64_t)i8257_page_read(pp, addr + 1) << 8;
}

static void i8257_page_io_write(void *opaque, uint64_t addr, uint64_t data, unsigned size)
{
    I8257PagePorts *pp = opaque;

    if (size > 2) {
        guest_error("i8257: %u-byte page register write ignored", size);
        return;
    }
    for (unsigned i = 0; i < size && addr + i < pp->io.size; i++) {
        pp->s->ch[i8257_page_chan[pp->first + addr + i]].page = (uint8_t)(data >> (8 * i));
    }
}

static void i8257_reset(Object *obj)
{
    I8257State *s = (I8257State *)obj;

    /* The chip's reset pin is a master clear; the pending run goes. */
    i8257_master_clear(s);
    s->runs = 0;
    s->in_run = false;
    bh_cancel(&s->bh);
}

static const MemoryRegionOps i8257_chan_ops = {
    .read = i8257_chan_io_read,
    .write = i8257_chan_io_write,
    .impl = {.min_access_size = 1, .max_access_size = 1},
};

static const MemoryRegionOps i8257_cont_ops = {
    .read = i8257_cont_io_read,
    .write = i8257_cont_io_write,
    .impl = {.min_access_size = 1, .max_access_size = 1},
};

static const MemoryRegionOps i8257_page_ops = {
    .read = i8257_page_io_read,
    .write = i8257_page_io_write,
    .valid = {.min_access_size = 1, .max_access_size = 4, .unaligned = true},
    .impl = {.min_access_size = 1, .max_access_size = 4, .unaligned = true},
};

static bool i8257_check_props(const I8257State *s, char **errp)
{
    if (s->dshift > 1) {
        *errp = g_strdup("i8257: dshift must be 0 (8-bit) or 1 (16-bit)");
        return false;
    }
    if (s->base > I8257_IO_SPACE - (16u << s->dshift) ||
        s->page_base > I8257_IO_SPACE - I8257_PAGE_PORTS) {
        *errp = g_strdup("i8257: base or page-base out of the I/O space");
        return false;
    }
    return true;
}

static void i8257_add_page_ports(I8257State *s, Machine *m, unsigned i,
                                 uint8_t first, uint8_t count)
{
    I8257PagePorts *pp = &s->page[i];

    pp->s = s;
    pp->first = first;
    mr_init_io(&pp->io, &s->obj, &i8257_page_ops, pp, "dma-page", count);
    mr_add_subregion(&m->sysio, s->page_base + first, &pp->io);
}

static bool i8257_realize(Object *obj, Machine *m, char **errp)
{
    I8257State *s = (I8257State *)obj;
    uint32_t window = I8257_REGS << s->dshift;

    if (!i8257_check_props(s, errp)) {
        return false;
    }
    s->as = &m->as_mem;
    bh_init(&s->bh, obj, &m->clock, i8257_run, s);
    mr_init_io(&s->chan_io, obj, &i8257_chan_ops, s, "dma-chan", window);
    mr_add_subregion(&m->sysio, s->base, &s->chan_io);
    mr_init_io(&s->cont_io, obj, &i8257_cont_ops, s, "dma-cont", window);
    mr_add_subregion(&m->sysio, s->base + window, &s->cont_io);
    i8257_add_page_ports(s, m, 0, 1, 3);
    i8257_add_page_ports(s, m, 1, 7, 1);
    return true;
}

/* ---- API for ISA devices ------------------------------------------------- */

static I8257State *i8257_cast(Object *obj)
{
    if (!obj || !object_is_a(obj, TYPE_I8257)) {
        emu_bug("i8257: not an %s object", TYPE_I8257);
    }
    return (I8257State *)obj;
}

/* The channel of nchan (0-7) on this chip; a device asking another chip's
 * channel is an emulator bug. */
static I8257Channel *i8257_channel(I8257State *s, unsigned nchan)
{
    if (nchan / I8257_CHANNELS != (s->dshift ? 1u : 0u)) {
        emu_bug("i8257: channel %u is not on the %u-bit controller", nchan,
                s->dshift ? 16 : 8);
    }
    return &s->ch[nchan % I8257_CHANNELS];
}

Object *i8257_for_channel(Machine *m, unsigned nchan)
{
    uint32_t dshift = nchan / I8257_CHANNELS;

    for (unsigned i = 0; dshift <= 1 && i < m->nr_devices; i++) {
        Object *obj = m->devices[i];
        if (object_is_a(obj, TYPE_I8257) && ((I8257State *)obj)->dshift == dshift) {
            return obj;
        }
    }
    return NULL;
}

void i8257_register_channel(Object *dma, unsigned nchan, Object *owner,
                            I8257TransferHandler handler, void *opaque)
{
    I8257Channel *c = i8257_channel(i8257_cast(dma), nchan);

    if (!handler || c->handler) {
        emu_bug("i8257: channel %u: no handler, or registered twice", nchan);
    }
    c->handler = handler;
    c->owner = owner;
    c->opaque = opaque;
}

static void i8257_set_dreq(Object *dma, unsigned nchan, bool level)
{
    I8257State *s = i8257_cast(dma);
    uint8_t bit = 1u << (i8257_channel(s, nchan) - s->ch);

    object_touch(dma);
    s->dreq = level ? (s->dreq | bit) : (s->dreq & ~bit);
    i8257_kick(s);
}

void i8257_hold_DREQ(Object *dma, unsigned nchan)
{
    i8257_set_dreq(dma, nchan, true);
}

void i8257_release_DREQ(Object *dma, unsigned nchan)
{
    i8257_set_dreq(dma, nchan, false);
}

uint8_t i8257_channel_mode(Object *dma, unsigned nchan)
{
    return i8257_channel(i8257_cast(dma), nchan)->mode;
}

uint32_t i8257_read_memory(Object *dma, unsigned nchan, void *buf, uint32_t pos,
                           uint32_t len)
{
    I8257State *s = i8257_cast(dma);

    return i8257_walk_read(s, i8257_channel(s, nchan), buf, pos, len);
}

uint32_t i8257_write_memory(Object *dma, unsigned nchan, const void *buf,
                            uint32_t pos, uint32_t len)
{
    I8257State *s = i8257_cast(dma);

    return i8257_walk_write(s, i8257_channel(s, nchan), buf, pos, len);
}

static const Property i8257_props[] = {
    {"base", PROP_U32, offsetof(I8257State, base),
     "I/O base of the channel registers (control registers follow)"},
    {"page-base", PROP_U32, offsetof(I8257State, page_base),
     "I/O base of the 16-port page register block (0x80 or 0x88)"},
    {"dshift", PROP_U32, offsetof(I8257State, dshift),
     "0: 8-bit controller; 1: 16-bit, registers at even ports"},
    {.name = NULL},
};

const TypeInfo i8257_type = {
    .name = TYPE_I8257,
    .parent = "isa-device",
    .desc = "Intel 8237A DMA controller and its page registers",
    OBJECT_INSTANCE(I8257State),
    .user_creatable = false, /* the board makes the pair */
    .props = i8257_props,
    .realize = i8257_realize,
    .reset = i8257_reset,
};
