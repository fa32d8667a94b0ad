/* SPDX-License-Identifier: MIT */
/*
 * SD memory card, SD mode, after the SD Physical Layer Simplified
 * Specification 3.01 (sd.h says what is in and out). Commands arrive from
 * the host controller one at a time (sd_do_command); the data of a
 * transfer moves through data[], a block at a time, between the medium
 * and the host. Nothing here loops on a count the guest gives: each call
 * moves at most the bytes the host asked for.
 */
#include "hw/sd/sd.h"

#include <inttypes.h>
#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"
#include "emu/machine.h"
#include "hw/devices.h"
#include "hw/sd/sd-internal.h"
#include "hw/sd/sdhci.h"

/* CMD8's argument and answer (section 4.3.13) */
#define SD_CMD8_VHS_MASK    0x00000f00u
#define SD_CMD8_VHS_27_36   0x00000100u
#define SD_CMD8_ECHO_MASK   0x00000fffu

/* CMD6 (section 4.3.10) */
#define SD_SWITCH_MODE_SET  (1u << 31)
#define SD_SWITCH_GROUPS    6
#define SD_SWITCH_STATUS_LEN 64
#define SD_SWITCH_NO_CHANGE 0xf

/* The register the data phase of a command returns, and its length */
#define SD_STATUS_LEN       64
#define SD_SCR_LEN          8
#define SD_WP_STATUS_LEN    4
#define SD_NUM_WR_LEN       4

/* Response kinds */
typedef enum SDRsp {
    SD_RSP_NONE,        /* bc commands, and an RCA that is not ours */
    SD_RSP_ILLEGAL,     /* not answered; ILLEGAL_COMMAND next time */
    SD_RSP_R1,
    SD_RSP_R2_CID,
    SD_RSP_R2_CSD,
    SD_RSP_R3,
    SD_RSP_R6,
    SD_RSP_R7,
} SDRsp;

static bool sd_cmd23_supported(const SDCard *sd)
{
    return sd->spec_version >= 3;
}

/* ---------------------------------------------------------------------- */
/* Responses                                                               */

/* R1: the status, then the clear-on-read bits go (section 4.10.1). */
static void sd_r1(SDCard *sd, uint8_t *resp)
{
    st_be32(resp, sd->status | SD_CS_READY_FOR_DATA);
    sd->status &= ~SD_CS_CLEAR_ON_READ;
}

/* R6: RCA and status bits 23, 22, 19, 12:0 (section 4.9.5). */
static void sd_r6(SDCard *sd, uint8_t *resp)
{
    uint32_t st = sd->status | SD_CS_READY_FOR_DATA;
    uint32_t bits = ((st >> 8) & 0xc000) | ((st >> 6) & 0x2000) | (st & 0x1fff);

    st_be32(resp, ((uint32_t)sd->rca << 16) | bits);
    sd->status &= ~(SD_CS_COM_CRC_ERROR | SD_CS_ILLEGAL_COMMAND | SD_CS_ERROR);
}

/* ---------------------------------------------------------------------- */
/* Reset and data phases                                                   */

void sd_data_stop(SDCard *sd)
{
    sd->data_kind = SD_DATA_NONE;
    sd->data_pos = sd->data_len = 0;
    sd->multi = false;
}

static void sd_reset_card(SDCard *sd)
{
    sd->state = SD_STATE_IDLE;
    sd->rca = 0;
    sd->ocr = SD_OCR_VDD_WINDOW;
    sd->status = 0;
    sd->bus_4bit = false;
    sd->expecting_acmd = false;
    sd->current_cmd = 0;
    sd->blk_len = SD_BLOCK_LEN;
    sd->pre_erase = 1;
    sd->blk_count = 0;
    sd->erase_start = sd->erase_end = 0;
    sd->erase_start_set = sd->erase_end_set = false;
    sd->blocks_done = 0;
    sd->data_addr = 0;
    memset(sd->func_group, 0, sizeof(sd->func_group));
    memset(sd->data, 0, sizeof(sd->data));
    sd_data_stop(sd);
    sd_set_cid(sd);
    sd_set_csd(sd);
    sd_set_scr(sd);
    sd_set_sd_status(sd);
}

