/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the virtio core's split-ring walker (hw/virtio/virtio.c)
 * over a fake transport whose "guest memory" is a byte array: direct and
 * indirect chains, element gather/scatter, used ring and interrupts, event
 * index, and every bad index or shape the guest can write: heads and next
 * indices out of range, loops (direct and inside an indirect table), bad
 * indirect tables, nested indirection, zero lengths, order, the segment cap,
 * an avail index too far ahead. A bad chain makes the device broken
 * (NEEDS_RESET for 1.0 drivers) until reset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hw/virtio/virtio.h"

#define MEM_SIZE  0x40000
#define QSIZE     16
#define DESC      0x1000
#define AVAIL     0x2000
#define USED      0x3000
#define TABLE     0x8000     /* indirect tables */
#define BUF       0x10000

typedef struct Fixture {
    VirtIODevice vdev;
    uint8_t mem[MEM_SIZE];
    unsigned out_of_range;      /* DMA outside mem */
    unsigned notifies;
    uint16_t last_vector;
    unsigned kicks;
    uint16_t avail_idx;
} Fixture;

static MemTxResult fake_read(void *opaque, uint64_t addr, void *buf, uint64_t len)
{
    Fixture *f = opaque;
    if (addr > MEM_SIZE || len > MEM_SIZE - addr) {
        f->out_of_range++;
        memset(buf, 0, len);
        return MEMTX_DECODE_ERROR;
    }
    memcpy(buf, f->mem + addr, len);
    return MEMTX_OK;
}

static MemTxResult fake_write(void *opaque, uint64_t addr, const void *buf,
                              uint64_t len)
{
    Fixture *f = opaque;
    if (addr > MEM_SIZE || len > MEM_SIZE - addr) {
        f->out_of_range++;
        return MEMTX_DECODE_ERROR;
    }
    memcpy(f->mem + addr, buf, len);
    return MEMTX_OK;
}

static void fake_notify(void *opaque, uint16_t vector)
{
    Fixture *f = opaque;
    f->notifies++;
    f->last_vector = vector;
}

static void fake_kick(VirtIODevice *vdev, unsigned n)
{
    Fixture *f = vdev->opaque;
    f->kicks++;
}

static const VirtIOTransportOps fake_transport = {
    .dma_read = fake_read,
    .dma_write = fake_write,
    .notify = fake_notify,
};

static const VirtIODeviceOps fake_device = {
    .handle_output = fake_kick,
};

static void st16(Fixture *f, uint64_t addr, uint16_t v)
{
    f->mem[addr] = v & 0xff;
    f->mem[addr + 1] = v >> 8;
}

static uint16_t ld16(Fixture *f, uint64_t addr)
{
    return f->mem[addr] | f->mem[addr + 1] << 8;
}

static uint32_t ld32(Fixture *f, uint64_t addr)
{
    return ld16(f, addr) | (uint32_t)ld16(f, addr + 2) << 16;
}

/* Descriptor i of the table at base. */
static void put_desc(Fixture *f, uint64_t base, unsigned i, uint64_t addr,
                     uint32_t len, uint16_t flags, uint16_t next)
{
    uint8_t *d = f->mem + base + 16 * i;
    for (int b = 0; b < 8; b++) {
        d[b] = addr >> (8 * b);
    }
    for (int b = 0; b < 4; b++) {
        d[8 + b] = len >> (8 * b);
    }
    d[12] = flags & 0xff;
    d[13] = flags >> 8;
    d[14] = next & 0xff;
    d[15] = next >> 8;
}

/* Makes head available. */
static void offer(Fixture *f, uint16_t head)
{
    st16(f, AVAIL + 4 + 2 * (f->avail_idx % QSIZE), head);
    f->avail_idx++;
    st16(f, AVAIL + 2, f->avail_idx);
}

