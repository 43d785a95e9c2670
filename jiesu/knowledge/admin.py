from django.contrib import admin

from jiesu.core.admin_readonly import ReadOnlyAdmin

from .models import Article, ArticleVersion


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Read here, edited in the console (/knowledge/): there every edit becomes a version."""

    list_display = ("slug", "title", "category", "owner_unit", "version", "review_date", "active")
    list_filter = ("active", "category")
    search_fields = ("slug", "title", "body", "legal_basis")
    raw_id_fields = ("owner_unit",)
    readonly_fields = [f.name for f in Article._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ArticleVersion)
class ArticleVersionAdmin(ReadOnlyAdmin):
    list_display = ("article", "number", "status", "edited_by", "edited_at", "decided_by")
    list_filter = ("status",)
    search_fields = ("title", "body")
    readonly_fields = [f.name for f in ArticleVersion._meta.fields]
