/* SPDX-License-Identifier: MIT */
/*
 * The encoder: a qtest script (the tests/qtest format: one command a line,
 * '#' comments, "-> REPLY" expectations) becomes a generic-fuzz input for
 * a target, using the target's live region list. It runs the script on the
 * target's machine as it goes, through the same op code the decoder runs:
 *
 * - outb/outw/outl, inb/inw/inl on a fuzzable port range become OUT and IN
 *   (range index, offset); `outl 0xcf8` followed by an access to 0xcfc-0xcff
 *   becomes PCI_WRITE or PCI_READ of the matched function;
 * - readX/writeX on a fuzzable memory range become READ and WRITE;
 * - `write`, `b64write`, `memset`, writeX into guest RAM change RAM only:
 *   what the device then reads by DMA becomes DMA patterns placed before
 *   the op that reads it, one per fill, in the order the fills happen;
 * - `clock_step` becomes CLOCK_STEP (to the next timer deadline);
 *   `clock_step NS` and `clock_set NS` become one CLOCK_STEP per deadline
 *   up to that time (the op cannot stop between deadlines: a warning says
 *   so when the time differs);
 * - reads of RAM (`read`, `b64read`, readX), `msi`, `info` and `endianness`
 *   are answered and checked but change nothing, so nothing is emitted.
 *
 * QEMU's own qtest log (QTEST_LOG=1: "[R +T] CMD" and "[S +T] REPLY" lines)
 * is read as commands with the replies QEMU gave as their expectations.
 *
 * Every "-> REPLY" is compared with what the target's machine answered;
 * then the input is replayed from the snapshot with a trace, and each op's
 * lines and replies must be those the script produced.
 */
#ifndef HARNESS_ENCODE_H
#define HARNESS_ENCODE_H

#include <glib.h>

#include "harness/fuzz.h"

typedef struct FuzzEncoded {
    GByteArray *input;      /* the generic-fuzz input */
    unsigned commands;      /* commands in it */
    unsigned patterns;      /* of which ADD_DMA_PATTERN */
    unsigned mismatches;    /* "-> REPLY" lines answered otherwise */
    unsigned warnings;
    GString *log;           /* "SCRIPT:LINE: ..." for each of those */
    GString *trace;         /* the ops' trace lines and replies, "LINE\tREPLY" */
    GString *annotated;     /* the script, each command with " -> " the reply
                               it got (a seed's expectations, written for you) */
} FuzzEncoded;

/*
 * Encodes the script text (name: for messages) on f's machine, which must
 * be at the snapshot (fuzz_snapshot) and is left changed: restore it after.
 * False with *errp on a line that cannot be encoded (a port or address no
 * matched range holds, an unknown command, an input the fuzzer would cut).
 */
bool fuzz_encode(Fuzzer *f, const char *name, const char *text,
                 FuzzEncoded *out, char **errp);
/*
 * Runs the encoded input from the snapshot with a trace and compares each
 * op's lines and replies with the script's; restores the snapshot after.
 * False with *errp naming the first difference.
 */
bool fuzz_encode_check(Fuzzer *f, const FuzzEncoded *e, char **errp);
void fuzz_encoded_free(FuzzEncoded *e);

/*
 * The AFL++ dictionary of a target (f NULL: of the input format alone):
 * separators and the ops without operands; IN/OUT headers for every offset
 * of each small port range; from the inputs, every command header, every
 * whole command, the values written and the DMA patterns (up to 128 bytes);
 * then the lines of each extra dictionary file, checked. False with *errp
 * if an extra file has a line AFL++ would refuse.
 */
bool fuzz_dictionary(Fuzzer *f, GPtrArray *inputs /* of GByteArray */,
                     const char *const *extra_files, GString *out, char **errp);

#endif
