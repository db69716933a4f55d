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
        from shafaf.jobs import kinds
        from shafaf.observation import badge_job  # an organisation's badges, in the background

        kinds.register(badge_job.JOB_KIND, badge_job.run_job)
