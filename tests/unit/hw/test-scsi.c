/* SPDX-License-Identifier: MIT */
/*
 * The SCSI core and scsi-hd / scsi-cd through a small test HBA (defined
 * here, on the pc machine): every command, good and bad CDB lengths,
 * ranges past the medium, residuals both ways, the request pool running
 * out, a cancel while a block request is in flight, data written then
 * read back over an image, unit attentions after reset and media change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "emu/byteorder.h"
#include "emu/machine.h"
#include "hw/devices.h"
#include "hw/scsi/scsi-bus.h"
#include "hw/scsi/scsi-disk.h"

#include "hw-test.h"

#define IMG_SIZE    (1024 * 1024)
#define BUF_SIZE    (256 * 1024)

/* ---------------------------------------------------------------------- */
/* The test HBA: one request at a time, buffers in the instance            */

typedef struct TestHBA {
    Object obj;
    SCSIBus bus;
    bool manual;                /* transfer_data does not continue */
    uint8_t in[BUF_SIZE];       /* data-in lands here */
    uint8_t out[BUF_SIZE];      /* data-out comes from here */
    uint32_t pos;
    uint32_t chunks;
    bool done;
    uint8_t status;
    uint32_t residual;
    uint8_t sense[SCSI_SENSE_BUF_SIZE];
    uint32_t sense_len;
    SCSIRequest *last;          /* the request of the last transfer_data */
} TestHBA;

static void hba_transfer(SCSIRequest *req, uint8_t *buf, uint32_t len)
{
    TestHBA *h = req->hba_private;

    assert_true(h->pos + len <= BUF_SIZE);
    if (req->dir == SCSI_XFER_FROM_DEV) {
        memcpy(h->in + h->pos, buf, len);
    } else {
        memcpy(buf, h->out + h->pos, len);
    }
    h->pos += len;
    h->chunks++;
    h->last = req;
    if (!h->manual) {
        scsi_req_continue(req);
    }
}

static void hba_complete(SCSIRequest *req, uint8_t status, uint32_t residual)
{
    TestHBA *h = req->hba_private;

    h->done = true;
    h->status = status;
    h->residual = residual;
    h->sense_len = scsi_req_get_sense(req, h->sense, sizeof(h->sense));
}

static const SCSIBusOps hba_ops = {
    .transfer_data = hba_transfer,
    .complete = hba_complete,
};

static bool hba_realize(Object *obj, Machine *m, char **errp)
{
    TestHBA *h = (TestHBA *)obj;

    (void)errp;
    scsi_bus_init(&h->bus, obj, m, &hba_ops, 0, 7, 7, NULL);
    return true;
}

static void hba_reset(Object *obj)
{
    scsi_bus_reset(&((TestHBA *)obj)->bus);
}

static const TypeInfo test_hba_type = {
    .name = "test-hba",
    OBJECT_INSTANCE(TestHBA),
    .realize = hba_realize,
    .reset = hba_reset,
};

/* ---------------------------------------------------------------------- */
/* Fixture                                                                 */

typedef struct Fixture {
    TestBoard b;
    TestHBA *h;
    uint32_t target;            /* where cmd() sends (0 unless set) */
} Fixture;

static int setup(void **state)
{
    *state = test_board_new_image(sizeof(Fixture), "scsi", NULL, IMG_SIZE);
    return 0;
}

/* A pc with the test HBA (id hba0) and the devices given, after reset. */
static void make_devs(Fixture *f, const char *drive_opts, const char *const *devs)
{
    const char *const drives[] = { drive_opts, NULL };
    char *err = NULL;

    test_board_add(&f->b, drives, NULL, NULL);
    test_board_create(&f->b, NULL);
    f->h = (TestHBA *)object_new(&test_hba_type);
    object_add_child(f->b.m->peripheral, "hba0", &f->h->obj);
    assert_true(machine_realize_device(f->b.m, &f->h->obj, &err));
    for (; devs && *devs; devs++) {
        if (!machine_device_add(f->b.m, *devs, &err)) {
            fail_msg("%s", err);
        }
    }
    machine_reset(f->b.m);
}

static void make(Fixture *f, const char *dev)
{
    const char *devs[] = { dev, NULL };

    make_devs(f, test_board_disk(dev), devs);
}

/* Runs one command on LUN lun of target 0: out_len bytes of data-out from
 * h->out, data-in into h->in; hba_len: the HBA's buffer (0: as the
 * device says). Returns the status; *len what enqueue said. */
static int cmd_lun(Fixture *f, uint32_t lun, const uint8_t *cdb, uint32_t cdb_len,
                   uint32_t hba_len, int32_t *len)
{
    const char *why = NULL;
    TestHBA *h = f->h;
    SCSIRequest *req = scsi_req_new(&h->bus, 0, f->target, lun, 1, cdb, cdb_len, h, &why);
    int32_t n;

    assert_non_null(req);
    h->pos = h->chunks = 0;
    h->done = false;
    h->sense_len = 0;
    memset(h->in, 0xee, 4096);
    n = scsi_req_enqueue(req);
    if (len) {
        *len = n;
    }
    if (hba_len) {
        scsi_req_set_hba_len(req, hba_len);
    }
    scsi_req_continue(req);
    for (int i = 0; i < 10000 && !h->done; i++) {
        machine_settle(f->b.m);
    }
    assert_true(h->done);
    assert_int_equal(scsi_bus_requests(&h->bus), 0);
    return h->status;
}