/* A data phase of a register: data[] holds len bytes for the host. */
static void sd_send_reg(SDCard *sd, const uint8_t *reg, uint32_t len)
{
    memset(sd->data, 0, sizeof(sd->data));
    memcpy(sd->data, reg, len);
    sd->data_kind = SD_DATA_READ_REG;
    sd->data_len = len;
    sd->data_pos = 0;
    sd->multi = false;
    sd->state = SD_STATE_DATA;
}

/* The byte address of a read or write command's argument, or false with
 * the error bit set: past the medium (OUT_OF_RANGE), or a block that
 * crosses a physical block on SDSC (ADDRESS_ERROR, READ_BLK_MISALIGN 0). */
static bool sd_check_addr(SDCard *sd, uint32_t arg, uint32_t len, uint64_t *addr)
{
    uint64_t a = sd->high_capacity ? (uint64_t)arg * SD_BLOCK_LEN : arg;

    if (a + len > sd->size) {
        sd->status |= SD_CS_OUT_OF_RANGE;
        return false;
    }
    if (!sd->high_capacity && (a / SD_BLOCK_LEN) != ((a + len - 1) / SD_BLOCK_LEN)) {
        sd->status |= SD_CS_ADDRESS_ERROR;
        return false;
    }
    *addr = a;
    return true;
}

static uint32_t sd_xfer_len(const SDCard *sd)
{
    return sd->high_capacity ? SD_BLOCK_LEN : sd->blk_len;
}

static void sd_start_block(SDCard *sd, SDDataKind kind, uint64_t addr, bool multi)
{
    sd->data_kind = kind;
    sd->data_addr = addr;
    sd->data_len = sd_xfer_len(sd);
    sd->data_pos = 0;
    sd->multi = multi;
    sd->blocks_done = 0;
    sd->state = kind == SD_DATA_READ_BLOCK ? SD_STATE_DATA : SD_STATE_RCV;
}

/* ---------------------------------------------------------------------- */
/* Commands                                                                */

static bool sd_rca_matches(const SDCard *sd, uint32_t arg)
{
    return (arg >> 16) == sd->rca;
}

static SDRsp sd_cmd_read(SDCard *sd, uint32_t arg, bool multi)
{
    uint64_t addr;

    if (sd->state != SD_STATE_TRAN) {
        return SD_RSP_ILLEGAL;
    }
    if (sd->blk_len > SD_DATA_BUF_LEN) {
        sd->status |= SD_CS_BLOCK_LEN_ERROR;
        return SD_RSP_R1;
    }
    if (sd_check_addr(sd, arg, sd_xfer_len(sd), &addr)) {
        sd_start_block(sd, SD_DATA_READ_BLOCK, addr, multi);
    }
    return SD_RSP_R1;
}

static SDRsp sd_cmd_write(SDCard *sd, uint32_t arg, bool multi)
{
    uint64_t addr;

    if (sd->state != SD_STATE_TRAN) {
        return SD_RSP_ILLEGAL;
    }
    if (sd->blk_len > SD_DATA_BUF_LEN) {
        sd->status |= SD_CS_BLOCK_LEN_ERROR;
        return SD_RSP_R1;
    }
    if (sd_read_only(sd)) {
        sd->status |= SD_CS_WP_VIOLATION;
        return SD_RSP_R1;
    }
    if (sd_check_addr(sd, arg, sd_xfer_len(sd), &addr)) {
        sd_start_block(sd, SD_DATA_WRITE_BLOCK, addr, multi);
    }
    return SD_RSP_R1;
}

/* CMD6 (section 4.3.10): check (mode 0) or switch (mode 1) functions.
 * Group 1 (access mode) has default and high speed; the others default. */