static int setup(void **state)
{
    Fixture *f = test_calloc(1, sizeof(*f));
    VirtIODevice *vdev = &f->vdev;

    virtio_init(vdev, "test-virtio", &fake_device, f,
                (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_RING_F_EVENT_IDX) |
                (1ull << VIRTIO_RING_F_INDIRECT_DESC), 0);
    virtio_set_transport(vdev, &fake_transport, f);
    virtio_add_queue(vdev, QSIZE);
    virtio_reset(vdev);
    virtio_set_features(vdev, 1ull << VIRTIO_F_VERSION_1);
    virtio_queue_set_rings(vdev, 0, DESC, AVAIL, USED);
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                      VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
    f->notifies = 0;        /* the reset updated the INTx level */
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    test_free(*state);
    return 0;
}

/* A failed pop of a bad chain: broken, NEEDS_RESET, config interrupt. */
static void assert_broken(Fixture *f)
{
    VirtQueueElement elem;
    assert_true(f->vdev.broken);
    assert_true(f->vdev.status & VIRTIO_CONFIG_S_NEEDS_RESET);
    assert_int_equal(f->vdev.isr & VIRTIO_ISR_CONFIG, VIRTIO_ISR_CONFIG);
    /* Until reset nothing more is taken. */
    offer(f, 0);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    virtio_reset(&f->vdev);
    assert_false(f->vdev.broken);
    assert_int_equal(f->vdev.status, 0);
}

static void test_direct_chain(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;
    uint8_t buf[8];

    memcpy(f->mem + BUF, "abcd", 4);
    memcpy(f->mem + BUF + 0x100, "efgh", 4);
    put_desc(f, DESC, 3, BUF, 4, VRING_DESC_F_NEXT, 7);
    put_desc(f, DESC, 7, BUF + 0x100, 4, VRING_DESC_F_NEXT, 1);
    put_desc(f, DESC, 1, BUF + 0x200, 3, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 2);
    put_desc(f, DESC, 2, BUF + 0x300, 5, VRING_DESC_F_WRITE, 0);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));     /* empty */
    offer(f, 3);
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    assert_int_equal(elem.index, 3);
    assert_int_equal(elem.out.nr, 2);
    assert_int_equal(elem.in.nr, 2);
    assert_int_equal(virtqueue_elem_out_size(&elem), 8);
    assert_int_equal(virtqueue_elem_in_size(&elem), 8);
    /* Gather across segments, from an offset. */
    assert_int_equal(virtqueue_elem_read(&f->vdev, &elem, 2, buf, 8), 6);
    assert_memory_equal(buf, "cdefgh", 6);
    /* Scatter: 3 bytes, then 5; more is cut. */
    assert_int_equal(virtqueue_elem_write(&f->vdev, &elem, 0, "123456789", 9), 8);
    assert_memory_equal(f->mem + BUF + 0x200, "123", 3);
    assert_memory_equal(f->mem + BUF + 0x300, "45678", 5);
    /* Used ring, index, avail_event (EVENT_IDX not negotiated: untouched). */
    virtqueue_push(&f->vdev, 0, elem.index, 8);
    assert_int_equal(ld16(f, USED + 2), 1);
    assert_int_equal(ld32(f, USED + 4), 3);
    assert_int_equal(ld32(f, USED + 8), 8);
    assert_int_equal(ld16(f, USED + 4 + 8 * QSIZE), 0);
    virtio_notify(&f->vdev, 0);
    assert_int_equal(f->notifies, 1);
    assert_int_equal(f->vdev.isr, VIRTIO_ISR_QUEUE);
    assert_int_equal(virtio_isr_read_clear(&f->vdev), VIRTIO_ISR_QUEUE);
    assert_int_equal(f->vdev.isr, 0);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_false(f->vdev.broken);
    assert_int_equal(f->out_of_range, 0);
}

static void test_no_interrupt_flag(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_desc(f, DESC, 0, BUF, 4, 0, 0);
    st16(f, AVAIL, VRING_AVAIL_F_NO_INTERRUPT);
    offer(f, 0);
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    virtqueue_push(&f->vdev, 0, elem.index, 0);
    virtio_notify(&f->vdev, 0);
    assert_int_equal(f->notifies, 0);
    assert_int_equal(f->vdev.isr, 0);
}

