/* SPDX-License-Identifier: MIT */
/*
 * The 82078's command set (datasheet "Command Set Descriptions" and the
 * command summary table): each command's bytes, what it does, its result.
 * An opcode the chip does not know answers one result byte, ST0 = 0x80
 * ("Invalid Command"), without an interrupt; the 82077's SCAN commands and
 * FORMAT AND WRITE are not 82078 commands and answer so. The medium holds
 * 512-byte sectors with normal data marks only: a command naming another
 * size finds no data, READ DELETED DATA sees control marks.
 */
#include <string.h>

#include "emu/log.h"
#include "hw/block/fdc-internal.h"

#define FDC_VERSION_82078 0x90      /* VERSION: an enhanced controller */
#define FDC_PART_ID 0x41            /* PART ID: 82078, stepping 1 (QEMU's) */
#define FDC_LOCK_BIT 0x80
#define FDC_LOCK_RESULT 0x10
#define FDC_PERP_OW 0x80
#define FDC_PERP_D 0x3c
#define FDC_PERP_GAP_WGATE 0x03
#define FDC_RSEEK_DIR 0x40           /* RELATIVE SEEK: 1 = step in */
#define FDC_VERIFY_EC 0x80           /* VERIFY: DTL is a sector count */
#define FDC_DSPEC_DONE 0x80
#define FDC_DSPEC_NRP 0x40
#define FDC_DSPEC_BITS 0x7c
#define FDC_DSPEC_MAX 6              /* opcode, four drives, the done byte */
#define FDC_SAVE_LEN 16
#define FDC_DUMPREG_LEN 10

static unsigned fdc_cmd_unit(const FdcState *s)
{
    return s->fifo[1] & FDC_ST0_DS;
}

static unsigned fdc_cmd_head(const FdcState *s)
{
    return (s->fifo[1] & FDC_CMD_HDS) ? 1 : 0;
}

static FdcDrive *fdc_present(FdcState *s, unsigned unit)
{
    FdcDrive *d = fdc_drive(s, unit);

    return d && d->dev ? d : NULL;
}

static void fdc_result1(FdcState *s, uint8_t val)
{
    s->fifo[0] = val;
    fdc_to_result(s, 1, false);
}

static void fdc_cmd_invalid(FdcState *s)
{
    guest_error("fdc: invalid command 0x%02x", s->fifo[0]);
    fdc_result1(s, FDC_ST0_INVALID);
}

/* ---- Housekeeping commands ----------------------------------------------- */

static void fdc_cmd_specify(FdcState *s)
{
    s->srt_hut = s->fifo[1];
    s->hlt_nd = s->fifo[2];
    fdc_to_command(s);
}

static void fdc_cmd_configure(FdcState *s)
{
    s->config = s->fifo[2] & (FDC_CFG_EIS | FDC_CFG_EFIFO | FDC_CFG_POLL | FDC_CFG_FIFOTHR);
    s->pretrk = s->fifo[3];
    fdc_to_command(s);
}

static void fdc_cmd_version(FdcState *s)
{
    fdc_result1(s, FDC_VERSION_82078);
}

static void fdc_cmd_part_id(FdcState *s)
{
    fdc_result1(s, FDC_PART_ID);
}

static void fdc_cmd_lock(FdcState *s)
{
    s->lock = s->fifo[0] & FDC_LOCK_BIT;
    fdc_result1(s, s->lock ? FDC_LOCK_RESULT : 0);
}

/* Datasheet "Perpendicular Mode Command": OW set writes D3-D0; GAP and
 * WGATE are written every time. */
static void fdc_cmd_perpendicular(FdcState *s)
{
    uint8_t val = s->fifo[1];

    if (val & FDC_PERP_OW) {
        s->perp = (s->perp & ~FDC_PERP_D) | (val & FDC_PERP_D);
    }
    s->perp = (s->perp & ~FDC_PERP_GAP_WGATE) | (val & FDC_PERP_GAP_WGATE);
    fdc_to_command(s);
}

static void fdc_cmd_powerdown(FdcState *s)
{
    s->powerdown = s->fifo[1] & 0x03;       /* AUTO PD, MIN DLY */
    fdc_result1(s, s->powerdown);
}

static void fdc_cmd_option(FdcState *s)
{
    s->option = s->fifo[1] & 0x01;          /* ISO format */
    fdc_to_command(s);
}

