/* SPDX-License-Identifier: MIT */
/*
 * The ICH9 AHCI controller ("ich9-ahci", 8086:2922), after the Serial ATA
 * AHCI 1.3.1 specification: the HBA's generic host control registers, six
 * ports each with one SATA device (an IDEBus of ide.h with unit 0 only),
 * command lists, received-FIS areas, PRDTs walked through scatter-gather
 * lists, and native command queuing. The ATA and ATAPI command sets are
 * hw/ide/ata.c and atapi.c, the same code that serves PIIX3's channels:
 * a port loads the task file from the H2D register FIS, issues the
 * command, moves PIO blocks and DMA through the PRDT and answers with the
 * FISes a device would send.
 *
 * Files: ahci.c (the PCI function, HBA and port registers, interrupts,
 * resets), ahci-cmd.c (the command list walk, FISes, PRDT, NCQ).
 */
#ifndef HW_IDE_AHCI_H
#define HW_IDE_AHCI_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/clock.h"
#include "emu/irq.h"
#include "emu/memory.h"
#include "emu/pci.h"
#include "emu/sglist.h"
#include "hw/backend/block.h"
#include "hw/ide/ide.h"

#define TYPE_ICH9_AHCI      "ich9-ahci"

/* Limits */
#define AHCI_PORTS          6           /* CAP.NP + 1, as QEMU's ICH9 */
#define AHCI_SLOTS          32          /* CAP.NCS + 1 */
#define AHCI_MEM_BAR_SIZE   0x1000      /* ABAR */
#define AHCI_IDP_BAR_SIZE   0x20        /* the index-data pair, BAR4 */
#define AHCI_SG_CHUNK       64          /* PRD pieces copied at a time */
#define AHCI_RUN_CAP        256         /* steps of one port run */

/* Generic host control (section 3.1) */
#define AHCI_CAP            0x00
#define  AHCI_CAP_NCQ       (1u << 30)
#define  AHCI_CAP_SAM       (1u << 18)  /* AHCI mode only */
#define  AHCI_CAP_S64A      (1u << 31)
#define  AHCI_CAP_ISS_GEN1  (1u << 20)
#define AHCI_GHC            0x04
#define  AHCI_GHC_HR        (1u << 0)
#define  AHCI_GHC_IE        (1u << 1)
#define  AHCI_GHC_MRSM      (1u << 2)
#define  AHCI_GHC_AE        (1u << 31)
#define AHCI_IS             0x08
#define AHCI_PI             0x0c
#define AHCI_VS             0x10
#define  AHCI_VERSION_1_3   0x00010300
#define AHCI_CAP2           0x24
#define AHCI_PORT_BASE      0x100
#define AHCI_PORT_SIZE      0x80

/* Port registers (section 3.3), offsets in the port's 128 bytes */
#define PORT_CLB            0x00
#define PORT_CLBU           0x04
#define PORT_FB             0x08
#define PORT_FBU            0x0c
#define PORT_IS             0x10
#define PORT_IE             0x14
#define PORT_CMD            0x18
#define PORT_TFD            0x20
#define PORT_SIG            0x24
#define PORT_SSTS           0x28
#define PORT_SCTL           0x2c
#define PORT_SERR           0x30
#define PORT_SACT           0x34
#define PORT_CI             0x38
#define PORT_SNTF           0x3c

/* PxIS / PxIE bits (3.3.5, 3.3.6) */
#define PORT_IRQ_DHRS       (1u << 0)   /* D2H register FIS */
#define PORT_IRQ_PSS        (1u << 1)   /* PIO setup FIS */
#define PORT_IRQ_DSS        (1u << 2)   /* DMA setup FIS */
#define PORT_IRQ_SDBS       (1u << 3)   /* set device bits FIS */
#define PORT_IRQ_DPS        (1u << 5)   /* a PRD with I processed */
#define PORT_IRQ_OFS        (1u << 24)  /* more data than the PRDT holds */
#define PORT_IRQ_TFES       (1u << 30)  /* task file error */
#define PORT_IRQ_MASK       0xfdc000ffu /* the bits that exist */

/* PxCMD (3.3.7) */
#define PORT_CMD_ST         (1u << 0)
#define PORT_CMD_SUD        (1u << 1)
#define PORT_CMD_POD        (1u << 2)
#define PORT_CMD_CLO        (1u << 3)
#define PORT_CMD_FRE        (1u << 4)
#define PORT_CMD_FR         (1u << 14)
#define PORT_CMD_CR         (1u << 15)
#define PORT_CMD_ICC_MASK   (0xfu << 28)
/* Bits the guest cannot change (QEMU 7.2's mask: CCS, the status and
 * capability bits). */
