// SPDX-License-Identifier: GPL-2.0
/*
 * uproc.c - process lifetime probes: process("PATH").begin, .end, .thread.begin,
 * .thread.end, the same of process(PID), and process.begin ... (every process); with
 * staprun -c / -x each sees the target and its descendants only (as 4.8's task finder,
 * which attaches to those alone), through the kernel's exported
 * tracepoints sched_process_fork, sched_process_exec, sched_process_exit and
 * sched_process_free (the same on 6.1 and 6.12).
 *
 * SystemTap 4.8 (runtime/linux/task_finder2.c) runs these in the task's own context, so
 * pid(), execname() and the user_* functions see the process:
 * - .begin: a process forks (the child runs it before it first reaches user space), execs
 *   PATH, or already runs when the session starts (it runs it at its next return to user
 *   space: a sleeping process is woken and its system call restarted, as 4.8's utrace
 *   interrupt does).  An exec ends the old program (.end of PATH probes) and begins the new
 *   one; a process(PID) or process probe sees one process, begun once.
 * - .thread.begin: a thread is created (clone with CLONE_THREAD), or already runs.
 * - .end: the last thread of the process exits; .thread.end: a thread that is not the
 *   group leader exits.  Both run in the exiting task, after its memory is released.
 * A process is matched when it begins and remembered by its tgid until the kernel frees
 * its leader (up to RT_UPROC_MAX at once; more are counted as skipped).  PATH is matched
 * by the program's inode (device and number: 9p without a cache makes a new inode per
 * lookup).
 */
#include <linux/binfmts.h>
#include <linux/hash.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/task_work.h>
#include <linux/tracepoint.h>

#ifndef RT_UPROC_MAX
#define RT_UPROC_MAX	4096	/* stap -D UPROC_MAX=N: processes tracked, calls pending at once */
#endif
#define RT_UPROC_BITS	8

enum { RT_UPROC_BEGIN, RT_UPROC_END, RT_UPROC_THREAD_BEGIN, RT_UPROC_THREAD_END };

/**
 * struct rt_uproc - one process lifetime probe of the script
 * @pi:     the probe
 * @fn:     the generated handler
 * @file:   the program (absolute path), or NULL
 * @pid:    the process (tgid), or 0
 * @what:   RT_UPROC_*
 * @sb:     @file's file system, while held
 * @ino:    @file's inode number
 * @path:   @file, held while registered
 */
struct rt_uproc {
	const struct rt_pinfo *pi;
	void (*fn)(const struct rt_pinfo *pi, struct pt_regs *regs);
	const char *file;
	pid_t pid;
	int what;
	struct super_block *sb;
	unsigned long ino;
	struct path path;
};

/** struct rt_uproc_proc - a tracked process: @mask has bit i when probe i matches it */
struct rt_uproc_proc {
	struct hlist_node node;
	pid_t tgid;
	u64 mask;
	bool tree;
	bool ended;
	int next_free;
};

/** struct rt_uproc_work - a handler call queued to run in a task (task_work_add) */
struct rt_uproc_work {
	struct callback_head cb;
	u64 mask;
	int what;
	int next_free;
};

static struct rt_uproc *rt_uprocs;
static int rt_nuprocs;
static struct rt_uproc_proc *rt_uproc_procs;
static struct rt_uproc_work *rt_uproc_works;
static int rt_uproc_free_proc, rt_uproc_free_work;
static struct hlist_head rt_uproc_hash[1 << RT_UPROC_BITS];
static DEFINE_RAW_SPINLOCK(rt_uproc_lock);
static atomic_t rt_uproc_pending = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(rt_uproc_wq);
static bool rt_target_exec;	/* the target is -c's command, not exec'd yet (one writer) */

/** rt_uproc_find - the tracked process @tgid, or NULL; rt_uproc_lock held */
static struct rt_uproc_proc *rt_uproc_find(pid_t tgid)
{
	struct rt_uproc_proc *e;

	hlist_for_each_entry(e, &rt_uproc_hash[hash_32(tgid, RT_UPROC_BITS)], node)
		if (e->tgid == tgid)
			return e;
	return NULL;
}

/**
 * rt_uproc_match - the probes that match a process
 * @tgid: the process
 * @exe:  its program, or NULL
 * @tree: it is the target or a descendant
 */
