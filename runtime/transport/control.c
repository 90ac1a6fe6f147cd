// SPDX-License-Identifier: GPL-2.0
/*
 * control.c - the control channel (.cmd): framed messages between module and staprun.
 *
 * Kernel-to-user messages go through a byte ring that any context may append to (a raw
 * spinlock, only tried in NMI); readers are woken through irq_work.  User-to-kernel
 * messages are copied in whole and validated before rt_transport_handle() sees them.
 */

#include "frames.h"


/**
 * struct rt_ctl - control channel state
 * @lock:    protects the ring
 * @ring:    kernel-to-user bytes, whole messages only
 * @head:    free-running write offset into @ring
 * @tail:    free-running read offset into @ring
 * @dropped: messages that did not fit (reported at exit)
 * @opened:  1 while a controlling process has .cmd open
 * @wait:    readers and pollers
 * @wakeup:  defers the wakeup out of probe context
 * @file:    the .cmd dentry (debugfs), or NULL when it lives in procfs
 */
struct rt_ctl {
	raw_spinlock_t lock;
	char ring[RT_CTL_RING_SIZE];
	unsigned long head;
	unsigned long tail;
	atomic_t dropped;
	atomic_t opened;
	wait_queue_head_t wait;
	struct irq_work wakeup;
	struct dentry *file;
};

static struct rt_ctl *rt_ctl;

static int rt_transport_handle(u32 type, const void *payload, u32 len);
static void rt_transport_opened(void);
static void rt_transport_closed(void);

/**
 * rt_ctl_copy_in - copy @len bytes into the ring at free-running offset @pos
 * @pos:  ring offset
 * @data: bytes
 * @len:  count
 */
static void rt_ctl_copy_in(unsigned long pos, const void *data, size_t len)
{
	size_t off = pos % RT_CTL_RING_SIZE, first = min(len, RT_CTL_RING_SIZE - off);

	memcpy(rt_ctl->ring + off, data, first);
	memcpy(rt_ctl->ring, data + first, len - first);
}

/**
 * rt_ctl_send - queue one message for staprun; any context
 * @type:    RT_MSG_*
 * @payload: payload bytes, or NULL when @len is 0
 * @len:     payload length (at most RT_MSG_MAX_PAYLOAD)
 *
 * Return: 0, or -ENOSPC when the ring is full (the drop is counted).
 */
static int rt_ctl_send(u32 type, const void *payload, u32 len)
{
	struct rt_msg_hdr hdr = { .type = type, .len = len };
	unsigned long flags;
	int ret = 0;

	if (!rt_ctl || len > RT_MSG_MAX_PAYLOAD)
		return -EINVAL;
	if (in_nmi()) {
		local_irq_save(flags);
		if (!raw_spin_trylock(&rt_ctl->lock)) {
			local_irq_restore(flags);
			atomic_inc(&rt_ctl->dropped);
			return -EBUSY;
		}
	} else {
		raw_spin_lock_irqsave(&rt_ctl->lock, flags);
	}
	if (rt_ctl->head - rt_ctl->tail + sizeof(hdr) + len > RT_CTL_RING_SIZE) {
		atomic_inc(&rt_ctl->dropped);
		ret = -ENOSPC;
	} else {
		rt_ctl_copy_in(rt_ctl->head, &hdr, sizeof(hdr));
		rt_ctl_copy_in(rt_ctl->head + sizeof(hdr), payload, len);
		rt_ctl->head += sizeof(hdr) + len;
	}
	raw_spin_unlock_irqrestore(&rt_ctl->lock, flags);
	irq_work_queue(&rt_ctl->wakeup);
	return ret;
}

/**
 * rt_ctl_text - send a warning or error line to staprun
 * @level: RT_TEXT_WARNING or RT_TEXT_ERROR
 * @text:  the line, without "ERROR: " (staprun adds it)
 */
static void rt_ctl_text(u32 level, const char *text)
{
	struct {
		struct rt_msg_text t;
		char s[256];
	} m = { .t.level = level };
	size_t n = strscpy(m.s, text, sizeof(m.s));

	if ((ssize_t)n < 0)
		n = sizeof(m.s) - 1;
	rt_ctl_send(RT_MSG_TEXT, &m, sizeof(m.t) + n);
}

