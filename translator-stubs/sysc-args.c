// SPDX-License-Identifier: GPL-2.0
/*
 * sysc-args.c - the parameters of a system call, as target variables.
 *
 * Since Linux 4.17 an x86_64 system call is entered as __x64_sys_NAME(const struct
 * pt_regs *regs), and the function with the named parameters (__do_sys_NAME) is usually
 * inlined, so the kernel's BTF has no names for them.  SystemTap 4.8 reads them from
 * DWARF (syscall.ioctl's $cmd).  Here they come from the target kernel tree's
 * include/linux/syscalls.h, the kernel's own list of the prototypes:
 *
 *	asmlinkage long sys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg);
 *
 * and the value of the Nth is the Nth argument register saved in @regs (the x86_64
 * syscall ABI: di, si, dx, r10, r8, r9).  Helpers return -1 and set errno; they never
 * print.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sysc-args.h"

static char *header;	/* syscalls.h, read once */

/* slurp - the whole file @path, or NULL */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap ? 2 * cap : 65536);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, 4096, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/*
 * load - syscalls.h of the tree @kdir: KDIR/include, KDIR/source/include (kbuild's
 * O= trees), or the tree that KDIR/Makefile includes (Debian's linux-headers-REL-common)
 */
static int load(const char *kdir)
{
	char path[4200], *mk, *p, *e;

	if (header)
		return 0;
	snprintf(path, sizeof(path), "%s/include/linux/syscalls.h", kdir);
	header = slurp(path);
	if (!header) {
		snprintf(path, sizeof(path), "%s/source/include/linux/syscalls.h", kdir);
		header = slurp(path);
	}
	snprintf(path, sizeof(path), "%s/Makefile", kdir);
	if (!header && (mk = slurp(path))) {
		p = strstr(mk, "include /");
		e = p ? strstr(p, "/Makefile") : NULL;
		if (p && e && e - p < 4000) {
			snprintf(path, sizeof(path), "%.*s/include/linux/syscalls.h",
				 (int)(e - p - 8), p + 8);
			header = slurp(path);
		}
		free(mk);
	}
	if (!header)
		errno = ENOENT;
	return header ? 0 : -1;
}

/*
 * unnamed - whether @name, the last word of a parameter whose type is @type, is no name:
 * syscalls.h leaves some out ("int", "size_t", "unsigned long", "struct sockaddr __user *")
 */
static int unnamed(const char *type, const char *name)
{
	static const char *const words[] = { "int", "long", "short", "char", "unsigned",
					     "signed", "void", "__user", "const" };
	size_t i, n = strlen(type);

	if (!*name || !*type)
		return 1;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(name, words[i]))
			return 1;
	return (n >= 6 && !strcmp(type + n - 6, "struct")) ||
	       (n >= 5 && !strcmp(type + n - 5, "union")) ||
	       (n >= 4 && !strcmp(type + n - 4, "enum"));
}

/*
 * one_param - split "const char __user *filename" into its name and type (@is_ptr); the
 * name is "" when the prototype has none
 */
static void one_param(const char *s, size_t n, struct sysc_param *q)
{
	size_t end = n, start;

	while (end && isspace((unsigned char)s[end - 1]))
		end--;
	start = end;
	while (start && (isalnum((unsigned char)s[start - 1]) || s[start - 1] == '_'))
		start--;
	snprintf(q->name, sizeof(q->name), "%.*s", (int)(end - start), s + start);
	q->is_ptr = memchr(s, '*', start) != NULL;
	while (n && isspace((unsigned char)*s))
		s++, n--, start--;
	snprintf(q->type, sizeof(q->type), "%.*s", (int)start, s);
	while (*q->type && q->type[strlen(q->type) - 1] == ' ')
		q->type[strlen(q->type) - 1] = '\0';
	if (!strncmp(q->type, "const ", 6))
		memmove(q->type, q->type + 6, strlen(q->type + 6) + 1);
	if (unnamed(q->type, q->name)) {
		snprintf(q->type, sizeof(q->type), "%.*s", (int)n, s);
		q->name[0] = '\0';
	}
}

/**
 * sysc_params - the parameters of system call @name (without "sys_")
 * @kdir: the target kernel's build tree
 * @name: the call, as in __x64_sys_NAME ("ioctl")
 * @q:    the parameters (out), at most SYSC_MAX_PARAMS; one the prototype leaves
 *        unnamed ("int", "size_t") has the name "" (not a target variable)
 *
 * Return: how many (0 for "void"), or -1 with errno ENOENT (no syscalls.h in the tree)
 * or ESRCH (no prototype of sys_NAME in it).
 */
int sysc_params(const char *kdir, const char *name, struct sysc_param *q)
{
	char key[200];
	const char *p, *end, *a;
	int n = 0, depth = 0;

	if (load(kdir))
		return -1;
	snprintf(key, sizeof(key), " sys_%s(", name);
	for (p = strstr(header, key); p; p = strstr(p + 1, key))
		if (p - header >= 15 && !strncmp(p - 15, "asmlinkage long", 15))
			break;
	if (!p || !(end = strstr(p, ");"))) {
		errno = ESRCH;
		return -1;
	}
	a = p + strlen(key);
	for (p = a; p <= end && n < SYSC_MAX_PARAMS; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth)
			depth--;
		else if ((*p == ',' && !depth) || p == end) {
			one_param(a, p - a, &q[n]);
			if (strcmp(q[n].name, "void"))
				n++;
			a = p + 1;
		}
	}
	return n;
}
