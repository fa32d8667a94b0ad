/* SPDX-License-Identifier: MIT */
/*
 * virtio-rng-pci's state (virtio-rng.c; the type is virtio_rng_pci_type in
 * hw/devices.h), for its unit tests.
 */
#ifndef HW_VIRTIO_VIRTIO_RNG_H
#define HW_VIRTIO_VIRTIO_RNG_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/clock.h"
#include "hw/virtio/virtio-pci.h"

typedef struct VirtIORNG {
    VirtIOPCIProxy proxy;
    VirtIODevice vdev;
    uint64_t prng;                    /* generator state, never 0 */
    int64_t quota_remaining;          /* bytes until the timer refills */
    bool activate_timer;              /* the next bytes start a period */
    Timer rate_limit_timer;
    /* Set-up (properties) */
    uint64_t max_bytes;
    uint32_t period_ms;
    uint64_t seed;
    Clock *clock;
} VirtIORNG;

#endif
