# Shared by scripts/run and scripts/test: installs what Caravan needs on a
# fresh Debian 12 / Ubuntu machine. Safe to run again: it only installs
# what is missing.

sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Tauri's WebKitGTK stack, Xvfb and WebKitWebDriver for end-to-end tests.
install_system_packages() {
  local want=(build-essential pkg-config libwebkit2gtk-4.1-dev libgtk-3-dev
    libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev xvfb webkit2gtk-driver)
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
    echo "Caravan needs a Rust toolchain (1.90 or newer): install it with rustup, then run this again." >&2
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
