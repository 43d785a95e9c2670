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
    if request.user.role in roles.OVERSIGHT_ROLES:
        return redirect("centre:oversight")
    if request.user.role == roles.DISPATCHER:
        return redirect("dispatch:queue")
    return render(request, "core/home.html")
