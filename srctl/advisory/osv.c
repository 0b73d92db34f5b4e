/*
 * OSV records (https://ossf.github.io/osv-schema/, 1.2 to 1.7): read
 * files and directories, parse each with the document model's JSON
 * entry point, keep what matching needs.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "advisory/advisory.h"
#include "advisory/internal.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/fs.h"
#include "base/xmalloc.h"
#include "doc/doc.h"
#include "base/banned.h"

#define OSV_MAX_FILE (64u << 20)
#define OSV_MAX_DEPTH 64

struct reader {
	struct sr_advisory_set *set;
	const char *path;	/* the file being read */
	bool failed;		/* a parse problem was reported */
};

static struct sr_pos pos_of(const struct sr_node *n)
{
	struct sr_pos none = { 0, 0, 0 };

	return n ? n->start : none;
}

static void on_json_problem(void *payload, const char *rule,
			    struct sr_pos pos, const char *message)
{
	struct reader *r = payload;

	(void)rule;
	if (r->failed)
		return;	/* the first problem says enough */
	r->failed = true;
	sr_adv__problem(r->set, SR_SEV_ERROR, r->path, pos,
			"malformed advisory, not used: %s", message);
}

/* A string member, or NULL; a member of another type is a warning. */
static const char *get_str(struct reader *r, const struct sr_node *map,
			   const char *key)
{
	const struct sr_node *v = sr_map_get(map, key);

	if (!v || sr_node_is_null(v))
		return NULL;
	if (!sr_node_is_scalar(v) || !sr_node_str(v)) {
		sr_adv__problem(r->set, SR_SEV_WARNING, r->path, pos_of(v),
				"'%s' must be a string, got %s; ignored", key,
				sr_node_type_name(v));
		return NULL;
	}
	return sr_node_str(v);
}

/* A list member, or NULL (absent, null or not a list: warned). */
static const struct sr_node *get_seq(struct reader *r,
				     const struct sr_node *map,
				     const char *key)
{
	const struct sr_node *v = sr_map_get(map, key);

	if (!v || sr_node_is_null(v))
		return NULL;
	if (!sr_node_is_seq(v)) {
		sr_adv__problem(r->set, SR_SEV_WARNING, r->path, pos_of(v),
				"'%s' must be a list, got %s; ignored", key,
				sr_node_type_name(v));
		return NULL;
	}
	return v;
}

static void read_severity(struct reader *r, struct sr_advisory *a,
			  const struct sr_node *rec)
{
	const struct sr_node *list = get_seq(r, rec, "severity");
	const struct sr_node *db = sr_map_get(rec, "database_specific");
	size_t i;

	for (i = 0; list && i < list->u.seq.n; i++) {
		const struct sr_node *s = list->u.seq.items[i];
		const char *type = sr_node_str(sr_map_get(s, "type"));
		const char *vec = sr_node_str(sr_map_get(s, "score"));
		double score;

		if (!type || strcmp(type, "CVSS_V3") || !vec)
			continue;
		score = sr_cvss3_base_score(vec);
		if (score < 0) {
			sr_adv__problem(r->set, SR_SEV_WARNING, r->path,
					pos_of(sr_map_get(s, "score")),
					"not a CVSS 3.x base vector: '%s'", vec);
			continue;
		}
		a->score = score;
		a->severity = sr_adv__severity_of_score(score);
		return;
	}
	if (sr_node_is_map(db) &&
	    sr_adv__severity_of_word(sr_node_str(sr_map_get(db, "severity")),
				     &a->severity))
		return;
	a->severity = SR_SEV_ERROR;
}

static const char *const event_keys[] = {
	"introduced", "fixed", "last_affected", "limit"
};

/* One range; false when it cannot be used (warned). */
static bool read_range(struct reader *r, const struct sr_node *rn,
		       enum sr_ecosystem eco, struct sr_adv_range *out)
{
	const char *type = get_str(r, rn, "type");
	const struct sr_node *events;
	size_t i, cap = 0;
	bool introduced = false;

