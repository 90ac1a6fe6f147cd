// SPDX-License-Identifier: GPL-2.0
/*
 * modtp.c - tracepoints defined in the target kernel's modules (kvm_exit in kvm.ko,
 * 9p_client_req in 9pnet.ko): which module defines each, and the module's BTF.
 *
 * A module's tracepoint names are its "__tracepoints_strings" section (the kernel's
 * include/linux/tracepoint.h, DEFINE_TRACE_FN), read with libelf from every .ko under
 * /lib/modules/REL/ once per run.  A module compressed with xz (.ko.xz: Debian's 6.12
 * kernels) is decompressed in memory with liblzma; other compressions (.ko.zst, .ko.gz)
 * are counted and not read.  Its types are the module's split BTF on top of vmlinux's
 * (pahole --btf_base): /sys/kernel/btf/MODULE when the target is the running kernel and
 * the module is loaded, else the .BTF section of its .ko, read with libbpf's
 * btf__parse_split() or, from a decompressed image, btf__parse_raw_split().
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* nftw(), memfd_create() */
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
#include <lzma.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "ast.h"
#include "fcache.h"
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
static int compressed;		/* .ko.zst, .ko.gz files not read */
static const char *rel;

static int cmp_modtp(const void *a, const void *b)
{
	return strcmp(((const struct modtp *)a)->name, ((const struct modtp *)b)->name);
}

/** module_name - the module name of file @path ("9pnet" for .../9pnet.ko[.xz], '-' as '_') */
static char *module_name(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *m = xstrdup(base), *p;

	*strstr(m, ".ko") = '\0';
	for (p = m; *p; p++)
		if (*p == '-')
			*p = '_';
	return m;
}

/* struct kofile - a module's ELF image: mapped from a .ko, or decompressed from a .ko.xz */
struct kofile {
	Elf *elf;
	int fd;
	void *image;		/* the decompressed .ko.xz, or NULL */
	size_t size;		/* bytes */
};

/**
 * xz_decode - decompress the whole of @fd (an .xz file of @len bytes) into k->image
 * Return: 0, or -1 with errno (EINVAL: not xz data; ENOMEM).
 */
static int xz_decode(int fd, size_t len, struct kofile *k)
{
	lzma_stream z = LZMA_STREAM_INIT;
	size_t cap = 4 * len + 4096;
	uint8_t *in = malloc(len);
	lzma_ret r = LZMA_OK;

	k->image = malloc(cap);
	if (!in || !k->image || pread(fd, in, len, 0) != (ssize_t)len ||
	    lzma_stream_decoder(&z, UINT64_MAX, 0) != LZMA_OK)
		goto free_in;
	z.next_in = in;
	z.avail_in = len;
	while (r == LZMA_OK) {
		if (z.total_out == cap) {
			void *bigger = realloc(k->image, cap * 2);

			if (!bigger)
				break;
			k->image = bigger;
			cap *= 2;
		}
		z.next_out = (uint8_t *)k->image + z.total_out;
		z.avail_out = cap - z.total_out;
		r = lzma_code(&z, LZMA_FINISH);
	}
	k->size = z.total_out;
	lzma_end(&z);
	if (r == LZMA_STREAM_END) {
		free(in);
		return 0;
	}
free_in:
	free(in);
	free(k->image);
	k->image = NULL;
	errno = EINVAL;
	return -1;
}

/** ko_open - the ELF image of module file @path (.ko or .ko.xz); -1 with errno when not */
static int ko_open(const char *path, struct kofile *k)
{
	size_t len = strlen(path);
	struct stat st;

	memset(k, 0, sizeof(*k));
	k->fd = open(path, O_RDONLY);
	if (k->fd < 0)
		return -1;
	if (len > 3 && !strcmp(path + len - 3, ".xz")) {
		if (fstat(k->fd, &st) || xz_decode(k->fd, st.st_size, k))
			goto close_fd;
		k->elf = elf_memory(k->image, k->size);
	} else {
		k->elf = elf_begin(k->fd, ELF_C_READ_MMAP, NULL);
	}
	if (k->elf)
		return 0;
	free(k->image);
	errno = EINVAL;
close_fd:
	close(k->fd);
	return -1;
}

static void ko_close(struct kofile *k)
{
	elf_end(k->elf);
	free(k->image);
	close(k->fd);
}

/** ko_section - the data of section @name of @elf, or NULL */
static Elf_Data *ko_section(Elf *elf, const char *name)
{
	Elf_Scn *scn = NULL;
	const char *s;
	GElf_Shdr sh;
	size_t str;

	if (elf_getshdrstrndx(elf, &str))
		return NULL;
	while ((scn = elf_nextscn(elf, scn)) && gelf_getshdr(scn, &sh)) {
		s = elf_strptr(elf, str, sh.sh_name);
		if (s && !strcmp(s, name))
			return elf_getdata(scn, NULL);
	}
	return NULL;
}

