"""Helpers for the digest tests: text and page images of PDFs, made-up item rows, a spy server."""
from __future__ import annotations

import http.server
import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from projections.items import COLUMNS, items_view
from projections.store import Views

REPO = Path(__file__).resolve().parents[2]
IMAGES = REPO / "test-output" / "digests"


def pdf_text(pdf: bytes, tmp: Path, *, layout: bool = True) -> str:
    """Return the text of ``pdf`` as ``pdftotext`` extracts it (pages separated by form feeds)."""
    source = tmp / "digest.pdf"
    source.write_bytes(pdf)
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(source), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def row_numbers(text: str, label: str) -> list[int]:
    """Return the whole numbers on the first table line that starts with ``label``."""
    for line in text.splitlines():
        if re.match(rf"{re.escape(label)}(\s{{2,}}|$)", line.strip()):  # a cell, not a sentence
            cells = re.split(r"\s{2,}", line.strip())[1:]
            return [int(c.replace(".", "")) for c in cells if re.fullmatch(r"[\d.]+", c)]
    raise AssertionError(f"no line starts with {label!r}")


def page_images(pdf: bytes, name: str, first: int = 1, last: int = 2) -> list[Path]:
    """Write PNG images of pages ``first``..``last`` to test-output/digests/; return their paths."""
    IMAGES.mkdir(parents=True, exist_ok=True)
    source = IMAGES / f"{name}.pdf"
    source.write_bytes(pdf)
    for old in IMAGES.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(first), "-l", str(last),
                    str(source), str(IMAGES / name)], check=True)
    return sorted(IMAGES.glob(f"{name}-*.png"))


def attachments(pdf: bytes, tmp: Path) -> str:
    """Return what ``pdfdetach -list`` says about files embedded in ``pdf``."""
    source = tmp / "attached.pdf"
    source.write_bytes(pdf)
    return subprocess.run(["pdfdetach", "-list", str(source)], check=True,
                          capture_output=True, text=True).stdout


def fabricate_items(views: Views, count: int, *, session: str = "XVI-20",
                    today: date = date(2025, 6, 20)) -> None:
    """Write ``count`` overdue, escalated petition rows straight into the items view."""
    districts = ["ba-dinh", "hoan-kiem", "ung-hoa", "son-tay", "dong-da"]
    agencies = ["so-xay-dung", "so-giao-thong-van-tai", "ubnd-ung-hoa", "so-y-te"]
    fields = ["land", "transport", "water_drainage", "environment"]
    rows = []
    for n in range(count):
        due = today - timedelta(days=5 + n % 90)
        row: dict[str, Any] = {name: None for name in COLUMNS}
        row.update(
            id=f"00000000-0000-4000-8000-{n:012d}", code=f"KN-2025-{n + 1:05d}",
            kind="petition", title=f"Sửa đường liên xã thôn {n % 17 + 1}, chống ngập úng "
                                   f"(kiến nghị {n + 1})",
            status="assigned", is_open=True, active=True, district=districts[n % 5],
            deputy_group=f"to-{n % 5 + 1:02d}", session=session, field=fields[n % 4],
            competence="city", agency=agencies[n % 4], received_on=due - timedelta(days=40),
            assigned_on=due - timedelta(days=30), due_date=due, escalation_level=1 + n % 3,
            overdue=True, extensions=0, search_text="", seq=n + 1, position=n + 1, version=3,
            updated_at=datetime(2025, 6, 1, tzinfo=timezone.utc),
        )
        rows.append(row)
    with views.begin() as conn:
        conn.execute(items_view.insert(), rows)


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        body = b"SECRET-FROM-SERVER"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def spy_server() -> Iterator[tuple[str, list[str]]]:
    """Serve http://127.0.0.1:<port>/ in a thread; yield its base URL and the paths requested."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    server.hits = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.hits  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
