/* SPDX-License-Identifier: MIT */
/*
 * virtio-scsi-pci: see virtio-scsi.h. Request handling follows VIRTIO 1.2
 * section 5.6.6 and, where the specification leaves a choice, QEMU 7.2
 * (response codes, used lengths, which requests break the device). Left
 * out: T10 PI, hot-plug (no device comes or goes after start-up, so the
 * event queue only ever reports missed events), the iothread.
 */
#include "hw/virtio/virtio-scsi.h"

#include <glib.h>
#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"
#include "hw/devices.h"

#define VSCSI_BIT(n) (1ull << (n))

/* QEMU 7.2's offer: host features 0x79000006 to a legacy driver. */
#define VIRTIO_SCSI_BASE_FEATURES (VSCSI_BIT(VIRTIO_F_NOTIFY_ON_EMPTY) | \
    VSCSI_BIT(VIRTIO_F_ANY_LAYOUT) | VSCSI_BIT(VIRTIO_RING_F_INDIRECT_DESC) | \
    VSCSI_BIT(VIRTIO_RING_F_EVENT_IDX))

#define VIRTIO_SCSI_CTRL_QUEUE   0
#define VIRTIO_SCSI_EVENT_QUEUE  1
#define VIRTIO_SCSI_REQ_QUEUE    2

static VirtIOSCSI *vscsi(VirtIODevice *vdev)
{
    return vdev->opaque;
}

/* ---------------------------------------------------------------------- */
/* Configuration space                                                     */

static void virtio_scsi_get_config(VirtIODevice *vdev, uint8_t *c)
{
    VirtIOSCSI *s = vscsi(vdev);

    st_le32(c + VIRTIO_SCSI_CFG_NUM_QUEUES, s->num_queues);
    st_le32(c + VIRTIO_SCSI_CFG_SEG_MAX,
            s->seg_max_adjust ? s->virtqueue_size - 2 : 128 - 2);
    st_le32(c + VIRTIO_SCSI_CFG_MAX_SECTORS, s->max_sectors);
    st_le32(c + VIRTIO_SCSI_CFG_CMD_PER_LUN, s->cmd_per_lun);
    st_le32(c + VIRTIO_SCSI_CFG_EVENT_INFO_SIZE, VIRTIO_SCSI_EVENT_LEN);
    st_le32(c + VIRTIO_SCSI_CFG_SENSE_SIZE, s->sense_size);
    st_le32(c + VIRTIO_SCSI_CFG_CDB_SIZE, s->cdb_size);
    st_le16(c + VIRTIO_SCSI_CFG_MAX_CHANNEL, 0);
    st_le16(c + VIRTIO_SCSI_CFG_MAX_TARGET, VIRTIO_SCSI_MAX_TARGET);
    st_le32(c + VIRTIO_SCSI_CFG_MAX_LUN, VIRTIO_SCSI_MAX_LUN);
}

/* sense_size and cdb_size are the driver's to write (section 5.6.4);
 * QEMU breaks the device on a sense_size of 64 KiB or a cdb_size of 256
 * or more. */
static void virtio_scsi_set_config(VirtIODevice *vdev, const uint8_t *c)
{
    VirtIOSCSI *s = vscsi(vdev);
    uint32_t sense = ld_le32(c + VIRTIO_SCSI_CFG_SENSE_SIZE);
    uint32_t cdb = ld_le32(c + VIRTIO_SCSI_CFG_CDB_SIZE);

    if (sense >= 65536 || cdb >= 256) {
        virtio_error(vdev, "virtio-scsi: bad data written to the configuration space");
        return;
    }
    s->sense_size = sense;
    s->cdb_size = cdb;
}

/* ---------------------------------------------------------------------- */
/* Responses                                                               */

/* Writes len bytes of zeros into the element's writable part from off
 * (the sense beyond what the device has). */
static void virtio_scsi_zero(VirtIODevice *vdev, const VirtQueueElement *elem,
                             size_t off, size_t len)
{
    static const uint8_t zeros[256];

    while (len) {
        size_t n = MIN(len, sizeof(zeros));
        if (virtqueue_elem_write(vdev, elem, off, zeros, n) != n) {
            return;
        }
        off += n;
        len -= n;
    }
}

