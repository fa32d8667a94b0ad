/* SPDX-License-Identifier: MIT */
/*
 * Intel 82540EM register map, bits and descriptor layouts, after the PCI/PCI-X
 * Family of Gigabit Ethernet Controllers Software Developer's Manual (8254x
 * SDM, rev. 4.0): chapter 13 (registers), section 3.2 (receive descriptors),
 * 3.3 (transmit descriptors), 5 (EEPROM), 8 (PHY).
 */
#ifndef HW_NET_E1000_REGS_H
#define HW_NET_E1000_REGS_H

/* PCI identity (SDM 4.1) */
#define E1000_VENDOR_ID      0x8086
#define E1000_DEVICE_ID      0x100e      /* 82540EM desktop */
#define E1000_REVISION       0x03
#define E1000_MMIO_SIZE      0x20000     /* BAR0: 128 KiB */
#define E1000_IO_SIZE        0x40        /* BAR1: IOADDR/IODATA window */

/* I/O window (SDM 13.2.2) */
#define E1000_IOADDR         0x00
#define E1000_IODATA         0x04
#define E1000_IOADDR_MASK    0x000fffff  /* bits 31:20 read as 0 */

/* General (SDM 13.4) */
#define E1000_CTRL           0x0000
#define  E1000_CTRL_FD           0x00000001
#define  E1000_CTRL_LRST         0x00000008
#define  E1000_CTRL_ASDE         0x00000020
#define  E1000_CTRL_SLU          0x00000040
#define  E1000_CTRL_SPD_1000     0x00000200
#define  E1000_CTRL_SWDPIN0      0x00040000
#define  E1000_CTRL_SWDPIN2      0x00100000
#define  E1000_CTRL_RST          0x04000000
#define  E1000_CTRL_VME          0x40000000
#define  E1000_CTRL_PHY_RST      0x80000000
#define E1000_STATUS         0x0008
#define  E1000_STATUS_FD         0x00000001
#define  E1000_STATUS_LU         0x00000002
#define  E1000_STATUS_SPEED_1000 0x00000080
#define  E1000_STATUS_ASDV       0x00000300
#define  E1000_STATUS_MTXCKOK    0x00000400
#define  E1000_STATUS_GIO_MASTER 0x00080000
#define  E1000_STATUS_BIT31      0x80000000   /* as QEMU 7.2 reports it */
#define E1000_EECD           0x0010
#define  E1000_EECD_SK           0x00000001
#define  E1000_EECD_CS           0x00000002
#define  E1000_EECD_DI           0x00000004
#define  E1000_EECD_DO           0x00000008
#define  E1000_EECD_FWE_MASK     0x00000030
#define  E1000_EECD_REQ          0x00000040
#define  E1000_EECD_GNT          0x00000080
#define  E1000_EECD_PRES         0x00000100
#define E1000_EERD           0x0014
#define  E1000_EERD_START        0x00000001
#define  E1000_EERD_DONE         0x00000010
#define  E1000_EERD_ADDR_SHIFT   8
#define  E1000_EERD_DATA_SHIFT   16
#define E1000_CTRL_EXT       0x0018
#define  E1000_CTRL_EXT_EE_RST   0x00002000   /* self-clearing */
#define E1000_MDIC           0x0020
#define  E1000_MDIC_DATA_MASK    0x0000ffff
#define  E1000_MDIC_REG_MASK     0x001f0000
#define  E1000_MDIC_REG_SHIFT    16
#define  E1000_MDIC_PHY_MASK     0x03e00000
#define  E1000_MDIC_PHY_SHIFT    21
#define  E1000_MDIC_OP_WRITE     0x04000000
#define  E1000_MDIC_OP_READ      0x08000000
#define  E1000_MDIC_READY        0x10000000
#define  E1000_MDIC_INT_EN       0x20000000
#define  E1000_MDIC_ERROR        0x40000000
#define E1000_VET            0x0038
#define  E1000_VET_VLAN          0x8100
#define E1000_TXCW           0x0178   /* TBI/SerDes auto-negotiation (8.6.1) */
#define  E1000_TXCW_MASK         0xc000ffff   /* TxConfigWord, TxConfig, ANE */
#define E1000_RXCW           0x0180   /* read-only (table 13-59); copper: 0 */
#define E1000_LEDCTL         0x0e00
#define E1000_PBA            0x1000
#define E1000_SWSM           0x5b50   /* not an 82540EM register; QEMU has it */

