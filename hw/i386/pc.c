/* SPDX-License-Identifier: MIT */
/*
 * Machine "pc": the i440FX/PIIX3 PC as QEMU 7.2 builds it under qtest: RAM
 * below and above 4 GiB, the host bridge and ISA bridge, two i8259s, the
 * i8254 and port 0x61, the MC146818 with the CMOS bytes the BIOS expects,
 * the i8042, port 0x92 and fw_cfg; without -nodefaults a 16550A at 0x3f8 and
 * a parallel port at 0x378; an MSI sink at 0xfee00000 where QEMU has its
 * local APIC's MSI window; the two i8257 (8237A) DMA controllers with
 * their page registers; the floppy controller (isa-fdc, with -nodefaults
 * too, as QEMU's pc) and its CMOS bytes; PIIX3's IDE function at 01.1, with
 * the CMOS disk bytes for the hard disks on ide.0; PIIX4 power management
 * and SMBus at 01.3 with eight SPD EEPROMs; the I/O APIC at 0xfec00000
 * beside the PICs (every ISA IRQ reaches both, through QEMU's GSI fan-out)
 * and the HPET at 0xfed00000, which the PIT's and the RTC's interrupts pass
 * through for its legacy replacement route. Not here yet (QEMU has them):
 * vmport, VGA, the BIOS ROM.
 */
#include "hw/i386/pc.h"

#include <string.h>

#include "emu/log.h"
#include "emu/pci.h"
#include "hw/acpi/piix4.h"
#include "hw/audio/pcspk.h"
#include "hw/block/fdc.h"
#include "hw/dma/i8257.h"
#include "hw/ide/ide.h"
#include "hw/intc/i8259.h"
#include "hw/intc/ioapic.h"
#include "hw/intc/msi-sink.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/pci-host/i440fx.h"
#include "hw/pci-host/q35.h"
#include "hw/rtc/mc146818rtc.h"
#include "hw/timer/hpet.h"

/* CMOS layout used by PC BIOSes (IBM AT Technical Reference; SeaBIOS). */
#define CMOS_FLOPPY_TYPES   0x10
#define CMOS_EQUIPMENT      0x14
#define CMOS_BASE_MEM_LO    0x15
#define CMOS_EXT_MEM_LO     0x17
#define CMOS_EXT_MEM2_LO    0x30
#define CMOS_CENTURY        0x32
#define CMOS_MEM_16M_LO     0x34
#define CMOS_PS2_CENTURY    0x37
#define CMOS_BOOT_FLAGS     0x38
#define CMOS_BOOT_DEVICES   0x3d
#define CMOS_MEM_4G_LO      0x5b
#define CMOS_CPUS_MINUS_1   0x5f
#define CMOS_HD_TYPES       0x12    /* hard disk 0 in bits 7-4, 1 in 3-0 */
#define CMOS_HD0_EXT_TYPE   0x19
#define CMOS_HD0_PARAMS     0x1b    /* 9 bytes: the drive parameter table */
#define CMOS_HD1_PARAMS     0x24
#define CMOS_HD_TRANSLATION 0x39    /* 2 bits a disk: 0 none, 1 LBA */
#define CMOS_HD_TYPE_USER   47      /* "user defined": parameters follow */

/* Reads of I/O ports nobody decodes float high on the ISA bus. */
static uint64_t pc_unassigned_io_read(void *opaque, uint64_t addr, unsigned size)
{
    return ~0ull;
}

static void pc_unassigned_io_write(void *opaque, uint64_t addr, uint64_t val,
                                   unsigned size)
{
}

static const MemoryRegionOps pc_unassigned_io_ops = {
    .read = pc_unassigned_io_read,
    .write = pc_unassigned_io_write,
};

/* Creates a board device under /machine/unattached, sets props, realizes. */
Object *pc_device(Machine *m, const char *type, Object *parent,
                         const char *name, const char *const *props, char **errp)
{
    Object *dev = machine_new_device(m, type, parent, name, errp);
    for (int i = 0; dev && props && props[i]; i += 2) {
        if (!object_set_prop(dev, props[i], props[i + 1], errp)) {
            return NULL;
        }
    }
    return dev && machine_realize_device(m, dev, errp) ? dev : NULL;
}

/* RAM below 4 GiB: pc's split, or q35's (hw/pci-host/q35.h). */
uint64_t pc_ram_below_4g(const Machine *m)
{
    if (m->board && strcmp(m->board->name, "q35") == 0) {
        return m->ram_size >= Q35_LOWMEM_SMALL ? Q35_LOWMEM_LARGE : m->ram_size;
    }
    return m->ram_size >= PC_LOWMEM_LIMIT ? PC_LOWMEM_SPLIT : m->ram_size;
}

