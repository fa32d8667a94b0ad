/* SPDX-License-Identifier: MIT */
/*
 * The structured targets virtio-blk-flags-fuzz and virtio-scsi-flags-fuzz
 * (harness/virtio-flags-fuzz.c), after QEMU's virtio-*-flags-fuzz: an
 * input's first 8 bytes choose the features, then 5-byte records put
 * buffers on the device's queues. Format: docs/fuzz-input-format.md,
 * "virtio-*-flags-fuzz".
 */
#ifndef HARNESS_VIRTIO_FLAGS_FUZZ_H
#define HARNESS_VIRTIO_FLAGS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "harness/fuzz.h"

/* QEMU's arguments, on pc (QEMU: a 64 MiB temporary raw image; here a
 * 64 MiB null-co drive), with packed rings offered so the feature mask can
 * choose them. */
#define VIRTIO_BLK_FLAGS_FUZZ_ARGS \
    "-M pc -nodefaults -device virtio-blk,drive=disk0,packed=on " \
    "-drive file=null-co://,id=disk0,if=none,format=raw,file.size=64M"
#define VIRTIO_FLAGS_FUZZ_OBJECTS "virtio*"

bool virtio_flags_fuzz_setup(Fuzzer *f, char **errp);
void virtio_flags_fuzz_run(Fuzzer *f, const uint8_t *data, size_t len);
/* An input printed as its mask and records, one a line (tools/decode). */
void virtio_flags_fuzz_decode(const uint8_t *data, size_t len, FILE *out);

#endif
