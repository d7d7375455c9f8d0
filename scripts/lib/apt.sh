# shellcheck shell=bash
# Sourced by the provisioning scripts: the one way they install Debian packages.

# apt_install PKG...: installs the packages without their recommends, as root (or through sudo),
# waiting up to 5 minutes for another apt to let go of its lock. A fresh machine may have no
# package lists yet, so a failed install updates them and tries once more (then shows its errors).
# Quiet on stdout, so a function whose output is captured can call it.
apt_install() {
  local apt_get=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
  [[ $EUID -eq 0 ]] || apt_get=(sudo "${apt_get[@]}")
  if ! "${apt_get[@]}" install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; then
    "${apt_get[@]}" update -qq >&2
    "${apt_get[@]}" install -y -qq --no-install-recommends "$@" >/dev/null
  fi
}
