// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - stap: translate a probe script into a module and run it.  The only
 * translator file that prints and exits.
 */
#include <errno.h>
#include <getopt.h>
#include <regex.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "config.h"
#include "../common/usage.h"
#include "ast.h"
#include "sema.h"
#include "btf.h"
#include "typed.h"
#include "build.h"

/**
 * struct opts - the command line
 */
struct opts {
	int pass;		/* last pass to run, 1-5 */
	int verbose;
	int keep;
	int no_warnings;
	const char *script;	/* file name, or NULL with -e */
	const char *text;	/* -e text */
	const char *name;	/* -m */
	const char *outfile;	/* -o */
	const char *kernel;	/* -r */
	const char *runtime;	/* -R */
	unsigned int bufsize;	/* -s */
	int bulk;		/* -b */
	int flight;		/* -F */
	const char *command;	/* -c */
	const char *target;	/* -x */
	const char *list;	/* -l PATTERN */
	const char *symfiles[64];	/* -d FILE: symbols for the user symbol functions */
	int nsymfiles;
	int ldd;		/* --ldd: and of the libraries the probed files need */
	int list_vars;		/* -L PATTERN */
	const char *btf;	/* --btf FILE */
	int no_cache;		/* --disable-cache */
	const char **tapsets;	/* the tapset directories: the library's, then -I (argc + 2) */
	int ntapsets;
	long timeout;		/* -T: seconds, or 0 */
	char *globals[64];	/* -G NAME=VALUE, for staprun */
	int nglobals;
	char defines[2048];	/* -D, as compiler options */
	struct options lang;	/* script arguments, symbol list */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: stap [options] SCRIPT.stp [ARGS...]\n"
		"       stap [options] -e 'SCRIPT' [ARGS...]\n"
		"       stap [options] -l 'kprobe.function(\"PATTERN\")'\n"
		"Translate a probe script into a kernel module and run it.\n\n"
		"  -p N          stop after pass N: 1 parse, 2 resolve, 3 C, 4 module, 5 run\n"
		"  -e SCRIPT     the script text\n"
		"  -v            print per-pass timing (repeatable)\n"
		"  -m NAME       module name\n"
		"  -o FILE       output file (pass 5)\n"
		"  -s MB         per-CPU buffer size in MiB (pass 5)\n"
		"  -b            bulk mode: one output file per CPU (FILE_<cpu>), see stap-merge\n"
		"  -F            flight recorder: start detached; attach with staprun -A NAME\n"
		"  -c CMD        run CMD once the probes run; end when it exits\n"
		"  -x PID        the target process (target())\n"
		"  -k            keep the temporary build directory\n"
		"  -r REL|DIR    target kernel release or build directory (default %s)\n"
		"  -R DIR        runtime directory\n"
		"  -D NAME=VAL   override a limit (MAXACTION, MAXSTRINGLEN, ...)\n"
		"  -I DIR        also look for tapsets in DIR (after the library's)\n"
		"  -g            guru mode: allow embedded C (%%{ %%}), writing target variables\n"
		"  -w            suppress warnings\n"
		"  -l PATTERN    list the probe points matching PATTERN (wildcards in a function)\n"
		"  -d FILE       symbols of FILE for usymname(), print_ubacktrace() ...\n"
		"  --ldd         also of the shared libraries the probed files need\n"
		"  -L PATTERN    -l, with each point's target variables (kernel.trace, process)\n"
		"  --disable-cache  always build (modules are cached under $XDG_CACHE_HOME/relaytap)\n"
		"  --btf FILE    the target kernel's BTF (raw or an ELF with .BTF), for $target\n"
		"                variables, @cast and kernel.trace; default: see stap(1), BTF\n"
		"  -T SECONDS    end the script after SECONDS (a timer.ms probe that calls exit())\n"
		"  -G NAME=VALUE set scalar global NAME when the module starts (staprun NAME=VALUE)\n"
		"  --all-modules accepted for SystemTap's scripts; relaytap needs no symbol data\n"
		"ARGS are the script's $1 $2 ... (numbers) and @1 @2 ... (strings).\n"
		"Function wildcards match the target kernel's symbols: /proc/kallsyms when it is\n"
		"running, else a System.map in the build tree or /boot, else the guest's kallsyms.\n"
		"  -V, --version print the version\n"
		"  -h, --help    print this help\n",
		RT_KERNEL_RELEASE);
}

