// SPDX-License-Identifier: GPL-2.0
/*
 * transport.c - the session: files in debugfs, handshake, start, exit, loss report.
 *
 *   staprun                         module
 *   open .cmd               ->      HELLO, TRANSPORT_INFO queued
 *   HELLO                   ->      version checked (mismatch: TEXT error, -EPROTO)
 *   START                   ->      begin probes, probes registered, STARTED
 *                           <-      EXIT_REQUEST (exit() or an error)
 *   EXIT                    ->      (a work item) probes unregistered, the reader
 *                                   given time to drain, end probes, flush,
 *                           <-      CPU_STATS per CPU, EXIT_DONE
 *
 * While a controller is attached the buffers run in no-overwrite mode and every CPU
 * writes a heartbeat and seals its sub-buffer every RT_BEAT_MS, so a merging reader never
 * waits on an idle CPU.  Detached (START with RT_START_DETACHED, DETACH, or .cmd closed,
 * e.g. staprun killed) they run in overwrite mode, a flight recorder; ATTACH (staprun -A)
 * switches back and reports where each CPU's oldest data is (SUBBUF_STATUS).
 */

enum rt_state {
	RT_STATE_LOADED,	/* waiting for START */
	RT_STATE_RUNNING,	/* probes active */
	RT_STATE_STOPPING,	/* exit requested, probes still registered */
	RT_STATE_STOPPED,	/* end probes ran, buffers flushed */
};

/**
 * struct rt_transport - the module's session, in one place (as redis gathers its loop
 * state in aeEventLoop), with what guards each field
 * @state:          RT_STATE_*: read lock-free by every probe hit; moved by xchg/cmpxchg
 * @chan:           the relay channel: set at module init, freed at exit (its lifetime)
 * @dir:            the module's directory, a debugfs dentry or proc entry: init and exit
 * @in_procfs:      @dir is in procfs: set at init
 * @mutex:          serialises control messages, attach and detach, and the exit work
 * @hello_ok:       the current controller's HELLO was accepted: written under @mutex,
 *                  read lock-free by CONSUMED acknowledgements
 * @exit_requested: exit was asked for: set once by xchg, from any context
 * @attached:       a reader is attached (no-overwrite mode, heartbeats): under @mutex
 * @exit_work:      runs EXIT outside staprun's write()
 * @beat_timers:    one pinned heartbeat hrtimer per CPU: allocated at init, started under
 *                  @mutex or by the CPU's hotplug callback, cancelled at stop or teardown
 * @beating:        heartbeats are wanted: written under @mutex, read by timers and hotplug
 */
struct rt_transport {
	atomic_t state;
	struct rt_relay_chan *chan;
	void *dir;
	bool in_procfs;
	struct mutex mutex;
	int hello_ok;
	int exit_requested;
	bool attached;
	struct work_struct exit_work;
	struct hrtimer __percpu *beat_timers;
	int beating;
};

static struct rt_transport rt_tp = {
	.state = ATOMIC_INIT(RT_STATE_LOADED),
	.mutex = __MUTEX_INITIALIZER(rt_tp.mutex),
};

#define RT_BEAT_MS	200

static void rt_hp_mark_offline(void);
static int rt_hp_init(void);
static void rt_hp_exit(void);

/* the names come from the uapi header (RT_PARAM_*), which staprun uses to pass them */
#define RT_MODULE_PARM_DESC(p, d)	MODULE_PARM_DESC(p, d)	/* expands p first */

static unsigned int RT_PARAM_BUFSIZE;	/* _rt_bufsize: MiB per CPU; 0: default */
module_param(RT_PARAM_BUFSIZE, uint, 0400);
RT_MODULE_PARM_DESC(RT_PARAM_BUFSIZE, "per-CPU buffer size in MiB");

static bool RT_PARAM_PROCFS;	/* _rt_procfs: the files in procfs even when debugfs works */
module_param(RT_PARAM_PROCFS, bool, 0400);
RT_MODULE_PARM_DESC(RT_PARAM_PROCFS, "use /proc/relaytap_<module> instead of debugfs");

static const struct rt_relay_callbacks rt_procfs_callbacks = {
	.create_buf_file = rt_relay_procfs_create_buf_file,
	.remove_buf_file = rt_relay_procfs_remove_buf_file,
};

