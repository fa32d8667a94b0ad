/* SPDX-License-Identifier: MIT */
/*
 * The command side of an AHCI port (Serial ATA AHCI 1.3.1 section 5):
 * the command list walk (32 slots of 32-byte headers), the command table's
 * CFIS and ACMD, the PRDT as the data's scatter-gather list, the FISes a
 * device sends into the received-FIS area (D2H register, PIO setup, DMA
 * setup, set device bits), and NCQ (READ/WRITE FPDMA QUEUED, ATA8-ACS
 * 7.25 and 7.58). Non-queued commands run on the shared ATA/ATAPI command
 * sets of ata.c and atapi.c: the H2D FIS loads the task file and issues
 * the command, PIO blocks move between the device's buffer and the PRDT,
 * and DMA goes through this port's IDEDMAOps. A port runs from its bottom
 * half, one command at a time, every walk capped: PRDT entries by PRDTL
 * and the DMA budget, a run by AHCI_RUN_CAP steps.
 * Left out: port multipliers (PMP ignored), the R/C/B/P header bits (a
 * device-control FIS is taken at once), CCS (reads 0, as QEMU), NCQ error
 * recovery beyond TFES (READ LOG EXT 10h is not answered).
 */
#include "hw/ide/ahci.h"

#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"

#define AHCI_D2H_FIS_SIZE   20
#define AHCI_PIO_FIS_SIZE   20
#define AHCI_DMA_FIS_SIZE   28
#define AHCI_SDB_FIS_SIZE   8
#define AHCI_H2D_FIS_SIZE   20

static IDEDrive *ahci_drive(AHCIPort *p)
{
    return &p->bus.drive[0];
}

static PCIDevice *ahci_pci(AHCIPort *p)
{
    return &p->s->pci;
}

/* ---------------------------------------------------------------------- */
/* Received FISes (section 4.2.1)                                          */

/* A FIS lands in memory only while FIS receive runs (PxCMD.FR). */
static void ahci_fis_post(AHCIPort *p, unsigned off, const uint8_t *fis, size_t len)
{
    if (p->cmd & PORT_CMD_FR) {
        pci_dma_write(ahci_pci(p), p->fb + off, fis, len);
    }
}

static void ahci_tfd_from_drive(AHCIPort *p)
{
    IDEDrive *d = ahci_drive(p);

    p->tfd = ((uint32_t)d->error << 8) | d->status;
}

/* The task file registers as a device returns them (D2H and PIO setup
 * FIS share the layout of bytes 4-13). */
static void ahci_fis_taskfile(const IDEDrive *d, uint8_t *fis)
{
    fis[4] = d->sector;
    fis[5] = d->lcyl;
    fis[6] = d->hcyl;
    fis[7] = d->select;
    fis[8] = d->hob_sector;
    fis[9] = d->hob_lcyl;
    fis[10] = d->hob_hcyl;
    fis[12] = d->nsector;
    fis[13] = d->hob_nsector;
}

/* Register device-to-host FIS (SATA 10.3.5): the command's end or the
 * signature after a reset. Updates PxTFD; I set raises DHRS (and TFES on
 * an error). */
static void ahci_write_d2h(AHCIPort *p, bool irq)
{
    IDEDrive *d = ahci_drive(p);
    uint8_t fis[AHCI_D2H_FIS_SIZE] = { FIS_REG_D2H, irq ? 0x40 : 0, d->status, d->error };
    uint32_t bits = irq ? PORT_IRQ_DHRS : 0;

    ahci_fis_taskfile(d, fis);
    ahci_fis_post(p, RFIS_RFIS, fis, sizeof(fis));
    ahci_tfd_from_drive(p);
    if (d->status & IDE_STAT_ERR) {
        bits |= PORT_IRQ_TFES;
        p->err_stop = true;
    }
    if (bits) {
        ahci_port_irq(p, bits);
    }
}

/* The signature after a reset (3.3.9): the device's first D2H FIS, once
 * FIS receive runs (QEMU's hack: it is sent once, when FRE comes on), sets
 * PxSIG from its task file. */
void ahci_init_d2h(AHCIPort *p)
{
    IDEDrive *d = ahci_drive(p);

    if (p->cmd & PORT_CMD_FR) {
        p->sig = ((uint32_t)d->hcyl << 24) | ((uint32_t)d->lcyl << 16) |
                 ((uint32_t)d->sector << 8) | d->nsector;
        ahci_write_d2h(p, true);
        p->init_d2h_sent = true;
    }
}

