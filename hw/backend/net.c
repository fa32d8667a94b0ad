/* SPDX-License-Identifier: MIT */
/*
 * Network backends: "-netdev null|loopback|user,id=ID[,pcap=FILE]" (see
 * net.h). The pcap writer is the only host I/O of the network path: the
 * file is opened at set-up, each frame gets one record (libpcap format 2.4,
 * link type Ethernet) stamped with the virtual clock, so two runs of the
 * same input write the same file. A looped-back frame is recorded once.
 */
#include "hw/backend/net.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "emu/byteorder.h"
#include "emu/clock.h"
#include "emu/log.h"
#include "hw/devices.h"

/* libpcap file format (https://wiki.wireshark.org/Development/LibpcapFileFormat) */
#define PCAP_MAGIC          0xa1b2c3d4u
#define PCAP_VERSION_MAJOR  2
#define PCAP_VERSION_MINOR  4
#define PCAP_SNAPLEN        65535u
#define PCAP_LINKTYPE_ETH   1u
#define PCAP_FILE_HDR_LEN   24
#define PCAP_REC_HDR_LEN    16

/* Limits */
#define NET_MAX_WRITE_TRIES 64    /* attempts per pcap write */
#define NET_QUEUE_HDR       4     /* frame length, little-endian */

/* A netdev instance: the public NetBackend plus what only this file uses. */
typedef struct NetdevState {
    NetBackend nb;
    const Clock *clock;      /* pcap timestamps */
    BH deliver_bh;           /* delivers the queue */
} NetdevState;

/* ---------------------------------------------------------------------- */
/* pcap                                                                    */

/* Host I/O errors are dropped: a full disk never reaches the guest. */
static void net_pcap_write(int fd, const uint8_t *buf, size_t len)
{
    for (unsigned tries = 0; len > 0 && tries < NET_MAX_WRITE_TRIES; tries++) {
        ssize_t n = write(fd, buf, len);

        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        buf += n;
        len -= (size_t)n;
    }
}

static void net_pcap_header(int fd)
{
    uint8_t h[PCAP_FILE_HDR_LEN] = { 0 };

    st_le32(h, PCAP_MAGIC);
    st_le16(h + 4, PCAP_VERSION_MAJOR);
    st_le16(h + 6, PCAP_VERSION_MINOR);
    /* thiszone and sigfigs stay 0 */
    st_le32(h + 16, PCAP_SNAPLEN);
    st_le32(h + 20, PCAP_LINKTYPE_ETH);
    net_pcap_write(fd, h, sizeof(h));
}

static void net_pcap_record(NetdevState *n, const uint8_t *buf, size_t len)
{
    uint8_t h[PCAP_REC_HDR_LEN];
    int64_t ns = n->clock ? clock_get_ns(n->clock) : 0;
    size_t caplen = MIN(len, (size_t)PCAP_SNAPLEN);

    st_le32(h, (uint32_t)(ns / NANOSECONDS_PER_SECOND));
    st_le32(h + 4, (uint32_t)(ns % NANOSECONDS_PER_SECOND / 1000));
    st_le32(h + 8, (uint32_t)caplen);
    st_le32(h + 12, (uint32_t)len);
    net_pcap_write(n->nb.pcap_fd, h, sizeof(h));
    net_pcap_write(n->nb.pcap_fd, buf, caplen);
}

/* ---------------------------------------------------------------------- */
/* The NIC-facing API                                                      */

NetBackend *net_backend_lookup(Machine *m, const char *id, char **errp)
{
    Object *obj = machine_find_netdev(m, id);

    if (!obj || !object_is_a(obj, "netdev")) {
        *errp = g_strdup_printf("no netdev '%s' (give it with -netdev ...,id=%s)",
                                id, id);
        return NULL;
    }
    return (NetBackend *)obj;
}

bool net_backend_attach(NetBackend *nb, Object *nic, NetReceive receive,
                        void *opaque, char **errp)
{
    if (!receive || !nic) {
        emu_bug("net_backend_attach without a NIC or a receive function");
    }
    if (nb->receive) {
        *errp = g_strdup_printf("netdev '%s' is already used by another device",
                                nb->id ? nb->id : "");
        return false;
    }
    nb->nic = nic;
    nb->receive = receive;
    nb->opaque = opaque;
    return true;
}

/* One frame into the NIC, entered; false if it is inside a callback. */
static bool net_deliver(NetBackend *nb, const uint8_t *buf, size_t len)
{
    if (object_entered(nb->nic)) {
        return false;
    }
    object_enter(nb->nic, "net receive");
    bool taken = nb->receive(nb->opaque, buf, len);
    object_leave(nb->nic);
    if (taken) {
        nb->rx_frames++;
    } else {
        nb->dropped++;
    }
    return true;
}

static void net_enqueue(NetdevState *n, const uint8_t *buf, size_t len)
{
    NetBackend *nb = &n->nb;

    if (NET_QUEUE_BYTES - nb->queue_len < NET_QUEUE_HDR + len) {
        nb->dropped++;
        return;
    }
    st_le32(nb->queue + nb->queue_len, (uint32_t)len);
    memcpy(nb->queue + nb->queue_len + NET_QUEUE_HDR, buf, len);
    nb->queue_len += NET_QUEUE_HDR + (uint32_t)len;
    bh_schedule(&n->deliver_bh);
}

