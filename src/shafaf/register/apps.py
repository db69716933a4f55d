from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "shafaf.register"
    label = "register"
    verbose_name = _("Voter register")

    def ready(self) -> None:
        from shafaf.register import refusals

        refusals.register()

        from shafaf.register import import_jobs

        import_jobs.ready()