/* PIO setup FIS (SATA 10.3.11) of a DRQ block of len bytes: D for device
 * to host, I on data-in blocks; the status as the block begins (DRQ) and
 * E_Status, the status once it has moved. */
static void ahci_write_pio_setup(AHCIPort *p, uint32_t len, bool in, uint8_t status,
                                 uint8_t end_status)
{
    IDEDrive *d = ahci_drive(p);
    uint8_t fis[AHCI_PIO_FIS_SIZE] = { FIS_PIO_SETUP, in ? 0x60 : 0, status, d->error };

    ahci_fis_taskfile(d, fis);
    fis[15] = end_status;
    st_le16(fis + 16, len);
    ahci_fis_post(p, RFIS_PSFIS, fis, sizeof(fis));
    p->tfd = ((uint32_t)d->error << 8) | end_status;
    if (in) {
        ahci_port_irq(p, PORT_IRQ_PSS);
    }
}

/* DMA setup FIS (SATA 10.3.8) for a queued command: the tag as the
 * buffer identifier, no interrupt. */
static void ahci_write_dma_setup(AHCIPort *p, unsigned tag, bool to_host, uint32_t bytes)
{
    uint8_t fis[AHCI_DMA_FIS_SIZE] = { FIS_DMA_SETUP, to_host ? 0x20 : 0 };

    st_le32(fis + 4, tag);
    st_le32(fis + 20, bytes);
    ahci_fis_post(p, RFIS_DSFIS, fis, sizeof(fis));
}

/* Set device bits FIS (SATA 10.3.7): the tags done, with the status. */
static void ahci_write_sdb(AHCIPort *p, uint32_t done, uint8_t status, uint8_t error)
{
    uint8_t fis[AHCI_SDB_FIS_SIZE] = { FIS_SDB, 0x40, status & 0x77, error };
    uint32_t bits = PORT_IRQ_SDBS;

    st_le32(fis + 4, done);
    ahci_fis_post(p, RFIS_SDBFIS, fis, sizeof(fis));
    p->tfd = ((uint32_t)error << 8) | (p->tfd & 0x88) | (status & 0x77);
    p->sact &= ~done;
    if (status & IDE_STAT_ERR) {
        bits |= PORT_IRQ_TFES;
        p->err_stop = true;
    }
    ahci_port_irq(p, bits);
}

/* ---------------------------------------------------------------------- */
/* PRDT (section 4.2.3.3)                                                  */

static void ahci_prdt_begin(AHCIPort *p, uint64_t ctba, uint16_t prdtl)
{
    p->ctba = ctba;
    p->prdtl = prdtl;
    p->prd_index = 0;
    p->prd_addr = 0;
    p->prd_left = 0;
    p->prd_irq = false;
    p->xferred = 0;
}

/* The next entry: DBA (word aligned) and DBC (bit 0 always one: an even
 * count up to 4 MiB); false past PRDTL or when the entry cannot be read. */
static bool ahci_prd_next(AHCIPort *p)
{
    uint8_t prd[PRD_SIZE_BYTES];
    uint32_t dbc;

    if (p->prd_index >= p->prdtl) {
        return false;
    }
    if (pci_dma_read(ahci_pci(p), p->ctba + CMDT_PRDT + (uint64_t)p->prd_index * PRD_SIZE_BYTES,
                     prd, sizeof(prd)) != MEMTX_OK) {
        return false;
    }
    p->prd_index++;
    dbc = ld_le32(prd + 12);
    p->prd_addr = ld_le64(prd) & ~1ull;
    p->prd_left = ((dbc & PRD_DBC_MASK) | 1) + 1;
    p->prd_irq = dbc & PRD_I;
    return true;
}

/* The PRDT's next pieces, up to len bytes, into sg (at most its
 * AHCI_SG_CHUNK entries). */
static void ahci_prdt_fill(AHCIPort *p, SGList *sg, size_t len)
{
    sg_clear(sg);
    while (sg_size(sg) < len && sg->nr < sg->max_entries) {
        if (!p->prd_left && !ahci_prd_next(p)) {
            break;
        }
        uint32_t l = MIN(p->prd_left, len - sg_size(sg));
        if (!sg_add(sg, p->prd_addr, l)) {
            break;
        }
        p->prd_addr += l;
        p->prd_left -= l;
        if (!p->prd_left && p->prd_irq) {
            p->is |= PORT_IRQ_DPS;      /* raised with the command's end */
        }
    }
}

