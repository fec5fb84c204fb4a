"""Synthetic Daily Papers pages: realistic vocabulary, metadata and links, deterministic by seed."""

from __future__ import annotations

import random
from pathlib import Path

ADJECTIVES = (
    "Efficient Scalable Robust Sparse Dense Hierarchical Adaptive Unified Multimodal Causal "
    "Contrastive Generative Diffusion-based Lightweight Long-context Multilingual Self-supervised "
    "Interpretable Federated Recurrent Structured Dynamic Latent Neural Probabilistic"
).split()
NOUNS = (
    "Transformers Attention Retrieval Tokenization Decoding Alignment Reasoning Distillation "
    "Quantization Pruning Embeddings Agents Benchmarks Segmentation Grounding Memory Routing "
    "Experts Adapters Prompts Graphs Policies Rewards Kernels Hallucination Handwriting Documents "
    "Speech Vision Language Proteins Molecules Robots Code Tables Video Audio Summarization"
).split()
TASKS = (
    "Language Modeling|Machine Translation|Image Segmentation|Question Answering|Speech Recognition|"
    "Document Understanding|Code Generation|Protein Folding|Visual Grounding|Text Classification|"
    "Information Extraction|Handwritten Text Recognition|Long-Context Inference|Reinforcement Learning"
).split("|")
FILLER = (
    "we propose a novel method that improves the performance of large language models on a wide "
    "range of benchmarks while reducing memory and compute costs our approach combines sparse "
    "attention with learned routing and achieves state-of-the-art results experiments show "
    "consistent gains over strong baselines in both accuracy and efficiency the model is trained "
    "on diverse data and evaluated across multilingual settings ablation studies confirm the "
    "contribution of each component we further analyze scaling behaviour and robustness to noise"
).split()
ORGS = [
    ("google", "Google"),
    ("meta-llama", "Meta Llama"),
    ("microsoft", "Microsoft"),
    ("deepseek-ai", "DeepSeek"),
    ("allenai", "Ai2"),
    ("nvidia", "NVIDIA"),
    ("Qwen", "Qwen"),
]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def make_paper(rng: random.Random, number: int) -> tuple[str, str, str | None]:
    """One paper as (title, abstract, metadata block or None)."""
    name = f"{rng.choice(ADJECTIVES).split('-')[0]}{rng.choice(NOUNS)[:4]}-{number}"
    title = (
        f"{name}: {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} for {rng.choice(TASKS)}"
        if rng.random() < 0.7
        else f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} and {rng.choice(NOUNS)} "
        f"in {rng.choice(TASKS)} ({name})"
    )
    words = [rng.choice(FILLER) for _ in range(rng.randint(90, 220))]
    for _ in range(rng.randint(3, 8)):
        words.insert(rng.randrange(len(words)), rng.choice(NOUNS).lower())
    abstract = f"We introduce {name}. " + " ".join(words).capitalize() + "."
    if rng.random() < 0.35:
        abstract += f" Code is available at https://github.com/lab{number % 997}/{name.lower()}."
    if rng.random() < 0.3:
        return title, abstract, None
    date = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}" + (
        f", {rng.randint(2019, 2025)}" if rng.random() < 0.8 else ""
    )
    upvotes = f" {rng.randint(1, 400)}" if rng.random() < 0.5 else ""
    if rng.random() < 0.2:
        handle, display = rng.choice(ORGS)
        first = f"{handle} {display}"
    else:
        first = f"  • {rng.randint(1, 40)} authors"
    return title, abstract, f"{first}\n·\n{date}{upvotes}"


def render_page(papers: list[tuple[str, str, str | None]], compact: bool, listing: str) -> str:
    if compact:
        lines = [
            "Get trending papers in your email inbox once a day!",
            "Get trending papers in your email inbox!",
        ]
        body = [line for title, abstract, _ in papers for line in (title, abstract)]
        body[0] = "Subscribe" + body[0]
        return "\n".join(lines + body) + "\n"
    blocks = [
        "new",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
        listing,
    ]
    for title, abstract, meta in papers:
        blocks += [title, abstract] + ([meta] if meta else [])
    return "\n\n".join(blocks) + "\n"


def generate(folder: Path, count: int, *, seed: int = 42, per_page: int = 1000) -> list[Path]:
    """Write ``count`` papers as pages of ``per_page`` (alternating layouts); reuse if present."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / f".complete-{count}-{seed}"
    pages = sorted(folder.glob("page-*.txt"))
    if marker.exists():
        return pages
    for old in pages:
        old.unlink()
    rng = random.Random(seed)
    paths = []
    for page_number, start in enumerate(range(0, count, per_page)):
        papers = [make_paper(rng, number) for number in range(start, min(count, start + per_page))]
        listing = f"{MONTHS[page_number % 12]} {page_number % 28 + 1}"
        path = folder / f"page-{page_number:04d}.txt"
        path.write_text(
            render_page(papers, compact=page_number % 4 == 3, listing=listing), encoding="utf-8"
        )
        paths.append(path)
    marker.touch()
    return paths
