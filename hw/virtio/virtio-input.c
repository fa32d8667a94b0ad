/* SPDX-License-Identifier: MIT */
/*
 * virtio-mouse-pci, virtio-keyboard-pci and virtio-tablet-pci: the virtio
 * input device (VIRTIO 1.2 section 5.8) over the modern-only PCI transport
 * (QEMU's disable-legacy=on), with QEMU 7.2's identity and its exact
 * answers to the configuration select/subsel protocol (names, device ids,
 * event bitmaps, the tablet's absolute axes). The event queue stays
 * untouched: there is no host input here. The status queue's events are
 * read and dropped, except the LED state a keyboard driver writes, kept
 * as QEMU keeps it. Left out: the input backends (no console here).
 */
#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"
#include "hw/devices.h"
#include "hw/virtio/virtio-input.h"

/* struct virtio_input_config (section 5.8.4) */
#define VIRTIO_INPUT_CFG_SELECT 0
#define VIRTIO_INPUT_CFG_SUBSEL 1
#define VIRTIO_INPUT_CFG_SIZE   2
#define VIRTIO_INPUT_CFG_U      8
#define  VIRTIO_INPUT_CFG_ID_NAME    0x01
#define  VIRTIO_INPUT_CFG_ID_SERIAL  0x02
#define  VIRTIO_INPUT_CFG_ID_DEVIDS  0x03
#define  VIRTIO_INPUT_CFG_PROP_BITS  0x10
#define  VIRTIO_INPUT_CFG_EV_BITS    0x11
#define  VIRTIO_INPUT_CFG_ABS_INFO   0x12

/* Linux input event types and codes the answers use */
#define EV_KEY 0x01
#define EV_REL 0x02
#define EV_ABS 0x03
#define EV_LED 0x11
#define EV_REP 0x14
#define LED_NUML    0
#define LED_CAPSL   1
#define LED_SCROLLL 2

/* struct virtio_input_event (section 5.8.6): le16 type, le16 code, le32 value */
#define VIRTIO_INPUT_EVENT_SIZE 8

/* Queues and identity (QEMU's) */
#define VIRTIO_INPUT_EVENTQ     0
#define VIRTIO_INPUT_STATUSQ    1
#define VIRTIO_INPUT_QUEUE_SIZE 64
#define VIRTIO_ID_INPUT         18
#define VIRTIO_INPUT_PCI_DEVICE_ID (0x1040 + VIRTIO_ID_INPUT)
#define PCI_CLASS_INPUT_KEYBOARD 0x0900
#define PCI_CLASS_INPUT_MOUSE    0x0902
#define PCI_CLASS_INPUT_OTHER    0x0980

#define VIRTIO_INPUT_FEATURES ((1ull << VIRTIO_RING_F_INDIRECT_DESC) | \
                               (1ull << VIRTIO_RING_F_EVENT_IDX))

/* ---------------------------------------------------------------------- */
/* QEMU 7.2's answers                                                      */

#define CFG_NAME(s) { VIRTIO_INPUT_CFG_ID_NAME, 0, sizeof(s), s }
/* bustype BUS_VIRTUAL, vendor 0x0627, product, version (le16 each) */
#define CFG_DEVIDS(product, version) \
    { VIRTIO_INPUT_CFG_ID_DEVIDS, 0, 8, { 0x06, 0, 0x27, 0x06, product, 0, version, 0 } }
/* BTN_LEFT RIGHT MIDDLE SIDE EXTRA (0x110-0x114), BTN_GEAR_DOWN UP (0x150-0x151) */
#define CFG_BUTTONS { VIRTIO_INPUT_CFG_EV_BITS, EV_KEY, 43, { [34] = 0x1f, [42] = 0x03 } }
/* ABS_X or ABS_Y: min 0, max 0x7fff, fuzz, flat, res 0 (le32 each) */
#define CFG_ABS(axis) { VIRTIO_INPUT_CFG_ABS_INFO, axis, 20, { 0, 0, 0, 0, 0xff, 0x7f } }

static const VirtIOInputCfg virtio_mouse_cfg[] = {
    CFG_NAME("QEMU Virtio Mouse"),
    CFG_DEVIDS(2, 2),
    CFG_BUTTONS,
    { VIRTIO_INPUT_CFG_EV_BITS, EV_REL, 2, { 0x03, 0x01 } },  /* REL_X Y WHEEL */
    { 0 },
};

static const VirtIOInputCfg virtio_tablet_cfg[] = {
    CFG_NAME("QEMU Virtio Tablet"),
    CFG_DEVIDS(3, 2),
    CFG_BUTTONS,
    { VIRTIO_INPUT_CFG_EV_BITS, EV_REL, 2, { 0x00, 0x01 } },  /* REL_WHEEL */
    { VIRTIO_INPUT_CFG_EV_BITS, EV_ABS, 1, { 0x03 } },        /* ABS_X Y */
    CFG_ABS(0),
    CFG_ABS(1),
    { 0 },
};

