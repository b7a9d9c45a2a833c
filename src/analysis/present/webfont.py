"""The CJK font a page needs, embedded in it: the bundled Noto Sans CJK SC (``charts.font_path``) cut
down to the characters the page holds, so that its Chinese renders on a machine with no CJK font
installed (a Linux server, a fresh VM, a headless browser), as the charts' Chinese does, and the page
still loads nothing from the network."""

from __future__ import annotations

import base64
import io

from .charts import FONT_FAMILY, font_path

# the family every page asks for first; where the system has the real font, it is used
_RULE = (
    '@font-face{{font-family:"{family}";src:local("{family}"),'
    'url(data:font/otf;base64,{data}) format("opentype");font-display:swap}}'
)
# nbconvert's pages take their fonts from JupyterLab's variables: the family is added at their end
_JUPYTER = (
    ':root{{--jp-content-font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif,'
    '"{family}";--jp-ui-font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif,'
    '"{family}"}}'
)


def font_face(text: str) -> str:
    """A CSS ``@font-face`` for :data:`.charts.FONT_FAMILY` holding the glyphs of ``text`` (embedded,
    base64); "" when the font file is not installed or holds none of them."""
    path = font_path()
    chars = {c for c in text if ord(c) > 0x7F}
    if path is None or not chars:
        return ""
    from fontTools import subset

    options = subset.Options()
    options.name_IDs, options.layout_features = ["*"], ["*"]
    font = subset.load_font(str(path), options)
    cutter = subset.Subsetter(options)
    cutter.populate(text="".join(sorted(chars)))
    cutter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return _RULE.format(family=FONT_FAMILY, data=base64.b64encode(out.getvalue()).decode("ascii"))


def with_font(page: str) -> str:
    """The HTML page with :func:`font_face` of its own text in a ``<style>`` at the end of its head
    (and, on a page of nbconvert's, the family added to JupyterLab's font variables)."""
    rule = font_face(page)
    if not rule or "</head>" not in page:
        return page
    if "--jp-content-font-family" in page:
        rule += _JUPYTER.format(family=FONT_FAMILY)
    return page.replace("</head>", f"<style>{rule}</style>\n</head>", 1)
