"""Writing benchmark papers in each form readinglist imports: both text layouts, the saved
web page and the API's JSON (shaped as ``shared/hf-formats/FORMATS.md`` and its real
item describe, with the furniture a real item carries)."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

FORMS = ("spaced", "html", "compact", "api", "spaced", "html")
"""The rotation of page forms: text pages (both layouts) and the richer forms."""
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


@dataclass(frozen=True)
class Paper:
    title: str
    abstract: str
    arxiv_id: str
    authors: tuple[str, ...]
    org: str | None
    org_id: str | None
    day: date
    upvotes: int
    github: str | None
    stars: int
    keywords: tuple[str, ...]


def render(form: str, papers: list[Paper], day: date) -> str:
    if form in ("spaced", "compact"):
        return text_page(papers, compact=form == "compact", listing=day)
    items = [api_item(paper) for paper in papers]
    if form == "api":
        return json.dumps(items, ensure_ascii=False, indent=2)
    return saved_page(items, day)


def text_page(papers: list[Paper], *, compact: bool, listing: date) -> str:
    """What "select all, copy" gives: spaced (blank lines, metadata) or compact."""
    if compact:
        lines = [
            "Get trending papers in your email inbox once a day!",
            "Get trending papers in your email inbox!",
        ]
        body = [line for paper in papers for line in (paper.title, paper.abstract)]
        body[0] = "Subscribe" + body[0]
        return "\n".join(lines + body) + "\n"
    blocks = [
        "new",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
        f"{MONTHS[listing.month - 1]} {listing.day}",
    ]
    for number, paper in enumerate(papers):
        blocks += [paper.title, paper.abstract]
        if number % 10 != 9:  # now and then a paper without its metadata block
            blocks.append(_metadata(paper, listing))
    return "\n\n".join(blocks) + "\n"


def _metadata(paper: Paper, listing: date) -> str:
    when = f"{MONTHS[paper.day.month - 1]} {paper.day.day}"
    if paper.day.year != listing.year or paper.day != listing:
        when += f", {paper.day.year}"
    upvotes = f" {paper.upvotes}" if paper.upvotes else ""
    first = (
        f"{paper.org_id} {paper.org}" if paper.org_id else f"  • {len(paper.authors) or 1} authors"
    )
    return f"{first}\n·\n{when}{upvotes}"


def api_item(paper: Paper) -> dict[str, Any]:
    """An item of ``/api/daily_papers``, with the real one's furniture."""
    ident = f"{abs(hash(paper.arxiv_id)) % 16**24:024x}"
    organization = (
        {
            "_id": ident,
            "name": paper.org_id,
            "fullname": paper.org,
            "avatar": f"https://cdn-uploads.huggingface.co/production/uploads/{ident}/a.png",
        }
        if paper.org_id
        else None
    )
    submitted = f"{paper.day.isoformat()}T03:55:12.777Z"
    inner: dict[str, Any] = {
        "id": paper.arxiv_id,
        "authors": [
            {"_id": f"{ident[:20]}{n:04x}", "name": name, "hidden": False}
            for n, name in enumerate(paper.authors)
        ],
        "mediaUrls": [f"https://cdn-uploads.huggingface.co/production/uploads/{ident}/m.webp"],
        "publishedAt": f"{paper.day.isoformat()}T17:08:18.000Z",
        "submittedOnDailyAt": submitted,
        "title": paper.title,
        "submittedOnDailyBy": {
            "_id": ident,
            "avatarUrl": "/avatars/0bcba885d6e0ff74e03f42faa5c86783.svg",
            "isPro": False,
            "fullname": "Some One",
            "user": "someone",
            "type": "user",
        },
        "summary": paper.abstract,
        "upvotes": paper.upvotes,
        "discussionId": ident,
        "ai_summary": paper.abstract[: paper.abstract.find(".", 120) + 1 or 200],
        "ai_keywords": list(paper.keywords),
    }
    if paper.github:
        inner.update(githubRepo=paper.github, githubRepoAddedBy="user", githubStars=paper.stars)
    if organization:
        inner["organization"] = organization
    item = {
        "paper": inner,
        "publishedAt": inner["publishedAt"],
        "title": paper.title,
        "summary": paper.abstract,
        "mediaUrls": inner["mediaUrls"],
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{paper.arxiv_id}.png",
        "numComments": paper.upvotes % 7,
        "submittedBy": {"_id": ident, "fullname": "Some One", "name": "someone", "type": "user"},
        "isAuthorParticipating": False,
    }
    if organization:
        item["organization"] = organization
    return item


def hydrater(target: str, props: Any) -> str:
    """A ``SVELTE_HYDRATER`` element as the site writes it: JSON, HTML-escaped."""
    escaped = html.escape(json.dumps(props, ensure_ascii=False), quote=True)
    return f'<div class="SVELTE_HYDRATER contents" data-target="{target}" data-props="{escaped}"></div>'


def saved_page(items: list[dict[str, Any]], day: date, *, period: str = "month") -> str:
    """A browser's "Save Page As" of a listing: the DailyPapers element among others."""
    props = {
        "dateString": day.isoformat(),
        "periodType": period,
        "dailyPapers": items,
        "prevDate": None,
        "nextDate": None,
    }
    return "\n".join(
        [
            "<!DOCTYPE html>",
            "<html lang='en'><head><meta charset=\"utf-8\"><title>Daily Papers - Hugging Face</title>",
            '<link rel="stylesheet" href="/front/build/style.css">',
            "<script src='/front/build/index.js'></script></head><body>",
            hydrater("MainHeader", {"csrfToken": "x", "user": None}),
            hydrater("SearchBar", {"query": "", "hint": "Search papers"}),
            '<main class="container">',
            hydrater("DailyPapers", props),
            "</main>",
            hydrater("Footer", {"links": ["/terms"]}),
            "</body></html>",
            "",
        ]
    )
