// SPDX-License-Identifier: GPL-2.0
/*
 * reader.c - consuming the per-CPU buffers: mmap with acknowledgements (default) or
 * read(); in bulk mode each CPU's sub-buffers go to their own file, unmerged (with
 * --sendfile, by sendfile(2) from the buffer to the file).
 *
 * The mmap reader follows the ordering contract of doc/relayfs.md: a sub-buffer is
 * taken only once its header says sealed == seq + 1 (acquire), and given back with
 * RT_MSG_CONSUMED once it is no longer needed.  When merging, the merge parses each
 * sub-buffer where it lies in the mapping (rt_stream_feed: no copy), and the sub-buffer is
 * given back after its last record was written out (rt_readers_give_back).  Otherwise
 * (bulk mode) it is given back as soon as it was written to the CPU's file.  A debugfs
 * mapping maps pages as they are touched (runtime/relayfs/files.c), so the reader drops
 * each given-back sub-buffer's pages (MADV_DONTNEED): staprun's resident memory stays at
 * the sub-buffers the merge still holds, not the whole buffer.  A procfs mapping is
 * populated once and its pages are kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <unistd.h>
#include "staprun.h"

/**
 * rt_reader_sendfile - whether the buffers go to the bulk files by sendfile(2): bulk mode
 * (each CPU's data unmerged in its own file) and --sendfile
 */
static int rt_reader_sendfile(const struct rt_session *s)
{
	return s->info.bulk && s->opts->use_sendfile;
}

/**
 * rt_readers_open - open (and map) trace<cpu> for every CPU that has a buffer
 * @s: the session, transport info known
 *
 * Return: 0, or -1 with errno.
 */