/* The response header and sense_size bytes of sense, the used entry (all
 * writable bytes, as QEMU), the interrupt; the next request starts. */
static void virtio_scsi_respond(VirtIOSCSI *s, uint8_t response, uint8_t status,
                                uint32_t residual, const uint8_t *sense, uint32_t sense_len)
{
    VirtIODevice *vdev = &s->vdev;
    VirtIOSCSICur *c = &s->cur;
    uint8_t hdr[VIRTIO_SCSI_RESP_HDR] = { 0 };
    uint32_t n = MIN(sense_len, s->sense_size);

    st_le32(hdr, n);
    st_le32(hdr + 4, residual);
    hdr[10] = status;
    hdr[11] = response;
    virtqueue_elem_write(vdev, &c->elem, 0, hdr, sizeof(hdr));
    virtqueue_elem_write(vdev, &c->elem, VIRTIO_SCSI_RESP_HDR, sense, n);
    virtio_scsi_zero(vdev, &c->elem, VIRTIO_SCSI_RESP_HDR + n, s->sense_size - n);
    /* QEMU's used length: the response and the data buffers, either way. */
    virtqueue_push(vdev, c->queue, c->elem.index,
                   (uint32_t)(virtqueue_elem_in_size(&c->elem) + c->data_out));
    virtio_notify(vdev, c->queue);
    c->active = false;
    c->sreq = NULL;
}

/* A response without the SCSI core (BAD_TARGET, OVERRUN, ABORTED...). */
static void virtio_scsi_fail(VirtIOSCSI *s, uint8_t response)
{
    virtio_scsi_respond(s, response, 0, 0, NULL, 0);
}

/* ---------------------------------------------------------------------- */
/* The SCSI bus's callbacks                                                */

static void virtio_scsi_run(VirtIOSCSI *s);

static void virtio_scsi_transfer_data(SCSIRequest *req, uint8_t *buf, uint32_t len)
{
    VirtIOSCSI *s = req->hba_private;
    VirtIOSCSICur *c = &s->cur;

    if (!c->active || c->sreq != req) {
        emu_bug("virtio-scsi: data for a request not in flight");
    }
    if (req->dir == SCSI_XFER_FROM_DEV) {
        virtqueue_elem_write(&s->vdev, &c->elem, c->resp_size + c->pos, buf, len);
    } else {
        /* What the chain does not cover reads as zeros (the DMA layer's). */
        size_t got = virtqueue_elem_read(&s->vdev, &c->elem, c->req_size + c->pos, buf, len);
        memset(buf + got, 0, len - got);
    }
    c->pos += len;
    scsi_req_continue(req);
}

static void virtio_scsi_complete(SCSIRequest *req, uint8_t status, uint32_t residual)
{
    VirtIOSCSI *s = req->hba_private;
    uint8_t sense[SCSI_SENSE_BUF_SIZE];
    uint32_t n = scsi_req_get_sense(req, sense, sizeof(sense));

    if (!s->cur.active || s->cur.sreq != req) {
        emu_bug("virtio-scsi: completion of a request not in flight");
    }
    /* QEMU gives a residual with GOOD only (section 5.6.6.1 leaves it). */
    virtio_scsi_respond(s, VIRTIO_SCSI_S_OK, status,
                        status == SCSI_STATUS_GOOD ? residual : 0, sense, n);
    virtio_scsi_run(s);
}

static const SCSIBusOps virtio_scsi_bus_ops = {
    .transfer_data = virtio_scsi_transfer_data,
    .complete = virtio_scsi_complete,
};

/* ---------------------------------------------------------------------- */
/* Request queues                                                          */

/* The LUN field (section 5.6.6.1): 1, the target, then a single-level
 * LUN (flat space 4000h-7FFFh, or peripheral 00xxh); false: no such
 * address, BAD_TARGET (QEMU's virtio_scsi_device_get). */
