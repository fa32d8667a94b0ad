/* SPDX-License-Identifier: MIT */
/*
 * Intel 82540EM ("e1000"): the state shared by the files of the model and
 * the functions they call in each other. e1000.c has the registers,
 * interrupts, reset and the PCI glue; e1000-eeprom.c the EEPROM and the PHY
 * behind MDIC; e1000-tx.c the transmit ring, checksum offload and TSO;
 * e1000-rx.c the receive filters and ring.
 */
#ifndef HW_NET_E1000_H
#define HW_NET_E1000_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/clock.h"
#include "emu/memory.h"
#include "emu/pci.h"
#include "hw/backend/net.h"
#include "hw/net/e1000-regs.h"

#define TYPE_E1000 "e1000"

/* Limits */
#define E1000_TX_BUF_SIZE    65536   /* one frame or TSO segment (QEMU's size) */
#define E1000_TX_HDR_MAX     256     /* TSO header replicated per segment */
#define E1000_TX_BURST_DESC  64      /* descriptors per burst ... */
#define E1000_TX_BURST_FRAMES 64     /* ... frames sent per burst ... */
#define E1000_TX_BURST_BYTES (256 * 1024)  /* ... and bytes sent per burst */
#define E1000_TX_RESUME_NS   1000    /* a capped walk goes on this much later */
#define E1000_RX_MAX_DESC    512     /* descriptors one frame may use */
#define E1000_AUTONEG_NS     (500 * 1000 * 1000LL)
#define E1000_MIT_MIN_DELAY  500     /* in 256 ns units: 7813 interrupts/s */
#define E1000_MIT_UNIT_NS    256
#define E1000_PBM_CHUNK      (E1000_PBM_SIZE / 64)   /* one bit of pbm_valid */

/* What a context descriptor sets up (SDM 3.3.6). */
typedef struct E1000TxContext {
    uint8_t ipcss, ipcso;     /* IP checksum start, offset */
    uint16_t ipcse;           /* IP checksum end (inclusive), 0: to the end */
    uint8_t tucss, tucso;     /* TCP/UDP checksum start, offset */
    uint16_t tucse;
    uint32_t paylen;          /* TSO: payload bytes of the whole send */
    uint8_t hdr_len;          /* TSO: header bytes replicated */
    uint16_t mss;             /* TSO: payload bytes per segment */
    bool ip;                  /* IPv4 (else IPv6) */
    bool tcp;                 /* TCP (else UDP) */
} E1000TxContext;

/* The frame being assembled from data descriptors. */
typedef struct E1000Tx {
    E1000TxContext ctx;       /* checksum-only context */
    E1000TxContext tso;       /* segmentation context */
    uint8_t header[E1000_TX_HDR_MAX];
    uint8_t vlan_tag[E1000_ETH_VLAN_HLEN];
    uint32_t size;            /* bytes in data */
    uint32_t desc_done;       /* bytes of the current descriptor consumed */
    uint16_t tso_frames;      /* segments sent of this TSO send */
    uint8_t sum_needed;       /* POPTS of the packet's first data descriptor */
    bool vlan_needed;
    bool cptse;               /* this packet is segmented */
    bool ifcs;                /* the device appends the FCS (else the driver did) */
    bool legacy_ic;           /* legacy descriptor asked for a checksum */
    uint8_t legacy_css, legacy_cso;
    /*
     * Room for a VLAN tag in front, then the frame (data = buf + 4), of
     * E1000_TX_BUF_BYTES allocated at realize. Only the first 4 + size
     * bytes are live, and size is 0 when nothing is being assembled (as at
     * the snapshot, taken after set-up): the rest is written before it is
     * read, so the buffer is outside the instance, registered with
     * object_add_state with that live part (a restore copies 4 bytes, not
     * 64 KiB, and the leak checks see it).
     */
    uint8_t *buf;
} E1000Tx;

#define E1000_TX_BUF_BYTES (E1000_ETH_VLAN_HLEN + E1000_TX_BUF_SIZE)

/* Microwire bit-banging through EECD (SDM 5.3.1). */
typedef struct E1000Eecd {
    uint32_t old;             /* SK, CS, DI, FWE, REQ as last written */
    uint32_t val_in;          /* bits shifted in */
    uint16_t bitnum_in;
    uint16_t bitnum_out;      /* next bit of the EEPROM shifted out on DO */
    bool reading;
} E1000Eecd;

