// SPDX-License-Identifier: GPL-2.0
/*
 * ctl.c - framed messages over the module's control file.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "staprun.h"

/**
 * rt_ctl_open - open <dir>/.cmd
 * @c:   the connection
 * @dir: the module's transport directory
 *
 * Return: 0, or -1 with errno (EBUSY: another staprun controls the module).
 */
int rt_ctl_open(struct rt_ctl_conn *c, const char *dir)
{
	char path[600];

	c->len = 0;
	c->pos = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, RT_CMD_NAME);
	c->fd = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	return c->fd < 0 ? -1 : 0;
}

void rt_ctl_close(struct rt_ctl_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/**
 * rt_ctl_send - send one message
 * @c:       the connection
 * @type:    RT_MSG_*
 * @payload: bytes, or NULL
 * @len:     payload length
 *
 * Return: 0, or -1 with errno (what the module's write() returned).
 */
int rt_ctl_send(struct rt_ctl_conn *c, uint32_t type, const void *payload, uint32_t len)
{
	char m[sizeof(struct rt_msg_hdr) + RT_MSG_MAX_PAYLOAD];
	struct rt_msg_hdr h = { .type = type, .len = len };
	ssize_t n;

	if (len > RT_MSG_MAX_PAYLOAD) {
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(m, &h, sizeof(h));
	if (len)
		memcpy(m + sizeof(h), payload, len);
	do
		n = write(c->fd, m, sizeof(h) + len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	return 0;
}

/**
 * rt_ctl_recv - the next message from the module
 * @c:       the connection
 * @hdr:     set to its header
 * @payload: set to its payload (valid until the next call)
 * @block:   wait for one (else -1 with errno EAGAIN when none is queued)
 *
 * Return: 0, or -1 with errno.
 */
int rt_ctl_recv(struct rt_ctl_conn *c, struct rt_msg_hdr *hdr, const void **payload, int block)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	ssize_t n;

	while (c->pos >= c->len) {
		c->pos = c->len = 0;
		n = read(c->fd, c->buf, sizeof(c->buf));
		if (n > 0) {
			c->len = n;
			break;
		}
		if (n == 0) {
			errno = EPIPE;
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN || !block)
			return -1;
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return -1;
	}
	if (c->len - c->pos < sizeof(*hdr)) {
		errno = EPROTO;
		return -1;
	}
	memcpy(hdr, c->buf + c->pos, sizeof(*hdr));
	if (hdr->len > c->len - c->pos - sizeof(*hdr)) {
		errno = EPROTO;
		return -1;
	}
	*payload = c->buf + c->pos + sizeof(*hdr);
	c->pos += sizeof(*hdr) + hdr->len;
	return 0;
}
