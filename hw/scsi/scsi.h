/* SPDX-License-Identifier: MIT */
/*
 * The SCSI command set, written once for every device and host adapter
 * that speaks it (scsi-hd, scsi-cd, the ATAPI packet device): operation
 * codes (SPC-4, SBC-3, MMC-6), status codes (SAM-5 5.3), sense keys and
 * additional sense codes (SPC-4 4.5.6 and annex D), sense data in the
 * fixed and the descriptor format (SPC-4 4.5.2, 4.5.3), and the CDB's
 * length by its group code (SPC-4 4.2.5.1).
 */
#ifndef HW_SCSI_SCSI_H
#define HW_SCSI_SCSI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Operation codes */
#define SCSI_TEST_UNIT_READY        0x00
#define SCSI_REQUEST_SENSE          0x03
#define SCSI_READ_6                 0x08
#define SCSI_WRITE_6                0x0a
#define SCSI_INQUIRY                0x12
#define SCSI_MODE_SELECT_6          0x15
#define SCSI_MODE_SENSE_6           0x1a
#define SCSI_START_STOP_UNIT        0x1b
#define SCSI_PREVENT_ALLOW          0x1e
#define SCSI_READ_CAPACITY_10       0x25
#define SCSI_READ_10                0x28
#define SCSI_WRITE_10               0x2a
#define SCSI_SEEK_10                0x2b
#define SCSI_VERIFY_10              0x2f
#define SCSI_SYNCHRONIZE_CACHE_10   0x35
#define SCSI_WRITE_SAME_10          0x41
#define SCSI_UNMAP                  0x42
#define SCSI_READ_TOC               0x43
#define SCSI_GET_CONFIGURATION      0x46
#define SCSI_GET_EVENT_STATUS       0x4a
#define SCSI_READ_DISC_INFO         0x51
#define SCSI_MODE_SELECT_10         0x55
#define SCSI_MODE_SENSE_10          0x5a
#define SCSI_READ_16                0x88
#define SCSI_WRITE_16               0x8a
#define SCSI_VERIFY_16              0x8f
#define SCSI_SYNCHRONIZE_CACHE_16   0x91
#define SCSI_WRITE_SAME_16          0x93
#define SCSI_SERVICE_ACTION_IN_16   0x9e
#define SCSI_SAI_READ_CAPACITY_16   0x10
#define SCSI_REPORT_LUNS            0xa0
#define SCSI_READ_12                0xa8
#define SCSI_WRITE_12               0xaa
#define SCSI_READ_DVD_STRUCTURE     0xad
#define SCSI_VERIFY_12              0xaf
#define SCSI_SET_CD_SPEED           0xbb
#define SCSI_MECHANISM_STATUS       0xbd
#define SCSI_READ_CD                0xbe

/* Status (SAM-5 5.3) */
#define SCSI_STATUS_GOOD            0x00
#define SCSI_STATUS_CHECK_CONDITION 0x02
#define SCSI_STATUS_BUSY            0x08
#define SCSI_STATUS_TASK_SET_FULL   0x28
#define SCSI_STATUS_TASK_ABORTED    0x40

/* Sense keys (SPC-4 table 28) */
#define SENSE_NO_SENSE              0x00
#define SENSE_NOT_READY             0x02
#define SENSE_MEDIUM_ERROR          0x03
#define SENSE_ILLEGAL_REQUEST       0x05
#define SENSE_UNIT_ATTENTION        0x06
#define SENSE_DATA_PROTECT          0x07
#define SENSE_ABORTED_COMMAND       0x0b

/* A sense key with its additional sense code and qualifier. */
typedef struct SCSISense {
    uint8_t key, asc, ascq;
} SCSISense;

