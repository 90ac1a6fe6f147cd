// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-ctl.c - libFuzzer target: the .cmd frame parser (runtime/transport/frames.h, the
 * kernel's own code) on arbitrary bytes.  Every delivered frame must lie inside the
 * input, frames must be delivered in order and back to back, and garbage must end in
 * -EINVAL.  The guest tier fuzzes the whole path in a real kernel (tools/ctlfuzz).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/uapi/relaytap.h"
#include "runtime/transport/frames.h"

struct seen {
	const char *buf;
	size_t size;
	const char *next;
};

static int frame(void *arg, __u32 type, const void *payload, __u32 len)
{
	struct seen *s = arg;
	const char *p = payload;

	if (p - sizeof(struct rt_msg_hdr) != s->next || p < s->buf || p + len > s->buf + s->size ||
	    len > RT_MSG_MAX_PAYLOAD)
		abort();
	s->next = p + len;
	return type == 0xffffffffu ? -EPROTO : 0;	/* a handler's error stops the parse */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	struct seen s = { buf, size, buf };
	int ret;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	ret = rt_ctl_parse(buf, size, frame, &s);
	if (ret != 0 && ret != -EINVAL && ret != -EPROTO)
		abort();
	if (ret == 0 && s.next != buf + size)
		abort();
	free(buf);
	return 0;
}
