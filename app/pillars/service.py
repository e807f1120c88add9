"""The six pillars: fixed slugs, names and guidance from content/pillars/*.md."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from app.common.frontmatter import read_front_matter

PILLAR_SLUGS = (
    "understanding-needs",
    "business-case",
    "developing-solutions",
    "inclusion",
    "measuring-effectiveness",
    "communicating-success",
)


@dataclass(frozen=True)
class Pillar:
    slug: str
    name: str
    summary: str
    position: int
    guidance: str


_cache: dict[str, tuple[float, tuple[Pillar, ...]]] = {}


def _load(directory: Path) -> tuple[Pillar, ...]:
    pillars = []
    for slug in PILLAR_SLUGS:
        path = directory / f"{slug}.md"
        meta, body = read_front_matter(path)
        pillars.append(
            Pillar(
                slug=slug,
                name=meta.get("name", slug.replace("-", " ").capitalize()),
                summary=meta.get("summary", ""),
                position=int(meta.get("position", PILLAR_SLUGS.index(slug) + 1)),
                guidance=body,
            )
        )
    return tuple(sorted(pillars, key=lambda p: p.position))


def _directory() -> Path:
    return Path(current_app.config["CONTENT_DIR"]) / "pillars"


def _files_stamp(directory: Path) -> float:
    return max((p.stat().st_mtime for p in directory.glob("*.md")), default=0.0)


def all_pillars() -> tuple[Pillar, ...]:
    """The six pillars in their order; re-read only when a content file changes."""
    directory = _directory()
    stamp = _files_stamp(directory)
    key = str(directory)
    cached = _cache.get(key)
    if cached is None or cached[0] != stamp:
        cached = (stamp, _load(directory))
        _cache[key] = cached
    return cached[1]


def pillars_version() -> str:
    """Changes when a pillar's content file does (a cached page naming pillars is then stale)."""
    return repr(_files_stamp(_directory()))


def pillar_by_slug(slug: str) -> Pillar | None:
    return next((p for p in all_pillars() if p.slug == slug), None)


def pillar_names() -> dict[str, str]:
    return {p.slug: p.name for p in all_pillars()}
