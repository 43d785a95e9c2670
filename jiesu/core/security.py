"""Hooks of django-axes (login throttling): whose address a login comes from, and the page a
locked-out login gets."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def client_ip(request) -> str | None:
    """The browser's address: behind the production nginx, the X-Real-IP it sets.

    Without it every login would come from 127.0.0.1, and five failures anywhere would lock
    the whole centre out. The header is trusted only under JIESU_HTTPS, where gunicorn listens
    on 127.0.0.1 behind nginx, which overwrites it; a value that is not an address is ignored.
    """
    remote = request.META.get("REMOTE_ADDR")
    header = settings.JIESU_CLIENT_IP_HEADER
    if header:
        forwarded = request.META.get(header, "").strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return remote


def locked_out(request, original_response=None, credentials=None):
    """The login page again, saying that the account (or this workstation) is locked and until when."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    # Every refused try starts the cool-off again, so it ends one cool-off from now.
    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    message = _(
        "登录失败次数过多，该账号（或本机）已被锁定%(minutes)d分钟，请于%(until)s之后再试；"
        "锁定期间再次尝试会重新计时。如需提前解锁，请联系系统管理员。"
    ) % {"minutes": minutes, "until": until.strftime("%H:%M")}
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "locked_message": message, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
