from django.contrib.auth.views import LoginView, redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from config.security import API_PREFIX, api_error
from intake.selectors import lands_on_intake


class LandingLoginView(LoginView):
    """After logging in (with nowhere else asked for), the office lands on its intake queue;
    everyone else on "Việc của tôi"."""

    def get_default_redirect_url(self):
        if lands_on_intake(self.request.user):
            return reverse("intake:queue")
        return super().get_default_redirect_url()


def permission_denied(request, exception=None):
    """Anonymous visitors are asked to log in; a logged-in user who may not enter gets 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    """Under /api/ a missing page is answered in the API's JSON, like every other refusal."""
    if request.path.startswith(API_PREFIX):
        return api_error(404, "not_found", _("Không tìm thấy địa chỉ này trong API."))
    return defaults.page_not_found(request, exception)