static void add_define(struct opts *o, const char *d)
{
	const char *p;
	size_t n = strlen(o->defines);

	for (p = d; *p && *p != '='; p++)
		if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			rt_die("invalid -D '%s' (expected NAME=VALUE)", d);
	if (p == d || !*p || strpbrk(p + 1, " '\"\\$`"))
		rt_die("invalid -D '%s' (expected NAME=VALUE)", d);
	if (n + strlen(d) + 8 >= sizeof(o->defines))
		rt_die("too many -D options");
	snprintf(o->defines + n, sizeof(o->defines) - n, " -DRT_%s", d);
}

/**
 * add_global - -G NAME=VALUE: checked with SystemTap 4.8's pattern (main.cxx), given to
 * staprun, which sets the global's module parameter
 */
static void add_global(struct opts *o, char *g)
{
	static const char pat[] = "^[a-z_][a-z0-9_]*=[a-z0-9_.-]+$";	/* REG_ICASE, as 4.8 */
	regex_t re;
	int bad;

	if (regcomp(&re, pat, REG_EXTENDED | REG_NOSUB | REG_ICASE))
		rt_die("cannot compile the -G pattern");
	bad = regexec(&re, g, 0, NULL, 0);
	regfree(&re);
	if (bad)
		rt_die("invalid -G '%s' (expected NAME=VALUE matching '%s')", g, pat);
	if (o->nglobals == 64)
		rt_die("too many -G options");
	o->globals[o->nglobals++] = g;
	o->lang.gsets = o->globals;
	o->lang.ngsets = o->nglobals;
}

/* long options without a letter: values no short option can take */
enum { OPT_LDD = 256 };

static void parse_options(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "disable-cache", no_argument, NULL, 'N' },
		{ "btf", required_argument, NULL, 'B' },
		{ "all-modules", no_argument, NULL, 'A' },
		{ "ldd", no_argument, NULL, OPT_LDD },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->tapsets = xcalloc(argc + 2, sizeof(*o->tapsets));
	o->pass = 5;
	/* no "+": options may follow the script, as 4.8's getopt permutes them; "--" ends them */
	while ((c = getopt_long(argc, argv, "p:e:vm:o:s:kr:R:D:I:gwVhbFc:x:l:L:T:G:d:", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'N': o->no_cache = 1; break;
		case 'B': o->btf = optarg; break;
		case 'A': break;	/* --all-modules: 4.8's unwind data, which we do not use */
		case 'T':
			o->timeout = strtol(optarg, &end, 10);
			if (*end || o->timeout < 1 || o->timeout > 1000000000)
				rt_die("invalid timeout '%s' for -T (expected seconds, 1 or more)",
				       optarg);
			break;
		case OPT_LDD: o->ldd = 1; break;
		case 'd':
			if (o->nsymfiles == 64)
				rt_die("too many -d options (at most 64)");
			o->symfiles[o->nsymfiles++] = optarg;
			break;
		case 'l': o->list = optarg; break;
		case 'L': o->list = optarg; o->list_vars = 1; break;
		case 'p':
			o->pass = strtol(optarg, &end, 10);
			if (*end || o->pass < 1 || o->pass > 5)
				rt_die("invalid pass '%s' (expected 1 to 5)", optarg);
			break;
		case 'e': o->text = optarg; break;
		case 'v': o->verbose++; break;
		case 'm': o->name = optarg; break;
		case 'o': o->outfile = optarg; break;
		case 's':
			o->bufsize = strtoul(optarg, &end, 10);
			if (*end || !o->bufsize || o->bufsize > 1024)
				rt_die("invalid buffer size '%s' (expected 1 to 1024 MiB)", optarg);
			break;
		case 'k': o->keep = 1; break;
		case 'b': o->bulk = 1; break;
		case 'F': o->flight = 1; break;
		case 'c': o->command = optarg; break;
		case 'x':
			strtoul(optarg, &end, 10);
			if (*end || !*optarg)
				rt_die("invalid pid '%s' for -x", optarg);
			o->target = optarg;
			break;
		case 'r': o->kernel = optarg; break;
		case 'R': o->runtime = optarg; break;
		case 'D': add_define(o, optarg); break;
		case 'g': o->lang.guru = 1; break;
		case 'I':	/* as many as the command line holds, as in 4.8 */
			o->tapsets[2 + o->ntapsets++] = optarg;
			break;
		case 'G': add_global(o, optarg); break;
		case 'w': o->no_warnings = 1; break;
		case 'V': printf("relaytap stap %s\n", PACKAGE_VERSION); exit(0);
		case 'h': usage(stdout); exit(0);
		default: rt_usage_error(usage);
		}
	}
	if (!o->text && !o->list) {
		if (optind >= argc)
			rt_die("no script given (a file name or -e 'SCRIPT'; see stap -h)");
		o->script = argv[optind++];
	}
	o->lang.args = argv + optind;
	o->lang.nargs = argc - optind;
	if (o->bulk)
		add_define(o, "BULK_MODE=1");
	if (o->flight && (o->command || o->outfile))
		rt_die("-F starts the module detached: give -c and -o to 'staprun -A' when attaching");
}

