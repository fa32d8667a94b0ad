/* SPDX-License-Identifier: MIT */
/*
 * The ATA device and the ATAPI packet device, written once for every
 * controller that carries them (PIIX3 IDE now, AHCI later): an IDEBus is
 * one cable, two devices behind one task file (ATA/ATAPI-6, T13/1410D,
 * section 7: the command block and control block registers), and the
 * controller wires it:
 *   - its register accesses call ide_reg_read/ide_reg_write (offsets 1-7 of
 *     the command block), ide_data_read/ide_data_write (offset 0, 2 or 4
 *     bytes), ide_altstatus_read and ide_devctl_write (the control block);
 *   - its INTRQ is the bus's irq (ide_bus_init); a controller that sees
 *     the line itself (PIIX's bus-master status, AHCI) gives its own IRQ
 *     and forwards it;
 *   - its DMA engine is an IDEDMAOps: the device asks it to move bytes
 *     between its buffer and the guest, and tells it when a transfer ends.
 *     A DMA command waits, DRQ set, until the engine is started
 *     (ide_dma_start), as with SFF-8038i's start bit; the engine stopping
 *     early is ide_dma_cancel.
 * Transfers from and to the medium are BlockRequests (hw/backend/block.h)
 * completed in a bottom half: the guest sees BSY (or DRQ and no data yet)
 * until then. Buffers are the controller's (IDE_BUF_SIZE bytes a drive,
 * allocated at realize): nothing is allocated while the guest runs.
 *
 * Files: ata.c (the task file, reset, PIO and DMA transfers, the ATA
 * commands), atapi.c (the packet commands, SFF-8020i / MMC), ide-dev.c
 * (the ide-hd and ide-cd types), piix.c (PIIX3's IDE function).
 */
#ifndef HW_IDE_IDE_H
#define HW_IDE_IDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/clock.h"
#include "emu/irq.h"
#include "emu/machine.h"
#include "emu/object.h"
#include "hw/backend/block.h"

#define TYPE_IDE_BUS "IDE"
#define TYPE_IDE_HD "ide-hd"
#define TYPE_IDE_CD "ide-cd"

/* Command block registers, by offset (ATA/ATAPI-6 section 7) */
#define IDE_REG_DATA        0
#define IDE_REG_ERROR       1   /* read */
#define IDE_REG_FEATURE     1   /* write */
#define IDE_REG_NSECTOR     2
#define IDE_REG_SECTOR      3   /* LBA 7:0 */
#define IDE_REG_LCYL        4   /* LBA 15:8 */
#define IDE_REG_HCYL        5   /* LBA 23:16 */
#define IDE_REG_SELECT      6   /* device/head */
#define IDE_REG_STATUS      7   /* read */
#define IDE_REG_COMMAND     7   /* write */

/* Status (7.15) */
#define IDE_STAT_ERR        0x01
#define IDE_STAT_IDX        0x02
#define IDE_STAT_CORR       0x04
#define IDE_STAT_DRQ        0x08
#define IDE_STAT_DSC        0x10    /* seek complete (SERV on packet devices) */
#define IDE_STAT_DF         0x20
#define IDE_STAT_DRDY       0x40
#define IDE_STAT_BSY        0x80

/* Error (7.9) */
#define IDE_ERR_AMNF        0x01
#define IDE_ERR_ABRT        0x04
#define IDE_ERR_MCR         0x08
#define IDE_ERR_IDNF        0x10
#define IDE_ERR_MC          0x20
#define IDE_ERR_UNC         0x40
#define IDE_ERR_ICRC        0x80

/* Device/head (7.10) and device control (7.8) */
#define IDE_SEL_DEV         0x10
#define IDE_SEL_LBA         0x40
#define IDE_SEL_OBS         0xa0    /* obsolete bits, read back as ones */
#define IDE_CTL_NIEN        0x02
#define IDE_CTL_SRST        0x04
#define IDE_CTL_HOB         0x80

/* Limits */
#define IDE_UNITS           2
#define IDE_BUF_SIZE        (128 * 1024)    /* a drive's transfer buffer */
#define IDE_SECTOR_SIZE     512
#define IDE_CD_SECTOR_SIZE  2048
#define IDE_MAX_MULT        16              /* READ/WRITE MULTIPLE block */
#define ATAPI_PACKET_SIZE   12
#define IDE_SERIAL_LEN      20
#define IDE_MODEL_LEN       40

