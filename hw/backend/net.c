/* SPDX-License-Identifier: MIT */
/* Placeholder until the device lands. */
#include "hw/devices.h"
#include "hw/backend/net.h"
const TypeInfo netdev_type = { .name = "netdev", .instance_size = 0 };
NetBackend *net_backend_lookup(Machine *m, const char *id, char **errp) { (void)m; (void)id; *errp = g_strdup("no netdevs yet"); return NULL; }
bool net_backend_attach(NetBackend *nb, NetReceive receive, void *opaque, char **errp) { (void)nb; (void)receive; (void)opaque; (void)errp; return true; }
void net_send(NetBackend *nb, const uint8_t *buf, size_t len) { (void)nb; (void)buf; (void)len; }
