"""Reference data as dated history: validity on a day, successors, and the catalog's rules."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest

from domain.actor import Actor, Role
from domain.catalog import ReferenceCatalog
from domain.errors import InvalidInput
from domain.petition import VoterPetition
from domain.reference import KnownCodes, entries_on, refusal, successors
from petitions.reference import LINEAGE_COLUMNS, parse_lineage, shipped_lineage, shipped_reference
from tests.unit.conftest import AT, petition_data

ADMIN = Actor("quan.tri", Role.ADMIN)
LATER = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)


def shipped_catalog() -> ReferenceCatalog:
    """Return a catalog holding the shipped data, loaded as the application loads it."""
    catalog = ReferenceCatalog()
    data = {**shipped_reference(), "lineage": list(shipped_lineage())}
    for section in ("competence_levels", "fields", "units", "council_terms", "council_sessions",
                    "deputy_groups", "agencies", "lineage"):
        for entry in sorted(data[section], key=lambda e: bool(e.get("successors"))):
            catalog.record(section, entry, actor="system", at=AT)
    return catalog


@pytest.fixture(scope="module")
def entries() -> dict[str, dict[str, dict[str, Any]]]:
    return shipped_catalog().entries


def refused_messages(err: pytest.ExceptionInfo[InvalidInput]) -> str:
    return " ".join(str(m) for msgs in err.value.errors.values() for m in msgs)


# -- the shipped data, by date ---------------------------------------------------------------
def test_on_1_december_2026_the_units_are_the_126_communes_and_wards(entries: Any) -> None:
    units = entries_on(entries["units"], date(2026, 12, 1))

    kinds = sorted(e["kind"] for e in units.values())
    assert (len(units), kinds.count("phuong"), kinds.count("xa")) == (126, 51, 75)


def test_on_30_june_2025_the_units_are_the_30_districts(entries: Any) -> None:
    units = entries_on(entries["units"], date(2025, 6, 30))

    assert len(units) == 30
    assert {e["kind"] for e in units.values()} == {"quan", "huyen", "thi_xa"}


def test_merged_departments_end_on_28_february_2025_and_their_successors_start_next_day(
        entries: Any) -> None:
    before = entries_on(entries["agencies"], date(2025, 2, 28))
    after = entries_on(entries["agencies"], date(2025, 3, 1))

    assert "so-giao-thong-van-tai" in before and "so-giao-thong-van-tai" not in after
    assert "so-nong-nghiep-va-moi-truong" not in before
    assert "so-nong-nghiep-va-moi-truong" in after and "so-xay-dung" in after


def test_every_new_unit_has_a_people_s_committee_and_no_district_committee_survives(
        entries: Any) -> None:
    agencies = entries_on(entries["agencies"], date(2026, 12, 1))

    committees = {a["unit"] for a in agencies.values() if a["kind"] == "commune_committee"}
    assert len(committees) == 126
    assert not [a for a in agencies.values() if a["kind"] == "district_committee"]


def test_the_year_end_2026_session_of_term_xvii_is_shipped(entries: Any) -> None:
    sessions = entries["council_sessions"].values()

    assert [s["code"] for s in sessions
            if s["term"] == "XVII" and s["regular"] and s["opens_on"].startswith("2026-12")]


def test_the_district_competence_level_ends_with_the_districts(entries: Any) -> None:
    before = entries_on(entries["competence_levels"], date(2025, 6, 30))
    after = entries_on(entries["competence_levels"], date(2025, 7, 1))

    assert ("district" in before, "commune" in before) == (True, False)
    assert ("district" in after, "commune" in after) == (False, True)


def test_every_term_xvii_deputy_group_maps_to_new_units(entries: Any) -> None:
    groups = entries_on(entries["deputy_groups"], date(2026, 12, 1))

    units = {u for g in groups.values() for u in g["units"]}
    assert len(units) == 126
    assert all(entries["units"][u]["valid_from"] == "2025-07-01" for u in units)


# -- successors and refusals --------------------------------------------------------------
def test_the_successors_of_ba_dinh_are_the_wards_it_went_into_main_ones_first(
        entries: Any) -> None:
    codes = successors(entries, "units", "ba-dinh")

    names = [entries["units"][c]["name"] for c in codes]
    assert names[:3] == ["Phường Ba Đình", "Phường Ngọc Hà", "Phường Giảng Võ"]
    assert "Phường Hồng Hà" in names


def test_an_abolished_district_is_refused_naming_its_successors(entries: Any) -> None:
    message = refusal(entries, "units", "ba-dinh", date(2025, 9, 1))

    assert str(message).startswith(
        "Quận Ba Đình no longer exists from 01/07/2025; choose a successor commune or ward: "
        "Phường Ba Đình, Phường Ngọc Hà, Phường Giảng Võ")


def test_a_new_ward_before_1_july_2025_is_refused_naming_the_districts_it_came_from(
        entries: Any) -> None:
    message = refusal(entries, "units", "00097", date(2025, 6, 30))

    assert "Phường Hồng Hà exists only from 01/07/2025" in str(message)
    assert "Quận Tây Hồ" in str(message)


def test_a_merged_department_is_refused_naming_the_department_that_took_it_in(
        entries: Any) -> None:
    message = refusal(entries, "agencies", "so-giao-thong-van-tai", date(2025, 3, 3))

    assert "choose its successor: Sở Xây dựng" in str(message)


def test_a_district_committee_is_followed_by_the_committees_of_the_successor_wards(
        entries: Any) -> None:
    message = refusal(entries, "agencies", "ubnd-ba-dinh", date(2026, 1, 5))

    assert "UBND phường Ba Đình" in str(message)


def test_a_petition_logged_for_an_abolished_district_is_refused_with_the_successor_named(
        entries: Any) -> None:
    known = KnownCodes.on(entries, date(2025, 9, 1))

    with pytest.raises(InvalidInput) as refused:
        VoterPetition.log(**petition_data(known=known, meeting_date=date(2025, 9, 1),
                                          received_on=date(2025, 9, 2), today=date(2025, 9, 3)))

    assert "Phường Ba Đình" in " ".join(refused.value.errors["district"])


# -- the catalog's rules ------------------------------------------------------------------
def test_every_change_is_an_event_with_actor_role_time_and_reason() -> None:
    catalog = shipped_catalog()

    catalog.end("agencies", "so-y-te", date(2026, 12, 31), by=ADMIN, at=LATER,
                reason="Thử nghiệm")

    last = catalog.pending_events[-1]
    assert (type(last).__name__, last.actor, last.role, last.at, last.reason) == (
        "EntryEnded", "quan.tri", "admin", LATER, "Thử nghiệm")
    assert catalog.entries["agencies"]["so-y-te"]["valid_to"] == "2026-12-31"


def test_adding_a_code_already_recorded_is_refused_as_an_overlap() -> None:
    catalog = shipped_catalog()
    before = len(catalog.pending_events)

    with pytest.raises(InvalidInput) as refused:
        catalog.add("units", {"code": "00004", "name": "Phường Mới", "kind": "phuong",
                              "valid_from": "2026-01-01"}, by=ADMIN, at=LATER, reason="Thêm")

    assert "cannot overlap" in refused_messages(refused)
    assert len(catalog.pending_events) == before


def test_an_end_before_the_start_is_refused() -> None:
    catalog = shipped_catalog()

    with pytest.raises(InvalidInput) as refused:
        catalog.end("units", "00004", date(2025, 6, 1), by=ADMIN, at=LATER, reason="Sai")

    assert "valid_to" in refused.value.errors
    assert catalog.entries["units"]["00004"]["valid_to"] is None


@pytest.mark.parametrize("dates, field", [
    ({"closes_on": "2026-12-10"}, "opens_on"),
    ({"opens_on": "2026-12-08"}, "closes_on"),
    ({"opens_on": "2026-12-10", "closes_on": "2026-12-08"}, "closes_on"),
])
def test_a_session_without_both_dates_in_order_is_refused(dates: dict[str, str], field: str) -> None:
    catalog = shipped_catalog()
    session = {"code": "XVII-04", "name": "Kỳ họp thứ 4", "term": "XVII", "regular": False,
               "kind": "thematic", **dates}

    with pytest.raises(InvalidInput) as refused:
        catalog.add("council_sessions", session, by=ADMIN, at=LATER, reason="Thêm kỳ họp")

    assert field in refused.value.errors
    assert "XVII-04" not in catalog.entries["council_sessions"]


def test_lineage_to_a_unit_that_does_not_exist_is_refused() -> None:
    catalog = shipped_catalog()

    with pytest.raises(InvalidInput) as refused:
        catalog.add("lineage", {"code": "ba-dinh>99999", "old_code": "ba-dinh",
                                "new_code": "99999", "share": "whole", "main": False},
                    by=ADMIN, at=LATER, reason="Thêm")

    assert "99999 is not a known entry." in refused.value.errors["new_code"]


def test_an_entry_that_refers_to_an_expired_entry_is_refused() -> None:
    catalog = shipped_catalog()
    agency = {"code": "ban-moi", "name": "Ban mới", "kind": "district_committee",
              "unit": "ba-dinh", "competence": "city", "valid_from": "2026-01-01"}

    with pytest.raises(InvalidInput) as refused:
        catalog.add("agencies", agency, by=ADMIN, at=LATER, reason="Thêm")

    assert refused.value.errors["unit"] == ["Quận Ba Đình is not valid on 01/01/2026."]


def test_an_unknown_section_is_refused_and_nothing_recorded() -> None:
    catalog = ReferenceCatalog()

    with pytest.raises(InvalidInput):
        catalog.add("planets", {"code": "mars", "name": "Sao Hỏa"}, by=ADMIN, at=LATER,
                    reason="Thêm")

    assert len(catalog.pending_events) == 1  # only the catalog's start


def test_a_change_without_a_reason_is_refused() -> None:
    catalog = shipped_catalog()

    with pytest.raises(InvalidInput) as refused:
        catalog.change("fields", "land", {"name_vi": "Đất"}, by=ADMIN, at=LATER, reason=" ")

    assert "reason" in refused.value.errors


def test_recording_the_shipped_data_again_changes_nothing() -> None:
    catalog = shipped_catalog()
    before = len(catalog.pending_events)

    changed = sum(catalog.record(s, e, actor="system", at=LATER)
                  for s, es in shipped_reference().items() for e in es)

    assert (changed, len(catalog.pending_events)) == (0, before)


# -- the lineage file ---------------------------------------------------------------------
def test_the_lineage_file_follows_the_contract_columns() -> None:
    header = "\t".join(LINEAGE_COLUMNS)
    text = f"# a comment\n{header}\n00097\tPhường Hồng Hà\tlong-bien\tpart\t0\t" \
           "Ngọc Thụy (part);Bồ Đề (part)\tNQ 1656/NQ-UBTVQH15 Điều 1\tland only\n"

    [edge] = parse_lineage(text)

    assert (edge["code"], edge["main"], edge["old_units"]) == (
        "long-bien>00097", False, ["Ngọc Thụy (part)", "Bồ Đề (part)"])


def test_a_lineage_file_without_a_contract_column_is_refused() -> None:
    with pytest.raises(ValueError, match="share"):
        parse_lineage("new_code\tnew_name\told_code\n00004\tPhường Ba Đình\tba-dinh\n")


def test_every_shipped_lineage_row_joins_known_units_with_one_main_row_per_new_unit(
        entries: Any) -> None:
    edges = list(entries["lineage"].values())

    mains: dict[str, int] = {}
    for edge in edges:
        mains[edge["new_code"]] = mains.get(edge["new_code"], 0) + bool(edge["main"])
    assert set(mains.values()) == {1}
