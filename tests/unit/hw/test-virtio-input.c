/* SPDX-License-Identifier: MIT */
/*
 * virtio-mouse-pci, virtio-keyboard-pci and virtio-tablet-pci
 * (hw/virtio/virtio-input.c): the modern-only identity (no legacy BAR),
 * the select/subsel answers of each kind (QEMU 7.2's), an unknown select
 * reading all zeros, the config length, the configuration interrupt of a
 * select written after DRIVER_OK, status-queue LED events and other events
 * dropped, short status buffers, and an event queue that is never used.
 */
#include "virtio-test.h"

#include "hw/virtio/virtio-input.h"

#define MOUSE_ARGS    "-M pc -nodefaults -device virtio-mouse-pci"
#define KEYBOARD_ARGS "-M pc -nodefaults -device virtio-keyboard-pci"
#define TABLET_ARGS   "-M pc -nodefaults -device virtio-tablet-pci"
#define EVENTQ  0
#define STATUSQ 1

static void cfg_select(VirtTest *t, uint8_t select, uint8_t subsel)
{
    vt_write(t, VT_DEVICE, select, 1);
    vt_write(t, VT_DEVICE + 1, subsel, 1);
}

static uint8_t cfg_size(VirtTest *t)
{
    return vt_read(t, VT_DEVICE + 2, 1);
}

static uint8_t cfg_u(VirtTest *t, unsigned i)
{
    return vt_read(t, VT_DEVICE + 8 + i, 1);
}

static void test_input_identity(void **state)
{
    VirtTest *t = vt_new(MOUSE_ARGS, "virtio-mouse-pci");

    vt_cfg_write(t, PCI_BASE_ADDRESS_0, 0xffffffff, 4);
    as_write_val(&t->m->as_io, 0xcf8, VT_CF8(PCI_BASE_ADDRESS_0), 4, NULL);
    assert_int_equal(as_read_val(&t->m->as_io, 0xcfc, 4, NULL), 0);   /* no BAR 0 */
    as_write_val(&t->m->as_io, 0xcf8, VT_CF8(0), 4, NULL);
    assert_int_equal(as_read_val(&t->m->as_io, 0xcfc, 4, NULL), 0x10521af4);
    as_write_val(&t->m->as_io, 0xcf8, VT_CF8(8), 4, NULL);
    assert_int_equal(as_read_val(&t->m->as_io, 0xcfc, 4, NULL), 0x09020001);
    vt_write(t, VT_COMMON, 0, 4);
    assert_int_equal(vt_read(t, VT_COMMON + 4, 4), 0x30000000);   /* no legacy bits */
    assert_int_equal(vt_read(t, VT_COMMON + 0x12, 2), 2);
}

static void test_input_mouse_config(void **state)
{
    VirtTest *t = vt_new(MOUSE_ARGS, "virtio-mouse-pci");
    char name[32] = { 0 };

    cfg_select(t, 1, 0);
    assert_int_equal(cfg_size(t), 18);
    for (unsigned i = 0; i < 18; i++) {
        name[i] = cfg_u(t, i);
    }
    assert_string_equal(name, "QEMU Virtio Mouse");
    cfg_select(t, 0x11, 2);                      /* EV_REL */
    assert_int_equal(cfg_size(t), 2);
    assert_int_equal(cfg_u(t, 0), 0x03);
    assert_int_equal(cfg_u(t, 1), 0x01);
    cfg_select(t, 0x11, 1);                      /* EV_KEY: buttons */
    assert_int_equal(cfg_size(t), 43);
    assert_int_equal(cfg_u(t, 34), 0x1f);
    assert_int_equal(cfg_u(t, 42), 0x03);
    /* Config ends at 8 + 43: a word across the end reads all ones. */
    assert_int_equal(vt_read(t, VT_DEVICE + 50, 1), 0x03);
    assert_int_equal(vt_read(t, VT_DEVICE + 51, 1), 0xff);
    assert_int_equal(vt_read(t, VT_DEVICE + 48, 4), 0xffffffff);
    /* Unknown: all zeros, select and subsel too. */
    cfg_select(t, 0x12, 0);
    assert_int_equal(vt_read(t, VT_DEVICE, 4), 0);
    assert_int_equal(cfg_u(t, 0), 0);
}

