/* SPDX-License-Identifier: MIT */
/*
 * The 82078 model's state and the calls between its files: fdc.c (registers,
 * phases, interrupts, DMA, reset, the isa-fdc type), fdc-cmd.c (the command
 * set), fdc-drive.c (drives, media geometry, sector I/O, the floppy type).
 */
#ifndef HW_BLOCK_FDC_INTERNAL_H
#define HW_BLOCK_FDC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/clock.h"
#include "emu/irq.h"
#include "emu/memory.h"
#include "hw/backend/block.h"
#include "hw/block/fdc.h"

/* Register offsets from the I/O base (0x3f0). */
#define FDC_SRB 1               /* read; PS/2 status B, QEMU's value */
#define FDC_DOR 2
#define FDC_TDR 3
#define FDC_MSR 4               /* read */
#define FDC_DSR 4               /* write */
#define FDC_FIFO 5
#define FDC_DIR 7               /* read */
#define FDC_CCR 7               /* write */

/* Digital output register. */
#define FDC_DOR_SEL 0x03
#define FDC_DOR_NRESET 0x04
#define FDC_DOR_DMAGATE 0x08    /* PC-AT mode: INT and DRQ enabled */
#define FDC_DOR_MOTOR0 0x10

/* Main status register. */
#define FDC_MSR_BUSY_MASK 0x0f
#define FDC_MSR_CB 0x10
#define FDC_MSR_NDM 0x20
#define FDC_MSR_DIO 0x40
#define FDC_MSR_RQM 0x80

/* Data rate select register. */
#define FDC_DSR_RATE 0x03
#define FDC_DSR_PRECOMP 0x1c
#define FDC_DSR_PWRDOWN 0x40
#define FDC_DSR_SWRESET 0x80

#define FDC_DIR_DSKCHG 0x80
#define FDC_TDR_BOOTSEL 0x04    /* the only bit QEMU keeps */

/* Status registers 0-3. */
#define FDC_ST0_DS 0x03
#define FDC_ST0_HD 0x04
#define FDC_ST0_NR 0x08
#define FDC_ST0_EC 0x10
#define FDC_ST0_SE 0x20
#define FDC_ST0_ABNORMAL 0x40
#define FDC_ST0_INVALID 0x80
#define FDC_ST0_READY_CHANGE 0xc0
#define FDC_ST1_MA 0x01
#define FDC_ST1_NW 0x02
#define FDC_ST1_ND 0x04
#define FDC_ST1_EN 0x80
#define FDC_ST2_MD 0x01
#define FDC_ST2_WC 0x10
#define FDC_ST2_CM 0x40
#define FDC_ST3_HD 0x04
#define FDC_ST3_TS 0x08
#define FDC_ST3_T0 0x10
#define FDC_ST3_RDY 0x20
#define FDC_ST3_WP 0x40

/* CONFIGURE's second parameter byte. */
#define FDC_CFG_EIS 0x40
#define FDC_CFG_EFIFO 0x20
#define FDC_CFG_POLL 0x10       /* 1: polling disabled */
#define FDC_CFG_FIFOTHR 0x0f
#define FDC_CFG_DEFAULT FDC_CFG_EFIFO   /* datasheet: no implied seek, FIFO off, polling on */

/* Command byte 0 modifier bits; byte 1 drive/head. */
#define FDC_CMD_MT 0x80
#define FDC_CMD_MFM 0x40
#define FDC_CMD_SK 0x20
#define FDC_CMD_HDS 0x04

/* Limits. */
#define FDC_UNITS 4             /* drive selects DS1-DS0 */
#define FDC_MAX_DRIVES 2        /* drives QEMU's isa-fdc takes */
#define FDC_SECTOR 512          /* the sector size of every medium here */
#define FDC_SECTOR_CODE 2       /* N for 512 bytes */
#define FDC_FIFO_LEN FDC_SECTOR /* one buffer for command, data and result */
#define FDC_RESET_POLLS 4       /* ready-change interrupts after a reset */
#define FDC_READ_ID_NS (1000000000 / 50)  /* READ ID: one revolution-ish */

typedef enum FdcPhase {
    FDC_PHASE_COMMAND,
    FDC_PHASE_EXEC,
    FDC_PHASE_RESULT,
} FdcPhase;

/* What the execution phase moves. */
typedef enum FdcXfer {
    FDC_XFER_NONE,
    FDC_XFER_READ,      /* medium to host */
    FDC_XFER_WRITE,     /* host to medium */
    FDC_XFER_FORMAT,    /* host gives C H R N per sector */
    FDC_XFER_WAIT,      /* READ ID: nothing moves, a timer ends it */
} FdcXfer;

