"""Pages carry the CJK font they need (``present.webfont``): the bundled Noto Sans CJK SC cut down to
the page's own characters, embedded, so that Chinese renders where no CJK font is installed."""

from __future__ import annotations

import base64
import io
import re

import pytest
from fontTools.ttLib import TTFont

from analysis.present.charts import FONT_FAMILY, font_path
from analysis.present.webfont import with_font

pytestmark = pytest.mark.skipif(font_path() is None, reason="mplfonts (the bundled CJK font) not installed")

PAGE = "<html><head><title>简报</title></head><body><p>公开率（含部分公开）：未能读取</p></body></html>"


def _embedded(page: str) -> TTFont:
    m = re.search(r"url\(data:font/otf;base64,([A-Za-z0-9+/=]+)\)", page)
    assert m, "no embedded font"
    return TTFont(io.BytesIO(base64.b64decode(m.group(1))))


def test_a_page_embeds_the_glyphs_of_its_own_text() -> None:
    page = with_font(PAGE)
    assert f'font-family:"{FONT_FAMILY}"' in page and page.index("@font-face") < page.index("</head>")
    cmap = _embedded(page).getBestCmap()
    assert all(ord(c) in cmap for c in "简报公开率（含部分）：未能读取")
    assert ord("政") not in cmap  # not on the page: cut out (the whole font is 16 MB)
    assert len(page) < len(PAGE) + 60_000


def test_a_page_without_chinese_or_head_is_left_as_it_is() -> None:
    assert (
        with_font("<html><head></head><body>ok</body></html>") == "<html><head></head><body>ok</body></html>"
    )
    assert with_font("<p>简报</p>") == "<p>简报</p>"


def test_a_notebook_page_gets_the_family_in_jupyterlabs_font_variables() -> None:
    page = with_font(PAGE.replace("<title>", "<style>:root{--jp-content-font-family:x}</style><title>"))
    assert re.search(rf'--jp-content-font-family:[^;]*"{FONT_FAMILY}"', page)
