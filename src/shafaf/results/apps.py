from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "shafaf.results"
    label = "results"
    verbose_name = _("Results")

    def ready(self) -> None:
        from shafaf.results import refusals

        refusals.register()
