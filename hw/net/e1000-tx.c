/* SPDX-License-Identifier: MIT */
/*
 * 82540EM transmit (8254x SDM 3.3-3.6): the descriptor ring between TDH and
 * TDT, legacy descriptors (with the CSO/CSS checksum of CMD.IC), context
 * descriptors and extended data descriptors with IP and TCP/UDP checksum
 * insertion and TCP segmentation (header replication here; the per-segment
 * IP length/ID, TCP sequence/flags and the checksums are hw/net/net-offload's,
 * shared with virtio-net), VLAN tag insertion, RS write-back,
 * TXDW/TXQE. A kick walks at most the ring once, as QEMU 7.2; the walk runs
 * in bursts (descriptors, frames, bytes capped) and a capped burst goes on
 * E1000_TX_RESUME_NS later on the virtual clock, resuming a TSO descriptor
 * where it stopped. Frames go to the backend without an FCS: with IFCS the
 * device would append it; without, the driver's last four bytes are the FCS
 * and are not passed on.
 */
#include "hw/net/e1000.h"

#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"
#include "hw/net/mac.h"
#include "hw/net/net-offload.h"

/* ---------------------------------------------------------------------- */
/* Checksum insertion and TCP segmentation (SDM 3.3.5, 3.5), done by       */
/* hw/net/net-offload on the offsets the driver gave                       */

/* The checksum of data[css..end] at sloc, end being cse or the frame's last
 * byte; nothing if sloc is not inside the summed range's frame. A sum of 0
 * goes out as 0xffff (QEMU 7.2's putsum). */
void e1000_put_csum(uint8_t *data, size_t n, unsigned sloc, unsigned css,
                    unsigned cse)
{
    if (cse && cse < n) {
        n = cse + 1;
    }
    net_csum_insert(data, n, css, sloc, true);
}

bool e1000_tso_fixup(uint8_t *d, size_t size, const E1000TxContext *c,
                     unsigned index, bool sum_l4)
{
    NetHeaders h = { .l3 = c->ipcss, .l4 = c->tucss, .ipv6 = !c->ip,
                     .proto = c->tcp ? NET_IP_PROTO_TCP : NET_IP_PROTO_UDP };
    uint32_t sofar = index * c->mss;
    bool last = c->paylen - sofar <= c->mss;

    net_tso_fix_ip(d, size, &h, index);
    if (c->tcp) {
        net_tso_fix_tcp(d, size, &h, sofar, last ? 0 : NET_TCP_PSH | NET_TCP_FIN);
    } else {
        net_tso_fix_udp(d, size, &h);
    }
    if (sum_l4) {
        /* The driver leaves the pseudo-header sum without the length. */
        net_csum_field_add(d, size, c->tucso, size > h.l4 ? (uint32_t)(size - h.l4) : 0);
    }
    return c->tcp && last && h.l4 + NET_TCP_FLAGS + 1 <= size;
}

/* ---------------------------------------------------------------------- */
/* Sending one frame                                                       */

static uint8_t *e1000_tx_data(E1000State *s)
{
    return s->tx.buf + E1000_ETH_VLAN_HLEN;
}

static bool e1000_tx_burst_spent(const E1000State *s)
{
    return s->tx_burst_frames >= E1000_TX_BURST_FRAMES ||
           s->tx_burst_bytes >= E1000_TX_BURST_BYTES;
}

/* As QEMU 7.2: the size bins count the frame sent, the octet counters the
 * frame without an inserted VLAN tag; both with the FCS. */
static void e1000_tx_stats(E1000State *s, const uint8_t *frame, size_t len,
                           size_t octets)
{
    if (len >= MAC_ALEN && mac_is_broadcast(frame)) {
        e1000_stat_inc(s, E1000_BPTC);
    } else if (len >= MAC_ALEN && mac_is_multicast(frame)) {
        e1000_stat_inc(s, E1000_MPTC);
    }
    e1000_stat_size(s, E1000_PTC64, len + E1000_ETH_FCS_LEN);
    e1000_stat_inc(s, E1000_TPT);
    e1000_stat_inc(s, E1000_GPTC);
    e1000_stat_add64(s, E1000_TOTL, octets + E1000_ETH_FCS_LEN);
    e1000_stat_add64(s, E1000_GOTCL, octets + E1000_ETH_FCS_LEN);
}

