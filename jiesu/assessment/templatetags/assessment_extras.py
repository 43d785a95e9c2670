from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    """A stored rate (0..1, four decimals) as a percentage with two decimals; — when absent."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.2f}%"
