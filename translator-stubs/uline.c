// SPDX-License-Identifier: GPL-2.0
/*
 * uline.c - process("PATH").statement("FUNC@FILE:LINE") and .statement(ADDR): a uprobe on
 * a source line, found in the file's DWARF line table through libdw (elfutils), or on an
 * address of the file's layout.
 *
 * As SystemTap 4.8 (tapsets.cxx, query_srcfile_line; dwflpp.cxx, iterate_over_srcfile_lines):
 * FILE matches a line table's file name whole, by its last components ("dir/f.c") or as a
 * shell pattern; FUNC is a pattern on the function that holds the line's code; a line with
 * several is_stmt records in one function (a for loop's header) is probed once, at its
 * lowest address; a line without records is an error that names the nearest lines with
 * code.  The probe's pp() is process("PATH").statement("FUNC@FULLFILE:LINE") with the
 * function found and the line table's full file name, as 4.8's.
 */
#include <elfutils/libdw.h>
#include <dwarf.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ast.h"

#define MAX_HITS	256	/* probes one statement point makes */

/** struct uhit - one probed line: its function, file, and lowest address */
struct uhit {
	char func[128];
	char file[PATH_MAX];
	int line;
	Dwarf_Addr addr;
};

/** struct uquery - what .statement("FUNC@FILE:LINE") asks, and what it found */
struct uquery {
	const char *func;
	const char *file;
	int line;		/* the first line asked for */
	int last;		/* the last (a range N-M, or * for every line) */
	int before;		/* the nearest lines with code around @line, for the error */
	int after;
	struct uhit *hits;
	int n;
};

/** file_matches - line table file @name is @want: whole, by last components, or a glob */
static int file_matches(const char *name, const char *want)
{
	size_t n = strlen(name), w = strlen(want);

	if (!strcmp(name, want) || !fnmatch(want, name, 0))
		return 1;
	return n > w && name[n - w - 1] == '/' && !strcmp(name + n - w, want);
}

/** func_of - the name of the (outermost) function of @cu whose code holds @addr, or NULL */
static const char *func_of(Dwarf_Die *cu, Dwarf_Addr addr)
{
	Dwarf_Die c;
	int rc;

	for (rc = dwarf_child(cu, &c); !rc; rc = dwarf_siblingof(&c, &c))
		if (dwarf_tag(&c) == DW_TAG_subprogram && dwarf_haspc(&c, addr) == 1)
			return dwarf_diename(&c);
	return NULL;
}

/** add_hit - record @addr for @func, @file, @line: one per function and line, the lowest */
static void add_hit(struct uquery *q, const char *func, const char *file, int line,
		    Dwarf_Addr addr)
{
	int i;

	for (i = 0; i < q->n; i++) {
		if (q->hits[i].line != line || strcmp(q->hits[i].func, func) ||
		    strcmp(q->hits[i].file, file))
			continue;
		if (addr < q->hits[i].addr)
			q->hits[i].addr = addr;
		return;
	}
	if (q->n == MAX_HITS)
		return;
	snprintf(q->hits[q->n].func, sizeof(q->hits[q->n].func), "%s", func);
	snprintf(q->hits[q->n].file, sizeof(q->hits[q->n].file), "%s", file);
	q->hits[q->n].line = line;
	q->hits[q->n++].addr = addr;
}

/** scan_cu - the line records of @cu for @q's file and line (and the nearest others) */
static void scan_cu(Dwarf_Die *cu, struct uquery *q)
{
	Dwarf_Lines *lines;
	Dwarf_Addr addr;
	size_t i, n;
	const char *src, *fn;
	bool stmt;
	int ln;

	if (dwarf_getsrclines(cu, &lines, &n))
		return;
	for (i = 0; i < n; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i);

		if (!l || dwarf_lineno(l, &ln) || dwarf_lineaddr(l, &addr) ||
		    dwarf_linebeginstatement(l, &stmt) || !stmt ||
		    !(src = dwarf_linesrc(l, NULL, NULL)) || !file_matches(src, q->file))
			continue;
		if (ln < q->line && ln > q->before)
			q->before = ln;
		if (ln > q->last && (!q->after || ln < q->after))
			q->after = ln;
		if (ln < q->line || ln > q->last || !(fn = func_of(cu, addr)) ||
		    fnmatch(q->func, fn, 0))
			continue;
		add_hit(q, fn, src, ln, addr);
	}
}