static SDRsp sd_cmd_switch(SDCard *sd, uint32_t arg)
{
    uint8_t st[SD_SWITCH_STATUS_LEN] = { 0 };
    uint8_t sel[SD_SWITCH_GROUPS];
    bool error = false;

    if (sd->state != SD_STATE_TRAN || sd->spec_version < 1) {
        return SD_RSP_ILLEGAL;
    }
    st_be16(st, 200);                           /* max current, mA */
    for (int g = 0; g < SD_SWITCH_GROUPS; g++) {
        unsigned req = (arg >> (4 * g)) & 0xf;
        uint16_t support = g == 0 ? 0x8003 : 0x8001;

        st_be16(st + 12 - 2 * g, support);
        if (req == SD_SWITCH_NO_CHANGE) {
            sel[g] = sd->func_group[g];
        } else if (req < 16 && (support & (1u << req))) {
            sel[g] = (uint8_t)req;
        } else {
            sel[g] = 0xf;
            error = true;
        }
    }
    st[14] = (uint8_t)((sel[5] << 4) | sel[4]);
    st[15] = (uint8_t)((sel[3] << 4) | sel[2]);
    st[16] = (uint8_t)((sel[1] << 4) | sel[0]);
    st[17] = 0x01;                              /* version 1: busy status */
    if ((arg & SD_SWITCH_MODE_SET) && !error) {
        memcpy(sd->func_group, sel, sizeof(sel));
    }
    sd_send_reg(sd, st, sizeof(st));
    return SD_RSP_R1;
}

static SDRsp sd_cmd_select(SDCard *sd, uint32_t arg)
{
    bool ours = sd_rca_matches(sd, arg) && arg >> 16;

    switch (sd->state) {
    case SD_STATE_STBY:
        if (!ours) {
            return SD_RSP_NONE;
        }
        sd->state = SD_STATE_TRAN;
        return SD_RSP_R1;
    case SD_STATE_DIS:
        if (!ours) {
            return SD_RSP_NONE;
        }
        sd->state = SD_STATE_TRAN;      /* through prg: programming is instant */
        return SD_RSP_R1;
    case SD_STATE_TRAN:
    case SD_STATE_DATA:
    case SD_STATE_PRG:
        if (ours) {
            return SD_STATE_TRAN == sd->state ? SD_RSP_R1 : SD_RSP_ILLEGAL;
        }
        sd_data_stop(sd);
        sd->state = SD_STATE_STBY;
        return SD_RSP_NONE;
    default:
        return SD_RSP_ILLEGAL;
    }
}

static SDRsp sd_cmd_erase(SDCard *sd)
{
    if (sd->state != SD_STATE_TRAN) {
        return SD_RSP_ILLEGAL;
    }
    if (!sd->erase_start_set || !sd->erase_end_set) {
        sd->status |= SD_CS_ERASE_SEQ_ERROR;
        return SD_RSP_R1;
    }
    uint64_t start = sd->erase_start, end = sd->erase_end;
    if (start > end || end >= sd->size) {
        sd->status |= SD_CS_ERASE_PARAM;
    } else if (sd_read_only(sd)) {
        sd->status |= SD_CS_WP_ERASE_SKIP;
    } else if (blk_discard(sd->blk, start, end - start + SD_BLOCK_LEN) < 0) {
        sd->status |= SD_CS_ERROR;
    }
    sd->erase_start_set = sd->erase_end_set = false;
    return SD_RSP_R1;
}

static SDRsp sd_cmd_erase_addr(SDCard *sd, uint32_t arg, bool end)
{
    uint64_t a = sd->high_capacity ? (uint64_t)arg * SD_BLOCK_LEN : arg;

    if (sd->state != SD_STATE_TRAN) {
        return SD_RSP_ILLEGAL;
    }
    a &= ~(uint64_t)(SD_BLOCK_LEN - 1);
    if (a >= sd->size) {
        sd->status |= SD_CS_OUT_OF_RANGE;
        return SD_RSP_R1;
    }
    if (end) {
        if (!sd->erase_start_set) {
            sd->status |= SD_CS_ERASE_SEQ_ERROR;
            return SD_RSP_R1;
        }
        sd->erase_end = a;
        sd->erase_end_set = true;
    } else {
        sd->erase_start = a;
        sd->erase_start_set = true;
        sd->erase_end_set = false;
    }
    return SD_RSP_R1;
}

