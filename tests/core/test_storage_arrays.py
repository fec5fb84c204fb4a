"""A list column is written exactly as ``json.dumps`` would write it (letters as
themselves), whatever the strings hold, and reads back as it was."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from readinglist.core.storage.values import decode_array, encode_array


@given(st.lists(st.text()))
def test_a_list_is_written_as_json_writes_it(values: list[str]):
    assert encode_array(values) == json.dumps(values, ensure_ascii=False)
    assert encode_array(tuple(values)) == json.dumps(values, ensure_ascii=False)


@given(st.lists(st.text(min_size=1)))
def test_a_list_reads_back_as_it_was(values: list[str]):
    assert decode_array(encode_array(values)) == tuple(values)


def test_what_is_not_text_is_written_as_json_writes_it():
    assert encode_array(["a", 1, None]) == '["a", 1, null]'  # type: ignore[list-item]
    assert encode_array(["Müller", "\x1b]52;c;x\x07"]) == '["Müller", "\\u001b]52;c;x\\u0007"]'
