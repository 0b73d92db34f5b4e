# Shared by the tests/git scripts: a throwaway, isolated git setup in a
# temporary directory (removed on exit) and small assertions. Sourced
# with SRCTL set to the binary under test.
set -eu

T=$(mktemp -d "${TMPDIR:-/tmp}/srctl-git-test.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

# No user or system configuration may change what git does here.
export HOME="$T/home"
mkdir -p "$HOME"
export GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_GLOBAL="$HOME/.gitconfig"
export GIT_CEILING_DIRECTORIES="$T"
export GIT_COMMITTER_NAME="CI" GIT_COMMITTER_EMAIL="ci@example.com"
export GIT_AUTHOR_NAME="Nobody" GIT_AUTHOR_EMAIL="nobody@example.com"
export TZ=UTC
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
git config --global init.defaultBranch main
git config --global commit.gpgsign false

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# commit AUTHOR DATE MESSAGE: commit everything as AUTHOR at a fixed time.
commit() {
	git add -A
	GIT_AUTHOR_NAME="$1" GIT_AUTHOR_EMAIL="$(echo "$1" | tr 'A-Z ' 'a-z.')@example.com" \
	GIT_AUTHOR_DATE="$2" GIT_COMMITTER_DATE="$2" \
		git commit -q -m "$3"
}

short() {
	git rev-parse --short=7 "$1"
}

# expect_same EXPECTED ACTUAL LABEL: files must be identical.
expect_same() {
	if ! diff -u "$1" "$2" >&2; then
		fail "$3: output differs from the expected output (above)"
	fi
}
