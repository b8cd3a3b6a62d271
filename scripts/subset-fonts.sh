#!/usr/bin/env bash
# Makes the CJK fonts shipped in crates/report/fonts/: subsets of Noto Serif CJK SC (Regular,
# Bold) and Noto Sans CJK SC (Bold), SIL Open Font License 1.1, cut down to GB2312 (all 6,763
# hanzi and its symbols), ASCII, CJK punctuation and every character used by the app's i18n
# files, the demo generator's names and the data/*.csv reference tables.
# Needs: fonts-noto-cjk (Debian) and fonttools (`pip install fonttools`).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=${NOTO_DIR:-/usr/share/fonts/opentype/noto}
OUT=crates/report/fonts
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
python3 - "$TMP/chars.txt" <<'PY'
import glob, sys
chars = set()
# GB2312: every valid double-byte code (rows 0xA1-0xF7, cells 0xA1-0xFE).
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
chars.update(chr(c) for c in range(0x20, 0x7F))          # ASCII
chars.update(chr(c) for c in range(0x3000, 0x3040))      # CJK symbols and punctuation
chars.update(chr(c) for c in range(0xFF01, 0xFF5F))      # full-width forms
chars.update("—–‘’“”…·×÷±≤≥→←↑↓①②③④⑤⑥⑦⑧⑨⑩％〔〕")
files = (glob.glob("crates/web/i18n/*.json") + glob.glob("crates/demo/src/*.rs")
         + glob.glob("data/*.csv") + glob.glob("crates/report/src/*.rs") + glob.glob("crates/domain/src/reports*.rs")
         + glob.glob("crates/domain/src/reports/*.rs") + glob.glob("crates/store/src/*.rs"))
for f in files:
    chars.update(open(f, encoding="utf-8").read())
chars = sorted(c for c in chars if ord(c) >= 0x20)
open(sys.argv[1], "w", encoding="utf-8").write("".join(chars))
print(len(chars), "characters")
PY
subset() { # source index output
  pyftsubset "$SRC/$1" --font-number="$2" --text-file="$TMP/chars.txt" --output-file="$OUT/$3" \
    --layout-features='*' --no-hinting --name-languages='*'
}
subset NotoSerifCJK-Regular.ttc 2 NotoSerifCJKsc-Regular-subset.otf
subset NotoSerifCJK-Bold.ttc 2 NotoSerifCJKsc-Bold-subset.otf
subset NotoSansCJK-Bold.ttc 2 NotoSansCJKsc-Bold-subset.otf
ls -l "$OUT"
