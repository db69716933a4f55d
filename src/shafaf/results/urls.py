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
