/* RT_HAVE_NO_LLSEEK: no_llseek (removed in 6.12, where a NULL .llseek means "not seekable") */
#include <linux/fs.h>
const void *rt_probe(void)
{
	return no_llseek;
}
