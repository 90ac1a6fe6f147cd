// SPDX-License-Identifier: GPL-2.0
/*
 * relaytest.c - a module that exercises the bundled relay on every CPU at once.
 *
 * Files: <debugfs or /proc>/rt_relaytest/{cpu<N>,ctl}.  Commands written to ctl:
 *   run N      each CPU writes N records from a kthread, plus records from hard irq
 *              (irq_work) and hrtimer context while it runs; returns when all are done
 *   flush      seal every CPU's partly filled sub-buffer
 *   finalize   tell readers no more data comes (POLLERR)
 *   reset      empty the buffers (only while idle and no file is open)
 *   big        try one record larger than a sub-buffer
 *   consumed CPU N   a mmap reader consumed N sub-buffers of CPU
 * Reading ctl gives one line per CPU: produced, written and lost counts by cause.
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/hrtimer.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include "relayfs/relay.h"
#include "relayfs/frontend.c"
#include "relayfs/backend.c"
#include "relayfs/files.c"
#include "relaytest.h"

static unsigned long subbuf_size = 16384;
module_param(subbuf_size, ulong, 0400);
static unsigned long n_subbufs = 8;
module_param(n_subbufs, ulong, 0400);
static bool overwrite;
module_param(overwrite, bool, 0400);
static bool procfs;
module_param(procfs, bool, 0400);
MODULE_PARM_DESC(procfs, "put the files in /proc instead of debugfs");

/**
 * struct rtt_cpu - one CPU's writers
 * @seq:     next sequence number (taken from any context)
 * @work:    hard-irq writer
 * @timer:   hrtimer writer
 * @thread:  process-context writer
 * @n:       records the kthread writes
 * @done:    the kthread finished
 */
struct rtt_cpu {
	atomic64_t seq;
	struct irq_work work;
	struct hrtimer timer;
	struct task_struct *thread;
	unsigned long n;
	struct completion done;
};

static struct rt_relay_chan *rtt_chan;
static struct rtt_cpu *rtt_cpus;
static void *rtt_dir;
static DEFINE_MUTEX(rtt_mutex);
static atomic_t rtt_running;

/**
 * rtt_write - write one numbered record of @len bytes from this CPU
 * @ctx: enum rtt_ctx of the caller
 * @len: payload length (at least sizeof(struct rtt_payload))
 *
 * Return: 0 or -ENOSPC (dropped and counted by the relay).
 */
static int rtt_write(enum rtt_ctx ctx, unsigned int len)
{
	struct rt_relay_ctx rc;
	struct rtt_payload *p;
	unsigned int cpu, i;
	int ret = 0;
	u64 seq;

	preempt_disable_notrace();
	cpu = smp_processor_id();
	seq = atomic64_inc_return(&rtt_cpus[cpu].seq) - 1;
	p = rt_relay_reserve(rtt_chan, &rc, len);
	if (!p) {
		ret = -ENOSPC;
		goto out;
	}
	p->cpu = cpu;
	p->ctx = ctx;
	p->len = len;
	p->seq = seq;
	p->check = cpu ^ seq ^ RTT_MAGIC;
	for (i = sizeof(*p); i < len; i++)
		((unsigned char *)p)[i] = RTT_FILL(seq, i);
	rt_relay_commit(&rc);
out:
	preempt_enable_notrace();
	return ret;
}

/** rtt_irq - irq_work handler: a burst of records in hard-irq context */
static void rtt_irq(struct irq_work *w)
{
	int i;

	for (i = 0; i < 4; i++)
		rtt_write(RTT_IRQ, sizeof(struct rtt_payload) + 8 * i);
}

/** rtt_tick - hrtimer handler: one record, every 50 us while a run lasts */
static enum hrtimer_restart rtt_tick(struct hrtimer *t)
{
	if (!atomic_read(&rtt_running))
		return HRTIMER_NORESTART;
	rtt_write(RTT_TIMER, sizeof(struct rtt_payload) + 24);
	hrtimer_forward_now(t, ns_to_ktime(50000));
	return HRTIMER_RESTART;
}

