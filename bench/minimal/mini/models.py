from django.conf import settings
from django.db import models


class Ticket(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    channel = models.CharField(max_length=20)
    kind = models.CharField(max_length=20)
    content = models.TextField()
    requester_phone = models.CharField(max_length=30, blank=True)
    requester_name = models.CharField(max_length=50, blank=True)
    location_text = models.CharField(max_length=300, blank=True)


class TicketEvent(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=30)
    data = models.JSONField(default=dict)