static bool virtio_scsi_parse_lun(const uint8_t *lun, uint32_t *target, uint32_t *l)
{
    if (lun[0] != 1 || (lun[2] != 0 && !(lun[2] >= 0x40 && lun[2] < 0x80))) {
        return false;
    }
    *target = lun[1];
    *l = ld_be16(lun + 2) & 0x3fff;
    return true;
}

/* Hands the popped request to the SCSI core. */
static void virtio_scsi_start(VirtIOSCSI *s)
{
    VirtIODevice *vdev = &s->vdev;
    VirtIOSCSICur *c = &s->cur;
    uint8_t hdr[VIRTIO_SCSI_REQ_HDR + 256];
    size_t out = virtqueue_elem_out_size(&c->elem), in = virtqueue_elem_in_size(&c->elem);
    const char *why = NULL;
    uint32_t data_out, data_in;
    int32_t len;

    c->data_out = 0;
    c->req_size = VIRTIO_SCSI_REQ_HDR + s->cdb_size;
    c->resp_size = VIRTIO_SCSI_RESP_HDR + s->sense_size;
    c->pos = 0;
    if (out < c->req_size || in < c->resp_size) {
        virtio_error(vdev, "virtio-scsi: request of %zu/%zu bytes, headers need %u/%u", out,
                     in, c->req_size, c->resp_size);
        return;
    }
    if (virtqueue_elem_read(vdev, &c->elem, 0, hdr, c->req_size) != c->req_size) {
        virtio_error(vdev, "virtio-scsi: request header unreadable");
        return;
    }
    data_out = (uint32_t)MIN(out - c->req_size, UINT32_MAX);
    data_in = (uint32_t)MIN(in - c->resp_size, UINT32_MAX);
    c->data_out = data_out;
    c->tag = ld_le64(hdr + 8);
    if (data_out && data_in) {
        virtio_scsi_fail(s, VIRTIO_SCSI_S_FAILURE);     /* no bidirectional commands */
        return;
    }
    if (!virtio_scsi_parse_lun(hdr, &c->target, &c->lun)) {
        virtio_scsi_fail(s, VIRTIO_SCSI_S_BAD_TARGET);
        return;
    }
    c->sreq = scsi_req_new(&s->bus, 0, c->target, c->lun, (uint32_t)c->tag,
                           hdr + VIRTIO_SCSI_REQ_HDR, s->cdb_size, s, &why);
    if (!c->sreq) {
        virtio_scsi_fail(s, VIRTIO_SCSI_S_BAD_TARGET);
        return;
    }
    len = scsi_req_enqueue(c->sreq);
    /* QEMU: a transfer the other way, or longer than the buffers, is an
     * OVERRUN and the command is not run. */
    if ((len > 0 && ((uint32_t)len > data_in || data_out)) ||
        (len < 0 && ((uint32_t)-len > data_out || data_in))) {
        scsi_req_cancel(c->sreq);
        virtio_scsi_fail(s, VIRTIO_SCSI_S_OVERRUN);
        return;
    }
    scsi_req_set_hba_len(c->sreq, data_out ? data_out : data_in);
    scsi_req_continue(c->sreq);
}

/*
 * Serves requests of kicked queues, one at a time, until one waits for a
 * block request or none is left; a completion inside the loop goes on
 * with it (running), not recursively. Each turn takes an available
 * entry, so the loop ends within the queues' sizes; the cap is a guard.
 */
static void virtio_scsi_run(VirtIOSCSI *s)
{
    VirtIODevice *vdev = &s->vdev;
    unsigned cap = VIRTIO_SCSI_QUEUES_MAX * VIRTIO_QUEUE_SIZE_MAX + 1;

    if (s->running) {
        return;
    }
    s->running = true;
    while (!s->cur.active && !vdev->broken && s->kicked && cap--) {
        unsigned q = s->next_queue % s->num_queues;
        if (!(s->kicked & (1ull << q))) {
            s->next_queue = (uint16_t)(q + 1);
            continue;
        }
        if (!virtqueue_pop(vdev, VIRTIO_SCSI_REQ_QUEUE + q, &s->cur.elem)) {
            s->kicked &= ~(1ull << q);
            s->next_queue = (uint16_t)(q + 1);
            continue;
        }
        s->cur.active = true;
        s->cur.queue = (uint16_t)(VIRTIO_SCSI_REQ_QUEUE + q);
        virtio_scsi_start(s);
        if (vdev->broken && s->cur.active) {
            if (s->cur.sreq) {
                scsi_req_cancel(s->cur.sreq);
            }
            virtqueue_detach(vdev, s->cur.queue);
            s->cur.active = false;
            s->cur.sreq = NULL;
        }
    }
    s->running = false;
}

