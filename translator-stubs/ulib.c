// SPDX-License-Identifier: GPL-2.0
/*
 * ulib.c - process points that stand for several files or for the target's program:
 * process("GLOB")..., process("PATH").library("PATTERN")... (the shared libraries PATH
 * needs, as SystemTap 4.8's library component), process.SUFFIX without a path (the -c
 * command's program), and stap --ldd (DT_NEEDED, as ld.so(8) finds the libraries).
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ast.h"

static const char *target_cmd;	/* stap -c CMD */
static const char *target_pid;	/* stap -x PID */

/** uprobe_target - the -c command and the -x process (NULL when not given) */
void uprobe_target(const char *cmd, const char *pid)
{
	target_cmd = cmd;
	target_pid = pid;
}

/**
 * needed_path - where the dynamic linker would find library @name needed by @file: its
 * DT_RUNPATH/DT_RPATH ($ORIGIN expanded), then Debian's library directories
 * (ld.so(8); ld.so.cache is not read)
 */
static int needed_path(const char *file, const char *runpath, const char *name, char *buf)
{
	static const char *const dirs[] = {
		"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64",
		"/lib", "/usr/lib", NULL,
	};
	const char *p, *end, *slash = strrchr(file, '/');
	int i;

	for (p = runpath; p && *p; p = *end ? end + 1 : end) {
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		if (!strncmp(p, "$ORIGIN", 7))
			snprintf(buf, PATH_MAX, "%.*s%.*s/%s", (int)(slash - file), file,
				 (int)(end - p - 7), p + 7, name);
		else
			snprintf(buf, PATH_MAX, "%.*s/%s", (int)(end - p), p, name);
		if (!access(buf, R_OK))
			return 0;
	}
	for (i = 0; dirs[i]; i++) {
		snprintf(buf, PATH_MAX, "%s/%s", dirs[i], name);
		if (!access(buf, R_OK))
			return 0;
	}
	return -1;
}

/**
 * expand_paths - one point per file of @paths, each resolved as if written with that file:
 * process("PATH")@rest; the files where it does not resolve are dropped, and when none
 * resolves, each says why
 * @p:     the probe (the first file's; the others' follow it)
 * @paths: the files
 * @n:     how many (at least one)
 * @rest:  the rest of the point
 * @exe:   for a .library point, the program whose processes alone it probes, else NULL
 * @q:     silent (an optional point)
 *
 * Return: 0, or -1 after a diagnostic.
 */
static int expand_paths(struct probe *p, char *const *paths, size_t n, const char *rest,
			const char *exe, int q)
{
	struct probe **v, *c, *after = p->next, **keep;
	size_t i, k = 0;
	int *ok;

	v = xcalloc(n, sizeof(*v));
	ok = xcalloc(n, sizeof(*ok));
	for (i = 0; i < n; i++) {
		c = i ? xcalloc(1, sizeof(*c)) : p;
		if (i) {
			*c = *p;
			c->locals = NULL;
		}
		c->point = xcalloc(1, strlen(paths[i]) + strlen(rest) + 16);
		sprintf(c->point, "process(\"%s\")%s", paths[i], rest);
		c->next = NULL;
		v[i] = c;
	}
	for (i = 0; i < n; i++) {	/* each with the probes its wildcards add */
		k += ok[i] = !uprobe_point(v[i], 1);
		for (c = v[i]; ok[i] && exe && c; c = c->next)
			c->exe = (char *)exe;
	}
	if (!k) {
		for (i = 0; i < n; i++)
			uprobe_point(v[i], q);
		p->next = after;
		free(v);
		free(ok);
		return -1;
	}
	keep = xcalloc(n + 1, sizeof(*keep));
	for (i = 0, k = 0; i < n; i++)
		if (ok[i])
			keep[k++] = v[i];
	if (keep[0] != p) {		/* p keeps its place in the script's list */
		*p = *keep[0];
		keep[0] = p;
	}
	for (i = 0; i < k; i++) {	/* each chain ends where the next begins */
		for (c = keep[i]; c->next; c = c->next)
			;
		c->next = i + 1 < k ? keep[i + 1] : after;
	}
	free(keep);
	free(v);
	free(ok);
	return 0;
}

/**
 * ulib_glob_point - process("PATTERN")...: one point per file matching the shell pattern;
 * SystemTap 4.8 expands such paths too, and probes every match where the rest of the point
 * resolves (/lib*\/libc.so.6 may match a stripped 32-bit libc besides the one with the
 * symbol)
 * @p:    the probe
 * @pat:  the path pattern
 * @rest: what follows process("PATTERN")
 * @q:    silent (an optional point)
 *
 * Return: 0, or -1 after a diagnostic.
 */
int ulib_glob_point(struct probe *p, const char *pat, const char *rest, int q)
{
	glob_t g;
	int ret;

	if (glob(pat, 0, NULL, &g) || !g.gl_pathc) {
		qdiag(q, &p->loc, "no file matches '%s'", pat);
		return -1;
	}
	ret = expand_paths(p, g.gl_pathv, g.gl_pathc, rest, NULL, q);
	globfree(&g);
	return ret;
}

/**
 * needed_of - call @fn for each shared library that ELF file @path needs (DT_NEEDED), found
 * as needed_path() finds it; one that is not found is left out, as ldd(1) says "not found"
 */
