"""The output folder's manifest: every file makebook wrote there, its hash and its meaning.

`out/.makebook/manifest.json` is how makebook knows a file in `out/` is its own: a file
is replaced only when the manifest lists it with the hash it has on disk (anything
else — a file someone else put there, or one edited since — is refused with one line).
It is also what the catalog page (`out/index.html`) and the up-to-date check read.

Format (documented in docs/troubleshooting.md, "The output folder"; stable: a new key
may be added, none is renamed or removed without raising `format`):

    {"format": 1,
     "files": {"<path relative to out/, with />": {
         "sha256": "...", "bytes": 123, "kind": "handout" | "booklet" | "imposed" | "index",
         "topic", "lang", "layout", "title", "site": null | {"file", "name",
         "leaflet_code", "revision_date"}, "course": null | "<course file>",
         "bilingual": null | "<code>", "marks": false, "pages", "body_size",
         "reading_copy": "<path of the booklet an imposed file was made from>",
         "inputs": "<digest of the inputs>", "fonts": {"<font file>": "<sha256>"}}}}

Two builds writing into one `out/` at once take turns through a lock file
(`out/.makebook/lock`, held only while files and the manifest are written), so
neither loses the other's entries.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from printshop.errors import UserError
from printshop.files import digest, file_digest, read_capped
from printshop.pdf.write import write_atomic

FORMAT = 1
HOME = ".makebook"
MANIFEST = f"{HOME}/manifest.json"
LOCK = f"{HOME}/lock"
MAX_MANIFEST_BYTES = 50_000_000
LOCK_WAIT = 300  # seconds: a whole catalog build of another process may hold it a while

Files = dict[str, dict[str, Any]]


def manifest_path(out_dir: Path) -> Path:
    return out_dir / MANIFEST


def relative(out_dir: Path, path: Path) -> str:
    """A file's key in the manifest: its path inside out/, with '/'."""
    return path.relative_to(out_dir).as_posix()


def manifest_as_is(out_dir: Path) -> Files:
    """The manifest's files, parsed once for each state of the file on disk: a catalog's
    up-to-date check reads it for every document (276 parses of a 1 MB file took 1.8 s).
    Read only: the dict is shared."""
    try:
        st = os.stat(manifest_path(out_dir))
    except FileNotFoundError:
        return {}
    return _parsed_manifest(str(out_dir), st.st_ino, st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=4)
def _parsed_manifest(out_dir: str, _inode: int, _mtime_ns: int, _size: int) -> Files:
    return read_manifest(Path(out_dir))


def read_manifest(out_dir: Path) -> Files:
    """The files the manifest lists ({} when there is none yet)."""
    path = manifest_path(out_dir)
    if not os.path.lexists(path):
        return {}
    raw = read_capped(path, MAX_MANIFEST_BYTES, "manifest")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or data.get("format") != FORMAT:
        raise UserError(
            "is damaged or from another version of makebook; move the output folder away "
            "(makebook will not replace files it cannot prove are its own)",
            path,
        )
    return {key: value for key, value in files.items() if isinstance(value, dict)}


def _write_manifest(out_dir: Path, files: Files) -> None:
    data = {"format": FORMAT, "files": dict(sorted(files.items()))}
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_atomic(manifest_path(out_dir), text.encode("utf-8"))


@contextmanager
def locked_manifest(out_dir: Path) -> Iterator[Files]:
    """The manifest's files, to change; written back (atomically) when the block ends
    without an error. Other makebook processes wait for their turn meanwhile."""
    home = out_dir / HOME
    try:
        home.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise UserError("is a file, not a folder; choose another --out", out_dir) from None
    except OSError as exc:
        raise UserError(f"cannot create the output folder: {exc.strerror}", out_dir) from None
    lock = FileLock(str(out_dir / LOCK), timeout=LOCK_WAIT)
    try:
        lock.acquire()
    except Timeout:
        raise UserError(
            f"another makebook has been writing here for {LOCK_WAIT} s; wait for it to end",
            out_dir,
        ) from None
    except OSError as exc:
        raise UserError(f"cannot lock the output folder: {exc.strerror}", out_dir) from None
    try:
        files = read_manifest(out_dir)
        before = json.dumps(files, sort_keys=True)
        yield files
        if json.dumps(files, sort_keys=True) != before:
            _write_manifest(out_dir, files)
    finally:
        lock.release()


