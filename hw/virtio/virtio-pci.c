/* SPDX-License-Identifier: MIT */
/*
 * Virtio over PCI, transitional (OASIS VIRTIO 1.1 sections 4.1.4 and
 * 4.1.4.8), with QEMU 7.2's layout and register behaviour for
 * virtio-*-pci: the legacy registers in I/O BAR 0 and the modern common,
 * ISR, device and notify structures in BAR 4. The PCI configuration side
 * (capabilities, MSI-X in BAR 1) is virtio-pci-config.c. Left out: the
 * notify-by-PIO capability (off by default in QEMU), packed rings.
 */
#include "hw/virtio/virtio-pci.h"

#include <string.h>

#include "emu/log.h"

/* Legacy registers, I/O BAR 0 (VIRTIO 1.1 section 4.1.4.8) */
#define VIRTIO_PCI_HOST_FEATURES  0x00
#define VIRTIO_PCI_GUEST_FEATURES 0x04
#define VIRTIO_PCI_QUEUE_PFN      0x08
#define VIRTIO_PCI_QUEUE_NUM      0x0c
#define VIRTIO_PCI_QUEUE_SEL      0x0e
#define VIRTIO_PCI_QUEUE_NOTIFY   0x10
#define VIRTIO_PCI_STATUS         0x12
#define VIRTIO_PCI_ISR            0x13
#define VIRTIO_MSI_CONFIG_VECTOR  0x14   /* only while MSI-X is enabled */
#define VIRTIO_MSI_QUEUE_VECTOR   0x16
#define VIRTIO_PCI_CONFIG_OFF(msix) ((msix) ? 0x18 : 0x14)
#define VIRTIO_PCI_QUEUE_ADDR_SHIFT 12

/* Modern common configuration (section 4.1.4.3), QEMU 7.2's queue_reset */
#define VIRTIO_PCI_COMMON_DFSELECT  0x00
#define VIRTIO_PCI_COMMON_DF        0x04
#define VIRTIO_PCI_COMMON_GFSELECT  0x08
#define VIRTIO_PCI_COMMON_GF        0x0c
#define VIRTIO_PCI_COMMON_MSIX      0x10
#define VIRTIO_PCI_COMMON_NUMQ      0x12
#define VIRTIO_PCI_COMMON_STATUS    0x14
#define VIRTIO_PCI_COMMON_CFGGEN    0x15
#define VIRTIO_PCI_COMMON_Q_SELECT  0x16
#define VIRTIO_PCI_COMMON_Q_SIZE    0x18
#define VIRTIO_PCI_COMMON_Q_MSIX    0x1a
#define VIRTIO_PCI_COMMON_Q_ENABLE  0x1c
#define VIRTIO_PCI_COMMON_Q_NOFF    0x1e
#define VIRTIO_PCI_COMMON_Q_DESCLO  0x20
#define VIRTIO_PCI_COMMON_Q_DESCHI  0x24
#define VIRTIO_PCI_COMMON_Q_AVAILLO 0x28
#define VIRTIO_PCI_COMMON_Q_AVAILHI 0x2c
#define VIRTIO_PCI_COMMON_Q_USEDLO  0x30
#define VIRTIO_PCI_COMMON_Q_USEDHI  0x34
#define VIRTIO_PCI_COMMON_Q_RESET   0x3a

/* ---------------------------------------------------------------------- */
/* Transport callbacks                                                     */

static MemTxResult virtio_pci_dma_read(void *opaque, uint64_t addr, void *buf,
                                       uint64_t len)
{
    VirtIOPCIProxy *p = opaque;
    return pci_dma_read(&p->pci, addr, buf, len);
}

static MemTxResult virtio_pci_dma_write(void *opaque, uint64_t addr,
                                        const void *buf, uint64_t len)
{
    VirtIOPCIProxy *p = opaque;
    return pci_dma_write(&p->pci, addr, buf, len);
}

