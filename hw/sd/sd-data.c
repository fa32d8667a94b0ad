/* SPDX-License-Identifier: MIT */
/*
 * The SD card's data phases (SD Physical Layer Simplified Specification
 * 3.01, sections 4.3.3 and 4.3.4): blocks read from and written to the
 * medium through data[], multiple-block transfers with their CMD23 count
 * and the end of the medium, and the registers a data phase returns or
 * takes (CMD27's CSD). Each call moves at most the bytes the host gives
 * or asks for.
 */
#include <string.h>

#include "emu/log.h"
#include "hw/sd/sd-internal.h"

bool sd_data_ready(const SDCard *sd)
{
    return sd->state == SD_STATE_DATA &&
           (sd->data_kind == SD_DATA_READ_BLOCK || sd->data_kind == SD_DATA_READ_REG);
}

bool sd_receive_ready(const SDCard *sd)
{
    return sd->state == SD_STATE_RCV &&
           (sd->data_kind == SD_DATA_WRITE_BLOCK || sd->data_kind == SD_DATA_WRITE_REG);
}

/* After a whole block: the next one of a multiple-block command, or the
 * end (CMD23's count reached, the medium's end, a single block). */
static void sd_block_done(SDCard *sd)
{
    sd->blocks_done++;
    sd->data_pos = 0;
    if (sd->multi && sd->blk_count && sd->blocks_done >= sd->blk_count) {
        sd->blk_count = 0;
        sd->multi = false;
    }
    if (!sd->multi) {
        sd->data_kind = SD_DATA_NONE;
        sd->state = SD_STATE_TRAN;
        return;
    }
    sd->data_addr += sd->data_len;
    if (sd->data_addr + sd->data_len > sd->size) {
        /* Section 4.3.3: past the end, the card stops and flags it. */
        sd->status |= SD_CS_OUT_OF_RANGE;
        sd->data_kind = SD_DATA_NONE;
    }
}

static void sd_fetch_block(SDCard *sd)
{
    if (blk_read(sd->blk, sd->data_addr, sd->data, sd->data_len) < 0) {
        memset(sd->data, 0, sd->data_len);
        sd->status |= SD_CS_ERROR;
    }
}

void sd_read_data(SDCard *sd, uint8_t *buf, size_t len)
{
    size_t done = 0;

    object_touch(&sd->obj);
    while (done < len && sd_data_ready(sd) && sd->data_len) {
        if (sd->data_kind == SD_DATA_READ_BLOCK && sd->data_pos == 0) {
            sd_fetch_block(sd);
        }
        size_t n = MIN(len - done, (size_t)(sd->data_len - sd->data_pos));
        memcpy(buf + done, sd->data + sd->data_pos, n);
        done += n;
        sd->data_pos += (uint32_t)n;
        if (sd->data_pos < sd->data_len) {
            continue;
        }
        if (sd->data_kind == SD_DATA_READ_REG) {
            sd_data_stop(sd);
            sd->state = SD_STATE_TRAN;
        } else {
            sd_block_done(sd);
        }
    }
    if (done < len) {
        memset(buf + done, 0, len - done);
    }
}

/* CMD27: only the CSD's writable bits change (section 5.3: byte 14's
 * COPY, PERM/TMP_WRITE_PROTECT, FILE_FORMAT); others must match. */
static void sd_program_csd(SDCard *sd)
{
    for (int i = 0; i < 14; i++) {
        if (sd->data[i] != sd->csd[i]) {
            sd->status |= SD_CS_CSD_OVERWRITE;
            return;
        }
    }
    sd->csd[14] = sd->data[14] & 0xfc;
    sd->csd[15] = (uint8_t)((sd_crc7(sd->csd, 15) << 1) | 1);
}

static void sd_write_reg_done(SDCard *sd)
{
    if (sd->current_cmd == 27) {
        sd_program_csd(sd);
    } else if (sd->current_cmd == 42) {
        sd->status |= SD_CS_LOCK_UNLOCK_FAILED;
    }
    sd_data_stop(sd);
    sd->state = SD_STATE_TRAN;
}

void sd_write_data(SDCard *sd, const uint8_t *buf, size_t len)
{
    size_t done = 0;

    object_touch(&sd->obj);
    while (done < len && sd_receive_ready(sd) && sd->data_len) {
        size_t n = MIN(len - done, (size_t)(sd->data_len - sd->data_pos));
        memcpy(sd->data + sd->data_pos, buf + done, n);
        done += n;
        sd->data_pos += (uint32_t)n;
        if (sd->data_pos < sd->data_len) {
            continue;
        }
        if (sd->data_kind == SD_DATA_WRITE_REG) {
            sd_write_reg_done(sd);
            continue;
        }
        if (blk_write(sd->blk, sd->data_addr, sd->data, sd->data_len) < 0) {
            sd->status |= SD_CS_ERROR;
        }
        sd_block_done(sd);
    }
}
