// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe-lib.c - the shared library of the process-probe test program (uprobe-target.c):
 * process("libuprobe-lib.so").function("rt_lib_add") probes a library's code.
 */
#include "uprobe-lib.h"

/** rt_lib_add - @a + @b; called once per loop iteration of the test program */
__attribute__((noinline)) long rt_lib_add(long a, long b)
{
	long r = a + b;

	__asm__ volatile("" : "+r"(r));
	return r;
}
