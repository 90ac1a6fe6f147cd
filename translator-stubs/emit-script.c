// SPDX-License-Identifier: GPL-2.0
/*
 * emit-script.c - the module's C around the handlers: globals and their locks, maps,
 * printf formats, frames, probe descriptors, registration, init and exit.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "emit.h"
#include "typed.h"

static int stmt_uses(const struct stmt *s, const struct sym *g, int *w, int stamp);

/* each walk for one (probe, global) pair visits each function once: stamp it */
static int walk_stamp;

/** expr_uses - whether @e (or a function it calls) uses global @g; *@w set for a write */
static int expr_uses(const struct expr *e, const struct sym *g, int *w, int stamp)
{
	struct func *f;
	int i, hit = 0;

	if (!e)
		return 0;
	if ((e->kind == E_VAR || e->kind == E_INDEX || e->kind == E_IN) && e->sym == g)
		hit = 1;
	if ((e->kind == E_ASSIGN || e->kind == E_INCDEC) && e->a->sym == g)
		*w = hit = 1;
	if (e->kind == E_AGG && e->a->sym == g)
		hit = 1;
	for (i = 0; i < e->nargs; i++)
		hit |= expr_uses(e->args[i], g, w, stamp);
	for (f = e->kind == E_CALL ? e->func : NULL; f; f = f->alt) {	/* and its overloads */
		if (f->walked == stamp)
			continue;
		f->walked = stamp;
		hit |= stmt_uses(f->body, g, w, stamp);
	}
	return hit | expr_uses(e->a, g, w, stamp) | expr_uses(e->b, g, w, stamp) |
		expr_uses(e->c, g, w, stamp);
}

/** stmt_uses - whether @s uses global @g; sets *@w for a write */
static int stmt_uses(const struct stmt *s, const struct sym *g, int *w, int stamp)
{
	int i, hit;

	if (!s)
		return 0;
	hit = expr_uses(s->e, g, w, stamp) | expr_uses(s->init, g, w, stamp) |
		expr_uses(s->step, g, w, stamp);
	if ((s->kind == S_DELETE || s->kind == S_TRY) && s->e && s->e->sym == g)
		*w = hit = 1;
	for (i = 0; i < s->n && s->kind == S_BLOCK; i++)
		hit |= stmt_uses(s->list[i], g, w, stamp);
	if (s->kind == S_FOREACH)
		for (i = 0; i < s->n; i++)
			if (s->vars[i]->sym == g)
				*w = hit = 1;
	return hit | stmt_uses(s->body, g, w, stamp) | stmt_uses(s->other, g, w, stamp);
}

/** probe_locks - the globals @p uses, each with the lock kind it needs */
static void probe_locks(const struct script *s, const struct probe *p, struct lockset *ls)
{
	const struct sym *g;
	int w, n = 0;

	for (g = s->globals; g; g = g->next)
		n++;
	free(ls->g);
	free(ls->write);
	ls->g = xcalloc(n + 1, sizeof(*ls->g));
	ls->write = xcalloc(n + 1, sizeof(*ls->write));
	ls->n = 0;
	for (g = s->globals; g; g = g->next) {
		w = 0;
		if (!stmt_uses(p->body, g, &w, ++walk_stamp))
			continue;
		ls->g[ls->n] = g;
		ls->write[ls->n++] = w;
	}
}

/**
 * emit_locks - take the probe's globals in declaration order, each with a bounded
 * trylock; on contention the hit is skipped and counted (rt_held tells how far it got)
 */
void emit_locks(struct out *o, const struct lockset *ls)
{
	int k, w = 0;

	for (k = 0; k < ls->n; k++)
		w |= ls->write[k];
	if (ls->n)
		line(o, "rt_globals_acquire(%d);", w);
	for (k = 0; k < ls->n; k++) {
		line(o, "if (!rt_glock_%s(&gl_%s))", ls->write[k] ? "write" : "read", ls->g[k]->name);
		line(o, "\tgoto unlock;");
		line(o, "rt_held = %d;", k + 1);
	}
}

/**
 * emit_unlocks - count a skipped hit, release what emit_locks() took, newest first
 *
 * The handler's output is written (and so timestamped) while the locks are still held,
 * so output that a lock orders merges across CPUs in that lock's order (issue 12: a
 * line printed after the unlock could be stamped later than the next holder's).
 */
