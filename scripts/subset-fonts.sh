#!/usr/bin/env bash
# Makes the fonts shipped in crates/report/fonts/ (see its README.md for the choice):
#   NotoSerifCJKsc-Regular-subset.otf  Noto Serif CJK SC Regular, GB 18030-2022 implementation
#                                      level 1 (all it has of it) + the repository's own text
#   NotoSerifCJKsc-Bold-subset.otf     Noto Serif CJK SC Bold, GB2312 + the repository's text
#   NotoSansCJKsc-Bold-subset.otf      Noto Sans CJK SC Bold, the same
#   HanaMinA-subset.ttf                HanaMinA: what level 1 needs that Noto lacks (compatibility
#                                      ideographs, a few symbols) + CJK Compatibility Supplement
#   HanaMinB-subset.ttf                HanaMinB: Extensions B–F (GB 18030-2022 levels 2–3)
#   BabelStoneHan-subset.ttf           BabelStone Han: U+9FEB–U+9FFF (Unicode 11–14) only
# Needs: fonts-noto-cjk (Debian), the .deb files of fonts-hanazono and fonts-babelstone-han
# (`apt-get download fonts-hanazono fonts-babelstone-han`, or installed), and fonttools
# (`pip install fonttools`). Set NOTO_DIR, HANAZONO_DIR, BABELSTONE_DIR to other folders.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=${NOTO_DIR:-/usr/share/fonts/opentype/noto}
OUT=crates/report/fonts
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# Hanazono and BabelStone: from the installed package, else from its .deb (apt-get download).
unpack() { # package font-file → prints the folder holding it
  local pkg=$1 file=$2 dir
  for dir in /usr/share/fonts/truetype/hanazono /usr/share/fonts/truetype/babelstone; do
    [[ -f $dir/$file ]] && { echo "$dir"; return; }
  done
  (cd "$TMP" && apt-get download "$pkg" >/dev/null && dpkg-deb -x "$pkg"_*.deb "x-$pkg")
  dirname "$(find "$TMP/x-$pkg" -name "$file")"
}
HANAZONO=${HANAZONO_DIR:-$(unpack fonts-hanazono HanaMinB.ttf)}
BABELSTONE=${BABELSTONE_DIR:-$(unpack fonts-babelstone-han BabelStoneHan.ttf)}

python3 - "$TMP" "$SRC/NotoSerifCJK-Regular.ttc" <<'PY'
import glob, sys, unicodedata
from fontTools.ttLib import TTFont
tmp, noto = sys.argv[1], sys.argv[2]
def assigned(a, b):
    return {chr(c) for c in range(a, b + 1) if unicodedata.category(chr(c)) != "Cn"}
# The repository's own text: i18n, the demo's names, reference tables, the report text in code.
app = set()
files = (glob.glob("crates/web/i18n/*.json") + glob.glob("crates/demo/src/*.rs")
         + glob.glob("data/*.csv") + glob.glob("crates/report/src/*.rs") + glob.glob("crates/domain/src/reports*.rs")
         + glob.glob("crates/domain/src/reports/*.rs") + glob.glob("crates/domain/src/cadence/*.rs")
         + glob.glob("crates/store/src/*.rs"))
for f in files:
    app.update(open(f, encoding="utf-8").read())
common = assigned(0x20, 0x7E) | assigned(0x3000, 0x303F) | assigned(0xFF01, 0xFF5E) | set("—–‘’“”…·×÷±≤≥→←↑↓①②③④⑤⑥⑦⑧⑨⑩％〔〕〓")
# GB2312: every valid double-byte code (rows 0xA1-0xF7, cells 0xA1-0xFE).
gb2312 = set()
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            gb2312.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
# GB 18030-2022 level 1: every character of the two-byte part (GBK's hanzi and symbols, the
# private-use codes left out), ASCII, the Unified Ideographs as far as Unicode assigns them,
# Extension A, the compatibility ideographs, and the CJK symbol, radical, stroke and form blocks.
level1 = set()
for hi in range(0x81, 0xFF):
    for lo in list(range(0x40, 0x7F)) + list(range(0x80, 0xFF)):
        try:
            c = bytes([hi, lo]).decode("gb18030")
        except UnicodeDecodeError:
            continue
        if len(c) == 1 and not 0xE000 <= ord(c) <= 0xF8FF:
            level1.add(c)
