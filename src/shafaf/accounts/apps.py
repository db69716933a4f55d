from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shafaf.accounts"
    label = "accounts"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from shafaf.accounts import refusals, sessions

        refusals.register()
        user_logged_in.connect(sessions.note_sign_in, dispatch_uid="shafaf.note_sign_in")
