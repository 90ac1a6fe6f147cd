// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe.c - kprobe.function("sym") and kernel.function("sym") probes, entry and .return.
 *
 * Symbols resolve when the probes register (START): an unknown or unprobeable symbol
 * fails the session with a message naming it, unless the probe came from a wildcard, in
 * which case it is skipped with a warning, as SystemTap does.  Hits the kernel missed (a
 * probe hit inside another probe's handler, or too many concurrent return instances)
 * count as skipped hits.
 */
#include <linux/kprobes.h>

/**
 * struct rt_kprobe - one function probe of the script
 * @pi:       the probe (pp(), probefunc())
 * @fn:       the generated handler
 * @ret:      a .return probe
 * @optional: from a wildcard: a symbol that cannot be probed is skipped
 * @registered: registration succeeded
 * @entry:    a .return probe's entry handler (typed-emit.c), or NULL: it saves @nentry
 *            values (@entry, parameters) into the instance's data for the return
 * @nentry:   how many
 * @at:       where the probe goes when it is not @pi->func's entry: an inlined copy of
 *            @pi->func in function @at, @offset bytes in (the translator's kdwarf.c)
 * @offset:   see @at
 * @kp:       the entry probe
 * @rp:       the return probe
 */
struct rt_kprobe {
	const struct rt_pinfo *pi;
	void (*fn)(const struct rt_pinfo *pi, struct pt_regs *regs);
	int ret;
	int optional;
	int registered;
	void (*entry)(const struct rt_pinfo *pi, struct pt_regs *regs, int64_t *d);
	int nentry;
	const char *at;
	unsigned int offset;
	struct kprobe kp;
	struct kretprobe rp;
};

static int rt_kprobe_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct rt_kprobe *p = container_of(kp, struct rt_kprobe, kp);

	p->fn(p->pi, regs);
	return 0;
}

static int rt_kretprobe_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct kretprobe *rp = get_kretprobe(ri);
	struct rt_kprobe *p;

	if (!rp)
		return 0;
	p = container_of(rp, struct rt_kprobe, rp);
	if (!p->entry) {
		p->fn(p->pi, regs);
		return 0;
	}
	__this_cpu_write(rt_entry_data, (int64_t *)ri->data);	/* rt_entry_slot() */
	p->fn(p->pi, regs);
	__this_cpu_write(rt_entry_data, NULL);
	return 0;
}

/** rt_kretprobe_entry - save what the return handler reads at entry */
static int rt_kretprobe_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct kretprobe *rp = get_kretprobe(ri);
	struct rt_kprobe *p;

	if (!rp)
		return 0;
	p = container_of(rp, struct rt_kprobe, rp);
	p->entry(p->pi, regs, (int64_t *)ri->data);
	return 0;
}

/** rt_kprobe_unregister_one - unregister @p if registered; count the hits it missed */
static void rt_kprobe_unregister_one(struct rt_kprobe *p)
{
	if (!p->registered)
		return;
	if (p->ret) {
		unregister_kretprobe(&p->rp);
		atomic64_add(p->rp.nmissed, &rt_missed);
	} else {
		unregister_kprobe(&p->kp);
		atomic64_add(p->kp.nmissed, &rt_missed);	/* hits inside other probes */
	}
	p->registered = 0;
}

/**
 * rt_kprobes_register - register the script's function probes
 * @ps: the probes
 * @n:  how many
 *
 * Return: 0, or the first error of a required probe (everything is then unregistered).
 */
static int rt_kprobes_register(struct rt_kprobe *ps, int n)
{
	char msg[RT_MAXSTRINGLEN];
	struct rt_kprobe *p;
	int i, ret;

	for (i = 0; i < n; i++) {
		p = &ps[i];
		if (p->ret) {
			p->rp.kp.symbol_name = p->pi->func;
			p->rp.handler = rt_kretprobe_ret;
			if (p->entry) {
				p->rp.entry_handler = rt_kretprobe_entry;
				p->rp.data_size = p->nentry * sizeof(int64_t);
			}
			ret = register_kretprobe(&p->rp);
		} else {
			p->kp.symbol_name = p->at ? p->at : p->pi->func;
			p->kp.offset = p->offset;
			p->kp.pre_handler = rt_kprobe_pre;
			ret = register_kprobe(&p->kp);
		}
		if (!ret) {
			p->registered = 1;
			continue;
		}
		snprintf(msg, sizeof(msg), "%s: cannot probe '%s': %s (%d)", p->pi->pp,
			 p->ret ? p->rp.kp.symbol_name : p->kp.symbol_name,
			 ret == -ENOENT ? "no such symbol" : ret == -EINVAL ?
			 "the kernel does not allow probing it" : "registration failed", ret);
		rt_ctl_text(p->optional ? RT_TEXT_WARNING : RT_TEXT_ERROR, msg);
		if (!p->optional)
			goto unregister;
	}
	return 0;

unregister:
	while (i--)
		rt_kprobe_unregister_one(&ps[i]);
	return ret;
}

/**
 * rt_kprobes_unregister - unregister the script's function probes and wait for them
 * @ps: the probes
 * @n:  how many
 *
 * One unregister_kprobes() and one unregister_kretprobes() for all of them: the kernel
 * then waits for running handlers once (one RCU grace period), not once per probe.  If
 * the arrays cannot be allocated, the probes go one by one.  Context: process.
 */
static void rt_kprobes_unregister(struct rt_kprobe *ps, int n)
{
	struct kretprobe **rps = kcalloc(n, sizeof(*rps), GFP_KERNEL);
	struct kprobe **kps = kcalloc(n, sizeof(*kps), GFP_KERNEL);
	int i, nk = 0, nr = 0;

	for (i = 0; i < n && kps && rps; i++) {
		if (!ps[i].registered)
			continue;
		if (ps[i].ret)
			rps[nr++] = &ps[i].rp;
		else
			kps[nk++] = &ps[i].kp;
	}
	if (kps && rps) {
		unregister_kprobes(kps, nk);
		unregister_kretprobes(rps, nr);
	}
	for (i = 0; i < n; i++) {
		if (kps && rps && ps[i].registered) {
			atomic64_add(ps[i].ret ? ps[i].rp.nmissed : ps[i].kp.nmissed, &rt_missed);
			ps[i].registered = 0;
		}
		rt_kprobe_unregister_one(&ps[i]);	/* only what is still registered */
	}
	kfree(kps);
	kfree(rps);
}
