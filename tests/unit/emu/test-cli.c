/* SPDX-License-Identifier: MIT */
/* Unit tests of emu/cli: QEMU-style options into a MachineConfig. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "emu/cli.h"

static bool parse(CliOptions *o, char **err, int argc, char **argv)
{
    cli_options_init(o);
    return cli_parse(o, argc, argv, err);
}

static void test_mem_size(void **state)
{
    uint64_t v;
    assert_true(cli_parse_mem_size("128", &v));
    assert_int_equal(v, 128ull << 20);
    assert_true(cli_parse_mem_size("1G", &v));
    assert_int_equal(v, 1ull << 30);
    assert_true(cli_parse_mem_size("512M", &v));
    assert_int_equal(v, 512ull << 20);
    assert_true(cli_parse_mem_size("64k", &v));
    assert_int_equal(v, 64ull << 10);
    assert_false(cli_parse_mem_size("0", &v));
    assert_false(cli_parse_mem_size("-5", &v));
    assert_false(cli_parse_mem_size("12Q", &v));
    assert_false(cli_parse_mem_size("", &v));
    assert_false(cli_parse_mem_size("99999999999999999999", &v));
}

static void test_full_line(void **state)
{
    char *argv[] = { "emu-system", "-M", "pc,accel=qtest", "-m", "256",
                     "-nodefaults", "-device", "isa-serial,iobase=0x2f8",
                     "-chardev", "null,id=c0", "-display", "none", "-accel",
                     "tcg", "-S", "-qtest", "stdio", "--info-mtree" };
    CliOptions o;
    char *err = NULL;
    assert_true(parse(&o, &err, G_N_ELEMENTS(argv), argv));
    assert_string_equal(o.cfg.board, "pc");
    assert_int_equal(o.cfg.ram_size, 256ull << 20);
    assert_true(o.cfg.nodefaults);
    assert_int_equal(o.cfg.devices->len, 1);
    assert_string_equal(g_ptr_array_index(o.cfg.devices, 0), "isa-serial,iobase=0x2f8");
    assert_string_equal(g_ptr_array_index(o.cfg.chardevs, 0), "null,id=c0");
    assert_string_equal(o.qtest, "stdio");
    assert_true(o.info_mtree);
    cli_options_free(&o);
}

static void test_help_requests(void **state)
{
    CliOptions o;
    char *err = NULL;
    char *a1[] = { "x", "-device", "help" };
    assert_true(parse(&o, &err, 3, a1));
    assert_int_equal(o.help, CLI_HELP_DEVICES);
    cli_options_free(&o);
    char *a2[] = { "x", "-device", "isa-serial,help" };
    assert_true(parse(&o, &err, 3, a2));
    assert_int_equal(o.help, CLI_HELP_DEVICE_PROPS);
    assert_string_equal(o.help_arg, "isa-serial");
    cli_options_free(&o);
    char *a3[] = { "x", "-M", "help" };
    assert_true(parse(&o, &err, 3, a3));
    assert_int_equal(o.help, CLI_HELP_MACHINES);
    cli_options_free(&o);
}

static void test_errors(void **state)
{
    CliOptions o;
    char *err = NULL;
    char *a1[] = { "x", "-frob" };
    assert_false(parse(&o, &err, 2, a1));
    assert_string_equal(err, "-frob: invalid option (try --help)");
    g_free(err);
    cli_options_free(&o);
    char *a2[] = { "x", "-device" };
    assert_false(parse(&o, &err, 2, a2));
    assert_string_equal(err, "-device: requires an argument");
    g_free(err);
    cli_options_free(&o);
    char *a3[] = { "x", "-machine", "pc,kvm=on" };
    assert_false(parse(&o, &err, 3, a3));
    assert_non_null(strstr(err, "kvm=on"));
    g_free(err);
    cli_options_free(&o);
    char *a4[] = { "x", "-m", "100G" };
    assert_false(parse(&o, &err, 3, a4));
    g_free(err);
    cli_options_free(&o);
}

static void test_dma_budget(void **state)
{
    CliOptions o;
    char *err = NULL;
    uint64_t v;
    assert_true(cli_parse_byte_size("65536", &v));
    assert_int_equal(v, 65536);
    assert_true(cli_parse_byte_size("64K", &v));
    assert_int_equal(v, 64ull << 10);
    assert_true(cli_parse_byte_size("2MiB", &v));
    assert_int_equal(v, 2ull << 20);
    assert_false(cli_parse_byte_size("0", &v));
    assert_false(cli_parse_byte_size("1X", &v));

    /* The command line wins over the environment, which fills a gap. */
    setenv("EMU_DMA_BUDGET", "8K", 1);
    char *a1[] = { "x", "-dma-budget", "4096" };
    assert_true(parse(&o, &err, 3, a1));
    assert_true(cli_apply_env(&o, &err));
    assert_int_equal(o.cfg.dma_budget, 4096);
    cli_options_free(&o);
    char *a2[] = { "x", "-nodefaults" };
    assert_true(parse(&o, &err, 2, a2));
    assert_int_equal(o.cfg.dma_budget, 0);
    assert_true(cli_apply_env(&o, &err));
    assert_int_equal(o.cfg.dma_budget, 8192);
    cli_options_free(&o);

    setenv("EMU_DMA_BUDGET", "lots", 1);
    assert_true(parse(&o, &err, 2, a2));
    assert_false(cli_apply_env(&o, &err));
    assert_non_null(strstr(err, "EMU_DMA_BUDGET"));
    g_free(err);
    cli_options_free(&o);
    unsetenv("EMU_DMA_BUDGET");
    char *a3[] = { "x", "-dma-budget", "0" };
    assert_false(parse(&o, &err, 3, a3));
    assert_non_null(strstr(err, "-dma-budget"));
    g_free(err);
    cli_options_free(&o);
}

static void test_split_opts(void **state)
{
    char **v = machine_split_opts("file,id=a,path=x,,y");
    assert_string_equal(v[0], "file");
    assert_string_equal(v[1], "id=a");
    assert_string_equal(v[2], "path=x,y");
    assert_null(v[3]);
    g_strfreev(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mem_size),
        cmocka_unit_test(test_full_line),
        cmocka_unit_test(test_help_requests),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_dma_budget),
        cmocka_unit_test(test_split_opts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
