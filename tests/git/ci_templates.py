#!/usr/bin/env python3
"""The CI templates parse as YAML, have the keys their hosts read, their
shell steps pass 'bash -n', and srctl lint finds nothing in them.
Usage: ci_templates.py SRCTL SOURCE_DIR"""
import os
import re
import subprocess
import sys

import yaml

srctl, src = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def load(rel):
    with open(os.path.join(src, rel), encoding="utf-8") as f:
        return yaml.safe_load(f)


def bash_n(script, what):
    # ${{ ... }} is GitHub's, expanded before bash sees the script
    script = re.sub(r"\$\{\{.*?\}\}", "X", script)
    r = subprocess.run(["bash", "-n"], input=script, text=True,
                       capture_output=True)
    check(r.returncode == 0, f"{what}: bash -n: {r.stderr.strip()}")


files = [".pre-commit-hooks.yaml", "ci/action/action.yml",
         "ci/github/srctl.yml", "ci/gitlab/srctl.gitlab-ci.yml"]

# pre-commit: the two hooks, run on the system srctl, whole-service
hooks = {h["id"]: h for h in load(".pre-commit-hooks.yaml")}
check(set(hooks) == {"srctl-validate", "srctl-deps", "srctl-check-deps"},
      f"hook ids: {set(hooks)}")
for h in hooks.values():
    check(h.get("language") == "system", f"{h['id']}: language")
    check(h.get("pass_filenames") is False, f"{h['id']}: pass_filenames")
    check(h["entry"].split()[0] == "srctl", f"{h['id']}: entry")
    re.compile(h["files"])
check("--staged" in hooks["srctl-validate"]["entry"], "validate --staged")
check(hooks["srctl-deps"]["entry"].split()[:3] == ["srctl", "deps", "--staged"],
      "deps --staged")
deps_files = re.compile(hooks["srctl-deps"]["files"])
for name in ["package-lock.json", "svc/requirements.txt", "requirements-dev.txt",
             "a/b/pom.xml", "go.sum", "build.gradle.kts", "Cargo.lock"]:
    check(deps_files.search(name), f"srctl-deps files: {name}")
for name in ["svc/timeout.yaml", "notes.txt", "pom.xml.bak"]:
    check(not deps_files.search(name), f"srctl-deps files: not {name}")

# the composite action
a = load("ci/action/action.yml")
check(a["runs"]["using"] == "composite", "action: not composite")
uses = [s.get("uses", "") for s in a["runs"]["steps"]]
check(any(u.startswith("github/codeql-action/upload-sarif@") for u in uses),
      "action: no upload-sarif step")
for s in a["runs"]["steps"]:
    if "run" in s:
        check(s.get("shell") == "bash", f"action step {s['name']}: shell")
        bash_n(s["run"], f"action step {s['name']}")
check("--format sarif" in yaml.safe_dump(a), "action: no SARIF run")

# the example workflow ('on' is YAML 1.1's True for PyYAML)
w = load("ci/github/srctl.yml")
check(True in w or "on" in w, "workflow: no trigger")
check(w["permissions"].get("security-events") == "write",
      "workflow: security-events write")
steps = w["jobs"]["srctl"]["steps"]
check(any("/ci/action@" in s.get("uses", "") for s in steps),
      "workflow: does not use the action")

# GitLab: JUnit and Code Quality reports
g = load("ci/gitlab/srctl.gitlab-ci.yml")
job = g["srctl"]
rep = job["artifacts"]["reports"]
check(rep.get("junit") == "srctl-junit.xml", "gitlab: junit report")
check(rep.get("codequality") == "gl-code-quality-report.json",
      "gitlab: codequality report")
check(job["artifacts"].get("when") == "always", "gitlab: artifacts when")
for i, block in enumerate(job["before_script"] + job["script"]):
    bash_n("\n".join(block) if isinstance(block, list) else block,
           f"gitlab script {i}")
check("--format codequality" in yaml.safe_dump(job), "gitlab: no codequality run")

# srctl reads them as well-formed YAML too
r = subprocess.run([srctl, "lint", "--format", "short", "--no-gitignore"] +
                   [os.path.join(src, f) for f in files],
                   capture_output=True, text=True)
check(r.returncode == 0, f"srctl lint: exit {r.returncode}: {r.stdout}{r.stderr}")

if failures:
    print("\n".join("FAIL: " + f for f in failures), file=sys.stderr)
    sys.exit(1)
print(f"ok: {len(files)} CI templates")
