#!/usr/bin/env bash
# `idemcheck check` from the outside: usage errors exit 2 with a helpful message, a correct
# store exits 0, a mutant exits 1 with its counterexample, and the printed reproduce command
# reproduces it.
#
# usage: check_cli_test.sh PATH/TO/idemcheck
set -u
bin=$1
failures=0

# expect CODE PATTERN ARGS...: runs `idemcheck ARGS...`, wants exit CODE and PATTERN (grep -E)
# somewhere in its stdout or stderr.
expect() {
  local code=$1 pattern=$2
  shift 2
  local out got
  out=$("$bin" "$@" 2>&1)
  got=$?
  if [[ $got != "$code" ]] || ! grep -Eq -- "$pattern" <<<"$out"; then
    printf 'FAIL: idemcheck %s\n  wanted exit %s and /%s/, got exit %s:\n%s\n' \
      "$*" "$code" "$pattern" "$got" "$out"
    failures=$((failures + 1))
  else
    printf 'ok: idemcheck %s -> %s\n' "$*" "$got"
  fi
  last_output=$out
}

expect 2 '--impl is required; registered stores: .*reference' check
expect 2 "no store named 'nope'; registered stores: .*impl.*reference" check --impl nope
expect 2 '--cases takes a whole number from 1' check --impl reference --cases 0
expect 2 '--cases takes a whole number' check --impl reference --cases many
expect 2 '--max-ops takes a whole number from 1' check --impl reference --max-ops 0
expect 2 '--seed takes a whole number' check --impl reference --seed -1
expect 2 "no property 'P99'; properties: P1 \(replay_storm\)" check --impl reference --property P99
expect 2 "unknown flag '--bogus'" check --impl reference --bogus
expect 2 "unexpected argument 'extra'" check --impl reference extra
expect 2 "flag '--impl' needs a value" check --impl

expect 0 'passed: [0-9]+ cases in .* cases/s' check --impl reference --cases 20 --max-ops 20
expect 0 'P13  differential .* ok' check --impl impl --cases 20 --max-ops 20 --property p13,P1

expect 1 'counterexample \([0-9] ops\):' check --impl mutant/payload-ignored --property P5
reproduce=$(grep -E '^reproduce: idemcheck check ' <<<"$last_output" | sed 's/^reproduce: idemcheck //')
shrunk=$(grep -E '^counterexample \(' <<<"$last_output")
if [[ -z $reproduce ]]; then
  echo "FAIL: no reproduce line"
  failures=$((failures + 1))
else
  # shellcheck disable=SC2086  # the printed command is words
  expect 1 "rule M5" $reproduce
  if ! grep -qF -- "$shrunk" <<<"$last_output"; then
    echo "FAIL: the reproduce command did not give the same counterexample ($shrunk)"
    failures=$((failures + 1))
  fi
fi

if [[ $failures != 0 ]]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "all passed"
