"""A saved page's listing read by msgspec (core/hf_listing.py) reads as ``json.loads`` reads it.

The reference is the same listing given as API JSON, which ``json.loads`` reads: the
papers, warnings and day must be the same, or both must be refused.
"""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from readinglist.core.hf_html import unescape, unescape_to_utf8
from readinglist.core.hf_listing import decode_listing
from readinglist.core.hf_pages import parse_rich_page
from readinglist.core.parse import PageError, ParsedPage
from tests.hf_builder import API_ITEMS, CSRF_TOKEN, USER_NAME, item

READ_FIELDS = [
    "id", "title", "summary", "ai_summary", "ai_keywords", "authors", "organization",
    "submittedOnDailyAt", "githubRepo", "githubStars", "projectPage", "upvotes", "withdrawnAt",
]  # fmt: skip
any_text = st.text(st.characters(codec="utf-8"), max_size=40)  # lone surrogates included
json_value = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**62, max_value=2**200)
    | st.floats(allow_nan=False)
    | any_text,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["name", "fullname", "title", "x"]), children)
    ),
    max_leaves=8,
)


def page_of(props_json: str, *, logged_in: bool = False) -> str:
    """A saved page whose DailyPapers element holds ``props_json``, escaped as a server does."""
    header = html.escape(json.dumps({"csrfToken": CSRF_TOKEN, "user": USER_NAME}))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        + (f'<div data-target="MainHeader" data-props="{header}"></div>' if logged_in else "")
        + f'<div class="SVELTE_HYDRATER" data-target="DailyPapers" '
        f'data-props="{html.escape(props_json, quote=True)}"></div></body></html>'
    )


def outcome(text: str) -> ParsedPage | str:
    try:
        page = parse_rich_page(text)
    except PageError:
        return "refused"
    assert page is not None
    return page


def assert_reads_as_json(props_json: str) -> None:
    """The saved page reads as the same JSON given as a file (read by ``json.loads``)."""
    assert outcome(page_of(props_json)) == outcome(props_json)


def listing(items: list[Any], **extra: Any) -> dict[str, Any]:
    return {"dateString": "2026-03-06", "dailyPapers": items, "furniture": [{"a": 1}], **extra}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    field=st.sampled_from(READ_FIELDS),
    value=json_value,
    on_item=st.booleans(),
    paper_lacks_it=st.booleans(),
)
def test_a_field_of_any_value_reads_as_json_loads_reads_it(field, value, on_item, paper_lacks_it):
    """On the paper, or on the item (its own copy, read where the paper lacks the field)."""
    if on_item:
        entry = {**item(**({field: None} if paper_lacks_it else {})), field: value}
    else:
        entry = item(**{field: value})
    for ascii_only in (True, False):
        assert_reads_as_json(json.dumps(listing([entry, item()]), ensure_ascii=ascii_only))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=any_text, summary=any_text, raw=st.sampled_from(["\x01", "\x1b", "\x7f", "\t"]))
def test_raw_control_characters_and_any_text_read_as_json_loads_reads_them(title, summary, raw):
    props = json.dumps(listing([item(title=f"T{title}X", summary=summary)]), ensure_ascii=False)
    assert_reads_as_json(props)
    assert_reads_as_json(props.replace("X", raw))  # a raw control character in a string


