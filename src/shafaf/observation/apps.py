from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservationConfig(AppConfig):
    name = "shafaf.observation"
    label = "observation"
    verbose_name = _("Observation")

    def ready(self) -> None:
        # Each part of observation registers what it needs at start-up below, in its
        # own line (submissions.AFTER_STORE hooks, refusals).
        from shafaf.observation import alerts  # dash: critical incidents' alerts, refusals
        alerts.install()
