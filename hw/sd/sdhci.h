/* SPDX-License-Identifier: MIT */
/*
 * SD host controller, after the SD Host Controller Simplified
 * Specification version 3.00 (register map in section 2.1). One slot,
 * whose SD bus holds at most one card (hw/sd/sd.h). Bus-agnostic: the
 * glue (hw/sd/sdhci-pci.c) gives the region, the DMA path and the IRQ.
 */
#ifndef HW_SD_SDHCI_H
#define HW_SD_SDHCI_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/clock.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "emu/pci.h"
#include "hw/sd/sd.h"

#define TYPE_SDHCI_PCI "sdhci-pci"

/* Registers (section 2.1, Figure 2-1) */
#define SDHC_SYSAD          0x00    /* SDMA address; Argument 2 with auto CMD23 */
#define SDHC_BLKSIZE        0x04
#define  SDHC_BLKSIZE_MASK      0x0fff
#define  SDHC_BLKSIZE_BOUNDARY  0x7000
#define SDHC_BLKCNT         0x06
#define SDHC_ARGUMENT       0x08
#define SDHC_TRNMOD         0x0c
#define  SDHC_TRNS_DMA          0x0001
#define  SDHC_TRNS_BLK_CNT_EN   0x0002
#define  SDHC_TRNS_ACMD_MASK    0x000c
#define  SDHC_TRNS_ACMD12       0x0004
#define  SDHC_TRNS_ACMD23       0x0008
#define  SDHC_TRNS_READ         0x0010
#define  SDHC_TRNS_MULTI        0x0020
#define SDHC_CMDREG         0x0e
#define  SDHC_CMD_RSP_MASK      0x0003
#define  SDHC_CMD_RSP_NONE      0x0000
#define  SDHC_CMD_RSP_136       0x0001
#define  SDHC_CMD_RSP_48        0x0002
#define  SDHC_CMD_RSP_48_BUSY   0x0003
#define  SDHC_CMD_CRC_CHECK     0x0008
#define  SDHC_CMD_INDEX_CHECK   0x0010
#define  SDHC_CMD_DATA_PRESENT  0x0020
#define  SDHC_CMD_TYPE_MASK     0x00c0
#define  SDHC_CMD_TYPE_ABORT    0x00c0
#define SDHC_RSPREG0        0x10
#define SDHC_BDATA          0x20
#define SDHC_PRNSTS         0x24
#define  SDHC_CMD_INHIBIT       0x00000001
#define  SDHC_DATA_INHIBIT      0x00000002
#define  SDHC_DAT_LINE_ACTIVE   0x00000004
#define  SDHC_WRITE_ACTIVE      0x00000100
#define  SDHC_READ_ACTIVE       0x00000200
#define  SDHC_BUF_WRITE_ENABLE  0x00000400
#define  SDHC_BUF_READ_ENABLE   0x00000800
#define  SDHC_CARD_INSERTED     0x00010000
#define  SDHC_CARD_STABLE       0x00020000
#define  SDHC_CARD_DETECT_PIN   0x00040000
#define  SDHC_WRITE_PROTECT_PIN 0x00080000
#define  SDHC_DAT_LEVELS        0x00f00000
#define  SDHC_CMD_LEVEL         0x01000000
#define SDHC_HOSTCTL        0x28
#define  SDHC_CTRL_LED          0x01
#define  SDHC_CTRL_4BIT         0x02
#define  SDHC_CTRL_HISPD        0x04
#define  SDHC_CTRL_DMA_MASK     0x18
#define  SDHC_CTRL_SDMA         0x00
#define  SDHC_CTRL_ADMA1_32     0x08
#define  SDHC_CTRL_ADMA2_32     0x10
#define  SDHC_CTRL_ADMA2_64     0x18
#define SDHC_PWRCON         0x29
#define  SDHC_POWER_ON          0x01
#define SDHC_BLKGAP         0x2a
#define  SDHC_STOP_AT_GAP       0x01
#define  SDHC_CONTINUE_REQ      0x02
#define SDHC_WAKCON         0x2b
#define  SDHC_WKUP_ON_INT       0x01
#define  SDHC_WKUP_ON_INS       0x02
#define  SDHC_WKUP_ON_RMV       0x04
#define SDHC_CLKCON         0x2c
#define  SDHC_CLOCK_INT_EN      0x0001
#define  SDHC_CLOCK_INT_STABLE  0x0002
#define  SDHC_CLOCK_SDCLK_EN    0x0004
#define SDHC_TIMEOUTCON     0x2e
#define SDHC_SWRST          0x2f
#define  SDHC_RESET_ALL         0x01
#define  SDHC_RESET_CMD         0x02
#define  SDHC_RESET_DATA        0x04
#define SDHC_NORINTSTS      0x30
#define  SDHC_NIS_CMDCMP        0x0001
#define  SDHC_NIS_TRSCMP        0x0002
#define  SDHC_NIS_BLKGAP        0x0004
#define  SDHC_NIS_DMA           0x0008
#define  SDHC_NIS_WBUFRDY       0x0010
#define  SDHC_NIS_RBUFRDY       0x0020
#define  SDHC_NIS_INSERT        0x0040
#define  SDHC_NIS_REMOVE        0x0080
#define  SDHC_NIS_CARDINT       0x0100
#define  SDHC_NIS_ERR           0x8000
#define SDHC_ERRINTSTS      0x32
#define  SDHC_EIS_CMDTIMEOUT    0x0001
#define  SDHC_EIS_CMDCRC        0x0002
#define  SDHC_EIS_CMDEND        0x0004
#define  SDHC_EIS_CMDIDX        0x0008
#define  SDHC_EIS_DATATIMEOUT   0x0010
#define  SDHC_EIS_DATACRC       0x0020
#define  SDHC_EIS_DATAEND       0x0040
#define  SDHC_EIS_CURLIM        0x0080
#define  SDHC_EIS_CMD12ERR      0x0100
#define  SDHC_EIS_ADMAERR       0x0200
#define SDHC_NORINTSTSEN    0x34
#define SDHC_ERRINTSTSEN    0x36
#define SDHC_NORINTSIGEN    0x38
#define SDHC_ERRINTSIGEN    0x3a
#define SDHC_ACMD12ERRSTS   0x3c
#define  SDHC_ACMD_NOT_EXEC     0x0001
#define  SDHC_ACMD_TIMEOUT      0x0002
#define SDHC_HOSTCTL2       0x3e
#define SDHC_CAPAB          0x40
#define  SDHC_CAPAB_MBL_SHIFT   16
#define  SDHC_CAPAB_ADMA2       (1ull << 19)
#define  SDHC_CAPAB_ADMA1       (1ull << 20)
#define  SDHC_CAPAB_SDMA        (1ull << 22)
#define  SDHC_CAPAB_V33         (1ull << 24)
#define  SDHC_CAPAB_V30         (1ull << 25)
#define  SDHC_CAPAB_V18         (1ull << 26)
#define SDHC_MAXCURR        0x48
#define SDHC_FEAER          0x50
#define SDHC_FEERR          0x52
#define SDHC_ADMAERR        0x54
#define  SDHC_ADMAERR_STATE_MASK 0x03
#define  SDHC_ADMAERR_LENGTH    0x04
#define SDHC_ADMASYSADDR    0x58
#define SDHC_PRESET         0x60    /* 8 x 16 bits, read-only */
#define SDHC_SLOT_INT_STATUS 0xfc
#define SDHC_HCVER          0xfe

