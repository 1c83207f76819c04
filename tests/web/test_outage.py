"""The database away: pages answer 503 in the user's language, the API a JSON 503, one log
line per outage, and everything works again as soon as the database is back.

PostgreSQL goes away through a TCP proxy the test cuts (the machine's server keeps
running); SQLite through its views file replaced by a folder.
"""
from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from flask import Flask

from petitions.settings import Settings
from tests.conftest import PG_URL, FixedClock
from tests.cutover_proxy import CutoverProxy
from tests.web.conftest import PETITION, add_demo_users_to, auth_clock, log_petition, sign_in
from web import create_app



@pytest.fixture
def proxy() -> Iterator[CutoverProxy]:
    """A proxy in front of the tests' PostgreSQL server."""
    url = urlsplit(PG_URL)
    proxy = CutoverProxy((url.hostname or "127.0.0.1", url.port or 5432))
    yield proxy
    proxy.close()


@pytest.fixture
def pg_app(pg_schema: str, proxy: CutoverProxy, tmp_path: Path,
           clock: FixedClock) -> Iterator[Flask]:
    """The app on PostgreSQL reached through ``proxy``, with demo users and one petition."""
    url = urlsplit(PG_URL)
    through = url._replace(netloc=f"{url.username or 'postgres'}@127.0.0.1:{proxy.port}")
    settings = Settings(instance_path=str(tmp_path / "instance"), database_url=through.geturl(),
                        database_schema=pg_schema, secret_key="test-secret")
    app = create_app({"TESTING": True, "SETTINGS": settings, "CLOCK": clock,
                      "WTF_CSRF_ENABLED": False,
                      "PASSWORD_HASHER": PasswordHasher.from_parameters(CHEAPEST),
                      "AUTH_CLOCK": auth_clock()})
    add_demo_users_to(app)
    app.config["CODE"] = log_petition(app.extensions["petitions"].tracker)
    yield app
    proxy.restore()
    app.extensions["petitions"].close()


def outage_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return the log lines about the outage."""
    return [r.getMessage() for r in caplog.records if r.name == "petitions.web"]


@pytest.mark.postgres
def test_a_page_answers_503_in_vietnamese_while_postgresql_is_away(
        pg_app: Flask, proxy: CutoverProxy) -> None:
    client = sign_in(pg_app.test_client(), "secretariat")
    proxy.cut()

    response = client.get("/queues/secretariat")

    assert response.status_code == 503
    assert "Tạm thời gián đoạn" in response.get_data(as_text=True)
    assert response.headers["Retry-After"]


@pytest.mark.postgres
def test_a_visitor_whose_browser_asks_for_english_gets_the_503_page_in_english(
        pg_app: Flask, proxy: CutoverProxy) -> None:
    proxy.cut()

    response = pg_app.test_client().post(
        "/login", data={"username": "thu.ky", "password": "demo-password"},
        headers={"Accept-Language": "en-GB,en;q=0.9"})

    assert response.status_code == 503
    assert "Temporarily unavailable" in response.get_data(as_text=True)


@pytest.mark.postgres
def test_a_user_who_chose_english_gets_the_503_page_in_english(
        pg_app: Flask, proxy: CutoverProxy) -> None:
    client = sign_in(pg_app.test_client(), "deputy")
    client.post("/language", data={"lang": "en"})
    proxy.cut()

    response = client.get("/items")

    assert response.status_code == 503
    assert "Temporarily unavailable" in response.get_data(as_text=True)


@pytest.mark.postgres
def test_the_api_answers_a_json_503_while_postgresql_is_away(
        pg_app: Flask, proxy: CutoverProxy) -> None:
    client = sign_in(pg_app.test_client(), "deputy")
    proxy.cut()

    response = client.get("/api/items")

    assert response.status_code == 503
    assert response.get_json()["error"] == "unavailable"


@pytest.mark.postgres
def test_an_outage_is_logged_once_then_its_end_with_the_count_of_failed_requests(
        pg_app: Flask, proxy: CutoverProxy, caplog: pytest.LogCaptureFixture) -> None:
    client = sign_in(pg_app.test_client(), "secretariat")
    proxy.cut()
    statuses = [client.get(path).status_code
                for path in ("/queues/secretariat", "/items", "/boards", "/api/items", "/")]

    proxy.restore()
    back = client.get("/queues/secretariat")

    assert statuses == [503] * 5 and back.status_code == 200
    lines = outage_lines(caplog)
    assert len(lines) == 2, lines
    assert lines[0].startswith("database unavailable")
    assert "5 requests failed meanwhile" in lines[1]
    assert [r for r in caplog.records if r.exc_info] == []  # no traceback at all


@pytest.mark.postgres
def test_pages_items_and_new_petitions_work_again_once_postgresql_is_back(
        pg_app: Flask, proxy: CutoverProxy) -> None:
    client = sign_in(pg_app.test_client(), "district_staff")
    proxy.cut()
    assert client.get("/items").status_code == 503

    proxy.restore()

    assert client.get(f"/items/{pg_app.config['CODE']}").status_code == 200
    assert client.post("/petitions/new", data=PETITION).status_code == 303


def test_a_page_answers_503_while_the_sqlite_file_cannot_be_opened_then_works_again(
        app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    client = sign_in(app.test_client(), "secretariat")
    views = app.extensions["petitions"].views
    path = Path(views.engine.url.database)
    aside = path.with_name("views.aside")
    path.rename(aside)
    path.mkdir()  # where the file was, something SQLite cannot open
    views.engine.dispose()  # no pooled connection to the old file: the next one must open it

    away = client.get("/queues/secretariat")
    path.rmdir()
    aside.rename(path)
    back = client.get("/queues/secretariat")

    assert (away.status_code, back.status_code) == (503, 200)
    assert "Tạm thời gián đoạn" in away.get_data(as_text=True)
    assert len(outage_lines(caplog)) == 2
