/* SPDX-License-Identifier: MIT */
/*
 * Network backends for "-netdev BACKEND,id=ID[,pcap=FILE]", as QEMU shapes
 * the option:
 *   null      drops what the device sends; nothing ever arrives;
 *   loopback  what the device sends comes straight back to it;
 *   user      accepted for QEMU command lines, behaves as null (says so once
 *             on stderr: no host network in a deterministic machine).
 * With pcap=FILE every frame in either direction is also written to FILE
 * (pcap format, link type Ethernet); the only host I/O, set-up opens it.
 *
 * A NIC attaches once at realize. Delivery is synchronous (the loopback
 * calls the NIC's receive inside net_send) with a depth guard, so a NIC that
 * sends from its receive path cannot recurse without bound.
 */
#ifndef HW_BACKEND_NET_H
#define HW_BACKEND_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/machine.h"
#include "emu/object.h"

#define NET_MAX_FRAME 65536      /* largest frame a backend passes on */

/* What a NIC gives the backend: where frames for it go. Returns false when
 * the NIC cannot take the frame now (no RX buffer): the frame is dropped. */
typedef bool (*NetReceive)(void *opaque, const uint8_t *buf, size_t len);

typedef struct NetBackend {
    Object obj;
    char *id;              /* property "id" */
    char *pcap;            /* property "pcap": dump file, or NULL */
    int pcap_fd;
    bool loopback;
    NetReceive receive;
    void *opaque;
    unsigned depth;        /* nested deliveries, for the guard */
    uint64_t tx_frames, rx_frames, dropped;
} NetBackend;

/* The netdev named id (for a NIC's "netdev=ID"), or NULL with *errp. A NIC
 * may only attach to a backend nobody else uses. */
NetBackend *net_backend_lookup(Machine *m, const char *id, char **errp);
bool net_backend_attach(NetBackend *nb, NetReceive receive, void *opaque,
                        char **errp);
/* The NIC transmits one frame. NULL-safe (a NIC without a netdev). */
void net_send(NetBackend *nb, const uint8_t *buf, size_t len);

#endif