static void test_indirect(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_desc(f, TABLE, 0, BUF, 10, VRING_DESC_F_NEXT, 2);
    put_desc(f, TABLE, 2, BUF + 0x100, 20, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 1);
    put_desc(f, TABLE, 1, BUF + 0x200, 30, VRING_DESC_F_WRITE, 0);
    put_desc(f, DESC, 5, TABLE, 3 * 16, VRING_DESC_F_INDIRECT, 0);
    offer(f, 5);
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    assert_int_equal(elem.index, 5);
    assert_int_equal(elem.out.nr, 1);
    assert_int_equal(elem.in.nr, 2);
    assert_int_equal(elem.seg[0].addr, BUF);
    assert_int_equal(elem.seg[1].addr, BUF + 0x100);
    assert_int_equal(elem.seg[2].len, 30);
    assert_false(f->vdev.broken);
}

static void test_indirect_bad_size(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_desc(f, DESC, 0, TABLE, 20, VRING_DESC_F_INDIRECT, 0);
    offer(f, 0);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_broken(f);
}

static void test_indirect_zero_size(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_desc(f, DESC, 0, TABLE, 0, VRING_DESC_F_INDIRECT, 0);
    offer(f, 0);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_broken(f);
}

static void test_indirect_nested(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_desc(f, TABLE, 0, BUF, 4, VRING_DESC_F_NEXT, 1);
    put_desc(f, TABLE, 1, TABLE + 0x100, 16, VRING_DESC_F_INDIRECT, 0);
    put_desc(f, DESC, 0, TABLE, 32, VRING_DESC_F_INDIRECT, 0);
    offer(f, 0);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_broken(f);
}

/* A loop inside an indirect table is caught by the table's size. */
static void test_indirect_loop(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_desc(f, TABLE, 0, BUF, 4, VRING_DESC_F_NEXT, 1);
    put_desc(f, TABLE, 1, BUF, 4, VRING_DESC_F_NEXT, 0);
    put_desc(f, DESC, 0, TABLE, 32, VRING_DESC_F_INDIRECT, 0);
    offer(f, 0);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_broken(f);
}

/* A huge indirect table looping on itself stops at the segment cap. */
static void test_indirect_huge_loop(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_desc(f, TABLE, 0, BUF, 4, VRING_DESC_F_NEXT, 0);
    put_desc(f, DESC, 0, TABLE, 0xfffffff0u, VRING_DESC_F_INDIRECT, 0);
    offer(f, 0);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_broken(f);
}

static void test_segment_cap(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    /* Exactly VIRTIO_MAX_SEGS descriptors: taken. */
    for (unsigned i = 0; i < VIRTIO_MAX_SEGS; i++) {
        bool last = i + 1 == VIRTIO_MAX_SEGS;
        put_desc(f, TABLE, i, BUF + i, 1, last ? 0 : VRING_DESC_F_NEXT, i + 1);
    }
    put_desc(f, DESC, 0, TABLE, 16 * (VIRTIO_MAX_SEGS + 1), VRING_DESC_F_INDIRECT, 0);
    offer(f, 0);
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    assert_int_equal(elem.out.nr, VIRTIO_MAX_SEGS);
    virtqueue_push(&f->vdev, 0, elem.index, 0);
    /* One more: refused. */
    put_desc(f, TABLE, VIRTIO_MAX_SEGS - 1, BUF, 1, VRING_DESC_F_NEXT, VIRTIO_MAX_SEGS);
    put_desc(f, TABLE, VIRTIO_MAX_SEGS, BUF, 1, 0, 0);
    offer(f, 0);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_broken(f);
}

/* The cap counts out and in segments together. */
static void test_segment_cap_mixed(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    for (unsigned i = 0; i <= VIRTIO_MAX_SEGS; i++) {
        uint16_t flags = i < 100 ? 0 : VRING_DESC_F_WRITE;
        flags |= i < VIRTIO_MAX_SEGS ? VRING_DESC_F_NEXT : 0;
        put_desc(f, TABLE, i, BUF + i, 1, flags, i + 1);
    }
    put_desc(f, DESC, 0, TABLE, 16 * (VIRTIO_MAX_SEGS + 1), VRING_DESC_F_INDIRECT, 0);
    offer(f, 0);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_broken(f);
}