/* Moves len bytes between buf and the PRDT, from where the command's
 * transfer stands; returns the bytes the table covered and the DMA moved.
 * A read that gets less leaves the rest of buf as it was. */
static size_t ahci_prdt_copy(AHCIPort *p, uint8_t *buf, size_t len, bool to_guest)
{
    /* The pieces of this call only: not port state, so not in the
     * instance the snapshot copies back. */
    SGEntry entries[AHCI_SG_CHUNK];
    SGList sg;
    size_t done = 0;

    sg_init(&sg, entries, AHCI_SG_CHUNK, UINT32_MAX);
    while (done < len) {
        size_t moved, want;
        ahci_prdt_fill(p, &sg, len - done);
        want = sg_size(&sg);
        if (!want) {
            break;
        }
        moved = to_guest ? pci_sg_write(ahci_pci(p), &sg, 0, buf + done, want)
                         : pci_sg_read(ahci_pci(p), &sg, 0, buf + done, want);
        done += moved;
        if (moved < want) {
            break;                      /* refused: the budget is spent */
        }
    }
    p->xferred += done;
    return done;
}

/* ---------------------------------------------------------------------- */
/* The DMA engine the device sees                                          */

/* Running while the port has a command in process: a DMA command's data
 * moves at once, as on SATA the device starts it. */
static bool ahci_dma_running(void *opaque)
{
    AHCIPort *p = opaque;
    return p->busy_slot >= 0;
}

static size_t ahci_dma_rw(void *opaque, uint8_t *buf, size_t len, bool to_guest)
{
    AHCIPort *p = opaque;
    size_t done = ahci_prdt_copy(p, buf, len, to_guest);

    if (!to_guest) {
        memset(buf + done, 0, len - done);
    }
    return done;
}

/* The device's DMA is over (a short table ends it without INTRQ): the
 * port completes the command from its bottom half. */
static void ahci_dma_end(void *opaque, bool error, bool short_table)
{
    AHCIPort *p = opaque;
    bh_schedule(&p->bh);
}

const IDEDMAOps ahci_dma_ops = {
    .running = ahci_dma_running,
    .rw = ahci_dma_rw,
    .end = ahci_dma_end,
};

/* ---------------------------------------------------------------------- */
/* Non-queued commands                                                     */

static void ahci_cmd_header_addr(AHCIPort *p, unsigned slot, uint64_t *addr)
{
    *addr = p->clb + (uint64_t)slot * CMDH_SIZE;
}

/* The command ends: PRDBC in its header, its D2H FIS, its CI bit, which
 * a failed command keeps (section 6.1.2: software finds it there, the
 * port stopped until ST is cleared). */
static void ahci_cmd_complete(AHCIPort *p, bool fis)
{
    unsigned slot = p->busy_slot;
    uint8_t prdbc[4];
    uint64_t hdr;

    ahci_cmd_header_addr(p, slot, &hdr);
    st_le32(prdbc, p->xferred);
    pci_dma_write(ahci_pci(p), hdr + CMDH_PRDBC, prdbc, sizeof(prdbc));
    p->busy_slot = -1;
    if (!fis) {
        p->ci &= ~(1u << slot);
        ahci_update_irq(p->s);          /* DPS, if a PRD asked for it */
        return;
    }
    if (!(ahci_drive(p)->status & IDE_STAT_ERR)) {
        p->ci &= ~(1u << slot);
    }
    ahci_write_d2h(p, true);
}

/* A drive left busy by a command the port gave up on: its transfer is
 * dropped and it is ready again. */
static void ahci_drive_idle(IDEDrive *d)
{
    if (d->status & (IDE_STAT_BSY | IDE_STAT_DRQ) || d->dma || blk_req_pending(&d->req)) {
        blk_req_cancel(&d->req);
        ide_abort(d);
        d->status = IDE_STAT_DRDY | IDE_STAT_DSC;
        d->error = 0;
    }
}

/* The H2D register FIS into the task file: the HOB halves first (the
 * registers shift their previous value there), the device bit cleared
 * (one device a port), then the command. */
