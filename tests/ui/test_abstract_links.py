"""A link inside an abstract stays on one line (issue 16, item 8): cut short, with the
whole address as its hyperlink; the rest of the abstract is plain text."""

from __future__ import annotations

from readinglist.ui.widgets.paper_detail import PROSE_LINK_WIDTH, abstract_content

URL = "https://github.com/rezwanh001/Large-Scale-Multimodal-Depression-Detection"


def test_a_long_link_in_an_abstract_is_cut_to_one_line_and_keeps_its_target():
    content = abstract_content(f"Code at {URL}. Also [bold]x[/] and {URL}", (URL,))
    assert content.plain == (
        f"Code at {URL[: PROSE_LINK_WIDTH - 1]}…. Also [bold]x[/] and {URL[: PROSE_LINK_WIDTH - 1]}…"
    )
    linked = [span for span in content.spans if getattr(span.style, "link", None)]
    assert [span.style.link for span in linked] == [URL, URL]
    assert all(span.end - span.start == PROSE_LINK_WIDTH for span in linked)


def test_only_the_papers_own_web_links_are_linked():
    content = abstract_content("javascript:alert(1) and http://a.io/x", ("javascript:alert(1)",))
    assert content.plain == "javascript:alert(1) and http://a.io/x"
    assert not [span for span in content.spans if getattr(span.style, "link", None)]
