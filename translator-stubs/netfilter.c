// SPDX-License-Identifier: GPL-2.0
/*
 * netfilter.c - netfilter hook probe points and their target variables, as SystemTap
 * 4.8's tapset-netfilter.cxx:
 *
 *   netfilter.hook("HOOK").pf("PF")[.priority("N")]   (or .pf("PF").hook("HOOK")...)
 *
 * PF is NFPROTO_IPV4, NFPROTO_IPV6, NFPROTO_ARP or NFPROTO_BRIDGE, HOOK one of that
 * family's hooks (NF_INET_*, NF_IP_*, NF_IP6_*, NF_ARP_*, NF_BR_*), the priority a number
 * or a NF_IP_PRI_* / NF_IP6_PRI_* name (default 0).  In guru mode 4.8 passes other text
 * through to the C compiler; relaytap takes numbers there instead.  $hooknum, $skb, $in,
 * $out and $okfn are read-only longs; $verdict needs guru mode.  runtime/probes/netfilter.c
 * registers the hooks.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "emit.h"
#include "sema.h"
#include "typed.h"

struct nf_name {
	const char *name;
	long value;
};

/* the families and their hooks (include/uapi/linux/netfilter*.h) */
static const struct nf_name ipv4_hooks[] = {
	{ "NF_INET_PRE_ROUTING", 0 }, { "NF_INET_LOCAL_IN", 1 }, { "NF_INET_FORWARD", 2 },
	{ "NF_INET_LOCAL_OUT", 3 }, { "NF_INET_POST_ROUTING", 4 },
	{ "NF_IP_PRE_ROUTING", 0 }, { "NF_IP_LOCAL_IN", 1 }, { "NF_IP_FORWARD", 2 },
	{ "NF_IP_LOCAL_OUT", 3 }, { "NF_IP_POST_ROUTING", 4 }, { NULL, 0 },
};
static const struct nf_name ipv6_hooks[] = {
	{ "NF_IP6_PRE_ROUTING", 0 }, { "NF_IP6_LOCAL_IN", 1 }, { "NF_IP6_FORWARD", 2 },
	{ "NF_IP6_LOCAL_OUT", 3 }, { "NF_IP6_POST_ROUTING", 4 }, { NULL, 0 },
};
static const struct nf_name arp_hooks[] = {
	{ "NF_ARP_IN", 0 }, { "NF_ARP_OUT", 1 }, { "NF_ARP_FORWARD", 2 }, { NULL, 0 },
};
static const struct nf_name bridge_hooks[] = {
	{ "NF_BR_PRE_ROUTING", 0 }, { "NF_BR_LOCAL_IN", 1 }, { "NF_BR_FORWARD", 2 },
	{ "NF_BR_LOCAL_OUT", 3 }, { "NF_BR_POST_ROUTING", 4 }, { NULL, 0 },
};
/* the priorities 4.8 names (NF_IP_PRI_* and NF_IP6_PRI_* share their values) */
static const struct nf_name priorities[] = {
	{ "FIRST", INT_MIN }, { "CONNTRACK_DEFRAG", -400 }, { "RAW", -300 },
	{ "SELINUX_FIRST", -225 }, { "CONNTRACK", -200 }, { "MANGLE", -150 },
	{ "NAT_DST", -100 }, { "FILTER", 0 }, { "SECURITY", 50 }, { "NAT_SRC", 100 },
	{ "SELINUX_LAST", 225 }, { "CONNTRACK_CONFIRM", INT_MAX }, { "LAST", INT_MAX },
	{ NULL, 0 },
};

static const struct {
	const char *name;
	long pf;
	const struct nf_name *hooks;
	const char *pri_prefix;
} families[] = {
	{ "NFPROTO_IPV4", 2, ipv4_hooks, "NF_IP_PRI_" },
	{ "NFPROTO_IPV6", 10, ipv6_hooks, "NF_IP6_PRI_" },
	{ "NFPROTO_ARP", 3, arp_hooks, NULL },
	{ "NFPROTO_BRIDGE", 7, bridge_hooks, NULL },
};