static void ahci_issue_ata(AHCIPort *p, const uint8_t *fis)
{
    IDEBus *bus = &p->bus;

    ahci_drive_idle(ahci_drive(p));
    ide_reg_write(bus, IDE_REG_FEATURE, fis[11]);
    ide_reg_write(bus, IDE_REG_FEATURE, fis[3]);
    ide_reg_write(bus, IDE_REG_NSECTOR, fis[13]);
    ide_reg_write(bus, IDE_REG_NSECTOR, fis[12]);
    ide_reg_write(bus, IDE_REG_SECTOR, fis[8]);
    ide_reg_write(bus, IDE_REG_SECTOR, fis[4]);
    ide_reg_write(bus, IDE_REG_LCYL, fis[9]);
    ide_reg_write(bus, IDE_REG_LCYL, fis[5]);
    ide_reg_write(bus, IDE_REG_HCYL, fis[10]);
    ide_reg_write(bus, IDE_REG_HCYL, fis[6]);
    ide_reg_write(bus, IDE_REG_SELECT, fis[7] & ~IDE_SEL_DEV);
    ide_reg_write(bus, IDE_REG_COMMAND, fis[2]);
}

/* A device control FIS (C clear): SRST set resets the device; cleared,
 * the device sends its signature (ATA/ATAPI-6 9.2, AHCI 10.4.1). nIEN is
 * not kept: a SATA device signals the port by FIS, whatever it says. */
static void ahci_issue_control(AHCIPort *p, uint8_t ctl)
{
    bool was_reset = p->bus.devctl & IDE_CTL_SRST;

    ide_devctl_write(&p->bus, ctl & ~IDE_CTL_NIEN);
    if (was_reset && !(ctl & IDE_CTL_SRST)) {
        p->init_d2h_sent = false;
        ahci_init_d2h(p);
    }
}

static void ahci_ncq_queue(AHCIPort *p, unsigned slot, const uint8_t *fis);

/* Takes slot's command: a queued one goes to its tag, a device control
 * FIS is done at once, an ATA command is issued to the device. */
static void ahci_cmd_start(AHCIPort *p, unsigned slot)
{
    uint8_t hdr[CMDH_SIZE], fis[AHCI_H2D_FIS_SIZE];
    uint64_t addr;
    uint32_t opts;

    ahci_cmd_header_addr(p, slot, &addr);
    pci_dma_read(ahci_pci(p), addr, hdr, sizeof(hdr));
    opts = ld_le32(hdr);
    ahci_prdt_begin(p, ld_le64(hdr + 8) & ~0x7full, opts >> 16);
    pci_dma_read(ahci_pci(p), p->ctba + CMDT_CFIS, fis, sizeof(fis));
    p->busy_slot = slot;
    if ((opts & CMDH_CFL_MASK) < 2 || fis[0] != FIS_REG_H2D) {
        guest_error("ahci: port %u slot %u: FIS type 0x%x, %u dwords", p->index, slot,
                    fis[0], opts & CMDH_CFL_MASK);
        ahci_cmd_complete(p, false);
        return;
    }
    if (!(fis[1] & FIS_H2D_C)) {
        ahci_issue_control(p, fis[15]);
        ahci_cmd_complete(p, false);
        return;
    }
    if (fis[2] == ATA_READ_FPDMA || fis[2] == ATA_WRITE_FPDMA) {
        p->busy_slot = -1;
        p->ci &= ~(1u << slot);
        ahci_ncq_queue(p, slot, fis);
        return;
    }
    ahci_issue_ata(p, fis);
}

/* A PIO block the PRDT cannot hold (or the DMA budget refused): an
 * overflow (3.3.5 OFS), a fatal error: the command is dropped with its CI
 * bit kept, the device left idle, the port stopped until ST is cleared.
 * This also bounds the work one command asks of the port. */
static void ahci_pio_overflow(AHCIPort *p, uint32_t len)
{
    uint8_t prdbc[4];
    uint64_t hdr;

    guest_error("ahci: port %u: PRDT short of a %u-byte PIO block", p->index, len);
    ahci_cmd_header_addr(p, p->busy_slot, &hdr);
    st_le32(prdbc, p->xferred);
    pci_dma_write(ahci_pci(p), hdr + CMDH_PRDBC, prdbc, sizeof(prdbc));
    ahci_drive_idle(ahci_drive(p));
    p->busy_slot = -1;
    p->err_stop = true;
    ahci_port_irq(p, PORT_IRQ_OFS);
}

