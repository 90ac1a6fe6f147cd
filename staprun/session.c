// SPDX-License-Identifier: GPL-2.0
/*
 * session.c - staprun's side of a session: handshake, poll loop, drain, teardown.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "staprun.h"

#define RT_DEBUGFS	"/sys/kernel/debug"
#define RT_MAX_CPUS	8192
#define RT_FLUSH_MS	250	/* merged output reaches the file at least this often */

/** rt_now_ms - monotonic milliseconds */
static uint64_t rt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/**
 * rt_session_handshake - exchange HELLO, read TRANSPORT_INFO
 * @s: the session, control channel open
 *
 * Return: 0, or -1 with errno (EPROTO; on a version mismatch s->peer_version is set).
 */
static int rt_session_handshake(struct rt_session *s)
{
	struct rt_msg_hello mine = { .magic = RT_HELLO_MAGIC, .version = RT_PROTO_VERSION };
	const struct rt_msg_hello *theirs;
	struct rt_msg_hdr h;
	const void *p;

	if (rt_ctl_recv(&s->ctl, &h, &p, 1))
		return -1;
	theirs = p;
	if (h.type != RT_MSG_HELLO || h.len != sizeof(*theirs) || theirs->magic != RT_HELLO_MAGIC) {
		errno = EPROTO;
		return -1;
	}
	if (theirs->version != RT_PROTO_VERSION) {
		s->peer_version = theirs->version;
		errno = EPROTO;
		return -1;
	}
	if (rt_ctl_send(&s->ctl, RT_MSG_HELLO, &mine, sizeof(mine)))
		return -1;
	if (rt_ctl_recv(&s->ctl, &h, &p, 1))
		return -1;
	if (h.type != RT_MSG_TRANSPORT_INFO || h.len != sizeof(s->info)) {
		errno = EPROTO;
		return -1;
	}
	memcpy(&s->info, p, sizeof(s->info));
	if (!s->info.nr_cpus || s->info.nr_cpus > RT_MAX_CPUS || !s->info.subbuf_size ||
	    (s->info.subbuf_size & (s->info.subbuf_size - 1)) || !s->info.n_subbufs ||
	    (s->info.n_subbufs & (s->info.n_subbufs - 1))) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/**
 * rt_session_bulk_files - bulk mode: one output file per CPU, FILE_<cpu> (stpd_cpu<N>
 * without -o), every CPU's even when it writes nothing; with --raw PREFIX, the raw streams
 * also go to PREFIX_<cpu>.  Each is written under a temporary name (rt_session_commit)
 * and is never the module file.
 *
 * Return: 0, or -1 with errno and s->bad_file (EEXIST: the file is the module).
 */
static int rt_session_bulk_files(struct rt_session *s)
{
	char *path = s->bad_file;
	unsigned int cpu;

	for (cpu = 0; cpu < s->info.nr_cpus; cpu++) {
		if (s->cpus[cpu].fd < 0)
			continue;
		if (!s->info.bulk)
			snprintf(path, sizeof(s->bad_file), "%s_%u", s->opts->raw, cpu);
		else if (s->opts->outfile)
			snprintf(path, sizeof(s->bad_file), "%s_%u", s->opts->outfile, cpu);
		else
			snprintf(path, sizeof(s->bad_file), "stpd_cpu%u", cpu);
		if (s->mod.path && rt_is_input(path, &s->mod.id, 1)) {
			errno = EEXIST;
			return -1;
		}
		if (rt_outfile_open(&s->cpus[cpu].bulk, path))
			return -1;
		setvbuf(s->cpus[cpu].bulk.f, NULL, _IOFBF, 1 << 20);
	}
	path[0] = 0;
	return 0;
}

/**
 * rt_session_commit - the per-CPU files are complete: rename each into place
 * @s: the session
 *
 * Return: 0, or -1 with errno and s->bad_file.
 */
int rt_session_commit(struct rt_session *s)
{
	unsigned int cpu;

	for (cpu = 0; s->cpus && cpu < s->info.nr_cpus; cpu++) {
		struct rt_outfile *f = &s->cpus[cpu].bulk;

		if (!f->f)
			continue;
		snprintf(s->bad_file, sizeof(s->bad_file), "%s", f->path ? f->path : "");
		if (rt_outfile_commit(f))
			return -1;
	}
	s->bad_file[0] = 0;
	return 0;
}

/**
 * rt_session_system - system(CMD) in the script (tapset/system.stp): run CMD in the
 * background, as SystemTap 4.8's staprun does, with staprun's standard output; children
 * are reaped in rt_session_signals().  A payload that is not one NUL-terminated string is
 * reported and ignored.
 * @s:   the session
 * @cmd: the payload
 * @len: its length
 */
static void rt_session_system(struct rt_session *s, const char *cmd, uint32_t len)
{
	pid_t pid;

	if (!len || memchr(cmd, '\0', len) != cmd + len - 1) {
		fprintf(stderr, "staprun: ignoring a malformed system() request (%u bytes)\n",
			len);
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		fprintf(stderr, "staprun: system('%s'): %s\n", cmd, strerror(errno));
	else if (!pid) {
		signal(SIGPIPE, SIG_DFL);	/* staprun's own SIG_IGN is not the command's */
		rt_exec_command(cmd);
	}
}

/**
 * rt_session_message - act on one message from the module
 * @s: the session
 * @h: its header
 * @p: its payload
 *
 * Return: 0, or -1 with errno.
 */
static int rt_session_message(struct rt_session *s, const struct rt_msg_hdr *h, const void *p)
{
	const struct rt_msg_cpu_stats *cs = p;
	const struct rt_msg_subbuf_status *ss = p;

	switch (h->type) {
	case RT_MSG_STARTED:
		if (h->len == sizeof(struct rt_msg_status))
			s->status = ((const struct rt_msg_status *)p)->status;
		s->started = 1;
		break;
	case RT_MSG_EXIT_REQUEST:
		if (!s->exit_sent && rt_ctl_send(&s->ctl, RT_MSG_EXIT, NULL, 0))
			return -1;
		s->exit_sent = 1;
		break;
	case RT_MSG_TEXT:
		if (h->len >= sizeof(struct rt_msg_text)) {
			uint32_t level = ((const struct rt_msg_text *)p)->level;

			if (level == RT_TEXT_ERROR)
				s->errors++;
			rt_report_text(s, level, (const char *)p + sizeof(struct rt_msg_text),
				       h->len - sizeof(struct rt_msg_text));
		}
		break;
	case RT_MSG_SUBBUF_STATUS:
		if (h->len == sizeof(*ss) && ss->cpu < s->info.nr_cpus) {
			s->cpus[ss->cpu].consumed = ss->consumed;
			s->cpus[ss->cpu].given = ss->consumed;
		}
		break;
	case RT_MSG_CPU_STATS:
		if (h->len == sizeof(*cs) && cs->cpu < s->info.nr_cpus)
			s->stats[cs->cpu] = cs->loss;
		break;
	case RT_MSG_SYSTEM:
		rt_session_system(s, p, h->len);
		break;
	case RT_MSG_SWITCH_FILE:	/* switch_file(): as SIGUSR2 */
		if (rt_output_rotate(&s->out))
			return -1;
		break;
	case RT_MSG_EXIT_DONE:
		if (h->len == sizeof(struct rt_msg_exit_done))
			s->skipped = ((const struct rt_msg_exit_done *)p)->skipped;
		s->done = 1;
		break;
	}
	return 0;
}

/** rt_session_messages - handle every queued message; 0, or -1 with errno */
static int rt_session_messages(struct rt_session *s, int block)
{
	struct rt_msg_hdr h;
	const void *p;

	while (!rt_ctl_recv(&s->ctl, &h, &p, block)) {
		block = 0;
		if (rt_session_message(s, &h, p))
			return -1;
	}
	return errno == EAGAIN || errno == EINTR ? 0 : -1;
}

/**
 * rt_session_connect - open the control channel, shake hands, open buffers, start
 * @s:           the session; the module is loaded
 * @start_flags: RT_START_* for START (ignored when attaching)
 * @attach:      join a running module (ATTACH) instead of starting it
 *
 * Return: 0 once STARTED arrived, or -1 with errno.
 */
int rt_session_connect(struct rt_session *s, uint32_t start_flags, int attach)
{
	struct rt_msg_start start = { .target_pid = s->child ? s->child : s->opts->target,
				      .flags = start_flags };

	s->ctl.fd = -1;
	snprintf(s->dir, sizeof(s->dir), "%s/%s/%s", RT_DEBUGFS, RT_DIR_NAME, s->mod.name);
	if (rt_ctl_open(&s->ctl, s->dir)) {
		if (errno != ENOENT)
			return -1;
		snprintf(s->dir, sizeof(s->dir), RT_PROC_DIR_FMT, s->mod.name);
		if (rt_ctl_open(&s->ctl, s->dir))
			return -1;
	}
	if (rt_session_handshake(s))
		return -1;
	s->stats = calloc(s->info.nr_cpus, sizeof(*s->stats));
	if (!s->stats || rt_merge_init(&s->merge, s->info.nr_cpus) || rt_readers_open(s))
		return -1;
	if ((s->info.bulk || s->opts->raw) && rt_session_bulk_files(s))
		return -1;
	if (attach ? rt_ctl_send(&s->ctl, RT_MSG_ATTACH, NULL, 0) :
		     rt_ctl_send(&s->ctl, RT_MSG_START, &start, sizeof(start)))
		return -1;
	while (!s->started)
		if (rt_session_messages(s, 1))
			return -1;
	return 0;
}

/** rt_session_emit - rt_merge_run() callback: write one record's text */
static int rt_session_emit(void *arg, const struct rt_rec *rec)
{
	struct rt_session *s = arg;

	return rt_output_write(&s->out, rec->data, rec->len);
}

/**
 * rt_session_pump - take what every CPU's buffer holds and emit what can be merged
 * @s:     the session
 * @final: all streams are complete
 *
 * Return: bytes taken, or -1 with errno.
 */
static ssize_t rt_session_pump(struct rt_session *s, int final)
{
	ssize_t n, total = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < s->info.nr_cpus; cpu++) {
		n = rt_reader_take(s, cpu);
		if (n < 0)
			return -1;
		total += n;
	}
	if (!s->info.bulk && rt_merge_run(&s->merge, final, rt_session_emit, s) < 0)
		return -1;
	if (rt_readers_give_back(s, RT_KEEP_IN_PLACE))
		return -1;
	return total;
}

/** rt_session_signals - act on what the signal handlers recorded; 1 when detaching */
static int rt_session_signals(struct rt_session *s, struct rt_signals *sig)
{
	pid_t pid;
	int st;

	if (sig->rotate) {
		sig->rotate = 0;
		if (rt_output_rotate(&s->out))
			return -1;
	}
	while (sig->child && (pid = waitpid(-1, &st, WNOHANG)) > 0) {	/* -c's and system()'s */
		if (pid != s->child)
			continue;
		s->child_status = st;
		s->child = -1;
		sig->stop = 1;
	}
	if (sig->detach && !s->exit_sent) {
		/* the buffers become a flight recorder again: copy what the merge holds */
		if (rt_readers_give_back(s, 0) || rt_ctl_send(&s->ctl, RT_MSG_DETACH, NULL, 0))
			return -1;
		return 1;
	}
	if ((sig->stop || s->out.err) && !s->exit_sent) {	/* the output file failed: end */
		if (rt_ctl_send(&s->ctl, RT_MSG_EXIT, NULL, 0))
			return -1;
		s->exit_sent = 1;
	}
	return 0;
}

/**
 * rt_session_loop - stream until the module reports EXIT_DONE, or until detached
 * @s:   the session
 * @sig: what the signal handlers recorded
 *
 * Return: 0 when the module is done, 1 when staprun detached (SIGQUIT), -1 with errno.
 */
int rt_session_loop(struct rt_session *s, struct rt_signals *sig)
{
	struct pollfd *pfd = calloc(s->info.nr_cpus + 1, sizeof(*pfd));
	uint64_t flushed = rt_now_ms();
	unsigned int cpu, n;
	int ret = 0;

	if (!pfd)
		return -1;
	while (!s->done) {
		ret = rt_session_signals(s, sig);
		if (ret)
			break;
		pfd[0] = (struct pollfd){ .fd = s->ctl.fd, .events = POLLIN };
		for (n = 1, cpu = 0; cpu < s->info.nr_cpus; cpu++)
			if (s->cpus[cpu].fd >= 0)
				pfd[n++] = (struct pollfd){ .fd = s->cpus[cpu].fd, .events = POLLIN };
		ret = -1;
		if (poll(pfd, n, s->opts->timeout_ms) < 0 && errno != EINTR)
			break;
		if (rt_session_messages(s, 0) || rt_session_pump(s, 0) < 0)
			break;
		if (rt_now_ms() - flushed >= RT_FLUSH_MS) {
			if (rt_output_flush(&s->out))
				break;
			flushed = rt_now_ms();
		}
		ret = 0;
	}
	free(pfd);
	return ret;
}

/**
 * rt_session_drain - after EXIT_DONE (or to dump): take everything left, emit it all
 * @s: the session
 *
 * Return: 0, or -1 with errno.
 */
int rt_session_drain(struct rt_session *s)
{
	unsigned int cpu;
	ssize_t n;

	do {
		n = rt_session_pump(s, 0);
		if (n < 0)
			return -1;
	} while (n > 0);
	if (!s->info.bulk && rt_merge_run(&s->merge, 1, rt_session_emit, s) < 0)
		return -1;
	if (rt_readers_give_back(s, 0))
		return -1;
	for (cpu = 0; cpu < s->info.nr_cpus; cpu++)
		if (s->cpus[cpu].bulk.f && fflush(s->cpus[cpu].bulk.f))
			return -1;
	return rt_output_flush(&s->out);
}

/** rt_session_close - close the files and the control channel */
void rt_session_close(struct rt_session *s)
{
	rt_readers_close(s);
	rt_merge_release(&s->merge);
	rt_ctl_close(&s->ctl);
}

/**
 * rt_session_emit_taken - emit everything already taken, without reading more
 * (after DETACH the buffers are a flight recorder again and belong to the module)
 *
 * Return: 0, or -1 with errno.
 */
int rt_session_emit_taken(struct rt_session *s)
{
	if (!s->info.bulk && rt_merge_run(&s->merge, 1, rt_session_emit, s) < 0)
		return -1;
	return rt_output_flush(&s->out);
}
