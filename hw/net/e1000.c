/* SPDX-License-Identifier: MIT */
/*
 * Intel 82540EM Gigabit Ethernet controller ("e1000", 8086:100e), after the
 * 8254x Software Developer's Manual (rev. 4.0). Every register QEMU 7.2
 * models reads, writes and resets as there; CTRL.RST, CTRL_EXT, the
 * IOADDR/IODATA window, flow control, TXCW/RXCW, TIPG and RXCSUM, which
 * QEMU leaves out, follow the SDM. This file:
 * register dispatch, statistics, interrupts and their mitigation, reset,
 * PCI glue. The packet buffer memory is storage (nothing moves frames
 * through it); flow control (no PAUSE frames), TBI auto-negotiation (TXCW;
 * RXCW reads 0, as on copper), the inter-packet gap and the wake-up tables
 * are storage only.
 */
#include "hw/net/e1000.h"

#include <inttypes.h>
#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"
#include "emu/machine.h"
#include "hw/devices.h"
#include "hw/net/mac.h"

/* Reset values (QEMU 7.2's mac_reg_init) */
#define E1000_CTRL_INIT   (E1000_CTRL_SWDPIN2 | E1000_CTRL_SWDPIN0 | \
                           E1000_CTRL_SPD_1000 | E1000_CTRL_SLU)
#define E1000_STATUS_INIT (E1000_STATUS_BIT31 | E1000_STATUS_GIO_MASTER | \
                           E1000_STATUS_ASDV | E1000_STATUS_MTXCKOK | \
                           E1000_STATUS_SPEED_1000 | E1000_STATUS_FD | \
                           E1000_STATUS_LU)
#define E1000_MANC_INIT   0x00222300   /* EN_MNG2HOST, RCV_TCO_EN, ARP_EN, ... */
#define E1000_LEDCTL_INIT 0x00000602
#define E1000_PBA_INIT    0x00100030

/* Widths of the narrow registers */
#define E1000_MASK_16     0xffff
#define E1000_MASK_11     0x07ff
#define E1000_MASK_4      0x000f
/* The packet buffer's FIFO heads, tails and packet counts (RDFH..RDFPC,
 * TDFHS..TDFPC; TDFH and TDFT have 11 bits) */
#define E1000_FIFO_REG_MASK 0x1fff

/* Statistics that are not registers (reserved dwords) */
static const uint8_t e1000_stat_reserved[] = {
    E1000_STAT(0x4024), E1000_STAT(0x402c), E1000_STAT(0x4044),
    E1000_STAT(0x4084), E1000_STAT(0x4098), E1000_STAT(0x409c),
};

/* Statistics clear on read (SDM 13.7; QEMU 7.2 keeps MPC and RNBC), but
 * not the low half of a 64-bit counter, nor FCRUC (writable in QEMU). */
static bool e1000_stat_keeps_on_read(unsigned idx)
{
    return idx == E1000_STAT(E1000_GORCL) || idx == E1000_STAT(E1000_GOTCL) ||
           idx == E1000_STAT(E1000_TORL) || idx == E1000_STAT(E1000_TOTL) ||
           idx == E1000_STAT(E1000_FCRUC);
}

static bool e1000_stat_is_high_half(unsigned idx)
{
    return idx == E1000_STAT(E1000_GORCH) || idx == E1000_STAT(E1000_GOTCH) ||
           idx == E1000_STAT(E1000_TORH) || idx == E1000_STAT(E1000_TOTH);
}

/* ---------------------------------------------------------------------- */
/* Statistics                                                              */

/* Counters stick at all ones (SDM 13.7). */
void e1000_stat_inc(E1000State *s, unsigned off)
{
    uint32_t *c = &s->stats[E1000_STAT(off)];

    if (*c != UINT32_MAX) {
        (*c)++;
    }
}

void e1000_stat_add64(E1000State *s, unsigned off_lo, uint64_t n)
{
    unsigned i = E1000_STAT(off_lo);
    uint64_t v = s->stats[i] | (uint64_t)s->stats[i + 1] << 32;

    v = v + n < v ? UINT64_MAX : v + n;
    s->stats[i] = (uint32_t)v;
    s->stats[i + 1] = (uint32_t)(v >> 32);
}

