/* SPDX-License-Identifier: MIT */
/*
 * virtio-blk-pci: see virtio-blk.h. Request handling follows VIRTIO 1.2
 * section 5.2.6 and, where the specification leaves a choice, QEMU 7.2
 * (the status and used lengths a driver sees).
 */
#include "hw/virtio/virtio-blk.h"

#include <glib.h>
#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"
#include "hw/devices.h"

#define VBLK_BIT(n) (1ull << (n))

/* Offered always; the legacy-only bits are the core's to hide from 1.0
 * drivers. QEMU 7.2's default set: host features 0x79006e54. */
#define VIRTIO_BLK_BASE_FEATURES (VBLK_BIT(VIRTIO_BLK_F_SEG_MAX) | \
    VBLK_BIT(VIRTIO_BLK_F_GEOMETRY) | VBLK_BIT(VIRTIO_BLK_F_BLK_SIZE) | \
    VBLK_BIT(VIRTIO_BLK_F_FLUSH) | VBLK_BIT(VIRTIO_BLK_F_TOPOLOGY) | \
    VBLK_BIT(VIRTIO_F_NOTIFY_ON_EMPTY) | VBLK_BIT(VIRTIO_F_ANY_LAYOUT) | \
    VBLK_BIT(VIRTIO_RING_F_INDIRECT_DESC) | VBLK_BIT(VIRTIO_RING_F_EVENT_IDX))

static VirtIOBlock *vblk(VirtIODevice *vdev)
{
    return vdev->opaque;
}

/* ---------------------------------------------------------------------- */
/* Configuration space                                                     */

static void virtio_blk_get_config(VirtIODevice *vdev, uint8_t *c)
{
    VirtIOBlock *s = vblk(vdev);
    uint32_t lbs = s->logical_block_size;

    st_le64(c + VIRTIO_BLK_CFG_CAPACITY, blk_nb_sectors(s->blk));
    st_le32(c + VIRTIO_BLK_CFG_SIZE_MAX, 0);
    st_le32(c + VIRTIO_BLK_CFG_SEG_MAX, s->seg_max_adjust ? s->queue_size - 2 : 128 - 2);
    st_le16(c + VIRTIO_BLK_CFG_CYLINDERS, s->cyls);
    c[VIRTIO_BLK_CFG_HEADS] = s->heads;
    c[VIRTIO_BLK_CFG_SECTORS] = s->secs;
    st_le32(c + VIRTIO_BLK_CFG_BLK_SIZE, lbs);
    c[VIRTIO_BLK_CFG_PHYS_EXP] = 0;
    c[VIRTIO_BLK_CFG_ALIGN_OFF] = 0;
    st_le16(c + VIRTIO_BLK_CFG_MIN_IO, 0);
    st_le32(c + VIRTIO_BLK_CFG_OPT_IO, 0);
    c[VIRTIO_BLK_CFG_WRITEBACK] = s->wce;
    st_le16(c + VIRTIO_BLK_CFG_NUM_QUEUES, s->num_queues);
    if (vdev->config_len > VIRTIO_BLK_CFG_LEN_BASE) {
        st_le32(c + VIRTIO_BLK_CFG_MAX_DISCARD, s->max_discard_sectors);
        st_le32(c + VIRTIO_BLK_CFG_MAX_DISCARD_SEG, 1);
        st_le32(c + VIRTIO_BLK_CFG_DISCARD_ALIGN, lbs / BLK_SECTOR_SIZE);
    }
    if (vdev->config_len == VIRTIO_BLK_CFG_LEN) {
        st_le32(c + VIRTIO_BLK_CFG_MAX_WZ, s->max_write_zeroes_sectors);
        st_le32(c + VIRTIO_BLK_CFG_MAX_WZ_SEG, 1);
        c[VIRTIO_BLK_CFG_WZ_MAY_UNMAP] = 1;
    }
}

/* Only writeback is writable (section 5.2.5: with CONFIG_WCE; QEMU takes
 * it whatever was negotiated). */
static void virtio_blk_set_config(VirtIODevice *vdev, const uint8_t *c)
{
    vblk(vdev)->wce = c[VIRTIO_BLK_CFG_WRITEBACK] != 0;
}

