"""The sign-in's "return to" address may only ever be a path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

from app.common.text import strip_control


def safe_next(target: str | None, default: str = "/") -> str:
    """Return target when it is a local path; otherwise the default."""
    if not target:
        return default
    cleaned = strip_control(target).strip()
    if cleaned != target or not cleaned.startswith("/") or cleaned.startswith("//"):
        return default
    if "\\" in cleaned:
        return default
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc:
        return default
    return cleaned
