"""PDF digests: numbers equal the projections, Vietnamese survives, nothing outside is fetched.

The views are built once per module from a reproducible command mix (SQLite), and each digest
is rendered once and read by several tests with ``pdftotext``; page images of the city digest
are kept in test-output/digests/ for a person to look at.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from domain.actor import SYSTEM
from domain.deadline import DEFAULT_POLICY, Phrase
from petitions.cli import main as cli_main
from petitions.digest import DigestRequest, DigestUnavailable, make_digest
from petitions.digest.data import build_digest, previous_cut
from petitions.integrity import check_chain
from petitions.digest.render import ASSET_ORIGIN, StaticOnlyFetcher, html_to_pdf, render_pdf
from petitions.reference import shipped_reference
from petitions.runtime import Runtime
from projections.agency_board import agency_board
from projections.chain import chain_head
from projections.counters import ALL
from projections.district_board import district_board, district_summary
from projections.items import ItemFilter, list_items
from projections.session_board import session_board
from projections.store import Views
from tests.conftest import FixedClock, sqlite_settings
from tests.integration.command_mix import SECRETARIAT, run_mix
from tests.integration.digest_helpers import (
    attachments, fabricate_items, page_images, pdf_text, row_numbers, spy_server,
)

SESSION, PREVIOUS = "XVI-20", "XVI-19"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = re.compile(r"\b(?:KN|DT)-\d{4}-\d{5}\b")


@pytest.fixture(scope="module")
def spy() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that counts every request made to it."""
    with spy_server() as served:
        yield served


@pytest.fixture(scope="module")
def hostile_title(spy: tuple[str, list[str]]) -> str:
    """An item title carrying markup that would fetch a local file and a local URL."""
    base, _ = spy
    return f'Đèn đường hỏng <img src="file:///etc/passwd"> xem {base}/x'


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory, hostile_title: str,
            spy: tuple[str, list[str]]) -> Iterator[Runtime]:
    """Views built from a reproducible command mix, plus one escalated item with hostile text."""
    clock = FixedClock(datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc))
    rt = Runtime(sqlite_settings(tmp_path_factory.mktemp("digest")), clock=clock)
    rt.tracker.load_reference()
    run_mix(rt, 1200, seed=7)
    app, today = rt.tracker, rt.tracker.today()
    # The mix runs past 1 July 2025: a petition of quận Hoàn Kiếm is raised before that day.
    district_era = min(today, date(2025, 6, 30))
    base, _ = spy
    receipt = app.log_petition(
        SECRETARIAT, title=hostile_title,
        content=f'<link rel="attachment" href="file:///etc/passwd"><img src="{base}/y">',
        district="hoan-kiem", deputy_group="to-02", session=SESSION, field="environment",
        meeting_date=district_era, meeting_place="Nhà văn hóa phường Hàng Trống",
        voters="Phạm Thị Riêng Tư", received_on=district_era)
    app.assign(SECRETARIAT, receipt.code, agency="so-xay-dung", due_date=today + timedelta(days=5))
    app.escalate_item(receipt.code, now=app.now() + timedelta(days=40), actor=SYSTEM)
    rt.projector.catch_up()
    yield rt
    rt.close()


def render(runtime: Runtime, **scope: str) -> bytes:
    """Render the digest of SESSION for ``scope`` (district= or deputy_group=)."""
    _, pdf = make_digest(runtime, DigestRequest(SESSION, **scope))
    return pdf


@pytest.fixture(scope="module")
def city_pdf(runtime: Runtime) -> bytes:
    """The city-wide digest."""
    return render(runtime)


