/* SPDX-License-Identifier: MIT */
/*
 * Ethernet MAC addresses for network cards: the "mac" property, parsed by
 * QEMU 7.2's rules for it (six pairs of hex digits, either case, each pair
 * but the last followed by ':' or '-', nothing else: "52:54:00:12:34:56"
 * and "52-54-00-12-34-56" are taken, "1:2:3:4:5:6" is not), and the
 * broadcast and multicast tests of a destination address.
 */
#ifndef HW_NET_MAC_H
#define HW_NET_MAC_H

#include <stdbool.h>
#include <stdint.h>

#define MAC_ALEN     6
#define MAC_DEFAULT  "52:54:00:12:34:56"   /* QEMU's first NIC's */

/* False, mac unchanged, if str is not an address by the rules above. */
bool mac_parse(const char *str, uint8_t mac[MAC_ALEN]);

/* A device's "mac" property at realize: str, or MAC_DEFAULT when NULL;
 * false with a one-line *errp naming the device if it does not parse. */
bool mac_parse_prop(const char *dev, const char *str, uint8_t mac[MAC_ALEN],
                    char **errp);

static inline bool mac_is_broadcast(const uint8_t *a)
{
    return (a[0] & a[1] & a[2] & a[3] & a[4] & a[5]) == 0xff;
}

/* Multicast, broadcast included: the group bit (IEEE 802.3 3.2.3). */
static inline bool mac_is_multicast(const uint8_t *a)
{
    return a[0] & 1;
}

#endif
