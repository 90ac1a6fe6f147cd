// SPDX-License-Identifier: GPL-2.0
/*
 * staprun.c - load a relaytap probe module, stream its output, unload it.
 *
 * The only staprun file that prints and exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wordexp.h>
#include "config.h"
#include "../common/usage.h"
#include "staprun.h"

static struct rt_signals rt_sig;
static struct rt_output *rt_pending_out;	/* removed by rt_die() if staprun created it */

/** discard_pending - at a fatal error: an output staprun created is removed */
static void discard_pending(void)
{
	if (rt_pending_out)
		rt_output_discard(rt_pending_out);
}

static const char *const rt_loss_names[RT_LOSS_NR] = {
	"full", "overwritten", "too big", "nested"
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: staprun [options] MODULE.ko [name=value ...]\n"
		"       staprun -A MODULE | -d MODULE\n"
		"Load a relaytap probe module, write its output, unload it.\n\n"
		"  -o FILE     write the merged output to FILE (default: stdout)\n"
		"  -b MB       per-CPU buffer size in MiB (1-512)\n"
		"  -c CMD      run CMD once the probes are running; end when it exits\n"
		"  -x PID      the target process (the script's target())\n"
		"  -S MB[,N]   switch to FILE.<n+1> when FILE.<n> reaches MB MiB; keep N files\n"
		"  -D          run in the background (needs -o); prints the pid\n"
		"  -L          load and start the module in flight-recorder mode, then detach\n"
		"  -A MODULE   attach to a running module: dump its buffers, then stream\n"
		"  -d MODULE   end a running module: end probes, drain, unload\n"
		"  -T MS       reader poll timeout in milliseconds (default 200)\n"
		"  --read      consume the buffers with read() instead of mmap\n"
		"  --sendfile  bulk mode (stap -b): sendfile() each CPU's data to its file\n"
		"  --raw PFX   also write each CPU's raw sub-buffers to PFX_<cpu> (for stap-merge)\n"
		"  -v          more detail (repeatable): per-CPU statistics at the end\n"
		"  -w          suppress warnings\n"
		"  -V, --version  print the version and exit\n"
		"  -h, --help     print this help and exit\n\n"
		"Signals: SIGINT/SIGTERM/SIGHUP end the session; SIGQUIT detaches (the module keeps\n"
		"running as a flight recorder); SIGUSR2 switches to the next -S output file.\n"
		"Must run as root (staprun is never setuid). Exit status: 0 when the session\n"
		"ran without errors, 1 otherwise.\n");
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
	if (sig == SIGQUIT)
		rt_sig.detach = 1;
	else if (sig == SIGUSR2)
		rt_sig.rotate = 1;
	else if (sig == SIGCHLD)
		rt_sig.child = 1;
	else
		rt_sig.stop = 1;
}

static unsigned long parse_num(const char *opt, const char *arg, unsigned long lo,
			       unsigned long hi, char **rest)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || (!rest && *end) || v < lo || v > hi)
		rt_die("invalid value '%s' for -%s (expected %lu to %lu)", arg, opt, lo, hi);
	if (rest)
		*rest = end;
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
			rt_die("invalid module parameter '%s' (expected name=value)", argv[i]);
		n += strlen(argv[i]) + 1;
	}
	p = calloc(1, n);
	if (!p)
		rt_die("out of memory");
	for (i = 0; i < argc; i++) {
		strcat(p, argv[i]);
		strcat(p, " ");
	}
	if (o->bufsize_mb)
		sprintf(p + strlen(p), RT_PARAM_STR(RT_PARAM_BUFSIZE) "=%u", o->bufsize_mb);
	return p;
}

static void parse_rotate(struct rt_opts *o, const char *arg)
{
	char *rest;

	o->rotate_size = parse_num("S", arg, 1, 1 << 20, &rest) << 20;
	if (*rest == ',')
		o->rotate_keep = parse_num("S", rest + 1, 1, 1000000, NULL);
	else if (*rest)
		rt_die("invalid value '%s' for -S (expected MB or MB,N)", arg);
}

static void set_mode(struct rt_opts *o, enum sr_mode mode, const char *module)
{
	if (o->mode != SR_RUN)
		rt_die("-L, -A and -d exclude each other");
	o->mode = mode;
	o->module = module;
}

