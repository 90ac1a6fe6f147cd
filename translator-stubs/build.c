// SPDX-License-Identifier: GPL-2.0
/*
 * build.c - locate the runtime and tools, compile generated C into a module with kbuild.
 *
 * Helpers return -1 and set errno; main.c prints.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "config.h"
#include "build.h"

/** exe_dir - the directory of this executable (static buffer), or NULL */
static const char *exe_dir(void)
{
	static char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	*strrchr(buf, '/') = '\0';
	return buf;
}

/**
 * in_build_tree - whether stap runs from its build tree (not installed)
 *
 * The build tree's top directory holds config.status.
 */
int in_build_tree(void)
{
	const char *d = exe_dir();
	char path[PATH_MAX + 32];

	if (!d)
		return 0;
	snprintf(path, sizeof(path), "%s/../config.status", d);
	return access(path, F_OK) == 0;
}

/**
 * tool_path - where a companion program or directory is
 * @what: "staprun", "rtguest" or "runtime"
 * @buf:  result
 * @size: room in @buf
 */
void tool_path(const char *what, char *buf, size_t size)
{
	int local = in_build_tree();

	if (!strcmp(what, "runtime"))
		snprintf(buf, size, "%s/runtime", local ? RT_SRCDIR : RT_PKGDATADIR);
	else if (!strcmp(what, "staprun"))
		snprintf(buf, size, "%s/staprun", local ? RT_BUILDDIR "/staprun" : RT_BINDIR);
	else
		snprintf(buf, size, "%s/rtguest", local ? RT_BUILDDIR "/guest" : RT_PKGLIBEXECDIR);
}

/**
 * run - run @argv, output to @log (or inherited when NULL)
 *
 * Return: the exit status, or -1 with errno when it could not run.
 */
