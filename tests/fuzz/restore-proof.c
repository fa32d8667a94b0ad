/* SPDX-License-Identifier: MIT */
/*
 * The proof that --reset=restore gives every input the machine a fresh fork
 * would: for one target, thousands of random and mutated-seed inputs run
 * back to back in one process with a snapshot restore after each, and each
 * also in a child forked from a pristine copy of the machine. Every value
 * read and all machine state after the input (device instances, region
 * structs, the clock, dirtied RAM pages) must be equal. A difference is
 * reported with the device, the byte offset in its instance and the input.
 * One input in four also has a machine reset requested after one of its
 * first ops (as a device's reset port would), so a reset that lands in the
 * middle of a transfer is proved too.
 *
 *   restore-proof TARGET COUNT SEED [SEED_FILE...]
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/fuzz.h"

#define PROOF_MAX_INPUT 4096

typedef struct Proof {
    Fuzzer f;
    GRand *rng;
    GPtrArray *seeds;          /* GBytes */
    int to_server;             /* pipes to and from the pristine server */
    int from_server;
} Proof;

static void write_all(int fd, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            perror("restore-proof: write");
            exit(2);
        }
        p += n;
        len -= n;
    }
}

static bool read_all(int fd, void *buf, size_t len)
{
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            return false;
        }
        p += n;
        len -= n;
    }
    return true;
}

/* State as records: owner index, where, size, bytes. */
typedef struct StateOut {
    GByteArray *buf;
    GPtrArray *owners;
} StateOut;

static void state_piece(void *opaque, Object *owner, const void *ptr, size_t size,
                        uint64_t where)
{
    StateOut *o = opaque;
    guint idx = o->owners->len;
    g_ptr_array_add(o->owners, owner);
    uint64_t hdr[3] = { idx, where, size };
    g_byte_array_append(o->buf, (const guint8 *)hdr, sizeof(hdr));
    g_byte_array_append(o->buf, ptr, size);
}

static GByteArray *state_dump(Fuzzer *f, GPtrArray *owners)
{
    StateOut o = { g_byte_array_new(), owners };
    uint64_t reads[2] = { f->reads, f->reads_hash };
    g_byte_array_append(o.buf, (const guint8 *)reads, sizeof(reads));
    snapshot_foreach_state(f->snapshot, state_piece, &o);
    return o.buf;
}

/* The pristine server: forks a child per input; the child runs it and
 * sends back its state dump. */
static void server_loop(Fuzzer *f, int in, int out)
{
    static uint8_t input[PROOF_MAX_INPUT];
    uint32_t len, reset_op;
    while (read_all(in, &reset_op, sizeof(reset_op)) &&
           read_all(in, &len, sizeof(len)) && len <= PROOF_MAX_INPUT &&
           read_all(in, input, len)) {
        f->reset_after_op = reset_op;
        pid_t pid = fork();
        if (pid == 0) {
            fuzz_run(f, input, len);
            GPtrArray *owners = g_ptr_array_new();
            GByteArray *dump = state_dump(f, owners);
            uint64_t n = dump->len;
            write_all(out, &n, sizeof(n));
            write_all(out, dump->data, dump->len);
            _exit(0);
        }
        int status;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            uint64_t n = UINT64_MAX;     /* the child crashed */
            write_all(out, &n, sizeof(n));
        }
    }
    _exit(0);
}

static void proof_start_server(Proof *p)
{
    int down[2], up[2];
    if (pipe(down) < 0 || pipe(up) < 0) {
        perror("restore-proof: pipe");
        exit(2);
    }
    if (fork() == 0) {
        close(down[1]);
        close(up[0]);
        server_loop(&p->f, down[0], up[1]);
    }
    close(down[0]);
    close(up[1]);
    p->to_server = down[1];
    p->from_server = up[0];
}

static GByteArray *proof_fork_run(Proof *p, const uint8_t *data, uint32_t len)
{
    uint64_t n;
    uint32_t reset_op = p->f.reset_after_op;
    write_all(p->to_server, &reset_op, sizeof(reset_op));
    write_all(p->to_server, &len, sizeof(len));
    write_all(p->to_server, data, len);
    if (!read_all(p->from_server, &n, sizeof(n)) || n == UINT64_MAX) {
        return NULL;
    }
    GByteArray *dump = g_byte_array_sized_new(n);
    g_byte_array_set_size(dump, n);
    if (!read_all(p->from_server, dump->data, n)) {
        g_byte_array_free(dump, TRUE);
        return NULL;
    }
    return dump;
}

/* Inputs: random op soup, or a seed with a few mutations. */
static size_t proof_input(Proof *p, uint8_t *buf)
{
    size_t len = 0;
    if (p->seeds->len && g_rand_boolean(p->rng)) {
        GBytes *seed = g_ptr_array_index(p->seeds, g_rand_int_range(p->rng, 0, p->seeds->len));
        gsize n;
        const uint8_t *d = g_bytes_get_data(seed, &n);
        len = MIN(n, PROOF_MAX_INPUT);
        memcpy(buf, d, len);
        for (int i = g_rand_int_range(p->rng, 0, 8); i > 0 && len; i--) {
            buf[g_rand_int_range(p->rng, 0, len)] ^= 1u << g_rand_int_range(p->rng, 0, 8);
        }
        return len;
    }
    int ops = g_rand_int_range(p->rng, 1, 64);
    for (int i = 0; i < ops && len + 40 < PROOF_MAX_INPUT; i++) {
        int op_len = g_rand_int_range(p->rng, 1, 24);
        for (int k = 0; k < op_len; k++) {
            buf[len++] = g_rand_int_range(p->rng, 0, 256);
        }
        memcpy(buf + len, "FUZZ", 4);
        len += 4;
    }
    return len;
}

