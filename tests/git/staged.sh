#!/bin/sh
# validate/lint --staged and --changed-since in throwaway repositories.
# usage: staged.sh SRCTL CASE
SRCTL=$1
CASE=$2
. "$(dirname "$0")/scope_lib.sh"

BOUNDS='pay/timeout.yaml:3:20: error: http.downstream.redis.base must be positive, got 0 [timeout/bounds]'

case "$CASE" in
staged-not-worktree)
	# staged with a violation, then fixed only in the work tree: the
	# commit would carry the violation, so --staged reports it
	new_repo "$T/r"
	contract_bad >pay/timeout.yaml
	git add pay/timeout.yaml
	contract_ok >pay/timeout.yaml
	run 1 validate --staged --format short
	expect_out <<OUT
$BOUNDS
OUT
	run 0 validate --format short
	# the text format shows the staged line, not the work tree's
	run 1 validate --staged --no-color
	expect_out <<'OUT'
pay/timeout.yaml:3:20: error: http.downstream.redis.base must be positive, got 0 [timeout/bounds]
    3 |     redis: { base: 0, multiplier: 1.5, max: 2000 }
      |                    ^
1 error, 0 warnings, 0 info in 1 file
OUT
	;;
worktree-not-staged)
	# the reverse: clean in the index, broken only in the work tree
	new_repo "$T/r"
	contract_bad >pay/timeout.yaml
	run 0 validate --staged --format short
	expect_out </dev/null
	run 0 validate --staged
	expect_out <<'OUT'
no findings in 0 files
OUT
	git add pay/timeout.yaml
	deployment redis >pay/k8s/deploy.yaml
	printf '  # edited\n' >>pay/k8s/deploy.yaml
	contract_ok >pay/timeout.yaml
	run 1 validate --staged --format short
	expect_out <<OUT
$BOUNDS
OUT
	;;
context-from-index)
	# only the deployment is staged; the cross-file rule reads the
	# contract from the index (which declares ledger), not the work tree;
	# the contract is context: its own findings are not reported
	new_repo "$T/r"
	contract_bad >pay/timeout.yaml
	cat >>pay/timeout.yaml <<'YAML'
    ledger: { base: 300, multiplier: 1.5, max: 900 }
YAML
	git commit -q -am "pay: ledger"
	printf '\n' >>pay/k8s/deploy.yaml
	git add pay/k8s/deploy.yaml
	contract_ok >pay/timeout.yaml	# not staged: ledger still declared
	run 1 validate --staged --format short
	expect_out <<'OUT'
pay/k8s/deploy.yaml:13:30: error: readiness probe of container 'app' in Deployment/pay does not check ledger from the timeout contract of pay [probe/readiness-deps]
OUT
	run 1 validate --staged
	expect_out <<'OUT'
pay/k8s/deploy.yaml:13:30: error: readiness probe of container 'app' in Deployment/pay does not check ledger from the timeout contract of pay [probe/readiness-deps]
   13 |             httpGet: { path: "/health/ready?include=redis", port: http }
      |                              ^
  fix: path: "/health/ready?include=redis,ledger"
1 error, 0 warnings, 0 info in 1 file
OUT
	;;
deleted-contract)
	# a contract deleted from the index: the service has none any more,
	# even though the file is still in the work tree
	new_repo "$T/r"
	deployment redis,ledger >pay/k8s/deploy.yaml
	git add pay/k8s/deploy.yaml
	run 1 validate --staged --format short --fail-on warning
	expect_out <<'OUT'
pay/k8s/deploy.yaml:13:30: warning: readiness probe of container 'app' in Deployment/pay checks ledger, not declared in the timeout contract of pay [probe/readiness-undeclared]
OUT
	git rm -q --cached pay/timeout.yaml
	[ -f pay/timeout.yaml ] || fail "the contract left the work tree"
	run 0 validate --staged --format short --fail-on warning
	expect_out </dev/null
	;;
deleted-file)
	# a deleted file is not checked
	new_repo "$T/r"
	contract_bad >pay/timeout.yaml
	git commit -q -am "bad contract"
	git rm -q pay/timeout.yaml
	run 0 validate --staged
	expect_out <<'OUT'
no findings in 0 files
OUT
	;;
