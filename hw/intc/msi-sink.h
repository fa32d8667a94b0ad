/* SPDX-License-Identifier: MIT */
#ifndef HW_INTC_MSI_SINK_H
#define HW_INTC_MSI_SINK_H

#include "emu/msi.h"
#include "emu/object.h"

/* The board maps it at MSI_SINK_BASE; no properties. */
#define TYPE_MSI_SINK "msi-sink"
#define MSI_SINK_BASE 0xfee00000ull
#define MSI_SINK_SIZE 0x100000ull

/* The messages it recorded (the board points Machine.msi_log at it). */
MSILog *msi_sink_log(Object *sink);

#endif