/* INTx follows ISR bit 0; with MSI-X on, the vector's message. */
static void virtio_pci_notify(void *opaque, uint16_t vector)
{
    VirtIOPCIProxy *p = opaque;

    if (msix_enabled(&p->pci)) {
        virtio_pci_msix_notify(p, vector);
    } else {
        pci_set_irq(&p->pci, p->vdev->isr & VIRTIO_ISR_QUEUE);
    }
}

static const VirtIOTransportOps virtio_pci_transport_ops = {
    .dma_read = virtio_pci_dma_read,
    .dma_write = virtio_pci_dma_write,
    .notify = virtio_pci_notify,
};

/* ---------------------------------------------------------------------- */
/* Shared register actions                                                 */

/* Status 0 or a legacy PFN of 0 (QEMU's virtio_pci_reset). */
static void virtio_pci_soft_reset(VirtIOPCIProxy *p)
{
    virtio_reset(p->vdev);
    memset(p->vqs, 0, sizeof(*p->vqs) * p->max_vqs);
    virtio_pci_msix_drop_unused(p);
}

static void virtio_pci_set_status(VirtIOPCIProxy *p, uint8_t val)
{
    virtio_set_status(p->vdev, val);
    if (p->vdev->status == 0) {
        virtio_pci_soft_reset(p);
    }
}

static uint8_t virtio_pci_isr_read_clear(VirtIOPCIProxy *p)
{
    uint8_t val = virtio_isr_read_clear(p->vdev);
    pci_set_irq(&p->pci, 0);
    return val;
}

static void virtio_pci_set_config_vector(VirtIOPCIProxy *p, uint16_t v)
{
    p->vdev->config_vector = virtio_pci_check_vector(p, v);
    virtio_pci_msix_drop_unused(p);
}

static void virtio_pci_set_queue_vector(VirtIOPCIProxy *p, uint16_t v)
{
    VirtIODevice *vdev = p->vdev;
    virtio_queue_set_vector(vdev, vdev->queue_sel, virtio_pci_check_vector(p, v));
    virtio_pci_msix_drop_unused(p);
}

static void virtio_pci_select_queue(VirtIOPCIProxy *p, uint32_t val)
{
    if (val < VIRTIO_QUEUE_SEL_MAX) {
        p->vdev->queue_sel = val;
    }
}

/* ---------------------------------------------------------------------- */
/* Legacy registers (I/O BAR 0)                                            */

static uint32_t virtio_pci_config_off(const VirtIOPCIProxy *p)
{
    return VIRTIO_PCI_CONFIG_OFF(msix_enabled(&p->pci));
}

/* As QEMU's virtio_ioport_read: the register at addr whatever the size. */
static uint32_t virtio_pci_legacy_reg_read(VirtIOPCIProxy *p, uint32_t addr)
{
    VirtIODevice *vdev = p->vdev;

    switch (addr) {
    case VIRTIO_PCI_HOST_FEATURES:
        return (uint32_t)vdev->host_features;
    case VIRTIO_PCI_GUEST_FEATURES:
        return (uint32_t)vdev->guest_features;
    case VIRTIO_PCI_QUEUE_PFN:
        return virtio_queue_get_desc(vdev, vdev->queue_sel) >>
               VIRTIO_PCI_QUEUE_ADDR_SHIFT;
    case VIRTIO_PCI_QUEUE_NUM:
        return virtio_queue_get_num(vdev, vdev->queue_sel);
    case VIRTIO_PCI_QUEUE_SEL:
        return vdev->queue_sel;
    case VIRTIO_PCI_STATUS:
        return vdev->status;
    case VIRTIO_PCI_ISR:
        return virtio_pci_isr_read_clear(p);
    case VIRTIO_MSI_CONFIG_VECTOR:
        return vdev->config_vector;
    case VIRTIO_MSI_QUEUE_VECTOR:
        return virtio_queue_get_vector(vdev, vdev->queue_sel);
    default:
        return UINT32_MAX;
    }
}

