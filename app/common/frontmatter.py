"""Markdown files with a `key: value` front matter block, as used under content/."""

from __future__ import annotations

from pathlib import Path


class FrontMatterError(ValueError):
    pass


def read_front_matter(path: Path) -> tuple[dict[str, str], str]:
    """Split a file into its front matter (flat key: value pairs) and its Markdown body."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise FrontMatterError(f"{path} does not start with a '---' front matter block")
    head, sep, body = text[4:].partition("\n---\n")
    if not sep:
        raise FrontMatterError(f"{path} has no closing '---' after its front matter")
    meta: dict[str, str] = {}
    for number, line in enumerate(head.splitlines(), start=2):
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        if not colon:
            raise FrontMatterError(f"{path}:{number}: expected 'key: value'")
        meta[key.strip()] = value.strip()
    return meta, body.strip() + "\n"