/* Flow control: storage only, no PAUSE frames (SDM 13.4.23-13.4.24 and the
 * FCAL/FCAH/FCT/FCTTV descriptions before them); initial values "X": 0 here */
#define E1000_FCAL           0x0028
#define E1000_FCAH           0x002c
#define E1000_FCT            0x0030
#define E1000_FCTTV          0x0170
#define E1000_FCRTL          0x2160   /* RTL 15:3; XONE is not the 82540EM's */
#define E1000_FCRTH          0x2168   /* RTH 15:3; XFCE is the 82544's only */
#define  E1000_FCRT_MASK         0x0000fff8

/* Interrupts (SDM 13.4.17-13.4.21) */
#define E1000_ICR            0x00c0
#define E1000_ITR            0x00c4
#define E1000_ICS            0x00c8
#define E1000_IMS            0x00d0
#define E1000_IMC            0x00d8
#define  E1000_ICR_TXDW          0x00000001
#define  E1000_ICR_TXQE          0x00000002
#define  E1000_ICR_LSC           0x00000004
#define  E1000_ICR_RXDMT0        0x00000010
#define  E1000_ICR_RXO           0x00000040
#define  E1000_ICR_RXT0          0x00000080
#define  E1000_ICR_MDAC          0x00000200
#define E1000_AIT            0x0458   /* adaptive IFS throttle */

/* Receive (SDM 13.4.22, 13.4.27-13.4.34) */
#define E1000_RCTL           0x0100
#define  E1000_RCTL_EN           0x00000002
#define  E1000_RCTL_SBP          0x00000004
#define  E1000_RCTL_UPE          0x00000008
#define  E1000_RCTL_MPE          0x00000010
#define  E1000_RCTL_LPE          0x00000020
#define  E1000_RCTL_RDMTS_SHIFT  8
#define  E1000_RCTL_MO_SHIFT     12
#define  E1000_RCTL_BAM          0x00008000
#define  E1000_RCTL_BSIZE_SHIFT  16
#define  E1000_RCTL_VFE          0x00040000
#define  E1000_RCTL_BSEX         0x02000000
#define  E1000_RCTL_SECRC        0x04000000
#define E1000_RDFH           0x2410   /* RX data FIFO head ... packet count */
#define E1000_RDFT           0x2418
#define E1000_RDFHS          0x2420
#define E1000_RDFTS          0x2428
#define E1000_RDFPC          0x2430
#define E1000_RDBAL          0x2800
#define E1000_RDBAH          0x2804
#define E1000_RDLEN          0x2808
#define E1000_RDH            0x2810
#define E1000_RDT            0x2818
#define E1000_RDTR           0x2820
#define E1000_RADV           0x282c
#define E1000_RXCSUM         0x5000   /* receive checksum offload (3.2.9) */
#define  E1000_RXCSUM_PCSS_MASK  0x000000ff   /* packet checksum start */
#define  E1000_RXCSUM_IPOFLD     0x00000100
#define  E1000_RXCSUM_TUOFLD     0x00000200
#define E1000_DLEN_MASK      0x000fff80   /* ring length: 128-byte units */

/* Transmit (SDM 13.4.33-13.4.44) */
#define E1000_TCTL           0x0400
#define  E1000_TCTL_EN           0x00000002
#define E1000_TIPG           0x0410   /* inter-packet gap (table 13-77): storage */
#define  E1000_TIPG_MASK         0x3fffffff   /* IPGT, IPGR1, IPGR2 */
#define E1000_TDFH           0x3410
#define E1000_TDFT           0x3418
#define E1000_TDFHS          0x3420
#define E1000_TDFTS          0x3428
#define E1000_TDFPC          0x3430
#define E1000_TDBAL          0x3800
#define E1000_TDBAH          0x3804
#define E1000_TDLEN          0x3808
#define E1000_TDH            0x3810
#define E1000_TDT            0x3818
#define E1000_TXDCTL         0x3828
#define E1000_TADV           0x382c

