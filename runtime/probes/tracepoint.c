// SPDX-License-Identifier: GPL-2.0
/*
 * tracepoint.c - kernel.trace("SYSTEM:NAME") probes, through the kernel's exported
 * tracepoint API: for_each_kernel_tracepoint() finds each tracepoint by name,
 * tracepoint_probe_register() attaches the generated probe function, which takes the
 * tracepoint's TP_PROTO arguments (as unsigned longs: x86_64 passes integers and
 * pointers alike) and hands them to the script's handler (rt_trace_arg()).
 */
#include <linux/tracepoint.h>

/**
 * struct rt_tracepoint - one tracepoint probe of the script
 * @pi:    the probe
 * @fn:    the generated handler
 * @name:  the tracepoint
 * @probe: the generated function the tracepoint calls (data, arguments...)
 * @tp:    the kernel's tracepoint, once found
 * @registered: attached
 */
struct rt_tracepoint {
	const struct rt_pinfo *pi;
	void (*fn)(const struct rt_pinfo *pi, struct pt_regs *regs);
	const char *name;
	void *probe;
	struct tracepoint *tp;
	int registered;
};

/* the arguments of the tracepoint hit running on this CPU */
static DEFINE_PER_CPU(unsigned long *, rt_trace_args);

/** rt_trace_hit - run @data's handler with the tracepoint's arguments @args */
static void rt_trace_hit(void *data, unsigned long *args)
{
	struct rt_tracepoint *t = data;
	unsigned long *outer = __this_cpu_read(rt_trace_args);

	__this_cpu_write(rt_trace_args, args);
	t->fn(t->pi, NULL);
	__this_cpu_write(rt_trace_args, outer);
}

/** rt_trace_arg - argument @i of the tracepoint being handled */
static __always_inline int64_t rt_trace_arg(struct rt_context *c, int i)
{
	unsigned long *a = __this_cpu_read(rt_trace_args);

	return a ? a[i] : 0;
}

struct rt_tp_find {
	struct rt_tracepoint *t;
	int n;
};

static void rt_tp_lookup(struct tracepoint *tp, void *priv)
{
	struct rt_tp_find *f = priv;
	int i;

	for (i = 0; i < f->n; i++)
		if (!f->t[i].tp && !strcmp(tp->name, f->t[i].name))
			f->t[i].tp = tp;
}

/**
 * rt_tracepoints_unregister - detach the script's tracepoint probes and wait until no
 * handler runs (tracepoint_synchronize_unregister)
 * Context: process.
 */
static void rt_tracepoints_unregister(struct rt_tracepoint *t, int n)
{
	int i, any = 0;

	for (i = 0; i < n; i++) {
		if (!t[i].registered)
			continue;
		tracepoint_probe_unregister(t[i].tp, t[i].probe, &t[i]);
		t[i].registered = 0;
		any = 1;
	}
	if (any)
		tracepoint_synchronize_unregister();
}

/**
 * rt_tracepoints_register - attach the script's tracepoint probes
 * Return: 0, or the first error (a tracepoint the kernel lacks is -ENOENT, named in
 * the message); everything is then detached.  Context: process.
 */
static int rt_tracepoints_register(struct rt_tracepoint *t, int n)
{
	struct rt_tp_find f = { t, n };
	char msg[RT_MAXSTRINGLEN];
	int i, ret = 0;

	for_each_kernel_tracepoint(rt_tp_lookup, &f);
	for (i = 0; i < n && !ret; i++) {
		ret = t[i].tp ? tracepoint_probe_register(t[i].tp, t[i].probe, &t[i]) : -ENOENT;
		if (!ret) {
			t[i].registered = 1;
			continue;
		}
		snprintf(msg, sizeof(msg), "%s: cannot attach to tracepoint '%s': %s (%d)",
			 t[i].pi->pp, t[i].name, ret == -ENOENT ? "no such tracepoint" :
			 "registration failed", ret);
		rt_ctl_text(RT_TEXT_ERROR, msg);
	}
	if (ret)
		rt_tracepoints_unregister(t, n);
	return ret;
}
