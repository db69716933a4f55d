from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "shafaf.results"
    label = "results"
    verbose_name = _("Results")

    def ready(self) -> None:
        from shafaf.jobs import kinds
        from shafaf.results import forensics, refusals

        refusals.register()
        kinds.register(forensics.JOB_KIND, forensics.run_job)
