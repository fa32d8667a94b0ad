/* SPDX-License-Identifier: MIT */
/*
 * emu-seeds: qtest scripts to generic-fuzz inputs for a target, and the
 * target's dictionary (harness/encode.h). Behind tools/qtest-to-input and
 * tools/seeds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/encode.h"

typedef struct SeedOptions {
    const char *target;
    const char *out;
    const char *out_dir;
    const char *dict;
    GPtrArray *extra;       /* dictionary additions */
    GPtrArray *scripts;
    bool check;
    bool show_replies;
    bool list;
    bool quiet;
} SeedOptions;

static void seeds_usage(FILE *out)
{
    fprintf(out,
        "usage: emu-seeds --fuzz-target=TARGET [options] [SCRIPT...]\n"
        "       emu-seeds --list\n"
        "Turns qtest scripts (tests/qtest format) into generic-fuzz inputs for\n"
        "TARGET, using its matched ranges: ports and addresses become range and\n"
        "offset, guest RAM the device reads becomes DMA patterns before the op\n"
        "that reads it. Each input is replayed and must give the script's replies.\n"
        "options:\n"
        "  -o, --out FILE     the input of the one SCRIPT (default: standard output)\n"
        "  --out-dir DIR      DIR/NAME for each SCRIPT NAME.qtest (made if missing)\n"
        "  --dict FILE        also write TARGET's AFL++ dictionary, made from its\n"
        "                     ranges and these scripts' inputs\n"
        "  --extra-dict FILE  entries to add to it (repeatable)\n"
        "  --check            a reply that is not the script's \"-> REPLY\" is an\n"
        "                     error (default: a warning on standard error)\n"
        "  --show-replies     print each script with every command's reply written\n"
        "                     after \" -> \" (the expectations of a new seed);\n"
        "                     the input is then written only with -o or --out-dir\n"
        "  -q, --quiet        no summary line per script\n"
        "  --list             the targets, one a line: NAME, then 'generic' or\n"
        "                     'structured GENERATOR'\n");
}

static int seeds_parse(SeedOptions *o, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (g_str_has_prefix(a, "--fuzz-target=")) {
            o->target = a + strlen("--fuzz-target=");
        } else if ((strcmp(a, "--fuzz-target") == 0 || strcmp(a, "-o") == 0 ||
                    strcmp(a, "--out") == 0 || strcmp(a, "--out-dir") == 0 ||
                    strcmp(a, "--dict") == 0 ||
                    strcmp(a, "--extra-dict") == 0) && !next) {
            fprintf(stderr, "emu-seeds: %s needs a value\n", a);
            return 2;
        } else if (strcmp(a, "--fuzz-target") == 0) {
            o->target = argv[++i];
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0) {
            o->out = argv[++i];
        } else if (strcmp(a, "--out-dir") == 0) {
            o->out_dir = argv[++i];
        } else if (strcmp(a, "--dict") == 0) {
            o->dict = argv[++i];
        } else if (strcmp(a, "--extra-dict") == 0) {
            g_ptr_array_add(o->extra, argv[++i]);
        } else if (strcmp(a, "--check") == 0) {
            o->check = true;
        } else if (strcmp(a, "--show-replies") == 0) {
            o->show_replies = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = true;
        } else if (strcmp(a, "--list") == 0) {
            o->list = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            seeds_usage(stdout);
            return 0;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "emu-seeds: %s: unknown option (try --help)\n", a);
            return 2;
        } else {
            g_ptr_array_add(o->scripts, (gpointer)a);
        }
    }
    return -1;
}

/* NAME of DIR/NAME.qtest. */
static char *seeds_name(const char *script)
{
    char *base = g_path_get_basename(script);
    if (g_str_has_suffix(base, ".qtest")) {
        base[strlen(base) - strlen(".qtest")] = '\0';
    }
    return base;
}

static bool seeds_write(const char *path, const GByteArray *b)
{
    FILE *f = path ? fopen(path, "wb") : stdout;
    if (!f) {
        fprintf(stderr, "emu-seeds: %s: %s\n", path, strerror(errno));
        return false;
    }
    bool ok = fwrite(b->data, 1, b->len, f) == b->len;
    ok = (f == stdout ? fflush(f) : fclose(f)) == 0 && ok;
    if (!ok) {
        fprintf(stderr, "emu-seeds: %s: write failed\n", path ? path : "stdout");
    }
    return ok;
}