typedef struct FdcDrive {
    Object *dev;                /* the floppy device, or NULL */
    BlockBackend *blk;          /* NULL: no disk */
    FdcDriveType type;
    /* The medium: geometry from its size (fdc-drive.c's table). */
    bool has_medium;
    bool ro;
    uint8_t last_sect;
    uint8_t max_track;
    uint8_t heads;
    uint8_t media_rate;         /* DSR/CCR rate it needs */
    /* The mechanism. */
    uint8_t track;
    uint8_t head;
    uint8_t sect;
    bool media_changed;         /* DIR bit 7 */
} FdcDrive;

typedef struct FdcCommand FdcCommand;

typedef struct FdcState {
    Object obj;
    /* Properties. */
    uint32_t iobase;
    uint32_t irq;
    uint32_t dma;
    char *fdtype[FDC_MAX_DRIVES];
    char *fallback;
    int32_t bootindex[FDC_MAX_DRIVES];

    /* Registers. */
    uint8_t dor;
    uint8_t tdr;
    uint8_t dsr;                /* rate bits shared with the CCR */
    uint8_t srb;
    /* SPECIFY, CONFIGURE, PERPENDICULAR, LOCK, POWERDOWN, OPTION, DRIVE SPEC. */
    uint8_t srt_hut;
    uint8_t hlt_nd;             /* bit 0 ND: non-DMA mode */
    uint8_t config;
    uint8_t pretrk;
    uint8_t perp;               /* D3-D0 << 2 | GAP << 1 | WGATE */
    bool lock;
    uint8_t powerdown;
    uint8_t option;
    uint8_t drive_spec[FDC_UNITS];
    uint8_t eot;                /* last EOT (or SC of a format): DUMPREG */

    /* Phases: command bytes, data, result bytes, all in the one FIFO. */
    FdcPhase phase;
    uint8_t fifo[FDC_FIFO_LEN];
    uint32_t fifo_pos;          /* next byte to store or give */
    uint32_t fifo_len;          /* bytes of this phase's stretch */
    const FdcCommand *cmd;

    /* Execution. */
    FdcXfer xfer;
    bool dma_mode;
    uint8_t cur;                /* unit of the command */
    uint8_t st0, st1, st2;
    uint8_t id[4];              /* C H R N where the transfer stands */
    uint8_t eot_sect;           /* last sector number of the transfer */
    uint8_t sectors_left;       /* FORMAT: IDs still to take */
    uint8_t fill;               /* FORMAT: the filler byte */
    bool multi_track;
    bool single_sector;         /* READ DELETED on normal data: one sector */
    bool tc;                    /* the DMA controller reached terminal count */

    /* Interrupts. */
    bool int_result;            /* a result phase's interrupt */
    bool int_exec;              /* non-DMA execution: data requested */
    uint8_t seek_pending;       /* units whose seek ended, not yet sensed */
    uint8_t seek_st0[FDC_UNITS];
    uint8_t reset_polls;        /* ready-change reports still to give */
    bool irq_level;

    FdcDrive drv[FDC_MAX_DRIVES];

    Timer timer;
    MemoryRegion io[2];
    IRQ *irq_line;
    Object *dma_ctl;            /* the i8257 of the channel, or NULL */
} FdcState;

struct FdcCommand {
    uint8_t code;
    uint8_t mask;               /* which bits of the first byte are the code */
    uint8_t len;                /* command bytes, opcode included */
    const char *name;
    void (*exec)(FdcState *s);
};

/* fdc.c */
void fdc_update_irq(FdcState *s);
void fdc_to_command(FdcState *s);
void fdc_to_result(FdcState *s, uint32_t len, bool irq);
void fdc_end_transfer(FdcState *s);
void fdc_start_exec(FdcState *s, FdcXfer xfer);
void fdc_seek_done(FdcState *s, unsigned unit, uint8_t st0);
FdcDrive *fdc_drive(FdcState *s, unsigned unit);

/* fdc-cmd.c */
const FdcCommand *fdc_find_command(uint8_t op);
bool fdc_command_complete(FdcState *s);
void fdc_read_id_done(FdcState *s);

/* fdc-drive.c */
bool fdc_parse_type(const char *str, FdcDriveType *out, char **errp);
void fdc_drive_reset(FdcDrive *d);
void fdc_drive_step(FdcDrive *d, uint8_t track);
bool fdc_drive_lba(const FdcDrive *d, uint8_t track, uint8_t head, uint8_t sect,
                   uint64_t *lba);
bool fdc_load_sector(FdcState *s);
bool fdc_store_sector(FdcState *s);
bool fdc_format_sector(FdcState *s);
bool fdc_next_sector(FdcState *s);

#endif
