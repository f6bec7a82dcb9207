# Shared by scripts/run and scripts/test: find Swift, install the Debian packages sparkify needs.
# Sourced, not run.

# The Swift toolchain on these machines lives in /opt/swift; a login shell may not have it on PATH.
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi
if ! command -v swift >/dev/null 2>&1; then
    echo "sparkify: Swift 6 is needed to build sparkify and was not found on PATH." >&2
    exit 1
fi

# ensure_packages PKG... : installs whichever are missing, with apt when we are root or have
# passwordless sudo; otherwise prints the exact line to run and stops.
ensure_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local apt=()
    if [ "$(id -u)" -eq 0 ]; then
        apt=(apt-get)
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        apt=(sudo apt-get)
    else
        echo "sparkify: these system packages are missing: ${missing[*]}" >&2
        echo "Install them, then run this again:" >&2
        echo "    sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "sparkify: installing ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" update -qq >&2
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# libpq to talk to servers, ncursesw for the console, the PostgreSQL server for the embedded
# warehouse, pkg-config so SwiftPM finds libpq; libcurl (OpenSSL flavour) to read S3 sources,
# whose libssl-dev (already pulled in by libpq-dev) gives SigV4 its SHA-256 and HMAC; libxml2 for
# Foundation's XML parser, which reads the AWS Query API's answers (the cluster commands).
RUNTIME_PACKAGES=(postgresql libpq-dev libncurses-dev pkg-config libcurl4-openssl-dev libssl-dev libxml2)

# ensure_python_modules MODULE=REQUIREMENT... : pip-installs the requirement of each module that
# python3 cannot import. Test-only tools (the local S3 server, an independent SQL parser).
ensure_python_modules() {
    local missing=()
    for pair in "$@"; do
        python3 -c "import ${pair%%=*}" 2>/dev/null || missing+=("${pair#*=}")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "sparkify: installing from PyPI: ${missing[*]}" >&2
    python3 -m pip install -q --disable-pip-version-check "${missing[@]}" >&2
}