static char *read_script(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t n = 0, cap = 4096;
	char *buf;

	if (!f)
		rt_die("cannot open script '%s': %s", path, strerror(errno));
	buf = xcalloc(cap, 1);
	while (!feof(f)) {
		if (n + 1 >= cap)
			buf = realloc(buf, cap *= 2);
		if (!buf)
			rt_die("out of memory");
		n += fread(buf + n, 1, cap - n - 1, f);
		if (ferror(f))
			rt_die("cannot read script '%s': %s", path, strerror(errno));
	}
	buf[n] = '\0';
	if (f != stdin)
		fclose(f);
	return buf;
}

/** struct timer - per-pass resource use, for -v */
struct timer {
	struct rusage ru;
	struct timespec ts;
};

static void timer_start(struct timer *t)
{
	getrusage(RUSAGE_SELF, &t->ru);
	clock_gettime(CLOCK_MONOTONIC, &t->ts);
}

static long tv_ms(const struct timeval *a, const struct timeval *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 + (b->tv_usec - a->tv_usec) / 1000;
}

static void timer_report(const struct opts *o, const struct timer *t, int pass, const char *what)
{
	struct rusage ru, ch;
	struct timespec ts;

	if (!o->verbose)
		return;
	getrusage(RUSAGE_SELF, &ru);
	getrusage(RUSAGE_CHILDREN, &ch);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(stderr, "Pass %d: %s in %ldusr/%ldsys/%ldreal ms.\n", pass, what,
		tv_ms(&t->ru.ru_utime, &ru.ru_utime), tv_ms(&t->ru.ru_stime, &ru.ru_stime),
		(long)((ts.tv_sec - t->ts.tv_sec) * 1000 + (ts.tv_nsec - t->ts.tv_nsec) / 1000000));
}

static void module_name(const struct opts *o, const char *text, const char *args, char *buf,
			size_t size)
{
	const char *p;

	if (o->name) {
		for (p = o->name; *p; p++)
			if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			      (p > o->name && *p >= '0' && *p <= '9')))
				rt_die("invalid module name '%s' (letters, digits and '_')", o->name);
		if (p == o->name || p - o->name > 55)
			rt_die("invalid module name '%s' (1 to 55 characters)", o->name);
		snprintf(buf, size, "%s", o->name);
		return;
	}
	snprintf(buf, size, "stap_%08llx", (unsigned long long)(hash_str(hash_str(
		 0xcbf29ce484222325ULL, text), args) & 0xffffffff));
}

static void kernel_dir(const struct opts *o, char *buf, size_t size, char *rel, size_t rsize)
{
	const char *k = o->kernel;

	if (!k) {
		snprintf(buf, size, "%s", RT_KERNEL_DIR);
		snprintf(rel, rsize, "%s", RT_KERNEL_RELEASE);
	} else if (strchr(k, '/')) {
		snprintf(buf, size, "%s", k);
		snprintf(rel, rsize, "%s", "");
	} else {
		snprintf(buf, size, "/lib/modules/%s/build", k);
		if (access(buf, F_OK))
			snprintf(buf, size, "/usr/src/linux-headers-%s", k);
		snprintf(rel, rsize, "%s", k);
	}
	if (!access(buf, R_OK))
		return;
	if (!*rel)
		rt_die("no kernel build tree '%s'", buf);
	rt_die("the headers of kernel '%s' are not installed: install the Debian package "
	    "'linux-headers-%s' (or give -r DIR)", rel, rel);
}

