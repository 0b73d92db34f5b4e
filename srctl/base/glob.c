#include "glob.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "banned.h"

/*
 * Does the character class at p (just after '[') match c? Sets *end just
 * past the closing ']'. Returns -1 when the class is not closed (the '['
 * is then an ordinary character).
 */
static int match_class(const char *p, const char *pend, char c,
		       const char **end)
{
	bool negate = false, found = false;
	const char *q = p;

	if (q < pend && (*q == '!' || *q == '^')) {
		negate = true;
		q++;
	}
	if (q < pend && *q == ']') {	/* a leading ']' is literal */
		found = (c == ']');
		q++;
	}
	while (q < pend && *q != ']') {
		char lo = *q;

		if (lo == '\\' && q + 1 < pend)
			lo = *++q;
		if (q + 2 < pend && q[1] == '-' && q[2] != ']') {
			char hi = q[2];

			if ((unsigned char)c >= (unsigned char)lo &&
			    (unsigned char)c <= (unsigned char)hi)
				found = true;
			q += 3;
		} else {
			if (c == lo)
				found = true;
			q++;
		}
	}
	if (q >= pend)
		return -1;
	*end = q + 1;
	return found != negate;
}

/*
 * Match pattern [p, pend) against the whole of [s, s + n). The pattern is
 * run as an automaton over the set of positions in s reachable so far, so
 * the cost is O(len(pattern) * n) whatever the stars: no backtracking, no
 * blow-up. '*' and '?' and classes stop at '/'; '**' crosses it; '**' + '/'
 * also matches no directory at all.
 */
static bool match(const char *p, const char *pend, const char *s, size_t n)
{
	bool stack_set[2][257];
	bool *cur, *nxt, *heap = NULL;
	bool any = true, result;
	size_t i;

	if (n + 1 <= 257) {
		cur = stack_set[0];
		nxt = stack_set[1];
	} else {
		heap = sr_xcalloc(2 * (n + 1), sizeof(bool));
		cur = heap;
		nxt = heap + n + 1;
	}
	memset(cur, 0, n + 1);
	cur[0] = true;

	while (p < pend && any) {
		bool *t;

		memset(nxt, 0, n + 1);
		any = false;
		if (p[0] == '*' && p + 1 < pend && p[1] == '*') {
			bool slash;

			p += 2;
			while (p < pend && *p == '*')
				p++;
			slash = p < pend && *p == '/';
			if (slash) {
				/* zero or more whole directories */
				p++;
				bool seen = false;

				for (i = 0; i <= n; i++) {
					if (cur[i]) {
						nxt[i] = true;
						seen = true;
					} else if (seen && s[i - 1] == '/') {
						nxt[i] = true;
					}
				}
			} else {
				for (i = 0; i <= n; i++) {
					if (cur[i]) {
						memset(nxt + i, 1, n + 1 - i);
						break;
					}
				}
			}
		} else if (*p == '*') {
			p++;
			for (i = 0; i <= n; i++) {
				if (!cur[i])
					continue;
				nxt[i] = true;
				while (i < n && s[i] != '/')
					nxt[++i] = true;
			}
		} else {
			const char *next = p + 1;
			int cls = -1;
			char lit = *p;

			if (*p == '[')
				cls = match_class(p + 1, pend, 0, &next);
			if (*p == '\\' && p + 1 < pend) {
				lit = p[1];
				next = p + 2;
			}
			for (i = 0; i < n; i++) {
				bool ok;

				if (!cur[i])
					continue;
				if (*p == '?') {
					ok = s[i] != '/';
				} else if (*p == '[' && cls >= 0) {
					ok = s[i] != '/' &&
					     match_class(p + 1, pend, s[i],
							 &next) == 1;
				} else {
					ok = s[i] == lit;
				}
				if (ok)
					nxt[i + 1] = true;
			}
			p = next;
		}
		for (i = 0; i <= n; i++) {
			if (nxt[i]) {
				any = true;
				break;
			}
		}
		t = cur;
		cur = nxt;
		nxt = t;
	}
	result = p >= pend && cur[n];
	free(heap);
	return result;
}

bool sr_glob_match(const char *pattern, const char *path, bool is_dir)
{
	const char *p = pattern, *pend;
	size_t plen, pathlen = strlen(path), end;
	bool anchored = false, dir_only = false;

	if (*p == '/') {
		anchored = true;
		p++;
	}
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	plen = strlen(p);
	while (plen && p[plen - 1] == '/') {
		dir_only = true;
		plen--;
	}
	if (plen == 0)
		return false;
	pend = p + plen;
	if (memchr(p, '/', plen))
		anchored = true;

	/*
	 * Try the path itself, then each of its parent directories: a match
	 * on a directory covers everything below it. A pattern without a
	 * '/' matches a base name at any depth; one with a '/' is relative
	 * to the top.
	 */
	end = pathlen;
	for (;;) {
		bool cand_dir = end == pathlen ? is_dir : true;

		if (!dir_only || cand_dir) {
			size_t start = 0;

			if (!anchored) {
				start = end;
				while (start > 0 && path[start - 1] != '/')
					start--;
			}
			if (match(p, pend, path + start, end - start))
				return true;
		}
		while (end > 0 && path[end - 1] != '/')
			end--;
		if (end == 0)
			break;
		end--;		/* drop the '/' */
		if (end == 0)
			break;
	}

	/*
	 * "dir/" + "**" matches everything below dir: say so for dir, so
	 * a walker can prune it instead of visiting every entry.
	 */
	if (is_dir && plen >= 3 && memcmp(pend - 3, "/**", 3) == 0)
		return match(p, pend - 3, path, pathlen);
	return false;
}
