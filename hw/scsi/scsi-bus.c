/* SPDX-License-Identifier: MIT */
/*
 * The SCSI bus: devices by address, the request pool and the request's
 * life (scsi-bus.h says the API), unit attentions (SPC-4 5.14), and the
 * replies a bus gives for a LUN no device answers (SPC-4 4.6.3, as QEMU
 * does: INQUIRY with peripheral qualifier 3, REPORT LUNS, REQUEST SENSE,
 * LOGICAL UNIT NOT SUPPORTED for everything else).
 */
#include "hw/scsi/scsi-bus.h"

#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"

/* Well-known LUN REPORT LUNS (SPC-4 8.2) is not modelled: LUN 0's rules. */
#define SCSI_INQUIRY_LEN        36
#define SCSI_PQ_NOT_SUPPORTED   0x7f    /* qualifier 011b, type 1Fh */

static SCSIBus *scsi_bus_of(Object *obj)
{
    return object_is_a(obj, TYPE_SCSI_BUS) ? ((SCSIBusObject *)obj)->bus : NULL;
}

/* ---------------------------------------------------------------------- */
/* Set-up                                                                  */

typedef struct SCSIBusFind {
    const char *name;           /* NULL: count them / the first free one */
    unsigned count;
    SCSIBus *found;
} SCSIBusFind;

/* Counts the buses named automatically ("scsi.N"): QEMU numbers those
 * alone, a bus named after its HBA's id takes no number. */
static int scsi_bus_count_cb(Object *obj, void *opaque)
{
    SCSIBusFind *f = opaque;
    SCSIBus *bus = scsi_bus_of(obj);

    f->count += bus && g_str_has_prefix(bus->name, "scsi.");
    return 0;
}

static Object *scsi_root(Object *obj)
{
    while (obj->parent) {
        obj = obj->parent;
    }
    return obj;
}

void scsi_bus_init(SCSIBus *bus, Object *owner, Machine *m, const SCSIBusOps *ops,
                   uint32_t max_channel, uint32_t max_target, uint32_t max_lun,
                   const char *name)
{
    SCSIBusObject *b = (SCSIBusObject *)object_new_by_name(TYPE_SCSI_BUS);
    SCSIBusFind f = { NULL, 0, NULL };

    memset(bus, 0, sizeof(*bus));
    bus->owner = owner;
    bus->clock = &m->clock;
    bus->ops = ops;
    bus->max_channel = max_channel;
    bus->max_target = max_target;
    bus->max_lun = max_lun;
    if (name) {
        g_strlcpy(bus->name, name, sizeof(bus->name));
    } else if (owner->parent && owner->parent == m->peripheral) {
        g_snprintf(bus->name, sizeof(bus->name), "%s.0", owner->name);
    } else {
        object_foreach_recursive(scsi_root(owner), scsi_bus_count_cb, &f);
        g_snprintf(bus->name, sizeof(bus->name), "scsi.%u", f.count);
    }
    b->bus = bus;
    bus->bus_obj = &b->obj;
    object_add_child(owner, bus->name, &b->obj);
}

SCSIDevice *scsi_device_find(SCSIBus *bus, uint32_t channel, uint32_t target,
                             uint32_t lun)
{
    for (unsigned i = 0; i < bus->nr_devs; i++) {
        SCSIDevice *d = bus->devs[i];
        if (d->channel == channel && (uint32_t)d->id == target && d->lun == lun) {
            return d;
        }
    }
    return NULL;
}

bool scsi_bus_has_target(SCSIBus *bus, uint32_t channel, uint32_t target)
{
    for (unsigned i = 0; i < bus->nr_devs; i++) {
        if (bus->devs[i]->channel == channel && (uint32_t)bus->devs[i]->id == target) {
            return true;
        }
    }
    return false;
}

/* QEMU's rule for a device without scsi-id: the first target without a
 * device at its LUN. Returns false if there is none. */
static bool scsi_bus_free_target(SCSIBus *bus, uint32_t channel, uint32_t lun,
                                 int32_t *id)
{
    for (uint32_t t = 0; t <= bus->max_target && bus->nr_devs < SCSI_BUS_MAX_DEVS; t++) {
        if (!scsi_device_find(bus, channel, t, lun)) {
            *id = (int32_t)t;
            return true;
        }
    }
    return false;
}

static int scsi_bus_find_cb(Object *obj, void *opaque)
{
    SCSIBusFind *f = opaque;
    SCSIBus *bus = scsi_bus_of(obj);
    int32_t id;

    if (!bus) {
        return 0;
    }
    if (f->name ? strcmp(bus->name, f->name) == 0
                : scsi_bus_free_target(bus, 0, 0, &id)) {
        f->found = bus;
        return 1;
    }
    return 0;
}