/* The size bins PRC64..PRC1522 / PTC64..PTC1522; len includes the FCS. */
void e1000_stat_size(E1000State *s, unsigned off_64, size_t len)
{
    static const size_t limits[] = { 64, 127, 255, 511, 1023 };
    unsigned bin = 0;

    if (len < 64) {
        return;
    }
    while (bin < G_N_ELEMENTS(limits) && len > limits[bin]) {
        bin++;
    }
    e1000_stat_inc(s, off_64 + 4 * bin);
}

static uint32_t e1000_stat_read(E1000State *s, unsigned off)
{
    unsigned idx = E1000_STAT(off);
    uint32_t v = s->stats[idx];

    for (size_t i = 0; i < G_N_ELEMENTS(e1000_stat_reserved); i++) {
        if (e1000_stat_reserved[i] == idx) {
            return 0;
        }
    }
    if (e1000_stat_is_high_half(idx)) {
        s->stats[idx - 1] = 0;
    }
    if (!e1000_stat_keeps_on_read(idx)) {
        s->stats[idx] = 0;
    }
    return v;
}

/* ---------------------------------------------------------------------- */
/* Interrupts (SDM 13.4.17-21) and their mitigation (ITR, RADV, TADV)      */

/* The smallest non-zero of the delays that apply, in 256 ns units. */
static uint32_t e1000_mit_delay(const E1000State *s, uint32_t pending)
{
    uint32_t d = 0;
    uint32_t cand[3] = { 0, 0, s->itr };

    if (s->mit_ide && (pending & (E1000_ICR_TXQE | E1000_ICR_TXDW))) {
        cand[0] = s->tadv * 4;
    }
    if (s->rdtr && (pending & E1000_ICR_RXT0)) {
        cand[1] = s->radv * 4;
    }
    for (int i = 0; i < 3; i++) {
        if (cand[i] && (d == 0 || cand[i] < d)) {
            d = cand[i];
        }
    }
    return MAX(d, E1000_MIT_MIN_DELAY);
}

/*
 * ICR becomes cause; the line follows ICR & IMS. A rising edge inside the
 * mitigation window waits for the mitigation timer; outside it, the line
 * rises at once and opens a window (QEMU 7.2's partial model of 13.4.18).
 */
static void e1000_set_icr(E1000State *s, uint32_t cause)
{
    uint32_t pending;

    s->icr = cause;
    pending = s->icr & s->ims;
    if (!s->mit_irq_level && pending) {
        if (s->mit_timer_on) {
            return;
        }
        uint32_t delay = e1000_mit_delay(s, pending);
        s->mit_timer_on = true;
        timer_mod(&s->mit_timer, clock_get_ns(s->clock) +
                  (int64_t)delay * E1000_MIT_UNIT_NS);
        s->mit_ide = false;
    }
    s->mit_irq_level = pending != 0;
    pci_set_irq(&s->pci, s->mit_irq_level);
}

void e1000_set_ics(E1000State *s, uint32_t cause)
{
    e1000_set_icr(s, s->icr | cause);
}

static void e1000_mit_timer_cb(void *opaque)
{
    E1000State *s = opaque;

    s->mit_timer_on = false;
    e1000_set_icr(s, s->icr);
}

static uint32_t e1000_icr_read(E1000State *s)
{
    uint32_t v = s->icr;

    e1000_set_icr(s, 0);
    return v;
}

/* ---------------------------------------------------------------------- */
/* Reset                                                                   */

static void e1000_reset_mac_addr(E1000State *s)
{
    const uint8_t *a = s->macaddr;

    s->ra[0] = ld_le32(a);
    s->ra[1] = ld_le16(a + 4) | E1000_RAH_AV;
}

/* Everything but PCI configuration and the PHY (CTRL.RST, SDM 13.4.1). */
static void e1000_reset_mac(E1000State *s)
{
    size_t first = offsetof(E1000State, ctrl);
    size_t end = offsetof(E1000State, eeprom);

    timer_del(&s->mit_timer);
    timer_del(&s->tx_timer);
    memset((uint8_t *)s + first, 0, end - first);
    memset(&s->eecd, 0, sizeof(s->eecd));
    s->mit_timer_on = s->mit_irq_level = s->mit_ide = false;
    memset(&s->tx, 0, offsetof(E1000Tx, buf));
    s->ctrl = E1000_CTRL_INIT;
    s->status = E1000_STATUS_INIT;
    if (!(s->phy[E1000_PHY_BMSR] & E1000_BMSR_LINK)) {
        s->status &= ~E1000_STATUS_LU;
    }
    s->manc = E1000_MANC_INIT;
    s->ledctl = E1000_LEDCTL_INIT;
    s->pba = E1000_PBA_INIT;
    s->vet = E1000_VET_VLAN;
    s->rxbuf_size = 2048;
    s->rxbuf_min_shift = 1;
    e1000_reset_mac_addr(s);
    pci_set_irq(&s->pci, 0);
}

