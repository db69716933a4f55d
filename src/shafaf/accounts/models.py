from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from shafaf.access.roles import SCOPED_ROLES, Role


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices,
                            default=Role.OBSERVER)
    governorate = models.ForeignKey(
        "elections.Governorate", models.PROTECT, null=True, blank=True,
        related_name="staff", verbose_name=_("governorate"),
        help_text=_("The governorate this user works in; empty for national roles."),
    )
    must_change_password = models.BooleanField(
        _("must change password"), default=False,
        help_text=_("Set when an administrator chose the password: the user replaces it "
                    "before anything else."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(SCOPED_ROLES)) | models.Q(
                    governorate__isnull=False),
                name="scoped_roles_have_a_governorate",
            ),
        ]


class LoginThrottle(models.Model):
    """Failed logins within a window, for one name from one address (``account``) or
    from one address whatever the name (``address``): the numbers a login must stay
    under (docs/accounts.md). In the database, so that every server process counts
    the same tries, and changed under a row lock, so that parallel guesses cannot all
    read the same count."""

    class Scope(models.TextChoices):
        ACCOUNT = "account"
        ADDRESS = "address"

    scope = models.CharField(max_length=8, choices=Scope.choices)
    address = models.CharField(max_length=64)
    """The client's address, or its /64 network for IPv6 (one subscriber's block)."""
    username = models.CharField(max_length=150, blank=True)
    """As the login form reads it, lower-cased; empty for the ``address`` scope."""
    tries = models.PositiveIntegerField(default=0)
    until = models.DateTimeField()
    """When the window ends and the count starts again from nothing."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "address", "username"],
                                               name="one_count_per_scope_address_name")]
        indexes = [models.Index(fields=["until"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.address} {self.username} {self.tries}"
