// SPDX-License-Identifier: GPL-2.0
/*
 * timer.c - timer probes: timer.ms/us/s/jiffies(N) on one CPU, timer.profile on each.
 *
 * Both use hrtimers that expire in hard-irq context (HRTIMER_MODE_*_HARD: on PREEMPT_RT an
 * unmarked hrtimer expires in the softirq thread, where get_irq_regs() is not the
 * interrupted context, so timer.profile would count every tick as user time and probefunc()
 * would be wrong).  An interval timer fires on whichever CPU it was
 * started; a profile timer is one pinned hrtimer per online CPU, firing every tick.  The
 * profile timers follow CPU hotplug (a multi-instance CPUHP_AP_ONLINE_DYN state, one
 * instance per probe): a CPU coming online starts its timer, one going down cancels it
 * (a queued pinned hrtimer would otherwise migrate and fire twice on another CPU).
 */
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/cpuhotplug.h>
#include <asm/irq_regs.h>

/**
 * struct rt_timer_probe - one timer probe of the script
 * @pi:        the probe
 * @fn:        the generated handler
 * @period_ns: interval (for timer.profile: one tick)
 * @rand_ns:   .randomize(M): each interval is moved by up to this much either way
 * @rnd:       the .randomize generator, used only by the timer's own (never concurrent)
 *             callback: get_random_u32() takes sleeping locks on PREEMPT_RT
 * @percpu:    timer.profile: one timer per CPU
 * @active:    the timers re-arm while set
 * @timer:     the interval timer
 * @timers:    the per-CPU timers (timer.profile)
 * @hp_node:   the probe's instance of the hotplug state (timer.profile)
 */
struct rt_timer_probe {
	const struct rt_pinfo *pi;
	void (*fn)(const struct rt_pinfo *pi, struct pt_regs *regs);
	u64 period_ns;
	u64 rand_ns;
	struct rnd_state rnd;
	int percpu;
	int active;
	struct hrtimer timer;
	struct rt_timer_cpu __percpu *timers;
	struct hlist_node hp_node;
};

/** struct rt_timer_cpu - one CPU's timer of a timer.profile probe */
struct rt_timer_cpu {
	struct hrtimer timer;
	struct rt_timer_probe *probe;
};

/**
 * rt_timer_next - the next interval: the period, randomized by .randomize(M)
 * @p: the probe
 *
 * Context: the probe's timer callback (hard irq).  Return: nanoseconds.
 */
static u64 rt_timer_next(struct rt_timer_probe *p)
{
	u64 r, rem;

	if (!p->rand_ns)
		return p->period_ns;
	/* 64 random bits: the range 2 * rand_ns + 1 can exceed 2^32 (timer.s(10).randomize(5)) */
	r = (u64)prandom_u32_state(&p->rnd) << 32 | prandom_u32_state(&p->rnd);
	div64_u64_rem(r, 2 * p->rand_ns + 1, &rem);
	return p->period_ns - p->rand_ns + rem;
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

static int rt_timer_hp_state;	/* the multi-instance hotplug state, while in use */
static int rt_timer_hp_users;	/* timer.profile probes registered */

/**
 * rt_timer_hp_online - hotplug startup, on @cpu itself: start its timer of a profile probe
 * @cpu:  the CPU (online, or coming online)
 * @node: the probe's hp_node
 *
 * Context: @cpu's hotplug thread.  Return: 0.
 */
static int rt_timer_hp_online(unsigned int cpu, struct hlist_node *node)
{
	struct rt_timer_probe *p = hlist_entry(node, struct rt_timer_probe, hp_node);

	if (READ_ONCE(p->active))
		hrtimer_start(&this_cpu_ptr(p->timers)->timer, ns_to_ktime(p->period_ns),
			      HRTIMER_MODE_REL_PINNED_HARD);
	return 0;
}

/**
 * rt_timer_hp_down - hotplug teardown, on @cpu itself: cancel its timer of a profile probe
 * @cpu:  the CPU going down (or every online CPU when the probe is unregistered)
 * @node: the probe's hp_node
 *
 * Context: @cpu's hotplug thread; waits for a running handler.  Return: 0.
 */
static int rt_timer_hp_down(unsigned int cpu, struct hlist_node *node)
{
	struct rt_timer_probe *p = hlist_entry(node, struct rt_timer_probe, hp_node);

	hrtimer_cancel(&this_cpu_ptr(p->timers)->timer);
	return 0;
}

/**
 * rt_timer_profile_register - per-CPU timers of a timer.profile probe, on every online CPU
 * now and on each CPU that comes online later
 * @p: the probe
 *
 * Context: process.  Return: 0, -ENOMEM, or the cpuhp error (-ENOSPC: no dynamic state).
 */
static int rt_timer_profile_register(struct rt_timer_probe *p)
{
	unsigned int cpu;
	int ret;

	p->timers = alloc_percpu(struct rt_timer_cpu);
	if (!p->timers)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct rt_timer_cpu *tc = per_cpu_ptr(p->timers, cpu);

		rt_hrtimer_setup(&tc->timer, rt_timer_profile, CLOCK_MONOTONIC,
				 HRTIMER_MODE_REL_PINNED_HARD);
		tc->probe = p;
	}
	if (!rt_timer_hp_users) {
		ret = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, "relaytap:timer.profile",
					      rt_timer_hp_online, rt_timer_hp_down);
		if (ret < 0)
			goto free_timers;
		rt_timer_hp_state = ret;
	}
	ret = cpuhp_state_add_instance(rt_timer_hp_state, &p->hp_node);
	if (ret)
		goto remove_state;
	rt_timer_hp_users++;
	return 0;

remove_state:
	if (!rt_timer_hp_users)
		cpuhp_remove_multi_state(rt_timer_hp_state);
free_timers:
	free_percpu(p->timers);
	p->timers = NULL;
	return ret;
}

/**
 * rt_timer_register - start a timer probe
 * @p: the probe
 *
 * Context: process.  Return: 0, -ENOMEM, or a cpuhp error.
 */
static int rt_timer_register(struct rt_timer_probe *p)
{
	WRITE_ONCE(p->active, 1);
	if (!p->percpu) {
		prandom_seed_state(&p->rnd, get_random_u64());
		rt_hrtimer_setup(&p->timer, rt_timer_interval, CLOCK_MONOTONIC,
				 HRTIMER_MODE_REL_HARD);
		hrtimer_start(&p->timer, ns_to_ktime(p->period_ns), HRTIMER_MODE_REL_HARD);
		return 0;
	}
	return rt_timer_profile_register(p);
}

/**
 * rt_timer_unregister - stop a timer probe and wait for running handlers
 * @p: the probe
 *
 * A probe the session never started (an earlier probe failed to register) is left
 * alone: its hrtimer was never initialised, and hrtimer_cancel() on it oopses.
 */
static void rt_timer_unregister(struct rt_timer_probe *p)
{
	unsigned int cpu;

	if (!p->percpu) {
		if (!READ_ONCE(p->active))
			return;
		WRITE_ONCE(p->active, 0);
		hrtimer_cancel(&p->timer);
		return;
	}
	WRITE_ONCE(p->active, 0);
	if (!p->timers)
		return;
	cpuhp_state_remove_instance(rt_timer_hp_state, &p->hp_node);
	if (!--rt_timer_hp_users)
		cpuhp_remove_multi_state(rt_timer_hp_state);
	for_each_possible_cpu(cpu)
		hrtimer_cancel(&per_cpu_ptr(p->timers, cpu)->timer);
	free_percpu(p->timers);
	p->timers = NULL;
}
