// SPDX-License-Identifier: GPL-2.0
/*
 * btf.c - the target kernel's BTF: extraction from a bzImage, loading with libbpf, and
 * the type queries of btf.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "btf.h"
#include "build.h"

static int write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	if (fwrite(data, 1, n, f) != n) {
		fclose(f);
		return -1;
	}
	return fclose(f) ? -1 : 0;
}

static unsigned char *read_all(const char *path, size_t *n)
{
	unsigned char *buf;
	FILE *f = fopen(path, "r");
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return NULL;
	}
	buf = malloc(len + 1);
	if (buf && fread(buf, 1, len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
		errno = EIO;
	}
	fclose(f);
	*n = len;
	return buf;
}

static uint32_t le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/**
 * payload - the compressed vmlinux inside bzImage @img (Documentation/arch/x86/boot.rst:
 * setup_sects at 0x1f1, "HdrS" at 0x202, version at 0x206, payload_offset and
 * payload_length at 0x248; the last 4 payload bytes are the decompressed size, which
 * the decompressors do not expect), and the tool that decompresses it
 */
static const unsigned char *payload(const unsigned char *img, size_t n, size_t *len,
				    const char **tool)
{
	static const unsigned char xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	static const unsigned char zstd[] = { 0x28, 0xb5, 0x2f, 0xfd };
	size_t start, setup;

	if (n < 0x250 || memcmp(img + 0x202, "HdrS", 4) || (img[0x206] | img[0x207] << 8) < 0x208)
		return NULL;
	setup = img[0x1f1] ? img[0x1f1] : 4;
	start = (setup + 1) * 512 + le32(img + 0x248);
	*len = le32(img + 0x24c);
	if (*len < 16 || start > n || *len > n - start)
		return NULL;
	*len -= 4;
	if (!memcmp(img + start, xz, sizeof(xz)))
		*tool = "xz";
	else if (!memcmp(img + start, zstd, sizeof(zstd)))
		*tool = "zstd";
	else
		return NULL;
	return img + start;
}

/** raw_from_elf - parse ELF @elf's .BTF with libbpf and write it raw to @out */
static int raw_from_elf(const char *elf, const char *out)
{
	char tmp[PATH_MAX];
	const void *raw;
	struct btf *b;
	uint32_t size;
	int rc;

	b = btf__parse_elf(elf, NULL);
	if (!b) {
		if (errno == ENOENT)
			errno = ENODATA;
		return -1;
	}
	raw = btf__raw_data(b, &size);
	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	rc = raw && !write_file(tmp, raw, size) && !rename(tmp, out) ? 0 : -1;
	if (rc)
		unlink(tmp);
	btf__free(b);
	return rc;
}

int kbtf_extract(const char *vmlinuz, const char *out)
{
	char zpath[PATH_MAX], epath[PATH_MAX];
	char *argv[] = { NULL, "-dc", zpath, NULL };
	const unsigned char *z;
	unsigned char *img;
	const char *tool;
	size_t n, len;
	int rc = -1;

	img = read_all(vmlinuz, &n);
	if (!img)
		return -1;
	z = payload(img, n, &len, &tool);
	if (!z) {
		free(img);
		errno = ENOEXEC;
		return -1;
	}
	snprintf(zpath, sizeof(zpath), "%s.payload", out);
	snprintf(epath, sizeof(epath), "%s.vmlinux", out);
	argv[0] = (char *)tool;
	if (!write_file(zpath, z, len) && !run(argv, epath))
		rc = raw_from_elf(epath, out);
	else if (!errno)
		errno = EIO;
	free(img);
	unlink(zpath);
	unlink(epath);
	return rc;
}

int kbtf_configured(const char *config)
{
	char line[256];
	FILE *f = fopen(config, "r");
	int found = 0;

	if (!f)
		return 1;
	while (!found && fgets(line, sizeof(line), f))
		found = !strcmp(line, "CONFIG_DEBUG_INFO_BTF=y\n");
	fclose(f);
	return found;
}

struct btf *kbtf_load(const char *path)
{
	static struct btf *b;
	static char *loaded;

	if (loaded && !strcmp(loaded, path))
		return b;
	libbpf_set_print(NULL);	/* the caller reports the error, with errno */
	b = btf__parse(path, NULL);
	if (!b) {
		if (errno == ENOENT && !access(path, R_OK))
			errno = ENODATA;	/* an ELF file without .BTF */
		return NULL;
	}
	free(loaded);
	loaded = strdup(path);
	return b;
}

int kbtf_strip(const struct btf *b, int id)
{
	const struct btf_type *t;

	while (id > 0 && (t = btf__type_by_id(b, id)) &&
	       (btf_is_mod(t) || btf_is_typedef(t)))
		id = t->type;
	return id;
}

int kbtf_func_proto(const struct btf *b, const char *name)
{
	int id = btf__find_by_name_kind(b, name, BTF_KIND_FUNC);

	if (id < 0) {
		errno = ENOENT;
		return -1;
	}
	return btf__type_by_id(b, id)->type;
}

int kbtf_param(const struct btf *b, int proto, const char *name, int *type)
{
	const struct btf_type *t = btf__type_by_id(b, proto);
	const struct btf_param *p = btf_params(t);
	int i;

	for (i = 0; i < btf_vlen(t); i++) {
		if (!strcmp(btf__name_by_offset(b, p[i].name_off), name)) {
			*type = p[i].type;
			return i;
		}
	}
	errno = ENOENT;
	return -1;
}