/* PHY loopback (BMCR bit 14) turns the frame around inside the device.
 * Without IFCS the driver's FCS ends the frame: it is the wire's FCS, and
 * backends carry frames without one (SDM 3.3.3.1). */
static void e1000_tx_send(E1000State *s, const uint8_t *frame, size_t len,
                          size_t octets)
{
    if (!s->tx.ifcs) {
        len = len > E1000_ETH_FCS_LEN ? len - E1000_ETH_FCS_LEN : 0;
        octets = octets > E1000_ETH_FCS_LEN ? octets - E1000_ETH_FCS_LEN : 0;
    }
    if (len == 0) {
        return;
    }
    if (s->phy[E1000_PHY_BMCR] & E1000_BMCR_LOOPBACK) {
        e1000_receive(s, frame, len);
    } else {
        net_send(s->nb, frame, len);
    }
    e1000_tx_stats(s, frame, len, octets);
    s->tx_burst_frames++;
    s->tx_burst_bytes += (uint32_t)len;
}

/* One frame (or TSO segment) of tx.data: offloads, VLAN tag, send. */
static void e1000_tx_segment(E1000State *s)
{
    E1000Tx *tp = &s->tx;
    uint8_t *data = e1000_tx_data(s);
    const E1000TxContext *c = tp->cptse ? &tp->tso : &tp->ctx;

    if (tp->cptse) {
        /* TSCTC counts the last segment of a TCP send of several (QEMU). */
        if (e1000_tso_fixup(data, tp->size, c, tp->tso_frames,
                            tp->sum_needed & E1000_TXD_POPTS_TXSM) &&
            tp->tso_frames > 0) {
            e1000_stat_inc(s, E1000_TSCTC);
        }
        tp->tso_frames++;
    }
    if (tp->sum_needed & E1000_TXD_POPTS_TXSM) {
        e1000_put_csum(data, tp->size, c->tucso, c->tucss, c->tucse);
    }
    if (tp->sum_needed & E1000_TXD_POPTS_IXSM) {
        e1000_put_csum(data, tp->size, c->ipcso, c->ipcss, c->ipcse);
    }
    if (tp->legacy_ic) {
        e1000_put_csum(data, tp->size, tp->legacy_cso, tp->legacy_css, 0);
    }
    if (tp->vlan_needed && tp->size >= 2 * E1000_ETH_ALEN) {
        /* 802.1Q: the tag goes between the addresses and the type. */
        memmove(tp->buf, data, 2 * E1000_ETH_ALEN);
        memcpy(tp->buf + 2 * E1000_ETH_ALEN, tp->vlan_tag, E1000_ETH_VLAN_HLEN);
        e1000_tx_send(s, tp->buf, tp->size + E1000_ETH_VLAN_HLEN, tp->size);
    } else {
        e1000_tx_send(s, data, tp->size, tp->size);
    }
}

/* ---------------------------------------------------------------------- */
/* Descriptors                                                             */

static void e1000_tx_read_context(E1000TxContext *c, const uint8_t *d)
{
    uint32_t cmd = ld_le32(d + E1000_TXD_LOWER);

    c->ipcss = d[0];
    c->ipcso = d[1];
    c->ipcse = ld_le16(d + 2);
    c->tucss = d[4];
    c->tucso = d[5];
    c->tucse = ld_le16(d + 6);
    c->paylen = cmd & E1000_TXD_DLEN_MASK;
    c->ip = cmd & E1000_TXD_CMD_IP;
    c->tcp = cmd & E1000_TXD_CMD_TCP;
    c->hdr_len = d[13];
    c->mss = ld_le16(d + 14);
}

static void e1000_tx_context(E1000State *s, const uint8_t *d, uint32_t lower)
{
    if (lower & E1000_TXD_CMD_TSE) {
        e1000_tx_read_context(&s->tx.tso, d);
        s->tx.tso_frames = 0;
    } else {
        e1000_tx_read_context(&s->tx.ctx, d);
    }
}

/* Copies len bytes at addr into the frame, as room allows. */
static void e1000_tx_fetch(E1000State *s, uint64_t addr, uint32_t len)
{
    E1000Tx *tp = &s->tx;

    len = MIN(len, E1000_TX_BUF_SIZE - tp->size);
    pci_dma_read(&s->pci, addr, e1000_tx_data(s) + tp->size, len);
    tp->size += len;
}