/**
 * parse_spec - split "FUNC@FILE:LINE" (FUNC may be empty: "*"; LINE a number, a range
 * N-M, or * for every line) into @q
 * Return: 0, or -1 when @spec is not of that form.
 */
static int parse_spec(char *spec, struct uquery *q)
{
	char *at = strchr(spec, '@'), *colon, *end;
	long line;

	if (!at)
		return -1;
	*at = '\0';
	q->func = *spec ? spec : "*";
	q->file = at + 1;
	colon = strrchr(q->file, ':');
	if (!colon || colon == q->file)
		return -1;
	*colon = '\0';
	if (!strcmp(colon + 1, "*")) {
		q->line = 1;
		q->last = INT_MAX;
		return 0;
	}
	line = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || line <= 0 || line > INT_MAX)
		return -1;
	q->line = q->last = (int)line;
	if (*end == '-') {
		line = strtol(end + 1, &end, 10);
		if (line < q->line || line > INT_MAX)
			return -1;
		q->last = (int)line;
	}
	return *end ? -1 : 0;
}

/** hit_probe - the probe of hit @h: @p itself for the first, else a copy after @last */
static struct probe *hit_probe(struct probe *p, struct probe *last, int k, const char *path,
			       const struct uhit *h, uint64_t off)
{
	struct probe *c = p;
	char buf[2 * PATH_MAX + 200];

	if (k) {
		c = xcalloc(1, sizeof(*c));
		*c = *p;
		c->locals = NULL;
		c->next = last->next;
		last->next = c;
	}
	snprintf(buf, sizeof(buf), "process(\"%s\").statement(\"%s@%s:%d\")", path, h->func,
		 h->file, h->line);
	c->point = xstrdup(buf);
	c->written = NULL;	/* 4.8's -p2 names the line it resolved, not the pattern */
	c->symbol = xstrdup(h->func);
	c->file = (char *)path;
	c->offset = off;
	c->stmt = 1;
	return c;
}

/**
 * line_point - .statement("FUNC@FILE:LINE") of @path: one probe per function with code
 * of that line
 */
static int line_point(struct probe *p, Elf *elf, const char *path, char *spec, int q)
{
	struct uquery uq = { 0 };
	Dwarf_Off off = 0, next;
	struct probe *last = p;
	Dwarf_Die cu;
	size_t hsize;
	uint64_t fo;
	Dwarf *dw;
	int i, k = 0;

	if (parse_spec(spec, &uq)) {
		qdiag(q, &p->loc, "probe point '%s': .statement takes \"FUNC@FILE:LINE\" or an "
		      "address", p->point);
		return -1;
	}
	dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL);
	if (!dw) {
		qdiag(q, &p->loc, "'%s' has no debug information (DWARF) for line %d of '%s': the "
		      "debuginfo is missing (build it with -g)", path, uq.line, uq.file);
		return -1;
	}
	uq.hits = xcalloc(MAX_HITS, sizeof(*uq.hits));
	while (!dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL)) {
		if (dwarf_offdie(dw, off + hsize, &cu))
			scan_cu(&cu, &uq);
		off = next;
	}
	for (i = 0; i < uq.n; i++)
		if (!uprobe_vaddr_off(elf, uq.hits[i].addr, &fo))
			last = hit_probe(p, last, k++, path, &uq.hits[i], fo);
	if (!k && (uq.before || uq.after) && uq.line == uq.last)
		qdiag(q, &p->loc, "no line records for %s:%d in '%s'%s (try :%d or :%d)", uq.file,
		      uq.line, path, strcmp(uq.func, "*") ? " in that function" : "",
		      uq.before ? uq.before : uq.after, uq.after ? uq.after : uq.before);
	else if (!k && (uq.before || uq.after))
		qdiag(q, &p->loc, "no line records for %s:%d-%d in '%s'%s", uq.file, uq.line,
		      uq.last, path, strcmp(uq.func, "*") ? " in that function" : "");
	else if (!k)
		qdiag(q, &p->loc, "no line records for '%s' in '%s' (no compilation unit of that "
		      "source file has DWARF lines)", uq.file, path);
	free(uq.hits);
	dwarf_end(dw);
	return k ? 0 : -1;
}

/**
 * uline_point - resolve process("PATH").statement(...) in file @path
 * @p:    the probe (P_UPROBE; more follow it for a line in several functions)
 * @elf:  the file, open
 * @path: its absolute path
 * @arg:  what is between the parentheses: "FUNC@FILE:LINE" quoted, or an address
 * @q:    silent (an optional point)
 *
 * Return: 0, or -1 after a diagnostic.
 */