/** is_module - whether @path names a module file that is read: .ko or .ko.xz */
static int is_module(const char *path)
{
	const char *ko = strstr(path, ".ko");

	while (ko && strstr(ko + 1, ".ko"))
		ko = strstr(ko + 1, ".ko");
	if (!ko || (ko[3] && ko[3] != '.'))
		return 0;
	if (ko[3] && strcmp(ko + 3, ".xz")) {
		compressed++;
		return 0;
	}
	return 1;
}

/*
 * The tracepoint names of the .ko.xz modules are cached beside the tapset index
 * ($XDG_CACHE_HOME/relaytap/modtp-REL): decompressing Debian 6.12's 4229 modules takes
 * about 5 s of CPU, and a stat() per file (nftw's) tells whether the cached names still
 * hold.  The format is fcache.h's, with "T NAME" lines for a module's tracepoints.
 */
static struct fcache xz = { .tag = 'T' };

/** xz_cache_path - the cache file of release @rel beside @tapset_cache, or -1 */
static int xz_cache_path(const char *tapset_cache, char *buf, size_t size)
{
	const char *slash = tapset_cache ? strrchr(tapset_cache, '/') : NULL;

	if (!slash || (size_t)snprintf(buf, size, "%.*s/modtp-%s", (int)(slash - tapset_cache),
				       tapset_cache, rel) >= size)
		return -1;
	return 0;
}

/** add_tp - tracepoint @name of module file @path (@ko, @mod: its copies, made once) */
static void add_tp(const char *path, const char *name, const char **ko, const char **mod)
{
	if (ntps == cap) {
		cap = cap ? 2 * cap : 256;
		tps = realloc(tps, cap * sizeof(*tps));
		if (!tps)
			abort();
	}
	if (!*ko) {
		*ko = xstrdup(path);
		*mod = module_name(path);
	}
	tps[ntps].name = xstrdup(name);
	tps[ntps].mod = (char *)*mod;
	tps[ntps].ko = *ko;
	tps[ntps++].btf = NULL;
}

/** add_module - the tracepoints of module file @path, from its __tracepoints_strings */
static int add_module(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	const char *ko = NULL, *mod = NULL;
	struct fcache_entry *e = NULL;
	struct kofile k;
	const char *s;
	Elf_Data *d;
	size_t off;
	int i;

	(void)ftw;
	if (flag != FTW_F || !is_module(path))
		return 0;
	if (strcmp(path + strlen(path) - 3, ".xz") == 0) {
		e = fcache_find(&xz, path, st);
		for (i = 0; e && i < e->n; i++)
			add_tp(path, e->names[i], &ko, &mod);
		if (e)
			return 0;
		e = fcache_add(&xz, path, st);
	}
	if (ko_open(path, &k))
		return 0;
	d = ko_section(k.elf, "__tracepoints_strings");
	for (off = 0; d && d->d_buf && off < d->d_size; off += strlen(s) + 1) {
		s = (const char *)d->d_buf + off;
		if (!memchr(s, '\0', d->d_size - off))
			break;		/* not NUL-terminated: not trusted */
		if (!*s)
			continue;
		add_tp(path, s, &ko, &mod);
		if (e)
			fcache_add_name(e, s);
	}
	ko_close(&k);
	return 0;
}

/** load - the index of the target's module tracepoints, built once */
static void load(const struct options *opt)
{
	char dir[PATH_MAX], cache_file[PATH_MAX] = "";

	if (ntps >= 0)
		return;
	ntps = 0;
	rel = opt && opt->kernel ? opt->kernel(1) : NULL;
	if (!rel || !*rel || elf_version(EV_CURRENT) == EV_NONE)
		return;
	snprintf(dir, sizeof(dir), "/lib/modules/%s/kernel", rel);
	if (!xz_cache_path(opt->tapset_cache, cache_file, sizeof(cache_file)))
		fcache_load(&xz, cache_file);
	nftw(dir, add_module, 16, FTW_PHYS);
	if (*cache_file)
		fcache_save(&xz, cache_file);
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
 * ko_btf - the split BTF in the .BTF section of module file @ko, on @base; NULL if none.
 * Debian 12's libbpf (1.1) declares btf__new_split() but does not export it, so the
 * section goes through a memfd to btf__parse_raw_split().
 */
static struct btf *ko_btf(const char *ko, struct btf *base)
{
	struct btf *btf = NULL;
	char path[64];
	struct kofile k;
	Elf_Data *d;
	int fd;

	if (ko_open(ko, &k))
		return NULL;
	d = ko_section(k.elf, ".BTF");
	fd = d && d->d_buf && d->d_size ? memfd_create("relaytap-btf", MFD_CLOEXEC) : -1;
	if (fd >= 0 && write(fd, d->d_buf, d->d_size) == (ssize_t)d->d_size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		btf = btf__parse_raw_split(path, base);
	}
	if (fd >= 0)
		close(fd);
	ko_close(&k);
	return btf;	/* libbpf 1.x: NULL with errno on error */
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
		t->btf = ko_btf(t->ko, base);
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
 * modtp_compressed - how many compressed modules of the target were not read (.ko.zst,
 * .ko.gz; .ko.xz ones are)
 * @opt: the command line (the target release)
 */
int modtp_compressed(const struct options *opt)
{
	load(opt);
	return compressed;
}
