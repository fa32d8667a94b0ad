/* SPDX-License-Identifier: MIT */
/*
 * An SD memory card ("sd-card", QEMU's name), after the SD Physical Layer
 * Simplified Specification (version 3.01 for spec_version=3, 2.00 for 2,
 * 1.10 for 1): the card's state machine (section 4.8), its commands in
 * SD mode (section 4.7.4: CMD0-CMD59, ACMD6/13/22/23/41/42/51), its
 * registers (OCR, CID, CSD, RCA, SCR, SD status; chapter 5) and the
 * data it moves to and from a block backend (hw/backend/block.h).
 *
 * The card sits on one SD bus: the host controller that finds it at its
 * own realize (hw/sd/sdhci.c) calls sd_do_command for each command and
 * moves the data block bytes with sd_read_data / sd_write_data. The card
 * is its own object: each of those calls touches it for the snapshot.
 *
 * Left out: SPI mode (spi=on is refused at start-up), the password lock
 * (CMD42 takes its data block and sets LOCK_UNLOCK_FAILED), write
 * protection groups (CMD28/29 are accepted and protect nothing), the
 * security commands (ACMD18/25/26/38/43-49 are illegal), UHS-I signalling
 * (CMD11 and CMD19 are illegal, as on a 3.3 V-only card).
 */
#ifndef HW_SD_SD_H
#define HW_SD_SD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/object.h"
#include "hw/backend/block.h"

#define TYPE_SD_CARD "sd-card"

#define SD_BLOCK_LEN        512         /* the card's block (READ_BL_LEN) */
#define SD_DATA_BUF_LEN     512         /* largest data block it moves */
#define SD_RCA_DEFAULT      0x4567      /* the RCA CMD3 publishes (QEMU's) */

/* Card states (Physical Layer spec 4.8, Table 4-35 CURRENT_STATE) */
typedef enum SDCardState {
    SD_STATE_IDLE = 0,
    SD_STATE_READY = 1,
    SD_STATE_IDENT = 2,
    SD_STATE_STBY = 3,
    SD_STATE_TRAN = 4,
    SD_STATE_DATA = 5,
    SD_STATE_RCV = 6,
    SD_STATE_PRG = 7,
    SD_STATE_DIS = 8,
    SD_STATE_INACTIVE = 15,     /* CMD15; never reported */
} SDCardState;

/* Card status (section 4.10.1, Table 4-41) */
#define SD_CS_OUT_OF_RANGE      (1u << 31)
#define SD_CS_ADDRESS_ERROR     (1u << 30)
#define SD_CS_BLOCK_LEN_ERROR   (1u << 29)
#define SD_CS_ERASE_SEQ_ERROR   (1u << 28)
#define SD_CS_ERASE_PARAM       (1u << 27)
#define SD_CS_WP_VIOLATION      (1u << 26)
#define SD_CS_CARD_IS_LOCKED    (1u << 25)
#define SD_CS_LOCK_UNLOCK_FAILED (1u << 24)
#define SD_CS_COM_CRC_ERROR     (1u << 23)
#define SD_CS_ILLEGAL_COMMAND   (1u << 22)
#define SD_CS_CARD_ECC_FAILED   (1u << 21)
#define SD_CS_CC_ERROR          (1u << 20)
#define SD_CS_ERROR             (1u << 19)
#define SD_CS_CSD_OVERWRITE     (1u << 16)
#define SD_CS_WP_ERASE_SKIP     (1u << 15)
#define SD_CS_CARD_ECC_DISABLED (1u << 14)
#define SD_CS_ERASE_RESET       (1u << 13)
#define SD_CS_STATE_SHIFT       9
#define SD_CS_STATE_MASK        (0xfu << SD_CS_STATE_SHIFT)
#define SD_CS_READY_FOR_DATA    (1u << 8)
#define SD_CS_APP_CMD           (1u << 5)
#define SD_CS_AKE_SEQ_ERROR     (1u << 3)
/* Cleared by the response that reports them (clear condition C) */
#define SD_CS_CLEAR_ON_READ     0xfd39a028u
/* Cleared by the next valid command (clear condition B) */
#define SD_CS_CLEAR_ON_VALID    (SD_CS_COM_CRC_ERROR | SD_CS_ILLEGAL_COMMAND)

