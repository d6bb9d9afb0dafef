"""Atomic file writes: a reader never sees half a PDF, a failed build keeps the old one.

Two builds writing the same file at once are safe: each writes its own uniquely named
temp file and renames it into place, so the last one wins and both leave a whole file.
makebook only ever replaces files it made itself (the output folder's manifest,
`catalog/manifest.py`; elsewhere `ensure_ours`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from printshop.errors import UserError

MARKER_BYTES = 4096  # makebook's marker sits in the first lines of a file it wrote


def ensure_ours(path: Path, marker: bytes, force: bool | None = None) -> None:
    """Refuse to replace `path` unless it is missing or a file makebook made (or `force`).

    Used for files outside the output folder's manifest (PO exports, previews): a file
    counts as ours when its first bytes contain `marker`. A link, a device or a folder
    is never replaced, even with `force` (None: the command has no --force).
    """
    if not os.path.lexists(path):
        return
    if path.is_symlink() or not path.is_file():
        raise UserError(
            "exists and is not a regular file; move it away or choose another --out", path
        )
    if force:
        return
    try:
        with path.open("rb") as handle:
            head = handle.read(MARKER_BYTES)
    except OSError as exc:
        raise UserError(f"cannot read the existing file: {exc.strerror}", path) from None
    if marker not in head:
        hint = "" if force is None else ", or replace it with --force"
        raise UserError(
            f"exists and was not made by makebook; move it away or choose another --out{hint}",
            path,
        )


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temp file beside `path`, flush it to disk, then rename over `path`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise UserError(
            "is a file, not a folder; choose another --out", exc.filename or path.parent
        ) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UserError(
            f"cannot create the folder for {path.name}: {reason}", exc.filename or path.parent
        ) from None
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)  # only ever our own temp file
        if isinstance(exc, OSError):
            reason = exc.strerror or type(exc).__name__
            raise UserError(f"cannot write the file: {reason}", path) from None
        raise
