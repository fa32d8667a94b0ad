/* SPDX-License-Identifier: MIT */
/* Ethernet MAC addresses: see mac.h. */
#include "hw/net/mac.h"

#include <glib.h>

bool mac_parse(const char *str, uint8_t mac[MAC_ALEN])
{
    uint8_t a[MAC_ALEN];

    for (int i = 0; i < MAC_ALEN; i++, str += 3) {
        int hi = g_ascii_xdigit_value(str[0]);
        int lo = hi < 0 ? -1 : g_ascii_xdigit_value(str[1]);
        char sep = lo < 0 ? 0 : str[2];

        if (lo < 0 || (i < MAC_ALEN - 1 ? sep != ':' && sep != '-' : sep != '\0')) {
            return false;
        }
        a[i] = (uint8_t)(hi << 4 | lo);
    }
    for (int i = 0; i < MAC_ALEN; i++) {
        mac[i] = a[i];
    }
    return true;
}

bool mac_parse_prop(const char *dev, const char *str, uint8_t mac[MAC_ALEN],
                    char **errp)
{
    if (!str) {
        str = MAC_DEFAULT;
    }
    if (!mac_parse(str, mac)) {
        *errp = g_strdup_printf("%s: mac '%s' is not a MAC address (six pairs of "
                                "hex digits separated by ':' or '-')", dev, str);
        return false;
    }
    return true;
}
