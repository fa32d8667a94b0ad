/* SPDX-License-Identifier: MIT */
/*
 * PCI: a bus of up to 256 functions, each with a 256-byte configuration space
 * (PCI Local Bus Specification 3.0, chapter 6).
 *
 * The core owns the standard header: per-byte write masks (wmask) and
 * write-1-to-clear masks (w1cmask), BAR sizing (writing all ones reads back
 * the size mask) and mapping (a BAR is mapped into the bus's memory or I/O
 * container when its address is set and the matching command bit is on),
 * capability lists, and INTx: a function's pin goes through the bus's
 * map_irq (PIIX3's PIRQ routing on pc) to set_irq, with a count per PIRQ
 * so that shared lines are a wire-OR. MSI and MSI-X are in msi.h; the
 * default config write and the reset here run theirs.
 *
 * A PCI device's instance begins with PCIDevice (which begins with Object).
 * Its realize calls pci_realize_common() (the bus, its IDs, its BARs), adds
 * its capabilities, and may set config_read/config_write to see or override
 * config accesses (calling the pci_default_* ones for the rest).
 *
 * PCI Express (PCI Express Base Specification 4.0, section 7.2): a function
 * whose PCIDeviceInfo says `express` has 4 KiB of configuration space; the
 * bytes past 0xff live in d->ext (allocated at realize, part of the
 * function's snapshot state) and are reached through ECAM (pci_ecam_read),
 * never through mechanism #1. A conventional function reads all ones there.
 * Buses form a tree: a bridge (type 1 header, PCI-to-PCI Bridge
 * Architecture 1.2 chapter 3) owns a secondary bus, and config cycles go
 * to the bus whose number a bridge holds (secondary..subordinate), as
 * QEMU 7.2's pci_find_bus_nr. See pci_bridge_* below.
 */
#ifndef EMU_PCI_H
#define EMU_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/byteorder.h"
#include "emu/irq.h"
#include "emu/memory.h"
#include "emu/object.h"
#include "emu/sglist.h"

/* Configuration header, type 0 (PCI 3.0 section 6.1) */
#define PCI_VENDOR_ID           0x00
#define PCI_DEVICE_ID           0x02
#define PCI_COMMAND             0x04
#define  PCI_COMMAND_IO         0x0001
#define  PCI_COMMAND_MEMORY     0x0002
#define  PCI_COMMAND_MASTER     0x0004
#define  PCI_COMMAND_SPECIAL    0x0008
#define  PCI_COMMAND_INVALIDATE 0x0010
#define  PCI_COMMAND_VGA_PALETTE 0x0020
#define  PCI_COMMAND_PARITY     0x0040
#define  PCI_COMMAND_SERR       0x0100
#define  PCI_COMMAND_FAST_BACK  0x0200
#define  PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS              0x06
#define  PCI_STATUS_INTERRUPT   0x0008
#define  PCI_STATUS_CAP_LIST    0x0010
#define  PCI_STATUS_66MHZ       0x0020
#define  PCI_STATUS_FAST_BACK   0x0080
#define  PCI_STATUS_DEVSEL_MEDIUM 0x0200
#define  PCI_STATUS_W1C_BITS    0xf900
#define PCI_REVISION_ID         0x08
#define PCI_CLASS_PROG          0x09
#define PCI_CLASS_DEVICE        0x0a
#define PCI_CACHE_LINE_SIZE     0x0c
#define PCI_LATENCY_TIMER       0x0d
#define PCI_HEADER_TYPE         0x0e
#define  PCI_HEADER_TYPE_MULTI_FUNCTION 0x80
#define PCI_BIST                0x0f
#define PCI_BASE_ADDRESS_0      0x10
#define  PCI_BASE_ADDRESS_SPACE_IO   0x01
#define  PCI_BASE_ADDRESS_MEM_TYPE_64 0x04
#define  PCI_BASE_ADDRESS_MEM_PREFETCH 0x08
#define PCI_CARDBUS_CIS         0x28
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID        0x2e
#define PCI_ROM_ADDRESS         0x30
#define PCI_CAPABILITY_LIST     0x34
#define PCI_INTERRUPT_LINE      0x3c
#define PCI_INTERRUPT_PIN       0x3d
#define PCI_MIN_GNT             0x3e
#define PCI_MAX_LAT             0x3f
#define PCI_CONFIG_HEADER_SIZE  0x40
#define PCI_CONFIG_SPACE_SIZE   0x100
#define PCIE_CONFIG_SPACE_SIZE  0x1000
#define PCIE_EXT_SPACE_SIZE     (PCIE_CONFIG_SPACE_SIZE - PCI_CONFIG_SPACE_SIZE)