/** lookup - @name's value in @v; 0, or -1 when it is not there */
static int lookup(const struct nf_name *v, const char *name, long *out)
{
	for (; v && v->name; v++)
		if (!strcmp(v->name, name)) {
			*out = v->value;
			return 0;
		}
	return -1;
}

/** number - @s as a long in [@min, @max]; 0, or -1 */
static int number(const char *s, long min, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 0);
	return !*s || *end || errno || *out < min || *out > max ? -1 : 0;
}

/**
 * split - netfilter's components after "netfilter": each .NAME("ARG") or .NAME(N), into
 * @names and @args (at most 3)
 * Return: how many, or -1 when @point has another shape.
 */
static int split(const char *point, char names[3][16], char args[3][128])
{
	const char *q = point + strlen("netfilter"), *open, *close;
	int n = 0;

	while (*q) {
		open = strchr(q, '(');
		if (n == 3 || *q != '.' || !open || open - q - 1 >= 16 || open == q + 1)
			return -1;
		snprintf(names[n], 16, "%.*s", (int)(open - q - 1), q + 1);
		if (open[1] == '"') {
			close = strchr(open + 2, '"');
			if (!close || close[1] != ')')
				return -1;
			snprintf(args[n], 128, "%.*s", (int)(close - open - 2), open + 2);
			q = close + 2;
		} else {
			close = strchr(open, ')');
			if (!close)
				return -1;
			snprintf(args[n], 128, "%.*s", (int)(close - open - 1), open + 1);
			q = close + 1;
		}
		n++;
	}
	return n;
}

/** shape - hook, pf and priority of @point (4.8's four orders); 0, or -1 */
static int shape(const char *point, char *hook, char *pf, char *pri)
{
	char names[3][16], args[3][128];
	int n = split(point, names, args), h;

	if (n < 2 || (n == 3 && strcmp(names[2], "priority")))
		return -1;
	h = !strcmp(names[0], "hook") ? 0 : !strcmp(names[1], "hook") ? 1 : -1;
	if (h < 0 || strcmp(names[!h], "pf"))
		return -1;
	strcpy(hook, args[h]);
	strcpy(pf, args[!h]);
	if (n == 3)
		strcpy(pri, args[2]);
	return 0;
}

/**
 * netfilter_point - resolve a netfilter probe point
 * @p:   the probe
 * @opt: the command line (-g)
 *
 * Return: 0, 1 when @p is no netfilter point, or -1 after a diagnostic.
 */
int netfilter_point(struct probe *p, const struct options *opt)
{
	char hook[128], pf[128], pri[128] = "0", name[160];
	long hv, pfv = -1, prv;
	unsigned int i;

	if (strncmp(p->point, "netfilter.", 10))
		return 1;
	if (shape(p->point, hook, pf, pri))
		return 1;	/* an alias of the tapset (netfilter.ip.local_out), or nothing */
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (!strcmp(families[i].name, pf))
			break;
	if (i < sizeof(families) / sizeof(families[0])) {
		pfv = families[i].pf;
		if (lookup(families[i].hooks, hook, &hv) && (!opt->guru ||
		    number(hook, 0, 255, &hv))) {
			diag(&p->loc, "unsupported netfilter hook \"%s\" for protocol family "
			     "\"%ld\"; need stap -g", hook, pfv);
			return -1;
		}
		snprintf(name, sizeof(name), "%s", pri);
		if (families[i].pri_prefix && !strncmp(pri, families[i].pri_prefix,
							strlen(families[i].pri_prefix)))
			snprintf(name, sizeof(name), "%s", pri + strlen(families[i].pri_prefix));
		if (lookup(priorities, name, &prv) && number(pri, INT_MIN, INT_MAX, &prv)) {
			diag(&p->loc, "unsupported netfilter priority \"%s\" for protocol family "
			     "\"%ld\"; need stap -g", pri, pfv);
			return -1;
		}
	} else if (!opt->guru) {
		diag(&p->loc, "unsupported netfilter protocol family \"%s\"; need stap -g", pf);
		return -1;
	} else if (number(pf, 0, 255, &pfv) || number(hook, 0, 255, &hv) ||
		   number(pri, INT_MIN, INT_MAX, &prv)) {
		diag(&p->loc, "netfilter protocol family, hook and priority must be numbers when "
		     "they are not names relaytap knows (4.8 passes them to the C compiler)");
		return -1;
	}
	p->kind = P_NETFILTER;
	p->offset = (uint64_t)pfv;
	p->ref_ctr = (uint64_t)hv;
	p->seq = prv;
	return 0;
}

