/* SPDX-License-Identifier: MIT */
/* Unit tests of emu/qtest: reply formats, errors, clock commands, msi. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "emu/msi.h"
#include "emu/qtest.h"

/* A tiny board: 1 MiB of RAM and one 4-byte register file at port 0x100. */
typedef struct Regs {
    Object obj;
    MemoryRegion io;
    uint8_t r[4];
    Timer t;
    int fired;
} Regs;

static uint64_t regs_read(void *opaque, uint64_t addr, unsigned size)
{
    return ((Regs *)opaque)->r[addr];
}

static void regs_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    ((Regs *)opaque)->r[addr] = val;
}

static const MemoryRegionOps regs_ops = {
    .read = regs_read, .write = regs_write,
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static void regs_fire(void *opaque)
{
    ((Regs *)opaque)->fired++;
}

static bool regs_realize(Object *obj, Machine *m, char **errp)
{
    Regs *s = (Regs *)obj;
    mr_init_io(&s->io, obj, &regs_ops, s, "regs", 4);
    mr_add_subregion(&m->sysio, 0x100, &s->io);
    timer_init(&s->t, NULL, &m->clock, regs_fire, s);
    timer_mod(&s->t, 1000);
    return true;
}

static const TypeInfo regs_type = {
    .name = "regs", .parent = "device", .instance_size = sizeof(Regs),
    .realize = regs_realize,
};
static const TypeInfo *const types[] = { &regs_type, NULL };

static bool tiny_init(Machine *m, char **errp)
{
    mr_init_container(&m->sysio, NULL, "io", 0x10000);
    as_init(&m->as_io, &m->sysio, "I/O");
    m->ram = g_new0(MemoryRegion, 1);
    mr_init_ram(m->ram, &m->obj, "ram", 1 << 20);
    mr_add_subregion(&m->sysmem, 0, m->ram);
    Object *dev = machine_new_device(m, "regs", NULL, NULL, errp);
    return dev && machine_realize_device(m, dev, errp);
}

static const BoardInfo boards[] = { { "tiny", "test board", NULL, tiny_init }, { NULL } };

static int setup(void **state)
{
    MachineConfig *cfg = g_new0(MachineConfig, 1);
    char *err = NULL;
    type_register_table(types);
    machine_config_init(cfg);
    Machine *m = machine_create(cfg, boards, &err);
    assert_non_null(m);
    *state = m;
    return 0;
}

static void expect(Machine *m, const char *cmd, const char *reply)
{
    GString *out = g_string_new(NULL);
    qtest_process_line(m, cmd, out);
    assert_string_equal(out->str, reply);
    g_string_free(out, TRUE);
}

/* A command and its exact reply. */
typedef struct Exchange {
    const char *cmd;
    const char *reply;
} Exchange;

static void expect_all(Machine *m, const Exchange *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        expect(m, x[i].cmd, x[i].reply);
    }
}

static void test_io(void **state)
{
    static const Exchange x[] = {
        { "outb 0x100 0x1ab", "OK\n" },
        { "inb 0x100", "OK 0x00ab\n" },
        { "outl 0x100 0x44332211", "OK\n" },
        { "inl 0x100", "OK 0x44332211\n" },
        { "inw 0x102", "OK 0x4433\n" },
        { "inb 0x200", "OK 0x0000\n" },
        { "inb 65536", "ERR port out of range\n" },
    };
    expect_all(*state, x, G_N_ELEMENTS(x));
}

static void test_memory(void **state)
{
    static const Exchange x[] = {
        { "writel 0x1000 0xdeadbeef", "OK\n" },
        { "readl 0x1000", "OK 0x00000000deadbeef\n" },
        { "readb 0x1003", "OK 0x00000000000000de\n" },
        { "read 0x1000 4", "OK 0xefbeadde\n" },
        { "write 0x2000 3 0x0102", "OK\n" },               /* missing byte: 0 */
        { "read 0x2000 3", "OK 0x010200\n" },
        { "b64read 0x1000 4", "OK 776t3g==\n" },
        { "b64write 0x3000 2 AQI=", "OK\n" },
        { "read 0x3000 2", "OK 0x0102\n" },
        { "memset 0x4000 3 0x1ff", "OK\n" },
        { "read 0x4000 4", "OK 0xffffff00\n" },
        { "readq 0x2000000", "OK 0x0000000000000000\n" },  /* unassigned */
    };
    expect_all(*state, x, G_N_ELEMENTS(x));
}

