/* SPDX-License-Identifier: MIT */
/* The hw unit tests' small machine: see hw-test.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hw-test.h"

#include <glib.h>

#include "emu/byteorder.h"
#include "emu/cli.h"
#include "hw/devices.h"

static uint64_t ones_read(void *opaque, uint64_t addr, unsigned size)
{
    return ~0ull;
}

static void ones_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
}

static const MemoryRegionOps ones_ops = {.read = ones_read, .write = ones_write};

static void test_irq_handler(void *opaque, int n, int level)
{
    TestIrq *t = opaque;

    t->edges += level && !t->level;
    t->level = level;
}

void test_irq_init(TestIrq *t, int n)
{
    *t = (TestIrq){0};
    irq_init(&t->irq, NULL, test_irq_handler, t, n);
}

TestMachine *test_machine_new(uint64_t ram_size)
{
    TestMachine *tm = g_new0(TestMachine, 1);
    Machine *m = g_new0(Machine, 1);

    tm->m = m;
    clock_init(&m->clock);
    mr_init_io(&m->sysio, NULL, &ones_ops, NULL, "io", 0x10000);
    as_init(&m->as_io, &m->sysio, "I/O");
    mr_init_container(&m->sysmem, NULL, "system", MR_SIZE_MAX);
    if (ram_size) {
        mr_init_ram(&tm->ram, NULL, "ram", ram_size);
        mr_add_subregion(&m->sysmem, 0, &tm->ram);
        m->ram = &tm->ram;
    }
    as_init(&m->as_mem, &m->sysmem, "memory");
    for (int n = 0; n < MACHINE_ISA_IRQS; n++) {
        test_irq_init(&tm->irq[n], n);
        m->isa_irq[n] = &tm->irq[n].irq;
    }
    return tm;
}

/* String properties are g_strdup'd by object_set_prop and freed by no one. */
static void test_device_free(Object *dev)
{
    for (const Property *p = dev->type->props; p && p->name; p++) {
        if (p->kind == PROP_STR) {
            g_free(*(char **)((char *)dev + p->offset));
        }
    }
    g_free(dev);
}

void test_machine_free(TestMachine *tm)
{
    for (unsigned i = 0; i < tm->nr_devices; i++) {
        test_device_free(tm->devices[i]);
    }
    mr_free_backing(&tm->ram);
    g_free(tm->m->as_io.ranges);
    g_free(tm->m->as_mem.ranges);
    g_free(tm->m);
    g_free(tm);
}

void *test_fixture_new(size_t size, uint64_t ram_size)
{
    TestMachine **f = g_malloc0(MAX(size, sizeof(*f)));

    *f = test_machine_new(ram_size);
    return f;
}

int test_fixture_teardown(void **state)
{
    TestMachine **f = *state;

    test_machine_free(*f);
    g_free(f);
    return 0;
}

Object *test_device_create(TestMachine *tm, const TypeInfo *type,
                           const char *const *props)
{
    Object *dev = object_new(type);
    char *err = NULL;

    assert_true(tm->nr_devices < TEST_MAX_DEVICES);
    tm->devices[tm->nr_devices++] = dev;
    for (; props && props[0]; props += 2) {
        assert_non_null(props[1]);
        assert_true(object_set_prop(dev, props[0], props[1], &err));
    }
    assert_null(err);
    return dev;
}

void test_device_realize(TestMachine *tm, Object *dev)
{
    char *err = NULL;

    assert_true(dev->type->realize(dev, tm->m, &err));
    assert_null(err);
    if (dev->type->reset) {
        dev->type->reset(dev);
    }
}

Object *test_device_new(TestMachine *tm, const TypeInfo *type,
                        const char *const *props)
{
    Object *dev = test_device_create(tm, type, props);

    test_device_realize(tm, dev);
    return dev;
}

uint8_t test_inb(TestMachine *tm, uint16_t port)
{
    return (uint8_t)as_read_val(&tm->m->as_io, port, 1, NULL);
}

void test_outb(TestMachine *tm, uint16_t port, uint8_t val)
{
    as_write_val(&tm->m->as_io, port, val, 1, NULL);
}

uint16_t test_inw(TestMachine *tm, uint16_t port)
{
    return (uint16_t)as_read_val(&tm->m->as_io, port, 2, NULL);
}

void test_outw(TestMachine *tm, uint16_t port, uint16_t val)
{
    as_write_val(&tm->m->as_io, port, val, 2, NULL);
}