/* The request in flight ends with response (ABORTED, RESET): cancelled in
 * the core, answered to the driver. */
static void virtio_scsi_cancel_cur(VirtIOSCSI *s, uint8_t response)
{
    if (!s->cur.active) {
        return;
    }
    if (s->cur.sreq) {
        scsi_req_cancel(s->cur.sreq);
    }
    virtio_scsi_fail(s, response);
}

/* ---------------------------------------------------------------------- */
/* Control queue (section 5.6.6.2)                                         */

static bool virtio_scsi_cur_on(const VirtIOSCSI *s, uint32_t target, uint32_t lun,
                               bool any_lun)
{
    return s->cur.active && s->cur.sreq && s->cur.target == target &&
           (any_lun || s->cur.lun == lun);
}

/* A task management function; returns its response code. */
static uint8_t virtio_scsi_tmf(VirtIOSCSI *s, const uint8_t *req)
{
    uint32_t subtype = ld_le32(req + 4);
    uint64_t id = ld_le64(req + 16);
    uint32_t target, lun;
    SCSIDevice *d;

    if (!virtio_scsi_parse_lun(req + 8, &target, &lun) ||
        !scsi_bus_has_target(&s->bus, 0, target)) {
        return VIRTIO_SCSI_S_BAD_TARGET;
    }
    d = scsi_device_find(&s->bus, 0, target, lun);
    if (!d) {
        return VIRTIO_SCSI_S_INCORRECT_LUN;     /* the target, not the LUN (QEMU) */
    }
    switch (subtype) {
    case VIRTIO_SCSI_T_TMF_ABORT_TASK:
    case VIRTIO_SCSI_T_TMF_QUERY_TASK:
        if (virtio_scsi_cur_on(s, target, lun, false) && s->cur.tag == id) {
            if (subtype == VIRTIO_SCSI_T_TMF_QUERY_TASK) {
                return VIRTIO_SCSI_S_FUNCTION_SUCCEEDED;
            }
            virtio_scsi_cancel_cur(s, VIRTIO_SCSI_S_ABORTED);
        }
        return VIRTIO_SCSI_S_OK;
    case VIRTIO_SCSI_T_TMF_ABORT_TASK_SET:
    case VIRTIO_SCSI_T_TMF_CLEAR_TASK_SET:
    case VIRTIO_SCSI_T_TMF_QUERY_TASK_SET:
        if (virtio_scsi_cur_on(s, target, lun, false)) {
            if (subtype == VIRTIO_SCSI_T_TMF_QUERY_TASK_SET) {
                return VIRTIO_SCSI_S_FUNCTION_SUCCEEDED;
            }
            virtio_scsi_cancel_cur(s, VIRTIO_SCSI_S_ABORTED);
        }
        return VIRTIO_SCSI_S_OK;
    case VIRTIO_SCSI_T_TMF_LUN_RESET:
        if (virtio_scsi_cur_on(s, target, lun, false)) {
            virtio_scsi_cancel_cur(s, VIRTIO_SCSI_S_RESET);
        }
        scsi_device_reset(&s->bus, d->channel, target, lun);
        return VIRTIO_SCSI_S_OK;
    case VIRTIO_SCSI_T_TMF_I_T_NEXUS_RESET:
        if (virtio_scsi_cur_on(s, target, 0, true)) {
            virtio_scsi_cancel_cur(s, VIRTIO_SCSI_S_RESET);
        }
        scsi_device_reset(&s->bus, d->channel, target, UINT32_MAX);
        return VIRTIO_SCSI_S_OK;
    default:                                    /* CLEAR ACA too, as QEMU */
        return VIRTIO_SCSI_S_FUNCTION_REJECTED;
    }
}

