/* SPDX-License-Identifier: MIT */
/*
 * virtio-serial-pci and its ports: see virtio-serial.h. Where the
 * specification leaves a choice, QEMU 7.2's behaviour (control messages
 * with no receive buffer are dropped; data for a port with no chardev is
 * thrown away; port 0 is kept for a console).
 */
#include "hw/virtio/virtio-serial.h"

#include <glib.h>
#include <string.h>

#include "emu/byteorder.h"
#include "emu/log.h"
#include "hw/devices.h"

#define VSER_BIT(n) (1ull << (n))
#define VSER_NO_NR  UINT32_MAX

/* QEMU 7.2's offer: MULTIPORT, EMERG_WRITE (host features 0x79000006). */
#define VIRTIO_SERIAL_FEATURES (VSER_BIT(VIRTIO_CONSOLE_F_MULTIPORT) | \
    VSER_BIT(VIRTIO_F_NOTIFY_ON_EMPTY) | VSER_BIT(VIRTIO_F_ANY_LAYOUT) | \
    VSER_BIT(VIRTIO_RING_F_INDIRECT_DESC) | VSER_BIT(VIRTIO_RING_F_EVENT_IDX))

#define VSER_C_IVQ 2            /* control: device to driver */
#define VSER_C_OVQ 3            /* control: driver to device */

static VirtIOSerial *vser(VirtIODevice *vdev)
{
    return vdev->opaque;
}

/* The port whose transmit queue q is, or -1: port 0's queues are 0 and 1,
 * port p's (p >= 1) 2 + 2p and 3 + 2p, after the control pair. */
static int vser_tx_port(unsigned q)
{
    if (q == 1) {
        return 0;
    }
    return q >= 5 && (q & 1) ? (int)(q - 3) / 2 : -1;
}

/* ---------------------------------------------------------------------- */
/* Configuration                                                           */

static void vser_get_config(VirtIODevice *vdev, uint8_t *c)
{
    st_le16(c + VIRTIO_SERIAL_CFG_COLS, 0);
    st_le16(c + VIRTIO_SERIAL_CFG_ROWS, 0);
    st_le32(c + VIRTIO_SERIAL_CFG_MAX_PORTS, vser(vdev)->max_ports);
    st_le32(c + VIRTIO_SERIAL_CFG_EMERG_WR, 0);
}

/* An emergency write (section 5.3.4: EMERG_WRITE): one character to port
 * 0's chardev, when there is one. */
static void vser_set_config(VirtIODevice *vdev, const uint8_t *c)
{
    VirtIOSerial *s = vser(vdev);
    uint32_t ch = ld_le32(c + VIRTIO_SERIAL_CFG_EMERG_WR);

    if (virtio_has_feature(vdev, VIRTIO_CONSOLE_F_EMERG_WRITE) && ch &&
        s->ports[0].present && s->ports[0].host_connected) {
        uint8_t b = (uint8_t)ch;
        chardev_write(s->ports[0].chr, &b, 1);
    }
}

/* ---------------------------------------------------------------------- */
/* Control messages                                                        */

/* One message to the driver, with extra bytes after it (a port's name);
 * dropped when the driver left no buffer (QEMU's send_control_msg). */
static void vser_send_ctrl(VirtIOSerial *s, uint32_t id, uint16_t event, uint16_t value,
                           const char *extra)
{
    VirtIODevice *vdev = &s->vdev;
    VirtQueueElement elem_storage, *elem = &elem_storage;
    uint8_t msg[VIRTIO_CONSOLE_CTRL_LEN + VIRTIO_SERIAL_NAME_MAX];
    size_t len = VIRTIO_CONSOLE_CTRL_LEN;

    if (!virtio_has_feature(vdev, VIRTIO_CONSOLE_F_MULTIPORT) ||
        !virtqueue_pop(vdev, VSER_C_IVQ, elem)) {
        return;
    }
    st_le32(msg, id);
    st_le16(msg + 4, event);
    st_le16(msg + 6, value);
    if (extra) {
        size_t n = strlen(extra) + 1;       /* with its NUL, as QEMU */
        memcpy(msg + len, extra, n);
        len += n;
    }
    size_t done = virtqueue_elem_write(vdev, elem, 0, msg, len);
    virtqueue_push(vdev, VSER_C_IVQ, elem->index, (uint32_t)done);
    virtio_notify(vdev, VSER_C_IVQ);
}