	memset(out, 0, sizeof(*out));
	if (!type) {
		sr_adv__problem(r->set, SR_SEV_WARNING, r->path, pos_of(rn),
				"range without a 'type'; ignored");
		return false;
	}
	if (!strcmp(type, "GIT")) {
		if (!r->set->git_noted)
			sr_adv__problem(r->set, SR_SEV_INFO, r->path,
					pos_of(sr_map_get(rn, "type")),
					"GIT ranges are not evaluated (commit "
					"graphs are not versions); 'versions' "
					"lists and other ranges still are");
		r->set->git_noted = true;
		return false;
	}
	if (!strcmp(type, "SEMVER"))
		out->eco = SR_ECO_SEMVER;
	else if (!strcmp(type, "ECOSYSTEM"))
		out->eco = eco;
	else {
		sr_adv__problem(r->set, SR_SEV_WARNING, r->path,
				pos_of(sr_map_get(rn, "type")),
				"unknown range type '%s'; ignored", type);
		return false;
	}
	events = get_seq(r, rn, "events");
	for (i = 0; events && i < events->u.seq.n; i++) {
		const struct sr_node *e = events->u.seq.items[i];
		const struct sr_node *v = NULL;
		size_t k, found = SR_ARRAY_SIZE(event_keys);
		const char *s;

		if (!sr_node_is_map(e) || e->u.map.n != 1) {
			sr_adv__problem(r->set, SR_SEV_WARNING, r->path,
					pos_of(e), "an event must be an object "
					"with one of introduced, fixed, "
					"last_affected, limit; ignored");
			continue;
		}
		for (k = 0; k < SR_ARRAY_SIZE(event_keys); k++) {
			v = sr_map_get(e, event_keys[k]);
			if (v) {
				found = k;
				break;
			}
		}
		s = sr_node_str(v);
		if (found == SR_ARRAY_SIZE(event_keys) || !s || !*s) {
			sr_adv__problem(r->set, SR_SEV_WARNING, r->path,
					pos_of(e), "an event must be an object "
					"with one of introduced, fixed, "
					"last_affected, limit; ignored");
			continue;
		}
		out->ev = sr_xgrow(out->ev, &cap, out->n + 1,
				   sizeof(*out->ev));
		out->ev[out->n].kind = (enum sr_adv_event_kind)found;
		if ((found == SR_ADV_INTRODUCED && !strcmp(s, "0")) ||
		    (found == SR_ADV_LIMIT && !strcmp(s, "*")))
			out->ev[out->n].version = NULL;
		else
			out->ev[out->n].version = sr_xstrdup(s);
		if (found == SR_ADV_INTRODUCED)
			introduced = true;
		out->n++;
	}
	if (!introduced) {
		sr_adv__problem(r->set, SR_SEV_WARNING, r->path, pos_of(rn),
				"range without an 'introduced' event; ignored");
		for (i = 0; i < out->n; i++)
			free(out->ev[i].version);
		free(out->ev);
		memset(out, 0, sizeof(*out));
		return false;
	}
	return true;
}

static void read_affected(struct reader *r, struct sr_advisory *a,
			  const struct sr_node *af)
{
	const struct sr_node *pkg = sr_map_get(af, "package");
	const struct sr_node *ranges, *versions;
	const char *ecosystem, *name;
	struct sr_adv_affected *out;
	enum sr_ecosystem eco;
	size_t i, rcap = 0, vcap = 0;

	if (!sr_node_is_map(af)) {
		sr_adv__problem(r->set, SR_SEV_WARNING, r->path, pos_of(af),
				"'affected' entries must be objects; ignored");
		return;
	}
	if (!sr_node_is_map(pkg))
		return;	/* allowed: e.g. a record about a whole product */
	ecosystem = get_str(r, pkg, "ecosystem");
	name = get_str(r, pkg, "name");
	if (!ecosystem || !name || !sr_ecosystem_parse(ecosystem, &eco))
		return;	/* an ecosystem srctl has no ordering for */
	out = sr_xcalloc(1, sizeof(*out));
	out->adv = a;
	ranges = get_seq(r, af, "ranges");
	for (i = 0; ranges && i < ranges->u.seq.n; i++) {
		struct sr_adv_range rg;

		if (!sr_node_is_map(ranges->u.seq.items[i]) ||
		    !read_range(r, ranges->u.seq.items[i], eco, &rg))
			continue;
		out->ranges = sr_xgrow(out->ranges, &rcap, out->n_ranges + 1,
				       sizeof(*out->ranges));
		out->ranges[out->n_ranges++] = rg;
	}
	versions = get_seq(r, af, "versions");
	for (i = 0; versions && i < versions->u.seq.n; i++) {
		const char *s = sr_node_str(versions->u.seq.items[i]);

		if (!s)
			continue;
		out->versions = sr_xgrow(out->versions, &vcap,
					 out->n_versions + 1,
					 sizeof(*out->versions));
		out->versions[out->n_versions++] = sr_xstrdup(s);
	}
	if (!out->n_ranges && !out->n_versions) {
		sr_adv__affected_free(out);
		return;
	}
	sr_adv__add_affected(r->set, eco, name, out);
}