#ifndef RT_BULK_MODE
#define RT_BULK_MODE		0	/* stap -b defines it 1: per-CPU output files */
#endif

#define RT_DEFAULT_SUBBUF_SIZE	(256 * 1024)
#define RT_DEFAULT_N_SUBBUFS	8

/**
 * rt_request_exit - ask staprun to end the session (once); any context
 */
static void rt_request_exit(void)
{
	if (xchg(&rt_tp.exit_requested, 1))
		return;
	atomic_cmpxchg(&rt_tp.state, RT_STATE_RUNNING, RT_STATE_STOPPING);
	rt_ctl_send(RT_MSG_EXIT_REQUEST, NULL, 0);
}

/**
 * rt_beat - per-CPU hrtimer: heartbeat and seal, while a reader is attached
 * @t: this CPU's timer
 */
static enum hrtimer_restart rt_beat(struct hrtimer *t)
{
	if (!READ_ONCE(rt_tp.beating))
		return HRTIMER_NORESTART;
	rt_relay_mark(rt_tp.chan->buf[smp_processor_id()], RT_REC_BEAT);
	hrtimer_forward_now(t, ms_to_ktime(RT_BEAT_MS));
	return HRTIMER_RESTART;
}

/** rt_beat_start_local - IPI: start this CPU's heartbeat timer, pinned here */
static void rt_beat_start_local(void *unused)
{
	hrtimer_start(this_cpu_ptr(rt_tp.beat_timers), ms_to_ktime(RT_BEAT_MS),
		      HRTIMER_MODE_REL_PINNED_HARD);
}

/** rt_beats_start - heartbeats on every online CPU */
static void rt_beats_start(void)
{
	WRITE_ONCE(rt_tp.beating, 1);
	on_each_cpu(rt_beat_start_local, NULL, 1);
}

/** rt_beats_stop - no more heartbeats; waits for running handlers */
static void rt_beats_stop(void)
{
	unsigned int cpu;

	WRITE_ONCE(rt_tp.beating, 0);
	for_each_possible_cpu(cpu)
		hrtimer_cancel(per_cpu_ptr(rt_tp.beat_timers, cpu));
}

/**
 * rt_attach - a reader takes the buffers: no-overwrite mode, heartbeats
 * @status: also send each CPU's buffer position (a reader joining a running module)
 */
static void rt_attach(bool status)
{
	struct rt_msg_subbuf_status st;
	unsigned int cpu;

	rt_relay_set_overwrite(rt_tp.chan, false);
	if (status) {
		/* writers run with preemption disabled: after this none uses the old mode */
		synchronize_rcu();
		for (cpu = 0; cpu < rt_tp.chan->nr_bufs; cpu++) {
			if (!rt_tp.chan->buf[cpu])
				continue;
			st = (struct rt_msg_subbuf_status){
				.cpu = cpu,
				.produced = local_read(&rt_tp.chan->buf[cpu]->offset),
				.consumed = READ_ONCE(rt_tp.chan->buf[cpu]->consumed),
			};
			rt_ctl_send(RT_MSG_SUBBUF_STATUS, &st, sizeof(st));
		}
	}
	rt_tp.attached = true;
	if (atomic_read(&rt_tp.state) != RT_STATE_STOPPED) {	/* a stopped one only drains */
		rt_hp_mark_offline();
		rt_beats_start();
	}
}

/** rt_detach - flight-recorder mode: overwrite the oldest, no heartbeats */
static void rt_detach(void)
{
	rt_tp.attached = false;
	rt_beats_stop();
	rt_relay_set_overwrite(rt_tp.chan, true);
}

/** rt_transport_opened - a controller opened .cmd: greet it */
static void rt_transport_opened(void)
{
	struct rt_msg_hello hello = { .magic = RT_HELLO_MAGIC, .version = RT_PROTO_VERSION };
	struct rt_msg_transport_info info = {
		.nr_cpus = rt_tp.chan->nr_bufs,
		.mode = (rt_tp.chan->flags & RT_RELAY_OVERWRITE) ? RT_MODE_OVERWRITE : 0,
		.subbuf_size = rt_tp.chan->subbuf_size,
		.n_subbufs = rt_tp.chan->n_subbufs,
		.procfs = rt_tp.in_procfs,
		.bulk = RT_BULK_MODE,
	};

	rt_tp.hello_ok = 0;
	rt_ctl_send(RT_MSG_HELLO, &hello, sizeof(hello));
	rt_ctl_send(RT_MSG_TRANSPORT_INFO, &info, sizeof(info));
	if (READ_ONCE(rt_tp.exit_requested))
		rt_ctl_send(RT_MSG_EXIT_REQUEST, NULL, 0);
}

