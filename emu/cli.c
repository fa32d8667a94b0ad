/* SPDX-License-Identifier: MIT */
/* QEMU-compatible command-line parsing; see cli.h. */
#include "emu/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum CliArg { CLI_NOARG, CLI_ARG } CliArg;

typedef struct CliOpt {
    const char *name;     /* without the leading dash(es) */
    CliArg arg;
    bool (*apply)(CliOptions *o, const char *val, char **errp);
} CliOpt;

void cli_options_init(CliOptions *o)
{
    memset(o, 0, sizeof(*o));
    machine_config_init(&o->cfg);
}

void cli_options_free(CliOptions *o)
{
    machine_config_free(&o->cfg);
}

/* A size with an optional K, M, G or T suffix (KiB etc.); a bare number
 * is shifted by bare_shift. Zero is refused. */
static bool cli_parse_size(const char *s, unsigned bare_shift, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!*s || *s == '-') {
        return false;
    }
    uint64_t v = strtoull(s, &end, 10);
    unsigned shift = bare_shift;
    if (*end) {
        switch (*end) {
        case 'k': case 'K': shift = 10; break;
        case 'M': case 'm': shift = 20; break;
        case 'G': case 'g': shift = 30; break;
        case 'T': case 't': shift = 40; break;
        default: return false;
        }
        if (end[1] && strcmp(end + 1, "B") && strcmp(end + 1, "iB")) {
            return false;
        }
    }
    if (errno || v == 0 || v > (UINT64_MAX >> shift)) {
        return false;
    }
    *out = v << shift;
    return true;
}

bool cli_parse_mem_size(const char *s, uint64_t *out)
{
    return cli_parse_size(s, 20, out);     /* a bare number is MiB, as -m */
}

bool cli_parse_byte_size(const char *s, uint64_t *out)
{
    return cli_parse_size(s, 0, out);
}

bool cli_apply_env(CliOptions *o, char **errp)
{
    const char *env = getenv(CLI_DMA_BUDGET_ENV);
    if (o->cfg.dma_budget || !env) {
        return true;
    }
    if (!cli_parse_byte_size(env, &o->cfg.dma_budget)) {
        *errp = g_strdup_printf(CLI_DMA_BUDGET_ENV ": invalid byte count '%s' "
                                "(bytes, at least 1; K, M, G suffixes)", env);
        return false;
    }
    return true;
}

static bool opt_machine(CliOptions *o, const char *val, char **errp)
{
    char **opts = machine_split_opts(val);
    bool ok = true;
    for (int i = 0; opts[i] && ok; i++) {
        if (i == 0 && !strchr(opts[0], '=')) {
            if (strcmp(opts[0], "help") == 0) {
                o->help = CLI_HELP_MACHINES;
            } else {
                o->cfg.board = g_intern_string(opts[0]);
            }
        } else if (g_str_has_prefix(opts[i], "type=")) {
            o->cfg.board = g_intern_string(opts[i] + 5);
        } else if (!g_str_has_prefix(opts[i], "accel=")) {
            *errp = g_strdup_printf("-machine: unsupported option '%s'", opts[i]);
            ok = false;
        }
    }
    g_strfreev(opts);
    return ok;
}

static bool opt_mem(CliOptions *o, const char *val, char **errp)
{
    const char *size = g_str_has_prefix(val, "size=") ? val + 5 : val;
    if (!cli_parse_mem_size(size, &o->cfg.ram_size)) {
        *errp = g_strdup_printf("-m: invalid RAM size '%s'", val);
        return false;
    }
    if (o->cfg.ram_size > (64ull << 30)) {
        *errp = g_strdup_printf("-m: %s is more than the 64 GiB supported", val);
        return false;
    }
    return true;
}

static bool opt_dma_budget(CliOptions *o, const char *val, char **errp)
{
    if (!cli_parse_byte_size(val, &o->cfg.dma_budget)) {
        *errp = g_strdup_printf("-dma-budget: invalid byte count '%s' "
                                "(bytes, at least 1; K, M, G suffixes)", val);
        return false;
    }
    return true;
}

static bool opt_nodefaults(CliOptions *o, const char *val, char **errp)
{
    o->cfg.nodefaults = true;
    return true;
}

static bool opt_device(CliOptions *o, const char *val, char **errp)
{
    if (strcmp(val, "help") == 0 || strcmp(val, "?") == 0) {
        o->help = CLI_HELP_DEVICES;
    } else if (g_str_has_suffix(val, ",help")) {
        o->help = CLI_HELP_DEVICE_PROPS;
        o->help_arg = g_intern_string(g_strndup(val, strlen(val) - 5));
    } else {
        g_ptr_array_add(o->cfg.devices, g_strdup(val));
    }
    return true;
}

static bool opt_chardev(CliOptions *o, const char *val, char **errp)
{
    g_ptr_array_add(o->cfg.chardevs, g_strdup(val));
    return true;
}