def check_replaceable(out_dir: Path, path: Path, files: Files) -> None:
    """Refuse to replace `path` unless it is missing or the manifest lists it unchanged,
    and to write it through a folder that links out of the output folder."""
    try:
        inside = path.parent.resolve().is_relative_to(out_dir.resolve())
    except OSError:
        inside = False
    if not inside:
        raise UserError(
            f"leads outside the output folder (a link to {path.parent.resolve()}); "
            "remove the link or choose another --out",
            path.parent,
        )
    if not os.path.lexists(path):
        return
    if path.is_symlink() or not path.is_file():
        raise UserError(
            "exists and is not a file makebook wrote; move it away or choose another --out", path
        )
    entry = files.get(relative(out_dir, path))
    if entry is None:
        raise UserError(
            f"exists and makebook did not write it (it is not in {MANIFEST}); "
            "move it away or choose another --out",
            path,
        )
    if entry.get("sha256") != file_digest(path):
        raise UserError(
            "was changed since makebook wrote it; move it away (or delete it) to build it again",
            path,
        )


def check_meaning(out_dir: Path, path: Path, files: Files, meaning: dict[str, Any]) -> None:
    """One path, one meaning: never replace the build of one site or course with another's
    (two site files whose names give the same file name)."""
    old = files.get(relative(out_dir, path))
    if old is None:
        return
    keys = ("kind", "topic", "lang", "layout", "bilingual", "marks", "course")
    same = all(old.get(key) == meaning.get(key) for key in keys)
    if same and (old.get("site") or {}).get("file") == (meaning.get("site") or {}).get("file"):
        return
    raise UserError(
        f"holds another build ({describe(old)}); this one ({describe(meaning)}) would replace "
        "it: rename the site or course file, or choose another --out",
        path,
    )


def describe(entry: dict[str, Any]) -> str:
    """A manifest entry in a few words: 'handout-a4 en, site sites/a.yaml, course c.yaml'."""
    words = [f"{entry.get('layout')} {entry.get('lang')}"]
    if entry.get("site"):
        words.append(f"site {entry['site'].get('file')}")
    if entry.get("course"):
        words.append(f"course {entry['course']}")
    if entry.get("bilingual"):
        words.append(f"with {entry['bilingual']}")
    if entry.get("marks"):
        words.append("print shop")
    return ", ".join(words)


def write_recorded(out_dir: Path, outputs: list[tuple[Path, bytes, dict[str, Any]]]) -> None:
    """Write files and record them in the manifest, all or none refused first."""
    with locked_manifest(out_dir) as files:
        for path, _data, meaning in outputs:
            check_replaceable(out_dir, path, files)
            check_meaning(out_dir, path, files, meaning)
        for path, data, meaning in outputs:
            write_atomic(path, data)
            files[relative(out_dir, path)] = {
                **meaning,
                "sha256": _digest(data),
                "bytes": len(data),
            }


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def unchanged(out_dir: Path, path: Path, entry: dict[str, Any] | None) -> bool:
    """The manifest lists `path` and the file on disk is what makebook wrote (hashed once
    per process and file version: the web pages of a catalog share their fonts)."""
    if entry is None or not path.is_file() or path.is_symlink():
        return False
    try:
        info = path.stat()
        return info.st_size == entry.get("bytes") and digest(path, info) == entry["sha256"]
    except (OSError, UserError, KeyError):
        return False