static void parse_options(int argc, char **argv, struct rt_opts *o)
{
	static const struct option longopts[] = {
		{ "read", no_argument, NULL, 'R' },
		{ "sendfile", no_argument, NULL, 'F' },
		{ "raw", required_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->timeout_ms = 200;
	while ((c = getopt_long(argc, argv, "o:b:T:vwVhLA:d:c:x:S:D", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->outfile = optarg; break;
		case 'b': o->bufsize_mb = parse_num("b", optarg, 1, RT_MAX_BUFSIZE_MB, NULL); break;
		case 'T': o->timeout_ms = parse_num("T", optarg, 1, 3600000, NULL); break;
		case 'v': o->verbose++; break;
		case 'w': o->no_warnings = 1; break;
		case 'L': set_mode(o, SR_LOAD, NULL); break;
		case 'A': set_mode(o, SR_ATTACH, optarg); break;
		case 'd': set_mode(o, SR_UNLOAD, optarg); break;
		case 'c': o->command = optarg; break;
		case 'x': o->target = parse_num("x", optarg, 1, 1 << 22, NULL); break;
		case 'S': parse_rotate(o, optarg); break;
		case 'D': o->daemon = 1; break;
		case 'R': o->use_read = 1; break;
		case 'F': o->use_sendfile = 1; break;
		case 'W': o->raw = optarg; break;
		case 'V': printf("staprun (relaytap) %s, protocol %d\n", PACKAGE_VERSION,
				 RT_PROTO_VERSION);
			exit(0);
		case 'h': usage(stdout); exit(0);
		default: rt_usage_error(usage);
		}
	}
	if (o->mode == SR_RUN || o->mode == SR_LOAD) {
		if (optind >= argc)
			rt_usage_error(usage);
		o->module = argv[optind++];
		o->params = join_params(argv + optind, argc - optind, o);
	} else if (optind < argc) {
		rt_die("unexpected argument '%s' with -%c", argv[optind],
		    o->mode == SR_ATTACH ? 'A' : 'd');
	}
	if ((o->daemon || o->rotate_size) && !o->outfile)
		rt_die("%s needs -o FILE", o->daemon ? "-D" : "-S");
	if (o->command && o->target)
		rt_die("-c and -x exclude each other");
	if (o->mode == SR_LOAD && (o->command || o->outfile || o->daemon))
		rt_die("-L starts the module detached: -c, -o and -D apply when attaching");
}

static void check_module(struct rt_module *mod, const char *path)
{
	enum rt_module_err why;
	struct utsname u;

	if (rt_module_read(mod, path, &why)) {
		if (why == RT_MOD_NOT_ELF)
			rt_die("'%s' is not a kernel module (not an x86-64 ELF relocatable file)", path);
		if (why == RT_MOD_NOT_MODULE)
			rt_die("'%s' is not a kernel module (no .modinfo name and vermagic)", path);
		rt_die("cannot read module '%s': %s", path, strerror(errno));
	}
	if (uname(&u))
		rt_die("uname: %s", strerror(errno));
	if (strcmp(u.release, mod->release))
		rt_die("module '%s' was built for %s, but the running kernel is %s: rebuild it with 'stap -r %s'",
		    path, mod->release, u.release, u.release);
	if (geteuid() != 0)
		rt_die("must be run as root to load '%s' (loading a module needs CAP_SYS_MODULE; staprun is never setuid)",
		    path);
}

/**
 * mem_available_mib - MemAvailable of /proc/meminfo, in MiB; -1 when it cannot be read
 */
static long mem_available_mib(void)
{
	char line[128];
	long kib = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib < 0 ? -1 : kib / 1024;
}

/**
 * check_buffer_memory - -b N asks the kernel for N MiB per possible CPU, allocated when
 * the module loads: refuse before loading when that is more than the memory available
 * (the OOM killer would otherwise end staprun, with no word)
 */
static void check_buffer_memory(const struct rt_opts *o)
{
	long cpus = sysconf(_SC_NPROCESSORS_CONF), avail = mem_available_mib();

	if (!o->bufsize_mb || cpus <= 0 || avail < 0 || (long)o->bufsize_mb * cpus <= avail)
		return;
	rt_die("-b %u needs %ld MiB for the buffers of %ld CPUs, and only %ld MiB are available",
	       o->bufsize_mb, (long)o->bufsize_mb * cpus, cpus, avail);
}

static void load_module(const struct rt_module *mod, const char *params)
{
	if (!rt_module_load(mod, params))
		return;
	if (errno == EEXIST)
		rt_die("module '%s' is already loaded: attach to it with 'staprun -A %s' or unload it with 'staprun -d %s'",
		    mod->name, mod->name, mod->name);
	if (errno == ENOENT)
		rt_die("cannot load '%s': unknown symbol (the kernel log names it)", mod->path);
	if (errno == EPERM)
		rt_die("cannot load '%s': not permitted (root with CAP_SYS_MODULE, and module loading enabled, is needed)",
		    mod->path);
	rt_die("cannot load '%s': %s", mod->path, strerror(errno));
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
	if (s->skipped || s->errors)	/* as SystemTap: after any error or skip */
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
	if (s->opts->mode != SR_ATTACH)
		rt_module_unload(s->mod.name);
	if (s->out.clash)
		rt_die("output '%s' is also an input (the module '%s')", s->out.path, s->mod.path);
	if (s->bad_file[0])
		rt_die("cannot write '%s': %s", s->bad_file, strerror(e));
	if (e == EBADMSG)
		rt_die("%s: corrupt data from the module", what);
	if (e == ENOSPC)
		rt_die("%s: no space left on the device", what);
	rt_die("%s: %s", what, strerror(e));
}

/** check_running - -A/-d: @name must be a loaded module and we must be root */
static void check_running(struct rt_module *mod, const char *name)
{
	const char *p;

	for (p = name; *p; p++)
		if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9')))
			rt_die("invalid module name '%s'", name);
	if (p == name || p - name >= (long)sizeof(mod->name))
		rt_die("invalid module name '%s'", name);
	memset(mod, 0, sizeof(*mod));
	strcpy(mod->name, name);
	if (geteuid() != 0)
		rt_die("must be run as root to attach to module '%s' (its files are root's only)", name);
	if (!rt_module_loaded(name))
		rt_die("module '%s' is not loaded", name);
}

/**
 * rt_exec_command - replace this (child) process with @cmd, as SystemTap runs -c's command
 * and system()'s: split into words and run directly when it has no shell syntax (so the
 * command itself is the process, not a shell around it), else given to /bin/sh -c, as
 * 4.8 does for what wordexp() cannot split.  Never returns.
 * @cmd: the command line
 */
void rt_exec_command(const char *cmd)
{
	wordexp_t w;

	if (!wordexp(cmd, &w, WRDE_NOCMD) && w.we_wordc > 0)
		execvp(w.we_wordv[0], w.we_wordv);
	else
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	fprintf(stderr, "staprun: cannot run '%s': %s\n", cmd, strerror(errno));
	_exit(127);
}

/**
 * spawn_child - -c: fork CMD now, held until release_child(), so its pid is the target
 * @s:   the session
 * @cmd: the shell command
 *
 * Return: the write end of the pipe that releases it.
 */
static int spawn_child(struct rt_session *s, const char *cmd)
{
	int p[2];
	char c;

	/* close-on-exec: a close() after the release would be the target's first syscall */
	if (pipe2(p, O_CLOEXEC))
		rt_die("pipe: %s", strerror(errno));
	s->child = fork();
	if (s->child < 0)
		rt_die("cannot start '%s': %s", cmd, strerror(errno));
	if (!s->child) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);	/* staprun's own SIG_IGN is not the command's */
		rt_exec_command(cmd);
	}
	close(p[0]);
	return p[1];
}

static void release_child(int fd)
{
	if (fd >= 0 && (write(fd, "g", 1) != 1 || close(fd)))
		rt_die("cannot release the -c command: %s", strerror(errno));
}

/**
 * daemonize - -D: continue in a child with /dev/null as stdin and stdout; the parent
 * prints the child's pid and exits 0 once the child says the session runs
 * (daemon_ready), or exits with the child's status when it ends first
 *
 * Return: the pipe that daemon_ready() writes.
 */
static int daemonize(void)
{
	int p[2], fd, st;
	pid_t pid;
	char c;

	fflush(stdout);
	if (pipe2(p, O_CLOEXEC))
		rt_die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		rt_die("fork: %s", strerror(errno));
	if (pid) {
		close(p[1]);
		if (read(p[0], &c, 1) == 1) {
			printf("%d\n", pid);
			exit(0);
		}
		if (waitpid(pid, &st, 0) == pid && WIFEXITED(st))
			exit(WEXITSTATUS(st));
		exit(1);
	}
	close(p[0]);
	setsid();
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		if (fd > 2)
			close(fd);
	}
	return p[1];
}