for a, b in [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0x3000, 0x33FF), (0xFF00, 0xFFEF),
             (0xFE10, 0xFE6F), (0x2E80, 0x2FFF), (0x31C0, 0x31EF)]:
    level1 |= assigned(a, b)
level1 |= common
def write(name, chars):
    chars = sorted(c for c in chars if ord(c) >= 0x20)
    open(f"{tmp}/{name}.txt", "w", encoding="utf-8").write("".join(chars))
    print(f"{name}: {len(chars)} characters asked")
write("regular", level1 | app)
write("bold", gb2312 | common | app)
noto_has = TTFont(noto, fontNumber=2, lazy=True).getBestCmap()
gaps = {c for c in level1 | app if ord(c) not in noto_has}
write("gaps", gaps | assigned(0x2F800, 0x2FA1F))
PY
subset() { # source index output text-file|unicodes
  local what
  if [[ $4 == U+* ]]; then what=(--unicodes="$4"); else what=(--text-file="$TMP/$4.txt"); fi
  # pyftsubset's default layout features (ccmp, locl, liga, kern, vert…): '*' would keep the
  # Japanese and traditional alternates (jp78, trad, aalt…), a third more glyphs.
  pyftsubset "$1" --font-number="$2" "${what[@]}" --output-file="$OUT/$3" \
    --no-hinting --name-languages='*'
}
# A format 4 cmap holds at most 64 KB: past ~20,000 scattered characters its offsets wrap and
# characters map to .notdef. Keep the full map in a format 12 table and only the characters
# below U+3400 in format 4 (parsers fall through to format 12 for the rest).
split_cmap() {
  python3 - "$OUT/$1" <<'PY'
import sys
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable
f = TTFont(sys.argv[1])
full = f.getBestCmap()
def table(fmt, enc, cmap):
    t = CmapSubtable.newSubtable(fmt)
    t.platformID, t.platEncID, t.language, t.cmap = 3, enc, 0, cmap
    return t
others = [t for t in f["cmap"].tables if t.format == 14]
f["cmap"].tables = [table(4, 1, {u: g for u, g in full.items() if u < 0x3400}), table(12, 10, dict(full))] + others
f.save(sys.argv[1])
PY
}
subset "$SRC/NotoSerifCJK-Regular.ttc" 2 NotoSerifCJKsc-Regular-subset.otf regular
split_cmap NotoSerifCJKsc-Regular-subset.otf
subset "$SRC/NotoSerifCJK-Bold.ttc" 2 NotoSerifCJKsc-Bold-subset.otf bold
subset "$SRC/NotoSansCJK-Bold.ttc" 2 NotoSansCJKsc-Bold-subset.otf bold
subset "$HANAZONO/HanaMinA.ttf" 0 HanaMinA-subset.ttf gaps
subset "$HANAZONO/HanaMinB.ttf" 0 HanaMinB-subset.ttf U+20000-2EBEF
subset "$BABELSTONE/BabelStoneHan.ttf" 0 BabelStoneHan-subset.ttf U+9FEB-9FFF
# The Arphic Public License asks each modified file to say how it was changed.
python3 - "$OUT/BabelStoneHan-subset.ttf" <<'PY'
import sys
from fontTools.ttLib import TTFont
f = TTFont(sys.argv[1])
f["name"].setName("Subset of BabelStone Han 15.0.5 (Debian fonts-babelstone-han) to U+9FEB-U+9FFF "
                  "by zhantu's scripts/subset-fonts.sh (pyftsubset, no hinting); licence: ARPHICPL.TXT", 10, 3, 1, 0x409)
f.save(sys.argv[1])
PY
python3 - "$OUT" <<'PY'
import sys, glob, os
from fontTools.ttLib import TTFont
for p in sorted(glob.glob(sys.argv[1] + "/*.[ot]tf")):
    print(f"{os.path.basename(p)}: {len(TTFont(p, lazy=True).getBestCmap())} characters, {os.path.getsize(p):,} bytes")
PY