/**
 * check_kernel - stop with one message when the tree @kdir cannot build working modules
 * (runtime/compat/requirements: the options the runtime needs, the oldest release)
 */
static void check_kernel(const char *kdir, const char *runtime)
{
	char what[256], why[256];

	if (!kernel_check(kdir, runtime, what, why, sizeof(what)))
		return;
	if (errno == ENOTSUP)
		rt_die("kernel tree '%s' is configured without %s, which relaytap needs (%s)", kdir,
		    what, why);
	if (errno == ERANGE)
		rt_die("kernel '%s' ('%s') is older than %s, the oldest kernel relaytap supports",
		    what, kdir, why);
	rt_die("'%s' is not a configured kernel build tree (no .config or "
	    "include/generated/utsrelease.h)", kdir);
}

static struct opts *the_opts;

/** target_kernel_dir - opt.kernel_dir: the target's build tree */
static const char *target_kernel_dir(void)
{
	static char kdir[PATH_MAX];
	char rel[256];

	if (!*kdir)
		kernel_dir(the_opts, kdir, sizeof(kdir), rel, sizeof(rel));
	return kdir;
}

/** target_kernel - opt.kernel: the target's release (@vr), or its base version */
static const char *target_kernel(int vr)
{
	static char rel[256], base[256];
	char kdir[PATH_MAX], path[PATH_MAX + 32];
	FILE *f;

	if (!*rel) {
		kernel_dir(the_opts, kdir, sizeof(kdir), rel, sizeof(rel));
		snprintf(path, sizeof(path), "%s/include/config/kernel.release", kdir);
		f = *rel ? NULL : fopen(path, "r");
		if (f && fgets(rel, sizeof(rel), f))
			rel[strcspn(rel, "\n")] = '\0';
		if (f)
			fclose(f);
		snprintf(base, sizeof(base), "%.*s", (int)strcspn(rel, "-"), rel);
	}
	return vr ? rel : base;
}

/**
 * target_release - the release whose BTF and symbols are the target's: -r REL, or the
 * default; for -r DIR, DIR's UTS_RELEASE (what uname -r says there: Debian's 6.1 trees
 * have "6.1.192" in include/config/kernel.release, which 4.8's kernel_vr shows, for
 * 6.1.0-57-amd64), else its kernel.release; "" when DIR has neither
 */
static const char *target_release(void)
{
	static char rel[256];

	if (!*rel && (!the_opts->kernel || !strchr(the_opts->kernel, '/') ||
		      tree_release(target_kernel_dir(), rel, sizeof(rel))))
		snprintf(rel, sizeof(rel), "%s", target_kernel(1));
	return rel;
}

/** target_config - opt.config: option @name of the target's .config, "" when unset */
static const char *target_config(const char *name)
{
	static char *text;
	static char val[256];
	char kdir[PATH_MAX], rel[256], path[PATH_MAX + 16], key[128];
	const char *p;

	if (!text) {
		kernel_dir(the_opts, kdir, sizeof(kdir), rel, sizeof(rel));
		snprintf(path, sizeof(path), "%s/.config", kdir);
		text = access(path, R_OK) ? xstrdup("") : (char *)read_script(path);
	}
	snprintf(key, sizeof(key), "\n%s=", name);
	p = !strncmp(text, key + 1, strlen(key + 1)) ? text - 1 : strstr(text, key);
	if (!p)
		return "";
	p += strlen(key);
	snprintf(val, sizeof(val), "%.*s", (int)strcspn(p, "\n"), p);
	return val;
}

/** host_loads_modules - whether this host's kernel can load modules at all */
static int host_loads_modules(void)
{
	return access("/proc/modules", F_OK) == 0;
}

/**
 * run_module - pass 5: staprun here, or in the project's qemu guest
 */
