/* SPDX-License-Identifier: MIT */
/*
 * In-process snapshot of a whole machine, restored between fuzz inputs.
 *
 * Taken once after set-up. Because devices keep every guest-visible field in
 * their instance and allocate nothing while an input runs (DESIGN section 2),
 * a snapshot is: a copy of each object instance in the tree, of every memory
 * region struct (their links change when BARs move or PAM switches), of the
 * machine struct (clock, timer queue, root regions), and of guest RAM.
 * Restore copies back the machine struct always, the instances touched
 * since (object_touch, called by the core: see object.h) and the region
 * structs the memory API changed since (each tracked by itself, even inside
 * an instance), only the RAM pages dirtied since, and re-flattens an address
 * space only if its topology changed. State outside an instance is
 * registered by its device with object_add_state() (part of the object's
 * unit) or, outside any device, with snapshot_add_blob() (copied back every
 * time).
 */
#ifndef EMU_SNAPSHOT_H
#define EMU_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "emu/machine.h"

typedef struct Snapshot Snapshot;

/* Where a piece of state differs: for reports of leaks and divergences. */
typedef struct SnapshotDiffAt {
    Object *owner;          /* NULL: state of no object (snapshot_add_blob) */
    const char *state;      /* NULL: in the instance; else the state's name */
    size_t offset;          /* from the start of the instance or the state */
    size_t size;
} SnapshotDiffAt;
typedef void (*SnapshotDiffFn)(void *opaque, const SnapshotDiffAt *at);
/* One line: "PATH (TYPE) instance bytes 0xA..0xB" or "... state 'NAME' ...". */
char *snapshot_describe(const SnapshotDiffAt *at);   /* g_free */

typedef struct SnapshotStats {
    uint64_t restores;
    uint64_t pages_restored;      /* over all restores */
    uint64_t reflattens;
    uint64_t objects_restored;    /* touched objects copied back, over all */
    uint64_t bytes_restored;      /* state bytes copied back, over all */
    size_t state_bytes;           /* instances, regions, machine */
    size_t ram_bytes;             /* RAM pages with content, copied */
} SnapshotStats;

Snapshot *snapshot_take(Machine *m);
/* Extra state to save and restore, for state outside an instance. */
void snapshot_add_blob(Snapshot *s, const char *name, void *ptr, size_t size);
/* Puts the machine back as it was when taken; returns pages copied. */
size_t snapshot_restore(Snapshot *s);
const SnapshotStats *snapshot_stats(const Snapshot *s);
void snapshot_free(Snapshot *s);

/* Calls fn for each piece of machine state as it is now: every saved blob
 * (owner, address, size), then each RAM page dirtied since the take (owner
 * NULL). Two machines in the same state give the same sequence. */
void snapshot_foreach_state(Snapshot *s,
                            void (*fn)(void *opaque, Object *owner, const void *ptr,
                                       size_t size, uint64_t where),
                            void *opaque);

/* Calls fn for each run of saved bytes that differs from the machine now:
 * leak hunting in tests. */
void snapshot_diff(Snapshot *s, SnapshotDiffFn fn, void *opaque);

/* Calls fn for each run of bytes that differs from the snapshot in an
 * object not touched since the last restore: a change the tracking missed,
 * which the next restore would leak (tests; EMU_SNAPSHOT_VERIFY=1 in the
 * harness). Returns how many runs. */
size_t snapshot_check_untouched(Snapshot *s, SnapshotDiffFn fn, void *opaque);

#endif