/* A buffer whose end passes the top of the address space: fatal, as QEMU
 * cannot map it. */
static void test_wrapping_buffer(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_desc(f, DESC, 0, BUF, 4, VRING_DESC_F_NEXT, 1);
    put_desc(f, DESC, 1, UINT64_MAX - 7, 16, VRING_DESC_F_WRITE, 0);
    offer(f, 0);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_int_equal(f->out_of_range, 0);
    assert_broken(f);
}

static void test_direct_loop(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_desc(f, DESC, 0, BUF, 4, VRING_DESC_F_NEXT, 1);
    put_desc(f, DESC, 1, BUF, 4, VRING_DESC_F_NEXT, 0);
    offer(f, 0);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_broken(f);
}

/* A chain of exactly the queue size is no loop. */
static void test_direct_full_queue(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    for (unsigned i = 0; i < QSIZE; i++) {
        put_desc(f, DESC, i, BUF + i, 1, i + 1 < QSIZE ? VRING_DESC_F_NEXT : 0, i + 1);
    }
    offer(f, 0);
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    assert_int_equal(elem.out.nr, QSIZE);
}

static void test_head_out_of_range(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    offer(f, QSIZE);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_broken(f);
}

static void test_next_out_of_range(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_desc(f, DESC, 0, BUF, 4, VRING_DESC_F_NEXT, QSIZE);
    offer(f, 0);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_broken(f);
}

static void test_avail_too_far(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_desc(f, DESC, 0, BUF, 4, 0, 0);
    st16(f, AVAIL + 2, QSIZE + 1);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_broken(f);
}

static void test_zero_length(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_desc(f, DESC, 0, BUF, 0, 0, 0);
    offer(f, 0);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_broken(f);
}

