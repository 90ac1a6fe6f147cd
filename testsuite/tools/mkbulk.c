// SPDX-License-Identifier: GPL-2.0
/*
 * mkbulk - write bulk-mode files for the stap-merge tests: PREFIX_good0, PREFIX_good1 (two
 * CPUs, interleaved and tied timestamps, a heartbeat, two sub-buffers on cpu 0),
 * PREFIX_expected (their merge), and broken ones: PREFIX_trunc (cut inside a record),
 * PREFIX_hdrtrunc (cut inside a sub-buffer header), PREFIX_magic (bad magic at offset
 * 0), PREFIX_pastend (a record longer than its sub-buffer), PREFIX_empty.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/uapi/relaytap.h"

static char buf[8192];
static size_t len, sb;

static void start(uint32_t cpu, uint64_t seq)
{
	struct rt_subbuf_hdr h = { .magic = RT_SUBBUF_MAGIC, .version = RT_SUBBUF_VERSION,
				   .hdr_size = sizeof(h), .cpu = cpu, .seq = seq };

	sb = len;
	memcpy(buf + len, &h, sizeof(h));
	len += sizeof(h);
}

static void rec(uint64_t ts, uint16_t type, const char *text)
{
	struct rt_rec_hdr r = { .ts = ts, .len = strlen(text), .type = type };

	memset(buf + len, 0, RT_REC_SIZE(r.len));
	memcpy(buf + len, &r, sizeof(r));
	memcpy(buf + len + sizeof(r), text, r.len);
	len += RT_REC_SIZE(r.len);
	((struct rt_subbuf_hdr *)(buf + sb))->data_size = len - sb;
}

static void save(const char *prefix, const char *name, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s_%s", prefix, name);
	f = fopen(path, "w");
	if (!f || fwrite(buf, 1, n, f) != n || fclose(f))
		exit(1);
}

int main(int argc, char **argv)
{
	const char *p = argc > 1 ? argv[1] : "bulk";
	FILE *f;
	char path[512];

	len = 0;
	start(0, 0);
	rec(10, RT_REC_DATA, "a 10\n");
	rec(30, RT_REC_DATA, "a 30\n");
	start(0, 1);
	rec(50, RT_REC_DATA, "a 50\n");
	save(p, "good0", len);
	len = 0;
	start(1, 0);
	rec(20, RT_REC_DATA, "b 20\n");
	rec(30, RT_REC_DATA, "b 30 (tie: after cpu 0)\n");
	rec(40, RT_REC_BEAT, "");
	rec(60, RT_REC_DATA, "b 60\n");
	save(p, "good1", len);
	save(p, "trunc", len - 3);
	save(p, "hdrtrunc", 20);
	((struct rt_rec_hdr *)(buf + sizeof(struct rt_subbuf_hdr)))->len = 5000;
	save(p, "pastend", len);
	buf[0] = 'X';
	save(p, "magic", len);
	save(p, "empty", 0);
	snprintf(path, sizeof(path), "%s_expected", p);
	f = fopen(path, "w");
	if (!f)
		return 1;
	fputs("a 10\nb 20\na 30\nb 30 (tie: after cpu 0)\na 50\nb 60\n", f);
	return fclose(f) ? 1 : 0;
}