static int run_module(const struct opts *o, const char *ko, const char *dir, const char *rel)
{
	char staprun[PATH_MAX], guest[PATH_MAX], outdir[PATH_MAX], bsize[16];
	char *argv[32 + 64];
	int n = 0, i;

	tool_path("staprun", staprun, sizeof(staprun));
	if (!host_loads_modules()) {
		tool_path("rtguest", guest, sizeof(guest));
		fprintf(stderr, "stap: this host cannot load modules; running in a qemu guest of %s\n",
			*rel ? rel : RT_KERNEL_RELEASE);
		argv[n++] = guest;
		if (*rel) {
			argv[n++] = "-r";
			argv[n++] = (char *)rel;
		}
		argv[n++] = "-w";
		argv[n++] = (char *)dir;
		if (o->outfile) {
			snprintf(outdir, sizeof(outdir), "%s", o->outfile);
			if (strrchr(outdir, '/'))
				*strrchr(outdir, '/') = '\0';
			else
				snprintf(outdir, sizeof(outdir), ".");
			argv[n++] = "-w";
			argv[n++] = outdir;
		}
		argv[n++] = "run";
	}
	argv[n++] = staprun;
	if (o->flight)
		argv[n++] = "-L";
	if (o->command) {
		argv[n++] = "-c";
		argv[n++] = (char *)o->command;
	}
	if (o->target) {
		argv[n++] = "-x";
		argv[n++] = (char *)o->target;
	}
	if (o->outfile) {
		argv[n++] = "-o";
		argv[n++] = (char *)o->outfile;
	}
	if (o->bufsize) {
		snprintf(bsize, sizeof(bsize), "%u", o->bufsize);
		argv[n++] = "-b";
		argv[n++] = bsize;
	}
	if (o->no_warnings)
		argv[n++] = "-w";
	argv[n++] = (char *)ko;
	for (i = 0; i < o->nglobals; i++)
		argv[n++] = o->globals[i];
	argv[n] = NULL;
	return run(argv, NULL);
}

static void cleanup(const struct opts *o, const char *dir)
{
	char *argv[] = { "rm", "-rf", (char *)dir, NULL };

	if (o->keep)
		fprintf(stderr, "stap: kept temporary directory '%s'\n", dir);
	else
		run(argv, NULL);
}

static int placeholder_map(const char *path)
{
	char line[256];
	FILE *f = fopen(path, "r");
	int bad = 1;

	if (f && fgets(line, sizeof(line), f))
		bad = strstr(line, "The real System.map") != NULL;
	if (f)
		fclose(f);
	return bad;
}

/**
 * guest_copy - copy file @src of a guest of @rel ("if=/proc/kallsyms") into @path
 * (through @path.tmp, renamed into place), running @guest (rtguest) with an argv: no
 * shell sees the paths
 *
 * Return: 0, or -1 (rtguest failed; nothing is left at @path).
 */
static int guest_copy(char *guest, char *rel, char *base, char *src, const char *path)
{
	char tmp[PATH_MAX + 330], of[PATH_MAX + 340];
	char *argv[] = { guest, "-r", rel, "-w", base, "run", "dd", src, of, "status=none", NULL };

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	snprintf(of, sizeof(of), "of=%s", tmp);
	if (!run(argv, NULL) && !rename(tmp, path))
		return 0;
	unlink(tmp);
	return -1;
}

/**
 * symbol_list - a file listing the target kernel's symbols, found on first use:
 * /proc/kallsyms of a running target, a real System.map, or the guest's kallsyms
 * (fetched once per release into the cache)
 */
static const char *symbol_list(void)
{
	static char path[PATH_MAX + 320];
	char kdir[PATH_MAX], rel[256], guest[PATH_MAX], base[PATH_MAX];
	struct utsname u;

	if (*path)
		return path;
	kernel_dir(the_opts, kdir, sizeof(kdir), rel, sizeof(rel));
	snprintf(rel, sizeof(rel), "%s", target_release());	/* -r DIR: DIR's release */
	if (!uname(&u) && !strcmp(u.release, rel) && !access("/proc/kallsyms", R_OK))
		return strcpy(path, "/proc/kallsyms");
	snprintf(path, sizeof(path), "%s/System.map", kdir);
	if (!access(path, R_OK) && !placeholder_map(path))
		return path;
	if (!*rel)
		return *path = '\0', NULL;
	snprintf(path, sizeof(path), "/boot/System.map-%s", rel);
	if (!access(path, R_OK) && !placeholder_map(path))
		return path;
	cache_base(base, sizeof(base));
	snprintf(path, sizeof(path), "%s/kallsyms-%s", base, rel);
	if (!access(path, R_OK))
		return path;
	tool_path("rtguest", guest, sizeof(guest));
	if (mkdir_p(base) || access(guest, X_OK))
		return *path = '\0', NULL;
	fprintf(stderr, "stap: reading the symbols of %s in a qemu guest (once)\n", rel);
	if (guest_copy(guest, rel, base, "if=/proc/kallsyms", path))
		return *path = '\0', NULL;
	return path;
}