rename)
	# a renamed file is checked at its new path
	new_repo "$T/r"
	contract_bad >pay/timeout.yaml
	git commit -q -am "bad contract"
	mkdir -p svc
	git mv pay svc/pay
	git status --short >"$T/status"
	grep -q '^R  pay/timeout.yaml -> svc/pay/timeout.yaml' "$T/status" ||
		fail "git did not record a rename"
	run 1 validate --staged --format short
	expect_out <<'OUT'
svc/pay/timeout.yaml:3:20: error: http.downstream.redis.base must be positive, got 0 [timeout/bounds]
OUT
	;;
merge)
	# after a merge commit, and during a conflicted merge: conflicted
	# files have no staged content yet and are left out
	new_repo "$T/r"
	git checkout -q -b topic
	contract_bad >pay/timeout.yaml
	commit "Bob" "2026-01-06T10:00:00Z" "topic: bad"
	git checkout -q main
	printf '# main\n' >>pay/k8s/deploy.yaml
	commit "Carol" "2026-01-06T11:00:00Z" "main: comment"
	git merge -q --no-edit topic
	run 0 validate --staged --format short
	expect_out </dev/null
	git checkout -q -b other HEAD~1
	cat >pay/timeout.yaml <<'YAML'
http:
  downstream:
    redis: { base: 900, multiplier: 1.5, max: 2000 }
YAML
	commit "Dan" "2026-01-06T12:00:00Z" "other: 900"
	mkdir -p inv
	contract_bad >inv/timeout.yaml
	git add inv/timeout.yaml
	git commit -q -m "inv"
	git checkout -q main
	git merge -q --no-edit other >/dev/null 2>&1 &&
		fail "the merge was expected to conflict"
	run 1 validate --staged --format short
	expect_out <<'OUT'
inv/timeout.yaml:3:20: error: http.downstream.redis.base must be positive, got 0 [timeout/bounds]
OUT
	;;
detached)
	new_repo "$T/r"
	git checkout -q --detach HEAD
	contract_bad >pay/timeout.yaml
	git add pay/timeout.yaml
	run 1 validate --staged --format short
	expect_out <<OUT
$BOUNDS
OUT
	;;
shallow)
	# a shallow clone: --staged works; a revision beyond the clone's
	# history is a clear error
	new_repo "$T/origin"
	printf '# two\n' >>pay/k8s/deploy.yaml
	commit "Bob" "2026-01-06T10:00:00Z" "two"
	git clone -q --depth 1 "file://$T/origin" "$T/shallow"
	cd "$T/shallow"
	[ -f .git/shallow ] || fail "not a shallow clone"
	contract_bad >pay/timeout.yaml
	git add pay/timeout.yaml
	run 1 validate --staged --format short
	expect_out <<OUT
$BOUNDS
OUT
	run 2 validate --changed-since HEAD~1
	expect_err <<'OUT'
srctl validate: unknown revision 'HEAD~1'
OUT
	;;
no-commits)
	# a repository with no commit yet: everything staged is new
	git init -q "$T/r"
	cd "$T/r"
	mkdir pay
	contract_bad >pay/timeout.yaml
	git add pay
	run 1 validate --staged --format short
	expect_out <<OUT
$BOUNDS
OUT
	run 2 validate --changed-since main
	expect_err <<'OUT'
srctl validate: HEAD has no commit to compare with 'main'
OUT
	;;
outside)
	# not in a repository: a clear error, exit 2
	mkdir -p "$T/plain/pay"
	cd "$T/plain"
	contract_bad >pay/timeout.yaml
	run 2 validate --staged
	expect_err <<'OUT'
srctl validate: not inside a git work tree: --staged needs a repository
OUT
	expect_out </dev/null
	run 2 lint --changed-since main
	expect_err <<'OUT'
srctl lint: not inside a git work tree: --changed-since needs a repository
OUT
	run 2 validate --staged --changed-since main
	expect_err <<'OUT'
srctl validate: --staged and --changed-since cannot be used together
OUT
	run 2 validate --include-worktree
	expect_err <<'OUT'
srctl validate: --include-worktree needs --changed-since
OUT
	;;
paths)
	# PATH arguments limit the staged files, relative to the current
	# directory; paths are shown from the top of the work tree
	new_repo "$T/r"
	mkdir -p inv
	contract_bad >inv/timeout.yaml
	contract_bad >pay/timeout.yaml
	git add inv pay
	run 1 validate --staged --format short
	expect_out <<OUT
