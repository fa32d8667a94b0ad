/* SPDX-License-Identifier: MIT */
/*
 * 82540EM receive (8254x SDM 3.2, 13.4.22): a frame from the backend is
 * padded to 60 bytes, dropped if too long (LPE, SBP) or filtered out (VLAN
 * filter table with VFE; broadcast, multicast and unicast promiscuous
 * bits; the 16 exact addresses with AV; the 4096-bit multicast table at
 * offset MO), its VLAN tag stripped with CTRL.VME, then written into as
 * many ring buffers as it needs (RCTL.BSIZE/BSEX), each legacy descriptor
 * written back with length, status (DD, EOP, VP) and the tag; with RXCSUM
 * set, the IP and TCP/UDP checksums are checked (IPCS, TCPCS, IPE, TCPE)
 * and the packet checksum is written, else IXSM is set as QEMU 7.2 does. A
 * frame that finds too few descriptors is an overrun (RXO, MPC, RNBC).
 * The FCS, counted in the length unless SECRC, is not written.
 */
#include "hw/net/e1000.h"

#include <string.h>

#include "emu/byteorder.h"
#include "emu/checksum.h"
#include "emu/log.h"
#include "hw/net/mac.h"
#include "hw/net/net-offload.h"

/* A frame as pieces of the backend's buffer (no copy, no allocation): the
 * VLAN tag cut out leaves two pieces. */
typedef struct E1000RxFrame {
    const uint8_t *piece[2];
    size_t piece_len[2];
    size_t size;
    uint16_t special;          /* stripped VLAN tag, host order */
    uint8_t status;            /* VP when stripped */
    uint8_t eop_status;        /* IXSM, or the checksums the offload checked */
    uint8_t errors;            /* IPE, TCPE: bad ones */
    bool offload;              /* RXCSUM set: checksum and errors written */
    uint16_t csum;             /* packet checksum, in the first descriptor */
} E1000RxFrame;

void e1000_rx_set_rctl(E1000State *s, uint32_t val)
{
    static const uint32_t sizes[2][4] = {
        { 2048, 1024, 512, 256 },      /* BSEX = 0 */
        { 2048, 16384, 8192, 4096 },   /* BSEX = 1: 00 is reserved */
    };

    s->rctl = val;
    s->rxbuf_size = sizes[(val & E1000_RCTL_BSEX) != 0]
                         [(val >> E1000_RCTL_BSIZE_SHIFT) & 3];
    s->rxbuf_min_shift = ((val >> E1000_RCTL_RDMTS_SHIFT) & 3) + 1;
}

/* ---------------------------------------------------------------------- */
/* Filters (SDM 3.2.1)                                                     */

/* VLAN filter table: one bit per VLAN ID. */
static bool e1000_rx_vlan_ok(const E1000State *s, const uint8_t *f)
{
    uint16_t vid = ld_be16(f + E1000_ETH_HLEN) & 0xfff;

    if (!(s->rctl & E1000_RCTL_VFE)) {
        return true;
    }
    return (s->vfta[vid >> 5] >> (vid & 0x1f)) & 1;
}

static bool e1000_rx_exact_match(const E1000State *s, const uint8_t *dst)
{
    for (int i = 0; i < E1000_RA_WORDS; i += 2) {
        uint32_t lo = s->ra[i], hi = s->ra[i + 1];
        uint8_t a[E1000_ETH_ALEN];

        st_le32(a, lo);
        st_le16(a + 4, (uint16_t)hi);

        if ((hi & E1000_RAH_AV) && memcmp(dst, a, E1000_ETH_ALEN) == 0) {
            return true;
        }
    }
    return false;
}

/* Multicast table: 12 bits of the address picked by RCTL.MO (SDM 13.5.1). */
static bool e1000_rx_mta_match(const E1000State *s, const uint8_t *dst)
{
    static const unsigned shift[4] = { 4, 3, 2, 0 };
    unsigned mo = (s->rctl >> E1000_RCTL_MO_SHIFT) & 3;
    unsigned h = (ld_le16(dst + 4) >> shift[mo]) & 0xfff;

    return (s->mta[h >> 5] >> (h & 0x1f)) & 1;
}