static VirtIOSerialPortState *vser_port(VirtIOSerial *s, uint32_t id)
{
    return id < s->max_ports && s->ports[id].present ? &s->ports[id] : NULL;
}

static void vser_handle_ctrl_msg(VirtIOSerial *s, uint32_t id, uint16_t event, uint16_t value)
{
    VirtIOSerialPortState *p;

    switch (event) {
    case VIRTIO_CONSOLE_DEVICE_READY:
        if (!value) {
            guest_error("virtio-serial: the driver failed to initialise the device");
            return;
        }
        s->ready = true;
        for (uint32_t i = 0; i < s->max_ports; i++) {
            if (s->ports[i].present) {
                vser_send_ctrl(s, i, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL);
            }
        }
        return;
    case VIRTIO_CONSOLE_PORT_READY:
        if (!(p = vser_port(s, id))) {
            guest_error("virtio-serial: PORT_READY for port %u, which is not there", id);
            return;
        }
        if (!value) {
            guest_error("virtio-serial: the driver failed to add port %u", id);
            return;
        }
        if (p->is_console) {
            vser_send_ctrl(s, id, VIRTIO_CONSOLE_CONSOLE_PORT, 1, NULL);
        }
        if (p->name[0]) {
            vser_send_ctrl(s, id, VIRTIO_CONSOLE_PORT_NAME, 1, p->name);
        }
        if (p->host_connected) {
            vser_send_ctrl(s, id, VIRTIO_CONSOLE_PORT_OPEN, 1, NULL);
        }
        return;
    case VIRTIO_CONSOLE_PORT_OPEN:
        if (!(p = vser_port(s, id))) {
            guest_error("virtio-serial: PORT_OPEN for port %u, which is not there", id);
            return;
        }
        p->guest_connected = value != 0;
        return;
    default:
        guest_error("virtio-serial: control event %u is not the driver's to send", event);
        return;
    }
}

/* The driver's control queue, each message taken whole (extra bytes are
 * not part of any driver message). Each turn takes an entry, so the loop
 * ends within the queue's size. */
static void vser_handle_ctrl(VirtIOSerial *s)
{
    VirtIODevice *vdev = &s->vdev;
    VirtQueueElement elem_storage, *elem = &elem_storage;
    uint8_t msg[VIRTIO_CONSOLE_CTRL_LEN];

    for (unsigned n = 0; n < VIRTIO_SERIAL_CTRL_QUEUE_SIZE && virtqueue_pop(vdev, VSER_C_OVQ, elem);
         n++) {
        if (virtqueue_elem_read(vdev, elem, 0, msg, sizeof(msg)) == sizeof(msg)) {
            vser_handle_ctrl_msg(s, ld_le32(msg), ld_le16(msg + 4), ld_le16(msg + 6));
        } else {
            guest_error("virtio-serial: a control message of %zu bytes (8 at least)",
                        virtqueue_elem_out_size(elem));
        }
        virtqueue_push(vdev, VSER_C_OVQ, elem->index, 0);
        virtio_notify(vdev, VSER_C_OVQ);
    }
}

/* ---------------------------------------------------------------------- */
/* Data                                                                    */

/* What the guest sends on port p goes to its chardev in chunks, or
 * nowhere when the port has none (QEMU discards it). A chunk the DMA could
 * not read whole ends the element. */
static void vser_handle_tx(VirtIOSerial *s, unsigned q, unsigned port)
{
    VirtIODevice *vdev = &s->vdev;
    VirtQueueElement elem_storage, *elem = &elem_storage;
    VirtIOSerialPortState *p = vser_port(s, port);

    for (unsigned n = 0; n < VIRTIO_SERIAL_PORT_QUEUE_SIZE && virtqueue_pop(vdev, q, elem); n++) {
        if (p && p->host_connected) {
            size_t size = virtqueue_elem_out_size(elem);
            for (size_t off = 0; off < size;) {
                size_t want = MIN(size - off, (size_t)VIRTIO_SERIAL_CHUNK);
                size_t got = virtqueue_elem_read(vdev, elem, off, s->scratch, want);
                chardev_write(p->chr, s->scratch, got);
                if (got < want) {
                    break;
                }
                off += got;
            }
        }
        virtqueue_push(vdev, q, elem->index, 0);
        virtio_notify(vdev, q);
    }
}