inv/timeout.yaml:3:20: error: http.downstream.redis.base must be positive, got 0 [timeout/bounds]
$BOUNDS
OUT
	run 1 validate --staged --format short inv
	expect_out <<'OUT'
inv/timeout.yaml:3:20: error: http.downstream.redis.base must be positive, got 0 [timeout/bounds]
OUT
	cd pay/k8s
	run 1 validate --staged --format short ..
	expect_out <<OUT
$BOUNDS
OUT
	run 0 validate --staged --format short .
	expect_out </dev/null
	run 2 validate --staged /
	expect_err <<OUT
srctl validate: '/' is outside the repository at '$(cd "$T/r" && pwd -P)'
OUT
	;;
lint)
	# lint --staged: syntax and the shipped schemas, from the index (no
	# contract rules: the bad base is the timeout schema's finding)
	new_repo "$T/r"
	printf 'a: [1, 2\n' >pay/broken.yaml
	git add pay/broken.yaml
	contract_bad >pay/timeout.yaml
	git add pay/timeout.yaml
	rm pay/broken.yaml
	run 1 lint --staged --format short
	expect_out <<'OUT'
pay/broken.yaml:2:1: error: did not find expected ',' or ']' while parsing a flow sequence (started at line 1) [yaml/syntax]
pay/timeout.yaml:3:20: error: base: must be > 0, got 0 [schema/violation]
OUT
	;;
changed-since)
	# only what the branch changed since it left main, not what main
	# did meanwhile
	new_repo "$T/r"
	git checkout -q -b feature
	mkdir -p inv
	contract_bad >inv/timeout.yaml
	commit "Bob" "2026-01-06T10:00:00Z" "feature: inv"
	git checkout -q main
	contract_bad >pay/timeout.yaml
	commit "Carol" "2026-01-06T11:00:00Z" "main: pay"
	git checkout -q feature
	run 1 validate --changed-since main --format short
	expect_out <<'OUT'
inv/timeout.yaml:3:20: error: http.downstream.redis.base must be positive, got 0 [timeout/bounds]
OUT
	run 0 validate --changed-since feature
	expect_out <<'OUT'
no findings in 0 files
OUT
	# uncommitted and untracked changes only with --include-worktree
	mkdir -p ord
	contract_bad >ord/timeout.yaml
	run 1 validate --changed-since main --format short
	expect_out <<'OUT'
inv/timeout.yaml:3:20: error: http.downstream.redis.base must be positive, got 0 [timeout/bounds]
OUT
	run 1 validate --changed-since main --include-worktree --format short
	expect_out <<'OUT'
inv/timeout.yaml:3:20: error: http.downstream.redis.base must be positive, got 0 [timeout/bounds]
ord/timeout.yaml:3:20: error: http.downstream.redis.base must be positive, got 0 [timeout/bounds]
OUT
	run 2 validate --changed-since no-such-branch
	expect_err <<'OUT'
srctl validate: unknown revision 'no-such-branch'
OUT
	;;
reset-soft)
	# after 'git reset --soft' the index's cache-tree records trees that
	# are not HEAD's: they must be compared, not trusted
	new_repo "$T/r"
	mkdir -p inv
	contract_bad >inv/timeout.yaml
	commit "Bob" "2026-01-06T10:00:00Z" "inv"
	git write-tree >/dev/null
	git reset -q --soft HEAD~1
	run 1 validate --staged --format short
	expect_out <<'OUT'
inv/timeout.yaml:3:20: error: http.downstream.redis.base must be positive, got 0 [timeout/bounds]
OUT
	git reset -q
	run 0 validate --staged --format short
	expect_out </dev/null
	;;
many-dirs)
	# sibling directories of mixed name lengths: the index lists them
	# by name, the cache-tree by length then name (gitx.c's chg_child);
	# only the directories with staged changes may be reported
	new_repo "$T/r"
	for d in a bb c dd e svc-1 svc-10 svc-2 svc-200 x; do
		mkdir -p "many/$d"
		contract_ok >"many/$d/timeout.yaml"
	done
	commit "Bob" "2026-01-06T10:00:00Z" "many services"
	for d in bb e svc-10 svc-200; do
		contract_bad >"many/$d/timeout.yaml"
		git add "many/$d/timeout.yaml"
	done
	mkdir -p many/new
	contract_bad >many/new/timeout.yaml
	git add many/new/timeout.yaml
	run 1 validate --staged --format short
	expect_out <<'OUT'
