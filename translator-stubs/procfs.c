// SPDX-License-Identifier: GPL-2.0
/*
 * procfs.c - procfs probe points and their $value, as SystemTap 4.8's tapset-procfs.cxx:
 *
 *   procfs[("PATH")][.umask(U)].read[.maxsize(N)]   procfs[("PATH")][.umask(U)].write
 *
 * PATH is relative to /proc/systemtap/MODULE ("command" when omitted), may name
 * subdirectories, and never starts or ends with '/', has an empty component, '.' or '..'.
 * One read and one write probe per path.  The file's mode is 0444 for a read probe and
 * 0222 for a write probe, less the umasks (by default 0044 for read, 0022 for write).
 * In a read probe $value may only be assigned ('=' or '.='); in a write probe it may only
 * be read.  The runtime side is runtime/probes/procfs.c.
 */
#include <stdlib.h>
#include <string.h>
#include "emit.h"
#include "sema.h"
#include "typed.h"

#define PROCFS_MAXSIZE	(16 << 20)	/* .maxsize() limit: the buffer is kvzalloc'ed */

/** procfs_path_ok - 4.8's checks of a procfs PATH; NULL or the error */
static const char *procfs_path_ok(const char *path)
{
	const char *q = path, *slash;
	size_t n;

	if (*path == '/')
		return "procfs path cannot start with a '/'";
	for (;;) {
		slash = strchr(q, '/');
		n = slash ? (size_t)(slash - q) : strlen(q);
		if (!n)
			return slash ? "procfs path component cannot be empty" :
				"procfs path cannot end with a '/'";
		if ((n == 1 && q[0] == '.') || (n == 2 && !strncmp(q, "..", 2)))
			return "procfs path cannot be relative (and contain '.' or '..')";
		if (!slash)
			return strpbrk(path, "\"\\") ? "procfs path cannot contain '\"' or '\\' "
				"(relaytap)" : NULL;
		q = slash + 1;
	}
}

/** number - "(N)" at *@q (decimal, as parse-point.c writes it); -1 if none */
static int number(const char **q, long long *v)
{
	char *end;

	if (**q != '(')
		return -1;
	*v = strtoll(*q + 1, &end, 10);
	if (end == *q + 1 || *end != ')')
		return -1;
	*q = end + 1;
	return 0;
}

/**
 * procfs_point - resolve a procfs probe point
 * @p: the probe
 *
 * Return: 0, 1 when @p is no procfs point, or -1 after a diagnostic.
 */
int procfs_point(struct probe *p)
{
	const char *q = p->point, *end, *why;
	long long umask = -1, maxsize = 0;

	if (strncmp(q, "procfs", 6) || (q[6] && q[6] != '.' && q[6] != '('))
		return 1;
	q += 6;
	if (!strncmp(q, "(\"", 2)) {
		end = strstr(q + 2, "\")");
		if (!end)
			goto bad;
		p->symbol = strndup(q + 2, end - q - 2);
		q = end + 2;
	} else {
		p->symbol = xstrdup("command");
	}
	if (!strncmp(q, ".umask", 6)) {
		q += 6;
		if (number(&q, &umask))
			goto bad;
	}
	if (!strncmp(q, ".read", 5)) {
		q += 5;
		if (!strncmp(q, ".maxsize", 8)) {
			q += 8;
			if (number(&q, &maxsize))
				goto bad;
			if (maxsize <= 0) {
				diag(&p->loc, "maxsize must be greater than 0");
				return -1;
			}
			if (maxsize > PROCFS_MAXSIZE) {
				diag(&p->loc, "maxsize %lld is larger than relaytap's limit of %d",
				     maxsize, PROCFS_MAXSIZE);
				return -1;
			}
		}
	} else if (!strncmp(q, ".write", 6)) {
		q += 6;
		p->ret = 1;
	} else {
		goto bad;
	}
	if (*q)
		goto bad;
	why = procfs_path_ok(p->symbol);
	if (why) {
		diag(&p->loc, "%s", why);
		return -1;
	}
	p->kind = P_PROCFS;
	p->offset = maxsize;
	p->period_ns = (umask < 0 ? (p->ret ? 0022 : 0044) : umask) & 0777;
	return 0;
bad:
	diag(&p->loc, "probe point '%s' is not supported (see stap(1))", p->point);
	return -1;
}

