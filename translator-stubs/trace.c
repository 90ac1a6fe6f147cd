// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - kernel.trace("NAME") and kernel.trace("SYSTEM:NAME") probes: the target's
 * tracepoints, their arguments, listing (stap -l / -L), and the C that registers them
 * (runtime/probes/tracepoint.c).
 *
 * The tracepoints are the BTF's "btf_trace_<name>" typedefs (one per tracepoint, the
 * kernel's include/trace/bpf_probe.h); their arguments, with names, are the parameters
 * of "__bpf_trace_<name>" after its first one (void *__data).  BTF does not say which
 * system a tracepoint belongs to: as SystemTap does, the system comes from the target's
 * headers, include/trace/events/<file>.h (its "#define TRACE_SYSTEM" and its TRACE_EVENT,
 * DEFINE_EVENT, ... lines) under /lib/modules/REL/build or the tree its Makefile
 * includes (Debian's -common package).  A tracepoint no header names has no system: it
 * matches only a "*" system and lists by its name alone.  A tracepoint a module defines
 * (modtp.c) is typed from the module's split BTF and registered when the module is loaded.
 */
#include <dirent.h>
#include <errno.h>
#include <unistd.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "emit.h"
#include "typed-int.h"

/* a tracepoint's system, and its event class (DEFINE_EVENT's template, else itself) */
struct tpsys {
	char *name;
	char *sys;
	char *tmpl;
};

static struct tpsys *systems;
static int nsystems = -1;

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_tpsys(const void *a, const void *b)
{
	return strcmp(((const struct tpsys *)a)->name, ((const struct tpsys *)b)->name);
}

/**
 * event_name - the event a TRACE_EVENT(...)-like line of a header defines, or NULL;
 * *@tmpl is set to its class (DEFINE_EVENT's first argument) or NULL
 */
static char *event_name(char *line, char **tmpl)
{
	static const char *const one[] = {
		"TRACE_EVENT(", "TRACE_EVENT_CONDITION(", "TRACE_EVENT_FN(", "TRACE_EVENT_FN_COND(",
		"DECLARE_TRACE(", NULL,
	};
	char *p = NULL, *end;
	int i;

	for (i = 0; one[i] && !p; i++)
		if (!strncmp(line, one[i], strlen(one[i])))
			p = line + strlen(one[i]);
	*tmpl = NULL;
	if (!p && !strncmp(line, "DEFINE_EVENT", 12) && (p = strchr(line, ','))) {
		*tmpl = strchr(line, '(');
		*p++ = '\0';
		*tmpl = *tmpl ? *tmpl + 1 + strspn(*tmpl + 1, " \t") : NULL;
	}
	if (!p)
		return NULL;
	p += strspn(p, " \t");
	end = p + strcspn(p, ", \t)\n");
	if (end == p)
		return NULL;
	*end = '\0';
	return p;
}

static void scan_header(const char *path)
{
	char line[512], sys[128] = "", *name, *tmpl;
	FILE *f = fopen(path, "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (!*sys && sscanf(line, "#define TRACE_SYSTEM %127s", sys) == 1)
			continue;
		name = event_name(line, &tmpl);
		if (!name || !*sys)
			continue;
		systems = realloc(systems, (nsystems + 1) * sizeof(*systems));
		if (!systems)
			abort();
		systems[nsystems].name = xstrdup(name);
		systems[nsystems].tmpl = xstrdup(tmpl ? tmpl : name);
		systems[nsystems++].sys = xstrdup(sys);
	}
	if (f)
		fclose(f);
}

/** events_dir - include/trace/events of the target's headers, into @buf; -1 if none */
static int events_dir(const struct options *opt, char *buf, size_t size)
{
	const char *rel = opt->kernel ? opt->kernel(1) : NULL;
	char mk[PATH_MAX], inc[PATH_MAX];
	FILE *f;

	if (!rel)
		return -1;
	snprintf(buf, size, "/lib/modules/%s/build/include/trace/events", rel);
	if (!access(buf, R_OK))
		return 0;
	snprintf(mk, sizeof(mk), "/lib/modules/%s/build/Makefile", rel);
	f = fopen(mk, "r");
	if (!f)
		return -1;
	if (fgets(mk, sizeof(mk), f) && sscanf(mk, "include %4000s", inc) == 1 &&
	    strlen(inc) > 9 && !strcmp(inc + strlen(inc) - 9, "/Makefile")) {
		inc[strlen(inc) - 9] = '\0';
		snprintf(buf, size, "%s/include/trace/events", inc);
	}
	fclose(f);
	return access(buf, R_OK);
}

static void load_systems(const struct options *opt)
{
	char dir[PATH_MAX], path[PATH_MAX + 256];
	struct dirent *d;
	DIR *dp;

	if (nsystems >= 0)
		return;
	nsystems = 0;
	if (events_dir(opt, dir, sizeof(dir)) || !(dp = opendir(dir)))
		return;
	while ((d = readdir(dp))) {
		if (!fnmatch("*.h", d->d_name, 0)) {
			snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
			scan_header(path);
		}
	}
	closedir(dp);
	qsort(systems, nsystems, sizeof(*systems), cmp_tpsys);
}

static const struct tpsys *find_tpsys(const char *name)
{
	struct tpsys key = { (char *)name, NULL, NULL };

	return nsystems > 0 ? bsearch(&key, systems, nsystems, sizeof(*systems), cmp_tpsys) :
		NULL;
}

/** trace_system - the system of tracepoint @name, or NULL when no header names it */
static const char *trace_system(const char *name)
{
	const struct tpsys *t = find_tpsys(name);

	return t ? t->sys : NULL;
}

/* vmlinux's tracepoints (its btf_trace_<name> typedefs), sorted; read once */
static char **vmtp;
static int nvmtp = -1;

/** vm_tracepoints - fill vmtp from vmlinux's BTF @b */
static void vm_tracepoints(const struct btf *b)
{
	int i, cnt = btf__type_cnt(b), cap = 0;
	const char *tn;

	if (nvmtp >= 0)
		return;
	nvmtp = 0;
	for (i = 1; i < cnt; i++) {
		const struct btf_type *t = btf__type_by_id(b, i);

		if (!btf_is_typedef(t))
			continue;
		tn = btf__name_by_offset(b, t->name_off);
		if (strncmp(tn, "btf_trace_", 10))
			continue;
		if (nvmtp == cap) {
			cap = cap ? 2 * cap : 1024;
			vmtp = realloc(vmtp, cap * sizeof(*vmtp));
			if (!vmtp)
				abort();
		}
		vmtp[nvmtp++] = (char *)tn + 10;
	}
	qsort(vmtp, nvmtp, sizeof(*vmtp), cmp_name);
}

/** in_vmlinux - vmlinux (BTF @b) has tracepoint @name */
static int in_vmlinux(const struct btf *b, const char *name)
{
	vm_tracepoints(b);
	return nvmtp > 0 && bsearch(&name, vmtp, nvmtp, sizeof(*vmtp), cmp_name);
}

/** add_name - append @name to @v (@n of them) when its system matches @sys */
static char **add_name(char **v, int *n, const char *name, const char *sys)
{
	const char *ts = trace_system(name);

	if (strcmp(sys, "*") && (!ts || fnmatch(sys, ts, 0)))
		return v;
	v = realloc(v, (*n + 1) * sizeof(*v));
	if (!v)
		abort();
	v[(*n)++] = (char *)name;
	return v;
}

/**
 * trace_match - the tracepoints matching "SYS:NAME" or "NAME" (shell patterns), sorted:
 * vmlinux's, then those the modules define (not read for a name vmlinux has)
 * @opt: the command line (the target release)
 * @b:   vmlinux's BTF
 * @pat: the pattern
 * @n:   set to how many
 */
static char **trace_match(const struct options *opt, const struct btf *b, const char *pat,
			  int *n)
{
	char sys[128] = "*", **v = NULL, **mv;
	const char *name = pat, *colon = strchr(pat, ':');
	int i, nm = 0;

	if (colon && (size_t)(colon - pat) < sizeof(sys)) {
		memcpy(sys, pat, colon - pat);
		sys[colon - pat] = '\0';
		name = colon + 1;
	}
	*n = 0;
	vm_tracepoints(b);
	for (i = 0; i < nvmtp; i++)
		if (!fnmatch(name, vmtp[i], 0))
			v = add_name(v, n, vmtp[i], sys);
	mv = *n && !strpbrk(name, "*?[") ? NULL : modtp_match(opt, name, &nm);
	for (i = 0; i < nm; i++)
		if (!in_vmlinux(b, mv[i]))
			v = add_name(v, n, mv[i], sys);
	free(mv);
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_name);
	return v;
}