/* A data block the card takes and does nothing with (CMD27 applies its
 * writable bits, CMD42 fails, CMD56 drops). */
static SDRsp sd_cmd_take_block(SDCard *sd, uint32_t len)
{
    if (sd->state != SD_STATE_TRAN) {
        return SD_RSP_ILLEGAL;
    }
    if (len > SD_DATA_BUF_LEN) {
        sd->status |= SD_CS_BLOCK_LEN_ERROR;
        return SD_RSP_R1;
    }
    sd->data_kind = SD_DATA_WRITE_REG;
    sd->data_len = len;
    sd->data_pos = 0;
    sd->multi = false;
    sd->state = SD_STATE_RCV;
    return SD_RSP_R1;
}

static SDRsp sd_cmd_stop(SDCard *sd)
{
    switch (sd->state) {
    case SD_STATE_DATA:
    case SD_STATE_RCV:
        sd_data_stop(sd);
        sd->blk_count = 0;
        sd->state = SD_STATE_TRAN;      /* through prg: programming is instant */
        return SD_RSP_R1;
    default:
        return SD_RSP_ILLEGAL;
    }
}

/* Commands in the identification mode and the basic class. */
static SDRsp sd_cmd_ident(SDCard *sd, uint8_t cmd, uint32_t arg)
{
    switch (cmd) {
    case 2:                                     /* ALL_SEND_CID */
        if (sd->state != SD_STATE_READY) {
            return SD_RSP_ILLEGAL;
        }
        sd->state = SD_STATE_IDENT;
        return SD_RSP_R2_CID;
    case 3:                                     /* SEND_RELATIVE_ADDR */
        if (sd->state != SD_STATE_IDENT && sd->state != SD_STATE_STBY) {
            return SD_RSP_ILLEGAL;
        }
        sd->rca = SD_RCA_DEFAULT;
        sd->state = SD_STATE_STBY;
        return SD_RSP_R6;
    case 4:                                     /* SET_DSR: no DSR */
        return sd->state == SD_STATE_STBY ? SD_RSP_NONE : SD_RSP_ILLEGAL;
    case 8:                                     /* SEND_IF_COND */
        if (sd->spec_version < 2 || sd->state != SD_STATE_IDLE) {
            return SD_RSP_ILLEGAL;
        }
        if ((arg & SD_CMD8_VHS_MASK) != SD_CMD8_VHS_27_36) {
            return SD_RSP_NONE;                 /* voltage not accepted */
        }
        return SD_RSP_R7;
    case 9:                                     /* SEND_CSD */
    case 10:                                    /* SEND_CID */
        if (sd->state != SD_STATE_STBY) {
            return SD_RSP_ILLEGAL;
        }
        if (!sd_rca_matches(sd, arg)) {
            return SD_RSP_NONE;
        }
        return cmd == 9 ? SD_RSP_R2_CSD : SD_RSP_R2_CID;
    case 13:                                    /* SEND_STATUS */
        if (sd->state < SD_STATE_STBY || sd->state > SD_STATE_DIS) {
            return SD_RSP_ILLEGAL;
        }
        return sd_rca_matches(sd, arg) ? SD_RSP_R1 : SD_RSP_NONE;
    case 15:                                    /* GO_INACTIVE_STATE */
        if (sd->state < SD_STATE_STBY || sd->state > SD_STATE_DIS) {
            return SD_RSP_ILLEGAL;
        }
        if (sd_rca_matches(sd, arg)) {
            sd_data_stop(sd);
            sd->state = SD_STATE_INACTIVE;
        }
        return SD_RSP_NONE;
    default:
        return SD_RSP_ILLEGAL;
    }
}

