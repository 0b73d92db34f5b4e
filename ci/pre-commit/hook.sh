#!/bin/sh
# A plain git pre-commit hook for repositories that do not use the
# pre-commit framework (that one reads .pre-commit-hooks.yaml at the root
# of the srctl repository). 'srctl init --hook' installs the same thing;
# to install by hand:
#   cp ci/pre-commit/hook.sh "$(git rev-parse --git-path hooks)/pre-commit"
# It checks the staged content, not the work tree, so a file fixed after
# 'git add' but not added again is still reported. Skip once with
# 'git commit --no-verify'; set SRCTL to use another srctl binary.
exec "${SRCTL:-srctl}" validate --staged
