/* SPDX-License-Identifier: MIT */
/*
 * Interrupt lines. The receiver owns the IRQ struct (an input pin, embedded
 * in its instance) and says what a level change does; a sender keeps a
 * pointer to it. irq_set on a NULL line does nothing (an unconnected pin).
 * Levels are 0 or 1; the receiver keeps whatever state it needs (edge
 * detection, wire-OR of several senders).
 */
#ifndef EMU_IRQ_H
#define EMU_IRQ_H

#include "emu/object.h"

typedef void (*IRQHandler)(void *opaque, int n, int level);

typedef struct IRQ {
    Object *owner;          /* the receiver, touched on each level; may be NULL */
    IRQHandler handler;
    void *opaque;
    int n;
} IRQ;

void irq_init(IRQ *irq, Object *owner, IRQHandler handler, void *opaque, int n);
void irq_set(IRQ *irq, int level);

static inline void irq_raise(IRQ *irq)
{
    irq_set(irq, 1);
}

static inline void irq_lower(IRQ *irq)
{
    irq_set(irq, 0);
}

static inline void irq_pulse(IRQ *irq)
{
    irq_set(irq, 1);
    irq_set(irq, 0);
}

#endif
