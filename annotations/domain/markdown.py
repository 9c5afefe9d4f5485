"""Markdown to sanitised HTML: the only way user-written Markdown reaches a page."""

from __future__ import annotations

from functools import lru_cache

import markdown as md
import nh3

_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
    "img",
}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"}}


# A web process keeps the HTML of this many recent texts, each of at most CACHED_MAX_CHARS: 512 texts of 20,000
# characters and their HTML are some 40 MB in the worst case, and briefs of a few paragraphs far less.
CACHED_TEXTS = 512
CACHED_MAX_CHARS = 20_000


def render(text: str) -> str:
    """Sanitised HTML of `text`. Rendering is a pure function of the text, and the same briefs and instructions are
    rendered on every poll of the marketplace and every read of a contribution (Markdown and the sanitiser were half
    of the marketplace's time), so a process renders each short text once and answers it from memory after."""
    return _render_cached(text) if len(text) <= CACHED_MAX_CHARS else _render(text)


@lru_cache(maxsize=CACHED_TEXTS)
def _render_cached(text: str) -> str:
    return _render(text)


def _render(text: str) -> str:
    html = md.markdown(text, extensions=["tables", "fenced_code", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
