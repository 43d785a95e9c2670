import re

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from jiesu.core import roles


@login_required
def home(request):
    # Each role lands where its day starts.
    if request.user.role == roles.CALL_TAKER:
        return redirect("intake:new")
    if request.user.role in roles.UNIT_ROLES:
        return redirect("handling:workbench")
    if request.user.role == roles.DISPATCHER:
        return redirect("dispatch:queue")
    return render(request, "core/home.html")


CJK = re.compile(r"[\u4e00-\u9fff]")


def forbidden(request, exception=None):
    """403 in Chinese. Our PermissionDenied messages name the role a page is for and are shown;
    a bare or English one (a library's) is replaced by the general sentence."""
    reason = str(exception or "")
    return render(request, "403.html", {"reason": reason if CJK.search(reason) else ""}, status=403)
