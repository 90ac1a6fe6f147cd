// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-stream.c - libFuzzer target: the stream parser and merge (staprun, stap-merge)
 * on arbitrary bytes.  Byte 0 splits the rest into two CPU streams; the last byte sets
 * the chunk size and, when odd, feeds the chunks in place (rt_stream_feed) instead of
 * copying them, cut where a header's data_size says a sub-buffer ends.  The parser must reject garbage with EBADMSG,
 * never read out of bounds, never loop.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "common/stream.h"

static int sink(void *arg, const struct rt_rec *rec)
{
	*(size_t *)arg += rec->len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rt_merge m;
	size_t cut, total = 0, i, step, n, k = 0;
	struct rt_subbuf_hdr h;
	int in_place;

	if (size < 2)
		return 0;
	cut = 1 + (data[0] * (size - 1)) / 256;
	rt_merge_init(&m, 2);
	in_place = data[size - 1] & 1;
	if (in_place && (rt_stream_segments(&m.streams[0], 8) ||
			 rt_stream_segments(&m.streams[1], 8)))
		abort();
	step = 1 + data[size - 1] % 64;
	for (i = 1; i < size; i += n) {
		struct rt_stream *st = &m.streams[i < cut ? 0 : 1];

		n = i + step > size ? size - i : step;
		if (in_place) {
			/* mostly whole sub-buffers, as staprun feeds them: cut at the data_size
			 * of a header found here, when it fits */
			if (size - i >= sizeof(h)) {
				memcpy(&h, data + i, sizeof(h));
				if (h.data_size >= sizeof(h) && h.data_size <= size - i)
					n = h.data_size;
			}
			if (rt_stream_feed(st, data + i, n))
				abort();
			if (++k % 3 == 2 && rt_stream_copy_out(st, 1))
				abort();
		} else {
			memcpy(rt_stream_space(st, n), data + i, n);
			rt_stream_added(st, n);
		}
		if (rt_merge_run(&m, 0, sink, &total) < 0 && errno != EBADMSG)
			abort();
	}
	if (rt_merge_run(&m, 1, sink, &total) < 0 && errno != EBADMSG)
		abort();
	rt_merge_release(&m);
	return 0;
}
