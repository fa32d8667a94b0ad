/* SPDX-License-Identifier: MIT */
/* Unit tests of emu/object: types, tree, paths, properties. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "emu/object.h"

typedef struct Widget {
    Object obj;
    uint32_t iobase;
    uint8_t irq;
    bool fast;
    char *name;
    uint64_t size;
    int32_t devfn;
} Widget;

static const Property widget_props[] = {
    { "iobase", PROP_U32, offsetof(Widget, iobase), "base port" },
    { "irq", PROP_U8, offsetof(Widget, irq), NULL },
    { "fast", PROP_BOOL, offsetof(Widget, fast), NULL },
    { "label", PROP_STR, offsetof(Widget, name), NULL },
    { "size", PROP_U64, offsetof(Widget, size), NULL },
    { "addr", PROP_PCI_DEVFN, offsetof(Widget, devfn), NULL },
    { NULL },
};

static void widget_init(Object *obj)
{
    ((Widget *)obj)->iobase = 0x3f8;
}

static const TypeInfo base_type = { .name = "base-widget", .parent = "device" };
static const TypeInfo widget_type = {
    .name = "widget", .parent = "base-widget", .instance_size = sizeof(Widget),
    .props = widget_props, .init = widget_init,
};
static const TypeInfo *const types[] = { &base_type, &widget_type, NULL };

static int setup(void **state)
{
    type_register_table(types);
    return 0;
}

static void test_is_a(void **state)
{
    Object *w = object_new_by_name("widget");
    assert_non_null(w);
    assert_true(object_is_a(w, "widget"));
    assert_true(object_is_a(w, "base-widget"));
    assert_true(object_is_a(w, "device"));
    assert_false(object_is_a(w, "container"));
    assert_null(object_new_by_name("base-widget"));   /* abstract */
    assert_null(object_new_by_name("nope"));
    assert_int_equal(((Widget *)w)->iobase, 0x3f8);    /* init ran */
}

static void test_tree_and_paths(void **state)
{
    Object root, *machine = object_new_container();
    object_initialize(&root, type_lookup("container"));
    object_add_child(&root, "machine", machine);
    Object *a = object_new_by_name("widget"), *b = object_new_by_name("widget");
    object_add_child_indexed(machine, "device", a);
    object_add_child_indexed(machine, "device", b);
    char *path = object_get_path(b);
    assert_string_equal(path, "/machine/device[1]");
    g_free(path);
    assert_ptr_equal(object_resolve(&root, "/machine/device[0]"), a);
    assert_null(object_resolve(&root, "/machine/device[2]"));
    GString *out = g_string_new(NULL);
    object_print_tree(machine, out);
    assert_non_null(strstr(out->str, "  /device[1] (widget)\n"));
    g_string_free(out, TRUE);
}

static void test_props(void **state)
{
    Widget *w = (Widget *)object_new_by_name("widget");
    char *err = NULL;
    assert_true(object_set_prop(&w->obj, "iobase", "0x2f8", &err));
    assert_true(object_set_prop(&w->obj, "irq", "3", &err));
    assert_true(object_set_prop(&w->obj, "fast", "on", &err));
    assert_true(object_set_prop(&w->obj, "label", "hello", &err));
    assert_true(object_set_prop(&w->obj, "size", "16M", &err));
    assert_true(object_set_prop(&w->obj, "addr", "1f.7", &err));
    assert_int_equal(w->iobase, 0x2f8);
    assert_int_equal(w->irq, 3);
    assert_true(w->fast);
    assert_string_equal(w->name, "hello");
    assert_int_equal(w->size, 16u << 20);
    assert_int_equal(w->devfn, (0x1f << 3) | 7);

    assert_false(object_set_prop(&w->obj, "irq", "256", &err));
    assert_non_null(strstr(err, "invalid value '256'"));
    g_free(err);
    assert_false(object_set_prop(&w->obj, "fast", "maybe", &err));
    g_free(err);
    assert_false(object_set_prop(&w->obj, "iobase", "12abc", &err));
    g_free(err);
    assert_false(object_set_prop(&w->obj, "addr", "20", &err));
    g_free(err);
    assert_false(object_set_prop(&w->obj, "colour", "red", &err));
    assert_non_null(strstr(err, "no property 'colour'"));
    g_free(err);
    assert_int_equal(w->irq, 3);     /* failed sets change nothing */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_a),
        cmocka_unit_test(test_tree_and_paths),
        cmocka_unit_test(test_props),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
