"""``petitions digest --as-of`` and ``--position``: the figures of a past day or moment, as
the events then said, in the file the office opens (issue 16's first "done when")."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook

from petitions.runtime import Runtime
from tests.conftest import SECRETARIAT, XAY_DUNG_STAFF, FixedClock
from tests.web.conftest import log_petition


@pytest.fixture
def story(settings) -> Iterator[tuple[Runtime, int]]:
    """Two petitions of XVI-20 logged in November 2025; in March 2026 a third, and the first
    answered by the agency. Yields the runtime and the position just after the first."""
    clock = FixedClock(datetime(2025, 11, 3, 2, 0, tzinfo=timezone.utc))
    rt = Runtime(settings, clock=clock)
    rt.tracker.load_reference()
    first = log_petition(rt.tracker, session="XVI-20", title="Cải tạo vỉa hè phố Đội Cấn")
    after_first = rt.tracker.position()
    log_petition(rt.tracker, session="XVI-20", title="Lắp đèn đường ngõ 12 Kim Mã")
    rt.tracker.assign(SECRETARIAT, first, agency="so-xay-dung", due_date=date(2026, 3, 31))
    clock.set(datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc))
    log_petition(rt.tracker, session="XVI-20", title="Nạo vét mương Phan Kế Bính")
    rt.tracker.record_answer(XAY_DUNG_STAFF, first, outcome="resolved", text="Đã lát lại vỉa hè.")
    rt.projector.catch_up()
    yield rt, after_first
    rt.close()


def _figures(path: Path) -> dict[str, int]:
    book = load_workbook(path)
    rows = {r[0]: r[1] for r in book["Tong hop"].iter_rows(values_only=True) if r[0]}
    dated = {r[0]: r[1] for r in book["Thong tin"].iter_rows(values_only=True) if r[0]}
    return {"raised": rows["Tổng số kiến nghị của kỳ họp"], "answered": rows["Đã được trả lời"],
            "as_of": dated["Số liệu tính đến ngày"], "position": dated.get("Tính đến sự kiện số")}


@pytest.fixture
def cli_main(story, monkeypatch):
    """``petitions`` as typed on the story's instance (its SQLite files)."""
    rt, _ = story
    if rt.views.dialect != "sqlite":
        pytest.skip("the CLI reads the instance folder's SQLite files")
    from petitions.cli import main
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", rt.settings.instance_path)
    return main


def test_the_digest_as_of_two_days_prints_what_the_events_said_on_each(
        cli_main, tmp_path, capsys):

    runs = [cli_main(["digest", "--session", "XVI-20", "--as-of", day, "--format", "xlsx",
                      "-o", str(tmp_path / f"{day}.xlsx")])
            for day in ("2025-12-31", "2026-06-30")]

    assert runs == [0, 0], capsys.readouterr().err
    year_end, mid_year = (_figures(tmp_path / f"{d}.xlsx") for d in ("2025-12-31", "2026-06-30"))
    assert (year_end["raised"], year_end["answered"]) == (2, 0)
    assert (mid_year["raised"], mid_year["answered"]) == (3, 1)
    assert year_end["as_of"].date() == date(2025, 12, 31)
    assert mid_year["as_of"].date() == date(2026, 6, 30)


def test_the_digest_just_after_an_event_counts_only_what_came_before_it(
        story, cli_main, tmp_path, capsys):
    _, after_first = story

    done = cli_main(["digest", "--session", "XVI-20", "--position", str(after_first),
                     "--format", "xlsx", "-o", str(tmp_path / "moment.xlsx")])
    same_day = cli_main(["digest", "--session", "XVI-20", "--as-of", "2025-11-03",
                         "--format", "xlsx", "-o", str(tmp_path / "day.xlsx")])
    unknown = cli_main(["digest", "--session", "XVI-20", "--position", "99999999",
                        "-o", str(tmp_path / "never.pdf")])
    err = capsys.readouterr().err

    assert (done, same_day, unknown) == (0, 0, 2), err
    moment, day = _figures(tmp_path / "moment.xlsx"), _figures(tmp_path / "day.xlsx")
    assert (moment["raised"], moment["position"]) == (1, after_first)
    assert day["raised"] == 2  # the end of that day holds both of its petitions
    assert "not in the log" in err and not (tmp_path / "never.pdf").exists()
