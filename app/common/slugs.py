"""Slugs for addresses such as /pilots/<slug>: unique, and never a word the routes already use.

A pilot titled "New" must not get the slug `new`: /pilots/new is the form for a new pilot, so its
own page could never be opened. The reserved words are read from the URL map, so a route added
later (say /pilots/compare) reserves its word without anyone remembering to list it."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app

from app.common.text import slugify


def words_the_routes_use(collection: str) -> frozenset[str]:
    """The fixed words that follow `collection` (like "/pilots/") in the app's addresses."""
    words = set()
    for rule in current_app.url_map.iter_rules():
        if rule.rule.startswith(collection):
            word = rule.rule[len(collection) :].split("/", 1)[0]
            if word and "<" not in word:
                words.add(word)
    return frozenset(words)


def free_slug(text: str, noun: str, collection: str, taken: Callable[[str], bool]) -> str:
    """A slug made from `text` for an address under `collection`: a word the routes use gets the
    noun after it (`new-pilot`), and a slug already `taken` the next number (`bins-2`)."""
    base = slugify(text) or noun
    if base in words_the_routes_use(collection):
        base = f"{base}-{noun}"
    slug, n = base, 1
    while taken(slug):
        n += 1
        slug = f"{base[:75]}-{n}"
    return slug