/* Configuration header, type 1 (PCI-to-PCI Bridge Architecture 1.2, 3.2) */
#define  PCI_HEADER_TYPE_BRIDGE 0x01
#define PCI_PRIMARY_BUS         0x18
#define PCI_SECONDARY_BUS       0x19
#define PCI_SUBORDINATE_BUS     0x1a
#define PCI_SEC_LATENCY_TIMER   0x1b
#define PCI_IO_BASE             0x1c
#define PCI_IO_LIMIT            0x1d
#define  PCI_IO_RANGE_TYPE_32   0x01
#define  PCI_IO_RANGE_MASK      0xf0
#define PCI_SEC_STATUS          0x1e
#define PCI_MEMORY_BASE         0x20
#define PCI_MEMORY_LIMIT        0x22
#define  PCI_MEMORY_RANGE_MASK  0xfff0
#define PCI_PREF_MEMORY_BASE    0x24
#define PCI_PREF_MEMORY_LIMIT   0x26
#define  PCI_PREF_RANGE_TYPE_64 0x0001
#define PCI_PREF_BASE_UPPER32   0x28
#define PCI_PREF_LIMIT_UPPER32  0x2c
#define PCI_IO_BASE_UPPER16     0x30
#define PCI_IO_LIMIT_UPPER16    0x32
#define PCI_ROM_ADDRESS1        0x38
#define PCI_BRIDGE_CONTROL      0x3e
#define  PCI_BRIDGE_CTL_BUS_RESET 0x0040
#define  PCI_BRIDGE_CTL_WMASK   0x0bff   /* as QEMU 7.2: all but 0x400 (W1C) */

/* Capability IDs */
#define PCI_CAP_ID_PM     0x01
#define PCI_CAP_ID_MSI    0x05
#define PCI_CAP_ID_VNDR   0x09
#define PCI_CAP_ID_SLOTID 0x04
#define PCI_CAP_ID_SSVID  0x0d
#define PCI_CAP_ID_EXP    0x10
#define PCI_CAP_ID_MSIX   0x11

/* Class codes used by the machine */
#define PCI_CLASS_BRIDGE_HOST  0x0600
#define PCI_CLASS_BRIDGE_ISA   0x0601
#define PCI_CLASS_NETWORK_ETHERNET 0x0200
#define PCI_CLASS_STORAGE_IDE  0x0101
#define PCI_CLASS_BRIDGE_PCI   0x0604
#define PCI_CLASS_SERIAL_SMBUS 0x0c05

