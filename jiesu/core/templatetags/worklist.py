from django import template
from django.utils.html import format_html

from jiesu.core import worklists

register = template.Library()

TAGS = {"overdue": "tag danger", "due_soon": "tag warn"}


@register.filter
def time_left(due):
    """The time left to a limit as a Chinese tag: 超期1天2小时 in red, 剩余5小时 in amber."""
    state, text = worklists.time_left(due)
    css = TAGS.get(state)
    return format_html('<span class="{}" data-left="{}">{}</span>', css, state, text) if css else text


@register.filter
def matter_name(code):
    return worklists.matter_label(code)


@register.filter
def result_label(code):
    """A unit's reply result (resolved, partly, unresolved) in Chinese."""
    from jiesu.handling.models import RESULTS

    return dict(RESULTS).get(code, "—") if code else "—"


@register.filter
def hide_requirement_ids(text):
    """Engine reasons cite the regulation's requirement ids for auditors (R11.3 ...): people
    read the reason without them."""
    return worklists.without_requirement_ids(text)


@register.simple_tag(takes_context=True)
def page_href(context, number, param="page"):
    """A pager link: `?param=number`, then the filters the list keeps. `keep` (a query string the
    view gives) when there is one; else this request's own query less the page, so a list whose
    view names no filters still pages through what was searched."""
    keep = context.get("keep")
    request = context.get("request")
    if keep is None and request is not None:
        query = request.GET.copy()
        query.pop(param, None)
        keep = query.urlencode()
    return f"?{param}={number}" + (f"&{keep}" if keep else "")
