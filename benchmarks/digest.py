"""Benchmark 5 — digest: a 1,000-item PDF digest end to end vs WeasyPrint alone.

End to end is what ``petitions digest`` does (``petitions.digest.make_digest``): the
projection queries, the digest data, the Jinja2 HTML and the PDF (with the attachment
clean-up). The baseline hands the finished HTML of the same digest to WeasyPrint
(``HTML(string=…).write_pdf()`` with the same static-only URL fetcher) and nothing else.
The digest is the city-wide one of the latest session with enough items, its two item
lists cut at 500 lines each (``build_digest(list_limit=500)``): 1,000 listed items.
Samples alternate. Target: ≤ 1.3×.

    python3 -m benchmarks.digest --items 10000 [--store sqlite|postgres] [--as-of YYYY-MM-DD]

With ``--as-of``, the same digest with every figure and list as of the end of that day
(``projections.as_of``: the queries run over the item versions valid that day).
"""
from __future__ import annotations

import sys
import time
from typing import Any

from benchmarks import common

TARGET = 1.3
WANTED_LINES = 1000


def lines(digest: Any) -> int:
    """Count the item lines printed in a digest."""
    return sum(len(getattr(digest, name).lines) for name in ("escalated", "resolved")
               if hasattr(getattr(digest, name, None), "lines"))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures and verdict."""
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--as-of", default="", help="the digest as of this day (YYYY-MM-DD)")
    args = p.parse_args(argv)
    repeat = args.repeat or 2
    report = common.Report("digest", args.store, args.items)
    common.header("digest: end to end vs WeasyPrint alone", args.store, args.items)
    try:
        from petitions.digest import DigestRequest
        from petitions.digest.data import build_digest
        from petitions.digest.render import (
            ASSET_ORIGIN, StaticOnlyFetcher, render_html, render_pdf,
        )
    except ImportError as exc:  # engineer E's package not merged yet
        report.pending = f"petitions.digest is not available ({exc})"
        return report.finish()
    from weasyprint import HTML

    from petitions.demo.bulk import END
    from petitions.runtime import Runtime

    from datetime import date

    as_of = date.fromisoformat(args.as_of) if args.as_of else None
    settings = common.ensure_dataset(args.store, args.items, quiet=args.quiet)
    runtime = Runtime(settings, clock=lambda: END)
    reference = runtime.tracker.reference()
    # The city-wide digest of the latest session with item lists of the data set, each
    # list cut at 500 lines (``list_limit``), so the PDF lists 1,000 items at any size.
    zone = runtime.tracker.zone
    request = None
    for session in sorted(reference["council_sessions"], reverse=True):
        candidate = DigestRequest(session, as_of=as_of)
        if lines(build_digest(runtime.views, reference, candidate, now=END, zone=zone,
                              list_limit=WANTED_LINES // 2)) >= WANTED_LINES:
            request = candidate
            break
    if request is None:
        report.pending = "no session of this data set has 1,000 items to list"
        runtime.close()
        return report.finish()

    def end_to_end_pdf() -> tuple[Any, bytes]:
        # What make_digest does, with the list limit: queries, data, HTML, PDF.
        digest = build_digest(runtime.views, reference, request, now=END, zone=zone,
                              list_limit=WANTED_LINES // 2)
        return digest, render_pdf(digest)

    # Warm up fonts and templates with a one-page document, then time the real thing.
    HTML(string="<p>Khởi động</p>", url_fetcher=StaticOnlyFetcher()).write_pdf()
    digest = build_digest(runtime.views, reference, request, now=END, zone=zone,
                          list_limit=WANTED_LINES // 2)
    count = lines(digest)
    html = render_html(digest)
    end_to_end: list[float] = []
    bare: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        digest, pdf = end_to_end_pdf()
        end_to_end.append(time.perf_counter() - started)
        started = time.perf_counter()
        HTML(string=html, base_url=ASSET_ORIGIN, url_fetcher=StaticOnlyFetcher()).write_pdf()
        bare.append(time.perf_counter() - started)
    runtime.close()

    report.figure("scope", f"{request.session} {request.district or 'city-wide'}"
                  + (f", as of {as_of:%d/%m/%Y}" if as_of else ""))
    report.figure("item lines", count)
    report.figure("PDF bytes", len(pdf))
    report.figure("end to end s (median)", common.median(end_to_end))
    report.figure("WeasyPrint alone s (median)", common.median(bare))
    report.check("digest", common.median(end_to_end) / common.median(bare), "≤", TARGET)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