/* Block, erase and protection commands of the transfer state. */
static SDRsp sd_cmd_tran(SDCard *sd, uint8_t cmd, uint32_t arg)
{
    switch (cmd) {
    case 16:                                    /* SET_BLOCKLEN */
        if (sd->state != SD_STATE_TRAN) {
            return SD_RSP_ILLEGAL;
        }
        if (arg == 0 || arg > SD_DATA_BUF_LEN) {
            sd->status |= SD_CS_BLOCK_LEN_ERROR;
        } else {
            sd->blk_len = arg;
        }
        return SD_RSP_R1;
    case 17:
    case 18:
        return sd_cmd_read(sd, arg, cmd == 18);
    case 23:                                    /* SET_BLOCK_COUNT */
        if (!sd_cmd23_supported(sd) || sd->state != SD_STATE_TRAN) {
            return SD_RSP_ILLEGAL;
        }
        sd->blk_count = arg;
        return SD_RSP_R1;
    case 24:
    case 25:
        return sd_cmd_write(sd, arg, cmd == 25);
    case 27:                                    /* PROGRAM_CSD */
        return sd_cmd_take_block(sd, sizeof(sd->csd));
    case 28:                                    /* SET_WRITE_PROT */
    case 29:                                    /* CLR_WRITE_PROT */
        if (sd->high_capacity || sd->state != SD_STATE_TRAN) {
            return SD_RSP_ILLEGAL;
        }
        if (arg >= sd->size) {
            sd->status |= SD_CS_OUT_OF_RANGE;
        }
        return SD_RSP_R1;
    case 30: {                                  /* SEND_WRITE_PROT */
        static const uint8_t none[SD_WP_STATUS_LEN];
        if (sd->high_capacity || sd->state != SD_STATE_TRAN) {
            return SD_RSP_ILLEGAL;
        }
        if (arg >= sd->size) {
            sd->status |= SD_CS_OUT_OF_RANGE;
            return SD_RSP_R1;
        }
        sd_send_reg(sd, none, sizeof(none));
        return SD_RSP_R1;
    }
    case 32:
    case 33:
        return sd_cmd_erase_addr(sd, arg, cmd == 33);
    case 38:
        return sd_cmd_erase(sd);
    case 42:                                    /* LOCK_UNLOCK */
        return sd_cmd_take_block(sd, sd->blk_len);
    case 56:                                    /* GEN_CMD */
        if (arg & 1) {
            static const uint8_t zeros[SD_DATA_BUF_LEN];
            if (sd->state != SD_STATE_TRAN) {
                return SD_RSP_ILLEGAL;
            }
            sd_send_reg(sd, zeros, sd->blk_len);
            return SD_RSP_R1;
        }
        return sd_cmd_take_block(sd, sd->blk_len);
    default:
        return SD_RSP_ILLEGAL;
    }
}

static SDRsp sd_normal_command(SDCard *sd, uint8_t cmd, uint32_t arg)
{
    switch (cmd) {
    case 0:                                     /* GO_IDLE_STATE */
        if (sd->state != SD_STATE_INACTIVE) {
            sd_reset_card(sd);
        }
        return SD_RSP_NONE;
    case 6:
        return sd_cmd_switch(sd, arg);
    case 7:
        return sd_cmd_select(sd, arg);
    case 12:
        return sd_cmd_stop(sd);
    case 55:                                    /* APP_CMD */
        if (sd->state == SD_STATE_READY || sd->state == SD_STATE_IDENT ||
            sd->state == SD_STATE_INACTIVE) {
            return SD_RSP_ILLEGAL;
        }
        if (!sd_rca_matches(sd, arg)) {
            return SD_RSP_NONE;
        }
        sd->expecting_acmd = true;
        sd->status |= SD_CS_APP_CMD;
        return SD_RSP_R1;
    case 2: case 3: case 4: case 8: case 9: case 10: case 13: case 15:
        return sd_cmd_ident(sd, cmd, arg);
    default:
        return sd_cmd_tran(sd, cmd, arg);
    }
}

