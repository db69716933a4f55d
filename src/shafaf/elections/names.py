"""Names in Arabic (required), Kurdish and English, shown in the reader's language."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Named(models.Model):
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, falling back to Arabic."""
        language = (get_language() or "ar").split("-")[0]
        return str(getattr(self, f"name_{language}", "") or self.name_ar)