static u64 rt_uproc_match(pid_t tgid, struct file *exe, bool tree)
{
	struct inode *ino = exe ? d_real_inode(exe->f_path.dentry) : NULL;
	u64 mask = 0;
	int i;

	for (i = 0; i < rt_nuprocs; i++) {
		const struct rt_uproc *u = &rt_uprocs[i];

		if (u->file && (!ino || ino->i_sb != u->sb || ino->i_ino != u->ino))
			continue;
		if ((u->pid && u->pid != tgid) || (rt_target_pid && !tree))
			continue;
		mask |= 1ULL << i;
	}
	return mask;
}

/** rt_uproc_paths - the bits of @mask that are process("PATH") probes */
static u64 rt_uproc_paths(u64 mask)
{
	int i;

	for (i = 0; i < rt_nuprocs; i++)
		if (!rt_uprocs[i].file)
			mask &= ~(1ULL << i);
	return mask;
}

/**
 * rt_uproc_fire - run the probes of @mask that are of kind @what, in this context
 * Context: any in which a probe handler may run; current is the task in question.
 */
static void rt_uproc_fire(u64 mask, int what)
{
	int i;

	for (i = 0; i < rt_nuprocs; i++)
		if ((mask & (1ULL << i)) && rt_uprocs[i].what == what)
			rt_uprocs[i].fn(rt_uprocs[i].pi, NULL);
}

/** rt_uproc_has - @mask has a probe of kind @what */
static bool rt_uproc_has(u64 mask, int what)
{
	int i;

	for (i = 0; i < rt_nuprocs; i++)
		if ((mask & (1ULL << i)) && rt_uprocs[i].what == what)
			return true;
	return false;
}

/** rt_uproc_skip - count a process or call that did not fit (RT_UPROC_MAX) as skipped */
static void rt_uproc_skip(void)
{
	unsigned long flags;

	local_irq_save(flags);
	rt_skip(&rt_contexts[smp_processor_id()]);
	local_irq_restore(flags);
}

/**
 * rt_uproc_track - remember process @tgid with @mask, unless it is known already
 * Return: true when it is new.  Context: any; takes rt_uproc_lock.
 */
static bool rt_uproc_track(pid_t tgid, u64 mask, bool tree)
{
	struct rt_uproc_proc *e = NULL;
	unsigned long flags;

	raw_spin_lock_irqsave(&rt_uproc_lock, flags);
	if (rt_uproc_find(tgid))
		goto unlock;
	if (rt_uproc_free_proc < 0) {
		raw_spin_unlock_irqrestore(&rt_uproc_lock, flags);
		rt_uproc_skip();
		return false;
	}
	e = &rt_uproc_procs[rt_uproc_free_proc];
	rt_uproc_free_proc = e->next_free;
	e->tgid = tgid;
	e->mask = mask;
	e->tree = tree;
	e->ended = false;
	hlist_add_head(&e->node, &rt_uproc_hash[hash_32(tgid, RT_UPROC_BITS)]);
unlock:
	raw_spin_unlock_irqrestore(&rt_uproc_lock, flags);
	return e != NULL;
}

/** rt_uproc_forget - stop tracking @tgid.  Context: any; takes rt_uproc_lock. */
static void rt_uproc_forget(pid_t tgid)
{
	struct rt_uproc_proc *e;
	unsigned long flags;

	raw_spin_lock_irqsave(&rt_uproc_lock, flags);
	e = rt_uproc_find(tgid);
	if (e) {
		hlist_del(&e->node);
		e->next_free = rt_uproc_free_proc;
		rt_uproc_free_proc = e - rt_uproc_procs;
	}
	raw_spin_unlock_irqrestore(&rt_uproc_lock, flags);
}

/** rt_uproc_work_run - a queued call, now in its task: run it, then release the module */
static void rt_uproc_work_run(struct callback_head *cb)
{
	struct rt_uproc_work *w = container_of(cb, struct rt_uproc_work, cb);
	u64 mask = w->mask;
	int what = w->what;
	unsigned long flags;

	raw_spin_lock_irqsave(&rt_uproc_lock, flags);
	w->next_free = rt_uproc_free_work;
	rt_uproc_free_work = w - rt_uproc_works;
	raw_spin_unlock_irqrestore(&rt_uproc_lock, flags);
	rt_uproc_fire(mask, what);
	if (atomic_dec_and_test(&rt_uproc_pending))
		wake_up(&rt_uproc_wq);
}

/**
 * rt_uproc_queue - run the @what probes of @mask in @t when it next returns to user space
 * @t:      the task
 * @mask:   the process's probes
 * @what:   RT_UPROC_*
 * @notify: TWA_RESUME (a new task, not yet run) or TWA_SIGNAL (wake a sleeping one)
 *
 * Context: any; takes rt_uproc_lock.  A call that cannot be queued counts as skipped.
 */
