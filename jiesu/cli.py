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

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
