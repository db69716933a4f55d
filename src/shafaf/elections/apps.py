from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "shafaf.elections"
    label = "elections"
    verbose_name = _("Elections")

    def ready(self) -> None:
        from shafaf.elections import refusals

        refusals.register()