static int cmd(Fixture *f, const uint8_t *cdb, uint32_t cdb_len)
{
    return cmd_lun(f, 0, cdb, cdb_len, 0, NULL);
}

static SCSISense sense(Fixture *f)
{
    return scsi_parse_sense(f->h->sense, f->h->sense_len);
}

#define assert_sense(f, k, a, q)                                \
    do {                                                        \
        SCSISense s_ = sense(f);                                \
        assert_int_equal(f->h->status, SCSI_STATUS_CHECK_CONDITION); \
        assert_int_equal(s_.key, (k));                          \
        assert_int_equal(s_.asc, (a));                          \
        assert_int_equal(s_.ascq, (q));                         \
    } while (0)

/* The unit attention of the reset, taken by a TEST UNIT READY. */
static void clear_ua(Fixture *f)
{
    static const uint8_t tur[6] = { SCSI_TEST_UNIT_READY };

    assert_int_equal(cmd(f, tur, 6), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_UNIT_ATTENTION, 0x29, 0x00);
    assert_int_equal(cmd(f, tur, 6), SCSI_STATUS_GOOD);
}

static void cdb10(uint8_t *c, uint8_t op, uint32_t lba, uint16_t n)
{
    memset(c, 0, 10);
    c[0] = op;
    st_be32(c + 2, lba);
    st_be16(c + 7, n);
}

/* ---------------------------------------------------------------------- */
/* Tests                                                                   */

/* INQUIRY: standard data, the VPD list and pages; the bus's answer for a
 * LUN without a device. */
static void test_inquiry(void **state)
{
    Fixture *f = *state;
    uint8_t c[6] = { SCSI_INQUIRY, 0, 0, 0, 96, 0 };
    int32_t len;

    make(f, "scsi-hd,drive=d0,serial=SN42,wwn=0x5000c50015ea71ac");
    assert_int_equal(cmd_lun(f, 0, c, 6, 96, &len), SCSI_STATUS_GOOD);  /* UA passes */
    assert_int_equal(len, 36);
    assert_int_equal(f->h->residual, 96 - 36);
    assert_int_equal(f->h->in[0], 0x00);
    assert_memory_equal(f->h->in + 8, "QEMU    QEMU HARDDISK   2.5+", 28);
    c[1] = 1;                                   /* VPD 00h */
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->in[3], 6);
    assert_memory_equal(f->h->in + 4, "\x00\x80\x83\xb0\xb1\xb2", 6);
    c[2] = 0x80;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    assert_memory_equal(f->h->in + 4, "SN42", 4);
    c[2] = 0x83;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->in[7], 2);           /* "d0" */
    assert_memory_equal(f->h->in + 8, "d0", 2);
    assert_int_equal(f->h->in[11], 0x03);       /* NAA */
    assert_int_equal(ld_be64(f->h->in + 14), 0x5000c50015ea71acull);
    c[2] = 0xb0;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    assert_int_equal(ld_be32(f->h->in + 8), SD_MAX_XFER_BYTES / 512);
    assert_int_equal(ld_be32(f->h->in + 24), SD_MAX_UNMAP_DESC);
    c[2] = 0xb1;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    assert_int_equal(ld_be16(f->h->in + 4), 1);
    c[2] = 0xb2;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->in[5] & 0xe0, 0xe0);
    c[2] = 0x99;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_ILLEGAL_REQUEST, 0x24, 0);
    /* LUN 3: no device; the bus answers. */
    c[1] = c[2] = 0;
    assert_int_equal(cmd_lun(f, 3, c, 6, 0, NULL), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->in[0], 0x7f);
    c[0] = SCSI_TEST_UNIT_READY;
    assert_int_equal(cmd_lun(f, 3, c, 6, 0, NULL), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_ILLEGAL_REQUEST, 0x25, 0);
}

/* No device at a target: no request; the pool running out. */
static void test_no_target_and_pool(void **state)
{
    Fixture *f = *state;
    static const uint8_t tur[6] = { 0 };
    SCSIRequest *reqs[SCSI_BUS_POOL];
    const char *why = NULL;

    make(f, "scsi-hd,drive=d0");
    clear_ua(f);
    assert_null(scsi_req_new(&f->h->bus, 0, 5, 0, 1, tur, 6, f->h, &why));
    assert_string_equal(why, "no device at this target");
    for (int i = 0; i < SCSI_BUS_POOL; i++) {
        reqs[i] = scsi_req_new(&f->h->bus, 0, 0, 0, i, tur, 6, f->h, &why);
        assert_non_null(reqs[i]);
    }
    assert_null(scsi_req_new(&f->h->bus, 0, 0, 0, 99, tur, 6, f->h, &why));
    assert_string_equal(why, "no free request");
    /* A second command to the busy unit: TASK SET FULL. */
    assert_int_equal(scsi_req_enqueue(reqs[0]), 0);
    assert_int_equal(scsi_req_enqueue(reqs[1]), 0);
    f->h->done = false;
    scsi_req_continue(reqs[1]);
    assert_true(f->h->done);
    assert_int_equal(f->h->status, SCSI_STATUS_TASK_SET_FULL);
    for (int i = 0; i < SCSI_BUS_POOL; i++) {
        if (i != 1) {
            scsi_req_cancel(reqs[i]);
        }
    }
    assert_int_equal(scsi_bus_requests(&f->h->bus), 0);
}

