/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the e1000 helpers that need no machine: checksum
 * insertion (QEMU's putsum rules; the sum is emu/checksum's, tested in
 * tests/unit/emu/test-checksum.c), the per-segment TSO
 * header fix-up (IPv4, IPv6, TCP, UDP; offsets outside the segment), the
 * EEPROM image and checksum, EERD, Microwire bit-banging through EECD,
 * and the RCTL buffer sizes. On a small machine with a PCI bus: DMA aimed at
 * the device's own registers from inside its register write (a TX buffer
 * read from ICR, a PHY-looped frame received into the TX ring registers) is
 * refused by the core and changes nothing. The device end to end is in the
 * qtest scripts tests/qtest/e1000*.qtest. Also: the registers QEMU leaves
 * out (flow control, TXCW/RXCW, TIPG, RXCSUM), the packet buffer across a
 * restore, and receive checksum offload through PHY loopback.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "emu/byteorder.h"
#include "emu/checksum.h"
#include "emu/dma.h"
#include "hw/devices.h"
#include "hw/net/e1000.h"

#include "hw-test.h"

static const uint8_t test_mac[E1000_ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

/* A bare device state: enough for the EEPROM and register helpers. */
static E1000State *test_state(void)
{
    E1000State *s = calloc(1, sizeof(*s));

    assert_non_null(s);
    e1000_eeprom_init(s->eeprom, test_mac);
    return s;
}

/* ---- checksums ---- */

/* A 20-byte IPv4 header (RFC 1071-style example from Wikipedia's IPv4
 * article): its checksum is 0xb861. */
static const uint8_t test_ip_hdr[20] = {
    0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
    0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
};

static void test_put_csum_ipv4(void **state)
{
    uint8_t f[64] = { 0 };

    memcpy(f + 14, test_ip_hdr, sizeof(test_ip_hdr));
    /* IPCSS 14, IPCSO 24, IPCSE 33: the header only, not what follows. */
    f[40] = 0xaa;
    e1000_put_csum(f, sizeof(f), 24, 14, 33);
    assert_int_equal(ld_be16(f + 24), 0xb861);
    /* A second pass over a header with its checksum in sums to 0: 0xffff. */
    e1000_put_csum(f, sizeof(f), 24, 14, 33);
    assert_int_equal(ld_be16(f + 24), 0xffff);
}

static void test_put_csum_bounds(void **state)
{
    uint8_t f[32];

    /* The checksum field must lie before the last byte summed. */
    memset(f, 0x11, sizeof(f));
    e1000_put_csum(f, sizeof(f), 31, 0, 0);
    e1000_put_csum(f, sizeof(f), 10, 0, 9);
    for (size_t i = 0; i < sizeof(f); i++) {
        assert_int_equal(f[i], 0x11);
    }
    /* CSE past the frame is the end of the frame; CSS past it sums nothing. */
    e1000_put_csum(f, 20, 0, 2, 1000);
    assert_int_equal(ld_be16(f), csum_finish_nozero(csum_add(0, f + 2, 18)));
    e1000_put_csum(f, 20, 4, 25, 0);
    assert_int_equal(ld_be16(f + 4), 0xffff);
    e1000_put_csum(f, 0, 0, 0, 0);
}

/* ---- TSO ---- */

static void test_tso_frame(uint8_t *f, size_t size)
{
    memset(f, 0, size);
    f[14] = 0x45;
    f[18] = 0x12;                 /* IP ID 0x1234 */
    f[19] = 0x34;
    f[23] = 6;
    f[34 + 4] = 0x00;             /* sequence 1000 */
    f[34 + 5] = 0x00;
    f[34 + 6] = 0x03;
    f[34 + 7] = 0xe8;
    f[34 + 13] = 0x19;            /* FIN PSH ACK */
    f[50] = 0x12;                 /* pseudo-header sum without length */
    f[51] = 0x34;
}

static void test_tso_tcp_segments(void **state)
{
    E1000TxContext c = { .ipcss = 14, .ipcso = 24, .ipcse = 33, .tucss = 34,
                         .tucso = 50, .paylen = 250, .hdr_len = 54, .mss = 100,
                         .ip = true, .tcp = true };
    uint8_t f[154];

    test_tso_frame(f, sizeof(f));
    assert_false(e1000_tso_fixup(f, sizeof(f), &c, 1, true));
    assert_int_equal(ld_be16(f + 16), 154 - 14);         /* IP total length */
    assert_int_equal(ld_be16(f + 18), 0x1235);           /* ID + index */
    assert_int_equal(ld_be32(f + 38), 1100);             /* seq + index * MSS */
    assert_int_equal(f[47], 0x10);                    /* PSH, FIN cleared */
    assert_int_equal(ld_be16(f + 50), 0x1234 + 120);     /* + TCP length */

    test_tso_frame(f, 104);
    assert_true(e1000_tso_fixup(f, 104, &c, 2, false));
    assert_int_equal(ld_be16(f + 16), 90);
    assert_int_equal(ld_be32(f + 38), 1200);
    assert_int_equal(f[47], 0x19);                    /* last: flags kept */
    assert_int_equal(ld_be16(f + 50), 0x1234);           /* no TXSM: untouched */
}

static void test_tso_udp_ipv6(void **state)
{
    E1000TxContext c = { .ipcss = 14, .tucss = 54, .tucso = 60, .paylen = 100,
                         .mss = 50, .ip = false, .tcp = false };
    uint8_t f[112] = { 0 };

    f[60] = 0xff;                 /* pseudo sum 0xfff0: the carry folds */
    f[61] = 0xf0;
    assert_false(e1000_tso_fixup(f, sizeof(f), &c, 0, true));
    assert_int_equal(ld_be16(f + 18), 112 - 14 - 40);    /* IPv6 payload length */
    assert_int_equal(ld_be16(f + 58), 112 - 54);         /* UDP length */
    assert_int_equal(ld_be16(f + 60), ((0xfff0 + 58) & 0xffff) + 1);
}

static void test_tso_offsets_outside(void **state)
{
    /* Offsets beyond a short segment change nothing and read nothing. */
    E1000TxContext c = { .ipcss = 250, .tucss = 255, .tucso = 255, .mss = 1,
                         .paylen = 10, .ip = true, .tcp = true };
    uint8_t *f = malloc(40);

    assert_non_null(f);
    memset(f, 0x5a, 40);
    e1000_tso_fixup(f, 40, &c, 7, true);
    for (int i = 0; i < 40; i++) {
        assert_int_equal(f[i], 0x5a);
    }
    free(f);
}

/* ---- EEPROM ---- */

static void test_eeprom_image(void **state)
{
    E1000State *s = test_state();
    uint16_t sum = 0;

    for (int i = 0; i < E1000_EEPROM_WORDS; i++) {
        sum += s->eeprom[i];
    }
    assert_int_equal(sum, E1000_EEPROM_SUM);
    assert_int_equal(s->eeprom[0], 0x5452);
    assert_int_equal(s->eeprom[1], 0x1200);
    assert_int_equal(s->eeprom[2], 0x5634);
    assert_int_equal(s->eeprom[11], E1000_DEVICE_ID);
    assert_int_equal(s->eeprom[13], E1000_DEVICE_ID);
    assert_int_equal(s->eeprom[E1000_EEPROM_CSUM], 0x79ad);   /* QEMU 7.2's */
    free(s);
}

static void test_eerd(void **state)
{
    E1000State *s = test_state();

    s->eerd = 0x0100;                                   /* no START */
    assert_int_equal(e1000_eerd_read(s), 0x0100);
    s->eerd = 2 << E1000_EERD_ADDR_SHIFT | E1000_EERD_START;
    assert_int_equal(e1000_eerd_read(s), 0x56340210);
    s->eerd = 64 << E1000_EERD_ADDR_SHIFT | E1000_EERD_START;
    assert_int_equal(e1000_eerd_read(s), 0x4010);       /* past the end */
    s->eerd = 0x00010101;                               /* "address" 0x101 */
    assert_int_equal(e1000_eerd_read(s), 0x00010110);
    free(s);
}

/* Microwire as a driver drives it: DI set, SK up, SK down, per bit. */
static void test_eecd_shift_out(E1000State *s, uint32_t data, int bits)
{
    for (int i = bits - 1; i >= 0; i--) {
        uint32_t v = E1000_EECD_CS | ((data >> i & 1) ? E1000_EECD_DI : 0);
        e1000_eecd_write(s, v);
        e1000_eecd_write(s, v | E1000_EECD_SK);
        e1000_eecd_write(s, v);
    }
}

static uint16_t test_eecd_read_word(E1000State *s, unsigned word)
{
    uint16_t v = 0;

    e1000_eecd_write(s, 0);
    e1000_eecd_write(s, E1000_EECD_CS);                 /* CS rises: reset */
    test_eecd_shift_out(s, E1000_EEPROM_READ_OP, 3);
    test_eecd_shift_out(s, word, 6);
    for (int i = 0; i < 16; i++) {
        e1000_eecd_write(s, E1000_EECD_CS | E1000_EECD_SK);
        v = (uint16_t)(v << 1 | ((e1000_eecd_read(s) & E1000_EECD_DO) ? 1 : 0));
        e1000_eecd_write(s, E1000_EECD_CS);
    }
    return v;
}

static void test_eecd_bitbang(void **state)
{
    E1000State *s = test_state();

    /* Idle: present, granted, DO high, the written bits read back. */
    assert_int_equal(e1000_eecd_read(s), 0x188);
    e1000_eecd_write(s, E1000_EECD_REQ | E1000_EECD_FWE_MASK | 0x200);
    assert_int_equal(e1000_eecd_read(s), 0x188 | E1000_EECD_REQ | E1000_EECD_FWE_MASK);
    for (unsigned w = 0; w < E1000_EEPROM_WORDS; w += 7) {
        assert_int_equal(test_eecd_read_word(s, w), s->eeprom[w]);
    }
    assert_int_equal(test_eecd_read_word(s, 63), 0x79ad);
    /* A write opcode (101) reads nothing: DO stays high. */
    e1000_eecd_write(s, 0);
    e1000_eecd_write(s, E1000_EECD_CS);
    test_eecd_shift_out(s, 0x5, 3);
    test_eecd_shift_out(s, 0, 6);
    assert_true(e1000_eecd_read(s) & E1000_EECD_DO);
    free(s);
}

/* ---- RCTL ---- */

static void test_rctl_buffer_sizes(void **state)
{
    static const struct {
        uint32_t rctl, size;
    } cases[] = {
        { 0x00000, 2048 }, { 0x10000, 1024 }, { 0x20000, 512 }, { 0x30000, 256 },
        { 0x2000000, 2048 }, { 0x2010000, 16384 }, { 0x2020000, 8192 },
        { 0x2030000, 4096 },
    };
    E1000State *s = test_state();

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        e1000_rx_set_rctl(s, cases[i].rctl | E1000_RCTL_EN);
        assert_int_equal(s->rxbuf_size, cases[i].size);
    }
    e1000_rx_set_rctl(s, 3 << E1000_RCTL_RDMTS_SHIFT);
    assert_int_equal(s->rxbuf_min_shift, 4);
    free(s);
}

