// SPDX-License-Identifier: GPL-2.0
/*
 * btf-test.c - translator-stubs/btf.c: bzImage extraction and the type queries, against
 * the host's /sys/kernel/btf/vmlinux and the installed /boot/vmlinuz-* (each check is
 * UNTESTED when its file is missing).
 */
#include <dejagnu.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "translator-stubs/btf.h"

static void check(int ok, const char *what)
{
	if (ok)
		pass("%s", what);
	else
		fail("%s", what);
}

static void queries(const struct btf *b)
{
	struct kbtf_field f = { 0 };
	int ts = kbtf_named(b, "struct task_struct"), proto, type = 0;
	const char *near;
	char tn[128];

	check(ts > 0 && ts == kbtf_named(b, "task_struct"),
	      "btf: \"struct task_struct\" and \"task_struct\" name the same type");
	check(kbtf_named(b, "struct no_such_type_x") < 0 && errno == ENOENT,
	      "btf: an unknown type is ENOENT");
	check(!kbtf_member(b, ts, "pid", &f) && f.off_bits % 8 == 0 && !f.bits,
	      "btf: task_struct.pid is a whole member");
	near = kbtf_closest(b, ts, "pdi");
	check(near && !strcmp(near, "pid"), "btf: the member closest to 'pdi' is 'pid'");
	proto = kbtf_func_proto(b, "vfs_read");
	check(proto > 0 && kbtf_param(b, proto, "count", &type) == 2,
	      "btf: vfs_read's third parameter is count");
	if (proto > 0 && kbtf_param(b, proto, "file", &type) == 0) {
		kbtf_type_name(b, type, tn, sizeof(tn));
		check(!strcmp(tn, "struct file*"), "btf: $file is a 'struct file*'");
	}
	check(kbtf_func_proto(b, "no_such_function_x") < 0, "btf: an unknown function has no proto");
}

/* a FUNC_PROTO of @n parameters of the types @t, in @b */
static int proto_of(struct btf *b, int n, const int *t)
{
	int id = btf__add_func_proto(b, 0), i;

	for (i = 0; i < n; i++)
		btf__add_func_param(b, "p", t[i]);
	return id;
}

/* kbtf_arg_word() (the x86_64 psABI's registers and stack words) and kbtf_named()'s
 * 64-bit enums, on a BTF built here */
static void synthetic(void)
{
	struct btf *b = btf__new_empty();
	int l = btf__add_int(b, "long", 8, BTF_INT_SIGNED), c = btf__add_int(b, "char", 1, 0);
	int s16 = btf__add_struct(b, "s16", 16), s24;

	btf__add_field(b, "a", l, 0, 0);
	btf__add_field(b, "b", l, 64, 0);
	s24 = btf__add_struct(b, "s24", 24);
	btf__add_field(b, "a", l, 0, 0);
	btf__add_field(b, "b", l, 64, 0);
	btf__add_field(b, "c", l, 128, 0);
	btf__add_enum64(b, "wide", 8, false);
	btf__add_enum64_value(b, "WIDE", 1ULL << 40);
	{
		int f1[] = { s16, c }, f2[] = { l, l, l, l, l, s16, l }, f3[] = { s24, l };
		int f4[] = { l, l, l, l, l, l, l, l };
		int p1 = proto_of(b, 2, f1), p2 = proto_of(b, 7, f2), p3 = proto_of(b, 2, f3);
		int p4 = proto_of(b, 8, f4);

		check(kbtf_arg_word(b, p1, 0) == 1 && kbtf_arg_word(b, p1, 1) == 3,
		      "btf: a parameter after a 16-byte struct is in the third register");
		check(kbtf_arg_word(b, p2, 5) == 7 && kbtf_arg_word(b, p2, 6) == 6,
		      "btf: a 16-byte struct with one register left goes on the stack; the "
		      "next long takes that register");
		check(kbtf_arg_word(b, p3, 0) == 7 && kbtf_arg_word(b, p3, 1) == 1,
		      "btf: a 24-byte struct is on the stack and takes no register");
		check(kbtf_arg_word(b, p4, 5) == 6 && kbtf_arg_word(b, p4, 6) == 7 &&
		      kbtf_arg_word(b, p4, 7) == 8,
		      "btf: the seventh and eighth longs are the stack words 1 and 2");
	}
	check(kbtf_named(b, "enum wide") > 0 && kbtf_named(b, "wide") > 0,
	      "btf: a 64-bit enum is found with and without 'enum '");
	btf__free(b);
}

/* kbtf_configured(): a .config without CONFIG_DEBUG_INFO_BTF=y has no BTF */
static void configured(void)
{
	char path[] = "/tmp/btf-test-config-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f) {
		untested("btf: kbtf_configured (no temporary file)");
		return;
	}
	fputs("CONFIG_X86_64=y\n# CONFIG_DEBUG_INFO_BTF is not set\n", f);
	fclose(f);
	check(!kbtf_configured(path), "btf: a .config without CONFIG_DEBUG_INFO_BTF=y has no BTF");
	f = fopen(path, "a");
	if (f) {
		fputs("CONFIG_DEBUG_INFO_BTF=y\n", f);
		fclose(f);
	}
	check(kbtf_configured(path), "btf: a .config with CONFIG_DEBUG_INFO_BTF=y may have BTF");
	check(kbtf_configured("/nonexistent/.config"), "btf: no .config is no answer");
	unlink(path);
}

int main(void)
{
	char out[] = "/tmp/btf-test-XXXXXX";
	struct btf *b;
	glob_t g;
	int fd = mkstemp(out);

	if (fd >= 0)
		close(fd);
	errno = 0;
	check(kbtf_extract("/etc/hostname", out) < 0 && errno == ENOEXEC,
	      "btf: a file that is no bzImage is ENOEXEC");
	if (!access("/sys/kernel/btf/vmlinux", R_OK) && (b = kbtf_load("/sys/kernel/btf/vmlinux")))
		queries(b);
	else
		untested("btf: queries (no /sys/kernel/btf/vmlinux)");
	if (!glob("/boot/vmlinuz-*", 0, NULL, &g) && g.gl_pathc) {
		check(!kbtf_extract(g.gl_pathv[0], out) && (b = kbtf_load(out)) &&
		      kbtf_named(b, "task_struct") > 0,
		      "btf: the .BTF of /boot/vmlinuz-* extracts and loads");
		globfree(&g);
	} else {
		untested("btf: extraction (no /boot/vmlinuz-*)");
	}
	unlink(out);
	synthetic();
	configured();
	totals();
	return 0;
}
