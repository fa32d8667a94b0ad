/* SPDX-License-Identifier: MIT */
/*
 * The SCSI bus, the one an HBA embeds in its instance (virtio-scsi, USB
 * mass storage, SCSI host adapters): devices by (channel, target, LUN),
 * a fixed pool of requests, and the streaming API every HBA drives:
 *
 *   req = scsi_req_new(bus, ch, target, lun, tag, cdb, cdb_len, hba)
 *                       NULL (and a reason) when no device sits at the
 *                       target or the pool is empty;
 *   len = scsi_req_enqueue(req)
 *                       >0 data-in bytes the device gives, <0 data-out
 *                       bytes it wants, 0 none; nothing is called back;
 *   scsi_req_continue(req)
 *                       starts the data phase, and goes on after each
 *                       ops->transfer_data(req, buf, len) (data-in: the
 *                       HBA took len bytes from buf; data-out: it put len
 *                       bytes there);
 *   ops->complete(req, status, residual)
 *                       the end; scsi_req_get_sense reads the sense data
 *                       while it runs, and the request goes back to the
 *                       pool when it returns;
 *   scsi_req_cancel(req)
 *                       task management (ABORT TASK, LUN RESET): the
 *                       request ends without complete being called.
 *
 * Callbacks run from scsi_req_continue or from a block completion's
 * bottom half entered as the HBA (the bus owner), never from
 * scsi_req_new or scsi_req_enqueue. The core touches the device objects
 * it changes for the snapshot (object_touch), and the bus owner when a
 * completion runs.
 *
 * A logical unit runs one command at a time (SAM-5 5.3: TASK SET FULL for
 * another), with its transfer buffer (SCSI_DEV_BUF_SIZE, larger transfers
 * in chunks). Where no device sits at a LUN of a target that has one, the
 * bus answers (SPC-4 4.6.3): INQUIRY with peripheral qualifier 3, REPORT
 * LUNS, REQUEST SENSE, and LOGICAL UNIT NOT SUPPORTED for the rest.
 */
#ifndef HW_SCSI_SCSI_BUS_H
#define HW_SCSI_SCSI_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/machine.h"
#include "emu/object.h"
#include "hw/scsi/scsi.h"

#define TYPE_SCSI_BUS       "SCSI"
#define TYPE_SCSI_DEVICE    "scsi-device"

/* Limits */
#define SCSI_BUS_POOL       16          /* requests in flight on a bus */
#define SCSI_BUS_MAX_DEVS   32          /* devices on a bus */
#define SCSI_DEV_BUF_SIZE   (64 * 1024) /* a device's transfer buffer */
#define SCSI_REQ_INLINE     128         /* the bus's own replies */
#define SCSI_BUS_NAME_LEN   48

typedef struct SCSIBus SCSIBus;
typedef struct SCSIDevice SCSIDevice;
typedef struct SCSIRequest SCSIRequest;

/* req->op: a reply the bus hands over (dev->buf, or inline_buf without a
 * device); devices number their own from SCSI_OP_DEVICE. */
#define SCSI_OP_NONE        0
#define SCSI_OP_REPLY       1
#define SCSI_OP_DEVICE      2

typedef enum SCSIXferDir {
    SCSI_XFER_NONE,
    SCSI_XFER_FROM_DEV,     /* data-in */
    SCSI_XFER_TO_DEV,       /* data-out */
} SCSIXferDir;

typedef enum SCSIReqState {
    SCSI_REQ_FREE,
    SCSI_REQ_NEW,           /* scsi_req_new done */
    SCSI_REQ_ENQUEUED,      /* parsed, the HBA to continue */
    SCSI_REQ_DATA,          /* in the data phase */
    SCSI_REQ_WAITING,       /* the device waits for its block request */
} SCSIReqState;

