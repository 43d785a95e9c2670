from django.contrib import admin

from .models import Delivery, Notification


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    readonly_fields = ("channel", "status", "attempts", "sent_at", "gateway_id", "error")
    can_delete = False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "audience", "recipient_unit", "recipient_user", "order", "kind", "title", "read_at")
    list_filter = ("audience", "kind")
    raw_id_fields = ("recipient_unit", "recipient_user", "order", "read_by")
    inlines = [DeliveryInline]
