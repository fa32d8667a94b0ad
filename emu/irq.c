/* SPDX-License-Identifier: MIT */
/* Interrupt lines; see irq.h. */
#include "emu/irq.h"

#include <stddef.h>

void irq_init(IRQ *irq, Object *owner, IRQHandler handler, void *opaque, int n)
{
    irq->owner = owner;
    irq->handler = handler;
    irq->opaque = opaque;
    irq->n = n;
}

void irq_set(IRQ *irq, int level)
{
    if (irq && irq->handler) {
        object_touch(irq->owner);
        irq->handler(irq->opaque, irq->n, level != 0);
    }
}
