#!/usr/bin/env bash
# The trace round trip of docs/traces.md, end to end through the command-line tools:
#
#   idemcheck gen --seed S --ops N --profile P | trace_driver --impl STORE | idemcheck check-trace -
#
# round_trip_test.sh IDEMCHECK TRACE_DRIVER correct STORE
#   Every generator profile, plain, with injected faults and with a colliding lookup hash:
#   check-trace must exit 0.
# round_trip_test.sh IDEMCHECK TRACE_DRIVER mutants
#   Every mutant a sequential trace can catch (trace_driver --list-mutants): for each, one of the
#   traces of the plan below must make check-trace exit 1, and none may make it exit 2.
set -euo pipefail

idemcheck=$1
driver=$2
mode=$3

profiles=(mixed memories named uploads access clock upgrade replay)
ops=1500

# round_trip SEED PROFILE STORE [DRIVER FLAGS...]: prints check-trace's exit code; its report
# goes to $log. gen and the driver must succeed.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
round_trip() {
  local seed=$1 profile=$2 store=$3
  shift 3
  local status
  set +e
  "$idemcheck" gen --seed "$seed" --ops "$ops" --profile "$profile" |
    "$driver" --impl "$store" "$@" |
    "$idemcheck" check-trace - >"$log" 2>&1
  status=("${PIPESTATUS[@]}")
  set -e
  # Once check-trace has found a divergence it stops reading: the writers may die of SIGPIPE.
  local upstream_ok='^0$'
  if [[ ${status[2]} == 1 ]]; then upstream_ok='^(0|141)$'; fi
  if [[ ! ${status[0]} =~ $upstream_ok || ! ${status[1]} =~ $upstream_ok ]]; then
    echo "gen or trace_driver failed (exit ${status[0]}, ${status[1]}) for $store, $profile, seed $seed $*" >&2
    echo 2
    return
  fi
  echo "${status[2]}"
}

case $mode in
  correct)
    store=$4
    failed=0
    for profile in "${profiles[@]}"; do
      for flags in "" "--fault-every 5" "--weak-hash"; do
        # shellcheck disable=SC2086  # flags is a list of words
        code=$(round_trip 1 "$profile" "$store" $flags)
        printf '%-10s %-16s exit %s: %s\n' "$profile" "${flags:-no faults}" "$code" "$(tail -1 "$log")"
        if [[ $code != 0 ]]; then
          cat "$log"
          failed=1
        fi
      done
    done
    exit "$failed"
    ;;
  mutants)
    mapfile -t mutants < <("$driver" --list-mutants)
    if [[ ${#mutants[@]} == 0 ]]; then
      echo "no mutants registered"
      exit 0
    fi
    failed=0
    for mutant in "${mutants[@]}"; do
      verdict="NOT CAUGHT by any trace of the plan"
      caught=0
      for seed in 1 2; do
        for profile in "${profiles[@]}"; do
          for flags in "" "--fault-every 5" "--weak-hash"; do
            # shellcheck disable=SC2086
            code=$(round_trip "$seed" "$profile" "$mutant" $flags)
            if [[ $code == 1 ]]; then
              verdict="caught: seed $seed, $profile, ${flags:-no faults}: $(grep -m1 -o 'rule [A-Z][0-9]*' "$log")"
              caught=1
              break 3
            elif [[ $code != 0 ]]; then
              cat "$log"
              verdict="malformed trace (exit $code): seed $seed, $profile, ${flags:-no faults}"
              break 3
            fi
          done
        done
      done
      printf '%-40s %s\n' "$mutant" "$verdict"
      if [[ $caught == 0 ]]; then failed=1; fi
    done
    exit "$failed"
    ;;
  *)
    echo "usage: $0 IDEMCHECK TRACE_DRIVER correct STORE | mutants" >&2
    exit 2
    ;;
esac
