/* SPDX-License-Identifier: MIT */
/* Placeholder until the device lands. */
#include "hw/devices.h"
#include "hw/nvram/fw_cfg.h"
void fw_cfg_add_bytes(Object *fw, uint16_t key, const void *data, size_t len) { (void)fw; (void)key; (void)data; (void)len; }
void fw_cfg_add_i16(Object *fw, uint16_t key, uint16_t val) { (void)fw; (void)key; (void)val; }
void fw_cfg_add_i32(Object *fw, uint16_t key, uint32_t val) { (void)fw; (void)key; (void)val; }
void fw_cfg_add_i64(Object *fw, uint16_t key, uint64_t val) { (void)fw; (void)key; (void)val; }
void fw_cfg_add_file(Object *fw, const char *name, const void *data, size_t len) { (void)fw; (void)name; (void)data; (void)len; }
const TypeInfo fw_cfg_io_type = {
    .name = "fw_cfg_io",
    .parent = "isa-device",
    .instance_size = sizeof(Object),
};
