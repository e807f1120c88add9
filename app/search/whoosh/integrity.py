"""Checksums of every file of an index generation, written with it and checked against it.

A file overwritten or flipped on disk is not always a read error: a damaged length column or
cost column reads as other numbers, and a damaged id list as other documents. So whatever
writes a segment (the fast writer of bulk.py: rebuilds, saves and merges) writes beside it
`<segment>.sums`, each of its files' size and SHA-256, and each table of contents gets
`toc.sums` (JSON both). The segment's manifest is named like Whoosh's own segment files, so
Whoosh removes it with the segment; segments are never written again once written (deletions
live in the TOC), so their sums stay true.

Checked:
- by `flask search check`, every file, sizes and checksums;
- by each process when its searcher first meets a segment: sizes and checksums for a segment
  of up to SYNC_HASH_BYTES (a save's or a merge's: well under a millisecond), sizes alone for a
  bigger one, whose checksums are then checked in a thread (a rebuild's: 0.3 s at 10,000 pilots
  to hash), so a worker's first query after a rebuild does not wait for it;
- again, in full, when reading the index raises: damaged files make it IndexUnavailable (the
  database answers while the index is rebuilt); intact ones mean the fault is elsewhere.

A segment written by an older release has no sums: nothing is checked of it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

SUMS = "sums"
TOC_SUMS = "toc.sums"
SYNC_HASH_BYTES = 8 * 1024 * 1024
_CHUNK = 1024 * 1024


def toc_name(generation: int) -> str:
    """The file name of the table of contents of that generation (the index is named MAIN)."""
    return f"_MAIN_{generation}.toc"


def newest_toc(folder: Path) -> str | None:
    """The name of the newest table of contents in `folder`, the one Whoosh opens."""
    generations = [int(p.stem.rsplit("_", 1)[1]) for p in folder.glob("_MAIN_*.toc")]
    return toc_name(max(generations)) if generations else None


def _digest(path: Path) -> str:
    found = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(_CHUNK):
            found.update(chunk)
    return found.hexdigest()


def _write_json(path: Path, value: object) -> None:
    """Whole or not at all: a reader never meets half a manifest."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(value, sort_keys=True))
    os.replace(temporary, path)


def write_segment_sums(folder: Path, segment_id: str) -> None:
    """Record the size and checksum of each of the segment's files (all written and closed)."""
    prefix = f"{segment_id}."
    own = f"{prefix}{SUMS}"
    files = {
        name: [(folder / name).stat().st_size, _digest(folder / name)]
        for name in sorted(os.listdir(folder))
        if name.startswith(prefix) and name != own
    }
    _write_json(folder / own, files)


def write_toc_sums(folder: Path, toc_name: str) -> None:
    path = folder / toc_name
    _write_json(folder / TOC_SUMS, {toc_name: [path.stat().st_size, _digest(path)]})


def _read_sums(path: Path) -> dict[str, list[object]] | None:
    """The manifest, or None if there is none; ValueError if it cannot be read."""
    try:
        found = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise ValueError(f"{path.name} cannot be read ({error.__class__.__name__})") from error
    if not isinstance(found, dict) or not all(
        isinstance(v, list) and len(v) == 2 for v in found.values()
    ):
        raise ValueError(f"{path.name} cannot be read (not a manifest)")
    return found


def _compare(folder: Path, sums: dict[str, list[object]], hashes: bool) -> list[str]:
    problems = []
    for name, (size, digest) in sorted(sums.items()):
        path = folder / name
        try:
            actual = path.stat().st_size
            if actual != size:
                problems.append(f"{name} is {actual} bytes, written as {size}")
            elif hashes and _digest(path) != digest:
                problems.append(f"{name} differs from what was written (checksum)")
        except OSError:
            problems.append(f"{name} is missing")
    return problems


def segment_size(folder: Path, segment_id: str) -> int:
    """The bytes its manifest lists (0 without one): what checking its checksums reads."""
    try:
        sums = _read_sums(folder / f"{segment_id}.{SUMS}") or {}
        return sum(int(size) for size, _digest in sums.values())  # type: ignore[call-overload]
    except (TypeError, ValueError):  # check_segment says what is wrong with it
        return 0


def check_segment(folder: Path, segment_id: str, hashes: bool = True) -> tuple[list[str], bool]:
    """Problems with the segment's files, one line each naming the file, and whether it has a
    manifest at all (an older release's segment has none)."""
    try:
        sums = _read_sums(folder / f"{segment_id}.{SUMS}")
    except ValueError as error:
        return [str(error)], True
    if sums is None:
        return [], False
    return _compare(folder, sums, hashes), True


def check_toc(folder: Path, toc: str | None) -> list[str]:
    """Problems with the table of contents `toc`, if `toc.sums` describes that one (a TOC
    written by another writer than ours has no sums, and is not checked)."""
    if toc is None:
        return []
    try:
        sums = _read_sums(folder / TOC_SUMS)
    except ValueError as error:
        return [str(error)]
    if sums is None or toc not in sums:
        return []
    return _compare(folder, {toc: sums[toc]}, hashes=True)
