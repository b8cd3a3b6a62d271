#!/usr/bin/env bash
# Builds the Debian package of zhantu: target/zhantu_<version>_<arch>.deb, with dpkg-deb alone
# (no cargo-deb to install). It holds the release binary (/usr/lib/zhantu/zhantu, linked from
# /usr/bin/zhantu), the PDF fonts beside it, the systemd units of packaging/debian (the service,
# and the daily backup's service and timer), /etc/default/zhantu (a conffile: listen address,
# database, cookie and proxy settings), the deploy guide, and maintainer scripts that add the
# `zhantu` system user with /var/lib/zhantu and /var/backups/zhantu and, on a first install,
# print how to set the district up with `zhantu init`.
# Usage: scripts/package-deb.sh            (builds the release binary first)
#        ZHANTU_BIN=path/to/zhantu scripts/package-deb.sh   (packages that binary)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${OUT_DIR:-$ROOT/target}
if [ -z "${ZHANTU_BIN:-}" ]; then
  cargo build --release -p zhantu
  ZHANTU_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/zhantu"
fi
[ -x "$ZHANTU_BIN" ] || { echo "no zhantu binary at $ZHANTU_BIN" >&2; exit 1; }
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
ARCH=$(dpkg --print-architecture)
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
P="$STAGE/zhantu_${VERSION}_${ARCH}"

install -d "$P/DEBIAN" "$P/usr/bin" "$P/usr/lib/zhantu/fonts" "$P/lib/systemd/system" "$P/etc/default" \
  "$P/usr/share/doc/zhantu"
install -m 0755 -s "$ZHANTU_BIN" "$P/usr/lib/zhantu/zhantu"
ln -s ../lib/zhantu/zhantu "$P/usr/bin/zhantu"
for f in crates/report/fonts/*; do
  case "$f" in *.md) ;; *) install -m 0644 "$f" "$P/usr/lib/zhantu/fonts/" ;; esac
done
install -m 0644 packaging/debian/zhantu.service packaging/debian/zhantu-backup.service \
  packaging/debian/zhantu-backup.timer "$P/lib/systemd/system/"
install -m 0644 packaging/debian/default "$P/etc/default/zhantu"
install -m 0644 docs/DEPLOY.md README.md "$P/usr/share/doc/zhantu/"
install -m 0644 LICENSE "$P/usr/share/doc/zhantu/copyright" 2>/dev/null || \
  printf 'zhantu\nLicense: MIT\n' > "$P/usr/share/doc/zhantu/copyright"
install -m 0755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm "$P/DEBIAN/"
echo /etc/default/zhantu > "$P/DEBIAN/conffiles"
# The C library the binary was linked against, as the lowest version it needs.
GLIBC=$(objdump -T "$P/usr/lib/zhantu/zhantu" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1)
SIZE=$(du -sk "$P" | cut -f1)
cat > "$P/DEBIAN/control" <<CONTROL
Package: zhantu
Version: $VERSION
Architecture: $ARCH
Maintainer: zhantu maintainers <zhantu@localhost>
Installed-Size: $SIZE
Depends: libc6 (>= ${GLIBC:-2.31}), adduser
Section: web
Priority: optional
Homepage: https://github.com/zhantu/zhantu
Description: 战图 · major investment projects battle map for a district government
 One binary serving the battle map (挂图作战) of a district's major projects: reserve pool
 and attraction pipeline, milestone nodes with warning lights, progress and investment
 reports, problem lists, batches, campaigns, supervision, and the weekly, monthly,
 bimonthly and quarterly reports as HTML, PDF and Excel. SQLite by default, PostgreSQL
 by URL. Set up with: sudo -u zhantu zhantu init --database /var/lib/zhantu/zhantu.db ...
CONTROL
mkdir -p "$OUT"
dpkg-deb --root-owner-group --build "$P" "$OUT/zhantu_${VERSION}_${ARCH}.deb" >/dev/null
echo "$OUT/zhantu_${VERSION}_${ARCH}.deb"
dpkg-deb --info "$OUT/zhantu_${VERSION}_${ARCH}.deb" | sed -n '/Package:/,/Depends:/p'