/** rt_transport_closed - the controller closed .cmd (or died): detach if running */
static void rt_transport_closed(void)
{
	mutex_lock(&rt_tp.mutex);
	rt_tp.hello_ok = 0;
	if (rt_tp.attached && atomic_read(&rt_tp.state) != RT_STATE_STOPPED)
		rt_detach();
	mutex_unlock(&rt_tp.mutex);
}

/**
 * rt_handle_hello - check staprun's protocol version
 * @p:   payload
 * @len: payload length
 */
static int rt_handle_hello(const void *p, u32 len)
{
	const struct rt_msg_hello *h = p;
	char msg[128];

	if (len != sizeof(*h) || h->magic != RT_HELLO_MAGIC)
		return -EINVAL;
	if (h->version != RT_PROTO_VERSION) {
		snprintf(msg, sizeof(msg),
			 "protocol version mismatch: module speaks %u, staprun speaks %u",
			 RT_PROTO_VERSION, h->version);
		rt_ctl_text(RT_TEXT_ERROR, msg);
		return -EPROTO;
	}
	rt_tp.hello_ok = 1;
	return 0;
}

/**
 * rt_handle_start - run the begin probes and register the script's probes
 * @p:   payload (struct rt_msg_start)
 * @len: payload length
 */
static int rt_handle_start(const void *p, u32 len)
{
	const struct rt_msg_start *m = p;
	struct rt_msg_status st = { 0 };

	if (len != sizeof(*m) || (m->flags & ~RT_START_DETACHED) || m->target_pid < 0)
		return -EINVAL;
	if (atomic_read(&rt_tp.state) != RT_STATE_LOADED)
		return -EINVAL;
	rt_target_pid = m->target_pid;
	if (m->flags & RT_START_DETACHED)
		rt_relay_set_overwrite(rt_tp.chan, true);
	else
		rt_attach(false);
	atomic_set(&rt_tp.state, RT_STATE_RUNNING);
	atomic_set(&rt_session, RT_SESS_STARTING);
	rt_gen_begin();
	atomic_cmpxchg(&rt_session, RT_SESS_STARTING, RT_SESS_RUNNING);
	st.status = rt_gen_register();
	if (st.status) {
		rt_ctl_text(RT_TEXT_ERROR, "cannot register the script's probes");
		rt_request_exit();
	}
	rt_ctl_send(RT_MSG_STARTED, &st, sizeof(st));
	return 0;
}

/** rt_send_stats - one RT_MSG_CPU_STATS per CPU, then RT_MSG_EXIT_DONE */
static void rt_send_stats(void)
{
	struct rt_msg_exit_done done = { .nr_cpus = 0 };
	struct rt_msg_cpu_stats cs;
	struct rt_relay_buf *buf;
	unsigned int cpu;
	int i;

	for (cpu = 0; cpu < rt_tp.chan->nr_bufs; cpu++) {
		buf = rt_tp.chan->buf[cpu];
		if (!buf)
			continue;
		memset(&cs, 0, sizeof(cs));
		cs.cpu = cpu;
		cs.loss.written = local_read(&buf->written);
		for (i = 0; i < RT_LOSS_NR; i++)
			cs.loss.count[i] = local_read(&buf->lost[i]);
		rt_ctl_send(RT_MSG_CPU_STATS, &cs, sizeof(cs));
		done.nr_cpus++;
	}
	done.skipped = rt_skipped_total();
	rt_ctl_send(RT_MSG_EXIT_DONE, &done, sizeof(done));
}

/**
 * rt_wait_drained - give an attached reader up to RT_DRAIN_MS to take every sealed
 * sub-buffer, so that the end probes' output finds room
 */