static void test_out_after_in(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_desc(f, DESC, 0, BUF, 4, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
    put_desc(f, DESC, 1, BUF, 4, 0, 0);
    offer(f, 0);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_broken(f);
}

/* Too many elements in use (popped, never pushed): refused. */
static void test_inuse_cap(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    for (unsigned i = 0; i < QSIZE; i++) {
        put_desc(f, DESC, i, BUF, 4, 0, 0);
        offer(f, i);
        assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    }
    offer(f, 0);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_broken(f);
}

/* A chain in guest memory that is not there reads as zeros: a zero-length
 * descriptor, refused; nothing outside the array is touched. */
static void test_desc_table_outside_memory(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    virtio_queue_set_rings(&f->vdev, 0, UINT64_MAX - 8, AVAIL, USED);
    offer(f, 0);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_true(f->out_of_range > 0);
    assert_broken(f);
}

static void test_unpop(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_desc(f, DESC, 4, BUF, 4, 0, 0);
    offer(f, 4);
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    virtqueue_unpop(&f->vdev, 0);
    assert_int_equal(f->vdev.vq[0].inuse, 0);
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    assert_int_equal(elem.index, 4);
}

static void test_event_idx(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    virtio_reset(&f->vdev);
    virtio_set_features(&f->vdev, (1ull << VIRTIO_F_VERSION_1) |
                        (1ull << VIRTIO_RING_F_EVENT_IDX));
    virtio_queue_set_rings(&f->vdev, 0, DESC, AVAIL, USED);
    f->notifies = 0;
    for (unsigned i = 0; i < 3; i++) {
        put_desc(f, DESC, i, BUF, 4, 0, 0);
        offer(f, i);
    }
    st16(f, AVAIL + 4 + 2 * QSIZE, 1);      /* used_event: after the 2nd */
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    assert_int_equal(ld16(f, USED + 4 + 8 * QSIZE), 1);    /* avail_event */
    virtqueue_push(&f->vdev, 0, elem.index, 0);
    virtio_notify(&f->vdev, 0);
    assert_int_equal(f->notifies, 1);       /* first: always */
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    virtqueue_push(&f->vdev, 0, elem.index, 0);
    virtio_notify(&f->vdev, 0);
    assert_int_equal(f->notifies, 2);       /* used idx crossed 1 -> 2 */
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    virtqueue_push(&f->vdev, 0, elem.index, 0);
    virtio_notify(&f->vdev, 0);
    assert_int_equal(f->notifies, 2);       /* 2 -> 3: not asked for */
    virtqueue_want_kick(&f->vdev, 0);
    assert_int_equal(ld16(f, USED + 4 + 8 * QSIZE), 3);
}

static void test_avail_bytes(void **state)
{
    Fixture *f = *state;

    put_desc(f, DESC, 0, BUF, 100, VRING_DESC_F_WRITE, 0);
    put_desc(f, DESC, 1, BUF, 50, VRING_DESC_F_WRITE, 0);
    offer(f, 0);
    offer(f, 1);
    assert_true(virtqueue_avail_bytes(&f->vdev, 0, 150));
    assert_false(virtqueue_avail_bytes(&f->vdev, 0, 151));
    assert_int_equal(f->vdev.vq[0].last_avail_idx, 0);      /* nothing taken */
}

static void test_queue_size(void **state)
{
    Fixture *f = *state;

    virtio_queue_set_num(&f->vdev, 0, 12);
    assert_int_equal(virtio_queue_get_num(&f->vdev, 0), QSIZE);
    virtio_queue_set_num(&f->vdev, 0, 2 * QSIZE);
    assert_int_equal(virtio_queue_get_num(&f->vdev, 0), QSIZE);
    virtio_queue_set_num(&f->vdev, 0, 0);
    assert_int_equal(virtio_queue_get_num(&f->vdev, 0), QSIZE);
    virtio_queue_set_num(&f->vdev, 0, 4);
    assert_int_equal(virtio_queue_get_num(&f->vdev, 0), 4);
    virtio_queue_set_num(&f->vdev, 1, 4);                   /* no queue 1 */
    assert_int_equal(virtio_queue_get_num(&f->vdev, 1), 0);
    virtio_queue_set_num(&f->vdev, VIRTIO_QUEUE_SEL_MAX - 1, 4);
    assert_int_equal(virtio_queue_get_num(&f->vdev, VIRTIO_QUEUE_SEL_MAX - 1), 0);
}

static void test_legacy_layout(void **state)
{
    Fixture *f = *state;

    virtio_queue_set_legacy_addr(&f->vdev, 0, 0x5000);
    assert_int_equal(f->vdev.vq[0].desc, 0x5000);
    assert_int_equal(f->vdev.vq[0].avail, 0x5000 + 16 * QSIZE);
    assert_int_equal(f->vdev.vq[0].used, 0x6000);
}

static void test_notify_kicks(void **state)
{
    Fixture *f = *state;

    virtio_queue_notify(&f->vdev, 0);
    virtio_queue_notify(&f->vdev, 1);                       /* no such queue */
    virtio_queue_notify(&f->vdev, VIRTIO_QUEUE_SEL_MAX + 5);
    assert_int_equal(f->kicks, 1);
    f->vdev.broken = true;
    virtio_queue_notify(&f->vdev, 0);
    assert_int_equal(f->kicks, 1);
}

/* A message longer than virtio_error's buffer is cut, not allocated. */
static void test_error_long_message(void **state)
{
    Fixture *f = *state;
    char word[400];

    memset(word, 'x', sizeof(word) - 1);
    word[sizeof(word) - 1] = '\0';
    virtio_error(&f->vdev, "%s %s", word, word);
    assert_broken(f);
}

static void test_config_range(void **state)
{
    Fixture *f = *state;

    assert_int_equal(virtio_config_read(&f->vdev, 0, 1), UINT32_MAX);
    virtio_config_write(&f->vdev, 0, 0x12, 1);              /* no config: ignored */
    assert_int_equal(virtio_config_read(&f->vdev, 0xfffffffe, 4), UINT32_MAX);
}

/* A device with its own queue storage (more than the inline four): every
 * queue works, one past its count is "no such queue", and a reset clears
 * all of them. */
static void test_many_queues(void **state)
{
    Fixture *f = *state;
    VirtIODevice *vdev = &f->vdev;
    enum { N = 40 };
    VirtQueue *vqs = test_calloc(N, sizeof(*vqs));
    unsigned kicks = 0;

    virtio_init(vdev, "test-virtio-many", &fake_device, f, 1ull << VIRTIO_F_VERSION_1, 0);
    virtio_set_transport(vdev, &fake_transport, f);
    virtio_init_queues(vdev, vqs, N);
    for (unsigned i = 0; i < N; i++) {
        virtio_add_queue(vdev, QSIZE);
    }
    assert_int_equal(vdev->nvqs, N);
    for (unsigned i = 0; i < N; i++) {
        assert_int_equal(virtio_queue_get_num(vdev, i), QSIZE);
        assert_int_equal(virtio_queue_get_vector(vdev, i), VIRTIO_NO_VECTOR);
        virtio_queue_set_vector(vdev, i, (uint16_t)i);
        virtio_queue_notify(vdev, i);
    }
    kicks = f->kicks;
    assert_int_equal(virtio_queue_get_num(vdev, N), 0);
    virtio_queue_set_num(vdev, N, 8);                       /* ignored */
    virtio_queue_notify(vdev, N);
    assert_int_equal(f->kicks, kicks);
    assert_int_equal(virtio_queue_get_vector(vdev, N - 1), N - 1);
    virtio_reset(vdev);
    assert_int_equal(virtio_queue_get_vector(vdev, N - 1), VIRTIO_NO_VECTOR);
    test_free(vqs);
}

/* ---------------------------------------------------------------------- */
/* Packed rings (section 2.8)                                              */

/* Ring or table entry i in packed layout: addr, len, id, flags. */
static void put_pdesc(Fixture *f, uint64_t base, unsigned i, uint64_t addr,
                      uint32_t len, uint16_t id, uint16_t flags)
{
    put_desc(f, base, i, addr, len, id, flags);       /* same bytes, two fields swapped */
}

/* Flags of an available descriptor for the driver's wrap counter. */
static uint16_t pavail(bool wrap, uint16_t flags)
{
    return flags | (wrap ? VRING_PACKED_DESC_F_AVAIL : VRING_PACKED_DESC_F_USED);
}

/* The fixture with VIRTIO_F_RING_PACKED negotiated and a 4-entry queue:
 * DESC is the ring, AVAIL the driver's event suppression, USED the
 * device's. */
static int setup_packed(void **state)
{
    Fixture *f = test_calloc(1, sizeof(*f));
    VirtIODevice *vdev = &f->vdev;
    uint64_t features = (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_RING_F_EVENT_IDX) |
                        (1ull << VIRTIO_RING_F_INDIRECT_DESC) | (1ull << VIRTIO_F_RING_PACKED);

    virtio_init(vdev, "test-virtio-packed", &fake_device, f, features, 0);
    virtio_set_transport(vdev, &fake_transport, f);
    virtio_add_queue(vdev, QSIZE);
    virtio_reset(vdev);
    virtio_set_features(vdev, (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_RING_PACKED) |
                        (1ull << VIRTIO_RING_F_INDIRECT_DESC));
    virtio_queue_set_num(vdev, 0, 4);
    virtio_queue_set_rings(vdev, 0, DESC, AVAIL, USED);
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                      VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
    f->notifies = 0;
    *state = f;
    return 0;
}

/* Two 3-descriptor chains in a 4-entry ring, the second wrapping: ids from
 * the first descriptor, used descriptors at each chain's first position
 * with the device's wrap counter, positions moved by the chain lengths. */
static void test_packed_chain_wrap(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_pdesc(f, DESC, 1, BUF + 0x100, 4, 7, pavail(true, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE));
    put_pdesc(f, DESC, 2, BUF + 0x200, 2, 7, pavail(true, VRING_DESC_F_WRITE));
    assert_true(virtio_queue_empty(&f->vdev, 0));           /* the head last */
    put_pdesc(f, DESC, 0, BUF, 8, 7, pavail(true, VRING_DESC_F_NEXT));
    assert_false(virtio_queue_empty(&f->vdev, 0));
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    assert_int_equal(elem.index & 0xffff, 7);
    assert_int_equal(elem.index >> 16, 3);
    assert_int_equal(virtqueue_elem_out_size(&elem), 8);
    assert_int_equal(virtqueue_elem_in_size(&elem), 6);
    virtqueue_push(&f->vdev, 0, elem.index, 6);
    assert_int_equal(ld32(f, DESC + 8), 6);                  /* len */
    assert_int_equal(ld16(f, DESC + 12), 7);                 /* id */
    assert_int_equal(ld16(f, DESC + 14), VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED);
    virtio_notify(&f->vdev, 0);
    assert_int_equal(f->notifies, 1);                        /* flags 0: enabled */

    /* Positions 3, then 0 and 1 of the next lap (driver wrap 0). */
    put_pdesc(f, DESC, 0, BUF + 0x300, 4, 9, pavail(false, VRING_DESC_F_NEXT));
    put_pdesc(f, DESC, 1, BUF + 0x400, 4, 9, pavail(false, VRING_DESC_F_WRITE));
    put_pdesc(f, DESC, 3, BUF + 0x500, 4, 9, pavail(true, VRING_DESC_F_NEXT));
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    assert_int_equal(elem.index, 9 | 3 << 16);
    assert_int_equal(elem.out.nr, 2);
    assert_int_equal(elem.in.nr, 1);
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));        /* position 2: not offered */
    virtqueue_push(&f->vdev, 0, 9 | 3 << 16, 4);
    assert_int_equal(ld16(f, DESC + 16 * 3 + 12), 9);
    assert_int_equal(ld16(f, DESC + 16 * 3 + 14), VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED);
    /* The device is at position 2 of its second lap: a used descriptor
     * there carries wrap 0 (neither flag). */
    put_pdesc(f, DESC, 2, BUF + 0x600, 4, 3, pavail(false, VRING_DESC_F_WRITE));
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    virtqueue_push(&f->vdev, 0, elem.index, 1);
    assert_int_equal(ld16(f, DESC + 16 * 2 + 12), 3);
    assert_int_equal(ld16(f, DESC + 16 * 2 + 14), 0);
    assert_false(f->vdev.broken);
    assert_int_equal(f->out_of_range, 0);
}

