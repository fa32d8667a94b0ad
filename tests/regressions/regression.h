/* SPDX-License-Identifier: MIT */
/*
 * What every regression test of this folder shares (they are made by
 * tools/reproducer --c NAME TRACE): the machine from the crash trace's
 * command line, the trace replayed through the qtest server, one line at a
 * time. The test passes when every line runs (no ERR reply, no crash);
 * while the bug is there, the process dies with it.
 */
#ifndef TESTS_REGRESSIONS_REGRESSION_H
#define TESTS_REGRESSIONS_REGRESSION_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "emu/cli.h"
#include "emu/qtest.h"
#include "hw/devices.h"

/* args: the machine's command line after the program name, NULL-ended;
 * trace: qtest lines, NULL-ended. */
static void regression_replay(const char *const *args, const char *const *trace)
{
    const char *argv[64] = { "emu-system" };
    int argc = 1;
    for (int i = 0; args[i] && argc < 63; i++) {
        argv[argc++] = args[i];
    }
    CliOptions o;
    char *err = NULL;
    hw_register_types();
    cli_options_init(&o);
    if (!cli_parse(&o, argc, (char **)argv, &err)) {
        fail_msg("machine arguments: %s", err);
    }
    Machine *m = machine_create(&o.cfg, hw_boards, &err);
    if (!m) {
        fail_msg("machine: %s", err);
    }
    GString *reply = g_string_new(NULL);
    for (int i = 0; trace[i]; i++) {
        g_string_truncate(reply, 0);
        qtest_process_line(m, trace[i], reply);
        if (g_str_has_prefix(reply->str, "ERR")) {
            fail_msg("line %d '%s': %s", i + 1, trace[i], reply->str);
        }
    }
    g_string_free(reply, TRUE);
}

#endif