/* OCR (section 5.1) */
#define SD_OCR_VDD_WINDOW       0x00ff8000u     /* 2.7-3.6 V */
#define SD_OCR_S18A             (1u << 24)
#define SD_OCR_CCS              (1u << 30)      /* high capacity */
#define SD_OCR_POWER_UP         (1u << 31)      /* busy bit: 1 = ready */
/* ACMD41's argument: HCS (bit 30), XPC (28), S18R (24), the window */
#define SD_ACMD41_HCS           (1u << 30)

/* What the card is moving on its DAT lines */
typedef enum SDDataKind {
    SD_DATA_NONE,
    SD_DATA_READ_BLOCK,     /* CMD17/CMD18: from the medium */
    SD_DATA_READ_REG,       /* CMD6/9/10/13, ACMD13/22/51: data[] holds it */
    SD_DATA_WRITE_BLOCK,    /* CMD24/CMD25: to the medium */
    SD_DATA_WRITE_REG,      /* CMD26/27/42: taken and dropped or applied */
} SDDataKind;

typedef struct SDCard {
    Object obj;
    /* Properties */
    char *drive_id;
    uint8_t spec_version;       /* 1, 2 or 3, QEMU's spec_version */
    bool spi;

    /* Registers */
    SDCardState state;
    uint32_t ocr;
    uint8_t cid[16];
    uint8_t csd[16];
    uint8_t scr[8];
    uint16_t rca;
    uint32_t status;            /* card status (R1) */
    uint8_t sd_status[64];
    uint8_t func_group[6];      /* CMD6: the function each group has */
    bool bus_4bit;              /* ACMD6 */
    bool expecting_acmd;        /* CMD55 came before */
    uint8_t current_cmd;

    /* Block rules */
    uint32_t blk_len;           /* CMD16 (SDSC) */
    uint32_t pre_erase;         /* ACMD23: informational */
    uint32_t blk_count;         /* CMD23 for the next CMD18/CMD25; 0: open */
    uint64_t erase_start;
    uint64_t erase_end;
    bool erase_start_set;
    bool erase_end_set;

    /* The data transfer in progress */
    SDDataKind data_kind;
    uint64_t data_addr;         /* byte address on the medium */
    uint32_t data_len;          /* bytes in this block */
    uint32_t data_pos;          /* bytes of it moved so far */
    uint32_t blocks_done;
    bool multi;                 /* CMD18/CMD25: goes on until CMD12 */
    uint8_t data[SD_DATA_BUF_LEN];

    /* Medium */
    uint64_t size;              /* bytes, a whole number of blocks */
    bool high_capacity;         /* SDHC: block addressing */
    BlockBackend *blk;
} SDCard;

/*
 * One command on the CMD line. resp gets the response's payload, big
 * endian as it comes off the wire: 4 bytes for R1/R1b/R3/R6/R7, 16 for R2
 * (the CID or CSD with its CRC byte last). Returns the response's length,
 * 0 when the card does not answer (an illegal command: the host sees a
 * command timeout, and ILLEGAL_COMMAND in the next response).
 */
size_t sd_do_command(SDCard *sd, uint8_t cmd, uint32_t arg, uint8_t resp[16]);
/* Whether the card has data for the host (a read is in progress). */
bool sd_data_ready(const SDCard *sd);
/* Whether the card takes data from the host (a write is in progress). */
bool sd_receive_ready(const SDCard *sd);
/* The next len bytes of a read; zeros past the end of what the card has. */
void sd_read_data(SDCard *sd, uint8_t *buf, size_t len);
/* len bytes of a write; dropped past the end of what the card takes. */
void sd_write_data(SDCard *sd, const uint8_t *buf, size_t len);
/* Whether a medium is there (the card detect line); read-only medium. */
bool sd_inserted(const SDCard *sd);
bool sd_read_only(const SDCard *sd);

/* CRC7 of the CID and CSD (section 4.5), for tests. */
uint8_t sd_crc7(const uint8_t *buf, size_t len);

#endif