static bool e1000_rx_addr_ok(const E1000State *s, const uint8_t *dst)
{
    if (mac_is_broadcast(dst)) {
        if (s->rctl & E1000_RCTL_BAM) {
            return true;
        }
    } else if (mac_is_multicast(dst)) {
        if (s->rctl & E1000_RCTL_MPE) {
            return true;
        }
    } else if (s->rctl & E1000_RCTL_UPE) {
        return true;
    }
    return e1000_rx_exact_match(s, dst) || e1000_rx_mta_match(s, dst);
}

static bool e1000_rx_is_vlan(const E1000State *s, const uint8_t *f)
{
    return ld_be16(f + 2 * E1000_ETH_ALEN) == (uint16_t)s->vet;
}

/* Longer than 1518 bytes needs LPE, longer than 16380 SBP (13.4.22). */
static bool e1000_rx_oversized(E1000State *s, size_t size)
{
    bool too_long = size > E1000_ETH_MAX_LONG ||
                    (size > E1000_ETH_MAX_STD && !(s->rctl & E1000_RCTL_LPE));

    if (too_long && !(s->rctl & E1000_RCTL_SBP)) {
        e1000_stat_inc(s, E1000_ROC);
        return true;
    }
    return false;
}

/* ---------------------------------------------------------------------- */
/* Receive checksum offload (SDM 3.2.9; status and errors 3.2.3.1-3.2.3.2) */

/* The packet checksum: the frame after stripping, from PCSS, without the
 * FCS (the model has none), its complement stored as a little-endian word
 * (as e1000-family drivers read it back). */
static uint16_t e1000_rx_packet_csum(const E1000RxFrame *f, size_t start)
{
    uint32_t sum = 0;
    size_t off = 0;

    for (int i = 0; i < 2; i++) {
        size_t n = f->piece_len[i];
        if (n && start < off + n) {
            size_t from = start > off ? start - off : 0;
            sum = csum_add_at(sum, f->piece[i] + from, n - from, off + from - start);
        }
        off += n;
    }
    return csum_finish(sum);
}

/*
 * With RXCSUM at its reset value 0 the write-back stays QEMU 7.2's: IXSM
 * ("ignore the checksum bits"), the checksum and errors fields as the
 * driver left them. Once a driver sets it: IXSM clear; IPCS when IPOFLD
 * checked an IPv4 header, TCPCS when TUOFLD checked a TCP or UDP checksum
 * (TCPCS covers UDP on the 8254x: its bit 4 is reserved), IPE and TCPE
 * when they were bad (table 3-5: fragments and other protocols get no
 * TCP/UDP check; a tag other than 0x8100 is not looked through).
 */
static void e1000_rx_csum(const E1000State *s, const uint8_t *buf, size_t len,
                          E1000RxFrame *f)
{
    NetHeaders h;
    NetRxCsum r = { false, false, false, false };

    f->eop_status = E1000_RXD_STAT_IXSM;
    if (!s->rxcsum) {
        return;
    }
    if (net_parse_ip(buf, len, &h)) {
        r = net_rx_csum(buf, &h, s->rxcsum & E1000_RXCSUM_IPOFLD,
                        s->rxcsum & E1000_RXCSUM_TUOFLD);
    }
    f->offload = true;
    f->eop_status = (r.ip_checked ? E1000_RXD_STAT_IPCS : 0) |
                    (r.l4_checked ? E1000_RXD_STAT_TCPCS : 0);
    f->errors = (r.ip_bad ? E1000_RXD_ERR_IPE : 0) | (r.l4_bad ? E1000_RXD_ERR_TCPE : 0);
    f->csum = e1000_rx_packet_csum(f, s->rxcsum & E1000_RXCSUM_PCSS_MASK);
}

/* The status, errors and checksum fields of a written descriptor. */
static void e1000_rx_desc_status(const E1000RxFrame *f, uint8_t *d, bool first,
                                 bool eop)
{
    if (f->offload && first) {
        st_le16(d + E1000_RXD_CSUM, f->csum);
    }
    if (!eop) {
        d[E1000_RXD_STATUS] &= ~E1000_RXD_STAT_EOP;
        return;
    }
    if (f->offload) {
        d[E1000_RXD_STATUS] &= ~(E1000_RXD_STAT_IXSM | E1000_RXD_STAT_IPCS |
                                 E1000_RXD_STAT_TCPCS);
        d[E1000_RXD_ERRORS] = f->errors;
    }
    d[E1000_RXD_STATUS] |= E1000_RXD_STAT_EOP | f->eop_status;
}

