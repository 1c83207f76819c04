"""With a cipher key, the item list still finds an item by a word of its content."""
from __future__ import annotations

from eventsourcing.cipher import AESCipher

from tests.conftest import sqlite_settings
from tests.web.conftest import catch_up, log_petition, make_app, sign_in


def test_with_a_cipher_key_the_list_finds_an_item_by_a_word_of_its_content(tmp_path, clock):
    settings = sqlite_settings(tmp_path).with_(cipher_key=AESCipher.create_key(32))
    app = make_app(tmp_path, clock, SETTINGS=settings)
    runtime = app.extensions["petitions"]
    code = log_petition(runtime.tracker, title="Ngập úng đường phố",
                        content="Nước tràn vào nhà dân ở ngõ Quỳnh Lôi sau mưa")
    catch_up(app)
    client = sign_in(app.test_client(), "secretariat")

    found = client.get("/items", query_string={"q": "Quỳnh Lôi"})
    missed = client.get("/items", query_string={"q": "Quỳnh Mai"})
    # A phrase: its words blinded in the content, its word pairs in clear in the title.
    in_content = client.get("/items", query_string={"q": '"Quỳnh Lôi"'})
    in_title = client.get("/items", query_string={"q": '"ngập úng đường"'})
    runtime.close()

    assert found.status_code == 200 and code in found.get_data(as_text=True)
    assert code not in missed.get_data(as_text=True)
    assert code in in_content.get_data(as_text=True)
    assert code in in_title.get_data(as_text=True)