int run(char *const argv[], const char *log)
{
	pid_t pid = fork();
	int st, fd;

	if (pid < 0)
		return -1;
	if (!pid) {
		if (log) {
			fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
			}
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/** hash_str - FNV-1a of @s, continuing from @h */
uint64_t hash_str(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/**
 * hash_probes - fold the names, sizes and times of the feature probes into @h, so that
 * a runtime with other probes gets its own cached results
 */
static uint64_t hash_probes(uint64_t h, const char *runtime)
{
	char path[PATH_MAX + 300], buf[64];
	struct dirent *d;
	struct stat st;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/compat/probes", runtime);
	dir = opendir(path);
	if (!dir)
		return h;
	while ((d = readdir(dir))) {
		snprintf(path, sizeof(path), "%s/compat/probes/%s", runtime, d->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		snprintf(buf, sizeof(buf), "%lld:%lld", (long long)st.st_size,
			 (long long)st.st_mtime);
		h ^= hash_str(hash_str(0xcbf29ce484222325ULL, d->d_name), buf);
	}
	closedir(dir);
	return h;
}

/**
 * compat_header - the feature-probe results for @kdir, computed once and cached
 * @kdir:    kernel build tree
 * @runtime: runtime directory (holds compat/probe-kernel)
 * @dir:     set to the directory holding rt_autoconf.h
 * @size:    room in @dir
 *
 * Return: 0, or -1 with errno.
 */
int compat_header(const char *kdir, const char *runtime, char *dir, size_t size)
{
	const char *cache = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char base[PATH_MAX], hdr[PATH_MAX + 32], tool[PATH_MAX];
	char *argv[4];
	struct stat st;
	uint64_t h = hash_str(0xcbf29ce484222325ULL, kdir);

	if (!stat(kdir, &st))
		h = hash_str(h, ctime(&st.st_mtime));
	h = hash_probes(h, runtime);
	if (cache && *cache)
		snprintf(base, sizeof(base), "%s/relaytap", cache);
	else
		snprintf(base, sizeof(base), "%s/.cache/relaytap", home ? home : "/tmp");
	snprintf(dir, size, "%s/compat-%016llx", base, (unsigned long long)h);
	snprintf(hdr, sizeof(hdr), "%s/rt_autoconf.h", dir);
	if (!access(hdr, R_OK))
		return 0;
	if (mkdir_p(dir))
		return -1;
	snprintf(tool, sizeof(tool), "%s/compat/probe-kernel", runtime);
	argv[0] = tool;
	argv[1] = (char *)kdir;
	argv[2] = hdr;
	argv[3] = NULL;
	if (run(argv, NULL)) {
		errno = ENOEXEC;
		return -1;
	}
	return 0;
}

/** mkdir_p - mkdir -p @path; 0 or -1 with errno */
int mkdir_p(const char *path)
{
	char buf[PATH_MAX], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

/**
 * kbuild_module - compile @dir/@name.c into @dir/@name.ko
 * @dir:     a directory holding @name.c
 * @name:    module name
 * @kdir:    kernel build tree
 * @runtime: runtime directory
 * @compat:  directory of rt_autoconf.h
 * @defines: extra -D options for the compiler ("" for none)
 *
 * Return: 0, or -1 with errno (ENOEXEC: the build failed, see @dir/build.log).
 */
int kbuild_module(const char *dir, const char *name, const char *kdir, const char *runtime,
		  const char *compat, const char *defines)
{
	char path[PATH_MAX], mflag[PATH_MAX + 4], log[PATH_MAX];
	char *argv[] = { "make", "-s", "-C", (char *)kdir, mflag, "modules", NULL };
	FILE *f;

	snprintf(path, sizeof(path), "%s/Kbuild", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "obj-m := %s.o\nccflags-y := -I%s -I%s -Wno-unused-function %s\n", name,
		runtime, compat, defines);
	if (fclose(f))
		return -1;
	snprintf(mflag, sizeof(mflag), "M=%s", dir);
	snprintf(log, sizeof(log), "%s/build.log", dir);
	if (run(argv, log)) {
		errno = ENOEXEC;
		return -1;
	}
	return 0;
}

/** hash_tree - fold the names, sizes and times of every file under @path into @h */
static uint64_t hash_tree(uint64_t h, const char *path, int depth)
{
	char sub[PATH_MAX], buf[64];
	struct dirent *d;
	struct stat st;
	DIR *dir = opendir(path);

	if (!dir || depth > 4) {
		if (dir)
			closedir(dir);
		return h;
	}
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, d->d_name);
		if (stat(sub, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			h = hash_tree(h, sub, depth + 1);
			continue;
		}
		snprintf(buf, sizeof(buf), "%lld:%lld", (long long)st.st_size,
			 (long long)st.st_mtime);
		h ^= hash_str(hash_str(hash_str(0xcbf29ce484222325ULL, sub), buf), "");
	}
	closedir(dir);
	return h;
}

/** hash_file - fold the contents of @path into @h; -1 with errno */
static int hash_file(uint64_t *h, const char *path)
{
	FILE *f = fopen(path, "r");
	int c;

	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		*h = (*h ^ (unsigned char)c) * 0x100000001b3ULL;
	fclose(f);
	return 0;
}

/** cache_base - $XDG_CACHE_HOME/relaytap (or ~/.cache/relaytap) into @buf */
void cache_base(char *buf, size_t size)
{
	const char *cache = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (cache && *cache)
		snprintf(buf, size, "%s/relaytap", cache);
	else
		snprintf(buf, size, "%s/.cache/relaytap", home ? home : "/tmp");
}

/**
 * module_cache_path - where the module built from @csrc would be cached
 * @csrc:    the generated C
 * @name:    the module name
 * @kdir:    kernel build tree
 * @runtime: runtime directory
 * @defines: the compiler's -D options
 * @buf:     set to the .ko path
 * @size:    its size
 *
 * The key covers the C, the name, the options, the runtime's files and the kernel tree.
 * Return: 0, or -1 with errno.
 */
int module_cache_path(const char *csrc, const char *name, const char *kdir,
		      const char *runtime, const char *defines, char *buf, size_t size)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char base[PATH_MAX], cfg[PATH_MAX + 16];
	struct stat st;

	if (hash_file(&h, csrc))
		return -1;
	h = hash_str(hash_str(hash_str(h, name), defines), kdir);
	snprintf(cfg, sizeof(cfg), "%s/.config", kdir);
	if (!stat(cfg, &st))
		h = hash_str(h, ctime(&st.st_mtime));
	h = hash_tree(h, runtime, 0);
	cache_base(base, sizeof(base));
	snprintf(buf, size, "%s/modules/%016llx/%s.ko", base, (unsigned long long)h, name);
	return 0;
}

/** copy_file - copy @from to @to (through a temporary, renamed); 0 or -1 with errno */
int copy_file(const char *from, const char *to)
{
	char tmp[PATH_MAX + 8], buf[65536];
	FILE *in = fopen(from, "r"), *out;
	size_t n;

	if (!in)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tmp", to);
	out = fopen(tmp, "w");
	if (!out) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			break;
	n = ferror(in);
	fclose(in);
	if (fclose(out) || n) {
		unlink(tmp);
		errno = errno ? errno : EIO;
		return -1;
	}
	return rename(tmp, to);
}

/**
 * tree_release - the release of the kernel build tree @kdir (its UTS_RELEASE)
 * @kdir: kernel build tree
 * @rel:  set to the release
 * @size: room in @rel
 *
 * Return: 0, or -1 with errno (ENOENT: no include/generated/utsrelease.h).
 */
int tree_release(const char *kdir, char *rel, size_t size)
{
	char path[PATH_MAX + 48], line[256];
	FILE *f;
	int found = 0;

	snprintf(path, sizeof(path), "%s/include/generated/utsrelease.h", kdir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f)) {
		char *q, *p = strstr(line, "UTS_RELEASE \"");

		if (!p)
			continue;
		p += strlen("UTS_RELEASE \"");
		q = strchr(p, '"');
		if (q) {
			*q = '\0';
			snprintf(rel, size, "%s", p);
			found = 1;
		}
	}
	fclose(f);
	if (!found)
		errno = ENOENT;
	return found ? 0 : -1;
}

/**
 * config_file - open @kdir's kernel configuration (.config, else include/config/auto.conf)
 *
 * Return: the stream, or NULL with errno.
 */
static FILE *config_file(const char *kdir)
{
	char path[PATH_MAX + 32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/.config", kdir);
	f = fopen(path, "r");
	if (f)
		return f;
	snprintf(path, sizeof(path), "%s/include/config/auto.conf", kdir);
	return fopen(path, "r");
}

/** config_has - whether the configuration @f sets @opt to y or m */
static int config_has(FILE *f, const char *opt)
{
	char line[512];
	size_t n = strlen(opt);

	rewind(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, opt, n) && line[n] == '=' && (line[n + 1] == 'y' ||
								 line[n + 1] == 'm'))
			return 1;
	return 0;
}

/** older - whether release @rel is older than MAJOR.MINOR @oldest */
static int older(const char *rel, const char *oldest)
{
	int a = 0, b = 0, x = 0, y = 0;

	if (sscanf(rel, "%d.%d", &a, &b) != 2 || sscanf(oldest, "%d.%d", &x, &y) != 2)
		return 0;
	return a < x || (a == x && b < y);
}

/**
 * kernel_check - whether the kernel build tree @kdir meets runtime/compat/requirements
 * @kdir:    kernel build tree
 * @runtime: runtime directory
 * @what:    on failure, the unmet requirement: a CONFIG_ option, or the tree's release
 * @why:     on failure, what needs the option, or the oldest release supported
 * @size:    room in @what and in @why
 *
 * Return: 0, or -1 with errno: ENOTSUP (an option is not set), ERANGE (too old),
 * ENOENT (no .config or no utsrelease.h: not a configured kernel build tree).
 */
int kernel_check(const char *kdir, const char *runtime, char *what, char *why, size_t size)
{
	char path[PATH_MAX + 48], line[512], rel[256];
	FILE *req, *cfg;
	int rc = 0, n;

	snprintf(path, sizeof(path), "%s/compat/requirements", runtime);
	req = fopen(path, "r");
	if (!req)
		return 0;	/* a runtime from before the requirements file */
	cfg = config_file(kdir);
	if (!cfg || tree_release(kdir, rel, sizeof(rel))) {
		if (cfg)
			fclose(cfg);
		fclose(req);
		errno = ENOENT;
		return -1;
	}
	while (!rc && fgets(line, sizeof(line), req)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "oldest ", 7) && older(rel, line + 7)) {
			snprintf(what, size, "%s", rel);
			snprintf(why, size, "%s", line + 7);
			errno = ERANGE;
			rc = -1;
		} else if (!strncmp(line, "CONFIG_", 7)) {
			n = strcspn(line, " ");
			snprintf(what, size, "%.*s", n, line);
			if (!config_has(cfg, what)) {
				snprintf(why, size, "%s", line[n] ? line + n + 1 : "");
				errno = ENOTSUP;
				rc = -1;
			}
		}
	}
	fclose(cfg);
	fclose(req);
	return rc;
}
