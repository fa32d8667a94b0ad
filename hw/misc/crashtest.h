/* SPDX-License-Identifier: MIT */
#ifndef HW_MISC_CRASHTEST_H
#define HW_MISC_CRASHTEST_H

#include "emu/object.h"

/* Test-only device with a planted bug (-Dcrashtest=true builds only). */
#define TYPE_CRASHTEST "crashtest"

#endif