/* ---------------------------------------------------------------------- */
/* The ring                                                                */

static uint32_t e1000_rx_ring_size(const E1000State *s)
{
    return s->rdlen / E1000_DESC_SIZE;
}

/* Are there enough free descriptors for total bytes? (QEMU 7.2's test) */
static bool e1000_rx_has_buffers(const E1000State *s, size_t total)
{
    uint64_t bufs;

    if (total <= s->rxbuf_size) {
        return s->rdh != s->rdt;
    }
    if (s->rdh < s->rdt) {
        bufs = s->rdt - s->rdh;
    } else if (s->rdh > s->rdt) {
        bufs = (uint64_t)e1000_rx_ring_size(s) + s->rdt - s->rdh;
    } else {
        return false;
    }
    return total <= bufs * s->rxbuf_size;
}

static void e1000_rx_overrun(E1000State *s)
{
    e1000_stat_inc(s, E1000_RNBC);
    e1000_stat_inc(s, E1000_MPC);
    e1000_set_ics(s, E1000_ICR_RXO);
}

/* Writes frame bytes [off, off + len) to guest address buf_addr. */
static void e1000_rx_copy(E1000State *s, const E1000RxFrame *f, size_t off,
                          uint64_t buf_addr, size_t len)
{
    for (int i = 0; i < 2 && len > 0; i++) {
        if (off >= f->piece_len[i]) {
            off -= f->piece_len[i];
            continue;
        }
        size_t n = MIN(len, f->piece_len[i] - off);
        pci_dma_write(&s->pci, buf_addr, f->piece[i] + off, n);
        buf_addr += n;
        len -= n;
        off = 0;
    }
}

static uint64_t e1000_rx_base(const E1000State *s)
{
    return ((uint64_t)s->rdbah << 32) + (s->rdbal & ~0xfu);
}

/* Fills one descriptor with what is left of the frame; returns the bytes
 * it took (0 for a descriptor without a buffer, which is skipped). */
static size_t e1000_rx_fill_desc(E1000State *s, const E1000RxFrame *f,
                                 size_t done, size_t total)
{
    uint64_t base = e1000_rx_base(s) + (uint64_t)E1000_DESC_SIZE * s->rdh;
    size_t take = MIN(total - done, (size_t)s->rxbuf_size);
    uint8_t d[E1000_DESC_SIZE];
    uint64_t buf_addr;

    pci_dma_read(&s->pci, base, d, sizeof(d));
    buf_addr = ld_le64(d + E1000_RXD_ADDR);
    d[E1000_RXD_STATUS] &= ~E1000_RXD_STAT_DD;
    st_le16(d + E1000_RXD_SPECIAL, f->special);
    if (buf_addr) {
        if (done < f->size) {
            e1000_rx_copy(s, f, done, buf_addr,
                          MIN(f->size - done, (size_t)s->rxbuf_size));
        }
        st_le16(d + E1000_RXD_LENGTH, (uint16_t)take);
        e1000_rx_desc_status(f, d, done == 0, done + take >= total);
    } else {
        take = 0;
        guest_error("e1000: RX descriptor %u without a buffer skipped", s->rdh);
    }
    d[E1000_RXD_STATUS] |= f->status | E1000_RXD_STAT_DD;
    pci_dma_write(&s->pci, base, d, sizeof(d));
    return take;
}

/* The walk from RDH; false on an overrun (ring wrapped, or the cap). */
static bool e1000_rx_walk(E1000State *s, const E1000RxFrame *f, size_t total)
{
    uint32_t rdh_start = s->rdh;
    size_t done = 0;

    for (unsigned n = 0; done < total; n++) {
        if (n == E1000_RX_MAX_DESC) {
            guest_error("e1000: frame needs more than %u RX descriptors",
                        E1000_RX_MAX_DESC);
            return false;
        }
        done += e1000_rx_fill_desc(s, f, done, total);
        if ((uint64_t)(s->rdh + 1) * E1000_DESC_SIZE >= s->rdlen) {
            s->rdh = 0;
        } else {
            s->rdh++;
        }
        /* Back where it started, or started outside the ring: QEMU 7.2
         * calls that an overrun even if the frame is all written. */
        if (s->rdh == rdh_start || rdh_start >= e1000_rx_ring_size(s)) {
            return false;
        }
    }
    return true;
}

