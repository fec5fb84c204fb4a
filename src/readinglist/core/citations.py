"""What a citation needs to know about a paper, and the key a bibliography files it under.

``Citation`` is the plain value the BibTeX, RIS and Markdown writers work from, and
``citation_for`` is the one place a library record becomes one. Citation keys follow one
rule, stable across runs and imports because they depend only on the paper itself:

- a paper with an arXiv id: the first author's surname, a colon, and the id, as in
  ``kaplan:2001.08361`` (``arxiv:2001.08361`` when no author names are known). The id
  never changes, so a revised title or a later listing leaves the key as it was.
- a paper without one: surname (or ``anon``), the first title word that is not a
  small word, a colon, and four hex digits of a hash of the paper's identity (its
  title key, the one import matches papers by), as in ``anonscaling:3fa9``. The hash
  keeps two "Scaling …" papers apart however they are exported. No year: a paper's
  date is its newest listing's, and a listing in a new year would change the key.
  A paper that later gains its arXiv id takes the arXiv form.

Surnames and words are folded to lowercase ASCII letters and digits (accents dropped).
Should two papers still share a key in one export (the same arXiv id held twice, or a
hash collision), the later ones get ``-2``, ``-3``… in export order.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .hf_items import arxiv_id as checked_arxiv_id
from .links import is_web_link
from .merge import title_key
from .textclean import for_display

if TYPE_CHECKING:
    from .models import PaperRecord

__all__ = ["ARXIV_ABS", "Citation", "citation_for", "citation_keys"]

ARXIV_ABS = "https://arxiv.org/abs/"
# Words a key skips to find the title's first telling word (as Google Scholar and arXiv do).
_SMALL_WORDS = frozenset(
    {"a", "an", "the", "of", "on", "in", "for", "to", "and", "or", "with", "via", "at", "by"}
    | {"from", "is", "are", "do", "does", "towards", "toward"}
)
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_NOT_KEY_CHARACTER = re.compile(r"[^a-z0-9]+")
_LONGEST_KEY_PART = 30  # of a surname or a title word: a key stays something one can type
_NEW_STYLE_ID = re.compile(r"(\d{2})\d{2}\.\d{4,5}")
_OLD_STYLE_ID = re.compile(r".*/(\d{2})\d{5}")
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True, slots=True)
class Citation:
    """One paper as a bibliography entry sees it; every text field is outside text."""

    title: str
    author_names: tuple[str, ...] = ()
    arxiv_id: str | None = None  # checked as import checks it, any version suffix dropped
    date: str | None = None  # the listing day, YYYY-MM-DD
    links: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Checked here, however the value was made: an id goes into keys and URLs as it is.
        object.__setattr__(self, "arxiv_id", checked_arxiv_id(self.arxiv_id))

    @property
    def year(self) -> str | None:
        """The year the arXiv id says the paper appeared, else the listing's year."""
        if self.arxiv_id:
            found = _NEW_STYLE_ID.fullmatch(self.arxiv_id) or _OLD_STYLE_ID.fullmatch(self.arxiv_id)
            if found:
                two_digits = int(found.group(1))
                return str((1900 if two_digits >= 91 else 2000) + two_digits)  # arXiv began 1991
        if self.date and _YEAR.fullmatch(self.date[:4]):
            return self.date[:4]
        return None

    @property
    def url(self) -> str | None:
        """The paper's arXiv page; without an id, its first web link (code or project page)."""
        if self.arxiv_id:
            return ARXIV_ABS + self.arxiv_id
        return next((link for link in self.links if is_web_link(link)), None)


def citation_for(record: PaperRecord) -> Citation:
    """The citation of a library record: the one function that reads a record for one."""
    names = tuple(name for name in record.author_names if isinstance(name, str) and name.strip())
    return Citation(
        title=record.title,
        author_names=names,
        arxiv_id=record.arxiv_id,  # checked by Citation: another client may have written it
        date=record.date,
        links=record.links,
    )


def citation_keys(citations: Sequence[Citation]) -> list[str]:
    """Each citation's key (see the module's rule), unique within ``citations``."""
    taken: set[str] = set()
    last_number: dict[str, int] = {}  # per key, so a paper held many times costs no more
    keys: list[str] = []
    for citation in citations:
        key = candidate = _key(citation)
        number = last_number.get(key, 1)
        while candidate in taken:  # the same paper twice, or a hash collision
            number += 1
            candidate = f"{key}-{number}"
        last_number[key] = number
        taken.add(candidate)
        keys.append(candidate)
    return keys


def _key(citation: Citation) -> str:
    surname = _surname(citation.author_names[:1])
    if citation.arxiv_id:
        return f"{surname or 'arxiv'}:{citation.arxiv_id}"
    title = for_display(citation.title, one_line=True)  # as the entry shows it
    word = next(_telling_words(title), "")
    digest = hashlib.sha256(title_key(title).encode()).hexdigest()[:4]
    return f"{surname or 'anon'}{word}:{digest}"


def _surname(names: tuple[str, ...]) -> str:
    """The first author's surname as key characters: "Kaplan, Jared" or "Jared Kaplan"."""
    if not names:
        return ""
    name = for_display(names[0], one_line=True)
    if "," in name:  # "Last, First": all of the family name, as in "vanbeethoven"
        return _folded(name.split(",", 1)[0])
    words = [_folded(word) for word in name.split()]
    words = [word for word in words if word]
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else ""


def _telling_words(title: str) -> Iterator[str]:
    for word in title.split():
        folded = _folded(word)
        if folded and folded not in _SMALL_WORDS:
            yield folded


def _folded(text: str) -> str:
    """Lowercase ASCII letters and digits only: accents dropped, anything else removed."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_KEY_CHARACTER.sub("", ascii_text.lower())[:_LONGEST_KEY_PART]
