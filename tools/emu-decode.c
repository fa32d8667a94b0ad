/* SPDX-License-Identifier: MIT */
/*
 * emu-decode [--target NAME] FILE...: fuzz inputs printed one op (or one
 * record of a structured target) a line. Without --target, a path
 * component naming a target (build/seeds/TARGET/..., out/TARGET/...)
 * picks it; else the input is read as generic-fuzz ops.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness/fuzz.h"

static void decode_usage(FILE *out)
{
    fprintf(out, "usage: decode [--target NAME] FILE...\n"
                 "Prints each input as generic-fuzz ops, or as the records of a\n"
                 "structured target such as virtio-net-fuzz "
                 "(docs/fuzz-input-format.md).\n"
                 "--target NAME: the target whose format the inputs have; without\n"
                 "it, a folder of the path named after a target picks it\n"
                 "(build/seeds/TARGET/..., out/TARGET/...), else generic-fuzz.\n");
}

/* The target named by a folder of path, or NULL. */
static const FuzzTarget *decode_target_of_path(const char *path)
{
    char **parts = g_strsplit(path, "/", -1);
    const FuzzTarget *t = NULL;
    for (int i = 0; parts[i] && parts[i + 1]; i++) {
        const FuzzTarget *found = fuzz_find_target(parts[i]);
        t = found ? found : t;
    }
    g_strfreev(parts);
    return t;
}

static int decode_file(const char *path, const FuzzTarget *given, bool header)
{
    gchar *data;
    gsize len;
    GError *err = NULL;
    if (!g_file_get_contents(path, &data, &len, &err)) {
        fprintf(stderr, "decode: %s\n", err->message);
        g_error_free(err);
        return 1;
    }
    const FuzzTarget *t = given ? given : decode_target_of_path(path);
    if (header) {
        printf("%s:\n", path);
    }
    fuzz_decode_target(t, (const uint8_t *)data, len, stdout);
    g_free(data);
    return 0;
}

int main(int argc, char **argv)
{
    const FuzzTarget *t = NULL;
    int first = 1;
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        decode_usage(stdout);
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "--target") == 0) {
        t = fuzz_find_target(argv[2]);
        first = 3;
    } else if (argc > 1 && g_str_has_prefix(argv[1], "--target=")) {
        t = fuzz_find_target(argv[1] + strlen("--target="));
        first = 2;
    }
    if (first > 1 && !t) {
        fprintf(stderr, "decode: unknown target (build/emu-afl lists them)\n");
        return 1;
    }
    if (first >= argc) {
        decode_usage(stderr);
        return 1;
    }
    int status = 0;
    for (int i = first; i < argc; i++) {
        status |= decode_file(argv[i], t, argc - first > 1);
    }
    return status;
}