/** trace_module - the module that defines tracepoint @name, NULL when vmlinux (BTF @b) does */
static const char *trace_module(const struct options *opt, const struct btf *b, const char *name)
{
	return in_vmlinux(b, name) ? NULL : modtp_module(opt, name);
}

/**
 * trace_btf_of - the BTF that types tracepoint @name: its module's (modtp.c) when a module
 * defines it and vmlinux's BTF @b has no btf_trace_<name>, else @b
 */
static struct btf *trace_btf_of(const struct options *opt, struct btf *b, const char *name)
{
	struct btf *m = trace_module(opt, b, name) ? modtp_btf(opt, name, b) : NULL;

	return m ? m : b;
}

/**
 * trace_btf - the BTF that types probe @p: for a tracepoint a module defines, the
 * module's split BTF (on top of vmlinux's); else NULL (vmlinux's, typed_btf())
 */
struct btf *trace_btf(const struct options *opt, const struct probe *p)
{
	struct btf *b;

	if (p->kind != P_TRACE || !p->file)
		return NULL;
	b = typed_btf(opt, NULL);
	return b ? modtp_btf(opt, p->symbol, b) : NULL;
}

/** trace_system_of - $$system: tracepoint @name's system, or "" when unknown */
const char *trace_system_of(const char *name)
{
	const char *s = trace_system(name);

	return s ? s : "";
}