/* CDB lengths by group (SPC-4 4.2.5.1). */
static void test_cdb_length(void **state)
{
    Fixture *f = *state;
    uint8_t c[16] = { 0 };

    make(f, "scsi-hd,drive=d0");
    clear_ua(f);
    cdb10(c, SCSI_READ_10, 0, 1);
    assert_int_equal(cmd_lun(f, 0, c, 6, 0, NULL), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_ILLEGAL_REQUEST, 0x24, 0);
    assert_int_equal(cmd_lun(f, 0, c, 10, 0, NULL), SCSI_STATUS_GOOD);
    assert_int_equal(cmd_lun(f, 0, c, 32, 0, NULL), SCSI_STATUS_GOOD);  /* longer: fine */
    memset(c, 0, sizeof(c));
    c[0] = SCSI_READ_16;
    c[13] = 1;
    assert_int_equal(cmd_lun(f, 0, c, 12, 0, NULL), SCSI_STATUS_CHECK_CONDITION);
    assert_int_equal(cmd_lun(f, 0, c, 16, 0, NULL), SCSI_STATUS_GOOD);
    for (unsigned op = 0x60; op < 0x100; op += 0x20) {
        if (op == 0x80 || op == 0xa0) {
            continue;
        }
        c[0] = (uint8_t)op;     /* groups 3, 6, 7 */
        assert_int_equal(cmd_lun(f, 0, c, 16, 0, NULL), SCSI_STATUS_CHECK_CONDITION);
        assert_sense(f, SENSE_ILLEGAL_REQUEST, 0x20, 0);
    }
    assert_int_equal(scsi_cdb_length(0x12), 6);
    assert_int_equal(scsi_cdb_length(0x28), 10);
    assert_int_equal(scsi_cdb_length(0x55), 10);
    assert_int_equal(scsi_cdb_length(0x88), 16);
    assert_int_equal(scsi_cdb_length(0xa8), 12);
    assert_int_equal(scsi_cdb_length(0x7f), 0);
}

/* WRITE(10) then READ(10) and READ(6)/(12)/(16) of the image. */
static void test_write_read(void **state)
{
    Fixture *f = *state;
    uint8_t c[16];
    int32_t len;

    make(f, "scsi-hd,drive=d0");
    clear_ua(f);
    cdb10(c, SCSI_READ_10, 2, 2);
    assert_int_equal(cmd_lun(f, 0, c, 10, 0, &len), SCSI_STATUS_GOOD);
    assert_int_equal(len, 1024);
    for (int i = 0; i < 256; i++) {
        assert_int_equal(ld_le32(f->h->in + 4 * i), 2 * 512 + 4 * i);
    }
    for (int i = 0; i < 1024; i++) {
        f->h->out[i] = (uint8_t)(i * 7 + 1);
    }
    cdb10(c, SCSI_WRITE_10, 3, 2);
    assert_int_equal(cmd_lun(f, 0, c, 10, 0, &len), SCSI_STATUS_GOOD);
    assert_int_equal(len, -1024);
    memset(c, 0, 16);
    c[0] = SCSI_READ_16;
    st_be64(c + 2, 3);
    st_be32(c + 10, 2);
    assert_int_equal(cmd(f, c, 16), SCSI_STATUS_GOOD);
    assert_memory_equal(f->h->in, f->h->out, 1024);
    memset(c, 0, 16);
    c[0] = SCSI_READ_6;
    c[3] = 4;
    c[4] = 1;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    assert_memory_equal(f->h->in, f->h->out + 512, 512);
    memset(c, 0, 16);
    c[0] = SCSI_READ_12;
    st_be32(c + 2, 5);
    st_be32(c + 6, 1);
    assert_int_equal(cmd(f, c, 12), SCSI_STATUS_GOOD);
    assert_int_equal(ld_le32(f->h->in), 5 * 512);
}

/* A transfer larger than the buffer moves in 64 KiB chunks. */
static void test_chunks(void **state)
{
    Fixture *f = *state;
    uint8_t c[10];

    make(f, "scsi-hd,drive=d0");
    clear_ua(f);
    cdb10(c, SCSI_READ_10, 0, 300);            /* 150 KiB */
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->chunks, 3);
    assert_int_equal(ld_le32(f->h->in + 299 * 512), 299 * 512);
    for (int i = 0; i < 300 * 512; i++) {
        f->h->out[i] = (uint8_t)(i >> 9);
    }
    cdb10(c, SCSI_WRITE_10, 10, 300);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->chunks, 3);
    cdb10(c, SCSI_READ_10, 10, 300);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    assert_memory_equal(f->h->in, f->h->out, 300 * 512);
}