/* A driver that did not negotiate CONFIG_WCE gets writeback exactly when
 * it negotiated FLUSH (section 5.2.5.1, legacy interface; QEMU at DRIVER_OK). */
static void virtio_blk_set_status(VirtIODevice *vdev, uint8_t status)
{
    if ((status & VIRTIO_CONFIG_S_DRIVER_OK) &&
        !virtio_has_feature(vdev, VIRTIO_BLK_F_CONFIG_WCE)) {
        vblk(vdev)->wce = virtio_has_feature(vdev, VIRTIO_BLK_F_FLUSH);
    }
}

/* ---------------------------------------------------------------------- */
/* Requests                                                                */

static void virtio_blk_run(VirtIOBlock *s);

/* The status byte, the used entry (QEMU's length: every device-writable
 * byte of the chain), the interrupt. */
static void virtio_blk_complete(VirtIOBlock *s, uint8_t status)
{
    VirtIODevice *vdev = &s->vdev;
    VirtIOBlkCur *c = &s->cur;
    size_t in = virtqueue_elem_in_size(&c->elem);

    virtqueue_elem_write(vdev, &c->elem, in - 1, &status, 1);
    virtqueue_push(vdev, c->queue, c->elem.index, (uint32_t)in);
    virtio_notify(vdev, c->queue);
    c->active = false;
}

/* QEMU's virtio_blk_sect_range_ok: aligned to the logical block, a whole
 * number of them, inside the medium. */
static bool virtio_blk_range_ok(const VirtIOBlock *s, uint64_t sector, uint64_t bytes)
{
    uint64_t total = blk_nb_sectors(s->blk);
    uint64_t mask = s->logical_block_size / BLK_SECTOR_SIZE - 1;

    if ((sector & mask) || bytes % s->logical_block_size) {
        return false;
    }
    return sector <= total && bytes / BLK_SECTOR_SIZE <= total - sector;
}

/* The next chunk of a read or write, or the end of the request. */
static void virtio_blk_next_chunk(VirtIOBlock *s)
{
    VirtIOBlkCur *c = &s->cur;
    bool write = c->type == VIRTIO_BLK_T_OUT;

    if (c->done == c->len) {
        virtio_blk_complete(s, VIRTIO_BLK_S_OK);
        return;
    }
    c->chunk = (uint32_t)MIN(c->len - c->done, VIRTIO_BLK_CHUNK);
    if (write) {
        size_t got = virtqueue_elem_read(&s->vdev, &c->elem, VIRTIO_BLK_OUTHDR_LEN + c->done,
                                         s->buf, c->chunk);
        if (got != c->chunk) {
            virtio_blk_complete(s, VIRTIO_BLK_S_IOERR);     /* the DMA failed */
            return;
        }
        s->buf_live = c->chunk;
    }
    blk_req_submit(&s->req, s->blk, write ? BLK_OP_WRITE : BLK_OP_READ,
                   c->offset + c->done, s->buf, c->chunk);
}

/* A BlockRequest ended (a bottom half, the device entered). */
static void virtio_blk_req_done(void *opaque, int ret)
{
    VirtIOBlock *s = opaque;
    VirtIOBlkCur *c = &s->cur;

    s->buf_live = 0;
    if (!c->active) {
        return;
    }
    if (ret < 0) {
        virtio_blk_complete(s, VIRTIO_BLK_S_IOERR);
    } else if (c->type == VIRTIO_BLK_T_IN || c->type == VIRTIO_BLK_T_OUT) {
        if (c->type == VIRTIO_BLK_T_IN &&
            virtqueue_elem_write(&s->vdev, &c->elem, c->done, s->buf, c->chunk) != c->chunk) {
            virtio_blk_complete(s, VIRTIO_BLK_S_IOERR);
        } else {
            c->done += c->chunk;
            virtio_blk_next_chunk(s);
        }
    } else {
        virtio_blk_complete(s, VIRTIO_BLK_S_OK);            /* flush, discard, zeroes */
    }
    if (!c->active) {
        virtio_blk_run(s);
    }
}

/* GET_ID: the serial and its NUL, at most 20 bytes and what the driver
 * gave (QEMU's). */
