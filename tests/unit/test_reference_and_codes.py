"""Reference catalog, item codes and the purity of the domain package."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from domain.catalog import ReferenceCatalog
from domain.codes import CodeCounter, format_code, item_id_for_code, normalise_code
from domain.errors import InvalidInput
from tests.unit.conftest import AT

DOMAIN = Path(__file__).resolve().parents[2] / "domain"


# -- item codes ---------------------------------------------------------------------------------
def test_a_code_is_padded_to_five_digits() -> None:
    assert format_code("KN", 2025, 42) == "KN-2025-00042"


def test_a_code_typed_in_lower_case_with_spaces_is_normalised() -> None:
    assert normalise_code("  kn-2025-00042 ") == "KN-2025-00042"


@pytest.mark.parametrize("text", ["KN-25-00042", "XX-2025-00042", "KN-2025-42", "KN202500042"])
def test_text_that_is_not_a_code_is_not_normalised(text: str) -> None:
    assert normalise_code(text) is None


def test_a_code_always_maps_to_the_same_item_id() -> None:
    assert item_id_for_code("DT-2025-00317") == item_id_for_code("DT-2025-00317")


def test_a_counter_hands_out_consecutive_codes() -> None:
    counter = CodeCounter("DT", 2025)

    codes = [counter.allocate(AT) for _ in range(3)]

    assert codes == ["DT-2025-00001", "DT-2025-00002", "DT-2025-00003"]


def test_a_block_of_codes_continues_the_sequence() -> None:
    counter = CodeCounter("KN", 2025)
    counter.allocate(AT)

    codes = counter.allocate_block(2, AT)

    assert (codes, counter.allocate(AT)) == (["KN-2025-00002", "KN-2025-00003"], "KN-2025-00004")


def test_counters_of_different_prefixes_or_years_are_different_aggregates() -> None:
    ids = {CodeCounter.create_id("KN", 2025), CodeCounter.create_id("DT", 2025),
           CodeCounter.create_id("KN", 2026)}

    assert len(ids) == 3


# -- reference catalog --------------------------------------------------------------------------
def test_recording_a_new_entry_changes_the_catalog() -> None:
    catalog = ReferenceCatalog()

    changed = catalog.record("fields", {"code": "land", "name_vi": "Đất đai"}, actor="admin", at=AT)

    assert (changed, catalog.entries["fields"]["land"]["name_vi"]) == (True, "Đất đai")


def test_recording_the_same_entry_again_records_nothing() -> None:
    catalog = ReferenceCatalog()
    catalog.record("fields", {"code": "land", "name_vi": "Đất đai"}, actor="admin", at=AT)
    events_before = len(catalog.pending_events)

    changed = catalog.record("fields", {"code": "land", "name_vi": "Đất đai"}, actor="admin", at=AT)

    assert (changed, len(catalog.pending_events)) == (False, events_before)


def test_an_unknown_section_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        ReferenceCatalog().record("planets", {"code": "mars"}, actor="admin", at=AT)

    assert list(refused.value.errors) == ["section"]


def test_an_entry_without_a_code_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        ReferenceCatalog().record("fields", {"name_vi": "Đất đai"}, actor="admin", at=AT)

    assert list(refused.value.errors) == ["code"]


def test_an_entry_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        ReferenceCatalog().record("fields", ["land"], actor="admin", at=AT)  # type: ignore[arg-type]

    assert list(refused.value.errors) == ["entry"]


# -- purity ---------------------------------------------------------------------------------------
def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module)
    return roots


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_the_domain_imports_only_the_stdlib_and_eventsourcing_domain(path: Path) -> None:
    third_party = {r for r in imported_roots(path)
                   if r.split(".")[0] not in sys.stdlib_module_names | {"domain"}}

    assert third_party <= {"eventsourcing.domain"}


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_the_domain_reads_no_clock(path: Path) -> None:
    calls = {node.func.attr for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}

    assert not calls & {"now", "utcnow", "today", "time", "monotonic"}
