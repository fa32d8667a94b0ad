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
 * A NIC attaches once at realize. Every delivery enters the NIC
 * (object_enter). A looped-back frame is delivered at once when the NIC is
 * not inside one of its own callbacks, and otherwise (it is sending from its
 * transmit path, the usual case) queued and delivered by the backend's
 * bottom half right after, as a real wire would: a NIC's receive never runs
 * inside its own transmit. The queue holds NET_QUEUE_BYTES; frames past it
 * are dropped and counted.
 */
#ifndef HW_BACKEND_NET_H
#define HW_BACKEND_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu/machine.h"
#include "emu/object.h"

#define NET_MAX_FRAME 65536      /* largest frame a backend passes on */
#define NET_QUEUE_BYTES (4 * (NET_MAX_FRAME + 4))  /* frames waiting for the BH */

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
    Object *nic;           /* entered for each delivery */
    uint8_t *queue;        /* NET_QUEUE_BYTES at realize: [len le32][frame]... */
    uint32_t queue_len;    /* bytes used; 0 at every snapshot */
    uint64_t tx_frames, rx_frames, dropped;
} NetBackend;

/* The netdev named id (for a NIC's "netdev=ID"), or NULL with *errp. A NIC
 * may only attach to a backend nobody else uses. */
NetBackend *net_backend_lookup(Machine *m, const char *id, char **errp);
bool net_backend_attach(NetBackend *nb, Object *nic, NetReceive receive,
                        void *opaque, char **errp);
/* The NIC transmits one frame. NULL-safe (a NIC without a netdev). */
void net_send(NetBackend *nb, const uint8_t *buf, size_t len);

#endif