/* LBA OUT OF RANGE at and past the end; the last block reads. */
static void test_range(void **state)
{
    Fixture *f = *state;
    uint8_t c[16];
    uint32_t blocks = IMG_SIZE / 512;

    make(f, "scsi-hd,drive=d0");
    clear_ua(f);
    cdb10(c, SCSI_READ_10, blocks - 1, 1);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    cdb10(c, SCSI_READ_10, blocks - 1, 2);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_ILLEGAL_REQUEST, 0x21, 0);
    memset(c, 0, 16);
    c[0] = SCSI_WRITE_16;
    st_be64(c + 2, UINT64_MAX);
    st_be32(c + 10, 2);
    assert_int_equal(cmd(f, c, 16), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_ILLEGAL_REQUEST, 0x21, 0);
    cdb10(c, SCSI_VERIFY_10, blocks, 1);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_CHECK_CONDITION);
    cdb10(c, SCSI_VERIFY_10, 0, 16);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    c[1] = 0x02;                                /* BYTCHK */
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_CHECK_CONDITION);
    memset(c, 0, 16);
    c[0] = SCSI_VERIFY_12;
    st_be32(c + 6, 1);
    assert_int_equal(cmd(f, c, 12), SCSI_STATUS_GOOD);
    memset(c, 0, 16);
    c[0] = SCSI_VERIFY_16;
    st_be64(c + 2, blocks - 1);
    st_be32(c + 10, 1);
    assert_int_equal(cmd(f, c, 16), SCSI_STATUS_GOOD);
    /* Larger than the Block Limits page says. */
    memset(c, 0, 16);
    c[0] = SCSI_READ_16;
    st_be32(c + 10, 0xffffffff);
    assert_int_equal(cmd(f, c, 16), SCSI_STATUS_CHECK_CONDITION);
}

/* Residuals: the HBA's buffer larger (underrun) and smaller (data-in
 * stops, data-out fails with DATA PHASE ERROR). */
static void test_residuals(void **state)
{
    Fixture *f = *state;
    uint8_t c[10];

    make(f, "scsi-hd,drive=d0");
    clear_ua(f);
    cdb10(c, SCSI_READ_10, 0, 2);
    assert_int_equal(cmd_lun(f, 0, c, 10, 4096, NULL), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->residual, 4096 - 1024);
    assert_int_equal(f->h->pos, 1024);
    assert_int_equal(cmd_lun(f, 0, c, 10, 700, NULL), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->residual, 0);
    assert_int_equal(f->h->pos, 700);
    cdb10(c, SCSI_WRITE_10, 0, 2);
    assert_int_equal(cmd_lun(f, 0, c, 10, 512, NULL), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_ABORTED_COMMAND, 0x4b, 0);
    assert_int_equal(f->h->residual, 512);
    assert_int_equal(cmd_lun(f, 0, c, 10, 2048, NULL), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->residual, 1024);
}

/* A cancel while the block request is in flight: no completion, the unit
 * free again, the next command runs. */
static void test_cancel_in_flight(void **state)
{
    Fixture *f = *state;
    const char *why = NULL;
    uint8_t c[10];
    SCSIRequest *req;
    SCSIDiskState *s;

    make(f, "scsi-hd,drive=d0");
    clear_ua(f);
    cdb10(c, SCSI_READ_10, 0, 8);
    req = scsi_req_new(&f->h->bus, 0, 0, 0, 7, c, 10, f->h, &why);
    assert_int_equal(scsi_req_enqueue(req), 4096);
    f->h->done = false;
    f->h->chunks = 0;
    scsi_req_continue(req);
    s = (SCSIDiskState *)scsi_device_find(&f->h->bus, 0, 0, 0);
    assert_true(blk_req_pending(&s->breq));
    scsi_req_continue(req);                     /* waiting: nothing */
    scsi_req_cancel(req);
    assert_false(blk_req_pending(&s->breq));
    assert_null(s->qdev.active);
    machine_settle(f->b.m);
    assert_false(f->h->done);
    assert_int_equal(f->h->chunks, 0);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    /* LUN RESET: the next command sees the unit attention. */
    scsi_device_reset(&f->h->bus, 0, 0, 0);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_UNIT_ATTENTION, 0x29, 0);
}

/* REQUEST SENSE: the unit attention, then the last error, fixed and
 * descriptor formats; D_SENSE through MODE SELECT. */
static void test_request_sense(void **state)
{
    Fixture *f = *state;
    uint8_t rs[6] = { SCSI_REQUEST_SENSE, 0, 0, 0, 252, 0 };
    uint8_t bad[6] = { 0x02 };                  /* not a command of ours */

    make(f, "scsi-hd,drive=d0");
    assert_int_equal(cmd(f, rs, 6), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->pos, 18);
    assert_int_equal(f->h->in[0], 0x70);
    assert_int_equal(f->h->in[2], SENSE_UNIT_ATTENTION);
    assert_int_equal(f->h->in[12], 0x29);
    assert_int_equal(cmd(f, bad, 6), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_ILLEGAL_REQUEST, 0x20, 0);
    rs[1] = 1;                                  /* DESC */
    assert_int_equal(cmd(f, rs, 6), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->pos, 8);
    assert_memory_equal(f->h->in, "\x72\x05\x20\x00", 4);
    assert_int_equal(cmd(f, rs, 6), SCSI_STATUS_GOOD);
    assert_memory_equal(f->h->in, "\x72\x00\x00\x00", 4);
}