/* ACMD41 (section 4.2.3): the first with a voltage window powers the card
 * up at once; an SDHC card stays busy for a host that does not set HCS. */
static SDRsp sd_acmd_op_cond(SDCard *sd, uint32_t arg)
{
    if (sd->state != SD_STATE_IDLE) {
        return SD_RSP_ILLEGAL;
    }
    if (!(arg & SD_OCR_VDD_WINDOW & sd->ocr)) {
        return SD_RSP_R3;                       /* an enquiry */
    }
    if (sd->high_capacity && !(arg & SD_ACMD41_HCS)) {
        return SD_RSP_R3;
    }
    sd->ocr |= SD_OCR_POWER_UP | (sd->high_capacity ? SD_OCR_CCS : 0);
    sd->state = SD_STATE_READY;
    return SD_RSP_R3;
}

static SDRsp sd_app_command(SDCard *sd, uint8_t cmd, uint32_t arg)
{
    uint8_t reg[SD_NUM_WR_LEN];

    sd->status |= SD_CS_APP_CMD;
    switch (cmd) {
    case 6:                                     /* SET_BUS_WIDTH */
        if (sd->state != SD_STATE_TRAN) {
            return SD_RSP_ILLEGAL;
        }
        sd->bus_4bit = (arg & 3) == 2;
        return SD_RSP_R1;
    case 13:                                    /* SD_STATUS */
        if (sd->state != SD_STATE_TRAN) {
            return SD_RSP_ILLEGAL;
        }
        sd_set_sd_status(sd);
        sd_send_reg(sd, sd->sd_status, SD_STATUS_LEN);
        return SD_RSP_R1;
    case 22:                                    /* SEND_NUM_WR_BLOCKS */
        if (sd->state != SD_STATE_TRAN) {
            return SD_RSP_ILLEGAL;
        }
        st_be32(reg, sd->blocks_done);
        sd_send_reg(sd, reg, sizeof(reg));
        return SD_RSP_R1;
    case 23:                                    /* SET_WR_BLK_ERASE_COUNT */
        if (sd->state != SD_STATE_TRAN) {
            return SD_RSP_ILLEGAL;
        }
        sd->pre_erase = arg & 0x7fffff;
        return SD_RSP_R1;
    case 41:
        return sd_acmd_op_cond(sd, arg);
    case 42:                                    /* SET_CLR_CARD_DETECT */
        return sd->state == SD_STATE_TRAN ? SD_RSP_R1 : SD_RSP_ILLEGAL;
    case 51:                                    /* SEND_SCR */
        if (sd->state != SD_STATE_TRAN) {
            return SD_RSP_ILLEGAL;
        }
        sd_send_reg(sd, sd->scr, SD_SCR_LEN);
        return SD_RSP_R1;
    case 18: case 25: case 26: case 38:         /* security: none */
    case 43: case 44: case 45: case 46: case 47: case 48: case 49:
        return SD_RSP_ILLEGAL;
    default:
        /* Not an application command: taken as the standard one. */
        return sd_normal_command(sd, cmd, arg);
    }
}