/*
 * A TSO data descriptor: fill segments of hdr_len + mss bytes, send each
 * full one and start the next from the saved header. False when the burst
 * is spent with bytes left: tx.desc_done says where to resume.
 */
static bool e1000_tx_tso_data(E1000State *s, uint64_t addr, uint32_t len)
{
    E1000Tx *tp = &s->tx;
    uint32_t hdr_len = tp->tso.hdr_len;
    uint32_t full_seg_len = MIN(hdr_len + tp->tso.mss, (uint32_t)E1000_TX_BUF_SIZE);

    while (tp->desc_done < len && tp->size < full_seg_len) {
        uint32_t before = tp->size;
        uint32_t bytes = MIN(len - tp->desc_done, full_seg_len - tp->size);

        e1000_tx_fetch(s, addr + tp->desc_done, bytes);
        if (before < hdr_len && tp->size >= hdr_len) {
            memcpy(tp->header, e1000_tx_data(s), hdr_len);
        }
        tp->desc_done += bytes;
        if (tp->size == full_seg_len) {
            e1000_tx_segment(s);
            memcpy(e1000_tx_data(s), tp->header, hdr_len);
            tp->size = hdr_len;
            if (e1000_tx_burst_spent(s) && tp->desc_done < len) {
                return false;
            }
        }
    }
    return true;
}

/* End of packet: send what is left, forget the packet. */
static void e1000_tx_eop(E1000State *s)
{
    E1000Tx *tp = &s->tx;

    if (tp->cptse) {
        /* A segment with payload, or a send that was only a header. */
        if (tp->size > tp->tso.hdr_len ||
            (tp->size == tp->tso.hdr_len && tp->tso_frames == 0)) {
            e1000_tx_segment(s);
        }
    } else if (tp->size > 0) {
        e1000_tx_segment(s);
    }
    tp->tso_frames = 0;
    tp->sum_needed = 0;
    tp->vlan_needed = false;
    tp->legacy_ic = false;
    tp->ifcs = false;
    tp->size = 0;
    tp->cptse = false;
}

/* IFCS from the EOP descriptor, or from the first of a TSO send (SDM
 * 3.3.3.1, 3.3.7.1); the VLAN tag from any of a TSO send or the EOP one. */
static void e1000_tx_options(E1000State *s, uint32_t lower, uint32_t upper)
{
    E1000Tx *tp = &s->tx;

    if (tp->cptse ? tp->size == 0 : (lower & E1000_TXD_CMD_EOP) != 0) {
        tp->ifcs = lower & E1000_TXD_CMD_IFCS;
    }
    if ((s->ctrl & E1000_CTRL_VME) && (lower & E1000_TXD_CMD_VLE) &&
        (tp->cptse || (lower & E1000_TXD_CMD_EOP))) {
        tp->vlan_needed = true;
        st_be16(tp->vlan_tag, (uint16_t)s->vet);
        st_be16(tp->vlan_tag + 2, upper >> E1000_TXD_SPECIAL_SHIFT);
    }
}

/* One descriptor; false if it must be resumed later (see above). */
static bool e1000_tx_process(E1000State *s, const uint8_t *d)
{
    E1000Tx *tp = &s->tx;
    uint64_t addr = ld_le64(d);
    uint32_t lower = ld_le32(d + E1000_TXD_LOWER);
    uint32_t upper = ld_le32(d + E1000_TXD_UPPER);
    uint32_t dtype = lower & (E1000_TXD_CMD_DEXT | E1000_TXD_DTYP_D);
    uint32_t len;

    s->mit_ide |= (lower & E1000_TXD_CMD_IDE) != 0;
    if (dtype == E1000_TXD_CMD_DEXT) {
        e1000_tx_context(s, d, lower);
        return true;
    }
    if (dtype == (E1000_TXD_CMD_DEXT | E1000_TXD_DTYP_D)) {
        if (tp->size == 0) {
            tp->sum_needed = (upper >> E1000_TXD_POPTS_SHIFT) & 0xff;
        }
        tp->cptse = lower & E1000_TXD_CMD_TSE;
        len = lower & E1000_TXD_DLEN_MASK;
    } else {
        tp->cptse = false;
        tp->legacy_ic = lower & E1000_TXD_CMD_IC;
        tp->legacy_cso = (lower >> E1000_TXD_CSO_SHIFT) & 0xff;
        tp->legacy_css = (upper >> E1000_TXD_CSS_SHIFT) & 0xff;
        len = lower & E1000_TXD_LEN_MASK;
    }
    e1000_tx_options(s, lower, upper);
    if (tp->cptse) {
        if (!e1000_tx_tso_data(s, addr, len)) {
            return false;
        }
    } else {
        e1000_tx_fetch(s, addr, len);
    }
    tp->desc_done = 0;
    if (lower & E1000_TXD_CMD_EOP) {
        e1000_tx_eop(s);
    }
    return true;
}

