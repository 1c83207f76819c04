"""Screens a clerk prefers: complete queues, actions that say what they did, saved searches."""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flask import Flask

from tests.web.conftest import SECRETARIAT, XAY_DUNG, catch_up, log_petition, rendered


def _answered(tracker: Any, n: int) -> list[str]:
    codes = []
    for i in range(n):
        code = log_petition(tracker, title=f"Chờ duyệt {i}")
        tracker.assign(SECRETARIAT, code, agency="so-xay-dung")
        tracker.record_answer(XAY_DUNG, code, outcome="resolved", text="Đã xử lý.")
        codes.append(code)
    return codes


def _review_codes(page: str) -> list[str]:
    section = page.split('id="q-review"')[1].split("</section>")[0]
    return re.findall(r'<td data-label="[^"]+"><a href="/items/([^"]+)">', section)


def test_the_review_section_counts_everything_and_pages_to_the_last_answer_oldest_first(
        app: Flask, tracker: Any, client_as: Any) -> None:
    codes = _answered(tracker, 27)
    catch_up(app)
    client = client_as("secretariat")

    first = rendered(client.get("/queues/secretariat"), "(27)")
    next_url = re.search(r'id="q-review".*?href="([^"]+)" rel="next"', first, re.S).group(1)
    second = rendered(client.get(next_url.replace("&amp;", "&")), "26–27")

    assert _review_codes(first) + _review_codes(second) == codes


def test_rows_changed_since_the_last_visit_are_marked_new(
        app: Flask, tracker: Any, client_as: Any, clock: Any) -> None:
    client = client_as("agency_staff")
    client.get("/queues/agency")
    clock.set(clock() + timedelta(hours=1))
    code = log_petition(tracker)
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung")
    catch_up(app)

    page = rendered(client.get("/queues/agency"), "Mới được giao")

    new_section = page.split('id="q-new"')[1].split("</section>")[0]
    assert code in new_section and 'class="tag new"' in new_section


def test_an_assignment_says_what_it_did_what_comes_next_and_how_to_correct_it(
        app: Flask, tracker: Any, client_as: Any) -> None:
    code = log_petition(tracker)
    client = client_as("secretariat")
    item = client.get(f"/items/{code}").text
    version = re.search(r'name="expected_version" value="(\d+)"', item).group(1)

    response = client.post(f"/items/{code}/do/assign", data={
        "agency": "so-xay-dung", "due_date": "31/12/2025", "expected_version": version},
        follow_redirects=True)

    page = rendered(response, "Đã giao Sở Xây dựng chủ trì, hạn 31/12/2025.",
                    "Cơ quan sẽ nhận được thông báo")
    assert f"/items/{code}?open=assign#action-assign" in page
    assert '<details open id="action-assign">' in rendered(client.get(f"/items/{code}?open=assign"))


def test_date_fields_are_typed_as_dd_mm_yyyy_whatever_the_browser(client_as: Any) -> None:
    page = rendered(client_as("district_staff").get("/petitions/new"), "(ngày/tháng/năm)")

    assert 'type="date"' not in page
    assert re.search(r'id="meeting_date" name="meeting_date" type="text" class="date"', page)


def test_a_saved_search_is_listed_runs_again_and_only_its_owner_deletes_it(
        app: Flask, tracker: Any, client_as: Any) -> None:
    log_petition(tracker)
    catch_up(app)
    deputy = client_as("deputy")
    page = rendered(deputy.get("/items?q=kim&order=due"), "Lưu tìm kiếm này")
    query = re.search(r'name="query" value="([^"]+)"', page).group(1).replace("&amp;", "&")

    saved = deputy.post("/items/saved", data={"name": "Kim Mã", "query": query},
                        follow_redirects=True)

    listed = rendered(saved, "Đã lưu tìm kiếm")
    search_id = re.search(r'/items/saved/(\d+)/delete', listed).group(1)
    assert f'href="/items?{query.replace("&", "&amp;")}">Kim Mã</a>' in listed
    assert client_as("secretariat").post(f"/items/saved/{search_id}/delete").status_code == 404
    assert deputy.post(f"/items/saved/{search_id}/delete").status_code == 303
    assert "/items/saved/" not in deputy.get("/items").text


def test_a_saved_search_without_a_name_says_so_and_saves_nothing(client_as: Any) -> None:
    deputy = client_as("deputy")

    response = deputy.post("/items/saved", data={"name": " ", "query": "q=kim"},
                           follow_redirects=True)

    assert "Trường này là bắt buộc." in response.text
    assert "/items/saved/" not in response.text


def test_a_merged_petition_links_to_its_survivor(tracker: Any, client_as: Any) -> None:
    kept, merged = log_petition(tracker), log_petition(tracker)
    tracker.merge_petitions(SECRETARIAT, merged, kept, reason="Trùng.")
    client = client_as("secretariat")

    assert f'Đã gộp vào: <a href="/items/{kept}">{kept}</a>' in rendered(client.get(f"/items/{merged}"))
    assert f'<a href="/items/{merged}">{merged}</a>' in rendered(client.get(f"/items/{kept}"))