static void virtio_pci_legacy_features(VirtIOPCIProxy *p, uint32_t val)
{
    VirtIODevice *vdev = p->vdev;
    uint64_t features = val;

    if (features & (1ull << VIRTIO_F_BAD_FEATURE)) {
        features = vdev->bad_features;
    }
    virtio_set_features(vdev, features);
}

static void virtio_pci_legacy_pfn(VirtIOPCIProxy *p, uint32_t val)
{
    uint64_t pa = (uint64_t)val << VIRTIO_PCI_QUEUE_ADDR_SHIFT;

    if (pa == 0) {
        virtio_pci_soft_reset(p);
    } else {
        virtio_queue_set_legacy_addr(p->vdev, p->vdev->queue_sel, pa);
    }
}

/* Old Linux drove the device without bus mastering: QEMU turns it on when
 * the status becomes ACKNOWLEDGE | DRIVER. */
static void virtio_pci_legacy_status(VirtIOPCIProxy *p, uint32_t val)
{
    virtio_pci_set_status(p, val & 0xff);
    if (val == (VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER)) {
        pci_default_write_config(&p->pci, PCI_COMMAND,
                                 p->pci.config[PCI_COMMAND] | PCI_COMMAND_MASTER, 1);
        p->vdev->disabled = false;
    }
}

static void virtio_pci_legacy_reg_write(VirtIOPCIProxy *p, uint32_t addr,
                                        uint32_t val)
{
    switch (addr) {
    case VIRTIO_PCI_GUEST_FEATURES:
        virtio_pci_legacy_features(p, val);
        break;
    case VIRTIO_PCI_QUEUE_PFN:
        virtio_pci_legacy_pfn(p, val);
        break;
    case VIRTIO_PCI_QUEUE_SEL:
        virtio_pci_select_queue(p, val);
        break;
    case VIRTIO_PCI_QUEUE_NOTIFY:
        if (val < VIRTIO_QUEUE_SEL_MAX) {
            virtio_queue_notify(p->vdev, val);
        }
        break;
    case VIRTIO_PCI_STATUS:
        virtio_pci_legacy_status(p, val);
        break;
    case VIRTIO_MSI_CONFIG_VECTOR:
        virtio_pci_set_config_vector(p, val);
        break;
    case VIRTIO_MSI_QUEUE_VECTOR:
        virtio_pci_set_queue_vector(p, val);
        break;
    default:
        guest_error("%s: legacy write of 0x%x to register 0x%x",
                    p->vdev->name, val, addr);
        break;
    }
}

static uint64_t virtio_pci_legacy_read(void *opaque, uint64_t addr, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    uint32_t config = virtio_pci_config_off(p);

    if (addr < config) {
        return virtio_pci_legacy_reg_read(p, addr);
    }
    return virtio_config_read(p->vdev, addr - config, size);
}

static void virtio_pci_legacy_write(void *opaque, uint64_t addr, uint64_t val,
                                    unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    uint32_t config = virtio_pci_config_off(p);

    if (addr < config) {
        virtio_pci_legacy_reg_write(p, addr, val);
    } else {
        virtio_config_write(p->vdev, addr - config, val, size);
    }
}

/* ---------------------------------------------------------------------- */
/* Modern common configuration (BAR 4 + 0x0000)                            */

static VirtIOPCIQueue *virtio_pci_sel_queue(VirtIOPCIProxy *p)
{
    uint16_t sel = p->vdev->queue_sel;
    return sel < p->max_vqs ? &p->vqs[sel] : NULL;
}

static uint32_t virtio_pci_num_queues(const VirtIOPCIProxy *p)
{
    uint32_t n = 0;
    for (unsigned i = 0; i < p->vdev->max_vqs; i++) {
        if (virtio_queue_get_num(p->vdev, i)) {
            n = i + 1;
        }
    }
    return n;
}

static uint32_t virtio_pci_device_features(const VirtIOPCIProxy *p)
{
    const VirtIODevice *vdev = p->vdev;
    uint64_t f = vdev->host_features & ~(vdev->legacy_features |
                                         VIRTIO_LEGACY_FEATURES);
    return p->dfselect <= 1 ? (uint32_t)(f >> (32 * p->dfselect)) : 0;
}

