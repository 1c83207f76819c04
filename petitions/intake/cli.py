"""``petitions import``: write the intake template, or check and import a spreadsheet.

    petitions import template -o mau-nhap.xlsx
    petitions import FILE.xlsx|FILE.csv [--dry-run] [--result FILE.xlsx] [--actor NAME]

Rows with errors are listed by sheet, row and column and left out; the valid rows are
imported in batches, one transaction each, with a progress bar. Running it again on the
same file imports nothing. Exit 1 when any row has an error (or the file is refused).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from domain.actor import Actor, Role
from domain.errors import DomainError
from petitions.settings import Settings


def register(sub: Any) -> None:
    """Add ``import`` to the ``petitions`` parser."""
    p = sub.add_parser("import", help="import petitions and đơn from a spreadsheet "
                                      "(or `import template -o FILE.xlsx`)")
    p.add_argument("file", help="the .xlsx or .csv file, or `template` to write the template")
    p.add_argument("-o", "--output", default="", help="where to write the template")
    p.add_argument("--dry-run", action="store_true", help="check every row; store nothing")
    p.add_argument("--result", default="", help="write the result workbook (every row, what "
                                                "became of it, its errors) to this file")
    p.add_argument("--actor", default="cli", help="user name recorded as the office's actor")
    p.add_argument("--batch", type=int, default=200, help="rows per transaction (default 200)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(command=cmd_import)


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """Write the template, or check and import a file; exit 1 when rows were refused."""
    from petitions.intake.template import write_result, write_template
    from petitions.runtime import Runtime

    runtime = Runtime(settings)
    try:
        tracker = runtime.tracker
        if args.file == "template":
            if not args.output:
                print("petitions import template: give -o FILE.xlsx", file=sys.stderr)
                return 2
            Path(args.output).write_bytes(write_template(tracker.reference(), tracker.today()))
            print(f"Template written to {args.output}.")
            return 0
        path = Path(args.file)
        try:
            content = path.read_bytes()
        except OSError as err:
            print(f"petitions import: cannot read {path}: {err.strerror}", file=sys.stderr)
            return 1
        actor = Actor(args.actor, Role.SECRETARIAT)
        bar = _progress_bar(args.quiet)
        try:
            report = tracker.import_intake(actor, content, path.name, dry_run=args.dry_run,
                                           batch=max(1, args.batch), progress=bar.update)
        except DomainError as err:
            print(f"petitions import: {path.name}: {err}", file=sys.stderr)
            return 1
        finally:
            bar.close()
        if not args.dry_run:
            runtime.wait_for(tracker.position())
        _print(report)
        if args.result:
            Path(args.result).write_bytes(write_result(report))
            print(f"Result written to {args.result}.")
        return 1 if report.invalid else 0
    finally:
        runtime.close()


def _progress_bar(quiet: bool) -> Any:
    from tqdm import tqdm

    return tqdm(unit=" rows", desc="importing", disable=quiet or not sys.stderr.isatty(),
                file=sys.stderr)


def _print(report: Any) -> None:
    from petitions.intake.sheets import SPECS

    headers = {c.field: c.header for spec in SPECS for c in spec.columns}
    for row in report.invalid:
        for field, messages in row.errors.items():
            for message in messages:
                print(f"{row.sheet}, row {row.row}, {headers.get(field, field)}: {message}")
    counts = report.summary()
    verb = "would be imported" if report.dry_run else "imported"
    valid = counts["valid"] if report.dry_run else counts["imported"]
    print(f"{counts['rows']} rows: {valid} {verb}, {counts['already']} imported before, "
          f"{counts['repeated']} repeated in the file, {counts['invalid']} with errors, "
          f"{counts['blank']} blank rows skipped.")