static uint8_t virtio_blk_get_id(VirtIOBlock *s, size_t room)
{
    const char *serial = s->serial ? s->serial : "";
    size_t n = MIN(MIN(strlen(serial) + 1, room), VIRTIO_BLK_ID_BYTES);

    virtqueue_elem_write(&s->vdev, &s->cur.elem, 0, serial, n);
    return VIRTIO_BLK_S_OK;
}

/* DISCARD and WRITE_ZEROES (section 5.2.6.2): one segment, as QEMU 7.2
 * offers (max_discard_seg and max_write_zeroes_seg 1). Returns a status,
 * or 0xff when a request went to the disk. */
static uint8_t virtio_blk_dwz(VirtIOBlock *s, uint32_t type, size_t out_data)
{
    VirtIOBlkCur *c = &s->cur;
    bool zeroes = (type & ~VIRTIO_BLK_T_BARRIER) == VIRTIO_BLK_T_WRITE_ZEROES;
    uint8_t seg[VIRTIO_BLK_DWZ_LEN];

    if (!(type & VIRTIO_BLK_T_OUT) || out_data > VIRTIO_BLK_DWZ_LEN ||
        !(s->vdev.host_features & VBLK_BIT(zeroes ? VIRTIO_BLK_F_WRITE_ZEROES :
                                           VIRTIO_BLK_F_DISCARD))) {
        return VIRTIO_BLK_S_UNSUPP;
    }
    if (virtqueue_elem_read(&s->vdev, &c->elem, VIRTIO_BLK_OUTHDR_LEN, seg,
                            sizeof(seg)) != sizeof(seg)) {
        virtio_error(&s->vdev, "virtio-blk: discard/write-zeroes segment too short");
        return 0xfe;
    }
    uint64_t sector = ld_le64(seg);
    uint32_t nsect = ld_le32(seg + 8), flags = ld_le32(seg + 12);
    if (!virtio_blk_range_ok(s, sector, (uint64_t)nsect * BLK_SECTOR_SIZE)) {
        return VIRTIO_BLK_S_IOERR;
    }
    if (zeroes ? flags & ~VIRTIO_BLK_DWZ_F_UNMAP : flags != 0) {
        return VIRTIO_BLK_S_UNSUPP;     /* discard: the spec's unmap rule */
    }
    if (nsect > (zeroes ? s->max_write_zeroes_sectors : s->max_discard_sectors)) {
        return VIRTIO_BLK_S_IOERR;
    }
    if (blk_is_read_only(s->blk)) {
        return VIRTIO_BLK_S_IOERR;
    }
    c->type = type & ~VIRTIO_BLK_T_BARRIER;
    /* A discard changes nothing, as with QEMU's default -drive discard=ignore
     * (section 5.2.6.2 lets a discarded range read back anything); write
     * zeroes do. Both complete through the disk like the others. */
    blk_req_submit(&s->req, s->blk, zeroes ? BLK_OP_DISCARD : BLK_OP_FLUSH,
                   sector * BLK_SECTOR_SIZE, NULL, zeroes ? (size_t)nsect * BLK_SECTOR_SIZE : 0);
    return 0xff;
}

/* Starts the popped request: false when it is still going (a BlockRequest
 * in flight) or the device broke. QEMU's dispatch: on the type without the
 * OUT and BARRIER bits, OUT choosing the direction. */
