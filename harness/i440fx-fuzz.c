/* SPDX-License-Identifier: MIT */
/*
 * QEMU's two i440FX targets, with QEMU's record formats: fixed-size records
 * that reach the host bridge through configuration mechanism #1 (PCI 3.0
 * section 3.2.2.3.2), each op a read or write of 1, 2 or 4 bytes.
 *
 *   i440fx-qtest-reboot-fuzz: raw accesses to 0xcf8 or 0xcfc, then a hard
 *     reset of the whole machine, as QEMU reboots after each input;
 *   i440fx-qos-noreset-fuzz: config space reads and writes of any devfn,
 *     made as libqos's pc bus accessors make them; no reset of its own.
 *
 * Every access is fuzz.c's traced IN/OUT access, so a trace replays on
 * emu-system. The formats and what "reboot" and "noreset" mean here:
 * docs/fuzz-input-format.md.
 */
#include "harness/i440fx-fuzz.h"

#include "emu/byteorder.h"

/* Configuration mechanism #1 */
#define I440FX_FUZZ_CONF_ADDR    0xcf8
#define I440FX_FUZZ_CONF_DATA    0xcfc
#define I440FX_FUZZ_CONF_ENABLE  0x80000000u

/* PIIX3 reset control register (82371SB datasheet 2.3.1): SRST | RCPU, a
 * hard reset now; the guest's way of doing what QEMU's system_reset does */
#define I440FX_FUZZ_RCR          0xcf9
#define I440FX_FUZZ_RCR_HARD     0x06

/* Records: op, then for the port format addr, 2 pad bytes, value32; for
 * the config format offset, 2 pad bytes, devfn32, value32 (little-endian,
 * QEMU's structs on x86). op % 6: write 1/2/4 bytes, read 1/2/4 bytes. */
#define I440FX_FUZZ_PORT_RECORD  8
#define I440FX_FUZZ_CONF_RECORD  12
#define I440FX_FUZZ_OPS          6
#define I440FX_FUZZ_WRITES       3

/* Limits: records run per input, as the generic-fuzz command cap */
#define I440FX_FUZZ_MAX_RECORDS  FUZZ_MAX_OPS

/* One access to port: the op picks read or write and the width. */
static void i440fx_fuzz_access(Fuzzer *f, uint8_t op, uint16_t port, uint32_t val)
{
    unsigned width = fuzz_pio_widths[op % I440FX_FUZZ_WRITES];

    if (op % I440FX_FUZZ_OPS < I440FX_FUZZ_WRITES) {
        fuzz_out(f, port, val, width);
    } else {
        fuzz_in(f, port, width);
    }
}

/*
 * i440fx-qtest-reboot-fuzz. The port is 0xcf8 for an odd addr byte, else
 * 0xcfc. The input ends with QEMU's reboot: a hard reset through PIIX3's
 * reset control register, one more traced op, so that every device's reset
 * runs on the state the input left (a bug there is this input's) and a
 * trace replays it. The snapshot restore (or fork) that follows makes the
 * next input start from the snapshot anyway.
 */
void i440fx_reboot_fuzz_run(Fuzzer *f, const uint8_t *data, size_t len)
{
    unsigned ops = 0;

    for (; len >= I440FX_FUZZ_PORT_RECORD && ops < I440FX_FUZZ_MAX_RECORDS;
         data += I440FX_FUZZ_PORT_RECORD, len -= I440FX_FUZZ_PORT_RECORD) {
        uint16_t port = (data[1] & 1) ? I440FX_FUZZ_CONF_ADDR : I440FX_FUZZ_CONF_DATA;
        i440fx_fuzz_access(f, data[0], port, ld_le32(data + 4));
        fuzz_after_op(f, ++ops);
    }
    fuzz_out(f, I440FX_FUZZ_RCR, I440FX_FUZZ_RCR_HARD, 1);
    fuzz_after_op(f, ++ops);
}

/*
 * i440fx-qos-noreset-fuzz. As libqos's pc accessors: CONFIG_ADDRESS gets
 * the enable bit, devfn << 8 (all 32 bits of it: its upper bits land in
 * the bus number and the reserved bits) and the whole offset byte, then
 * the data port 0xcfc is read or written; the host bridge keeps the
 * offset's low bits, so a sub-dword access reaches the byte it names.
 */
void i440fx_qos_fuzz_run(Fuzzer *f, const uint8_t *data, size_t len)
{
    unsigned ops = 0;

    for (; len >= I440FX_FUZZ_CONF_RECORD && ops < I440FX_FUZZ_MAX_RECORDS;
         data += I440FX_FUZZ_CONF_RECORD, len -= I440FX_FUZZ_CONF_RECORD) {
        uint32_t devfn = ld_le32(data + 4);
        fuzz_out(f, I440FX_FUZZ_CONF_ADDR,
                 I440FX_FUZZ_CONF_ENABLE | devfn << 8 | data[1], 4);
        i440fx_fuzz_access(f, data[0], I440FX_FUZZ_CONF_DATA, ld_le32(data + 8));
        fuzz_after_op(f, ++ops);
    }
}
