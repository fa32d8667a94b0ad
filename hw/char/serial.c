/* SPDX-License-Identifier: MIT */
/* Placeholder: the 16550A core. */
#include "hw/char/serial.h"
extern int serial_placeholder;
int serial_placeholder;