/* READ CAPACITY (10) and (16); a bad service action. */
static void test_read_capacity(void **state)
{
    Fixture *f = *state;
    uint8_t c[16] = { SCSI_READ_CAPACITY_10 };

    make(f, "scsi-hd,drive=d0,logical_block_size=4096");
    clear_ua(f);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    assert_int_equal(ld_be32(f->h->in), IMG_SIZE / 4096 - 1);
    assert_int_equal(ld_be32(f->h->in + 4), 4096);
    memset(c, 0, 16);
    c[0] = SCSI_SERVICE_ACTION_IN_16;
    c[1] = SCSI_SAI_READ_CAPACITY_16;
    c[13] = 32;
    assert_int_equal(cmd(f, c, 16), SCSI_STATUS_GOOD);
    assert_int_equal(ld_be64(f->h->in), IMG_SIZE / 4096 - 1);
    assert_int_equal(ld_be32(f->h->in + 8), 4096);
    assert_int_equal(f->h->in[14], 0xc0);
    c[1] = 0x11;
    assert_int_equal(cmd(f, c, 16), SCSI_STATUS_CHECK_CONDITION);
}

/* MODE SENSE (6)/(10), every page and 3Fh, changeable values, saved
 * ones refused; MODE SELECT of WCE, and of a bit that cannot change. */
static void test_mode(void **state)
{
    Fixture *f = *state;
    uint8_t c[10] = { SCSI_MODE_SENSE_6, 0, 0x3f, 0, 255, 0 };
    uint8_t *in;

    make(f, "scsi-hd,drive=d0");
    in = f->h->in;
    clear_ua(f);
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    assert_int_equal(in[0] + 1, f->h->pos);
    assert_int_equal(in[2], 0x10);              /* DPOFUA */
    assert_int_equal(in[3], 8);
    assert_int_equal(ld_be32(in + 4), IMG_SIZE / 512);
    assert_int_equal(in[12], 0x01);
    assert_int_equal(in[24], 0x08);
    assert_int_equal(in[26], 0x04);             /* WCE */
    assert_int_equal(in[44], 0x0a);
    assert_int_equal(in[56], 0x1c);
    assert_int_equal(f->h->pos, 4 + 8 + 12 + 20 + 12 + 12);
    c[2] = 0x2a;                                /* CD page on a disk */
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_CHECK_CONDITION);
    c[2] = 0xc8;                                /* saved */
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_ILLEGAL_REQUEST, 0x39, 0);
    memset(c, 0, 10);
    c[0] = SCSI_MODE_SENSE_10;
    c[1] = 0x08;                                /* DBD */
    c[2] = 0x48;                                /* changeable, caching */
    c[8] = 255;
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    assert_int_equal(ld_be16(in), 8 + 20 - 2);
    assert_int_equal(ld_be16(in + 6), 0);
    assert_int_equal(in[10], 0x04);
    /* MODE SELECT(6): caching page with WCE off. */
    memset(f->h->out, 0, 64);
    f->h->out[4] = 0x08;
    f->h->out[5] = 18;
    memset(c, 0, 10);
    c[0] = SCSI_MODE_SELECT_6;
    c[1] = 0x10;
    c[4] = 24;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    c[0] = SCSI_MODE_SENSE_6;
    c[1] = 0x08;
    c[2] = 0x08;
    c[4] = 255;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    assert_int_equal(in[6], 0x00);
    /* A bit that does not change; a page length that is not ours; a list
     * shorter than its page. */
    memset(c, 0, 10);
    c[0] = SCSI_MODE_SELECT_6;
    c[4] = 24;
    f->h->out[7] = 0x01;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_ILLEGAL_REQUEST, 0x26, 0);
    f->h->out[7] = 0;
    f->h->out[5] = 10;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_CHECK_CONDITION);
    f->h->out[5] = 18;
    c[4] = 12;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_ILLEGAL_REQUEST, 0x1a, 0);
    /* MODE SELECT(10) with a block descriptor and the control page. */
    memset(f->h->out, 0, 64);
    st_be16(f->h->out + 6, 8);
    st_be32(f->h->out + 12, 512);
    f->h->out[16] = 0x0a;
    f->h->out[17] = 10;
    f->h->out[18] = 0x04;                       /* D_SENSE */
    memset(c, 0, 10);
    c[0] = SCSI_MODE_SELECT_10;
    c[8] = 28;
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    c[0] = 0x02;
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_CHECK_CONDITION);
    assert_int_equal(f->h->sense[0], 0x72);     /* descriptor format now */
}

/* WRITE SAME (with and without UNMAP), UNMAP with its list checked,
 * SYNCHRONIZE CACHE. */
