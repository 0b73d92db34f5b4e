/*
 * srctl init: start using srctl in a repository. Writes a commented
 * starter .srctl.yaml and, with --hook, a git pre-commit hook that runs
 * 'srctl validate --staged' on what is about to be committed. Both are
 * written atomically, and neither replaces an existing file without
 * --force.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fs.h"
#include "cmd.h"
#include "exitcode.h"
#include "gitx/gitx.h"
#include "opt.h"
#include "base/banned.h"

static const char starter_config[] =
	"# srctl configuration, written by 'srctl init'. Every key is optional;\n"
	"# see docs/configuration.md.\n"
	"\n"
	"# Which files to check: globs relative to this file. Without include,\n"
	"# every YAML file that .gitignore does not ignore is checked.\n"
	"# include:\n"
	"#   - \"services/**\"\n"
	"exclude:\n"
	"  - \"**/testdata/**\"\n"
	"\n"
	"# Rule severities: error, warning, info or off ('srctl rules' lists them).\n"
	"rules: {}\n"
	"#  timeout/step-clamped: warning\n"
	"\n"
	"# The endpoints the health-probe contract expects.\n"
	"probes:\n"
	"  readiness_path: /health/ready\n"
	"  liveness_path: /health/live\n";

/* The marker that says a hook is ours to replace. */
#define HOOK_MARK "# installed by 'srctl init --hook'"

static const char hook_script[] =
	"#!/bin/sh\n"
	HOOK_MARK "\n"
	"# Checks the staged content (not the work tree) of what is about to\n"
	"# be committed. Skip once with 'git commit --no-verify'; set SRCTL to\n"
	"# use another srctl binary.\n"
	"exec \"${SRCTL:-srctl}\" validate --staged\n";

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* Write 'data' to 'path' atomically with mode 'mode'. */
static int write_file(const char *path, const char *data, mode_t mode)
{
	struct sr_buf tmp = SR_BUF_INIT;
	int rc = 0;

	sr_buf_addf(&tmp, "%s.srctl-new", path);
	if (sr_fs_write_atomic(tmp.ptr, data, strlen(data)) < 0) {
		fprintf(stderr, "srctl: %s\n", sr_error_last());
		rc = SR_ERROR;
	} else if (chmod(tmp.ptr, mode) < 0 || rename(tmp.ptr, path) < 0) {
		fprintf(stderr, "srctl: cannot write '%s': %s\n", path,
			strerror(errno));
		unlink(tmp.ptr);
		rc = SR_ERROR;
	}
	sr_buf_release(&tmp);
	return rc;
}

static int mkdirs(char *dir)
{
	char *p;

	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(dir, 0777) < 0 && errno != EEXIST ? -1 : 0;
}

static int install_hook(const char *path, bool force)
{
	struct sr_gitx *g = sr_gitx_open(path);
	struct sr_buf hook = SR_BUF_INIT;
	char *dir = NULL, *old = NULL;
	size_t len = 0;
	int rc = SR_EXIT_OK;

	if (!g) {
		fprintf(stderr, "srctl init: '%s' is not inside a git work tree; --hook needs one\n",
			path);
		return SR_EXIT_USAGE;
	}
	if (sr_gitx_hooks_dir(g, &dir) < 0) {
		fprintf(stderr, "srctl init: %s\n", sr_error_last());
		rc = SR_EXIT_RUNTIME;
		goto done;
	}
	if (mkdirs(dir) < 0) {
		fprintf(stderr, "srctl: cannot create '%s': %s\n", dir,
			strerror(errno));
		rc = SR_EXIT_RUNTIME;
		goto done;
	}
	sr_buf_addf(&hook, "%s/pre-commit", dir);
	if (exists(hook.ptr) && !force) {
		/* ours (an older copy) may be replaced; someone else's not */
		if (sr_fs_read(&old, &len, hook.ptr, 1u << 20) < 0 ||
		    !strstr(old, HOOK_MARK)) {
			fprintf(stderr, "srctl init: '%s' exists and was not written by srctl; "
				"use --force to replace it\n", hook.ptr);
			rc = SR_EXIT_USAGE;
			goto done;
		}
	}
	if (write_file(hook.ptr, hook_script, 0755) < 0) {
		rc = SR_EXIT_RUNTIME;
		goto done;
	}
	fprintf(stderr, "srctl init: installed the pre-commit hook '%s'\n",
		hook.ptr);
done:
	sr_error_clear();
	free(old);
	free(dir);
	sr_buf_release(&hook);
	sr_gitx_free(g);
	return rc;
}

int cmd_init(int argc, char **argv)
{
	static const struct sr_usage usage = {
		"srctl init [--hook] [--force] [PATH]",
		"Write a starter .srctl.yaml in PATH (default: the current\n"
		"directory). With --hook, also install a git pre-commit hook that\n"
		"runs 'srctl validate --staged' (in core.hooksPath when set, else\n"
		".git/hooks); an existing .srctl.yaml is then kept.",
		"Neither file replaces an existing one without --force (a hook that\n"
		"srctl init wrote itself is replaced). Exit codes: 0 written,\n"
		"2 usage error or a file exists, 3 a file could not be written.\n"
	};
	bool hook = false, force = false;
	const struct sr_opt opts[] = {
		SR_OPT_BOOL(0, "hook", &hook,
			    "also install a git pre-commit hook"),
		SR_OPT_BOOL(0, "force", &force, "replace existing files"),
		SR_OPT_END()
	};
	struct sr_opt_list paths = { { 0 }, 0 };
	struct sr_buf cfg = SR_BUF_INIT;
	const char *path;
	struct stat st;
	int r, rc = SR_EXIT_OK;

	r = sr_opt_parse("init", &usage, opts, argc, argv, &paths);
	if (r == SR_OPT_HELP)
		return SR_EXIT_OK;
	if (r < 0)
		return SR_EXIT_USAGE;
	if (paths.n > 1) {
		fprintf(stderr, "srctl init: takes one PATH, got %d\n", paths.n);
		return SR_EXIT_USAGE;
	}
	path = paths.n ? paths.v[0] : ".";
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "srctl: cannot use '%s': %s\n", path,
			errno && stat(path, &st) != 0 ? strerror(errno) :
			"not a directory");
		return SR_EXIT_USAGE;
	}
	sr_buf_addf(&cfg, "%s/.srctl.yaml", path);
	if (exists(cfg.ptr) && !force) {
		if (!hook) {
			fprintf(stderr, "srctl init: '%s' already exists; use --force to replace it\n",
				cfg.ptr);
			rc = SR_EXIT_USAGE;
			goto done;
		}
		fprintf(stderr, "srctl init: keeping the existing '%s'\n",
			cfg.ptr);
	} else if (write_file(cfg.ptr, starter_config, 0644) < 0) {
		rc = SR_EXIT_RUNTIME;
		goto done;
	} else {
		fprintf(stderr, "srctl init: wrote '%s'\n", cfg.ptr);
	}
	if (hook)
		rc = install_hook(path, force);
done:
	sr_buf_release(&cfg);
	return rc;
}
