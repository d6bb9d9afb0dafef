"""A small on-disk cache shared by every makebook process: work done once per input.

What it holds is decided by its callers (parsed YAML files, checked pictures, compiled
art, QR matrices); each entry is a JSON object in a file named by its key. The key
hashes everything the entry depends on: the input's bytes, the source of the engine
modules that made it and the installed libraries they used (`fingerprint`), so an edited
input, a changed engine or an upgraded library never meets an old entry. Nothing read
back is trusted blindly: an entry whose file is unreadable, not JSON, or not for this
key is ignored (and built afresh), and callers check every value they take from an
entry. Entries are written to a temp file and renamed, so a reader never sees half an
entry and two processes writing the same entry are both safe. The folder is bounded:
past `MAX_ENTRIES` the oldest entries are removed.

Where: $MAKEBOOK_CACHE, else the user's cache folder (``~/.cache/makebook`` on Linux);
``MAKEBOOK_CACHE=off`` turns it off. Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import os
import tempfile
from functools import cache
from pathlib import Path

import printshop

CACHE_ENV = "MAKEBOOK_CACHE"
MAX_ENTRIES = 4000  # a few MB: art for many projects; the oldest go first
MAX_ENTRY_BYTES = 4 * 1024 * 1024
_bounded: set[Path] = set()  # folders already trimmed by this process


def positive(value: object, most: float) -> float | None:
    """`value` read from an entry, if it is a finite number above 0 and at most `most`."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return float(value) if number and math.isfinite(value) and 0 < value <= most else None


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is turned off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    from platformdirs import user_cache_path  # the right folder on Linux, macOS, Windows

    return user_cache_path("makebook", appauthor=False)


@cache
def fingerprint(sources: tuple[str, ...], libraries: tuple[str, ...]) -> str | None:
    """What made an entry: makebook's version, the source of the engine modules named
    by `sources` and the installed files of `libraries`, without importing them. None
    when one of them cannot be read (then nothing is cached for it)."""
    digest = hashlib.sha256(printshop.__version__.encode())
    try:
        for name in sources:
            digest.update(Path(importlib.util.find_spec(name).origin).read_bytes())
        for name in libraries:  # top-level packages: finding them imports nothing
            origin = Path(importlib.util.find_spec(name).origin)
            stat = origin.stat()
            digest.update(f"{name}:{origin}:{stat.st_size}:{stat.st_mtime_ns}".encode())
            digest.update(origin.read_bytes())
    except (AttributeError, TypeError, OSError, ImportError):  # no spec, no file
        return None
    return digest.hexdigest()


def entry_key(kind: str, data: bytes, made_by: str | None) -> str | None:
    """The key of the entry of `kind` for input `data`, made by engine `made_by`."""
    if made_by is None:
        return None
    return hashlib.sha256(f"{kind}\0{made_by}\0".encode() + data).hexdigest()


def _entry_path(folder: Path, key: str) -> Path:
    return folder / key[:2] / f"{key}.json"


def read(key: str | None) -> dict | None:
    """The entry stored under `key`, or None (no cache, no entry, or not a sound one)."""
    folder = cache_dir()
    if folder is None or key is None:
        return None
    try:
        with open(_entry_path(folder, key), "rb") as handle:
            data = handle.read(MAX_ENTRY_BYTES + 1)
        entry = json.loads(data) if len(data) <= MAX_ENTRY_BYTES else None
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    return entry


def write(key: str | None, entry: dict) -> None:
    """Store `entry` under `key`; a cache that cannot be written is skipped silently."""
    folder = cache_dir()
    if folder is None or key is None:
        return
    data = json.dumps({**entry, "key": key}, separators=(",", ":")).encode()
    if len(data) > MAX_ENTRY_BYTES:
        return
    path = _entry_path(folder, key)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
        tmp = None
        _bound(folder)
    except OSError:
        pass
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _bound(folder: Path) -> None:
    """Keep at most MAX_ENTRIES entries: remove the oldest written beyond that (looked
    at once per process, on its first write)."""
    if folder in _bounded:
        return
    _bounded.add(folder)
    entries = list(folder.glob("??/*.json"))
    if len(entries) <= MAX_ENTRIES:
        return
    by_age = sorted(entries, key=lambda p: p.stat().st_mtime_ns)
    for path in by_age[: len(entries) - MAX_ENTRIES]:
        path.unlink(missing_ok=True)
