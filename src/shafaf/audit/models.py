from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """Audit events are never changed or deleted, by anyone."""


class AuditEvent(models.Model):
    """One action. ``hash`` is the SHA-256 of the event's canonical JSON, which includes
    the previous event's hash, so altering, removing or inserting any event breaks
    the chain (shafaf.core.ledger). Database triggers refuse UPDATE and DELETE."""

    # Empty until the event is sealed into the chain (shafaf.audit.actions): at once in
    # the action's transaction, or right after it commits.
    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, null=True)
    at = models.DateTimeField(_("time"))
    # The actor's id and name are copied, not a foreign key: an event must never
    # change, not even when a user account does.
    actor_id = models.BigIntegerField(_("actor id"), null=True)
    actor_username = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    data = models.JSONField(_("data"), default=dict)
    prev_hash = models.CharField(_("previous hash"), max_length=64, null=True)  # noqa: DJ001
    hash = models.CharField(_("hash"), max_length=64, unique=True, null=True)  # noqa: DJ001
    # The hash format (shafaf.core.ledger): empty for events recorded before format 2.
    # Nullable, so that adding them kept the table (and its triggers) in place.
    version = models.PositiveSmallIntegerField(_("hash format"), null=True)
    # Format 2: the secret that salts this event's commitments to personal data. Never
    # published; giving it out opens this event's commitments, and no other's.
    salt = models.CharField(_("salt"), max_length=64, null=True)  # noqa: DJ001

    class Meta:
        ordering = ["-seq"]
        # The sealer's work list: small, as events are sealed within milliseconds.
        indexes = [models.Index(fields=["id"], condition=models.Q(seq__isnull=True),
                                name="audit_unsealed")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnly("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnly("audit events cannot be deleted")


class AuditCheckpoint(models.Model):
    """The commission's signature over the chain's head at one moment
    (shafaf.core.checkpoints): proof, outside the database's power, of how long the
    chain was and what its head was. Append-only, like the events."""

    number = models.PositiveBigIntegerField(_("number"), unique=True)
    seq = models.PositiveBigIntegerField(_("sequence"))
    hash = models.CharField(_("hash"), max_length=64)
    at = models.DateTimeField(_("time"))
    key_id = models.CharField(_("key id"), max_length=16)
    signature = models.CharField(_("signature"), max_length=100)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"checkpoint #{self.number} at event {self.seq}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnly("audit checkpoints cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnly("audit checkpoints cannot be deleted")
