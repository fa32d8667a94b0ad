/* SPDX-License-Identifier: MIT */
/*
 * The canaries' record (see canary.h): built only with -Dbugbench=true.
 * The file is mapped shared, so a fork-server child's hit reaches the file
 * and whoever reads it; a slot is claimed with a compare-and-swap, and two
 * processes racing for a new bug may claim two slots for it, which the
 * reader merges by name.
 */
#include "emu/canary.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* The mapping of this process: NULL before the first hit, or when there is
 * no $EMU_CANARY_FILE (then only the stderr lines are written). */
static CanaryFile *canary_map;
static bool canary_tried;

static uint64_t canary_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static CanaryFile *canary_open(void)
{
    const char *path = getenv("EMU_CANARY_FILE");
    int fd;

    canary_tried = true;
    if (!path || !*path) {
        return NULL;
    }
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "canary: cannot open %s\n", path);
        return NULL;
    }
    /* Growing a shorter file is idempotent; a new one reads as zeros. */
    if (lseek(fd, 0, SEEK_END) < (off_t)sizeof(CanaryFile) &&
        ftruncate(fd, sizeof(CanaryFile)) < 0) {
        close(fd);
        return NULL;
    }
    void *p = mmap(NULL, sizeof(CanaryFile), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        return NULL;
    }
    CanaryFile *f = p;
    if (f->version == 0) {
        memcpy(f->magic, CANARY_MAGIC, 8);
        f->nslots = CANARY_SLOTS;
        __atomic_store_n(&f->version, CANARY_VERSION, __ATOMIC_RELEASE);
    }
    return f;
}

/* The slot of `bug`, claiming a free one if it has none; -1 when full. */
static int canary_slot(CanaryFile *f, const char *bug)
{
    for (int i = 0; i < CANARY_SLOTS; i++) {
        CanarySlot *s = &f->slots[i];
        uint32_t st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
        if (st == 2 && strncmp(s->bug, bug, CANARY_NAME_LEN) == 0) {
            return i;
        }
        if (st == 0) {
            uint32_t expect = 0;
            if (__atomic_compare_exchange_n(&s->state, &expect, 1, false,
                                            __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
                snprintf(s->bug, CANARY_NAME_LEN, "%s", bug);
                __atomic_store_n(&s->state, 2, __ATOMIC_RELEASE);
                return i;
            }
        }
    }
    return -1;
}

void canary_hit(CanarySite *site, bool triggered)
{
    if (!site->said) {
        site->said = true;
        fprintf(stderr, "canary: %s %s\n", site->bug, triggered ? "triggered" : "reached");
    }
    if (!canary_tried) {
        canary_map = canary_open();
    }
    if (!canary_map) {
        return;
    }
    if (site->slot < 0) {
        site->slot = canary_slot(canary_map, site->bug);
        if (site->slot < 0) {
            return;
        }
    }
    CanarySlot *s = &canary_map->slots[site->slot];
    uint64_t *first = triggered ? &s->first_triggered_ns : &s->first_reached_ns;
    uint64_t zero = 0;
    __atomic_compare_exchange_n(first, &zero, canary_now_ns(), false,
                                __ATOMIC_RELAXED, __ATOMIC_RELAXED);
    __atomic_add_fetch(triggered ? &s->triggered : &s->reached, 1, __ATOMIC_RELAXED);
}
