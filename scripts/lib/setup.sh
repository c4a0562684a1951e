# Shared by scripts/run and scripts/test: installs what Caravan needs on a
# fresh Debian 12 / Ubuntu machine. Safe to run again: it only installs
# what is missing.

sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Tauri's WebKitGTK stack, Xvfb and WebKitWebDriver for end-to-end tests;
# PostgreSQL for the relay's shared-store tests (scripts/lib/postgres.sh).
install_system_packages() {
  local want=(build-essential pkg-config libwebkit2gtk-4.1-dev libgtk-3-dev
    libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev xvfb webkit2gtk-driver
    postgresql postgresql-client poppler-utils)
  local missing=()
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ! command -v node >/dev/null 2>&1; then missing+=(nodejs npm); fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing system packages: ${missing[*]}"
    sudo_ apt-get update -q
    sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    echo "Caravan needs a Rust toolchain (1.92 or newer): install it with rustup, then run this again." >&2
    exit 1
  fi
  local major
  major=$(node --version | sed -E 's/^v([0-9]+).*/\1/')
  if [ "$major" -lt 20 ]; then
    echo "Caravan's front end needs Node.js 20 or newer (found $(node --version))." >&2
    exit 1
  fi
}

# The front end's npm packages, exactly as locked.
install_ui_packages() {
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    echo "== installing the front end's packages"
    (cd ui && npm ci --no-audit --no-fund)
  fi
}

# A command-line tool from crates.io at a pinned version, built once into
# cargo's bin folder. Tools run for seconds, so they are built for a quick
# build, not for speed.
install_cargo_tool() {
  local name=$1 version=$2
  if ! cargo install --list | grep -q "^$name v$version:"; then
    echo "== installing $name $version"
    env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS \
      CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 \
      CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false \
      cargo install "$name" --version "$version" --locked
  fi
}

# tauri-driver: the WebDriver server for Tauri apps (it starts Debian's
# WebKitWebDriver). The test finds it in cargo's bin folder.
install_tauri_driver() { install_cargo_tool tauri-driver 2.1.0; }

# cargo deny, for licences, bans and sources (deny.toml).
cargo_deny() {
  install_cargo_tool cargo-deny 0.20.2
  env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS cargo deny --log-level warn "$@"
}

# Makes clippy-driver the rustc of the workspace's own crates: `cargo build`
# and `cargo test` then lint as they compile, with -D warnings, exactly as
# `cargo clippy` would (it sets the same two variables).
use_clippy_as_compiler() {
  local driver
  driver=$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver || true)
  if [ -z "$driver" ]; then
    echo "clippy is missing: rustup component add clippy" >&2
    exit 1
  fi
  export RUSTC_WORKSPACE_WRAPPER="$driver"
  export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
}
