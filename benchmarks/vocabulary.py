"""Words for benchmark abstracts and titles, drawn with the sample pages' frequencies.

Measured on the three sample pages (``assets/samples``, the same as ``shared/samples``;
189 abstracts, tokens as ``TOKEN`` finds them, lower-cased), by ``measure()``:

* 36,377 tokens, 5,136 distinct words; 46 % of the distinct words occur once (hapax).
* Rank-frequency is Zipfian: a least-squares fit of log f = a - s log r over every rank
  gives s = 1.07 (0.91 over ranks 10 to 1,000): a few very common words ("the" is
  4.5 % of tokens, the top 30 a third) and a long tail.
* Good-Turing: hapaxes are 6.6 % of tokens, the chance that the next word is new.
* Vocabulary growth follows Heaps' law V = K n^b with b = 0.68 (fit over prefixes of
  500 to 36,377 tokens): extrapolated, 100,000 abstracts (19 million tokens) hold
  about 360,000 distinct words.
* 3.6 % of tokens are acronyms or CamelCase names (HMM, TrOCR, NeuPIMs, LLaVA), 1.4 %
  hold a digit (4K, 2.4times, GPT-4V, A2SF); abstracts run 74 to 288 words (mean 192);
  titles 9.7 words, 56 % with a "Name:" prefix. The samples hold no other scripts;
  real listings do (Chinese, Cyrillic, Greek letters), so 3 % of papers carry a term
  in one.

The generator reproduces this: the head of the distribution is the samples' own words
with their measured counts, continued by a synthetic tail of ``TAIL_WORDS`` words
whose weights follow the fitted s = 1.07, so common words stay common and the number
of distinct words grows with the library as Heaps' law says. Each paper adds its own
rare terms (a model name, acronyms, numbers, now and then another script) at the
measured shares.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections import Counter
from functools import cache
from pathlib import Path

from readinglist.core.parse import read_page

SAMPLES = Path(__file__).resolve().parent.parent / "assets" / "samples"
TOKEN = re.compile(r"\w[\w.+-]*\w|\w")
ZIPF_S = 1.07  # measured: see the module docstring
TAIL_WORDS = 400_000  # about Heaps' extrapolation to 100,000 abstracts
ACRONYM_SHARE = 0.036
NUMBER_SHARE = 0.014
OTHER_SCRIPT_SHARE = 0.03
_SYLLABLES = (
    "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go ka ke ki ko la le li "
    "lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to "
    "tu va ve vi vo za ze zi tra pro gra sta ner mor tor lex ment tion ing ive al ic"
).split()
_OTHER_SCRIPTS = (
    "注意力 变换器 大模型 多模态 检索增强 推理 трансформер внимание модель обучение "
    "α-β γ-σ λ-регуляризация Δ-tuning μP θ-ожидание 日本語 言語モデル 한국어 모델 "
    "Ελληνικά μοντέλο"
).split()


def measure(folder: Path = SAMPLES) -> dict[str, float]:
    """The figures in the module docstring, from the sample pages."""
    abstracts = [
        paper.abstract for page in sorted(folder.glob("*.txt")) for paper in read_page(page).papers
    ]
    tokens = [word.lower() for abstract in abstracts for word in TOKEN.findall(abstract)]
    counts = Counter(tokens)
    ranked = sorted(counts.values(), reverse=True)
    zipf = -_slope([math.log(r) for r in range(1, len(ranked) + 1)], [math.log(f) for f in ranked])
    seen: set[str] = set()
    growth = []
    for number, word in enumerate(tokens, start=1):
        seen.add(word)
        if number in (500, 1000, 2000, 4000, 8000, 16000, len(tokens)):
            growth.append((math.log(number), math.log(len(seen))))
    return {
        "abstracts": len(abstracts),
        "tokens": len(tokens),
        "types": len(counts),
        "hapax_share": sum(1 for count in counts.values() if count == 1) / len(counts),
        "zipf_s": zipf,
        "heaps_b": _slope([x for x, _ in growth], [y for _, y in growth]),
    }


def _slope(xs: list[float], ys: list[float]) -> float:
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return covariance / sum((x - mean_x) ** 2 for x in xs)


class Vocabulary:
    """Abstract and title words: the samples' head, a Zipfian synthetic tail."""

    def __init__(self, folder: Path = SAMPLES) -> None:
        papers = [
            paper for page in sorted(folder.glob("*.txt")) for paper in read_page(page).papers
        ]
        head = Counter(
            word.lower() if word.islower() or word.istitle() else word
            for paper in papers
            for word in TOKEN.findall(paper.abstract)
        )
        words = [word for word, _ in head.most_common()]
        weights = [float(count) for _, count in head.most_common()]
        # The tail's share of all tokens is the Good-Turing estimate of the chance that
        # the next word is one the samples never showed: hapaxes / tokens (6.6 %). Its
        # words are weighted by rank with the fitted exponent.
        unseen = sum(1 for weight in weights if weight == 1) / sum(weights)
        tail = [1 / rank**ZIPF_S for rank in range(len(words) + 1, len(words) + TAIL_WORDS + 1)]
        scale = sum(weights) * unseen / (1 - unseen) / sum(tail)
        words += _tail_words(TAIL_WORDS)
        weights += [weight * scale for weight in tail]
        self.words = words
        self.cumulative = list(itertools.accumulate(weights))
        title_counts = Counter(
            word for paper in papers for word in TOKEN.findall(paper.title) if not word.isupper()
        )
        self.title_words = [word for word, _ in title_counts.most_common()]
        self.title_cumulative = list(itertools.accumulate(c for _, c in title_counts.most_common()))

    def abstract_words(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def title_word(self, rng: random.Random) -> str:
        if rng.random() < 0.15:  # a tail word now and then: titles reuse abstracts' terms
            return rng.choices(self.words, cum_weights=self.cumulative)[0].capitalize()
        return rng.choices(self.title_words, cum_weights=self.title_cumulative)[0]


def _tail_words(count: int) -> list[str]:
    """``count`` distinct made-up words, the short ones first (rank and length go together)."""
    rng = random.Random(1)
    short = [first + second for first in _SYLLABLES for second in _SYLLABLES]
    rng.shuffle(short)
    words = dict.fromkeys(short)
    while len(words) < count:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(3, 4)))
        if rng.random() < 0.08:  # compounds, as "GEMM-focused", "training-free"
            word += "-" + rng.choice(_SYLLABLES) + rng.choice(_SYLLABLES)
        words[word] = None
    return list(words)[:count]


