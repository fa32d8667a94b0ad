/* SPDX-License-Identifier: MIT */
/*
 * emu-system: the plain (non-fuzzing) build. Builds the machine from a
 * QEMU-style command line and serves the qtest protocol, so that reproducer
 * traces run here as they do on qemu-system-x86_64 -qtest stdio.
 */
#include <stdio.h>
#include <stdlib.h>

#include "emu/cli.h"
#include "emu/qtest.h"
#include "hw/devices.h"

static int emu_system_fail(const char *msg)
{
    fprintf(stderr, "emu-system: %s\n", msg);
    return 1;
}

static void emu_system_info(Machine *m, const CliOptions *o)
{
    GString *out = g_string_new(NULL);
    if (o->info_mtree || o->info_mtree_flat) {
        /* With owners, as the monitor's `info mtree -o`. */
        machine_info_mtree(m, out, MTREE_OWNER | (o->info_mtree_flat ? MTREE_FLAT : 0));
    }
    if (o->info_qom_tree) {
        machine_info_qom_tree(m, out);
    }
    fputs(out->str, stdout);
    g_string_free(out, TRUE);
}

int main(int argc, char **argv)
{
    CliOptions o;
    char *err = NULL;
    hw_register_types();
    cli_options_init(&o);
    if (!cli_parse(&o, argc, argv, &err) || !cli_apply_env(&o, &err)) {
        return emu_system_fail(err);
    }
    if (o.help != CLI_HELP_NONE) {
        cli_print_help(&o, hw_boards, "emu-system");
        return 0;
    }
    bool info = o.info_mtree || o.info_mtree_flat || o.info_qom_tree;
    if (!o.qtest && !info) {
        return emu_system_fail("nothing to do: give -qtest stdio|unix:PATH "
                               "or --info-mtree (see --help)");
    }
    Machine *m = machine_create(&o.cfg, hw_boards, &err);
    if (!m) {
        return emu_system_fail(err);
    }
    if (info) {
        emu_system_info(m, &o);
        return 0;
    }
    if (qtest_serve(m, o.qtest, &err) < 0) {
        return emu_system_fail(err);
    }
    return 0;
}
