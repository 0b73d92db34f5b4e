#!/bin/sh
# The pre-commit framework installs and runs srctl's hooks from this
# repository's .pre-commit-hooks.yaml (a file:// clone of a temporary copy;
# no network: language: system downloads nothing). A violation blocks the
# commit, a clean change passes. Usage: pre_commit.sh SRCTL SOURCE_DIR
SRCTL=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$2
. "$(dirname "$0")/lib.sh"

command -v pre-commit > /dev/null || { echo "SKIP: pre-commit not installed (ci/deps.sh --test)"; exit 77; }
export PRE_COMMIT_HOME="$T/cache"
mkdir -p "$T/bin"
ln -s "$SRCTL" "$T/bin/srctl"
export PATH="$T/bin:$PATH"

# the hook repository: srctl's own .pre-commit-hooks.yaml
mkdir "$T/hooks" && cd "$T/hooks" && git init -q .
cp "$SRC/.pre-commit-hooks.yaml" .
commit "Hook Author" "2026-01-01T00:00:00Z" "hooks"
rev=$(git rev-parse HEAD)

staged=no
"$SRCTL" validate --help | grep -q -- '--staged' && staged=yes

mkdir "$T/r" && cd "$T/r" && git init -q .
{
	echo "repos:"
	echo "  - repo: file://$T/hooks"
	echo "    rev: $rev"
	echo "    hooks:"
	[ "$staged" = yes ] && echo "      - id: srctl-validate"
	echo "      - id: srctl-deps"
	echo "      - id: srctl-check-deps"
} > .pre-commit-config.yaml
printf 'external: [redis]\n' > .srctl.yaml
mkdir pay
cat > pay/timeout.yaml <<'YAML'
service: pay
http:
  outbound:
    redis: { base: 800, multiplier: 1.5, max: 2000 }
YAML
pre-commit install > "$T/install.log" 2>&1 || { cat "$T/install.log" >&2; fail "pre-commit install"; }
grep -q pre-commit .git/hooks/pre-commit || fail "pre-commit install wrote no hook"
commit "Clean Start" "2026-01-02T00:00:00Z" "clean" > "$T/log" 2>&1 ||
	{ cat "$T/log" >&2; fail "a clean commit was blocked"; }
n=$(git rev-list --count HEAD)

# check-deps: an undeclared dependency blocks the commit
cat >> pay/timeout.yaml <<'YAML'
    ledger: { base: 300, multiplier: 1.5, max: 900 }
YAML
if commit "Bad Dep" "2026-01-03T00:00:00Z" "undeclared" > "$T/log" 2>&1; then
	cat "$T/log" >&2; fail "an undeclared dependency did not block the commit"
fi
grep -q "srctl check-deps.*Failed" "$T/log" || { cat "$T/log" >&2; fail "srctl-check-deps did not fail"; }
grep -q "ledger" "$T/log" || fail "the finding is not shown"
[ "$(git rev-list --count HEAD)" -eq "$n" ] || fail "a commit was made"
# declaring it fixes it
printf 'external: [redis, ledger]\n' > .srctl.yaml
commit "Good Dep" "2026-01-03T00:00:00Z" "declared" > "$T/log" 2>&1 ||
	{ cat "$T/log" >&2; fail "a fixed commit was blocked"; }
n=$(git rev-list --count HEAD)

if [ "$staged" = yes ]; then
	# validate --staged: base above max is a contract violation
	sed -i 's/max: 900/max: 200/' pay/timeout.yaml
	if commit "Bad Max" "2026-01-04T00:00:00Z" "bad" > "$T/log" 2>&1; then
		cat "$T/log" >&2; fail "a contract violation did not block the commit"
	fi
	grep -q "srctl validate.*Failed" "$T/log" || { cat "$T/log" >&2; fail "srctl-validate did not fail"; }
	[ "$(git rev-list --count HEAD)" -eq "$n" ] || fail "a commit was made"
	sed -i 's/max: 200/max: 900/' pay/timeout.yaml
	commit "Good Max" "2026-01-04T00:00:00Z" "good" > "$T/log" 2>&1 ||
		{ cat "$T/log" >&2; fail "a clean commit was blocked"; }
fi

# deps --staged: a known-bad version in a staged lockfile blocks the commit
n=$(git rev-list --count HEAD)
cat > pom.xml <<'XML'
<project><modelVersion>4.0.0</modelVersion>
  <groupId>x</groupId><artifactId>pay</artifactId><version>1</version>
  <dependencies><dependency>
    <groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId>
    <version>2.14.1</version>
  </dependency></dependencies>
</project>
XML
if commit "Bad Lib" "2026-01-05T00:00:00Z" "log4j" > "$T/log" 2>&1; then
	cat "$T/log" >&2; fail "a known-bad version did not block the commit"
fi
grep -q "srctl deps.*Failed" "$T/log" || { cat "$T/log" >&2; fail "srctl-deps did not fail"; }
grep -q "SRCTL-2021-LOG4SHELL" "$T/log" || fail "the deps finding is not shown"
[ "$(git rev-list --count HEAD)" -eq "$n" ] || fail "a commit was made"
sed -i 's/2\.14\.1/2.17.1/' pom.xml
commit "Good Lib" "2026-01-05T00:00:00Z" "log4j fixed" > "$T/log" 2>&1 ||
	{ cat "$T/log" >&2; fail "a fixed lockfile was blocked"; }
if [ "$staged" = yes ]; then
	echo "ok: pre-commit framework (srctl-validate, srctl-deps, srctl-check-deps)"
else
	echo "ok: pre-commit framework (srctl-deps, srctl-check-deps; srctl-validate skipped: this srctl has no validate --staged yet)"
fi