/* A queue register of the selected queue; 0 for one we do not keep. */
static uint32_t virtio_pci_common_queue_read(VirtIOPCIProxy *p, uint64_t addr)
{
    VirtIOPCIQueue *q = virtio_pci_sel_queue(p);

    if (!q) {
        return 0;
    }
    switch (addr) {
    case VIRTIO_PCI_COMMON_Q_ENABLE:  return q->enabled;
    case VIRTIO_PCI_COMMON_Q_DESCLO:  return q->desc[0];
    case VIRTIO_PCI_COMMON_Q_DESCHI:  return q->desc[1];
    case VIRTIO_PCI_COMMON_Q_AVAILLO: return q->avail[0];
    case VIRTIO_PCI_COMMON_Q_AVAILHI: return q->avail[1];
    case VIRTIO_PCI_COMMON_Q_USEDLO:  return q->used[0];
    case VIRTIO_PCI_COMMON_Q_USEDHI:  return q->used[1];
    default:                          return 0;
    }
}

/* As QEMU: the field at addr whatever the access size. */
static uint64_t virtio_pci_common_read(void *opaque, uint64_t addr, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    VirtIODevice *vdev = p->vdev;

    switch (addr) {
    case VIRTIO_PCI_COMMON_DFSELECT: return p->dfselect;
    case VIRTIO_PCI_COMMON_DF:       return virtio_pci_device_features(p);
    case VIRTIO_PCI_COMMON_GFSELECT: return p->gfselect;
    case VIRTIO_PCI_COMMON_GF:
        return p->gfselect < 2 ? p->guest_features[p->gfselect] : 0;
    case VIRTIO_PCI_COMMON_MSIX:     return vdev->config_vector;
    case VIRTIO_PCI_COMMON_NUMQ:     return virtio_pci_num_queues(p);
    case VIRTIO_PCI_COMMON_STATUS:   return vdev->status;
    case VIRTIO_PCI_COMMON_CFGGEN:   return vdev->generation;
    case VIRTIO_PCI_COMMON_Q_SELECT: return vdev->queue_sel;
    case VIRTIO_PCI_COMMON_Q_SIZE:
        return virtio_queue_get_num(vdev, vdev->queue_sel);
    case VIRTIO_PCI_COMMON_Q_MSIX:
        return virtio_queue_get_vector(vdev, vdev->queue_sel);
    case VIRTIO_PCI_COMMON_Q_NOFF:   return vdev->queue_sel;
    case VIRTIO_PCI_COMMON_Q_RESET:  return 0;   /* done at once */
    default:                         return virtio_pci_common_queue_read(p, addr);
    }
}

static void virtio_pci_write_gf(VirtIOPCIProxy *p, uint32_t val)
{
    if (p->gfselect >= 2) {
        return;
    }
    p->guest_features[p->gfselect] = val;
    virtio_set_features(p->vdev, (uint64_t)p->guest_features[1] << 32 |
                                  p->guest_features[0]);
}

/* queue_enable: only 1 is valid (section 4.1.4.3.2); QEMU takes the
 * other values as a fatal driver error. */
static void virtio_pci_queue_enable(VirtIOPCIProxy *p, VirtIOPCIQueue *q,
                                    uint32_t val)
{
    VirtIODevice *vdev = p->vdev;
    unsigned n = vdev->queue_sel;

    if (val != 1) {
        virtio_error(vdev, "wrong value for queue_enable %x", val);
        return;
    }
    virtio_queue_set_num(vdev, n, q->num);
    virtio_queue_set_rings(vdev, n, (uint64_t)q->desc[1] << 32 | q->desc[0],
                           (uint64_t)q->avail[1] << 32 | q->avail[0],
                           (uint64_t)q->used[1] << 32 | q->used[0]);
    q->enabled = true;
}