/* PCI Express capability (PCIe Base 4.0 section 7.5.3), version 2 */
#define PCI_EXP_FLAGS           0x02
#define  PCI_EXP_FLAGS_VERS2    0x0002
#define  PCI_EXP_FLAGS_SLOT     0x0100
#define PCI_EXP_DEVCAP          0x04
#define PCI_EXP_DEVCTL          0x08
#define PCI_EXP_DEVSTA          0x0a
#define PCI_EXP_LNKCAP          0x0c
#define PCI_EXP_LNKCTL          0x10
#define PCI_EXP_LNKSTA          0x12
#define PCI_EXP_SLTCAP          0x14
#define PCI_EXP_SLTCTL          0x18
#define PCI_EXP_SLTSTA          0x1a
#define PCI_EXP_RTCTL           0x1c
#define PCI_EXP_RTSTA           0x20
#define PCI_EXP_DEVCAP2         0x24
#define PCI_EXP_DEVCTL2         0x28
#define PCI_EXP_LNKCAP2         0x2c
#define PCI_EXP_LNKCTL2         0x30
#define PCI_EXP_VER2_SIZEOF     0x3c
/* Device/port types (PCI_EXP_FLAGS bits 7:4) */
#define PCI_EXP_TYPE_ENDPOINT   0x0
#define PCI_EXP_TYPE_LEG_END    0x1
#define PCI_EXP_TYPE_ROOT_PORT  0x4
#define PCI_EXP_TYPE_UPSTREAM   0x5
#define PCI_EXP_TYPE_DOWNSTREAM 0x6
#define PCI_EXP_TYPE_RC_END     0x9
/* Register bits an endpoint uses (PCIe Base 4.0 7.5.3.3-7.5.3.7) */
#define PCI_EXP_DEVCAP_FLR      0x10000000  /* function level reset */
#define PCI_EXP_DEVCTL_ERR_BITS 0x000f      /* CERE, NFERE, FERE, URRE */
#define PCI_EXP_DEVCTL_BCR_FLR  0x8000      /* initiate FLR */
#define PCI_EXP_LNKCTL_CCC      0x0040
#define PCI_EXP_LNKCTL_ES       0x0080

/* Power management capability (PCI PM 1.2 section 3.2) */
#define PCI_PM_PMC              0x02
#define PCI_PM_CTRL             0x04
#define  PCI_PM_CTRL_STATE_MASK 0x0003
#define PCI_PM_SIZEOF           8

#define PCI_NUM_BARS    6
#define PCI_NUM_PINS    4
#define PCI_BAR_UNMAPPED UINT64_MAX

#define PCI_DEVFN(slot, fn) ((((slot) & 0x1f) << 3) | ((fn) & 0x07))
#define PCI_SLOT(devfn)     (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)     ((devfn) & 0x07)

typedef struct PCIBus PCIBus;
typedef struct PCIDevice PCIDevice;
typedef struct PCIMSIX PCIMSIX;

typedef struct PCIBAR {
    uint64_t size;           /* power of two; 0 = BAR not implemented */
    uint8_t type;            /* low bits of the BAR: IO, MEM_TYPE_64, PREFETCH */
    MemoryRegion *mr;
    uint64_t addr;           /* where mapped now, or PCI_BAR_UNMAPPED */
} PCIBAR;

/* Configuration space 0x100-0xfff of a PCI Express function. */
typedef struct PCIExpressSpace {
    uint8_t config[PCIE_EXT_SPACE_SIZE];
    uint8_t wmask[PCIE_EXT_SPACE_SIZE];
    uint8_t w1cmask[PCIE_EXT_SPACE_SIZE];
} PCIExpressSpace;

struct PCIDevice {
    Object obj;
    PCIBus *bus;
    int32_t devfn;           /* property "addr"; -1 = first free slot */
    char *bus_name;          /* property "bus"; NULL: the machine's root bus */
    bool multifunction;      /* property "multifunction": header type bit 7 */
    PCIExpressSpace *ext;    /* NULL: a conventional function (256 bytes) */
    uint8_t exp_cap;         /* PCI Express capability offset, 0: none */
    uint8_t config[PCI_CONFIG_SPACE_SIZE];
    uint8_t wmask[PCI_CONFIG_SPACE_SIZE];
    uint8_t w1cmask[PCI_CONFIG_SPACE_SIZE];
    uint8_t used[PCI_CONFIG_SPACE_SIZE];   /* bytes claimed by capabilities */
    PCIBAR bars[PCI_NUM_BARS];
    int irq_state;           /* level currently driven on the INTx pin */
    int irq_counted;         /* the root bus IRQ the level is counted on, -1 */
    uint8_t msi_cap;         /* MSI capability offset, 0: none (msi.h) */
    PCIMSIX *msix;           /* MSI-X, in the instance; NULL: none (msi.h) */
    uint32_t (*config_read)(PCIDevice *d, uint32_t addr, unsigned len);
    void (*config_write)(PCIDevice *d, uint32_t addr, uint32_t val, unsigned len);
};

