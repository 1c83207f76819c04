"""Boards: rates come from the projections, counts use Vietnamese separators, charts are legible."""
from __future__ import annotations

import re
from typing import Any

from flask import Flask

from tests.web.conftest import SECRETARIAT, XAY_DUNG, catch_up, log_petition


def answered_once(tracker: Any) -> None:
    """Two petitions in Ba Đình; one answered on time by the agency."""
    answered = log_petition(tracker)
    log_petition(tracker, title="Lắp đèn đường Đội Cấn")
    tracker.assign(SECRETARIAT, answered, agency="so-xay-dung")
    tracker.record_answer(XAY_DUNG, answered, outcome="resolved", text="Đã sửa xong mặt đường.")


def cells(html: str, heading: str) -> list[str]:
    """Return the cells of the table row headed ``heading``."""
    row = re.search(rf'<th scope="row">{re.escape(heading)}</th>(.*?)</tr>', html, re.DOTALL)
    assert row is not None, heading
    return [c.strip() for c in re.findall(r"<td>(.*?)</td>", row.group(1), re.DOTALL)]


def test_answered_on_time_is_a_share_of_the_answered_items(app: Flask, tracker: Any,
                                                           client_as: Any) -> None:
    answered_once(tracker)
    catch_up(app)

    page = client_as("secretariat").get("/boards/district/ba-dinh")

    assert cells(page.text, "Trả lời đúng hạn") == ["1", "100,0%"]


def test_a_count_without_a_defined_rate_shows_no_percentage(app: Flask, tracker: Any,
                                                            client_as: Any) -> None:
    answered_once(tracker)
    catch_up(app)

    page = client_as("secretariat").get("/boards/district/ba-dinh")

    assert cells(page.text, "Đang xử lý") == ["2", "—"]
