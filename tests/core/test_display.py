"""``for_display``: the one cleaning every output path calls, and the exports that use it."""

from __future__ import annotations

import csv
import io
import json
import re

from hypothesis import given
from hypothesis import strategies as st

from readinglist.core.export import render
from readinglist.core.models import PaperRecord
from readinglist.core.textclean import for_display, for_display_all

# What must never reach a terminal: C0 controls but newline and tab, DEL, C1 controls,
# bidi overrides, embeddings, isolates and marks, line and paragraph separators, and
# lone surrogates (a file name's undecodable bytes, written back raw).
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\u2028\u2029\ud800-\udfff]"
)
HOSTILE = (
    "Evil \x1b]52;c;aGVsbG8=\x07title \x1b[31mred\x1b[0m \x9b2J c1 \x9d0;x\x9c "
    "bidi \u202eabc\u202c end\x1b"
)

# Text as a page or a file name could hold it: anything, controls and surrogates included
# (joined from a list: ``st.text`` never draws a surrogate).
outside_text = st.lists(
    st.one_of(
        st.characters(),
        st.sampled_from(list("\x1b\x07\x9b\x9c\x9d\u202e\u2066\u2028\udc9b\r\n\t[];")),
    )
).map("".join)
printable = st.text(
    alphabet=st.one_of(
        st.characters(
            exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp", "Co", "Cn"),
        ),
        st.sampled_from("\n\t"),
    )
)


def assert_safe(text: str) -> None:
    found = UNSAFE.findall(text.replace("\r\n", "\n"))  # CSV's line ends are CRLF
    assert not found, f"unsafe characters reach the output: {found!r}"


@given(outside_text)
def test_for_display_leaves_nothing_a_terminal_acts_on(text: str):
    assert_safe(for_display(text))
    line = for_display(text, one_line=True)
    assert_safe(line)
    assert "\n" not in line and "\t" not in line


@given(printable)
def test_for_display_keeps_printable_text_as_it_is(text: str):
    assert for_display(text) == text
    assert for_display(text, one_line=True) == " ".join(text.split())


def test_undecodable_bytes_of_a_file_name_are_shown_as_replacement_characters():
    name = b"page\x9b2J.txt".decode("utf-8", "surrogateescape")
    assert for_display(name) == "page\ufffd2J.txt"


def record(**fields: object) -> PaperRecord:
    values: dict[str, object] = {
        "id": 1,
        "title": "A title",
        "abstract": "An abstract.",
        "authors": 3,
        "org": "Org",
        "org_id": "org",
        "date": "2026-11-20",
        "date_text": "Nov 20",
        "upvotes": 4,
        "links": ("https://example.org/a",),
        "starred": True,
        "note": "",
        "status": "unread",
        "added_at": "2026-11-25T10:00:00+00:00",
    }
    values.update(fields)
    return PaperRecord(**values)  # type: ignore[arg-type]


def hostile_record() -> PaperRecord:
    return record(
        title=HOSTILE,
        abstract=f"{HOSTILE}\n\nsecond {HOSTILE}",
        org=HOSTILE,
        org_id=HOSTILE,
        date_text=HOSTILE,
        links=(f"https://example.org/{HOSTILE}", HOSTILE),
        note=f"note {HOSTILE}",
        status=HOSTILE,
    )


def test_for_display_all_cleans_every_string_of_a_record_and_of_json():
    cleaned = for_display_all(hostile_record())
    assert isinstance(cleaned, PaperRecord)
    for value in (cleaned.title, cleaned.abstract, cleaned.note, *cleaned.links):
        assert_safe(value)
        assert "Evil" in value and "title" in value and "abc" in value
    assert (cleaned.id, cleaned.upvotes, cleaned.starred) == (1, 4, True)
    nested = for_display_all({"a": [HOSTILE, {"b": (HOSTILE, 3, None)}], "c": 1.5})
    assert_safe(json.dumps(nested, ensure_ascii=False))
    assert nested["c"] == 1.5 and nested["a"][1]["b"][1:] == (3, None)
    plain = record()
    assert for_display_all(plain) is plain  # nothing to clean: not copied


def test_every_export_format_is_rendered_from_cleaned_records():
    for fmt in ("md", "json", "csv"):
        out = render([hostile_record(), record(id=2)], fmt, title=f"My {HOSTILE}")
        assert_safe(out)
        assert "Evil" in out and "abc" in out
    rows = list(csv.reader(io.StringIO(render([hostile_record()], "csv"))))
    assert len(rows) == 2 and "\n\n" in rows[1][2]  # the abstract keeps its paragraphs
    [exported] = json.loads(render([hostile_record()], "json"))
    assert exported["links"][0].startswith("https://example.org/Evil")