static void needed_of(const char *path, void (*fn)(const char *lib, void *arg), void *arg)
{
	char buf[PATH_MAX];
	const char *runpath = NULL, *name;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Dyn dyn;
	Elf_Data *d = NULL;
	size_t i, n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf *elf;

	elf_version(EV_CURRENT);
	elf = fd < 0 ? NULL : elf_begin(fd, ELF_C_READ, NULL);
	while (elf && (scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_DYNAMIC && sh.sh_entsize) {
			d = elf_getdata(scn, NULL);
			n = sh.sh_size / sh.sh_entsize;
			break;
		}
	for (i = 0; d && i < n; i++)
		if (gelf_getdyn(d, i, &dyn) && (dyn.d_tag == DT_RUNPATH || dyn.d_tag == DT_RPATH))
			runpath = elf_strptr(elf, sh.sh_link, dyn.d_un.d_val);
	for (i = 0; d && i < n; i++) {
		if (!gelf_getdyn(d, i, &dyn) || dyn.d_tag != DT_NEEDED)
			continue;
		name = elf_strptr(elf, sh.sh_link, dyn.d_un.d_val);
		if (name && !needed_path(path, runpath, name, buf))
			fn(buf, arg);
	}
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
}

static void ldd_add(const char *lib, void *arg)
{
	uprobe_symbol_file(lib);
}

/**
 * uprobe_ldd - stap --ldd: add the shared libraries that the known files need,
 * transitively, for the user symbol functions
 */
void uprobe_ldd(void)
{
	int k;

	for (k = 0; k < uprobe_nfiles(); k++)	/* it grows: the libraries' needs too */
		needed_of(uprobe_file(k), ldd_add, NULL);
}

/** struct libs - a list of library paths, each once (resolved with realpath) */
struct libs {
	char **v;
	size_t n;
};

static void libs_add(const char *lib, void *arg)
{
	struct libs *l = arg;
	char real[PATH_MAX], **v;
	size_t i;

	if (!realpath(lib, real))
		return;
	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], real))
			return;
	v = xcalloc(l->n + 1, sizeof(*v));
	if (l->n)
		memcpy(v, l->v, l->n * sizeof(*v));
	free(l->v);
	l->v = v;
	l->v[l->n++] = xstrdup(real);
}

/**
 * library_point - process("EXE").library("PAT")REST: REST of each library that EXE needs
 * (transitively) and whose path (PAT with a '/') or file name matches PAT, fired only in
 * EXE's processes (as 4.8's library component); a PAT without wildcards names a library
 * also when EXE does not need it
 * @p:    the probe
 * @exe:  the program (resolved)
 * @spec: what follows process("EXE"): .library("PAT")REST
 * @q:    silent (an optional point)
 *
 * Return: 0, or -1 after a diagnostic.
 */
static int library_point(struct probe *p, const char *exe, const char *spec, int q)
{
	struct libs all = { 0 }, sel = { 0 };
	const char *pat = spec + 10, *end = strstr(pat, "\")"), *base;
	char buf[PATH_MAX];
	size_t i;
	int ret = -1;

	if (!end || (size_t)(end - pat) >= sizeof(buf)) {
		qdiag(q, &p->loc, "probe point '%s': .library takes (\"PATTERN\")", p->point);
		return -1;
	}
	memcpy(buf, pat, end - pat);
	buf[end - pat] = '\0';
	needed_of(exe, libs_add, &all);
	for (i = 0; i < all.n; i++)
		needed_of(all.v[i], libs_add, &all);
	for (i = 0; i < all.n; i++) {
		base = strrchr(all.v[i], '/');
		if (!fnmatch(buf, strchr(buf, '/') ? all.v[i] : base + 1, 0))
			libs_add(all.v[i], &sel);
	}
	if (!sel.n && strchr(buf, '/') && !strpbrk(buf, "*?["))
		libs_add(buf, &sel);
	if (sel.n)
		ret = expand_paths(p, sel.v, sel.n, end + 2, xstrdup(exe), q);
	else
		qdiag(q, &p->loc, "no library that '%s' needs matches '%s'", exe, buf);
	for (i = 0; i < all.n; i++)
		free(all.v[i]);
	for (i = 0; i < sel.n; i++)
		free(sel.v[i]);
	free(all.v);
	free(sel.v);
	return ret;
}

/**
 * ulib_point - process.SUFFIX (the -c command's program) and
 * process("PATH").library("PAT")SUFFIX points
 * @p:    the probe
 * @exe:  PATH, resolved, or NULL for process.SUFFIX
 * @rest: what follows process or process("PATH")
 * @q:    silent (an optional point)
 *
 * Return: 1 when @p is neither, 0 when resolved, -1 after a diagnostic.
 */
int ulib_point(struct probe *p, const char *exe, const char *rest, int q)
{
	char prog[PATH_MAX], real[PATH_MAX], *point;
	size_t n;

	if (exe)
		return strncmp(rest, ".library(\"", 10) ? 1 : library_point(p, exe, rest, q);
	if (!target_cmd && !target_pid) {	/* 4.8's words */
		qdiag(q, &p->loc, "unspecified process probe is invalid without a -c COMMAND or "
		      "-x PID");
		return -1;
	}
	if (!target_cmd) {
		qdiag(q, &p->loc, "probe point '%s' needs a program with -x: process(\"PATH\")%s "
		      "(-x names a process of the machine the module runs on, which the "
		      "translator cannot read), or stap -c CMD", p->point, rest);
		return -1;
	}
	n = strcspn(target_cmd, " \t\n");
	if (n >= sizeof(prog)) {
		qdiag(q, &p->loc, "probe point '%s': the -c command's program name is too long",
		      p->point);
		return -1;
	}
	memcpy(prog, target_cmd, n);
	prog[n] = '\0';
	if (strchr(prog, '/') && realpath(prog, real))
		snprintf(prog, sizeof(prog), "%s", real);
	point = xcalloc(1, strlen(prog) + strlen(rest) + 16);
	sprintf(point, "process(\"%s\")%s", prog, rest);
	p->point = point;
	return uprobe_point(p, q);
}