many/bb/timeout.yaml:3:20: error: http.downstream.redis.base must be positive, got 0 [timeout/bounds]
many/e/timeout.yaml:3:20: error: http.downstream.redis.base must be positive, got 0 [timeout/bounds]
many/new/timeout.yaml:3:20: error: http.downstream.redis.base must be positive, got 0 [timeout/bounds]
many/svc-10/timeout.yaml:3:20: error: http.downstream.redis.base must be positive, got 0 [timeout/bounds]
many/svc-200/timeout.yaml:3:20: error: http.downstream.redis.base must be positive, got 0 [timeout/bounds]
OUT
	;;
deps)
	# srctl deps --staged: manifests as staged, and the files they
	# include (-r) read from the index too
	new_repo "$T/r"
	mkdir -p svc common
	cat >bad.yaml <<'YAML'
- id: ORG-1
  ecosystem: PyPI
  package: urllib3
  versions: ["2.0.7"]
  reason: leaks connections
- id: ORG-2
  ecosystem: PyPI
  package: requests
  versions: ["2.31.0"]
  reason: drops the proxy header
YAML
	printf 'deps:\n  known_bad: bad.yaml\n' >.srctl.yaml
	printf 'requests==2.32.0\n-r ../common/base.txt\n' >svc/requirements.txt
	printf 'urllib3==2.0.8\n' >common/base.txt
	commit "Bob" "2026-01-06T10:00:00Z" "deps"
	run 0 deps --staged --format short
	expect_out </dev/null
	# staged with a known-bad version, then fixed only in the work tree
	printf 'requests==2.31.0\n-r ../common/base.txt\n' >svc/requirements.txt
	git add svc/requirements.txt
	printf 'requests==2.32.0\n-r ../common/base.txt\n' >svc/requirements.txt
	run 1 deps --staged --format short
	expect_out <<'OUT'
svc/requirements.txt:1:11: error: requests 2.31.0 is on the known-bad list as ORG-2, no fixed version listed: drops the proxy header [deps/known-bad]
OUT
	run 0 deps --format short
	# the reverse, and an include read from the index, not the work tree
	git add svc/requirements.txt
	printf 'urllib3==2.0.7\n' >common/base.txt
	run 0 deps --staged --format short
	printf 'urllib3==2.0.7\n' >common/base.txt
	git add common/base.txt
	printf 'urllib3==2.0.8\n' >common/base.txt
	printf 'requests==2.32.0\n-r ../common/base.txt\n# touched\n' >svc/requirements.txt
	git add svc/requirements.txt
	run 1 deps --staged --format short
	expect_out <<'OUT'
common/base.txt:1:10: error: urllib3 2.0.7 is on the known-bad list as ORG-1, no fixed version listed: leaks connections [deps/known-bad]
OUT
	# from a subdirectory, paths stay relative to the top
	(cd svc && "$SRCTL" deps --staged --format short >"$T/out" 2>"$T/err") &&
		fail "deps --staged in svc/ passed"
	expect_out <<'OUT'
common/base.txt:1:10: error: urllib3 2.0.7 is on the known-bad list as ORG-1, no fixed version listed: leaks connections [deps/known-bad]
OUT
	# an include that leaves the repository is not read
	printf 'requests==2.32.0\n-r ../../etc/passwd\n' >svc/requirements.txt
	git add svc/requirements.txt
	run 1 deps --staged --format short
	expect_out <<'OUT'
svc/requirements.txt:2:4: error: cannot read this requirements.txt: -r: 'svc/../../etc/passwd' is outside the scanned tree [deps/manifest-parse]
OUT
	run 2 deps --staged --changed-since HEAD
	expect_err <<'OUT'
srctl deps: --staged and --changed-since cannot be used together
OUT
	git commit -q -m "deps"
	run 1 deps --changed-since HEAD~1 --format short
	run 0 deps --changed-since HEAD --format short
	;;
*)
	fail "unknown case '$CASE'"
	;;
esac
