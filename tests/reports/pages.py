"""Reading rendered HTML back with the standard library's parser (no browser)."""

from __future__ import annotations

from html.parser import HTMLParser

FETCHING = {"src", "href", "xlink:href", "srcset", "data", "poster", "action", "formaction",
            "background", "manifest", "ping"}
"""Attributes through which an element can make the browser fetch something."""


class Page(HTMLParser):
    """Element ids with their text, every tag seen, and every attribute that could fetch."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.fetches: list[tuple[str, str, str]] = []
        self.styles: list[str] = []
        self.text_by_id: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.handle_data(" ")  # element boundaries separate words, as a reader sees them
        self.tags.append(tag)
        for name, value in attrs:
            if name in FETCHING and value is not None:
                self.fetches.append((tag, name, value))
            if name == "style" and value:
                self.styles.append(value)
        self._in_style = tag == "style"
        ident = dict(attrs).get("id")
        if tag not in VOID:
            self._open.append((tag, ident))
        if ident:
            self.text_by_id.setdefault(ident, "")

    def handle_endtag(self, tag):
        self._in_style = False
        self.handle_data(" ")
        while self._open:
            opened, _ = self._open.pop()
            if opened == tag:
                break

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)
        for _, ident in self._open:
            if ident:
                self.text_by_id[ident] += data

    def text(self, ident: str) -> str:
        return " ".join(self.text_by_id[ident].split())

    def remote(self) -> list[tuple[str, str, str]]:
        """Fetching attributes that leave the document: anything but a link a reader clicks
        (``<a href>``) or a reference inside the page (``#id``)."""
        return [(tag, name, value) for tag, name, value in self.fetches
                if not (tag == "a" and name == "href") and not value.startswith("#")]


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
