// SPDX-License-Identifier: GPL-2.0
/*
 * usage.c - fatal errors and command-line errors for relaytap's programs (usage.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include "usage.h"

static const char *rt_progname = "relaytap";
static void (*rt_atdie)(void);

void rt_usage_init(const char *progname, void (*atdie)(void))
{
	rt_progname = progname;
	rt_atdie = atdie;
}

void rt_die(const char *fmt, ...)
{
	void (*atdie)(void) = rt_atdie;
	va_list ap;

	fprintf(stderr, "%s: ", rt_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	rt_atdie = NULL;	/* an atdie that dies itself does not loop */
	if (atdie)
		atdie();
	exit(1);
}

void rt_usage_error(void (*usage)(FILE *f))
{
	usage(stderr);
	exit(1);
}