/**
 * btf_file - the target kernel's BTF, found on first use (btf.h lists the sources:
 * --btf, the running kernel's, the cache, /boot/vmlinuz-REL's .BTF, a guest's)
 */
static const char *btf_file(void)
{
	static char path[PATH_MAX + 320];
	char kdir[PATH_MAX], rel[256], guest[PATH_MAX], base[PATH_MAX], z[PATH_MAX + 16];
	struct utsname u;

	if (the_opts->btf || *path)
		return the_opts->btf ? the_opts->btf : path;
	kernel_dir(the_opts, kdir, sizeof(kdir), rel, sizeof(rel));
	snprintf(rel, sizeof(rel), "%s", target_release());	/* -r DIR: DIR's release */
	if (!*rel)
		return NULL;
	if (!uname(&u) && !strcmp(u.release, rel) && !access("/sys/kernel/btf/vmlinux", R_OK))
		return strcpy(path, "/sys/kernel/btf/vmlinux");
	cache_base(base, sizeof(base));
	snprintf(path, sizeof(path), "%s/btf-%s", base, rel);
	if (!access(path, R_OK))
		return path;
	snprintf(z, sizeof(z), "%s/.config", kdir);
	if (mkdir_p(base) || !kbtf_configured(z))
		return *path = '\0', NULL;
	snprintf(z, sizeof(z), "/boot/vmlinuz-%s", rel);
	if (!access(z, R_OK)) {
		fprintf(stderr, "stap: extracting the BTF of %s from '%s' (once)\n", rel, z);
		if (!kbtf_extract(z, path))
			return path;
		fprintf(stderr, "stap: cannot extract the BTF from '%s': %s\n", z, strerror(errno));
		if (errno == ENODATA)
			return *path = '\0', NULL;	/* no .BTF: a guest has none either */
	}
	tool_path("rtguest", guest, sizeof(guest));
	if (access(guest, X_OK))
		return *path = '\0', NULL;
	fprintf(stderr, "stap: reading the BTF of %s in a qemu guest (once)\n", rel);
	if (guest_copy(guest, rel, base, "if=/sys/kernel/btf/vmlinux", path))
		return *path = '\0', NULL;
	return path;
}

/**
 * build_cached - pass 4: @dir/@name.ko from @dir/@name.c, from the cache when it holds
 * the same build
 */
static int build_cached(struct opts *o, const char *dir, const char *name, const char *kdir,
			const char *runtime, const char *compat)
{
	char csrc[PATH_MAX + 64], ko[PATH_MAX + 64], cached[PATH_MAX + 64];
	int have;

	snprintf(csrc, sizeof(csrc), "%s/%s.c", dir, name);
	snprintf(ko, sizeof(ko), "%s/%s.ko", dir, name);
	have = !o->no_cache && !module_cache_path(csrc, name, kdir, runtime, o->defines,
						   cached, sizeof(cached));
	if (have && !copy_file(cached, ko)) {
		if (o->verbose)
			fprintf(stderr, "Pass 4: using cached %s\n", cached);
		return 0;
	}
	if (o->pass == 5 || isatty(2))
		fprintf(stderr, "stap: building module '%s' against %s\n", name, kdir);
	if (kbuild_module(dir, name, kdir, runtime, compat, o->defines))
		return -1;
	if (have) {
		*strrchr(cached, '/') = '\0';
		if (!mkdir_p(cached)) {
			snprintf(cached + strlen(cached), sizeof(cached) - strlen(cached), "/%s.ko",
				 name);
			copy_file(ko, cached);
		}
	}
	return 0;
}

static void build_failed(struct opts *o, const char *dir, const char *name, const char *kdir)
{
	char path[PATH_MAX + 64];
	FILE *f;
	int c;

	snprintf(path, sizeof(path), "%s/build.log", dir);
	f = fopen(path, "r");
	while (f && (c = fgetc(f)) != EOF)
		fputc(c, stderr);
	if (f)
		fclose(f);
	fprintf(stderr, "stap: building module '%s' against '%s' failed\n", name, kdir);
	cleanup(o, dir);
	exit(1);
}

/**
 * tapset_dirs - the tapset search path (tapset.c): the in-tree tapset/ when stap runs from
 * its build tree, the installed $(pkgdatadir)/tapset, then the -I directories in order.
 * $SYSTEMTAP_TAPSET, when set, replaces the first two (4.8's session.cxx: it replaces
 * the default tapset directory).
 */
