"""Paginators: the console's for lists over millions of orders (a bounded count, a late row lookup),
and the REST API's with a maximum page size."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import LimitOffsetPagination

from . import validation


class CappedPaginator(Paginator):
    """Three changes to Django's paginator, for querysets of a model over big tables:

    - The count stops at `cap`: it reads the keys of at most `cap + 1` matching rows, without the
      joins of select_related and without ordering. A common search word or the unfiltered list
      costs a bounded read instead of a scan of every match. Past the cap the page says "more
      than N" and asks for a narrower query, as search engines do.
    - Under the cap, the page is cut from those keys. Asked for the newest 30 of a few thousand
      matches, PostgreSQL liked to walk the whole date index testing every order (it assumes the
      matches are spread evenly over time; seasonal complaints are not): 1.4 s at 1M orders for
      噪音. Sorting the known keys takes milliseconds.
    - Past the cap, the page is cut from `walk` when given: the same rows through a test that is
      cheap per row, for the database to walk the newest rows until the page is full.
    - A page first takes the primary keys of its rows in order, then loads those rows with the
      joins: PostgreSQL otherwise joined every match to its places and units before sorting.
    """

    def __init__(self, object_list, per_page, *, cap: int = 3000, walk=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.walk = walk

    @cached_property
    def _first_keys(self) -> list:
        bare = self.object_list.select_related(None).order_by()
        return list(bare.values_list("pk", flat=True)[: self.cap + 1])

    @property
    def capped(self) -> bool:
        return len(self._first_keys) > self.cap

    @cached_property
    def count(self) -> int:
        return min(len(self._first_keys), self.cap)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if not self.capped:
            ordered = self.object_list.select_related(None).filter(pk__in=self._first_keys)
        else:
            ordered = (self.walk if self.walk is not None else self.object_list).select_related(None)
        keys = list(ordered.values_list("pk", flat=True)[bottom:top])
        rows = {
            row.pk: row
            for row in self.object_list.model._default_manager.filter(pk__in=keys).select_related(*self._related())
        }
        return self._get_page([rows[k] for k in keys if k in rows], number, self)

    def _related(self) -> tuple[str, ...]:
        related = self.object_list.query.select_related
        if related is True or not related:
            return ()

        def paths(tree, prefix=""):
            for name, sub in tree.items():
                yield prefix + name
                yield from paths(sub, prefix + name + "__")

        return tuple(paths(related))


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """DRF's limit/offset with a maximum page size and a 400 for a bad value.

    DRF's own ignores a limit it cannot read and takes any integer as given: `limit=100000`
    returned every order a role may see in one response, and a limit past 2**63 overflowed
    PostgreSQL's bigint (a 500). Here both parameters are integers in stated bounds, and
    anything else is refused naming the parameter, as every other edge does.
    """

    max_limit = 200
    # Far past any real list (2M orders a month), far below bigint.
    max_offset = 1_000_000_000

    def get_limit(self, request):
        return validation.query_int(
            request.query_params, self.limit_query_param, default=self.default_limit, minimum=1, maximum=self.max_limit
        )

    def get_offset(self, request):
        return validation.query_int(
            request.query_params, self.offset_query_param, default=0, minimum=0, maximum=self.max_offset
        )

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: (1, self.max_limit, self.default_limit),
            self.offset_query_param: (0, self.max_offset, 0),
        }
        for parameter in parameters:
            low, high, default = bounds[parameter["name"]]
            parameter["schema"].update({"minimum": low, "maximum": high, "default": default})
        return parameters