static void e1000_reset(Object *obj)
{
    E1000State *s = (E1000State *)obj;

    pci_device_reset(&s->pci);
    s->pbm_valid = 0;
    timer_del(&s->autoneg_timer);
    e1000_phy_reset(s);
    e1000_reset_mac(s);
}

static void e1000_ctrl_write(E1000State *s, uint32_t val)
{
    if (val & E1000_CTRL_RST) {
        e1000_reset_mac(s);     /* RST self-clears; CTRL reads its reset value */
        return;
    }
    s->ctrl = val;
}

/* ---------------------------------------------------------------------- */
/* Register read and write                                                 */

/* The register tables: index of off in [base, base + 4 * words), or -1. */
static int e1000_table_index(unsigned off, unsigned base, unsigned words)
{
    if (off < base || off >= base + 4 * words) {
        return -1;
    }
    return (off - base) >> 2;
}

static uint32_t *e1000_table(E1000State *s, unsigned off, uint32_t *mask)
{
    static const struct {
        unsigned base, words;
        size_t field;
        uint32_t mask;
    } tables[] = {
        { E1000_MTA, E1000_MTA_WORDS, offsetof(E1000State, mta), UINT32_MAX },
        { E1000_RA, E1000_RA_WORDS, offsetof(E1000State, ra), UINT32_MAX },
        { E1000_VFTA, E1000_VFTA_WORDS, offsetof(E1000State, vfta), UINT32_MAX },
        { E1000_IP4AT, E1000_IP4AT_WORDS, offsetof(E1000State, ip4at), UINT32_MAX },
        { E1000_IP6AT, E1000_IP6AT_WORDS, offsetof(E1000State, ip6at), UINT32_MAX },
        { E1000_WUPM, E1000_WUPM_WORDS, offsetof(E1000State, wupm), UINT32_MAX },
        { E1000_FFLT, E1000_FFLT_WORDS, offsetof(E1000State, fflt), E1000_MASK_11 },
        { E1000_FFMT, E1000_FFMT_WORDS, offsetof(E1000State, ffmt), E1000_MASK_4 },
        { E1000_FFVT, E1000_FFVT_WORDS, offsetof(E1000State, ffvt), UINT32_MAX },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(tables); i++) {
        int idx = e1000_table_index(off, tables[i].base, tables[i].words);
        if (idx >= 0) {
            *mask = tables[i].mask;
            return (uint32_t *)((uint8_t *)s + tables[i].field) + idx;
        }
    }
    return NULL;
}