/** point_text - kernel.trace("SYS:NAME"), or kernel.trace("NAME") when SYS is unknown */
static char *point_text(const char *name)
{
	const char *sys = trace_system(name);
	char buf[512];

	snprintf(buf, sizeof(buf), "kernel.trace(\"%s%s%s\")", sys ? sys : "", sys ? ":" : "",
		 name);
	return xstrdup(buf);
}

/*
 * find_own - btf__find_by_name_kind(), but in a module's split BTF only among the module's
 * own types: libbpf searches the base's 100k types too, and kernel.trace("*") types some
 * 3500 module tracepoints (7 s of CPU)
 */
static int find_own(const struct btf *b, const char *name, int kind)
{
	const struct btf *base = btf__base_btf(b);
	const struct btf_type *t;
	int i, n = btf__type_cnt(b);

	if (!base)
		return btf__find_by_name_kind(b, name, kind);
	for (i = btf__type_cnt(base); i < n; i++) {
		t = btf__type_by_id(b, i);
		if (btf_kind(t) == kind && !strcmp(btf__name_by_offset(b, t->name_off), name))
			return i;
	}
	return -ENOENT;
}

/**
 * typed_trace_proto - the FUNC_PROTO of tracepoint @name with named arguments:
 * __bpf_trace_<class>, one per event class (the kernel's include/trace/bpf_probe.h),
 * whose first parameter is the probe's data; else the btf_trace_<name> typedef's, whose
 * arguments have no names; -1 if neither
 */
int typed_trace_proto(const struct btf *b, const char *name)
{
	const struct tpsys *t = find_tpsys(name);
	char fn[300];
	int id;

	snprintf(fn, sizeof(fn), "__bpf_trace_%s", t ? t->tmpl : name);
	id = find_own(b, fn, BTF_KIND_FUNC);
	if (id > 0)
		return btf__type_by_id(b, id)->type;
	snprintf(fn, sizeof(fn), "__bpf_trace_%s", name);
	id = find_own(b, fn, BTF_KIND_FUNC);
	if (id > 0)
		return btf__type_by_id(b, id)->type;
	snprintf(fn, sizeof(fn), "btf_trace_%s", name);
	id = find_own(b, fn, BTF_KIND_TYPEDEF);
	if (id < 0)
		return -1;
	id = kbtf_strip(b, btf__type_by_id(b, id)->type);
	return btf_is_ptr(btf__type_by_id(b, id)) ? (int)btf__type_by_id(b, id)->type : -1;
}