/* The device wants a PIO block moved: the packet from ACMD, data-out
 * from the PRDT, data-in to it; the PIO setup FIS tells both statuses. */
static void ahci_pio_block(AHCIPort *p, IDEDrive *d)
{
    uint32_t len = d->pio_end - d->pio_pos;
    uint8_t *data = d->buf + d->pio_pos;
    uint8_t status = d->status;
    bool out = ide_pio_is_out(d);

    if (d->pio_end_kind == IDE_PIO_PACKET) {
        pci_dma_read(ahci_pci(p), p->ctba + CMDT_ACMD, data, MIN(len, 16u));
        ide_pio_block_moved(&p->bus);
        return;
    }
    if (ahci_prdt_copy(p, data, len, !out) < len) {
        ahci_pio_overflow(p, len);
        return;
    }
    ide_pio_block_moved(&p->bus);
    ahci_write_pio_setup(p, len, !out, status, d->status);
}

/* Moves the command on: false while the device works (INTRQ or the
 * engine's end brings the port back), true when it moved a block or
 * ended the command. */
static bool ahci_cmd_advance(AHCIPort *p)
{
    IDEDrive *d = ahci_drive(p);

    if ((d->status & IDE_STAT_BSY) || blk_req_pending(&d->req) || d->dma) {
        return false;
    }
    if (d->status & IDE_STAT_DRQ) {
        if (d->pio_end_kind != IDE_PIO_NONE && d->pio_pos < d->pio_end) {
            ahci_pio_block(p, d);
            return true;
        }
        guest_error("ahci: port %u: device stuck with DRQ", p->index);
        ahci_drive_idle(d);
    }
    ahci_cmd_complete(p, true);
    return true;
}

/* ---------------------------------------------------------------------- */
/* NCQ                                                                     */

/* READ/WRITE FPDMA QUEUED: tag in count 7:3, sectors in the features
 * (0: 65536), a 48-bit LBA. The slot is free once the command is taken. */
static void ahci_ncq_queue(AHCIPort *p, unsigned slot, const uint8_t *fis)
{
    unsigned tag = fis[12] >> 3;
    AHCINCQ *q = &p->ncq[tag];
    uint32_t n = fis[3] | (uint32_t)fis[11] << 8;

    if (q->used) {
        guest_error("ahci: port %u: NCQ tag %u already in use", p->index, tag);
        return;
    }
    q->used = true;
    q->write = fis[2] == ATA_WRITE_FPDMA;
    q->slot = slot;
    q->lba = (uint64_t)fis[4] | (uint64_t)fis[5] << 8 | (uint64_t)fis[6] << 16 |
             (uint64_t)fis[8] << 24 | (uint64_t)fis[9] << 32 | (uint64_t)fis[10] << 40;
    q->left = n ? n : 65536;
}

static void ahci_ncq_error(AHCIPort *p, unsigned tag)
{
    IDEDrive *d = ahci_drive(p);

    p->ncq[tag].used = false;
    p->ncq_cur = -1;
    d->status = IDE_STAT_DRDY | IDE_STAT_ERR;
    d->error = IDE_ERR_ABRT | IDE_ERR_IDNF;
    ahci_write_sdb(p, 0, d->status, d->error);
}

/* The next piece of the tag's transfer: a write reads it from the PRDT
 * first; a read lands in the buffer and goes to the PRDT when done. */
static void ahci_ncq_submit(AHCIPort *p)
{
    IDEDrive *d = ahci_drive(p);
    AHCINCQ *q = &p->ncq[p->ncq_cur];
    size_t len;

    p->ncq_chunk = MIN(q->left, IDE_BUF_SIZE / IDE_SECTOR_SIZE);
    len = (size_t)p->ncq_chunk * IDE_SECTOR_SIZE;
    d->buf_live = MAX(d->buf_live, len);
    if (q->write && ahci_prdt_copy(p, d->buf, len, false) < len) {
        memset(d->buf, 0, len);
        guest_error("ahci: port %u: PRDT short of an NCQ write", p->index);
        ahci_ncq_error(p, p->ncq_cur);
        return;
    }
    if (!blk_req_submit(&p->ncq_req, d->blk, q->write ? BLK_OP_WRITE : BLK_OP_READ,
                        q->lba * IDE_SECTOR_SIZE, d->buf, len)) {
        emu_bug("ahci: NCQ request submitted twice");
    }
}

