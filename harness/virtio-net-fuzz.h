/* SPDX-License-Identifier: MIT */
/*
 * The structured target virtio-net-fuzz (harness/virtio-net-fuzz.c): its
 * set-up and run hooks for the FuzzTarget table. Input format:
 * docs/fuzz-input-format.md, "virtio-net-fuzz".
 */
#ifndef HARNESS_VIRTIO_NET_FUZZ_H
#define HARNESS_VIRTIO_NET_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/fuzz.h"

#define VIRTIO_NET_FUZZ_ARGS \
    "-M pc -nodefaults -device virtio-net-pci,netdev=net0 -netdev loopback,id=net0"
#define VIRTIO_NET_FUZZ_OBJECTS "virtio*"

bool virtio_net_fuzz_setup(Fuzzer *f, char **errp);
void virtio_net_fuzz_run(Fuzzer *f, const uint8_t *data, size_t len);
/* An input printed as its records, one a line (tools/decode). */
void virtio_net_fuzz_decode(const uint8_t *data, size_t len, FILE *out);

#endif
