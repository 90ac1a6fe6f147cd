// SPDX-License-Identifier: GPL-2.0
/*
 * context.c - the per-CPU probe context: reentrancy guard, limits, errors, print buffer.
 *
 * A probe handler runs between rt_probe_enter() and rt_probe_exit() with interrupts
 * disabled, on its CPU's context; it takes the script globals it uses with bounded
 * trylocks, so handlers on several CPUs never lose each other's updates and never wait
 * for long.  A probe that fires while its CPU's context is busy
 * (a probe hit inside a handler) is skipped and counted.
 */
#include <linux/delay.h>
#include <linux/lockdep.h>
#include <linux/spinlock.h>

#ifndef RT_PRINT_BUF_SIZE
#define RT_PRINT_BUF_SIZE	8192
#endif
#ifndef RT_MAXSTRINGLEN
#define RT_MAXSTRINGLEN		512
#endif
#ifndef RT_MAXACTION
#define RT_MAXACTION		1000
#endif
/*
 * Every handler starts with MAXACTION_INTERRUPTIBLE actions, whatever its probe kind:
 * SystemTap 4.8's runtime_defines.h defines INTERRUPTIBLE as 1 for all probes, so its
 * common_probe_entryfn_prologue (translate.cxx) always picks MAXACTION_INTERRUPTIBLE.
 */
#ifndef RT_MAXACTION_INTERRUPTIBLE
#define RT_MAXACTION_INTERRUPTIBLE	(RT_MAXACTION * 10)
#endif
#ifndef RT_MAXTRYLOCK
#define RT_MAXTRYLOCK		100	/* tries for a global's lock before the hit is skipped */
#endif
#ifndef RT_TRYLOCKDELAY
#define RT_TRYLOCKDELAY		10	/* microseconds between tries (SystemTap's defaults) */
#endif
#ifndef RT_MAXNESTING
#define RT_MAXNESTING		10
#endif
#ifndef RT_MAXSKIPPED
#define RT_MAXSKIPPED		100
#endif
#ifndef RT_MAXERRORS
#define RT_MAXERRORS		0	/* errors tolerated before the session stops (4.8's) */
#endif

/*
 * The script's session state, SystemTap 4.8's (runtime/common_session_state.h): begin
 * probes run while it is STARTING, the others while it is RUNNING, end probes while it
 * is STOPPING and error probes while it is ERROR.  exit() makes it STOPPING and an
 * error (past MAXERRORS) makes it ERROR, so an error in a begin or end probe skips the
 * begin or end probes after it, and exit() in an error probe skips the later error
 * probes (translate.cxx: enter_be_probe and the probe epilogue).
 */
enum rt_session_state {
	RT_SESS_UNINITIALIZED, RT_SESS_STARTING, RT_SESS_RUNNING, RT_SESS_ERROR,
	RT_SESS_STOPPING,
};
static atomic_t rt_session = ATOMIC_INIT(RT_SESS_UNINITIALIZED);

/**
 * struct rt_pinfo - what a generated handler tells the runtime about its probe
 * @pp:    the probe point, for pp() ("kprobe.function(\"vfs_read\")")
 * @where: "probe POINT at FILE:LINE:COL", for error messages
 * @func:  the probed function, for probefunc(); NULL when not a function probe
 * @state: the session state its handler runs in: RT_SESS_STARTING for begin probes,
 *         RT_SESS_STOPPING for end probes, RT_SESS_ERROR for error probes, else
 *         RT_SESS_RUNNING
 * @sdt:   a process mark probe's arguments ($argN, probes/sdt.c), else NULL
 * @nsdt:  how many
 * @str:   when its handler is shared with other probes (the translator's emit-share.c):
 *         the string constants that differ between them, in the order the handler
 *         reads them (pi->str[K]); else NULL
 * @fmt:   the same for the printf formats (pi->fmt[K])
 */
struct rt_sdt_arg;
struct rt_pinfo {
	const char *pp;
	const char *where;
	const char *func;
	int state;
	const struct rt_sdt_arg *sdt;
	int nsdt;
	const char *const *str;
	const struct rt_fmt *const *fmt;
};

