from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResolutionsConfig(AppConfig):
    name = "resolutions"
    verbose_name = _("Nghị quyết, chương trình “Lắng nghe và Trao đổi”")

    def ready(self) -> None:
        from intake.imports import register
        from resolutions.imports import ResolutionImport
        from resolutions.report_kinds import register_kinds

        register_kinds()
        register(ResolutionImport())
