"""The `jiesu` console command: Django management with the project's settings.

`jiesu demo --orders 1000` runs the management command `demo`; a hyphenated name such as
`jiesu train-classifier` runs `train_classifier`, so commands read as the docs write them.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError, ProgrammingError

    try:
        execute_from_command_line(argv)
    except (OperationalError, ProgrammingError) as exc:
        if not _unprepared(exc):
            raise
        sys.stderr.write(
            f"数据库尚未准备好（{str(exc).strip().splitlines()[0]}）：请先运行 `jiesu migrate` 和 `jiesu load-rules`"
            "（或运行 `jiesu demo`，它会一并完成并载入演示数据）。\n"
            "The database is not prepared: run `jiesu migrate` and `jiesu load-rules` first (or `jiesu demo`).\n"
        )
        sys.exit(1)


def _unprepared(exc: Exception) -> bool:
    """A missing table or column: the schema is older than the code (SQLite and PostgreSQL words)."""
    text = str(exc).lower()
    return any(s in text for s in ("no such table", "no such column", "does not exist"))


if __name__ == "__main__":
    main()
