"""Reads of the voter register."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Collate

from shafaf.elections.models import PollingCentre
from shafaf.register.models import Voter


def voters_in_list_order(centre: PollingCentre) -> QuerySet[Voter]:
    """A centre's voters in the order of its lists (docs/register.md): the stored
    sort key compared by code point, whatever the database's own collation."""
    collation = "C" if connection.vendor == "postgresql" else "BINARY"
    return Voter.objects.filter(centre=centre).order_by(Collate("sort_key", collation))