static void pc_memory_init(Machine *m)
{
    uint64_t below = pc_ram_below_4g(m);
    uint64_t above = m->ram_size - below;

    m->ram = g_new0(MemoryRegion, 1);
    mr_init_ram(m->ram, &m->obj, "pc.ram", m->ram_size);
    MemoryRegion *low = g_new0(MemoryRegion, 1);
    mr_init_alias(low, &m->obj, "ram-below-4g", m->ram, 0, below);
    mr_add_subregion(&m->sysmem, 0, low);
    if (above) {
        MemoryRegion *high = g_new0(MemoryRegion, 1);
        mr_init_alias(high, &m->obj, "ram-above-4g", m->ram, below, above);
        mr_add_subregion(&m->sysmem, 0x100000000ull, high);
    }
}

static void pc_cmos_word(Object *rtc, unsigned reg, uint64_t val)
{
    val = MIN(val, 0xffff);
    mc146818_set_cmos(rtc, reg, val & 0xff);
    mc146818_set_cmos(rtc, reg + 1, val >> 8);
}

/* The bytes QEMU's pc_cmos_init writes for a machine without drives. */
static void pc_cmos_init(Machine *m, Object *rtc)
{
    uint64_t above_4g = m->ram_size - pc_ram_below_4g(m);
    mc146818_set_cmos(rtc, CMOS_EQUIPMENT, 0x06);     /* FPU, PS/2 mouse */
    pc_cmos_word(rtc, CMOS_BASE_MEM_LO, 640);
    pc_cmos_word(rtc, CMOS_EXT_MEM_LO, m->ram_size / 1024 - 1024);
    pc_cmos_word(rtc, CMOS_EXT_MEM2_LO, m->ram_size / 1024 - 1024);
    pc_cmos_word(rtc, CMOS_MEM_16M_LO, m->ram_size > (16u << 20) ?
                 (m->ram_size - (16u << 20)) / 65536 : 0);
    mc146818_set_cmos(rtc, CMOS_MEM_4G_LO, (above_4g >> 16) & 0xff);
    mc146818_set_cmos(rtc, CMOS_MEM_4G_LO + 1, (above_4g >> 24) & 0xff);
    mc146818_set_cmos(rtc, CMOS_MEM_4G_LO + 2, (above_4g >> 32) & 0xff);
    mc146818_set_cmos(rtc, CMOS_CPUS_MINUS_1, 0);
    /* Boot order "cad": hard disk, floppy, CD-ROM. */
    mc146818_set_cmos(rtc, CMOS_BOOT_DEVICES, 0x12);
    mc146818_set_cmos(rtc, CMOS_BOOT_FLAGS, 0x30);
    mc146818_set_cmos(rtc, CMOS_CENTURY, 0x20);
    mc146818_set_cmos(rtc, CMOS_PS2_CENTURY, 0x20);
}

/*
 * QEMU's GSI fan-out (its GSIState): ISA IRQ n goes to PIC input n and to
 * I/O APIC pin n, except IRQ 0, which is pin 2 (the interrupt source
 * override firmware reports; QEMU's ioapic_set_irq); GSIs 16-23 are I/O
 * APIC pins only. It holds no state: it only forwards levels, so every
 * ISA device keeps the line m->isa_irq gives it.
 */
typedef struct PcGsi {
    IRQ in[MACHINE_ISA_IRQS];
    IRQ *pic[MACHINE_ISA_IRQS];
    IRQ *ioapic[MACHINE_ISA_IRQS];
} PcGsi;

static void pc_gsi_set(void *opaque, int n, int level)
{
    PcGsi *g = opaque;

    irq_set(g->pic[n], level);
    irq_set(g->ioapic[n], level);
}

/* GSI n as a line a device drives. */
static IRQ *pc_gsi(Machine *m, Object *ioapic, int n)
{
    return n < MACHINE_ISA_IRQS ? m->isa_irq[n] : ioapic_input(ioapic, n);
}

