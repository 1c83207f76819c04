"""Message catalogs compile at start; domain messages are translated."""
from __future__ import annotations

import shutil
from pathlib import Path

from flask import Flask

from web.i18n import TRANSLATIONS, compile_catalogs, translate


def test_catalogs_compile_when_the_mo_file_is_missing(tmp_path: Path) -> None:
    shutil.copytree(TRANSLATIONS, tmp_path / "t")
    for mo in (tmp_path / "t").glob("*/LC_MESSAGES/*.mo"):
        mo.unlink()

    compiled = compile_catalogs(tmp_path / "t")

    assert sorted(p.parent.parent.name for p in compiled) == ["en", "vi"]


def test_an_up_to_date_catalog_is_not_compiled_again(tmp_path: Path) -> None:
    shutil.copytree(TRANSLATIONS, tmp_path / "t")
    compile_catalogs(tmp_path / "t")

    assert compile_catalogs(tmp_path / "t") == []


def test_every_message_has_a_vietnamese_translation() -> None:
    from babel.messages.pofile import read_po

    with (TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po)

    assert [m.id for m in catalog if m.id and not m.string] == []


def test_a_message_with_its_number_filled_in_is_still_translated(app: Flask) -> None:
    with app.test_request_context():
        assert translate("Must be at most 300 characters.") == "Tối đa 300 ký tự."


def test_every_message_in_the_code_has_a_vietnamese_translation() -> None:
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    root = TRANSLATIONS.parents[1]
    with (TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po)
    keywords = {"N_": None, "gettext": None, "_": None}
    method_map = [("domain/**.py", "python"), ("petitions/**.py", "python"),
                  ("web/**.py", "python"), ("web/templates/**.html", "jinja2")]

    found = {message for _, _, message, _, _ in extract_from_dir(
        str(root), method_map, keywords=keywords) if isinstance(message, str)}

    assert sorted(m for m in found if not (catalog.get(m) and catalog.get(m).string)) == []