/**
 * struct rt_context - one CPU's probe context
 * @busy:    a handler runs on this CPU
 * @pi:      the running handler's probe
 * @regs:    the registers it interrupted (kprobes, timers), or NULL
 * @error:   run-time error message of the running handler, or NULL
 * @error_at: the error message already names the place (else the probe is added)
 * @error_plain: @error is the script's error() message, with no " near ..." part
 * @actions: actions the running handler may still execute (rt_actions())
 * @nesting: function calls active (MAXNESTING); frame @nesting is the running one's
 * @next:    the script function that returned ran 'next': its caller tries the next
 *           overload of the same name and arity (SystemTap 4.8's run-time overloading)
 * @skipped: probe hits skipped on this CPU
 * @out_len: bytes waiting in @out
 * @irqflags: interrupt state to restore when the handler ends
 * @frames:  this CPU's locals: MAXNESTING + 1 frames of the generated code's size
 * @lscratch: where an integer assignment goes after an array overflowed
 * @sscratch: the same for a string
 * @errbuf:  a message built at run time
 * @out:     the handler's output, written to the relay as one record at exit
 */
struct rt_context {
	int busy;
	const struct rt_pinfo *pi;
	struct pt_regs *regs;
	const char *error;
	int error_at;
	int error_plain;
	long actions;
	int nesting;
	int next;
	unsigned long skipped;
	unsigned int out_len;
	unsigned long irqflags;
	char *frames;
	int64_t lscratch;
	char sscratch[RT_MAXSTRINGLEN];
	char errbuf[RT_MAXSTRINGLEN];
	char out[RT_PRINT_BUF_SIZE];
};

static atomic_t rt_error_count = ATOMIC_INIT(0);
static pid_t rt_target_pid;	/* staprun -x / -c */

static struct rt_context *rt_contexts;
static atomic64_t rt_missed = ATOMIC64_INIT(0);	/* return probes the kernel missed */

static char *rt_frames;
static size_t rt_frame_stride;

/** rt_frame - this CPU's frame of locals at call depth @depth (0: the probe's) */
static __always_inline void *rt_frame(struct rt_context *c, int depth)
{
	return c->frames + depth * rt_frame_stride;
}

/**
 * rt_contexts_alloc - allocate one context per possible CPU, with its frames
 * @frame_size: the generated code's largest frame (locals of a probe or function)
 *
 * Return: 0 or -ENOMEM.
 */
static int rt_contexts_alloc(size_t frame_size)
{
	size_t per_cpu = array_size(RT_MAXNESTING + 1, ALIGN(frame_size, 8));
	unsigned int cpu;

	rt_frame_stride = ALIGN(frame_size, 8);
	rt_contexts = vzalloc(array_size(nr_cpu_ids, sizeof(*rt_contexts)));
	rt_frames = vzalloc(array_size(nr_cpu_ids, per_cpu));
	if (!rt_contexts || !rt_frames) {
		vfree(rt_contexts);
		vfree(rt_frames);
		return -ENOMEM;
	}
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		rt_contexts[cpu].frames = rt_frames + cpu * per_cpu;
	return 0;
}

/** rt_contexts_free - free the contexts; no handler may run */
static void rt_contexts_free(void)
{
	vfree(rt_contexts);
	vfree(rt_frames);
	rt_contexts = NULL;
	rt_frames = NULL;
}

/** rt_skipped_total - probe hits skipped on all CPUs */
static u64 rt_skipped_total(void)
{
	u64 sum = atomic64_read(&rt_missed);
	unsigned int cpu;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		sum += READ_ONCE(rt_contexts[cpu].skipped);
	return sum;
}