/* Delivers the frames queued before it started; frames the NIC sends back
 * meanwhile are queued behind them and wait for the next run. */
static void net_deliver_bh(void *opaque)
{
    NetdevState *n = opaque;
    NetBackend *nb = &n->nb;
    uint32_t end = nb->queue_len, pos = 0;

    while (pos < end) {
        uint32_t len = ld_le32(nb->queue + pos);
        if (!net_deliver(nb, nb->queue + pos + NET_QUEUE_HDR, len)) {
            break;      /* cannot happen from a BH; keep the rest queued */
        }
        pos += NET_QUEUE_HDR + len;
    }
    memmove(nb->queue, nb->queue + pos, nb->queue_len - pos);
    nb->queue_len -= pos;
    if (nb->queue_len) {
        bh_schedule(&n->deliver_bh);
    }
}

/* Loopback: straight back to the NIC, or through the queue when the NIC is
 * sending from inside one of its callbacks. */
static void net_loop_back(NetdevState *n, const uint8_t *buf, size_t len)
{
    if (!n->nb.receive) {
        n->nb.dropped++;
    } else if (!net_deliver(&n->nb, buf, len)) {
        net_enqueue(n, buf, len);
    }
}

void net_send(NetBackend *nb, const uint8_t *buf, size_t len)
{
    if (!nb) {
        return;
    }
    object_touch(&nb->obj);     /* its counters, and loopback's queue */
    if (len > NET_MAX_FRAME) {
        guest_error("netdev '%s': frame of %zu bytes dropped (max %u)",
                    nb->id ? nb->id : "", len, NET_MAX_FRAME);
        nb->dropped++;
        return;
    }
    nb->tx_frames++;
    if (nb->pcap_fd >= 0) {
        net_pcap_record((NetdevState *)nb, buf, len);
    }
    if (nb->loopback) {
        net_loop_back((NetdevState *)nb, buf, len);
    } else {
        nb->dropped++;
    }
}

/* ---------------------------------------------------------------------- */
/* Types                                                                   */

static void netdev_init(Object *obj)
{
    NetdevState *n = (NetdevState *)obj;

    n->nb.pcap_fd = -1;
}

static void netdev_loopback_init(Object *obj)
{
    netdev_init(obj);
    ((NetdevState *)obj)->nb.loopback = true;
}

static size_t net_queue_live(const Object *obj)
{
    return ((const NetBackend *)obj)->queue_len;
}

static bool netdev_realize(Object *obj, Machine *m, char **errp)
{
    NetdevState *n = (NetdevState *)obj;
    const char *path = n->nb.pcap;

    n->clock = &m->clock;
    n->nb.queue = g_malloc(NET_QUEUE_BYTES);
    object_add_state(obj, "queue", n->nb.queue, NET_QUEUE_BYTES, net_queue_live);
    bh_init(&n->deliver_bh, obj, &m->clock, net_deliver_bh, n);
    if (!path) {
        return true;
    }
    if (!path[0]) {
        *errp = g_strdup_printf("netdev '%s': pcap= needs a file name",
                                n->nb.id ? n->nb.id : "");
        return false;
    }
    n->nb.pcap_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (n->nb.pcap_fd < 0) {
        *errp = g_strdup_printf("netdev '%s': cannot open pcap file '%s': %s",
                                n->nb.id ? n->nb.id : "", path, strerror(errno));
        return false;
    }
    net_pcap_header(n->nb.pcap_fd);
    return true;
}

static bool netdev_user_realize(Object *obj, Machine *m, char **errp)
{
    if (!netdev_realize(obj, m, errp)) {
        return false;
    }
    fprintf(stderr, "-netdev user: no host network here, behaves as null\n");
    return true;
}

static const Property netdev_props[] = {
    {"id", PROP_STR, offsetof(NetdevState, nb.id), "name NICs refer to (netdev=)"},
    {"pcap", PROP_STR, offsetof(NetdevState, nb.pcap),
     "write every frame to this file (pcap, truncated at start)"},
    {.name = NULL},
};

const TypeInfo netdev_type = {
    .name = "netdev",
    .desc = "network backend (abstract)",
    .instance_size = 0,
};

const TypeInfo netdev_null_type = {
    .name = "netdev-null",
    .parent = "netdev",
    .desc = "drops every frame; nothing ever arrives",
    OBJECT_INSTANCE(NetdevState),
    .props = netdev_props,
    .init = netdev_init,
    .realize = netdev_realize,
};

const TypeInfo netdev_loopback_type = {
    .name = "netdev-loopback",
    .parent = "netdev",
    .desc = "what the NIC sends comes straight back to it",
    OBJECT_INSTANCE(NetdevState),
    .props = netdev_props,
    .init = netdev_loopback_init,
    .realize = netdev_realize,
};

const TypeInfo netdev_user_type = {
    .name = "netdev-user",
    .parent = "netdev",
    .desc = "accepted for QEMU command lines; behaves as null",
    OBJECT_INSTANCE(NetdevState),
    .props = netdev_props,
    .init = netdev_init,
    .realize = netdev_user_realize,
};