static void vser_handle_output(VirtIODevice *vdev, unsigned q)
{
    VirtIOSerial *s = vser(vdev);
    int port = vser_tx_port(q);

    if (q == VSER_C_OVQ) {
        if (virtio_has_feature(vdev, VIRTIO_CONSOLE_F_MULTIPORT)) {
            vser_handle_ctrl(s);
        }
    } else if (port >= 0 && (port == 0 || virtio_has_feature(vdev, VIRTIO_CONSOLE_F_MULTIPORT))) {
        vser_handle_tx(s, q, (unsigned)port);
    }
    /* Receive queues: buffers wait for host input, which never comes. */
}

static void vser_reset(VirtIODevice *vdev)
{
    VirtIOSerial *s = vser(vdev);

    s->ready = false;
    for (unsigned i = 0; i < VIRTIO_SERIAL_PORTS_MAX; i++) {
        s->ports[i].guest_connected = false;
    }
}

/* ---------------------------------------------------------------------- */
/* The device                                                              */

static const VirtIODeviceOps vser_ops = {
    .get_config = vser_get_config,
    .set_config = vser_set_config,
    .reset = vser_reset,
    .handle_output = vser_handle_output,
};

static const VirtIOPCIInfo vser_pci_info = {
    .name = "virtio-serial",
    .msix_name = "virtio-serial-pci-msix",
    .device_id = VIRTIO_SERIAL_PCI_DEVICE_ID,
    .subsystem_id = VIRTIO_ID_CONSOLE,
    .class_id = 0x0780,                 /* communication, other: QEMU's */
    .vectors = 2,
};

static void vser_pci_init(Object *obj)
{
    VirtIOSerial *s = (VirtIOSerial *)obj;

    virtio_pci_proxy_init(&s->proxy);
    s->max_ports = VIRTIO_SERIAL_PORTS_DEFAULT;
    s->emergency_write = true;
}

/* Nothing of it outlives an access. */
static size_t vser_scratch_live(const Object *obj)
{
    return 0;
}

static bool vser_pci_realize(Object *obj, Machine *m, char **errp)
{
    VirtIOSerial *s = (VirtIOSerial *)obj;
    VirtIODevice *vdev = &s->vdev;

    if (s->max_ports < 1 || s->max_ports > VIRTIO_SERIAL_PORTS_MAX) {
        *errp = g_strdup_printf("virtio-serial-pci: max_ports=%u: 1 to %u", s->max_ports,
                                VIRTIO_SERIAL_PORTS_MAX);
        return false;
    }
    uint64_t features = VIRTIO_SERIAL_FEATURES |
                        (s->emergency_write ? VSER_BIT(VIRTIO_CONSOLE_F_EMERG_WRITE) : 0);
    virtio_init(vdev, "virtio-serial", &vser_ops, s, features, VIRTIO_SERIAL_CFG_LEN);
    unsigned nq = 2 * (s->max_ports + 1);
    virtio_pci_init_queues(&s->proxy, vdev, s->vqs, s->pci_vqs, nq);
    for (unsigned q = 0; q < nq; q++) {
        virtio_add_queue(vdev, q == VSER_C_IVQ || q == VSER_C_OVQ ?
                         VIRTIO_SERIAL_CTRL_QUEUE_SIZE : VIRTIO_SERIAL_PORT_QUEUE_SIZE);
    }
    s->scratch = g_malloc0(VIRTIO_SERIAL_CHUNK);
    object_add_state(obj, "scratch", s->scratch, VIRTIO_SERIAL_CHUNK, vser_scratch_live);
    return virtio_pci_realize(&s->proxy, m, vdev, &vser_pci_info, errp);
}

static void vser_pci_reset(Object *obj)
{
    virtio_pci_reset(&((VirtIOSerial *)obj)->proxy);
}

static const Property vser_pci_props[] = {
    VIRTIO_PCI_PROPS(VirtIOSerial, proxy),
    { "max_ports", PROP_U32, offsetof(VirtIOSerial, max_ports),
      "ports the device can have (1 to 63, default 31)" },
    { "emergency-write", PROP_BOOL, offsetof(VirtIOSerial, emergency_write),
      "offer EMERG_WRITE (default on)" },
    { .name = NULL },
};

const TypeInfo virtio_serial_pci_type = {
    .name = "virtio-serial-pci",
    .alias = "virtio-serial",   /* QEMU's alias on the PC */
    .parent = "pci-device",
    .desc = "virtio console and serial ports over PCI (transitional)",
    OBJECT_INSTANCE(VirtIOSerial),
    .user_creatable = true,
    .props = vser_pci_props,
    .init = vser_pci_init,
    .realize = vser_pci_realize,
    .reset = vser_pci_reset,
};

