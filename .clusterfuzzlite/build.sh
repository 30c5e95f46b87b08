#!/bin/bash -eu
# Builds idemcheck's fuzz targets the OSS-Fuzz way, for ClusterFuzzLite or OSS-Fuzz, and for a
# local check (docs/fuzzing.md). Runs in the project's root directory and uses only what OSS-Fuzz
# defines: $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE $OUT, and $SRC and $WORK.
#
# CMake is not used for the project itself: its configuration needs the test libraries, which
# fuzzing images lack. Instead the source lists are read from the CMakeLists.txt files: the core
# (idemcheck_core), every store (idemcheck_stores), and every target declared with
# idemcheck_add_fuzz_target(NAME SOURCES ... [LIBRARIES ...]) with the libraries it names.
#
# Abseil: built from $SRC/abseil-cpp with the same flags when that exists (the Dockerfile clones
# it, since OSS-Fuzz links libc++ and a distribution's build uses libstdc++), else the installed
# one, found with pkg-config.
#
# For each target: $OUT/NAME, NAME_seed_corpus.zip (corpus/NAME and corpus/regressions/NAME),
# NAME.dict and NAME.options (from fuzz/).

set -euo pipefail
project=$PWD
jobs=$(nproc)

if [[ -d $SRC/abseil-cpp ]]; then
  cmake -S "$SRC/abseil-cpp" -B "$WORK/abseil" -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
    -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" -DCMAKE_CXX_STANDARD=20 \
    -DABSL_PROPAGATE_CXX_STD=ON -DABSL_BUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$WORK/abseil-install"
  cmake --build "$WORK/abseil" --target install -j"$jobs"
  export PKG_CONFIG_PATH="$WORK/abseil-install/lib/pkgconfig:$WORK/abseil-install/lib64/pkgconfig"
fi
absl_packages=$(pkg-config --list-all | awk '/^absl_/ { print $1 }')
absl_cflags=$(pkg-config --cflags $absl_packages)
absl_libs=$(pkg-config --libs $absl_packages)

# The .cc files named in the CMake calls whose opening matches the regex $1, as paths from the
# project root: the call may span lines up to its closing parenthesis.
sources_of() {
  find "$project" -name CMakeLists.txt -not -path "$project/build/*" -print0 |
    xargs -0 awk -v start="$1" '
      FNR == 1 { dir = FILENAME; sub(/\/?CMakeLists\.txt$/, "", dir) }
      $0 ~ start { open = 1 }
      open {
        line = $0
        sub(/#.*/, "", line)
        n = split(line, words, /[ \t()]+/)
        for (i = 1; i <= n; i++) if (words[i] ~ /^[A-Za-z0-9_\/.-]+\.cc$/) print dir "/" words[i]
        if (line ~ /\)/) open = 0
      }' | sed "s|^$project/||" | sort -u
}

# The sources of the library named $1: its add_library and target_sources calls.
library_sources() {
  sources_of "(add_library|target_sources)\\($1[ \t]"
}

object_of() { echo "$WORK/obj/${1%.cc}.o"; }

# Compiles each source into $WORK/obj, once per run.
declare -A compiled
compile() {
  local source object
  for source in "$@"; do
    if [[ -n ${compiled[$source]:-} ]]; then continue; fi
    compiled[$source]=1
    object=$(object_of "$source")
    mkdir -p "$(dirname "$object")"
    echo "$CXX -c $source" >&2
    # shellcheck disable=SC2086
    $CXX $CXXFLAGS -std=c++20 -I"$project/include" -I"$project" $absl_cflags \
      -c "$project/$source" -o "$object"
  done
}

common_sources=($(library_sources idemcheck_core) $(library_sources idemcheck_stores))
compile "${common_sources[@]}"

# Every idemcheck_add_fuzz_target call: NAME SOURCES... [LIBRARIES...]. Sources are relative to
# the calling directory, or start with ${PROJECT_SOURCE_DIR}/ or ${CMAKE_CURRENT_SOURCE_DIR}/.
targets=$(find "$project" -name CMakeLists.txt -not -path "$project/build/*" -print0 |
  xargs -0 awk '
    FNR == 1 { dir = FILENAME; sub(/\/?CMakeLists\.txt$/, "", dir) }
    /^[ \t]*idemcheck_add_fuzz_target\(/ { open = 1; call = "" }
    open { call = call " " $0; if ($0 ~ /\)/) { open = 0; print dir "|" call } }')

while IFS='|' read -r dir call; do
  if [[ -z $call ]]; then continue; fi
  read -r -a words <<<"$(echo "$call" | tr '()' '  ')"
  name=${words[1]}
  sources=() libraries=() mode=""
  for word in "${words[@]:2}"; do
    case $word in
      SOURCES | LIBRARIES) mode=$word ;;
      *)
        if [[ $mode == LIBRARIES ]]; then
          libraries+=("$word")
        elif [[ $word == '${PROJECT_SOURCE_DIR}/'* ]]; then
          sources+=("${word#'${PROJECT_SOURCE_DIR}/'}")
        else
          sources+=("${dir#"$project"/}/${word#'${CMAKE_CURRENT_SOURCE_DIR}/'}")
        fi
        ;;
    esac
  done
  extra=()
  for library in idemcheck_fuzz "${libraries[@]}"; do
    extra+=($(library_sources "$library"))
  done
  echo "== $name: ${sources[*]} + ${#extra[@]} library sources" >&2
  compile "${extra[@]}" "${sources[@]}"
  objects=()
  for source in "${common_sources[@]}" "${extra[@]}" "${sources[@]}"; do
    objects+=("$(object_of "$source")")
  done
  # shellcheck disable=SC2086
  $CXX $CXXFLAGS "${objects[@]}" $LIB_FUZZING_ENGINE $absl_libs -o "$OUT/$name"

  seeds=()
  for corpus in "$project/corpus/$name" "$project/corpus/regressions/$name"; do
    if [[ -d $corpus ]]; then seeds+=("$corpus"/*); fi
  done
  rm -f "$OUT/${name}_seed_corpus.zip"
  if [[ ${#seeds[@]} -gt 0 ]]; then zip -q -j "$OUT/${name}_seed_corpus.zip" "${seeds[@]}"; fi
  for extension in dict options; do
    if [[ -f $project/fuzz/$name.$extension ]]; then cp "$project/fuzz/$name.$extension" "$OUT/"; fi
  done
done <<<"$targets"