static uint8_t fdc_track_of(FdcState *s, unsigned unit)
{
    FdcDrive *d = fdc_drive(s, unit);

    return d ? d->track : 0;
}

/* Bytes 0-9 of DUMPREG are bytes 2-11 of SAVE. */
static void fdc_fill_regs(FdcState *s, uint8_t *out)
{
    for (unsigned u = 0; u < FDC_UNITS; u++) {
        out[u] = fdc_track_of(s, u);
    }
    out[4] = s->srt_hut;
    out[5] = s->hlt_nd;
    out[6] = s->eot;
    out[7] = (s->lock ? FDC_LOCK_BIT : 0) | s->perp;
    out[8] = s->config;
    out[9] = s->pretrk;
}

static void fdc_cmd_dumpreg(FdcState *s)
{
    fdc_fill_regs(s, s->fifo);
    fdc_to_result(s, FDC_DUMPREG_LEN, false);
}

/* Datasheet "Save Command": what a RESTORE needs to bring the chip back.
 * Our layout of the 16 bytes: DSR precompensation and rate; OPTION's ISO
 * bit and POWERDOWN's two bits above it; the ten DUMPREG bytes; the four
 * drive specifications. RESTORE takes the same 16 bytes back. */
static void fdc_cmd_save(FdcState *s)
{
    uint8_t out[FDC_SAVE_LEN] = {0};

    out[0] = s->dsr & (FDC_DSR_PRECOMP | FDC_DSR_RATE);
    out[1] = s->option | s->powerdown << 1;
    fdc_fill_regs(s, &out[2]);
    memcpy(&out[12], s->drive_spec, FDC_UNITS);
    memcpy(s->fifo, out, sizeof(out));
    fdc_to_result(s, FDC_SAVE_LEN, false);
}

static void fdc_cmd_restore(FdcState *s)
{
    const uint8_t *in = &s->fifo[1];

    s->dsr = (s->dsr & ~(FDC_DSR_PRECOMP | FDC_DSR_RATE)) |
             (in[0] & (FDC_DSR_PRECOMP | FDC_DSR_RATE));
    s->option = in[1] & 0x01;
    s->powerdown = (in[1] >> 1) & 0x03;
    for (unsigned u = 0; u < FDC_MAX_DRIVES; u++) {
        s->drv[u].track = in[2 + u];
    }
    s->srt_hut = in[6];
    s->hlt_nd = in[7];
    s->eot = in[8];
    s->lock = in[9] & FDC_LOCK_BIT;
    s->perp = in[9] & (FDC_PERP_D | FDC_PERP_GAP_WGATE);
    s->config = in[10] & 0x7f;
    s->pretrk = in[11];
    for (unsigned u = 0; u < FDC_UNITS; u++) {
        s->drive_spec[u] = in[12 + u] & FDC_DSPEC_BITS;
    }
    fdc_to_command(s);
}

/* Datasheet "Drive Specification Command": one byte a drive (bits 6-2 its
 * specification, 1-0 the drive) until a byte with DONE; NRP skips the four
 * result bytes. Five bytes without DONE: invalid. */
static void fdc_cmd_drive_spec(FdcState *s)
{
    uint8_t last = s->fifo[s->fifo_pos - 1];

    if (!(last & FDC_DSPEC_DONE)) {
        fdc_cmd_invalid(s);
        return;
    }
    for (uint32_t i = 1; i + 1 < s->fifo_pos; i++) {
        s->drive_spec[s->fifo[i] & FDC_ST0_DS] = s->fifo[i] & FDC_DSPEC_BITS;
    }
    if (last & FDC_DSPEC_NRP) {
        fdc_to_command(s);
        return;
    }
    memcpy(s->fifo, s->drive_spec, FDC_UNITS);
    fdc_to_result(s, FDC_UNITS, false);
}

/* ---- Seeks and status ---------------------------------------------------- */

static void fdc_cmd_recalibrate(FdcState *s)
{
    unsigned unit = fdc_cmd_unit(s);
    FdcDrive *d = fdc_present(s, unit);

    s->cur = unit;
    if (!d) {
        /* Datasheet "Recalibrate": no TRK0 after the step pulses. */
        fdc_seek_done(s, unit, FDC_ST0_SE | FDC_ST0_ABNORMAL | FDC_ST0_EC);
        return;
    }
    fdc_drive_step(d, 0);
    fdc_seek_done(s, unit, FDC_ST0_SE);
}

