#!/usr/bin/env python
"""Django's manage.py; `jiesu` (see jiesu/cli.py) is the same with hyphenated names."""

from jiesu.cli import main

if __name__ == "__main__":
    main()