static void tapset_dirs(struct opts *o)
{
	static char cache[PATH_MAX + 16];
	const char *env = getenv("SYSTEMTAP_TAPSET");
	int n = 0, i;

	if (env && *env) {
		o->tapsets[n++] = env;
	} else {
		if (in_build_tree())
			o->tapsets[n++] = RT_SRCDIR "/tapset";
		o->tapsets[n++] = RT_PKGDATADIR "/tapset";
	}
	for (i = 0; i < o->ntapsets; i++)
		o->tapsets[n++] = o->tapsets[2 + i];
	o->lang.tapset_dirs = o->tapsets;
	o->lang.ntapset_dirs = n;
	cache_base(cache, PATH_MAX);
	if (!mkdir_p(cache)) {
		strcat(cache, "/tapset-index");
		o->lang.tapset_cache = cache;
	}
}

/**
 * add_timeout - stap -T: 'probe timer.ms(T * 1000) { exit() }' before the script's probes,
 * as 4.8 adds it (main.cxx)
 */
static void add_timeout(struct script *s, struct opts *o)
{
	static char text[64];
	struct script *t;

	snprintf(text, sizeof(text), "probe timer.ms(%ld) { exit() }", o->timeout * 1000);
	t = parse_script("<timeout>", text, &o->lang);
	if (!t)
		exit(1);
	t->probes->next = s->probes;
	s->probes = t->probes;
	s->nprobes++;
}

/** front - passes 1 to 3: parse, check and translate; NULL after pass 1 or 2 */
static struct script *front(struct opts *o, const char *file, const char *text)
{
	struct script *s;
	struct timer t;
	int i;

	timer_start(&t);
	s = parse_script(file, text, &o->lang);
	if (!s)
		exit(1);
	if (o->timeout)
		add_timeout(s, o);
	timer_report(o, &t, 1, "parsed user script");
	if (o->pass == 1) {
		dump_script(stdout, s);
		exit(0);
	}
	timer_start(&t);
	i = tapset_resolve(s, &o->lang) || sema_script(s, &o->lang);
	lex_warn_unused_args();
	if (i)
		exit(1);
	for (i = 0; i < o->nsymfiles; i++)
		if (uprobe_symbol_file(o->symfiles[i]))
			rt_die("cannot read the symbols of '%s' (-d): %s", o->symfiles[i],
			       errno == ENOEXEC ? "not an ELF executable or shared library" :
			       errno == ENOTSUP ? "not an x86_64 ELF file" : strerror(errno));
	if (o->ldd)
		uprobe_ldd();
	timer_report(o, &t, 2, "analyzed script");
	if (o->pass == 2) {
		dump_resolved(stdout, s);
		exit(0);
	}
	probe_drop_never(s);
	return s;
}

static int cmp_probe_alias(const void *a, const void *b)
{
	return strcmp(alias_top_name(*(struct probe *const *)a),
		      alias_top_name(*(struct probe *const *)b));
}

/**
 * list_aliases - stap -l/-L of tapset or script aliases ('syscall.open*'): each alias the
 * pattern names, once, sorted; with -L its variables as "name:type", in the order the
 * alias body first sets them, leaving out the "__" ones (4.8's listing format)
 */
static int list_aliases(struct opts *o)
{
	char *text = xcalloc(strlen(o->list) + 32, 1);
	struct probe **v, *p;
	const struct sym *l;
	struct script *s;
	int n = 0, i;

	sprintf(text, "probe %s { }\n", o->list);
	diag_no_warnings();
	s = parse_script("-l", text, &o->lang);
	if (!s || tapset_resolve(s, &o->lang) || sema_script(s, &o->lang))
		return 1;
	for (p = s->probes; p; p = p->next)
		n++;
	v = xcalloc(n + 1, sizeof(*v));
	for (n = 0, p = s->probes; p; p = p->next)
		if (alias_top_name(p))
			v[n++] = p;
	qsort(v, n, sizeof(*v), cmp_probe_alias);
	for (i = 0; i < n; i++) {
		if (i && !strcmp(alias_top_name(v[i]), alias_top_name(v[i - 1])))
			continue;
		fputs(alias_top_name(v[i]), stdout);
		for (l = v[i]->locals; o->list_vars && l; l = l->next)
			if (strncmp(l->name, "__", 2))
				printf(" %s:%s", l->name, type_name(l->type));
		if (o->list_vars)
			kfunc_list_params(stdout, &o->lang, v[i]);
		putchar('\n');
	}
	free(v);
	free(text);
	return 0;
}

