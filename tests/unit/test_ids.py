"""Derived ids are the standard name-based ids (an item found by its code stays found)."""
from __future__ import annotations

from uuid import NAMESPACE_URL, uuid5

import pytest

from domain.codes import item_id_for_code
from domain.ids import derived_id
from domain.intake import ImportedRow


@pytest.mark.parametrize("name", ["petitions:item:KN-2026-00001", "", "Phường Ba Đình 🏠"],
                         ids=["code", "empty", "not ascii"])
def test_a_derived_id_is_uuid5_of_the_name_under_the_url_namespace(name):
    assert derived_id(name) == uuid5(NAMESPACE_URL, name)


def test_items_and_row_markers_keep_the_ids_they_had():
    assert item_id_for_code("KN-2026-00001") == uuid5(NAMESPACE_URL,
                                                      "petitions:item:KN-2026-00001")
    assert ImportedRow.create_id("abc") == uuid5(NAMESPACE_URL, "petitions:imported-row:abc")