/**
 * procfs_check - 4.8's one read and one write probe per path
 * @s: the script, its points resolved
 *
 * Return: 0, or -1 after a diagnostic.
 */
int procfs_check(const struct script *s)
{
	const struct probe *p, *q;

	for (p = s->probes; p; p = p->next) {
		if (p->kind != P_PROCFS)
			continue;
		for (q = s->probes; q != p; q = q->next) {
			if (q->kind != P_PROCFS || q->ret != p->ret || strcmp(q->symbol, p->symbol))
				continue;
			diag(&p->loc, "only one %s procfs probe can exist for procfs path \"%s\"",
			     p->ret ? "write" : "read", p->symbol);
			return -1;
		}
		for (q = s->probes; q; q = q->next) {
			size_t n = strlen(p->symbol);

			if (q->kind != P_PROCFS || strncmp(q->symbol, p->symbol, n) ||
			    q->symbol[n] != '/')
				continue;
			diag(&p->loc, "procfs path \"%s\" is both a file and a directory of \"%s\"",
			     p->symbol, q->symbol);
			return -1;
		}
	}
	return 0;
}

/** value_ok - $value as a procfs probe may name it (4.8's messages); 0 or -1 */
static int value_ok(const struct expr *e)
{
	const struct tgt *t = e->tgt;

	if (t->base != TG_VAR || strcmp(t->name, "value")) {
		diag(&e->loc, "invalid target symbol for procfs probe, $value expected");
		return -1;
	}
	if (t->ncomps) {
		diag(&t->comps[0].loc, "procfs variable '$value' may not be used as %s",
		     t->comps[0].name ? "a structure" : "array");
		return -1;
	}
	if (t->pretty) {
		diag(&e->loc, "procfs variable '$value' may not be pretty-printed");
		return -1;
	}
	return 0;
}

/**
 * procfs_target_sema - $value read in procfs probe @p (a write probe)
 * Return: 0, or -1 after a diagnostic.
 */
int procfs_target_sema(struct probe *p, struct expr *e)
{
	if (e->kind != E_TARGET) {
		diag(&e->loc, "invalid target symbol for procfs probe, $value expected");
		return -1;
	}
	if (value_ok(e))
		return -1;
	if (!p->ret) {
		diag(&e->loc, "procfs $value variable cannot be read in a procfs read probe");
		return -1;
	}
	if (e->tgt->addr) {
		diag(&e->loc, "cannot take address of procfs variable");
		return -1;
	}
	e->type = TY_STRING;
	return 0;
}

/**
 * procfs_assign_sema - $value = EXPR or $value .= EXPR in procfs probe @p (a read probe)
 * @sub, @scope: check EXPR (as typed_assign_sema())
 * Return: 0, or -1 after a diagnostic.
 */
int procfs_assign_sema(struct probe *p, struct expr *e,
		       int (*sub)(void *scope, struct expr *e), void *scope)
{
	struct expr *x = e->a;

	if (value_ok(x))
		return -1;
	if (p->ret) {
		diag(&x->loc, "procfs $value variable is read-only in a procfs write probe");
		return -1;
	}
	if (e->kind != E_ASSIGN || (strcmp(e->op, "=") && strcmp(e->op, ".="))) {
		diag(&x->loc, "Only the following assign operators are implemented on procfs "
		     "read target variables: '=', '.='");
		return -1;
	}
	if (x->tgt->addr) {
		diag(&x->loc, "cannot take address of procfs variable");
		return -1;
	}
	x->type = TY_STRING;
	e->type = TY_STRING;
	return sub(scope, e->b) || want(e->b, TY_STRING);
}

/** procfs_emit_target - the C of $value read in a write probe */
void procfs_emit_target(struct out *o, const struct expr *e)
{
	put(o, "rt_procfs_value(c)");
}

