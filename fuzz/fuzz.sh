#!/usr/bin/env bash
# Short libFuzzer runs for CTest and ./run.
#
#   fuzz.sh smoke    FUZZER WORKDIR [CORPUS_DIR...]   fuzz for IDEMCHECK_SMOKE_SECONDS (default 5)
#                                                     from the corpora; passes if nothing is found
#   fuzz.sh dies     FUZZER WORKDIR [CORPUS_DIR...]   fuzz the store in IDEMCHECK_IMPL for
#   fuzz.sh survives FUZZER WORKDIR [CORPUS_DIR...]   IDEMCHECK_KILL_SECONDS (default 60); passes if
#                                                     a divergence is found (dies) or not (survives)
#
# libFuzzer flags come from fuzz/<target>.options, the dictionary from fuzz/<target>.dict. New
# inputs go to WORKDIR/corpus and findings to WORKDIR/, never into the committed corpora. Prints
# one summary line: what was found, after how long and how many executions.
set -euo pipefail

mode=$1 fuzzer=$2 work=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
target=$(basename "$fuzzer")

case $mode in
  smoke) seconds=${IDEMCHECK_SMOKE_SECONDS:-5} ;;
  dies | survives) seconds=${IDEMCHECK_KILL_SECONDS:-60} ;;
  *) echo "fuzz.sh: unknown mode '$mode'" >&2; exit 2 ;;
esac

flags=(-max_total_time="$seconds" -print_final_stats=1 -seed=1 -artifact_prefix="$work/")
if [[ -f $here/$target.options ]]; then
  while IFS='=' read -r key value; do
    key=${key// /} value=${value// /}
    if [[ -n $key && $key != \[* && $key != \#* ]]; then flags+=("-$key=$value"); fi
  done <"$here/$target.options"
fi
if [[ -f $here/$target.dict ]]; then flags+=("-dict=$here/$target.dict"); fi

rm -rf "$work"
mkdir -p "$work/corpus"
start=$(date +%s%N)
status=0
"$fuzzer" "${flags[@]}" "$work/corpus" "$@" >"$work/log" 2>&1 || status=$?
ms=$((($(date +%s%N) - start) / 1000000))
elapsed=$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -1)
label="${IDEMCHECK_IMPL:-impl}"
[[ $mode == smoke ]] && label=$target

if grep -q "diverges from reference" "$work/log"; then
  printf 'FOUND %s: divergence after %.1f s, %s runs\n' "$label" "$elapsed" "${runs:-?}"
  grep -A40 "diverges from reference" "$work/log" | head -60
  [[ $mode == dies ]] && exit 0
  exit 1
fi
if [[ $status != 0 ]]; then
  printf 'CRASH %s: exit status %s after %.1f s\n' "$label" "$status" "$elapsed"
  tail -60 "$work/log"
  exit 1
fi
printf 'NOTHING %s: no finding in %.1f s, %s runs, %s exec/s\n' "$label" "$elapsed" "${runs:-?}" \
  "${rate:-?}"
[[ $mode == dies ]] && exit 1
exit 0