/* map_irq: device and pin (0 = INTA) to a bus IRQ (a PIRQ index). */
typedef int (*PCIMapIRQ)(PCIDevice *d, int pin);
typedef void (*PCISetIRQ)(void *opaque, int bus_irq, int level);

#define PCI_BUS_MAX_IRQS 8

struct PCIBus {
    Object *owner;           /* the host bridge embedding the bus */
    const char *name;        /* "pci.0", "pcie.0", a bridge's id */
    bool express;            /* a PCIe bus: extended config space reaches */
    PCIDevice *parent_dev;   /* the bridge in front of it; NULL: a root bus */
    PCIBus *child;           /* first bus behind a bridge on this one */
    PCIBus *sibling;         /* next on the parent bus's list */
    PCIDevice **devices;     /* [256] by devfn; set-up only, so outside
                                the host's instance (and its snapshot) */
    MemoryRegion *mem;       /* where memory BARs map */
    MemoryRegion *io;        /* where I/O BARs map */
    AddressSpace *dma_as;    /* what bus masters see */
    PCIMapIRQ map_irq;
    PCISetIRQ set_irq;
    void *irq_opaque;
    Object *irq_owner;       /* touched before set_irq runs */
    int irq_count[PCI_BUS_MAX_IRQS];
};

/* What a function's realize declares about itself (PCI 3.0 section 6.2.1). */
typedef struct PCIDeviceInfo {
    uint16_t vendor_id;
    uint16_t device_id;
    uint8_t revision;
    uint8_t prog_if;
    uint16_t class_id;            /* base class and sub-class, e.g. 0x0200 */
    uint16_t subsystem_vendor_id; /* 0: QEMU's default, 0x1af4 */
    uint16_t subsystem_id;        /* 0: QEMU's default, 0x1100 */
    uint8_t header_type;          /* 0 or PCI_HEADER_TYPE_MULTI_FUNCTION */
    uint16_t status;              /* read-only status bits, e.g. DEVSEL_MEDIUM */
    uint8_t interrupt_pin;        /* 1-4: INTA-INTD; 0: no INTx */
    bool express;                 /* 4 KiB configuration space (PCIe) */
} PCIDeviceInfo;

/* A BAR for pci_realize_common; a NULL mr ends a list. */
typedef struct PCIBARInfo {
    MemoryRegion *mr;             /* initialised; its size is the BAR's */
    int bar;
    uint8_t type;                 /* as for pci_register_bar */
} PCIBARInfo;

/* Property table entries for "addr" and "bus" (use inside a device's
 * Property list). */
#define PCI_DEVICE_PROP_ADDR(State, field) \
    { "addr", PROP_PCI_DEVFN, offsetof(State, field.devfn), \
      "slot[.function] on the PCI bus (hex), default: first free" }, \
    { "bus", PROP_STR, offsetof(State, field.bus_name), \
      "the PCI bus by name (pci.0, pcie.0, a bridge's id), default: the root" }, \
    { "multifunction", PROP_BOOL, offsetof(State, field.multifunction), \
      "set the multi-function bit of the header type (as QEMU's)" }

/* A root bus named "pci.0"; a host may rename it and set express after. */
void pci_bus_init(PCIBus *bus, Object *owner, MemoryRegion *mem, MemoryRegion *io,
                  AddressSpace *dma_as);
/* The bus called name in the tree under root (a bridge's secondary bus is
 * named after the bridge), or NULL. */
