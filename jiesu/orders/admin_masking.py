"""The Django admin reads orders the way the console does (issue 12; R8.3): free text and
identities masked, and a "show" page that displays them unmasked to those who may see
identities, each opening recorded as a PersonalDataAccess (purpose admin_show).

Applied to every admin page of a model that is, or belongs to, an order (directly or through one
of its records), whoever wrote that admin: `mask_order_admins` runs after autodiscovery and
re-registers those admins with `MaskedTextMixin` in front, so a new admin cannot forget it.
"""

from __future__ import annotations

import json

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from jiesu.core import redact

from .erasure import FREE_TEXT_FIELDS

MASKED_PREFIX = "masked_"
ORDER_TEXT = ("content", "location_text")


def _order_path(model) -> str | None:
    """How `model` reaches its order: "" for the order itself, a field name, or "parent__order"."""
    from .models import WorkOrder

    if model is WorkOrder:
        return ""
    for f in model._meta.concrete_fields:
        if isinstance(f, models.ForeignKey) and f.related_model is WorkOrder:
            return f.name
    for f in model._meta.concrete_fields:
        if isinstance(f, models.ForeignKey):
            for g in f.related_model._meta.concrete_fields:
                if isinstance(g, models.ForeignKey) and g.related_model is WorkOrder:
                    return f"{f.name}__{g.name}"
    return None


def _masked_fields(model) -> list[models.Field]:
    from .models import OrderEvent, WorkOrder

    names = set(FREE_TEXT_FIELDS)
    if model is WorkOrder:
        names |= set(ORDER_TEXT)
    if model is OrderEvent:
        names |= {"data"}
    return [
        f
        for f in model._meta.concrete_fields
        if f.name in names and not f.choices and isinstance(f, (models.TextField, models.CharField, models.JSONField))
    ]


def order_of(obj, order_path: str):
    for part in filter(None, order_path.split("__")):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _value(obj, field: models.Field, *, unmasked: bool):
    from .models import WorkOrder

    value = getattr(obj, field.attname)
    if unmasked and isinstance(obj, WorkOrder) and field.name == "content":
        return obj.request_text
    return value


def _as_text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)


class MaskedTextMixin:
    """Free-text fields shown through the order's redactor, never as form inputs."""

    masked_fields: list = []
    order_path: str = ""

    def _swap(self, names):
        masked = {f.name for f in self.masked_fields}
        return [MASKED_PREFIX + n if isinstance(n, str) and n in masked else n for n in names]

    def get_fields(self, request, obj=None):
        return self._swap(super().get_fields(request, obj))

    def get_fieldsets(self, request, obj=None):
        return [
            (
                name,
                {
                    **opts,
                    "fields": [
                        tuple(self._swap(f)) if isinstance(f, (list, tuple)) else self._swap([f])[0]
                        for f in opts["fields"]
                    ],
                },
            )
            for name, opts in super().get_fieldsets(request, obj)
        ]

    def get_readonly_fields(self, request, obj=None):
        names = self._swap(super().get_readonly_fields(request, obj))
        extra = [MASKED_PREFIX + f.name for f in self.masked_fields if MASKED_PREFIX + f.name not in names]
        show = [] if isinstance(self, admin.options.InlineModelAdmin) else ["show_unmasked"]
        return [*names, *extra, *show]

    def get_list_display(self, request):
        return self._swap(super().get_list_display(request))

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *(f.name for f in self.masked_fields)]

    @admin.display(description="原文")
    def show_unmasked(self, obj):
        if (
            obj is None
            or not obj.pk
            or not hasattr(self, "admin_site")
            or isinstance(self, admin.options.InlineModelAdmin)
        ):
            return "—"
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_unmasked", args=[obj.pk])
        return format_html('<a href="{}">显示原文（记入个人信息查阅记录）</a>', url)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/unmasked/",
                self.admin_site.admin_view(self.unmasked_view),
                name=f"{opts.app_label}_{opts.model_name}_unmasked",
            ),
            *super().get_urls(),
        ]

    def unmasked_view(self, request, object_id):
        from . import selectors
        from .models import WorkOrder

        obj = get_object_or_404(self.model, pk=object_id)
        order = order_of(obj, self.order_path)
        if not self.has_view_permission(request, obj) or not selectors.sees_identities(request.user):
            raise PermissionDenied("无权查看个人信息原文。")
        rows = [(f.verbose_name, _as_text(_value(obj, f, unmasked=True))) for f in self.masked_fields]
        shown = [f"admin.{self.model._meta.model_name}.{f.name}" for f in self.masked_fields if getattr(obj, f.attname)]
        if isinstance(obj, WorkOrder):
            rows += [
                ("诉求人姓名", obj.requester_name),
                ("联系电话", obj.requester_phone),
                ("身份证号", obj.requester_id_number),
            ]
            shown += [
                f"requester.{n}"
                for n, v in (
                    ("name", obj.requester_name),
                    ("phone", obj.requester_phone),
                    ("id_number", obj.requester_id_number),
                )
                if v
            ]
        if order is not None and shown:
            selectors.record_identity_read(order, request.user, fields=shown, purpose="admin_show")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": f"{self.model._meta.verbose_name}原文",
            "rows": rows,
            "order": order,
        }
        return TemplateResponse(request, "admin/jiesu_unmasked.html", context)


def _mask_method(field: models.Field, order_path: str):
    def show(self, obj):
        value = _value(obj, field, unmasked=False)
        if value in (None, "", {}, []):
            return "—"
        from . import selectors

        order = order_of(obj, order_path)
        known = selectors.requester_identities(order) if order is not None else []
        return _as_text(redact.Redactor(known, mask=True).data(value))

    show.short_description = field.verbose_name
    return show


def masked_admin_class(admin_class, model):
    order_path = _order_path(model)
    fields = _masked_fields(model)
    if order_path is None or not fields:
        return None
    attrs = {
        "masked_fields": fields,
        "order_path": order_path,
        **{MASKED_PREFIX + f.name: _mask_method(f, order_path) for f in fields},
    }
    return type(f"Masked{admin_class.__name__}", (MaskedTextMixin, admin_class), attrs)


def mask_order_admins(site=admin.site) -> None:
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, MaskedTextMixin):
            continue
        cls = type(model_admin)
        masked = masked_admin_class(cls, model)
        inlines = []
        for inline in getattr(cls, "inlines", ()):
            inlines.append(masked_admin_class(inline, inline.model) or inline)
        if masked is None and inlines == list(getattr(cls, "inlines", ())):
            continue
        masked = masked or type(f"Masked{cls.__name__}", (cls,), {})
        masked.inlines = inlines
        site.unregister(model)
        site.register(model, masked)
