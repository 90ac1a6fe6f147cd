// SPDX-License-Identifier: GPL-2.0
/*
 * session.c - staprun's side of a session: handshake, poll loop, drain, teardown.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "staprun.h"

#define RT_DEBUGFS	"/sys/kernel/debug"
#define RT_MAX_CPUS	8192

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
	if (!s->info.nr_cpus || s->info.nr_cpus > RT_MAX_CPUS) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/**
 * rt_session_open_cpus - open trace<cpu> for every CPU the module has a buffer for
 * @s: the session
 *
 * Return: 0, or -1 with errno.
 */
static int rt_session_open_cpus(struct rt_session *s)
{
	char path[600];
	unsigned int cpu, n = 0;

	s->fds = malloc(s->info.nr_cpus * sizeof(*s->fds));
	s->stats = calloc(s->info.nr_cpus, sizeof(*s->stats));
	if (!s->fds || !s->stats || rt_merge_init(&s->merge, s->info.nr_cpus))
		return -1;
	for (cpu = 0; cpu < s->info.nr_cpus; cpu++) {
		snprintf(path, sizeof(path), "%s/%s%u", s->dir, RT_TRACE_BASE, cpu);
		s->fds[cpu] = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (s->fds[cpu] >= 0)
			n++;
		else if (errno != ENOENT)
			return -1;
	}
	if (!n) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

/**
 * rt_session_connect - open the control channel, shake hands, open buffers, START
 * @s: the session; the module is loaded
 *
 * Return: 0, or -1 with errno.
 */
int rt_session_connect(struct rt_session *s)
{
	struct rt_msg_start start = { 0 };

	s->ctl.fd = -1;
	snprintf(s->dir, sizeof(s->dir), "%s/%s/%s", RT_DEBUGFS, RT_DIR_NAME, s->mod.name);
	if (rt_ctl_open(&s->ctl, s->dir)) {
		if (errno != ENOENT)
			return -1;
		snprintf(s->dir, sizeof(s->dir), "/proc/%s_%s", RT_DIR_NAME, s->mod.name);
		if (rt_ctl_open(&s->ctl, s->dir))
			return -1;
	}
	if (rt_session_handshake(s) || rt_session_open_cpus(s))
		return -1;
	return rt_ctl_send(&s->ctl, RT_MSG_START, &start, sizeof(start));
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
	case RT_MSG_CPU_STATS:
		if (h->len == sizeof(*cs) && cs->cpu < s->info.nr_cpus)
			s->stats[cs->cpu] = cs->loss;
		break;
	case RT_MSG_EXIT_DONE:
		if (h->len == sizeof(struct rt_msg_exit_done))
			s->skipped = ((const struct rt_msg_exit_done *)p)->skipped;
		s->done = 1;
		break;
	}
	return 0;
}

/**
 * rt_session_read_cpu - append what cpu's file holds now to its stream
 * @s:   the session
 * @cpu: the CPU
 *
 * Return: bytes read, or -1 with errno.
 */
static ssize_t rt_session_read_cpu(struct rt_session *s, unsigned int cpu)
{
	struct rt_stream *st = &s->merge.streams[cpu];
	ssize_t n, total = 0;
	char *p;

	for (;;) {
		p = rt_stream_space(st, s->info.subbuf_size);
		if (!p)
			return -1;
		n = read(s->fds[cpu], p, s->info.subbuf_size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN)
			return -1;
		if (n <= 0)
			return total;
		rt_stream_added(st, n);
		total += n;
	}
}

/** rt_session_emit - rt_merge_run() callback: write one record's text */
static int rt_session_emit(void *arg, const struct rt_rec *rec)
{
	struct rt_session *s = arg;

	if (rec->len && fwrite(rec->data, rec->len, 1, s->out) != 1)
		return -1;
	return 0;
}

/**
 * rt_session_pump - read every CPU's file and emit what can be merged
 * @s:     the session
 * @final: all streams are complete
 *
 * Return: bytes read, or -1 with errno.
 */
static ssize_t rt_session_pump(struct rt_session *s, int final)
{
	ssize_t n, total = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < s->info.nr_cpus; cpu++) {
		if (s->fds[cpu] < 0)
			continue;
		n = rt_session_read_cpu(s, cpu);
		if (n < 0)
			return -1;
		total += n;
	}
	if (rt_merge_run(&s->merge, final, rt_session_emit, s) < 0)
		return -1;
	return total;
}

/**
 * rt_session_loop - stream until the module reports EXIT_DONE
 * @s:              the session
 * @stop_requested: set by a signal handler; sends EXIT
 *
 * Return: 0, or -1 with errno.
 */
int rt_session_loop(struct rt_session *s, volatile int *stop_requested)
{
	struct rt_msg_hdr h;
	const void *p;

	while (!s->done) {
		struct pollfd pfd = { .fd = s->ctl.fd, .events = POLLIN };

		if (*stop_requested && !s->exit_sent) {
			if (rt_ctl_send(&s->ctl, RT_MSG_EXIT, NULL, 0))
				return -1;
			s->exit_sent = 1;
		}
		if (poll(&pfd, 1, s->opts->timeout_ms) < 0 && errno != EINTR)
			return -1;
		while (!rt_ctl_recv(&s->ctl, &h, &p, 0))
			if (rt_session_message(s, &h, p))
				return -1;
		if (errno != EAGAIN && errno != EINTR)
			return -1;
		if (rt_session_pump(s, 0) < 0)
			return -1;
	}
	return 0;
}

/**
 * rt_session_drain - after EXIT_DONE: read everything left, emit it all
 * @s: the session
 *
 * Return: 0, or -1 with errno.
 */
int rt_session_drain(struct rt_session *s)
{
	ssize_t n;

	do {
		n = rt_session_pump(s, 0);
		if (n < 0)
			return -1;
	} while (n > 0);
	if (rt_merge_run(&s->merge, 1, rt_session_emit, s) < 0)
		return -1;
	return fflush(s->out) ? -1 : 0;
}

/** rt_session_close - close the files and the control channel */
void rt_session_close(struct rt_session *s)
{
	unsigned int cpu;

	if (s->fds)
		for (cpu = 0; cpu < s->info.nr_cpus; cpu++)
			if (s->fds[cpu] >= 0)
				close(s->fds[cpu]);
	free(s->fds);
	s->fds = NULL;
	rt_merge_release(&s->merge);
	rt_ctl_close(&s->ctl);
}
