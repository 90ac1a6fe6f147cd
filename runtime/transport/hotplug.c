// SPDX-License-Identifier: GPL-2.0
/*
 * hotplug.c - CPU hotplug during a session: an offline CPU never holds the merge back.
 *
 * staprun merges the per-CPU streams by timestamp and may emit a record only when every
 * other stream's time has passed it; heartbeats advance idle CPUs.  An offline CPU has no
 * heartbeat, so its stream gets an RT_REC_OFFLINE mark instead: when the session starts
 * (for CPUs already offline) and when a CPU dies.  The reader then stops waiting on that
 * stream until its next record.  A CPU coming back gets its heartbeat timer again, and a
 * heartbeat at once, so it rejoins the merge within one heartbeat.
 *
 * Two dynamic hotplug states (the kernel's cpuhp API): CPUHP_AP_ONLINE_DYN runs on the
 * CPU itself (start or cancel its pinned heartbeat timer, so that it is never migrated),
 * and CPUHP_BP_PREPARE_DYN's teardown runs on a control CPU after the CPU is dead, when no
 * writer can run in its buffer any more, so the mark is the stream's last word.
 */
#include <linux/cpuhotplug.h>

static int rt_hp_online_state;	/* dynamic CPUHP_AP_ONLINE_DYN state, or 0 */
static int rt_hp_dead_state;	/* dynamic CPUHP_BP_PREPARE_DYN state, or 0 */

/** rt_session_live - whether probes may write (RUNNING or STOPPING); any context */
static bool rt_session_live(void)
{
	int st = atomic_read(&rt_tp.state);

	return st == RT_STATE_RUNNING || st == RT_STATE_STOPPING;
}

/**
 * rt_hp_online - CPUHP_AP_ONLINE_DYN startup, on @cpu itself: heartbeats resume there
 * @cpu: the CPU coming online
 *
 * Context: @cpu's hotplug thread (process, bound).  Return: 0.
 */
static int rt_hp_online(unsigned int cpu)
{
	unsigned long flags;

	if (!READ_ONCE(rt_tp.beating))
		return 0;
	local_irq_save(flags);
	rt_relay_mark(rt_tp.chan->buf[cpu], RT_REC_BEAT);
	local_irq_restore(flags);
	hrtimer_start(this_cpu_ptr(rt_tp.beat_timers), ms_to_ktime(RT_BEAT_MS),
		      HRTIMER_MODE_REL_PINNED_HARD);
	return 0;
}

/**
 * rt_hp_down_prep - CPUHP_AP_ONLINE_DYN teardown, on @cpu itself: its heartbeat stops
 * @cpu: the CPU going offline
 *
 * A pinned hrtimer left queued would be migrated to another CPU when @cpu dies.
 * Context: @cpu's hotplug thread.  Return: 0.
 */
static int rt_hp_down_prep(unsigned int cpu)
{
	hrtimer_cancel(this_cpu_ptr(rt_tp.beat_timers));
	return 0;
}

/**
 * rt_hp_dead - CPUHP_BP_PREPARE_DYN teardown, after @cpu died: mark its stream offline
 * @cpu: the dead CPU (no writer can run in its buffer)
 *
 * Context: process, on a control CPU, CPU hotplug held.  Return: 0.
 */
static int rt_hp_dead(unsigned int cpu)
{
	if (rt_session_live() && rt_tp.chan->buf[cpu])
		rt_relay_mark(rt_tp.chan->buf[cpu], RT_REC_OFFLINE);
	return 0;
}

/**
 * rt_hp_mark_offline - give every offline CPU's stream an offline mark (session start)
 *
 * Context: process; takes the CPU hotplug lock, so no CPU comes up meanwhile.
 */
static void rt_hp_mark_offline(void)
{
	unsigned int cpu;

	cpus_read_lock();
	for_each_possible_cpu(cpu) {
		if (!cpu_online(cpu) && rt_tp.chan->buf[cpu])
			rt_relay_mark(rt_tp.chan->buf[cpu], RT_REC_OFFLINE);
	}
	cpus_read_unlock();
}

/**
 * rt_hp_init - register the two hotplug states (no callback runs for the present CPUs)
 *
 * Context: process (module init).  Return: 0 or the cpuhp error (-ENOSPC: no dynamic
 * state left).
 */
static int rt_hp_init(void)
{
	int ret;

	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "relaytap:online", rt_hp_online,
					rt_hp_down_prep);
	if (ret < 0)
		return ret;
	rt_hp_online_state = ret;
	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "relaytap:dead", NULL, rt_hp_dead);
	if (ret < 0) {
		cpuhp_remove_state_nocalls(rt_hp_online_state);
		rt_hp_online_state = 0;
		return ret;
	}
	rt_hp_dead_state = ret;
	return 0;
}

/** rt_hp_exit - remove the hotplug states; afterwards no callback runs.  Context: process */
static void rt_hp_exit(void)
{
	if (rt_hp_dead_state)
		cpuhp_remove_state_nocalls(rt_hp_dead_state);
	if (rt_hp_online_state)
		cpuhp_remove_state_nocalls(rt_hp_online_state);
	rt_hp_dead_state = 0;
	rt_hp_online_state = 0;
}
