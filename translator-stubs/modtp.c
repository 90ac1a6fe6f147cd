// SPDX-License-Identifier: GPL-2.0
/*
 * modtp.c - tracepoints defined in the target kernel's modules (kvm_exit in kvm.ko,
 * 9p_client_req in 9pnet.ko): which module defines each, and the module's BTF.
 *
 * A module's tracepoint names are its "__tracepoints_strings" section (the kernel's
 * include/linux/tracepoint.h, DEFINE_TRACE_FN), read with libelf from every .ko under
 * /lib/modules/REL/ once per run.  A compressed module (.ko.xz, .ko.zst) is not read:
 * Debian 12's kernels ship them uncompressed.  Its types are the module's split BTF on
 * top of vmlinux's (pahole --btf_base): /sys/kernel/btf/MODULE when the target is the
 * running kernel and the module is loaded, else the .BTF section of its .ko, both read
 * with libbpf's btf__parse_split().
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* nftw() */
#endif
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <gelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "ast.h"
#include "typed.h"

/* struct modtp - tracepoint @name, defined in module @mod (@ko: its file) */
struct modtp {
	char *name;
	char *mod;
	const char *ko;
	struct btf *btf;	/* loaded on first use, shared by the module's tracepoints */
};

static struct modtp *tps;
static int ntps = -1, cap;
static int compressed;		/* .ko.xz, .ko.zst, .ko.gz files not read */
static const char *rel;

static int cmp_modtp(const void *a, const void *b)
{
	return strcmp(((const struct modtp *)a)->name, ((const struct modtp *)b)->name);
}

/** module_name - the module name of file @path ("9pnet" for .../9pnet.ko, '-' as '_') */
static char *module_name(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *m = xstrdup(base), *p;

	m[strlen(m) - 3] = '\0';
	for (p = m; *p; p++)
		if (*p == '-')
			*p = '_';
	return m;
}

/** add_module - the tracepoints of module file @path, from its __tracepoints_strings */
static int add_module(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	size_t len = strlen(path), str, off;
	const char *ko = NULL, *mod = NULL;
	Elf_Data *d = NULL;
	Elf_Scn *scn = NULL;
	const char *s;
	GElf_Shdr sh;
	Elf *elf;
	int fd;

	(void)st;
	(void)ftw;
	if (flag == FTW_F && strstr(path, ".ko.") && strrchr(path, '.') == strstr(path, ".ko.") + 3)
		compressed++;
	if (flag != FTW_F || len < 4 || strcmp(path + len - 3, ".ko"))
		return 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	while (elf && !elf_getshdrstrndx(elf, &str) && (scn = elf_nextscn(elf, scn)) &&
	       gelf_getshdr(scn, &sh)) {
		s = elf_strptr(elf, str, sh.sh_name);
		if (s && !strcmp(s, "__tracepoints_strings")) {
			d = elf_getdata(scn, NULL);
			break;
		}
	}
	for (off = 0; d && d->d_buf && off < d->d_size; off += strlen(s) + 1) {
		s = (const char *)d->d_buf + off;
		if (!memchr(s, '\0', d->d_size - off))
			break;		/* not NUL-terminated: not trusted */
		if (!*s)
			continue;
		if (ntps == cap) {
			cap = cap ? 2 * cap : 256;
			tps = realloc(tps, cap * sizeof(*tps));
			if (!tps)
				abort();
		}
		if (!ko) {
			ko = xstrdup(path);
			mod = module_name(path);
		}
		tps[ntps].name = xstrdup(s);
		tps[ntps].mod = (char *)mod;
		tps[ntps].ko = ko;
		tps[ntps++].btf = NULL;
	}
	if (elf)
		elf_end(elf);
	close(fd);
	return 0;
}

/** load - the index of the target's module tracepoints, built once */
static void load(const struct options *opt)
{
	char dir[PATH_MAX];

	if (ntps >= 0)
		return;
	ntps = 0;
	rel = opt && opt->kernel ? opt->kernel(1) : NULL;
	if (!rel || !*rel || elf_version(EV_CURRENT) == EV_NONE)
		return;
	snprintf(dir, sizeof(dir), "/lib/modules/%s/kernel", rel);
	nftw(dir, add_module, 16, FTW_PHYS);
	qsort(tps, ntps, sizeof(*tps), cmp_modtp);
}

/** find - the module tracepoint @name, or NULL */
static struct modtp *find(const struct options *opt, const char *name)
{
	struct modtp key = { (char *)name, NULL, NULL, NULL };

	load(opt);
	return ntps > 0 ? bsearch(&key, tps, ntps, sizeof(*tps), cmp_modtp) : NULL;
}

/**
 * modtp_match - the module tracepoints whose names @pat (fnmatch) matches
 * @opt: the command line (the target release)
 * @pat: the name pattern
 * @n:   set to how many
 *
 * Return: the names (the vector allocated, the names the index's), sorted; NULL when none.
 */
char **modtp_match(const struct options *opt, const char *pat, int *n)
{
	char **v = NULL;
	int i;

	*n = 0;
	load(opt);
	for (i = 0; i < ntps; i++) {
		if (fnmatch(pat, tps[i].name, 0) || (*n && !strcmp(v[*n - 1], tps[i].name)))
			continue;
		v = realloc(v, (*n + 1) * sizeof(*v));
		if (!v)
			abort();
		v[(*n)++] = tps[i].name;
	}
	return v;
}

/** modtp_module - the module that defines tracepoint @name, or NULL (vmlinux, unknown) */
const char *modtp_module(const struct options *opt, const char *name)
{
	const struct modtp *t = find(opt, name);

	return t ? t->mod : NULL;
}

/**
 * modtp_btf - the BTF of the module that defines tracepoint @name, split on @base
 * (vmlinux's): /sys/kernel/btf/MODULE of a running target, else its .ko's .BTF
 * Return: the BTF (kept for the run), or NULL with errno (ENOENT: no module defines
 * @name; ENODATA: the module has no BTF).
 */
struct btf *modtp_btf(const struct options *opt, const char *name, struct btf *base)
{
	struct modtp *t = find(opt, name);
	char sys[PATH_MAX];
	struct utsname u;
	int i;

	if (!t) {
		errno = ENOENT;
		return NULL;
	}
	if (t->btf)
		return t->btf;
	snprintf(sys, sizeof(sys), "/sys/kernel/btf/%s", t->mod);
	if (!uname(&u) && !strcmp(u.release, rel) && !access(sys, R_OK))
		t->btf = btf__parse_split(sys, base);
	if (!t->btf)
		t->btf = btf__parse_split(t->ko, base);
	if (!t->btf) {
		errno = ENODATA;
		return NULL;
	}
	for (i = 0; i < ntps; i++)	/* the module's other tracepoints share it */
		if (tps[i].ko == t->ko)
			tps[i].btf = t->btf;
	return t->btf;
}

/**
 * modtp_compressed - how many compressed modules (.ko.xz, .ko.zst) of the target were
 * not read (Debian 13's kernels and 12's backports compress them)
 * @opt: the command line (the target release)
 */
int modtp_compressed(const struct options *opt)
{
	load(opt);
	return compressed;
}