/* One control request: false if it broke the device. */
static bool virtio_scsi_ctrl_one(VirtIOSCSI *s)
{
    VirtIODevice *vdev = &s->vdev;
    const VirtQueueElement *e = &s->ctrl;
    uint8_t req[VIRTIO_SCSI_TMF_REQ_LEN] = { 0 };
    uint8_t resp[VIRTIO_SCSI_AN_RESP_LEN] = { 0 };
    size_t out = virtqueue_elem_out_size(e), in = virtqueue_elem_in_size(e);
    uint32_t type;

    if (virtqueue_elem_read(vdev, e, 0, req, MIN(out, sizeof(req))) < 4) {
        virtio_error(vdev, "virtio-scsi: control request without its type");
        return false;
    }
    type = ld_le32(req);
    if (type == VIRTIO_SCSI_T_TMF) {
        if (out < VIRTIO_SCSI_TMF_REQ_LEN || in < 1) {
            virtio_error(vdev, "virtio-scsi: task management request too short");
            return false;
        }
        resp[0] = virtio_scsi_tmf(s, req);
        virtqueue_elem_write(vdev, e, 0, resp, 1);
    } else if (type == VIRTIO_SCSI_T_AN_QUERY || type == VIRTIO_SCSI_T_AN_SUBSCRIBE) {
        if (out < VIRTIO_SCSI_AN_REQ_LEN || in < VIRTIO_SCSI_AN_RESP_LEN) {
            virtio_error(vdev, "virtio-scsi: notification request too short");
            return false;
        }
        resp[4] = VIRTIO_SCSI_S_OK;             /* no event class supported */
        virtqueue_elem_write(vdev, e, 0, resp, VIRTIO_SCSI_AN_RESP_LEN);
    } else {
        /* QEMU: no response, a used length of 0. */
        guest_error("virtio-scsi: control request type %u", type);
        in = 0;
    }
    virtqueue_push(vdev, VIRTIO_SCSI_CTRL_QUEUE, e->index, (uint32_t)in);
    return true;
}

static void virtio_scsi_handle_ctrl(VirtIOSCSI *s)
{
    VirtIODevice *vdev = &s->vdev;
    bool any = false;

    for (unsigned i = 0; i < VIRTIO_SCSI_CTRL_MAX && !vdev->broken; i++) {
        if (!virtqueue_pop(vdev, VIRTIO_SCSI_CTRL_QUEUE, &s->ctrl)) {
            break;
        }
        if (!virtio_scsi_ctrl_one(s)) {
            virtqueue_detach(vdev, VIRTIO_SCSI_CTRL_QUEUE);
            break;
        }
        any = true;
    }
    if (any) {
        virtio_notify(vdev, VIRTIO_SCSI_CTRL_QUEUE);
    }
    virtio_scsi_run(s);         /* an abort may have freed the device */
}

/* Event queue (section 5.6.6.3): after an event found no buffer, the next
 * kick gets NO_EVENT with EVENTS_MISSED (QEMU's). */
static void virtio_scsi_handle_event(VirtIOSCSI *s)
{
    VirtIODevice *vdev = &s->vdev;
    uint8_t ev[VIRTIO_SCSI_EVENT_LEN] = { 0 };

    if (!s->events_dropped || !virtqueue_pop(vdev, VIRTIO_SCSI_EVENT_QUEUE, &s->ctrl)) {
        return;
    }
    if (virtqueue_elem_in_size(&s->ctrl) < VIRTIO_SCSI_EVENT_LEN) {
        virtio_error(vdev, "virtio-scsi: event buffer too short");
        virtqueue_detach(vdev, VIRTIO_SCSI_EVENT_QUEUE);
        return;
    }
    st_le32(ev, VIRTIO_SCSI_T_NO_EVENT | VIRTIO_SCSI_T_EVENTS_MISSED);
    virtqueue_elem_write(vdev, &s->ctrl, 0, ev, sizeof(ev));
    virtqueue_push(vdev, VIRTIO_SCSI_EVENT_QUEUE, s->ctrl.index, sizeof(ev));
    virtio_notify(vdev, VIRTIO_SCSI_EVENT_QUEUE);
    s->events_dropped = false;
}

