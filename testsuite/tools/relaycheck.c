// SPDX-License-Identifier: GPL-2.0
/*
 * relaycheck - drive rt_relaytest.ko and prove what came out of its buffers.
 *
 *   relaycheck -d DIR [-m read|mmap|sendfile|splice] [-n N] [-f] [-S BYTES]
 *                                                    stream and check (-f: flush meanwhile;
 *                                                    -S: splice through a pipe of BYTES and
 *                                                    count the pieces that end mid-record)
 *   relaycheck -d DIR -P                             poll semantics
 *   relaycheck -d DIR -H SECS                        map every buffer, close, hold the maps
 *   relaycheck -d DIR -E                             bad mmaps get EINVAL
 *
 * Starts "run N" on the module (every CPU writes from process, irq and timer context),
 * consumes the per-CPU files meanwhile with read(), mmap+acks, sendfile() into a memfd or
 * splice() into a pipe (in overwrite mode, reads the dump after the run), flushes,
 * drains, and checks every record: intact, unique, and counts exact: written == read (+ overwritten), produced == written + dropped.
 * Prints one line per CPU and "relaycheck: OK"; exits 1 on any mismatch.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <unistd.h>
#include "common/stream.h"
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
#include "runtime/relayfs/test/relaytest.h"

#define MAXCPU 64

/** struct cpu - one CPU's file and what was read from it */
struct cpu {
	int fd;
	void *map;
	unsigned long consumed;
	struct rt_stream st;
	long long produced, written, full, over, big, nested;
	unsigned char *seen;
	long long present, dup, bad;
	char *sb;		/* -S: the sub-buffer being spliced, and where its pieces ended */
	size_t sbgot, cut[4096];
	unsigned int ncut;
	long long torn;
};

static struct cpu cpus[MAXCPU];
static int ncpu;
static const char *dir;
static unsigned long subbuf, nsub;
static int overwrite, use_mmap;
static const char *mode = "read";
static int memfd = -1, pipefd[2] = { -1, -1 };
static volatile int run_done;
static int flush_often;

static void die(const char *msg)
{
	fprintf(stderr, "relaycheck: %s: %s\n", msg, strerror(errno));
	exit(1);
}

static int ctl_cmd(const char *cmd)
{
	char path[512];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", dir, RTT_CTL);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ret = write(fd, cmd, strlen(cmd)) < 0 ? -1 : 0;
	close(fd);
	return ret;
}

/** read_stats - parse ctl: per-CPU counts and the geometry */
static void read_stats(void)
{
	char path[512], line[256];
	struct cpu c;
	unsigned int n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, RTT_CTL);
	f = fopen(path, "r");
	if (!f)
		die("cannot read ctl");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "cpu %u produced %lld written %lld full %lld overwritten %lld big %lld nested %lld",
			   &n, &c.produced, &c.written, &c.full, &c.over, &c.big, &c.nested) == 7 &&
		    n < MAXCPU) {
			cpus[n].produced = c.produced;
			cpus[n].written = c.written;
			cpus[n].full = c.full;
			cpus[n].over = c.over;
			cpus[n].big = c.big;
			cpus[n].nested = c.nested;
			if ((int)n + 1 > ncpu)
				ncpu = n + 1;
		}
		sscanf(line, "geometry %lu %lu %d", &subbuf, &nsub, &overwrite);
	}
	fclose(f);
}

/** take_mmap - consume sealed sub-buffers of @c from its mapping; ack them */
static int take_mmap(struct cpu *c, int i)
{
	int n = 0;
	char cmd[64];

	for (;;) {
		struct rt_subbuf_hdr *h = (void *)((char *)c->map + (c->consumed & (subbuf * nsub - 1)));
		uint64_t seq = c->consumed / subbuf;

		if (__atomic_load_n(&h->sealed, __ATOMIC_ACQUIRE) != seq + 1)
			break;
		memcpy(rt_stream_space(&c->st, h->data_size), h, h->data_size);
		rt_stream_added(&c->st, h->data_size);
		c->consumed += subbuf;
		n++;
	}
	if (n) {
		snprintf(cmd, sizeof(cmd), "consumed %d %d", i, n);
		if (ctl_cmd(cmd))
			die("consumed ack");
	}
	return n;
}