static bool opt_netdev(CliOptions *o, const char *val, char **errp)
{
    g_ptr_array_add(o->cfg.netdevs, g_strdup(val));
    return true;
}

static bool opt_drive(CliOptions *o, const char *val, char **errp)
{
    g_ptr_array_add(o->cfg.drives, g_strdup(val));
    return true;
}

static bool opt_blockdev(CliOptions *o, const char *val, char **errp)
{
    g_ptr_array_add(o->cfg.blockdevs, g_strdup(val));
    return true;
}

static bool opt_qtest(CliOptions *o, const char *val, char **errp)
{
    o->qtest = val;
    return true;
}

static bool opt_qtest_log(CliOptions *o, const char *val, char **errp)
{
    o->qtest_log = val;
    return true;
}

static bool opt_ignore(CliOptions *o, const char *val, char **errp)
{
    return true;
}

static bool opt_help(CliOptions *o, const char *val, char **errp)
{
    o->help = CLI_HELP_USAGE;
    return true;
}

static bool opt_version(CliOptions *o, const char *val, char **errp)
{
    o->help = CLI_HELP_VERSION;
    return true;
}

static bool opt_info_mtree(CliOptions *o, const char *val, char **errp)
{
    o->info_mtree = true;
    return true;
}

static bool opt_info_mtree_flat(CliOptions *o, const char *val, char **errp)
{
    o->info_mtree_flat = true;
    return true;
}

static bool opt_info_qom_tree(CliOptions *o, const char *val, char **errp)
{
    o->info_qom_tree = true;
    return true;
}

static const CliOpt cli_opts[] = {
    { "M", CLI_ARG, opt_machine },
    { "machine", CLI_ARG, opt_machine },
    { "m", CLI_ARG, opt_mem },
    { "nodefaults", CLI_NOARG, opt_nodefaults },
    { "dma-budget", CLI_ARG, opt_dma_budget },
    { "device", CLI_ARG, opt_device },
    { "chardev", CLI_ARG, opt_chardev },
    { "netdev", CLI_ARG, opt_netdev },
    { "drive", CLI_ARG, opt_drive },
    { "blockdev", CLI_ARG, opt_blockdev },
    { "qtest", CLI_ARG, opt_qtest },
    { "qtest-log", CLI_ARG, opt_qtest_log },
    { "display", CLI_ARG, opt_ignore },
    { "accel", CLI_ARG, opt_ignore },
    { "S", CLI_NOARG, opt_ignore },
    { "nographic", CLI_NOARG, opt_ignore },
    { "h", CLI_NOARG, opt_help },
    { "help", CLI_NOARG, opt_help },
    { "version", CLI_NOARG, opt_version },
    { "info-mtree", CLI_NOARG, opt_info_mtree },
    { "info-mtree-flat", CLI_NOARG, opt_info_mtree_flat },
    { "info-qom-tree", CLI_NOARG, opt_info_qom_tree },
};

static const CliOpt *cli_find(const char *arg)
{
    if (arg[0] != '-') {
        return NULL;
    }
    const char *name = arg + (arg[1] == '-' ? 2 : 1);   /* -x and --x alike */
    for (size_t i = 0; i < G_N_ELEMENTS(cli_opts); i++) {
        if (strcmp(cli_opts[i].name, name) == 0) {
            return &cli_opts[i];
        }
    }
    return NULL;
}

bool cli_parse(CliOptions *o, int argc, char **argv, char **errp)
{
    for (int i = 1; i < argc; i++) {
        const CliOpt *opt = cli_find(argv[i]);
        if (!opt) {
            *errp = g_strdup_printf("%s: invalid option (try --help)", argv[i]);
            return false;
        }
        const char *val = NULL;
        if (opt->arg == CLI_ARG) {
            if (i + 1 >= argc) {
                *errp = g_strdup_printf("%s: requires an argument", argv[i]);
                return false;
            }
            val = argv[++i];
        }
        if (!opt->apply(o, val, errp)) {
            return false;
        }
    }
    return true;
}

static void cli_print_type(const TypeInfo *t, void *opaque)
{
    if (!t->user_creatable) {
        return;
    }
    printf("name \"%s\"", t->name);
    if (t->alias) {
        printf(", alias \"%s\"", t->alias);
    }
    printf(", desc \"%s\"\n", t->desc ? t->desc : "");
}