/* A chain whose NEXT flags go all around the ring is a loop. */
static void test_packed_loop(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    for (unsigned i = 0; i < 4; i++) {
        put_pdesc(f, DESC, i, BUF + 0x100 * i, 4, 1, pavail(true, VRING_DESC_F_NEXT));
    }
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_true(f->vdev.broken);
}

/* Indirect tables: a bad size and one longer than an element can hold are
 * errors; a good one takes one ring descriptor whatever its length. */
static void test_packed_indirect(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_pdesc(f, TABLE, 0, BUF, 4, 0, 0);
    put_pdesc(f, TABLE, 1, BUF + 0x100, 4, 0, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT);
    put_pdesc(f, DESC, 0, TABLE, 32, 5, pavail(true, VRING_DESC_F_INDIRECT));
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    assert_int_equal(elem.index, 5 | 1 << 16);              /* NEXT ignored in a table */
    assert_int_equal(elem.out.nr, 1);
    assert_int_equal(elem.in.nr, 1);
    virtqueue_push(&f->vdev, 0, elem.index, 4);
    put_pdesc(f, DESC, 1, TABLE, 16 * (VIRTIO_MAX_SEGS + 1), 6, pavail(true, VRING_DESC_F_INDIRECT));
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_true(f->vdev.broken);
}