/** daemon_ready - -D: the session runs; let the parent print the pid and exit */
static void daemon_ready(int fd)
{
	if (fd >= 0 && (write(fd, "r", 1) != 1 || close(fd)))
		rt_die("cannot signal the -D parent: %s", strerror(errno));
}

static void connect_or_die(struct rt_session *s, uint32_t flags, int attach)
{
	int e;

	if (!rt_session_connect(s, flags, attach))
		return;
	e = errno;
	rt_session_close(s);
	rt_output_discard(&s->out);
	if (s->child > 0)
		kill(s->child, SIGKILL);
	if (s->opts->mode == SR_UNLOAD && e == EINVAL && !rt_module_unload(s->mod.name)) {
		/* loaded but never started (its staprun died first): nothing to drain */
		fprintf(stderr, "staprun: module '%s' had not started; unloaded it\n", s->mod.name);
		exit(0);
	}
	if (e == EPROTO && s->peer_version)
		fprintf(stderr, "staprun: protocol version mismatch: module '%s' speaks %u, staprun speaks %d\n",
			s->mod.name, s->peer_version, RT_PROTO_VERSION);
	else if (e == EEXIST && s->bad_file[0])
		fprintf(stderr, "staprun: output '%s' is also an input (the module '%s')\n",
			s->bad_file, s->mod.path);
	else if (s->bad_file[0])
		fprintf(stderr, "staprun: cannot open output file '%s': %s\n", s->bad_file,
			strerror(e));
	else if (e == EBUSY)
		fprintf(stderr, "staprun: module '%s' is already controlled by another staprun\n",
			s->mod.name);
	else
		fprintf(stderr, "staprun: cannot connect to module '%s' in '%s': %s\n",
			s->mod.name, s->dir, strerror(e));
	if (s->opts->mode == SR_RUN || s->opts->mode == SR_LOAD)
		rt_module_unload(s->mod.name);
	exit(1);
}