Object *pc_irqs_init(Machine *m, Object *ioapic_parent, char **errp)
{
    static const char *const master_props[] = {
        "iobase", "0x20", "elcr_addr", "0x4d0", "elcr_mask", "0xf8",
        "master", "on", NULL };
    static const char *const slave_props[] = {
        "iobase", "0xa0", "elcr_addr", "0x4d1", "elcr_mask", "0xde",
        "master", "off", NULL };
    Object *master = pc_device(m, TYPE_I8259, NULL, NULL, master_props, errp);
    Object *slave = master ? pc_device(m, TYPE_I8259, NULL, NULL, slave_props, errp)
                           : NULL;
    /* QEMU's ioapic_init_gsi: a child "ioapic" of the host bridge. */
    Object *ioapic = slave ? pc_device(m, TYPE_IOAPIC, ioapic_parent, "ioapic", NULL, errp)
                           : NULL;
    if (!ioapic) {
        return NULL;
    }
    i8259_set_output(slave, i8259_input(master, 2));
    ioapic_connect_pic(ioapic, master, slave);
    PcGsi *g = g_new0(PcGsi, 1);
    for (int n = 0; n < MACHINE_ISA_IRQS; n++) {
        g->pic[n] = i8259_input(n < 8 ? master : slave, n % 8);
        g->ioapic[n] = ioapic_input(ioapic, n ? n : 2);
        irq_init(&g->in[n], NULL, pc_gsi_set, g, n);
        m->isa_irq[n] = &g->in[n];
    }
    return ioapic;
}

Object *pc_hpet_init(Machine *m, Object *ioapic, uint32_t intcap, char **errp)
{
    g_autofree char *cap = g_strdup_printf("0x%x", intcap);
    const char *const props[] = { "hpet-intcap", cap, NULL };
    Object *hpet = pc_device(m, TYPE_HPET, NULL, NULL, props, errp);

    for (int n = 0; hpet && n < IOAPIC_NUM_PINS; n++) {
        hpet_connect_gsi(hpet, n, pc_gsi(m, ioapic, n));
    }
    return hpet;
}

/* A device realized with ISA IRQ n replaced by line (the HPET's legacy
 * input instead of the GSI, as QEMU wires the PIT and the RTC). */
static Object *pc_device_on_irq(Machine *m, const char *type, const char *const *props,
                                int n, IRQ *line, char **errp)
{
    IRQ *gsi = m->isa_irq[n];

    m->isa_irq[n] = line;
    Object *dev = pc_device(m, type, NULL, NULL, props, errp);
    m->isa_irq[n] = gsi;
    return dev;
}

/* In QEMU's order (pc_basic_device_init): the RTC, then the PIT and the
 * speaker; both interrupts through the HPET. */
bool pc_timers_init(Machine *m, Object *hpet, char **errp)
{
    static const char *const pit_props[] = { "iobase", "0x40", "irq", "0", NULL };
    Object *rtc = pc_device_on_irq(m, TYPE_MC146818, NULL, 8,
                                   hpet_legacy_input(hpet, HPET_LEGACY_RTC), errp);
    if (!rtc) {
        return false;
    }
    pc_cmos_init(m, rtc);
    Object *pit = pc_device_on_irq(m, "isa-pit", pit_props, 0,
                                   hpet_legacy_input(hpet, HPET_LEGACY_PIT), errp);
    if (!pit) {
        return false;
    }
    Object *speaker = machine_new_device(m, TYPE_PCSPK, NULL, NULL, errp);
    if (!speaker) {
        return false;
    }
    pcspk_set_pit(speaker, pit);
    return machine_realize_device(m, speaker, errp);
}

/* etc/e820: one usable-RAM entry per RAM block, as QEMU's (type 1). */
static void pc_fw_cfg_e820(Machine *m, Object *fw)
{
    uint8_t table[2 * 20] = { 0 };
    uint64_t below = pc_ram_below_4g(m);
    uint64_t entries[2][2] = { { 0, below }, { 0x100000000ull, m->ram_size - below } };
    size_t n = 0;
    for (int e = 0; e < 2; e++) {
        if (!entries[e][1]) {
            continue;
        }
        uint8_t *p = table + 20 * n++;
        for (int i = 0; i < 8; i++) {
            p[i] = entries[e][0] >> (8 * i);
            p[8 + i] = entries[e][1] >> (8 * i);
        }
        p[16] = 1;
    }
    fw_cfg_add_file(fw, "etc/e820", table, 20 * n);
}

/* The AT's two DMA controllers: DMA1 (8-bit channels 0-3) at 0x00 with page
 * registers in 0x80-0x87, DMA2 (16-bit channels 4-7, registers at even
 * ports, channel 4 the cascade) at 0xc0 with page registers in 0x88-0x8f. */
bool pc_dma_init(Machine *m, char **errp)
{
    static const char *const dma1_props[] = {
        "base", "0x00", "page-base", "0x80", "dshift", "0", NULL };
    static const char *const dma2_props[] = {
        "base", "0xc0", "page-base", "0x88", "dshift", "1", NULL };

    return pc_device(m, TYPE_I8257, NULL, NULL, dma1_props, errp) &&
           pc_device(m, TYPE_I8257, NULL, NULL, dma2_props, errp);
}

