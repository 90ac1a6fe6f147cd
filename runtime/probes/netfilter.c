// SPDX-License-Identifier: GPL-2.0
/*
 * netfilter.c - netfilter.hook("HOOK").pf("PF")[.priority("N")] probes: one nf_hook_ops
 * per probe, registered in the initial network namespace (nf_register_net_hook on
 * init_net), as SystemTap 4.8's tapset-netfilter.cxx does.  The handler sees the hook's
 * arguments as the target variables $hooknum, $skb, $in, $out and $okfn (longs; the
 * packet is read with @cast) and, in guru mode, $verdict: the hook returns it, NF_ACCEPT
 * unless the script assigns NF_DROP (relaytap accepts only those two: another value
 * would leak the packet (NF_STOLEN, NF_STOP) or hand it to a queue nobody serves).
 */
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <net/net_namespace.h>

/* the target variables, as the generated code names them */
enum rt_nf_var {
	RT_NF_HOOKNUM, RT_NF_SKB, RT_NF_IN, RT_NF_OUT, RT_NF_OKFN, RT_NF_VERDICT,
};

/**
 * struct rt_nf_probe - one netfilter probe of the script
 * @pi:  the probe
 * @fn:  the generated handler
 * @ops: its hook (.hook, .priv are set at registration; .pf, .hooknum, .priority by the
 *       generated code)
 * @registered: the hook is in the kernel's list
 */
struct rt_nf_probe {
	const struct rt_pinfo *pi;
	void (*fn)(const struct rt_pinfo *pi, struct pt_regs *regs);
	struct nf_hook_ops ops;
	int registered;
};

/**
 * struct rt_nf_hit - the hook call a handler runs for
 * @vars: the target variables, by enum rt_nf_var (the verdict is written back)
 */
struct rt_nf_hit {
	int64_t vars[RT_NF_VERDICT + 1];
};

static DEFINE_PER_CPU(struct rt_nf_hit *, rt_nf_cur);

/** rt_nf_var - target variable @v of the hook call being handled (0 outside one) */
static int64_t rt_nf_var(struct rt_context *c, enum rt_nf_var v)
{
	struct rt_nf_hit *h = __this_cpu_read(rt_nf_cur);

	return h ? h->vars[v] : 0;
}

/**
 * rt_nf_set_verdict - $verdict = @v (guru mode): what the hook returns
 * @c: the handler's context
 * @v: NF_ACCEPT or NF_DROP; anything else is a run-time error
 *
 * Return: @v.
 */
static int64_t rt_nf_set_verdict(struct rt_context *c, int64_t v)
{
	struct rt_nf_hit *h = __this_cpu_read(rt_nf_cur);

	if (v != NF_ACCEPT && v != NF_DROP) {
		rt_fail(c, "netfilter verdict must be NF_ACCEPT (1) or NF_DROP (0)");
		return v;
	}
	if (h)
		h->vars[RT_NF_VERDICT] = v;
	return v;
}

/**
 * rt_nf_hook - the nf_hookfn of every netfilter probe: run the probe's handler
 * Context: softirq or process, under rcu_read_lock (the netfilter core's).
 * Return: the verdict, NF_ACCEPT unless the script set $verdict.
 */
static unsigned int rt_nf_hook(void *priv, struct sk_buff *skb, const struct nf_hook_state *state)
{
	struct rt_nf_probe *p = priv;
	struct rt_nf_hit hit = { .vars = {
		[RT_NF_HOOKNUM] = state->hook,
		[RT_NF_SKB] = (int64_t)(uintptr_t)skb,
		[RT_NF_IN] = (int64_t)(uintptr_t)state->in,
		[RT_NF_OUT] = (int64_t)(uintptr_t)state->out,
		[RT_NF_OKFN] = (int64_t)(uintptr_t)state->okfn,
		[RT_NF_VERDICT] = NF_ACCEPT,
	} };
	struct rt_nf_hit *outer;

	preempt_disable();
	outer = __this_cpu_read(rt_nf_cur);
	__this_cpu_write(rt_nf_cur, &hit);
	p->fn(p->pi, NULL);
	__this_cpu_write(rt_nf_cur, outer);
	preempt_enable();
	return hit.vars[RT_NF_VERDICT] == NF_DROP ? NF_DROP : NF_ACCEPT;
}

/**
 * rt_nf_unregister - remove the script's hooks (nf_unregister_net_hook waits until no
 * hook runs them)
 * Context: process.
 */
static void rt_nf_unregister(struct rt_nf_probe *p, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (!p[i].registered)
			continue;
		nf_unregister_net_hook(&init_net, &p[i].ops);
		p[i].registered = 0;
	}
}

/**
 * rt_nf_register - add the script's hooks in init_net
 * Return: 0, or the first error (named in a message); everything is then removed.
 * Context: process.
 */
static int rt_nf_register(struct rt_nf_probe *p, int n)
{
	char msg[RT_MAXSTRINGLEN];
	int i, ret = 0;

	for (i = 0; i < n && !ret; i++) {
		p[i].ops.hook = rt_nf_hook;
		p[i].ops.priv = &p[i];
		ret = nf_register_net_hook(&init_net, &p[i].ops);
		if (!ret) {
			p[i].registered = 1;
			continue;
		}
		snprintf(msg, sizeof(msg), "%s: cannot register the netfilter hook (pf %u, "
			 "hook %u): %d", p[i].pi->pp, p[i].ops.pf, p[i].ops.hooknum, ret);
		rt_ctl_text(RT_TEXT_ERROR, msg);
	}
	if (ret)
		rt_nf_unregister(p, n);
	return ret;
}