static void test_packed_indirect_bad_size(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_pdesc(f, DESC, 0, TABLE, 20, 5, pavail(true, VRING_DESC_F_INDIRECT));
    assert_false(virtqueue_pop(&f->vdev, 0, &elem));
    assert_true(f->vdev.broken);
}

/* Unpop of a chain that wrapped puts position and wrap counter back. */
static void test_packed_unpop(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    put_pdesc(f, DESC, 0, BUF, 4, 1, pavail(true, 0));
    put_pdesc(f, DESC, 1, BUF, 4, 1, pavail(true, 0));
    put_pdesc(f, DESC, 2, BUF, 4, 1, pavail(true, 0));
    for (int i = 0; i < 3; i++) {
        assert_true(virtqueue_pop(&f->vdev, 0, &elem));
        virtqueue_push(&f->vdev, 0, elem.index, 0);
    }
    put_pdesc(f, DESC, 3, BUF, 4, 2, pavail(true, VRING_DESC_F_NEXT));
    put_pdesc(f, DESC, 0, BUF, 4, 2, pavail(false, 0));
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    assert_int_equal(elem.index, 2 | 2 << 16);
    assert_false(f->vdev.vq[0].avail_wrap);
    virtqueue_unpop(&f->vdev, 0);
    assert_true(f->vdev.vq[0].avail_wrap);
    assert_int_equal(f->vdev.vq[0].last_avail_idx, 3);
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    assert_int_equal(elem.index, 2 | 2 << 16);
    assert_true(virtqueue_avail_bytes(&f->vdev, 0, 0) == false);   /* nothing more */
}