#define PORT_CMD_RO_MASK    0x007dffe0u

/* PxSSTS (3.3.10): a device, phy up, Gen1, active */
#define PORT_SSTS_UP        0x113
#define PORT_SCTL_DET_MASK  0x0f

/* FIS types (SATA 3.x section 10.3) and the received-FIS layout (4.2.1) */
#define FIS_REG_H2D         0x27
#define FIS_REG_D2H         0x34
#define FIS_DMA_SETUP       0x41
#define FIS_PIO_SETUP       0x5f
#define FIS_SDB             0xa1
#define FIS_H2D_C           0x80        /* command, not device control */
#define RFIS_DSFIS          0x00
#define RFIS_PSFIS          0x20
#define RFIS_RFIS           0x40
#define RFIS_SDBFIS         0x58

/* Command header (4.2.2) and command table (4.2.3) */
#define CMDH_SIZE           32
#define CMDH_CFL_MASK       0x1f
#define CMDH_ATAPI          (1u << 5)
#define CMDH_WRITE          (1u << 6)
#define CMDH_PRDBC          4
#define CMDT_CFIS           0x00
#define CMDT_CFIS_SIZE      64
#define CMDT_ACMD           0x40
#define CMDT_PRDT           0x80
#define PRD_SIZE_BYTES      16
#define PRD_DBC_MASK        0x3fffffu
#define PRD_I               (1u << 31)

/* NCQ (ATA8-ACS 7.25, 7.58): READ/WRITE FPDMA QUEUED */
#define ATA_READ_FPDMA      0x60
#define ATA_WRITE_FPDMA     0x61

typedef struct AHCIState AHCIState;

/* A queued command taken from a slot: its tag's transfer. */
typedef struct AHCINCQ {
    bool used;
    bool write;
    uint8_t slot;               /* the slot whose PRDT it moves through */
    uint64_t lba;
    uint32_t left;              /* sectors still to move */
} AHCINCQ;

typedef struct AHCIPort {
    AHCIState *s;
    unsigned index;
    /* Registers (section 3.3) */
    uint64_t clb;               /* command list, 1 KiB aligned */
    uint64_t fb;                /* received FIS area, 256 bytes aligned */
    uint32_t is, ie, cmd, tfd, sig, sctl, serr, sact, ci;
    /* The non-queued command in process, and its PRDT walk */
    int busy_slot;              /* -1: none */
    uint64_t ctba;              /* its command table */
    uint16_t prdtl;
    uint32_t prd_index;         /* next entry to read */
    uint64_t prd_addr;          /* the current entry's next byte */
    uint32_t prd_left;          /* and its bytes left */
    bool prd_irq;               /* the current entry has I */
    uint32_t xferred;           /* bytes moved: PRDBC */
    bool err_stop;              /* TFES: no command until ST goes 0 */
    bool init_d2h_sent;         /* the signature FIS after a reset */
    /* NCQ */
    AHCINCQ ncq[AHCI_SLOTS];
    int ncq_cur;                /* the tag being moved, -1: none */
    uint32_t ncq_chunk;         /* sectors of the request in flight */
    BlockRequest ncq_req;
    /* The device */
    IDEBus bus;
    IRQ intrq;                  /* its INTRQ: the port looks again */
    BH bh;                      /* runs the port */
} AHCIPort;

struct AHCIState {
    PCIDevice pci;
    uint32_t ghc;
    uint32_t is;
    uint32_t idp_index;
    AHCIPort port[AHCI_PORTS];
    MemoryRegion mem;           /* "ahci": ABAR, BAR5 */
    MemoryRegion idp;           /* "ahci-idp": BAR4 */
    uint8_t *bufs;              /* AHCI_PORTS x IDE_BUF_SIZE, object_add_state */
};

/* ahci.c */
void ahci_port_irq(AHCIPort *p, uint32_t bits);
void ahci_update_irq(AHCIState *s);
void ahci_port_reset(AHCIPort *p);

/* ahci-cmd.c */
extern const IDEDMAOps ahci_dma_ops;
void ahci_port_run(void *opaque);
void ahci_port_stop(AHCIPort *p);
void ahci_init_d2h(AHCIPort *p);
void ahci_ncq_done(void *opaque, int ret);

#endif
