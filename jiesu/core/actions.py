"""One shape for "POST an action": a registry of named actions, each with the form that checks
its input, the service that does it, the message after success and when it is offered.

Dispatch's review page, the handling page (and its REST API) and the return-visit screen each
keep a registry of `Action`s and go through `run`, so a form error and a service's
ValidationError reach the person the same way everywhere, and `offered` is the one place a page
learns which actions to show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError


def always(target, user, ctx) -> bool:
    return True


def never(target, user, ctx) -> bool:
    """Actions tied to one row (an extension to decide, a report-in): offered beside the row."""
    return False


@dataclass(frozen=True)
class Action:
    form: type  # the form that validates the POST; its cleaned_data goes to `run`
    run: Callable[[Any, Any, dict], object]  # (target, actor, the form's answers or cleaned_data) -> result
    done: str = ""  # the message shown after success
    when: Callable[[Any, Any, dict], bool] = always  # (target, user, page context) -> offered now?
    # The form as a page builds it (extra arguments, initial values); default: form(data, files).
    make_form: Callable[..., Any] | None = None
    then: str = ""  # where the page goes after success, in the page's own terms

    def bind(self, data=None, files=None, **page):
        if self.make_form is not None:
            return self.make_form(data, files, **page)
        return self.form(data, files) if data is not None else self.form()


class ActionFailed(Exception):
    """The form, with the errors to show beside its fields."""

    def __init__(self, form, error: ValidationError | None = None):
        super().__init__("invalid")
        self.form = form
        self.error = error  # the service's objection, when it was the service that refused


def add_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: by field where the form has it, else above."""
    errors_by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
    for field, errors in ((f, ValidationError(e).messages) for f, e in errors_by_field.items()):
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def run(registry: Mapping[str, Action], name: str, target, actor, data, files=None, *, form=None, **page) -> object:
    """Validate `data` (and `files`) with the action's form and call its service; ActionFailed
    carries the form with errors. `form`: the page has already bound it (a page that shows all
    its forms at once); `page`: what the page's forms need to be built."""
    action = registry[name]
    form = form if form is not None else action.bind(data, files, **page)
    if not form.is_valid():
        raise ActionFailed(form)
    # A form whose fields are not the service's arguments says what its answers are.
    data = form.answers() if hasattr(form, "answers") else form.cleaned_data
    try:
        return action.run(target, actor, data)
    except ValidationError as exc:
        add_errors(form, exc)
        raise ActionFailed(form, exc) from None


def available(registry: Mapping[str, Action], target, user, ctx: dict) -> list[str]:
    """The names of the actions offered now, in the registry's order (the page's order)."""
    return [name for name, action in registry.items() if action.when(target, user, ctx)]


def offered(registry: Mapping[str, Action], target, user, ctx: dict, **page) -> dict[str, object]:
    """The actions offered now, each with an empty form, in the page's order."""
    return {name: registry[name].bind(**page) for name in available(registry, target, user, ctx)}