static void test_write_same_unmap(void **state)
{
    Fixture *f = *state;
    uint8_t c[16];
    uint8_t *out;

    make(f, "scsi-hd,drive=d0");
    out = f->h->out;
    clear_ua(f);
    memset(out, 0x5a, 512);
    cdb10(c, SCSI_WRITE_SAME_10, 8, 200);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    cdb10(c, SCSI_READ_10, 8, 200);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    for (int i = 0; i < 200 * 512; i++) {
        assert_int_equal(f->h->in[i], 0x5a);
    }
    cdb10(c, SCSI_WRITE_SAME_10, 8, 0);          /* WSNZ */
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_CHECK_CONDITION);
    memset(out, 0, 512);
    memset(c, 0, 16);
    c[0] = SCSI_WRITE_SAME_16;
    c[1] = 0x08;                                /* UNMAP */
    st_be64(c + 2, 8);
    st_be32(c + 10, 8);
    assert_int_equal(cmd(f, c, 16), SCSI_STATUS_GOOD);
    cdb10(c, SCSI_READ_10, 8, 9);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    for (int i = 0; i < 8 * 512; i++) {
        assert_int_equal(f->h->in[i], 0);
    }
    assert_int_equal(f->h->in[8 * 512], 0x5a);
    /* UNMAP of blocks 16-17. */
    memset(out, 0, 64);
    st_be16(out, 22);
    st_be16(out + 2, 16);
    st_be64(out + 8, 16);
    st_be32(out + 16, 2);
    cdb10(c, SCSI_UNMAP, 0, 24);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    cdb10(c, SCSI_READ_10, 16, 3);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->in[0], 0);
    assert_int_equal(f->h->in[1023], 0);
    assert_int_equal(f->h->in[1024], 0x5a);
    cdb10(c, SCSI_UNMAP, 0, 24);
    st_be16(out + 2, 32);                       /* two descriptors, one there */
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_ILLEGAL_REQUEST, 0x1a, 0);
    st_be16(out + 2, 16);
    st_be64(out + 8, IMG_SIZE / 512);           /* past the end */
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_ILLEGAL_REQUEST, 0x21, 0);
    cdb10(c, SCSI_UNMAP, 0, 4);                 /* shorter than a header */
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_CHECK_CONDITION);
    cdb10(c, SCSI_SYNCHRONIZE_CACHE_10, 0, 0);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    memset(c, 0, 16);
    c[0] = SCSI_SYNCHRONIZE_CACHE_16;
    assert_int_equal(cmd(f, c, 16), SCSI_STATUS_GOOD);
}

/* REPORT LUNS from LUN 0 and from a LUN without a device; START STOP and
 * PREVENT ALLOW on a disk. */
static void test_report_luns(void **state)
{
    Fixture *f = *state;
    const char *devs[] = { "scsi-hd,drive=d0,lun=0", "scsi-hd,drive=d1,lun=2", NULL };
    uint8_t c[12] = { SCSI_REPORT_LUNS };
    char *err = NULL;

    g_ptr_array_add(f->b.cfg.drives, g_strdup("file=null-co://,if=none,id=d1"));
    make_devs(f, "file=%s,if=none,format=raw,id=d0", devs);
    (void)err;
    st_be32(c + 6, 64);
    assert_int_equal(cmd(f, c, 12), SCSI_STATUS_GOOD);
    assert_int_equal(ld_be32(f->h->in), 16);
    assert_int_equal(ld_be16(f->h->in + 8), 0);
    assert_int_equal(ld_be16(f->h->in + 16), 2);
    assert_int_equal(cmd_lun(f, 5, c, 12, 0, NULL), SCSI_STATUS_GOOD);
    assert_int_equal(ld_be32(f->h->in), 16);
    st_be32(c + 6, 8);                          /* less than 16 */
    assert_int_equal(cmd(f, c, 12), SCSI_STATUS_CHECK_CONDITION);
    clear_ua(f);
    memset(c, 0, 12);
    c[0] = SCSI_START_STOP_UNIT;
    c[4] = 0x01;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    c[0] = SCSI_PREVENT_ALLOW;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
}

/* scsi-cd: INQUIRY, READ(10) in 2048-byte blocks, READ TOC, GET
 * CONFIGURATION, the tray and the media-change unit attention and event,
 * READ CD raw, writes refused. */
