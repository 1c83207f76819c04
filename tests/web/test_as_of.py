"""Web: "Tính đến ngày" on boards, search, the item page and the API shows the past day's state."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask

from tests.conftest import FixedClock
from tests.web.conftest import SECRETARIAT, catch_up, log_petition, rendered


def two_days(app: Flask, tracker: Any, clock: FixedClock) -> tuple[str, str]:
    """One petition logged on 3 March 2025, a second and an assignment on 10 March."""
    first = log_petition(tracker)
    day_one = tracker.today()
    clock.set(clock() + timedelta(days=7))
    log_petition(tracker, title="Lắp đèn đường Đội Cấn")
    tracker.assign(SECRETARIAT, first, agency="so-xay-dung")
    catch_up(app)
    return first, day_one.isoformat()


def test_the_api_board_as_of_a_past_day_counts_what_was_recorded_by_then(
        app: Flask, tracker: Any, client_as: Any, clock: FixedClock) -> None:
    _, day_one = two_days(app, tracker, clock)
    client = client_as("secretariat")

    then = client.get(f"/api/boards/district/ba-dinh?as_of={day_one}").get_json()
    now = client.get("/api/boards/district/ba-dinh").get_json()

    assert (then["raised"], now["raised"]) == (1, 2)


def test_a_bad_as_of_day_is_refused_naming_the_field(app: Flask, client_as: Any) -> None:
    client = client_as("secretariat")

    bad = client.get("/api/boards/districts?as_of=31-12-2025")
    future = client.get("/api/boards/districts?as_of=2099-01-01")

    assert bad.status_code == future.status_code == 422
    assert "as_of" in bad.get_json()["errors"] and "as_of" in future.get_json()["errors"]


def test_the_board_page_says_which_day_its_figures_are(
        app: Flask, tracker: Any, client_as: Any, clock: FixedClock) -> None:
    _, day_one = two_days(app, tracker, clock)

    page = client_as("secretariat").get(f"/boards?as_of={day_one}")

    rendered(page, "03/03/2025", 'name="as_of"')


def test_the_item_page_as_of_a_past_day_shows_the_state_then_without_actions(
        app: Flask, tracker: Any, client_as: Any, clock: FixedClock) -> None:
    code, day_one = two_days(app, tracker, clock)
    client = client_as("secretariat")

    then = client.get(f"/api/items/{code}?as_of={day_one}").get_json()
    page = rendered(client.get(f"/items/{code}?as_of={day_one}"), code)

    assert then["agency"] is None and then["as_of"] == day_one
    assert "/do/" not in page


def test_search_as_of_a_past_day_lists_only_what_existed(
        app: Flask, tracker: Any, client_as: Any, clock: FixedClock) -> None:
    _, day_one = two_days(app, tracker, clock)
    client = client_as("secretariat")

    then = client.get(f"/api/items?as_of={day_one}").get_json()["items"]
    now = client.get("/api/items").get_json()["items"]
    page = rendered(client.get(f"/items?as_of={day_one}"), "03/03/2025")
    today_page = rendered(client.get("/items"))

    assert (len(then), len(now)) == (1, 2)
    assert "Lắp đèn đường Đội Cấn" in today_page and "Lắp đèn đường Đội Cấn" not in page


def test_the_stock_report_page_shows_the_outstanding_items_and_their_change(
        app: Flask, tracker: Any, client_as: Any, clock: FixedClock) -> None:
    code, day_one = two_days(app, tracker, clock)
    tracker.set_categories(SECRETARIAT, code, categories=["Vướng mắc về đất đai"])
    catch_up(app)

    page = client_as("secretariat").get(
        "/reports/stock?period=range&start=2025-03-04&end=2025-03-10")

    body = rendered(page, code, "Vướng mắc về đất đai", "10/03/2025")
    assert "Trần Văn Bình" not in body


def test_a_stock_report_with_a_bad_day_says_which_field(app: Flask, client_as: Any) -> None:
    page = client_as("secretariat").get("/reports/stock?period=range&start=tomorrow&end=x")

    assert page.status_code == 400
    assert 'id="start-error"' in page.get_data(as_text=True)


def test_district_staff_see_only_their_own_units_stock(app: Flask, client_as: Any) -> None:
    client = client_as("district_staff")

    other = client.get("/reports/stock?period=year&year=2025&district=hoan-kiem")

    assert other.status_code == 403


def test_the_agency_board_counts_answers_sent_back_and_rounds_until_accepted(
        app: Flask, tracker: Any, client_as: Any) -> None:
    from tests.web.conftest import XAY_DUNG

    code = log_petition(tracker)
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung")
    tracker.record_answer(XAY_DUNG, code, outcome="resolved", text="Đã sửa.")
    tracker.return_answer(SECRETARIAT, code, reason="Chưa rõ tiến độ.")
    tracker.record_answer(XAY_DUNG, code, outcome="resolved", text="Đã sửa xong.")
    tracker.accept_answer(SECRETARIAT, code)
    catch_up(app)

    board = client_as("secretariat").get("/boards/agency/so-xay-dung")

    rendered(board, "Cơ cấu kết quả theo kỳ họp")
    with app.app_context():
        from projections.agency_board import agency_summary
        with app.extensions["petitions"].views.connect() as conn:
            counts = agency_summary(conn, "so-xay-dung", today=tracker.today())
    assert (counts["returns"], counts["returned_rate"], counts["average_rounds"]) == (1, 100.0, 2.0)


def one_day_two_moments(app: Flask, tracker: Any) -> tuple[str, int]:
    """A petition logged; then, the same day, a second one and the first assigned."""
    first = log_petition(tracker)
    moment = tracker.position()
    log_petition(tracker, title="Lắp đèn đường Đội Cấn")
    tracker.assign(SECRETARIAT, first, agency="so-xay-dung")
    catch_up(app)
    return first, moment


def test_the_state_just_after_an_event_tells_apart_two_moments_of_one_day(
        app: Flask, tracker: Any, client_as: Any) -> None:
    code, moment = one_day_two_moments(app, tracker)
    client = client_as("secretariat")

    board = client.get(f"/api/boards/district/ba-dinh?position={moment}").get_json()
    typed = client.get(f"/api/boards/district/ba-dinh?as_of=%23{moment}").get_json()
    day = client.get(f"/api/boards/district/ba-dinh?as_of={tracker.today()}").get_json()
    item = client.get(f"/api/items/{code}?position={moment}").get_json()
    listed = client.get(f"/api/items?position={moment}").get_json()["items"]

    assert (board["raised"], typed["raised"], day["raised"]) == (1, 1, 2)
    assert item["agency"] is None and item["as_of_position"] == moment
    assert [i["code"] for i in listed] == [code]


def test_the_board_page_just_after_an_event_names_the_event(
        app: Flask, tracker: Any, client_as: Any) -> None:
    _, moment = one_day_two_moments(app, tracker)

    page = client_as("secretariat").get(f"/boards?as_of=%23{moment}")

    rendered(page, f"#{moment}", f"{moment}")
    assert "sự kiện số" in page.get_data(as_text=True)


def test_an_event_number_out_of_reach_is_refused_naming_the_field(
        app: Flask, tracker: Any, client_as: Any) -> None:
    one_day_two_moments(app, tracker)
    client = client_as("secretariat")
    head = tracker.position()

    answers = [client.get(url) for url in (
        "/api/boards/districts?as_of=%23abc", f"/api/boards/districts?position={head + 50}",
        "/api/boards/districts?position=0", "/api/items?position=12345678901234")]
    page = client.get(f"/boards?as_of=%23{head + 50}")

    assert [a.status_code for a in answers] == [422] * 4
    assert all("as_of" in a.get_json()["errors"] for a in answers)
    assert page.status_code == 422 and "Chưa có sự kiện nào mang số này" in page.get_data(
        as_text=True)



def test_the_agency_board_shows_its_outcome_mix_session_by_session(
        app: Flask, tracker: Any, client_as: Any) -> None:
    import re
    from html import unescape

    from tests.web.conftest import XAY_DUNG

    for session, outcome in (("XVI-19", "resolved"), ("XVI-20", "explained"),
                             ("XVI-20", "explained")):
        code = log_petition(tracker, session=session)
        tracker.assign(SECRETARIAT, code, agency="so-xay-dung")
        tracker.record_answer(XAY_DUNG, code, outcome=outcome, text="Đã trả lời.")
        tracker.accept_answer(SECRETARIAT, code)
    catch_up(app)

    page = rendered(client_as("secretariat").get("/boards/agency/so-xay-dung"),
                    "Cơ cấu kết quả theo kỳ họp")
    table = page[page.index("Cơ cấu kết quả theo kỳ họp"):]
    table = table[:table.index("</table>")]
    headers = [unescape(re.sub(r"<[^>]+>", "", h)).strip()
               for h in re.findall(r"<th scope=\"col\">(.*?)</th>", table)]
    rows = {unescape(name).strip(): [unescape(c).strip() for c in re.findall(r"<td>(.*?)</td>", rest)]
            for name, rest in re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)}
    mix = {name: dict(zip(headers[1:], cells)) for name, cells in rows.items()}

    assigned, resolved, explained = ("Đã chuyển giải quyết", "đã giải quyết xong",
                                     "giải trình, cung cấp thông tin")
    xix, xx = (mix[f"Kỳ họp thứ {n} HĐND Thành phố khóa XVI"] for n in (19, 20))

    assert (xix[assigned], xix[resolved], xix[explained]) == ("1", "1", "0")
    assert (xx[assigned], xx[resolved], xx[explained]) == ("2", "0", "2")


def test_an_event_too_far_back_is_refused_with_the_way_to_its_day(
        app: Flask, tracker: Any, client_as: Any, monkeypatch: Any) -> None:
    from projections import positions

    one_day_two_moments(app, tracker)
    monkeypatch.setattr(positions, "REACH", 1)

    page = client_as("secretariat").get("/boards?as_of=%231")

    assert page.status_code == 422
    assert "hãy chọn ngày của sự kiện" in page.get_data(as_text=True)


def test_figures_after_an_event_that_the_views_keep_overtaking_answer_503_not_500(
        app: Flask, tracker: Any, client_as: Any, monkeypatch: Any) -> None:
    from projections import positions

    _, moment = one_day_two_moments(app, tracker)
    monkeypatch.setattr(positions, "current", lambda conn, at: False)  # always overtaken
    client = client_as("secretariat")

    page = client.get(f"/boards?as_of=%23{moment}")
    api = client.get(f"/api/boards/districts?position={moment}")

    assert (page.status_code, api.status_code) == (503, 503)
    assert page.headers["Retry-After"] == "5"
    assert "Số liệu đang được cập nhật" in page.get_data(as_text=True)
