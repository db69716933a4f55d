from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntitiesConfig(AppConfig):
    name = "shafaf.entities"
    label = "entities"
    verbose_name = _("Political entities and candidates")

    def ready(self) -> None:
        from shafaf.entities import labels

        labels.register()