/* QEMU's pc_cmos_init_floppy: drive types in 0x10 (A high nibble), the
 * number of drives in the equipment byte (bit 0, bits 7-6 = count - 1). */
static void pc_cmos_floppy(Object *rtc, Object *fdc)
{
    FdcDriveType a, b;
    fdc_drive_types(fdc, &a, &b);
    unsigned n = (a != FDC_DRIVE_NONE) + (b != FDC_DRIVE_NONE);
    uint8_t equip = mc146818_get_cmos(rtc, CMOS_EQUIPMENT) & ~0xc1;

    mc146818_set_cmos(rtc, CMOS_FLOPPY_TYPES, fdc_cmos_type(a) << 4 | fdc_cmos_type(b));
    mc146818_set_cmos(rtc, CMOS_EQUIPMENT, equip | (n ? 0x01 | (n - 1) << 6 : 0));
}

/* QEMU 7.2's pc creates the floppy controller even with -nodefaults. */
static bool pc_fdc_init(Machine *m, char **errp)
{
    return pc_device(m, TYPE_ISA_FDC, NULL, NULL, NULL, errp) != NULL;
}

/* The deterministic items QEMU 7.2's pc gives its firmware. Not here: ACPI
 * and SMBIOS tables, the table loader and option ROMs (no firmware runs). */
static bool pc_fw_cfg_init(Machine *m, char **errp)
{
    static const uint8_t boot_fail_wait[4] = { 0xff, 0xff, 0xff, 0xff };
    static const uint8_t system_states[6] = { 0x80, 0x00, 0x00, 0x81, 0x82, 0x80 };
    Object *fw = pc_device(m, TYPE_FW_CFG_IO, &m->obj, "fw_cfg", NULL, errp);
    if (!fw) {
        return false;
    }
    fw_cfg_add_i16(fw, FW_CFG_NB_CPUS, 1);
    fw_cfg_add_i16(fw, FW_CFG_MAX_CPUS, 1);
    fw_cfg_add_i64(fw, FW_CFG_RAM_SIZE, m->ram_size);
    fw_cfg_add_i32(fw, FW_CFG_IRQ0_OVERRIDE, 1);
    fw_cfg_add_file(fw, "bios-geometry", NULL, 0);
    fw_cfg_add_file(fw, "bootorder", NULL, 0);
    fw_cfg_add_file(fw, "etc/boot-fail-wait", boot_fail_wait, sizeof(boot_fail_wait));
    fw_cfg_add_file(fw, "etc/system-states", system_states, sizeof(system_states));
    pc_fw_cfg_e820(m, fw);
    return true;
}

/* The default ports get null backends of their own, as QEMU's -serial null. */
static bool pc_default_port(Machine *m, const char *type, const char *chr_id,
                            char **errp)
{
    char *chr_opts = g_strdup_printf("null,id=%s", chr_id);
    bool ok = machine_chardev_add(m, chr_opts, errp) != NULL;
    g_free(chr_opts);
    const char *const props[] = { "chardev", chr_id, NULL };
    return ok && pc_device(m, type, NULL, NULL, props, errp);
}

static bool pc_defaults_init(Machine *m, char **errp)
{
    if (m->nodefaults) {
        return true;
    }
    return pc_default_port(m, "isa-serial", "serial0", errp) &&
           pc_default_port(m, "isa-parallel", "parallel0", errp);
}

/* PIIX3's IDE function, function 1 of the PIIX3 slot (QEMU's pc_init1). */
static bool pc_ide_init(Machine *m, char **errp)
{
    static const char *const props[] = { "addr", "1.1", NULL };
    return pc_device(m, "piix3-ide", NULL, NULL, props, errp) != NULL;
}

typedef struct PcFind {
    const char *type;
    Object *found;
} PcFind;

static int pc_find_cb(Object *obj, void *opaque)
{
    PcFind *f = opaque;
    if (object_is_a(obj, f->type)) {
        f->found = obj;
        return 1;
    }
    return 0;
}

/* The machine's first object of a type, or NULL. */
static Object *pc_find(Machine *m, const char *type)
{
    PcFind f = { type, NULL };
    object_foreach_recursive(&m->obj, pc_find_cb, &f);
    return f.found;
}

