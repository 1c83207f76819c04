"""Spreadsheet intake: the template, checking every row, importing the valid ones in batches."""
from __future__ import annotations

from petitions.intake.importer import IntakeCommands, IntakeReport, RowResult, fingerprint
from petitions.intake.sheets import COMPLAINTS, PETITIONS, SPECS, IntakeFileError, MAX_ROWS

__all__ = ["COMPLAINTS", "IntakeCommands", "IntakeFileError", "IntakeReport", "MAX_ROWS",
           "PETITIONS", "RowResult", "SPECS", "fingerprint"]
