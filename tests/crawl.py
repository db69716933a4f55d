"""Finding a site's pages by following its links, as a visitor does: the links a
page offers, and one key per kind of page so that a crawl visits each kind once
(a new page is covered as soon as some page links to it)."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.urls import Resolver404, resolve

# Files rather than pages: downloads and machine-readable documents.
FILES = (".pdf", ".csv", ".json", ".xlsx")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links(html: str, here: str) -> list[str]:
    """The site's own pages a page links to, as paths with their query, in order,
    each once. Links to other sites, fragments of the same page and static files
    are not pages of the site."""
    parser = _Links()
    parser.feed(html)
    found: dict[str, None] = {}
    for href in parser.hrefs:
        href = urldefrag(href)[0]
        if not href:
            continue
        if href.startswith("?"):
            href = urlsplit(here).path + href
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith("/static/"):
            continue
        found[href] = None
    return list(found)


def is_file(url: str) -> bool:
    return urlsplit(url).path.endswith(FILES)


def kind(url: str) -> str:
    """One key per kind of page: its URL pattern and the names of its query
    parameters (the stations page and the stations of one governorate are one kind;
    page 2 of a list is the same kind as page 1)."""
    parts = urlsplit(url)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        route = parts.path
    names = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair} - {"page"})
    return route + ("?" + "&".join(names) if names else "")
