/* SPDX-License-Identifier: MIT */
/*
 * Machine "q35": the Q35/ICH9 PC as QEMU 7.2's pc-q35-7.2 builds it under
 * qtest: RAM as pc's below 0xb0000000 (2 GiB below 4 GiB from 0xb0000000
 * of RAM on), the q35 host bridge with the MCH at 00:00.0 and ECAM, the
 * ICH9 LPC bridge at 00:1f.0 (PIRQ routing, ACPI PM block, RCRB, 0xcf9),
 * the legacy ISA set of pc (two i8259s, the i8257s, the i8254 and port
 * 0x61, the MC146818 RTC, i8042, port 0x92, fw_cfg; no floppy controller:
 * QEMU's q35 has none without a floppy drive), the ICH9 SMBus at 00:1f.3
 * with its eight SPD EEPROMs, the I/O APIC (/machine/q35/ioapic) and the
 * HPET wired as pc's (hw/i386/pc.c), the ICH9 AHCI at 00:1f.2, and the
 * root bus named pcie.0. Not here (QEMU has them): vmport, the BIOS ROM.
 */
#include "hw/i386/pc.h"

#include "emu/log.h"
#include "emu/pci.h"
#include "hw/i2c/smbus-eeprom.h"
#include "hw/intc/ioapic.h"
#include "hw/i2c/smbus-ich9.h"
#include "hw/isa/lpc-ich9.h"
#include "hw/pci-host/q35.h"

#define Q35_SMB_EEPROMS     8
#define Q35_SMB_EEPROM_BASE 0x50

/* The LPC bridge at 1f.0, first of the board's devices as in QEMU 7.2 (it
 * reaches the PICs' inputs through m->isa_irq once they are there). */
static Object *q35_lpc_init(Machine *m, char **errp)
{
    static const char *const props[] = { "addr", "1f.0", NULL };

    return pc_device(m, TYPE_ICH9_LPC, NULL, NULL, props, errp);
}

/* PIRQ[A-H] to I/O APIC pins 16-23 (QEMU's ICH9 GSI wiring). */
static bool q35_lpc_apic(Object *lpc, Object *ioapic)
{
    IRQ *pins[8];

    for (int i = 0; i < 8; i++) {
        pins[i] = ioapic_input(ioapic, 16 + i);
    }
    ich9_lpc_connect_apic(lpc, pins);
    return true;
}

/* QEMU's q35 always has the ICH9 AHCI at 1f.2 ("ich9-ahci", sata=on by
 * default, with -nodefaults too). Its model is another piece of work: the
 * machine makes it as soon as the type is in HW_TYPES. */
static bool q35_ahci_init(Machine *m, char **errp)
{
    static const char *const props[] = { "addr", "1f.2", "multifunction", "on",
                                         NULL };

    if (!type_lookup("ich9-ahci")) {
        return true;
    }
    return pc_device(m, "ich9-ahci", NULL, NULL, props, errp) != NULL;
}

/* QEMU's ich9_smb_init and smbus_eeprom_init(bus, 8, NULL, 0): eight
 * zeroed SPD EEPROMs at 0x50-0x57 on the controller's bus. */
static bool q35_smbus_init(Machine *m, char **errp)
{
    static const char *const props[] = { "addr", "1f.3", NULL };

    if (!pc_device(m, TYPE_ICH9_SMB, NULL, NULL, props, errp)) {
        return false;
    }
    for (unsigned i = 0; i < Q35_SMB_EEPROMS; i++) {
        char addr[8];
        g_snprintf(addr, sizeof(addr), "0x%x", Q35_SMB_EEPROM_BASE + i);
        const char *const eprops[] = { "address", addr, NULL };
        if (!pc_device(m, TYPE_SMBUS_EEPROM, NULL, NULL, eprops, errp)) {
            return false;
        }
    }
    return true;
}

bool q35_machine_init(Machine *m, char **errp)
{
    Object *host = pc_host_init(m, TYPE_Q35_HOST, "q35", q35_host_bus, errp);
    if (!host) {
        return false;
    }
    Object *lpc = NULL, *ioapic = NULL, *hpet = NULL;
    return (lpc = q35_lpc_init(m, errp)) &&
           pc_dma_init(m, errp) &&
           (ioapic = pc_irqs_init(m, host, errp)) &&
           q35_lpc_apic(lpc, ioapic) &&
           (hpet = pc_hpet_init(m, ioapic, PC_ICH9_HPET_INTCAP, errp)) &&
           pc_timers_init(m, hpet, errp) &&
           pc_superio_init(m, false, errp) &&
           q35_ahci_init(m, errp) &&
           q35_smbus_init(m, errp) &&
           pc_board_finish(m, errp);
}

/* pc's CMOS bytes for the disks, and the LPC's decode bits of the ports
 * that are there now (QEMU's machine-ready notifier). */
bool q35_machine_late_init(Machine *m, char **errp)
{
    PCIDevice *lpc = m->pci_bus ? m->pci_bus->devices[PCI_DEVFN(0x1f, 0)] : NULL;

    ich9_lpc_machine_ready(lpc ? &lpc->obj : NULL, m);
    return pc_machine_late_init(m, errp);
}
