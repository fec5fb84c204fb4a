"""The pages a paper with an arXiv id has on the web: its arXiv page, its PDF, and its
Hugging Face paper page. The one place these addresses are spelled.

The id is checked again here (``hf_items.arxiv_id``), however it reached the record: a
row another client wrote goes into an address only if it is a real arXiv id.
"""

from __future__ import annotations

from .citations import ARXIV_ABS
from .hf_items import arxiv_id as checked_arxiv_id

__all__ = ["PAGE_NAMES", "paper_page"]

ARXIV_PDF = "https://arxiv.org/pdf/"
_PREFIXES = {"abs": ARXIV_ABS, "pdf": ARXIV_PDF}
PAGE_NAMES = {"abs": "arXiv page", "pdf": "PDF", "hf": "Hugging Face page"}
"""What the reader calls each page, for messages."""


def paper_page(arxiv_id: str | None, page: str = "abs") -> str | None:
    """The address of a paper's ``page`` ("abs", "pdf" or "hf"); None without a valid id.

    The Hugging Face page is on ``$HF_ENDPOINT`` when it names a mirror (as ``fetch``
    reads it), without any user name or password it holds.
    """
    checked = checked_arxiv_id(arxiv_id)
    if checked is None:
        return None
    if page == "hf":
        return f"{_hugging_face()}/papers/{checked}"
    return _PREFIXES[page] + checked


def _hugging_face() -> str:
    """The site ``fetch`` reads, without any user name or password its address holds;
    the Hugging Face site itself where ``$HF_ENDPOINT`` is not a web address (``fetch``
    says so)."""
    from .fetch import DEFAULT_ENDPOINT, FetchError, endpoint_from_environment, shown_address

    try:
        return shown_address(endpoint_from_environment())
    except FetchError:
        return DEFAULT_ENDPOINT
