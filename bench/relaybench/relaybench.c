// SPDX-License-Identifier: GPL-2.0
/*
 * relaybench.c - ns per write: the bundled relay against the kernel's relay_write plus
 * one ktime_get_mono_fast_ns() (the same work: our write takes one timestamp and writes
 * a 16-byte record header), on each CPU in turn, in the same boot.
 *
 * Write "run" to <debugfs>/rt_relaybench/ctl, then read it: one line per CPU and size,
 *   cpu C size S ours NS kernel NS clock NS
 * with medians of RUNS interleaved runs of N writes each.  Neither relay wraps.
 */
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/relay.h>
#include <linux/seq_file.h>
#include <linux/sort.h>
#include "relayfs/relay.h"
#include "relayfs/frontend.c"
#include "relayfs/backend.c"
#include "relayfs/files.c"

#define N		20000
#define RUNS		9
#define SUBBUF		(256 * 1024)
#define NSUB		32
#define NSIZES		3

static const unsigned int sizes[NSIZES] = { 16, 64, 256 };
static struct rt_relay_chan *ours;
static struct rchan *kchan;
static struct dentry *dir;
static char payload[512 + 16];
static u64 results[NR_CPUS][NSIZES][3];
static volatile u64 sink;
static DEFINE_MUTEX(bench_mutex);

static struct dentry *kcreate(const char *name, struct dentry *parent, umode_t mode,
			      struct rchan_buf *buf, int *is_global)
{
	return debugfs_create_file(name, mode, parent, buf, &relay_file_operations);
}

static int kremove(struct dentry *d)
{
	debugfs_remove(d);
	return 0;
}

static const struct rchan_callbacks kcb = {
	.create_buf_file = kcreate,
	.remove_buf_file = kremove,
};

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/** bench_once - ns for N writes of @which (0 ours, 1 kernel, 2 clock only), from empty */
static u64 bench_once(int which, unsigned int size)
{
	u64 t0;
	int i;

	if (which == 0)
		rt_relay_reset_buf(ours->buf[smp_processor_id()]);
	else if (which == 1)
		relay_reset(kchan);
	t0 = ktime_get_ns();
	for (i = 0; i < N; i++) {
		if (which == 0) {
			rt_relay_write(ours, payload, size);
		} else if (which == 1) {
			sink = ktime_get_mono_fast_ns();
			relay_write(kchan, payload, size + 16);
		} else {
			sink = ktime_get_mono_fast_ns();
		}
	}
	return ktime_get_ns() - t0;
}

/**
 * bench_cpu - all sizes on this CPU: the three measurements take turns run by run, so
 * that drift (the emulator warming up) hits all alike; medians per write
 */
static void bench_cpu(unsigned int cpu)
{
	static u64 t[3][RUNS];
	unsigned int s, r, w;

	for (s = 0; s < NSIZES; s++) {
		for (r = 0; r < RUNS; r++)
			for (w = 0; w < 3; w++)
				t[w][r] = bench_once(w, sizes[s]);
		for (w = 0; w < 3; w++) {
			sort(t[w], RUNS, sizeof(u64), cmp_u64, NULL);
			results[cpu][s][w] = div_u64(t[w][RUNS / 2], N);
		}
	}
}

/** bench_run - one CPU at a time (the others idle): the writing task moves to each */
static int bench_run(void)
{
	cpumask_var_t saved;
	unsigned int cpu;
	int ret = 0;

	if (!alloc_cpumask_var(&saved, GFP_KERNEL))
		return -ENOMEM;
	cpumask_copy(saved, current->cpus_ptr);
	for_each_online_cpu(cpu) {
		ret = set_cpus_allowed_ptr(current, cpumask_of(cpu));
		if (ret)
			break;
		bench_cpu(cpu);
	}
	set_cpus_allowed_ptr(current, saved);
	free_cpumask_var(saved);
	return ret;
}

static ssize_t ctl_write(struct file *f, const char __user *u, size_t n, loff_t *p)
{
	int ret;

	mutex_lock(&bench_mutex);
	ret = bench_run();
	mutex_unlock(&bench_mutex);
	return ret ? ret : n;
}

static int ctl_show(struct seq_file *m, void *v)
{
	unsigned int cpu, s;

	for_each_online_cpu(cpu)
		for (s = 0; s < NSIZES; s++)
			seq_printf(m, "cpu %u size %u ours %llu kernel %llu clock %llu\n", cpu,
				   sizes[s], results[cpu][s][0], results[cpu][s][1],
				   results[cpu][s][2]);
	return 0;
}

static int ctl_open(struct inode *i, struct file *f)
{
	return single_open(f, ctl_show, NULL);
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE, .open = ctl_open, .read = seq_read, .write = ctl_write,
	.llseek = seq_lseek, .release = single_release,
};

static int __init bench_init(void)
{
	dir = debugfs_create_dir("rt_relaybench", NULL);
	ours = rt_relay_open("ours", dir, SUBBUF, NSUB, 0, NULL, NULL);
	if (IS_ERR(ours))
		goto remove;
	kchan = relay_open("kernel", dir, SUBBUF, NSUB, &kcb, NULL);
	if (!kchan)
		goto close_ours;
	debugfs_create_file("ctl", 0600, dir, NULL, &ctl_fops);
	return 0;
close_ours:
	rt_relay_close(ours);
remove:
	debugfs_remove(dir);
	return -ENOMEM;
}

static void __exit bench_exit(void)
{
	relay_close(kchan);
	rt_relay_close(ours);
	debugfs_remove(dir);
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_LICENSE("GPL");
