/* SPDX-License-Identifier: MIT */
/* emu-decode FILE...: fuzz inputs printed as generic-fuzz ops, one a line. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness/fuzz.h"

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fprintf(argc < 2 ? stderr : stdout,
                "usage: decode FILE...\nPrints each input as generic-fuzz ops "
                "(docs/fuzz-input-format.md).\n");
        return argc < 2 ? 1 : 0;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        gchar *data;
        gsize len;
        GError *err = NULL;
        if (!g_file_get_contents(argv[i], &data, &len, &err)) {
            fprintf(stderr, "decode: %s\n", err->message);
            g_error_free(err);
            status = 1;
            continue;
        }
        if (argc > 2) {
            printf("%s:\n", argv[i]);
        }
        fuzz_decode((const uint8_t *)data, len, stdout);
        g_free(data);
    }
    return status;
}