/* The keys of QEMU's qcode-to-linux map, as its bitmap reads. */
static const VirtIOInputCfg virtio_keyboard_cfg[] = {
    CFG_NAME("QEMU Virtio Keyboard"),
    CFG_DEVIDS(1, 1),
    { VIRTIO_INPUT_CFG_EV_BITS, EV_KEY, 29,
      { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xcf, 0x7b,
        0xff, 0xff, 0xbe, 0xfe, 0xff, 0xdf, 0x00, 0xf8, 0x78, 0x30, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x04 } },
    { VIRTIO_INPUT_CFG_EV_BITS, EV_LED, 1, { 0x07 } },        /* NUML CAPSL SCROLLL */
    { VIRTIO_INPUT_CFG_EV_BITS, EV_REP, 1, { 0x00 } },
    { 0 },
};

static const VirtIOInputKind virtio_mouse_kind = {
    "virtio-mouse-pci", "virtio-mouse-pci-msix", PCI_CLASS_INPUT_MOUSE,
    virtio_mouse_cfg,
};
static const VirtIOInputKind virtio_keyboard_kind = {
    "virtio-keyboard-pci", "virtio-keyboard-pci-msix", PCI_CLASS_INPUT_KEYBOARD,
    virtio_keyboard_cfg,
};
static const VirtIOInputKind virtio_tablet_kind = {
    "virtio-tablet-pci", "virtio-tablet-pci-msix", PCI_CLASS_INPUT_OTHER,
    virtio_tablet_cfg,
};

/* ---------------------------------------------------------------------- */
/* Configuration: select and subsel pick an answer                         */

static VirtIOInput *vinput(VirtIODevice *vdev)
{
    return vdev->opaque;
}

static const VirtIOInputCfg *virtio_input_find(const VirtIOInput *in, uint8_t select,
                                               uint8_t subsel)
{
    for (const VirtIOInputCfg *c = in->kind->cfg; c->size || c->select; c++) {
        if (c->select == select && c->subsel == subsel) {
            return c;
        }
    }
    return NULL;
}

/* QEMU's virtio_input_get_config: the answer, or all zeros (select and
 * subsel too) when there is none; section 5.8.5.2 wants size 0 there. */
static void virtio_input_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOInput *in = vinput(vdev);
    const VirtIOInputCfg *c = virtio_input_find(in, in->cfg_select, in->cfg_subsel);

    memset(config, 0, in->cfg_len);
    if (c) {
        config[VIRTIO_INPUT_CFG_SELECT] = c->select;
        config[VIRTIO_INPUT_CFG_SUBSEL] = c->subsel;
        config[VIRTIO_INPUT_CFG_SIZE] = c->size;
        memcpy(config + VIRTIO_INPUT_CFG_U, c->u, in->cfg_len - VIRTIO_INPUT_CFG_U);
    }
}

/* Every write takes select and subsel from the bytes and tells the driver
 * the configuration changed (QEMU's set_config: after DRIVER_OK). */
static void virtio_input_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIOInput *in = vinput(vdev);

    in->cfg_select = config[VIRTIO_INPUT_CFG_SELECT];
    in->cfg_subsel = config[VIRTIO_INPUT_CFG_SUBSEL];
    virtio_notify_config(vdev);
}

/* ---------------------------------------------------------------------- */
/* Status queue                                                            */

static void virtio_input_led(VirtIOInput *in, uint16_t code, uint32_t value)
{
    uint8_t bit;

    switch (code) {
    case LED_NUML:    bit = VIRTIO_INPUT_LED_NUM; break;
    case LED_CAPSL:   bit = VIRTIO_INPUT_LED_CAPS; break;
    case LED_SCROLLL: bit = VIRTIO_INPUT_LED_SCROLL; break;
    default:          bit = 0; break;
    }
    if (value) {
        in->led_state |= bit;
    } else {
        in->led_state &= ~bit;
    }
}

/* QEMU's virtio_input_handle_sts: each event read (a short one reads as
 * zero-padded), acted on, and the buffer given back with the bytes read. */