static void test_errors(void **state)
{
    static const Exchange x[] = {
        { "frobnicate 1", "FAIL Unknown command 'frobnicate'\n" },
        { "outb", "ERR missing arguments\n" },
        { "outb 0x100 zz", "ERR invalid port or value\n" },
        { "readl -1", "ERR invalid address\n" },
        { "read 0x0 0", "ERR size must not be 0\n" },
        { "write 0x0 2 12", "ERR invalid argument size\n" },
        { "write 0x0 2 0xqq", "ERR invalid argument size\n" },
        { "read 0x0 0xffffffffff", "ERR size too large\n" },
        { "clock_set x", "ERR invalid time\n" },
        { "", "" },
        { "   \t ", "" },
        { "# a comment", "" },
        { "  inb   0x100  ", "OK 0x0011\n" },
    };
    expect_all(*state, x, G_N_ELEMENTS(x));
}

static void test_clock(void **state)
{
    Machine *m = *state;
    Regs *r = (Regs *)m->devices[0];
    expect(m, "clock_step 10", "OK 10\n");
    assert_int_equal(r->fired, 0);
    expect(m, "clock_step", "OK 1000\n");             /* to the deadline */
    assert_int_equal(r->fired, 1);
    expect(m, "clock_step", "FAIL No timer is pending\n");
    expect(m, "clock_set 5000", "OK 5000\n");
    expect(m, "clock_set 10", "OK 5000\n");
}

static void test_info(void **state)
{
    Machine *m = *state;
    GString *out = g_string_new(NULL);
    qtest_process_line(m, "info qom-tree", out);
    assert_non_null(strstr(out->str, "/machine (machine)\n"));
    assert_non_null(strstr(out->str, "/device[0] (regs)\n"));
    assert_true(g_str_has_suffix(out->str, "\nOK\n"));
    g_string_truncate(out, 0);
    qtest_process_line(m, "info mtree", out);
    assert_non_null(strstr(out->str, "address-space: I/O"));
    assert_non_null(strstr(out->str, "regs"));
    g_string_free(out, TRUE);
}

/* msi [N]: the board's sink log; none on a board without one. */
static void test_msi(void **state)
{
    Machine *m = *state;
    MSILog log = { 0 };
    static const Exchange none[] = {
        { "msi", "ERR msi: this machine has no MSI sink\n" },
    };
    static const Exchange x[] = {
        { "msi", "OK 0 0x0 0x0\n" },
        { "msi 1", "ERR msi: no message 1 before the last (0 recorded)\n" },
        { "msi 16", "ERR msi: N must be a number below 16\n" },
        { "msi -1", "ERR msi: N must be a number below 16\n" },
        { "msi 0x", "ERR msi: N must be a number below 16\n" },
        { "msi 1 2", "ERR msi: one optional argument, N (0: the last message)\n" },
    };
    static const Exchange y[] = {
        { "msi", "OK 17 0xfee00010 0x4010\n" },
        { "msi 0", "OK 17 0xfee00010 0x4010\n" },
        { "msi 0xf", "OK 17 0xfee00001 0x4001\n" },
    };

    expect_all(m, none, G_N_ELEMENTS(none));
    m->msi_log = &log;
    expect_all(m, x, G_N_ELEMENTS(x));
    for (unsigned i = 0; i <= MSI_LOG_LEN; i++) {
        msi_log_record(&log, 0xfee00000 + i, 0x4000 + i);
    }
    expect_all(m, y, G_N_ELEMENTS(y));
    m->msi_log = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_io),
        cmocka_unit_test(test_memory),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_clock),
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_msi),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
