// SPDX-License-Identifier: GPL-2.0
/*
 * tracepoint.c - kernel.trace("SYSTEM:NAME") probes, through the kernel's exported
 * tracepoint API: for_each_kernel_tracepoint() finds each tracepoint by name,
 * tracepoint_probe_register() attaches the generated probe function, which takes the
 * tracepoint's TP_PROTO arguments (as unsigned longs: x86_64 passes integers and
 * pointers alike) and hands them to the script's handler (rt_trace_arg()).
 *
 * A tracepoint a module defines (kvm_exit in kvm) is attached when the module is loaded,
 * and detached when it goes, as SystemTap 4.8 does (its stp_tracepoint.c): through the
 * kernel's tracepoint module notifier, which also reports the modules already loaded.
 * A module that is never loaded leaves its probes pending, without an error.
 */
#include <linux/tracepoint.h>
#include <linux/module.h>

/**
 * struct rt_tracepoint - one tracepoint probe of the script
 * @pi:    the probe
 * @fn:    the generated handler
 * @name:  the tracepoint
 * @probe: the generated function the tracepoint calls (data, arguments...)
 * @module: the module that defines it, or NULL (vmlinux)
 * @tp:    the kernel's tracepoint, once found
 * @registered: attached
 */
struct rt_tracepoint {
	const struct rt_pinfo *pi;
	void (*fn)(const struct rt_pinfo *pi, struct pt_regs *regs);
	const char *name;
	void *probe;
	const char *module;
	struct tracepoint *tp;
	int registered;
};

/* the script's tracepoints, for the module notifier; set while it is registered */
static struct rt_tracepoint *rt_tp_tab;
static int rt_tp_n;

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
		if (!f->t[i].module && !f->t[i].tp && !strcmp(tp->name, f->t[i].name))
			f->t[i].tp = tp;
}

/** rt_tp_fail - report that tracepoint probe @t could not be attached (error @ret) */
static void rt_tp_fail(const struct rt_tracepoint *t, int ret)
{
	char msg[RT_MAXSTRINGLEN];

	snprintf(msg, sizeof(msg), "%s: cannot attach to tracepoint '%s': %s (%d)",
		 t->pi->pp, t->name, ret == -ENOENT ? "no such tracepoint" :
		 "registration failed", ret);
	rt_ctl_text(RT_TEXT_ERROR, msg);
}

#ifdef CONFIG_MODULES
/**
 * rt_tp_module - attach the script's probes on module @mod's tracepoints (@coming), or
 * detach them (the module goes, or the notifier is unregistered)
 * Context: process, the kernel's tracepoint_module_list_mutex held (one call at a time).
 */
static void rt_tp_module(struct module *mod, int coming)
{
	struct rt_tracepoint *t = rt_tp_tab;
	struct tracepoint *tp;
	unsigned int j;
	int i, ret;

	for (i = 0; i < rt_tp_n; i++) {
		if (!t[i].module || strcmp(t[i].module, mod->name))
			continue;
		if (!coming) {
			if (t[i].registered)
				tracepoint_probe_unregister(t[i].tp, t[i].probe, &t[i]);
			t[i].registered = 0;
			t[i].tp = NULL;
			continue;
		}
		for (j = 0; j < mod->num_tracepoints && !t[i].registered; j++) {
			tp = tracepoint_ptr_deref(mod->tracepoints_ptrs + j);
			if (strcmp(tp->name, t[i].name))
				continue;
			ret = tracepoint_probe_register(tp, t[i].probe, &t[i]);
			if (ret) {
				rt_tp_fail(&t[i], ret);
				break;
			}
			t[i].tp = tp;
			t[i].registered = 1;
		}
	}
}

static int rt_tp_notify(struct notifier_block *nb, unsigned long state, void *data)
{
	struct tp_module *tm = data;

	if (state == MODULE_STATE_COMING || state == MODULE_STATE_GOING)
		rt_tp_module(tm->mod, state == MODULE_STATE_COMING);
	return NOTIFY_OK;
}

static struct notifier_block rt_tp_nb = { .notifier_call = rt_tp_notify };
static int rt_tp_nb_on;

/** rt_tp_modules_register - watch the modules that define tracepoints the script probes */
static int rt_tp_modules_register(struct rt_tracepoint *t, int n)
{
	int i, ret;

	for (i = 0; i < n && !t[i].module; i++)
		;
	if (i == n)
		return 0;
	rt_tp_tab = t;
	rt_tp_n = n;
	ret = register_tracepoint_module_notifier(&rt_tp_nb);	/* runs for loaded ones */
	rt_tp_nb_on = !ret;
	return ret;
}

/** rt_tp_modules_unregister - stop watching; detaches every module tracepoint probe */
static void rt_tp_modules_unregister(void)
{
	if (rt_tp_nb_on)
		unregister_tracepoint_module_notifier(&rt_tp_nb);	/* "going" for each */
	rt_tp_nb_on = 0;
}
#else
static int rt_tp_modules_register(struct rt_tracepoint *t, int n)
{
	return 0;
}

static void rt_tp_modules_unregister(void)
{
}
#endif

/**
 * rt_tracepoints_unregister - detach the script's tracepoint probes and wait until no
 * handler runs (tracepoint_synchronize_unregister)
 * Context: process.
 */
static void rt_tracepoints_unregister(struct rt_tracepoint *t, int n)
{
	int i, any = 0;

	for (i = 0; i < n; i++)
		any |= !!t[i].module;	/* one may have been detached as its module went */
	rt_tp_modules_unregister();
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
	int i, ret = 0;

	for_each_kernel_tracepoint(rt_tp_lookup, &f);
	for (i = 0; i < n && !ret; i++) {
		if (t[i].module)
			continue;	/* rt_tp_modules_register() */
		ret = t[i].tp ? tracepoint_probe_register(t[i].tp, t[i].probe, &t[i]) : -ENOENT;
		if (!ret)
			t[i].registered = 1;
		else
			rt_tp_fail(&t[i], ret);
	}
	if (!ret)
		ret = rt_tp_modules_register(t, n);
	if (ret)
		rt_tracepoints_unregister(t, n);
	return ret;
}
