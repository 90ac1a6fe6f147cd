/* SPDX-License-Identifier: GPL-2.0 */
/*
 * usage.h - how relaytap's programs end on a fatal error, as git's usage.c does it.
 *
 * Only main() files (stap, staprun, stap-merge) call these; helpers return -1 and set
 * errno.  Messages go to stderr as "PROG: message", lowercase, with no final period.
 */
#ifndef RT_USAGE_H
#define RT_USAGE_H

#include <stdio.h>

/**
 * rt_usage_init - name the program and what to undo before a fatal exit
 * @progname: the prefix of every message ("staprun")
 * @atdie:    called once by rt_die() before it exits (e.g. remove a half-made output),
 *            or NULL
 */
void rt_usage_init(const char *progname, void (*atdie)(void));

/** rt_die - print "PROG: message" and exit with status 1 */
void __attribute__((format(printf, 1, 2), noreturn)) rt_die(const char *fmt, ...);

/** rt_usage_error - a command line that cannot be used: @usage to stderr, exit 1 */
void __attribute__((noreturn)) rt_usage_error(void (*usage)(FILE *f));

#endif /* RT_USAGE_H */
