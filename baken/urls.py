"""Public pages at the root, staff pages under /werk/, the administration under /beheer/."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from baken.casework.api import api
from baken.web import views as web_views

urlpatterns = [
    path("", include("baken.web.urls")),
    path("taal/", set_language, name="set_language"),
    path("werk/", include("baken.accounts.urls")),
    path("werk/sociale-kaart/", include("baken.directory.urls")),
    path("werk/audit/", include("baken.audit.urls")),
    path("werk/inzicht/", include("baken.insight.urls")),
    path("werk/advertenties/", include("baken.admonitor.urls")),
    path("", include("baken.casework.urls")),
    path("", include("baken.chat.urls")),
    path("", include("baken.portal.urls")),
    path("", include("baken.supervision.urls")),
    path("", include("baken.programmes.urls")),
    path("beheer/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler403 = web_views.permission_denied_view
handler404 = web_views.page_not_found_view
handler500 = web_views.server_error_view