/* Plain registers: storage with a write mask (0: read-only). */
static uint32_t *e1000_plain_reg(E1000State *s, unsigned off, uint32_t *mask)
{
#define PLAIN(o, f, m) case o: *mask = (m); return &s->f
    switch (off) {
    PLAIN(E1000_STATUS, status, 0);
    PLAIN(E1000_CTRL_EXT, ctrl_ext, ~E1000_CTRL_EXT_EE_RST);
    PLAIN(E1000_VET, vet, UINT32_MAX);
    PLAIN(E1000_ITR, itr, E1000_MASK_16);
    PLAIN(E1000_AIT, ait, E1000_MASK_16);
    PLAIN(E1000_LEDCTL, ledctl, UINT32_MAX);
    PLAIN(E1000_PBA, pba, UINT32_MAX);
    PLAIN(E1000_RDFH, rdfh, E1000_FIFO_REG_MASK);
    PLAIN(E1000_RDFT, rdft, E1000_FIFO_REG_MASK);
    PLAIN(E1000_RDFHS, rdfhs, E1000_FIFO_REG_MASK);
    PLAIN(E1000_RDFTS, rdfts, E1000_FIFO_REG_MASK);
    PLAIN(E1000_RDFPC, rdfpc, E1000_FIFO_REG_MASK);
    PLAIN(E1000_RDBAL, rdbal, UINT32_MAX);
    PLAIN(E1000_RDBAH, rdbah, UINT32_MAX);
    PLAIN(E1000_RDLEN, rdlen, E1000_DLEN_MASK);
    PLAIN(E1000_RDH, rdh, E1000_MASK_16);
    PLAIN(E1000_RDTR, rdtr, E1000_MASK_16);
    PLAIN(E1000_RADV, radv, E1000_MASK_16);
    PLAIN(E1000_TDFH, tdfh, E1000_MASK_11);
    PLAIN(E1000_TDFT, tdft, E1000_MASK_11);
    PLAIN(E1000_TDFHS, tdfhs, E1000_FIFO_REG_MASK);
    PLAIN(E1000_TDFTS, tdfts, E1000_FIFO_REG_MASK);
    PLAIN(E1000_TDFPC, tdfpc, E1000_FIFO_REG_MASK);
    PLAIN(E1000_TDBAL, tdbal, UINT32_MAX);
    PLAIN(E1000_TDBAH, tdbah, UINT32_MAX);
    PLAIN(E1000_TDLEN, tdlen, E1000_DLEN_MASK);
    PLAIN(E1000_TDH, tdh, E1000_MASK_16);
    PLAIN(E1000_TXDCTL, txdctl, UINT32_MAX);
    PLAIN(E1000_TADV, tadv, E1000_MASK_16);
    PLAIN(E1000_WUC, wuc, UINT32_MAX);
    PLAIN(E1000_WUFC, wufc, UINT32_MAX);
    PLAIN(E1000_WUS, wus, UINT32_MAX);
    PLAIN(E1000_MANC, manc, 0);
    PLAIN(E1000_IPAV, ipav, UINT32_MAX);
    PLAIN(E1000_SWSM, swsm, UINT32_MAX);
    PLAIN(E1000_FCAL, fcal, UINT32_MAX);
    PLAIN(E1000_FCAH, fcah, E1000_MASK_16);
    PLAIN(E1000_FCT, fct, E1000_MASK_16);
    PLAIN(E1000_FCTTV, fcttv, E1000_MASK_16);
    PLAIN(E1000_FCRTL, fcrtl, E1000_FCRT_MASK);
    PLAIN(E1000_FCRTH, fcrth, E1000_FCRT_MASK);
    PLAIN(E1000_TXCW, txcw, E1000_TXCW_MASK);
    PLAIN(E1000_RXCW, rxcw, 0);
    PLAIN(E1000_TIPG, tipg, E1000_TIPG_MASK);
    PLAIN(E1000_RXCSUM, rxcsum, E1000_RXCSUM_PCSS_MASK | E1000_RXCSUM_IPOFLD |
                                E1000_RXCSUM_TUOFLD);
    PLAIN(E1000_MDIC, mdic, 0);        /* written through e1000_mdic_write */
    PLAIN(E1000_RCTL, rctl, 0);        /* written through e1000_rx_set_rctl */
    PLAIN(E1000_TCTL, tctl, 0);
    PLAIN(E1000_TDT, tdt, 0);
    PLAIN(E1000_RDT, rdt, 0);
    PLAIN(E1000_CTRL, ctrl, 0);
    default:
        break;
    }
#undef PLAIN
    return e1000_table(s, off, mask);
}

static uint32_t e1000_reg_read(E1000State *s, unsigned off)
{
    uint32_t mask;
    uint32_t *reg;

    switch (off) {
    case E1000_EECD:
        return e1000_eecd_read(s);
    case E1000_EERD:
        return e1000_eerd_read(s);
    case E1000_ICR:
        return e1000_icr_read(s);
    case E1000_ICS:
        return s->icr;
    case E1000_IMS:
        return s->ims;
    default:
        break;
    }
    if (off >= E1000_STATS && off < E1000_STATS + 4 * E1000_NR_STATS) {
        return e1000_stat_read(s, off);
    }
    reg = e1000_plain_reg(s, off, &mask);
    if (!reg) {
        guest_error("e1000: read of unknown register 0x%05x", off);
        return 0;
    }
    return *reg;
}

