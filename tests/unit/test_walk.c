/*
 * sr_walk over throwaway trees in a temporary directory: sorted order,
 * path normalisation, .git, symlinks (loops, out of the root, broken),
 * include/exclude globs, .gitignore in a repository made with libgit2,
 * explicit files, depth guard, early stop.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "base/buf.h"
#include "base/error.h"
#include "config/config.h"
#include "walk/walk.h"
#include "base/banned.h"
#include "harness.h"
#include "scratch.h"

static char tmp[PATH_MAX];
static char cwd0[PATH_MAX];

struct seen {
	struct sr_buf files;	/* "path|relpath|name[|explicit]\n" */
	struct sr_buf notes;	/* "path: why\n" */
	int stop_after;		/* stop with 42 after this many files */
	int n;
};

static int on_file(void *payload, const struct sr_walk_file *f)
{
	struct seen *s = payload;

	sr_buf_addf(&s->files, "%s|%s|%s%s\n", f->path, f->relpath, f->name,
		    f->explicit_arg ? "|explicit" : "");
	s->n++;
	if (s->stop_after && s->n >= s->stop_after)
		return 42;
	return 0;
}

static void on_note(void *payload, const char *path, const char *why)
{
	struct seen *s = payload;

	sr_buf_addf(&s->notes, "%s: %s\n", path, why);
}

static bool want_yaml(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && strcmp(name + n - 5, ".yaml") == 0;
}

static void seen_release(struct seen *s)
{
	sr_buf_release(&s->files);
	sr_buf_release(&s->notes);
	memset(s, 0, sizeof(*s));
}

/* Walk 'paths' from the current directory; returns sr_walk's result. */
static int walk(struct seen *s, const struct sr_config *cfg, bool git,
		const char *const *paths, int n)
{
	struct sr_walk_opts o;

	memset(&o, 0, sizeof(o));
	o.config = cfg;
	o.use_gitignore = git;
	o.want = want_yaml;
	o.on_file = on_file;
	o.on_note = on_note;
	o.payload = s;
	sr_buf_reset(&s->files);
	sr_buf_reset(&s->notes);
	s->n = 0;
	return sr_walk(paths, n, &o);
}

/*
 * tree/
 *   a.yaml  notes.txt  b/c.yaml  b/d.yml  z/x.yaml  vendor/v.yaml
 *   .git/config.yaml        (never walked)
 *   inlink -> b             (inside: followed)
 *   loop -> .               (a cycle)
 *   self -> self            (ELOOP)
 *   out -> ..               (outside the root)
 *   broken -> missing
 */
static void make_tree(void)
{
	mkdirs("tree");
	put("tree/a.yaml", "a: 1\n");
	put("tree/notes.txt", "x\n");
	put("tree/b/c.yaml", "c: 1\n");
	put("tree/b/d.yml", "d: 1\n");
	put("tree/z/x.yaml", "x: 1\n");
	put("tree/vendor/v.yaml", "v: 1\n");
	put("tree/.git/config.yaml", "g: 1\n");
	CHECK_INT(symlink("b", "tree/inlink"), 0);
	CHECK_INT(symlink(".", "tree/loop"), 0);
	CHECK_INT(symlink("self", "tree/self"), 0);
	CHECK_INT(symlink("..", "tree/out"), 0);
	CHECK_INT(symlink("missing", "tree/broken"), 0);
}