static void proof_report_input(Proof *p, unsigned index, const uint8_t *input, size_t len)
{
    char path[64];
    snprintf(path, sizeof(path), "restore-proof-%s-%u.bin", p->f.target->name, index);
    FILE *out = fopen(path, "wb");
    if (out) {
        fwrite(input, 1, len, out);
        fclose(out);
    }
    printf("input %u of %s saved as %s\n", index, p->f.target->name, path);
}

static void proof_report(Proof *p, GPtrArray *owners, GByteArray *a, GByteArray *b,
                         unsigned index, const uint8_t *input, size_t len)
{
    proof_report_input(p, index, input, len);
    printf("FAIL %s input %u: restore and fork differ\n", p->f.target->name, index);
    if (memcmp(a->data, b->data, 16) != 0) {
        printf("    values read differ\n");
    }
    size_t off = 16;
    while (off + 24 <= MIN(a->len, b->len)) {
        uint64_t hdr[3];
        memcpy(hdr, a->data + off, sizeof(hdr));
        const uint8_t *x = a->data + off + 24, *y = b->data + off + 24;
        if (memcmp(x, y, hdr[2]) != 0) {
            size_t at = 0;
            while (x[at] == y[at]) {
                at++;
            }
            Object *owner = g_ptr_array_index(owners, hdr[0]);
            char *opath = owner ? object_get_path(owner) : g_strdup("(machine)");
            printf("    %s (%s) at byte 0x%zx of a %" PRIu64 "-byte piece (0x%" PRIx64
                   "): restore 0x%02x, fork 0x%02x\n", opath,
                   owner ? object_type_name(owner) : "clock", at, hdr[2], hdr[1],
                   x[at], y[at]);
            g_free(opath);
        }
        off += 24 + hdr[2];
    }
    if (a->len != b->len) {
        printf("    state sizes differ: %u vs %u (dirty RAM pages?)\n", a->len, b->len);
    }
}

/* A change to an object that nothing touched: the restore would leak it. */
static void proof_untouched(void *opaque, const SnapshotDiffAt *at)
{
    unsigned *index = opaque;
    char *where = snapshot_describe(at);
    printf("FAIL input %u: %s changed but was not touched (object_touch)\n",
           *index, where);
    g_free(where);
}

static void proof_load_seeds(Proof *p, int argc, char **argv)
{
    p->seeds = g_ptr_array_new();
    for (int i = 0; i < argc; i++) {
        gchar *data;
        gsize len;
        if (g_file_get_contents(argv[i], &data, &len, NULL)) {
            g_ptr_array_add(p->seeds, g_bytes_new_take(data, len));
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: restore-proof TARGET COUNT SEED [SEED_FILE...]\n");
        return 2;
    }
    static Proof p;
    char *err = NULL;
    const FuzzTarget *t = fuzz_find_target(argv[1]);
    if (!t || !fuzz_setup(&p.f, t, &err)) {
        fprintf(stderr, "restore-proof: %s\n", t ? err : "unknown target");
        return 2;
    }
    fuzz_snapshot(&p.f);
    proof_start_server(&p);
    p.rng = g_rand_new_with_seed(strtoul(argv[3], NULL, 0));
    proof_load_seeds(&p, argc - 4, argv + 4);
    unsigned count = strtoul(argv[2], NULL, 0), failed = 0;
    uint64_t resets = 0;
    static uint8_t input[PROOF_MAX_INPUT];
    for (unsigned i = 0; i < count && failed < 5; i++) {
        size_t len = proof_input(&p, input);
        p.f.reset_after_op = g_rand_int_range(p.rng, 0, 4) == 0 ?
                             (unsigned)g_rand_int_range(p.rng, 1, 8) : 0;
        GByteArray *forked = proof_fork_run(&p, input, len);
        fuzz_run(&p.f, input, len);
        resets += p.f.m->resets;    /* the machine struct restarts at 0 */
        GPtrArray *owners = g_ptr_array_new();
        GByteArray *restored = state_dump(&p.f, owners);
        if (!forked) {
            printf("FAIL %s input %u: the forked run crashed\n", t->name, i);
            failed++;
        } else if (forked->len != restored->len ||
                   memcmp(forked->data, restored->data, forked->len) != 0) {
            proof_report(&p, owners, restored, forked, i, input, len);
            failed++;
        }
        const char *stale = fuzz_stale_ranges(&p.f);
        if (stale) {
            printf("FAIL input %u: the harness's ranges of '%s' are stale\n", i, stale);
            proof_report_input(&p, i, input, len);
            failed++;
        }
        if (snapshot_check_untouched(p.f.snapshot, proof_untouched, &i)) {
            proof_report_input(&p, i, input, len);
            failed++;
        }
        if (forked) {
            g_byte_array_free(forked, TRUE);
        }
        g_byte_array_free(restored, TRUE);
        g_ptr_array_free(owners, TRUE);
        fuzz_restore(&p.f);
    }
    const SnapshotStats *st = snapshot_stats(p.f.snapshot);
    printf("%s: %u inputs, %" PRIu64 " machine resets in them, %" PRIu64
           " RAM pages restored, %" PRIu64 " re-flattens\n",
           t->name, count, resets, st->pages_restored, st->reflattens);
    if (count >= 100 && resets == 0) {
        printf("FAIL %s: no input reset the machine\n", t->name);
        failed++;
    }
    printf("%u passed, %u failed\n", failed ? 0 : count, failed);
    close(p.to_server);
    return failed ? 1 : 0;
}
