// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-translator.c - libFuzzer target: stap's front end (lexer, parser, type inference,
 * C emission) on arbitrary script text.  Every input must end in a diagnostic or in C;
 * never a crash, an out-of-bounds access or a hang.  Diagnostics go to stderr (run with
 * -close_fd_mask=2); the translator frees nothing, so leak detection is off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "translator-stubs/ast.h"
#include "translator-stubs/build.h"

/* regex.c runs re2c through build.c's run(): here no child runs, the regex is an error */
int run(char *const argv[], const char *log)
{
	(void)argv;
	(void)log;
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *args[] = { "7", "text" };
	struct options opt = { .args = args, .nargs = 2, .symbols = NULL };
	static FILE *null;
	struct script *s;
	char *text;

	if (size > 4096)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!null)
		null = fopen("/dev/null", "w");
	s = parse_script("fuzz.stp", text, &opt);
	if (s && !sema_script(s, &opt))
		emit_script(null, s);
	return 0;	/* text stays: diagnostics point into it */
}
