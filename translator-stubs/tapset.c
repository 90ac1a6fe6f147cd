// SPDX-License-Identifier: GPL-2.0
/*
 * tapset.c - the tapset library: script files that define functions, probe aliases and
 * globals for scripts to use, found and pulled in as SystemTap 4.8 does (main.cxx and
 * elaborate.cxx's symresolution_info: a library file joins the script when the script
 * uses a function, a probe alias or a global that the file defines).
 *
 * Directories, in search order (struct options.tapset_dirs, from main.c): the in-tree
 * tapset/ when stap runs from its build tree, the installed $(pkgdatadir)/tapset, then each
 * -I DIR in command-line order.  In each, the .stp files of DIR, DIR/linux, DIR/ARCH and
 * DIR/linux/ARCH (ARCH as uname -m prints it), sorted by name.  A file whose name an
 * earlier directory already had is skipped, so an installed copy never doubles the in-tree
 * one.  A name defined by several files resolves to the first.
 *
 * Each file is only scanned (comments, strings and %{ %} skipped; "function NAME",
 * "global NAME, ..." and "probe NAME =" or "+=" at brace depth 0), not parsed, and only
 * when the index cache (struct options.tapset_cache, $XDG_CACHE_HOME/relaytap/tapset-index)
 * has no entry for it with the same size and modification time.  Only the
 * files a script uses are parsed and elaborated, with what they in turn use; their
 * functions that no probe reaches are dropped before types are inferred.  Measured with
 * the 586 .stp files (5 MB) of SystemTap 4.8's library as -I (its .stpm files left out:
 * their @define module_container_of and others clash with ours, "macro first defined
 * here"), stap -p2 of a ctime(0) script on a loaded 2-core host: 0.04 to 0.11 s with a
 * first scan, about 0.03 s with the cache (one stat() per file), 0.01 s without the -I;
 * compile time follows the files a script uses.
 */
#include <dirent.h>
#include <limits.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "ast.h"
#include "fcache.h"

/**
 * struct tfile - one library file
 * @path:   its path
 * @names:  "f NAME", "a NAME" (a probe alias) and "g NAME", one allocation each
 * @n:      how many
 * @loaded: parsed into the script
 */
struct tfile {
	char *path;
	char **names;
	int n;
	int loaded;
};

static struct tfile *files;
static int nfiles;

/** read_file_text - the whole of file @path, NUL-terminated, or NULL with errno */
static char *read_file_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	while (f) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 16384;
			buf = realloc(buf, cap);
			if (!buf)
				break;
		}
		n += fread(buf + n, 1, cap - n - 1, f);
		if (feof(f) || ferror(f))
			break;
	}
	if (buf)
		buf[n] = '\0';
	if (f && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	if (f)
		fclose(f);
	return buf;
}

static void add_name(struct tfile *f, char kind, const char *name, size_t len)
{
	char *s;

	if (!len)
		return;
	f->names = realloc(f->names, (f->n + 1) * sizeof(*f->names));
	s = xcalloc(len + 3, 1);
	if (!f->names) {
		fputs("stap: out of memory\n", stderr);
		exit(1);
	}
	s[0] = kind;
	s[1] = ' ';
	memcpy(s + 2, name, len);
	f->names[f->n++] = s;
}

/** skip - past a comment, string or %{ %} block at @p; @p itself when none starts there */
static const char *skip(const char *p)
{
	const char *e;

	if (*p == '#' || (p[0] == '/' && p[1] == '/'))
		return p + strcspn(p, "\n");
	if (p[0] == '/' && p[1] == '*')
		return (e = strstr(p + 2, "*/")) ? e + 2 : p + strlen(p);
	if (p[0] == '%' && p[1] == '{')
		return (e = strstr(p + 2, "%}")) ? e + 2 : p + strlen(p);
	if (*p != '"')
		return p;
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p + 1 : p;
}

static int ident_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static const char *space(const char *p)
{
	const char *q;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		q = skip(p);
		if (q == p || *p == '"')
			return p;
		p = q;
	}
}

static size_t ident(const char *p)
{
	size_t n = 0;

	while (ident_char(p[n]))
		n++;
	return n;
}

