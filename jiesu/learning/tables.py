"""Reading labelled histories (CSV / XLSX), streamed row by row."""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from .featurizing import Doc


class ColumnError(ValueError):
    """A requested column is not in the file."""


def iter_table(path: str | os.PathLike) -> Iterator[dict]:
    """Rows of a CSV (UTF-8, with or without BOM; GB18030 as fallback) or XLSX file as dicts,
    streamed: an XLSX is opened read-only so a million-row sheet is never held in memory."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"input file not found: {path}")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            rows = wb.active.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                return
            names = [str(h).strip() if h is not None else "" for h in header]
            for r in rows:
                yield {n: ("" if v is None else str(v)) for n, v in zip(names, r)}
        finally:
            wb.close()
        return
    csv.field_size_limit(sys.maxsize)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            with open(path, newline="", encoding=encoding) as fh:
                fh.read(65536)  # sniff the encoding on the head before committing to it
        except UnicodeDecodeError:
            continue
        with open(path, newline="", encoding=encoding, errors="replace") as fh:
            yield from csv.DictReader(fh)
        return
    raise ValueError(f"{path}: neither UTF-8 nor GB18030 text")


def table_columns(path: str | os.PathLike) -> list[str]:
    for row in iter_table(path):
        return list(row.keys())
    return []


def check_columns(path: str | os.PathLike, *columns: str) -> None:
    have = table_columns(path)
    for c in columns:
        if c not in have:
            raise ColumnError(f"{path}: no column {c!r} (columns: {', '.join(have) or 'none'})")


def iter_labelled(
    path: str | os.PathLike,
    text_column: str,
    label_column: str,
    tokens_column: str | None = None,
    train_only: bool = False,
) -> Iterator[tuple[Doc, str]]:
    """(Doc, label) pairs from a table. With ``tokens_column`` the rows are pre-tokenised
    (space-separated words, e.g. a jieba export with stop words removed)."""
    check_columns(path, tokens_column or text_column, label_column)
    for row in iter_table(path):
        label = (row.get(label_column) or "").strip()
        if not label:
            continue  # an unlabelled history row teaches nothing
        if tokens_column:
            toks = (row.get(tokens_column) or "").split()
            if toks:
                yield Doc("", toks, train_only), label
        else:
            text = row.get(text_column) or ""
            if text.strip():
                yield Doc(text, None, train_only), label


def looks_pretokenised(path: str | os.PathLike) -> str | None:
    """The tokens column of a pre-tokenised export (a column named 'tokens'), if any."""
    cols = table_columns(path)
    return "tokens" if "tokens" in cols else None