SCSIBus *scsi_bus_lookup(Machine *m, const char *name)
{
    SCSIBusFind f = { name, 0, NULL };

    object_foreach_recursive(&m->obj, scsi_bus_find_cb, &f);
    return f.found;
}

static bool scsi_device_place(SCSIDevice *d, SCSIBus *bus, char **errp)
{
    const char *type = object_type_name(&d->obj);

    if (d->channel > bus->max_channel || d->lun > bus->max_lun ||
        (d->id != -1 && (d->id < 0 || (uint32_t)d->id > bus->max_target))) {
        *errp = g_strdup_printf("%s: channel=%u scsi-id=%d lun=%u: bus %s has channels "
                                "0-%u, targets 0-%u, LUNs 0-%u", type, d->channel, d->id,
                                d->lun, bus->name, bus->max_channel, bus->max_target,
                                bus->max_lun);
        return false;
    }
    if (d->id == -1 && !scsi_bus_free_target(bus, d->channel, d->lun, &d->id)) {
        *errp = g_strdup_printf("%s: no free target on bus %s", type, bus->name);
        return false;
    }
    if (scsi_device_find(bus, d->channel, (uint32_t)d->id, d->lun)) {
        *errp = g_strdup_printf("%s: channel %u target %d LUN %u of bus %s is in use",
                                type, d->channel, d->id, d->lun, bus->name);
        return false;
    }
    if (bus->nr_devs == SCSI_BUS_MAX_DEVS) {
        *errp = g_strdup_printf("%s: bus %s has %d devices already", type, bus->name,
                                SCSI_BUS_MAX_DEVS);
        return false;
    }
    return true;
}

static size_t scsi_device_buf_live(const Object *obj)
{
    return ((const SCSIDevice *)obj)->buf_live;
}

bool scsi_device_attach(SCSIDevice *d, Machine *m, const SCSIDeviceOps *ops, char **errp)
{
    SCSIBus *bus = scsi_bus_lookup(m, d->bus_name);

    if (!bus) {
        *errp = d->bus_name
            ? g_strdup_printf("%s: no SCSI bus '%s' on this machine",
                              object_type_name(&d->obj), d->bus_name)
            : g_strdup_printf("%s: no SCSI bus (add a SCSI host adapter first, "
                              "e.g. -device virtio-scsi-pci)", object_type_name(&d->obj));
        return false;
    }
    if (!scsi_device_place(d, bus, errp)) {
        return false;
    }
    d->bus = bus;
    d->ops = ops;
    d->buf = g_malloc0(SCSI_DEV_BUF_SIZE);
    object_add_state(&d->obj, "scsi.buf", d->buf, SCSI_DEV_BUF_SIZE, scsi_device_buf_live);
    bus->devs[bus->nr_devs++] = d;
    return true;
}

/* ---------------------------------------------------------------------- */
/* Completion                                                              */

static void scsi_req_free(SCSIRequest *req)
{
    if (req->dev && req->dev->active == req) {
        object_touch(&req->dev->obj);
        req->dev->active = NULL;
    }
    memset(req, 0, sizeof(*req));
}

static uint32_t scsi_req_residual(const SCSIRequest *req)
{
    return req->hba_len > req->moved ? req->hba_len - req->moved : 0;
}

/* The status is set: the HBA hears of it, the request goes back. */
static void scsi_req_complete(SCSIRequest *req)
{
    SCSIBus *bus = req->bus;

    if (req->dev && req->dev->active == req) {
        object_touch(&req->dev->obj);
        req->dev->active = NULL;
    }
    object_touch(bus->owner);
    bus->ops->complete(req, req->status, scsi_req_residual(req));
    scsi_req_free(req);
}

static bool scsi_req_in_enqueue(const SCSIRequest *req)
{
    return req->state == SCSI_REQ_NEW;
}

void scsi_req_status(SCSIRequest *req, uint8_t status)
{
    req->status = status;
    req->ended = true;
    if (!scsi_req_in_enqueue(req)) {
        scsi_req_complete(req);
    }
}

void scsi_req_done(SCSIRequest *req)
{
    req->sense_len = 0;
    scsi_req_status(req, SCSI_STATUS_GOOD);
}