/* Encodes one script, checks its replay, writes it; the input is kept. */
static bool seeds_one(Fuzzer *f, const SeedOptions *o, const char *script,
                      const char *path, GPtrArray *inputs)
{
    char *text, *err = NULL;
    GError *gerr = NULL;
    FuzzEncoded e;
    if (!g_file_get_contents(script, &text, NULL, &gerr)) {
        fprintf(stderr, "emu-seeds: %s\n", gerr->message);
        g_error_free(gerr);
        return false;
    }
    bool ok = fuzz_encode(f, script, text, &e, &err);
    g_free(text);
    if (!ok) {
        fuzz_restore(f);
        fprintf(stderr, "emu-seeds: %s\n", err);
        g_free(err);
        return false;
    }
    fputs(e.log->str, stderr);
    ok = fuzz_encode_check(f, &e, &err);
    if (!ok) {
        fprintf(stderr, "emu-seeds: %s: %s\n", script, err);
        g_free(err);
    } else if (o->check && e.mismatches) {
        fprintf(stderr, "emu-seeds: %s: %u replies differ from the script's "
                "(listed above)\n", script, e.mismatches);
        ok = false;
    }
    if (ok && o->show_replies) {
        fputs(e.annotated->str, stdout);
    }
    ok = ok && (o->show_replies && !path ? true : seeds_write(path, e.input));
    if (ok && !o->quiet) {
        fprintf(stderr, "%s: %u commands (%u DMA patterns), %u bytes%s\n", script,
                e.commands, e.patterns, e.input->len,
                e.mismatches ? ", replies differ" : "");
    }
    if (ok) {
        g_ptr_array_add(inputs, e.input);
        e.input = NULL;
    }
    fuzz_encoded_free(&e);
    return ok;
}

static bool seeds_dict(Fuzzer *f, const SeedOptions *o, GPtrArray *inputs)
{
    GString *out = g_string_new(NULL);
    char *err = NULL;
    g_ptr_array_add(o->extra, NULL);
    bool ok = fuzz_dictionary(f, inputs, (const char *const *)o->extra->pdata, out, &err);
    g_ptr_array_remove_index(o->extra, o->extra->len - 1);
    GError *gerr = NULL;
    if (!ok) {
        fprintf(stderr, "emu-seeds: %s\n", err);
        g_free(err);
    } else if (!g_file_set_contents(o->dict, out->str, out->len, &gerr)) {
        fprintf(stderr, "emu-seeds: %s\n", gerr->message);
        g_error_free(gerr);
        ok = false;
    }
    g_string_free(out, TRUE);
    return ok;
}

static int seeds_list(void)
{
    for (const FuzzTarget *t = fuzz_targets; t->name; t++) {
        if (t->run) {
            printf("%s structured %s\n", t->name, t->seed_generator ? t->seed_generator : "-");
        } else {
            printf("%s generic\n", t->name);
        }
    }
    return 0;
}

static int seeds_run(SeedOptions *o)
{
    const FuzzTarget *t = fuzz_find_target(o->target);
    if (!t) {
        fprintf(stderr, "emu-seeds: unknown target '%s' (--list lists them)\n", o->target);
        return 2;
    }
    if (t->run && o->scripts->len) {
        fprintf(stderr, "emu-seeds: %s is a structured target: its inputs are not "
                "generic-fuzz ops (its seeds come from %s)\n", t->name,
                t->seed_generator ? t->seed_generator : "its own generator");
        return 2;
    }
    if (o->scripts->len > 1 && !o->out_dir) {
        fprintf(stderr, "emu-seeds: several scripts need --out-dir DIR\n");
        return 2;
    }
    if (o->out && o->out_dir) {
        fprintf(stderr, "emu-seeds: --out or --out-dir, not both\n");
        return 2;
    }
    if (o->out_dir && g_mkdir_with_parents(o->out_dir, 0755) != 0) {
        fprintf(stderr, "emu-seeds: %s: %s\n", o->out_dir, strerror(errno));
        return 1;
    }
    /* The plain generic-fuzz target has no machine of its own: without
     * EMU_FUZZ_ARGS its dictionary is the input format's alone. */
    bool machine = o->scripts->len > 0 || t->args || t->argfunc || getenv("EMU_FUZZ_ARGS") ||
                   getenv("QEMU_FUZZ_ARGS");
    static Fuzzer fuzzer;
    Fuzzer *f = machine ? &fuzzer : NULL;
    char *err = NULL;
    if (f && !fuzz_setup(f, t, &err)) {
        fprintf(stderr, "emu-seeds: %s: %s\n", t->name, err);
        return 1;
    }
    if (f) {
        fuzz_snapshot(f);
    }
    GPtrArray *inputs = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
    unsigned failed = 0;
    for (guint i = 0; i < o->scripts->len; i++) {
        const char *script = o->scripts->pdata[i];
        char *name = seeds_name(script);
        char *path = o->out_dir ? g_build_filename(o->out_dir, name, NULL)
                                : g_strdup(o->out);
        failed += !seeds_one(f, o, script, path, inputs);
        g_free(name);
        g_free(path);
    }
    if (!failed && o->dict && !seeds_dict(f, o, inputs)) {
        failed++;
    }
    g_ptr_array_free(inputs, TRUE);
    return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    SeedOptions o = { .extra = g_ptr_array_new(), .scripts = g_ptr_array_new() };
    int rc = seeds_parse(&o, argc, argv);
    if (rc >= 0) {
        return rc;
    }
    if (o.list) {
        return seeds_list();
    }
    if (!o.target) {
        seeds_usage(stderr);
        return 2;
    }
    if (!o.scripts->len && !o.dict) {
        fprintf(stderr, "emu-seeds: nothing to do: give SCRIPTs or --dict\n");
        return 2;
    }
    return seeds_run(&o);
}
