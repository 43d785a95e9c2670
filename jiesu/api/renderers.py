"""DRF's browsable API without its one inline <style> (Pygments' colours for highlighted
descriptions), which the Content Security Policy would block and report on every page."""

from __future__ import annotations

from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def get_context(self, *args, **kwargs):
        context = super().get_context(*args, **kwargs)
        context["code_style"] = None
        return context