void scsi_req_fail(SCSIRequest *req, SCSISense s)
{
    bool desc = req->dev && req->dev->dsense;

    req->sense_len = (uint32_t)scsi_build_sense(req->sense, sizeof(req->sense), s, desc);
    req->xfer_len = 0;
    req->dir = SCSI_XFER_NONE;
    if (req->dev) {
        object_touch(&req->dev->obj);
        req->dev->sense = s;
    }
    scsi_req_status(req, SCSI_STATUS_CHECK_CONDITION);
}

uint32_t scsi_req_get_sense(const SCSIRequest *req, uint8_t *buf, uint32_t len)
{
    uint32_t n = req->sense_len < len ? req->sense_len : len;

    memcpy(buf, req->sense, n);
    return n;
}

/* ---------------------------------------------------------------------- */
/* Data                                                                    */

int32_t scsi_req_expect(SCSIRequest *req, SCSIXferDir dir, uint32_t len)
{
    req->dir = len ? dir : SCSI_XFER_NONE;
    req->xfer_len = len;
    return dir == SCSI_XFER_TO_DEV ? -(int32_t)len : (int32_t)len;
}

int32_t scsi_req_reply(SCSIRequest *req, uint32_t len, uint32_t alloc)
{
    uint32_t n = len < alloc ? len : alloc;

    if (req->dev && n > req->dev->buf_live) {
        req->dev->buf_live = n;
    }
    req->op = SCSI_OP_REPLY;
    req->pos = 0;
    req->dir = n ? SCSI_XFER_FROM_DEV : SCSI_XFER_NONE;
    req->xfer_len = n;
    return (int32_t)n;
}

void scsi_req_data(SCSIRequest *req, uint8_t *buf, uint32_t len)
{
    uint32_t room = req->hba_len - req->moved;

    if (req->dir == SCSI_XFER_FROM_DEV && len > room) {
        len = room;
    }
    if (!len) {
        /* The HBA's buffer is full: what the device has left is dropped
         * (an overrun the HBA saw from scsi_req_enqueue's length). */
        if (req->dev && req->dev->ops->cancel && req->op != SCSI_OP_REPLY) {
            req->dev->ops->cancel(req->dev, req);
        }
        scsi_req_done(req);
        return;
    }
    req->moved += len;
    req->state = SCSI_REQ_DATA;
    object_touch(req->bus->owner);
    req->bus->ops->transfer_data(req, buf, len);
}

static void scsi_req_reply_next(SCSIRequest *req)
{
    uint8_t *buf = req->dev ? req->dev->buf : req->inline_buf;
    uint32_t n = req->xfer_len - req->pos;

    if (!n) {
        scsi_req_done(req);
        return;
    }
    req->pos = req->xfer_len;
    scsi_req_data(req, buf + req->xfer_len - n, n);
}

/* ---------------------------------------------------------------------- */
/* The bus's own replies for a LUN without a device                        */

uint32_t scsi_report_luns(SCSIBus *bus, uint32_t channel, uint32_t target,
                          uint8_t select, uint8_t *buf, uint32_t len)
{
    uint32_t n = 8;
    bool lun0 = false;

    (void)select;
    memset(buf, 0, len < 8 ? len : 8);
    for (unsigned i = 0; i < bus->nr_devs; i++) {
        SCSIDevice *d = bus->devs[i];
        if (d->channel != channel || (uint32_t)d->id != target) {
            continue;
        }
        lun0 |= d->lun == 0;
    }
    /* LUN 0 is always listed (SPC-4 4.6.3: it must be accessible). */
    for (unsigned i = 0; i <= bus->nr_devs; i++) {
        uint32_t lun;
        if (i == bus->nr_devs) {
            if (lun0) {
                break;
            }
            lun = 0;
        } else {
            SCSIDevice *d = bus->devs[i];
            if (d->channel != channel || (uint32_t)d->id != target) {
                continue;
            }
            lun = d->lun;
        }
        if (n + 8 <= len) {
            /* Peripheral (00b) or flat space (01b) addressing, SAM-5 4.7. */
            uint16_t l = lun < 256 ? (uint16_t)lun : (uint16_t)(0x4000 | (lun & 0x3fff));
            memset(buf + n, 0, 8);
            st_be16(buf + n, l);
        }
        n += 8;
    }
    if (len >= 4) {
        st_be32(buf, n - 8);
    }
    return n;
}

static int32_t scsi_bus_report_luns(SCSIRequest *req)
{
    uint32_t alloc = ld_be32(req->cdb + 6);
    uint32_t n;

    if (alloc < 16 || req->cdb[2] > 2) {
        scsi_req_fail(req, SENSE_CODE_INVALID_FIELD);
        return 0;
    }
    n = scsi_report_luns(req->bus, req->channel, req->target, req->cdb[2],
                         req->inline_buf, SCSI_REQ_INLINE);
    if (n > SCSI_REQ_INLINE) {
        n = SCSI_REQ_INLINE;    /* the list length still says them all */
    }
    return scsi_req_reply(req, n, alloc);
}

