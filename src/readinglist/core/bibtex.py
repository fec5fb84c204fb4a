"""Citations as BibTeX: one ``@misc`` entry per paper, as arXiv itself exports them.

Outside text becomes LaTeX through pylatexenc's encoder (accents to ``{\\"u}``, ``%``,
``#``, ``&``, ``$``, ``_``, ``\\`` and the like to their escaped forms), with one change
BibTeX needs: braces become ``\\textbraceleft``/``\\textbraceright``, because BibTeX
counts a ``\\{`` as an opening brace and one unbalanced brace would swallow the rest of
the file. So every value is balanced and no title can close its entry or open another.
Each field is first cleaned by ``for_display`` and folded to one line. A title's LaTeX
(``$\\alpha$``) is text like any other and typesets as written; TeX's own ligatures
(``--`` as a dash, a doubled backquote and ``''`` as quotes) are left to mean what they
mean to TeX and to the authors who type them.

Titles keep their capitals where a bibliography style would lower them wrongly: a word
with a capital after its first letter (``GPT-4``, ``LLaMA``, ``BERT``, ``iPhone``) is
wrapped in braces. Author names are joined with `` and ``; an ``and`` inside a name is
braced so BibTeX does not split the name there, and so are its commas, unless it has
at most two (BibTeX's "Last, First" and "Last, Jr, First" forms).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from .citations import Citation, citation_keys
from .textclean import for_display_all

if TYPE_CHECKING:
    from pylatexenc.latexencode import UnicodeToLatexEncoder  # type: ignore[import-untyped]

__all__ = ["render_bibtex"]

# Printable ASCII that LaTeX and BibTeX take literally (pylatexenc leaves it as it is):
# a title made only of these, nearly every one, never reaches the encoder.
_NEEDS_ENCODING = re.compile(r"""[^ !'()*+,\-./0-9:;=?@A-Z\[\]`a-z]+""")
_AND = re.compile(r"(?i)(?<!\S)and(?!\S)")
_LONGEST_NAME_FORM = 2  # commas: "von Last, Jr, First"
_UNSAFE_IN_URL = re.compile(r"[\s{}\\\"]")


def render_bibtex(citations: Sequence[Citation]) -> str:
    """A ``.bib`` file with an entry per citation, keys as ``citation_keys`` gives them."""
    citations = for_display_all(list(citations))  # every field, whoever made the values
    keys = citation_keys(citations)
    return "\n".join(_entry(citation, key) for citation, key in zip(citations, keys, strict=True))


def _entry(citation: Citation, key: str) -> str:
    fields: list[tuple[str, str]] = []
    if citation.author_names:
        names = (_author(name) for name in citation.author_names)
        fields.append(("author", " and ".join(name for name in names if name)))
    fields.append(("title", _title(citation.title)))  # written even if cleaning left nothing
    if citation.year:
        fields.append(("year", citation.year))
    if citation.arxiv_id:
        fields += [("eprint", citation.arxiv_id), ("archivePrefix", "arXiv")]
    url = citation.url
    if url:
        fields.append(("url", _url(url)))
    body = "".join(
        f"  {name} = {{{value}}},\n" for name, value in fields if value or name == "title"
    )
    return f"@misc{{{key},\n{body}}}\n"


def _latex(text: str) -> str:
    """Cleaned text as LaTeX on one line that typesets as written, its braces balanced."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    return _NEEDS_ENCODING.sub(_encoded, text)


def _title(title: str) -> str:
    return " ".join(
        f"{{{_latex(word)}}}" if _keeps_capitals(word) else _latex(word) for word in title.split()
    )


def _keeps_capitals(word: str) -> bool:
    """A capital after the first letter (an acronym, a model's name) survives any style."""
    return any(character.isupper() for character in word[1:])


def _author(name: str) -> str:
    encoded = _latex(name)
    if encoded.lower() == "others":  # BibTeX's "et al."
        return "{" + encoded + "}"
    encoded = _AND.sub("{and}", encoded)
    if encoded.count(",") > _LONGEST_NAME_FORM:  # not a "Last, First" form: commas as text
        encoded = encoded.replace(",", "{,}")
    return encoded


def _url(url: str) -> str:
    """A link as BibTeX's ``url`` field takes it (verbatim): what could unbalance or end
    the value, or break the line, percent-encoded."""
    return _UNSAFE_IN_URL.sub(lambda match: f"%{ord(match.group()):02X}", url)


def _encoded(match: re.Match[str]) -> str:
    return _encoded_run(match.group())


@lru_cache(maxsize=4096)
def _encoded_run(run: str) -> str:
    """A run of characters LaTeX needs spelled out ("é", "{", "%"): the same few recur in
    title after title, and each call into pylatexenc costs some fifty microseconds."""
    return _encoder().unicode_to_latex(run)  # type: ignore[no-any-return]


@cache
def _encoder() -> UnicodeToLatexEncoder:
    """pylatexenc's encoder, built once and only when a BibTeX export needs it."""
    from pylatexenc.latexencode import (
        RULE_DICT,
        UnicodeToLatexConversionRule,
        UnicodeToLatexEncoder,
    )

    # Braces without braces (BibTeX counts "\{"), and a bar as itself where pylatexenc's
    # defaults leave "|" (an em dash in LaTeX's default font). A straight double quote stays
    # pylatexenc's closing quotes (''): LaTeX's default font has no straight one, and
    # \textquotedbl stops pdflatex there.
    ours = UnicodeToLatexConversionRule(
        RULE_DICT,
        {
            ord("{"): r"\textbraceleft",
            ord("}"): r"\textbraceright",
            ord("|"): r"\textbar",
        },
    )
    return UnicodeToLatexEncoder(
        conversion_rules=[ours, "defaults"],
        non_ascii_only=False,
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",  # CJK and the like: UTF-8 BibTeX (biber) takes them
        unknown_char_warning=False,
    )