int kbtf_arg_word(const struct btf *b, int proto, int i)
{
	const struct btf_type *t = btf__type_by_id(b, proto);
	const struct btf_param *q = btf_params(t);
	int j, regs = 0, stack = 0, at = 0;

	for (j = 0; j <= i && j < btf_vlen(t); j++) {
		int64_t size = btf__resolve_size(b, q[j].type);
		int words = size > 8 ? (size + 7) / 8 : 1;

		if (words <= 2 && regs + words <= 6) {
			at = regs + 1;
			regs += words;
		} else {
			at = 7 + stack;
			stack += words;
		}
	}
	return at;
}

int kbtf_named(const struct btf *b, const char *name)
{
	static const struct { const char *pfx; int kind; } kinds[] = {
		{ "struct ", BTF_KIND_STRUCT }, { "union ", BTF_KIND_UNION },
		{ "enum ", BTF_KIND_ENUM },
	};
	int kind[] = { BTF_KIND_STRUCT, BTF_KIND_UNION, BTF_KIND_TYPEDEF, BTF_KIND_ENUM,
		       BTF_KIND_ENUM64 };
	unsigned int i;
	int id;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].pfx);

		if (strncmp(name, kinds[i].pfx, n))
			continue;
		id = btf__find_by_name_kind(b, name + n, kinds[i].kind);
		if (id < 0 && kinds[i].kind == BTF_KIND_ENUM)	/* values past 32 bits */
			id = btf__find_by_name_kind(b, name + n, BTF_KIND_ENUM64);
		if (id > 0)
			return id;
		errno = ENOENT;
		return -1;
	}
	for (i = 0; i < sizeof(kind) / sizeof(kind[0]); i++) {
		id = btf__find_by_name_kind(b, name, kind[i]);
		if (id > 0)
			return id;
	}
	errno = ENOENT;
	return -1;
}

int kbtf_member(const struct btf *b, int id, const char *name, struct kbtf_field *f)
{
	const struct btf_type *t = btf__type_by_id(b, id);
	const struct btf_member *m;
	int i;

	if (!t || !btf_is_composite(t)) {
		errno = EINVAL;
		return -1;
	}
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(b, m->name_off);

		if (!*mn) {		/* anonymous struct or union: look inside */
			if (kbtf_member(b, kbtf_strip(b, m->type), name, f))
				continue;
			f->off_bits += btf_member_bit_offset(t, i);
			return 0;
		}
		if (strcmp(mn, name))
			continue;
		f->off_bits = btf_member_bit_offset(t, i);
		f->bits = btf_member_bitfield_size(t, i);
		f->type = m->type;
		return 0;
	}
	errno = ENOENT;
	return -1;
}

static int min3(int a, int b, int c)
{
	return a < b ? (a < c ? a : c) : (b < c ? b : c);
}

/**
 * distance - edit distance of @a and @b, a swap of two neighbours counting one (optimal
 * string alignment), for names up to 63 characters
 */
static int distance(const char *a, const char *b)
{
	int d[64][64], i, j, la = strlen(a), lb = strlen(b);

	if (la > 63 || lb > 63)
		return 64;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
				       d[i - 1][j - 1] + (a[i - 1] != b[j - 1]));
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[la][lb];
}

static void closest(const struct btf *b, int id, const char *name, const char **best, int *bd)
{
	const struct btf_type *t = btf__type_by_id(b, id);
	const struct btf_member *m;
	int i, d;

	if (!t || !btf_is_composite(t))
		return;
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(b, m->name_off);

		if (!*mn) {
			closest(b, kbtf_strip(b, m->type), name, best, bd);
			continue;
		}
		d = distance(name, mn);
		if (d < *bd) {
			*bd = d;
			*best = mn;
		}
	}
}

const char *kbtf_closest(const struct btf *b, int id, const char *name)
{
	const char *best = NULL;
	int bd = 1 << 30;

	closest(b, id, name, &best, &bd);
	return best;
}

int64_t kbtf_size(const struct btf *b, int id)
{
	return btf__resolve_size(b, id);
}

static void type_name(const struct btf *b, int id, char *buf, size_t size, int depth)
{
	const struct btf_type *t = btf__type_by_id(b, id);
	const char *kw = "";
	size_t n;

	if (!id || !t) {
		snprintf(buf, size, "void");
		return;
	}
	if (depth > 8) {
		snprintf(buf, size, "...");
		return;
	}
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
		type_name(b, t->type, buf, size, depth + 1);
		n = strlen(buf);
		snprintf(buf + n, size - n, "*");
		return;
	case BTF_KIND_ARRAY:
		type_name(b, btf_array(t)->type, buf, size, depth + 1);
		n = strlen(buf);
		snprintf(buf + n, size - n, "[%u]", btf_array(t)->nelems);
		return;
	case BTF_KIND_CONST: case BTF_KIND_VOLATILE: case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		type_name(b, t->type, buf, size, depth + 1);
		return;
	case BTF_KIND_STRUCT: kw = "struct "; break;
	case BTF_KIND_UNION: kw = "union "; break;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64: kw = "enum "; break;
	case BTF_KIND_FWD: kw = btf_kflag(t) ? "union " : "struct "; break;
	case BTF_KIND_FUNC_PROTO: snprintf(buf, size, "void (*)()"); return;
	default: break;
	}
	snprintf(buf, size, "%s%s", kw, btf__name_by_offset(b, t->name_off));
}

void kbtf_type_name(const struct btf *b, int id, char *buf, size_t size)
{
	type_name(b, id, buf, size, 0);
}
