/* SPDX-License-Identifier: MIT */
/*
 * The predefined targets: one per device, on the machine QEMU's config for
 * it uses (q35 for the PCI devices QEMU fuzzes there, pc for the rest),
 * plus the two whole machines. "generic-fuzz" takes its machine and objects from the
 * environment (EMU_FUZZ_ARGS / EMU_FUZZ_OBJECTS, or QEMU_FUZZ_*).
 */
#include <string.h>

#include "harness/fuzz.h"
#include "harness/i440fx-fuzz.h"
#include "harness/virtio-flags-fuzz.h"
#include "harness/virtio-net-fuzz.h"

const FuzzTarget fuzz_targets[] = {
    { "generic-fuzz",
      "any machine: EMU_FUZZ_ARGS and EMU_FUZZ_OBJECTS say which",
      NULL, NULL },
    { "generic-fuzz-serial", "16550A UART at 0x3f8 (isa-serial)",
      "-M pc -nodefaults -device isa-serial,chardev=c0 -chardev null,id=c0",
      "serial*" },
    { "generic-fuzz-parallel", "parallel port at 0x378 (isa-parallel)",
      "-M pc -nodefaults -device isa-parallel,chardev=p0 -chardev null,id=p0",
      "parallel*" },
    { "generic-fuzz-rtc", "MC146818 RTC and CMOS at 0x70 (mc146818rtc)",
      "-M pc -nodefaults", "mc146818rtc" },
    { "generic-fuzz-pit", "i8254 PIT at 0x40 and port 0x61 (isa-pit, isa-pcspk)",
      "-M pc -nodefaults", "isa-pit isa-pcspk" },
    { "generic-fuzz-pic", "two i8259 PICs and the ELCR (isa-i8259)",
      "-M pc -nodefaults", "isa-i8259" },
    { "generic-fuzz-i8042", "i8042 keyboard controller, keyboard and mouse",
      "-M pc -nodefaults", "i8042" },
    { "generic-fuzz-i8257", "i8237A DMA controllers and page registers (i8257)",
      "-M pc -nodefaults", "i8257*" },
    /* On pc: one model serves both machines, and generic-fuzz-pc-q35
     * fuzzes q35's wiring of them (the IOAPIC's PIRQ pins 16-23). */
    { "generic-fuzz-ioapic", "82093AA I/O APIC at 0xfec00000 (ioapic)",
      "-M pc -nodefaults", "ioapic" },
    { "generic-fuzz-hpet", "HPET timer block at 0xfed00000 (hpet)",
      "-M pc -nodefaults", "hpet" },
    /* QEMU's "floppy" config: an empty drive at unit 0, a 1 GiB null-co
     * disk in a 2.88 MB drive at unit 1 (a 2.88 MB disk to the guest). */
    { "generic-fuzz-floppy",
      "82078 floppy controller with ISA DMA: an empty drive, null-co in a 2.88 MB one",
      "-machine pc -nodefaults -device floppy,id=floppy0 -drive id=disk0,"
      "file=null-co://,file.read-zeroes=on,if=none,format=raw "
      "-device floppy,drive=disk0,drive-type=288", "fd* floppy* i8257" },
    /* Its items are a few KiB: 64 KiB of DMA reads every one many times
     * over, and an input zero-filling that much costs next to nothing. */
    { "generic-fuzz-fw_cfg", "fw_cfg with its DMA interface (fw_cfg_io)",
      "-M pc -nodefaults", "fw_cfg_io", .dma_budget = 64 << 10 },
    { "generic-fuzz-piix4-pm",
      "PIIX4 power management at 01.3: ACPI PM block and timer, SCI, SMBus, SPD EEPROMs",
      "-M pc -nodefaults", "piix4*" },
    /* No config of QEMU's: the bridges of issue 16 on q35's root bus, a
     * virtio-rng behind each, all matched: headers, bus numbers, windows,
     * the root port's slot and MSI-X, the pci-bridge's SHPC and MSI, and
     * what the bridges carry (config cycles by bus number, MMIO and I/O
     * down through the windows, DMA and interrupts up). Set-up numbers the
     * bridges and opens their windows, as firmware would. */
    { "generic-fuzz-pci-bridges",
      "pcie-root-port (00:01.0) and pci-bridge (00:03.0) on q35, a virtio-rng behind each",
      "-M q35 -nodefaults -device pcie-root-port,id=rp0,chassis=1,slot=1 "
      "-device virtio-rng-pci,bus=rp0 -device pci-bridge,chassis_nr=2,id=br0,addr=3 "
      "-device virtio-rng-pci,bus=br0",
      "pcie-root-port pci-bridge virtio*" },
    { "generic-fuzz-pc-i440fx", "the whole pc machine: every region and PCI function",
      "-M pc", "*" },
    { "generic-fuzz-pc-q35", "the whole q35 machine: every region and PCI function",
      "-M q35", "*" },
    /* QEMU's e1000 and virtio-net-pci-slirp configs, on q35, with our
     * loopback netdev for -netdev user (slirp: it answers the guest's
     * frames; ours would be a null one, and RX never run). The -pc
     * variants keep the device on the i440FX (INTx through PIIX3's PIRQ
     * routing, the slot 00:02.0) and the plants written for it. */
    { "generic-fuzz-e1000", "Intel 82540EM (e1000) on q35 at 00:01.0, loopback netdev",
      "-M q35 -nodefaults -device e1000,netdev=net0 -netdev loopback,id=net0",
      "e1000" },
    { "generic-fuzz-e1000-pc", "Intel 82540EM (e1000) on pc at 00:02.0, loopback netdev",
      "-M pc -nodefaults -device e1000,netdev=net0 -netdev loopback,id=net0",
      "e1000" },
    { "generic-fuzz-ide-hd", "PIIX3 IDE with an ide-hd on null-co (ATA, bus-master DMA)",
      "-machine pc -nodefaults -drive file=null-co://,if=none,format=raw,id=disk0 "
      "-device ide-hd,drive=disk0", "*ide*" },
    { "generic-fuzz-ide-atapi", "PIIX3 IDE with an ide-cd on null-co (ATAPI packets, DMA)",
      "-machine pc -nodefaults -drive file=null-co://,if=none,format=raw,id=disk0 "
      "-device ide-cd,drive=disk0", "*ide*" },
    /* QEMU's arguments: the disk without bus= lands on the q35 AHCI's
     * port 5 (ide.5), as in QEMU 7.2. */
    { "generic-fuzz-ahci-hd", "ICH9 AHCI (q35 00:1f.2), an ide-hd on port 5",
      "-machine q35 -nodefaults -drive file=null-co://,if=none,format=raw,id=disk0 "
      "-device ide-hd,drive=disk0", "*ahci*" },
    { "generic-fuzz-ahci-atapi", "ICH9 AHCI (q35 00:1f.2), an ide-cd on port 5",
      "-machine q35 -nodefaults -drive file=null-co://,if=none,format=raw,id=disk0 "
      "-device ide-cd,drive=disk0", "*ahci*" },
    { "generic-fuzz-virtio-net", "virtio-net-pci on q35 at 00:01.0, loopback netdev",
      "-M q35 -nodefaults -device virtio-net,netdev=net0 -netdev loopback,id=net0",
      "virtio*" },
    { "generic-fuzz-virtio-net-pc", "virtio-net-pci on pc at 00:02.0, loopback netdev",
      "-M pc -nodefaults -device virtio-net-pci,netdev=net0 -netdev loopback,id=net0",
      "virtio*" },
    /* The other virtio configs as QEMU writes them, all on q35. */
    { "generic-fuzz-virtio-blk", "virtio-blk-pci on q35 with a null-co drive",
      "-machine q35 -device virtio-blk,drive=disk0 "
      "-drive file=null-co://,id=disk0,if=none,format=raw", "virtio*" },
    { "generic-fuzz-virtio-serial", "virtio-serial-pci on q35, no port (QEMU's)",
      "-machine q35 -nodefaults -device virtio-serial", "virtio*" },
    { "generic-fuzz-virtio-scsi", "virtio-scsi-pci on q35 with a scsi-hd on null-co",
      "-machine q35 -device virtio-scsi,num_queues=8 -device scsi-hd,drive=disk0 "
      "-drive file=null-co://,id=disk0,if=none,format=raw", "scsi* virtio*" },
    { "generic-fuzz-virtio-rng", "virtio-rng-pci on q35, deterministic entropy",
      "-machine q35 -nodefaults -device virtio-rng", "virtio*" },
    { "generic-fuzz-virtio-balloon", "virtio-balloon-pci on q35: inflate, deflate, stats",
      "-machine q35 -nodefaults -device virtio-balloon", "virtio*" },
    { "generic-fuzz-virtio-mouse", "virtio-mouse-pci (modern only) on q35",
      "-machine q35 -nodefaults -device virtio-mouse", "virtio*" },
    { "generic-fuzz-sdhci-v3", "SD host controller (sdhci-pci, spec 3.00) with an sd-card",
      "-M pc -nodefaults -device sdhci-pci,sd-spec-version=3 -device sd-card,drive=mydrive "
      "-drive if=none,index=0,file=null-co://,format=raw,id=mydrive -nographic",
      "sd*" },
    { "virtio-net-fuzz", "virtio-net-pci: descriptor chains and packets laid into its rings",
      VIRTIO_NET_FUZZ_ARGS, VIRTIO_NET_FUZZ_OBJECTS, virtio_net_fuzz_setup,
      virtio_net_fuzz_run, .seed_generator = "harness/virtio-net-fuzz-seeds.py" },
    { "virtio-blk-flags-fuzz",
      "virtio-blk-pci: a feature mask, then buffers on its queue (QEMU's scheme; packed offered)",
      VIRTIO_BLK_FLAGS_FUZZ_ARGS, VIRTIO_FLAGS_FUZZ_OBJECTS, virtio_flags_fuzz_setup,
      virtio_flags_fuzz_run, .seed_generator = "harness/virtio-flags-fuzz-seeds.py" },
    { "virtio-scsi-flags-fuzz",
      "virtio-scsi-pci: a feature mask, then buffers on its queues (QEMU's scheme; packed offered)",
      VIRTIO_SCSI_FLAGS_FUZZ_ARGS, VIRTIO_FLAGS_FUZZ_OBJECTS, virtio_flags_fuzz_setup,
      virtio_flags_fuzz_run, .seed_generator = "harness/virtio-flags-fuzz-seeds.py" },
    { "virtio-scsi-fuzz",
      "virtio-scsi-pci with a scsi-hd and a scsi-cd: SCSI requests laid as virtio_scsi does",
      VIRTIO_SCSI_FUZZ_ARGS, VIRTIO_SCSI_FUZZ_OBJECTS, virtio_flags_fuzz_setup,
      virtio_scsi_fuzz_run, .seed_generator = "harness/virtio-flags-fuzz-seeds.py" },
    { "i440fx-qtest-reboot-fuzz",
      "i440FX config ports: 8-byte port records, a reboot after each input",
      I440FX_REBOOT_FUZZ_ARGS, I440FX_FUZZ_OBJECTS, .run = i440fx_reboot_fuzz_run,
      .seed_generator = I440FX_FUZZ_SEEDS },
    { "i440fx-qos-noreset-fuzz",
      "i440FX config space: 12-byte read/write records of any devfn (libqos's way)",
      I440FX_QOS_FUZZ_ARGS, I440FX_FUZZ_OBJECTS, .run = i440fx_qos_fuzz_run,
      .seed_generator = I440FX_FUZZ_SEEDS },
#ifdef EMU_CRASHTEST
    { "generic-fuzz-crashtest", "test-only device with a planted bug (-Dcrashtest=true)",
      "-M pc -nodefaults -device crashtest", "crashtest" },
#endif
    { NULL },
};

const FuzzTarget *fuzz_find_target(const char *name)
{
    for (const FuzzTarget *t = fuzz_targets; t->name; t++) {
        if (strcmp(t->name, name) == 0) {
            return t;
        }
    }
    return NULL;
}
