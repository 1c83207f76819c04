"""Browser tests: the app served by waitress in a thread, driven by headless Chromium.

They skip when /usr/bin/chromium is missing, unless PETITIONS_REQUIRE_BROWSER=1.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FixedClock
from tests.web.conftest import make_app

CHROMIUM = "/usr/bin/chromium"
REQUIRE = os.environ.get("PETITIONS_REQUIRE_BROWSER", "") not in ("", "0")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
# The app behind each served base URL, for tests that arrange data or type a TOTP code.
APPS: dict[str, Any] = {}


def _skip_or_fail(reason: str) -> None:
    if REQUIRE:
        pytest.fail(reason + " and PETITIONS_REQUIRE_BROWSER is set")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve a fresh app (CSRF on, fixed clock) on a free port; yield its base URL."""
    yield from serve(tmp_path_factory, FixedClock(datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)))


def browser_app(tmp: Path, clock: FixedClock | None = None) -> Any:
    """Build the app browser tests use: CSRF on, plain-HTTP cookies, clock at 3/3/2025 9:00."""
    clock = clock or FixedClock(datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc))
    return make_app(tmp, clock, WTF_CSRF_ENABLED=True, SESSION_COOKIE_SECURE=False,
                    REMEMBER_COOKIE_SECURE=False)


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve ``app`` with waitress on a free port in a thread; yield its base URL."""
    from waitress.server import create_server

    wsgi = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=wsgi.run, name="waitress", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{wsgi.effective_port}"
    APPS[url] = app
    try:
        yield url
    finally:
        APPS.pop(url, None)
        wsgi.close()
        thread.join(timeout=5)
        app.extensions["petitions"].close()


def serve(tmp_path_factory: pytest.TempPathFactory, clock: FixedClock,
          prepare: Any = None) -> Iterator[str]:
    """Serve a fresh app on ``clock`` (``prepare(app)`` first, if given); yield its URL."""
    app = browser_app(Path(tmp_path_factory.mktemp("browser")), clock)
    if prepare is not None:
        prepare(app)
    with serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright."""
    if not Path(CHROMIUM).exists():
        _skip_or_fail(f"{CHROMIUM} is missing (install the Debian chromium package)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("Playwright for Python is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


@pytest.fixture
def screenshot() -> Any:
    """Save a full-page screenshot under test-output/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
    return take