/*
 * Script globals' locks.  A handler runs with interrupts disabled, often in hard-irq
 * context (timer probes, heartbeats), so the lock must never sleep: on PREEMPT_RT a
 * rwlock_t is a sleeping rt_mutex-based lock, and raw_spinlock_t would make readers
 * exclude each other.  rt_glock_t is therefore the architecture's reader/writer spinning
 * lock (arch_rwlock_t, the one rwlock_t wraps on a kernel without PREEMPT_RT), taken
 * only with bounded trylocks, so it behaves as before on every kernel: readers share it,
 * a writer excludes all, and a contended hit is skipped after RT_MAXTRYLOCK tries.
 * Lockdep sees the globals one handler takes as a single lock, rt_globals_map, held from
 * before the first trylock to after the last unlock (rt_globals_acquire/_release): with a
 * lockdep map per global, a probe using some 46 globals (fewer deep in the VFS, where the
 * probed task already holds locks) exceeded the task's MAX_LOCK_DEPTH of 48, and lockdep
 * turned itself off with "BUG: MAX_LOCK_DEPTH too low!".  The globals are only ever taken
 * in declaration order with trylocks, so there is no order among them for lockdep to
 * check; what it checks is the set's wait type (spin, LD_WAIT_SPIN) against the context
 * and the locks around it.
 */

/**
 * typedef rt_glock_t - the lock of one script global
 * @raw: the reader/writer spinning lock
 */
typedef struct {
	arch_rwlock_t raw;
} rt_glock_t;

/* RT_DEFINE_GLOCK(name) - define an unlocked rt_glock_t */
#define RT_DEFINE_GLOCK(name) rt_glock_t name = { .raw = __ARCH_RW_LOCK_UNLOCKED }

#ifdef CONFIG_LOCKDEP
static struct lock_class_key rt_globals_key;
/* rt_globals_map - lockdep's view of the script globals a handler holds */
static struct lockdep_map rt_globals_map = {
	.name = "relaytap_globals", .key = &rt_globals_key, .wait_type_inner = LD_WAIT_SPIN,
};
#endif

/**
 * rt_globals_acquire - tell lockdep a handler starts taking script globals' locks
 * @write: it writes at least one of them
 *
 * Context: interrupts disabled; pair with rt_globals_release().
 */
static __always_inline void rt_globals_acquire(bool write)
{
	if (write)
		rwlock_acquire(&rt_globals_map, 0, 1, _RET_IP_);
	else
		rwlock_acquire_read(&rt_globals_map, 0, 1, _RET_IP_);
}

/** rt_globals_release - the handler has released every global's lock it took */
static __always_inline void rt_globals_release(void)
{
	rwlock_release(&rt_globals_map, _RET_IP_);
}

/**
 * rt_glock_read - read-lock a script global, or give up after RT_MAXTRYLOCK tries
 * @l: the global's lock
 *
 * Context: interrupts disabled (between rt_probe_enter() and rt_probe_exit()).
 * Return: true when the lock is held (release it with rt_gunlock_read()).
 */
static bool rt_glock_read(rt_glock_t *l)
{
	int i;

	for (i = 0; i < RT_MAXTRYLOCK; i++) {
		if (arch_read_trylock(&l->raw))
			return true;
		udelay(RT_TRYLOCKDELAY);
	}
	return false;
}

/**
 * rt_glock_write - write-lock a script global, or give up after RT_MAXTRYLOCK tries
 * @l: the global's lock
 *
 * Context: interrupts disabled.  Return: true when the lock is held (release it with
 * rt_gunlock_write()).
 */
static bool rt_glock_write(rt_glock_t *l)
{
	int i;

	for (i = 0; i < RT_MAXTRYLOCK; i++) {
		if (arch_write_trylock(&l->raw))
			return true;
		udelay(RT_TRYLOCKDELAY);
	}
	return false;
}

/** rt_gunlock_read - release a read lock rt_glock_read() took */
static void rt_gunlock_read(rt_glock_t *l)
{
	arch_read_unlock(&l->raw);
}

/** rt_gunlock_write - release the write lock rt_glock_write() took */
static void rt_gunlock_write(rt_glock_t *l)
{
	arch_write_unlock(&l->raw);
}
