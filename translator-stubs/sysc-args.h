/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sysc-args.h - system call parameters from the kernel tree's include/linux/syscalls.h
 * (sysc-args.c), the target variables of kernel.function("__x64_sys_NAME") probes.
 */
#ifndef RT_SYSC_ARGS_H
#define RT_SYSC_ARGS_H

#define SYSC_MAX_PARAMS	6	/* the x86_64 syscall ABI passes six in registers */

/**
 * struct sysc_param - one parameter of a system call
 * @name:   as the prototype names it ("cmd")
 * @type:   its C type without a leading const ("unsigned int", "char __user *")
 * @is_ptr: a pointer: read as a long, as SystemTap 4.8 reads one
 */
struct sysc_param {
	char name[64];
	char type[96];
	int is_ptr;
};

int sysc_params(const char *kdir, const char *name, struct sysc_param *q);

#endif
