"""The table of items, rendered in Python for every list and queue page."""
from __future__ import annotations

from flask import Flask

from web.item_table import item_rows_html


def test_a_row_missing_fields_shows_nothing_for_them_and_escapes_what_it_has(app: Flask) -> None:
    with app.test_request_context("/items"):
        html = item_rows_html([{"code": "KN-2026-00001", "title": "<b>Đèn</b> & vạch"}],
                              pick="codes")

    assert "None" not in html
    assert '<a href="/items/KN-2026-00001">KN-2026-00001</a>' in html
    assert 'class="title">&lt;b&gt;Đèn&lt;/b&gt; &amp; vạch</td>' in html
    assert 'name="codes" value="KN-2026-00001"' in html
    assert html.count("<tr") == 2  # the heading and the one row
