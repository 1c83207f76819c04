"""Free text typed by users: required, bounded, valid Unicode, printable, normalised."""
from __future__ import annotations

import unicodedata

import pytest

from domain.errors import InvalidInput
from domain.text import TEXT_MAX, TITLE_MAX
from tests.unit.conftest import new_petition


def test_an_empty_title_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(title="")

    assert refused.value.errors == {"title": ["This field is required."]}


def test_a_title_of_only_spaces_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(title="   \n\t ")

    assert "title" in refused.value.errors


def test_a_missing_content_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(content=None)

    assert refused.value.errors["content"] == ["This field is required."]


def test_text_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(content=42)

    assert refused.value.errors["content"] == ["Must be text."]


def test_a_title_over_the_size_limit_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(title="đ" * (TITLE_MAX + 1))

    assert refused.value.errors["title"] == [f"Must be at most {TITLE_MAX} characters."]


def test_a_title_at_the_size_limit_is_accepted() -> None:
    petition = new_petition(title="đ" * TITLE_MAX)

    assert len(petition.title) == TITLE_MAX


def test_content_over_the_size_limit_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(content="a" * (TEXT_MAX + 1))

    assert "content" in refused.value.errors


def test_decomposed_vietnamese_is_measured_after_normalisation() -> None:
    # "ệ" typed as e + two combining marks is three code points but one letter after NFC.
    decomposed = unicodedata.normalize("NFD", "ệ") * TITLE_MAX

    petition = new_petition(title=decomposed)

    assert petition.title == "ệ" * TITLE_MAX


def test_a_lone_surrogate_is_refused_as_invalid_unicode() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(content="Đường \ud800 hỏng")

    assert refused.value.errors["content"] == ["Contains invalid characters."]


def test_a_nul_character_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(title="Sửa\x00đường")

    assert refused.value.errors["title"] == ["Contains invalid characters."]


def test_an_escape_control_character_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(content="\x1b[31mđỏ")

    assert refused.value.errors["content"] == ["Contains invalid characters."]


def test_a_private_use_character_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(content="dấu \ue000 lạ")

    assert "content" in refused.value.errors


def test_a_title_of_only_invisible_characters_is_refused_as_empty() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(title="\u200b\u00a0\u200b")

    assert refused.value.errors == {"title": ["This field is required."]}


def test_a_bidirectional_override_is_refused() -> None:
    # U+202E would make "gpj.exe" display as "exe.jpg".
    with pytest.raises(InvalidInput) as refused:
        new_petition(content="Tệp đính kèm \u202egpj.exe")

    assert refused.value.errors == {"content": ["Contains invalid characters."]}


def test_an_optional_text_of_only_invisible_characters_is_stored_empty() -> None:
    petition = new_petition(voters=" \u200b ")

    assert petition.voters == ""


def test_windows_line_breaks_from_a_browser_form_are_accepted_as_newlines() -> None:
    # Browsers submit textarea line breaks as CRLF; they are ordinary text, not control noise.
    petition = new_petition(content="Dòng một\r\nDòng hai\rDòng ba")

    assert petition.content == "Dòng một\nDòng hai\nDòng ba"


def test_text_is_trimmed_and_stored_in_nfc() -> None:
    petition = new_petition(title="  " + unicodedata.normalize("NFD", "Cầu Giấy") + "  ")

    assert petition.title == unicodedata.normalize("NFC", "Cầu Giấy")


def test_every_invalid_field_is_reported_at_once() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(title="", content="", district="atlantis")

    assert set(refused.value.errors) == {"title", "content", "district"}
