# Shared by ./test and ./run: package installation, presets and progress lines.
# Sourced, not executed.

# Debian packages the project builds and runs with.
IDEMCHECK_PACKAGES=(
  cmake ninja-build g++ clang libclang-rt-14-dev
  libabsl-dev libgtest-dev libgmock-dev librapidcheck-dev
  libbenchmark-dev libbenchmark-tools nlohmann-json3-dev
  python3 python3-numpy python3-scipy python3-matplotlib
  zip
)

# The Debian python that has numpy/scipy (compare.py, plots), whatever python3 is on PATH.
IDEMCHECK_PYTHON=/usr/bin/python3

phase_started=0
# phase "what is happening": a progress line with the elapsed time of the whole script.
phase() {
  local now
  now=$(date +%s)
  if [[ $phase_started == 0 ]]; then phase_started=$now; fi
  printf '\n==> [%4ss] %s\n' "$((now - phase_started))" "$*"
}

die() {
  printf 'error: %s\n' "$*" >&2
  exit 2
}

# Installs whichever of IDEMCHECK_PACKAGES is missing; does nothing when all are there.
ensure_packages() {
  local missing=()
  local p
  for p in "${IDEMCHECK_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$p")
  done
  if [[ ${#missing[@]} == 0 ]]; then
    echo "all ${#IDEMCHECK_PACKAGES[@]} packages present"
    return
  fi
  echo "installing: ${missing[*]}"
  local sudo=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || die "missing packages (${missing[*]}) and not root: install them"
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# configure_and_build PRESET [TARGET...]: configure once, then build (all targets by default).
configure_and_build() {
  local preset=$1
  shift
  if [[ ! -f build/$preset/build.ninja ]]; then
    cmake --preset "$preset" >/dev/null
  fi
  local targets=()
  if [[ $# -gt 0 ]]; then targets=(--target "$@"); fi
  cmake --build --preset "$preset" "${targets[@]}"
}