typedef enum IDEKind {
    IDE_NONE,
    IDE_HD,
    IDE_CD,
} IDEKind;

/* What a completed PIO block of the data register leads to. */
typedef enum IDEPioEnd {
    IDE_PIO_NONE,
    IDE_PIO_IDENTIFY,       /* a reply read out: done */
    IDE_PIO_READ,           /* READ SECTORS/MULTIPLE: the next block */
    IDE_PIO_WRITE,          /* WRITE SECTORS/MULTIPLE: to the medium */
    IDE_PIO_DSM,            /* DATA SET MANAGEMENT's range list */
    IDE_PIO_PACKET,         /* a 12-byte command packet */
    IDE_PIO_ATAPI,          /* a packet command's reply, a DRQ block */
    IDE_PIO_ATAPI_OUT,      /* a packet command's parameter data */
} IDEPioEnd;

/* The medium transfer a drive has in flight or waiting for the engine. */
typedef enum IDEXfer {
    IDE_XFER_NONE,
    IDE_XFER_READ,
    IDE_XFER_WRITE,
    IDE_XFER_VERIFY,
    IDE_XFER_FLUSH,
    IDE_XFER_TRIM,
    IDE_XFER_CD_READ,       /* ATAPI READ(10)/(12)/CD into the buffer */
} IDEXfer;

typedef struct IDEBus IDEBus;

/* A controller's DMA engine; opaque is the one given to ide_bus_init. */
typedef struct IDEDMAOps {
    /* Whether the engine is started (SFF-8038i: the start bit). */
    bool (*running)(void *opaque);
    /* Moves up to len bytes between buf and guest memory, from where the
     * transfer stands; returns the bytes the engine's table covered. */
    size_t (*rw)(void *opaque, uint8_t *buf, size_t len, bool to_guest);
    /* The transfer is over (error: the device failed it); short_table:
     * the table ended before the transfer did. */
    void (*end)(void *opaque, bool error, bool short_table);
} IDEDMAOps;

/* One device on the cable: its registers, identity and transfer. */
typedef struct IDEDrive {
    IDEBus *bus;
    uint8_t unit;
    IDEKind kind;
    BlockBackend *blk;
    /* Identity (set up from the device's properties). */
    char serial[IDE_SERIAL_LEN + 1];
    char model[IDE_MODEL_LEN + 1];
    uint32_t cylinders, heads, sectors;     /* default CHS translation */
    uint64_t nb_sectors;

    /* Task file; hob_* the previous value (48-bit commands, 7.x HOB). */
    uint8_t feature, nsector, sector, lcyl, hcyl;
    uint8_t hob_feature, hob_nsector, hob_sector, hob_lcyl, hob_hcyl;
    uint8_t select;
    uint8_t status;
    uint8_t error;
    uint8_t cmd;                /* the command being run */
    /* Settings. */
    uint8_t mult_sectors;       /* READ/WRITE MULTIPLE block, 0: disabled */
    uint8_t xfer_mode;          /* SET FEATURES 03h */
    bool wcache;
    bool standby;               /* STANDBY (IMMEDIATE): CHECK POWER MODE 00h */
    /* INITIALIZE DEVICE PARAMETERS: the current CHS translation */
    uint32_t cur_heads, cur_sectors;

    /* PIO: bytes [pos, end) of buf are the guest's to read or write. */
    uint32_t pio_pos, pio_end;
    IDEPioEnd pio_end_kind;
    uint32_t buf_live;          /* bytes of buf that hold state */
    uint8_t *buf;               /* IDE_BUF_SIZE, the controller's */

    /* The command's medium transfer. */
    IDEXfer xfer;
    bool lba48;
    bool dma;                   /* by the DMA engine */
    bool dma_waiting;           /* DRQ set, the engine not started yet */
    uint64_t lba;               /* next sector (CD: 2048-byte block) */
    uint32_t left;              /* sectors (blocks) still to move */
    uint32_t chunk;             /* sectors (blocks) of the request in flight */
    BlockRequest req;

    /* ATAPI. */
    uint8_t packet[ATAPI_PACKET_SIZE];
    uint8_t sense_key, asc, ascq;
    bool unit_attention;        /* a new medium: UNIT ATTENTION, once */
    bool event_pending;         /* GET EVENT STATUS: a media event */
    bool tray_locked;
    bool tray_open;
    uint32_t cd_sector_size;    /* bytes a block gives the guest (READ CD) */
    uint32_t cd_hdr;            /* bytes before the user data (READ CD) */
    uint32_t reply_left;        /* reply bytes still to give (PIO/DMA) */
    uint32_t buf_pos, buf_len;  /* the reply's bytes in buf */
    bool atapi_dma;             /* the packet's data phase by DMA */
} IDEDrive;