/** take_read - read() what the file has */
static int take_read(struct cpu *c)
{
	ssize_t n, total = 0;

	for (;;) {
		n = read(c->fd, rt_stream_space(&c->st, subbuf), subbuf);
		if (n < 0)
			die("read");
		if (!n)
			return total;
		rt_stream_added(&c->st, n);
		total += n;
	}
}

static size_t pipe_bytes;	/* -S */

/** check_cuts - a whole sub-buffer came in pieces: count the pieces that ended mid-unit */
static void check_cuts(struct cpu *c)
{
	const struct rt_subbuf_hdr *h = (const void *)c->sb;
	size_t b = h->hdr_size, rec;
	unsigned int j = 0;

	while (j < c->ncut) {
		while (j < c->ncut && c->cut[j] < b)
			c->torn++, j++;
		if (j < c->ncut && c->cut[j] == b)
			j++;
		if (b + sizeof(struct rt_rec_hdr) > h->data_size)
			break;
		rec = RT_REC_SIZE(((const struct rt_rec_hdr *)(c->sb + b))->len);
		b += rec;
	}
	c->torn += c->ncut - j;
}

/** note_pieces - -S: @n spliced bytes at @p, followed through their sub-buffers */
static void note_pieces(struct cpu *c, const char *p, size_t n)
{
	const struct rt_subbuf_hdr *h = (const void *)c->sb;
	size_t need, k;

	while (n) {
		need = c->sbgot < sizeof(*h) ? sizeof(*h) - c->sbgot :
		       (h->data_size > subbuf ? subbuf : h->data_size) - c->sbgot;
		k = n < need ? n : need;
		memcpy(c->sb + c->sbgot, p, k);
		c->sbgot += k;
		p += k;
		n -= k;
		if (c->sbgot >= sizeof(*h) && c->sbgot >= h->data_size) {
			check_cuts(c);
			c->sbgot = 0;
			c->ncut = 0;
		}
	}
	if (c->sbgot && c->ncut < sizeof(c->cut) / sizeof(c->cut[0]))
		c->cut[c->ncut++] = c->sbgot;
}

/**
 * take_zero_copy - sendfile() into a memfd, or splice() into a pipe, then read those bytes
 * back into the stream: the relay's splice_read must give what read() gives
 */
static int take_zero_copy(struct cpu *c)
{
	int splice_mode = !strcmp(mode, "splice");
	ssize_t n, total = 0, got, k;
	char *p;

	for (;;) {
		if (splice_mode)
			n = splice(c->fd, NULL, pipefd[1], NULL, subbuf, SPLICE_F_NONBLOCK);
		else
			n = sendfile(memfd, c->fd, NULL, subbuf);
		if (n < 0)
			die(mode);
		if (!n)
			return total;
		p = rt_stream_space(&c->st, n);
		for (got = 0; got < n; got += k) {
			k = splice_mode ? read(pipefd[0], p + got, n - got) :
					  pread(memfd, p + got, n - got, got);
			if (k <= 0)
				die("read back");
		}
		if (pipe_bytes)
			note_pieces(c, p, n);
		if (!splice_mode && ftruncate(memfd, 0))
			die("ftruncate");
		if (!splice_mode && lseek(memfd, 0, SEEK_SET))
			die("lseek");
		rt_stream_added(&c->st, n);
		total += n;
	}
}

static int take_all(void)
{
	int i, n = 0;

	for (i = 0; i < ncpu; i++) {
		if (cpus[i].fd < 0)
			continue;
		if (use_mmap)
			n += take_mmap(&cpus[i], i);
		else if (memfd >= 0 || pipefd[0] >= 0)
			n += take_zero_copy(&cpus[i]);
		else
			n += take_read(&cpus[i]);
	}
	return n;
}

static void *runner(void *arg)
{
	if (ctl_cmd(arg))
		die("run");
	run_done = 1;
	return NULL;
}

