/* SPDX-License-Identifier: MIT */
/*
 * A modern virtio driver for the unit tests of the virtio-pci devices
 * (test-virtio-rng.c, test-virtio-balloon.c, test-virtio-input.c): the pc
 * machine from a command line, the function at 02.0 with its BARs placed
 * as the fuzz harness places them, rings in RAM, INTx.
 */
#ifndef TESTS_UNIT_HW_VIRTIO_TEST_H
#define TESTS_UNIT_HW_VIRTIO_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/cli.h"
#include "emu/log.h"
#include "emu/pci.h"
#include "hw/devices.h"

#define VT_CF8(reg)    (0x80001000u | (reg))
#define VT_MSIX_BAR    0xe0000000u
#define VT_MODERN_BAR  0xe0004000u
#define VT_COMMON      VT_MODERN_BAR
#define VT_ISR         (VT_MODERN_BAR + 0x1000)
#define VT_DEVICE      (VT_MODERN_BAR + 0x2000)
#define VT_NOTIFY      (VT_MODERN_BAR + 0x3000)
/* Rings of queue n */
#define VT_DESC(n)     (0x10000u + 0x4000u * (n))
#define VT_AVAIL(n)    (VT_DESC(n) + 0x1000)
#define VT_USED(n)     (VT_DESC(n) + 0x2000)
#define VT_BUF         0x40000u
#define VT_MAX_QUEUES  4

typedef struct VirtTest {
    Machine *m;
    Object *dev;
    uint16_t avail_idx[VT_MAX_QUEUES];
    uint16_t qsize[VT_MAX_QUEUES];
} VirtTest;

static inline void vt_cfg_write(VirtTest *t, uint8_t reg, uint32_t val, unsigned size)
{
    as_write_val(&t->m->as_io, 0xcf8, VT_CF8(reg & ~3u), 4, NULL);
    as_write_val(&t->m->as_io, 0xcfc + (reg & 3), val, size, NULL);
}

static inline void vt_write(VirtTest *t, uint64_t addr, uint64_t val, unsigned size)
{
    as_write_val(&t->m->as_mem, addr, val, size, NULL);
}

static inline uint64_t vt_read(VirtTest *t, uint64_t addr, unsigned size)
{
    return as_read_val(&t->m->as_mem, addr, size, NULL);
}

/* The machine, its virtio function found, BARs placed, bus mastering on. */
static inline VirtTest *vt_new(const char *args, const char *type)
{
    VirtTest *t = g_new0(VirtTest, 1);
    char *err = NULL;

    hw_register_types();
    t->m = cli_machine_from_string(args, hw_boards, &err);
    if (!t->m) {
        fail_msg("machine: %s", err);
    }
    for (unsigned i = 0; i < t->m->nr_devices; i++) {
        if (!strcmp(object_type_name(t->m->devices[i]), type)) {
            t->dev = t->m->devices[i];
        }
    }
    assert_non_null(t->dev);
    vt_cfg_write(t, PCI_BASE_ADDRESS_0 + 4, VT_MSIX_BAR, 4);
    vt_cfg_write(t, PCI_BASE_ADDRESS_0 + 16, VT_MODERN_BAR, 4);
    vt_cfg_write(t, PCI_BASE_ADDRESS_0 + 20, 0, 4);
    vt_cfg_write(t, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
                 PCI_COMMAND_MASTER, 2);
    return t;
}

/* Reset, ACKNOWLEDGE | DRIVER, features (word 0 and VERSION_1), FEATURES_OK. */
static inline void vt_negotiate(VirtTest *t, uint32_t features0)
{
    vt_write(t, VT_COMMON + 0x14, 0, 1);
    vt_write(t, VT_COMMON + 0x14, 3, 1);
    vt_write(t, VT_COMMON + 0x08, 0, 4);
    vt_write(t, VT_COMMON + 0x0c, features0, 4);
    vt_write(t, VT_COMMON + 0x08, 1, 4);
    vt_write(t, VT_COMMON + 0x0c, 1, 4);
    vt_write(t, VT_COMMON + 0x14, 0x0b, 1);
    assert_int_equal(vt_read(t, VT_COMMON + 0x14, 1), 0x0b);
}

static inline void vt_queue(VirtTest *t, unsigned n)
{
    vt_write(t, VT_COMMON + 0x16, n, 2);
    t->qsize[n] = vt_read(t, VT_COMMON + 0x18, 2);
    assert_true(t->qsize[n] > 0);
    vt_write(t, VT_COMMON + 0x20, VT_DESC(n), 4);
    vt_write(t, VT_COMMON + 0x24, 0, 4);
    vt_write(t, VT_COMMON + 0x28, VT_AVAIL(n), 4);
    vt_write(t, VT_COMMON + 0x2c, 0, 4);
    vt_write(t, VT_COMMON + 0x30, VT_USED(n), 4);
    vt_write(t, VT_COMMON + 0x34, 0, 4);
    vt_write(t, VT_COMMON + 0x1c, 1, 2);
}

static inline void vt_driver_ok(VirtTest *t)
{
    vt_write(t, VT_COMMON + 0x14, 0x0f, 1);
}

static inline void vt_desc(VirtTest *t, unsigned n, unsigned i, uint64_t addr,
                           uint32_t len, uint16_t flags, uint16_t next)
{
    uint64_t d = VT_DESC(n) + 16ull * i;
    vt_write(t, d, addr, 8);
    vt_write(t, d + 8, len, 4);
    vt_write(t, d + 12, flags, 2);
    vt_write(t, d + 14, next, 2);
}

/* Head on the avail ring; a kick when asked. */
static inline void vt_add(VirtTest *t, unsigned n, uint16_t head, bool kick)
{
    uint16_t i = t->avail_idx[n]++;
    vt_write(t, VT_AVAIL(n) + 4 + 2 * (i % t->qsize[n]), head, 2);
    vt_write(t, VT_AVAIL(n) + 2, t->avail_idx[n], 2);
    if (kick) {
        vt_write(t, VT_NOTIFY + 4 * n, n, 2);
    }
}

static inline uint16_t vt_used_idx(VirtTest *t, unsigned n)
{
    return vt_read(t, VT_USED(n) + 2, 2);
}

/* The used entry k: its id and length. */
static inline void vt_used(VirtTest *t, unsigned n, unsigned k, uint32_t *id,
                           uint32_t *len)
{
    uint64_t e = VT_USED(n) + 4 + 8ull * (k % t->qsize[n]);
    *id = vt_read(t, e, 4);
    *len = vt_read(t, e + 4, 4);
}

#endif