void emit_unlocks(struct out *o, const struct lockset *ls)
{
	int k;

	if (!ls->n)
		return;
	line(o, "rt_print_flush(c);");
	line(o, "if (rt_held < %d)", ls->n);
	line(o, "\trt_skip(c);");
	for (k = ls->n - 1; k >= 0; k--) {
		line(o, "if (rt_held > %d)", k);
		line(o, "\trt_gunlock_%s(&gl_%s);", ls->write[k] ? "write" : "read",
		     ls->g[k]->name);
	}
	line(o, "rt_globals_release();");
}

static int is_map(const struct sym *g)
{
	return g->nkeys > 0 || g->type == TY_STATS;
}

static void emit_globals(struct out *o, const struct script *s)
{
	static const char *const kt[] = { "0", "RT_T_LONG", "RT_T_STR", "0" };
	const struct sym *g;
	int i;

	for (g = s->globals; g; g = g->next) {
		put(o, "static RT_DEFINE_GLOCK(gl_%s);\n", g->name);
		if (!is_map(g)) {
			put(o, g->type == TY_STRING ? "static char g_%s[RT_MAXSTRINGLEN]" :
			    "static int64_t g_%s", g->name);
			if (g->init && g->init->kind == E_NUM)
				put(o, " = %lldLL", (long long)g->init->num);
			else if (g->init) {
				put(o, " = ");
				emit_cstr(o, g->init->str);
			}
			put(o, ";\n");
			continue;
		}
		put(o, "static struct rt_map m_%s = { .name = \"%s\", .nkeys = %d, .ktype = { ",
		    g->name, g->name, g->nkeys);
		for (i = 0; i < g->nkeys; i++)
			put(o, "%s, ", kt[g->ktype[i]]);
		put(o, "}, .vtype = %s, .limit = %lld, .wrap = %d, .htype = %d, .hstart = %lldLL, "
		    ".hstop = %lldLL, .hint = %lldLL, .vshift = %d };\n", g->type == TY_STATS ?
		    "RT_T_STAT" : kt[g->type], (long long)g->size, g->wrap, g->htype,
		    (long long)g->hist[0], (long long)g->hist[1], (long long)g->hist[2], g->vshift);
	}
}

/**
 * emit_params - staprun NAME=VALUE (stap -G) sets a scalar global, as 4.8's module
 * parameters do.  Last in the file: a global may be named as a kernel macro is
 * (inodewatch2.stp's ATTR_MODE), and the parameter's name must not expand.
 */
static void emit_params(struct out *o, const struct script *s)
{
	const struct sym *g;

	for (g = s->globals; g; g = g->next) {
		if (is_map(g))
			continue;
		put(o, "#undef %s\n", g->name);
		if (g->type == TY_STRING)
			put(o, "module_param_string(%s, g_%s, RT_MAXSTRINGLEN, 0);\n", g->name,
			    g->name);
		else
			put(o, "module_param_cb(%s, &rt_param_ops_s64, &g_%s, 0);\n", g->name,
			    g->name);
	}
}

static void emit_formats(struct out *o)
{
	const struct fmt *f;
	int i, k;

	for (i = 0; i < o->nfmts; i++) {
		f = o->fmts[i]->fmt;
		put(o, "static const struct rt_fseg fs_%d[] = {\n", i);
		for (k = 0; k < f->n; k++) {
			put(o, "\t{ ");
			emit_cstr(o, f->lit[k]);
			put(o, ", %zu, %d, %d, %d, %d },\n", strlen(f->lit[k]), f->conv[k],
			    f->flags[k], f->width[k], f->prec[k]);
		}
		put(o, "};\nstatic const struct rt_fmt fmt_%d = { %d, fs_%d };\n", i, f->n, i);
	}
}

/** body_owner - the first probe sharing @p's body (the one that writes its handler) */
static const struct probe *body_owner(const struct script *s, const struct probe *p)
{
	const struct probe *q;

	if (p->typed)
		return p;	/* typed from its own function: a handler of its own */
	for (q = s->probes; q->body != p->body || q->typed; q = q->next)
		;
	return q;
}

