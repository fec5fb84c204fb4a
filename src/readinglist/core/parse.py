"""Parsing saved Daily Papers pages into papers.

A saved page is the listing's visible text. Two layouts are known: *spaced* (blocks
separated by blank lines, each paper a title, an abstract and usually a metadata
block) and *compact* (no blank lines, titles and abstracts alternating, no metadata).
The parser works on the structure rather than on either layout: it classifies each
line (page furniture, metadata, or prose), then decides which prose lines are titles
and which are abstracts with a small cost-based alignment, so a missing metadata
block, a missing abstract or an abstract in several paragraphs does not shift every
paper after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .dates import is_month, latest_paper_date, resolve_date
from .links import extract_links
from .listing_marks import why_not_a_listing
from .parsed import NOT_A_PAGE, PageError, ParsedPage, ParsedPaper
from .textclean import (
    LONGEST_MARK_RUN,
    DecodeError,
    clean_text,
    decode_page_bytes,
    limit_mark_runs,
)

__all__ = [
    "PageError",
    "ParsedPage",
    "ParsedPaper",
    "parse_or_error",
    "parse_page",
    "read_page",
]

MAX_PAGE_BYTES = 256 * 1024 * 1024


_DATE_LINE = re.compile(
    r"^(?P<text>(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:,\s*(?P<year>\d{4}))?)"
    r"(?:\s+(?P<upvotes>\d[\d,]*(?:\.\d+)?[kK]?))?$"
)
_AUTHORS_LINE = re.compile(r"^(?:[•·*-]\s*)?(?P<count>\d[\d,]*)\s+authors?$", re.IGNORECASE)
_SEPARATOR_LINE = re.compile(r"^[·•]$")
_FURNITURE_LINE = re.compile(
    r"^(?:get trending papers\b.*|subscribe|daily papers|by\s*\S+ and the research community)$",
    re.IGNORECASE,
)
_HEADER_ONLY_LINE = re.compile(r"^new$", re.IGNORECASE)
_GLUED_SUBSCRIBE = re.compile(r"^Subscribe(?=\S)(?P<rest>.+)$")
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z(]")
_SENTENCE_ENDS = ".!?…。！？"
_LONGEST_META_LINE = 40  # "September 30, 2024 12,345" and "• 1,234 authors" are shorter


@dataclass(frozen=True, slots=True)
class _Line:
    kind: str  # "text", "authors", "separator", "date"
    text: str
    match: re.Match[str] | None = None
    after_blank: bool = False


@dataclass(slots=True)
class _Meta:
    authors: int | None = None
    org: str | None = None
    org_id: str | None = None
    date: str | None = None
    date_text: str | None = None
    upvotes: int | None = None


def parse_or_error(path: Path, today: date) -> ParsedPage | str:
    """A parsed page, or why it cannot be imported: a plain value a worker can return."""
    try:
        return read_page(path, today=today)
    except PageError as error:
        return str(error)


def read_page(path: Path, *, today: date | None = None) -> ParsedPage:
    """Read and parse one saved page.

    Raises:
        PageError: the file is missing, unreadable, empty, blank, binary, or not a page.
    """
    try:
        if path.is_dir():
            raise PageError("is a directory, not a page")
        size = path.stat().st_size
        if size > MAX_PAGE_BYTES:
            raise PageError(f"file too large ({size // (1024 * 1024)} MiB)")
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise PageError("no such file") from error
    except PermissionError as error:
        raise PageError("permission denied") from error
    except OSError as error:
        raise PageError(error.strerror or "cannot read the file") from error
    from .hf_pages import (  # only pages that are not text
        parse_rich_page,
        parse_saved_page_bytes,
        web_archive_html,
        without_future_dates,
    )

    today = today or date.today()
    data = web_archive_html(data) or data
    saved_page = parse_saved_page_bytes(data)
    if saved_page is not None:
        return without_future_dates(saved_page, today)
    try:
        decoded = decode_page_bytes(data)
    except DecodeError as error:
        raise PageError(str(error)) from error
    rich = parse_rich_page(decoded.text)
    page = (
        without_future_dates(rich, today)
        if rich is not None
        else parse_page(decoded.text, today=today)
    )
    if decoded.warnings:
        page = replace(page, warnings=decoded.warnings + page.warnings)
    return page


def parse_page(text: str, *, today: date | None = None) -> ParsedPage:
    """Parse a page's text into papers.

    Raises:
        PageError: no papers could be found, or the text is not a listing.
    """
    today = today or date.today()
    cleaned = clean_text(text)
    lines = [
        line if len(line) <= LONGEST_MARK_RUN or line.isascii() else limit_mark_runs(line)
        for line in map(str.strip, cleaned.split("\n"))
    ]
    start, listing_date, header_seen = _skip_header(lines, today)
    body = lines[start:]
    layout = "spaced" if _has_inner_blank(body) else "compact"
    classified = _classify_body(body)
    papers, warnings, meta_seen = _assemble(classified, latest_paper_date(listing_date, today))
    if not papers:
        raise PageError(f"{NOT_A_PAGE}: no papers found")
    if not (header_seen or meta_seen):
        why = why_not_a_listing(body, start, layout, reads_as_papers=_plausible_listing(papers))
        if why:
            raise PageError(f"{NOT_A_PAGE}: {why}")
    return ParsedPage(tuple(papers), tuple(warnings), layout, listing_date)


def _skip_header(lines: list[str], today: date) -> tuple[int, str | None, bool]:
    """Skip the page furniture before the first paper; returns (start, listing date, seen)."""
    listing_date: str | None = None
    seen = False
    for index, line in enumerate(lines):
        if not line:
            continue
        if _FURNITURE_LINE.match(line) or _HEADER_ONLY_LINE.match(line):
            seen = True
            continue
        glued = _GLUED_SUBSCRIBE.match(line)
        if glued:
            lines[index] = glued.group("rest").strip()
            return index, listing_date, True
        date_match = _DATE_LINE.match(line)
        if date_match and not date_match.group("upvotes") and listing_date is None:
            resolved = _match_date(date_match, today)
            if resolved is not None:
                listing_date = resolved.isoformat()
                seen = True
                continue
        return index, listing_date, seen
    return len(lines), listing_date, seen


def _has_inner_blank(body: list[str]) -> bool:
    first = next((i for i, line in enumerate(body) if line), None)
    last = next((i for i in range(len(body) - 1, -1, -1) if body[i]), None)
    return first is not None and last is not None and "" in body[first:last]


def _classify_body(body: list[str]) -> list[_Line]:
    classified = []
    after_blank = False
    for line in body:
        if not line:
            after_blank = True
        elif not _FURNITURE_LINE.match(line):
            kind, match = _classify(line)
            classified.append(_Line(kind, line, match, after_blank))
            after_blank = False
    return classified


def _classify(line: str) -> tuple[str, re.Match[str] | None]:
    if len(line) > _LONGEST_META_LINE:
        return "text", None
    if _SEPARATOR_LINE.match(line):
        return "separator", None
    match = _AUTHORS_LINE.match(line)
    if match:
        return "authors", match
    match = _DATE_LINE.match(line)
    if match and is_month(match.group("month")):
        return "date", match
    return "text", None


def _assemble(lines: list[_Line], latest: date) -> tuple[list[ParsedPaper], list[str], bool]:
    """Split the classified lines into runs of prose and metadata blocks, then pair them.

    ``latest`` is the latest day a paper's date (written without a year) can be.
    """
    papers: list[ParsedPaper] = []
    warnings: list[str] = []
    meta_seen = dated_meta_seen = False
    run: list[str] = []
    index = 0
    while index < len(lines):
        if not _starts_meta(lines, index, run):
            run.append(lines[index].text)
            index += 1
            continue
        meta, index = _read_meta(lines, index, latest)
        truncated = index >= len(lines) and meta.date_text is None and dated_meta_seen
        meta_seen = True
        dated_meta_seen = dated_meta_seen or meta.date_text is not None
        found, problems = _pair_run(run, at_end=False)
        run = []
        warnings.extend(problems)
        if found and truncated:
            title = found.pop().title
            warnings.append(
                f"the page ends mid-paper; skipped {_short(title)!r} (metadata cut off)"
            )
        if found:
            found[-1] = _with_meta(found[-1], meta)
            papers.extend(found)
        elif papers and not papers[-1].date_text:
            papers[-1] = _with_meta(papers[-1], meta)
    found, problems = _pair_run(run, at_end=True)
    warnings.extend(problems)
    if found and not _ends_like_a_sentence(found[-1].abstract):
        warnings.extend(_cut_off_last(found, page_has_metadata=dated_meta_seen))
    papers.extend(found)
    return [_finish(paper) for paper in papers], warnings, meta_seen


def _cut_off_last(found: list[ParsedPaper], *, page_has_metadata: bool) -> list[str]:
    """The page's last paper stops mid-sentence: skipped where it must have been cut off.

    That is on a page whose papers have metadata blocks (this one, last, has none).
    Without metadata to go by (the compact layout) a complete abstract may end so too
    (some end without a full stop): the paper is kept with a warning, whether or not
    a line break follows the cut, and the merge never lets a cut-off copy replace a
    fuller one.
    """
    title = _short(found[-1].title)
    if page_has_metadata:
        found.pop()
        return [f"the page ends mid-paper; skipped {title!r} (abstract cut off)"]
    return [f"the page may end mid-paper: the abstract of {title!r} stops mid-sentence"]


def _ends_like_a_sentence(abstract: str) -> bool:
    """An abstract that ends a sentence: a full stop (or ! ? …) among its last few
    characters (so a closing quote, a bracket or a mojibake quote may follow it), or a
    link. Lenient on purpose: a cut abstract kept is merely reported, a complete one
    taken for cut would be skipped."""
    tail = abstract.rstrip()
    if not tail or any(end in tail[-4:] for end in _SENTENCE_ENDS):
        return True
    return tail.rsplit(None, 1)[-1].lower().startswith(("http://", "https://"))


def _starts_meta(lines: list[_Line], index: int, run: list[str]) -> bool:
    line = lines[index]
    if line.kind != "text":
        return True
    # An organisation line ("<handle> <Display Name>") is prose followed by a separator.
    following = lines[index + 1] if index + 1 < len(lines) else None
    return (
        bool(run)
        and following is not None
        and following.kind == "separator"
        and len(line.text) <= 120
        and not _SENTENCE_BREAK.search(line.text)
    )


def _read_meta(lines: list[_Line], index: int, latest: date) -> tuple[_Meta, int]:
    meta = _Meta()
    while index < len(lines):
        line = lines[index]
        if line.kind == "authors" and line.match and meta.authors is None:
            meta.authors = int(line.match.group("count").replace(",", ""))
        elif line.kind == "separator":
            pass
        elif line.kind == "date" and line.match and meta.date_text is None:
            resolved = _match_date(line.match, latest)
            meta.date = resolved.isoformat() if resolved else None
            meta.date_text = line.match.group("text")
            meta.upvotes = _parse_count(line.match.group("upvotes"))
        elif (
            line.kind == "text"
            and meta.org is None
            and meta.date_text is None
            and (index + 1 < len(lines) and lines[index + 1].kind == "separator")
        ):
            handle, _, display = line.text.partition(" ")
            meta.org_id, meta.org = handle, (display.strip() or handle)
        elif (
            line.kind == "text"
            and meta.date_text
            and meta.upvotes is None
            and line.text.isdigit()
            and not line.after_blank
        ):
            meta.upvotes = int(line.text)
        else:
            break
        index += 1
    return meta, index


def _pair_run(run: list[str], *, at_end: bool) -> tuple[list[ParsedPaper], list[str]]:
    """Decide which lines of a prose run are titles, abstracts, or abstract continuations.

    Even runs of title/abstract pairs always align as pairs; the costs only matter
    when a paper lacks its abstract or an abstract spans several paragraphs.
    """
    if not run:
        return [], []
    roles = _align(run, at_end=at_end)
    papers: list[ParsedPaper] = []
    warnings: list[str] = []
    title: str | None = None
    paragraphs: list[str] = []

    def flush(last: bool) -> None:
        if title is None:
            return
        if not paragraphs and last and at_end:
            warnings.append(f"the page ends mid-paper; skipped {_short(title)!r} (no abstract)")
            return
        if not paragraphs:
            warnings.append(f"{_short(title)!r} has no abstract")
        papers.append(ParsedPaper(_one_line(title), "\n\n".join(paragraphs)))

    for line, role in zip(run, roles, strict=True):
        if role == "T":
            flush(last=False)
            title, paragraphs = line, []
        else:
            paragraphs.append(line)
    flush(last=True)
    return papers, warnings


def _align(run: list[str], *, at_end: bool) -> list[str]:
    """Cheapest assignment of roles T (title), A (abstract) and C (continuation).

    A Viterbi pass over the lines: the cheapest cost of a run ending in each role and,
    per line, the role before it, read back from the end; linear in time and memory.
    Ties go to the earlier of C, T, A.
    """
    titlelike = [_is_titlelike(line) for line in run]
    if len(run) % 2 == 0 and all(like != bool(index % 2) for index, like in enumerate(titlelike)):
        return ["T" if index % 2 == 0 else "A" for index in range(len(run))]  # cost 0: optimal
    # Allowed: T -> A or T (4 more, a title without abstract); A or C -> C or T.
    t, a, c = (0.0 if titlelike[0] else 6.0), _INFINITY, _INFINITY
    before_t, before_c = ["T"], ["C"]  # per line: the role before a T, and before a C
    for like in titlelike[1:]:
        from_t, cost_t = "C", c
        if t + 4 < cost_t:
            from_t, cost_t = "T", t + 4
        if a < cost_t:
            from_t, cost_t = "A", a
        from_c, cost_c = ("A", a) if a < c else ("C", c)
        before_t.append(from_t)
        before_c.append(from_c)
        if like:
            t, a, c = cost_t, t + 1, cost_c + 8
        else:
            t, a, c = cost_t + 6, t, cost_c + 3
    role, cost = "C", c
    if t + (2 if at_end else 4) < cost:
        role, cost = "T", t + (2 if at_end else 4)
    if a < cost:
        role = "A"
    roles = [role]
    for index in range(len(run) - 1, 0, -1):
        role = before_t[index] if role == "T" else "T" if role == "A" else before_c[index]
        roles.append(role)
    roles.reverse()
    return roles


_INFINITY = float("inf")


def _is_titlelike(line: str) -> bool:
    return len(line) <= 250 and len(_SENTENCE_BREAK.findall(line)) <= 1


def _plausible_listing(papers: list[ParsedPaper]) -> bool:
    """Titles that read as titles, and abstracts at least half of which are long."""
    long_abstracts = sum(
        1 for paper in papers if len(paper.abstract) >= 80 and " " in paper.abstract
    )
    return all(_is_titlelike(paper.title) for paper in papers) and long_abstracts * 2 >= len(papers)


def _with_meta(paper: ParsedPaper, meta: _Meta) -> ParsedPaper:
    return ParsedPaper(
        title=paper.title,
        abstract=paper.abstract,
        authors=meta.authors,
        org=_one_line(meta.org) if meta.org else None,
        org_id=_one_line(meta.org_id) if meta.org_id else None,
        date=meta.date,
        date_text=meta.date_text,
        upvotes=meta.upvotes,
    )


def _finish(paper: ParsedPaper) -> ParsedPaper:
    abstract = paper.abstract.strip()
    return ParsedPaper(
        title=paper.title.strip(),
        abstract=abstract,
        authors=paper.authors,
        org=paper.org,
        org_id=paper.org_id,
        date=paper.date,
        date_text=paper.date_text,
        upvotes=paper.upvotes,
        links=extract_links(abstract),
    )


def _match_date(match: re.Match[str], not_after: date) -> date | None:
    year = match.group("year")
    return resolve_date(
        match.group("month"), int(match.group("day")), int(year) if year else None, not_after
    )


def _parse_count(text: str | None) -> int | None:
    if not text:
        return None
    text = text.replace(",", "")
    if text[-1] in "kK":
        return round(float(text[:-1]) * 1000)
    return int(float(text))


def _one_line(text: str) -> str:
    """Collapse runs of whitespace (the text is already clean: it came through clean_text)."""
    return " ".join(text.split())


def _short(title: str) -> str:
    return title if len(title) <= 60 else title[:57] + "..."