/* ---------------------------------------------------------------------- */
/* Receiving a frame                                                       */

static void e1000_rx_stats(E1000State *s, const uint8_t *dst, size_t size,
                           size_t total)
{
    e1000_stat_size(s, E1000_PRC64, total);
    e1000_stat_inc(s, E1000_TPR);
    e1000_stat_inc(s, E1000_GPRC);
    e1000_stat_add64(s, E1000_TORL, size + E1000_ETH_FCS_LEN);
    e1000_stat_add64(s, E1000_GORCL, size + E1000_ETH_FCS_LEN);
    if (mac_is_broadcast(dst)) {
        e1000_stat_inc(s, E1000_BPRC);
    } else if (mac_is_multicast(dst)) {
        e1000_stat_inc(s, E1000_MPRC);
    }
}

/* RXT0, and RXDMT0 when the free descriptors fall to the threshold. */
static void e1000_rx_interrupt(E1000State *s)
{
    uint32_t cause = E1000_ICR_RXT0;
    uint64_t rdt = s->rdt;

    if (rdt < s->rdh) {
        rdt += e1000_rx_ring_size(s);
    }
    if ((rdt - s->rdh) * E1000_DESC_SIZE <= (s->rdlen >> s->rxbuf_min_shift)) {
        cause |= E1000_ICR_RXDMT0;
    }
    e1000_set_ics(s, cause);
}

/* f holds at least E1000_ETH_ZLEN bytes. */
static bool e1000_rx_frame(E1000State *s, E1000RxFrame *f)
{
    const uint8_t *h = f->piece[0];
    size_t len = f->size;
    size_t total;

    if (e1000_rx_oversized(s, f->size)) {
        return false;
    }
    if ((e1000_rx_is_vlan(s, h) && !e1000_rx_vlan_ok(s, h)) ||
        !e1000_rx_addr_ok(s, h)) {
        return false;
    }
    if ((s->ctrl & E1000_CTRL_VME) && e1000_rx_is_vlan(s, h)) {
        f->special = ld_be16(h + E1000_ETH_HLEN);
        f->status = E1000_RXD_STAT_VP;
        f->piece_len[0] = 2 * E1000_ETH_ALEN;
        f->piece[1] = h + 2 * E1000_ETH_ALEN + E1000_ETH_VLAN_HLEN;
        f->piece_len[1] = f->size - 2 * E1000_ETH_ALEN - E1000_ETH_VLAN_HLEN;
        f->size -= E1000_ETH_VLAN_HLEN;
    }
    e1000_rx_csum(s, h, len, f);
    total = f->size + ((s->rctl & E1000_RCTL_SECRC) ? 0 : E1000_ETH_FCS_LEN);
    if (!e1000_rx_has_buffers(s, total) || !e1000_rx_walk(s, f, total)) {
        e1000_rx_overrun(s);
        return false;
    }
    e1000_rx_stats(s, h, f->size, total);
    e1000_rx_interrupt(s);
    return true;
}

/* The backend's receive callback (NetReceive). */
bool e1000_receive(void *opaque, const uint8_t *buf, size_t len)
{
    E1000State *s = opaque;
    uint8_t pad[E1000_ETH_ZLEN];
    E1000RxFrame f = { .piece = { buf, NULL }, .piece_len = { len, 0 },
                       .size = len };

    if (!(s->status & E1000_STATUS_LU) ||
        !(s->rctl & E1000_RCTL_EN) ||
        !(pci_get_word(s->pci.config + PCI_COMMAND) & PCI_COMMAND_MASTER)) {
        return false;
    }
    if (len < E1000_ETH_ZLEN) {
        memset(pad, 0, sizeof(pad));
        memcpy(pad, buf, len);
        f.piece[0] = pad;
        f.piece_len[0] = f.size = E1000_ETH_ZLEN;
    }
    return e1000_rx_frame(s, &f);
}