static void virtio_pci_queue_reset(VirtIOPCIProxy *p, VirtIOPCIQueue *q,
                                   uint32_t val)
{
    if (val == 1) {
        virtio_queue_reset(p->vdev, p->vdev->queue_sel);
        q->enabled = false;
        virtio_pci_msix_drop_unused(p);
    }
}

static void virtio_pci_common_queue_write(VirtIOPCIProxy *p, uint64_t addr,
                                          uint32_t val)
{
    VirtIOPCIQueue *q = virtio_pci_sel_queue(p);

    if (!q) {
        return;
    }
    switch (addr) {
    case VIRTIO_PCI_COMMON_Q_SIZE:
        q->num = val;
        virtio_queue_set_num(p->vdev, p->vdev->queue_sel, q->num);
        break;
    case VIRTIO_PCI_COMMON_Q_ENABLE:  virtio_pci_queue_enable(p, q, val); break;
    case VIRTIO_PCI_COMMON_Q_RESET:   virtio_pci_queue_reset(p, q, val); break;
    case VIRTIO_PCI_COMMON_Q_DESCLO:  q->desc[0] = val; break;
    case VIRTIO_PCI_COMMON_Q_DESCHI:  q->desc[1] = val; break;
    case VIRTIO_PCI_COMMON_Q_AVAILLO: q->avail[0] = val; break;
    case VIRTIO_PCI_COMMON_Q_AVAILHI: q->avail[1] = val; break;
    case VIRTIO_PCI_COMMON_Q_USEDLO:  q->used[0] = val; break;
    case VIRTIO_PCI_COMMON_Q_USEDHI:  q->used[1] = val; break;
    default:
        guest_error("%s: common config write of 0x%x to 0x%x (read-only or "
                    "reserved)", p->vdev->name, val, (unsigned)addr);
        break;
    }
}

static void virtio_pci_common_write(void *opaque, uint64_t addr, uint64_t val,
                                    unsigned size)
{
    VirtIOPCIProxy *p = opaque;

    switch (addr) {
    case VIRTIO_PCI_COMMON_DFSELECT: p->dfselect = val; break;
    case VIRTIO_PCI_COMMON_GFSELECT: p->gfselect = val; break;
    case VIRTIO_PCI_COMMON_GF:       virtio_pci_write_gf(p, val); break;
    case VIRTIO_PCI_COMMON_MSIX:     virtio_pci_set_config_vector(p, val); break;
    case VIRTIO_PCI_COMMON_STATUS:   virtio_pci_set_status(p, val & 0xff); break;
    case VIRTIO_PCI_COMMON_Q_SELECT: virtio_pci_select_queue(p, val); break;
    case VIRTIO_PCI_COMMON_Q_MSIX:   virtio_pci_set_queue_vector(p, val); break;
    default:                         virtio_pci_common_queue_write(p, addr, val);
    }
}

/* ---------------------------------------------------------------------- */
/* Modern ISR, device and notify structures                                */

static uint64_t virtio_pci_isr_read(void *opaque, uint64_t addr, unsigned size)
{
    return virtio_pci_isr_read_clear(opaque);
}

static void virtio_pci_isr_write(void *opaque, uint64_t addr, uint64_t val,
                                 unsigned size)
{
}

static uint64_t virtio_pci_device_read(void *opaque, uint64_t addr, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    return virtio_config_read(p->vdev, addr, size);
}

static void virtio_pci_device_write(void *opaque, uint64_t addr, uint64_t val,
                                    unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    virtio_config_write(p->vdev, addr, val, size);
}

static uint64_t virtio_pci_notify_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0;
}

/* Queue n's doorbell is at n * notify_off_multiplier; the value is unused. */
static void virtio_pci_notify_write(void *opaque, uint64_t addr, uint64_t val,
                                    unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    uint64_t queue = addr / VIRTIO_PCI_NOTIFY_MULT;

    if (queue < VIRTIO_QUEUE_SEL_MAX) {
        virtio_queue_notify(p->vdev, queue);
    }
}