static void test_basic(void)
{
	struct seen s = { 0 };
	const char *dot[] = { "." };
	const char *tree[] = { "tree" };
	const char *messy[] = { "./tree//b/" };
	int rc;

	rc = walk(&s, NULL, false, tree, 1);
	CHECK_INT(rc, 0);
	CHECK_STR(sr_buf_cstr(&s.files),
		  "tree/a.yaml|a.yaml|a.yaml\n"
		  "tree/b/c.yaml|b/c.yaml|c.yaml\n"
		  "tree/inlink/c.yaml|inlink/c.yaml|c.yaml\n"
		  "tree/vendor/v.yaml|vendor/v.yaml|v.yaml\n"
		  "tree/z/x.yaml|z/x.yaml|x.yaml\n");
	CHECK_STR(sr_buf_cstr(&s.notes),
		  "tree/broken: broken symlink\n"
		  "tree/loop: symlink loop\n"
		  "tree/out: symlink points outside the root\n"
		  "tree/self: symlink loop\n");

	/* "." shows paths without a prefix */
	CHECK_INT(chdir("tree"), 0);
	rc = walk(&s, NULL, false, dot, 1);
	CHECK_INT(rc, 0);
	CHECK_STR(sr_buf_cstr(&s.files),
		  "a.yaml|a.yaml|a.yaml\n"
		  "b/c.yaml|b/c.yaml|c.yaml\n"
		  "inlink/c.yaml|inlink/c.yaml|c.yaml\n"
		  "vendor/v.yaml|vendor/v.yaml|v.yaml\n"
		  "z/x.yaml|z/x.yaml|x.yaml\n");
	CHECK_STR(sr_buf_cstr(&s.notes),
		  "broken: broken symlink\n"
		  "loop: symlink loop\n"
		  "out: symlink points outside the root\n"
		  "self: symlink loop\n");
	/* no paths at all means "." */
	rc = walk(&s, NULL, false, NULL, 0);
	CHECK_INT(rc, 0);
	CHECK(strncmp(sr_buf_cstr(&s.files), "a.yaml|", 7) == 0);
	CHECK_INT(s.n, 5);
	CHECK_INT(chdir(".."), 0);

	/* "./" and doubled or trailing slashes are normalised away */
	rc = walk(&s, NULL, false, messy, 1);
	CHECK_INT(rc, 0);
	CHECK_STR(sr_buf_cstr(&s.files), "tree/b/c.yaml|c.yaml|c.yaml\n");

	/* the root's own .git is skipped even when walked from inside */
	CHECK(!strstr(sr_buf_cstr(&s.files), ".git"));
	seen_release(&s);
}

static void test_explicit_and_errors(void)
{
	struct seen s = { 0 };
	const char *files[] = { "./tree/b/d.yml", "tree/vendor/v.yaml" };
	const char *missing[] = { "tree", "nope" };
	int rc;

	/* named files are visited even when want() would say no */
	rc = walk(&s, NULL, false, files, 2);
	CHECK_INT(rc, 0);
	CHECK_STR(sr_buf_cstr(&s.files),
		  "tree/b/d.yml|d.yml|d.yml|explicit\n"
		  "tree/vendor/v.yaml|v.yaml|v.yaml|explicit\n");

	/* a missing path fails before anything is visited */
	rc = walk(&s, NULL, false, missing, 2);
	CHECK_INT(rc, SR_ERROR);
	CHECK_STR(sr_error_last(),
		  "cannot access 'nope': No such file or directory");
	CHECK_INT(s.n, 0);
	seen_release(&s);
}

static void test_stop(void)
{
	struct seen s = { 0 };
	const char *tree[] = { "tree" };

	s.stop_after = 2;
	CHECK_INT(walk(&s, NULL, false, tree, 1), 42);
	CHECK_INT(s.n, 2);
	seen_release(&s);
}

