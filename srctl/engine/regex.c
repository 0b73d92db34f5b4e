#include "regex.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/xmalloc.h"
#include "base/banned.h"

/* Backtracking steps one match may take before it gives up. */
#define MATCH_LIMIT 1000000

struct sr_regex {
	pcre2_code *code;
	pcre2_match_context *mctx;
	char *source;
};

/* ECMA-262 WhiteSpace and LineTerminator, as the body of a class. */
#define ECMA_SPACE \
	"\\t\\n\\x{0b}\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}" \
	"\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}"

/* ECMA general category and property names that pcre2 only knows short. */
static const char *const long_props[][2] = {
	{ "Letter", "L" }, { "Cased_Letter", "L&" },
	{ "Uppercase_Letter", "Lu" }, { "Lowercase_Letter", "Ll" },
	{ "Titlecase_Letter", "Lt" }, { "Modifier_Letter", "Lm" },
	{ "Other_Letter", "Lo" }, { "Mark", "M" }, { "Combining_Mark", "M" },
	{ "Nonspacing_Mark", "Mn" }, { "Spacing_Mark", "Mc" },
	{ "Enclosing_Mark", "Me" }, { "Number", "N" },
	{ "Decimal_Number", "Nd" }, { "digit", "Nd" },
	{ "Letter_Number", "Nl" }, { "Other_Number", "No" },
	{ "Punctuation", "P" }, { "punct", "P" },
	{ "Connector_Punctuation", "Pc" }, { "Dash_Punctuation", "Pd" },
	{ "Open_Punctuation", "Ps" }, { "Close_Punctuation", "Pe" },
	{ "Initial_Punctuation", "Pi" }, { "Final_Punctuation", "Pf" },
	{ "Other_Punctuation", "Po" }, { "Symbol", "S" },
	{ "Math_Symbol", "Sm" }, { "Currency_Symbol", "Sc" },
	{ "Modifier_Symbol", "Sk" }, { "Other_Symbol", "So" },
	{ "Separator", "Z" }, { "Space_Separator", "Zs" },
	{ "Line_Separator", "Zl" }, { "Paragraph_Separator", "Zp" },
	{ "Other", "C" }, { "Control", "Cc" }, { "cntrl", "Cc" },
	{ "Format", "Cf" }, { "Surrogate", "Cs" }, { "Private_Use", "Co" },
	{ "Unassigned", "Cn" },
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Read exactly 'n' hex digits at p[*i]; -1 if they are not there. */
static long read_hex(const char *p, size_t len, size_t *i, size_t n)
{
	long v = 0;
	size_t k;

	if (*i + n > len)
		return -1;
	for (k = 0; k < n; k++) {
		int h = hexval(p[*i + k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	*i += n;
	return v;
}

/*
 * A \u escape at p[*i] (just past the "u"): \uXXXX, a surrogate pair of
 * two of them, or \u{X...}. Returns the code point or -1.
 */
static long read_u_escape(const char *p, size_t len, size_t *i)
{
	long hi, lo;
	size_t save;

	if (*i < len && p[*i] == '{') {
		long v = 0;
		size_t k = *i + 1, digits = 0;

		while (k < len && hexval(p[k]) >= 0 && v <= 0x10ffff) {
			v = v * 16 + hexval(p[k]);
			k++;
			digits++;
		}
		if (!digits || k >= len || p[k] != '}' || v > 0x10ffff)
			return -1;
		*i = k + 1;
		return v;
	}
	hi = read_hex(p, len, i, 4);
	if (hi < 0xd800 || hi > 0xdbff)
		return hi;
	save = *i;
	if (*i + 2 <= len && p[*i] == '\\' && p[*i + 1] == 'u') {
		*i += 2;
		lo = read_hex(p, len, i, 4);
		if (lo >= 0xdc00 && lo <= 0xdfff)
			return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	}
	*i = save;
	return hi;	/* a lone surrogate: pcre2 rejects it */
}

/* \p{...} or \P{...} at p[*i] (just past the letter). */
static int translate_property(struct sr_buf *out, char letter, const char *p,
			      size_t len, size_t *i)
{
	const char *name, *end, *eq;
	size_t nlen, k;

	if (*i >= len || p[*i] != '{')
		return -1;
	name = p + *i + 1;
	end = memchr(name, '}', len - (*i + 1));
	if (!end || end == name)
		return -1;
	*i = (size_t)(end - p) + 1;
	eq = memchr(name, '=', (size_t)(end - name));
	if (eq) {
		size_t klen = (size_t)(eq - name);

		if ((klen == 2 && !memcmp(name, "gc", 2)) ||
		    (klen == 16 && !memcmp(name, "General_Category", 16))) {
			name = eq + 1;
		} else if ((klen == 2 && !memcmp(name, "sc", 2)) ||
			   (klen == 6 && !memcmp(name, "Script", 6))) {
			sr_buf_addf(out, "\\%c{sc:%.*s}", letter,
				    (int)(end - eq - 1), eq + 1);
			return 0;
		} else if ((klen == 3 && !memcmp(name, "scx", 3)) ||
			   (klen == 17 &&
			    !memcmp(name, "Script_Extensions", 17))) {
			sr_buf_addf(out, "\\%c{scx:%.*s}", letter,
				    (int)(end - eq - 1), eq + 1);
			return 0;
		} else {
			return -1;
		}
	}
	nlen = (size_t)(end - name);
	for (k = 0; k < SR_ARRAY_SIZE(long_props); k++) {
		if (strlen(long_props[k][0]) == nlen &&
		    !memcmp(long_props[k][0], name, nlen)) {
			sr_buf_addf(out, "\\%c{%s}", letter, long_props[k][1]);
			return 0;
		}
	}
	sr_buf_addf(out, "\\%c{%.*s}", letter, (int)nlen, name);
	return 0;
}

/*
 * Translate an ECMA-262 pattern into pcre2 syntax. Returns 0, or -1 with
 * a reason in 'why' and the offending offset in '*at'.
 */
static int translate_ecma(struct sr_buf *out, const char *p, size_t len,
			  const char **why, size_t *at)
{
	size_t i = 0;
	bool in_class = false;

	while (i < len) {
		char c = p[i];
		size_t start = i;

		if (c == '\\') {
			char e;
			long cp;

			if (i + 1 >= len) {
				*why = "pattern ends with a backslash";
				*at = i;
				return -1;
			}
			e = p[i + 1];
			i += 2;
			switch (e) {
			case 'd': case 'D': case 'w': case 'W':
			case 'b': case 'B': case 'f': case 'n':
			case 'r': case 't':
				/* ASCII-only without PCRE2_UCP, as in ECMA */
				sr_buf_addc(out, '\\');
				sr_buf_addc(out, e);
				break;
			case 'v':
				sr_buf_adds(out, "\\x{0b}");
				break;
			case 's':
				sr_buf_adds(out, in_class ? ECMA_SPACE :
					    "[" ECMA_SPACE "]");
				break;
			case 'S':
				sr_buf_adds(out, in_class ? "\\S" :
					    "[^" ECMA_SPACE "]");
				break;
			case 'c':
				if (i < len && ((p[i] >= 'a' && p[i] <= 'z') ||
						(p[i] >= 'A' && p[i] <= 'Z'))) {
					sr_buf_addf(out, "\\x{%02x}",
						    (unsigned)(p[i] & 0x1f));
					i++;
					break;
				}
				*why = "\\c must be followed by a letter";
				*at = start;
				return -1;
			case '0':
				if (i < len && p[i] >= '0' && p[i] <= '9') {
					*why = "octal escapes are not allowed";
					*at = start;
					return -1;
				}
				sr_buf_adds(out, "\\x{0}");
				break;
			case '1': case '2': case '3': case '4': case '5':
			case '6': case '7': case '8': case '9':
				if (in_class) {
					*why = "backreference in a class";
					*at = start;
					return -1;
				}
				sr_buf_adds(out, "(?:\\");
				sr_buf_addc(out, e);
				while (i < len && p[i] >= '0' && p[i] <= '9')
					sr_buf_addc(out, p[i++]);
				sr_buf_addc(out, ')');
				break;
			case 'x':
				cp = read_hex(p, len, &i, 2);
				if (cp < 0) {
					*why = "\\x needs two hex digits";
					*at = start;
					return -1;
				}
				sr_buf_addf(out, "\\x{%lx}", cp);
				break;
			case 'u':
				cp = read_u_escape(p, len, &i);
				if (cp < 0) {
					*why = "malformed \\u escape";
					*at = start;
					return -1;
				}
				sr_buf_addf(out, "\\x{%lx}", cp);
				break;
			case 'p': case 'P':
				if (translate_property(out, e, p, len,
						       &i) < 0) {
					*why = "malformed property escape";
					*at = start;
					return -1;
				}
				break;
			case 'k':
				if (i >= len || p[i] != '<') {
					*why = "\\k must name a group";
					*at = start;
					return -1;
				}
				sr_buf_adds(out, "\\k");
				break;
			default:
				if ((e >= 'a' && e <= 'z') ||
				    (e >= 'A' && e <= 'Z') || e == '_') {
					*why = "unknown escape";
					*at = start;
					return -1;
				}
				/* an escaped punctuation character is itself */
				sr_buf_addc(out, '\\');
				sr_buf_addc(out, e);
				break;
			}
			continue;
		}
		if (in_class) {
			if (c == ']')
				in_class = false;
			if (c == '[')
				sr_buf_adds(out, "\\[");	/* not [: */
			else
				sr_buf_addc(out, c);
			i++;
			continue;
		}
		switch (c) {
		case '(':
			/*
			 * ECMA groups: (?:, (?=, (?!, (?<=, (?<!, (?<name>;
			 * not pcre2's (?i), (?P<x>, (?#...) or (*VERB)
			 */
			if (i + 1 < len && (p[i + 1] == '*' ||
			    (p[i + 1] == '?' &&
			     !(i + 2 < len && p[i + 2] &&
			       strchr(":=!<", p[i + 2]))))) {
				*why = "unsupported group syntax";
				*at = i;
				return -1;
			}
			sr_buf_addc(out, c);
			i++;
			continue;
		case '[':
			if (i + 2 < len && p[i + 1] == '^' && p[i + 2] == ']') {
				sr_buf_adds(out, "[\\s\\S]");
				i += 3;
				continue;
			}
			if (i + 1 < len && p[i + 1] == ']') {
				sr_buf_adds(out, "(?!)");
				i += 2;
				continue;
			}
			in_class = true;
			sr_buf_addc(out, '[');
			i++;
			if (i < len && p[i] == '^')
				sr_buf_addc(out, p[i++]);
			continue;
		case '.':
			sr_buf_adds(out, "[^\\n\\r\\x{2028}\\x{2029}]");
			i++;
			continue;
		default:
			sr_buf_addc(out, c);
			i++;
			continue;
		}
	}
	if (in_class) {
		*why = "missing terminating ] for character class";
		*at = len;
		return -1;
	}
	return 0;
}

/*
 * valgrind cannot follow JIT-compiled code and reports its word-sized
 * reads as uses of uninitialised memory; under valgrind (which preloads
 * its vgpreload libraries) patterns are interpreted instead.
 */
static bool jit_wanted(void)
{
	const char *preload = getenv("LD_PRELOAD");

	return !(preload && strstr(preload, "vgpreload"));
}

int sr_regex_new(struct sr_regex **out, const char *pattern, size_t len,
		 unsigned flags)
{
	struct sr_buf tr = SR_BUF_INIT;
	struct sr_regex *re = NULL;
	const char *src = pattern, *why = NULL;
	size_t srclen = len, at = 0;
	PCRE2_SIZE off = 0;
	int err = 0, ret = SR_EINVALID;
	uint32_t opts = PCRE2_UTF | PCRE2_DOLLAR_ENDONLY |
			PCRE2_NEVER_BACKSLASH_C;
	pcre2_code *code = NULL;

	*out = NULL;
	if (flags & SR_REGEX_ECMA) {
		if (translate_ecma(&tr, pattern, len, &why, &at) < 0) {
			sr_error_set("invalid regular expression '%.*s': %s "
				     "at offset %zu",
				     (int)len, pattern, why, at);
			goto done;
		}
		src = sr_buf_cstr(&tr);
		srclen = tr.len;
	}
	code = pcre2_compile((PCRE2_SPTR)src, srclen, opts, &err, &off, NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(err, msg, sizeof(msg));
		sr_error_set("invalid regular expression '%.*s': %s",
			     (int)len, pattern, (const char *)msg);
		goto done;
	}
	/* without a JIT pcre2 interprets the pattern: slower, same result */
	if (jit_wanted())
		(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	re = sr_xcalloc(1, sizeof(*re));
	re->code = code;
	code = NULL;
	re->mctx = pcre2_match_context_create(NULL);
	if (!re->mctx) {
		sr_error_set("out of memory");
		ret = SR_ERROR;
		goto done;
	}
	pcre2_set_match_limit(re->mctx, MATCH_LIMIT);
	re->source = sr_xstrndup(pattern, len);
	*out = re;
	re = NULL;
	ret = 0;
done:
	sr_regex_free(re);
	pcre2_code_free(code);
	sr_buf_release(&tr);
	return ret;
}

int sr_regex_search(const struct sr_regex *re, const char *s, size_t len)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int rc;

	if (!md)
		return SR_ERROR;
	rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, md, re->mctx);
	pcre2_match_data_free(md);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return SR_ERROR;
}

const char *sr_regex_source(const struct sr_regex *re)
{
	return re->source;
}

void sr_regex_free(struct sr_regex *re)
{
	if (!re)
		return;
	pcre2_match_context_free(re->mctx);
	pcre2_code_free(re->code);
	free(re->source);
	free(re);
}
