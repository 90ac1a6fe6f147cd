/* RT_HAVE_STRLCPY: strlcpy() (removed in 6.8) */
#include <linux/string.h>
size_t rt_probe(char *dest, const char *src, size_t size)
{
	return strlcpy(dest, src, size);
}
