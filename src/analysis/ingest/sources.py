"""Where report files come from: a local folder (or ``file://`` URL), or any fsspec URL (``s3://…``),
listed, hashed and fetched the same way on this machine and on a cluster's workers."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from analysis.read import SUPPORTED

# notes kept beside the reports (provenance, a read-me) are not reports, whatever their extension
NOT_REPORTS = frozenset({"sources.md", "readme.md"})
CHUNK = 1 << 20


def is_remote(source: str | Path) -> bool:
    """True for a URL that only fsspec can open (``s3://``, ``gs://``, ``memory://`` …); a local path and
    a ``file://`` URL are local."""
    text = str(source)
    return "://" in text and not text.startswith("file://")


def local(source: str | Path) -> str | Path:
    """A ``file://`` URL as the path it names; anything else as given."""
    text = str(source)
    return text[len("file://") :] if text.startswith("file://") else source


def is_report(name: str, parts: tuple[str, ...]) -> bool:
    """A report file by its name: a supported suffix, not a note, no hidden folder or file on the way."""
    return (
        Path(name).suffix.lower() in SUPPORTED
        and name.lower() not in NOT_REPORTS
        and not any(part.startswith(".") for part in parts)
    )


def find_remote(url: str) -> list[str]:
    """The report files under an fsspec URL (a file or a prefix), as URLs, in a stable order."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    protocol = url.split("://", 1)[0]
    if fs.isfile(root):
        return [url]
    if not fs.exists(root):
        raise FileNotFoundError(f"{url}: no such folder")
    root = root.rstrip("/")
    found = []
    for path in fs.find(root):
        rel = path[len(root) :].lstrip("/")
        if is_report(rel.rsplit("/", 1)[-1], tuple(rel.split("/"))):
            found.append(f"{protocol}://{path.removeprefix(protocol + '://').lstrip('/')}")
    return sorted(found)


def sha256_source(source: str) -> str | None:
    """The sha256 of a file's bytes, read in chunks (None when it cannot be read: its reader says why)."""
    digest = hashlib.sha256()
    try:
        if is_remote(source):
            import fsspec

            with fsspec.open(source, "rb") as fh:
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
        else:
            with open(local(source), "rb") as fh:
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


@contextmanager
def fetched(source: str) -> Iterator[Path]:
    """A local path holding the source's bytes: the file itself, or for a URL a temporary copy with the
    same file name (readers use the name: suffix, year), removed afterwards."""
    if not is_remote(source):
        yield Path(local(source))
        return
    import fsspec

    folder = Path(tempfile.mkdtemp(prefix="ingest-"))
    try:
        target = folder / source.rstrip("/").rsplit("/", 1)[-1]
        with fsspec.open(source, "rb") as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        yield target
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def check_output(out_dir: str | Path) -> None:
    """The store is written with renames, hard links and a lock: a URL other than ``file://`` is refused
    with one line saying what to do instead."""
    if is_remote(out_dir):
        raise ValueError(
            f"{out_dir}: the store must be a local or mounted folder (it is replaced with renames and a "
            "lock, which object storage does not have): write it to shared storage such as NFS, or "
            "locally, and copy it up afterwards"
        )
