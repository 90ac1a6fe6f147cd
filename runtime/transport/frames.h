/* SPDX-License-Identifier: GPL-2.0 */
/*
 * frames.h - the .cmd frame parser: messages from staprun, never trusted.
 *
 * Pure C over the uapi header, so that the fuzzer (testsuite/fuzz/fuzz-ctl.c) runs the
 * same code in user space.  The kernel includes it from control.c.
 */
#ifndef _RT_FRAMES_H
#define _RT_FRAMES_H

/**
 * rt_ctl_parse - hand each whole, well-formed frame of @buf to @fn, in order
 * @buf:   a copy of what staprun wrote
 * @count: its length
 * @fn:    called with each frame's type, payload and payload length; 0 to go on
 * @arg:   for @fn
 *
 * A frame is a struct rt_msg_hdr and hdr.len payload bytes (at most
 * RT_MSG_MAX_PAYLOAD).  A truncated header, a length past the end, or an empty @buf
 * stops the parse with -EINVAL; frames before it were delivered.
 *
 * Return: 0, -EINVAL, or the first error @fn returned.
 */
static int rt_ctl_parse(const char *buf, size_t count,
			int (*fn)(void *arg, __u32 type, const void *payload, __u32 len), void *arg)
{
	struct rt_msg_hdr hdr;
	size_t off = 0;
	int ret = count ? 0 : -EINVAL;

	while (off < count && !ret) {
		ret = -EINVAL;
		if (count - off < sizeof(hdr))
			break;
		memcpy(&hdr, buf + off, sizeof(hdr));
		if (hdr.len > RT_MSG_MAX_PAYLOAD || hdr.len > count - off - sizeof(hdr))
			break;
		ret = fn(arg, hdr.type, buf + off + sizeof(hdr), hdr.len);
		off += sizeof(hdr) + hdr.len;
	}
	return ret;
}

#endif /* _RT_FRAMES_H */