int main(int argc, char **argv)
{
	char name[64], dir[] = "/tmp/stapXXXXXX", path[PATH_MAX + 64], runtime[PATH_MAX];
	char kdir[PATH_MAX], rel[256], compat[PATH_MAX], ko[PATH_MAX + 16];
	const char *file, *text;
	struct script *s;
	struct timer t;
	struct opts o;
	FILE *f;
	int rc, i;

	rt_usage_init("stap", NULL);
	parse_options(argc, argv, &o);
	uprobe_target(o.command, o.target);	/* process.plt and friends: -c names the program */
	the_opts = &o;
	if (o.no_warnings)
		diag_no_warnings();
	o.lang.symbols = symbol_list;
	o.lang.btf = btf_file;
	o.lang.kernel_dir = target_kernel_dir;
	o.lang.kernel = target_kernel;
	o.lang.config = target_config;
	tapset_dirs(&o);
	if (o.list && o.list_vars && !strncmp(o.list, "kernel.trace(", 13))
		return trace_list(o.list, &o.lang, 1) ? 1 : 0;
	if (o.list && strncmp(o.list, "kernel.", 7) && strncmp(o.list, "kprobe.", 7) &&
	    strncmp(o.list, "process", 7))
		return list_aliases(&o);
	if (o.list)
		return list_probes(o.list, &o.lang, o.list_vars) ? 1 : 0;
	file = o.text ? "<input>" : o.script;
	text = o.text ? o.text : read_script(o.script);
	s = front(&o, file, text);
	timer_start(&t);
	if (o.pass == 3) {
		rc = emit_script(stdout, s);
		timer_report(&o, &t, 3, "translated to C");
		return rc ? 1 : 0;
	}
	for (i = 0, *path = '\0'; i < o.lang.nargs; i++)	/* the arguments name it too */
		snprintf(path + strlen(path), sizeof(path) - strlen(path), "%s\n", o.lang.args[i]);
	module_name(&o, text, path, name, sizeof(name));
	if (!mkdtemp(dir))
		rt_die("cannot create a temporary directory: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/%s.c", dir, name);
	f = fopen(path, "w");
	if (f && emit_script(f, s) && diag_count()) {	/* a regex, say: its diagnostic said it */
		fclose(f);
		cleanup(&o, dir);
		return 1;
	}
	if (!f || ferror(f) || fclose(f))
		rt_die("cannot write '%s': %s", path, strerror(errno));
	timer_report(&o, &t, 3, "translated to C");
	timer_start(&t);
	if (o.runtime)
		snprintf(runtime, sizeof(runtime), "%s", o.runtime);
	else
		tool_path("runtime", runtime, sizeof(runtime));
	snprintf(path, sizeof(path), "%s/runtime.h", runtime);
	if (access(path, R_OK))
		rt_die("no runtime in '%s' (give -R DIR)", runtime);
	kernel_dir(&o, kdir, sizeof(kdir), rel, sizeof(rel));
	check_kernel(kdir, runtime);
	if (compat_header(kdir, runtime, compat, sizeof(compat)))
		rt_die("cannot probe kernel features of '%s': %s", kdir, strerror(errno));
	if (build_cached(&o, dir, name, kdir, runtime, compat))
		build_failed(&o, dir, name, kdir);
	timer_report(&o, &t, 4, "compiled C into \"module\"");
	if (o.pass == 4) {
		snprintf(path, sizeof(path), "%s/%s.ko", dir, name);
		snprintf(ko, sizeof(ko), "%s.ko", name);
		if (rename(path, ko) && copy_file(path, ko))
			rt_die("cannot copy the module to '%s': %s", ko, strerror(errno));
		printf("%s\n", ko);
		cleanup(&o, dir);
		return 0;
	}
	timer_start(&t);
	snprintf(ko, sizeof(ko), "%s/%s.ko", dir, name);
	rc = run_module(&o, ko, dir, rel);
	timer_report(&o, &t, 5, "run completed");
	cleanup(&o, dir);
	return rc ? 1 : 0;
}