static void read_record(struct reader *r, const struct sr_node *rec)
{
	const struct sr_node *aliases, *affected;
	struct sr_advisory *a;
	const char *id;
	size_t i;

	if (!sr_node_is_map(rec) || !(id = get_str(r, rec, "id"))) {
		sr_adv__problem(r->set, SR_SEV_ERROR, r->path, pos_of(rec),
				"not an OSV record (no 'id'), not used");
		return;
	}
	if (sr_map_get(rec, "withdrawn") &&
	    !sr_node_is_null(sr_map_get(rec, "withdrawn")))
		return;
	a = sr_adv__new(r->set);
	a->id = sr_xstrdup(id);
	a->source = sr_adv__source(r->set, r->path);
	a->line = rec->start.line;
	if (get_str(r, rec, "summary"))
		a->summary = sr_xstrdup(get_str(r, rec, "summary"));
	aliases = get_seq(r, rec, "aliases");
	for (i = 0; aliases && i < aliases->u.seq.n; i++) {
		const char *s = sr_node_str(aliases->u.seq.items[i]);

		if (!s)
			continue;
		a->aliases = sr_xrealloc(a->aliases, (a->n_aliases + 1) *
					 sizeof(*a->aliases));
		a->aliases[a->n_aliases++] = sr_xstrdup(s);
	}
	read_severity(r, a, rec);
	affected = get_seq(r, rec, "affected");
	for (i = 0; affected && i < affected->u.seq.n; i++)
		read_affected(r, a, affected->u.seq.items[i]);
}

/*
 * Read 'path' into the set's reusable buffer (NUL-terminated): 50 000
 * small files should not cost 50 000 allocations. 0, SR_ETOOLARGE, or
 * SR_ERROR with the cause in sr_error_last().
 */
static int read_into(struct sr_advisory_set *set, const char *path,
		     size_t *len)
{
	struct stat st;
	size_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		sr_error_set("cannot open '%s': %s", path, strerror(errno));
		return SR_ERROR;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		sr_error_set("cannot read '%s': %s", path,
			     errno ? strerror(errno) : "not a regular file");
		close(fd);
		return SR_ERROR;
	}
	if ((unsigned long long)st.st_size > OSV_MAX_FILE) {
		close(fd);
		return SR_ETOOLARGE;
	}
	for (;;) {
		ssize_t r;

		if (n + 2 > set->readbuf_cap) {
			size_t cap = set->readbuf_cap ? set->readbuf_cap : 8192;

			while (cap < n + 2 || cap < (size_t)st.st_size + 2)
				cap *= 2;
			set->readbuf = sr_xrealloc(set->readbuf, cap);
			set->readbuf_cap = cap;
		}
		r = read(fd, set->readbuf + n, set->readbuf_cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			sr_error_set("cannot read '%s': %s", path,
				     strerror(errno));
			close(fd);
			return SR_ERROR;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > OSV_MAX_FILE) {
			close(fd);
			return SR_ETOOLARGE;
		}
	}
	close(fd);
	set->readbuf[n] = '\0';
	*len = n;
	return 0;
}