static void test_cd(void **state)
{
    Fixture *f = *state;
    uint8_t c[12] = { SCSI_INQUIRY, 0, 0, 0, 36, 0 };
    uint8_t *in;

    make(f, "scsi-cd,drive=d0");
    in = f->h->in;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    assert_int_equal(in[0], 0x05);
    assert_int_equal(in[1], 0x80);
    assert_memory_equal(in + 16, "QEMU CD-ROM     ", 16);
    clear_ua(f);
    cdb10(c, SCSI_READ_10, 1, 1);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->pos, 2048);
    assert_int_equal(ld_le32(in), 2048);
    cdb10(c, SCSI_WRITE_10, 1, 1);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_DATA_PROTECT, 0x27, 0);
    cdb10(c, SCSI_READ_TOC, 0, 0x100);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    assert_int_equal(ld_be16(in), 18);
    assert_int_equal(ld_be32(in + 16), IMG_SIZE / 2048);
    cdb10(c, SCSI_GET_CONFIGURATION, 0, 0x100);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    assert_int_equal(ld_be16(in + 6), MMC_PROFILE_CD_ROM);
    memset(c, 0, 12);
    c[0] = SCSI_READ_CD;
    st_be32(c + 2, 2);
    c[8] = 1;
    c[9] = 0xf8;
    assert_int_equal(cmd(f, c, 12), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->pos, 2352);
    assert_int_equal(in[15], 0x01);
    assert_int_equal(ld_le32(in + 16), 2 * 2048);
    cdb10(c, SCSI_READ_DISC_INFO, 0, 34);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    assert_int_equal(in[1], 32);
    memset(c, 0, 12);
    c[0] = SCSI_MECHANISM_STATUS;
    c[9] = 8;
    assert_int_equal(cmd(f, c, 12), SCSI_STATUS_GOOD);
    assert_int_equal(in[5], 1);
    memset(c, 0, 12);
    c[0] = SCSI_READ_DVD_STRUCTURE;
    c[9] = 255;
    assert_int_equal(cmd(f, c, 12), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_ILLEGAL_REQUEST, 0x30, 0);     /* a CD, not a DVD */
    c[0] = SCSI_MODE_SENSE_10;
    c[2] = 0x2a;
    c[8] = 255;
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    assert_int_equal(ld_be16(in + 6), 0);                /* no block descriptor */
    assert_int_equal(in[8], 0x2a);
    /* Lock, eject refused; unlock, eject, load: a unit attention. */
    memset(c, 0, 12);
    c[0] = SCSI_PREVENT_ALLOW;
    c[4] = 1;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    c[0] = SCSI_START_STOP_UNIT;
    c[4] = 0x02;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_ILLEGAL_REQUEST, 0x53, 0x02);
    c[0] = SCSI_PREVENT_ALLOW;
    c[4] = 0;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    c[0] = SCSI_START_STOP_UNIT;
    c[4] = 0x02;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    c[0] = SCSI_TEST_UNIT_READY;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_NOT_READY, 0x3a, 0);
    c[0] = SCSI_START_STOP_UNIT;
    c[4] = 0x03;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    memset(c, 0, 12);
    c[0] = SCSI_GET_EVENT_STATUS;
    c[1] = 1;
    c[4] = 0x10;
    c[8] = 8;
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);    /* passes the UA */
    assert_int_equal(in[4], 0x02);                        /* NewMedia */
    c[0] = SCSI_TEST_UNIT_READY;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_UNIT_ATTENTION, 0x28, 0);
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
}

/* READ(6) with 0 blocks means 256 (SBC-3 5.10); WRITE(6) and WRITE(12)
 * read back. */
static void test_rw_forms(void **state)
{
    Fixture *f = *state;
    uint8_t c[12] = { SCSI_READ_6 };

    make(f, "scsi-hd,drive=d0");
    clear_ua(f);
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->pos, 256 * 512);
    assert_int_equal(ld_le32(f->h->in + 255 * 512), 255 * 512);
    memset(f->h->out, 0x6b, 1024);
    memset(c, 0, 12);
    c[0] = SCSI_WRITE_6;
    c[3] = 20;
    c[4] = 1;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    memset(c, 0, 12);
    c[0] = SCSI_WRITE_12;
    st_be32(c + 2, 21);
    st_be32(c + 6, 1);
    memset(f->h->out, 0x6c, 512);
    assert_int_equal(cmd(f, c, 12), SCSI_STATUS_GOOD);
    cdb10(c, SCSI_READ_10, 20, 2);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->in[0], 0x6b);
    assert_int_equal(f->h->in[511], 0x6b);
    assert_int_equal(f->h->in[512], 0x6c);
}

/* A scsi-cd without a medium: NOT READY, MEDIUM NOT PRESENT, INQUIRY
 * still answered; a DVD (more blocks than a CD holds) has its structures. */
