from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Kiến nghị cử tri")

    def ready(self) -> None:
        from intake.imports import register
        from petitions import candidates
        from petitions.imports import PetitionImport
        from petitions.report import register_report

        register_report()
        candidates.register()
        register(PetitionImport())