/* ---------------------------------------------------------------------- */
/* Ports                                                                   */

static VirtIOSerial *vser_find_bus(Machine *m)
{
    for (unsigned i = 0; i < m->nr_devices; i++) {
        if (object_is_a(m->devices[i], virtio_serial_pci_type.name)) {
            return (VirtIOSerial *)m->devices[i];
        }
    }
    return NULL;
}

static void vser_port_init(Object *obj)
{
    ((VirtIOSerialPortDev *)obj)->nr = VSER_NO_NR;
}

/* Port 0 is a console's if it is free (QEMU keeps it for one); other ports
 * take the first free number from 1. */
static bool vser_port_realize_common(Object *obj, Machine *m, bool console, char **errp)
{
    VirtIOSerialPortDev *d = (VirtIOSerialPortDev *)obj;
    const char *type = obj->type->name;
    VirtIOSerial *s = vser_find_bus(m);

    if (!s) {
        *errp = g_strdup_printf("%s: no virtio-serial bus (add -device virtio-serial first)", type);
        return false;
    }
    if (d->nr == VSER_NO_NR) {
        if (console && !s->ports[0].present) {
            d->nr = 0;
        } else {
            for (d->nr = 1; d->nr < s->max_ports && s->ports[d->nr].present; d->nr++) {
            }
        }
    }
    if (d->nr >= s->max_ports) {
        *errp = g_strdup_printf("%s: Out of range port id specified, max. allowed: %u", type,
                                s->max_ports - 1);
        return false;
    }
    if (s->ports[d->nr].present) {
        *errp = g_strdup_printf("%s: port %u is in use", type, d->nr);
        return false;
    }
    if (d->name && strlen(d->name) >= VIRTIO_SERIAL_NAME_MAX) {
        *errp = g_strdup_printf("%s: name: at most %u characters", type,
                                VIRTIO_SERIAL_NAME_MAX - 1);
        return false;
    }
    for (uint32_t i = 0; d->name && i < s->max_ports; i++) {
        if (s->ports[i].present && strcmp(s->ports[i].name, d->name) == 0) {
            *errp = g_strdup_printf("virtio-serial-bus: A port already exists by name %s",
                                    d->name);
            return false;
        }
    }
    VirtIOSerialPortState *p = &s->ports[d->nr];
    if (d->chardev && !(p->chr = chardev_lookup(m, d->chardev, errp))) {
        return false;
    }
    p->present = true;
    p->is_console = console;
    /* QEMU: a console is open from the start; another port once its
     * chardev opens, which a null chardev never does. */
    p->host_connected = console || (p->chr && !object_is_a(&p->chr->obj, "chardev-null"));
    g_strlcpy(p->name, d->name ? d->name : "", sizeof(p->name));
    d->bus = s;
    return true;
}

static bool virtconsole_realize(Object *obj, Machine *m, char **errp)
{
    return vser_port_realize_common(obj, m, true, errp);
}

static bool virtserialport_realize(Object *obj, Machine *m, char **errp)
{
    return vser_port_realize_common(obj, m, false, errp);
}

static const Property vser_port_props[] = {
    { "chardev", PROP_STR, offsetof(VirtIOSerialPortDev, chardev),
      "id of the -chardev the port's output goes to" },
    { "name", PROP_STR, offsetof(VirtIOSerialPortDev, name),
      "the name the guest sees (PORT_NAME)" },
    { "nr", PROP_U32, offsetof(VirtIOSerialPortDev, nr),
      "port number (default: 0 for a console if free, else the first free from 1)" },
    { .name = NULL },
};

const TypeInfo virtconsole_type = {
    .name = "virtconsole",
    .parent = "device",
    .desc = "a console port on virtio-serial",
    OBJECT_INSTANCE(VirtIOSerialPortDev),
    .user_creatable = true,
    .props = vser_port_props,
    .init = vser_port_init,
    .realize = virtconsole_realize,
};

const TypeInfo virtserialport_type = {
    .name = "virtserialport",
    .parent = "device",
    .desc = "a serial port on virtio-serial",
    OBJECT_INSTANCE(VirtIOSerialPortDev),
    .user_creatable = true,
    .props = vser_port_props,
    .init = vser_port_init,
    .realize = virtserialport_realize,
};