static void virtio_input_handle_status(VirtIOInput *in)
{
    VirtIODevice *vdev = &in->vdev;
    VirtQueueElement elem;

    for (unsigned i = 0; i < VIRTIO_INPUT_QUEUE_SIZE; i++) {
        uint8_t ev[VIRTIO_INPUT_EVENT_SIZE] = { 0 };
        if (!virtqueue_pop(vdev, VIRTIO_INPUT_STATUSQ, &elem)) {
            break;
        }
        size_t len = virtqueue_elem_read(vdev, &elem, 0, ev, sizeof(ev));
        if (ld_le16(ev) == EV_LED) {
            virtio_input_led(in, ld_le16(ev + 2), ld_le32(ev + 4));
        } else {
            guest_error("%s: status event of type %u dropped", in->kind->type_name,
                        ld_le16(ev));
        }
        virtqueue_push(vdev, VIRTIO_INPUT_STATUSQ, elem.index, len);
    }
    virtio_notify(vdev, VIRTIO_INPUT_STATUSQ);
}

/* The event queue waits for host input, of which there is none. */
static void virtio_input_handle_output(VirtIODevice *vdev, unsigned q)
{
    if (q == VIRTIO_INPUT_STATUSQ) {
        virtio_input_handle_status(vinput(vdev));
    }
}

/* ---------------------------------------------------------------------- */
/* Reset, realize, types                                                   */

static const VirtIODeviceOps virtio_input_ops = {
    .get_config = virtio_input_get_config,
    .set_config = virtio_input_set_config,
    .handle_output = virtio_input_handle_output,
};

/* QEMU keeps select, subsel and the LED state across a device reset. */
static void virtio_input_pci_reset(Object *obj)
{
    VirtIOInput *in = (VirtIOInput *)obj;
    virtio_pci_reset(&in->proxy);
}

static void virtio_input_init(Object *obj, const VirtIOInputKind *kind)
{
    VirtIOInput *in = (VirtIOInput *)obj;
    virtio_pci_proxy_init(&in->proxy);
    in->kind = kind;
}

static void virtio_mouse_pci_init(Object *obj)
{
    virtio_input_init(obj, &virtio_mouse_kind);
}

static void virtio_keyboard_pci_init(Object *obj)
{
    virtio_input_init(obj, &virtio_keyboard_kind);
}

static void virtio_tablet_pci_init(Object *obj)
{
    virtio_input_init(obj, &virtio_tablet_kind);
}

/* QEMU's cfg_size: the union's offset plus the largest answer. */
static uint32_t virtio_input_cfg_len(const VirtIOInputKind *kind)
{
    uint32_t max = 0;
    for (const VirtIOInputCfg *c = kind->cfg; c->size || c->select; c++) {
        max = MAX(max, c->size);
    }
    return VIRTIO_INPUT_CFG_U + max;
}

static bool virtio_input_pci_realize(Object *obj, Machine *m, char **errp)
{
    VirtIOInput *in = (VirtIOInput *)obj;
    VirtIODevice *vdev = &in->vdev;
    const VirtIOPCIInfo info = {
        .name = "virtio-input",
        .msix_name = in->kind->msix_name,
        .device_id = VIRTIO_INPUT_PCI_DEVICE_ID,
        .class_id = in->kind->class_id,
        .vectors = 2,
        .modern_only = true,
    };

    in->cfg_len = virtio_input_cfg_len(in->kind);
    virtio_init(vdev, in->kind->type_name, &virtio_input_ops, in,
                VIRTIO_INPUT_FEATURES, in->cfg_len);
    virtio_add_queue(vdev, VIRTIO_INPUT_QUEUE_SIZE);
    virtio_add_queue(vdev, VIRTIO_INPUT_QUEUE_SIZE);
    return virtio_pci_realize(&in->proxy, m, vdev, &info, errp);
}

static const Property virtio_input_pci_props[] = {
    VIRTIO_PCI_PROPS(VirtIOInput, proxy),
    { .name = NULL },
};

#define VIRTIO_INPUT_TYPE(tname, talias, tdesc, tinit) { \
    .name = tname, .alias = talias, .parent = "pci-device", .desc = tdesc, \
    OBJECT_INSTANCE(VirtIOInput), .user_creatable = true, \
    .props = virtio_input_pci_props, .init = tinit, \
    .realize = virtio_input_pci_realize, .reset = virtio_input_pci_reset }

const TypeInfo virtio_mouse_pci_type = VIRTIO_INPUT_TYPE(
    "virtio-mouse-pci", "virtio-mouse", "virtio mouse over PCI (modern only)",
    virtio_mouse_pci_init);
const TypeInfo virtio_keyboard_pci_type = VIRTIO_INPUT_TYPE(
    "virtio-keyboard-pci", "virtio-keyboard", "virtio keyboard over PCI (modern only)",
    virtio_keyboard_pci_init);
const TypeInfo virtio_tablet_pci_type = VIRTIO_INPUT_TYPE(
    "virtio-tablet-pci", "virtio-tablet", "virtio tablet over PCI (modern only)",
    virtio_tablet_pci_init);