PCIBus *pci_bus_find(PCIBus *root, const char *name);
/* The bus that config cycles for bus number nr reach, from the root (bus
 * 0) through the bridges' secondary/subordinate numbers; NULL: none. */
PCIBus *pci_bus_by_number(PCIBus *root, unsigned nr);
/* set_irq(opaque, ...) changes irq_owner's instance (may be NULL). */
void pci_bus_set_irqs(PCIBus *bus, PCIMapIRQ map_irq, PCISetIRQ set_irq,
                      void *opaque, Object *irq_owner);
/* The root bus's map_irq now gives other answers (a guest wrote a routing
 * register, e.g. ICH9's DnIR): every INTx held high moves to the bus IRQ
 * it maps to now, on this bus and the buses behind its bridges. */
void pci_bus_intx_rerouted(PCIBus *root);

/* Defaults for a new function; call from the type's init. */
void pci_device_init(PCIDevice *d);
/* Puts d on the bus at d->devfn (or the first free one) and sets the masks
 * of the standard header. Fails if the slot is taken or out of range. */
bool pci_device_register(PCIBus *bus, PCIDevice *d, char **errp);
/* type: PCI_BASE_ADDRESS_SPACE_IO or a MEM type; size a power of two. */
void pci_register_bar(PCIDevice *d, int bar, uint8_t type, MemoryRegion *mr);
/*
 * What every function's realize starts with: puts d on bus (NULL, a machine
 * without one, is an error), sets the IDs, header type, status bits and
 * interrupt pin from info, and registers bars (NULL, or a list ended by a
 * NULL mr). Capabilities (pci_add_capability, msi_init, msix_init) and
 * config hooks come after. False with *errp set.
 */
bool pci_realize_common(PCIDevice *d, PCIBus *bus, const PCIDeviceInfo *info,
                        const PCIBARInfo *bars, char **errp);
/* Reset the standard header (command, status, BARs unmapped, INTx low)
 * and the MSI and MSI-X capabilities. */
void pci_device_reset(PCIDevice *d);
/* Adds a capability; offset 0 picks the first free dword after 0x40.
 * Returns the offset, or 0 with *errp set. */
uint8_t pci_add_capability(PCIDevice *d, uint8_t cap_id, uint8_t offset,
                           uint8_t size, char **errp);
uint8_t pci_find_capability(const PCIDevice *d, uint8_t cap_id);

uint32_t pci_default_read_config(PCIDevice *d, uint32_t addr, unsigned len);
void pci_default_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                              unsigned len);
/* 256, or 4096 for a PCI Express function. */
static inline unsigned pci_config_size(const PCIDevice *d)
{
    return d->ext ? PCIE_CONFIG_SPACE_SIZE : PCI_CONFIG_SPACE_SIZE;
}
/* The byte of config space at off (< pci_config_size(d)). */
static inline uint8_t *pci_config_ptr(PCIDevice *d, unsigned off)
{
    return off < PCI_CONFIG_SPACE_SIZE ? &d->config[off]
                                       : &d->ext->config[off - PCI_CONFIG_SPACE_SIZE];
}
/* Through the device's hooks if set, else the defaults. Accesses that run
 * past the end of config space (0xff, or 0xfff for PCIe) are cut at it. */
uint32_t pci_config_read(PCIDevice *d, uint32_t addr, unsigned len);
void pci_config_write(PCIDevice *d, uint32_t addr, uint32_t val, unsigned len);

/* Config mechanism #1 address (0x80000000 | bus<<16 | devfn<<8 | reg):
 * reads of absent functions give all ones. The bus number is routed
 * through the bridges (pci_bus_by_number); 256 bytes a function. */
uint32_t pci_host_config_read(PCIBus *bus, uint32_t cf8, unsigned len);
void pci_host_config_write(PCIBus *bus, uint32_t cf8, uint32_t val, unsigned len);

/*
 * ECAM / MMCONFIG (PCIe Base 4.0 section 7.2.2): off is the offset in the
 * host's window, bus in bits 27:20, devfn in 19:12, register in 11:0. An
 * absent function, or a register past the function's config space (or
 * past 0xff on a conventional bus), reads all ones; writes there vanish.
 */
