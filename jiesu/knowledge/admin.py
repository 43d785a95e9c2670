from django.contrib import admin

from .models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "owner_unit", "active", "updated_at")
    list_filter = ("active",)
    search_fields = ("slug", "title", "body")
    raw_id_fields = ("owner_unit",)
