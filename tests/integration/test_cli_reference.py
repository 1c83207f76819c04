"""``petitions reference``: the entries valid on a day, printed as a table, on both stores."""
from __future__ import annotations

import pytest

from petitions.cli import main
from petitions.settings import Settings
from tests.integration.test_cli import store  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("store")


def codes_printed(out: str) -> list[str]:
    """Return the first column of the table's rows (header and count line left out)."""
    lines = out.strip().splitlines()
    return [line.split()[0] for line in lines[1:-1]]


@pytest.fixture(autouse=True)
def initialised(store: Settings, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    assert main(["init"]) == 0
    capsys.readouterr()


def test_units_on_1_december_2026_are_exactly_the_126_communes_and_wards(
        capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["reference", "units", "--on", "2026-12-01"])

    codes = codes_printed(capsys.readouterr().out)
    assert status == 0
    assert len(codes) == 126 and len(set(codes)) == 126
    assert all(code.isdigit() for code in codes)


def test_units_on_30_june_2025_are_the_30_district_level_units(
        capsys: pytest.CaptureFixture[str]) -> None:
    main(["reference", "units", "--on", "2025-06-30"])

    codes = codes_printed(capsys.readouterr().out)
    assert len(codes) == 30 and "ba-dinh" in codes and "son-tay" in codes


def test_sessions_include_the_year_end_2026_session_of_term_xvii(
        capsys: pytest.CaptureFixture[str]) -> None:
    main(["reference", "sessions", "--on", "2026-12-01"])

    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("XVII-03"))
    assert "regular" in row and "2026-12-08" in row


def test_the_table_has_code_name_kind_and_validity_columns(
        capsys: pytest.CaptureFixture[str]) -> None:
    main(["reference", "agencies", "--on", "2025-03-01"])

    out = capsys.readouterr().out
    assert out.splitlines()[0].split("  ")[0] == "code"
    assert "Sở Nông nghiệp và Môi trường" in out and "Sở Giao thông vận tải" not in out


def test_deputy_groups_of_term_xvii_are_listed_today(
        capsys: pytest.CaptureFixture[str]) -> None:
    main(["reference", "deputy-groups", "--on", "2026-12-01"])

    codes = codes_printed(capsys.readouterr().out)
    assert codes and all(code.startswith("XVII-") for code in codes)


def test_a_bad_date_is_refused_with_a_usage_message(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["reference", "units", "--on", "01/07/2025"])

    assert exited.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_the_history_lists_who_recorded_each_entry(capsys: pytest.CaptureFixture[str]) -> None:
    main(["reference", "history", "units", "00097"])

    out = capsys.readouterr().out
    assert "EntryAdded" in out and "system" in out and "Shipped reference data" in out