static const char *const nf_vars[] = {	/* runtime/probes/netfilter.c enum rt_nf_var */
	"hooknum", "skb", "in", "out", "okfn", "verdict", NULL,
};

/** nf_var - @e's index in nf_vars, or -1 after 4.8's diagnostic */
static int nf_var(const struct options *opt, const struct expr *e, int write)
{
	const struct tgt *t = e->tgt;
	int i;

	if (t->addr) {
		diag(&e->loc, "cannot take address of netfilter hook context variable");
		return -1;
	}
	for (i = 0; nf_vars[i] && (t->base != TG_VAR || strcmp(nf_vars[i], t->name)); i++)
		;
	if (!nf_vars[i] || t->ncomps || t->pretty) {
		diag(&e->loc, "unsupported context variable");
		return -1;
	}
	if (write && strcmp(t->name, "verdict")) {
		diag(&e->loc, "write to netfilter parameter not permitted");
		return -1;
	}
	if (!strcmp(t->name, "verdict") && !opt->guru) {
		diag(&e->loc, "write to netfilter verdict requires guru mode; need stap -g");
		return -1;
	}
	return i;
}

/** netfilter_target_sema - a netfilter target variable read in probe @p */
int netfilter_target_sema(const struct options *opt, struct probe *p, struct expr *e)
{
	if (e->kind != E_TARGET) {
		diag(&e->loc, "unsupported context variable");
		return -1;
	}
	if (nf_var(opt, e, 0) < 0)
		return -1;
	e->type = TY_LONG;
	return 0;
}

/**
 * netfilter_assign_sema - $verdict = EXPR (guru mode) in netfilter probe @p
 * @sub, @scope: check EXPR (as typed_assign_sema())
 */
int netfilter_assign_sema(const struct options *opt, struct probe *p, struct expr *e,
			  int (*sub)(void *scope, struct expr *e), void *scope)
{
	if (nf_var(opt, e->a, 1) < 0)
		return -1;
	if (e->kind != E_ASSIGN || strcmp(e->op, "=")) {
		diag(&e->a->loc, "relaytap assigns $verdict with '=' only");
		return -1;
	}
	e->a->type = TY_LONG;
	e->type = TY_LONG;
	return sub(scope, e->b) || want(e->b, TY_LONG);
}

/** netfilter_emit_target - the C of a netfilter target variable */
void netfilter_emit_target(struct out *o, const struct expr *e)
{
	int i;

	for (i = 0; strcmp(nf_vars[i], e->tgt->name); i++)
		;
	put(o, "rt_nf_var(c, %d)", i);
}

/** netfilter_emit_assign - the C of $verdict = EXPR */
void netfilter_emit_assign(struct out *o, const struct expr *e)
{
	put(o, "({ int64_t _v = ");
	emit_expr(o, e->b);
	put(o, "; likely(!c->error) ? rt_nf_set_verdict(c, _v) : _v; })");
}

/**
 * netfilter_emit - the script's hooks (runtime/probes/netfilter.c struct rt_nf_probe)
 * @o: output
 * @s: the script
 *
 * Return: how many rt_nf_probes lists (0: nothing emitted).
 */
int netfilter_emit(struct out *o, const struct script *s)
{
	const struct probe *p;
	int n = 0;

	for (p = s->probes; p; p = p->next)
		n += p->kind == P_NETFILTER;
	if (!n)
		return 0;
	put(o, "static struct rt_nf_probe rt_nf_probes[%d] = {\n", n);
	for (p = s->probes; p; p = p->next)
		if (p->kind == P_NETFILTER)
			put(o, "\t{ .pi = &rt_pi_%d, .fn = rt_body_%d, .ops = { .pf = %llu, "
			    ".hooknum = %llu, .priority = %lld } },\n", p->index,
			    first_with_body(s, p)->index, (unsigned long long)p->offset,
			    (unsigned long long)p->ref_ctr, (long long)p->seq);
	put(o, "};\n");
	return n;
}