/** check_cpu - verify every record read from CPU @i; 0 when all is exact */
static int check_cpu(int i)
{
	struct cpu *c = &cpus[i];
	const struct rt_rec *r;
	long long dropped = c->full + c->nested + c->big;
	int ok;

	c->seen = calloc(c->produced + 1, 1);
	while (!rt_stream_peek(&c->st, &r)) {
		const struct rtt_payload *p = (const void *)r->data;
		unsigned int k, badfill = 0;

		for (k = sizeof(*p); k < r->len; k++)
			badfill |= ((const unsigned char *)p)[k] != RTT_FILL(p->seq, k);
		if (r->len < sizeof(*p) || p->len != r->len || p->cpu != (unsigned int)i ||
		    p->check != (p->cpu ^ p->seq ^ RTT_MAGIC) || p->seq >= (uint64_t)c->produced ||
		    badfill)
			c->bad++;
		else if (c->seen[p->seq]++)
			c->dup++;
		else
			c->present++;
		rt_stream_pop(&c->st);
	}
	if (errno != EAGAIN)
		c->bad++;
	ok = !c->bad && !c->dup && c->produced == c->written + dropped &&
	     c->present + c->over == c->written && (overwrite || !c->over);
	printf("cpu%d: produced %lld written %lld read %lld lost %lld (full %lld overwritten %lld big %lld nested %lld) dup %lld bad %lld gaps %llu: %s\n",
	       i, c->produced, c->written, c->present, dropped + c->over, c->full, c->over,
	       c->big, c->nested, c->dup, c->bad, (unsigned long long)c->st.sb_gaps,
	       ok ? "exact" : "MISMATCH");
	return ok ? 0 : -1;
}

static void open_cpus(void)
{
	char path[512];
	int i;

	for (i = 0; i < ncpu; i++) {
		snprintf(path, sizeof(path), "%s/%s%d", dir, RTT_BASE, i);
		cpus[i].fd = open(path, O_RDONLY | O_NONBLOCK);
		if (cpus[i].fd < 0)
			die(path);
		rt_stream_init(&cpus[i].st);
		if (!use_mmap)
			continue;
		cpus[i].map = mmap(NULL, subbuf * nsub, PROT_READ, MAP_SHARED, cpus[i].fd, 0);
		if (cpus[i].map == MAP_FAILED)
			die("mmap");
	}
}

/** stream_live - consume while the run goes on, then flush and drain */
static void stream_live(const char *cmd)
{
	struct pollfd pfd[MAXCPU];
	pthread_t t;
	int i;

	pthread_create(&t, NULL, runner, (void *)cmd);
	while (!run_done) {
		if (flush_often && ctl_cmd("flush"))
			die("flush");
		for (i = 0; i < ncpu; i++)
			pfd[i] = (struct pollfd){ .fd = cpus[i].fd, .events = POLLIN };
		poll(pfd, ncpu, 100);
		take_all();
	}
	pthread_join(t, NULL);
	if (ctl_cmd("flush"))
		die("flush");
	while (take_all())
		;
}

/** poll_events - what poll() says of CPU 0's file right now */
static int poll_events(void)
{
	struct pollfd p = { .fd = cpus[0].fd, .events = POLLIN | POLLRDNORM };

	return poll(&p, 1, 0) < 0 ? -1 : p.revents;
}

/** test_poll - nothing sealed: no POLLIN; sealed: POLLIN; drained and finalized: POLLERR */
static int test_poll(void)
{
	int e0, e1, e2, e3, ok;

	while (take_all())
		;
	e0 = poll_events();
	if (ctl_cmd("run 10") || ctl_cmd("flush"))
		die("run");
	e1 = poll_events();
	while (take_all())
		;
	e2 = poll_events();
	if (ctl_cmd("finalize"))
		die("finalize");
	e3 = poll_events();
	ok = !(e0 & POLLIN) && (e1 & POLLIN) && (e1 & POLLRDNORM) && !(e2 & POLLIN) &&
	     !(e2 & POLLERR) && (e3 & POLLERR);
	printf("poll: empty %#x, sealed %#x, drained %#x, finalized %#x: %s\n", e0, e1, e2, e3,
	       ok ? "OK" : "MISMATCH");
	return ok ? 0 : 1;
}

/** errno_of - errno of a failed mmap (0 when it unexpectedly worked) */
static int mmap_errno(size_t len, int prot, int flags, off_t off)
{
	void *p = mmap(NULL, len, prot, flags, cpus[0].fd, off);

	if (p != MAP_FAILED) {
		munmap(p, len);
		return 0;
	}
	return errno;
}