#define SDHC_REGS_SIZE      0x100
#define SDHC_HCVER_VENDOR   0x24    /* QEMU's vendor version */
/* QEMU's default capabilities: 52 MHz base and timeout clocks, 512-byte
 * blocks, ADMA2, ADMA1, high speed, SDMA, 3.3 V and 1.8 V. */
#define SDHC_CAPAB_DEFAULT  0x057834b4ull

/* Limits */
#define SDHC_BUF_MAX        2048    /* the largest block capareg can say */
#define SDHC_BLOCKS_PER_RUN 8       /* DMA blocks moved by one run */
#define SDHC_DESCS_PER_RUN  16      /* ADMA descriptors walked by one run */
#define SDHC_ADMA_MAX_DESCS 4096    /* per transfer, then an ADMA error */
#define SDHC_RUN_DELAY_NS   1000    /* between two runs of a DMA transfer */

/* Where a transfer is */
typedef enum SDHCIXfer {
    SDHC_XFER_NONE,
    SDHC_XFER_PIO,
    SDHC_XFER_SDMA,
    SDHC_XFER_ADMA,
} SDHCIXfer;

typedef struct SDHCIState {
    Object *owner;
    /* Properties (the glue's) */
    uint8_t sd_spec_version;        /* 2 or 3 */
    uint8_t uhs;                    /* accepted; no UHS-I */
    uint64_t capareg;
    uint64_t maxcurr;

    /* Registers */
    uint32_t sdmasysad;
    uint16_t blksize;
    uint16_t blkcnt;
    uint32_t argument;
    uint16_t trnmod;
    uint16_t cmdreg;
    uint32_t rspreg[4];
    uint32_t prnsts;
    uint8_t hostctl1;
    uint8_t pwrcon;
    uint8_t blkgap;
    uint8_t wakcon;
    uint16_t clkcon;
    uint8_t timeoutcon;
    uint16_t norintsts;
    uint16_t errintsts;
    uint16_t norintstsen;
    uint16_t errintstsen;
    uint16_t norintsigen;
    uint16_t errintsigen;
    uint16_t acmd12errsts;
    uint16_t hostctl2;
    uint8_t admaerr;
    uint64_t admasysaddr;
    uint16_t version;

    /* Transfer */
    SDHCIXfer xfer;
    bool stopped_at_gap;            /* block gap stop: continue resumes */
    bool sdma_paused;               /* at an SDMA boundary: SYSAD resumes */
    uint32_t data_count;            /* bytes of buf moved in this block */
    uint32_t buf_maxsz;             /* from capareg's max block length */
    uint32_t adma_len;              /* data left in the current descriptor */
    uint32_t adma1_len;             /* ADMA1's set-length descriptor */
    uint64_t adma_addr;             /* where the current descriptor's data is */
    bool adma_in_desc;              /* inside a tran descriptor */
    uint16_t adma_attr;             /* its attributes */
    uint32_t adma_descs;            /* walked in this transfer */
    uint8_t buf[SDHC_BUF_MAX];

    Timer xfer_timer;               /* the next run of a DMA transfer */
    BH xfer_bh;                     /* the first */
    SDCard *card;                   /* the bus's card, or NULL */
    /* The glue's DMA and interrupt line. */
    MemTxResult (*dma)(void *opaque, uint64_t addr, void *buf, uint64_t len,
                       bool is_write);
    void (*set_irq)(void *opaque, int level);
    void *opaque;
} SDHCIState;

