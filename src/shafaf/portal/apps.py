from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "shafaf.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        import gettext

        from django.utils.translation import trans_real

        from shafaf.portal import pvt_views
        from shafaf.portal.catalogues import compile_catalogues

        # The PVT estimate sits beside the official results, which observation cannot read.
        pvt_views.install()

        if compile_catalogues(settings.LOCALE_SOURCE_DIR, settings.LOCALE_PATHS[0]):
            # Importing the models already loaded the default language's catalogue,
            # before these files existed: forget it, as Django itself does when
            # LOCALE_PATHS changes (django.test.signals.language_changed).
            # Both are private to Django, so its stubs leave them out.
            trans_real._translations = {}  # type: ignore[attr-defined]
            trans_real._default = None  # type: ignore[attr-defined]
            # The standard library caches each parsed .mo file by its path, and Django
            # builds its catalogues through that cache: without this, the process that
            # rebuilt a catalogue would go on serving the old one until it restarts.
            gettext._translations.clear()  # type: ignore[attr-defined]
