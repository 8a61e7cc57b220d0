from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingsConfig(AppConfig):
    name = "briefings"
    verbose_name = _("Trực báo")

    def ready(self) -> None:
        from briefings.reminders import KIND, LABEL
        from notifications.alerts import alert_kind_register

        alert_kind_register(KIND, LABEL)