/* The user-defined drive type's parameter table (IBM AT BIOS). */
static void pc_cmos_hd(Object *rtc, unsigned ofs, uint32_t cyls, uint32_t heads,
                       uint32_t secs)
{
    pc_cmos_word(rtc, ofs, cyls);
    mc146818_set_cmos(rtc, ofs + 2, heads);
    pc_cmos_word(rtc, ofs + 3, 0xffff);             /* write precompensation */
    mc146818_set_cmos(rtc, ofs + 5, 0xc0 | ((heads > 8) << 3));
    pc_cmos_word(rtc, ofs + 6, cyls);               /* landing zone */
    mc146818_set_cmos(rtc, ofs + 8, secs);
}

/* What QEMU's pc_cmos_init_late writes once the disks are attached: the
 * floppy drive types, the types and geometry of the hard disks on ide.0,
 * and the BIOS translation of all four. */
bool pc_machine_late_init(Machine *m, char **errp)
{
    Object *rtc = pc_find(m, TYPE_MC146818), *fdc = pc_find(m, TYPE_ISA_FDC), *ctrl;
    uint8_t types = 0, trans = 0;

    piix4_pm_machine_ready(m);
    if (rtc && fdc) {
        pc_cmos_floppy(rtc, fdc);
    }
    for (unsigned i = 0; rtc && i < 4; i++) {
        IDEBus *bus = ide_bus_lookup(m, i < 2 ? "ide.0" : "ide.1", &ctrl);
        uint32_t cyls, heads, secs;
        bool lba;
        if (!bus || !ide_drive_geometry(bus, i % 2, &cyls, &heads, &secs, &lba)) {
            continue;
        }
        trans |= (lba ? 1 : 0) << (2 * i);
        if (i < 2) {
            types |= i ? 0x0f : 0xf0;
            mc146818_set_cmos(rtc, CMOS_HD0_EXT_TYPE + i, CMOS_HD_TYPE_USER);
            pc_cmos_hd(rtc, i ? CMOS_HD1_PARAMS : CMOS_HD0_PARAMS, cyls, heads, secs);
        }
    }
    if (rtc) {
        mc146818_set_cmos(rtc, CMOS_HD_TYPES, types);
        mc146818_set_cmos(rtc, CMOS_HD_TRANSLATION, trans);
    }
    return true;
}

/* Last of the board's devices, so the others keep QEMU's order in
 * /machine/unattached (QEMU's window is its CPU's local APIC). */
static bool pc_msi_sink_init(Machine *m, char **errp)
{
    Object *sink = pc_device(m, TYPE_MSI_SINK, NULL, NULL, NULL, errp);

    if (!sink) {
        return false;
    }
    m->msi_log = msi_sink_log(sink);
    return true;
}

Object *pc_host_init(Machine *m, const char *type, const char *name,
                     PCIBus *(*root_bus)(Object *host), char **errp)
{
    mr_init_io(&m->sysio, NULL, &pc_unassigned_io_ops, NULL, "io", 0x10000);
    as_init(&m->as_io, &m->sysio, "I/O");
    pc_memory_init(m);

    Object *host = pc_device(m, type, &m->obj, name, NULL, errp);
    if (host) {
        m->pci_bus = root_bus(host);
    }
    return host;
}

bool pc_superio_init(Machine *m, bool fdc, char **errp)
{
    return (!fdc || pc_fdc_init(m, errp)) &&
           pc_device(m, "i8042", NULL, NULL, NULL, errp) &&
           pc_device(m, "port92", NULL, NULL, NULL, errp);
}

bool pc_board_finish(Machine *m, char **errp)
{
    return pc_fw_cfg_init(m, errp) &&
           pc_defaults_init(m, errp) &&
           pc_msi_sink_init(m, errp);
}

bool pc_machine_init(Machine *m, char **errp)
{
    Object *host = pc_host_init(m, TYPE_I440FX_PCI_HOST, "i440fx", i440fx_bus, errp);
    if (!host) {
        return false;
    }
    static const char *const piix3_props[] = { "addr", "1.0", NULL };
    Object *ioapic = pc_irqs_init(m, host, errp);
    Object *hpet = NULL;
    return ioapic &&
           pc_device(m, TYPE_PIIX3, NULL, NULL, piix3_props, errp) &&
           pc_dma_init(m, errp) &&
           (hpet = pc_hpet_init(m, ioapic, PC_PIIX_HPET_INTCAP, errp)) &&
           pc_timers_init(m, hpet, errp) &&
           pc_superio_init(m, true, errp) &&
           pc_ide_init(m, errp) &&
           piix4_pm_board_init(m, errp) &&
           pc_board_finish(m, errp);
}
