"""Synthetic Daily Papers listings, deterministic by seed, in every form readinglist imports.

Abstracts and titles take their words from ``vocabulary`` (the sample pages' measured
frequencies, a Zipfian tail, per-paper rare terms). The listings rotate through the
four forms (``pages.FORMS``): the text page in both layouts the parser knows (spaced
with metadata blocks, compact without), the saved web page and the API's JSON.

Titles collide as they do in real listings (shares of the listings written):

* ``RELIST`` a paper listed again on a later day: same title, newer upvotes;
* ``RESTYLED`` listed again with its title's case or hyphens changed (one paper by
  the title key);
* ``REVISED`` listed again in a saved page or the API with a revised title and the
  same arXiv id (one paper once identity follows the id; two before);
* ``NEAR_DUPLICATE`` a different paper whose title differs from another's by a word.

``count`` is the number of distinct papers; the listings hold more entries than that.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from .pages import FORMS, Paper, render
from .vocabulary import Vocabulary, model_name, rare_terms

RELIST = 0.05
RESTYLED = 0.01
REVISED = 0.01
NEAR_DUPLICATE = 0.02
FIRST_DAY = date(2023, 1, 2)
ORGS = (
    ("google", "Google"),
    ("meta-llama", "Meta Llama"),
    ("microsoft", "Microsoft"),
    ("deepseek-ai", "DeepSeek"),
    ("allenai", "Ai2"),
    ("nvidia", "NVIDIA"),
    ("Qwen", "Qwen"),
    ("MusubiAI", "Musubi"),
)
_CONNECTIVES = ("for", "with", "via", "in", "of", "and", "Towards", "through", "on")
_REVISIONS = ("Scaling", "Revisiting", "Improved", "Efficient", "Robust", "Unified")


@dataclass(frozen=True)
class Plan:
    """What ``generate`` wrote: the pages, and how many papers and listings they hold."""

    pages: tuple[Path, ...]
    papers: int
    listings: int
    revised: int  # listings under a revised title (same arXiv id)


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocabulary = Vocabulary()

    def paper(self, number: int, day: date) -> Paper:
        rng = self.rng
        name = model_name(rng, number)
        words = self.vocabulary.abstract_words(rng, max(60, round(rng.gauss(185, 45))))
        for term in rare_terms(rng, name):
            words.insert(rng.randrange(len(words)), term)
        sentences = []
        while words:
            cut = rng.randint(12, 30)
            sentence, words = words[:cut], words[cut:]
            sentences.append(sentence[0][:1].upper() + " ".join(sentence)[1:] + ".")
        abstract = f"We introduce {name}. " + " ".join(sentences)
        if rng.random() < 0.35:
            abstract += (
                f" Code is available at https://github.com/lab{number % 997}/{name.lower()}."
            )
        handle, display = rng.choice(ORGS) if rng.random() < 0.3 else (None, None)
        return Paper(
            title=self.title(name),
            abstract=abstract,
            arxiv_id=f"{day:%y%m}.{number % 100_000:05d}",
            authors=tuple(
                f"{rng.choice('ABCDEFGHJKLMNPRSTW')}. Author{number}-{n}"
                for n in range(rng.randint(1, 14))
            ),
            org=display,
            org_id=handle,
            day=day,
            upvotes=rng.randint(0, 400) if rng.random() < 0.8 else 0,
            github=f"https://github.com/lab{number % 997}/{name.lower()}"
            if rng.random() < 0.4
            else None,
            stars=rng.randint(0, 5000),
            keywords=tuple(self.vocabulary.abstract_words(rng, rng.randint(0, 10))),
        )

    def title(self, name: str) -> str:
        rng = self.rng
        words = [self.vocabulary.title_word(rng) for _ in range(max(3, round(rng.gauss(8.5, 2.5))))]
        words.insert(rng.randrange(1, len(words)), rng.choice(_CONNECTIVES))
        body = " ".join(words)
        body = body[0].upper() + body[1:]
        if rng.random() < 0.56:
            return f"{name}: {body}"
        return f"{body} ({name})" if rng.random() < 0.3 else f"{body} with {name}"

    def again(self, paper: Paper, day: date, rich: bool) -> tuple[Paper, bool]:
        """``paper`` listed again on ``day``; True if under a revised title."""
        rng = self.rng
        later = replace(paper, day=day, upvotes=paper.upvotes + rng.randint(0, 50))
        chance = rng.random() * (RELIST + RESTYLED + REVISED)
        if chance < RESTYLED:
            restyled = later.title.replace("-", " ") if "-" in later.title else later.title.lower()
            return replace(later, title=restyled), False
        if chance < RESTYLED + REVISED and rich:
            return replace(later, title=f"{rng.choice(_REVISIONS)} {later.title}"), True
        return later, False

    def near_duplicate(self, paper: Paper, number: int, day: date) -> Paper:
        other = self.paper(number, day)
        words = paper.title.split()
        words[self.rng.randrange(len(words))] = self.vocabulary.title_word(self.rng)
        return replace(other, title=" ".join(words))


def generate(
    folder: Path, count: int, *, seed: int = 42, per_page: int = 1000, collisions: bool = False
) -> list[Path]:
    """The pages of ``generate_plan``: without ``collisions`` each paper is listed once."""
    return list(
        generate_plan(folder, count, seed=seed, per_page=per_page, collisions=collisions).pages
    )


def generate_plan(
    folder: Path, count: int, *, seed: int = 42, per_page: int = 1000, collisions: bool = True
) -> Plan:
    """Write ``count`` papers as pages (about ``per_page`` listings each); reuse if present.

    With ``collisions`` papers are listed again and near-duplicated as the module
    docstring says; without, every title is listed once.
    """
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / f".complete-{count}-{seed}-{per_page}-{collisions:d}.json"
    if marker.exists():
        saved = json.loads(marker.read_text())
        return Plan(tuple(folder / name for name in saved.pop("pages")), **saved)
    for old in [*folder.glob("page-*"), *folder.glob(".complete-*")]:
        old.unlink()
    generator = Generator(seed)
    rng = generator.rng
    written: list[Paper] = []
    pages: list[Path] = []
    made = listings = revised = 0
    page_number = 0
    while made < count:
        form = FORMS[page_number % len(FORMS)]
        day = FIRST_DAY + timedelta(days=page_number)
        entries: list[Paper] = []
        size = per_page // 10 if form == "api" else per_page  # the API pages by 100
        while len(entries) < size and made < count:
            if collisions and written and rng.random() < RELIST + RESTYLED + REVISED:
                again, was_revised = generator.again(
                    rng.choice(written), day, form in ("html", "api")
                )
                revised += was_revised
                entries.append(again)
                continue
            if collisions and written and rng.random() < NEAR_DUPLICATE:
                paper = generator.near_duplicate(rng.choice(written), made, day)
            else:
                paper = generator.paper(made, day)
            made += 1
            written.append(paper)
            entries.append(paper)
        listings += len(entries)
        suffix = {"spaced": "txt", "compact": "txt", "html": "html", "api": "json"}[form]
        path = folder / f"page-{page_number:04d}.{suffix}"
        path.write_text(render(form, entries, day), encoding="utf-8")
        pages.append(path)
        page_number += 1
    plan = Plan(tuple(pages), made, listings, revised)
    marker.write_text(
        json.dumps(
            {
                "pages": [p.name for p in pages],
                "papers": made,
                "listings": listings,
                "revised": revised,
            }
        )
    )
    return plan