/**
 * first_with_body - the probe whose handler (rt_body_N) runs @p: its body's, or the one
 * that handler was merged into (emit-share.c)
 */
const struct probe *first_with_body(const struct script *s, const struct probe *p)
{
	return share_leader(body_owner(s, p));
}

static void emit_pinfo(struct out *o, const struct probe *p)
{
	char where[700], sdt[4096], *pp = NULL;
	int nsdt = p->sdt_args ? sdt_operands(p->sdt_args, sdt, sizeof(sdt)) : 0;
	size_t n;
	FILE *f;

	snprintf(where, sizeof(where), "probe %s at %s:%d:%d", p->point, p->loc.file,
		 p->loc.line, p->loc.col);
	if (body_owner(o->s, p) == p)
		share_emit_args(o, p);
	if (p->sdt_args)	/* a mark's $argN (runtime/probes/sdt.c) */
		put(o, "static const struct rt_sdt_arg rt_sdt_%d[] = { %s };\n", p->index,
		    nsdt ? sdt : "{ 0 }");
	put(o, "static const struct rt_pinfo rt_pi_%d = { ", p->index);
	f = p->cond ? open_memstream(&pp, &n) : NULL;
	if (f) {	/* pp() of a conditional probe names its condition, as in 4.8 */
		fprintf(f, "%s if (", p->point);
		dump_cond(f, p->cond);
		fputc(')', f);
		fclose(f);
	}
	emit_cstr(o, pp ? pp : p->point);
	free(pp);
	put(o, ", ");
	emit_cstr(o, where);
	put(o, ", ");
	if (p->kind == P_KPROBE || p->kind == P_UPROBE)
		emit_cstr(o, p->symbol);
	else
		put(o, "NULL");
	put(o, ", %s", p->kind == P_BEGIN ? "RT_SESS_STARTING" : p->kind == P_END ?
	    "RT_SESS_STOPPING" : p->kind == P_ERROR ? "RT_SESS_ERROR" : "RT_SESS_RUNNING");
	if (p->sdt_args)
		put(o, ", rt_sdt_%d, %d", p->index, nsdt);
	share_pinfo_fields(o, body_owner(o->s, p));
	put(o, " };\n");
}

/**
 * emit_runner - call the begin, end or error probes (@kind) in the order of their
 * sequence numbers, then of the script, as 4.8's be_derived_probe_group does (a stable
 * sort on begin(N)'s N); each runs only in its session state (runtime/print.c)
 */
static void emit_runner(struct out *o, const struct script *s, const char *name,
			enum probe_kind kind)
{
	const struct probe **v = xcalloc(s->nprobes + 1, sizeof(*v)), *p;
	int n = 0, i, k;

	for (p = s->probes; p; p = p->next) {
		if (p->kind != kind)
			continue;
		for (i = n; i > 0 && v[i - 1]->seq > p->seq; i--)	/* insertion: stable */
			v[i] = v[i - 1];
		v[i] = p;
		n++;
	}
	put(o, "\nstatic void %s(void)\n{\n", name);
	for (k = 0; k < n; k++)
		put(o, "\trt_body_%d(&rt_pi_%d, NULL);\n", first_with_body(s, v[k])->index,
		    v[k]->index);
	put(o, "}\n");
	free((void *)v);
}

/** entry_init - a .return probe's entry handler and the int64_t values it saves */
static const char *entry_init(const struct probe *p)
{
	static char buf[96];

	snprintf(buf, sizeof(buf), ", .entry = rt_entry_%d, .nentry = %d", p->index, p->nentry);
	return buf;
}