static void e1000_reg_write(E1000State *s, unsigned off, uint32_t val)
{
    uint32_t mask;
    uint32_t *reg;

    switch (off) {
    case E1000_CTRL:
        e1000_ctrl_write(s, val);
        return;
    case E1000_EECD:
        e1000_eecd_write(s, val);
        return;
    case E1000_EERD:
        s->eerd = val;
        return;
    case E1000_MDIC:
        e1000_mdic_write(s, val);
        return;
    case E1000_ICR:
        e1000_set_icr(s, s->icr & ~val);
        return;
    case E1000_ICS:
        e1000_set_ics(s, val);
        return;
    case E1000_IMS:
        s->ims |= val;
        e1000_set_ics(s, 0);
        return;
    case E1000_IMC:
        s->ims &= ~val;
        e1000_set_ics(s, 0);
        return;
    case E1000_RCTL:
        e1000_rx_set_rctl(s, val);
        return;
    case E1000_RDT:
        s->rdt = val & E1000_MASK_16;
        return;
    case E1000_TCTL:
        s->tctl = val;
        e1000_tx_kick(s);
        return;
    case E1000_TDT:
        s->tdt = val & E1000_MASK_16;
        e1000_tx_kick(s);
        return;
    case E1000_FCRUC:      /* the one writable counter in QEMU 7.2 */
        s->stats[E1000_STAT(E1000_FCRUC)] = val;
        return;
    default:
        break;
    }
    reg = e1000_plain_reg(s, off, &mask);
    if (!reg || !mask) {
        guest_error("e1000: write 0x%08x to %s register 0x%05x ignored", val,
                    reg ? "read-only" : "unknown", off);
        return;
    }
    *reg = val & mask;
}

/* ---------------------------------------------------------------------- */
/* Packet buffer memory: see pbm_valid in e1000.h                          */

static uint32_t e1000_pbm_read(const E1000State *s, uint32_t off)
{
    if (!(s->pbm_valid >> (off / E1000_PBM_CHUNK) & 1)) {
        return 0;
    }
    return ld_le32(s->pbm + off);
}

static void e1000_pbm_write(E1000State *s, uint32_t off, uint32_t val)
{
    unsigned chunk = off / E1000_PBM_CHUNK;

    if (!(s->pbm_valid >> chunk & 1)) {
        memset(s->pbm + (size_t)chunk * E1000_PBM_CHUNK, 0, E1000_PBM_CHUNK);
        s->pbm_valid |= 1ull << chunk;
    }
    st_le32(s->pbm + off, val);
}

/* ---------------------------------------------------------------------- */
/* BAR0 (MMIO) and BAR1 (IOADDR/IODATA, SDM 13.2.2)                        */

static uint64_t e1000_mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    E1000State *s = opaque;

    if (addr >= E1000_PBM) {
        return e1000_pbm_read(s, (addr - E1000_PBM) & ~3u);
    }
    return e1000_reg_read(s, addr & ~3u);
}

static void e1000_mmio_write(void *opaque, uint64_t addr, uint64_t val,
                             unsigned size)
{
    E1000State *s = opaque;

    if (addr >= E1000_PBM) {
        e1000_pbm_write(s, (addr - E1000_PBM) & ~3u, (uint32_t)val);
        return;
    }
    e1000_reg_write(s, addr & ~3u, (uint32_t)val);
}

/* IODATA reaches the register IOADDR names; other offsets are reserved. */
static uint64_t e1000_io_read(void *opaque, uint64_t addr, unsigned size)
{
    E1000State *s = opaque;

    switch (addr & ~3u) {
    case E1000_IOADDR:
        return s->ioaddr;
    case E1000_IODATA:
        if (s->ioaddr >= E1000_MMIO_SIZE) {
            return 0;           /* undefined addresses (SDM 13.2.2) */
        }
        return e1000_mmio_read(s, s->ioaddr & ~3u, 4);
    default:
        guest_error("e1000: read of reserved I/O offset 0x%" PRIx64, addr);
        return 0;
    }
}

static void e1000_io_write(void *opaque, uint64_t addr, uint64_t val,
                           unsigned size)
{
    E1000State *s = opaque;

    switch (addr & ~3u) {
    case E1000_IOADDR:
        s->ioaddr = (uint32_t)val & E1000_IOADDR_MASK;
        break;
    case E1000_IODATA:
        if (s->ioaddr < E1000_MMIO_SIZE) {
            e1000_mmio_write(s, s->ioaddr & ~3u, val, 4);
        }
        break;
    default:
        guest_error("e1000: write to reserved I/O offset 0x%" PRIx64, addr);
        break;
    }
}

