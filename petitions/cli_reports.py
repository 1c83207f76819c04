"""``petitions reports`` (the register of issued reports) and ``petitions worker`` (the queue)."""
from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path
from typing import Any

from petitions.settings import Settings


def register(sub: Any) -> None:
    """Add the ``reports`` and ``worker`` subcommands."""
    p = sub.add_parser("reports", help="list issued reports, or write one's file as issued")
    p.add_argument("action", choices=("list", "get"))
    p.add_argument("--issuer", default="van-phong", help="van-phong or thuong-truc")
    p.add_argument("--year", type=int, default=0, help="year of the report (get)")
    p.add_argument("--number", type=int, default=0, help="number of the report (get)")
    p.add_argument("--format", choices=("pdf", "docx", "xlsx"), default="pdf", dest="fmt")
    p.add_argument("-o", "--output", default="", help="file to write (get)")
    p.set_defaults(command=cmd_reports)
    w = sub.add_parser("worker", help="render queued reports (web downloads) in this process")
    w.add_argument("--once", action="store_true", help="run what is queued now, then stop")
    w.add_argument("--interval", type=float, default=1.0, help="seconds between looks")
    w.set_defaults(command=cmd_worker)


def cmd_reports(args: argparse.Namespace, settings: Settings) -> int:
    """List the register, or write one issued file byte for byte."""
    from petitions.digest import filename
    from petitions.reports import ReportNotFound, issued_file, issued_report, issued_reports
    from petitions.runtime import Runtime

    runtime = Runtime(settings)
    try:
        if args.action == "list":
            reports = issued_reports(runtime.tracker)
            print(f"{'Số, ký hiệu':<14} {'Ngày':<10} {'Tính đến':<10} {'Kỳ họp':<8} "
                  f"{'Phạm vi':<14} Người ban hành")
            for r in reports:
                scope = r.scope.get("district") or r.scope.get("deputy_group") or "thanh-pho"
                print(f"{r.sign:<14} {r.issued_on:%d/%m/%Y} {r.as_of:%d/%m/%Y} "
                      f"{r.scope.get('session', ''):<8} {scope:<14} {r.actor}")
            print(f"{len(reports)} issued report(s).")
            return 0
        try:
            report = issued_report(runtime.tracker, args.issuer, args.year, args.number)
            body = issued_file(runtime, report, args.fmt)
        except ReportNotFound as exc:
            print(f"petitions reports: {exc}.", file=sys.stderr)
            return 2
        output = Path(args.output or filename(report.request, args.fmt, sign=report.sign))
        output.write_bytes(body)
        print(f"Wrote {output} ({report.sign}, as issued on {report.issued_on:%d/%m/%Y}).")
        return 0
    finally:
        runtime.close()


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    """Claim and render queued jobs until stopped (Ctrl-C), or once with ``--once``."""
    from petitions.render_jobs import run_pending, worker_name
    from petitions.runtime import Runtime

    runtime = Runtime(settings)
    stop = threading.Event()
    name = worker_name()
    try:
        if args.once:
            print(f"Rendered {run_pending(runtime, worker=name)} job(s).")
            return 0
        print(f"Worker {name}: rendering queued reports (Ctrl-C stops).", file=sys.stderr)
        while not stop.is_set():
            if run_pending(runtime, worker=name) == 0:
                stop.wait(args.interval)
    except KeyboardInterrupt:
        pass
    finally:
        runtime.close()
    return 0
