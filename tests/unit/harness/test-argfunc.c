/* SPDX-License-Identifier: MIT */
/*
 * A target whose arguments are computed at set-up (FuzzTarget.argfunc):
 * the file it names is made by fuzz_temp_file, the machine is built from
 * the computed line, the device uses the file, and the folder goes away.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "harness/fuzz.h"

static char *serial_out;       /* the file the argfunc made */

static char *argfunc_serial_to_file(const FuzzTarget *t, char **errp)
{
    serial_out = fuzz_temp_file("serial.out", "", 0, errp);
    if (!serial_out) {
        return NULL;
    }
    return g_strdup_printf("-M pc -nodefaults -device isa-serial,chardev=c0 "
                           "-chardev file,id=c0,path=%s", serial_out);
}

static char *argfunc_fails(const FuzzTarget *t, char **errp)
{
    return fuzz_temp_file("a/b", "", 0, errp);
}

static const FuzzTarget serial_target = {
    "test-argfunc", "isa-serial writing to a file made at set-up", NULL, "serial*",
    .argfunc = argfunc_serial_to_file,
};

static const FuzzTarget failing_target = {
    "test-argfunc-fails", "an argfunc that fails", NULL, "serial*",
    .argfunc = argfunc_fails,
};

static void test_computed_args(void **state)
{
    static Fuzzer f;
    char *err = NULL;
    assert_true(fuzz_setup(&f, &serial_target, &err));
    assert_non_null(serial_out);
    assert_non_null(strstr(f.args, serial_out));
    /* OUT 0x3f8 'A': the UART sends it to the file the argfunc named. */
    static const uint8_t input[] = { FUZZ_OP_OUT, 0, 0, 0, 0, 'A', 0, 0, 0 };
    fuzz_run(&f, input, sizeof(input));
    char *text = NULL;
    size_t len = 0;
    assert_true(g_file_get_contents(serial_out, &text, &len, NULL));
    assert_int_equal(len, 1);
    assert_int_equal(text[0], 'A');
    g_free(text);
    char *dir = g_path_get_dirname(serial_out);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    fuzz_temp_cleanup();
    assert_int_not_equal(stat(serial_out, &st), 0);
    assert_int_not_equal(stat(dir, &st), 0);
    g_free(dir);
}

static void test_argfunc_error(void **state)
{
    static Fuzzer f;
    char *err = NULL;
    assert_false(fuzz_setup(&f, &failing_target, &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "plain file name"));
    g_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_computed_args),
        cmocka_unit_test(test_argfunc_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
