/* SPDX-License-Identifier: MIT */
/*
 * The small machine the hw unit tests put a device on: a clock, an I/O root
 * that reads all ones (as the pc board's), optional RAM at 0 in the memory
 * space, and ISA IRQ lines 0-15 that record their level and rising edges.
 * Set-up failures fail the test through cmocka assertions. Include after
 * <cmocka.h> and its prerequisites.
 */
#ifndef TESTS_UNIT_HW_HW_TEST_H
#define TESTS_UNIT_HW_HW_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "emu/irq.h"
#include "emu/machine.h"
#include "emu/memory.h"
#include "emu/object.h"

#define TEST_MAX_DEVICES 8

/* An input pin that remembers its level and counts its 0-to-1 edges. */
typedef struct TestIrq {
    IRQ irq;
    int level;
    int edges;
} TestIrq;

typedef struct TestMachine {
    Machine *m;
    MemoryRegion ram;                   /* size 0 when there is none */
    TestIrq irq[MACHINE_ISA_IRQS];      /* m->isa_irq[n] is &irq[n].irq */
    Object *devices[TEST_MAX_DEVICES];  /* created here, freed with the machine */
    unsigned nr_devices;
} TestMachine;

void test_irq_init(TestIrq *t, int n);

/* ram_size 0: no RAM, the memory space is empty. */
TestMachine *test_machine_new(uint64_t ram_size);
/* Frees the machine, its RAM and flat views, the devices' instances and
 * their string properties; what a device allocates itself stays. */
void test_machine_free(TestMachine *tm);

/*
 * A test's fixture: a struct whose first member is TestMachine *tm, the rest
 * its devices. test_fixture_new allocates size bytes (zeroed) with a new
 * machine; test_fixture_teardown, a cmocka teardown, frees both.
 */
void *test_fixture_new(size_t size, uint64_t ram_size);
int test_fixture_teardown(void **state);

/* A test on a fresh fixture that the file's own setup() builds, from props
 * (its cmocka prestate: NULL, or device properties) for FIXTURE_TEST_PROPS. */
#define FIXTURE_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, test_fixture_teardown)
#define FIXTURE_TEST_PROPS(fn, props)                                                    \
    cmocka_unit_test_prestate_setup_teardown(fn, setup, test_fixture_teardown,          \
                                             (void *)(props))

/* props: NULL, or "name", "value", ..., NULL. */
Object *test_device_create(TestMachine *tm, const TypeInfo *type,
                           const char *const *props);
/* Realizes and resets a created device. */
void test_device_realize(TestMachine *tm, Object *dev);
Object *test_device_new(TestMachine *tm, const TypeInfo *type,
                        const char *const *props);

/* Port I/O through the machine's I/O address space. */
uint8_t test_inb(TestMachine *tm, uint16_t port);
void test_outb(TestMachine *tm, uint16_t port, uint8_t val);
uint16_t test_inw(TestMachine *tm, uint16_t port);
void test_outw(TestMachine *tm, uint16_t port, uint16_t val);
uint32_t test_inl(TestMachine *tm, uint16_t port);
void test_outl(TestMachine *tm, uint16_t port, uint32_t val);

/* A disk image for a test: /tmp/test-TAG-PID.img holding size bytes of
 * data, its name in path (64 bytes); the test unlinks it. A pc with drives
 * is then built by machine_create from a MachineConfig. */
#define TEST_IMAGE_PATH_LEN 64
void test_image_create(char *path, const char *tag, const void *data, size_t size);
/* The same with the pattern run-qtest's "words" images hold: each 32-bit
 * little-endian word its byte offset, so every block reads differently. */
void test_image_create_words(char *path, const char *tag, size_t size);

/*
 * A whole board for a test (pc or q35 from hw_boards) and an optional disk
 * image of its own: the fixture of the tests that drive devices through
 * the machine's buses. A test's Fixture starts with a TestBoard, so
 * test_board_new and test_board_teardown serve as its set-up and teardown.
 */
typedef struct TestBoard {
    char path[TEST_IMAGE_PATH_LEN];     /* the image, "" when there is none */
    MachineConfig cfg;                  /* -nodefaults unless changed */
    Machine *m;                         /* lives to the process's end */
} TestBoard;

/* A fixture of size bytes (zeroed), its board's cfg with -nodefaults. */
void *test_board_new(size_t size);
/* The same with an image: size bytes of data, or with data NULL the
 * "words" pattern (test_image_create_words). */
void *test_board_new_image(size_t size, const char *tag, const void *data, size_t img_size);
/* cmocka set-ups of a fixture that is a TestBoard alone: the board
 * (pc or q35) with -nodefaults, created. */
int test_board_setup_pc(void **state);
int test_board_setup_q35(void **state);
/* cmocka teardown: the image unlinked, cfg and the fixture freed. */
int test_board_teardown(void **state);
/* Adds to cfg: -drive strings (a "%s" in one stands for the image's path),
 * -blockdev and -device strings; NULL-terminated lists, or NULL. */
void test_board_add(TestBoard *b, const char *const *drives, const char *const *blockdevs,
                    const char *const *devices);
/* The -drive string (for test_board_add) of the image as "d0", raw: a
 * CD-ROM when dev, a -device string, names one (ide-cd, scsi-cd). */
const char *test_board_disk(const char *dev);
/* machine_create from cfg into b->m; with errp NULL a failure fails the test. */
Machine *test_board_create(TestBoard *b, char **errp);
/* The machine of a command line ("-M pc -nodefaults ..."), or the test fails. */
Machine *test_board_from_args(TestBoard *b, const char *args);

/* Accesses through the board's address spaces, each followed by
 * machine_settle (the bottom halves it scheduled run). */
uint32_t test_board_in(TestBoard *b, uint16_t port, unsigned size);
void test_board_out(TestBoard *b, uint16_t port, uint32_t val, unsigned size);
uint64_t test_board_read(TestBoard *b, uint64_t addr, unsigned size);
void test_board_write(TestBoard *b, uint64_t addr, uint64_t val, unsigned size);

#endif
