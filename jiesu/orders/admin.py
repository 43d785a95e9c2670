from django.contrib import admin

from jiesu.core.admin_readonly import ReadOnlyAdmin

from .models import Attachment, OrderEvent, PersonalDataAccess, WorkOrder


# Orders change only through services; the admin looks, it never edits or deletes.
@admin.register(WorkOrder)
class WorkOrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "received_at", "channel", "kind", "status", "district", "lead_unit")
    list_filter = ("status", "channel", "kind", "source_line")
    search_fields = ("number",)
    exclude = ("requester_name_enc", "requester_phone_enc", "requester_id_number_enc", "requester_phone_index")


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnlyAdmin):
    list_display = ("order", "at", "action", "actor", "from_status", "to_status")
    list_filter = ("action",)
    search_fields = ("order__number",)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("order", "original_name", "kind", "size", "uploaded_at")


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ("order", "user", "at", "purpose", "fields")
    search_fields = ("order__number", "user__username")
