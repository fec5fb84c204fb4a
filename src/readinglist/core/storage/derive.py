"""Facts about the columns, derived from the tables, and the generated module that holds them.

The program reads ``columns.py`` at run time: importing SQLModel (SQLAlchemy and
pydantic) costs most of a second, which a command that lists twenty papers should not
pay. That module is written by this one from ``tables.py``, and a test proves it is
up to date. After changing a table, regenerate it::

    python -m readinglist.core.storage.derive
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Integer, String

from .tables import (
    ARRAY,
    IMPORT,
    JSON,
    LISTING,
    MERGED,
    ON_INSERT,
    RECORD,
    REPEATED,
    SUMMARY,
    TAGS_FIELD,
    Paper,
)

__all__ = ["GENERATED", "derived_facts", "main", "render"]

GENERATED = Path(__file__).with_name("columns.py")
_TYPES = ((Boolean, "bool", "bool"), (Integer, "int", "int"), (String, "text", "str"))


def _paper_table() -> Any:
    return Paper.metadata.tables["paper"]


def _roles(column: Any) -> frozenset[str]:
    return frozenset(column.info.get("roles", ()))


def _type(column: Any) -> str:
    """The column's type as the SQL of both databases names it: text, int or bool."""
    return next(name for kind, name, _python in _TYPES if isinstance(_sql_type(column), kind))


def _python_type(column: Any) -> str:
    return next(python for kind, _name, python in _TYPES if isinstance(_sql_type(column), kind))


def _sql_type(column: Any) -> Any:
    return getattr(column.type, "impl", column.type)  # SQLModel's AutoString wraps String


def derived_facts() -> dict[str, Any]:
    """Every column list the program uses, in the tables' column order."""
    columns = list(_paper_table().columns)

    def having(role: str) -> tuple[str, ...]:
        return tuple(c.name for c in columns if role in _roles(c))

    groups: dict[str, list[str]] = {}
    for c in columns:
        if MERGED in _roles(c):
            groups.setdefault(c.info.get("group", c.name), []).append(c.name)
    insert = tuple(c.name for c in columns if _roles(c) & {LISTING, IMPORT})
    update = tuple(name for name in insert if name not in having(ON_INSERT))
    return {
        "PAPER_COLUMNS": tuple(c.name for c in columns),
        "COLUMN_TYPES": {c.name: _type(c) for c in columns},
        "SUMMARY_COLUMNS": tuple(
            c.info.get("summary_as", c.name)
            for c in columns
            if SUMMARY in _roles(c) or "summary_as" in c.info
        ),
        "SUMMARY_TESTS": {c.info["summary_as"]: c.name for c in columns if "summary_as" in c.info},
        "REPEATED_COLUMNS": having(REPEATED),
        "JSON_FIELDS": (*having(JSON), TAGS_FIELD),
        "RECORD_COLUMNS": tuple(
            c.name for c in columns if JSON in _roles(c) or RECORD in _roles(c)
        ),
        "ARRAY_COLUMNS": having(ARRAY),
        "BOOL_COLUMNS": tuple(c.name for c in columns if _type(c) == "bool"),
        "LISTING_COLUMNS": having(LISTING),
        "MERGE_GROUPS": tuple(tuple(group) for group in groups.values()),
        "INSERT_COLUMNS": insert,
        "UPDATE_COLUMNS": update,
        "FETCH_COLUMNS": ("id", *update),
    }


def _annotation(column: Any, *, summary_name: str | None = None) -> tuple[str, str | None]:
    """The dataclass annotation of a column, and its default (None: required)."""
    if summary_name is not None:
        return "bool", None
    if ARRAY in _roles(column):
        return "tuple[str, ...]", "()"
    python = _python_type(column)
    if column.nullable and not column.primary_key:
        return f"{python} | None", "None"
    default = Paper.model_fields[column.name].default
    if column.server_default is not None and isinstance(default, bool | int | str):
        return python, repr(default)  # what the database fills in, for a record made by hand
    return python, None


def _dataclass(name: str, doc: str, base: str, fields: list[tuple[str, str, str | None]]) -> str:
    keywords = ", kw_only=True" if base else ""  # a record's new fields take defaults
    lines = [
        f"@dataclass(frozen=True, slots=True{keywords})",
        f"class {name}({base}):",
        f'    """{doc}"""',
        "",
    ]
    if base:
        lines += ["    JSON_FIELDS: ClassVar[tuple[str, ...]] = JSON_FIELDS", ""]
    for field_name, annotation, default in fields:
        suffix = f" = {default}" if default is not None else ""
        lines.append(f"    {field_name}: {annotation}{suffix}")
    return "\n".join(lines)


def render() -> str:
    """The text of ``columns.py``."""
    facts = derived_facts()
    table = _paper_table()
    summary_fields: list[tuple[str, str, str | None]] = []
    for c in table.columns:
        if SUMMARY in _roles(c) or "summary_as" in c.info:
            as_name = c.info.get("summary_as")
            annotation, _default = _annotation(c, summary_name=as_name)
            summary_fields.append((as_name or c.name, annotation, None))  # rows are positional
    summary_fields.append((TAGS_FIELD, "tuple[str, ...]", "()"))  # from PaperTag, read per page
    record_fields = [(name, *_annotation(table.c[name])) for name in facts["RECORD_COLUMNS"]]
    record_fields.append((TAGS_FIELD, "tuple[str, ...]", "()"))  # from PaperTag
    constants = "\n".join(f"{name} = {value!r}" for name, value in facts.items())
    return (
        "\n\n\n".join(
            [
                '"""Facts about the library\'s columns, and the values made of them.\n\n'
                "GENERATED from ``tables.py`` by ``python -m readinglist.core.storage.derive``:\n"
                "do not edit; change the tables and regenerate. A test fails when this is stale.\n"
                '"""\n\n'
                "from __future__ import annotations\n\n"
                "from dataclasses import dataclass\nfrom typing import ClassVar\n\n"
                "from .values import RecordMethods\n\n"
                f"{constants}",
                _dataclass(
                    "PaperSummary",
                    "What a list row needs: no abstract, so 100,000 of them stay small.",
                    "",
                    summary_fields,
                ).replace("class PaperSummary():", "class PaperSummary:"),
                _dataclass(
                    "PaperRecord", "Everything about one paper.", "RecordMethods", record_fields
                ),
            ]
        )
        + "\n"
    )


def main() -> int:
    text = render()
    if GENERATED.exists() and GENERATED.read_text(encoding="utf-8") == text:
        print(f"{GENERATED.name} is up to date")
        return 0
    GENERATED.write_text(text, encoding="utf-8")
    print(f"wrote {GENERATED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
