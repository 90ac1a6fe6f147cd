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

#ifndef RT_PRINT_BUF_SIZE
#define RT_PRINT_BUF_SIZE	8192
#endif
#ifndef RT_MAXSTRINGLEN
#define RT_MAXSTRINGLEN		512
#endif
#ifndef RT_MAXACTION
#define RT_MAXACTION		1000
#endif
#ifndef RT_MAXTRYLOCK
#define RT_MAXTRYLOCK		1000	/* tries for a global's lock before the hit is skipped */
#endif
#ifndef RT_NTEMPS
#define RT_NTEMPS		1
#endif

/**
 * struct rt_context - one CPU's probe context
 * @busy:    a handler runs on this CPU
 * @pp:      the probe point of the running handler
 * @error:   run-time error message of the running handler, or NULL
 * @error_at: the error message already names the place (else the probe is added)
 * @actions: statements executed by the running handler (MAXACTION)
 * @skipped: probe hits skipped on this CPU
 * @out_len: bytes waiting in @out
 * @irqflags: interrupt state to restore when the handler ends
 * @out:     the handler's output, written to the relay as one record at exit
 * @tmp:     string temporaries of the generated code
 */
struct rt_context {
	int busy;
	const char *pp;
	const char *error;
	int error_at;
	unsigned long actions;
	unsigned long skipped;
	unsigned int out_len;
	unsigned long irqflags;
	char out[RT_PRINT_BUF_SIZE];
	char tmp[RT_NTEMPS][RT_MAXSTRINGLEN];
};

static atomic_t rt_error_count = ATOMIC_INIT(0);
static pid_t rt_target_pid;	/* staprun -x / -c */

static struct rt_context *rt_contexts;

/** rt_contexts_alloc - allocate one context per possible CPU; 0 or -ENOMEM */
static int rt_contexts_alloc(void)
{
	rt_contexts = vzalloc(array_size(nr_cpu_ids, sizeof(*rt_contexts)));
	return rt_contexts ? 0 : -ENOMEM;
}

/** rt_contexts_free - free the contexts; no handler may run */
static void rt_contexts_free(void)
{
	vfree(rt_contexts);
	rt_contexts = NULL;
}

/** rt_skipped_total - probe hits skipped on all CPUs */
static u64 rt_skipped_total(void)
{
	u64 sum = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		sum += READ_ONCE(rt_contexts[cpu].skipped);
	return sum;
}

/** rt_glock_read - read-lock a script global, or give up after RT_MAXTRYLOCK tries */
static bool rt_glock_read(rwlock_t *l)
{
	int i;

	for (i = 0; i < RT_MAXTRYLOCK; i++) {
		if (read_trylock(l))
			return true;
		cpu_relax();
	}
	return false;
}

/** rt_glock_write - write-lock a script global, or give up after RT_MAXTRYLOCK tries */
static bool rt_glock_write(rwlock_t *l)
{
	int i;

	for (i = 0; i < RT_MAXTRYLOCK; i++) {
		if (write_trylock(l))
			return true;
		cpu_relax();
	}
	return false;
}
