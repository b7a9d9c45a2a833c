"""Each local file's sha256 remembered with what ``stat`` says of it (size, modification and change
times, inode), so that a run over an unchanged folder looks at the files instead of reading every byte
of them again, as git's index does. A remembered hash is used only when all of those are the same, and
only for a file last changed more than :data:`MARGIN_NS` before it was hashed (a change within the same
tick of the file system's clock would leave them all the same). The change time (ctime) is set by the
system on every write and cannot be set back by tools such as ``touch``; ``ingest --force`` reads every
file whatever this says. A cache, not part of the store: deleting :data:`FILE` costs one full hashing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from analysis.store.parts import write_whole

from .sources import is_remote, local

FILE = ".file-hashes.parquet"  # in the store's folder, beside the generations; written after a run
MARGIN_NS = 2_000_000_000  # a file changed this close to its hashing is hashed again next time
_STAT = ("size", "mtime_ns", "ctime_ns", "inode", "device")
SCHEMA = pa.schema(
    [
        ("path", pa.binary()),  # as the file system's bytes (os.fsencode): a name not in UTF-8 kept as it is
        *((c, pa.int64()) for c in _STAT),
        ("sha256", pa.string()),
        ("hashed_ns", pa.int64()),
    ]
)


def _stat(source: str) -> tuple[int, ...] | None:
    """What the file system says of a local file (None for a URL or a file it cannot stat)."""
    if is_remote(source):
        return None
    try:
        st = os.stat(local(source))
    except (OSError, ValueError):
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def _remembered(store_dir: Path) -> dict[bytes, tuple]:
    """path → (size, mtime_ns, ctime_ns, inode, device, sha256, hashed_ns); nothing when the file is
    missing or cannot be read."""
    try:
        table = pq.read_table(store_dir / FILE)
    except (OSError, pa.ArrowException):
        return {}
    if not table.schema.equals(SCHEMA):
        return {}
    cols = [table[c].to_pylist() for c in SCHEMA.names]
    return {row[0]: row[1:] for row in zip(*cols, strict=True)}


def file_hashes(
    store_dir: Path,
    sources: list[str],
    hash_all: Callable[[list[str]], list[str | None]],
    trust: bool = True,
) -> tuple[list[str | None], Callable[[], None]]:
    """Every source's sha256 (None: it cannot be read), remembered ones taken as they are (unless not
    ``trust``: ``--force``) and the rest made by ``hash_all``; and a function that remembers them for
    the next run, for the caller to call once the run is done (a run interrupted or failed leaves the
    store's folder as it was; a file that cannot be written is left out)."""
    known = _remembered(store_dir)
    started = time.time_ns()
    names = [os.fsencode(local(s)) if not is_remote(s) else b"" for s in sources]
    stats = [_stat(s) for s in sources]
    shas: list[str | None] = [None] * len(sources)
    todo = []
    for i, (name, st) in enumerate(zip(names, stats, strict=True)):
        old = known.get(name)
        if (
            trust
            and st is not None
            and old is not None
            and old[:5] == st
            and max(st[1], st[2]) < old[6] - MARGIN_NS  # changed well before it was hashed
        ):
            shas[i] = old[5]
        else:
            todo.append(i)
    for i, sha in zip(todo, hash_all([sources[i] for i in todo]) if todo else [], strict=True):
        shas[i] = sha

    def remember() -> None:
        if todo:
            _remember(store_dir, names, stats, shas, known, started, set(todo))

    return shas, remember


def _remember(
    store_dir: Path,
    names: list[bytes],
    stats: list[tuple[int, ...] | None],
    shas: list[str | None],
    known: dict[bytes, tuple],
    started: int,
    made: set[int],
) -> None:
    """Write the hashes of this run's local files (``names``: their paths as bytes; those just made
    stamped with ``started``, the time before they were looked at), and the remembered ones of other
    files that still exist."""
    rows = {}
    for i, (name, st, sha) in enumerate(zip(names, stats, shas, strict=True)):
        if st is not None and sha is not None:
            rows[name] = (*st, sha, started if i in made else known[name][6])
    for path, old in known.items():
        if path not in rows and os.path.exists(path):
            rows[path] = old
    cols = list(zip(*([p, *v] for p, v in rows.items()), strict=True)) if rows else [[]] * len(SCHEMA)
    table = pa.Table.from_arrays(
        [pa.array(c, type=f.type) for c, f in zip(cols, SCHEMA, strict=True)], schema=SCHEMA
    )
    write_whole(table, store_dir / FILE)  # (one that cannot be written: the next run hashes again)
