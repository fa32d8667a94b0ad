/* SPDX-License-Identifier: MIT */
/*
 * The structured targets i440fx-qtest-reboot-fuzz and i440fx-qos-noreset-fuzz
 * (harness/i440fx-fuzz.c): their machines, objects and run hooks for the
 * FuzzTarget table. Input formats: docs/fuzz-input-format.md.
 */
#ifndef HARNESS_I440FX_FUZZ_H
#define HARNESS_I440FX_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "harness/fuzz.h"

/* QEMU runs the first with -m 0 (its default RAM size, as ours without -m)
 * and the second, a libqos target, with -m 64; both on the default pc. */
#define I440FX_REBOOT_FUZZ_ARGS  "-M pc"
#define I440FX_QOS_FUZZ_ARGS     "-M pc -m 64"
/* The host bridge's two config ports; no PCI function is matched, so the
 * harness assigns no BAR: the machine is as reset left it, as in QEMU. */
#define I440FX_FUZZ_OBJECTS      "i440FX-pcihost"
#define I440FX_FUZZ_SEEDS        "harness/i440fx-fuzz-seeds.py"

void i440fx_reboot_fuzz_run(Fuzzer *f, const uint8_t *data, size_t len);
void i440fx_qos_fuzz_run(Fuzzer *f, const uint8_t *data, size_t len);

#endif