static void rt_uproc_queue(struct task_struct *t, u64 mask, int what, int notify)
{
	struct rt_uproc_work *w = NULL;
	unsigned long flags;

	if (!rt_uproc_has(mask, what))
		return;
	raw_spin_lock_irqsave(&rt_uproc_lock, flags);
	if (rt_uproc_free_work >= 0) {
		w = &rt_uproc_works[rt_uproc_free_work];
		rt_uproc_free_work = w->next_free;
	}
	raw_spin_unlock_irqrestore(&rt_uproc_lock, flags);
	if (!w) {
		rt_uproc_skip();
		return;
	}
	w->mask = mask;
	w->what = what;
	init_task_work(&w->cb, rt_uproc_work_run);
	atomic_inc(&rt_uproc_pending);
	if (!task_work_add(t, &w->cb, notify))
		return;
	atomic_dec(&rt_uproc_pending);	/* the task is exiting: no call */
	raw_spin_lock_irqsave(&rt_uproc_lock, flags);
	w->next_free = rt_uproc_free_work;
	rt_uproc_free_work = w - rt_uproc_works;
	raw_spin_unlock_irqrestore(&rt_uproc_lock, flags);
}

/** rt_uproc_lookup - the mask and tree flag of tracked process @tgid (0 when none) */
static u64 rt_uproc_lookup(pid_t tgid, bool *tree, bool end)
{
	struct rt_uproc_proc *e;
	unsigned long flags;
	u64 mask = 0;

	raw_spin_lock_irqsave(&rt_uproc_lock, flags);
	e = rt_uproc_find(tgid);
	if (e && (!end || !e->ended)) {
		mask = e->mask;
		*tree = e->tree;
		e->ended |= end;
	}
	raw_spin_unlock_irqrestore(&rt_uproc_lock, flags);
	return mask;
}

/** rt_uproc_user - @t is a user task that the probes may see (no kernel or io_uring worker) */
static bool rt_uproc_user(struct task_struct *t)
{
	return !(t->flags & (PF_KTHREAD | PF_IO_WORKER));
}

/** rt_uproc_exe - @mm's program; rcu_read_lock held, the mm pinned by its task */
static struct file *rt_uproc_exe(struct mm_struct *mm)
{
	return mm ? rcu_dereference(mm->exe_file) : NULL;
}

/**
 * rt_uproc_fork - sched_process_fork: a new process begins (in the child, before it first
 * returns to user space), or a new thread of a tracked process
 * Context: the parent, preemption disabled (tracepoint); the child has not run yet.
 */
static void rt_uproc_fork(void *data, struct task_struct *parent, struct task_struct *child)
{
	bool tree = false;
	u64 mask;

	if (!rt_uproc_user(child))
		return;
	if (!thread_group_leader(child)) {
		mask = rt_uproc_lookup(child->tgid, &tree, false);
		rt_uproc_queue(child, mask, RT_UPROC_THREAD_BEGIN, TWA_RESUME);
		return;
	}
	rt_uproc_lookup(parent->tgid, &tree, false);
	tree = tree || (rt_target_pid && child->tgid == rt_target_pid) ||
	       (rt_target_pid && rt_in_target_tree(parent));
	rcu_read_lock();
	mask = rt_uproc_match(child->tgid, rt_uproc_exe(child->mm), tree);
	rcu_read_unlock();
	if (mask && rt_uproc_track(child->tgid, mask, tree))
		rt_uproc_queue(child, mask, RT_UPROC_BEGIN, TWA_RESUME);
}

/**
 * rt_uproc_exec - sched_process_exec: the old program's PATH probes end, the new one's
 * begin; a process not tracked yet (or -c's command, held before its exec) begins
 * Context: the exec'ing task, preemption disabled (tracepoint); its new mm is in place.
 */
static void rt_uproc_exec(void *data, struct task_struct *p, pid_t old_pid,
			  struct linux_binprm *bprm)
{
	pid_t tgid = current->tgid;
	bool tree = rt_target_pid && tgid == rt_target_pid;
	u64 old, mask;

