"""Attached files are checked from their content: type, size, scripts in PDFs, zip bombs."""
from __future__ import annotations

import pytest

from domain.errors import InvalidInput
from petitions.files import DOCX, JPEG, PDF, PNG, XLSX, check_file, preview_png, safe_name
from tests import sample_files as files


def refusal(data: bytes, name: str, max_mb: int = 20) -> str:
    with pytest.raises(InvalidInput) as caught:
        check_file(data, name, max_mb=max_mb)
    return str(caught.value.errors["file"][0])


def test_a_renamed_executable_is_refused_whatever_its_name():
    assert "content is none of these" in refusal(files.renamed_executable(), "scan.pdf")
    assert "content is none of these" in refusal(files.windows_executable(), "letter.docx")


def test_a_200_mb_scan_is_refused_with_the_limit_named():
    assert "larger than 20 MB" in refusal(files.big_scan(200), "scan.pdf")


def test_a_pdf_with_javascript_is_refused():
    assert "JavaScript" in refusal(files.pdf_with_javascript(), "letter.pdf")


def test_javascript_hidden_in_a_compressed_stream_with_escaped_names_is_refused():
    assert "JavaScript" in refusal(files.pdf_with_hidden_javascript(), "letter.pdf")


def test_a_zip_bomb_disguised_as_xlsx_is_refused():
    assert "zip bomb" in refusal(files.zip_bomb_xlsx(), "danh-sach.xlsx")


def test_an_empty_file_is_refused():
    assert "empty" in refusal(b"", "a.pdf")


def test_a_plain_zip_is_not_taken_for_a_document():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "content is none of these" in refusal(out.getvalue(), "book.xlsx")


@pytest.mark.parametrize("make, media_type", [
    (files.letter_pdf, PDF), (files.png_image, PNG), (files.jpeg_image, JPEG),
    (files.xlsx_file, XLSX), (files.docx_like, DOCX),
])
def test_each_accepted_type_is_recognised_from_its_content(make, media_type):
    checked = check_file(make(), "tep-dinh-kem.bin", max_mb=20)

    assert checked.media_type == media_type
    assert len(checked.sha256) == 64
    assert checked.filename.startswith("tep-dinh-kem.")


def test_the_shown_name_loses_its_path_and_gets_the_suffix_of_its_content():
    assert safe_name("../../etc/Công văn 45.exe", PDF) == "Công văn 45.pdf"
    assert safe_name("", PNG) == "tep.png"


def test_a_pdf_preview_is_a_png_of_its_first_page():
    png = preview_png(files.letter_pdf(), PDF)

    assert png is not None and png.startswith(b"\x89PNG")


def test_an_image_preview_is_downscaled():
    from io import BytesIO

    from PIL import Image

    png = preview_png(files.png_image(2000, 1000), PNG)

    assert Image.open(BytesIO(png)).size == (900, 450)
