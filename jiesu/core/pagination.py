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
      cheap per row, within the newest rows of the table (by the walk's first ordering field):
      the first of `windows` that holds the page. Left to walk the whole table, PostgreSQL took
      the word for rare (a LIKE's estimate is a guess), read every order and sorted the matches:
      0.7 s at 810,000 orders for a unit's 停车. It reads all of a window too, so a window is
      small first and larger only if needed. The answer is the same: every match newer than a
      window's edge is in it. A page no window holds (a seasonal word, a deep page) comes from
      the indexed rows, sorted.
    - A page first takes the primary keys of its rows in order, then loads those rows with the
      joins: PostgreSQL otherwise joined every match to its places and units before sorting.
    """

    def __init__(
        self, object_list, per_page, *, cap: int = 3000, walk=None, windows: tuple[int, ...] = (5_000, 50_000), **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.walk = walk
        self.windows = windows

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
            keys = list(ordered.values_list("pk", flat=True)[bottom:top])
        elif self.walk is not None:
            keys = self._walked_keys(bottom, top)
        else:
            keys = list(self.object_list.select_related(None).values_list("pk", flat=True)[bottom:top])
        rows = {
            row.pk: row
            for row in self.object_list.model._default_manager.filter(pk__in=keys).select_related(*self._related())
        }
        return self._get_page([rows[k] for k in keys if k in rows], number, self)

    def _walked_keys(self, bottom: int, top: int) -> list:
        walk = self.walk.select_related(None)
        ordering = walk.query.order_by or walk.model._meta.ordering
        first = ordering[0] if ordering else ""
        if not (isinstance(first, str) and first.startswith("-")):
            return list(walk.values_list("pk", flat=True)[bottom:top])
        field = first[1:]
        newest = walk.model._default_manager.order_by(first).values_list(field, flat=True)
        for window in self.windows:
            edge = newest[window - 1 : window].first()
            if edge is None:  # the whole table is smaller than the window: walk it all
                return list(walk.values_list("pk", flat=True)[bottom:top])
            keys = list(walk.filter(**{f"{field}__gte": edge}).values_list("pk", flat=True)[bottom:top])
            if len(keys) == top - bottom:
                return keys
        return list(self.object_list.select_related(None).values_list("pk", flat=True)[bottom:top])

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