/** procfs_emit_assign - the C of $value = EXPR / $value .= EXPR in a read probe */
void procfs_emit_assign(struct out *o, const struct expr *e)
{
	put(o, "({ const char *_v = ");
	emit_expr(o, e->b);
	put(o, "; likely(!c->error) ? rt_procfs_put(c, _v, %d) : \"\"; })",
	    !strcmp(e->op, ".="));
}

/** find_file - the earlier procfs probe of @s with @p's path, or NULL */
static const struct probe *find_file(const struct script *s, const struct probe *p)
{
	const struct probe *q;

	for (q = s->probes; q != p; q = q->next)
		if (q->kind == P_PROCFS && !strcmp(q->symbol, p->symbol))
			return q;
	return NULL;
}

/** emit_dirs - the subdirectories the paths need, parents first; how many */
static int emit_dirs(struct out *o, const struct script *s)
{
	const struct probe *p, *q;
	char dir[512], *slash;
	int n = 0, seen;

	put(o, "static const char *const rt_procfs_dirs[] = {\n");
	for (p = s->probes; p; p = p->next) {
		if (p->kind != P_PROCFS || find_file(s, p))
			continue;
		snprintf(dir, sizeof(dir), "%s", p->symbol);
		for (slash = strchr(dir, '/'); slash; slash = strchr(slash + 1, '/')) {
			*slash = '\0';
			seen = 0;	/* an earlier file's path has it already */
			for (q = s->probes; q != p && !seen; q = q->next)
				seen = q->kind == P_PROCFS && !find_file(s, q) &&
					!strncmp(q->symbol, dir, strlen(dir)) &&
					q->symbol[strlen(dir)] == '/';
			if (!seen) {
				put(o, "\t");
				emit_cstr(o, dir);
				put(o, ",\n");
				n++;
			}
			*slash = '/';
		}
	}
	put(o, "\tNULL\n};\n");
	return n;
}

/**
 * procfs_emit - the script's procfs files (runtime/probes/procfs.c struct rt_procfs_file)
 * @o: output
 * @s: the script
 * @ndirs: set to how many subdirectories rt_procfs_dirs lists
 *
 * Return: how many files rt_procfs_files lists (0: nothing emitted).
 */
int procfs_emit(struct out *o, const struct script *s, int *ndirs)
{
	const struct probe *p, *q, *r, *w;
	int n = 0, mode;

	for (p = s->probes; p; p = p->next)
		n += p->kind == P_PROCFS && !find_file(s, p);
	if (!n)
		return 0;
	*ndirs = emit_dirs(o, s);
	put(o, "static const struct rt_procfs_file rt_procfs_files[%d] = {\n", n);
	for (p = s->probes; p; p = p->next) {
		if (p->kind != P_PROCFS || find_file(s, p))
			continue;
		r = w = NULL;
		for (q = p; q; q = q->next)
			if (q->kind == P_PROCFS && !strcmp(q->symbol, p->symbol))
				*(q->ret ? &w : &r) = q;
		mode = ((r ? 0444 : 0) | (w ? 0222 : 0)) &
			~((r ? r->period_ns : 0) | (w ? w->period_ns : 0));
		put(o, "\t{ .path = ");
		emit_cstr(o, p->symbol);
		put(o, ", .mode = 0%o, .bufsize = %llu", mode, r && r->offset ?
		    (unsigned long long)r->offset : 0ULL);
		if (!r || !r->offset)
			put(o, " + (%s)", r ? "RT_PROCFS_BUFSIZE" : "RT_MAXSTRINGLEN");
		if (r)
			put(o, ",\n\t  .read_pi = &rt_pi_%d, .read_fn = rt_body_%d", r->index,
			    first_with_body(s, r)->index);
		if (w)
			put(o, ",\n\t  .write_pi = &rt_pi_%d, .write_fn = rt_body_%d", w->index,
			    first_with_body(s, w)->index);
		put(o, " },\n");
	}
	put(o, "};\n");
	return n;
}