int rt_readers_open(struct rt_session *s)
{
	size_t size = (size_t)s->info.subbuf_size * s->info.n_subbufs;
	char path[600];
	unsigned int cpu, n = 0;
	struct rt_cpu_reader *r;

	s->cpus = calloc(s->info.nr_cpus, sizeof(*s->cpus));
	if (!s->cpus)
		return -1;
	for (cpu = 0; cpu < s->info.nr_cpus; cpu++) {
		r = &s->cpus[cpu];
		snprintf(path, sizeof(path), "%s/%s%u", s->dir, RT_TRACE_BASE, cpu);
		r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (r->fd < 0) {
			if (errno != ENOENT)
				return -1;
			continue;
		}
		n++;
		if (s->opts->use_read || rt_reader_sendfile(s))
			continue;
		r->map = mmap(NULL, size, PROT_READ, MAP_SHARED, r->fd, 0);
		if (r->map == MAP_FAILED) {
			r->map = NULL;
			return -1;
		}
		if (!s->info.bulk &&
		    rt_stream_segments(&s->merge.streams[cpu], s->info.n_subbufs))
			return -1;
	}
	if (!n) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

/** rt_reader_sink - where @cpu's bytes go: its bulk file, or its merge stream */
static int rt_reader_sink(struct rt_session *s, unsigned int cpu, const void *p, size_t n)
{
	struct rt_stream *st = &s->merge.streams[cpu];
	char *dst;

	if (s->cpus[cpu].bulk.f && fwrite(p, n, 1, s->cpus[cpu].bulk.f) != 1)
		return -1;
	if (s->info.bulk)
		return 0;
	dst = rt_stream_space(st, n);
	if (!dst)
		return -1;
	memcpy(dst, p, n);
	rt_stream_added(st, n);
	return 0;
}

/** rt_reader_drop - a sub-buffer at @h was given back: drop its pages from our memory */
static void rt_reader_drop(struct rt_session *s, const void *h)
{
	if (!s->info.procfs)
		madvise((void *)h, s->info.subbuf_size, MADV_DONTNEED);
}

/**
 * rt_reader_take_mmap - take every sealed sub-buffer from the mapping: queue it on the
 * CPU's merge stream in place, or (bulk mode) write it out and give it back at once
 * @s:   the session
 * @cpu: the CPU
 *
 * Return: bytes taken, or -1 with errno.
 */
static ssize_t rt_reader_take_mmap(struct rt_session *s, unsigned int cpu)
{
	struct rt_cpu_reader *r = &s->cpus[cpu];
	uint64_t size = (uint64_t)s->info.subbuf_size * s->info.n_subbufs;
	struct rt_msg_consumed ack = { .cpu = cpu };
	ssize_t total = 0;

	while (r->consumed - r->given < size) {
		const struct rt_subbuf_hdr *h =
			(const void *)((const char *)r->map + (r->consumed & (size - 1)));
		uint64_t seq = r->consumed / s->info.subbuf_size;
		uint32_t n;

		if (__atomic_load_n(&h->sealed, __ATOMIC_ACQUIRE) != seq + 1)
			break;
		n = h->data_size;
		if (n < sizeof(*h) || n > s->info.subbuf_size) {
			errno = EBADMSG;
			return -1;
		}
		if (r->bulk.f && fwrite(h, n, 1, r->bulk.f) != 1)
			return -1;
		if (!s->info.bulk && rt_stream_feed(&s->merge.streams[cpu], h, n))
			return -1;
		r->consumed += s->info.subbuf_size;
		total += n;
		if (s->info.bulk) {
			rt_reader_drop(s, h);
			r->given += s->info.subbuf_size;
			ack.n++;
		}
	}
	if (ack.n && rt_ctl_send(&s->ctl, RT_MSG_CONSUMED, &ack, sizeof(ack)))
		return -1;
	return total;
}

/**
 * rt_readers_give_back - after a merge run: give back the sub-buffers the merge is done
 * with, oldest first, and copy out those beyond @keep still held on a CPU
 * @s:    the session
 * @keep: sub-buffers each CPU may keep in place while the merge waits on another CPU
 *        (rt_session_pump: RT_KEEP_IN_PLACE); 0 before a flight recorder takes its buffer
 *        back (DETACH) and at the end
 *
 * Return: 0, or -1 with errno.
 */
int rt_readers_give_back(struct rt_session *s, unsigned int keep)
{
	uint64_t size = (uint64_t)s->info.subbuf_size * s->info.n_subbufs;
	struct rt_cpu_reader *r;
	struct rt_stream *st;
	struct rt_msg_consumed ack;
	unsigned int cpu;

	if (s->info.bulk || !s->cpus)
		return 0;
	for (cpu = 0; cpu < s->info.nr_cpus; cpu++) {
		r = &s->cpus[cpu];
		st = &s->merge.streams[cpu];
		if (!r->map)
			continue;
		if (rt_stream_copy_out(st, keep))
			return -1;
		ack = (struct rt_msg_consumed){ .cpu = cpu };
		for (; r->given_segs < st->seg_done; r->given_segs++, ack.n++) {
			rt_reader_drop(s, (const char *)r->map + (r->given & (size - 1)));
			r->given += s->info.subbuf_size;
		}
		if (ack.n && rt_ctl_send(&s->ctl, RT_MSG_CONSUMED, &ack, sizeof(ack)))
			return -1;
	}
	return 0;
}

/**
 * rt_reader_take_read - read() what the file has
 * @s:   the session
 * @cpu: the CPU
 *
 * Return: bytes taken, or -1 with errno.
 */
static ssize_t rt_reader_take_read(struct rt_session *s, unsigned int cpu)
{
	ssize_t n, total = 0;
	char *buf = malloc(s->info.subbuf_size);

	if (!buf)
		return -1;
	for (;;) {
		n = read(s->cpus[cpu].fd, buf, s->info.subbuf_size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN)
			break;
		if (n <= 0) {
			n = 0;
			break;
		}
		if (rt_reader_sink(s, cpu, buf, n)) {
			n = -1;
			break;
		}
		total += n;
	}
	free(buf);
	return n < 0 ? -1 : total;
}

/**
 * rt_reader_take_sendfile - move what the file has to @cpu's bulk file with sendfile(2)
 * @s:   the session (bulk mode)
 * @cpu: the CPU
 *
 * The relay's splice_read consumes exactly as read() does (runtime/relayfs/files.c), and
 * the bytes go from the buffer to the output file without a copy in user space.
 * Return: bytes moved, or -1 with errno.
 */
static ssize_t rt_reader_take_sendfile(struct rt_session *s, unsigned int cpu)
{
	size_t chunk = (size_t)s->info.subbuf_size * s->info.n_subbufs;
	FILE *f = s->cpus[cpu].bulk.f;
	ssize_t n, total = 0;

	if (fflush(f))
		return -1;
	for (;;) {
		n = sendfile(fileno(f), s->cpus[cpu].fd, NULL, chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return total;
		if (n <= 0)
			return n < 0 ? -1 : total;
		total += n;
	}
}

/**
 * rt_reader_take - take what @cpu's buffer holds now
 * @s:   the session
 * @cpu: the CPU
 *
 * Return: bytes taken, or -1 with errno.
 */
ssize_t rt_reader_take(struct rt_session *s, unsigned int cpu)
{
	ssize_t n;

	if (s->cpus[cpu].fd < 0)
		return 0;
	if (s->cpus[cpu].map)
		n = rt_reader_take_mmap(s, cpu);
	else if (rt_reader_sendfile(s) && s->cpus[cpu].bulk.f)
		n = rt_reader_take_sendfile(s, cpu);
	else
		n = rt_reader_take_read(s, cpu);
	if (n > 0)
		s->cpus[cpu].bytes += n;
	return n;
}

/**
 * rt_readers_close - unmap and close everything; per-CPU files not yet committed
 * (rt_session_commit) are removed, leaving any old ones as they were
 */
void rt_readers_close(struct rt_session *s)
{
	size_t size = (size_t)s->info.subbuf_size * s->info.n_subbufs;
	unsigned int cpu;

	if (!s->cpus)
		return;
	for (cpu = 0; cpu < s->info.nr_cpus; cpu++) {
		if (s->cpus[cpu].map)
			munmap(s->cpus[cpu].map, size);
		if (s->cpus[cpu].fd >= 0)
			close(s->cpus[cpu].fd);
		rt_outfile_abort(&s->cpus[cpu].bulk);
	}
	free(s->cpus);
	s->cpus = NULL;
}
