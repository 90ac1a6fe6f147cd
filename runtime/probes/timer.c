// SPDX-License-Identifier: GPL-2.0
/*
 * timer.c - timer probes: timer.ms/us/s/jiffies(N) on one CPU, timer.profile on each.
 *
 * Both use hrtimers (hard-irq context).  An interval timer fires on whichever CPU it was
 * started; a profile timer is one pinned hrtimer per online CPU, firing every tick.
 */
#include <linux/random.h>
#include <asm/irq_regs.h>

/**
 * struct rt_timer_probe - one timer probe of the script
 * @pi:        the probe
 * @fn:        the generated handler
 * @period_ns: interval (for timer.profile: one tick)
 * @rand_ns:   .randomize(M): each interval is moved by up to this much either way
 * @percpu:    timer.profile: one timer per CPU
 * @active:    the timers re-arm while set
 * @timer:     the interval timer
 * @timers:    the per-CPU timers (timer.profile)
 */
struct rt_timer_probe {
	const struct rt_pinfo *pi;
	void (*fn)(const struct rt_pinfo *pi, struct pt_regs *regs);
	u64 period_ns;
	u64 rand_ns;
	int percpu;
	int active;
	struct hrtimer timer;
	struct rt_timer_cpu __percpu *timers;
};

/** struct rt_timer_cpu - one CPU's timer of a timer.profile probe */
struct rt_timer_cpu {
	struct hrtimer timer;
	struct rt_timer_probe *probe;
};

/** rt_timer_next - the next interval: the period, randomized by .randomize(M) */
static u64 rt_timer_next(const struct rt_timer_probe *p)
{
	if (!p->rand_ns)
		return p->period_ns;
	return p->period_ns - p->rand_ns + get_random_u32() % (2 * p->rand_ns + 1);
}

static enum hrtimer_restart rt_timer_fire(struct rt_timer_probe *p, struct hrtimer *t)
{
	if (!READ_ONCE(p->active))
		return HRTIMER_NORESTART;
	p->fn(p->pi, get_irq_regs());
	hrtimer_forward_now(t, ns_to_ktime(rt_timer_next(p)));
	return HRTIMER_RESTART;
}

static enum hrtimer_restart rt_timer_interval(struct hrtimer *t)
{
	return rt_timer_fire(container_of(t, struct rt_timer_probe, timer), t);
}

static enum hrtimer_restart rt_timer_profile(struct hrtimer *t)
{
	return rt_timer_fire(container_of(t, struct rt_timer_cpu, timer)->probe, t);
}

/** rt_timer_start_local - IPI: start this CPU's timer of a timer.profile probe */
static void rt_timer_start_local(void *info)
{
	struct rt_timer_probe *p = info;

	hrtimer_start(&this_cpu_ptr(p->timers)->timer, ns_to_ktime(p->period_ns),
		      HRTIMER_MODE_REL_PINNED);
}

/**
 * rt_timer_register - start a timer probe
 * @p: the probe
 *
 * Return: 0 or -ENOMEM.
 */
static int rt_timer_register(struct rt_timer_probe *p)
{
	unsigned int cpu;

	WRITE_ONCE(p->active, 1);
	if (!p->percpu) {
		rt_hrtimer_setup(&p->timer, rt_timer_interval, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
		hrtimer_start(&p->timer, ns_to_ktime(p->period_ns), HRTIMER_MODE_REL);
		return 0;
	}
	p->timers = alloc_percpu(struct rt_timer_cpu);
	if (!p->timers)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct rt_timer_cpu *tc = per_cpu_ptr(p->timers, cpu);

		rt_hrtimer_setup(&tc->timer, rt_timer_profile, CLOCK_MONOTONIC,
				 HRTIMER_MODE_REL_PINNED);
		tc->probe = p;
	}
	on_each_cpu(rt_timer_start_local, p, 1);
	return 0;
}

/**
 * rt_timer_unregister - stop a timer probe and wait for running handlers
 * @p: the probe
 */
static void rt_timer_unregister(struct rt_timer_probe *p)
{
	unsigned int cpu;

	WRITE_ONCE(p->active, 0);
	if (!p->percpu) {
		hrtimer_cancel(&p->timer);
		return;
	}
	if (!p->timers)
		return;
	for_each_possible_cpu(cpu)
		hrtimer_cancel(&per_cpu_ptr(p->timers, cpu)->timer);
	free_percpu(p->timers);
	p->timers = NULL;
}
