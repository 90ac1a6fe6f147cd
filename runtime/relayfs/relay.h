/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relay.h - the bundled relay buffer: everything a kernel user of it includes.
 *
 * The relay is compiled into each module that uses it (all symbols static, prefixed
 * rt_relay_), so it never collides with the kernel's own relay (CONFIG_RELAY) nor with
 * another relaytap module.  The same frontend builds in user space via relay_user.h.
 */
#ifndef _RT_RELAY_H
#define _RT_RELAY_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/debugfs.h>
#include <linux/proc_fs.h>
#include <linux/irq_work.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/cpu.h>
#include <linux/smp.h>
#include <linux/log2.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/timekeeping.h>
#include <linux/hrtimer.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include <linux/delay.h>
#include <asm/local.h>

#include "../uapi/relaytap.h"
#include "../compat/compat.h"
#include "relay_types.h"

/**
 * rt_clock_ns - the relay's one clock: monotonic across CPUs and NMI-safe
 */
static __always_inline u64 rt_clock_ns(void)
{
	return ktime_get_mono_fast_ns();
}

static void rt_relay_default_deliver(struct rt_relay_buf *buf, u64 seq);
static void *rt_relay_default_create_buf_file(const char *filename, void *parent,
					      umode_t mode, struct rt_relay_buf *buf);
static void rt_relay_default_remove_buf_file(void *file);

#include "relay_api.h"

static struct rt_relay_chan *rt_relay_open(const char *base_filename, void *parent,
					   unsigned long subbuf_size, unsigned long n_subbufs,
					   unsigned long flags,
					   const struct rt_relay_callbacks *cb,
					   void *private_data);
static void rt_relay_close(struct rt_relay_chan *chan);
static void rt_relay_flush(struct rt_relay_chan *chan);
static void rt_relay_finalize(struct rt_relay_chan *chan);
static int rt_relay_subbuf_start_reserve(struct rt_relay_buf *buf, unsigned long length);
static bool rt_relay_buf_full(struct rt_relay_buf *buf);
static int rt_relay_reset(struct rt_relay_chan *chan);
static int rt_relay_subbufs_consumed(struct rt_relay_chan *chan, unsigned int cpu,
				     unsigned long n);

#endif /* _RT_RELAY_H */
