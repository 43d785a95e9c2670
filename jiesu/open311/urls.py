"""Open311 GeoReport v2 under /open311/: discovery at the root, the API under v2/ (R21.1).

Every resource carries its format as a suffix, .json or .xml, which the views receive as fmt.
"""

from django.urls import re_path

from . import views

app_name = "open311"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^v2/services" + FMT, views.service_list, name="services"),
    re_path(r"^v2/services/(?P<code>[^/]+?)" + FMT, views.service_definition, name="service"),
    re_path(r"^v2/requests" + FMT, views.requests, name="requests"),
    re_path(r"^v2/requests/(?P<number>[^/]+?)" + FMT, views.request_detail, name="request"),
    re_path(r"^v2/servicerequestupdates" + FMT, views.request_updates, name="updates"),
    # Anything else under /open311/ is a 404 in the spec's error format; JSON if asked for.
    re_path(r"^(?P<path>.*?)(?:\.(?P<fmt>json))?$", views.unknown, name="unknown"),
]
