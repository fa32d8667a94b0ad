/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the network backend's deliveries (hw/backend/net.c): each
 * delivery enters the NIC, so a NIC whose receive DMA aims at its own
 * registers is refused (net receive->dma->mmio); a frame the NIC loops back
 * from inside its own register write arrives through the backend's bottom
 * half, after the write, never nested in it; the queue is bounded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/byteorder.h"
#include "emu/dma.h"
#include "hw/backend/net.h"
#include "hw/devices.h"
#include "hw-test.h"

#define NIC_BASE  0x2000     /* its registers, in the memory space */
#define NIC_CTRL  0x0        /* written only by the guest */
#define NIC_SEND  0x4        /* a write sends a frame of `value` bytes */

typedef struct TestNic {
    Object obj;
    MemoryRegion regs;
    NetBackend *nb;
    AddressSpace *as;
    uint32_t ctrl;
    unsigned received;
    bool in_send;            /* set while its own write runs */
    bool nested;             /* a frame arrived inside its own write */
    MemTxResult rx_dma;
} TestNic;

typedef struct Fixture {
    TestMachine *tm;
    Object *netdev;
    TestNic nic;
} Fixture;

static const TypeInfo test_nic_type = {
    .name = "test-nic",
};

/* Receive: DMA the frame's first 4 bytes to the address they name. */
static bool nic_receive(void *opaque, const uint8_t *buf, size_t len)
{
    TestNic *n = opaque;

    n->received++;
    n->nested |= n->in_send;
    if (len >= 8) {
        n->rx_dma = dma_write(n->as, ld_le32(buf), buf + 4, 4);
    }
    return true;
}

static uint64_t nic_read(void *opaque, uint64_t addr, unsigned size)
{
    TestNic *n = opaque;
    return addr == NIC_CTRL ? n->ctrl : 0;
}

static void nic_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    TestNic *n = opaque;
    uint8_t frame[64] = { 0 };

    if (addr == NIC_CTRL) {
        n->ctrl = (uint32_t)val;
    } else if (addr == NIC_SEND) {
        st_le32(frame, NIC_BASE + NIC_CTRL);     /* aimed at itself */
        st_le32(frame + 4, 0xbad0bad0);
        n->in_send = true;
        net_send(n->nb, frame, MIN((size_t)val, sizeof(frame)));
        n->in_send = false;
    }
}

static const MemoryRegionOps nic_ops = {
    .read = nic_read,
    .write = nic_write,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static int setup(void **state)
{
    Fixture *f = test_fixture_new(sizeof(*f), 0x10000);
    char *err = NULL;

    f->netdev = test_device_new(f->tm, &netdev_loopback_type,
                                (const char *const[]){ "id", "n0", NULL });
    f->nic.nb = (NetBackend *)f->netdev;
    f->nic.as = &f->tm->m->as_mem;
    object_initialize(&f->nic.obj, &test_nic_type);
    mr_init_io(&f->nic.regs, &f->nic.obj, &nic_ops, &f->nic, "test-nic", 0x10);
    mr_add_subregion(&f->tm->m->sysmem, NIC_BASE, &f->nic.regs);
    assert_true(net_backend_attach(f->nic.nb, &f->nic.obj, nic_receive, &f->nic,
                                   &err));
    assert_null(err);
    as_write_val(&f->tm->m->as_mem, NIC_BASE + NIC_CTRL, 0x11, 4, NULL);
    *state = f;
    return 0;
}

static void nic_send(Fixture *f, uint32_t len)
{
    as_write_val(&f->tm->m->as_mem, NIC_BASE + NIC_SEND, len, 4, NULL);
}

/* The looped-back frame waits for the bottom half, then is delivered with
 * the NIC entered: its DMA into its own CTRL is refused. */
static void test_receive_dma_refused(void **state)
{
    Fixture *f = *state;

    nic_send(f, 60);
    assert_int_equal(f->nic.received, 0);
    assert_int_equal(f->nic.nb->queue_len, 4 + 60);
    clock_run_bhs(&f->tm->m->clock);
    assert_int_equal(f->nic.received, 1);
    assert_false(f->nic.nested);
    assert_int_equal(f->nic.rx_dma, MEMTX_ERROR);
    assert_int_equal(f->nic.ctrl, 0x11);
    assert_int_equal(f->nic.nb->queue_len, 0);
    assert_int_equal(f->nic.nb->rx_frames, 1);
    assert_false(object_entered(&f->nic.obj));
}

/* Sent from outside the NIC's callbacks (say from a test or another
 * device), a frame is delivered at once, still with the NIC entered. */
static void test_direct_delivery_entered(void **state)
{
    Fixture *f = *state;
    uint8_t frame[16] = { 0 };

    st_le32(frame, NIC_BASE + NIC_CTRL);
    net_send(f->nic.nb, frame, sizeof(frame));
    assert_int_equal(f->nic.received, 1);
    assert_int_equal(f->nic.rx_dma, MEMTX_ERROR);
    assert_int_equal(f->nic.ctrl, 0x11);
    /* Aimed at RAM, the same DMA goes through. */
    st_le32(frame, 0x100);
    net_send(f->nic.nb, frame, sizeof(frame));
    assert_int_equal(f->nic.rx_dma, MEMTX_OK);
}

/* Frames past the queue's room are dropped and counted, never grown. */
static void test_queue_bounded(void **state)
{
    Fixture *f = *state;
    uint8_t big[NET_MAX_FRAME];

    memset(big, 0, sizeof(big));
    assert_true(object_enter(&f->nic.obj, "test"));
    for (int i = 0; i < 6; i++) {
        net_send(f->nic.nb, big, sizeof(big));
    }
    object_leave(&f->nic.obj);
    assert_int_equal(f->nic.nb->queue_len, 4 * (NET_MAX_FRAME + 4));
    assert_int_equal(f->nic.nb->dropped, 2);
    clock_run_bhs(&f->tm->m->clock);
    assert_int_equal(f->nic.received, 4);
    assert_int_equal(f->nic.nb->queue_len, 0);
}

int main(void)
{
    hw_register_types();
    const struct CMUnitTest tests[] = {
        FIXTURE_TEST(test_receive_dma_refused),
        FIXTURE_TEST(test_direct_delivery_entered),
        FIXTURE_TEST(test_queue_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
