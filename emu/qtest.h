/* SPDX-License-Identifier: MIT */
/*
 * QEMU's qtest text protocol, server side, byte for byte the replies of
 * qemu-system-x86_64's (softmmu/qtest.c): one command a line, one reply a
 * line. Commands: outb/outw/outl, inb/inw/inl, readb/readw/readl/readq,
 * writeb/writew/writel/writeq, read, write, b64read, b64write, memset,
 * clock_step [NS], clock_set NS, and the extra `info mtree [-f] [-o] [-D]` and
 * `info qom-tree` (multi-line reply, then "OK"), and `msi [N]`: the board's
 * MSI sink (pc: 0xfee00000), "OK COUNT ADDR DATA" with how many messages
 * it recorded and message N before the last (default 0, the last; "0x0 0x0"
 * while there is none; it keeps the last 16). Lines starting with '#'
 * are comments and get no reply (QEMU answers them FAIL). Where QEMU would abort on a
 * malformed line, this server replies "ERR <reason>" and goes on.
 */
#ifndef EMU_QTEST_H
#define EMU_QTEST_H

#include <stdio.h>

#include <glib.h>

#include "emu/machine.h"

/* Longest command line accepted; longer lines get ERR and are skipped. */
#define QTEST_MAX_LINE (16u * 1024 * 1024)

/* A command's number argument (decimal, 0x hex, 0 octal; no sign), as
 * QEMU parses it: false if it is not one. */
bool qtest_u64(const char *word, uint64_t *v);
/* The access width of outb/inw/readl/writeq...: 1, 2, 4 or 8 bytes. */
unsigned qtest_size_suffix(const char *cmd);
/* A command line's words (blanks and tabs split them; several count as
 * one), NULL-terminated, for g_strfreev; their number in *nargs. */
char **qtest_split_words(const char *line, int *nargs);
/* Runs one command line (no newline) and appends the reply to out. */
void qtest_process_line(Machine *m, const char *line, GString *out);
/* Serves `in` until EOF, replies to `out`, flushed after every line. */
int qtest_serve_stream(Machine *m, FILE *in, FILE *out);
/* "stdio" or "unix:PATH" (listens, serves one client). */
int qtest_serve(Machine *m, const char *spec, char **errp);

#endif
