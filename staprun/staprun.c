// SPDX-License-Identifier: GPL-2.0
/*
 * staprun.c - load a relaytap probe module, stream its output, unload it.
 *
 * The only staprun file that prints and exits.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "config.h"
#include "staprun.h"

static volatile int rt_stop;
static const char *const rt_loss_names[RT_LOSS_NR] = {
	"full", "overwritten", "too big", "nested"
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: staprun [options] MODULE.ko [name=value ...]\n"
		"Load a relaytap probe module, write its output, unload it.\n\n"
		"  -o FILE   write the merged output to FILE (default: stdout)\n"
		"  -b MB     per-CPU buffer size in MiB (1-1024)\n"
		"  -T MS     reader poll timeout in milliseconds (default 200)\n"
		"  -v        more detail (repeatable): per-CPU statistics at the end\n"
		"  -w        suppress warnings\n"
		"  -V        print the version and exit\n"
		"  -h        print this help and exit\n\n"
		"Must run as root (staprun is never setuid). Exit status: 0 when the session\n"
		"ran without errors, 1 otherwise.\n");
}

static void __attribute__((format(printf, 1, 2), noreturn)) die(const char *fmt, ...)
{
	va_list ap;

	fputs("staprun: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void rt_report_text(const struct rt_session *s, uint32_t level, const char *text, size_t len)
{
	if (level != RT_TEXT_ERROR && s->opts->no_warnings)
		return;
	fprintf(stderr, "%s: %.*s\n", level == RT_TEXT_ERROR ? "ERROR" : "WARNING", (int)len,
		text);
}

static void on_signal(int sig)
{
	(void)sig;
	rt_stop = 1;
}

static unsigned int parse_uint(const char *opt, const char *arg, unsigned int lo, unsigned int hi)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || *end || !*arg || v < lo || v > hi)
		die("invalid value '%s' for -%s (expected %u to %u)", arg, opt, lo, hi);
	return v;
}

/**
 * join_params - "name=value ..." from argv plus the transport's own parameters
 */
static char *join_params(char **argv, int argc, const struct rt_opts *o)
{
	size_t n = 64;
	char *p;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strchr(argv[i], '=') || argv[i][0] == '=')
			die("invalid module parameter '%s' (expected name=value)", argv[i]);
		n += strlen(argv[i]) + 1;
	}
	p = calloc(1, n);
	if (!p)
		die("out of memory");
	for (i = 0; i < argc; i++) {
		strcat(p, argv[i]);
		strcat(p, " ");
	}
	if (o->bufsize_mb)
		sprintf(p + strlen(p), "_rt_bufsize=%u", o->bufsize_mb);
	return p;
}

static void parse_options(int argc, char **argv, struct rt_opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->timeout_ms = 200;
	while ((c = getopt(argc, argv, "o:b:T:vwVh")) != -1) {
		switch (c) {
		case 'o': o->outfile = optarg; break;
		case 'b': o->bufsize_mb = parse_uint("b", optarg, 1, 1024); break;
		case 'T': o->timeout_ms = parse_uint("T", optarg, 1, 3600000); break;
		case 'v': o->verbose++; break;
		case 'w': o->no_warnings = 1; break;
		case 'V': printf("staprun (relaytap) %s, protocol %d\n", PACKAGE_VERSION,
				 RT_PROTO_VERSION);
			exit(0);
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(1);
		}
	}
	if (optind >= argc) {
		usage(stderr);
		exit(1);
	}
	o->module = argv[optind];
	o->params = join_params(argv + optind + 1, argc - optind - 1, o);
}

static void check_module(struct rt_module *mod, const char *path)
{
	enum rt_module_err why;
	struct utsname u;

	if (rt_module_read(mod, path, &why)) {
		if (why == RT_MOD_NOT_ELF)
			die("'%s' is not a kernel module (not an x86-64 ELF relocatable file)", path);
		if (why == RT_MOD_NOT_MODULE)
			die("'%s' is not a kernel module (no .modinfo name and vermagic)", path);
		die("cannot read module '%s': %s", path, strerror(errno));
	}
	if (uname(&u))
		die("uname: %s", strerror(errno));
	if (strcmp(u.release, mod->release))
		die("module '%s' was built for %s, but the running kernel is %s: rebuild it with 'stap -r %s'",
		    path, mod->release, u.release, u.release);
	if (geteuid() != 0)
		die("must be run as root to load '%s' (loading a module needs CAP_SYS_MODULE; staprun is never setuid)",
		    path);
}