/* RS: DD set, the error bits cleared, in the descriptor's upper dword. */
static uint32_t e1000_tx_writeback(E1000State *s, uint64_t base, const uint8_t *d)
{
    uint32_t lower = ld_le32(d + E1000_TXD_LOWER);
    uint32_t upper = ld_le32(d + E1000_TXD_UPPER);
    uint8_t out[4];

    if (!(lower & (E1000_TXD_CMD_RS | E1000_TXD_CMD_RPS))) {
        return 0;
    }
    upper = (upper | E1000_TXD_STAT_DD) &
            ~(E1000_TXD_STAT_EC | E1000_TXD_STAT_LC | E1000_TXD_STAT_TU);
    st_le32(out, upper);
    pci_dma_write(&s->pci, base + E1000_TXD_UPPER, out, sizeof(out));
    return E1000_ICR_TXDW;
}

/* ---------------------------------------------------------------------- */
/* The ring walk                                                           */

static uint64_t e1000_tx_base(const E1000State *s)
{
    return ((uint64_t)s->tdbah << 32) + (s->tdbal & ~0xfu);
}

static void e1000_tx_advance(E1000State *s)
{
    if ((uint64_t)(s->tdh + 1) * E1000_DESC_SIZE >= s->tdlen) {
        s->tdh = 0;
    } else {
        s->tdh++;
    }
    s->tx_left--;
    if (s->tdh == s->tx_kick_start) {
        s->tx_left = 0;           /* went round the ring once */
    }
}

/* One burst; true if it stopped on a cap with work left. */
static bool e1000_tx_burst(E1000State *s)
{
    unsigned n = 0;

    s->tx_burst_frames = 0;
    s->tx_burst_bytes = 0;
    while (s->tdh != s->tdt && s->tx_left > 0) {
        uint8_t d[E1000_DESC_SIZE];
        uint64_t base = e1000_tx_base(s) + (uint64_t)E1000_DESC_SIZE * s->tdh;

        if (n == E1000_TX_BURST_DESC || e1000_tx_burst_spent(s)) {
            return true;
        }
        pci_dma_read(&s->pci, base, d, sizeof(d));
        if (!e1000_tx_process(s, d)) {
            return true;
        }
        s->tx_cause |= e1000_tx_writeback(s, base, d);
        e1000_tx_advance(s);
        n++;
    }
    return false;
}

static void e1000_tx_run(E1000State *s)
{
    bool more;

    if (!(s->tctl & E1000_TCTL_EN)) {
        return;
    }
    more = e1000_tx_burst(s);
    if (more) {
        timer_mod(&s->tx_timer, clock_get_ns(s->clock) + E1000_TX_RESUME_NS);
        if (s->tx_cause) {
            e1000_set_ics(s, s->tx_cause);
        }
    } else {
        e1000_set_ics(s, s->tx_cause | E1000_ICR_TXQE);
    }
    s->tx_cause = 0;
}

/* TDT or TCTL written: walk from TDH, at most once round the ring (a TDH
 * outside the ring gets one descriptor), as QEMU 7.2. */
void e1000_tx_kick(E1000State *s)
{
    uint32_t ring = s->tdlen / E1000_DESC_SIZE;

    if (!(s->tctl & E1000_TCTL_EN)) {
        return;
    }
    timer_del(&s->tx_timer);
    s->tx_kick_start = s->tdh;
    s->tx_left = s->tdh < ring ? ring : 1;
    s->tx_cause = 0;
    e1000_tx_run(s);
}

void e1000_tx_timer_cb(void *opaque)
{
    e1000_tx_run(opaque);
}
