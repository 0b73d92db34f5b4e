/*
 * GitLab Code Quality: a JSON array of issues, one per finding, which
 * GitLab shows in merge requests (artifacts:reports:codequality):
 *
 *   [{"description": MESSAGE, "check_name": RULE, "fingerprint": HEX,
 *     "severity": "major", "location": {"path": P, "lines": {"begin": L}}}]
 *
 * GitLab matches issues across pipelines by fingerprint, so it must not
 * move with the line: it hashes the rule, the file and the node's JSON
 * pointer (the message when there is none), plus a count for repeats of
 * the same three. Severities: error major, warning minor, info info.
 */
#include <string.h>

#include "base/buf.h"
#include "report/formats.h"
#include "base/banned.h"

/* 64-bit FNV-1a, continuing from 'h'. */
static unsigned long long fnv(unsigned long long h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	h ^= 0xff;	/* a separator no UTF-8 text contains */
	h *= 0x100000001b3ULL;
	return h;
}

static unsigned long long key_of(const struct sr_finding *f)
{
	unsigned long long h = 0xcbf29ce484222325ULL;

	h = fnv(h, f->rule);
	h = fnv(h, f->relpath ? f->relpath : f->path);
	return fnv(h, f->pointer ? f->pointer : f->message);
}

static const char *severity(enum sr_severity sev)
{
	switch (sev) {
	case SR_SEV_ERROR:
		return "major";
	case SR_SEV_WARNING:
		return "minor";
	default:
		return "info";
	}
}

void sr_report__codequality(struct sr_buf *b, const struct sr_findings *list)
{
	struct sr_buf fp = SR_BUF_INIT;
	struct sr_jw w;
	size_t i, j;

	sr_jw_init(&w, b, true);
	sr_jw_open(&w, NULL, '[');
	for (i = 0; i < list->n; i++) {
		const struct sr_finding *f = &list->v[i];
		unsigned long long key = key_of(f), repeat = 0;

		/* earlier findings with the same key make this one unique */
		for (j = 0; j < i; j++)
			repeat += key_of(&list->v[j]) == key;
		sr_buf_reset(&fp);
		sr_buf_addf(&fp, "%016llx", key);
		if (repeat)
			sr_buf_addf(&fp, "-%llu", repeat);
		sr_jw_open(&w, NULL, '{');
		sr_jw_str(&w, "description", f->message);
		sr_jw_str(&w, "check_name", f->rule);
		sr_jw_str(&w, "fingerprint", fp.ptr);
		sr_jw_str(&w, "severity", severity(f->severity));
		sr_jw_open(&w, "location", '{');
		sr_jw_str(&w, "path", f->relpath ? f->relpath : f->path);
		sr_jw_open(&w, "lines", '{');
		sr_jw_uint(&w, "begin", f->start.line ? f->start.line : 1);
		sr_jw_close(&w, '}');
		sr_jw_close(&w, '}');
		sr_jw_close(&w, '}');
	}
	sr_jw_close(&w, ']');
	sr_buf_addc(b, '\n');
	sr_jw_release(&w);
	sr_buf_release(&fp);
}
