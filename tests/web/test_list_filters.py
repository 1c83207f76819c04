"""The list page's filter form, rendered once per language: the chosen value stays chosen."""
from __future__ import annotations

from typing import Any


def test_the_chosen_filters_are_selected_and_the_others_offered(client_as: Any) -> None:
    client = client_as("deputy")

    page = client.get("/items?district=dong-da&status=logged&field=water_drainage").text
    other = client.get("/items?district=ba-dinh").text

    assert '<option value="dong-da" selected>' in page
    assert '<option value="water_drainage" selected>' in page
    assert '<option value="logged" selected>' in page
    assert '<option value="ba-dinh">' in page
    assert '<option value="ba-dinh" selected>' in other
    assert '<option value="dong-da">' in other          # the cached options stay unmarked
    assert other.count(" selected>") == 2  # ba-dinh, and the default order "newest first"


def test_the_options_follow_the_language(client_as: Any) -> None:
    client = client_as("deputy")

    vietnamese = client.get("/items?lang=vi").text
    english = client.get("/items?lang=en").text

    assert vietnamese != english
    assert '<option value="logged">' in english