static bool virtio_blk_start(VirtIOBlock *s)
{
    VirtIODevice *vdev = &s->vdev;
    VirtIOBlkCur *c = &s->cur;
    uint8_t hdr[VIRTIO_BLK_OUTHDR_LEN];
    uint8_t status;

    if (!c->elem.out.nr || !c->elem.in.nr) {         /* an entry is never empty */
        virtio_error(vdev, "virtio-blk: a request without its header or status");
        return false;
    }
    if (virtqueue_elem_read(vdev, &c->elem, 0, hdr, sizeof(hdr)) != sizeof(hdr)) {
        virtio_error(vdev, "virtio-blk: request header too short");
        return false;
    }
    uint32_t type = ld_le32(hdr);
    uint64_t sector = ld_le64(hdr + 8);
    size_t in_data = virtqueue_elem_in_size(&c->elem) - 1;
    size_t out_data = virtqueue_elem_out_size(&c->elem) - VIRTIO_BLK_OUTHDR_LEN;

    switch (type & ~(VIRTIO_BLK_T_OUT | VIRTIO_BLK_T_BARRIER)) {
    case VIRTIO_BLK_T_IN:
        c->type = type & VIRTIO_BLK_T_OUT;
        c->len = c->type == VIRTIO_BLK_T_OUT ? out_data : in_data;
        c->offset = sector * BLK_SECTOR_SIZE;
        c->done = 0;
        if (sector > UINT64_MAX / BLK_SECTOR_SIZE || !virtio_blk_range_ok(s, sector, c->len) ||
            (c->type == VIRTIO_BLK_T_OUT && blk_is_read_only(s->blk))) {
            status = VIRTIO_BLK_S_IOERR;
            break;
        }
        virtio_blk_next_chunk(s);
        return !c->active;
    case VIRTIO_BLK_T_FLUSH:
        c->type = VIRTIO_BLK_T_FLUSH;
        blk_req_submit(&s->req, s->blk, BLK_OP_FLUSH, 0, NULL, 0);
        return false;
    case VIRTIO_BLK_T_GET_ID:
        status = virtio_blk_get_id(s, in_data);
        break;
    case VIRTIO_BLK_T_DISCARD & ~VIRTIO_BLK_T_OUT:
    case VIRTIO_BLK_T_WRITE_ZEROES & ~VIRTIO_BLK_T_OUT:
        status = virtio_blk_dwz(s, type, out_data);
        if (status == 0xff) {
            return false;
        }
        if (status == 0xfe) {
            return false;                       /* virtio_error: broken */
        }
        break;
    default:
        status = VIRTIO_BLK_S_UNSUPP;
        break;
    }
    virtio_blk_complete(s, status);
    return true;
}

/*
 * Serves requests of kicked queues, one at a time, until one waits for
 * the disk or none is left. Each turn takes an available entry, so the
 * loop ends within the queues' sizes; the cap is a second guard.
 */
static void virtio_blk_run(VirtIOBlock *s)
{
    VirtIODevice *vdev = &s->vdev;
    unsigned cap = VIRTIO_BLK_QUEUES_MAX * VIRTIO_QUEUE_SIZE_MAX + 1;

    while (!s->cur.active && !vdev->broken && s->kicked && cap--) {
        unsigned q = s->next_queue % vdev->nvqs;
        if (!(s->kicked & (1u << q))) {
            s->next_queue = (uint16_t)(q + 1);
            continue;
        }
        if (!virtqueue_pop(vdev, q, &s->cur.elem)) {
            s->kicked &= ~(1u << q);            /* empty, or broken */
            s->next_queue = (uint16_t)(q + 1);
            continue;
        }
        s->cur.active = true;
        s->cur.queue = (uint16_t)q;
        if (!virtio_blk_start(s) && vdev->broken) {
            virtqueue_detach(vdev, q);
            s->cur.active = false;
        }
    }
}

static void virtio_blk_handle_output(VirtIODevice *vdev, unsigned n)
{
    VirtIOBlock *s = vblk(vdev);

    if (n < vdev->nvqs) {
        s->kicked |= 1u << n;
        virtio_blk_run(s);
    }
}

/* Device reset or a queue reset under the request: it is forgotten (the
 * BlockRequest cancelled: its callback will not run). */
static void virtio_blk_drop(VirtIOBlock *s)
{
    blk_req_cancel(&s->req);
    s->cur.active = false;
    s->buf_live = 0;
}

static void virtio_blk_reset(VirtIODevice *vdev)
{
    VirtIOBlock *s = vblk(vdev);

    virtio_blk_drop(s);
    s->kicked = 0;
    s->next_queue = 0;
}

static void virtio_blk_queue_reset(VirtIODevice *vdev, unsigned n)
{
    VirtIOBlock *s = vblk(vdev);

    if (s->cur.active && s->cur.queue == n) {
        virtio_blk_drop(s);
    }
    s->kicked &= ~(1u << n);
}

/* ---------------------------------------------------------------------- */
/* Realize, type                                                           */

static const VirtIODeviceOps virtio_blk_ops = {
    .get_config = virtio_blk_get_config,
    .set_config = virtio_blk_set_config,
    .set_status = virtio_blk_set_status,
    .reset = virtio_blk_reset,
    .queue_reset = virtio_blk_queue_reset,
    .handle_output = virtio_blk_handle_output,
};

