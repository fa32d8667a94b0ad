/* SPDX-License-Identifier: MIT */
/*
 * 82540EM EEPROM and PHY. The EEPROM is a 64-word Microwire part (8254x SDM
 * chapter 5) read through EERD (13.4.4) or by bit-banging EECD (5.3.1,
 * 13.4.3); its contents are QEMU 7.2's, with the MAC in words 0-2 and the
 * checksum word making the sum 0xbaba. Writes to the EEPROM are ignored, as
 * in QEMU. The PHY is the M88E1011 behind MDIC (13.4.7, chapter 8), at PHY
 * address 1, with QEMU's register set and auto-negotiation on the virtual
 * clock: restarting it drops the link for 500 ms, then raises LSC.
 */
#include "hw/net/e1000.h"

#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"

/* EEPROM image (SDM tables 5-2, 5-3; QEMU 7.2's template). Words 0-2 are the
 * MAC, 11 and 13 the device ID, 63 the checksum: filled at set-up. */
static const uint16_t e1000_eeprom_template[E1000_EEPROM_WORDS] = {
    0x0000, 0x0000, 0x0000, 0x0000, 0xffff, 0x0000, 0x0000, 0x0000,
    0x3000, 0x1000, 0x6403, 0x0000, 0x8086, 0x0000, 0x8086, 0x3040,
    0x0008, 0x2000, 0x7e14, 0x0048, 0x1000, 0x00d8, 0x0000, 0x2700,
    0x6cc9, 0x3150, 0x0722, 0x040b, 0x0984, 0x0000, 0xc000, 0x0706,
    0x1008, 0x0000, 0x0f04, 0x7fff, 0x4d01, 0xffff, 0xffff, 0xffff,
    0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff,
    0x0100, 0x4000, 0x121c, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff,
    0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0x0000,
};

#define E1000_EEPROM_DEVID_A 11
#define E1000_EEPROM_DEVID_B 13

/* Microwire: 3 opcode bits (start bit included) and 6 address bits. */
#define E1000_EECD_CMD_BITS  9
#define E1000_EECD_ADDR_MASK 0x3f
#define E1000_EECD_WRITABLE  (E1000_EECD_SK | E1000_EECD_CS | E1000_EECD_DI | \
                              E1000_EECD_FWE_MASK | E1000_EECD_REQ)

/* PHY reset values (QEMU 7.2's phy_reg_init; ID2 of the 82540EM's PHY). */
static const uint16_t e1000_phy_init[E1000_PHY_REGS] = {
    [E1000_PHY_BMCR] = 0x1140,       /* 1000 Mb/s, full duplex, AN enabled */
    [E1000_PHY_BMSR] = 0x794d,       /* link up, AN not complete yet */
    [E1000_PHY_ID1] = 0x0141,
    [E1000_PHY_ID2] = 0x0c20,
    [E1000_PHY_ANAR] = 0x0de1,
    [E1000_PHY_ANLPAR] = 0x01e0,
    [E1000_PHY_CTRL1000] = 0x0e00,
    [E1000_PHY_STAT1000] = 0x3c00,
    [E1000_PHY_PSCR] = 0x0360,
    [E1000_PHY_PSSR] = 0xac00,
    [E1000_PHY_EPSCR] = 0x0d60,
};

/* Which PHY registers MDIC may read (R) and write (W), as QEMU 7.2. */
#define PHY_R 1
#define PHY_W 2
static const uint8_t e1000_phy_cap[E1000_PHY_REGS] = {
    [E1000_PHY_BMCR] = PHY_R | PHY_W,
    [E1000_PHY_BMSR] = PHY_R,
    [E1000_PHY_ID1] = PHY_R,
    [E1000_PHY_ID2] = PHY_R,
    [E1000_PHY_ANAR] = PHY_R | PHY_W,
    [E1000_PHY_ANLPAR] = PHY_R,
    [E1000_PHY_ANER] = PHY_R,
    [E1000_PHY_CTRL1000] = PHY_R | PHY_W,
    [E1000_PHY_STAT1000] = PHY_R,
    [E1000_PHY_PSCR] = PHY_R | PHY_W,
    [E1000_PHY_PSSR] = PHY_R,
    [E1000_PHY_EPSCR] = PHY_R | PHY_W,
    [E1000_PHY_RXERR] = PHY_R,
};

/* ---------------------------------------------------------------------- */
/* EEPROM                                                                  */

void e1000_eeprom_init(uint16_t *eeprom, const uint8_t *mac)
{
    uint16_t sum = 0;

    memcpy(eeprom, e1000_eeprom_template, sizeof(e1000_eeprom_template));
    for (int i = 0; i < 3; i++) {
        eeprom[i] = ld_le16(mac + 2 * i);
    }
    eeprom[E1000_EEPROM_DEVID_A] = E1000_DEVICE_ID;
    eeprom[E1000_EEPROM_DEVID_B] = E1000_DEVICE_ID;
    for (int i = 0; i < E1000_EEPROM_CSUM; i++) {
        sum += eeprom[i];
    }
    eeprom[E1000_EEPROM_CSUM] = (uint16_t)(E1000_EEPROM_SUM - sum);
}

/*
 * EERD: with START written, a read answers at once with DONE and the word
 * in bits 31:16. As QEMU 7.2, the address is everything above bit 8, so a
 * value with data bits set reads as an address past the end: DONE only.
 */