/** rtt_thread - process-context writer bound to one CPU */
static int rtt_thread(void *arg)
{
	struct rtt_cpu *c = arg;
	unsigned long i;

	hrtimer_start(&c->timer, ns_to_ktime(50000), HRTIMER_MODE_REL_PINNED_HARD);
	for (i = 0; i < c->n; i++) {
		rtt_write(RTT_PROC, sizeof(struct rtt_payload) + (i * 13) % 240);
		if (!(i % 16))
			irq_work_queue(&c->work);
		if (!(i % 256))
			cond_resched();
	}
	complete(&c->done);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/**
 * rtt_run - write @n records from each online CPU's kthread, with irq and timer writers
 * @n: records per kthread
 *
 * Return: 0 or -errno.
 */
static int rtt_run(unsigned long n)
{
	unsigned int cpu;
	struct rtt_cpu *c;
	int ret = 0;

	cpus_read_lock();
	atomic_set(&rtt_running, 1);
	for_each_online_cpu(cpu) {
		c = &rtt_cpus[cpu];
		c->n = n;
		init_completion(&c->done);
		c->thread = kthread_create_on_cpu(rtt_thread, c, cpu, "rt_relaytest/%u");
		if (IS_ERR(c->thread)) {
			ret = PTR_ERR(c->thread);
			c->thread = NULL;
			break;
		}
		wake_up_process(c->thread);
	}
	for_each_online_cpu(cpu) {
		c = &rtt_cpus[cpu];
		if (!c->thread)
			continue;
		wait_for_completion(&c->done);
	}
	atomic_set(&rtt_running, 0);
	for_each_online_cpu(cpu) {
		c = &rtt_cpus[cpu];
		hrtimer_cancel(&c->timer);
		irq_work_sync(&c->work);
		if (c->thread)
			kthread_stop(c->thread);
		c->thread = NULL;
	}
	cpus_read_unlock();
	return ret;
}

/**
 * rtt_command - act on one line written to ctl
 * @cmd: the line (NUL-terminated, trailing newline removed)
 *
 * Return: 0 or -errno (-EINVAL for anything malformed).
 */
static int rtt_command(char *cmd)
{
	unsigned long n, cpu, i;

	if (sscanf(cmd, "run %lu", &n) == 1)
		return n > 0 && n <= 10000000 ? rtt_run(n) : -EINVAL;
	if (!strcmp(cmd, "flush")) {
		rt_relay_flush(rtt_chan);
		return 0;
	}
	if (!strcmp(cmd, "reset"))
		return rt_relay_reset(rtt_chan);
	if (!strcmp(cmd, "finalize")) {
		rt_relay_finalize(rtt_chan);
		return 0;
	}
	if (!strcmp(cmd, "big"))
		return rtt_write(RTT_PROC, rtt_chan->subbuf_size) == -ENOSPC ? 0 : -EIO;
	if (sscanf(cmd, "consumed %lu %lu", &cpu, &n) == 2)
		return cpu > UINT_MAX ? -EINVAL : rt_relay_subbufs_consumed(rtt_chan, cpu, n);
	if (!strcmp(cmd, "seq0")) {
		for (i = 0; i < rtt_chan->nr_bufs; i++)
			atomic64_set(&rtt_cpus[i].seq, 0);
		return 0;
	}
	return -EINVAL;
}

static ssize_t rtt_ctl_write(struct file *f, const char __user *ubuf, size_t count,
			     loff_t *ppos)
{
	char cmd[64];
	int ret;

	if (!count || count >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, count))
		return -EFAULT;
	cmd[count] = '\0';
	strim(cmd);
	mutex_lock(&rtt_mutex);
	ret = rtt_command(cmd);
	mutex_unlock(&rtt_mutex);
	return ret ? ret : count;
}