static void set_signals(void)
{
	/* SA_RESTART: a signal never makes a blocked write (a slow pipe) fail with EINTR */
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR2, SIGCHLD };
	unsigned int i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/** load_detached - -L: load, start in flight-recorder mode, leave it running */
static int load_detached(struct rt_session *s)
{
	load_module(&s->mod, s->opts->params);
	connect_or_die(s, RT_START_DETACHED, 0);
	rt_session_close(s);
	fprintf(stderr, "Disconnecting from relaytap module.\n"
		"To reconnect, type \"staprun -A %s\"\n", s->mod.name);
	return s->status ? 1 : 0;
}

/**
 * open_output - -o (or stdout): fails at once, before anything runs; never the module
 * @s: the session
 */
static void open_output(struct rt_session *s)
{
	const struct rt_opts *o = s->opts;

	if (!rt_output_open(&s->out, o->outfile, o->rotate_size, o->rotate_keep, &s->mod.id,
			    s->mod.path ? 1 : 0)) {
		rt_pending_out = &s->out;
		return;
	}
	if (s->out.clash)
		rt_die("output '%s' is also an input (the module '%s')", s->out.path, s->mod.path);
	rt_die("cannot open output file '%s': %s", s->out.path, strerror(errno));
}

/** finish - drain, unload, report; the exit status */
static int finish(struct rt_session *s)
{
	const char *out = s->opts->outfile ? s->opts->outfile : "output";

	if (rt_session_drain(s) || rt_session_commit(s))
		fail_session(s, out);
	rt_session_close(s);
	if (rt_module_unload(s->mod.name))
		fprintf(stderr, "staprun: cannot unload module '%s': %s\n", s->mod.name,
			strerror(errno));
	rt_output_close(&s->out);
	report_losses(s);
	if (s->out.err)
		fprintf(stderr, "staprun: cannot write '%s': %s; the session ended, and %llu %s\n",
			out, strerror(s->out.err), (unsigned long long)s->out.dropped,
			s->out.dropped == 1 ? "record was not written" : "records were not written");
	free(s->stats);
	rt_module_release(&s->mod);
	return s->errors || s->status || s->out.err ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct rt_opts o;
	struct rt_session s;
	int release = -1, ready = -1, ret;

	rt_usage_init("staprun", discard_pending);
	parse_options(argc, argv, &o);
	memset(&s, 0, sizeof(s));
	s.opts = &o;
	s.ctl.fd = -1;
	if (o.mode == SR_RUN || o.mode == SR_LOAD) {
		check_module(&s.mod, o.module);
		check_buffer_memory(&o);
	} else
		check_running(&s.mod, o.module);
	set_signals();
	if (o.mode == SR_LOAD)
		return load_detached(&s);
	open_output(&s);
	if (o.daemon)
		ready = daemonize();
	if (o.mode == SR_RUN)
		load_module(&s.mod, o.params);
	if (o.command)
		release = spawn_child(&s, o.command);
	connect_or_die(&s, 0, o.mode != SR_RUN);
	if (rt_output_start(&s.out, s.info.bulk))
		fail_session(&s, o.outfile);
	release_child(release);
	daemon_ready(ready);
	if (o.mode == SR_UNLOAD)
		rt_sig.stop = 1;
	ret = rt_session_loop(&s, &rt_sig);
	if (ret < 0)
		fail_session(&s, "session failed");
	if (ret > 0) {
		/* detached: emit what was taken, leave the module running */
		if (rt_session_emit_taken(&s) || rt_session_commit(&s))
			fail_session(&s, o.outfile ? o.outfile : "output");
		rt_session_close(&s);
		rt_output_close(&s.out);
		fprintf(stderr, "staprun: detached from module '%s'; it keeps running as a flight recorder\n",
			s.mod.name);
		return 0;
	}
	return finish(&s);
}