/** emit_descriptors - timer and function probes: what the runtime registers */
static int emit_descriptors(struct out *o, const struct script *s)
{
	const struct probe *p;
	int nk = 0;

	for (p = s->probes; p; p = p->next) {
		if (p->kind == P_TIMER || p->kind == P_PROFILE)
			put(o, "static struct rt_timer_probe rt_tp_%d = { .pi = &rt_pi_%d, "
			    ".fn = rt_body_%d, .period_ns = %lluULL, .rand_ns = %lluULL, "
			    ".percpu = %d };\n", p->index, p->index, first_with_body(s, p)->index,
			    (unsigned long long)p->period_ns, (unsigned long long)p->rand_ns,
			    p->kind == P_PROFILE);
		if (p->kind == P_KPROBE)
			nk++;
	}
	if (!nk)
		return 0;
	put(o, "static struct rt_kprobe rt_kps[%d] = {\n", nk);
	for (p = s->probes; p; p = p->next) {
		if (p->kind != P_KPROBE)
			continue;
		put(o, "\t{ .pi = &rt_pi_%d, .fn = rt_body_%d, .ret = %d, .optional = %d%s",
		    p->index, first_with_body(s, p)->index, p->ret, p->optional,
		    p->nentry ? entry_init(p) : "");
		if (p->site)	/* an inlined copy (kdwarf.c): in its caller */
			put(o, ", .at = \"%s\", .offset = %lu", p->site->caller, p->site->off);
		put(o, " },\n");
	}
	put(o, "};\n");
	return nk;
}

/** emit_udescriptors - process probes: file, offset, handler (runtime/probes/uprobe.c) */
static int emit_udescriptors(struct out *o, const struct script *s)
{
	const struct probe *p;
	int nu = 0;

	for (p = s->probes; p; p = p->next)
		nu += p->kind == P_UPROBE;
	if (!nu)
		return 0;
	put(o, "static struct rt_uprobe rt_ups[%d] = {\n", nu);
	for (p = s->probes; p; p = p->next) {
		if (p->kind != P_UPROBE)
			continue;
		put(o, "\t{ .pi = &rt_pi_%d, .fn = rt_body_%d, .file = ", p->index,
		    first_with_body(s, p)->index);
		emit_cstr(o, p->file);
		if (p->exe) {	/* a .library's: only in the processes of this program */
			put(o, ", .exe = ");
			emit_cstr(o, p->exe);
		}
		put(o, ", .offset = 0x%llx, .ref_ctr = 0x%llx, .ret = %d },\n",
		    (unsigned long long)p->offset, (unsigned long long)p->ref_ctr, p->ret);
	}
	put(o, "};\n");
	return nu;
}

/** emit_register - start the timers and function probes; stop them */
static void emit_register(struct out *o, const struct script *s, int nk, int nt)
{
	int nu = emit_udescriptors(o, s), nsym = uprobe_emit_symbols(o->f);
	int np = uproc_emit(o, s);
	int ndirs = 0, nf = procfs_emit(o, s, &ndirs), nn = netfilter_emit(o, s);
	int nh = hwbkpt_emit(o, s);
	const struct probe *p;

	put(o, "\nstatic int rt_gen_register(void)\n{\n\tint ret = 0;\n\n");
	if (nsym)
		put(o, "\trt_ufiles_hold(rt_ufile_tab, %d);\n", nsym);
	if (nk)
		put(o, "\tret = rt_kprobes_register(rt_kps, %d);\n", nk);
	if (nu)
		put(o, "\tif (!ret)\n\t\tret = rt_uprobes_register(rt_ups, %d);\n", nu);
	if (nt)
		put(o, "\tif (!ret)\n\t\tret = rt_tracepoints_register(rt_tps, %d);\n", nt);
	if (np)
		put(o, "\tif (!ret)\n\t\tret = rt_uprocs_register(rt_upcs, %d);\n", np);
	for (p = s->probes; p; p = p->next) {
		if (p->kind != P_TIMER && p->kind != P_PROFILE)
			continue;
		if (p->kind == P_PROFILE)
			put(o, "\trt_tp_%d.period_ns = TICK_NSEC;\n", p->index);
		if (p->jiffies)
			put(o, "\trt_tp_%d.period_ns = %lluULL * TICK_NSEC;\n"
			    "\trt_tp_%d.rand_ns = %lluULL * TICK_NSEC;\n", p->index,
			    (unsigned long long)p->period_ns, p->index, (unsigned long long)p->rand_ns);
		put(o, "\tif (!ret)\n\t\tret = rt_timer_register(&rt_tp_%d);\n", p->index);
	}
	if (nn)
		put(o, "\tif (!ret)\n\t\tret = rt_nf_register(rt_nf_probes, %d);\n", nn);
	if (nh)
		put(o, "\tif (!ret)\n\t\tret = rt_hwbkpts_register(rt_hwbkpts, %d);\n", nh);
	if (nf)
		put(o, "\tif (!ret)\n\t\tret = rt_procfs_register(rt_procfs_files, %d, "
		    "rt_procfs_dirs, %d);\n", nf, ndirs);
	put(o, "\treturn ret;\n}\n\nstatic void rt_gen_unregister(void)\n{\n");
	if (nf)
		put(o, "\trt_procfs_unregister();\n");
	if (nn)
		put(o, "\trt_nf_unregister(rt_nf_probes, %d);\n", nn);
	if (nh)
		put(o, "\trt_hwbkpts_unregister(rt_hwbkpts, %d);\n", nh);
	if (nk)
		put(o, "\trt_kprobes_unregister(rt_kps, %d);\n", nk);
	if (nu)
		put(o, "\trt_uprobes_unregister(rt_ups, %d);\n", nu);
	if (nt)
		put(o, "\trt_tracepoints_unregister(rt_tps, %d);\n", nt);
	if (np)
		put(o, "\trt_uprocs_unregister(rt_upcs, %d);\n", np);
	for (p = s->probes; p; p = p->next)
		if (p->kind == P_TIMER || p->kind == P_PROFILE)
			put(o, "\trt_timer_unregister(&rt_tp_%d);\n", p->index);
	if (nsym)
		put(o, "\trt_ufiles_release(rt_ufile_tab, %d);\n", nsym);
	put(o, "}\n");
}