static void fdc_cmd_seek(FdcState *s)
{
    unsigned unit = fdc_cmd_unit(s);
    FdcDrive *d = fdc_present(s, unit);

    s->cur = unit;
    if (d) {
        d->head = fdc_cmd_head(s);
        fdc_drive_step(d, s->fifo[2]);
    }
    fdc_seek_done(s, unit, FDC_ST0_SE);
}

/* Datasheet "Relative Seek": EC when it would step out past track 0. */
static void fdc_cmd_relative_seek(FdcState *s)
{
    unsigned unit = fdc_cmd_unit(s);
    FdcDrive *d = fdc_present(s, unit);
    uint8_t st0 = FDC_ST0_SE;

    s->cur = unit;
    if (d) {
        int track = d->track + ((s->fifo[0] & FDC_RSEEK_DIR) ? s->fifo[2] : -s->fifo[2]);
        if (track < 0) {
            track = 0;
            st0 |= FDC_ST0_EC;
        }
        d->head = fdc_cmd_head(s);
        fdc_drive_step(d, (uint8_t)MIN(track, 255));
    }
    fdc_seek_done(s, unit, st0);
}

/* Reset's ready-change reports first (one per drive), then the seeks that
 * ended, lowest drive first; nothing pending is an invalid command. */
static void fdc_cmd_sense_interrupt(FdcState *s)
{
    unsigned unit;

    if (s->reset_polls) {
        unit = FDC_RESET_POLLS - s->reset_polls;
        s->reset_polls--;
        s->fifo[0] = FDC_ST0_READY_CHANGE | unit;
    } else if (s->seek_pending) {
        for (unit = 0; !(s->seek_pending & (1u << unit)); unit++) {
        }
        s->seek_pending &= ~(1u << unit);
        s->fifo[0] = s->seek_st0[unit];
    } else {
        fdc_result1(s, FDC_ST0_INVALID);
        return;
    }
    s->fifo[1] = fdc_track_of(s, unit);
    fdc_to_result(s, 2, false);
}

static void fdc_cmd_sense_drive(FdcState *s)
{
    unsigned unit = fdc_cmd_unit(s);
    FdcDrive *d = fdc_present(s, unit);
    uint8_t st3 = unit | (fdc_cmd_head(s) ? FDC_ST3_HD : 0);

    if (d) {
        d->head = fdc_cmd_head(s);
        st3 |= FDC_ST3_RDY | FDC_ST3_TS;
        st3 |= d->track == 0 ? FDC_ST3_T0 : 0;
        /* No disk reads as protected, as a 3.5" drive's sensor does. */
        st3 |= (d->ro || !d->has_medium) ? FDC_ST3_WP : 0;
    }
    fdc_result1(s, st3);
}

/* ---- Data commands ------------------------------------------------------- */

/* Why the drive cannot read or write at all (ST0-ST2 set), or 0. Shared by
 * the transfers, READ ID and FORMAT. */
static bool fdc_medium_error(FdcState *s, FdcDrive *d, unsigned head)
{
    if (d) {
        d->head = head;         /* HDS picks the head; ST0 reports it */
    }
    if (!d) {
        s->st0 = FDC_ST0_ABNORMAL | FDC_ST0_NR;
        return true;
    }
    if (!d->has_medium || !(s->fifo[0] & FDC_CMD_MFM) ||
        (s->dsr & FDC_DSR_RATE) != d->media_rate || head >= d->heads) {
        /* No disk, FM on MFM media, the wrong data rate, no such side:
         * no address mark is ever found. */
        s->st0 = FDC_ST0_ABNORMAL;
        s->st1 = FDC_ST1_MA;
        return true;
    }
    return false;
}

/* Datasheet "Read Data": the head must be on cylinder C (or get there by
 * an implied seek), and the ID field must match C, H, R and N. */
static bool fdc_id_error(FdcState *s, FdcDrive *d, unsigned head)
{
    uint8_t c = s->fifo[2], h = s->fifo[3], r = s->fifo[4], n = s->fifo[5];

    if (s->config & FDC_CFG_EIS) {
        fdc_drive_step(d, c);
    }
    d->head = head;
    if (d->track != c) {
        s->st2 = FDC_ST2_WC;
    } else if (h == head && n == FDC_SECTOR_CODE && r >= 1 && r <= d->last_sect &&
               d->track < d->max_track) {
        return false;
    }
    s->st0 = FDC_ST0_ABNORMAL;
    s->st1 = FDC_ST1_ND;
    return true;
}