#define SCSI_SENSE(k, a, q) ((SCSISense){ (k), (a), (q) })
/* The ones the devices here return (SPC-4 annex D) */
#define SENSE_CODE_NO_SENSE         SCSI_SENSE(SENSE_NO_SENSE, 0x00, 0x00)
#define SENSE_CODE_INVALID_OPCODE   SCSI_SENSE(SENSE_ILLEGAL_REQUEST, 0x20, 0x00)
#define SENSE_CODE_LBA_OUT_OF_RANGE SCSI_SENSE(SENSE_ILLEGAL_REQUEST, 0x21, 0x00)
#define SENSE_CODE_INVALID_FIELD    SCSI_SENSE(SENSE_ILLEGAL_REQUEST, 0x24, 0x00)
#define SENSE_CODE_LUN_NOT_SUPPORTED SCSI_SENSE(SENSE_ILLEGAL_REQUEST, 0x25, 0x00)
#define SENSE_CODE_INVALID_PARAM    SCSI_SENSE(SENSE_ILLEGAL_REQUEST, 0x26, 0x00)
#define SENSE_CODE_PARAM_LIST_LEN   SCSI_SENSE(SENSE_ILLEGAL_REQUEST, 0x1a, 0x00)
#define SENSE_CODE_SAVING_UNSUP     SCSI_SENSE(SENSE_ILLEGAL_REQUEST, 0x39, 0x00)
#define SENSE_CODE_INCOMPATIBLE_FORMAT SCSI_SENSE(SENSE_ILLEGAL_REQUEST, 0x30, 0x00)
#define SENSE_CODE_REMOVAL_PREVENTED SCSI_SENSE(SENSE_ILLEGAL_REQUEST, 0x53, 0x02)
#define SENSE_CODE_NO_MEDIUM        SCSI_SENSE(SENSE_NOT_READY, 0x3a, 0x00)
#define SENSE_CODE_MEDIUM_CHANGED   SCSI_SENSE(SENSE_UNIT_ATTENTION, 0x28, 0x00)
#define SENSE_CODE_RESET            SCSI_SENSE(SENSE_UNIT_ATTENTION, 0x29, 0x00)
#define SENSE_CODE_MODE_CHANGED     SCSI_SENSE(SENSE_UNIT_ATTENTION, 0x2a, 0x01)
#define SENSE_CODE_WRITE_PROTECTED  SCSI_SENSE(SENSE_DATA_PROTECT, 0x27, 0x00)
#define SENSE_CODE_READ_ERROR       SCSI_SENSE(SENSE_MEDIUM_ERROR, 0x11, 0x00)
#define SENSE_CODE_WRITE_ERROR      SCSI_SENSE(SENSE_MEDIUM_ERROR, 0x0c, 0x00)
#define SENSE_CODE_DATA_PHASE_ERROR SCSI_SENSE(SENSE_ABORTED_COMMAND, 0x4b, 0x00)
#define SENSE_CODE_TASK_ABORTED     SCSI_SENSE(SENSE_ABORTED_COMMAND, 0x00, 0x00)

/* Sense data lengths: fixed format (SPC-4 4.5.3) and descriptor format
 * with no descriptors (4.5.2). */
#define SCSI_SENSE_FIXED_LEN        18
#define SCSI_SENSE_DESC_LEN         8
#define SCSI_SENSE_BUF_SIZE         32

/* Longest CDB the devices here take (16 bytes, group 4). */
#define SCSI_CDB_MAX                16

/* Sense data for s in buf (at most len bytes): the descriptor format if
 * desc, else the fixed one. Returns the bytes the full sense data has. */
size_t scsi_build_sense(uint8_t *buf, size_t len, SCSISense s, bool desc);
/* The sense key and codes of sense data in either format (a zero sense
 * for fewer bytes than the format needs). */
SCSISense scsi_parse_sense(const uint8_t *buf, size_t len);

/* The length of a CDB from its operation code's group (SPC-4 4.2.5.1):
 * 6, 10, 12 or 16; 0 for the reserved and vendor-specific groups (3, 6
 * and 7). */
unsigned scsi_cdb_length(uint8_t opcode);

/* The logical block address and transfer length of the READ, WRITE,
 * VERIFY and WRITE SAME forms (SBC-3 5.x): false for another opcode.
 * READ(6)/WRITE(6) with a length of 0 mean 256 blocks (SBC-3 5.10). */
bool scsi_cdb_rw(const uint8_t *cdb, uint64_t *lba, uint32_t *nblocks);

#endif
