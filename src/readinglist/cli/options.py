"""The options several commands share, stated once: ``--json``, ``--limit``, ``--sort``.

The sort keys themselves are core's (``core.sorting``), which the app reads too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from ..core.sorting import SORT_HELP

__all__ = ["json_option", "limit_option", "sort_option"]

F = TypeVar("F", bound=Callable[..., Any])


def json_option(what: str) -> Callable[[F], F]:
    """``--json`` (the parameter ``as_json``): print JSON (``what``) instead of text."""
    return click.option("--json", "as_json", is_flag=True, help=f"Print JSON: {what}.")


def limit_option(func: F) -> F:
    """``--limit``/``-n`` (the parameter ``limit``): show at most N papers."""
    option = click.option(
        "--limit", "-n", type=click.IntRange(min=1), help="Show at most N papers."
    )
    return option(func)


def sort_option(
    choices: Sequence[str], default: str | None, *, default_text: str | None = None
) -> Callable[[F], F]:
    """``--sort`` over ``choices`` (keys of ``core.sorting``), each explained in the help."""
    orders = "; ".join(f"{key}: {SORT_HELP[key]}" for key in choices)
    return click.option(
        "--sort",
        type=click.Choice(choices),
        default=default,
        help=f"Order (default: {default_text or default}). {orders}.",
    )
