from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Place, Unit, User


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "district", "active")
    list_filter = ("level", "active", "district")
    search_fields = ("code", "name", "aliases")
    raw_id_fields = ("parent", "district")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "sector", "district", "always_on", "active")
    list_filter = ("kind", "always_on", "active", "sector")
    search_fields = ("code", "name")
    raw_id_fields = ("territory", "district", "parent")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("unit",)
    fieldsets = BaseUserAdmin.fieldsets + ((_("热线角色"), {"fields": ("display_name", "role", "unit")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("热线角色"), {"fields": ("display_name", "role", "unit")}),)