/** trace_pattern - the pattern in kernel.trace("PAT"), into @buf; -1 if not one */
static int trace_pattern(const char *point, char *buf, size_t size)
{
	const char *q = point + 14, *end;

	if (strncmp(point, "kernel.trace(\"", 14))
		return -1;
	end = strstr(q, "\")");
	if (!end || end == q || end[2] || (size_t)(end - q) >= size)
		return -1;
	memcpy(buf, q, end - q);
	buf[end - q] = '\0';
	return 0;
}

static struct probe *clone_trace(struct probe *p, const struct options *opt, struct btf *b,
				 const char *name)
{
	struct probe *c = xcalloc(1, sizeof(*c));
	int proto;

	*c = *p;
	c->file = (char *)trace_module(opt, b, name);
	b = trace_btf_of(opt, b, name);
	proto = typed_trace_proto(b, name);
	c->locals = NULL;
	c->kind = P_TRACE;
	c->symbol = xstrdup(name);
	c->point = point_text(name);
	c->nargs = proto < 0 ? 0 : btf_vlen(btf__type_by_id(b, proto)) - 1;
	return c;
}

/**
 * trace_point - resolve kernel.trace("PAT") probe @p: one probe per matching tracepoint
 * @p:   the probe (its point is a kernel.trace point, else 1 is returned)
 * @opt: the command line (the BTF, the target release)
 *
 * Return: 0, 1 when @p is no tracepoint probe, or -1 (after a diagnostic unless the
 * point is optional).
 */
int trace_point(struct probe *p, const struct options *opt)
{
	struct probe *last = p, *c;
	char pat[256], **v;
	struct btf *b;
	int n, i;

	if (strncmp(p->point, "kernel.trace(", 13))
		return 1;
	if (trace_pattern(p->point, pat, sizeof(pat))) {
		qdiag(p->want_optional, &p->loc, "probe point '%s' is not supported "
		      "(kernel.trace(\"NAME\") or kernel.trace(\"SYSTEM:NAME\"))", p->point);
		return -1;
	}
	b = typed_btf(opt, p->want_optional ? NULL : &p->loc);
	if (!b)
		return -1;
	load_systems(opt);
	v = trace_match(opt, b, pat, &n);
	if (!n) {
		if (!p->want_optional && modtp_compressed(opt))
			diag(&p->loc, "no tracepoint of the target kernel matches '%s' (its %d "
			     "modules compressed with zstd or gzip are not read)", pat,
			     modtp_compressed(opt));
		else if (!p->want_optional)
			diag(&p->loc, "no tracepoint of the target kernel matches '%s'", pat);
		return -1;
	}
	c = clone_trace(p, opt, b, v[0]);
	*p = *c;
	free(c);
	for (i = 1; i < n; i++) {
		c = clone_trace(p, opt, b, v[i]);
		c->next = last->next;
		last->next = c;
		last = c;
	}
	free(v);
	return 0;
}

/**
 * trace_list - stap -l / -L for kernel.trace("PAT"): the matching points, and with
 * @vars each argument as " $name:type" (SystemTap's -L format)
 * Return: 0, or -1 when there is no BTF (nothing printed; errno set).
 */