@pytest.mark.parametrize(
    "props",
    [
        json.dumps(listing([item(upvotes=2**80, githubStars=-1, id=12, title=["x"])])),
        json.dumps(listing([item(authors=["not an object"]), item(authors=None)])),
        json.dumps(listing([{"paper": "not an object", **item()}])),
        json.dumps(listing([item(organization="x"), "not an item", None])),
        json.dumps({"dateString": "2026-03-06", "dailyPapers": "not a list"}),
        json.dumps(listing([])),
        json.dumps({"dailyPapers": [item(title="Ünïcode 大规模 модель")], "dateString": 5}),
        json.dumps(listing([item(upvotes=float("nan"))])),  # NaN: json.loads reads it
        json.dumps(listing([item(summary="a")])).replace('"a"', '"\\ud800"'),  # lone surrogate
        json.dumps(listing([item(upvotes=123456789)])).replace("123456789", "9" * 5000),
        json.dumps(listing([item()])).replace('"id"', '"id": 1, "id"', 1),  # duplicate key
        json.dumps(listing([item()])).replace('"title"', '"t\\u0069tle"'),  # escaped keys
        json.dumps(listing([item()])) + " trailing",
        json.dumps(listing([item()]))[:-3],
        "[" * 100_000 + "]" * 100_000,
        json.dumps(listing([item(title={"x": [[[[]]]]})])).replace("[[[[]]]]", "[" * 100_000),
        json.dumps(
            listing([{**item(organization=None), "organization": {"name": "n", "x": 1}}])
        ).replace('"x": 1', '"avatar": 1e999'),  # the item's own, a field not read out of range
        json.dumps(listing([item(), {**item(title=None), "title": 123456789}])).replace(
            "123456789", "9" * 5000
        ),  # the item's own title, read: a number too large (json.loads refuses the page)
        json.dumps(listing([item(), {**item(organization=None), "organization": "x"}])),
    ],
    ids=[
        "wrong types",
        "authors wrong",
        "paper wrong",
        "items wrong",
        "list wrong",
        "empty",
        "non-Latin",
        "NaN",
        "lone surrogate",
        "too large",
        "duplicate key",
        "escaped key",
        "trailing",
        "cut",
        "nested deep",
        "nested deep in a field",
        "item's own organization out of range",
        "item's own title too large",
        "item's own organization not an object",
    ],
)
def test_edge_cases_read_as_json_loads_reads_them(props):
    assert_reads_as_json(props)


def test_a_listing_is_read_by_msgspec_with_only_the_fields_read():
    items = [item(title="Ünïcode 大规模 модель", upvotes=2**70, authors=None), *API_ITEMS]
    data = decode_listing(json.dumps(listing(items), ensure_ascii=False).encode())
    assert data is not None
    first, second = data.dailyPapers[:2]
    assert first.paper.title == "Ünïcode 大规模 модель" and first.paper.upvotes == 2**70
    assert (
        second.paper.authors
        and second.paper.authors[0].name == API_ITEMS[0]["paper"]["authors"][0]["name"]
    )
    assert not hasattr(data, "furniture") and not hasattr(second.paper, "mediaUrls")


@pytest.mark.parametrize(
    "props",
    [
        b'{"dailyPapers": [{"title": "a\x01b"}]}',  # raw control character: json.loads reads it
        b'{"dailyPapers": [{"title": "\xff"}]}',  # not UTF-8
        b'{"dailyPapers": [{"upvotes": NaN}]}',
        b'{"dailyPapers": [{"authors": ["a"]}]}',
        b'{"dailyPapers": ' + b"[" * 100_000,
    ],
    ids=["raw control", "not UTF-8", "NaN", "author not an object", "nested deep"],
)
def test_what_msgspec_refuses_is_left_to_json_loads(props):
    assert decode_listing(props) is None


def test_a_broken_listing_in_a_logged_in_page_quotes_none_of_it():
    props = json.dumps(listing([item(title=f"{CSRF_TOKEN} {USER_NAME}")]))[:-40]
    with pytest.raises(PageError) as error:
        parse_rich_page(page_of(props, logged_in=True))
    assert CSRF_TOKEN not in str(error.value) and USER_NAME not in str(error.value)


@settings(max_examples=300)
@given(st.text(alphabet="&;#amplgtquox0123479 <>\"'é大\ud800", max_size=80), st.data())
@example("&amp;quot; &quot;&amp;amp;", None)
def test_unescaping_to_utf8_is_html_unescape_or_declines(text, data):
    start, end = 0, len(text)
    if data is not None:
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
    utf8 = unescape_to_utf8(text, start, end)
    expected = html.unescape(text[start:end]).encode("utf-8", "surrogatepass")
    assert utf8 is None or utf8 == expected


def test_escaped_json_is_unescaped_to_utf8_piece_by_piece():
    text = 'x="' + "&quot;a&quot;:&quot;b &amp; c&#39; é 大&lt;&quot;, " * 5000 + '"'
    assert unescape_to_utf8(text, 3, len(text) - 1) == unescape(text, 3, len(text) - 1).encode()
    for start, end in ((0, len(text)), (20_000, 20_001), (9, 70_000)):  # an entity cut: declined
        utf8 = unescape_to_utf8(text, start, end)
        assert utf8 is None or utf8 == unescape(text, start, end).encode()
