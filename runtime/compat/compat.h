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
#include <linux/string.h>
#include <linux/uprobes.h>

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
 * strlcpy - SystemTap's embedded C calls it (4.8's psig.stp does), and 6.8 removed it from
 * the kernel: where the kernel lacks it, the same contract (copy at most @size - 1 bytes
 * of the NUL-terminated @src, terminate, return strlen(@src)) for guru-mode scripts.  Not
 * rt_-prefixed: the name is the script-facing API.
 */
#ifndef RT_HAVE_STRLCPY
static inline size_t strlcpy(char *dest, const char *src, size_t size)
{
	size_t len = strlen(src), n = len >= size ? size - 1 : len;

	if (size) {
		memcpy(dest, src, n);
		dest[n] = '\0';
	}
	return len;
}
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

/**
 * rt_uprobe_register - put a uprobe at @offset of @inode, with a semaphore (the SDT
 * "reference counter") at @ref_ctr_offset, 0 for none
 * @inode:  the file's inode
 * @offset: file offset of the instruction
 * @ref_ctr_offset: file offset of a 2-byte counter the kernel increments while probed
 * @uc:     the consumer (handlers)
 * @handle: set to what rt_uprobe_unregister() needs (6.12's struct uprobe, else NULL)
 *
 * 6.12 changed uprobe_register() to take the counter and return the struct uprobe or an
 * ERR_PTR; before it, uprobe_register_refctr() returns 0 or -errno.
 * Context: process, may sleep.  Return: 0 or -errno.
 */
static inline int rt_uprobe_register(struct inode *inode, loff_t offset, loff_t ref_ctr_offset,
				     struct uprobe_consumer *uc, struct uprobe **handle)
{
#ifdef RT_HAVE_UPROBE_UNREGISTER_NOSYNC
	struct uprobe *u = uprobe_register(inode, offset, ref_ctr_offset, uc);

	if (IS_ERR(u))
		return PTR_ERR(u);
	*handle = u;
	return 0;
#else
	*handle = NULL;
	return uprobe_register_refctr(inode, offset, ref_ctr_offset, uc);
#endif
}

/**
 * rt_uprobe_unregister - remove a consumer that rt_uprobe_register() added; its handlers
 * may still run until rt_uprobe_unregister_sync()
 * @inode:  as registered
 * @offset: as registered
 * @uc:     the consumer
 * @handle: what rt_uprobe_register() set
 *
 * Context: process, may sleep.
 */
static inline void rt_uprobe_unregister(struct inode *inode, loff_t offset,
					struct uprobe_consumer *uc, struct uprobe *handle)
{
#ifdef RT_HAVE_UPROBE_UNREGISTER_NOSYNC
	uprobe_unregister_nosync(handle, uc);
#else
	uprobe_unregister(inode, offset, uc);	/* waits for running handlers itself */
#endif
}

/**
 * rt_uprobe_unregister_sync - wait until no handler of an unregistered consumer runs
 * (6.12's uprobe_unregister_sync(); before it, uprobe_unregister() already waited)
 *
 * Context: process, may sleep.
 */
static inline void rt_uprobe_unregister_sync(void)
{
#ifdef RT_HAVE_UPROBE_UNREGISTER_NOSYNC
	uprobe_unregister_sync();
#endif
}

#endif /* _RT_COMPAT_H */