def model_name(rng: random.Random, number: int) -> str:
    """A paper's own name: an acronym, a CamelCase coinage or a versioned name."""
    stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3))).capitalize()
    shape = rng.random()
    if shape < 0.35:
        return f"{stem.upper()[:5]}{_base36(number)}"
    if shape < 0.7:
        return f"{stem}{rng.choice(('Net', 'Former', 'LM', 'GPT', 'Bench', 'PIM', 'RL'))}{_base36(number)}"
    return f"{stem}-{_base36(number)}-{rng.randint(1, 9)}.{rng.randint(0, 9)}"


def rare_terms(rng: random.Random, name: str) -> list[str]:
    """The paper's rare terms at the measured shares of a 192-word abstract."""
    terms = [name] * rng.randint(1, 4)
    for _ in range(round(192 * ACRONYM_SHARE) - len(terms) + rng.randint(-2, 2)):
        terms.append(rng.choice(_acronyms()))
    for _ in range(max(0, round(192 * NUMBER_SHARE) + rng.randint(-2, 2))):
        terms.append(_number(rng))
    if rng.random() < OTHER_SCRIPT_SHARE:
        terms.append(rng.choice(_OTHER_SCRIPTS))
    return terms


@cache
def _acronyms() -> tuple[str, ...]:
    rng = random.Random(2)
    letters = "ABCDEFGHIKLMNOPRSTUVX"
    made = {"".join(rng.choice(letters) for _ in range(rng.randint(2, 5))) for _ in range(6000)}
    return (*sorted(made), "LLMs", "VLMs", "RLHF", "LoRA", "MoE", "KV", "GEMM", "ViT")


def _number(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.3:
        return str(rng.randint(1, 100))
    if shape < 0.55:
        return f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%"
    if shape < 0.75:
        return f"{rng.randint(1, 40)}.{rng.randint(0, 9)}x"
    if shape < 0.9:
        return f"{rng.choice((7, 8, 13, 32, 70, 405))}B"
    return str(rng.randint(2015, 2026))


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = digits[digit] + text
        if not number:
            return text