static void test_cd_media(void **state)
{
    Fixture *f = *state;
    uint8_t c[12] = { SCSI_TEST_UNIT_READY };
    char *err = NULL;

    g_ptr_array_add(f->b.cfg.drives, g_strdup("if=none,id=d1,media=cdrom"));
    g_ptr_array_add(f->b.cfg.blockdevs, g_strdup("driver=null-co,node-name=d2,size=1G"));
    make_devs(f, NULL, NULL);
    assert_non_null(machine_device_add(f->b.m, "scsi-cd,drive=d1,scsi-id=0", &err));
    assert_non_null(machine_device_add(f->b.m, "scsi-cd,drive=d2,scsi-id=1", &err));
    machine_reset(f->b.m);
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_UNIT_ATTENTION, 0x29, 0);
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_NOT_READY, 0x3a, 0);
    c[0] = SCSI_READ_CAPACITY_10;
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_NOT_READY, 0x3a, 0);
    c[0] = SCSI_INQUIRY;
    c[4] = 36;
    assert_int_equal(cmd(f, c, 6), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->in[0], 0x05);
    /* Target 1: a 1 GiB medium, a DVD. */
    f->target = 1;
    clear_ua(f);
    memset(c, 0, 12);
    c[0] = SCSI_READ_DVD_STRUCTURE;
    c[9] = 255;                                 /* format 00h: physical */
    assert_int_equal(cmd(f, c, 12), SCSI_STATUS_GOOD);
    assert_int_equal(f->h->in[4], 0x01);
    assert_int_equal(ld_be32(f->h->in + 12), 0x30000 + (1u << 30) / 2048 - 1);
    c[7] = 0xff;                                /* the list */
    assert_int_equal(cmd(f, c, 12), SCSI_STATUS_GOOD);
    assert_int_equal(ld_be16(f->h->in), 18);
    cdb10(c, SCSI_GET_CONFIGURATION, 0, 64);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    assert_int_equal(ld_be16(f->h->in + 6), MMC_PROFILE_DVD_ROM);
    assert_int_equal(ld_be32(f->h->in + 24), 1);        /* SCSI interface */
    memset(c, 0, 12);
    c[0] = SCSI_SET_CD_SPEED;
    assert_int_equal(cmd(f, c, 12), SCSI_STATUS_GOOD);
    cdb10(c, SCSI_SEEK_10, 5, 0);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_GOOD);
    (void)err;
}

static void test_read_only(void **state)
{
    Fixture *f = *state;
    const char *devs[] = { "scsi-hd,drive=d0", NULL };
    uint8_t c[10];

    make_devs(f, "file=%s,if=none,format=raw,id=d0,readonly=on", devs);
    clear_ua(f);
    cdb10(c, SCSI_WRITE_10, 0, 1);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_CHECK_CONDITION);
    assert_sense(f, SENSE_DATA_PROTECT, 0x27, 0);
    cdb10(c, SCSI_UNMAP, 0, 24);
    assert_int_equal(cmd(f, c, 10), SCSI_STATUS_CHECK_CONDITION);
}

/* Bad set-ups: no SCSI bus, a target in use, a bad block size. */
static void test_config_errors(void **state)
{
    Fixture *f = *state;
    char *err = NULL;

    g_ptr_array_add(f->b.cfg.drives, g_strdup("file=null-co://,if=none,id=d0"));
    g_ptr_array_add(f->b.cfg.devices, g_strdup("scsi-hd,drive=d0"));
    assert_null(machine_create(&f->b.cfg, hw_boards, &err));
    assert_non_null(strstr(err, "no SCSI bus"));
    g_free(err);
    err = NULL;
    g_ptr_array_remove_index(f->b.cfg.devices, 0);
    g_ptr_array_add(f->b.cfg.drives, g_strdup("file=null-co://,if=none,id=d1"));
    make_devs(f, NULL, NULL);
    assert_non_null(machine_device_add(f->b.m, "scsi-hd,drive=d0,scsi-id=3", &err));
    assert_null(machine_device_add(f->b.m, "scsi-hd,drive=d1,scsi-id=3", &err));
    assert_non_null(strstr(err, "in use"));
    g_free(err);
    err = NULL;
    assert_null(machine_device_add(f->b.m, "scsi-hd,drive=d1,logical_block_size=1024", &err));
    g_free(err);
    err = NULL;
    assert_null(machine_device_add(f->b.m, "scsi-hd,drive=d1,bus=nope.0", &err));
    g_free(err);
    err = NULL;
    assert_non_null(scsi_bus_lookup(f->b.m, "hba0.0"));   /* named after its HBA's id */
}

/* Buses of HBAs without an id are scsi.0, scsi.1...: one named after an
 * id takes no number (QEMU's automatic bus ids). */
static void test_bus_names(void **state)
{
    Fixture *f = *state;
    char *err = NULL;

    g_ptr_array_add(f->b.cfg.devices, g_strdup("virtio-scsi-pci,id=vs0"));
    g_ptr_array_add(f->b.cfg.devices, g_strdup("virtio-scsi-pci"));
    g_ptr_array_add(f->b.cfg.devices, g_strdup("virtio-scsi-pci"));
    f->b.m = machine_create(&f->b.cfg, hw_boards, &err);
    if (!f->b.m) {
        fail_msg("%s", err);
    }
    assert_non_null(scsi_bus_lookup(f->b.m, "vs0.0"));
    assert_non_null(scsi_bus_lookup(f->b.m, "scsi.0"));
    assert_non_null(scsi_bus_lookup(f->b.m, "scsi.1"));
    assert_null(scsi_bus_lookup(f->b.m, "scsi.2"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, test_board_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_inquiry),
        T(test_no_target_and_pool),
        T(test_cdb_length),
        T(test_write_read),
        T(test_chunks),
        T(test_range),
        T(test_residuals),
        T(test_cancel_in_flight),
        T(test_request_sense),
        T(test_read_capacity),
        T(test_mode),
        T(test_write_same_unmap),
        T(test_report_luns),
        T(test_cd),
        T(test_read_only),
        T(test_rw_forms),
        T(test_cd_media),
        T(test_config_errors),
        T(test_bus_names),
    };

    hw_register_types();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