/* ---- on a machine: DMA into the device's own BAR ---- */

#define RAM_SIZE  0x100000u
#define BAR0      0xfebc0000u
#define TX_RING   0x1000u       /* 16 descriptors */
#define RX_RING   0x2000u       /* 8 descriptors */
#define TX_BUF    0x4000u

typedef struct Fixture {
    TestMachine *tm;
    PCIBus bus;
    E1000State *s;
} Fixture;

static int setup(void **state)
{
    Fixture *f = test_fixture_new(sizeof(Fixture), RAM_SIZE);
    Machine *m = f->tm->m;

    pci_bus_init(&f->bus, NULL, &m->sysmem, &m->sysio, &m->as_mem);
    m->pci_bus = &f->bus;
    f->s = (E1000State *)test_device_new(f->tm, &e1000_type, NULL);
    pci_config_write(&f->s->pci, PCI_BASE_ADDRESS_0, BAR0, 4);
    pci_config_write(&f->s->pci, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;

    g_free(f->s->tx.buf);
    g_free(f->s->pbm);
    g_free(f->bus.devices);
    return test_fixture_teardown(state);
}

static void reg_write(Fixture *f, unsigned off, uint32_t val)
{
    as_write_val(&f->tm->m->as_mem, BAR0 + off, val, 4, NULL);
}

static uint32_t reg_read(Fixture *f, unsigned off)
{
    return (uint32_t)as_read_val(&f->tm->m->as_mem, BAR0 + off, 4, NULL);
}

/* A legacy TX descriptor at index i: EOP, IFCS, RS. */
static void put_txd(Fixture *f, unsigned i, uint64_t addr, uint16_t len)
{
    uint8_t d[E1000_DESC_SIZE] = { 0 };

    st_le64(d, addr);
    st_le32(d + E1000_TXD_LOWER, E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS |
                                 E1000_TXD_CMD_RS | len);
    dma_write(&f->tm->m->as_mem, TX_RING + E1000_DESC_SIZE * i, d, sizeof(d));
}

static void tx_ring_init(Fixture *f)
{
    reg_write(f, E1000_TDBAL, TX_RING);
    reg_write(f, E1000_TDLEN, 16 * E1000_DESC_SIZE);
    reg_write(f, E1000_TCTL, E1000_TCTL_EN);
}

/* The TX walk (inside the TDT write) reads its buffer from ICR, which
 * clears on read: refused, LSC stays pending. */
static void test_tx_dma_reads_own_bar(void **state)
{
    Fixture *f = *state;
    uint32_t ctrl = reg_read(f, E1000_CTRL);

    tx_ring_init(f);
    reg_write(f, E1000_ICS, E1000_ICR_LSC);
    put_txd(f, 0, BAR0 + E1000_ICR, 64);
    reg_write(f, E1000_TDT, 1);
    assert_int_equal(reg_read(f, E1000_TDH), 1);
    assert_int_equal(reg_read(f, E1000_TDT), 1);
    assert_int_equal(reg_read(f, E1000_CTRL), ctrl);
    /* ICS reads ICR without clearing it. */
    assert_int_equal(reg_read(f, E1000_ICS),
                     E1000_ICR_LSC | E1000_ICR_TXDW | E1000_ICR_TXQE);
}

/* PHY loopback: the frame sent inside the TDT write is received into a
 * buffer at the TX ring's own registers: refused, the ring is unchanged,
 * the RX descriptor (in RAM) is still written back. */
static void test_rx_dma_writes_own_bar(void **state)
{
    Fixture *f = *state;
    uint8_t frame[64], d[E1000_DESC_SIZE] = { 0 };
    uint32_t ctrl = reg_read(f, E1000_CTRL);

    memset(frame, 0xa5, sizeof(frame));
    memcpy(frame, test_mac, E1000_ETH_ALEN);
    dma_write(&f->tm->m->as_mem, TX_BUF, frame, sizeof(frame));
    st_le64(d, BAR0 + E1000_TDBAL);
    dma_write(&f->tm->m->as_mem, RX_RING, d, sizeof(d));
    reg_write(f, E1000_RDBAL, RX_RING);
    reg_write(f, E1000_RDLEN, 8 * E1000_DESC_SIZE);
    reg_write(f, E1000_RDT, 7);
    reg_write(f, E1000_RCTL, E1000_RCTL_EN);
    reg_write(f, E1000_MDIC, E1000_MDIC_OP_WRITE | E1000_PHY_ADDR << E1000_MDIC_PHY_SHIFT |
                             E1000_BMCR_LOOPBACK | 0x1140);
    tx_ring_init(f);
    put_txd(f, 0, TX_BUF, sizeof(frame));
    reg_write(f, E1000_TDT, 1);
    assert_int_equal(reg_read(f, E1000_RDH), 1);
    dma_read(&f->tm->m->as_mem, RX_RING, d, sizeof(d));
    assert_int_equal(d[E1000_RXD_STATUS] & (E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP),
                     E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP);
    assert_int_equal(reg_read(f, E1000_TDBAL), TX_RING);
    assert_int_equal(reg_read(f, E1000_TDBAH), 0);
    assert_int_equal(reg_read(f, E1000_TDLEN), 16 * E1000_DESC_SIZE);
    assert_int_equal(reg_read(f, E1000_TDH), 1);
    assert_int_equal(reg_read(f, E1000_TDT), 1);
    assert_int_equal(reg_read(f, E1000_CTRL), ctrl);
}

/* The registers QEMU 7.2 leaves out: masks, read-only RXCW, CTRL.RST. */
static void test_sdm_registers(void **state)
{
    static const struct {
        unsigned off;
        uint32_t mask;
    } regs[] = {
        { E1000_FCAL, 0xffffffff }, { E1000_FCAH, 0xffff }, { E1000_FCT, 0xffff },
        { E1000_FCTTV, 0xffff }, { E1000_FCRTL, 0xfff8 }, { E1000_FCRTH, 0xfff8 },
        { E1000_TXCW, 0xc000ffff }, { E1000_TIPG, 0x3fffffff }, { E1000_RXCSUM, 0x3ff },
        { E1000_RXCW, 0 },
    };
    Fixture *f = *state;

    for (size_t i = 0; i < G_N_ELEMENTS(regs); i++) {
        assert_int_equal(reg_read(f, regs[i].off), 0);
        reg_write(f, regs[i].off, 0xffffffff);
        assert_int_equal(reg_read(f, regs[i].off), regs[i].mask);
    }
    reg_write(f, E1000_CTRL, E1000_CTRL_RST);
    for (size_t i = 0; i < G_N_ELEMENTS(regs); i++) {
        assert_int_equal(reg_read(f, regs[i].off), 0);
    }
}

/* The packet buffer: what a restore does (pbm_valid back to its snapshot
 * value, the bytes outside the instance left as they are) brings back
 * the contents too: a chunk not valid reads 0 and is zeroed on its first
 * write, whatever its bytes were. */
static void test_pbm_restore(void **state)
{
    Fixture *f = *state;
    uint64_t snap = f->s->pbm_valid;

    assert_int_equal(snap, 0);
    reg_write(f, E1000_PBM + 8, 0x11223344);
    reg_write(f, E1000_PBM + E1000_PBM_SIZE - 4, 0x55667788);
    assert_int_equal(reg_read(f, E1000_PBM + 8), 0x11223344);
    assert_int_equal(reg_read(f, E1000_PBM + E1000_PBM_SIZE - 4), 0x55667788);
    assert_int_equal(reg_read(f, E1000_PBM + 12), 0);
    f->s->pbm_valid = snap;                         /* the restore */
    assert_int_equal(reg_read(f, E1000_PBM + 8), 0);
    assert_int_equal(reg_read(f, E1000_PBM + E1000_PBM_SIZE - 4), 0);
    reg_write(f, E1000_PBM + 4, 0x99);
    assert_int_equal(reg_read(f, E1000_PBM + 8), 0); /* stale bytes zeroed */
    assert_int_equal(reg_read(f, E1000_PBM + 4), 0x99);
    reg_write(f, E1000_CTRL, E1000_CTRL_RST);        /* not a register: kept */
    assert_int_equal(reg_read(f, E1000_PBM + 4), 0x99);
    e1000_type.reset(&f->s->pci.obj);                /* a device reset: gone */
    assert_int_equal(reg_read(f, E1000_PBM + 4), 0);
}

/* Ethernet + IPv4 + TCP (20 bytes of payload) with both checksums right. */
static void tcp_frame(uint8_t *fr)
{
    memset(fr, 0, 74);
    memcpy(fr, test_mac, E1000_ETH_ALEN);
    st_be16(fr + 12, 0x0800);
    fr[14] = 0x45;
    st_be16(fr + 16, 60);
    fr[22] = 64;
    fr[23] = 6;
    fr[26] = fr[30] = 10;
    fr[29] = 1;
    fr[33] = 2;
    st_be16(fr + 24, csum_buf(fr + 14, 20));
    fr[46] = 0x50;
    memset(fr + 54, 0x3c, 20);
    st_be16(fr + 50, csum_finish(csum_add(csum_pseudo_ipv4(fr + 26, 6, 40), fr + 34, 40)));
}

/* Receives fr through PHY loopback; returns the descriptor written back. */
static void loop_frame(Fixture *f, const uint8_t *fr, size_t len, uint8_t *d)
{
    uint8_t rxd[E1000_DESC_SIZE] = { 0 };

    dma_write(&f->tm->m->as_mem, TX_BUF, fr, len);
    st_le64(rxd, 0x8000);
    dma_write(&f->tm->m->as_mem, RX_RING, rxd, sizeof(rxd));
    reg_write(f, E1000_RDBAL, RX_RING);
    reg_write(f, E1000_RDLEN, 8 * E1000_DESC_SIZE);
    reg_write(f, E1000_RDH, 0);
    reg_write(f, E1000_RDT, 7);
    reg_write(f, E1000_RCTL, E1000_RCTL_EN);
    reg_write(f, E1000_MDIC, E1000_MDIC_OP_WRITE | E1000_PHY_ADDR << E1000_MDIC_PHY_SHIFT |
                             E1000_BMCR_LOOPBACK | 0x1140);
    tx_ring_init(f);
    reg_write(f, E1000_TDH, 0);
    put_txd(f, 0, TX_BUF, (uint16_t)len);
    reg_write(f, E1000_TDT, 1);
    dma_read(&f->tm->m->as_mem, RX_RING, d, E1000_DESC_SIZE);
}

static void test_rx_csum_offload(void **state)
{
    Fixture *f = *state;
    uint8_t fr[74], d[E1000_DESC_SIZE];

    tcp_frame(fr);
    loop_frame(f, fr, sizeof(fr), d);                 /* RXCSUM 0: QEMU's IXSM */
    assert_int_equal(d[E1000_RXD_STATUS], E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP |
                                          E1000_RXD_STAT_IXSM);
    reg_write(f, E1000_RXCSUM, E1000_RXCSUM_IPOFLD | E1000_RXCSUM_TUOFLD | 14);
    loop_frame(f, fr, sizeof(fr), d);
    assert_int_equal(d[E1000_RXD_STATUS], E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP |
                                          E1000_RXD_STAT_IPCS | E1000_RXD_STAT_TCPCS);
    assert_int_equal(d[E1000_RXD_ERRORS], 0);
    assert_int_equal(ld_le16(d + E1000_RXD_CSUM), csum_buf(fr + 14, sizeof(fr) - 14));
    fr[22]--;                                         /* TTL: header checksum bad */
    fr[60] ^= 0xff;                                   /* payload: TCP bad */
    loop_frame(f, fr, sizeof(fr), d);
    assert_int_equal(d[E1000_RXD_ERRORS], E1000_RXD_ERR_IPE | E1000_RXD_ERR_TCPE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_csum_ipv4),
        cmocka_unit_test(test_put_csum_bounds),
        cmocka_unit_test(test_tso_tcp_segments),
        cmocka_unit_test(test_tso_udp_ipv6),
        cmocka_unit_test(test_tso_offsets_outside),
        cmocka_unit_test(test_eeprom_image),
        cmocka_unit_test(test_eerd),
        cmocka_unit_test(test_eecd_bitbang),
        cmocka_unit_test(test_rctl_buffer_sizes),
        cmocka_unit_test_setup_teardown(test_tx_dma_reads_own_bar, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_dma_writes_own_bar, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sdm_registers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pbm_restore, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_csum_offload, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