#define RT_DRAIN_MS	2000
static void rt_wait_drained(void)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(RT_DRAIN_MS);
	unsigned int cpu;

	for (cpu = 0; cpu < rt_tp.chan->nr_bufs; cpu++) {
		struct rt_relay_buf *buf = rt_tp.chan->buf[cpu];

		while (rt_tp.attached && buf && rt_relay_ready_count(buf) &&
		       time_before(jiffies, deadline))
			msleep(10);
	}
}

/**
 * rt_session_stop - unregister probes, run end probes, flush; idempotent
 * @drain: wait for an attached reader to make room before the end probes
 */
static void rt_session_stop(bool drain)
{
	int old = atomic_xchg(&rt_tp.state, RT_STATE_STOPPED);

	if (old == RT_STATE_STOPPED)
		return;
	if (old != RT_STATE_LOADED)
		rt_gen_unregister();
	if (drain && old != RT_STATE_LOADED)
		rt_wait_drained();
	rt_beats_stop();
	rt_relay_set_overwrite(rt_tp.chan, false);
	if (old != RT_STATE_LOADED) {	/* each runs only in its state (context.c) */
		atomic_cmpxchg(&rt_session, RT_SESS_RUNNING, RT_SESS_STOPPING);
		rt_gen_end();
		rt_gen_error();
	}
	rt_relay_flush(rt_tp.chan);
}

/**
 * rt_exit_worker - EXIT, outside staprun's write(): staprun keeps draining while the
 * probes stop and the end probes run; then CPU_STATS and EXIT_DONE
 * @work: rt_tp.exit_work
 */
static void rt_exit_worker(struct work_struct *work)
{
	mutex_lock(&rt_tp.mutex);
	rt_session_stop(true);
	rt_relay_finalize(rt_tp.chan);
	rt_send_stats();
	mutex_unlock(&rt_tp.mutex);
}

/**
 * rt_handle_consumed - a mmap reader consumed sub-buffers
 * @p:   payload (struct rt_msg_consumed); cpu and n are checked
 * @len: payload length
 */
static int rt_handle_consumed(const void *p, u32 len)
{
	const struct rt_msg_consumed *m = p;

	if (len != sizeof(*m))
		return -EINVAL;
	return rt_relay_subbufs_consumed(rt_tp.chan, m->cpu, m->n);
}

/**
 * rt_transport_handle - dispatch one validated frame from staprun
 * @type:    RT_MSG_*
 * @payload: payload bytes (kernel copy)
 * @len:     payload length
 *
 * Return: 0 or a negative errno (-EINVAL for anything malformed or out of order).
 */
static int rt_transport_handle(u32 type, const void *payload, u32 len)
{
	struct rt_msg_status st;
	int ret = -EINVAL;

	/*
	 * Acknowledgements take only the buffer's own lock: staprun must keep consuming
	 * while the exit work holds the session (it waits for the reader to drain).
	 */
	if (type == RT_MSG_CONSUMED) {
		if (!READ_ONCE(rt_tp.hello_ok))
			return -EINVAL;
		return rt_handle_consumed(payload, len);
	}
	mutex_lock(&rt_tp.mutex);
	if (type == RT_MSG_HELLO) {
		ret = rt_handle_hello(payload, len);
		goto unlock;
	}
	if (!rt_tp.hello_ok)
		goto unlock;
	switch (type) {
	case RT_MSG_START:
		ret = rt_handle_start(payload, len);
		break;
	case RT_MSG_EXIT:
		if (len)
			break;
		schedule_work(&rt_tp.exit_work);
		ret = 0;
		break;
	case RT_MSG_ATTACH:
		/* a stopped session (its staprun died at the end) can still be drained */
		if (len || rt_tp.attached || atomic_read(&rt_tp.state) == RT_STATE_LOADED)
			break;
		rt_attach(true);
		st.status = 0;
		rt_ctl_send(RT_MSG_STARTED, &st, sizeof(st));
		ret = 0;
		break;
	case RT_MSG_DETACH:
		if (len || !rt_tp.attached)
			break;
		rt_detach();
		ret = 0;
		break;
	}
unlock:
	mutex_unlock(&rt_tp.mutex);
	return ret;
}

/**
 * rt_debugfs_root - find or create debugfs "relaytap/", shared by all relaytap modules
 *
 * It is never removed: an empty directory holds no code of ours.
 */