static void load_module(const struct rt_module *mod, const char *params)
{
	if (!rt_module_load(mod, params))
		return;
	if (errno == EEXIST)
		die("module '%s' is already loaded: attach to it with 'staprun -A %s' or unload it with 'staprun -d %s'",
		    mod->name, mod->name, mod->name);
	if (errno == ENOENT)
		die("cannot load '%s': unknown symbol (the kernel log names it)", mod->path);
	if (errno == EPERM)
		die("cannot load '%s': not permitted (root with CAP_SYS_MODULE, and module loading enabled, is needed)",
		    mod->path);
	die("cannot load '%s': %s", mod->path, strerror(errno));
}

static void report_losses(const struct rt_session *s)
{
	uint64_t cause[RT_LOSS_NR] = { 0 }, total = 0, written = 0, cpu_lost;
	unsigned int cpu;
	int i;

	for (cpu = 0; cpu < s->info.nr_cpus; cpu++) {
		written += s->stats[cpu].written;
		for (i = 0; i < RT_LOSS_NR; i++) {
			cause[i] += s->stats[cpu].count[i];
			total += s->stats[cpu].count[i];
		}
	}
	if (s->opts->verbose)
		for (cpu = 0; cpu < s->info.nr_cpus; cpu++) {
			for (cpu_lost = 0, i = 0; i < RT_LOSS_NR; i++)
				cpu_lost += s->stats[cpu].count[i];
			fprintf(stderr, "staprun: cpu%u: %llu records written, %llu lost\n", cpu,
				(unsigned long long)s->stats[cpu].written,
				(unsigned long long)cpu_lost);
		}
	if (s->skipped)
		fprintf(stderr, "WARNING: Number of errors: %u, skipped probes: %llu\n", s->errors,
			(unsigned long long)s->skipped);
	if (!total)
		return;
	fprintf(stderr, "WARNING: %llu records lost of %llu (", (unsigned long long)total,
		(unsigned long long)(total + written));
	for (i = 0; i < RT_LOSS_NR; i++)
		fprintf(stderr, "%s%s: %llu", i ? ", " : "", rt_loss_names[i],
			(unsigned long long)cause[i]);
	fprintf(stderr, ")");
	for (cpu = 0; cpu < s->info.nr_cpus; cpu++) {
		for (cpu_lost = 0, i = 0; i < RT_LOSS_NR; i++)
			cpu_lost += s->stats[cpu].count[i];
		if (cpu_lost)
			fprintf(stderr, " cpu%u: %llu", cpu, (unsigned long long)cpu_lost);
	}
	fprintf(stderr, "\n");
}

static void fail_session(struct rt_session *s, const char *what)
{
	int e = errno;

	rt_session_close(s);
	rt_module_unload(s->mod.name);
	if (e == EBADMSG)
		die("%s: corrupt data from the module", what);
	die("%s: %s", what, strerror(e));
}

int main(int argc, char **argv)
{
	struct rt_opts o;
	struct rt_session s;
	struct sigaction sa = { .sa_handler = on_signal };

	parse_options(argc, argv, &o);
	memset(&s, 0, sizeof(s));
	s.opts = &o;
	s.ctl.fd = -1;
	check_module(&s.mod, o.module);
	s.out = stdout;
	if (o.outfile && !(s.out = fopen(o.outfile, "w")))
		die("cannot open output file '%s': %s", o.outfile, strerror(errno));
	setvbuf(s.out, NULL, _IOFBF, 1 << 20);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	load_module(&s.mod, o.params);
	if (rt_session_connect(&s)) {
		if (errno == EPROTO && s.peer_version)
			fprintf(stderr, "staprun: protocol version mismatch: module '%s' speaks %u, staprun speaks %d\n",
				s.mod.name, s.peer_version, RT_PROTO_VERSION);
		else if (errno == EBUSY)
			fprintf(stderr, "staprun: module '%s' is already controlled by another staprun\n",
				s.mod.name);
		else
			fprintf(stderr, "staprun: cannot connect to module '%s' in '%s': %s\n",
				s.mod.name, s.dir, strerror(errno));
		rt_session_close(&s);
		rt_module_unload(s.mod.name);
		return 1;
	}
	if (rt_session_loop(&s, &rt_stop))
		fail_session(&s, "session failed");
	if (rt_session_drain(&s))
		fail_session(&s, o.outfile ? o.outfile : "output");
	rt_session_close(&s);
	if (rt_module_unload(s.mod.name))
		fprintf(stderr, "staprun: cannot unload module '%s': %s\n", s.mod.name,
			strerror(errno));
	if (s.out != stdout && fclose(s.out))
		die("cannot write '%s': %s", o.outfile, strerror(errno));
	report_losses(&s);
	free(s.stats);
	rt_module_release(&s.mod);
	return s.errors || s.status ? 1 : 0;
}
