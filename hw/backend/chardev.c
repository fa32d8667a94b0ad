/* SPDX-License-Identifier: MIT */
/*
 * Character backends: "-chardev null|file|stdio,id=ID[,path=FILE]". They
 * only send (see chardev.h). This is the one place of the character path
 * that does host I/O; a failing or slow host never reaches the device: a
 * write is retried a bounded number of times and errors are dropped.
 */
#include "hw/backend/chardev.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "hw/devices.h"

/* Limits: attempts per chardev_write before the rest is dropped. */
#define CHARDEV_MAX_WRITE_TRIES 64

void chardev_write(Chardev *c, const uint8_t *buf, size_t len)
{
    unsigned tries;

    if (!c || c->fd < 0) {
        return;
    }
    for (tries = 0; len > 0 && tries < CHARDEV_MAX_WRITE_TRIES; tries++) {
        ssize_t n = write(c->fd, buf, len);

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

Chardev *chardev_lookup(Machine *m, const char *id, char **errp)
{
    Object *obj = machine_find_chardev(m, id);

    if (!obj || !object_is_a(obj, "chardev")) {
        *errp = g_strdup_printf("no chardev '%s'", id);
        return NULL;
    }
    return (Chardev *)obj;
}

static void chardev_init(Object *obj)
{
    Chardev *c = (Chardev *)obj;

    c->fd = -1;
}

static bool chardev_file_realize(Object *obj, Machine *m, char **errp)
{
    Chardev *c = (Chardev *)obj;

    if (!c->path || !c->path[0]) {
        *errp = g_strdup_printf("chardev '%s': file backend needs path=FILE",
                                c->id ? c->id : "");
        return false;
    }
    c->fd = open(c->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (c->fd < 0) {
        *errp = g_strdup_printf("chardev '%s': cannot open '%s': %s", c->id ? c->id : "",
                                c->path, strerror(errno));
        return false;
    }
    return true;
}

static bool chardev_stdio_realize(Object *obj, Machine *m, char **errp)
{
    Chardev *c = (Chardev *)obj;

    c->fd = STDOUT_FILENO;
    return true;
}

static const Property chardev_props[] = {
    {"id", PROP_STR, offsetof(Chardev, id), "name devices refer to"},
    {.name = NULL},
};

static const Property chardev_file_props[] = {
    {"id", PROP_STR, offsetof(Chardev, id), "name devices refer to"},
    {"path", PROP_STR, offsetof(Chardev, path),
     "file to append the output to (created if missing)"},
    {.name = NULL},
};

const TypeInfo chardev_type = {
    .name = "chardev",
    .desc = "character backend (abstract)",
    .instance_size = 0,
};

const TypeInfo chardev_null_type = {
    .name = "chardev-null",
    .parent = "chardev",
    .desc = "drops all output",
    OBJECT_INSTANCE(Chardev),
    .props = chardev_props,
    .init = chardev_init,
};

const TypeInfo chardev_file_type = {
    .name = "chardev-file",
    .parent = "chardev",
    .desc = "appends the output to a host file",
    OBJECT_INSTANCE(Chardev),
    .props = chardev_file_props,
    .init = chardev_init,
    .realize = chardev_file_realize,
};

const TypeInfo chardev_stdio_type = {
    .name = "chardev-stdio",
    .parent = "chardev",
    .desc = "writes the output to standard output",
    OBJECT_INSTANCE(Chardev),
    .props = chardev_props,
    .init = chardev_init,
    .realize = chardev_stdio_realize,
};