static void fdc_begin_transfer(FdcState *s)
{
    unsigned unit = fdc_cmd_unit(s);

    s->cur = unit;
    s->st0 = s->st1 = s->st2 = 0;
    memcpy(s->id, &s->fifo[2], 4);
    s->eot_sect = s->fifo[6];
    s->eot = s->fifo[6];
    s->multi_track = s->fifo[0] & FDC_CMD_MT;
    s->single_sector = false;
}

/* The checks of a data command; the drive, or NULL with the command
 * ended. */
static FdcDrive *fdc_transfer_check(FdcState *s, bool write)
{
    unsigned head = fdc_cmd_head(s);
    FdcDrive *d;

    fdc_begin_transfer(s);
    d = fdc_present(s, s->cur);
    if (fdc_medium_error(s, d, head) || fdc_id_error(s, d, head)) {
        fdc_end_transfer(s);
        return NULL;
    }
    if (write && d->ro) {
        s->st0 = FDC_ST0_ABNORMAL;
        s->st1 = FDC_ST1_NW;
        fdc_end_transfer(s);
        return NULL;
    }
    return d;
}

/* READ DATA, READ DELETED DATA, READ TRACK, WRITE DATA, WRITE DELETED. */
static void fdc_transfer(FdcState *s, FdcXfer xfer)
{
    if (!fdc_transfer_check(s, xfer == FDC_XFER_WRITE)) {
        return;
    }
    fdc_start_exec(s, xfer);
    if (xfer == FDC_XFER_READ && !fdc_load_sector(s)) {
        fdc_end_transfer(s);
    }
}

static void fdc_cmd_read(FdcState *s)
{
    fdc_transfer(s, FDC_XFER_READ);
}

static void fdc_cmd_write(FdcState *s)
{
    fdc_transfer(s, FDC_XFER_WRITE);
}

/* Every sector holds a normal data mark: READ DELETED DATA sees a control
 * mark; with SK it skips every sector, without it reads the first and
 * stops (datasheet "Read Deleted Data"). */
static void fdc_cmd_read_deleted(FdcState *s)
{
    if (s->fifo[0] & FDC_CMD_SK) {
        fdc_begin_transfer(s);
        s->st2 = FDC_ST2_CM;
        s->id[0]++;
        s->id[2] = 1;
        fdc_end_transfer(s);
        return;
    }
    fdc_transfer(s, FDC_XFER_READ);
    if (s->phase == FDC_PHASE_EXEC) {
        s->st2 = FDC_ST2_CM;
        s->single_sector = true;
    }
}

/* READ TRACK reads from the index (sector 1) to EOT, one side. */
static void fdc_cmd_read_track(FdcState *s)
{
    s->fifo[4] = 1;
    s->fifo[0] &= ~FDC_CMD_MT;
    fdc_transfer(s, FDC_XFER_READ);
}

/* VERIFY reads and checks without moving data (no execution phase);
 * EC: DTL sectors. Each side has at most 255 sectors. */
static void fdc_cmd_verify(FdcState *s)
{
    unsigned count = (s->fifo[1] & FDC_VERIFY_EC) ? s->fifo[8] : 0;
    bool more;

    if (count) {
        s->fifo[6] = (uint8_t)MIN(s->fifo[4] + count - 1, 255);
    }
    if (!fdc_transfer_check(s, false)) {
        return;
    }
    s->xfer = FDC_XFER_READ;
    more = fdc_load_sector(s);
    for (unsigned i = 0; more && i < 2 * 256; i++) {
        more = fdc_next_sector(s);
    }
    fdc_end_transfer(s);
}

/* FORMAT TRACK: N, SC, GPL, D; then C H R N per sector from the host. */
static void fdc_cmd_format(FdcState *s)
{
    unsigned head = fdc_cmd_head(s);
    FdcDrive *d;
    uint8_t n = s->fifo[2], sc = s->fifo[3];

    fdc_begin_transfer(s);
    d = fdc_present(s, s->cur);
    s->id[0] = d ? d->track : 0;
    s->id[1] = head;
    s->id[2] = 1;
    s->id[3] = n;
    s->eot = sc;
    s->fill = s->fifo[5];
    s->sectors_left = sc;
    if (fdc_medium_error(s, d, head)) {
        fdc_end_transfer(s);
        return;
    }
    if (d->ro) {
        s->st0 = FDC_ST0_ABNORMAL;
        s->st1 = FDC_ST1_NW;
        fdc_end_transfer(s);
        return;
    }
    d->head = head;
    if (sc == 0) {
        fdc_end_transfer(s);
        return;
    }
    fdc_start_exec(s, FDC_XFER_FORMAT);
}