/**
 * rt_ctl_wakeup - irq_work handler: wake .cmd readers
 * @work: rt_ctl->wakeup
 *
 * Not IRQ_WORK_INIT_HARD, for the reason rt_relay_wakeup() gives: on PREEMPT_RT it runs
 * in the irq_work thread, where the wait queue's sleeping spinlock may be taken.
 */
static void rt_ctl_wakeup(struct irq_work *work)
{
	wake_up_interruptible(&rt_ctl->wait);
}

/** rt_ctl_reset_ring - forget queued messages (a new controller starts afresh) */
static void rt_ctl_reset_ring(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&rt_ctl->lock, flags);
	rt_ctl->tail = rt_ctl->head;
	raw_spin_unlock_irqrestore(&rt_ctl->lock, flags);
}

/**
 * rt_ctl_open - one controlling process at a time
 * @inode: the inode
 * @filp:  the file
 *
 * Return: 0, or -EBUSY when another process controls the module.
 */
static int rt_ctl_open(struct inode *inode, struct file *filp)
{
	if (atomic_cmpxchg(&rt_ctl->opened, 0, 1))
		return -EBUSY;
	rt_ctl_reset_ring();
	rt_transport_opened();
	return nonseekable_open(inode, filp);
}

/**
 * rt_ctl_release - the controller went away
 * @inode: the inode
 * @filp:  the file
 */
static int rt_ctl_release(struct inode *inode, struct file *filp)
{
	rt_transport_closed();
	atomic_set(&rt_ctl->opened, 0);
	return 0;
}

/**
 * rt_ctl_take - move whole queued messages that fit in @count into @kbuf
 * @kbuf:  destination
 * @count: room
 *
 * Return: bytes moved (0 when the ring is empty or the first message does not fit).
 */
static size_t rt_ctl_take(char *kbuf, size_t count)
{
	struct rt_msg_hdr hdr;
	unsigned long flags;
	size_t done = 0, n, off;

	raw_spin_lock_irqsave(&rt_ctl->lock, flags);
	while (rt_ctl->head != rt_ctl->tail) {
		off = rt_ctl->tail % RT_CTL_RING_SIZE;
		n = min_t(size_t, sizeof(hdr), RT_CTL_RING_SIZE - off);
		memcpy(&hdr, rt_ctl->ring + off, n);
		memcpy((char *)&hdr + n, rt_ctl->ring, sizeof(hdr) - n);
		n = sizeof(hdr) + hdr.len;
		if (done + n > count)
			break;
		off = min(n, RT_CTL_RING_SIZE - off);
		memcpy(kbuf + done, rt_ctl->ring + rt_ctl->tail % RT_CTL_RING_SIZE, off);
		memcpy(kbuf + done + off, rt_ctl->ring, n - off);
		rt_ctl->tail += n;
		done += n;
	}
	raw_spin_unlock_irqrestore(&rt_ctl->lock, flags);
	return done;
}

/**
 * rt_ctl_read - read whole messages; blocks unless O_NONBLOCK
 * @filp:  the file
 * @ubuf:  destination; must hold at least one message (RT_MSG_MAX_PAYLOAD + header)
 * @count: room
 * @ppos:  unused
 */
