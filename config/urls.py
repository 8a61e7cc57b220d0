from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.i18n import set_language

from config.site import site
from config.views import LandingLoginView
from workflow.agenda_views import FeedView
from workflow.files import evidence_download, notice_attachment

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", LandingLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", include("api.urls")),
    path("cong-khai/", include("publication.urls")),  # the councils' public pages, no login
    # Stored files only through views that check who may see them (no public MEDIA_URL).
    re_path(r"^evidence/(?P<pk>[0-9]{1,18})/$", evidence_download, name="evidence_download"),
    re_path(
        r"^notices/(?P<pk>[0-9]{1,18})/attachment/$", notice_attachment, name="notice_attachment"
    ),
    # The personal iCalendar feed: the secret in the address is the key (workflow/agenda.py).
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{20,64})\.ics$", FeedView.as_view(), name="calendar_feed"
    ),
    path("", site.urls),
]
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