static void test_config_globs(void)
{
	struct seen s = { 0 };
	struct sr_config cfg;
	char *exclude[] = { "vendor/**", "tree/z/" };
	char *include[] = { "**/b/*.yaml", "tree/a.yaml", "vendor/**" };
	const char *tree[] = { "tree" };
	const char *vendor[] = { "tree/vendor" };
	const char *named[] = { "tree/z/x.yaml" };
	int rc;

	/* globs are relative to the configuration's directory (here: tmp) */
	memset(&cfg, 0, sizeof(cfg));
	cfg.dir = tmp;
	cfg.exclude = exclude;
	cfg.n_exclude = 2;
	rc = walk(&s, &cfg, false, tree, 1);
	CHECK_INT(rc, 0);
	/* the vendor glob is anchored at tmp, so tree/vendor stays */
	CHECK_STR(sr_buf_cstr(&s.files),
		  "tree/a.yaml|a.yaml|a.yaml\n"
		  "tree/b/c.yaml|b/c.yaml|c.yaml\n"
		  "tree/inlink/c.yaml|inlink/c.yaml|c.yaml\n"
		  "tree/vendor/v.yaml|vendor/v.yaml|v.yaml\n");

	/* now relative to tree itself */
	cfg.dir = "tree";
	rc = walk(&s, &cfg, false, tree, 1);
	CHECK_INT(rc, 0);
	CHECK_STR(sr_buf_cstr(&s.files),
		  "tree/a.yaml|a.yaml|a.yaml\n"
		  "tree/b/c.yaml|b/c.yaml|c.yaml\n"
		  "tree/inlink/c.yaml|inlink/c.yaml|c.yaml\n"
		  "tree/z/x.yaml|z/x.yaml|x.yaml\n");

	/* a root the user named is walked even if it is excluded */
	rc = walk(&s, &cfg, false, vendor, 1);
	CHECK_INT(rc, 0);
	CHECK_STR(sr_buf_cstr(&s.files),
		  "tree/vendor/v.yaml|v.yaml|v.yaml\n");

	/* include selects files; directories are still descended */
	cfg.dir = tmp;
	cfg.n_exclude = 0;
	cfg.include = include;
	cfg.n_include = 3;
	rc = walk(&s, &cfg, false, tree, 1);
	CHECK_INT(rc, 0);
	CHECK_STR(sr_buf_cstr(&s.files),
		  "tree/a.yaml|a.yaml|a.yaml\n"
		  "tree/b/c.yaml|b/c.yaml|c.yaml\n");

	/* a named file is visited whatever the globs say */
	rc = walk(&s, &cfg, false, named, 1);
	CHECK_INT(rc, 0);
	CHECK_STR(sr_buf_cstr(&s.files),
		  "tree/z/x.yaml|x.yaml|x.yaml|explicit\n");
	seen_release(&s);
}

static void test_depth(void)
{
	struct seen s = { 0 };
	struct sr_buf p = SR_BUF_INIT;
	const char *deep[] = { "deep" };
	int i;

	sr_buf_adds(&p, "deep");
	for (i = 0; i < 260; i++)
		sr_buf_adds(&p, "/d");
	mkdirs(p.ptr);
	sr_buf_adds(&p, "/bottom.yaml");
	put(p.ptr, "x: 1\n");
	CHECK_INT(walk(&s, NULL, false, deep, 1), 0);
	CHECK_INT(s.n, 0);
	CHECK(strstr(sr_buf_cstr(&s.notes), "deeper than 256 levels") != NULL);
	rm_rf("deep");
	sr_buf_release(&p);
	seen_release(&s);
}

static void test_unreadable(void)
{
	struct seen s = { 0 };
	const char *locked[] = { "locked" };

	if (geteuid() == 0)
		return;	/* root reads everything */
	put("locked/sub/a.yaml", "a: 1\n");
	chmod("locked/sub", 0);
	CHECK_INT(walk(&s, NULL, false, locked, 1), 0);
	CHECK_STR(sr_buf_cstr(&s.notes), "locked/sub: Permission denied\n");
	chmod("locked/sub", 0755);
	rm_rf("locked");
	seen_release(&s);
}

/*
 * repo/ (made with libgit2)
 *   .gitignore: build/  *.tmp.yaml  secret.yaml  logs/  !keep.yaml
 *   .git/info/exclude: info.yaml
 *   sub/.gitignore: local.yaml
 *   a.yaml b.tmp.yaml secret.yaml info.yaml keep.yaml build/x.yaml
 *   sub/local.yaml sub/ok.yaml sub/deeper/local.yaml logs/l.yaml
 */
