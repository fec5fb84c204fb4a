"""The tables in storage/tables.py are the schema: migrated libraries match them exactly.

On SQLite and on PostgreSQL, a new library and an old one brought up to date have the
columns (names, order, types, nullability, defaults), keys, indexes, unique and check
constraints the models state; the generated ``columns.py`` is what the models derive.
Only each database's full-text index is its own (FTS5 tables; a ``tsvector`` column).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Boolean, CheckConstraint, Integer, String, UniqueConstraint, create_engine
from sqlalchemy import inspect as reflect

from readinglist.core.location import LibraryLocation
from readinglist.core.service import ReadingList
from readinglist.core.storage import derive
from readinglist.core.storage.migrations import MIGRATIONS, Migration
from readinglist.core.storage.tables import TABLES
from tests.conftest import TODAY, downgrade_to_v1

FULL_TEXT = {"columns": {"search_vector"}, "indexes": {"ix_paper_search"}}  # PostgreSQL's


def kind(sql_type: Any) -> str:
    sql_type = getattr(sql_type, "impl", sql_type)
    for base, name in ((Boolean, "bool"), (Integer, "int"), (String, "text")):
        if isinstance(sql_type, base):
            return name
    raise AssertionError(f"unexpected column type {sql_type!r}")


def default(text: Any) -> str | None:
    """A default as both databases write it back: quotes, casts and 0/false aside."""
    if text is None:
        return None
    value = re.sub(r"::[a-z ]+$", "", str(getattr(text, "text", text)).strip("()"))
    return {"0": "0", "false": "0"}.get(value.lower(), value) if value != "0" else "0"


def words(sql: str) -> str:
    """A check's condition, PostgreSQL's ``= ANY (ARRAY[...])`` read as the ``IN`` it was."""
    sql = sql.lower().replace("::text", "").replace("= any (array[", "in (").replace("]", "")
    return " ".join(re.sub(r"[()]", " ", sql).replace("'", "").split())


def model_schema() -> dict[str, Any]:
    schema = {}
    for model in TABLES:
        table = model.__table__
        uniques = {(c.name,) for c in table.columns if c.unique}
        uniques |= {
            tuple(c.name for c in u.columns)
            for u in table.constraints
            if isinstance(u, UniqueConstraint)
        }
        schema[table.name] = {
            "columns": [
                (
                    c.name,
                    kind(c.type),
                    c.nullable,
                    default(c.server_default.arg if c.server_default else None),
                )
                for c in table.columns
            ],
            "primary_key": [c.name for c in table.primary_key.columns],
            "indexes": {
                index.name: ([c.name for c in index.columns], bool(index.unique))
                for index in table.indexes
            },
            "uniques": uniques,
            "foreign_keys": {
                (fk.parent.name, fk.column.table.name, fk.column.name, fk.ondelete)
                for fk in table.foreign_keys
            },
            "checks": {
                words(str(c.sqltext)) for c in table.constraints if isinstance(c, CheckConstraint)
            },
        }
    return schema


def foreign_keys(engine: Any, inspector: Any, table: str) -> set[tuple[Any, ...]]:
    if engine.dialect.name == "sqlite":  # SQLAlchemy does not read back SQLite's ON DELETE
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(f"PRAGMA foreign_key_list({table})").mappings().all()
        return {(r["from"], r["table"], r["to"], r["on_delete"]) for r in rows}
    return {
        (
            fk["constrained_columns"][0],
            fk["referred_table"],
            fk["referred_columns"][0],
            fk["options"].get("ondelete"),
        )
        for fk in inspector.get_foreign_keys(table)
    }


def library_schema(location: str) -> dict[str, Any]:
    parsed = LibraryLocation.parse(location)
    url = (
        f"sqlite:///{parsed.path}"
        if parsed.path
        else parsed.url.replace("postgresql://", "postgresql+psycopg://", 1)
    )
    engine = create_engine(url)
    try:
        inspector = reflect(engine)
        schema = {}
        for model in TABLES:
            name = model.__table__.name
            columns = [
                c for c in inspector.get_columns(name) if c["name"] not in FULL_TEXT["columns"]
            ]
            primary = inspector.get_pk_constraint(name)["constrained_columns"]
            schema[name] = {
                "columns": [
                    (
                        c["name"],
                        kind(c["type"]),
                        c["nullable"] and c["name"] not in primary,
                        default(c["default"]),
                    )
                    for c in columns
                ],
                "primary_key": primary,
                "indexes": {
                    index["name"]: (index["column_names"], bool(index["unique"]))
                    for index in inspector.get_indexes(name)
                    if index["name"] not in FULL_TEXT["indexes"]
                    and "duplicates_constraint" not in index
                },
                "uniques": {
                    tuple(u["column_names"]) for u in inspector.get_unique_constraints(name)
                },
                "foreign_keys": foreign_keys(engine, inspector, name),
                "checks": {words(c["sqltext"]) for c in inspector.get_check_constraints(name)},
            }
        return schema
    finally:
        engine.dispose()


def test_the_generated_column_facts_are_what_the_tables_derive():
    """Run ``python -m readinglist.core.storage.derive`` when this fails."""
    assert derive.GENERATED.read_text(encoding="utf-8") == derive.render()


def test_a_new_library_matches_the_models(library_location: str):
    ReadingList(library_location, today=TODAY).close()
    assert library_schema(library_location) == model_schema()


@pytest.mark.sqlite_only
def test_an_old_library_brought_up_to_date_matches_the_models(
    library_location: str, sample_pages: list[Path]
):
    with ReadingList(library_location, today=TODAY) as current:
        current.import_pages(sample_pages[:1])
    downgrade_to_v1(Path(library_location))
    ReadingList(library_location, today=TODAY).close()
    assert library_schema(library_location) == model_schema()


def make_old_library(location: str, steps: int) -> None:
    """A library as a readinglist that knew only the first ``steps`` migrations left it."""
    parsed = LibraryLocation.parse(location)
    if parsed.path is None:
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn, conn.transaction():
            apply_steps(Migration(conn.cursor(), "postgresql", "%s"), steps)
        return
    import sqlite3

    conn = sqlite3.connect(parsed.path, isolation_level=None)
    try:
        apply_steps(Migration(conn.cursor(), "sqlite", "?"), steps)
        conn.execute(f"PRAGMA user_version = {steps}")
    finally:
        conn.close()


def apply_steps(conn: Migration, steps: int) -> None:
    conn.execute("CREATE TABLE schema_migration (name TEXT PRIMARY KEY, applied_at TEXT)")
    for name, step in MIGRATIONS[:steps]:
        step(conn)
        conn.execute(f"INSERT INTO schema_migration VALUES ({conn.param}, 'then')", (name,))


@pytest.mark.parametrize("steps", [1, 5])  # the first library; the last before storage/
def test_a_library_any_older_readinglist_left_is_brought_up_to_the_models(
    library_location: str, steps: int
):
    make_old_library(library_location, steps)
    with ReadingList(library_location, today=TODAY) as library:
        assert library.schema_version() == len(MIGRATIONS)
    assert library_schema(library_location) == model_schema()
