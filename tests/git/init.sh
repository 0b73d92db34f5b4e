#!/bin/sh
# srctl init and init --hook. Usage: init.sh SRCTL
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/lib.sh"

# --- .srctl.yaml ---------------------------------------------------------
mkdir "$T/plain" && cd "$T/plain"
"$BIN" init 2> "$T/err" || fail "init: exit $?"
[ -f .srctl.yaml ] || fail "init wrote no .srctl.yaml"
grep -q "wrote './.srctl.yaml'" "$T/err" || fail "init: message: $(cat "$T/err")"
# the starter configuration is one srctl accepts
"$BIN" validate -q . || fail "validate rejects the starter configuration"
ls -a | grep -q 'srctl-new\|\.tmp\.' && fail "a temporary file was left behind"

# no overwrite without --force
echo "# mine" > .srctl.yaml
rc=0
"$BIN" init 2> "$T/err" || rc=$?
[ "$rc" -eq 2 ] || fail "init over an existing file: exit $rc, want 2"
grep -q "already exists; use --force" "$T/err" || fail "no --force hint"
[ "$(cat .srctl.yaml)" = "# mine" ] || fail "init overwrote .srctl.yaml"
"$BIN" init --force 2> /dev/null || fail "init --force: exit $?"
grep -q "readiness_path" .srctl.yaml || fail "init --force did not rewrite"

# a PATH that is not a directory
rc=0
"$BIN" init "$T/nowhere" 2> "$T/err" || rc=$?
[ "$rc" -eq 2 ] || fail "init missing dir: exit $rc, want 2"
grep -q "cannot use '.*nowhere': No such file or directory" "$T/err" ||
	fail "init missing dir: message: $(cat "$T/err")"

# --hook needs a repository
rc=0
"$BIN" init --hook 2> "$T/err" || rc=$?
[ "$rc" -eq 2 ] || fail "init --hook outside a repository: exit $rc"
grep -q "is not inside a git work tree" "$T/err" || fail "--hook message"

# --- the hook ------------------------------------------------------------
mkdir "$T/r" && cd "$T/r" && git init -q .
"$BIN" init --hook 2> "$T/err" || fail "init --hook: exit $?"
hook=.git/hooks/pre-commit
[ -x "$hook" ] || fail "hook missing or not executable"
[ -f .srctl.yaml ] || fail "init --hook wrote no .srctl.yaml"
grep -q 'validate --staged' "$hook" || fail "the hook does not run validate --staged"
# again: the existing .srctl.yaml is kept, our own hook replaced
echo "# mine" > .srctl.yaml
"$BIN" init --hook 2> "$T/err" || fail "init --hook again: exit $?"
grep -q "keeping the existing" "$T/err" || fail "no 'keeping' note"
[ "$(cat .srctl.yaml)" = "# mine" ] || fail "init --hook overwrote .srctl.yaml"
rm .srctl.yaml

# the hook runs srctl on commit and its exit status decides
mkdir -p "$T/bin"
cat > "$T/bin/fake-srctl" <<'SH'
#!/bin/sh
echo "$*" >> "$FAKE_LOG"
exit "$FAKE_RC"
SH
chmod +x "$T/bin/fake-srctl"
export SRCTL="$T/bin/fake-srctl" FAKE_LOG="$T/calls"
echo a > a.txt && git add a.txt
FAKE_RC=1 git commit -q -m blocked 2> /dev/null &&
	fail "a failing srctl did not block the commit"
git rev-parse -q --verify HEAD > /dev/null && fail "a commit was made"
FAKE_RC=0 git commit -q -m passes || fail "a passing srctl blocked the commit"
[ "$(cat "$T/calls")" = "validate --staged
validate --staged" ] || fail "hook calls: $(cat "$T/calls")"
unset SRCTL

# someone else's hook is not replaced without --force
printf '#!/bin/sh\necho theirs\n' > "$hook"
rc=0
"$BIN" init --hook 2> "$T/err" || rc=$?
[ "$rc" -eq 2 ] || fail "foreign hook: exit $rc, want 2"
grep -q "was not written by srctl; use --force" "$T/err" || fail "foreign hook message"
grep -q theirs "$hook" || fail "foreign hook replaced"
"$BIN" init --hook --force 2> /dev/null || fail "init --hook --force: exit $?"
grep -q 'validate --staged' "$hook" || fail "--force did not replace the hook"

# core.hooksPath is where git looks, so that is where the hook goes
git config core.hooksPath .githooks
rm -f .srctl.yaml
"$BIN" init --hook 2> /dev/null || fail "init --hook with core.hooksPath: exit $?"
[ -x .githooks/pre-commit ] || fail "hook not written to core.hooksPath"

# with the real srctl: a contract violation in the staged content blocks
# the commit, its fix passes
if "$BIN" validate --help | grep -q -- '--staged'; then
	mkdir "$T/real" && cd "$T/real" && git init -q .
	"$BIN" init --hook 2> /dev/null || fail "init --hook (real): exit $?"
	mkdir pay
	printf 'http:\n  outbound:\n    redis: { base: 800, multiplier: 1.5, max: 200 }\n' \
		> pay/timeout.yaml
	git add -A
	if SRCTL="$BIN" git commit -q -m bad > "$T/log" 2>&1; then
		fail "a staged contract violation did not block the commit"
	fi
	grep -q "timeout/bounds" "$T/log" || fail "hook output: $(cat "$T/log")"
	sed -i 's/max: 200/max: 2000/' pay/timeout.yaml
	git add -A
	SRCTL="$BIN" git commit -q -m good > "$T/log" 2>&1 ||
		fail "a clean commit was blocked: $(cat "$T/log")"
	echo "ok: init (hook run with srctl validate --staged)"
else
	echo "ok: init (hook run with a stand-in; this srctl has no --staged)"
fi
