"""pdfium's C functions for the per-character and per-path loops, called without ctypes' argument checks.

pypdfium2's bindings declare every argument's type, and ctypes checks and converts each argument on
every call: ~0.4 µs of the ~0.55 µs a character box costs, paid once per character and several
times per path segment. The same C functions are bound here a second time with no declared
arguments; ctypes then passes ctypes objects as they are (handles, ``byref(...)``), and Python
ints as C ``int``. So every argument must be a handle (a pypdfium2 ``.raw`` or a value these
functions return), a ``byref`` of the right C type, or an index that is a C ``int`` in the
function's signature (never an ``unsigned long`` or a ``size_t``: use pypdfium2's binding for
those). Handles come back as ``_Handle`` objects (a subclass of ``c_void_p``, which ctypes does
not turn into a Python int), false when NULL. Same C functions, same results: only the call is cheaper.

They are also called without letting go of the GIL (``ctypes.PYFUNCTYPE``, as a ``PyDLL`` function
is): ctypes otherwise releases and retakes it around every call, a sixth of what a call costs here,
and none of these functions runs long or calls back into Python.
"""

from __future__ import annotations

import ctypes
from functools import cache

import pypdfium2.raw as pdfium_c


class _Handle(ctypes.c_void_p):
    """An opaque pdfium handle (page object, path segment) returned by a function bound here."""


def _unchecked(fn, restype=ctypes.c_int):  # noqa: ANN001, ANN202
    """The C function behind a pypdfium2 binding, with no argument types declared, called with the GIL held."""
    bare = ctypes.PYFUNCTYPE(restype)(ctypes.cast(fn, ctypes.c_void_p).value)
    bare.argtypes = None
    return bare


@cache
def array_type(ctype: type, size: int) -> type:
    """``ctype * size``, made once: ctypes (CPython 3.11) holds the array types it makes only weakly,
    so a type made per page is made again (~10 µs) and collected again page after page. Ask for few
    distinct sizes (e.g. powers of two): every type asked for is kept."""
    return ctype * size


# text page, int index, FS_RECTF* / double* ×4 → FPDF_BOOL
loose_char_box = _unchecked(pdfium_c.FPDFText_GetLooseCharBox)
char_box = _unchecked(pdfium_c.FPDFText_GetCharBox)
# text page, int char index → int text index (-1 for a character left out of the text);
# text page, int start, int count, unsigned short* buffer → UTF-16 units written, NUL included
text_index = _unchecked(pdfium_c.FPDFText_GetTextIndexFromCharIndex)
get_text = _unchecked(pdfium_c.FPDFText_GetText)
# page → int; page, int → page object, as its address (a Python int, None when NULL: wrap it in
# _Handle to pass it on; most of a page's objects are text, whose handles are never needed)
count_objects = _unchecked(pdfium_c.FPDFPage_CountObjects)
get_object_address = _unchecked(pdfium_c.FPDFPage_GetObject, ctypes.c_void_p)
# form object → int; form object, unsigned long index → page object address (its index type declared)
form_count_objects = _unchecked(pdfium_c.FPDFFormObj_CountObjects)
form_get_object_address = _unchecked(pdfium_c.FPDFFormObj_GetObject, ctypes.c_void_p)
form_get_object_address.argtypes = (ctypes.c_void_p, ctypes.c_ulong)
# page object address → int (FPDF_PAGEOBJ_*): its one argument declared, so that an int is a pointer
object_type_at = _unchecked(pdfium_c.FPDFPageObj_GetType)
object_type_at.argtypes = (ctypes.c_void_p,)
# page object, FS_MATRIX* / float* ×4 → FPDF_BOOL
object_matrix = _unchecked(pdfium_c.FPDFPageObj_GetMatrix)
object_bounds = _unchecked(pdfium_c.FPDFPageObj_GetBounds)
# path object, int* fill mode, FPDF_BOOL* stroke → FPDF_BOOL; path → int; path, int → segment
path_draw_mode = _unchecked(pdfium_c.FPDFPath_GetDrawMode)
path_count_segments = _unchecked(pdfium_c.FPDFPath_CountSegments)
path_segment = _unchecked(pdfium_c.FPDFPath_GetPathSegment, _Handle)
# segment → int (FPDF_SEGMENT_*); segment, float*, float* → FPDF_BOOL; segment → FPDF_BOOL
segment_type = _unchecked(pdfium_c.FPDFPathSegment_GetType)
segment_point = _unchecked(pdfium_c.FPDFPathSegment_GetPoint)
segment_close = _unchecked(pdfium_c.FPDFPathSegment_GetClose)