static const VirtIOPCIInfo virtio_blk_pci_info = {
    .name = "virtio-blk",
    .msix_name = "virtio-blk-pci-msix",
    .device_id = VIRTIO_BLK_PCI_DEVICE_ID,
    .subsystem_id = VIRTIO_ID_BLOCK,
    .class_id = 0x0100,                 /* mass storage, SCSI: QEMU's */
};

static size_t virtio_blk_buf_live(const Object *obj)
{
    return ((const VirtIOBlock *)obj)->buf_live;
}

static void virtio_blk_pci_init(Object *obj)
{
    VirtIOBlock *s = (VirtIOBlock *)obj;

    virtio_pci_proxy_init(&s->proxy);
    s->num_queues = 1;
    s->queue_size = VIRTIO_BLK_QUEUE_SIZE;
    s->logical_block_size = BLK_SECTOR_SIZE;
    s->max_discard_sectors = VIRTIO_BLK_MAX_DWZ_SECTORS;
    s->max_write_zeroes_sectors = VIRTIO_BLK_MAX_DWZ_SECTORS;
    s->discard = s->write_zeroes = s->config_wce = s->seg_max_adjust = true;
}

static bool virtio_blk_check_props(VirtIOBlock *s, char **errp)
{
    const char *name = "virtio-blk-pci";

    if (!s->drive) {
        *errp = g_strdup_printf("%s: drive property not set", name);
    } else if (s->num_queues < 1 || s->num_queues > VIRTIO_BLK_QUEUES_MAX) {
        *errp = g_strdup_printf("%s: num-queues=%u: 1 to %u", name, s->num_queues,
                                VIRTIO_BLK_QUEUES_MAX);
    } else if (s->queue_size < 4 || s->queue_size > VIRTIO_QUEUE_SIZE_MAX ||
               (s->queue_size & (s->queue_size - 1))) {
        *errp = g_strdup_printf("%s: queue-size=%u: a power of 2 from 4 to %u", name,
                                s->queue_size, VIRTIO_QUEUE_SIZE_MAX);
    } else if (s->logical_block_size != 512 && s->logical_block_size != 4096) {
        *errp = g_strdup_printf("%s: logical_block_size=%u: 512 or 4096", name,
                                s->logical_block_size);
    } else if (s->max_discard_sectors < 1 || s->max_discard_sectors > VIRTIO_BLK_MAX_DWZ_SECTORS ||
               s->max_write_zeroes_sectors < 1 ||
               s->max_write_zeroes_sectors > VIRTIO_BLK_MAX_DWZ_SECTORS) {
        *errp = g_strdup_printf("%s: max-discard-sectors and max-write-zeroes-sectors: "
                                "1 to %u", name, VIRTIO_BLK_MAX_DWZ_SECTORS);
    } else if (s->serial && strlen(s->serial) > VIRTIO_BLK_ID_BYTES) {
        *errp = g_strdup_printf("%s: serial: at most %u characters", name,
                                VIRTIO_BLK_ID_BYTES);
    } else {
        return true;
    }
    return false;
}