int uline_point(struct probe *p, Elf *elf, const char *path, const char *arg, int q)
{
	char spec[PATH_MAX + 256], *end;
	unsigned long long a;
	uint64_t off;
	size_t n = strlen(arg);

	if (n >= 2 && arg[0] == '"' && arg[n - 1] == '"' && n - 2 < sizeof(spec)) {
		memcpy(spec, arg + 1, n - 2);
		spec[n - 2] = '\0';
		return line_point(p, elf, path, spec, q);
	}
	a = strtoull(arg, &end, 0);
	if (end == arg || *end) {
		qdiag(q, &p->loc, "probe point '%s': .statement takes \"FUNC@FILE:LINE\" or an "
		      "address", p->point);
		return -1;
	}
	if (uprobe_vaddr_off(elf, a, &off)) {
		qdiag(q, &p->loc, "probe point '%s': 0x%llx is not in an executable segment of "
		      "'%s'", p->point, a, path);
		return -1;
	}
	p->file = (char *)path;
	p->offset = off;
	p->symbol = "";
	p->stmt = 1;
	p->written = NULL;	/* -p2 names it in hex, as 4.8 */
	return 0;
}

/** struct lrow - a line table row: file offset, line (0: a sequence ends), source index */
struct lrow {
	uint64_t off;
	unsigned int line;
	unsigned int src;
};

/** grow - @p (@n elements of @size) with room for @m, as xcalloc() on failure */
static void *grow(void *p, size_t n, size_t m, size_t size)
{
	void *q = xcalloc(m, size);

	if (n)
		memcpy(q, p, n * size);
	free(p);
	return q;
}

static int cmp_lrow(const void *a, const void *b)
{
	const struct lrow *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return (x->line != 0) - (y->line != 0);	/* an end before a start at one offset */
}

/** src_index - the index of source @name in @v (@n names), added when new */
static unsigned int src_index(char ***v, size_t *n, const char *name)
{
	size_t i;

	for (i = *n; i-- > 0;)
		if (!strcmp((*v)[i], name))
			return i;
	*v = grow(*v, *n, *n + 1, sizeof(**v));
	(*v)[*n] = xstrdup(name);
	return (*n)++;
}

/** read_rows - every row of @dw's line tables, at file offsets of @elf; how many */
static size_t read_rows(Dwarf *dw, Elf *elf, struct lrow **rows, char ***srcs, size_t *nsrcs)
{
	Dwarf_Off off = 0, next;
	size_t hsize, i, n, k = 0, cap = 0;
	Dwarf_Lines *lines;
	Dwarf_Addr addr;
	Dwarf_Die cu;
	const char *src;
	uint64_t fo;
	bool end;
	int ln;

	for (; !dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL); off = next) {
		if (!dwarf_offdie(dw, off + hsize, &cu) || dwarf_getsrclines(&cu, &lines, &n))
			continue;
		for (i = 0; i < n; i++) {
			Dwarf_Line *l = dwarf_onesrcline(lines, i);

			if (!l || dwarf_lineaddr(l, &addr) || dwarf_lineno(l, &ln) ||
			    dwarf_lineendsequence(l, &end) || !(src = dwarf_linesrc(l, NULL, NULL)))
				continue;
			if (uprobe_vaddr_off(elf, addr, &fo) &&
			    (!end || !addr || uprobe_vaddr_off(elf, addr - 1, &fo) || !++fo))
				continue;	/* a sequence may end just past its segment */
			if (k == cap) {
				*rows = grow(*rows, k, cap ? 2 * cap : 1024, sizeof(**rows));
				cap = cap ? 2 * cap : 1024;
			}
			(*rows)[k].off = fo;
			(*rows)[k].line = end || ln <= 0 ? 0 : ln;
			(*rows)[k++].src = src_index(srcs, nsrcs, src);
		}
	}
	return k;
}

/** put_cstr - @s as a C string literal */
static void put_cstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fprintf(f, *s == '"' || *s == '\\' ? "\\%c" : (unsigned char)*s < 32 ||
			(unsigned char)*s > 126 ? "\\%03o" : "%c", (unsigned char)*s);
	fputc('"', f);
}

/**
 * uline_emit_table - the C of file @i's line table (rt_ulines_I, rt_usrcs_I: struct
 * rt_uline of runtime/probes/usym.c) from its DWARF, for usymfileline() and friends: rows
 * by file offset, each where a line's code starts; consecutive rows of one line merge
 * @f:   the module's source
 * @i:   the file's index in rt_ufile_tab
 * @elf: the file
 *
 * Return: how many rows (0: the file has no DWARF lines, and nothing is written).
 */