typedef struct SDHCIPCIState {
    PCIDevice pci;
    SDHCIState sdhci;
    MemoryRegion mmio;
} SDHCIPCIState;

/* Register access; size 1, 2 or 4 at an offset aligned to it. */
uint64_t sdhci_read(SDHCIState *s, uint64_t off, unsigned size);
void sdhci_write(SDHCIState *s, uint64_t off, uint64_t val, unsigned size);
/* Set-up: properties checked, read-only registers from them; false with
 * *errp. Then reset. */
bool sdhci_realize_common(SDHCIState *s, Object *owner, Clock *clock, char **errp);
void sdhci_reset(SDHCIState *s);
/* The card's bus: a card attaches at its realize (false: taken). */
bool sdhci_attach_card(SDHCIState *s, SDCard *card);
/* The controller of machine m with a free slot, or NULL. */
SDHCIState *sdhci_find_free_bus(Machine *m);

/* sdhci-adma.c: the DMA engines, run from the bottom half and timer. */
void sdhci_dma_run(SDHCIState *s);
/* sdhci.c, for the engines */
void sdhci_update_irq(SDHCIState *s);
void sdhci_raise_nor(SDHCIState *s, uint16_t bits);
void sdhci_raise_err(SDHCIState *s, uint16_t bits);
void sdhci_end_transfer(SDHCIState *s);
/* A block boundary was reached: false when the transfer is over or stops
 * at the gap (the engine returns). */
bool sdhci_block_done(SDHCIState *s);
uint32_t sdhci_block_size(const SDHCIState *s);
/* The next block from the card into buf / buf to the card; false (the
 * transfer ended with a data timeout error) when the card is not in it. */
bool sdhci_card_read_block(SDHCIState *s);
bool sdhci_card_write_block(SDHCIState *s);
/* A card with a medium is on the bus. */
bool sdhci_card_ok(const SDHCIState *s);
/* sdhci-pio.c: the next PIO block (Buffer Read/Write Ready), the port. */
void sdhci_pio_next(SDHCIState *s);
uint32_t sdhci_data_port_read(SDHCIState *s, unsigned size);
void sdhci_data_port_write(SDHCIState *s, uint32_t val, unsigned size);
/* Ends the transfer with an error interrupt (no Transfer Complete). */
void sdhci_data_error(SDHCIState *s, uint16_t err);
void sdhci_schedule_run(SDHCIState *s);

#endif
