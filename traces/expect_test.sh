#!/usr/bin/env bash
# expect_test.sh EXIT PATTERN... -- COMMAND [ARGS...]
#
# Runs COMMAND and passes when it exits with EXIT and its output (standard output and error
# together) matches every extended regular expression PATTERN. Prints the output either way.
set -uo pipefail

expected_exit=$1
shift
patterns=()
while [[ $# -gt 0 && $1 != -- ]]; do
  patterns+=("$1")
  shift
done
if [[ $# == 0 ]]; then
  echo "usage: $0 EXIT PATTERN... -- COMMAND [ARGS...]" >&2
  exit 2
fi
shift

output=$("$@" 2>&1)
status=$?
printf '%s\n' "$output"
failed=0
if [[ $status != "$expected_exit" ]]; then
  echo "FAIL: exit $status, expected $expected_exit"
  failed=1
fi
for pattern in "${patterns[@]}"; do
  if ! grep -qE -- "$pattern" <<<"$output"; then
    echo "FAIL: no line matches: $pattern"
    failed=1
  fi
done
exit "$failed"