static void virtio_scsi_handle_output(VirtIODevice *vdev, unsigned n)
{
    VirtIOSCSI *s = vscsi(vdev);

    if (n == VIRTIO_SCSI_CTRL_QUEUE) {
        virtio_scsi_handle_ctrl(s);
    } else if (n == VIRTIO_SCSI_EVENT_QUEUE) {
        virtio_scsi_handle_event(s);
    } else if (n < vdev->nvqs) {
        s->kicked |= 1ull << (n - VIRTIO_SCSI_REQ_QUEUE);
        virtio_scsi_run(s);
    }
}

/* ---------------------------------------------------------------------- */
/* Resets                                                                  */

/* Device reset: the request in flight forgotten (not answered), the bus
 * reset (a unit attention on every device, as QEMU's bus reset). */
static void virtio_scsi_reset(VirtIODevice *vdev)
{
    VirtIOSCSI *s = vscsi(vdev);

    s->cur.active = false;
    s->cur.sreq = NULL;
    scsi_bus_reset(&s->bus);
    s->kicked = 0;
    s->next_queue = 0;
    s->running = false;
    s->events_dropped = false;
    s->sense_size = VIRTIO_SCSI_SENSE_DEFAULT;
    s->cdb_size = VIRTIO_SCSI_CDB_DEFAULT;
}

static void virtio_scsi_queue_reset(VirtIODevice *vdev, unsigned n)
{
    VirtIOSCSI *s = vscsi(vdev);

    if (s->cur.active && s->cur.queue == n) {
        if (s->cur.sreq) {
            scsi_req_cancel(s->cur.sreq);
        }
        s->cur.active = false;
        s->cur.sreq = NULL;
    }
    if (n >= VIRTIO_SCSI_REQ_QUEUE && n < vdev->nvqs) {
        s->kicked &= ~(1ull << (n - VIRTIO_SCSI_REQ_QUEUE));
    }
}

/* ---------------------------------------------------------------------- */
/* Realize, type                                                           */

static const VirtIODeviceOps virtio_scsi_ops = {
    .get_config = virtio_scsi_get_config,
    .set_config = virtio_scsi_set_config,
    .reset = virtio_scsi_reset,
    .queue_reset = virtio_scsi_queue_reset,
    .handle_output = virtio_scsi_handle_output,
};

static const VirtIOPCIInfo virtio_scsi_pci_info = {
    .name = "virtio-scsi",
    .msix_name = "virtio-scsi-pci-msix",
    .device_id = VIRTIO_SCSI_PCI_DEVICE_ID,
    .subsystem_id = VIRTIO_ID_SCSI,
    .class_id = 0x0100,                 /* mass storage, SCSI */
};

static void virtio_scsi_pci_init(Object *obj)
{
    VirtIOSCSI *s = (VirtIOSCSI *)obj;

    virtio_pci_proxy_init(&s->proxy);
    s->num_queues = 1;
    s->virtqueue_size = VIRTIO_SCSI_QUEUE_SIZE;
    s->max_sectors = 0xffff;
    s->cmd_per_lun = 128;
    s->seg_max_adjust = s->hotplug = s->param_change = true;
}

static bool virtio_scsi_check_props(VirtIOSCSI *s, char **errp)
{
    const char *name = "virtio-scsi-pci";

    if (s->num_queues < 1 || s->num_queues > VIRTIO_SCSI_QUEUES_MAX) {
        *errp = g_strdup_printf("%s: num_queues=%u: 1 to %u", name, s->num_queues,
                                VIRTIO_SCSI_QUEUES_MAX);
    } else if (s->virtqueue_size < 4 || s->virtqueue_size > VIRTIO_QUEUE_SIZE_MAX ||
               (s->virtqueue_size & (s->virtqueue_size - 1))) {
        *errp = g_strdup_printf("%s: virtqueue_size=%u: a power of 2 from 4 to %u", name,
                                s->virtqueue_size, VIRTIO_QUEUE_SIZE_MAX);
    } else {
        return true;
    }
    return false;
}