/* READ ID: the next ID field under the head, after a revolution's wait. */
static void fdc_cmd_read_id(FdcState *s)
{
    unsigned head = fdc_cmd_head(s);
    FdcDrive *d;

    fdc_begin_transfer(s);
    d = fdc_present(s, s->cur);
    fdc_medium_error(s, d, head);
    s->id[0] = d ? d->track : 0;
    s->id[1] = head;
    s->id[2] = d ? d->sect : 1;
    s->id[3] = FDC_SECTOR_CODE;
    fdc_start_exec(s, FDC_XFER_WAIT);
}

void fdc_read_id_done(FdcState *s)
{
    fdc_end_transfer(s);
}

/* ---- The table ----------------------------------------------------------- */

/* Exact opcodes first, then those with MT/MFM/SK bits. */
static const FdcCommand fdc_commands[] = {
    {0x03, 0xff, 3, "SPECIFY", fdc_cmd_specify},
    {0x04, 0xff, 2, "SENSE DRIVE STATUS", fdc_cmd_sense_drive},
    {0x07, 0xff, 2, "RECALIBRATE", fdc_cmd_recalibrate},
    {0x08, 0xff, 1, "SENSE INTERRUPT STATUS", fdc_cmd_sense_interrupt},
    {0x0e, 0xff, 1, "DUMPREG", fdc_cmd_dumpreg},
    {0x0f, 0xff, 3, "SEEK", fdc_cmd_seek},
    {0x10, 0xff, 1, "VERSION", fdc_cmd_version},
    {0x12, 0xff, 2, "PERPENDICULAR MODE", fdc_cmd_perpendicular},
    {0x13, 0xff, 4, "CONFIGURE", fdc_cmd_configure},
    {0x17, 0xff, 2, "POWERDOWN MODE", fdc_cmd_powerdown},
    {0x18, 0xff, 1, "PART ID", fdc_cmd_part_id},
    {0x2e, 0xff, 1, "SAVE", fdc_cmd_save},
    {0x33, 0xff, 2, "OPTION", fdc_cmd_option},
    {0x4e, 0xff, 17, "RESTORE", fdc_cmd_restore},
    {0x8e, 0xff, FDC_DSPEC_MAX, "DRIVE SPECIFICATION", fdc_cmd_drive_spec},
    {0x14, 0x7f, 1, "LOCK", fdc_cmd_lock},
    {0x8f, 0xbf, 3, "RELATIVE SEEK", fdc_cmd_relative_seek},
    {0x02, 0xbf, 9, "READ TRACK", fdc_cmd_read_track},
    {0x0a, 0xbf, 2, "READ ID", fdc_cmd_read_id},
    {0x0d, 0xbf, 6, "FORMAT TRACK", fdc_cmd_format},
    {0x05, 0x3f, 9, "WRITE DATA", fdc_cmd_write},
    {0x09, 0x3f, 9, "WRITE DELETED DATA", fdc_cmd_write},
    {0x06, 0x1f, 9, "READ DATA", fdc_cmd_read},
    {0x0c, 0x1f, 9, "READ DELETED DATA", fdc_cmd_read_deleted},
    {0x16, 0x1f, 9, "VERIFY", fdc_cmd_verify},
};

static const FdcCommand fdc_invalid = {0x00, 0x00, 1, "invalid", fdc_cmd_invalid};

const FdcCommand *fdc_find_command(uint8_t op)
{
    for (size_t i = 0; i < sizeof(fdc_commands) / sizeof(fdc_commands[0]); i++) {
        if ((op & fdc_commands[i].mask) == fdc_commands[i].code) {
            return &fdc_commands[i];
        }
    }
    return &fdc_invalid;
}

/* DRIVE SPECIFICATION ends early, at its DONE byte. */
bool fdc_command_complete(FdcState *s)
{
    if (s->cmd->exec == fdc_cmd_drive_spec && s->fifo_pos >= 2 &&
        (s->fifo[s->fifo_pos - 1] & FDC_DSPEC_DONE)) {
        return true;
    }
    return s->fifo_pos == s->fifo_len;
}
