"""``petitions stock``: print a stock report (báo cáo tồn đọng) for a period."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from petitions.settings import Settings


def register(sub: Any) -> None:
    """Add the ``stock`` subcommand to the ``petitions`` parser."""
    p = sub.add_parser("stock", help="print the outstanding items at the end of a period")
    period = p.add_mutually_exclusive_group(required=True)
    period.add_argument("--session", help="the report to a council session, e.g. XVI-20")
    period.add_argument("--half", metavar="YYYY-1|YYYY-2", help="a half year, e.g. 2025-2")
    period.add_argument("--year", type=int, help="a calendar year, e.g. 2025")
    period.add_argument("--from", dest="start", type=_day, metavar="YYYY-MM-DD",
                        help="a range's first day (with --to)")
    p.add_argument("--to", dest="end", type=_day, metavar="YYYY-MM-DD", help="a range's last day")
    p.add_argument("--compare", default="previous",
                   help="previous (default), last-year, or a day YYYY-MM-DD")
    p.add_argument("--district", default="", help="one unit, e.g. phuong-ba-dinh's code")
    p.add_argument("--list", type=int, default=20, metavar="N",
                   help="print at most N carried-over items (default 20)")
    p.add_argument("--no-catch-up", action="store_true",
                   help="read the views as they are, without applying new events first")
    p.set_defaults(command=cmd_stock)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {value!r}") from None


def request_from(args: argparse.Namespace) -> Any:
    """Turn the command line into a ``StockRequest`` (``StockUnavailable`` when malformed)."""
    from petitions.stock import StockRequest, StockUnavailable

    common = {"compare": args.compare, "district": args.district}
    if args.session:
        return StockRequest(period="session", session=args.session, **common)
    if args.half:
        year, _, half = args.half.partition("-")
        if not (year.isdigit() and half in ("1", "2")):
            raise StockUnavailable("write the half year as YYYY-1 or YYYY-2")
        return StockRequest(period="half", year=int(year), half=int(half), **common)
    if args.year:
        return StockRequest(period="year", year=args.year, **common)
    return StockRequest(period="range", start=args.start, end=args.end, **common)


def _vi(value: float, spec: str = ",") -> str:
    """Format a number the Vietnamese way (12.345; 43,9)."""
    return format(value, spec).replace(",", "\0").replace(".", ",").replace("\0", ".")


def cmd_stock(args: argparse.Namespace, settings: Settings) -> int:
    """Bring the views up to date and print the stock report."""
    from petitions.runtime import Runtime
    from petitions.stock import TITLES, StockUnavailable, build_stock

    runtime = Runtime(settings)
    try:
        if not args.no_catch_up:
            runtime.projector.catch_up()
        try:
            report = build_stock(runtime.views, runtime.tracker.reference(), request_from(args),
                                 today=runtime.tracker.today(), list_limit=args.list)
        except StockUnavailable as exc:
            print(f"Cannot report this stock: {exc}.", file=sys.stderr)
            return 2
    finally:
        runtime.close()
    print(report.title)
    print(f"{report.period_label}. Số liệu tính đến ngày {report.as_of:%d/%m/%Y}, "
          f"so với ngày {report.previous_as_of:%d/%m/%Y}.")
    pct = f" ({_vi(report.change_pct, '+.1f')}%)" if report.change_pct is not None else ""
    print(f"Tồn đọng: {_vi(report.total)} (trước: {_vi(report.previous_total)}; "
          f"thay đổi {_vi(report.change, '+,')}{pct}).")
    for dimension, rows in report.tables.items():
        print(f"\n{TITLES[dimension]}")
        for row in rows:
            share = f"{_vi(row.share, '.1f')}%" if row.share is not None else "—"
            extra = ""
            if row.average_held_days is not None:
                extra = f"  giữ TB {_vi(row.average_held_days, '.1f')} ngày làm việc/lượt"
            if row.returns:
                extra += f"  trả lại {row.returns} lần"
            print(f"  {row.label[:48]:<48} {row.count:>6} {share:>7} {row.previous:>6} "
                  f"{row.change:>+6}{extra}")
    print(f"\nTồn đọng từ kỳ trước (tồn đọng cả ngày {report.previous_as_of:%d/%m/%Y}): "
          f"{report.carried_over_total:,}")
    for item in report.carried_over:
        print(f"  {item['code']}  {item['received_on']:%d/%m/%Y}  {item['session'] or '—':<8} "
              f"{item['title'][:60]}")
    return 0
