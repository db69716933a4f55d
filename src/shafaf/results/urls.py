"""Results pages: staff pages under /staff/results/, public pages under /results/.
Each part of results keeps its own URL list below, in its own block."""

from django.urls import path

from shafaf.results import views

app_name = "results"
urlpatterns = [
    path("staff/results/", views.hub, name="hub"),
]

# Electronic transmissions, counting devices, late stations, the two counts compared
# (docs/results-transmission.md)

# Paper entry, twice, and the coordinator's resolution (docs/results-entry.md)

# Complaints and appeals (docs/results-complaints.md)
from shafaf.results import complaint_views  # noqa: E402 (each part's block imports its views)

urlpatterns += [
    path("staff/results/complaints/", complaint_views.index, name="complaints"),
    path("staff/results/complaints/new/", complaint_views.new, name="complaint_new"),
    path("staff/results/complaints/<int:pk>/", complaint_views.detail, name="complaint"),
    path("staff/results/complaints/<int:pk>/evidence", complaint_views.evidence,
         name="complaint_evidence"),
    path("results/complaints/new/", complaint_views.public_new, name="complaint_public"),
    path("results/complaints/decisions/", complaint_views.decisions,
         name="complaint_decisions"),
]
