"""Results pages: staff pages under /staff/results/, public pages under /results/.
Each part of results keeps its own URL list below, in its own block."""

from django.urls import path

from shafaf.results import entry_views, views

app_name = "results"
urlpatterns = [
    path("staff/results/", views.hub, name="hub"),
]

# Electronic transmissions, counting devices, late stations, the two counts compared
# (docs/results-transmission.md)

# Paper entry, twice, and the coordinator's resolution (docs/results-entry.md)
urlpatterns += [
    path("staff/results/entry/", entry_views.enter, name="entry"),
    path("staff/results/entry/differences/", entry_views.differences, name="entry_differences"),
    path("staff/results/entry/<int:task_id>/", entry_views.task, name="entry_task"),
    path("staff/results/audit/", entry_views.audit, name="audit"),
    path("staff/results/audit/<int:result_id>/", entry_views.audit_station,
         name="audit_station"),
    path("staff/results/stations/<int:station_id>/", entry_views.station, name="station"),
]

# Complaints and appeals (docs/results-complaints.md)