static void make_repo(void)
{
	git_repository *repo = NULL;

	CHECK_INT(git_repository_init(&repo, "repo", 0), 0);
	git_repository_free(repo);
	put("repo/.gitignore",
	    "# generated\nbuild/\n*.tmp.yaml\nsecret.yaml\nlogs/\n"
	    "!keep.yaml\n");
	put("repo/.git/info/exclude", "info.yaml\n");
	put("repo/sub/.gitignore", "local.yaml\n");
	put("repo/a.yaml", "a: 1\n");
	put("repo/b.tmp.yaml", "b: 1\n");
	put("repo/secret.yaml", "s: 1\n");
	put("repo/info.yaml", "i: 1\n");
	put("repo/keep.yaml", "k: 1\n");
	put("repo/build/x.yaml", "x: 1\n");
	put("repo/sub/local.yaml", "l: 1\n");
	put("repo/sub/ok.yaml", "o: 1\n");
	put("repo/sub/deeper/local.yaml", "l: 1\n");
	put("repo/logs/l.yaml", "l: 1\n");
}

static void test_gitignore(void)
{
	struct seen s = { 0 };
	const char *repo[] = { "repo" };
	const char *build[] = { "repo/build" };
	const char *sub[] = { "repo/sub" };
	const char *both[] = { "repo/sub", "repo/build/x.yaml" };
	int rc;

	make_repo();
	rc = walk(&s, NULL, true, repo, 1);
	CHECK_INT(rc, 0);
	CHECK_STR(sr_buf_cstr(&s.files),
		  "repo/a.yaml|a.yaml|a.yaml\n"
		  "repo/keep.yaml|keep.yaml|keep.yaml\n"
		  "repo/sub/ok.yaml|sub/ok.yaml|ok.yaml\n");
	CHECK_STR(sr_buf_cstr(&s.notes), "");

	/* without use_gitignore everything but .git is there */
	rc = walk(&s, NULL, false, repo, 1);
	CHECK_INT(rc, 0);
	CHECK_INT(s.n, 10);

	/* an ignored directory named explicitly is walked */
	rc = walk(&s, NULL, true, build, 1);
	CHECK_INT(rc, 0);
	CHECK_STR(sr_buf_cstr(&s.files), "repo/build/x.yaml|x.yaml|x.yaml\n");

	/* a root below the top still sees the rules above and its own */
	rc = walk(&s, NULL, true, sub, 1);
	CHECK_INT(rc, 0);
	CHECK_STR(sr_buf_cstr(&s.files), "repo/sub/ok.yaml|ok.yaml|ok.yaml\n");

	/* an ignored file named explicitly is visited */
	rc = walk(&s, NULL, true, both, 2);
	CHECK_INT(rc, 0);
	CHECK_STR(sr_buf_cstr(&s.files),
		  "repo/sub/ok.yaml|ok.yaml|ok.yaml\n"
		  "repo/build/x.yaml|x.yaml|x.yaml|explicit\n");

	/* outside any repository use_gitignore changes nothing */
	rc = walk(&s, NULL, true, (const char *[]){ "tree" }, 1);
	CHECK_INT(rc, 0);
	CHECK_INT(s.n, 5);
	seen_release(&s);
}

int main(void)
{
	const char *base = getenv("TMPDIR");
	char home[PATH_MAX + 8], made[PATH_MAX];

	if (!base || !*base)
		base = "/tmp";
	snprintf(made, sizeof(made), "%s/srctl-walk-XXXXXX", base);
	if (!mkdtemp(made) || !realpath(made, tmp) ||
	    !getcwd(cwd0, sizeof(cwd0)) || chdir(tmp) < 0) {
		perror("srctl-walk temp dir");
		return 1;
	}
	/* keep the user's own excludes file and git config out of it */
	snprintf(home, sizeof(home), "%s/home", tmp);
	mkdir(home, 0755);
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", home, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	git_libgit2_init();

	make_tree();
	test_basic();
	test_explicit_and_errors();
	test_stop();
	test_config_globs();
	test_depth();
	test_unreadable();
	test_gitignore();

	if (chdir(cwd0) < 0)
		perror("chdir");
	rm_rf(tmp);
	git_libgit2_shutdown();
	return sr_test_done();
}