/* Packet buffer memory, BAR0 0x10000-0x1ffff: the FIFOs' RAM, which a
 * driver may read and write for diagnostics (the SDM's register map) */
#define E1000_PBM            0x10000
#define E1000_PBM_SIZE       0x10000

/* Statistics, 0x4000-0x40ff (SDM 13.7): one 32-bit counter per dword */
#define E1000_STATS          0x4000
#define E1000_NR_STATS       64
#define E1000_STAT(off)      (((off) - E1000_STATS) >> 2)
#define E1000_MPC            0x4010
#define E1000_FCRUC          0x4058
#define E1000_PRC64          0x405c   /* PRC64..PRC1522: six in a row */
#define E1000_GPRC           0x4074
#define E1000_BPRC           0x4078
#define E1000_MPRC           0x407c
#define E1000_GPTC           0x4080
#define E1000_GORCL          0x4088
#define E1000_GORCH          0x408c
#define E1000_GOTCL          0x4090
#define E1000_GOTCH          0x4094
#define E1000_RNBC           0x40a0
#define E1000_ROC            0x40ac
#define E1000_TORL           0x40c0
#define E1000_TORH           0x40c4
#define E1000_TOTL           0x40c8
#define E1000_TOTH           0x40cc
#define E1000_TPR            0x40d0
#define E1000_TPT            0x40d4
#define E1000_PTC64          0x40d8   /* PTC64..PTC1522: six in a row */
#define E1000_MPTC           0x40f0
#define E1000_BPTC           0x40f4
#define E1000_TSCTC          0x40f8

/* Filters (SDM 13.5) */
#define E1000_MTA            0x5200
#define E1000_MTA_WORDS      128
#define E1000_RA             0x5400   /* RAL/RAH pairs */
#define E1000_RA_WORDS       32
#define  E1000_RAH_AV            0x80000000
#define E1000_VFTA           0x5600
#define E1000_VFTA_WORDS     128

/* Wake-up and manageability: storage only (SDM 13.6) */
#define E1000_WUC            0x5800
#define E1000_WUFC           0x5808
#define E1000_WUS            0x5810
#define E1000_MANC           0x5820
#define E1000_IPAV           0x5838
#define E1000_IP4AT          0x5840
#define E1000_IP4AT_WORDS    7
#define E1000_IP6AT          0x5880
#define E1000_IP6AT_WORDS    4
#define E1000_WUPM           0x5a00
#define E1000_WUPM_WORDS     32
#define E1000_FFLT           0x5f00
#define E1000_FFLT_WORDS     7
#define E1000_FFMT           0x9000
#define E1000_FFMT_WORDS     255
#define E1000_FFVT           0x9800
#define E1000_FFVT_WORDS     255

/* Receive descriptor, 16 bytes (SDM 3.2.3) */
#define E1000_RXD_ADDR       0    /* 64-bit buffer address */
#define E1000_RXD_LENGTH     8    /* 16 bits */
#define E1000_RXD_CSUM       10
#define E1000_RXD_STATUS     12
#define E1000_RXD_ERRORS     13
#define E1000_RXD_SPECIAL    14
#define  E1000_RXD_STAT_DD       0x01
#define  E1000_RXD_STAT_EOP      0x02
#define  E1000_RXD_STAT_IXSM     0x04
#define  E1000_RXD_STAT_VP       0x08
#define  E1000_RXD_STAT_TCPCS    0x20   /* TCP or UDP checksum checked */
#define  E1000_RXD_STAT_IPCS     0x40   /* IPv4 header checksum checked */
#define  E1000_RXD_ERR_TCPE      0x20   /* ... and found bad (3.2.3.2) */
#define  E1000_RXD_ERR_IPE       0x40

/* Transmit descriptors, 16 bytes: address, lower dword, upper dword
 * (SDM 3.3.3 legacy, 3.3.6 context, 3.3.7 data) */