struct IDEBus {
    IDEDrive drive[IDE_UNITS];
    uint8_t unit;               /* selected device */
    uint8_t devctl;
    IRQ *irq;                   /* INTRQ */
    int irq_level;
    const IDEDMAOps *dma_ops;   /* NULL: no DMA engine */
    void *dma_opaque;
    Object *owner;
    Clock *clock;
    unsigned index;             /* bus number: serial numbers QM0000n */
    unsigned units;             /* devices it takes: 2, AHCI's port 1 */
};

/* The bus's object in the tree ("ide.0", "ahci.3"), for bus=. */
typedef struct IDEBusObject {
    Object obj;
    IDEBus *bus;
    Object *ctrl;
} IDEBusObject;

/* Set-up. buf: IDE_UNITS buffers of IDE_BUF_SIZE bytes. */
void ide_bus_init(IDEBus *bus, Object *owner, Clock *clock, unsigned index,
                  IRQ *irq, const IDEDMAOps *ops, void *opaque,
                  uint8_t *buf[IDE_UNITS]);
/* Puts a device on unit (set-up): the drive's identity and medium. */
void ide_drive_attach(IDEBus *bus, unsigned unit, IDEKind kind,
                      BlockBackend *blk, const char *serial, const char *model);
/* Power-on (and PCI) reset of both devices and the control register. */
void ide_bus_reset(IDEBus *bus);

uint32_t ide_reg_read(IDEBus *bus, unsigned reg);
void ide_reg_write(IDEBus *bus, unsigned reg, uint32_t val);
uint32_t ide_data_read(IDEBus *bus, unsigned size);
void ide_data_write(IDEBus *bus, uint32_t val, unsigned size);
uint32_t ide_altstatus_read(IDEBus *bus);
void ide_devctl_write(IDEBus *bus, uint32_t val);

/* The engine was started or stopped by the guest. */
void ide_dma_start(IDEBus *bus);
void ide_dma_cancel(IDEBus *bus);

/* The BIOS translation QEMU's pc writes into the CMOS (hard disks only):
 * false for no hard disk on that unit. */
bool ide_drive_geometry(const IDEBus *bus, unsigned unit, uint32_t *cyls,
                        uint32_t *heads, uint32_t *secs, bool *lba_trans);

/* The bus of a controller by name ("ide.0"), for -device ide-hd,bus=. */
IDEBus *ide_bus_lookup(Machine *m, const char *name, Object **ctrl);
/* The bus a device without bus= goes on, as QEMU 7.2 picks it (the one
 * created last); NULL when the machine has none. */
IDEBus *ide_bus_default(Machine *m, Object **ctrl, const char **name);
/* Set-up: names ctrl's bus in the tree, as its child. */
void ide_bus_object_add(Object *ctrl, IDEBus *bus, const char *name);

/* A controller that moves a whole PIO block itself (AHCI, through its
 * PRDT) instead of the data register: bytes [pio_pos, pio_end) of the
 * selected drive's buf were taken or filled; the block ends as if the
 * data register had moved them. */
void ide_pio_block_moved(IDEBus *bus);
/* Whether the drive's PIO block goes from the host to the device. */
bool ide_pio_is_out(const IDEDrive *s);

/* --- Shared between ata.c and atapi.c ---------------------------------- */
void ide_set_irq(IDEBus *bus);
void ide_cmd_done(IDEDrive *s);
void ide_abort(IDEDrive *s);
void ide_pio_start(IDEDrive *s, uint32_t len, IDEPioEnd kind);
void ide_set_signature(IDEDrive *s);
void ide_identify_packet(IDEDrive *s);
void ide_xfer_submit(IDEDrive *s);
void ide_dma_finish(IDEDrive *s, bool error, bool short_table);

/* atapi.c */
void atapi_reset(IDEDrive *s);
void atapi_packet_cmd(IDEDrive *s);
void atapi_pio_next(IDEDrive *s);
void atapi_read_done(IDEDrive *s, int ret);
void atapi_dma_run(IDEDrive *s);
void atapi_medium_changed(IDEDrive *s);

#endif
