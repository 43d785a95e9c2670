"""Jiesu (接诉): the work-order platform of a 12345 citizen service hotline."""

__version__ = "0.1.0"
