"""Reading input files safely: regular files only, with a size cap, never read whole.

Every file makebook reads (content, layouts, sites, courses, PO files, pictures,
fonts) comes through `read_capped`. A FIFO would block the build forever, a device
(`/dev/zero`) would grow it without end, a link out of the project could copy a
private file into a printed PDF: each is refused with one line naming the file.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from printshop.errors import UserError

_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


def _kind(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "a special file")


def size_words(count: int) -> str:
    """A byte count as people read it: '2 MB', '256 KB', '812 bytes'."""
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} MB".replace(".0 MB", " MB")
    if count >= 10_000:
        return f"{count // 1000} KB"
    return f"{count} bytes"


def check_inside(path: Path, roots: Sequence[Path]) -> None:
    """Refuse a path that leads (through a link) outside every one of `roots`."""
    resolved = path.resolve()
    if not any(resolved.is_relative_to(root.resolve()) for root in roots):
        raise UserError(
            f"is a link to {resolved}, outside the project; copy the file in instead", path
        )


def regular_file(path: Path, what: str = "file") -> os.stat_result:
    """The status of `path` if it is a regular file (links followed); else one clear line."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UserError(f"{what} not found", path) from None
    except OSError as exc:
        raise UserError(f"cannot read the {what}: {exc.strerror}", path) from None
    if not stat.S_ISREG(info.st_mode):
        raise UserError(f"is {_kind(info.st_mode)}, not a regular file; name a {what}", path)
    return info


def read_capped(path: Path, limit: int, what: str = "file", within: Sequence[Path] = ()) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, read with a cap.

    `within`: folders the file (after links) must be inside, when it was found in a
    project rather than named on the command line.
    """
    if within:
        check_inside(path, within)
    info = regular_file(path, what)
    if info.st_size > limit:
        raise UserError(
            f"{what} is too large ({size_words(info.st_size)}; the limit is {size_words(limit)})",
            path,
        )
    try:
        # O_NONBLOCK: a FIFO swapped in after the check above cannot block the open
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise UserError(f"cannot read the {what}: {exc.strerror}", path) from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise UserError(f"is {_kind(mode)}, not a regular file; name a {what}", path)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UserError(f"{what} is too large (over {size_words(limit)})", path)
    return data


def digest(path: Path, info: os.stat_result | None = None) -> str:
    """`file_digest`, once per process and file version (a catalog's documents share
    their inputs and fonts; hashing them again for each document is wasted reading).
    `info`: the file's stat, when the caller has just taken it."""
    info = info or path.stat()
    return _cached_digest(path, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=4096)
def _cached_digest(path: Path, _mtime_ns: int, _size: int) -> str:
    return file_digest(path)


def file_digest(path: Path) -> str:
    """sha256 of a regular file, read in blocks (a large file never sits in memory)."""
    regular_file(path)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
