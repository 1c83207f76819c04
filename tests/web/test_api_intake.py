"""API twins of the intake page (issue 18): check a spreadsheet, then import its valid rows;
errors by row and column as the preview shows them, nothing imported twice."""
from __future__ import annotations

import base64

import pytest

from tests.conftest import SECRETARIAT, FixedClock
from tests.intake_helpers import CLOCK_START, filled_template, petition_row
from tests.sample_files import renamed_executable, zip_bomb_xlsx
from tests.web.conftest import make_app
from tests.web.test_api_write import bearer, token_for


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, FixedClock(CLOCK_START))


@pytest.fixture
def api(app):
    return app.test_client()


@pytest.fixture
def office(app):
    return bearer(token_for(app, "thu.ky"))


def workbook(app) -> str:
    tracker = app.extensions["petitions"].tracker
    content = filled_template(tracker, [petition_row(1), petition_row(2, title="")])
    return base64.b64encode(content).decode()


def test_the_preview_answers_each_rows_errors_in_vietnamese_and_stores_nothing(
        app, api, office):
    tracker = app.extensions["petitions"].tracker
    before = tracker.position()

    checked = api.post("/api/intake/preview", headers=office,
                       json={"file": workbook(app), "filename": "tiep-xuc.xlsx"})

    assert checked.status_code == 200
    assert checked.json["counts"]["valid"] == 1 and checked.json["counts"]["invalid"] == 1
    (bad,) = [r for r in checked.json["rows"] if r["status"] == "invalid"]
    assert (bad["sheet"], bad["row"]) == ("Kiến nghị cử tri", 3)
    assert bad["errors"] == {"title": ["Trường này là bắt buộc."]}
    assert tracker.position() == before


def test_the_import_creates_the_valid_row_once_and_a_second_run_adds_nothing(app, api, office):
    tracker = app.extensions["petitions"].tracker
    body = {"file": workbook(app), "filename": "tiep-xuc.xlsx"}

    first = api.post("/api/intake", headers=office, json=body)
    after_first = tracker.position()
    second = api.post("/api/intake", headers=office, json=body)

    assert first.status_code == 201 and first.json["counts"]["imported"] == 1
    assert tracker.get_item(SECRETARIAT, "KN-2026-00001")["title"] == petition_row(1)[6]
    assert second.json["counts"]["imported"] == 0 and second.json["counts"]["already"] == 1
    assert tracker.position() == after_first


# Named ids: the zip's entries carry the time it was built, and each test worker builds
# its own, so ids made from the bytes differed between workers ("different tests collected").
@pytest.mark.parametrize("content, name", [
    (renamed_executable(), "tiep-xuc.xlsx"),
    (zip_bomb_xlsx(), "tiep-xuc.xlsx"),
    (b"", "tiep-xuc.csv"),
], ids=["renamed-executable", "zip-bomb", "empty"])
def test_a_renamed_executable_a_zip_bomb_or_an_empty_file_is_a_422_on_the_file(
        app, api, office, content, name):
    tracker = app.extensions["petitions"].tracker
    before = tracker.position()

    refused = api.post("/api/intake", headers=office, json={
        "file": base64.b64encode(content).decode(), "filename": name})

    assert refused.status_code == 422 and list(refused.json["errors"]) == ["file"]
    assert tracker.position() == before


def test_a_deputy_token_may_not_import(app, api):
    refused = api.post("/api/intake", headers=bearer(token_for(app, "dai.bieu")),
                       json={"file": workbook(app)})

    assert refused.status_code == 403