@pytest.fixture(scope="module")
def city_text(city_pdf: bytes, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The city-wide digest as ``pdftotext -layout`` reads it."""
    return pdf_text(city_pdf, tmp_path_factory.mktemp("city"))


@pytest.fixture(scope="module")
def city_plain_text(city_pdf: bytes, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The city-wide digest in reading order (a table cell's lines stay together)."""
    return pdf_text(city_pdf, tmp_path_factory.mktemp("plain"), layout=False)


@pytest.fixture(scope="module")
def district_text(runtime: Runtime, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The Hoàn Kiếm digest's text."""
    return pdf_text(render(runtime, district="hoan-kiem"), tmp_path_factory.mktemp("district"))


@pytest.fixture(scope="module")
def group_text(runtime: Runtime, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The deputy group 1 digest's text."""
    return pdf_text(render(runtime, deputy_group="to-01"), tmp_path_factory.mktemp("group"))


def area_heading(text: str) -> str:
    """Return the heading of the table of units: its words follow the kinds of units listed
    (the mix runs past 1 July 2025, so both eras may be in it)."""
    return next(h for h in ("Theo quận, huyện, thị xã", "Theo xã, phường", "Theo địa bàn")
                if text.count(h) >= 2)


def section(text: str, start: str, end: str) -> str:
    """Return the text from the second occurrence of heading ``start`` (the first is in the
    table of contents) to the next ``end``."""
    begin = text.index(start, text.index(start) + 1)
    return text[begin:text.index(end, begin)]


# -- Vietnamese text -------------------------------------------------------------------------
@pytest.mark.parametrize("words", ["Hoàn Kiếm", "Ứng Hòa", "Kiến nghị", "Sơn Tây"])
def test_vietnamese_names_survive_character_for_character(city_text, words):
    assert unicodedata.normalize("NFC", words) in city_text


def test_the_digest_embeds_the_shipped_font(city_pdf, tmp_path):
    import subprocess

    source = tmp_path / "fonts.pdf"
    source.write_bytes(city_pdf)

    fonts = subprocess.run(["pdffonts", str(source)], check=True, capture_output=True,
                           text=True).stdout

    assert "Digest-Sans" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # "emb" column


# -- numbers against the projections --------------------------------------------------------
@pytest.mark.parametrize(("label", "figure"), [
    ("Tổng số kiến nghị của kỳ họp", "raised"), ("Đã được trả lời", "answered"),
    ("Trả lời đúng hạn", "answered_on_time"), ("Đã giải quyết xong", "resolved"),
    ("Chưa kết thúc", "open"), ("Quá hạn", "overdue"), ("Quá hạn lộ trình", "past_roadmap"),
    ("Đã đôn đốc, báo cấp trên", "escalated"),
])
def test_city_headline_numbers_equal_the_district_board(runtime, city_text, label, figure):
    # The previous session's column is as of the day before this session opened, so it
    # never drifts once the session has opened (``petitions.digest.data.previous_cut``).
    today = runtime.tracker.today()
    cut = previous_cut(runtime.tracker.reference(), SESSION, today)
    with runtime.views.connect() as conn:
        now = district_summary(conn, ALL, SESSION, today=today)
        before = district_summary(conn, ALL, PREVIOUS, today=cut, as_of=cut < today)

    printed = row_numbers(city_text, label)

    assert printed[:2] == [now.get(figure, 0), before.get(figure, 0)]


def test_city_outcome_table_equals_the_district_board(runtime, city_text):
    with runtime.views.connect() as conn:
        now = district_summary(conn, ALL, SESSION, today=runtime.tracker.today())

    outcomes = section(city_text, "Kết quả trả lời", "Biểu đồ: số kiến nghị theo kết quả")

    for label, code in [("Đã giải quyết xong", "resolved"), ("Chưa giải quyết", "not_resolved"),
                        ("Đang giải quyết, có lộ trình", "being_resolved")]:
        assert row_numbers(outcomes, label)[0] == now.get(f"outcome:{code}", 0), label


def test_city_outcome_table_rows_add_up_to_the_total(runtime, city_text):
    with runtime.views.connect() as conn:
        now = district_summary(conn, ALL, SESSION, today=runtime.tracker.today())

    outcomes = section(city_text, "Kết quả trả lời", "Biểu đồ: số kiến nghị theo kết quả")
    rows = [row_numbers(outcomes, label)[0] for label in (
        "Đã giải quyết xong", "Đang giải quyết, có lộ trình", "Giải trình, cung cấp thông tin",
        "Chưa giải quyết", "Đã trả lời, chờ xem xét câu trả lời", "Chưa trả lời",
        "Kết thúc, không có trả lời")]

    assert sum(rows) == now["raised"]


def test_city_district_table_equals_the_district_board(runtime, city_text):
    with runtime.views.connect() as conn:
        board = district_board(conn, SESSION, today=runtime.tracker.today())

    table = section(city_text, area_heading(city_text), "Kiến nghị, đơn thư quá hạn")

    for code, name in [("ba-dinh", "Ba Đình"), ("hoan-kiem", "Hoàn Kiếm"),
                       ("ung-hoa", "Ứng Hòa"), ("son-tay", "Sơn Tây")]:
        assert row_numbers(table, name)[0] == board[code]["raised"], name


def test_city_agency_table_equals_the_agency_board(runtime, city_text):
    with runtime.views.connect() as conn:
        board = agency_board(conn, SESSION, today=runtime.tracker.today())

    table = section(city_text, "Theo cơ quan có trách nhiệm giải quyết",
                    area_heading(city_text))

    for code, name in [("so-xay-dung", "Sở Xây dựng"), ("ubnd-ba-dinh", "UBND quận Ba Đình")]:
        assert row_numbers(table, name)[0] == board[code]["assigned"], name


def test_district_digest_counts_only_that_district(runtime, district_text):
    with runtime.views.connect() as conn:
        now = district_summary(conn, "hoan-kiem", SESSION, today=runtime.tracker.today())

    total = row_numbers(district_text, "Tổng số kiến nghị của kỳ họp")

    assert "Quận Hoàn Kiếm" in district_text
    assert total[0] == now["raised"]


def test_group_digest_counts_the_petitions_raised_in_its_group(runtime, group_text):
    with runtime.views.connect() as conn:
        raised = session_board(conn, SESSION)["to-01"]["raised"]

    total = row_numbers(group_text, "Tổng số kiến nghị của kỳ họp")

    assert total[0] == raised


def test_escalated_list_holds_exactly_the_open_escalated_items(runtime, city_text):
    with runtime.views.connect() as conn:
        page = list_items(conn, ItemFilter(escalated=True, open_only=True), limit=10_000)

    listed = section(city_text, "Kiến nghị, đơn thư quá hạn và đã đôn đốc",
                     "Kiến nghị, đơn thư đã giải quyết từ kỳ họp trước")

    assert sorted(CODE.findall(listed)) == sorted(row["code"] for row in page.rows)


def test_escalated_list_shows_due_date_and_days_late(runtime, city_text):
    with runtime.views.connect() as conn:
        row = list_items(conn, ItemFilter(escalated=True, open_only=True, district="hoan-kiem",
                                          order="due"), limit=1).rows[0]
    days_late = (runtime.tracker.today() - row["due_date"]).days

    line = next(line for line in city_text.splitlines() if row["code"] in line)

    assert f"{row['due_date']:%d/%m/%Y}" in line
    assert re.search(rf"\s{max(days_late, 0)}\s+Lần thứ {row['escalation_level']} ·", line)


def test_the_escalated_list_names_who_was_told_in_the_policys_words(runtime):
    ladder = tuple(replace(step, notified=Phrase(f"người nhận cấp {step.level}", "-"))
                   for step in DEFAULT_POLICY.ladder)
    tracker = runtime.tracker

    digest = build_digest(runtime.views, tracker.reference(), DigestRequest(SESSION),
                          now=tracker.now(), zone=tracker.zone,
                          policy=replace(DEFAULT_POLICY, ladder=ladder))

    lines = digest.escalated.lines
    assert lines and all(line.level_label == f"Người nhận cấp {line.level}" for line in lines)


def test_resolved_list_holds_the_items_concluded_since_the_previous_session(runtime, city_text):
    since = date(2024, 12, 3)  # XVI-19 opened on 3 December 2024
    with runtime.views.connect() as conn:
        page = list_items(conn, ItemFilter(status=("resolved", "explained", "decided")),
                          limit=10_000)
    expected = sorted(r["code"] for r in page.rows if r["closed_on"] >= since)

    listed = section(city_text, "Kiến nghị, đơn thư đã giải quyết từ kỳ họp trước",
                     "Cam kết, lời hứa đến hạn")

    assert expected and sorted(CODE.findall(listed)) == expected


# -- layout ----------------------------------------------------------------------------------
def test_footer_shows_the_as_of_date_and_the_views_position(runtime, city_text):
    local = runtime.tracker.now().astimezone(HANOI)
    position = {s.name: s for s in runtime.projector.status()}["items"].position

    footer = f"…/BC-VP · Số liệu tính đến ngày {local:%d/%m/%Y} · sự kiện số " \
             f"{position:,}".replace(",", ".")

    assert city_text.count(footer) >= 3


def test_cover_and_footer_print_the_chain_head_that_verify_checks(runtime, city_text):
    with runtime.views.connect() as conn:
        head = chain_head(conn)

    verified = check_chain(runtime).verification.head

    assert head.position == {s.name: s for s in runtime.projector.status()}["items"].position
    assert verified == head
    assert re.search(rf"Mã băm nhật ký sự kiện\s+{head.short}", city_text)
    assert city_text.count(f"· mã băm {head.short}") >= 3


def test_table_of_contents_gives_the_page_of_each_section(city_text):
    pages = city_text.split("\f")
    contents = pages[1]

    entry = re.search(r"Kiến nghị, đơn thư quá hạn và đã đôn đốc \.+ (\d+)", contents)

    assert entry, contents
    page = int(entry.group(1))
    assert "Kiến nghị, đơn thư quá hạn và đã đôn đốc" in pages[page - 1]
    assert f"Trang {page} / {len(pages) - 1}" in pages[page - 1]


def test_page_images_of_the_cover_and_contents_are_kept(city_pdf):
    images = page_images(city_pdf, "city-XVI-20")

    assert [p.name for p in images] == ["city-XVI-20-1.png", "city-XVI-20-2.png"]
    assert all(p.stat().st_size > 5_000 for p in images)


# -- privacy and fetching --------------------------------------------------------------------
def test_no_personal_data_of_voters_or_petitioners_appears(runtime, city_text, district_text,
                                                           hostile_title):
    with runtime.views.connect() as conn:
        escalated = list_items(conn, ItemFilter(district="hoan-kiem", escalated=True),
                               limit=10_000).rows
    private = next(row["code"] for row in escalated if row["title"] == hostile_title)

    # The digests really list the items whose voters they must not name (an empty or failed
    # digest names nobody either): the item of "Phạm Thị Riêng Tư" is in both.
    assert private in city_text and private in district_text
    assert len(CODE.findall(city_text)) > 10
    for name in ("Nguyễn Văn A", "Trần Thị B", "Phạm Thị Riêng Tư"):
        assert name not in city_text and name not in district_text


def test_markup_in_an_item_title_is_printed_as_text(city_plain_text, hostile_title):
    flat = re.sub(r"\s+", "", city_plain_text)

    assert re.sub(r"\s+", "", hostile_title) in flat


def test_urls_in_item_text_are_never_fetched(city_pdf, spy, tmp_path):
    _, hits = spy
    text = pdf_text(city_pdf, tmp_path)

    assert "Đèn đường hỏng" in text  # the item carrying the URLs was rendered
    assert hits == []
    assert "root:" not in text
    assert "0 embedded files" in attachments(city_pdf, tmp_path)


def test_the_fetcher_refuses_everything_but_its_static_files(spy, tmp_path):
    base, hits = spy
    fetcher = StaticOnlyFetcher()
    html = f"""<html><head>
      <link rel="stylesheet" href="{base}/style.css">
      <link rel="attachment" href="file:///etc/passwd">
      <link rel="attachment" href="{ASSET_ORIGIN}fonts/LICENSE-DejaVu.txt">
      </head><body><p>Trang thử</p>
      <img src="file:///etc/passwd"><img src="{base}/img.png">
      <img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E">
      <img src="{ASSET_ORIGIN}..%2F..%2F..%2F..%2Fetc%2Fpasswd">
      <img src="../../../../etc/hostname">
      <a rel="attachment" href="{ASSET_ORIGIN}digest.css">x</a></body></html>"""

    pdf = html_to_pdf(html, fetcher)

    assert hits == []
    assert "0 embedded files" in attachments(pdf, tmp_path)
    refused = " ".join(fetcher.refused)
    for what in ("file:///etc/passwd", f"{base}/style.css", f"{base}/img.png", "data:",
                 "..%2F..%2F", "invalid/etc/hostname"):
        assert what in refused


def test_the_fetcher_serves_the_shipped_font():
    fetcher = StaticOnlyFetcher()

    response = fetcher.fetch(f"{ASSET_ORIGIN}fonts/DejaVuSansCondensed.ttf")

    assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType file


# -- requests, scale, CLI --------------------------------------------------------------------
def test_an_unknown_session_is_refused(runtime):
    with pytest.raises(DigestUnavailable):
        make_digest(runtime, DigestRequest("XX-99"))


def test_a_digest_of_a_thousand_items_renders_with_headers_on_every_page(tmp_path):
    views = Views(f"sqlite:///{tmp_path / 'views.sqlite3'}")
    views.create_all()
    fabricate_items(views, 1000)
    reference = {s: {e["code"]: e for e in entries} for s, entries in shipped_reference().items()}
    digest = build_digest(views, reference, DigestRequest(SESSION),
                          now=datetime(2025, 6, 20, 2, tzinfo=timezone.utc), zone=HANOI)

    pdf = render_pdf(digest)

    pages = pdf_text(pdf, tmp_path).split("\f")
    listed = [page for page in pages if CODE.search(page)]
    assert len({c for page in listed for c in CODE.findall(page)}) == 1000
    assert len(listed) > 20
    assert all("Mã số" in page and "Hạn xử lý" in page for page in listed)


def test_cli_writes_a_district_digest(runtime, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", runtime.settings.instance_path)
    output = tmp_path / "ung-hoa.pdf"

    status = cli_main(["digest", "--session", SESSION, "--district", "ung-hoa",
                       "-o", str(output)])

    assert status == 0, capsys.readouterr().err
    assert "Huyện Ứng Hòa" in pdf_text(output.read_bytes(), tmp_path)


def test_cli_refuses_an_unknown_district(runtime, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", runtime.settings.instance_path)

    status = cli_main(["digest", "--session", SESSION, "--district", "atlantis",
                       "-o", str(tmp_path / "x.pdf")])

    assert status == 2
    assert "atlantis" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
