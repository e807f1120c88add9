from __future__ import annotations

import pytest

from app.common.markdown import plain_text, render_markdown

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><input type=submit>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<p onclick=alert(1)>hi</p>",
    "![x](javascript:alert(1))",
    '<a href="https://ok.example" onmouseover="alert(1)">ok</a>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
    "<base href=javascript:alert(1)//>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<table background=javascript:alert(1)>",
    '<a href="\tjavascript:alert(1)">tab</a>',
    "<<script>script>alert(1)<</script>/script>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<textarea><script>alert(1)</script></textarea>",
]


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_nothing_executable_survives(payload):
    html = str(render_markdown(payload)).lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "vbscript:" not in html
    assert "data:" not in html
    for attribute in ("onerror", "onload", "onclick", "onmouseover", "ontoggle", "style="):
        assert attribute not in html
    for tag in ("<iframe", "<object", "<embed", "<form", "<svg", "<img", "<meta", "<base", "<link"):
        assert tag not in html


def test_markdown_gets_govuk_classes_and_headings_start_at_h2():
    html = str(
        render_markdown("# Top\n\nSome *text* and [a link](https://example.org).\n\n- one\n- two")
    )
    assert '<h2 class="govuk-heading-m">Top</h2>' in html
    assert '<p class="govuk-body">' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert 'class="govuk-link"' in html
    assert 'rel="noopener noreferrer"' in html
    assert "<h1" not in html


def test_author_classes_are_replaced():
    html = str(render_markdown('<p class="evil">x</p>'))
    assert "evil" not in html


def test_plain_text_strips_markup():
    assert plain_text("## Hello\n\n<b>bold</b> *there*") == "Hello bold there"