int uline_emit_table(FILE *f, int i, Elf *elf)
{
	struct lrow *v = NULL;
	char **srcs = NULL;
	size_t n, k, m = 0, nsrcs = 0;
	Dwarf *dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL);

	if (!dw)
		return 0;
	n = read_rows(dw, elf, &v, &srcs, &nsrcs);
	dwarf_end(dw);
	qsort(v, n, sizeof(*v), cmp_lrow);
	for (k = 0; k < n; k++) {	/* the last row at an offset wins; repeats merge */
		if (m && v[m - 1].off == v[k].off)
			m--;
		if (m && v[m - 1].line == v[k].line && v[m - 1].src == v[k].src)
			continue;
		v[m++] = v[k];
	}
	if (m) {
		fprintf(f, "static const char *const rt_usrcs_%d[] = {\n", i);
		for (k = 0; k < nsrcs; k++) {
			fputc('\t', f);
			put_cstr(f, srcs[k]);
			fputs(",\n", f);
		}
		fprintf(f, "};\nstatic const struct rt_uline rt_ulines_%d[] = {\n", i);
		for (k = 0; k < m; k++)
			fprintf(f, "\t{ 0x%llx, %u, %u },\n", (unsigned long long)v[k].off,
				v[k].line, v[k].src);
		fprintf(f, "};\n");
	}
	for (k = 0; k < nsrcs; k++)
		free(srcs[k]);
	free(srcs);
	free(v);
	return (int)m;
}

/** struct ufuncq - what .function("FUNC@FILE[:LINE]") asks, and the functions found */
struct ufuncq {
	struct uquery q;
	char **names;
	int n;
};

static int ufunc_cb(Dwarf_Die *f, void *arg)
{
	struct ufuncq *x = arg;
	const char *n = dwarf_diename(f), *file = dwarf_decl_file(f);
	int line = 0;

	if (!n || !file || fnmatch(x->q.func, n, 0) || !file_matches(file, x->q.file) ||
	    (!dwarf_hasattr(f, DW_AT_low_pc) && !dwarf_hasattr(f, DW_AT_ranges)))
		return DWARF_CB_OK;
	if (x->q.line && (dwarf_decl_line(f, &line) || line < x->q.line || line > x->q.last))
		return DWARF_CB_OK;
	x->names = grow(x->names, x->n, x->n + 1, sizeof(*x->names));
	x->names[x->n++] = xstrdup(n);
	return DWARF_CB_OK;
}

/**
 * uline_funcs - the functions that process("PATH").function("FUNC@FILE[:LINE]") names:
 * those of @path's DWARF (libdw) whose name matches the pattern FUNC and whose declaration
 * is in FILE (matched as .statement's FILE is) at LINE (N, N-M or *) when given, as
 * SystemTap 4.8 reads "FUNC@FILE:LINE" (dwflpp.cxx, function_name_matches and
 * iterate_over_functions with a source file)
 * @path:  the file
 * @spec:  "FUNC@FILE" or "FUNC@FILE:LINE"
 * @names: set to their names (xstrdup'd, in an array to free), or NULL when none
 *
 * Return: how many, -1 when @path has no DWARF, -2 when @spec is malformed.
 */
int uline_funcs(const char *path, const char *spec, char ***names)
{
	struct ufuncq x;
	Dwarf_Off off = 0, next;
	char buf[512];
	size_t hsize;
	Dwarf_Die cu;
	Dwarf *dw;
	int fd;

	*names = NULL;
	memset(&x, 0, sizeof(x));
	snprintf(buf, sizeof(buf), "%s", spec);
	if (strchr(strchr(buf, '@') ? strchr(buf, '@') : buf, ':')) {
		if (parse_spec(buf, &x.q))
			return -2;
	} else if (strchr(buf, '@')) {
		*strchr(buf, '@') = '\0';
		x.q.func = *buf ? buf : "*";
		x.q.file = buf + strlen(buf) + 1;
	} else {
		return -2;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	dw = fd < 0 ? NULL : dwarf_begin(fd, DWARF_C_READ);
	if (!dw) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (!dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL)) {
		if (dwarf_offdie(dw, off + hsize, &cu))
			dwarf_getfuncs(&cu, ufunc_cb, &x, 0);
		off = next;
	}
	dwarf_end(dw);
	close(fd);
	*names = x.names;
	return x.n;
}
