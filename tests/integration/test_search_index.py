"""The full-text index behind the item search (SQLite FTS5, PostgreSQL tsvector): the same
folding as before, phrases and prefixes, newest first, and no personal data in it."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from petitions.runtime import Runtime
from projections import search_index
from projections.items import ItemFilter, list_items
from projections.search_index import Term, parse
from tests.conftest import BA_DINH_STAFF, SECRETARIAT

DENOUNCER = {"name": "Trịnh Thị Bảo Mật", "phone": "0987654321", "id_number": "001190012345",
             "address": "Số 7 ngõ Kín Đáo, phường Kim Mã"}


@pytest.fixture
def runtime(settings, clock):
    rt = Runtime(settings, clock=clock)
    rt.tracker.load_reference()
    yield rt
    rt.close()


def log(runtime: Runtime, title: str, content: str = "") -> str:
    today = runtime.tracker.today()
    return runtime.tracker.log_petition(
        SECRETARIAT, title=title, content=content or title, district="ba-dinh",
        deputy_group="to-01", session="XVI-20", field="water_drainage", meeting_date=today,
        meeting_place="Nhà văn hóa phường Kim Mã", voters="Lê Văn Cử", received_on=today).code


def found(runtime: Runtime, query: str, **kw: Any) -> list[str]:
    runtime.projector.catch_up()
    with runtime.views.connect() as conn:
        return [r["code"] for r in list_items(conn, ItemFilter(text=query, **kw)).rows]


def test_the_query_is_folded_and_split_into_words_phrases_and_prefixes():
    assert parse('Thoát NƯỚC "Đội Cấn" kim*  ') == [
        Term(("thoat",)), Term(("nuoc",)), Term(("doi", "can")), Term(("kim",), prefix=True)]
    assert parse("đê la") == [Term(("de",)), Term(("la",), prefix=True)]
    assert parse("KN-2025-00012") == [Term(("kn", "2025", "00012"), prefix=True)]
    assert parse(' " ; ') == []


def test_neighbouring_clear_words_pair_and_a_blinded_word_stands_for_itself():
    assert search_index.pairs(["thoat", "nuoc", "~3f2a", "doi", "can", "kim"]) == [
        (1, "thoat_nuoc"), (3, "~3f2a"), (4, "doi_can"), (5, "can_kim")]
    assert search_index.pairs(["mot"]) == []


def test_a_phrase_needs_its_words_together_and_in_order(runtime):
    together = log(runtime, "Cải tạo hệ thống thoát nước phố Đội Cấn")
    apart = log(runtime, "Nước sạch cho khu tập thể", content="Đường ống thoát chậm")

    assert found(runtime, '"thoát nước"') == [together]
    assert found(runtime, '"nuoc thoat"') == []
    assert found(runtime, "nuoc thoat") == [apart, together]  # words anywhere: newest first


def test_the_last_word_and_a_starred_word_find_words_beginning_so(runtime):
    drains = log(runtime, "Thoát nước ngõ 12 Kim Mã")
    lights = log(runtime, "Chiếu sáng đường Đê La Thành")

    assert found(runtime, "thoat nu") == [drains]
    assert found(runtime, "chieu* thanh") == [lights]
    assert found(runtime, "chie thanh") == []     # a word before the last is a whole word
    assert found(runtime, "ng") == [drains]       # two letters: «ngõ»
    assert found(runtime, "xyz") == []


def test_a_code_is_found_whole_or_by_its_beginning(runtime):
    code = log(runtime, "Sửa đường")
    log(runtime, "Sửa cống")

    assert found(runtime, code) == [code]
    assert found(runtime, code.lower()) == [code]


def test_among_equal_matches_the_newest_comes_first_and_pages_follow(runtime):
    codes = [log(runtime, f"Ngập úng ngõ {n}") for n in range(7)]
    log(runtime, "Cây xanh đổ")

    runtime.projector.catch_up()
    with runtime.views.connect() as conn:
        first = list_items(conn, ItemFilter(text="ngap ung"), limit=4)
        second = list_items(conn, ItemFilter(text="ngap ung"), cursor=first.next_cursor, limit=4)

    assert [r["code"] for r in first.rows + second.rows] == codes[::-1]
    assert second.next_cursor is None


def test_search_combines_with_the_other_filters(runtime):
    mine = log(runtime, "Ngập úng phố Kim Mã")
    runtime.tracker.log_petition(
        SECRETARIAT, title="Ngập úng phố Hàng Bông", content="Ngập úng", district="hoan-kiem",
        deputy_group="to-02", session="XVI-20", field="water_drainage",
        meeting_date=runtime.tracker.today(), meeting_place="Nhà văn hóa",
        voters="Lê Văn D", received_on=runtime.tracker.today())

    assert found(runtime, "ngap ung", district="ba-dinh") == [mine]


def test_a_denouncers_name_and_numbers_are_not_in_the_full_text_index(runtime):
    code = runtime.tracker.receive_complaint(
        BA_DINH_STAFF, kind="denunciation", channel="direct",
        title="Tố cáo cán bộ địa chính nhận tiền", content="Đề nghị xác minh việc nhận tiền",
        subject="Cán bộ địa chính phường", petitioner=dict(DENOUNCER), anonymous=False,
        district="ba-dinh", field="land", received_on=runtime.tracker.today()).code

    assert found(runtime, "nhan tien") == [code]   # the item itself is indexed
    assert found(runtime, '"nhan tien"') == [code]  # and its word pairs
    for secret in ("Trịnh Thị Bảo Mật", "bao mat", "Trịnh", "0987654321", "001190012345",
                   "Kín Đáo", '"bao mat"', '"trinh thi bao mat"', '"kin dao"',
                   '"ngo kin dao"'):
        assert found(runtime, secret) == [], secret
        assert indexed(runtime, secret) == 0, secret


def indexed(runtime: Runtime, query: str) -> int:
    """Count what the index itself answers for ``query``, whatever the items view says
    (on SQLite, the words table for single words, the pairs table for phrases)."""
    terms = parse(query)
    with runtime.views.connect() as conn:
        if conn.dialect.name == "sqlite":
            table = search_index.FTS_PAIRS if len(terms[0].words) > 1 else search_index.FTS
            return conn.execute(text(f"SELECT count(*) FROM {table} WHERE {table} MATCH :q"),
                                {"q": search_index.sqlite_match(terms)}).scalar()
        return conn.execute(text(f"SELECT count(*) FROM {search_index.PG_TABLE} "
                                 "WHERE document @@ CAST(:q AS tsquery)"),
                            {"q": search_index.pg_query(terms)}).scalar()


def test_views_made_before_the_index_get_it_filled_from_their_rows(runtime):
    code = log(runtime, "Thoát nước phố Đội Cấn")
    runtime.projector.catch_up()
    with runtime.views.begin() as conn:
        conn.execute(text(f"DROP TABLE {search_index.FTS if conn.dialect.name == 'sqlite' else search_index.PG_TABLE}"))

    runtime.views.create_all()

    assert found(runtime, "doi can") == [code]


def test_a_rebuild_indexes_every_item_again(runtime):
    code = log(runtime, "Thoát nước phố Đội Cấn")
    runtime.projector.catch_up()

    runtime.projector.rebuild()

    assert found(runtime, "doi can") == [code]
    assert indexed(runtime, "doi can") == 1


def test_a_long_prefix_finds_every_word_it_begins_through_the_word_list(runtime):
    lamp = log(runtime, "Lắp đèn chiếu sáng ngõ 5")
    evening = log(runtime, "Ùn tắc giờ tan tầm buổi chiều")
    war = log(runtime, "Tu bổ di tích chiến khu")
    phrase = log(runtime, "Nước thải tràn ra đường Chiến Thắng")
    words = []
    if runtime.views.dialect == "sqlite":
        with runtime.views.connect() as conn:
            runtime.projector.catch_up()
            words = [r[0] for r in conn.exec_driver_sql(
                f"SELECT term FROM {search_index.FTS_TERMS} WHERE term LIKE 'chie%'")]

    assert found(runtime, "chie") == [phrase, war, evening, lamp]   # newest first
    assert found(runtime, "chieu") == [evening, lamp]
    assert found(runtime, "chieux") == []
    assert found(runtime, '"duong chie*"') == [phrase]               # a phrase's last word
    assert found(runtime, "chi*") == [phrase, war, evening, lamp]    # short: FTS5's own
    if runtime.views.dialect == "sqlite":
        assert sorted(words) == ["chien", "chieu"]


def test_the_word_list_of_a_store_indexed_before_it_is_read_from_the_index(runtime):
    if runtime.views.dialect != "sqlite":
        pytest.skip("the word list is SQLite's (PostgreSQL's GIN index answers prefixes)")
    lamp = log(runtime, "Lắp đèn chiếu sáng ngõ 5")
    runtime.projector.catch_up()
    with runtime.views.begin() as conn:
        conn.exec_driver_sql(f"DROP TABLE {search_index.FTS_TERMS}")

    search_index.create(runtime.views.engine)  # as at the next start of an older store

    assert found(runtime, "chieu") == [lamp]
    with runtime.views.connect() as conn:
        assert conn.exec_driver_sql(
            f"SELECT count(*) FROM {search_index.FTS_TERMS} WHERE term = 'chieu'").scalar() == 1


def test_a_phrase_of_three_words_needs_all_three_side_by_side(runtime):
    together = log(runtime, "Chậm giải quyết đơn thư của dân")
    pairs_apart = log(runtime, "Giải quyết chậm, dân chờ lâu", content="Quyết đơn thư")

    assert found(runtime, '"giai quyet don"') == [together]
    assert found(runtime, '"giai quyet"') == [pairs_apart, together]
    assert found(runtime, '"quyet don thu cua"') == [together]
    assert found(runtime, '"quyet don th*"') == [pairs_apart, together]  # a prefix last
    assert found(runtime, '"quyet don thu" cua') == [together]           # phrase and word
    assert found(runtime, '"quyet don thu" lau') == [pairs_apart]
    assert found(runtime, '"quyet don thu" xyz') == []


def test_the_word_pairs_are_taken_out_with_the_text_they_were_indexed_from(runtime):
    if runtime.views.dialect != "sqlite":
        pytest.skip("PostgreSQL's document is replaced whole")
    code = log(runtime, "Thoát nước phố Đội Cấn")
    runtime.projector.catch_up()
    with runtime.views.begin() as conn:
        seq = conn.execute(text("SELECT seq FROM items_view WHERE code = :c"),
                           {"c": code}).scalar()
        search_index.add(conn, [(seq, "sua duong kim ma")],
                         replaced=[(seq, "thoat nuoc pho doi can")])

    assert indexed(runtime, '"pho doi can"') == 0
    assert indexed(runtime, '"duong kim ma"') == 1


def test_views_made_before_the_word_pairs_get_them_from_their_rows(runtime):
    code = log(runtime, "Thoát nước phố Đội Cấn")
    runtime.projector.catch_up()
    with runtime.views.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text(f"DROP TABLE {search_index.FTS_PAIRS}"))
        else:  # documents of words only, as written before the pairs
            conn.execute(text(f"COMMENT ON TABLE {search_index.PG_TABLE} IS NULL"))
            conn.execute(text(f"UPDATE {search_index.PG_TABLE} SET document = "
                              "strip(to_tsvector('simple', 'thoat nuoc pho doi can'))"))
    if runtime.views.dialect == "postgresql":
        assert found(runtime, '"doi can"') == []

    runtime.views.create_all()

    assert found(runtime, '"doi can"') == [code]
    assert found(runtime, '"nuoc pho doi"') == [code]


def test_postgresql_writes_new_words_straight_into_the_index(runtime):
    if runtime.views.dialect != "postgresql":
        pytest.skip("GIN's pending list is PostgreSQL's")
    with runtime.views.connect() as conn:
        options = conn.execute(text(
            "SELECT reloptions FROM pg_class WHERE oid = to_regclass(:i)"),
            {"i": f"ix_{search_index.PG_TABLE}_document"}).scalar()

    # A pending list of new entries would be read in full by every search.
    assert "fastupdate=off" in options
