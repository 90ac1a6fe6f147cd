// SPDX-License-Identifier: GPL-2.0
/*
 * ctlfuzz - write malformed control messages to a module's .cmd, expect -EINVAL.
 *
 *   ctlfuzz DIR [N]
 *
 * DIR is the module's transport directory; the module must be loaded and detached
 * (staprun -L).  Checks, in order: frames before the handshake, bad handshakes, a
 * version mismatch (EPROTO), then after a good HELLO: truncated frames, oversized
 * lengths, unknown types, wrong payload sizes, bad CPU indexes and counts, and N random
 * frames.  Prints "ctlfuzz: N cases, all rejected" and exits 0, or names the first case
 * the module accepted or answered wrongly.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runtime/uapi/relaytap.h"

static int fd;
static unsigned long cases;

/** expect - write @len bytes, expect errno @want (0: success) */
static void expect(const char *what, const void *buf, size_t len, int want)
{
	ssize_t n = write(fd, buf, len);
	int got = n < 0 ? errno : 0;

	cases++;
	if (got != want) {
		printf("ctlfuzz: %s: got %s, wanted %s\n", what, got ? strerror(got) : "success",
		       want ? strerror(want) : "success");
		exit(1);
	}
}

static void frame(const char *what, uint32_t type, uint32_t len, const void *p, size_t plen,
		  int want)
{
	char buf[sizeof(struct rt_msg_hdr) + 8192];
	struct rt_msg_hdr h = { .type = type, .len = len };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), p, plen);
	expect(what, buf, sizeof(h) + plen, want);
}

static void drain(void)
{
	char buf[65536];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

int main(int argc, char **argv)
{
	struct rt_msg_hello hello = { .magic = RT_HELLO_MAGIC, .version = RT_PROTO_VERSION };
	struct rt_msg_hello bad = hello;
	struct rt_msg_consumed c;
	struct rt_msg_start st = { 0 };
	char path[512], junk[8192];
	unsigned long i, n = argc > 2 ? strtoul(argv[2], NULL, 0) : 5000;

	if (argc < 2)
		return 2;
	snprintf(path, sizeof(path), "%s/.cmd", argv[1]);
	fd = open(path, O_RDWR | O_NONBLOCK);
	if (fd < 0) {
		printf("ctlfuzz: cannot open '%s': %s\n", path, strerror(errno));
		return 1;
	}
	memset(junk, 0xa5, sizeof(junk));
	frame("START before HELLO", RT_MSG_START, sizeof(st), &st, sizeof(st), EINVAL);
	frame("EXIT before HELLO", RT_MSG_EXIT, 0, NULL, 0, EINVAL);
	bad.magic ^= 1;
	frame("HELLO with a bad magic", RT_MSG_HELLO, sizeof(bad), &bad, sizeof(bad), EINVAL);
	frame("HELLO too short", RT_MSG_HELLO, 4, &hello, 4, EINVAL);
	bad = hello;
	bad.version = RT_PROTO_VERSION + 100;
	frame("HELLO of another version", RT_MSG_HELLO, sizeof(bad), &bad, sizeof(bad), EPROTO);
	expect("empty write", junk, 0, EINVAL);
	expect("half a header", junk, 4, EINVAL);
	frame("good HELLO", RT_MSG_HELLO, sizeof(hello), &hello, sizeof(hello), 0);
	frame("length past the write", RT_MSG_DETACH, 100, NULL, 0, EINVAL);
	frame("length over the maximum", RT_MSG_CONSUMED, RT_MSG_MAX_PAYLOAD + 1, junk,
	      RT_MSG_MAX_PAYLOAD + 1, EINVAL);
	expect("write over 64 KiB", malloc(70000), 70000, EINVAL);
	frame("type 0", 0, 0, NULL, 0, EINVAL);
	frame("type 9999", 9999, 0, NULL, 0, EINVAL);
	frame("kernel-to-user type STARTED", RT_MSG_STARTED, 8, junk, 8, EINVAL);
	frame("START while running", RT_MSG_START, sizeof(st), &st, sizeof(st), EINVAL);
	frame("EXIT with a payload", RT_MSG_EXIT, 4, junk, 4, EINVAL);
	frame("DETACH while detached", RT_MSG_DETACH, 0, NULL, 0, EINVAL);
	c = (struct rt_msg_consumed){ .cpu = 100000, .n = 1 };
	frame("CONSUMED for a CPU that does not exist", RT_MSG_CONSUMED, sizeof(c), &c, sizeof(c),
	      EINVAL);
	c = (struct rt_msg_consumed){ .cpu = 0, .n = 0xffffffff };
	frame("CONSUMED more than is sealed", RT_MSG_CONSUMED, sizeof(c), &c, sizeof(c), EINVAL);
	frame("CONSUMED too short", RT_MSG_CONSUMED, 4, &c, 4, EINVAL);
	srand(42);
	for (i = 0; i < n; i++) {
		uint32_t type = rand() % 20, len = rand() % 64;
		char p[64];
		unsigned int k;

		if (type == RT_MSG_HELLO || type == RT_MSG_EXIT || type == RT_MSG_ATTACH ||
		    type == RT_MSG_DETACH)
			type = 100 + type;
		for (k = 0; k < sizeof(p); k++)
			p[k] = rand();
		if (type == RT_MSG_CONSUMED && len == sizeof(c)) {
			memcpy(&c, p, sizeof(c));
			if (!c.n)
				continue;
		}
		if (rand() % 4 == 0)
			len += 1000;	/* length past the end of the write */
		frame("random frame", type, len, p, len < 64 ? len : 64, EINVAL);
	}
	drain();
	printf("ctlfuzz: %lu cases, all rejected\n", cases);
	return 0;
}
