/* SPDX-License-Identifier: MIT */
/*
 * virtio-balloon-pci's state (virtio-balloon.c; the type is
 * virtio_balloon_pci_type in hw/devices.h), for its unit tests.
 */
#ifndef HW_VIRTIO_VIRTIO_BALLOON_H
#define HW_VIRTIO_VIRTIO_BALLOON_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/clock.h"
#include "hw/virtio/virtio-pci.h"

#define VIRTIO_BALLOON_S_NR 10          /* statistics tags QEMU 7.2 keeps */

typedef struct VirtIOBalloon {
    VirtIOPCIProxy proxy;
    VirtIODevice vdev;
    uint32_t num_pages;               /* the host's target (config) */
    uint32_t actual;                  /* the driver's count (config) */
    uint32_t poison_val;
    /* Pages the driver handed over and took back, counted, never freed */
    uint64_t inflated;
    uint64_t deflated;
    uint64_t ignored;                 /* PFNs outside guest RAM */
    /* The driver's last statistics, and its buffer while the device holds it */
    uint64_t stats[VIRTIO_BALLOON_S_NR];
    bool stats_held;
    uint16_t stats_head;
    uint32_t stats_len;               /* bytes of it read */
    Timer stats_timer;
    /* Set-up */
    uint32_t stats_poll_interval;     /* seconds, 0: never polled */
    uint64_t ram_size;
    Clock *clock;
} VirtIOBalloon;

#endif