static void test_input_keyboard_tablet_config(void **state)
{
    VirtTest *k = vt_new(KEYBOARD_ARGS, "virtio-keyboard-pci");
    VirtTest *t = vt_new(TABLET_ARGS, "virtio-tablet-pci");

    cfg_select(k, 0x11, 0x11);                   /* EV_LED */
    assert_int_equal(cfg_size(k), 1);
    assert_int_equal(cfg_u(k, 0), 0x07);
    cfg_select(k, 0x11, 1);
    assert_int_equal(cfg_size(k), 29);
    assert_int_equal(vt_read(k, VT_DEVICE + 37, 1), 0xff);        /* 8 + 29 */
    cfg_select(k, 3, 0);                         /* ID_DEVIDS: product 1 */
    assert_int_equal(vt_read(k, VT_DEVICE + 8, 4), 0x06270006);
    assert_int_equal(vt_read(k, VT_DEVICE + 12, 4), 0x00010001);
    cfg_select(t, 0x12, 1);                      /* ABS_INFO of ABS_Y */
    assert_int_equal(cfg_size(t), 20);
    assert_int_equal(vt_read(t, VT_DEVICE + 8, 4), 0);
    assert_int_equal(vt_read(t, VT_DEVICE + 12, 4), 0x7fff);
    cfg_select(t, 0x12, 2);                      /* no ABS_Z */
    assert_int_equal(cfg_size(t), 0);
}

/* After DRIVER_OK a select write is a configuration change (QEMU). */
static void test_input_select_notifies(void **state)
{
    VirtTest *t = vt_new(MOUSE_ARGS, "virtio-mouse-pci");

    vt_negotiate(t, 0);
    cfg_select(t, 1, 0);
    assert_int_equal(vt_read(t, VT_ISR, 1), 0);
    vt_driver_ok(t);
    uint8_t gen = vt_read(t, VT_COMMON + 0x15, 1);
    cfg_select(t, 3, 0);
    assert_int_equal(vt_read(t, VT_ISR, 1), 3);
    assert_int_equal(vt_read(t, VT_COMMON + 0x15, 1), (uint8_t)(gen + 2));
}

static void status_event(VirtTest *t, uint16_t h, uint16_t type, uint16_t code,
                         uint32_t value, uint32_t len)
{
    uint64_t at = VT_BUF + 16 * h;
    vt_write(t, at, type, 2);
    vt_write(t, at + 2, code, 2);
    vt_write(t, at + 4, value, 4);
    vt_desc(t, STATUSQ, h, at, len, 0, 0);
    vt_add(t, STATUSQ, h, true);
}

static void test_input_status_leds(void **state)
{
    VirtTest *t = vt_new(KEYBOARD_ARGS, "virtio-keyboard-pci");
    VirtIOInput *in = (VirtIOInput *)t->dev;
    unsigned long errors = log_guest_error_count();
    uint32_t id, len;

    vt_negotiate(t, 0);
    vt_queue(t, EVENTQ);
    vt_queue(t, STATUSQ);
    vt_driver_ok(t);
    status_event(t, 0, 0x11, 0, 1, 8);          /* Num Lock on */
    status_event(t, 1, 0x11, 1, 1, 8);          /* Caps Lock on */
    assert_int_equal(in->led_state, VIRTIO_INPUT_LED_NUM | VIRTIO_INPUT_LED_CAPS);
    status_event(t, 2, 0x11, 0, 0, 8);          /* Num Lock off */
    assert_int_equal(in->led_state, VIRTIO_INPUT_LED_CAPS);
    assert_int_equal(vt_used_idx(t, STATUSQ), 3);
    vt_used(t, STATUSQ, 2, &id, &len);
    assert_int_equal(id, 2);
    assert_int_equal(len, 8);
    /* A short buffer: zero-padded (value 0: off), given back with 4. */
    status_event(t, 3, 0x11, 1, 1, 4);
    assert_int_equal(in->led_state, 0);
    vt_used(t, STATUSQ, 3, &id, &len);
    assert_int_equal(len, 4);
    /* Another type, an unknown LED: dropped. */
    status_event(t, 4, 0x14, 0, 250, 8);
    status_event(t, 5, 0x11, 9, 1, 8);
    assert_int_equal(in->led_state, 0);
    assert_int_equal(vt_used_idx(t, STATUSQ), 6);
    assert_true(log_guest_error_count() > errors);
    /* The event queue is never used: no host input. */
    vt_desc(t, EVENTQ, 0, VT_BUF + 0x1000, 8, VRING_DESC_F_WRITE, 0);
    vt_add(t, EVENTQ, 0, true);
    assert_int_equal(vt_used_idx(t, EVENTQ), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_input_identity),
        cmocka_unit_test(test_input_mouse_config),
        cmocka_unit_test(test_input_keyboard_tablet_config),
        cmocka_unit_test(test_input_select_notifies),
        cmocka_unit_test(test_input_status_leds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