/* What the HBA gives the bus. */
typedef struct SCSIBusOps {
    /* A chunk is ready (data-in: take len bytes of buf) or wanted
     * (data-out: put len bytes in buf); then scsi_req_continue. */
    void (*transfer_data)(SCSIRequest *req, uint8_t *buf, uint32_t len);
    /* The command is over; residual: the HBA's buffer less what moved. */
    void (*complete)(SCSIRequest *req, uint8_t status, uint32_t residual);
} SCSIBusOps;

/* What a device type gives the bus. */
typedef struct SCSIDeviceOps {
    /* Parses req->cdb (length already checked against its group) and
     * returns the transfer (as scsi_req_enqueue), or fails the request
     * with scsi_req_fail and returns 0. */
    int32_t (*enqueue)(SCSIDevice *d, SCSIRequest *req);
    /* The data phase starts or goes on (the HBA moved the last chunk). */
    void (*cont)(SCSIDevice *d, SCSIRequest *req);
    /* The request ends early: drop what is in flight. */
    void (*cancel)(SCSIDevice *d, SCSIRequest *req);
    /* A bus reset or LUN RESET (the unit attention is the bus's). */
    void (*reset)(SCSIDevice *d);
} SCSIDeviceOps;

/* The part of every SCSI device the bus knows (first in its instance). */
struct SCSIDevice {
    Object obj;
    /* Properties. */
    char *bus_name;             /* bus= */
    uint32_t channel;           /* channel= */
    int32_t id;                 /* scsi-id=; -1: the first free target */
    uint32_t lun;               /* lun= */
    /* Set at attach. */
    SCSIBus *bus;
    const SCSIDeviceOps *ops;
    uint8_t *buf;               /* SCSI_DEV_BUF_SIZE, object_add_state */
    uint32_t buf_live;          /* bytes of buf that hold state */
    /* State. */
    SCSIRequest *active;        /* the command the unit runs, or NULL */
    SCSISense ua;               /* a pending unit attention, key 0: none */
    SCSISense sense;            /* for REQUEST SENSE */
    bool dsense;                /* D_SENSE (control mode page) */
};

struct SCSIRequest {
    SCSIBus *bus;
    SCSIDevice *dev;            /* NULL: the bus answers for the LUN */
    SCSIReqState state;
    uint32_t tag;
    uint32_t channel, target, lun;
    uint8_t cdb[SCSI_CDB_MAX];
    uint32_t cdb_len;           /* as the HBA gave it */
    void *hba_private;

    SCSIXferDir dir;
    uint32_t xfer_len;          /* the command's data, in bytes */
    uint32_t hba_len;           /* the HBA's buffer (default: xfer_len) */
    uint32_t moved;             /* bytes handed over so far */
    uint8_t status;
    uint8_t sense[SCSI_SENSE_BUF_SIZE];
    uint32_t sense_len;

    /* The device's view of the command. */
    uint64_t lba;
    uint32_t blocks;            /* blocks still to move */
    uint32_t chunk;             /* bytes of the chunk in flight */
    uint32_t pos;               /* next byte of a reply in the buffer */
    uint8_t op;                 /* SCSI_OP_REPLY, or the device's own */
    bool ended;                 /* status and sense set: continue completes */
    uint8_t inline_buf[SCSI_REQ_INLINE];    /* the bus's replies */
};

struct SCSIBus {
    Object *owner;              /* the HBA */
    Object *bus_obj;            /* the "SCSI" object in the tree */
    Clock *clock;
    const SCSIBusOps *ops;
    uint32_t max_channel, max_target, max_lun;
    char name[SCSI_BUS_NAME_LEN];
    SCSIDevice *devs[SCSI_BUS_MAX_DEVS];
    unsigned nr_devs;
    SCSIRequest pool[SCSI_BUS_POOL];
};

/* --- HBA side ---------------------------------------------------------- */

/* Set-up: name NULL gives QEMU's "ID.0" for an HBA with id=ID, else
 * "scsi.N" (N: the buses already named so, as QEMU counts). */