static int32_t scsi_bus_enqueue(SCSIRequest *req)
{
    uint8_t *b = req->inline_buf;

    switch (req->cdb[0]) {
    case SCSI_INQUIRY:
        if (req->cdb[1] & 1) {
            scsi_req_fail(req, SENSE_CODE_LUN_NOT_SUPPORTED);
            return 0;
        }
        /* Only the qualifier and type mean anything here (SPC-4 6.6.2);
         * the rest zeros, as QEMU's. */
        memset(b, 0, SCSI_INQUIRY_LEN);
        b[0] = SCSI_PQ_NOT_SUPPORTED;
        return scsi_req_reply(req, SCSI_INQUIRY_LEN, ld_be16(req->cdb + 3));
    case SCSI_REPORT_LUNS:
        return scsi_bus_report_luns(req);
    case SCSI_REQUEST_SENSE:
        return scsi_req_reply(req,
                              (uint32_t)scsi_build_sense(b, SCSI_REQ_INLINE,
                                                         SENSE_CODE_LUN_NOT_SUPPORTED,
                                                         req->cdb[1] & 1),
                              req->cdb[4]);
    default:
        scsi_req_fail(req, SENSE_CODE_LUN_NOT_SUPPORTED);
        return 0;
    }
}

/* ---------------------------------------------------------------------- */
/* The request's life                                                      */

SCSIRequest *scsi_req_new(SCSIBus *bus, uint32_t channel, uint32_t target,
                          uint32_t lun, uint32_t tag, const uint8_t *cdb,
                          uint32_t cdb_len, void *hba_private, const char **why)
{
    SCSIRequest *req = NULL;

    if (!scsi_bus_has_target(bus, channel, target)) {
        *why = "no device at this target";
        return NULL;
    }
    for (unsigned i = 0; i < SCSI_BUS_POOL && !req; i++) {
        if (bus->pool[i].state == SCSI_REQ_FREE) {
            req = &bus->pool[i];
        }
    }
    if (!req) {
        *why = "no free request";
        return NULL;
    }
    memset(req, 0, sizeof(*req));
    req->bus = bus;
    req->dev = scsi_device_find(bus, channel, target, lun);
    req->state = SCSI_REQ_NEW;
    req->tag = tag;
    req->channel = channel;
    req->target = target;
    req->lun = lun;
    req->cdb_len = cdb_len;
    memcpy(req->cdb, cdb, cdb_len < SCSI_CDB_MAX ? cdb_len : SCSI_CDB_MAX);
    req->hba_private = hba_private;
    return req;
}

/* Commands a pending unit attention lets through (SPC-4 5.14; MMC-6
 * 4.1.6.1 adds GET CONFIGURATION and GET EVENT STATUS NOTIFICATION, as
 * QEMU does for every device). */
static bool scsi_ua_passes(uint8_t op)
{
    return op == SCSI_INQUIRY || op == SCSI_REPORT_LUNS || op == SCSI_REQUEST_SENSE ||
           op == SCSI_GET_CONFIGURATION || op == SCSI_GET_EVENT_STATUS;
}

static int32_t scsi_dev_enqueue(SCSIRequest *req)
{
    SCSIDevice *d = req->dev;

    object_touch(&d->obj);
    if (d->active) {
        scsi_req_status(req, SCSI_STATUS_TASK_SET_FULL);
        return 0;
    }
    if (d->ua.key && !scsi_ua_passes(req->cdb[0])) {
        SCSISense ua = d->ua;
        d->ua = SENSE_CODE_NO_SENSE;
        scsi_req_fail(req, ua);
        return 0;
    }
    if (d->ua.key && req->cdb[0] == SCSI_REQUEST_SENSE) {
        d->sense = d->ua;       /* REQUEST SENSE reports it and clears it */
        d->ua = SENSE_CODE_NO_SENSE;
    } else if (req->cdb[0] != SCSI_REQUEST_SENSE) {
        d->sense = SENSE_CODE_NO_SENSE;
    }
    d->active = req;
    return d->ops->enqueue(d, req);
}

