from django.contrib.auth.views import redirect_to_login
from django.views import defaults


def permission_denied(request, exception=None):
    """Anonymous visitors are asked to log in; a logged-in user who may not enter gets 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return defaults.permission_denied(request, exception)
