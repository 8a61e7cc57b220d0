from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from config.security import API_PREFIX, api_error


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