static const MemoryRegionOps virtio_pci_legacy_ops = {
    .read = virtio_pci_legacy_read,
    .write = virtio_pci_legacy_write,
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static const MemoryRegionOps virtio_pci_common_ops = {
    .read = virtio_pci_common_read,
    .write = virtio_pci_common_write,
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static const MemoryRegionOps virtio_pci_isr_ops = {
    .read = virtio_pci_isr_read,
    .write = virtio_pci_isr_write,
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static const MemoryRegionOps virtio_pci_device_ops = {
    .read = virtio_pci_device_read,
    .write = virtio_pci_device_write,
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static const MemoryRegionOps virtio_pci_notify_ops = {
    .read = virtio_pci_notify_read,
    .write = virtio_pci_notify_write,
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---------------------------------------------------------------------- */
/* Regions, reset, realize                                                 */

static uint64_t virtio_pci_pow2ceil(uint64_t v)
{
    uint64_t p = 4;
    while (p < v) {
        p *= 2;
    }
    return p;
}

/* BAR 0 (legacy registers) and BAR 4 (the modern structures). */
static void virtio_pci_init_regions(VirtIOPCIProxy *p, const VirtIOPCIInfo *info)
{
    Object *owner = &p->pci.obj;
    uint64_t legacy_size = virtio_pci_pow2ceil(VIRTIO_PCI_CONFIG_OFF(true) +
                                               p->vdev->config_len);
    MemoryRegion *sub[] = { &p->common, &p->isr, &p->device, &p->notify };
    const MemoryRegionOps *ops[] = { &virtio_pci_common_ops, &virtio_pci_isr_ops,
                                     &virtio_pci_device_ops, &virtio_pci_notify_ops };
    const char *kind[] = { "common", "isr", "device", "notify" };

    if (p->legacy) {
        mr_init_io(&p->legacy_io, owner, &virtio_pci_legacy_ops, p, "virtio-pci",
                   legacy_size);
    }
    if (!p->modern) {
        return;
    }
    mr_init_container(&p->modern_bar, owner, "virtio-pci", VIRTIO_PCI_MODERN_SIZE);
    for (unsigned i = 0; i < G_N_ELEMENTS(sub); i++) {
        char *name = g_strdup_printf("virtio-pci-%s-%s", kind[i], info->name);
        mr_init_io(sub[i], owner, ops[i], p, name, VIRTIO_PCI_REGION_SIZE);
        mr_add_subregion(&p->modern_bar, i * VIRTIO_PCI_REGION_SIZE, sub[i]);
    }
}

void virtio_pci_reset(VirtIOPCIProxy *p)
{
    pci_device_reset(&p->pci);
    p->dfselect = p->gfselect = 0;
    p->guest_features[0] = p->guest_features[1] = 0;
    virtio_pci_soft_reset(p);
    virtio_pci_config_reset(p);
}

void virtio_pci_proxy_init(VirtIOPCIProxy *p)
{
    pci_device_init(&p->pci);
    p->vqs = p->vqs_inline;
    p->max_vqs = VIRTIO_QUEUE_INLINE;
    p->vectors = VIRTIO_PCI_VECTORS_UNSET;
    p->ioeventfd = true;
}

void virtio_pci_init_queues(VirtIOPCIProxy *p, VirtIODevice *vdev, VirtQueue *vqs,
                            VirtIOPCIQueue *pvqs, unsigned n)
{
    virtio_init_queues(vdev, vqs, n);
    memset(pvqs, 0, sizeof(*pvqs) * n);
    p->vqs = pvqs;
    p->max_vqs = n;
}

/* A bus behind a PCIe port (root or downstream), not the root complex's. */
static bool virtio_pci_on_pcie_port(VirtIOPCIProxy *p, Machine *m)
{
    PCIBus *bus = m->pci_bus;

    if (bus && p->pci.bus_name) {
        bus = pci_bus_find(bus, p->pci.bus_name);
    }
    return bus && bus->express && bus->parent_dev;
}

/* QEMU 7.2's disable-legacy: auto is on behind a PCIe port (an endpoint
 * asks for no I/O space), off elsewhere; modern-only devices have none. */
static bool virtio_pci_pick_legacy(VirtIOPCIProxy *p, const VirtIOPCIInfo *info,
                                   bool pcie_port, char **errp)
{
    const char *v = p->disable_legacy ? p->disable_legacy : "auto";
    bool is_auto = strcmp(v, "auto") == 0;

    if (!is_auto && strcmp(v, "on") != 0 && strcmp(v, "off") != 0) {
        *errp = g_strdup_printf("%s-pci: disable-legacy=%s: on, off or auto", info->name,
                                v);
        return false;
    }
    p->legacy = !info->modern_only && (is_auto ? !pcie_port : strcmp(v, "off") == 0);
    p->modern = info->modern_only || !p->disable_modern;
    if (!p->legacy && !p->modern) {
        *errp = g_strdup_printf("%s-pci: neither modern nor legacy mode is enabled: set "
                                "disable-modern or disable-legacy to off", info->name);
        return false;
    }
    return true;
}

bool virtio_pci_realize(VirtIOPCIProxy *p, Machine *m, VirtIODevice *vdev,
                        const VirtIOPCIInfo *info, char **errp)
{
    bool pcie_port = virtio_pci_on_pcie_port(p, m);

    if (!virtio_pci_pick_legacy(p, info, pcie_port, errp)) {
        return false;
    }
    /* Without the legacy interface: the modern ID (0x1040 + type),
     * revision 1, QEMU's default subsystem. */
    const bool modern_id = !p->legacy && !info->modern_only;
    const PCIDeviceInfo ids = {
        .vendor_id = VIRTIO_PCI_VENDOR_ID,
        .device_id = modern_id ? VIRTIO_PCI_MODERN_ID_BASE + info->subsystem_id
                               : info->device_id,
        .revision = p->legacy ? 0 : 1,
        .class_id = info->class_id,
        .subsystem_id = modern_id ? 0 : info->subsystem_id,
        .interrupt_pin = 1,
        .express = pcie_port,
    };
    const PCIBARInfo legacy_bar = {
        &p->legacy_io, VIRTIO_PCI_LEGACY_BAR, PCI_BASE_ADDRESS_SPACE_IO
    };
    const PCIBARInfo modern_bar = {
        &p->modern_bar, VIRTIO_PCI_MODERN_BAR,
        PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH
    };
    PCIBARInfo bars[3] = { { NULL } };
    unsigned nbars = 0;

    if (p->legacy) {
        bars[nbars++] = legacy_bar;
    }
    if (p->modern) {
        bars[nbars++] = modern_bar;
    }

    p->vdev = vdev;
    if (p->max_vqs < vdev->max_vqs) {
        emu_bug("%s: %u queues, storage for %u (virtio_pci_init_queues)", info->name,
                vdev->max_vqs, p->max_vqs);
    }
    if (p->vectors == VIRTIO_PCI_VECTORS_UNSET) {
        p->vectors = info->vectors;
    }
    if (p->vectors > VIRTIO_PCI_MSIX_MAX) {
        *errp = g_strdup_printf("%s-pci: vectors=%u: at most %u", info->name, p->vectors,
                                VIRTIO_PCI_MSIX_MAX);
        return false;
    }
    virtio_pci_init_regions(p, info);
    if (!pci_realize_common(&p->pci, m->pci_bus, &ids, bars, errp) ||
        (pcie_port && !virtio_pci_express_init(p, errp))) {
        return false;
    }
    vdev->host_features |= ((uint64_t)p->modern << VIRTIO_F_VERSION_1) |
                           (1ull << VIRTIO_F_RING_RESET) |
                           ((uint64_t)p->packed << VIRTIO_F_RING_PACKED);
    if (!p->legacy) {
        vdev->host_features &= ~VIRTIO_LEGACY_FEATURES;
    } else {
        vdev->host_features |= 1ull << VIRTIO_F_BAD_FEATURE;
    }
    virtio_set_transport(vdev, &virtio_pci_transport_ops, p);
    return virtio_pci_config_init(p, info, errp);
}