#define E1000_DESC_SIZE      16
#define E1000_TXD_LOWER      8
#define E1000_TXD_UPPER      12
#define  E1000_TXD_LEN_MASK      0x0000ffff   /* legacy */
#define  E1000_TXD_DLEN_MASK     0x000fffff   /* data descriptor */
#define  E1000_TXD_CSO_SHIFT     16           /* legacy */
#define  E1000_TXD_DTYP_D        0x00100000
#define  E1000_TXD_CMD_EOP       0x01000000
#define  E1000_TXD_CMD_IFCS      0x02000000
#define  E1000_TXD_CMD_IC        0x04000000   /* legacy */
#define  E1000_TXD_CMD_TSE       0x04000000   /* extended */
#define  E1000_TXD_CMD_RS        0x08000000
#define  E1000_TXD_CMD_RPS       0x10000000
#define  E1000_TXD_CMD_DEXT      0x20000000
#define  E1000_TXD_CMD_VLE       0x40000000
#define  E1000_TXD_CMD_IDE       0x80000000
#define  E1000_TXD_CMD_TCP       0x01000000   /* context: TUCMD.TCP */
#define  E1000_TXD_CMD_IP        0x02000000   /* context: TUCMD.IP */
#define  E1000_TXD_STAT_DD       0x00000001
#define  E1000_TXD_STAT_EC       0x00000002
#define  E1000_TXD_STAT_LC       0x00000004
#define  E1000_TXD_STAT_TU       0x00000008
#define  E1000_TXD_CSS_SHIFT     8            /* legacy, upper dword */
#define  E1000_TXD_POPTS_SHIFT   8            /* data, upper dword */
#define  E1000_TXD_POPTS_IXSM    0x01
#define  E1000_TXD_POPTS_TXSM    0x02
#define  E1000_TXD_SPECIAL_SHIFT 16

/* EEPROM (SDM 5.2, 5.6) */
#define E1000_EEPROM_WORDS   64
#define E1000_EEPROM_CSUM    0x3f        /* word that makes the sum 0xbaba */
#define E1000_EEPROM_SUM     0xbaba
#define E1000_EEPROM_READ_OP 0x6         /* Microwire: start bit, then 10 */

/* PHY (M88E1011, SDM 8.2) */
#define E1000_PHY_ADDR       1
#define E1000_PHY_REGS       32
#define E1000_PHY_BMCR       0x00
#define  E1000_BMCR_RESERVED     0x003f
#define  E1000_BMCR_ANRESTART    0x0200
#define  E1000_BMCR_AUTOEN       0x1000
#define  E1000_BMCR_LOOPBACK     0x4000
#define  E1000_BMCR_RESET        0x8000
#define E1000_PHY_BMSR       0x01
#define  E1000_BMSR_LINK         0x0004
#define  E1000_BMSR_AN_COMP      0x0020
#define E1000_PHY_ID1        0x02
#define E1000_PHY_ID2        0x03
#define E1000_PHY_ANAR       0x04
#define E1000_PHY_ANLPAR     0x05
#define  E1000_ANLPAR_ACK        0x4000
#define E1000_PHY_ANER       0x06
#define E1000_PHY_CTRL1000   0x09
#define E1000_PHY_STAT1000   0x0a
#define E1000_PHY_PSCR       0x10        /* PHY specific control */
#define E1000_PHY_PSSR       0x11        /* PHY specific status */
#define E1000_PHY_EPSCR      0x14        /* extended PHY specific control */
#define E1000_PHY_RXERR      0x15        /* receive error counter */

/* Ethernet framing */
#define E1000_ETH_ALEN       6
#define E1000_ETH_HLEN       14
#define E1000_ETH_ZLEN       60          /* shortest frame, without FCS */
#define E1000_ETH_FCS_LEN    4
#define E1000_ETH_VLAN_HLEN  4
#define E1000_ETH_MAX_STD    1518        /* header + VLAN tag + 1500 */
#define E1000_ETH_MAX_LONG   16380       /* LPE: 16 KiB with the FCS */

#endif