	if (!rt_uproc_user(current))
		return;
	old = rt_uproc_lookup(tgid, &tree, false);
	tree = tree || (rt_target_pid && rt_in_target_tree(current));
	rcu_read_lock();
	mask = rt_uproc_match(tgid, rt_uproc_exe(current->mm), tree);
	rcu_read_unlock();
	if (!old || (READ_ONCE(rt_target_exec) && tgid == rt_target_pid)) {
		if (tgid == rt_target_pid)
			WRITE_ONCE(rt_target_exec, false);
		rt_uproc_forget(tgid);
		if (mask && rt_uproc_track(tgid, mask, tree))
			rt_uproc_fire(mask, RT_UPROC_BEGIN);
		return;
	}
	rt_uproc_fire(rt_uproc_paths(old), RT_UPROC_END);
	rt_uproc_forget(tgid);
	if (mask && rt_uproc_track(tgid, mask, tree))
		rt_uproc_fire(rt_uproc_paths(mask) | (mask & ~old), RT_UPROC_BEGIN);
}

/**
 * rt_uproc_exit - sched_process_exit: a thread that is not the leader ends; the process
 * ends with its last thread (signal->live reached 0; the first to see it runs .end)
 * Context: the exiting task, its mm released, preemption disabled (tracepoint).
 */
static void rt_uproc_exit(void *data, struct task_struct *p)
{
	bool tree = false, dead = !atomic_read(&p->signal->live);
	u64 mask;

	if (!rt_uproc_user(p))
		return;
	mask = rt_uproc_lookup(p->tgid, &tree, false);
	if (!mask)
		return;
	if (!thread_group_leader(p))
		rt_uproc_fire(mask, RT_UPROC_THREAD_END);
	if (dead && rt_uproc_lookup(p->tgid, &tree, true))
		rt_uproc_fire(mask, RT_UPROC_END);
}

/** rt_uproc_free - sched_process_free: a freed leader's tgid may be reused; forget it */
static void rt_uproc_free(void *data, struct task_struct *p)
{
	if (p->pid == p->tgid)
		rt_uproc_forget(p->tgid);
}

/**
 * rt_uproc_scan_one - a process that runs at the start: track it and queue its .begin and
 * its threads' .thread.begin (TWA_SIGNAL: a sleeping task runs them, then restarts)
 * Context: rcu_read_lock held.
 */
static void rt_uproc_scan_one(struct task_struct *g)
{
	struct task_struct *t;
	bool tree = false;
	u64 mask;

	if (!rt_uproc_user(g) || (g->flags & PF_EXITING))
		return;
	if (READ_ONCE(rt_target_exec) && g->tgid == rt_target_pid)
		return;		/* -c's command begins at its exec */
	tree = rt_target_pid && rt_in_target_tree(g);
	task_lock(g);
	mask = rt_uproc_match(g->tgid, rt_uproc_exe(g->mm), tree);
	task_unlock(g);
	if (!mask || !rt_uproc_track(g->tgid, mask, tree))
		return;
	rt_uproc_queue(g, mask, RT_UPROC_BEGIN, TWA_SIGNAL);
	for_each_thread(g, t)
		if (t != g && rt_uproc_user(t))
			rt_uproc_queue(t, mask, RT_UPROC_THREAD_BEGIN, TWA_SIGNAL);
}

static const struct {
	const char *name;
	void *fn;
} rt_uproc_tps[] = {
	{ "sched_process_fork", rt_uproc_fork }, { "sched_process_exec", rt_uproc_exec },
	{ "sched_process_exit", rt_uproc_exit }, { "sched_process_free", rt_uproc_free },
};
static struct tracepoint *rt_uproc_tp[ARRAY_SIZE(rt_uproc_tps)];

static void rt_uproc_tp_lookup(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(rt_uproc_tps); i++)
		if (!strcmp(tp->name, rt_uproc_tps[i].name))
			rt_uproc_tp[i] = tp;
}

/**
 * rt_uprocs_unregister - detach the process lifetime probes, wait for the calls queued in
 * tasks (a stopped process delays this until it is continued or killed), release all
 * Context: process.
 */
static void rt_uprocs_unregister(struct rt_uproc *ps, int n)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(rt_uproc_tps); i++)
		if (rt_uproc_tp[i])
			tracepoint_probe_unregister(rt_uproc_tp[i], rt_uproc_tps[i].fn, NULL);
	tracepoint_synchronize_unregister();
	wait_event(rt_uproc_wq, !atomic_read(&rt_uproc_pending));
	/*
	 * The last call may still be returning from rt_uproc_work_run() after its wake_up():
	 * a grace period narrows that window, which no exported helper closes for task_work
	 * (SystemTap 4.8's stp_task_work waits the same way).
	 */
	synchronize_rcu();
	for (i = 0; i < n; i++) {
		if (ps[i].sb)
			path_put(&ps[i].path);
		ps[i].sb = NULL;
	}
	memset(rt_uproc_tp, 0, sizeof(rt_uproc_tp));
	kvfree(rt_uproc_procs);
	kvfree(rt_uproc_works);
	rt_uproc_procs = NULL;
	rt_uproc_works = NULL;
	rt_nuprocs = 0;
}

