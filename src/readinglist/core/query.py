"""The search box's language: field filters, words as the index sees them, what to look for.

``parse_query`` splits ``is:starred has:code has:note org:NAME year:2024`` from the free
text, once per question; ``query_words`` spells the text as the full-text index does;
``match_query`` turns the words into a ``MatchQuery``, what a store compiles to its
index's syntax (FTS5 or ``tsquery``). Pure: no database access; the vocabulary that
says what a word may stand for is passed in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

if TYPE_CHECKING:
    from .vocabulary import Vocabulary

__all__ = [
    "JOINABLE",
    "MatchQuery",
    "ParsedQuery",
    "SearchHit",
    "Term",
    "index_words",
    "match_query",
    "match_spans",
    "parse_query",
    "query_words",
    "without_accents",
]

_FILTER = re.compile(r"(?<!\S)(is|has|org|year):(\"[^\"]*\"|\S*)", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    text: str = ""
    starred: bool | None = None
    has_code: bool = False
    has_note: bool = False
    org: str | None = None
    year: str | None = None
    problems: tuple[str, ...] = ()

    @property
    def has_filters(self) -> bool:
        return bool(
            self.starred is not None or self.has_code or self.has_note or self.org or self.year
        )


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int
    score: float


def parse_query(query: str) -> ParsedQuery:
    """Split ``is:starred has:code has:note org:NAME year:2024`` filters from free text."""
    values: dict[str, object] = {}
    problems: list[str] = []
    for match in _FILTER.finditer(query):
        name, value = match.group(1).lower(), match.group(2).strip('"')
        lowered = value.lower()
        if name == "is" and lowered in {"starred", "unstarred"}:
            values["starred"] = lowered == "starred"
        elif name == "has" and lowered in {"code", "link", "links"}:
            values["has_code"] = True
        elif name == "has" and lowered in {"note", "notes"}:
            values["has_note"] = True
        elif name == "org" and value:
            values["org"] = value
        elif name == "year" and re.fullmatch(r"\d{4}", value):
            values["year"] = value
        else:
            problems.append(match.group(0))
    text = " ".join(_FILTER.sub(" ", query).split())
    return ParsedQuery(text=text, problems=tuple(problems), **values)  # type: ignore[arg-type]


def query_words(text: str) -> list[str]:
    """Words as the index's tokenizer sees them: case-folded, without diacritics."""
    if text.isascii():  # most titles: no diacritics to strip (4x faster)
        return _WORD.findall(text.lower())
    return _WORD.findall(without_accents(text.casefold()))


def index_words(text: str) -> list[str]:
    """The words of ``text`` (runs of letters and digits), spelled as given."""
    return _WORD.findall(text)


def without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True, slots=True)
class Term:
    """One spelling to look for: the word itself, a near-miss, or a prefix.

    With ``split_at``, the two halves of ``text`` as two words ("pre" and "training"
    for "pretraining"), the second one a prefix when ``prefix`` is set; with
    ``in_title``, both in the title.
    """

    text: str
    prefix: bool = False
    split_at: int = 0
    in_title: bool = False

    @property
    def parts(self) -> tuple[str, ...]:
        if not self.split_at:
            return (self.text,)
        return (self.text[: self.split_at], self.text[self.split_at :])


@dataclass(frozen=True, slots=True)
class MatchQuery:
    """Every word (or any word), each as one of its alternatives.

    ``meant[i]`` is the word the alternatives ``words[i]`` stand for: as typed, or its
    likeliest correction. Backend-neutral: the SQLite store compiles it to an FTS5
    expression, the PostgreSQL store to a ``tsquery``.
    """

    words: tuple[tuple[Term, ...], ...]
    any_word: bool = False
    title_only: bool = False
    meant: tuple[str, ...] = ()


# Often written joined or hyphenated: "pretraining" and "pre-training", "fine-tuning".
JOINABLE = frozenset(
    {
        "co",
        "cross",
        "end",
        "few",
        "fine",
        "hyper",
        "inter",
        "intra",
        "long",
        "meta",
        "multi",
        "non",
        "open",
        "post",
        "pre",
        "re",
        "real",
        "self",
        "semi",
        "sub",
        "super",
        "zero",
    }
)


def match_query(words: list[str], vocabulary: Vocabulary, *, any_word: bool = False) -> MatchQuery:
    """Every word (or any word), each as itself or a prefix, with its accented spellings.

    A word that finds little by itself also stands for what it probably meant: its
    corrections, each as a prefix too ("transfromer" finds what "transformer" finds),
    and, for a slip in the last letter or an abbreviation, itself less that letter
    ("docs" → "doc"*). A word often written hyphenated stands for both spellings:
    "pre training" finds "Pretraining" too, and "pretraining" finds a title with
    "Pre-training" (the title only: "pre" and "training" apart in an abstract say little).
    """
    meant: list[str] = []
    alternatives = []
    position = 0
    while position < len(words):
        word = words[position]
        split_at, in_title = _split_point(word, vocabulary), True
        following = words[position + 1] if position + 1 < len(words) else None
        if following is not None and word in JOINABLE:
            word, split_at, in_title = word + following, len(word), False
            position += 1
        position += 1
        prefix = len(word) >= 2
        terms = {Term(word, prefix=prefix)}
        if split_at:
            terms.add(Term(word, prefix=prefix, split_at=split_at, in_title=in_title))
        terms.update(Term(term) for term in vocabulary.accented(word, prefix=prefix))
        corrections = []
        if not split_at and vocabulary.needs_correction(word):
            terms.add(Term(word[:-1], prefix=True))
            corrections = vocabulary.similar(word)
            for correction in corrections:
                terms.add(Term(correction, prefix=True))
                terms.update(Term(term) for term in vocabulary.accented(correction, prefix=False))
        meant.append(corrections[0] if corrections else word)
        alternatives.append(tuple(sorted(terms, key=_term_order)))
    return MatchQuery(tuple(alternatives), any_word=any_word, meant=tuple(meant))


def _split_point(word: str, vocabulary: Vocabulary) -> int:
    """Where a joined word splits into a joinable start and a known word; 0 if it does not."""
    for split_at in range(2, min(len(word) - 3, 6)):
        if word[:split_at] in JOINABLE and vocabulary.finds(word[split_at:]):
            return split_at
    return 0


def _term_order(term: Term) -> tuple[str, bool, int, bool]:
    return term.text, term.prefix, term.split_at, term.in_title


def match_spans(query: str | ParsedQuery, text: str) -> list[tuple[int, int]]:
    """Character ranges of ``text`` that match the query's words, for highlighting.

    A list highlighting many rows passes the query parsed once.
    """
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    if len(lowered) != len(text):
        return spans  # case folding changed the length; offsets would be wrong
    parsed = parse_query(query) if isinstance(query, str) else query
    for word in parsed.text.lower().split():
        start = lowered.find(word)
        if start >= 0:
            spans.append((start, start + len(word)))
            continue
        if len(word) < 3:
            continue
        alignment = fuzz.partial_ratio_alignment(word, lowered, score_cutoff=75)
        if alignment is not None and alignment.dest_end > alignment.dest_start:
            spans.append((alignment.dest_start, alignment.dest_end))
    return sorted(spans)