/** collect_foreach - the foreach statements in @st, into @v */
static void collect_foreach(const struct stmt *st, const struct stmt **v, int *n)
{
	int i;

	if (!st)
		return;
	if (st->kind == S_FOREACH)
		v[(*n)++] = st;
	for (i = 0; i < st->n && st->kind == S_BLOCK; i++)
		collect_foreach(st->list[i], v, n);
	collect_foreach(st->body, v, n);
	collect_foreach(st->other, v, n);
}

/** emit_init - allocate the maps and the foreach sort buffers; free them */
static void emit_init(struct out *o, const struct script *s, const struct stmt **fe, int nfe)
{
	const struct sym *g;
	int i;

	put(o, "\nstatic void rt_gen_exit(void)\n{\n");
	for (i = 0; i < nfe; i++)
		put(o, "\tvfree(fe_%d);\n", fe[i]->id);
	for (g = s->globals; g; g = g->next)
		if (is_map(g))
			put(o, "\trt_map_free(&m_%s);\n", g->name);
	put(o, "}\n\nstatic int rt_gen_init(void)\n{\n");
	for (g = s->globals; g; g = g->next)
		if (is_map(g))
			put(o, "\tif (rt_map_alloc(&m_%s))\n\t\tgoto fail;\n", g->name);
	for (i = 0; i < nfe; i++)
		put(o, "\tfe_%d = vmalloc(array_size(m_%s.max, sizeof(void *)));\n"
		    "\tif (!fe_%d)\n\t\tgoto fail;\n", fe[i]->id, fe[i]->e->sym->name, fe[i]->id);
	put(o, "\treturn 0;\nfail: __maybe_unused;\n\trt_gen_exit();\n\treturn -ENOMEM;\n}\n");
}

/**
 * emit_bodies - the functions and probe handlers, into a memory buffer (the frames
 * and formats they need are known only afterwards)
 */
static char *emit_bodies(struct out *o, const struct script *s, size_t *len, int *ntemps)
{
	struct body_span *spans = xcalloc(s->nprobes + 1, sizeof(*spans));
	static struct lockset ls;
	const struct probe *p;
	const struct func *fn;
	char *text = NULL, *shared;
	int n = 0;

	o->f = open_memstream(&text, len);
	if (!o->f)
		return NULL;
	for (fn = s->funcs; fn; fn = fn->next) {
		emit_function(o, fn);
		ntemps[fn->index] = o->ntemps;
	}
	for (p = s->probes; p; p = p->next) {
		if (body_owner(s, p) != p)
			continue;
		probe_locks(s, p, &ls);
		fflush(o->f);
		spans[n] = (struct body_span){ p, *len, 0 };
		emit_probe_body(o, p, &ls);
		fflush(o->f);
		spans[n++].end = *len;
		ntemps[s->nfuncs + p->index] = o->ntemps;
	}
	fclose(o->f);
	shared = share_handlers(o, text, len, spans, n, ntemps);
	free(spans);
	if (!shared)
		free(text);
	return shared;
}