static struct dentry *rt_debugfs_root(void)
{
	struct dentry *d = debugfs_lookup(RT_DIR_NAME, NULL);

	if (d) {
		dput(d);	/* debugfs keeps the directory; drop the lookup reference */
		return d;
	}
	d = debugfs_create_dir(RT_DIR_NAME, NULL);
	if (IS_ERR(d) && PTR_ERR(d) == -EEXIST)
		d = debugfs_lookup(RT_DIR_NAME, NULL), dput(d);
	return d;
}

/**
 * rt_transport_dir - the module's directory: debugfs relaytap/<module>, else (debugfs
 * missing or locked down, or _rt_procfs=1) /proc/relaytap_<module>
 *
 * Return: the directory, or NULL.
 */
static void *rt_transport_dir(void)
{
	struct dentry *root, *d;
	char name[MODULE_NAME_LEN + 16];

	if (!_rt_procfs) {
		root = rt_debugfs_root();
		if (!IS_ERR_OR_NULL(root)) {
			d = debugfs_create_dir(THIS_MODULE->name, root);
			if (!IS_ERR_OR_NULL(d))
				return d;
		}
	}
	rt_tp.in_procfs = true;
	snprintf(name, sizeof(name), RT_PROC_DIR_FMT, THIS_MODULE->name);
	return proc_mkdir(name + strlen("/proc/"), NULL);
}

/** rt_transport_remove_dir - remove the module's directory and what is left in it */
static void rt_transport_remove_dir(void)
{
	if (rt_tp.in_procfs)
		proc_remove(rt_tp.dir);
	else
		debugfs_remove(rt_tp.dir);
}

/**
 * rt_transport_init - create the module's directory with .cmd and the per-CPU files
 *
 * Return: 0 or a negative errno.
 */
static int rt_transport_init(void)
{
	unsigned long subbuf = RT_DEFAULT_SUBBUF_SIZE, n = RT_DEFAULT_N_SUBBUFS;
	unsigned int cpu;
	int ret;

	if (RT_PARAM_BUFSIZE) {
		if (RT_PARAM_BUFSIZE > RT_MAX_BUFSIZE_MB)
			return -EINVAL;
		subbuf = ((unsigned long)RT_PARAM_BUFSIZE << 20) / n;
	}
	INIT_WORK(&rt_tp.exit_work, rt_exit_worker);
	rt_tp.beat_timers = alloc_percpu(struct hrtimer);
	if (!rt_tp.beat_timers)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		rt_hrtimer_setup(per_cpu_ptr(rt_tp.beat_timers, cpu), rt_beat, CLOCK_MONOTONIC,
				 HRTIMER_MODE_REL_PINNED_HARD);
	}
	rt_tp.dir = rt_transport_dir();
	if (!rt_tp.dir) {
		ret = -ENOENT;
		goto free_timers;
	}
	rt_tp.chan = rt_relay_open(RT_TRACE_BASE, rt_tp.dir, subbuf, n, 0,
				rt_tp.in_procfs ? &rt_procfs_callbacks : NULL, NULL);
	if (IS_ERR(rt_tp.chan)) {
		ret = PTR_ERR(rt_tp.chan);
		rt_tp.chan = NULL;
		goto remove_dir;
	}
	ret = rt_ctl_init(rt_tp.dir, rt_tp.in_procfs);
	if (ret)
		goto close_chan;
	ret = rt_hp_init();
	if (ret)
		goto ctl_exit;
	return 0;

ctl_exit:
	rt_ctl_exit();
close_chan:
	rt_relay_close(rt_tp.chan);
remove_dir:
	rt_transport_remove_dir();
free_timers:
	free_percpu(rt_tp.beat_timers);
	return ret;
}

/** rt_transport_exit - stop the session if still running, remove everything */
static void rt_transport_exit(void)
{
	rt_hp_exit();
	cancel_work_sync(&rt_tp.exit_work);
	mutex_lock(&rt_tp.mutex);
	rt_session_stop(false);
	mutex_unlock(&rt_tp.mutex);
	rt_ctl_exit();
	rt_relay_close(rt_tp.chan);
	rt_transport_remove_dir();
	free_percpu(rt_tp.beat_timers);
}
