"""The public summary of organisations' voter-awareness activities: reach (the number
of participants) per governorate and audience, as a table, a chart drawn on the
server by the register's bar chart (shafaf.register.campaign_figures), and a CSV."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Sum

from shafaf.elections.models import Governorate
from shafaf.observation.channel_models import Audience, AwarenessActivity
from shafaf.register.campaign_figures import Row

AUDIENCES = tuple(audience.value for audience in Audience)
# Okabe and Ito's palette, as the register's charts: told apart with colour blindness.
COLOURS = dict(zip(AUDIENCES, ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
                               "#555555"), strict=True))


@dataclass
class Summary:
    rows: list[Row]
    """One a governorate with an activity: reach by audience in ``submitted``."""
    sessions: dict[str, int]
    """Sessions per governorate code."""
    total: Row


def summary() -> Summary:
    """Every organisation's activities, summed by governorate and audience."""
    reach: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(AUDIENCES, 0))
    sessions: dict[str, int] = defaultdict(int)
    grouped = (AwarenessActivity.objects.values("governorate", "audience")
               .annotate(reach=Sum("reach"), sessions=Count("pk")))
    names = {g.pk: g for g in Governorate.objects.all()}
    for line in grouped:
        code = names[line["governorate"]].code
        reach[code][line["audience"]] += line["reach"] or 0
        sessions[code] += line["sessions"]
    rows = [Row(key=g.code, label=g.name, submitted=dict(reach[g.code]), applied={})
            for g in sorted(names.values(), key=lambda g: g.code) if g.code in reach]
    total = Row(key="", label="", submitted={a: sum(r.submitted[a] for r in rows)
                                             for a in AUDIENCES}, applied={})
    return Summary(rows=rows, sessions=dict(sessions), total=total)


def summary_csv(found: Summary) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["governorate", "sessions", *AUDIENCES, "total"])
    for row in found.rows:
        writer.writerow([row.key, found.sessions.get(row.key, 0),
                         *(row.submitted[a] for a in AUDIENCES), row.submitted_total])
    return out.getvalue()