int trace_list(const char *pattern, const struct options *opt, int vars)
{
	char pat[256], tn[256], **v;
	const struct btf_param *q;
	struct btf *b;
	int n, i, k, proto;

	if (trace_pattern(pattern, pat, sizeof(pat)))
		return 1;
	b = typed_btf(opt, NULL);
	if (!b)
		return -1;
	load_systems(opt);
	v = trace_match(opt, b, pat, &n);
	for (i = 0; i < n; i++) {
		char *point = point_text(v[i]);
		struct btf *m = vars ? trace_btf_of(opt, b, v[i]) : b;

		fputs(point, stdout);
		free(point);
		proto = vars ? typed_trace_proto(m, v[i]) : -1;
		q = proto < 0 ? NULL : btf_params(btf__type_by_id(m, proto));
		for (k = 1; q && k < btf_vlen(btf__type_by_id(m, proto)); k++) {
			if (!*btf__name_by_offset(m, q[k].name_off))
				break;		/* a typedef's: no names */
			kbtf_type_name(m, q[k].type, tn, sizeof(tn));
			printf(" $%s:%s", btf__name_by_offset(m, q[k].name_off), tn);
		}
		putchar('\n');
	}
	free(v);
	return 0;
}

/** listed_type - type @id as 4.8's -L spells it, its qualifiers after ("char const*") */
static void listed_type(const struct btf *b, int id, char *buf, size_t size, int depth)
{
	const struct btf_type *t = btf__type_by_id(b, id);
	int k = t ? btf_kind(t) : 0;

	if (depth > 8 || (k != BTF_KIND_CONST && k != BTF_KIND_PTR)) {
		kbtf_type_name(b, id, buf, size);
		return;
	}
	listed_type(b, t->type, buf, size, depth + 1);
	snprintf(buf + strlen(buf), size - strlen(buf), k == BTF_KIND_PTR ? "*" : " const");
}

/**
 * kfunc_list_params - stap -L of an alias: the target variables of the kernel.function
 * probe @p resolved to, as 4.8 lists them after the alias's own (" $path:struct path
 * const* $file:struct file*"); nothing for another kind of probe, for a system call's
 * wrapper (__x64_sys_NAME: 4.8 lists no $ variables for syscall.NAME) or without BTF
 * @f:   where
 * @opt: the command line (the BTF)
 * @p:   the probe, resolved
 */
void kfunc_list_params(FILE *f, const struct options *opt, const struct probe *p)
{
	const struct btf_type *t;
	const struct btf_param *q;
	const struct btf *b;
	char tn[256];
	int proto, skip, k;

	if (p->kind != P_KPROBE || !p->symbol || !strncmp(p->symbol, "__x64_sys_", 10))
		return;
	b = typed_btf(opt, NULL);
	proto = b ? typed_proto(b, p, &skip) : -1;
	if (proto < 0)
		return;
	t = btf__type_by_id(b, proto);
	q = btf_params(t);
	for (k = skip; k < btf_vlen(t) && *btf__name_by_offset(b, q[k].name_off); k++) {
		listed_type(b, q[k].type, tn, sizeof(tn), 0);
		fprintf(f, " $%s:%s", btf__name_by_offset(b, q[k].name_off), tn);
	}
}

/** trace_emit - the tracepoint probes' functions and descriptors; how many */
int trace_emit(struct out *o, const struct script *s)
{
	const struct probe *p;
	int n = 0, i;

	for (p = s->probes; p; p = p->next) {
		if (p->kind != P_TRACE)
			continue;
		n++;
		put(o, "static void rt_tpfn_%d(void *data", p->index);
		for (i = 0; i < p->nargs; i++)
			put(o, ", unsigned long a%d", i);
		put(o, ")\n{\n\tunsigned long a[] = { ");
		for (i = 0; i < p->nargs; i++)
			put(o, "a%d, ", i);
		put(o, "0 };\n\n\trt_trace_hit(data, a);\n}\n");
	}
	if (!n)
		return 0;
	put(o, "static struct rt_tracepoint rt_tps[%d] = {\n", n);
	for (p = s->probes; p; p = p->next)
		if (p->kind == P_TRACE)
			put(o, "\t{ .pi = &rt_pi_%d, .fn = rt_body_%d, .name = \"%s\", "
			    ".probe = (void *)rt_tpfn_%d%s%s%s },\n", p->index,
			    first_with_body(s, p)->index, p->symbol, p->index,
			    p->file ? ", .module = \"" : "", p->file ? p->file : "",
			    p->file ? "\"" : "");
	put(o, "};\n");
	return n;
}