uint32_t pci_ecam_read(PCIBus *root, uint32_t off, unsigned len);
void pci_ecam_write(PCIBus *root, uint32_t off, uint32_t val, unsigned len);

/*
 * PCI Express capability, version 2, of port/device type `type`
 * (PCI_EXP_TYPE_*) at offset (0: first free), with QEMU 7.2's registers
 * for its type: link 2.5 GT/s x1 unless the caller changes LNKCAP after,
 * `port` the port number in LNKCAP. Returns the offset, or 0 with *errp.
 */
uint8_t pcie_add_capability(PCIDevice *d, uint8_t type, uint8_t offset,
                            uint8_t port, char **errp);
/* An extended capability header at offset (>= 0x100, dword aligned) in
 * the list that starts at 0x100: id, version, and the next one. */
void pcie_add_ext_capability(PCIDevice *d, uint16_t cap_id, uint8_t ver,
                             uint16_t offset, uint16_t size);

/* INTx on the pin in config[PCI_INTERRUPT_PIN]; honours INTX_DISABLE and
 * keeps PCI_STATUS_INTERRUPT. */
void pci_set_irq(PCIDevice *d, int level);
/*
 * A PCI-to-PCI bridge (type 1 header): the function, the secondary bus
 * behind it and the windows that forward the parent bus's memory and I/O
 * (PCI-to-PCI Bridge Architecture 1.2, sections 3.2.5.6-3.2.5.10). A
 * bridge device's instance begins with it.
 */
typedef struct PCIBridge {
    PCIDevice dev;
    PCIBus sec_bus;           /* named after the bridge (its id) */
    MemoryRegion sec_mem;     /* "pci_bridge_pci": where BARs behind map */
    MemoryRegion sec_io;      /* "pci_bridge_io" */
    MemoryRegion win_io;      /* windows in the parent bus, aliases */
    MemoryRegion win_mem;
    MemoryRegion win_pref;
} PCIBridge;

/* After pci_realize_common (with header_type PCI_HEADER_TYPE_BRIDGE): the
 * type 1 masks, the secondary bus (a PCIe bus if sec_express) and its
 * windows, and config_write set to pci_bridge_write_config. */
void pci_bridge_init(PCIBridge *br, bool sec_express);
/* The default write plus the windows and bus numbers; for a bridge's own
 * config_write hook to call. */
void pci_bridge_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                             unsigned len);
/* pci_device_reset plus QEMU 7.2's bridge reset: bus numbers, windows,
 * bridge control to 0. */
void pci_bridge_reset(PCIBridge *br);

/* Bus-master DMA; refused (guest error) while the master bit is clear
 * (on the function, or on a bridge between it and the root). */
MemTxResult pci_dma_read(PCIDevice *d, uint64_t addr, void *buf, uint64_t len);
MemTxResult pci_dma_write(PCIDevice *d, uint64_t addr, const void *buf,
                          uint64_t len);
/* sg_read/sg_write (sglist.h) by bus-master DMA. */
size_t pci_sg_read(PCIDevice *d, const SGList *sg, uint64_t off, void *buf,
                   size_t len);
size_t pci_sg_write(PCIDevice *d, const SGList *sg, uint64_t off,
                    const void *buf, size_t len);

/* Little-endian config-space helpers (emu/byteorder.h underneath). */
static inline void pci_set_byte(uint8_t *p, uint8_t v) { p[0] = v; }
static inline void pci_set_word(uint8_t *p, uint16_t v) { st_le16(p, v); }
static inline void pci_set_long(uint8_t *p, uint32_t v) { st_le32(p, v); }
static inline uint16_t pci_get_word(const uint8_t *p) { return ld_le16(p); }
static inline uint32_t pci_get_long(const uint8_t *p) { return ld_le32(p); }

#endif