static bool virtio_blk_pci_realize(Object *obj, Machine *m, char **errp)
{
    VirtIOBlock *s = (VirtIOBlock *)obj;
    VirtIODevice *vdev = &s->vdev;

    if (!virtio_blk_check_props(s, errp)) {
        return false;
    }
    s->blk = blk_lookup(m, s->drive, errp);
    if (!s->blk || !blk_attach(s->blk, obj, errp)) {
        return false;
    }
    if (!s->blk->has_medium) {
        *errp = g_strdup_printf("virtio-blk-pci: drive %s has no medium", s->drive);
        return false;
    }
    if (blk_size(s->blk) % s->logical_block_size) {
        *errp = g_strdup_printf("virtio-blk-pci: drive %s: size not a multiple of %u",
                                s->drive, s->logical_block_size);
        return false;
    }
    uint64_t features = VIRTIO_BLK_BASE_FEATURES;
    features |= s->config_wce ? VBLK_BIT(VIRTIO_BLK_F_CONFIG_WCE) : 0;
    features |= s->discard ? VBLK_BIT(VIRTIO_BLK_F_DISCARD) : 0;
    features |= s->write_zeroes ? VBLK_BIT(VIRTIO_BLK_F_WRITE_ZEROES) : 0;
    features |= blk_is_read_only(s->blk) ? VBLK_BIT(VIRTIO_BLK_F_RO) : 0;
    features |= s->num_queues > 1 ? VBLK_BIT(VIRTIO_BLK_F_MQ) : 0;
    /* QEMU sizes the config by the features offered. */
    uint32_t cfg = s->write_zeroes ? VIRTIO_BLK_CFG_LEN :
                   s->discard ? VIRTIO_BLK_CFG_DISCARD_ALIGN + 4 : VIRTIO_BLK_CFG_LEN_BASE;
    virtio_init(vdev, "virtio-blk", &virtio_blk_ops, s, features, cfg);
    virtio_pci_init_queues(&s->proxy, vdev, s->vqs, s->pci_vqs, s->num_queues);
    for (unsigned i = 0; i < s->num_queues; i++) {
        virtio_add_queue(vdev, (uint16_t)s->queue_size);
    }
    uint32_t cyls, heads, secs;
    blk_guess_geometry(blk_nb_sectors(s->blk), &cyls, &heads, &secs);
    s->cyls = (uint16_t)cyls;
    s->heads = (uint8_t)heads;
    s->secs = (uint8_t)secs;
    s->wce = true;                          /* QEMU's default cache=writeback */
    blk_req_init(&s->req, obj, &m->clock, virtio_blk_req_done, s);
    s->buf = g_malloc0(VIRTIO_BLK_CHUNK);
    object_add_state(obj, "buffer", s->buf, VIRTIO_BLK_CHUNK, virtio_blk_buf_live);
    VirtIOPCIInfo info = virtio_blk_pci_info;
    info.vectors = s->num_queues + 1;       /* QEMU's default */
    return virtio_pci_realize(&s->proxy, m, vdev, &info, errp);
}

static void virtio_blk_pci_reset(Object *obj)
{
    VirtIOBlock *s = (VirtIOBlock *)obj;

    virtio_pci_reset(&s->proxy);
}

static const Property virtio_blk_pci_props[] = {
    VIRTIO_PCI_PROPS(VirtIOBlock, proxy),
    { "drive", PROP_STR, offsetof(VirtIOBlock, drive), "id of the -drive or -blockdev" },
    { "serial", PROP_STR, offsetof(VirtIOBlock, serial),
      "what GET_ID answers (at most 20 characters; default empty)" },
    { "num-queues", PROP_U32, offsetof(VirtIOBlock, num_queues),
      "request queues (1 to 16, default 1: QEMU's for one vCPU)" },
    { "queue-size", PROP_U32, offsetof(VirtIOBlock, queue_size),
      "entries a queue (a power of 2, 4 to 256, default 256)" },
    { "logical_block_size", PROP_U32, offsetof(VirtIOBlock, logical_block_size),
      "512 (default) or 4096" },
    { "max-discard-sectors", PROP_U32, offsetof(VirtIOBlock, max_discard_sectors),
      "default 4194303" },
    { "max-write-zeroes-sectors", PROP_U32, offsetof(VirtIOBlock, max_write_zeroes_sectors),
      "default 4194303" },
    { "discard", PROP_BOOL, offsetof(VirtIOBlock, discard), "offer DISCARD (default on)" },
    { "write-zeroes", PROP_BOOL, offsetof(VirtIOBlock, write_zeroes),
      "offer WRITE_ZEROES (default on)" },
    { "config-wce", PROP_BOOL, offsetof(VirtIOBlock, config_wce),
      "offer CONFIG_WCE (default on)" },
    { "seg-max-adjust", PROP_BOOL, offsetof(VirtIOBlock, seg_max_adjust),
      "seg_max from the queue size (default on), else 126" },
    { .name = NULL },
};

const TypeInfo virtio_blk_pci_type = {
    .name = "virtio-blk-pci",
    .alias = "virtio-blk",      /* QEMU's alias on the PC */
    .parent = "pci-device",
    .desc = "virtio block device over PCI (transitional, legacy and 1.0)",
    OBJECT_INSTANCE(VirtIOBlock),
    .user_creatable = true,
    .props = virtio_blk_pci_props,
    .init = virtio_blk_pci_init,
    .realize = virtio_blk_pci_realize,
    .reset = virtio_blk_pci_reset,
};