/**
 * test_errors - partial, offset and writable mappings are refused; sendfile of an empty
 * buffer returns 0 (nothing sealed), as read() does; lseek fails with ESPIPE
 */
static int test_errors(void)
{
	size_t all = subbuf * nsub;
	int part = mmap_errno(all / 2, PROT_READ, MAP_SHARED, 0);
	int off = mmap_errno(all - 4096, PROT_READ, MAP_SHARED, 4096);
	int wr = mmap_errno(all, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	int null = open("/dev/null", O_WRONLY), ok;
	ssize_t sf = sendfile(null, cpus[0].fd, NULL, 4096);
	int sk = lseek(cpus[0].fd, 0, SEEK_SET) < 0 ? errno : 0;

	ok = part == EINVAL && off == EINVAL && wr == EINVAL && sf == 0 && sk == ESPIPE;
	printf("errors: partial %s, offset %s, writable %s, sendfile of nothing %zd, lseek %s: %s\n",
	       strerror(part), strerror(off), strerror(wr), sf, strerror(sk), ok ? "OK" : "MISMATCH");
	return ok ? 0 : 1;
}

/** hold_maps - map every buffer, close the files, hold the maps, then read them */
static int hold_maps(int secs)
{
	unsigned long sum = 0, k;
	int i;

	for (i = 0; i < ncpu; i++)
		close(cpus[i].fd);
	printf("holding\n");
	fflush(stdout);
	sleep(secs);
	for (i = 0; i < ncpu; i++)
		for (k = 0; k < subbuf * nsub; k += 4096)
			sum += ((unsigned char *)cpus[i].map)[k];
	printf("maps still readable (%lu)\n", sum & 1);
	return 0;
}

int main(int argc, char **argv)
{
	char cmd[64] = "";
	int opt, bad = 0, i, pollt = 0, hold = 0, errs = 0;

	while ((opt = getopt(argc, argv, "d:m:n:fPH:ES:")) != -1) {
		switch (opt) {
		case 'd': dir = optarg; break;
		case 'm': mode = optarg; break;
		case 'n': snprintf(cmd, sizeof(cmd), "run %s", optarg); break;
		case 'f': flush_often = 1; break;
		case 'P': pollt = 1; break;
		case 'E': errs = 1; break;
		case 'S': pipe_bytes = strtoul(optarg, NULL, 0); break;
		case 'H': hold = atoi(optarg); use_mmap = 1; break;
		default:
			fprintf(stderr, "usage: relaycheck -d DIR [-m read|mmap|sendfile|splice] [-n N]\n");
			return 2;
		}
	}
	if (!dir || (strcmp(mode, "read") && strcmp(mode, "mmap") && strcmp(mode, "sendfile") &&
		     strcmp(mode, "splice")))
		return 2;
	use_mmap |= !strcmp(mode, "mmap");
	if (!strcmp(mode, "sendfile") && (memfd = memfd_create("relaycheck", 0)) < 0)
		die("memfd_create");
	if (!strcmp(mode, "splice") && pipe(pipefd))
		die("pipe");
	read_stats();
	if (!ncpu || !subbuf)
		die("no cpus in ctl");
	if (pipefd[0] >= 0 &&
	    fcntl(pipefd[0], F_SETPIPE_SZ, pipe_bytes ? (int)pipe_bytes : (int)subbuf * 2) < 0)
		die("F_SETPIPE_SZ");
	for (i = 0; pipe_bytes && i < MAXCPU; i++)
		if (!(cpus[i].sb = malloc(subbuf)))
			die("malloc");
	open_cpus();
	if (pollt)
		return test_poll();
	if (errs)
		return test_errors();
	if (hold)
		return hold_maps(hold);
	if (overwrite) {
		if (*cmd && ctl_cmd(cmd))
			die("run");
		if (ctl_cmd("flush"))
			die("flush");
		while (take_all())
			;
	} else if (*cmd) {
		stream_live(cmd);
	}
	read_stats();
	for (i = 0; i < ncpu; i++)
		bad |= check_cpu(i);
	for (i = 0; pipe_bytes && i < ncpu; i++)
		printf("cpu%d: pieces ending mid-record %lld\n", i, cpus[i].torn);
	printf("relaycheck: %s\n", bad ? "MISMATCH" : "OK");
	return bad ? 1 : 0;
}
