from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Tổng quan, báo cáo")

    def ready(self) -> None:
        from reports.kinds import register_builtin_kinds

        register_builtin_kinds()
