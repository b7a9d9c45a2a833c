"""The bundled CJK font installed for the user's other programs (a deck only names its font): copied
whole into the user's font folder, found by fontconfig afterwards, and a note when a machine has none."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.present import userfont
from analysis.present.charts import FONT_FAMILY, FONT_FILE, font_path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home of its own: fontconfig looks at the system's fonts and this user folder only."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path


def test_the_font_is_copied_whole_into_the_users_font_folder(home: Path) -> None:
    folder = userfont.user_font_dir()
    assert folder == home / "data" / "fonts"
    assert userfont.install() == f"{FONT_FAMILY} installed in {folder}"
    assert (folder / FONT_FILE).read_bytes() == font_path().read_bytes()  # type: ignore[union-attr]
    assert [p.name for p in folder.iterdir()] == [FONT_FILE]  # nothing half-written left beside it
    assert userfont.install() == f"{FONT_FAMILY} already installed in {folder}"


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="no fontconfig (fc-list) on this machine")
def test_fontconfig_finds_the_installed_font(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fonts", "--install"]) == 0
    assert FONT_FAMILY in userfont.cjk_families()  # type: ignore[operator]
    assert userfont.missing_font_note() is None
    out = capsys.readouterr().out
    assert "installed in" in out and f"Chinese fonts for LibreOffice: {FONT_FAMILY}" in out


def test_a_machine_without_a_chinese_font_is_told_how_to_get_one(
    monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # noqa: ANN001
    monkeypatch.setattr(userfont, "cjk_families", lambda: [])
    note = userfont.missing_font_note()
    assert note is not None and "brief.pptx" in note and userfont.INSTALL_HINT in note
    assert main(["fonts"]) == 1
    assert userfont.INSTALL_HINT in capsys.readouterr().out
    monkeypatch.setattr(userfont, "cjk_families", lambda: None)  # no fontconfig: nothing to tell
    assert userfont.missing_font_note() is None
    monkeypatch.setattr(userfont, "cjk_families", lambda: ["Noto Sans CJK SC"])
    assert userfont.missing_font_note() is None


def test_a_folder_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(RuntimeError, match="cannot install the font") as err:
        userfont.install(blocker / "fonts")
    assert "\n" not in str(err.value)
