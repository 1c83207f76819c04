"""A district-scoped user never sees or changes another district's item, by any path.

Where an item must be missing from a list, the same list must show the user's own matching
item: an error page or an empty answer is missing everything.
"""
from __future__ import annotations

from typing import Any

from flask import Flask

from tests.web.conftest import HOAN_KIEM, catch_up, log_petition, rendered


def test_other_district_item_page_is_not_found(app: Flask, tracker: Any, client_as: Any) -> None:
    code = log_petition(tracker)

    response = client_as("other_district").get(f"/items/{code}")

    assert response.status_code == 404


def test_other_district_item_is_not_in_search_results(app: Flask, tracker: Any,
                                                       client_as: Any) -> None:
    code = log_petition(tracker)
    own = log_petition(tracker, HOAN_KIEM)  # the same words, in the user's own district
    catch_up(app)

    response = client_as("other_district").get("/items?q=kim+ma")

    listed = rendered(response, own)
    assert code not in listed


def test_other_district_filter_in_search_still_shows_only_own_district(
        app: Flask, tracker: Any, client_as: Any) -> None:
    code = log_petition(tracker)
    own = log_petition(tracker, HOAN_KIEM)  # the same words, in the user's own district
    catch_up(app)

    response = client_as("other_district").get("/items?district=ba-dinh")

    listed = rendered(response, own)
    assert code not in listed


def test_own_district_item_is_in_search_results(app: Flask, tracker: Any,
                                                 client_as: Any) -> None:
    code = log_petition(tracker)
    catch_up(app)

    response = client_as("district_staff").get("/items?q=kim+ma")

    assert code in response.text


def test_other_district_item_is_not_in_the_api_list(app: Flask, tracker: Any,
                                                     client_as: Any) -> None:
    code = log_petition(tracker)
    own = log_petition(tracker, HOAN_KIEM)  # the same words, in the user's own district
    catch_up(app)

    response = client_as("other_district").get("/api/items?district=ba-dinh")

    listed = rendered(response, own)
    assert code not in listed


def test_other_district_board_is_not_found(app: Flask, client_as: Any) -> None:
    response = client_as("other_district").get("/boards/district/ba-dinh")

    assert response.status_code == 404


def test_other_district_item_cannot_be_withdrawn(app: Flask, tracker: Any,
                                                 client_as: Any) -> None:
    code = log_petition(tracker)

    response = client_as("other_district").post(
        f"/items/{code}/do/withdraw", data={"reason": "rút", "expected_version": "1"})

    assert response.status_code == 404
    assert tracker.get_item(tracker_actor(), code)["status"] == "logged"


def test_other_district_item_history_is_not_found_in_the_api(app: Flask, tracker: Any,
                                                             client_as: Any) -> None:
    code = log_petition(tracker)

    response = client_as("other_district").get(f"/api/items/{code}/history")

    assert response.status_code == 404


def test_district_staff_cannot_log_a_petition_for_another_district(
        app: Flask, tracker: Any, client_as: Any) -> None:
    from tests.web.conftest import PETITION

    response = client_as("other_district").post(
        "/petitions/new", data={**PETITION, "district": "ba-dinh"})

    assert response.status_code == 403


def test_agency_staff_sees_an_item_only_once_assigned_to_their_agency(
        app: Flask, tracker: Any, client_as: Any) -> None:
    from tests.web.conftest import SECRETARIAT

    code = log_petition(tracker)
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung")

    response = client_as("agency_staff").get(f"/items/{code}")

    assert response.status_code == 200


def tracker_actor() -> Any:
    """The secretariat, who sees every item."""
    from tests.web.conftest import SECRETARIAT

    return SECRETARIAT


def test_other_district_item_is_not_in_the_export(app: Flask, tracker: Any,
                                                  client_as: Any) -> None:
    code = log_petition(tracker)
    own = log_petition(tracker, HOAN_KIEM)  # the same words, in the user's own district
    catch_up(app)

    response = client_as("other_district").get("/items/export.csv?district=ba-dinh")

    listed = rendered(response, own)
    assert code not in listed


def test_own_district_item_is_in_the_export(app: Flask, tracker: Any, client_as: Any) -> None:
    code = log_petition(tracker)
    catch_up(app)

    response = client_as("district_staff").get("/items/export.csv")

    assert code in response.get_data(as_text=True)


def test_the_export_neutralises_spreadsheet_formulas(app: Flask, tracker: Any,
                                                     client_as: Any) -> None:
    log_petition(tracker, title="=HYPERLINK(\"http://evil\")")
    catch_up(app)

    response = client_as("district_staff").get("/items/export.csv")

    assert "'=HYPERLINK" in response.get_data(as_text=True)


def test_an_export_cut_at_the_row_limit_says_so_on_its_last_line(
        app: Flask, tracker: Any, client_as: Any, monkeypatch: Any) -> None:
    for _ in range(3):
        log_petition(tracker)
    catch_up(app)
    monkeypatch.setattr("web.views.items.EXPORT_LIMIT", 2)

    response = client_as("district_staff").get("/items/export.csv")

    lines = response.get_data(as_text=True).strip().splitlines()
    assert len(lines) == 4  # the header, two rows, the note
    assert lines[-1] == '"# Chỉ xuất 2 dòng đầu tiên: hãy thu hẹp bộ lọc để xuất phần còn lại."'
    assert response.headers["X-Export-Truncated"] == "2"


def test_an_export_within_the_row_limit_has_no_note(app: Flask, tracker: Any,
                                                    client_as: Any) -> None:
    code = log_petition(tracker)
    catch_up(app)

    response = client_as("district_staff").get("/items/export.csv")

    assert "#" not in rendered(response, code)
    assert "X-Export-Truncated" not in response.headers


def test_the_search_page_states_the_export_row_limit(app: Flask, client_as: Any) -> None:
    page = client_as("district_staff").get("/items")

    assert "tối đa 10.000 dòng" in page.text