static bool virtio_scsi_pci_realize(Object *obj, Machine *m, char **errp)
{
    VirtIOSCSI *s = (VirtIOSCSI *)obj;
    VirtIODevice *vdev = &s->vdev;
    uint64_t features = VIRTIO_SCSI_BASE_FEATURES;

    if (!virtio_scsi_check_props(s, errp)) {
        return false;
    }
    features |= s->hotplug ? VSCSI_BIT(VIRTIO_SCSI_F_HOTPLUG) : 0;
    features |= s->param_change ? VSCSI_BIT(VIRTIO_SCSI_F_CHANGE) : 0;
    virtio_init(vdev, "virtio-scsi", &virtio_scsi_ops, s, features, VIRTIO_SCSI_CFG_LEN);
    virtio_pci_init_queues(&s->proxy, vdev, s->vqs, s->pci_vqs, s->num_queues + 2);
    for (unsigned i = 0; i < s->num_queues + 2; i++) {
        virtio_add_queue(vdev, (uint16_t)s->virtqueue_size);
    }
    scsi_bus_init(&s->bus, obj, m, &virtio_scsi_bus_ops, 0, VIRTIO_SCSI_MAX_TARGET,
                  VIRTIO_SCSI_MAX_LUN, NULL);
    s->sense_size = VIRTIO_SCSI_SENSE_DEFAULT;
    s->cdb_size = VIRTIO_SCSI_CDB_DEFAULT;
    VirtIOPCIInfo info = virtio_scsi_pci_info;
    info.vectors = s->num_queues + 3;       /* QEMU's default */
    return virtio_pci_realize(&s->proxy, m, vdev, &info, errp);
}

static void virtio_scsi_pci_reset(Object *obj)
{
    VirtIOSCSI *s = (VirtIOSCSI *)obj;

    virtio_pci_reset(&s->proxy);
}

static const Property virtio_scsi_pci_props[] = {
    VIRTIO_PCI_PROPS(VirtIOSCSI, proxy),
    { "num_queues", PROP_U32, offsetof(VirtIOSCSI, num_queues),
      "request queues (1 to 32, default 1: QEMU's for one vCPU)" },
    { "virtqueue_size", PROP_U32, offsetof(VirtIOSCSI, virtqueue_size),
      "entries a queue (a power of 2, 4 to 256, default 256)" },
    { "max_sectors", PROP_U32, offsetof(VirtIOSCSI, max_sectors),
      "max_sectors in the configuration (default 65535)" },
    { "cmd_per_lun", PROP_U32, offsetof(VirtIOSCSI, cmd_per_lun),
      "cmd_per_lun in the configuration (default 128)" },
    { "seg_max_adjust", PROP_BOOL, offsetof(VirtIOSCSI, seg_max_adjust),
      "seg_max from the queue size (default on), else 126" },
    { "hotplug", PROP_BOOL, offsetof(VirtIOSCSI, hotplug), "offer HOTPLUG (default on)" },
    { "param_change", PROP_BOOL, offsetof(VirtIOSCSI, param_change),
      "offer CHANGE (default on)" },
    { .name = NULL },
};

const TypeInfo virtio_scsi_pci_type = {
    .name = "virtio-scsi-pci",
    .alias = "virtio-scsi",     /* QEMU's alias on the PC */
    .parent = "pci-device",
    .desc = "virtio SCSI host adapter over PCI (transitional, legacy and 1.0)",
    OBJECT_INSTANCE(VirtIOSCSI),
    .user_creatable = true,
    .props = virtio_scsi_pci_props,
    .init = virtio_scsi_pci_init,
    .realize = virtio_scsi_pci_realize,
    .reset = virtio_scsi_pci_reset,
};