typedef struct E1000State {
    PCIDevice pci;

    /* From ctrl up to eeprom: the MAC registers, which CTRL.RST clears. */
    /* General */
    uint32_t ctrl, status, ctrl_ext, eerd, mdic, vet, ledctl, pba, manc, swsm;
    uint32_t ioaddr;
    /* Flow control and TBI auto-negotiation (storage only) */
    uint32_t fcal, fcah, fct, fcttv, fcrtl, fcrth, txcw, rxcw;
    /* Interrupts: ICS reads as ICR (QEMU 7.2, real hardware too) */
    uint32_t icr, ims, itr, ait;
    uint32_t rdtr, radv, tadv;
    /* Receive */
    uint32_t rctl, rdbal, rdbah, rdlen, rdh, rdt;
    uint32_t rdfh, rdft, rdfhs, rdfts, rdfpc;
    uint32_t rxcsum;
    uint32_t rxbuf_size;
    uint32_t rxbuf_min_shift;  /* RXDMT0 when free <= ring >> this */
    /* Transmit */
    uint32_t tctl, tipg, tdbal, tdbah, tdlen, tdh, tdt, txdctl;
    uint32_t tdfh, tdft, tdfhs, tdfts, tdfpc;
    uint32_t tx_kick_start;    /* TDH when the walk was kicked */
    uint32_t tx_left;          /* descriptors the kick may still walk */
    uint32_t tx_cause;         /* ICR bits gathered by the walk */
    uint32_t tx_burst_frames;  /* frames and bytes sent in this burst */
    uint32_t tx_burst_bytes;
    /* Filters */
    uint32_t ra[E1000_RA_WORDS];
    uint32_t mta[E1000_MTA_WORDS];
    uint32_t vfta[E1000_VFTA_WORDS];
    /* Wake-up and manageability tables (storage only) */
    uint32_t wuc, wufc, wus, ipav;
    uint32_t ip4at[E1000_IP4AT_WORDS], ip6at[E1000_IP6AT_WORDS];
    uint32_t wupm[E1000_WUPM_WORDS], fflt[E1000_FFLT_WORDS];
    uint32_t ffmt[E1000_FFMT_WORDS], ffvt[E1000_FFVT_WORDS];
    uint32_t stats[E1000_NR_STATS];
    /* EEPROM and PHY (CTRL.RST keeps them) */
    uint16_t eeprom[E1000_EEPROM_WORDS];
    E1000Eecd eecd;
    uint16_t phy[E1000_PHY_REGS];
    /*
     * Packet buffer memory (BAR0 0x10000, 64 KiB). Its bytes are in pbm,
     * allocated at realize outside the instance (a restore would otherwise
     * copy 64 KiB more for every input that touches the card); pbm_valid,
     * in the instance, says which E1000_PBM_CHUNK-byte chunks hold what was
     * written since reset: the others read as 0 and are zeroed before their
     * first write. pbm is registered with object_add_state, its live part
     * ending with the last valid chunk: 0 bytes at the snapshot (reset
     * clears pbm_valid and no set-up writes the packet buffer), so a restore
     * copies nothing and, putting pbm_valid back, still brings back what a
     * read sees. CTRL.RST keeps it (not a register).
     */
    uint64_t pbm_valid;
    /* Interrupt mitigation (ITR, RADV, TADV) */
    bool mit_timer_on;
    bool mit_irq_level;
    bool mit_ide;
    E1000Tx tx;
    Timer autoneg_timer;
    Timer mit_timer;
    Timer tx_timer;

    /* Set-up */
    char *netdev_id;           /* property "netdev" */
    char *mac_str;             /* property "mac" */
    uint8_t macaddr[E1000_ETH_ALEN];
    uint8_t *pbm;              /* E1000_PBM_SIZE bytes: see pbm_valid */
    MemoryRegion mmio;
    MemoryRegion io;
    Clock *clock;
    NetBackend *nb;            /* NULL: frames are dropped */
} E1000State;

/* e1000.c */
void e1000_set_ics(E1000State *s, uint32_t cause);
void e1000_stat_inc(E1000State *s, unsigned off);
void e1000_stat_add64(E1000State *s, unsigned off_lo, uint64_t n);
void e1000_stat_size(E1000State *s, unsigned off_64, size_t len);

/* e1000-eeprom.c: EEPROM contents, EERD, EECD, the PHY and MDIC */
void e1000_eeprom_init(uint16_t *eeprom, const uint8_t *mac);
uint32_t e1000_eerd_read(const E1000State *s);
uint32_t e1000_eecd_read(const E1000State *s);
void e1000_eecd_write(E1000State *s, uint32_t val);
void e1000_phy_reset(E1000State *s);
void e1000_mdic_write(E1000State *s, uint32_t val);
void e1000_autoneg_timer_cb(void *opaque);

/* e1000-tx.c */
void e1000_tx_kick(E1000State *s);
void e1000_tx_timer_cb(void *opaque);
/* The checksum of data[css..cse] (cse 0: to the end) written big-endian at
 * data + sloc, 0 as 0xffff, as QEMU's putsum (exposed for tests). */
void e1000_put_csum(uint8_t *data, size_t n, unsigned sloc, unsigned css,
                    unsigned cse);
/* TSO: updates the headers of segment number `index` (from 0), frame
 * [0..size): IP length and ID, TCP sequence and flags or UDP length, and
 * adds the segment length to the pseudo-header sum at TUCSO when sum_l4.
 * True for the last segment of a TCP send. */
bool e1000_tso_fixup(uint8_t *frame, size_t size, const E1000TxContext *c,
                     unsigned index, bool sum_l4);

/* e1000-rx.c */
bool e1000_receive(void *opaque, const uint8_t *buf, size_t len);
void e1000_rx_set_rctl(E1000State *s, uint32_t val);

#endif
