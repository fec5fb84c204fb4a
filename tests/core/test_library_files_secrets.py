"""Passwords in a PostgreSQL URL's query or a libpq keyword string never reach the output,
and a keyword string is a PostgreSQL library, never a file named after it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from readinglist.cli import cli
from readinglist.core.location import LibraryLocation, libpq_keywords
from tests.conftest import SAMPLES

PAGE = str(SAMPLES / "daily-papers-page-a.txt")


def invoke(db: str, *args: str):
    return CliRunner().invoke(cli, ["--db", db, *args])


def test_a_password_in_the_url_query_is_masked():
    location = LibraryLocation.parse(
        "postgresql://lab@db.example.org/papers?sslmode=require&password=hunter2&sslpassword=k3y"
    )
    assert location.display == (
        "postgresql://lab@db.example.org/papers?sslmode=require&password=***&sslpassword=***"
    )
    assert location.scrub("auth failed: hunter2, key k3y") == "auth failed: ***, key ***"


def test_a_libpq_keyword_string_is_postgresql_never_a_file(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    conninfo = (
        "host=127.0.0.1 port=1 dbname=lab user=alice password='pa ss\\'w0rd' connect_timeout=2"
    )
    location = LibraryLocation.parse(conninfo)
    assert location.is_postgres and location.path is None
    assert "pa ss" not in location.display and "password=***" in location.display
    for args in (["paths"], ["list"], ["check"], ["import", PAGE]):
        result = invoke(conninfo, *args)
        assert "pa ss" not in result.output + result.stderr and "w0rd" not in result.stderr, args
    assert [p.name for p in tmp_path.iterdir()] == ["home"]  # no file named after the password
    assert not LibraryLocation.parse("lab=2024.db").is_postgres  # not a libpq keyword
    assert not LibraryLocation.parse("notes.db").is_postgres


@pytest.mark.parametrize("args", [["paths"], ["list"], ["check"], ["backup"]])
def test_no_command_prints_a_query_password(args):
    url = "postgresql://alice@127.0.0.1:1/lab?connect_timeout=2&password=s3cret-pw"
    result = invoke(url, *args)
    assert "s3cret" not in result.output + result.stderr


KEYWORDS = st.sampled_from(["host", "port", "dbname", "user", "password", "sslmode", "options"])
VALUES = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30)


def conninfo(pairs: dict[str, str]) -> str:
    """Write pairs as libpq does: quoted, with quotes and backslashes escaped."""
    quoted = (v.replace("\\", "\\\\").replace("'", "\\'") for v in pairs.values())
    return " ".join(f"{key}='{value}'" for key, value in zip(pairs, quoted, strict=True))


@given(st.dictionaries(KEYWORDS, VALUES, min_size=1))
def test_keyword_strings_parse_back_and_never_show_the_password(pairs: dict[str, str]):
    text = conninfo(pairs)
    assert libpq_keywords(text) == pairs
    location = LibraryLocation.parse(text)
    assert location.is_postgres
    secret = pairs.get("password", "")
    if not secret:
        return
    assert "password=***" in location.display
    encoded = quote(secret, safe="")
    elsewhere = (location.url or "").replace(f"password={encoded}", "") + "***"
    for form in {secret, encoded} - {""}:
        if form not in elsewhere:  # else it is also some other value, or part of "***"
            assert form not in location.display
            assert form not in location.scrub(f"server said: {form}")


@given(st.text(max_size=200))
def test_any_text_is_a_file_or_a_connection_never_a_crash(text: str):
    parsed = libpq_keywords(text)
    assert parsed is None or all(isinstance(value, str) for value in parsed.values())
