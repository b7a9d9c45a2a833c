"""The bundled CJK font installed for the user's other programs: a deck's text (python-pptx cannot
embed a font) names Noto Sans CJK SC, and LibreOffice on a machine without a CJK font shows its
Chinese as boxes. The charts and pages need none of this: they carry the font themselves."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .charts import FONT_FAMILY, FONT_FILE, font_path

INSTALL_HINT = "python -m analysis fonts --install"


def user_font_dir() -> Path | None:
    """Where this user's fonts go (fontconfig's ``$XDG_DATA_HOME/fonts`` on Linux, ``~/Library/Fonts``
    on macOS); None on Windows, whose own CJK fonts (Microsoft YaHei) stand in for a missing one."""
    if sys.platform == "win32":
        return None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Fonts"
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "fonts"


def cjk_families() -> list[str] | None:
    """The font families fontconfig knows for Chinese (what LibreOffice can draw it with); None when
    there is no fontconfig to ask (``fc-list`` not installed)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, ":lang=zh", "family"], capture_output=True, text=True, timeout=60, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return sorted({name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()})


def missing_font_note() -> str | None:
    """One line for a user whose machine cannot show a deck's Chinese (no CJK font fontconfig knows);
    None when it can, or when there is no fontconfig to tell."""
    families = cjk_families()
    if families is None or families:
        return None
    return (
        f"note: the deck (brief.pptx) sets its text in {FONT_FAMILY}, and this machine has no Chinese font for "
        f"LibreOffice to draw it with (boxes instead); `{INSTALL_HINT}` installs the bundled one for you"
    )


def install(target: Path | None = None) -> str:
    """Copy the bundled font into the user's font folder (``target``, default :func:`user_font_dir`)
    and refresh fontconfig's cache; returns what was done, in one line. Raises RuntimeError (one
    line) when there is no font to install or no folder to put it in."""
    source = font_path()
    if source is None:
        raise RuntimeError(
            f"no bundled font: the `mplfonts` package (a dependency) is not installed ({FONT_FILE})"
        )
    folder = target or user_font_dir()
    if folder is None:
        return f"{FONT_FAMILY}: nothing to install on Windows (its Chinese fonts stand in for it)"
    dest = folder / FONT_FILE
    if dest.exists() and dest.stat().st_size == source.stat().st_size:
        done = f"{FONT_FAMILY} already installed in {folder}"
    else:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            part = dest.with_name(f".{dest.name}.tmp")
            shutil.copyfile(source, part)
            os.replace(part, dest)
        except OSError as exc:
            raise RuntimeError(f"{dest}: cannot install the font: {exc.strerror or exc}") from None
        done = f"{FONT_FAMILY} installed in {folder}"
    cache = shutil.which("fc-cache")
    if cache is not None:
        subprocess.run([cache, str(folder)], capture_output=True, timeout=300, check=False)
    return done