static int load_file(struct sr_advisory_set *set, const char *path)
{
	struct sr_doc_limits limits = SR_DOC_LIMITS_INIT;
	struct reader r = { set, path, false };
	struct sr_pos none = { 0, 0, 0 };
	struct sr_stream *s;
	const struct sr_node *root;
	const char *text;
	size_t len = 0, i;
	int rc;

	rc = read_into(set, path, &len);
	text = set->readbuf;
	if (rc == SR_ETOOLARGE) {
		sr_adv__problem(set, SR_SEV_ERROR, path, none,
				"advisory file larger than %u MiB, not used",
				OSV_MAX_FILE >> 20);
		return 0;
	}
	if (rc < 0) {
		sr_adv__problem(set, SR_SEV_ERROR, NULL, none, "%s",
				sr_error_last());
		return SR_ERROR;
	}
	if (!sr_adv__filter_wants(set, text, len)) {
		set->skipped++;
		return 0;
	}
	s = sr_stream_parse_json(text, len, &limits, on_json_problem, &r);
	root = s->n ? s->docs[0].root : NULL;
	if (!r.failed && !root)
		sr_adv__problem(set, SR_SEV_ERROR, path, none,
				"empty advisory file, not used");
	else if (!r.failed && sr_node_is_seq(root))
		for (i = 0; i < root->u.seq.n; i++)
			read_record(&r, root->u.seq.items[i]);
	else if (!r.failed)
		read_record(&r, root);
	sr_stream_free(s);
	return 0;
}

static bool is_json(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && !strcmp(name + n - 5, ".json");
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

static int load_dir(struct sr_advisory_set *set, const char *path, int depth)
{
	struct sr_pos none = { 0, 0, 0 };
	char **names = NULL;	/* d_type, then the name */
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (depth > OSV_MAX_DEPTH) {
		sr_adv__problem(set, SR_SEV_WARNING, path, none,
				"directory nesting deeper than %d levels; "
				"not searched", OSV_MAX_DEPTH);
		return 0;
	}
	d = opendir(path);
	if (!d) {
		sr_error_set("cannot open directory '%s': %s", path,
			     strerror(errno));
		sr_adv__problem(set, SR_SEV_ERROR, NULL, none, "%s",
				sr_error_last());
		return SR_ERROR;
	}
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de)
			break;
		if (de->d_name[0] == '.')
			continue;	/* ., .., .git and other hidden ones */
		names = sr_xgrow(names, &cap, n + 1, sizeof(*names));
		names[n] = sr_xmalloc(strlen(de->d_name) + 2);
		names[n][0] = (char)de->d_type;
		memcpy(names[n] + 1, de->d_name, strlen(de->d_name) + 1);
		n++;
	}
	if (errno) {
		sr_error_set("cannot read directory '%s': %s", path,
			     strerror(errno));
		sr_adv__problem(set, SR_SEV_ERROR, NULL, none, "%s",
				sr_error_last());
		rc = SR_ERROR;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n; i++) {
		struct sr_buf sub = SR_BUF_INIT;
		unsigned char type = (unsigned char)names[i][0];
		const char *name = names[i] + 1;
		struct stat st;
		int r2 = 0;

		sr_buf_adds(&sub, path);
		if (sub.len && sub.ptr[sub.len - 1] != '/')
			sr_buf_addc(&sub, '/');
		sr_buf_adds(&sub, name);
		/* d_type saves a stat per file; links and unknowns need one */
		if (type == DT_DIR) {
			r2 = load_dir(set, sub.ptr, depth + 1);
		} else if (type == DT_REG) {
			if (is_json(name))
				r2 = load_file(set, sub.ptr);
		} else if (stat(sub.ptr, &st) < 0) {
			if (is_json(name)) {
				sr_error_set("cannot read '%s': %s", sub.ptr,
					     strerror(errno));
				sr_adv__problem(set, SR_SEV_ERROR, NULL,
						none, "%s", sr_error_last());
				r2 = SR_ERROR;
			}
		} else if (S_ISDIR(st.st_mode)) {
			r2 = load_dir(set, sub.ptr, depth + 1);
		} else if (S_ISREG(st.st_mode) && is_json(name)) {
			r2 = load_file(set, sub.ptr);
		}
		if (r2 < 0 && rc == 0)
			rc = r2;
		sr_buf_release(&sub);
		free(names[i]);
	}
	free(names);
	return rc;
}

int sr_advisory_load_osv(struct sr_advisory_set *set, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		struct sr_pos none = { 0, 0, 0 };

		sr_error_set("cannot read advisories '%s': %s", path,
			     strerror(errno));
		sr_adv__problem(set, SR_SEV_ERROR, NULL, none, "%s",
				sr_error_last());
		return SR_ERROR;
	}
	if (S_ISDIR(st.st_mode))
		return load_dir(set, path, 0);
	return load_file(set, path);
}