/* Starts the lowest waiting tag: its slot's PRDT, its range checked. */
static bool ahci_ncq_start(AHCIPort *p)
{
    IDEDrive *d = ahci_drive(p);
    uint8_t hdr[CMDH_SIZE];
    uint64_t addr;

    for (unsigned tag = 0; tag < AHCI_SLOTS; tag++) {
        AHCINCQ *q = &p->ncq[tag];
        if (!q->used) {
            continue;
        }
        p->ncq_cur = tag;
        ahci_cmd_header_addr(p, q->slot, &addr);
        pci_dma_read(ahci_pci(p), addr, hdr, sizeof(hdr));
        ahci_prdt_begin(p, ld_le64(hdr + 8) & ~0x7full, ld_le32(hdr) >> 16);
        if (d->kind != IDE_HD || q->lba > d->nb_sectors || q->left > d->nb_sectors - q->lba) {
            guest_error("ahci: port %u: NCQ tag %u: %u sectors at %llu past the medium",
                        p->index, tag, q->left, (unsigned long long)q->lba);
            ahci_ncq_error(p, tag);
            return true;
        }
        ahci_write_dma_setup(p, tag, !q->write, q->left * IDE_SECTOR_SIZE);
        ahci_ncq_submit(p);
        return true;
    }
    return false;
}

/* A piece of the tag's transfer completed (bottom half, the HBA entered). */
void ahci_ncq_done(void *opaque, int ret)
{
    AHCIPort *p = opaque;
    IDEDrive *d = ahci_drive(p);
    AHCINCQ *q;
    size_t len;

    if (p->ncq_cur < 0) {
        return;
    }
    q = &p->ncq[p->ncq_cur];
    len = (size_t)p->ncq_chunk * IDE_SECTOR_SIZE;
    if (ret < 0 || (!q->write && ahci_prdt_copy(p, d->buf, len, true) < len)) {
        guest_error("ahci: port %u: NCQ tag %d failed (%d)", p->index, p->ncq_cur, ret);
        ahci_ncq_error(p, p->ncq_cur);
        bh_schedule(&p->bh);
        return;
    }
    q->lba += p->ncq_chunk;
    q->left -= p->ncq_chunk;
    if (q->left) {
        ahci_ncq_submit(p);
        return;
    }
    q->used = false;
    d->status = IDE_STAT_DRDY | IDE_STAT_DSC;
    d->error = 0;
    ahci_write_sdb(p, 1u << p->ncq_cur, d->status, 0);
    p->ncq_cur = -1;
    bh_schedule(&p->bh);
}

/* ---------------------------------------------------------------------- */
/* The port's run                                                          */

/* ST cleared, a reset: the commands in process are dropped (their data
 * may have moved in part), the device left idle. */
void ahci_port_stop(AHCIPort *p)
{
    if (p->busy_slot >= 0) {
        ahci_drive_idle(ahci_drive(p));
        p->busy_slot = -1;
    }
    blk_req_cancel(&p->ncq_req);
    for (unsigned i = 0; i < AHCI_SLOTS; i++) {
        p->ncq[i].used = false;
    }
    p->ncq_cur = -1;
}

static int ahci_next_slot(const AHCIPort *p)
{
    if (!(p->cmd & PORT_CMD_ST) || p->err_stop || !p->ci ||
        p->bus.drive[0].kind == IDE_NONE) {
        return -1;
    }
    return __builtin_ctz(p->ci);
}

/* The bottom half: the command in process moves on, then the queued
 * tags, then the next slot of PxCI (lowest first), until one waits. */
void ahci_port_run(void *opaque)
{
    AHCIPort *p = opaque;

    for (unsigned n = 0; n < AHCI_RUN_CAP; n++) {
        int slot;
        if (p->busy_slot >= 0) {
            if (!ahci_cmd_advance(p)) {
                return;
            }
            continue;
        }
        if (p->ncq_cur >= 0 || blk_req_pending(&p->ncq_req)) {
            return;
        }
        if (!p->err_stop && ahci_ncq_start(p)) {
            continue;
        }
        slot = ahci_next_slot(p);
        if (slot < 0) {
            return;
        }
        ahci_cmd_start(p, slot);
    }
    bh_schedule(&p->bh);                /* more next time */
}
