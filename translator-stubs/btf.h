/* SPDX-License-Identifier: GPL-2.0 */
/*
 * btf.h - the target kernel's BTF: where it comes from, and the type queries the
 * translator makes (target variables, @cast, tracepoint arguments).
 *
 * Types are libbpf's (struct btf, type ids); parsing is libbpf's btf__parse() (BTF
 * format: the kernel's Documentation/bpf/btf.rst).  User-side conventions: functions
 * return -1 (or NULL) and set errno; none prints.
 *
 * Where the BTF of a target release REL comes from (stap's --btf FILE overrides all):
 *  1. /sys/kernel/btf/vmlinux, when REL is the running kernel;
 *  2. the cache, $XDG_CACHE_HOME/relaytap/btf-REL (raw BTF, as /sys/kernel/btf/vmlinux);
 *  3. the .BTF section of /boot/vmlinuz-REL: kbtf_extract() decompresses the bzImage
 *     payload with xz or zstd and libbpf reads .BTF from the ELF (the section is
 *     allocated, so it is the very bytes the kernel exposes at /sys/kernel/btf/vmlinux);
 *     the result goes into the cache.  This needs no guest boot (a few seconds, once);
 *  4. failing that, /sys/kernel/btf/vmlinux read once in a qemu guest of REL (rtguest),
 *     into the cache, as the guest's kallsyms is.
 * A release whose .config (kbtf_configured()) lacks CONFIG_DEBUG_INFO_BTF=y, or whose
 * vmlinuz has no .BTF, has none: 3 and 4 are not tried (no guest is booted for nothing).
 */
#ifndef RT_BTF_H
#define RT_BTF_H

#include <stddef.h>
#include <stdint.h>

struct btf;

/**
 * kbtf_extract - the raw BTF of a bzImage kernel, from its .BTF section
 * @vmlinuz: the bzImage (x86 boot protocol >= 2.08: payload_offset, payload_length)
 * @out:     the raw BTF file to write (through @out.tmp, renamed into place)
 *
 * The payload is xz or zstd (Debian 6.1 and 6.12), decompressed by running xz or zstd
 * with an argv.  Return: 0, or -1 with errno (ENOEXEC: not a bzImage with a known
 * compression; ENODATA: the kernel has no .BTF, CONFIG_DEBUG_INFO_BTF is off).
 */
int kbtf_extract(const char *vmlinuz, const char *out);

/**
 * kbtf_configured - whether the kernel configured in @config (a kernel .config: the
 * build tree's, or /boot/config-REL) can have BTF
 * @config: the file; a missing or unreadable one is not an answer
 *
 * Return: 0 when @config was read and does not set CONFIG_DEBUG_INFO_BTF=y (that kernel
 * has no BTF: no source below can give one), else 1.
 */
int kbtf_configured(const char *config);

/**
 * kbtf_load - parse a BTF file, raw or ELF with .BTF, once per path
 * @path: the file
 *
 * Return: the BTF (owned here, never freed), or NULL with errno.
 */
struct btf *kbtf_load(const char *path);

/**
 * kbtf_strip - @id past typedefs, const, volatile, restrict and type tags
 * Return: the underlying type id (0 is void).
 */
int kbtf_strip(const struct btf *b, int id);

/**
 * kbtf_func_proto - the FUNC_PROTO of kernel function @name, or -1 (ENOENT)
 */
int kbtf_func_proto(const struct btf *b, const char *name);

/**
 * kbtf_param - parameter @name of FUNC_PROTO @proto
 * @type: set to its type id
 * Return: its 0-based position, or -1 (ENOENT).
 */
int kbtf_param(const struct btf *b, int proto, const char *name, int *type);

/**
 * kbtf_arg_word - where parameter @i (0-based) of FUNC_PROTO @proto is at the function's
 * entry on x86_64, by the System V psABI's classification (3.2.3) for the kernel's types
 * (integers, pointers and structs of integers): a parameter of up to 8 bytes takes the
 * next argument register; one of 9 to 16 bytes two registers, or the stack when two are
 * not left; a larger one the stack; the registers left go on to the later parameters.
 * So tnum_lshift(struct tnum a, u8 shift) has shift in the third register, not the second.
 *
 * Return: 1 to 6, argument register n (rdi, rsi, rdx, rcx, r8, r9); 7 on, the stack word
 * n - 6 above the return address.
 */
int kbtf_arg_word(const struct btf *b, int proto, int i);

/**
 * kbtf_named - a struct, union, enum or typedef by name, as @cast writes it: "task_struct",
 * "struct task_struct", "union bpf_attr"
 * Return: the type id (not stripped), or -1 (ENOENT).
 */
int kbtf_named(const struct btf *b, const char *name);

/**
 * struct kbtf_field - where a member lives
 * @off_bits: its offset from the start of the outer struct, in bits
 * @bits:     bitfield width, or 0 for a whole member
 * @type:     its type id
 */
struct kbtf_field {
	uint32_t off_bits;
	uint32_t bits;
	int type;
};

/**
 * kbtf_member - member @name of struct or union @id (stripped), looking through
 * anonymous structs and unions as C does
 * Return: 0 and *@f filled, or -1 (ENOENT).
 */
int kbtf_member(const struct btf *b, int id, const char *name, struct kbtf_field *f);

/**
 * kbtf_closest - the member of @id whose name is closest to @name (edit distance,
 * anonymous members looked through), for "did you mean"; NULL when @id has none
 */
const char *kbtf_closest(const struct btf *b, int id, const char *name);

/**
 * kbtf_type_name - C spelling of type @id ("struct task_struct*", "long int", "char[16]")
 * into @buf, as SystemTap's messages and $$parms print it
 */
void kbtf_type_name(const struct btf *b, int id, char *buf, size_t size);

/**
 * kbtf_size - the size of @id in bytes, or -1
 */
int64_t kbtf_size(const struct btf *b, int id);

#endif /* RT_BTF_H */