void scsi_bus_init(SCSIBus *bus, Object *owner, Machine *m, const SCSIBusOps *ops,
                   uint32_t max_channel, uint32_t max_target, uint32_t max_lun,
                   const char *name);
/* Ends every request without completing it, resets each device and gives
 * it a unit attention (POWER ON, RESET...). */
void scsi_bus_reset(SCSIBus *bus);
SCSIDevice *scsi_device_find(SCSIBus *bus, uint32_t channel, uint32_t target,
                             uint32_t lun);
/* Whether a device sits at some LUN of the target. */
bool scsi_bus_has_target(SCSIBus *bus, uint32_t channel, uint32_t target);
/* Task management on one LUN (LUN RESET) or a whole target (I_T NEXUS
 * RESET with lun = UINT32_MAX): requests cancelled, unit attention. */
void scsi_device_reset(SCSIBus *bus, uint32_t channel, uint32_t target, uint32_t lun);

SCSIRequest *scsi_req_new(SCSIBus *bus, uint32_t channel, uint32_t target,
                          uint32_t lun, uint32_t tag, const uint8_t *cdb,
                          uint32_t cdb_len, void *hba_private, const char **why);
int32_t scsi_req_enqueue(SCSIRequest *req);
/* The HBA's buffer is len bytes (before the first scsi_req_continue): a
 * data-in longer than it stops there, a data-out longer fails with DATA
 * PHASE ERROR, a shorter transfer leaves a residual. */
void scsi_req_set_hba_len(SCSIRequest *req, uint32_t len);
void scsi_req_continue(SCSIRequest *req);
void scsi_req_cancel(SCSIRequest *req);
/* The sense data of a request completing (0 bytes if none). */
uint32_t scsi_req_get_sense(const SCSIRequest *req, uint8_t *buf, uint32_t len);
/* Requests of the pool in use (for tests and checks). */
unsigned scsi_bus_requests(const SCSIBus *bus);

/* The bus of an HBA by name ("scsi0.0"), or the first with a free target
 * when name is NULL (NULL: none). */
SCSIBus *scsi_bus_lookup(Machine *m, const char *name);

/* --- Device side ------------------------------------------------------- */

/* Realize: puts d on the bus of its properties (or the first one with a
 * free target), its buffer allocated and registered with the snapshot. */
bool scsi_device_attach(SCSIDevice *d, Machine *m, const SCSIDeviceOps *ops,
                        char **errp);
/* Data-in: len bytes of buf ready; data-out: len bytes wanted in buf. */
void scsi_req_data(SCSIRequest *req, uint8_t *buf, uint32_t len);
/* The command ends with GOOD. */
void scsi_req_done(SCSIRequest *req);
/* The command ends with CHECK CONDITION and sense s (also the device's
 * sense for REQUEST SENSE). */
void scsi_req_fail(SCSIRequest *req, SCSISense s);
/* The command ends with another status (TASK SET FULL...). */
void scsi_req_status(SCSIRequest *req, uint8_t status);
/* The command moves len bytes in direction dir, the device's own way
 * (req->op set by the caller): scsi_req_enqueue's value. */
int32_t scsi_req_expect(SCSIRequest *req, SCSIXferDir dir, uint32_t len);
/* A reply of len bytes built in the device's buffer (or the request's
 * inline one), cut to the allocation length alloc: the transfer
 * scsi_req_enqueue returns; the bus hands it over. */
int32_t scsi_req_reply(SCSIRequest *req, uint32_t len, uint32_t alloc);
/* REPORT LUNS data for the target of req into buf (at most len bytes);
 * returns the full length (SPC-4 6.33). */
uint32_t scsi_report_luns(SCSIBus *bus, uint32_t channel, uint32_t target,
                          uint8_t select, uint8_t *buf, uint32_t len);

/* The bus object in the tree (type TYPE_SCSI_BUS). */
typedef struct SCSIBusObject {
    Object obj;
    SCSIBus *bus;
} SCSIBusObject;

#endif
