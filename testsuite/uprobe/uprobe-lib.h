/* SPDX-License-Identifier: GPL-2.0 */
/* uprobe-lib.h - the test library's one function (uprobe-lib.c) */
#ifndef UPROBE_LIB_H
#define UPROBE_LIB_H
long rt_lib_add(long a, long b);
#endif
