"""Saved Daily Papers pages and API JSON built from the real item, for the hf-format tests.

The real API item and paper object are in ``tests/fixtures/hf-formats`` (copied from
``shared/hf-formats``). ``saved_page`` varies what browsers vary: attribute order and
quoting, line endings, "complete" saves, a ``<base>``, other hydrated elements around the
listing, and a logged-in header holding a (fake) CSRF token and user name.
"""

from __future__ import annotations

import base64
import copy
import json
import quopri
from datetime import date
from pathlib import Path
from typing import Any

from readinglist.core.hf_pages import parse_rich_page, parse_saved_page_bytes
from readinglist.core.parse import ParsedPage

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hf-formats"
API_ITEMS: list[dict[str, Any]] = json.loads((FIXTURES / "daily-papers-api-item.json").read_text())
PAPER_OBJECT: dict[str, Any] = json.loads((FIXTURES / "paper-object.json").read_text())
TODAY = date(2026, 11, 25)
CSRF_TOKEN = "csrf-FAKE-9d41c0e7b2aa4f3c"
USER_NAME = "secret-reader-name"
NASTY_TITLE = (
    'Attention & <Memory> "quoted" it\'s [bold]x[/bold] [/] &amp; \x1b]52;c;ZXZpbA==\x07end'
)


def item(**paper_changes: Any) -> dict[str, Any]:
    """The real API item with fields of its paper replaced (None deletes one)."""
    result = copy.deepcopy(API_ITEMS[0])
    for name, value in paper_changes.items():
        if value is None:
            result["paper"].pop(name, None)
        else:
            result["paper"][name] = value
    return result


def hydrater(target: str, props: Any, *, quote: str = '"', order: str = "class-first") -> str:
    """A ``SVELTE_HYDRATER`` element, escaped as a server (or a re-serialising browser) does."""
    text = json.dumps(props, indent=1, ensure_ascii=False)  # raw UTF-8, as the site writes
    escaped = text.replace("&", "&amp;").replace(quote, "&quot;" if quote == '"' else "&#39;")
    if order != "raw-angles":  # Firefox's DOM serialiser leaves < and > raw in attributes
        escaped = escaped.replace("<", "&lt;").replace(">", "&gt;")
    attrs = [
        f"class={quote}SVELTE_HYDRATER contents{quote}",
        f"data-target={quote}{target}{quote}",
        f"data-props={quote}{escaped}{quote}",
    ]
    if order == "props-first":
        attrs.reverse()
    return f"<div {' '.join(attrs)}></div>"


def saved_page(
    items: list[Any],
    *,
    date_string: str = "2026-03-06",
    period: str = "day",
    quote: str = '"',
    order: str = "class-first",
    crlf: bool = False,
    logged_in: bool = False,
    complete: bool = False,
    base: bool = False,
) -> str:
    props = {
        "dateString": date_string,
        "periodType": period,
        "dailyPapers": items,
        "prevDate": "2026-03-05",
        "nextDate": None,
    }
    header = {"csrfToken": CSRF_TOKEN, "user": {"name": USER_NAME, "isPro": False}}
    asset = "./Daily%20Papers_files/" if complete else "/front/build/"
    parts = [
        "<!-- saved from url=(0029)https://huggingface.co/papers -->" if complete else "",
        "<!DOCTYPE html>",
        "<html lang='en'><head><meta charset=\"utf-8\">",
        '<base href="https://huggingface.co/">' if base else "",
        f'<link rel="stylesheet" href="{asset}style.css">',
        f"<script src='{asset}index.js'></script>",
        # a decoy inside a script is code, not an element
        '<script>const t = \'<div data-target="DailyPapers" data-props="[]">\';</script>',
        "</head><body>",
        hydrater("MainHeader", header if logged_in else {"user": None}, quote=quote, order=order),
        hydrater("SearchBar", {"query": "", "hint": "Search papers"}, quote=quote, order=order),
        '<main class="container">',
        hydrater("DailyPapers", props, quote=quote, order=order),
        "</main>",
        hydrater("Footer", {"links": ["/terms"]}, quote=quote, order=order),
        "</body></html>",
    ]
    page = "\n".join(part for part in parts if part) + "\n"
    return page.replace("\n", "\r\n") if crlf else page


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", newline="")
    return path


def single_file_save(
    page: str, *, encoding: str = "quoted-printable", charset: str | None = "utf-8"
) -> bytes:
    """A page as Chrome's "Webpage, Single File" (MHTML) saves it: its HTML part in
    ``encoding`` (quoted-printable, base64 or binary), declaring ``charset`` or none."""
    html = page.encode("utf-8")
    if encoding == "quoted-printable":
        html = quopri.encodestring(html)
    elif encoding == "base64":
        html = base64.encodebytes(html)
    declared = f'; charset="{charset}"' if charset else ""
    return (
        b"From: <Saved by Blink>\r\nSnapshot-Content-Location: https://huggingface.co/papers\r\n"
        b"Subject: Daily Papers - Hugging Face\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="----B--x----"\r\n'
        b"\r\n------B--x----\r\nContent-Type: text/css\r\nContent-Location: a.css\r\n\r\nb{}\r\n"
        + f"------B--x----\r\nContent-Type: text/html{declared}\r\n".encode()
        + f"Content-Transfer-Encoding: {encoding}\r\n".encode()
        + b"Content-Location: https://huggingface.co/papers\r\n\r\n"
        + html
        + b"\r\n------B--x------\r\n"
    )


def rich(text: str) -> ParsedPage:
    """The page ``text`` holds, asserting it is a saved page or API JSON; and that read
    from its UTF-8 bytes, as files are, it is the same page (or read as text instead)."""
    page = parse_rich_page(text)
    assert page is not None
    try:
        utf8 = text.encode()
    except UnicodeEncodeError:  # a lone surrogate: no file holds it
        return page
    from_bytes = parse_saved_page_bytes(utf8)
    assert from_bytes is None or from_bytes == page
    return page
