/* SPDX-License-Identifier: MIT */
#ifndef HW_I386_PC_H
#define HW_I386_PC_H

#include "emu/machine.h"

/* Below-4G RAM ends here when guest RAM is larger (QEMU 7.2 pc, gigabyte
 * aligned); the rest goes above 4 GiB. */
#define PC_LOWMEM_LIMIT 0xe0000000ull
#define PC_LOWMEM_SPLIT 0xc0000000ull

/* QEMU's pc_basic_device_init: on PIIX the HPET's timers may only take
 * GSI 2. */
#define PC_PIIX_HPET_INTCAP 0x4
/* On ICH9 (q35) GSIs 16-23 too, as QEMU's pc_q35_init. */
#define PC_ICH9_HPET_INTCAP 0xff0104

bool pc_machine_init(Machine *m, char **errp);
/*
 * For the boards (pc; q35 alike): the two 8259s, the I/O APIC as
 * ioapic_parent's child "ioapic", and QEMU's GSI fan-out behind
 * m->isa_irq (ISA IRQ n to PIC input n and I/O APIC pin n, IRQ 0 to pin
 * 2). Returns the I/O APIC, or NULL with *errp.
 */
Object *pc_irqs_init(Machine *m, Object *ioapic_parent, char **errp);
/* The HPET at 0xfed00000 with route capability intcap, its timers on
 * GSIs 0-23 (ISA ones through the fan-out). Before the RTC and the PIT,
 * which pc realizes with the HPET's legacy inputs as their IRQs. */
Object *pc_hpet_init(Machine *m, Object *ioapic, uint32_t intcap, char **errp);
bool pc_machine_late_init(Machine *m, char **errp);

/* The pieces q35 (hw/i386/q35.c) shares with pc, in the order QEMU 7.2's
 * boards create them. */
uint64_t pc_ram_below_4g(const Machine *m);
/* First of both boards: the I/O space, RAM, the host bridge as
 * /machine/NAME and its root bus as m->pci_bus. NULL with *errp. */
Object *pc_host_init(Machine *m, const char *type, const char *name,
                     PCIBus *(*root_bus)(Object *host), char **errp);
/* A board device (parent NULL: /machine/unattached), props, realized. */
Object *pc_device(Machine *m, const char *type, Object *parent,
                  const char *name, const char *const *props, char **errp);
bool pc_dma_init(Machine *m, char **errp);
/* The RTC (with pc's CMOS bytes), the PIT and the speaker, their IRQs
 * through the HPET's legacy inputs. */
bool pc_timers_init(Machine *m, Object *hpet, char **errp);
/* QEMU's pc_superio_init with -nodefaults: the floppy controller (pc
 * has one even without a drive, q35 not), the i8042 and port 0x92. */
bool pc_superio_init(Machine *m, bool fdc, char **errp);
/* Last of both boards: fw_cfg, the default serial and parallel ports
 * unless -nodefaults, the MSI sink. */
bool pc_board_finish(Machine *m, char **errp);

bool q35_machine_init(Machine *m, char **errp);
bool q35_machine_late_init(Machine *m, char **errp);

#endif