size_t sd_do_command(SDCard *sd, uint8_t cmd, uint32_t arg, uint8_t resp[16])
{
    SDCardState before = sd->state;
    SDRsp rsp;

    object_touch(&sd->obj);
    cmd &= 0x3f;
    if (!sd_inserted(sd)) {
        return 0;
    }
    if (sd->expecting_acmd) {
        sd->expecting_acmd = false;
        rsp = sd_app_command(sd, cmd, arg);
    } else {
        rsp = sd_normal_command(sd, cmd, arg);
    }
    if (rsp == SD_RSP_ILLEGAL) {
        guest_error("sd-card: CMD%u (arg 0x%08" PRIx32 ") illegal in state %d",
                    cmd, arg, before);
        sd->status |= SD_CS_ILLEGAL_COMMAND;
        return 0;
    }
    /* R1 reports the state the command was received in (section 4.10.1). */
    sd->current_cmd = cmd;
    sd->status = (sd->status & ~SD_CS_STATE_MASK) |
                 ((uint32_t)(before & 0xf) << SD_CS_STATE_SHIFT);
    size_t len = 4;
    switch (rsp) {
    case SD_RSP_R1:
        sd_r1(sd, resp);
        break;
    case SD_RSP_R2_CID:
        memcpy(resp, sd->cid, 16);
        len = 16;
        break;
    case SD_RSP_R2_CSD:
        memcpy(resp, sd->csd, 16);
        len = 16;
        break;
    case SD_RSP_R3:
        st_be32(resp, sd->ocr);
        break;
    case SD_RSP_R6:
        sd_r6(sd, resp);
        break;
    case SD_RSP_R7:
        st_be32(resp, arg & SD_CMD8_ECHO_MASK);
        break;
    default:
        len = 0;
        break;
    }
    /* B bits go with a valid command; APP_CMD once the ACMD answered. */
    sd->status &= ~SD_CS_CLEAR_ON_VALID;
    if (!sd->expecting_acmd) {
        sd->status &= ~SD_CS_APP_CMD;
    }
    return len;
}

bool sd_inserted(const SDCard *sd)
{
    return sd && sd->blk && sd->blk->has_medium;
}

bool sd_read_only(const SDCard *sd)
{
    return sd && blk_is_read_only(sd->blk);
}

/* ---------------------------------------------------------------------- */
/* Object                                                                  */

static void sd_reset(Object *obj)
{
    sd_reset_card((SDCard *)obj);
}

static void sd_init(Object *obj)
{
    SDCard *sd = (SDCard *)obj;

    sd->spec_version = 2;
}

static bool sd_realize(Object *obj, Machine *m, char **errp)
{
    SDCard *sd = (SDCard *)obj;

    if (sd->spec_version < 1 || sd->spec_version > 3) {
        *errp = g_strdup_printf("sd-card: spec_version must be 1, 2 or 3, not %u",
                                sd->spec_version);
        return false;
    }
    if (sd->spi) {
        *errp = g_strdup("sd-card: SPI mode (spi=on) is not supported");
        return false;
    }
    SDHCIState *host = sdhci_find_free_bus(m);
    if (!host) {
        *errp = g_strdup("sd-card: no SD bus with a free slot (give -device sdhci-pci first)");
        return false;
    }
    if (sd->drive_id) {
        sd->blk = blk_lookup(m, sd->drive_id, errp);
        if (!sd->blk || !blk_attach(sd->blk, obj, errp)) {
            return false;
        }
    }
    sd->size = blk_size(sd->blk);
    if (sd->size && (sd->size & (sd->size - 1))) {
        *errp = g_strdup_printf("sd-card: invalid SD card size %" PRIu64
                                ": it must be a power of 2", sd->size);
        return false;
    }
    sd->high_capacity = sd->size > SD_SDSC_MAX_SIZE;
    sdhci_attach_card(host, sd);
    sd_reset_card(sd);
    return true;
}

static const Property sd_props[] = {
    { "drive", PROP_STR, offsetof(SDCard, drive_id), "id of the -drive holding the card's data" },
    { "spec_version", PROP_U8, offsetof(SDCard, spec_version),
      "SD Physical Layer version: 1 (1.10), 2 (2.00, default), 3 (3.01)" },
    { "spi", PROP_BOOL, offsetof(SDCard, spi), "SPI mode (not supported)" },
    { .name = NULL },
};

const TypeInfo sd_card_type = {
    .name = TYPE_SD_CARD,
    .desc = "SD memory card (on an SD host controller's bus)",
    OBJECT_INSTANCE(SDCard),
    .user_creatable = true,
    .props = sd_props,
    .init = sd_init,
    .realize = sd_realize,
    .reset = sd_reset,
};
