/* SPDX-License-Identifier: MIT */
/*
 * virtio-mouse-pci, virtio-keyboard-pci and virtio-tablet-pci's state
 * (virtio-input.c; the types are in hw/devices.h), for their unit tests.
 */
#ifndef HW_VIRTIO_VIRTIO_INPUT_H
#define HW_VIRTIO_VIRTIO_INPUT_H

#include <stdint.h>

#include "hw/virtio/virtio-pci.h"

#define VIRTIO_INPUT_U_MAX 128          /* bytes of the config's union */

/* QEMU's LED bits (kbd_put_ledstate) */
#define VIRTIO_INPUT_LED_SCROLL 0x1
#define VIRTIO_INPUT_LED_NUM    0x2
#define VIRTIO_INPUT_LED_CAPS   0x4

/* One answer: what select/subsel give (u beyond size reads zero). */
typedef struct VirtIOInputCfg {
    uint8_t select;
    uint8_t subsel;
    uint8_t size;
    uint8_t u[VIRTIO_INPUT_U_MAX];
} VirtIOInputCfg;

typedef struct VirtIOInputKind {
    const char *type_name;
    const char *msix_name;            /* QEMU's "<type>-msix" */
    uint16_t class_id;
    const VirtIOInputCfg *cfg;        /* ends with size 0 and select 0 */
} VirtIOInputKind;

typedef struct VirtIOInput {
    VirtIOPCIProxy proxy;
    VirtIODevice vdev;
    uint8_t cfg_select;
    uint8_t cfg_subsel;
    uint8_t led_state;                /* VIRTIO_INPUT_LED_* */
    /* Set-up */
    const VirtIOInputKind *kind;
    uint32_t cfg_len;                 /* 8 + the largest answer, as QEMU's */
} VirtIOInput;

#endif
