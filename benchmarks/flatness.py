"""Benchmark 3 — flatness: screens and the escalation scan cost the same at any store size.

Measures, on a large data set and on a small baseline data set in the same process
(samples interleaved, so both see the same machine load), the median and p95 latency of:
the item list filtered by district (first page, and a page half-way down the district's
list reached by its cursor), an item page (``Tracker.get_item`` + ``history``), the
district board (every district, all sessions), and one page of the escalation scan
(``projections.items.due_for_escalation`` as the scheduler uses it today, and
``due_page``, its keyset replacement), pages of 20, and four searches (``SEARCHES``: a rare
phrase, a common word, two words, a prefix), each a page of the same size at both sizes:
as many rows as the small set has (at most 50). Target: large ≤ 1.5× small for each median.

    python3 -m benchmarks.flatness --items 1000000 [--store sqlite|postgres] [--base 10000]

The baseline size defaults to 10,000 (or a quarter of ``--items`` when that is 10,000 or
less, so the 10k run is a quick check before the 1M one).
"""
from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from benchmarks import common
from domain.actor import Actor, Role

TARGET = 1.5
READER = Actor("thu.ky.bench", Role.SECRETARIAT)
DISTRICT = "dong-da"
# Pages of the same size at both sizes: the 10k set has about 20 items due on the day.
SCAN_PAGE = 20
# Searches (first page, newest first) through the full-text index: a phrase in about
# 1 item in 2,000, a word in half of them, two words together in 3 %, a word's beginning.
# The page is as long at both sizes: the rare phrase has 5 items at 10k, so its page at 1M
# holds 5 too. Comparing 5 rows with 50 measured the page, not the store (6 December 2026,
# same data: 3.6× before the word pairs and 3.5× after; 1.22× and 1.08× on equal pages).
SEARCH_PAGE = 50
SEARCHES = (("rare", '"lam cham"'), ("common", "duong"), ("two words", "thoat nuoc"),
            ("prefix", "chie"))


class Subject:
    """One data set opened for reading: its tracker, views and sample keys."""

    def __init__(self, store: str, items: int, quiet: bool) -> None:
        from petitions.application import Tracker
        from petitions.demo.bulk import END
        from projections.items import encode_cursor, items_view
        from projections.store import Views

        settings = common.ensure_dataset(store, items, quiet=quiet)
        self.items = items
        self.tracker = Tracker(settings)
        self.views = Views.from_settings(settings)
        self.views.create_all()  # indexes declared after the data set was made
        self.today = END.astimezone(self.tracker.zone).date() + timedelta(days=1)
        c = items_view.c
        with self.views.connect() as conn:
            count = conn.execute(select(func.count()).where(c.district == DISTRICT)).scalar()
            middle = conn.execute(
                select(c.seq).where(c.district == DISTRICT).order_by(c.seq.desc())
                .offset(max(0, min(count // 2, count - 52))).limit(1)).scalar()
            codes = list(conn.execute(select(c.code).order_by(c.seq).limit(1)
                                      .offset(items // 2)).scalars())
            ids = conn.execute(select(c.code).where(c.seq >= 0).order_by(func.random())
                               .limit(200)).scalars().all() if items <= 20_000 else []
        rng = random.Random(items)
        if not ids:  # random() over 1M rows is slow; sample seq values instead
            with self.views.connect() as conn:
                top = conn.execute(select(func.max(c.seq))).scalar() or 0
                for _ in range(200):
                    found = conn.execute(select(c.code).where(c.seq >= rng.randint(0, top))
                                         .order_by(c.seq).limit(1)).scalar()
                    if found:
                        ids.append(found)
        self.codes = list(ids) or codes
        self.deep_cursor = encode_cursor([middle]) if middle is not None else None
        self.district_count = count
        self.rng = rng

    def search_pages(self) -> dict[str, int]:
        """Return each search's page size: the rows this data set finds (at most a page)."""
        from projections.items import ItemFilter, list_items

        with self.views.connect() as conn:
            return {words: max(1, len(list_items(conn, ItemFilter(text=words),
                                                 limit=SEARCH_PAGE).rows))
                    for _, words in SEARCHES}

    def operations(self, pages: dict[str, int]) -> dict[str, Callable[[], Any]]:
        """Return the measured operations by name (searches in pages of ``pages``)."""
        from projections.district_board import district_board
        from projections.items import ItemFilter, due_for_escalation, due_page, list_items

        district = ItemFilter(district=DISTRICT)

        def first_page() -> Any:
            with self.views.connect() as conn:
                return list_items(conn, district)

        def deep_page() -> Any:
            with self.views.connect() as conn:
                return list_items(conn, district, self.deep_cursor)

        def item_page() -> Any:
            code = self.rng.choice(self.codes)
            return self.tracker.get_item(READER, code), self.tracker.history(READER, code)

        def board() -> Any:
            with self.views.connect() as conn:
                return district_board(conn, today=self.today)

        def scan() -> Any:
            with self.views.connect() as conn:
                return due_for_escalation(conn, self.today, SCAN_PAGE)

        def scan_keyset() -> Any:
            with self.views.connect() as conn:
                return due_page(conn, self.today, SCAN_PAGE)

        def search(words: str) -> Callable[[], Any]:
            wanted = ItemFilter(text=words)

            def run() -> Any:
                with self.views.connect() as conn:
                    return list_items(conn, wanted, limit=pages[words])
            return run

        return {"list, district, first page": first_page,
                "list, district, page half-way": deep_page, "item page + history": item_page,
                "district board": board, "escalation scan page (due_for_escalation)": scan,
                "escalation scan page (due_page, keyset)": scan_keyset,
                **{f"search, {name} ({words})": search(words) for name, words in SEARCHES}}

    def close(self) -> None:
        """Release connections."""
        self.views.dispose()
        self.tracker.close()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures and verdict."""
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--base", type=int, default=0)
    args = p.parse_args(argv)
    base = args.base or (10_000 if args.items > 10_000 else max(args.items // 4, 100))
    repeat = args.repeat or 100
    common.header(f"flatness: {args.items:,} vs {base:,} items", args.store, args.items)
    small = Subject(args.store, base, args.quiet)
    large = Subject(args.store, args.items, args.quiet)
    samples: dict[tuple[str, int], list[float]] = {}
    pages = small.search_pages()
    small_ops, large_ops = small.operations(pages), large.operations(pages)
    for name in small_ops:
        for ops in (small_ops, large_ops):  # warm up
            for _ in range(5):
                ops[name]()
        for _ in range(repeat):
            for subject, ops in ((small, small_ops), (large, large_ops)):
                started = time.perf_counter()
                ops[name]()
                samples.setdefault((name, subject.items), []).append(
                    time.perf_counter() - started)
    report = common.Report("flatness", args.store, args.items)
    report.figure("baseline data set (items)", base)
    report.figure("search pages (rows)", ", ".join(f"{w} {n}" for w, n in pages.items()))
    report.figure(f"items in {DISTRICT} (small / large)",
                  f"{small.district_count:,} / {large.district_count:,}")
    for name in small_ops:
        s, l_ = samples[(name, base)], samples[(name, args.items)]
        report.figure(f"{name}: median ms small / large",
                      f"{common.median(s) * 1000:.2f} / {common.median(l_) * 1000:.2f}")
        report.figure(f"{name}: p95 ms small / large",
                      f"{common.p95(s) * 1000:.2f} / {common.p95(l_) * 1000:.2f}")
        report.check(name, common.median(l_) / common.median(s), "≤", TARGET)
    small.close()
    large.close()
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