int32_t scsi_req_enqueue(SCSIRequest *req)
{
    unsigned need = scsi_cdb_length(req->cdb[0]);
    int32_t len;

    if (req->state != SCSI_REQ_NEW) {
        emu_bug("scsi: request enqueued twice");
    }
    if (!need) {
        guest_error("scsi: opcode %#x of a reserved or vendor group", req->cdb[0]);
        scsi_req_fail(req, SENSE_CODE_INVALID_OPCODE);
        len = 0;
    } else if (req->cdb_len < need) {
        guest_error("scsi: CDB of %u bytes for opcode %#x (%u needed)", req->cdb_len,
                    req->cdb[0], need);
        scsi_req_fail(req, SENSE_CODE_INVALID_FIELD);
        len = 0;
    } else if (!req->dev) {
        len = scsi_bus_enqueue(req);
    } else {
        len = scsi_dev_enqueue(req);
    }
    if (req->ended) {
        len = 0;
    } else if (req->dir == SCSI_XFER_TO_DEV) {
        len = -(int32_t)req->xfer_len;
    }
    req->hba_len = req->xfer_len;
    req->state = SCSI_REQ_ENQUEUED;
    return len;
}

void scsi_req_set_hba_len(SCSIRequest *req, uint32_t len)
{
    req->hba_len = len;
}

void scsi_req_continue(SCSIRequest *req)
{
    if (req->state == SCSI_REQ_FREE || req->state == SCSI_REQ_NEW) {
        emu_bug("scsi: continue of a request not enqueued");
    }
    if (req->state == SCSI_REQ_WAITING) {
        return;                 /* its block request will go on */
    }
    if (req->ended) {
        scsi_req_complete(req);
        return;
    }
    if (req->state == SCSI_REQ_ENQUEUED && req->dir == SCSI_XFER_TO_DEV &&
        req->hba_len < req->xfer_len) {
        guest_error("scsi: data-out of %u bytes, the HBA has %u", req->xfer_len,
                    req->hba_len);
        if (req->dev->ops->cancel) {
            req->dev->ops->cancel(req->dev, req);
        }
        scsi_req_fail(req, SENSE_CODE_DATA_PHASE_ERROR);
        return;
    }
    req->state = SCSI_REQ_DATA;
    if (req->op == SCSI_OP_REPLY) {
        scsi_req_reply_next(req);
    } else if (req->dev) {
        object_touch(&req->dev->obj);
        req->dev->ops->cont(req->dev, req);
    } else {
        scsi_req_done(req);
    }
}

void scsi_req_cancel(SCSIRequest *req)
{
    if (req->state == SCSI_REQ_FREE) {
        return;
    }
    if (req->dev && req->dev->active == req && req->dev->ops->cancel) {
        object_touch(&req->dev->obj);
        req->dev->ops->cancel(req->dev, req);
    }
    scsi_req_free(req);
}

unsigned scsi_bus_requests(const SCSIBus *bus)
{
    unsigned n = 0;

    for (unsigned i = 0; i < SCSI_BUS_POOL; i++) {
        n += bus->pool[i].state != SCSI_REQ_FREE;
    }
    return n;
}

/* ---------------------------------------------------------------------- */
/* Resets                                                                  */

static void scsi_device_reset_one(SCSIDevice *d)
{
    SCSIBus *bus = d->bus;

    for (unsigned i = 0; i < SCSI_BUS_POOL; i++) {
        if (bus->pool[i].state != SCSI_REQ_FREE && bus->pool[i].dev == d) {
            scsi_req_cancel(&bus->pool[i]);
        }
    }
    object_touch(&d->obj);
    if (d->ops->reset) {
        d->ops->reset(d);
    }
    d->active = NULL;
    d->sense = SENSE_CODE_NO_SENSE;
    d->ua = SENSE_CODE_RESET;
}

void scsi_device_reset(SCSIBus *bus, uint32_t channel, uint32_t target, uint32_t lun)
{
    for (unsigned i = 0; i < bus->nr_devs; i++) {
        SCSIDevice *d = bus->devs[i];
        if (d->channel == channel && (uint32_t)d->id == target &&
            (lun == UINT32_MAX || d->lun == lun)) {
            scsi_device_reset_one(d);
        }
    }
}

void scsi_bus_reset(SCSIBus *bus)
{
    for (unsigned i = 0; i < SCSI_BUS_POOL; i++) {
        scsi_req_cancel(&bus->pool[i]);
    }
    for (unsigned i = 0; i < bus->nr_devs; i++) {
        scsi_device_reset_one(bus->devs[i]);
    }
}

const TypeInfo scsi_bus_type = {
    .name = TYPE_SCSI_BUS,
    .desc = "SCSI bus",
    OBJECT_INSTANCE(SCSIBusObject),
};