/** scan_globals - global NAME[%][[N]] [= V], ... */
static const char *scan_globals(struct tfile *f, const char *p)
{
	size_t n;

	for (;;) {
		p = space(p);
		n = ident(p);
		add_name(f, 'g', p, n);
		p += n;
		while (*p && *p != ',' && *p != '\n' && *p != ';' && *p != '{' && *p != '}')
			p = skip(p) == p ? p + 1 : skip(p);
		if (*p != ',')
			return p;
		p++;
	}
}

/** scan_probe - probe NAME = or NAME += records an alias; the point's text, spaces removed */
static const char *scan_probe(struct tfile *f, const char *p)
{
	char name[256];
	size_t n = 0;

	for (p = space(p); *p && *p != '{' && *p != ','; ) {
		if ((*p == '=' && p[1] != '=') || (*p == '+' && p[1] == '=')) {
			add_name(f, 'a', name, n);
			return p + 1;
		}
		if (*p == ' ' || *p == '\t' || *p == '\n') {
			p = space(p);
			continue;
		}
		if (n < sizeof(name) - 1)
			name[n++] = *p;
		p++;
	}
	return p;
}

/** scan_file - index the definitions of library file @f's @text */
static void scan_file(struct tfile *f, const char *text)
{
	const char *p = text, *q;
	int depth = 0, priv = 0;
	size_t n;

	while (*p) {
		q = skip(p);
		if (q != p) {
			p = q;
			continue;
		}
		if (*p == '{' || *p == '}') {
			depth += *p++ == '{' ? 1 : -1;
			continue;
		}
		n = ident(p);
		if (!n) {
			p++;
			continue;
		}
		if (depth || (p > text && (ident_char(p[-1]) || p[-1] == '@' || p[-1] == '$'))) {
			p += n;
			continue;
		}
		if (n == 7 && !strncmp(p, "private", 7)) {	/* not for other files */
			priv = 1;
			p += n;
			continue;
		}
		if (n == 8 && !strncmp(p, "function", 8)) {
			p = space(p + 8);
			if (!priv)
				add_name(f, 'f', p, ident(p));
			p += ident(p);
		} else if (n == 6 && !strncmp(p, "global", 6)) {
			p = priv ? p + 6 : scan_globals(f, p + 6);
		} else if (n == 5 && !strncmp(p, "probe", 5)) {
			p = scan_probe(f, p + 5);
		} else {
			p += n;
		}
		priv = 0;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int seen_base(const char *name)
{
	const char *b;
	int i;

	for (i = 0; i < nfiles; i++) {
		b = strrchr(files[i].path, '/');
		if (b && !strcmp(b + 1, name))
			return 1;
	}
	return 0;
}

/* the index cache: "N KIND NAME" lines, a struct tfile's names (fcache.h) */
static struct fcache cache = { .tag = 'N' };

/** cached - @path's names from the index cache, if @st is unchanged and they are well formed */
static struct fcache_entry *cached(const char *path, const struct stat *st)
{
	struct fcache_entry *e = fcache_find(&cache, path, st);
	int k;

	for (k = 0; e && k < e->n; k++)
		if (strlen(e->names[k]) < 3 || e->names[k][1] != ' ')
			return NULL;	/* not what scan_file makes: rescan the file */
	return e;
}

/** scan_dir - index the .stp files of @dir, sorted by name */
static void scan_dir(const char *dir)
{
	struct dirent *d;
	char **v = NULL, path[PATH_MAX], *text;
	struct fcache_entry *ce;
	struct stat st;
	int n = 0, i, ok;
	DIR *dp = opendir(dir);

	if (!dp)
		return;
	while ((d = readdir(dp))) {
		if (fnmatch("*.stp", d->d_name, FNM_PERIOD) || seen_base(d->d_name))
			continue;
		v = realloc(v, (n + 1) * sizeof(*v));
		if (!v)
			break;
		v[n++] = xstrdup(d->d_name);
	}
	closedir(dp);
	if (v)
		qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; v && i < n; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", dir, v[i]) >= (int)sizeof(path))
			continue;
		files = realloc(files, (nfiles + 1) * sizeof(*files));
		if (!files) {
			fputs("stap: out of memory\n", stderr);
			exit(1);
		}
		memset(&files[nfiles], 0, sizeof(*files));
		files[nfiles].path = xstrdup(path);
		ok = !stat(path, &st);	/* before the read: a later change is seen next run */
		ce = ok ? cached(path, &st) : NULL;
		if (ce) {
			files[nfiles].names = ce->names;
			files[nfiles++].n = ce->n;
			continue;
		}
		text = read_file_text(path);
		if (!text)
			continue;
		scan_file(&files[nfiles], text);
		free(text);
		if (ok) {
			ce = fcache_add(&cache, path, &st);
			ce->names = files[nfiles].names;
			ce->n = files[nfiles].n;
		}
		nfiles++;
	}
	free(v);
}

/**
 * lib_dir - the @k-th library directory (k counts DIR, DIR/linux, DIR/ARCH, DIR/linux/ARCH
 * of each tapset directory in turn) into @dir; 0 when there is no @k-th
 */
static int lib_dir(const struct options *opt, int k, char *dir, size_t size)
{
	static const char *const sub[] = { "", "/linux", "/%s", "/linux/%s" };
	static struct utsname u;
	char fmt[64];

	if (!u.machine[0] && uname(&u))
		strcpy(u.machine, "x86_64");
	if (k >= opt->ntapset_dirs * 4)
		return 0;
	snprintf(fmt, sizeof(fmt), "%%s%s", sub[k % 4]);
	snprintf(dir, size, fmt, opt->tapset_dirs[k / 4], u.machine);
	return 1;
}

/** tapset_index - scan every library directory once */
static void tapset_index(const struct options *opt)
{
	static int done;
	char dir[PATH_MAX - 300];
	int k;

	if (done)
		return;
	done = 1;
	fcache_load(&cache, opt->tapset_cache);
	for (k = 0; lib_dir(opt, k, dir, sizeof(dir)); k++)
		scan_dir(dir);
	fcache_save(&cache, opt->tapset_cache);
}

/**
 * tapset_macro_files - the library's macro files (*.stpm), as 4.8 finds them (main.cxx):
 * in the same directories as the .stp files, sorted by name in each; a name an earlier
 * directory already had is skipped, as for .stp files
 * @opt: the command line (tapset directories)
 * @n:   set to how many
 *
 * Return: their paths, a new array (NULL when none).
 */
static char **macro_files(const struct options *opt, int *n)
{
	char dir[PATH_MAX - 300], path[PATH_MAX], **v = NULL, **names;
	struct dirent *d;
	int k, i, j, m;
	DIR *dp;

	*n = 0;
	for (k = 0; lib_dir(opt, k, dir, sizeof(dir)); k++) {
		dp = opendir(dir);
		for (names = NULL, m = 0; dp && (d = readdir(dp)); ) {
			if (fnmatch("*.stpm", d->d_name, FNM_PERIOD))
				continue;
			for (j = 0; j < *n && strcmp(strrchr(v[j], '/') + 1, d->d_name); j++)
				;
			if (j < *n)
				continue;
			names = realloc(names, (m + 1) * sizeof(*names));
			if (!names)
				exit(1);
			names[m++] = xstrdup(d->d_name);
		}
		if (dp)
			closedir(dp);
		if (names)
			qsort(names, m, sizeof(*names), cmp_str);
		for (i = 0; i < m; i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			v = realloc(v, (*n + 1) * sizeof(*v));
			if (!v)
				exit(1);
			v[(*n)++] = xstrdup(path);
			free(names[i]);
		}
		free(names);
	}
	return v;
}

/** find_def - the first library file defining @kind @name (wildcards for aliases) */
static struct tfile *find_def(char kind, const char *name)
{
	int i, k;

	for (i = 0; i < nfiles; i++)
		for (k = 0; k < files[i].n; k++) {
			const char *d = files[i].names[k];

			if (d[0] != kind)
				continue;
			if (kind == 'a' ? alias_point_match(name, d + 2) : !strcmp(d + 2, name))
				return &files[i];
		}
	return NULL;
}

/**
 * tapset_alias_nth - the name of the @i-th probe alias the library defines (every file,
 * loaded or not, in the index's order), or NULL past the last; for the suggestions of a
 * probe point that names nothing (tapset-np.c)
 * @opt: the command line (tapset directories)
 * @i:   from 0
 */
const char *tapset_alias_nth(const struct options *opt, int i)
{
	int f, k;

	tapset_index(opt);
	for (f = 0; f < nfiles; f++)
		for (k = 0; k < files[f].n; k++)
			if (files[f].names[k][0] == 'a' && !i--)
				return files[f].names[k] + 2;
	return NULL;
}

/**
 * tapset_macros - load the library's macro files once (4.8 does it before parsing the
 * script): their @define macros serve the script and every library file
 * @opt: the command line (tapset directories)
 *
 * Return: 0, or -1 after a diagnostic (4.8 fails pass 1 too).
 */
int tapset_macros(const struct options *opt)
{
	static int done;
	char **v, *text;
	int n, i, rc = 0;

	if (done++)
		return 0;
	v = macro_files(opt, &n);
	for (i = 0; i < n && !rc; i++) {
		text = read_file_text(v[i]);
		if (!text) {
			fprintf(stderr, "stap: cannot read tapset '%s'\n", v[i]);
			rc = -1;
		} else {
			rc = pp_library(v[i], text, opt);
		}
	}
	free(v);
	return rc;
}

/**
 * struct need - a walk over the script: what it finds missing, or what it reaches
 * @s:     the script
 * @opt:   the command line
 * @fn:    the function walked, or NULL
 * @loads: files loaded by this walk
 * @bad:   a library file failed to parse
 * @reach: walking for tapset_prune: @reached collects the functions called, @nreached
 */
struct need {
	struct script *s;
	const struct options *opt;
	const struct func *fn;
	int loads;
	int bad;
	int reach;
	struct func **reached;
	int nreached;
};

static struct func **lib_funcs;	/* functions that came from library files */
static int nlib_funcs;

static int is_param(const struct func *fn, const char *name)
{
	const struct sym *v;

	for (v = fn ? fn->params : NULL; v; v = v->next)
		if (v->param && !strcmp(v->name, name))
			return 1;
	return 0;
}

/** load - parse library file @f into the script; its functions are marked as library ones */
static void load(struct need *nd, struct tfile *f)
{
	struct func *last = nd->s->funcs, *g;
	const char *text;

	f->loaded = 1;
	nd->loads++;
	while (last && last->next)
		last = last->next;
	text = read_file_text(f->path);
	if (!text || parse_file(nd->s, f->path, text, nd->opt)) {
		if (!text)
			fprintf(stderr, "stap: cannot read tapset '%s'\n", f->path);
		nd->bad = 1;
		return;
	}
	for (g = last ? last->next : nd->s->funcs; g; g = g->next) {
		lib_funcs = realloc(lib_funcs, (nlib_funcs + 1) * sizeof(*lib_funcs));
		if (!lib_funcs)
			exit(1);
		lib_funcs[nlib_funcs++] = g;
	}
}

/*
 * want_def - load the first library file that defines @kind @name; when none does, the
 * list of what the library leaves out is read (tapset-np.c), for the checks that report
 * an unknown name later
 */
static void want_def(struct need *nd, char kind, const char *name)
{
	struct tfile *f;

	tapset_index(nd->opt);		/* once, on the first name the script lacks */
	f = find_def(kind, name);

	if (f && !f->loaded && !nd->bad)
		load(nd, f);
	else if (!f)
		tapset_np_reason(nd->opt, kind, name);
}

static int defined_func(const struct script *s, const char *name)
{
	const struct func *f;

	for (f = s->funcs; f; f = f->next)
		if (!strcmp(f->name, name))
			return 1;
	return builtin_exists(name);
}

static int defined_global(const struct script *s, const char *name)
{
	const struct sym *g;

	for (g = s->globals; g; g = g->next)
		if (!strcmp(g->name, name))
			return 1;
	return 0;
}

static void walk_stmt(struct need *nd, const struct stmt *st);

/** reach - @name is called: walk each function of that name (overloads too) once */
static void reach(struct need *nd, const char *name)
{
	struct func *f;
	int i;

	for (f = nd->s->funcs; f; f = f->next) {
		if (strcmp(f->name, name))
			continue;
		for (i = 0; i < nd->nreached && nd->reached[i] != f; i++)
			;
		if (i < nd->nreached)
			continue;
		nd->reached = realloc(nd->reached, (nd->nreached + 1) * sizeof(*nd->reached));
		if (!nd->reached)
			exit(1);
		nd->reached[nd->nreached++] = f;
		walk_stmt(nd, f->body);
	}
}

static void walk_expr(struct need *nd, const struct expr *e)
{
	int i;

	if (!e)
		return;
	if (nd->reach && e->kind == E_CALL)
		reach(nd, e->str);
	else if (nd->reach)
		;
	else if (e->kind == E_CALL && !defined_func(nd->s, e->str))
		want_def(nd, 'f', e->str);
	else if (e->kind == E_CALL && !nd->bad && tapset_guru_only(nd->s, nd->opt, e))
		nd->bad = 1;
	if ((e->kind == E_VAR || e->kind == E_INDEX || e->kind == E_IN) && e->str &&
	    !defined_global(nd->s, e->str) && !is_param(nd->fn, e->str))
		want_def(nd, 'g', e->str);
	walk_expr(nd, e->a);
	walk_expr(nd, e->b);
	walk_expr(nd, e->c);
	for (i = 0; i < e->nargs; i++)
		walk_expr(nd, e->args[i]);
}

static void walk_stmt(struct need *nd, const struct stmt *st)
{
	int i;

	if (!st)
		return;
	walk_expr(nd, st->e);
	walk_expr(nd, st->init);
	walk_expr(nd, st->step);
	walk_stmt(nd, st->body);
	walk_stmt(nd, st->other);
	for (i = 0; st->kind == S_FOREACH && i < st->n; i++)
		walk_expr(nd, st->vars[i]);
	for (i = 0; st->kind != S_FOREACH && st->list && i < st->n; i++)
		walk_stmt(nd, st->list[i]);
}

/*
 * want_point - the library files defining aliases that @point names: the first one for
 * a plain name, every file with a matching alias for a wildcard (syscall.* spans files)
 */
static void want_point(struct need *nd, const char *point, const struct loc *loc)
{
	int i, k;

	if (!strchr(point, '*')) {	/* "kernel.function(...)" is never a left-out alias */
		if (!alias_defined(nd->s, point))
			want_def(nd, 'a', point);
		return;
	}
	tapset_index(nd->opt);		/* a wildcard may be the script's only library use */
	for (i = 0; i < nfiles && !nd->bad; i++)
		for (k = 0; k < files[i].n && !files[i].loaded; k++)
			if (files[i].names[k][0] == 'a' &&
			    alias_point_match(point, files[i].names[k] + 2))
				load(nd, &files[i]);
}

/**
 * tapset_resolve - pull in the library files that script @s uses, and those they use
 * @s: the script, as parsed
 * @opt: the command line (tapset directories)
 *
 * Return: 0, or -1 after a diagnostic in a library file.
 */
int tapset_resolve(struct script *s, const struct options *opt)
{
	struct need nd = { .s = s, .opt = opt };
	const struct stmt *body;
	const struct probe *p;
	const struct func *f;
	char **points;
	int i, k, n;

	if (!opt->ntapset_dirs)
		return 0;
	do {
		nd.loads = 0;
		for (p = s->probes; p && !nd.bad; p = p->next) {
			want_point(&nd, p->point, p->want_optional ? NULL : &p->loc);
			nd.fn = NULL;
			walk_stmt(&nd, p->body);
		}
		for (f = s->funcs; f && !nd.bad; f = f->next) {
			nd.fn = f;
			walk_stmt(&nd, f->body);
		}
		nd.fn = NULL;
		for (i = 0; !nd.bad && (body = alias_nth(s, i, &points, &n)); i++) {
			walk_stmt(&nd, body);
			for (k = 0; k < n; k++)
				want_point(&nd, points[k], NULL);
		}
	} while (nd.loads && !nd.bad);
	return nd.bad ? -1 : 0;
}

/**
 * tapset_prune - drop the library functions that no probe reaches (after alias expansion,
 * before types are inferred: an unused library function is never checked, as in 4.8)
 * @s: the script
 */
void tapset_prune(struct script *s)
{
	struct need nd = { .s = s, .reach = 1 };
	struct func **pf, *f;
	struct probe *p;
	int i, keep;

	if (!nlib_funcs)
		return;
	for (p = s->probes; p; p = p->next)
		walk_stmt(&nd, p->body);
	for (f = s->funcs; f; f = f->next) {
		for (i = 0; i < nlib_funcs && lib_funcs[i] != f; i++)
			;
		if (i == nlib_funcs)		/* the script's own: a root */
			walk_stmt(&nd, f->body);
	}
	for (pf = &s->funcs, s->nfuncs = 0; (f = *pf); ) {
		for (i = 0, keep = 1; i < nlib_funcs && keep; i++)
			keep = lib_funcs[i] != f;
		for (i = 0; i < nd.nreached && !keep; i++)
			keep = nd.reached[i] == f;
		if (!keep) {
			*pf = f->next;
			continue;
		}
		f->index = s->nfuncs++;
		pf = &f->next;
	}
	free(nd.reached);
}
