/* SPDX-License-Identifier: MIT */
/*
 * Character backends for "-chardev BACKEND,id=ID[,path=FILE]": null (drops
 * output), file (appends to path, created if missing), stdio (stdout).
 * Devices only send: no host input reaches a device (determinism), so a
 * UART's receive side is fed by loopback only.
 */
#ifndef HW_BACKEND_CHARDEV_H
#define HW_BACKEND_CHARDEV_H

#include <stddef.h>
#include <stdint.h>

#include "emu/machine.h"
#include "emu/object.h"

typedef struct Chardev {
    Object obj;
    char *id;        /* property "id" */
    char *path;      /* property "path" (file) */
    int fd;          /* host fd, or -1 */
} Chardev;

/* NULL-safe: a device without a backend writes nowhere. */
void chardev_write(Chardev *c, const uint8_t *buf, size_t len);
/* The chardev named id, or NULL with *errp set ("no chardev 'x'"). */
Chardev *chardev_lookup(Machine *m, const char *id, char **errp);

#endif
