from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Tiếp nhận thông báo")

    def ready(self) -> None:
        from intake.imports import register
        from intake.imports.aliases import AgencyAliasImport
        from intake.imports.notices import NoticeImport

        register(AgencyAliasImport())
        register(NoticeImport())