/** rt_uproc_pools - the free lists of tracked processes and queued calls.  Return: 0 or -ENOMEM */
static int rt_uproc_pools(void)
{
	int i;

	rt_uproc_procs = kvcalloc(RT_UPROC_MAX, sizeof(*rt_uproc_procs), GFP_KERNEL);
	rt_uproc_works = kvcalloc(RT_UPROC_MAX, sizeof(*rt_uproc_works), GFP_KERNEL);
	if (!rt_uproc_procs || !rt_uproc_works)
		return -ENOMEM;
	for (i = 0; i < RT_UPROC_MAX; i++) {
		rt_uproc_procs[i].next_free = i + 1 < RT_UPROC_MAX ? i + 1 : -1;
		rt_uproc_works[i].next_free = i + 1 < RT_UPROC_MAX ? i + 1 : -1;
	}
	rt_uproc_free_proc = 0;
	rt_uproc_free_work = 0;
	for (i = 0; i < ARRAY_SIZE(rt_uproc_hash); i++)
		INIT_HLIST_HEAD(&rt_uproc_hash[i]);
	return 0;
}

/**
 * rt_uproc_held_command - the target is staprun -c's command, forked and held before its
 * exec (staprun.c, spawn_child): staprun's child, still running staprun's program
 * Context: process, in staprun (its START message).
 */
static bool rt_uproc_held_command(void)
{
	struct task_struct *t;
	struct file *a, *b;
	bool held = false;

	if (!rt_target_pid || !current->mm)
		return false;
	rcu_read_lock();
	t = pid_task(find_vpid(rt_target_pid), PIDTYPE_PID);
	if (t && rcu_dereference(t->real_parent)->tgid == current->tgid) {
		task_lock(t);
		a = rt_uproc_exe(t->mm);
		b = rt_uproc_exe(current->mm);
		held = a && b && file_inode(a) == file_inode(b);
		task_unlock(t);
	}
	rcu_read_unlock();
	return held;
}

/**
 * rt_uprocs_register - hold the programs, attach to the scheduler's process tracepoints,
 * then begin the processes that already run
 * @ps:  the probes (at most 64: the translator checks)
 * @n:   how many
 *
 * Return: 0 or -errno, after a message naming the probe; nothing is left attached.
 * Context: process.
 */
static int rt_uprocs_register(struct rt_uproc *ps, int n)
{
	char msg[RT_MAXSTRINGLEN];
	struct task_struct *g;
	struct inode *ino;
	int i, ret;

	rt_uprocs = ps;
	rt_nuprocs = n;
	rt_target_exec = rt_uproc_held_command();
	ret = rt_uproc_pools();
	for (i = 0; i < n && !ret; i++) {
		if (!ps[i].file)
			continue;
		ret = kern_path(ps[i].file, LOOKUP_FOLLOW, &ps[i].path);
		if (ret)
			break;
		ino = d_real_inode(ps[i].path.dentry);
		ps[i].sb = ino->i_sb;
		ps[i].ino = ino->i_ino;
	}
	if (ret) {
		snprintf(msg, sizeof(msg), "%s: cannot probe '%s': %s (%d)", ps[i].pi->pp,
			 ps[i].file, ret == -ENOENT ? "no such file" : "lookup failed", ret);
		goto fail;
	}
	for_each_kernel_tracepoint(rt_uproc_tp_lookup, NULL);
	for (i = 0; i < ARRAY_SIZE(rt_uproc_tps) && !ret; i++) {
		ret = rt_uproc_tp[i] ? tracepoint_probe_register(rt_uproc_tp[i],
						rt_uproc_tps[i].fn, NULL) : -ENOENT;
		if (ret)
			rt_uproc_tp[i] = NULL;
	}
	if (ret) {
		snprintf(msg, sizeof(msg), "cannot attach to tracepoint '%s' for the process "
			 "probes (%d)", rt_uproc_tps[i - 1].name, ret);
		goto fail;
	}
	rcu_read_lock();
	for_each_process(g)
		rt_uproc_scan_one(g);
	rcu_read_unlock();
	return 0;

fail:
	rt_ctl_text(RT_TEXT_ERROR, msg);
	rt_uprocs_unregister(ps, n);
	return ret;
}