static ssize_t rt_ctl_read(struct file *filp, char __user *ubuf, size_t count, loff_t *ppos)
{
	char *kbuf;
	size_t n;
	int ret;

	if (count < sizeof(struct rt_msg_hdr) + RT_MSG_MAX_PAYLOAD)
		return -EINVAL;
	count = min_t(size_t, count, RT_CTL_RING_SIZE);
	kbuf = kvmalloc(count, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	for (;;) {
		n = rt_ctl_take(kbuf, count);
		if (n)
			break;
		ret = -EAGAIN;
		if (filp->f_flags & O_NONBLOCK)
			goto free_kbuf;
		ret = wait_event_interruptible(rt_ctl->wait,
					       READ_ONCE(rt_ctl->head) != READ_ONCE(rt_ctl->tail));
		if (ret)
			goto free_kbuf;
	}
	ret = copy_to_user(ubuf, kbuf, n) ? -EFAULT : n;
free_kbuf:
	kvfree(kbuf);
	return ret;
}

/** rt_ctl_deliver - rt_ctl_parse() callback: one frame to the transport */
static int rt_ctl_deliver(void *arg, u32 type, const void *payload, u32 len)
{
	return rt_transport_handle(type, payload, len);
}

/**
 * rt_ctl_write - accept whole, valid messages from staprun
 * @filp:  the file
 * @ubuf:  one or more framed messages; never trusted
 * @count: bytes (at most 64 KiB)
 * @ppos:  unused
 *
 * Return: @count, -EINVAL for a malformed frame, or the handler's error.
 */
static ssize_t rt_ctl_write(struct file *filp, const char __user *ubuf, size_t count,
			    loff_t *ppos)
{
	char *kbuf;
	int ret;

	if (count < sizeof(struct rt_msg_hdr) || count > RT_CTL_RING_SIZE)
		return -EINVAL;
	kbuf = memdup_user(ubuf, count);
	if (IS_ERR(kbuf))
		return PTR_ERR(kbuf);
	ret = rt_ctl_parse(kbuf, count, rt_ctl_deliver, NULL);
	kfree(kbuf);
	return ret ? ret : count;
}

/**
 * rt_ctl_poll - POLLIN when a message waits
 * @filp: the file
 * @wait: poll table
 */
static __poll_t rt_ctl_poll(struct file *filp, poll_table *wait)
{
	poll_wait(filp, &rt_ctl->wait, wait);
	if (READ_ONCE(rt_ctl->head) != READ_ONCE(rt_ctl->tail))
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

static const struct proc_ops rt_ctl_proc_ops = {
	.proc_open	= rt_ctl_open,
	.proc_release	= rt_ctl_release,
	.proc_read	= rt_ctl_read,
	.proc_write	= rt_ctl_write,
	.proc_poll	= rt_ctl_poll,
	.proc_lseek	= RT_NO_LLSEEK,
};

static const struct file_operations rt_ctl_fops = {
	.owner		= THIS_MODULE,
	.open		= rt_ctl_open,
	.release	= rt_ctl_release,
	.read		= rt_ctl_read,
	.write		= rt_ctl_write,
	.poll		= rt_ctl_poll,
	.llseek		= RT_NO_LLSEEK,
};

/**
 * rt_ctl_init - create .cmd (mode 0600) in @dir
 * @dir:    the module's directory (a debugfs dentry, or a proc entry when @procfs)
 * @procfs: the directory is in procfs
 *
 * Return: 0 or -ENOMEM/-ENOENT.
 */
static int rt_ctl_init(void *dir, bool procfs)
{
	rt_ctl = vzalloc(sizeof(*rt_ctl));
	if (!rt_ctl)
		return -ENOMEM;
	raw_spin_lock_init(&rt_ctl->lock);
	init_waitqueue_head(&rt_ctl->wait);
	init_irq_work(&rt_ctl->wakeup, rt_ctl_wakeup);
	if (procfs) {
		if (proc_create(RT_CMD_NAME, 0600, dir, &rt_ctl_proc_ops))
			return 0;
		vfree(rt_ctl);
		rt_ctl = NULL;
		return -ENOMEM;
	}
	rt_ctl->file = debugfs_create_file(RT_CMD_NAME, 0600, dir, NULL, &rt_ctl_fops);
	if (IS_ERR_OR_NULL(rt_ctl->file)) {
		vfree(rt_ctl);
		rt_ctl = NULL;
		return -ENOENT;
	}
	return 0;
}

/** rt_ctl_exit - remove .cmd and free the channel; no sender may run any more */
static void rt_ctl_exit(void)
{
	if (!rt_ctl)
		return;
	if (rt_ctl->file)
		debugfs_remove(rt_ctl->file);
	irq_work_sync(&rt_ctl->wakeup);
	vfree(rt_ctl);
	rt_ctl = NULL;
}
