/* SPDX-License-Identifier: MIT */
/*
 * The SCSI command set's shared pieces: sense data in both formats
 * (SPC-4 4.5) and the CDB's length and transfer fields (SPC-4 4.2.5,
 * SBC-3 5.x).
 */
#include "hw/scsi/scsi.h"

#include <string.h>

#include "emu/byteorder.h"

/* Fixed format (SPC-4 4.5.3): response code 70h, the key in byte 2, the
 * additional length 10, ASC and ASCQ in bytes 12 and 13. Descriptor
 * format (4.5.2): response code 72h, key, ASC, ASCQ in bytes 1-3, no
 * descriptors. */
size_t scsi_build_sense(uint8_t *buf, size_t len, SCSISense s, bool desc)
{
    uint8_t b[SCSI_SENSE_FIXED_LEN] = { 0 };
    size_t n;

    if (desc) {
        b[0] = 0x72;
        b[1] = s.key & 0x0f;
        b[2] = s.asc;
        b[3] = s.ascq;
        n = SCSI_SENSE_DESC_LEN;
    } else {
        b[0] = 0x70;
        b[2] = s.key & 0x0f;
        b[7] = SCSI_SENSE_FIXED_LEN - 8;
        b[12] = s.asc;
        b[13] = s.ascq;
        n = SCSI_SENSE_FIXED_LEN;
    }
    memcpy(buf, b, n < len ? n : len);
    return n;
}

SCSISense scsi_parse_sense(const uint8_t *buf, size_t len)
{
    if (len >= 4 && (buf[0] & 0x7e) == 0x72) {
        return SCSI_SENSE(buf[1] & 0x0f, buf[2], buf[3]);
    }
    if (len >= 14 && (buf[0] & 0x7e) == 0x70) {
        return SCSI_SENSE(buf[2] & 0x0f, buf[12], buf[13]);
    }
    return SENSE_CODE_NO_SENSE;
}

unsigned scsi_cdb_length(uint8_t opcode)
{
    switch (opcode >> 5) {
    case 0:
        return 6;
    case 1:
    case 2:
        return 10;
    case 4:
        return 16;
    case 5:
        return 12;
    default:                /* 3: reserved; 6, 7: vendor specific */
        return 0;
    }
}

bool scsi_cdb_rw(const uint8_t *cdb, uint64_t *lba, uint32_t *nblocks)
{
    switch (cdb[0]) {
    case SCSI_READ_6:
    case SCSI_WRITE_6:
        *lba = ld_be_n(cdb + 1, 3) & 0x1fffff;
        *nblocks = cdb[4] ? cdb[4] : 256;
        return true;
    case SCSI_READ_10:
    case SCSI_WRITE_10:
    case SCSI_VERIFY_10:
    case SCSI_WRITE_SAME_10:
        *lba = ld_be32(cdb + 2);
        *nblocks = ld_be16(cdb + 7);
        return true;
    case SCSI_READ_12:
    case SCSI_WRITE_12:
    case SCSI_VERIFY_12:
        *lba = ld_be32(cdb + 2);
        *nblocks = ld_be32(cdb + 6);
        return true;
    case SCSI_READ_16:
    case SCSI_WRITE_16:
    case SCSI_VERIFY_16:
    case SCSI_WRITE_SAME_16:
        *lba = ld_be64(cdb + 2);
        *nblocks = ld_be32(cdb + 10);
        return true;
    default:
        return false;
    }
}