/* Driver event suppression: DISABLE stops interrupts; DESC (EVENT_IDX)
 * asks for one when the device's position passes an offset. */
static void test_packed_event_suppression(void **state)
{
    Fixture *f = *state;
    VirtQueueElement elem;

    st16(f, AVAIL + 2, VRING_PACKED_EVENT_DISABLE);
    put_pdesc(f, DESC, 0, BUF, 4, 1, pavail(true, VRING_DESC_F_WRITE));
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    virtqueue_push(&f->vdev, 0, elem.index, 4);
    virtio_notify(&f->vdev, 0);
    assert_int_equal(f->notifies, 0);
    st16(f, AVAIL + 2, VRING_PACKED_EVENT_ENABLE);
    put_pdesc(f, DESC, 1, BUF, 4, 1, pavail(true, VRING_DESC_F_WRITE));
    assert_true(virtqueue_pop(&f->vdev, 0, &elem));
    virtqueue_push(&f->vdev, 0, elem.index, 4);
    virtio_notify(&f->vdev, 0);
    assert_int_equal(f->notifies, 1);
    /* The device's event structure: ENABLE without EVENT_IDX. */
    st16(f, USED + 2, 0x77);
    virtqueue_want_kick(&f->vdev, 0);
    assert_int_equal(ld16(f, USED + 2), VRING_PACKED_EVENT_ENABLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_direct_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_queues, setup, teardown),
        cmocka_unit_test_setup_teardown(test_packed_chain_wrap, setup_packed, teardown),
        cmocka_unit_test_setup_teardown(test_packed_loop, setup_packed, teardown),
        cmocka_unit_test_setup_teardown(test_packed_indirect, setup_packed, teardown),
        cmocka_unit_test_setup_teardown(test_packed_indirect_bad_size, setup_packed, teardown),
        cmocka_unit_test_setup_teardown(test_packed_unpop, setup_packed, teardown),
        cmocka_unit_test_setup_teardown(test_packed_event_suppression, setup_packed, teardown),
        cmocka_unit_test_setup_teardown(test_no_interrupt_flag, setup, teardown),
        cmocka_unit_test_setup_teardown(test_indirect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_indirect_bad_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_indirect_zero_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_indirect_nested, setup, teardown),
        cmocka_unit_test_setup_teardown(test_indirect_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_indirect_huge_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_segment_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_segment_cap_mixed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrapping_buffer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_direct_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_direct_full_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_out_of_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_next_out_of_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_avail_too_far, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zero_length, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_after_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inuse_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_desc_table_outside_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unpop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_idx, setup, teardown),
        cmocka_unit_test_setup_teardown(test_avail_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notify_kicks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_long_message, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_range, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
