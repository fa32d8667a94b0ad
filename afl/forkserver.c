/* SPDX-License-Identifier: MIT */
/* emu-afl's own fork server for the persistent modes; see forkserver.h. */
#include "afl/forkserver.h"

/* Only an AFL++-instrumented build has the runtime it talks through. */
#ifdef __AFL_FUZZ_TESTCASE_LEN

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

/* afl-fuzz's pipes: its requests come in on the first, answers go out on
 * the second (AFL++'s FORKSRV_FD and FORKSRV_FD + 1). */
#define FS_CTL 198
#define FS_ST 199

/* The hello's option bits (AFL++'s forkserver protocol, version 4.0x). */
#define FS_OPT_ENABLED 0x80000001u
#define FS_OPT_MAPSIZE 0x40000000u
#define FS_OPT_SHDMEM_FUZZ 0x01000000u
#define FS_OPT_NEWCMPLOG 0x02000000u
#define FS_OPT_MAX_MAPSIZE ((0x00fffffeu >> 1) + 1)

/* AFL++'s runtime (afl-compiler-rt): the coverage map, its size, and the
 * test case in shared memory that __AFL_FUZZ_TESTCASE_BUF/LEN read. */
extern unsigned char *__afl_area_ptr;
extern unsigned int __afl_map_size;
extern unsigned char *__afl_fuzz_ptr;
extern unsigned int *__afl_fuzz_len;

/* Where the child is, in one page it shares with the fork server: each
 * phase is entered just before the child writes what it names. A child
 * that dies answered has sent its last input's status; one that dies
 * running owes it, and the fork server sends its wait status instead. */
enum { FS_NEW, FS_RUNNING, FS_ANSWERED };
static volatile uint32_t *fs_phase;
static uint32_t fs_child_pid;
static unsigned fs_inputs;

static bool fs_read4(int fd, uint32_t *v)
{
    ssize_t n;
    do {
        n = read(fd, v, sizeof(*v));
    } while (n < 0 && errno == EINTR);
    return n == sizeof(*v);
}

static bool fs_write4(int fd, uint32_t v)
{
    ssize_t n;
    do {
        n = write(fd, &v, sizeof(v));
    } while (n < 0 && errno == EINTR);
    return n == sizeof(v);
}

static _Noreturn void fs_fail(const char *what)
{
    fprintf(stderr, "emu-afl: fork server: %s\n", what);
    _exit(1);
}

/* The test case afl-fuzz writes into shared memory before each request. */
static void fs_map_test_case(void)
{
    const char *id = getenv("__AFL_SHM_FUZZ_ID");
    void *map = id ? shmat(atoi(id), NULL, 0) : (void *)-1;
    if (map == (void *)-1) {
        fs_fail("afl-fuzz offered the test case in shared memory, but it cannot be attached");
    }
    __afl_fuzz_len = map;
    __afl_fuzz_ptr = (unsigned char *)map + sizeof(uint32_t);
}

bool afl_fs_start(void)
{
    const char *which = getenv("EMU_AFL_FORKSERVER");
    if (which && strcmp(which, "afl++") == 0) {
        return false;       /* AFL++'s own, from __AFL_INIT */
    }
    if (fcntl(FS_CTL, F_GETFD) == -1 || fcntl(FS_ST, F_GETFD) == -1) {
        return false;
    }
    uint32_t hello = FS_OPT_ENABLED | FS_OPT_NEWCMPLOG | FS_OPT_SHDMEM_FUZZ;
    if (__afl_map_size > 1 && __afl_map_size <= FS_OPT_MAX_MAPSIZE) {
        hello |= FS_OPT_MAPSIZE | (__afl_map_size - 1) << 1;
    }
    if (!fs_write4(FS_ST, hello)) {
        return false;       /* nobody reads: run as without afl-fuzz */
    }
    /* afl-fuzz answers an offer of shared memory; a tool that takes no
     * options sends its first request instead. */
    uint32_t req;
    if (!fs_read4(FS_CTL, &req)) {
        _exit(1);
    }
    bool have_req = true;
    if ((req & (FS_OPT_ENABLED | FS_OPT_SHDMEM_FUZZ)) == (FS_OPT_ENABLED | FS_OPT_SHDMEM_FUZZ)) {
        fs_map_test_case();
        have_req = false;
    }
    fs_phase = mmap(NULL, sizeof(*fs_phase), PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (fs_phase == MAP_FAILED) {
        fs_fail("no shared page");
    }
    void (*old_sigchld)(int) = signal(SIGCHLD, SIG_DFL);
    for (;;) {
        if (!have_req && !fs_read4(FS_CTL, &req)) {
            _exit(0);       /* afl-fuzz has gone */
        }
        have_req = false;
        *fs_phase = FS_NEW;
        pid_t pid = fork();
        if (pid < 0) {
            fs_fail("fork failed");
        }
        if (pid == 0) {
            signal(SIGCHLD, old_sigchld);
            fs_child_pid = (uint32_t)getpid();
            fs_inputs = 0;
            __afl_area_ptr[0] = 1;      /* "it ran", as AFL++'s runtime marks */
            /* The child sends its own pid: from the fork server, it could
             * reach afl-fuzz after the status of a quick first input. */
            *fs_phase = FS_RUNNING;
            if (!fs_write4(FS_ST, fs_child_pid)) {
                _exit(0);
            }
            return true;
        }
        int status;
        while (waitpid(pid, &status, 0) < 0) {
            if (errno != EINTR) {
                fs_fail("waitpid failed");
            }
        }
        uint32_t phase = *fs_phase;
        if (phase == FS_NEW && !fs_write4(FS_ST, (uint32_t)pid)) {
            _exit(1);
        }
        if (phase != FS_ANSWERED && !fs_write4(FS_ST, (uint32_t)status)) {
            _exit(1);
        }
    }
}

void afl_fs_next(unsigned max_inputs)
{
    *fs_phase = FS_ANSWERED;
    if (!fs_write4(FS_ST, 0)) {         /* wait status 0: exited, code 0 */
        _exit(0);
    }
    if (++fs_inputs >= max_inputs) {
        _exit(0);                       /* the next child starts afresh */
    }
    /* Wait in poll, then read: a child killed just after its answer
     * (afl-fuzz's timeout struck as it sent it) must not take afl-fuzz's
     * next request with it. poll leaves the request in the pipe, and a
     * pending SIGKILL ends the child on its way back from poll, before the
     * read; a read asleep in the pipe could take the request first. */
    struct pollfd pfd = { .fd = FS_CTL, .events = POLLIN };
    while (poll(&pfd, 1, -1) < 0) {
        if (errno != EINTR) {
            _exit(0);
        }
    }
    uint32_t req;
    if (!fs_read4(FS_CTL, &req)) {
        _exit(0);                       /* afl-fuzz has gone */
    }
    *fs_phase = FS_RUNNING;
    __afl_area_ptr[0] = 1;
    if (!fs_write4(FS_ST, fs_child_pid)) {
        _exit(0);
    }
}

#endif
