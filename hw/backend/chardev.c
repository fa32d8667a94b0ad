/* SPDX-License-Identifier: MIT */
/* Placeholder until the backends land. */
#include "hw/backend/chardev.h"
#include "hw/devices.h"
const TypeInfo chardev_type = { .name = "chardev", .instance_size = 0 };
const TypeInfo chardev_null_type = { .name = "chardev-null", .parent = "chardev", .instance_size = sizeof(Chardev) };
const TypeInfo chardev_file_type = { .name = "chardev-file", .parent = "chardev", .instance_size = sizeof(Chardev) };
const TypeInfo chardev_stdio_type = { .name = "chardev-stdio", .parent = "chardev", .instance_size = sizeof(Chardev) };
void chardev_write(Chardev *c, const uint8_t *buf, size_t len) { (void)c; (void)buf; (void)len; }
Chardev *chardev_lookup(Machine *m, const char *id, char **errp) { (void)m; (void)id; (void)errp; return NULL; }
