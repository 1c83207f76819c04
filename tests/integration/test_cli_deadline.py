"""``petitions deadline``: the counter command prints the due date and how it was computed."""
from __future__ import annotations

import pytest

from petitions.cli import main
from tests.integration.test_cli import store  # noqa: F401 (fixture)


def test_a_denunciation_received_on_26_december_2025_prints_8_january_2026(
        store, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["deadline", "--kind", "denunciation", "--from", "2025-12-26"])

    out = capsys.readouterr().out
    assert status == 0
    assert "08/01/2026" in out.splitlines()[0]
    assert "Luật Tố cáo 2018, Điều 24" in out and "7 working days" in out
    assert "02/01/2026 (Fri)" in out and "12729/VPCP-KGVX" in out


def test_a_remote_complex_complaint_names_the_2025_law_version(
        store, capsys: pytest.CaptureFixture[str]) -> None:
    main(["deadline", "--kind", "complaint", "--from", "01/07/2026", "--complex", "--remote"])

    out = capsys.readouterr().out
    assert "03/09/2026" in out.splitlines()[0]
    assert "136/2025/QH15" in out and "60 calendar days" in out


def test_a_voter_petition_assigned_10_november_2026_is_due_before_xvii_03(
        store, capsys: pytest.CaptureFixture[str]) -> None:
    main(["init"])  # the shipped reference data: XVII-03 opens on 8 December 2026
    capsys.readouterr()
    main(["deadline", "--kind", "petition", "--from", "10/11/2026"])

    out = capsys.readouterr().out
    assert "07/12/2026" in out.splitlines()[0]
    assert "XVII-03" in out and "[council practice, not statute]" in out


def test_an_unknown_rule_is_refused_with_a_message(
        store, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["deadline", "--kind", "don", "--from", "2026-01-05", "--rule", "nap_time"])

    assert status == 2
    assert "rule" in capsys.readouterr().err


def test_a_date_that_does_not_exist_is_refused(store, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["deadline", "--kind", "don", "--from", "2026-02-30"])

    assert refused.value.code == 2
    assert "not a date" in capsys.readouterr().err