uint32_t e1000_eerd_read(const E1000State *s)
{
    uint32_t r = s->eerd & ~E1000_EERD_START;
    uint32_t word = r >> E1000_EERD_ADDR_SHIFT;

    if (!(s->eerd & E1000_EERD_START)) {
        return s->eerd;
    }
    if (word >= E1000_EEPROM_WORDS) {
        return r | E1000_EERD_DONE;
    }
    return (uint32_t)s->eeprom[word] << E1000_EERD_DATA_SHIFT |
           E1000_EERD_DONE | r;
}

/* EECD reads back what was written, with the EEPROM present and granted;
 * DO is high when idle and carries the word being read, MSB first. */
uint32_t e1000_eecd_read(const E1000State *s)
{
    const E1000Eecd *e = &s->eecd;
    uint32_t v = E1000_EECD_PRES | E1000_EECD_GNT | e->old;
    unsigned word = (e->bitnum_out >> 4) & E1000_EECD_ADDR_MASK;
    unsigned bit = (e->bitnum_out & 0xf) ^ 0xf;

    if (!e->reading || ((s->eeprom[word] >> bit) & 1)) {
        v |= E1000_EECD_DO;
    }
    return v;
}

/* A rising SK shifts DI in; after the 9 command bits a read starts at the
 * addressed word. A falling SK moves DO to the next bit. CS rising resets. */
void e1000_eecd_write(E1000State *s, uint32_t val)
{
    E1000Eecd *e = &s->eecd;
    uint32_t old = e->old;

    e->old = val & E1000_EECD_WRITABLE;
    if (!(val & E1000_EECD_CS)) {
        return;
    }
    if ((val ^ old) & E1000_EECD_CS) {
        e->val_in = 0;
        e->bitnum_in = 0;
        e->bitnum_out = 0;
        e->reading = false;
    }
    if (!((val ^ old) & E1000_EECD_SK)) {
        return;
    }
    if (!(val & E1000_EECD_SK)) {
        e->bitnum_out++;
        return;
    }
    e->val_in = e->val_in << 1 | ((val & E1000_EECD_DI) ? 1 : 0);
    if (++e->bitnum_in == E1000_EECD_CMD_BITS && !e->reading) {
        e->bitnum_out = ((e->val_in & E1000_EECD_ADDR_MASK) << 4) - 1;
        e->reading = ((e->val_in >> 6) & 7) == E1000_EEPROM_READ_OP;
    }
}

/* ---------------------------------------------------------------------- */
/* PHY and auto-negotiation                                                */

void e1000_phy_reset(E1000State *s)
{
    memcpy(s->phy, e1000_phy_init, sizeof(s->phy));
}

static void e1000_link_down(E1000State *s)
{
    s->status &= ~E1000_STATUS_LU;
    s->phy[E1000_PHY_BMSR] &= ~(E1000_BMSR_LINK | E1000_BMSR_AN_COMP);
    s->phy[E1000_PHY_ANLPAR] &= ~E1000_ANLPAR_ACK;
}

void e1000_autoneg_timer_cb(void *opaque)
{
    E1000State *s = opaque;

    s->status |= E1000_STATUS_LU;
    s->phy[E1000_PHY_BMSR] |= E1000_BMSR_LINK | E1000_BMSR_AN_COMP;
    s->phy[E1000_PHY_ANLPAR] |= E1000_ANLPAR_ACK;
    e1000_set_ics(s, E1000_ICR_LSC);
}

/* BMCR: reset and restart self-clear; a restart with AN enabled drops the
 * link until the negotiation timer fires. */
static void e1000_phy_bmcr_write(E1000State *s, uint16_t val)
{
    s->phy[E1000_PHY_BMCR] = val & ~(E1000_BMCR_RESERVED | E1000_BMCR_RESET |
                                     E1000_BMCR_ANRESTART);
    if ((val & E1000_BMCR_ANRESTART) &&
        (s->phy[E1000_PHY_BMCR] & E1000_BMCR_AUTOEN)) {
        e1000_link_down(s);
        timer_mod(&s->autoneg_timer, clock_get_ns(s->clock) + E1000_AUTONEG_NS);
    }
}

/* One MDIC operation (13.4.7): it completes at once (READY); a wrong PHY
 * address or a register without the access sets ERROR; INT_EN raises MDAC. */
void e1000_mdic_write(E1000State *s, uint32_t val)
{
    uint32_t data = val & E1000_MDIC_DATA_MASK;
    unsigned reg = (val & E1000_MDIC_REG_MASK) >> E1000_MDIC_REG_SHIFT;
    unsigned phy = (val & E1000_MDIC_PHY_MASK) >> E1000_MDIC_PHY_SHIFT;

    if (phy != E1000_PHY_ADDR) {
        val = s->mdic | E1000_MDIC_ERROR;
    } else if (val & E1000_MDIC_OP_READ) {
        if (!(e1000_phy_cap[reg] & PHY_R)) {
            val |= E1000_MDIC_ERROR;
        } else {
            val = (val ^ data) | s->phy[reg];
        }
    } else if (val & E1000_MDIC_OP_WRITE) {
        if (!(e1000_phy_cap[reg] & PHY_W)) {
            val |= E1000_MDIC_ERROR;
        } else if (reg == E1000_PHY_BMCR) {
            e1000_phy_bmcr_write(s, (uint16_t)data);
        } else {
            s->phy[reg] = (uint16_t)data;
        }
    }
    s->mdic = val | E1000_MDIC_READY;
    if (val & E1000_MDIC_INT_EN) {
        e1000_set_ics(s, E1000_ICR_MDAC);
    }
}