static const MemoryRegionOps e1000_mmio_ops = {
    .read = e1000_mmio_read,
    .write = e1000_mmio_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static const MemoryRegionOps e1000_io_ops = {
    .read = e1000_io_read,
    .write = e1000_io_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

/* ---------------------------------------------------------------------- */
/* Realize                                                                 */

static void e1000_init(Object *obj)
{
    E1000State *s = (E1000State *)obj;

    pci_device_init(&s->pci);
}

static bool e1000_attach_netdev(E1000State *s, Machine *m, char **errp)
{
    if (!s->netdev_id) {
        return true;
    }
    s->nb = net_backend_lookup(m, s->netdev_id, errp);
    return s->nb && net_backend_attach(s->nb, &s->pci.obj, e1000_receive, s, errp);
}

static size_t e1000_tx_buf_live(const Object *obj)
{
    const E1000State *s = (const E1000State *)obj;
    return E1000_ETH_VLAN_HLEN + s->tx.size;
}

/* The packet buffer up to the end of the last chunk written since reset. */
static size_t e1000_pbm_live(const Object *obj)
{
    const E1000State *s = (const E1000State *)obj;
    return s->pbm_valid ? (size_t)(64 - __builtin_clzll(s->pbm_valid)) * E1000_PBM_CHUNK : 0;
}

static bool e1000_realize(Object *obj, Machine *m, char **errp)
{
    E1000State *s = (E1000State *)obj;

    if (!mac_parse_prop(TYPE_E1000, s->mac_str, s->macaddr, errp)) {
        return false;
    }
    static const PCIDeviceInfo info = {
        .vendor_id = E1000_VENDOR_ID,
        .device_id = E1000_DEVICE_ID,
        .revision = E1000_REVISION,
        .class_id = PCI_CLASS_NETWORK_ETHERNET,
        .interrupt_pin = 1,
    };
    const PCIBARInfo bars[] = {
        { &s->mmio, 0, 0 },
        { &s->io, 1, PCI_BASE_ADDRESS_SPACE_IO },
        { NULL },
    };

    mr_init_io(&s->mmio, obj, &e1000_mmio_ops, s, "e1000-mmio", E1000_MMIO_SIZE);
    mr_init_io(&s->io, obj, &e1000_io_ops, s, "e1000-io", E1000_IO_SIZE);
    if (!e1000_attach_netdev(s, m, errp) ||
        !pci_realize_common(&s->pci, m->pci_bus, &info, bars, errp)) {
        return false;
    }
    s->clock = &m->clock;
    s->tx.buf = g_malloc0(E1000_TX_BUF_BYTES);
    object_add_state(obj, "tx.buf", s->tx.buf, E1000_TX_BUF_BYTES, e1000_tx_buf_live);
    s->pbm = g_malloc0(E1000_PBM_SIZE);
    object_add_state(obj, "pbm", s->pbm, E1000_PBM_SIZE, e1000_pbm_live);
    timer_init(&s->autoneg_timer, obj, s->clock, e1000_autoneg_timer_cb, s);
    timer_init(&s->mit_timer, obj, s->clock, e1000_mit_timer_cb, s);
    timer_init(&s->tx_timer, obj, s->clock, e1000_tx_timer_cb, s);
    e1000_eeprom_init(s->eeprom, s->macaddr);
    e1000_reset(obj);
    return true;
}

static const Property e1000_props[] = {
    PCI_DEVICE_PROP_ADDR(E1000State, pci),
    { "netdev", PROP_STR, offsetof(E1000State, netdev_id),
      "id of the -netdev (none: frames are dropped)" },
    { "mac", PROP_STR, offsetof(E1000State, mac_str),
      "MAC address, default " MAC_DEFAULT },
    { .name = NULL },
};

const TypeInfo e1000_type = {
    .name = TYPE_E1000,
    .parent = "pci-device",
    .desc = "Intel Gigabit Ethernet (82540EM)",
    OBJECT_INSTANCE(E1000State),
    .user_creatable = true,
    .props = e1000_props,
    .init = e1000_init,
    .realize = e1000_realize,
    .reset = e1000_reset,
};
