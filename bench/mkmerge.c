// SPDX-License-Identifier: GPL-2.0
/*
 * mkmerge - bulk files for the stap-merge benchmark: NCPU files of NREC records each, in
 * relaytap's format (DIR/rt_<cpu>) and in SystemTap 4.8's (DIR/stp_<cpu>: per record a
 * 4-byte global sequence number, a 4-byte length, the text), with the
 * same texts and the same global order (round robin across CPUs).
 *
 *   mkmerge DIR [NCPU [NREC]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/uapi/relaytap.h"

#define SUBBUF	(256 * 1024)

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : ".";
	unsigned int ncpu = argc > 2 ? atoi(argv[2]) : 4, cpu;
	unsigned long nrec = argc > 3 ? strtoul(argv[3], NULL, 0) : 1000000, i;
	static char sb[SUBBUF];
	char path[512], text[128];

	for (cpu = 0; cpu < ncpu; cpu++) {
		struct rt_subbuf_hdr *h = (void *)sb;
		size_t used = 0;
		uint64_t seq = 0;
		FILE *rt, *stp;

		snprintf(path, sizeof(path), "%s/rt_%u", dir, cpu);
		rt = fopen(path, "w");
		snprintf(path, sizeof(path), "%s/stp_%u", dir, cpu);
		stp = fopen(path, "w");
		if (!rt || !stp)
			return 1;
		for (i = 0; i <= nrec; i++) {
			struct rt_rec_hdr r;
			uint32_t w[2];
			int n = 0;

			if (i < nrec)
				n = snprintf(text, sizeof(text), "cpu %u record %lu: some probe output\n",
					     cpu, i);
			if (used && (i == nrec || used + RT_REC_SIZE(n) > SUBBUF)) {
				h->data_size = used;
				fwrite(sb, used, 1, rt);
				used = 0;
			}
			if (i == nrec)
				break;
			if (!used) {
				memset(h, 0, sizeof(*h));
				h->magic = RT_SUBBUF_MAGIC;
				h->version = RT_SUBBUF_VERSION;
				h->hdr_size = sizeof(*h);
				h->cpu = cpu;
				h->seq = seq++;
				used = sizeof(*h);
			}
			r = (struct rt_rec_hdr){ .ts = i * ncpu + cpu, .len = n, .type = RT_REC_DATA };
			memset(sb + used, 0, RT_REC_SIZE(n));
			memcpy(sb + used, &r, sizeof(r));
			memcpy(sb + used + sizeof(r), text, n);
			used += RT_REC_SIZE(n);
			w[0] = i * ncpu + cpu + 1;
			w[1] = n;
			fwrite(w, sizeof(w), 1, stp);
			fwrite(text, n, 1, stp);
		}
		if (fclose(rt) || fclose(stp))
			return 1;
	}
	return 0;
}
