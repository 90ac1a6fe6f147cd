/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - the only place kernel API differences are handled.
 *
 * Each difference is a feature test (a tiny compile probe in compat/probes/, run once per
 * kernel by compat/probe-kernel) that defines RT_HAVE_<feature> in rt_autoconf.h, plus a
 * small wrapper here.  No kernel version numbers are compared anywhere.
 */
#ifndef _RT_COMPAT_H
#define _RT_COMPAT_H

#include "rt_autoconf.h"
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/proc_fs.h>

/**
 * rt_vma_clear_flags - clear @flags on @vma (vm_flags became read-only in 6.3)
 * @vma:   the mapping
 * @flags: VM_* flags
 */
static inline void rt_vma_clear_flags(struct vm_area_struct *vma, unsigned long flags)
{
#ifdef RT_HAVE_VM_FLAGS_SET
	vm_flags_clear(vma, flags);
#else
	vma->vm_flags &= ~flags;
#endif
}

/**
 * rt_vma_set_flags - set @flags on @vma (vm_flags became read-only in 6.3)
 * @vma:   the mapping
 * @flags: VM_* flags
 */
static inline void rt_vma_set_flags(struct vm_area_struct *vma, unsigned long flags)
{
#ifdef RT_HAVE_VM_FLAGS_SET
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/**
 * rt_pde_data - the data of a proc entry (pde_data() since 5.17, PDE_DATA() before)
 * @inode: the proc inode
 */
static inline void *rt_pde_data(const struct inode *inode)
{
#ifdef RT_HAVE_PDE_DATA
	return pde_data(inode);
#else
	return PDE_DATA(inode);
#endif
}

/*
 * RT_NO_LLSEEK - the .llseek / .proc_lseek of a file that cannot seek: the kernel's
 * no_llseek where it has one, else NULL (6.12 removed no_llseek; a NULL .llseek is its
 * replacement there).  Either way the file behaves as it did before 6.12.
 */
#ifdef RT_HAVE_NO_LLSEEK
#define RT_NO_LLSEEK	no_llseek
#else
#define RT_NO_LLSEEK	NULL
#endif

/*
 * RT_SPLICE_READ - the .splice_read of a file whose .read_iter copies out (the relay's
 * per-CPU files): copy_splice_read() since 6.5, generic_file_splice_read() before; both
 * hand read_iter an iterator over pipe pages, so sendfile(2) and splice(2) work.
 */
#ifdef RT_HAVE_COPY_SPLICE_READ
#define RT_SPLICE_READ	copy_splice_read
#else
#define RT_SPLICE_READ	generic_file_splice_read
#endif

/**
 * rt_hrtimer_setup - initialise @timer and set its callback (hrtimer_setup() since 6.13,
 * hrtimer_init() and an assignment to ->function before; hrtimer_init() is gone in 6.15)
 * @timer: the hrtimer
 * @fn:    its callback
 * @clock: CLOCK_*
 * @mode:  HRTIMER_MODE_*
 */
static inline void rt_hrtimer_setup(struct hrtimer *timer,
				    enum hrtimer_restart (*fn)(struct hrtimer *),
				    clockid_t clock, enum hrtimer_mode mode)
{
#ifdef RT_HAVE_HRTIMER_SETUP
	hrtimer_setup(timer, fn, clock, mode);
#else
	hrtimer_init(timer, clock, mode);
	timer->function = fn;
#endif
}

#endif /* _RT_COMPAT_H */