static void emit_frames(FILE *f, const struct script *s, const int *ntemps)
{
	const struct probe *p;
	const struct func *fn;
	char name[32];

	for (fn = s->funcs; fn; fn = fn->next) {
		snprintf(name, sizeof(name), "fr_f%d", fn->index);
		emit_frame(f, name, fn->params, ntemps[fn->index]);
	}
	for (p = s->probes; p; p = p->next) {
		if (first_with_body(s, p) != p)
			continue;
		snprintf(name, sizeof(name), "fr_p%d", p->index);
		if (share_frame(p))
			fputs(share_frame(p), f);
		else
			emit_frame(f, name, p->locals, ntemps[s->nfuncs + p->index]);
	}
	fputs("union rt_frame {\n", f);
	for (fn = s->funcs; fn; fn = fn->next)
		fprintf(f, "\tstruct fr_f%d f%d;\n", fn->index, fn->index);
	for (p = s->probes; p; p = p->next)
		if (first_with_body(s, p) == p)
			fprintf(f, "\tstruct fr_p%d p%d;\n", p->index, p->index);
	fputs("};\n\nstatic size_t rt_gen_frame_size(void)\n{\n"
	      "\treturn sizeof(union rt_frame);\n}\n", f);
}

/**
 * emit_tz - the translating host's time zone now, for tz_gmtoff() and tz_name() (tapset/
 * linux/tzinfo.stp): seconds west of UTC and the zone's abbreviation, as SystemTap 4.8's
 * translator records them
 * @o: output
 */
static void emit_tz(struct out *o)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!localtime_r(&now, &tm))
		memset(&tm, 0, sizeof(tm));
	put(o, "#define RT_TZ_GMTOFF %ld\n#define RT_TZ_NAME \"%s\"\n",
	    -tm.tm_gmtoff, tm.tm_zone ? tm.tm_zone : "UTC");
}

/**
 * emit_script - write the module's C source
 * @f: destination
 * @s: the checked script
 *
 * Return: 0, or -1 when writing failed.
 */
int emit_script(FILE *f, const struct script *s)
{
	const struct stmt **fe = xcalloc(s->ids + 1, sizeof(*fe));
	int *ntemps = xcalloc(s->nfuncs + s->nprobes + 1, sizeof(int));
	struct out o = { .s = s };
	const struct probe *p;
	const struct func *fn;
	size_t len = 0;
	char *text;
	int nfe = 0, nk;

	share_reset();
	text = emit_bodies(&o, s, &len, ntemps);
	if (!text)
		return -1;
	for (fn = s->funcs; fn; fn = fn->next)
		collect_foreach(fn->body, fe, &nfe);
	for (p = s->probes; p; p = p->next)
		if (first_with_body(s, p) == p)
			collect_foreach(p->body, fe, &nfe);
	o.f = f;
	put(&o, "/* generated by relaytap stap from %s */\n#include \"runtime.h\"\n\n", s->file);
	emit_tz(&o);
	emit_embedded(&o, s);
	if (regex_emit(&o, s))
		return -1;
	emit_globals(&o, s);
	emit_frames(f, s, ntemps);
	emit_formats(&o);
	put(&o, "\n");
	for (fn = s->funcs; fn; fn = fn->next) {
		emit_proto(&o, fn);
		put(&o, ";\n");
	}
	for (p = s->probes; p; p = p->next)
		emit_pinfo(&o, p);
	for (nk = 0; nk < nfe; nk++)
		put(&o, "static struct rt_mentry **fe_%d;\n", fe[nk]->id);
	fwrite(text, 1, len, f);
	free(text);
	emit_runner(&o, s, "rt_gen_begin", P_BEGIN);
	emit_runner(&o, s, "rt_gen_end", P_END);
	emit_runner(&o, s, "rt_gen_error", P_ERROR);
	nk = emit_descriptors(&o, s);
	emit_register(&o, s, nk, trace_emit(&o, s));
	emit_init(&o, s, fe, nfe);
	emit_params(&o, s);
	share_reset();
	return ferror(f) ? -1 : 0;
}
