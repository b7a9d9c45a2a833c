#!/usr/bin/env bash
# The package as a user installs it: build the wheel, install it into a fresh venv outside the checkout
# (its dependencies from the package index, through pip's cache), and from a temporary folder run
# extract, ingest and brief on the bundled reports. Any error fails the check. `make wheel-check`; CI runs
# it after `make test`. PYTHON picks the interpreter (default python3); KEEP=1 keeps the work folder.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/wheel-check.XXXXXX")"
case "$WORK/" in "$ROOT"/*) echo "wheel-check: $WORK is inside the checkout; set TMPDIR" >&2; exit 1 ;; esac
[ "${KEEP:-}" = 1 ] && echo "wheel-check: keeping $WORK" || trap 'rm -rf "$WORK"' EXIT
unset PYTHONPATH  # the installed wheel, not the checkout's src/, must be what runs
export JUPYTER_PATH="$WORK/venv/share/jupyter"  # the venv's own python3 kernel, not one from ~/.local
step() { printf '\n== wheel-check: %s (%ss)\n' "$1" "$SECONDS"; }

step "build the wheel from a copy of the working tree"
mkdir "$WORK/tree"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
  xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' _ |
  tar --null -T - -cf -) | tar -xf - -C "$WORK/tree"
"$PYTHON" -m pip wheel --quiet --no-deps -w "$WORK/dist" "$WORK/tree"
WHEEL="$(ls "$WORK"/dist/*.whl)"
"$PYTHON" - "$WHEEL" <<'EOF'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = {"analysis/briefs/yearly_brief.ipynb", "analysis/parse/bureaus.csv", "analysis/__main__.py"}
missing = need - names
assert not missing, f"the wheel lacks {sorted(missing)}"
assert any(n.startswith("analysis/parse/templates/") and n.endswith(".csv") for n in names), "no templates"
print(f"{sys.argv[1].rsplit('/', 1)[-1]}: {len(names)} files")
EOF

step "install it into a fresh venv"
"$PYTHON" -m venv "$WORK/venv"
PY="$WORK/venv/bin/python"
"$PY" -m pip install --quiet --no-compile "$WHEEL"  # pip's cache dir as usual; bytecode on import

mkdir "$WORK/run" && cd "$WORK/run"
"$PY" - "$ROOT" <<'EOF'
import sys
from pathlib import Path
import analysis
where = Path(analysis.__file__).resolve()
assert "site-packages" in where.parts and Path(sys.argv[1]) not in where.parents, f"imported {where}"
print(f"analysis from {where.parent}")
EOF

step "extract one bundled report"
"$PY" -m analysis extract "$ROOT/data/raw/2024_huaian-shizhengfu.pdf" | tee "$WORK/extract.txt"
grep -q "淮安市人民政府" "$WORK/extract.txt"

step "ingest a copy of data/raw"
cp -r "$ROOT/data/raw" "$WORK/raw"
"$PY" -m analysis ingest "$WORK/raw" --out "$WORK/clean" --quiet
test -e "$WORK/clean/reports.parquet"  # a link to the current generation's reports (a partitioned dataset folder)

step "one yearly brief"
"$PY" -m analysis brief --bureau 淮安市人民政府 --year 2024 --data "$WORK/clean" --out "$WORK/reports"
for f in brief.ipynb brief.html brief.pptx key_figures.json; do
  test -s "$WORK/reports/淮安市人民政府/2024/$f" || { echo "wheel-check: $f missing" >&2; exit 1; }
done
grep -q "2024年共收到政府信息公开申请3119件" "$WORK/reports/淮安市人民政府/2024/brief.html"

step "passed"
