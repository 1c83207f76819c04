"""Downloading digests from the web: who may print which scope."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from flask import Flask

from petitions.render_jobs import run_pending
from projections.chain import chain_head
from tests.conftest import FixedClock
from tests.integration.digest_helpers import pdf_text
from tests.web.conftest import HOAN_KIEM, catch_up, log_petition, make_app, sign_in

URL = "/digests/pdf"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The web app with petitions in Ba Đình and Hoàn Kiếm for session XVI-20."""
    clock = FixedClock(datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc))
    app = make_app(tmp_path_factory.mktemp("digest-web"), clock)
    tracker = app.extensions["petitions"].tracker
    log_petition(tracker, session="XVI-20", title="Cải tạo vỉa hè phố Đội Cấn")
    log_petition(tracker, HOAN_KIEM, session="XVI-20", deputy_group="to-02",
                 title="Chỉnh trang phố Hàng Bài")
    catch_up(app)
    yield app
    app.extensions["petitions"].close()


def get(app: Flask, who: str | None, **args: str):
    """Request a digest as the demo user for role ``who``: queue it, let a worker render it,
    then download the file from the job's page (or return the refusal)."""
    client = sign_in(app.test_client(), who)
    queued = client.get(URL, query_string=args)
    if queued.status_code != 303:
        return queued
    run_pending(app.extensions["petitions"])
    return client.get(queued.location + "/file")


def test_secretariat_downloads_the_city_wide_digest(app, tmp_path):
    response = get(app, "secretariat", session="XVI-20")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "bao-cao-XVI-20-thanh-pho.pdf" in response.headers["Content-Disposition"]
    assert "Toàn Thành phố Hà Nội" in pdf_text(response.data, tmp_path)


def test_the_downloaded_digest_prints_the_chain_head_and_sends_it_as_a_header(app, tmp_path):
    runtime = app.extensions["petitions"]
    with runtime.views.connect() as conn:
        head = chain_head(conn)

    response = get(app, "secretariat", session="XVI-20")

    assert head.position > 0
    assert response.headers["X-Chain-Head"] == f"{head.position}:{head.short}"
    assert f"mã băm {head.short}" in pdf_text(response.data, tmp_path)


def test_deputy_downloads_a_deputy_group_digest(app, tmp_path):
    response = get(app, "deputy", session="XVI-20", group="to-02")

    assert response.status_code == 200
    assert "Tổ đại biểu HĐND Thành phố số 2" in pdf_text(response.data, tmp_path)


def test_district_staff_get_their_own_district_by_default(app, tmp_path):
    response = get(app, "district_staff", session="XVI-20")

    assert response.status_code == 200
    assert "Quận Ba Đình" in pdf_text(response.data, tmp_path)


@pytest.mark.parametrize("args", [{"district": "hoan-kiem"}, {"group": "to-01"}])
def test_district_staff_cannot_print_beyond_their_district(app, args):
    response = get(app, "district_staff", session="XVI-20", **args)

    assert response.status_code == 403


def test_agency_staff_cannot_download_digests(app):
    response = get(app, "agency_staff", session="XVI-20")

    assert response.status_code == 403


def test_an_administrator_supporting_the_office_downloads_the_city_wide_digest(app):
    response = get(app, "admin", session="XVI-20")

    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_visitors_are_sent_to_sign_in(app):
    response = get(app, None, session="XVI-20")

    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_unknown_session_is_not_found(app):
    response = get(app, "secretariat", session="XX-99")

    assert response.status_code == 404


def test_the_digest_page_offers_every_council_session(app):
    response = sign_in(app.test_client(), "deputy").get("/digests")

    assert response.status_code == 200
    assert "Kỳ họp thứ 20 HĐND Thành phố khóa XVI" in response.get_data(as_text=True)