static void cli_print_usage(const char *prog)
{
    printf("usage: %s [options]\n"
           "\n"
           "A PC machine for device testing and fuzzing, driven over QEMU's\n"
           "qtest protocol. Options (QEMU's spelling):\n"
           "  -M, -machine [type=]NAME[,accel=...]\n"
           "                       machine type (default pc; -M help lists;\n"
           "                       accel= is accepted and ignored)\n"
           "  -m SIZE              guest RAM (default 128M; plain numbers are MiB)\n"
           "  -nodefaults          no default serial and parallel ports\n"
           "  -dma-budget BYTES    the bytes all device DMA may move in the whole\n"
           "                       run (K, M, G suffixes); default: the\n"
           "                       EMU_DMA_BUDGET environment variable, else\n"
           "                       %llu; a transfer past it fails like a bus error\n"
           "  -device DRIVER[,prop=val...]\n"
           "                       add a device (-device help lists drivers and\n"
           "                       QEMU's aliases, e.g. virtio-net for\n"
           "                       virtio-net-pci; -device DRIVER,help its\n"
           "                       properties)\n"
           "  -chardev null|file|stdio,id=ID[,path=FILE]\n"
           "                       a character backend for chardev=ID\n"
           "  -netdev null|loopback|user,id=ID[,pcap=FILE]\n"
           "                       a network backend for a NIC's netdev=ID: null\n"
           "                       drops frames, loopback sends each frame back\n"
           "                       to the NIC, user behaves as null (no host\n"
           "                       network); pcap= records the traffic\n"
           "  -drive file=PATH|null-co://,if=none,id=ID,format=raw[,media=cdrom]\n"
           "         [,readonly=on][,file.read-zeroes=on][,file.size=N]\n"
           "                       a block backend for a device's drive=ID: a\n"
           "                       raw image, opened read-only (guest writes go to\n"
           "                       an in-memory overlay), or the null driver (reads\n"
           "                       zeros, drops writes, 1 GiB unless size=); no\n"
           "                       file= is a drive with no medium\n"
           "  -blockdev driver=null-co|file,node-name=ID[,filename=PATH][,size=N]\n"
           "            [,read-zeroes=on][,read-only=on][,latency-ns=N]\n"
           "                       the same, QEMU's -blockdev spelling\n"
           "  -qtest stdio|unix:PATH\n"
           "                       serve the qtest protocol\n"
           "  --info-mtree, --info-mtree-flat, --info-qom-tree\n"
           "                       print the memory or object tree and exit\n"
           "  -display, -accel, -S, -nographic, -qtest-log FILE\n"
           "                       accepted for QEMU compatibility, no effect\n"
           "  -h, --help, --version\n"
           "\n"
           "qtest commands: outb/outw/outl PORT VAL, inb/inw/inl PORT,\n"
           "writeb/w/l/q ADDR VAL, readb/w/l/q ADDR, read ADDR LEN,\n"
           "write ADDR LEN 0xHEX, b64read ADDR LEN, b64write ADDR LEN B64,\n"
           "memset ADDR LEN BYTE, clock_step [NS], clock_set NS,\n"
           "info mtree [-f] [-o] [-D], info qom-tree, msi [N] (the MSI sink).\n", prog,
           (unsigned long long)DMA_BUDGET_DEFAULT);
}

void cli_print_help(const CliOptions *o, const BoardInfo *boards, const char *prog)
{
    switch (o->help) {
    case CLI_HELP_USAGE:
        cli_print_usage(prog);
        break;
    case CLI_HELP_VERSION:
        printf("%s (emufuzz) 0.1.0\n", prog);
        break;
    case CLI_HELP_DEVICES:
        type_foreach(cli_print_type, NULL);
        break;
    case CLI_HELP_MACHINES:
        printf("Supported machines are:\n");
        for (const BoardInfo *b = boards; b->name; b++) {
            printf("%-20s %s%s\n", b->name, b->desc, b == boards ? " (default)" : "");
        }
        break;
    case CLI_HELP_DEVICE_PROPS: {
        const TypeInfo *t = type_lookup_driver(o->help_arg);
        GString *out = g_string_new(NULL);
        if (t && t->user_creatable) {
            object_print_props(t, out);
        } else {
            g_string_printf(out, "'%s' is not a valid device model name\n",
                            o->help_arg);
        }
        fputs(out->str, stdout);
        g_string_free(out, TRUE);
        break;
    }
    case CLI_HELP_NONE:
        break;
    }
}

bool cli_parse_string(CliOptions *o, const char *args, char **errp)
{
    gchar **argv = NULL;
    gint argc = 0;
    GError *gerr = NULL;
    char *line = g_strdup_printf("emu %s", args);
    bool ok = g_shell_parse_argv(line, &argc, &argv, &gerr);
    g_free(line);
    if (!ok) {
        *errp = g_strdup_printf("machine arguments: %s", gerr->message);
        g_error_free(gerr);
        return false;
    }
    ok = cli_parse(o, argc, argv, errp);
    if (ok && (o->help != CLI_HELP_NONE || o->qtest)) {
        *errp = g_strdup("machine arguments: no -qtest or help requests here");
        ok = false;
    }
    g_strfreev(argv);
    return ok;
}

Machine *cli_machine_from_string(const char *args, const BoardInfo *boards,
                                 char **errp)
{
    CliOptions *o = g_new0(CliOptions, 1);    /* the config outlives set-up */
    cli_options_init(o);
    if (!cli_parse_string(o, args, errp) || !cli_apply_env(o, errp)) {
        return NULL;
    }
    return machine_create(&o->cfg, boards, errp);
}