/** rtt_ctl_show - one line per CPU: produced, written, lost by cause; then geometry */
static int rtt_ctl_show(struct seq_file *m, void *v)
{
	struct rt_relay_buf *buf;
	unsigned int cpu;

	for (cpu = 0; cpu < rtt_chan->nr_bufs; cpu++) {
		buf = rtt_chan->buf[cpu];
		if (!buf)
			continue;
		seq_printf(m, "cpu %u produced %lld written %ld full %ld overwritten %ld big %ld nested %ld\n",
			   cpu, (long long)atomic64_read(&rtt_cpus[cpu].seq),
			   local_read(&buf->written), local_read(&buf->lost[RT_LOSS_FULL]),
			   local_read(&buf->lost[RT_LOSS_OVERWRITTEN]),
			   local_read(&buf->lost[RT_LOSS_TOO_BIG]),
			   local_read(&buf->lost[RT_LOSS_NESTED]));
	}
	seq_printf(m, "geometry %lu %lu %d\n", rtt_chan->subbuf_size, rtt_chan->n_subbufs,
		   overwrite);
	return 0;
}

static int rtt_ctl_open(struct inode *inode, struct file *f)
{
	return single_open(f, rtt_ctl_show, NULL);
}

static const struct file_operations rtt_ctl_fops = {
	.owner		= THIS_MODULE,
	.open		= rtt_ctl_open,
	.read		= seq_read,
	.write		= rtt_ctl_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static const struct proc_ops rtt_ctl_proc_ops = {
	.proc_open	= rtt_ctl_open,
	.proc_read	= seq_read,
	.proc_write	= rtt_ctl_write,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};

static const struct rt_relay_callbacks rtt_procfs_cb = {
	.create_buf_file = rt_relay_procfs_create_buf_file,
	.remove_buf_file = rt_relay_procfs_remove_buf_file,
};

/** rtt_remove_dir - remove the directory with the ctl file */
static void rtt_remove_dir(void)
{
	if (procfs)
		proc_remove(rtt_dir);
	else
		debugfs_remove(rtt_dir);
}

/** rtt_make_dir - the directory and ctl, in debugfs or (procfs=1) /proc */
static int rtt_make_dir(void)
{
	void *ctl;

	if (procfs) {
		rtt_dir = proc_mkdir(RTT_DIR, NULL);
		if (!rtt_dir)
			return -ENOMEM;
		ctl = proc_create(RTT_CTL, 0600, rtt_dir, &rtt_ctl_proc_ops);
	} else {
		rtt_dir = debugfs_create_dir(RTT_DIR, NULL);
		if (IS_ERR_OR_NULL(rtt_dir))
			return -ENOENT;
		ctl = debugfs_create_file(RTT_CTL, 0600, rtt_dir, NULL, &rtt_ctl_fops);
	}
	if (IS_ERR_OR_NULL(ctl)) {
		rtt_remove_dir();
		return -ENOMEM;
	}
	return 0;
}

static int __init rtt_init(void)
{
	unsigned int cpu;
	int ret;

	rtt_cpus = kcalloc(nr_cpu_ids, sizeof(*rtt_cpus), GFP_KERNEL);
	if (!rtt_cpus)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		/* hard: on PREEMPT_RT a plain irq_work runs in a thread, not in hard irq */
		rtt_cpus[cpu].work = IRQ_WORK_INIT_HARD(rtt_irq);
		rt_hrtimer_setup(&rtt_cpus[cpu].timer, rtt_tick, CLOCK_MONOTONIC,
				 HRTIMER_MODE_REL_PINNED_HARD);
	}
	ret = rtt_make_dir();
	if (ret)
		goto free_cpus;
	rtt_chan = rt_relay_open(RTT_BASE, rtt_dir, subbuf_size, n_subbufs,
				 overwrite ? RT_RELAY_OVERWRITE : 0,
				 procfs ? &rtt_procfs_cb : NULL, NULL);
	if (IS_ERR(rtt_chan)) {
		ret = PTR_ERR(rtt_chan);
		goto remove_dir;
	}
	return 0;

remove_dir:
	rtt_remove_dir();
free_cpus:
	kfree(rtt_cpus);
	return ret;
}

static void __exit rtt_exit(void)
{
	rt_relay_close(rtt_chan);
	rtt_remove_dir();
	kfree(rtt_cpus);
}

module_init(rtt_init);
module_exit(rtt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("relaytap: exercise the bundled relay buffer");
