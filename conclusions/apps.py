from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConclusionsConfig(AppConfig):
    name = "conclusions"
    verbose_name = _("Kết luận giám sát")
