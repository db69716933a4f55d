from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "shafaf.register"
    label = "register"
    verbose_name = _("Voter register")

    def ready(self) -> None:
        from shafaf.jobs import kinds
        from shafaf.register import duplicates, import_jobs, refusals

        refusals.register()
        import_jobs.ready()
        # Duplicate detection runs as a background job (docs/register-dedup.md).
        kinds.register(duplicates.JOB_KIND, duplicates.run_job)
