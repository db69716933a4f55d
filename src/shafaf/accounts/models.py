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

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(SCOPED_ROLES)) | models.Q(
                    governorate__isnull=False),
                name="scoped_roles_have_a_governorate",
            ),
        ]


class LoginFailure(models.Model):
    """A failed login, kept to slow down password guessing (shared by every server
    process, unlike an in-memory counter)."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["username", "address", "at"])]

    def __str__(self) -> str:
        return f"{self.username} {self.address} {self.at:%Y-%m-%d %H:%M}"
