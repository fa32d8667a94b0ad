/* SPDX-License-Identifier: MIT */
/*
 * The QEMU-compatible command line shared by emu-system and the fuzzing
 * binaries: -M/-machine, -m, -nodefaults, -device, -chardev, -netdev,
 * -drive, -qtest, -qtest-log, plus options accepted and ignored so that a
 * qemu-system-x86_64 command line runs unchanged (-display, -accel, -S,
 * -nographic). Requests like "-device help" are returned as a CliHelp.
 * Our own: -dma-budget BYTES (emu/dma.h), which the environment variable
 * EMU_DMA_BUDGET gives when the command line does not.
 */
#ifndef EMU_CLI_H
#define EMU_CLI_H

#include <stdbool.h>

#include "emu/machine.h"

#define CLI_DMA_BUDGET_ENV "EMU_DMA_BUDGET"

typedef enum CliHelp {
    CLI_HELP_NONE,
    CLI_HELP_USAGE,        /* -h, --help */
    CLI_HELP_VERSION,      /* --version */
    CLI_HELP_DEVICES,      /* -device help */
    CLI_HELP_DEVICE_PROPS, /* -device DRIVER,help */
    CLI_HELP_MACHINES,     /* -M help */
} CliHelp;

typedef struct CliOptions {
    MachineConfig cfg;
    const char *qtest;          /* -qtest SPEC */
    const char *qtest_log;      /* -qtest-log FILE */
    bool info_mtree;            /* --info-mtree: print and exit */
    bool info_mtree_flat;       /* --info-mtree-flat */
    bool info_qom_tree;         /* --info-qom-tree */
    CliHelp help;
    const char *help_arg;       /* the driver for CLI_HELP_DEVICE_PROPS */
} CliOptions;

void cli_options_init(CliOptions *o);
void cli_options_free(CliOptions *o);
/* Parses argv[1..argc-1]; on error returns false with a one-line *errp. */
bool cli_parse(CliOptions *o, int argc, char **argv, char **errp);
/* Fills from the environment what the command line left unset
 * (EMU_DMA_BUDGET); false with *errp if a variable is malformed. */
bool cli_apply_env(CliOptions *o, char **errp);
/* Parses one "-m" value: "128", "128M", "1G" (plain numbers are MiB). */
bool cli_parse_mem_size(const char *s, uint64_t *out);
/* Parses a byte count: "65536", "64K", "1M", "1MiB" (plain numbers are
 * bytes); zero is refused. */
bool cli_parse_byte_size(const char *s, uint64_t *out);
/* Parses a machine command line given as one string ("-M pc -nodefaults
 * -device ..."), split as a shell would; for fuzz targets and trace
 * headers. Help requests and -qtest are refused. The environment is not
 * applied. False with a one-line *errp on error. */
bool cli_parse_string(CliOptions *o, const char *args, char **errp);
/* A machine from such a string, the environment applied (as emu-system
 * does). NULL with a one-line *errp on error. */
Machine *cli_machine_from_string(const char *args, const BoardInfo *boards,
                                 char **errp);
/* Prints the help a CliHelp asks for. */
void cli_print_help(const CliOptions *o, const BoardInfo *boards, const char *prog);

#endif
