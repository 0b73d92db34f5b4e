#include "hash.h"

#include "banned.h"

size_t sr_hash_bytes(const char *s, size_t len)
{
	size_t h = (size_t)1469598103934665603ULL;

	while (len--)
		h = (h ^ (unsigned char)*s++) * (size_t)1099511628211ULL;
	return h;
}

size_t sr_hash_str(const char *s)
{
	size_t h = (size_t)1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * (size_t)1099511628211ULL;
	return h;
}