uint32_t test_inl(TestMachine *tm, uint16_t port)
{
    return (uint32_t)as_read_val(&tm->m->as_io, port, 4, NULL);
}

void test_outl(TestMachine *tm, uint16_t port, uint32_t val)
{
    as_write_val(&tm->m->as_io, port, val, 4, NULL);
}

void test_image_create(char *path, const char *tag, const void *data, size_t size)
{
    snprintf(path, TEST_IMAGE_PATH_LEN, "/tmp/test-%s-%d.img", tag, (int)getpid());
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, size, fp), size);
    assert_int_equal(fclose(fp), 0);
}

void test_image_create_words(char *path, const char *tag, size_t size)
{
    uint8_t *data = g_malloc(size);

    for (size_t off = 0; off + 4 <= size; off += 4) {
        st_le32(data + off, (uint32_t)off);
    }
    test_image_create(path, tag, data, size);
    g_free(data);
}

void *test_board_new(size_t size)
{
    TestBoard *b = g_malloc0(MAX(size, sizeof(*b)));

    machine_config_init(&b->cfg);
    b->cfg.nodefaults = true;
    return b;
}

void *test_board_new_image(size_t size, const char *tag, const void *data, size_t img_size)
{
    TestBoard *b = test_board_new(size);

    if (data) {
        test_image_create(b->path, tag, data, img_size);
    } else {
        test_image_create_words(b->path, tag, img_size);
    }
    return b;
}

static int test_board_setup(void **state, const char *board)
{
    TestBoard *b = test_board_new(sizeof(*b));

    b->cfg.board = board;
    test_board_create(b, NULL);
    *state = b;
    return 0;
}

int test_board_setup_pc(void **state)
{
    return test_board_setup(state, "pc");
}

int test_board_setup_q35(void **state)
{
    return test_board_setup(state, "q35");
}

int test_board_teardown(void **state)
{
    TestBoard *b = *state;

    if (b->path[0]) {
        unlink(b->path);
    }
    machine_config_free(&b->cfg);
    g_free(b);
    return 0;
}

static void test_board_add_list(GPtrArray *to, const char *const *list, const char *path)
{
    for (; list && *list; list++) {
        const char *hole = strstr(*list, "%s");
        g_ptr_array_add(to, hole ? g_strdup_printf("%.*s%s%s", (int)(hole - *list), *list,
                                                   path, hole + 2)
                                 : g_strdup(*list));
    }
}

void test_board_add(TestBoard *b, const char *const *drives, const char *const *blockdevs,
                    const char *const *devices)
{
    test_board_add_list(b->cfg.drives, drives, b->path);
    test_board_add_list(b->cfg.blockdevs, blockdevs, b->path);
    test_board_add_list(b->cfg.devices, devices, b->path);
}

const char *test_board_disk(const char *dev)
{
    return strstr(dev, "-cd") ? "file=%s,if=none,format=raw,id=d0,media=cdrom"
                             : "file=%s,if=none,format=raw,id=d0";
}

Machine *test_board_create(TestBoard *b, char **errp)
{
    char *err = NULL;

    b->m = machine_create(&b->cfg, hw_boards, errp ? errp : &err);
    if (!b->m && !errp) {
        fail_msg("machine: %s", err);
    }
    return b->m;
}

Machine *test_board_from_args(TestBoard *b, const char *args)
{
    char *err = NULL;

    b->m = cli_machine_from_string(args, hw_boards, &err);
    if (!b->m) {
        fail_msg("machine: %s", err);
    }
    return b->m;
}

uint32_t test_board_in(TestBoard *b, uint16_t port, unsigned size)
{
    uint32_t v = (uint32_t)as_read_val(&b->m->as_io, port, size, NULL);

    machine_settle(b->m);
    return v;
}

void test_board_out(TestBoard *b, uint16_t port, uint32_t val, unsigned size)
{
    as_write_val(&b->m->as_io, port, val, size, NULL);
    machine_settle(b->m);
}

uint64_t test_board_read(TestBoard *b, uint64_t addr, unsigned size)
{
    uint64_t v = as_read_val(&b->m->as_mem, addr, size, NULL);

    machine_settle(b->m);
    return v;
}

void test_board_write(TestBoard *b, uint64_t addr, uint64_t val, unsigned size)
{
    as_write_val(&b->m->as_mem, addr, val, size, NULL);
    machine_settle(b->m);
}
