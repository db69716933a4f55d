"""Results pages: staff pages under /staff/results/, public pages under /results/.
Each part of results keeps its own URL list below, in its own block."""

from django.urls import path

from shafaf.results import (
    cancellation_views,
    entry_views,
    publication_views,
    transmission_api,
    transmission_views,
    views,
)

app_name = "results"
urlpatterns = [
    path("staff/results/", views.hub, name="hub"),
]

# Electronic transmissions, counting devices, late stations, the two counts compared
# (docs/results-transmission.md)
urlpatterns += [
    path("api/results/transmissions", transmission_api.transmissions, name="transmissions_api"),
    path("staff/results/devices/", transmission_views.devices, name="devices"),
    path("staff/results/devices/<int:device_id>/revoke/", transmission_views.revoke,
         name="device_revoke"),
    path("staff/results/late/", transmission_views.late, name="late"),
    path("staff/results/transmissions/", transmission_views.transmissions,
         name="transmissions"),
]

# Paper entry, twice, and the coordinator's resolution (docs/results-entry.md)
urlpatterns += [
    path("staff/results/entry/", entry_views.enter, name="entry"),
    path("staff/results/entry/differences/", entry_views.differences, name="entry_differences"),
    path("staff/results/entry/<int:task_id>/", entry_views.task, name="entry_task"),
    path("staff/results/audit/", entry_views.audit, name="audit"),
    path("staff/results/audit/<int:result_id>/", entry_views.audit_station,
         name="audit_station"),
    path("staff/results/stations/<int:station_id>/", entry_views.station, name="station"),
    # The Board cancels a station held at the audit centre (docs/results-entry.md)
    path("staff/results/stations/<int:station_id>/cancel/", cancellation_views.cancel,
         name="station_cancel"),
]

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

# The forensics of the published results (docs/forensics.md), before the public
# results: /results/<election>/<governorate>/ would take the election's page.
from shafaf.results import forensics_views  # noqa: E402

urlpatterns += [
    path("results/<slug:election>/forensics/", forensics_views.election,
         name="election_forensics"),
    path("results/<slug:election>/forensics/<slug:kind>.svg", forensics_views.election_plot,
         name="election_forensics_plot"),
    path("results/<slug:election>/<str:governorate>/forensics/", forensics_views.governorate,
         name="forensics"),
    path("results/<slug:election>/<str:governorate>/forensics/<slug:kind>.svg",
         forensics_views.governorate_plot, name="forensics_plot"),
]

# After the complaints' public pages: /results/<election>/ would take theirs.
# Tabulation, certification, publication and the public results (docs/results-publication.md)
urlpatterns += [
    path("staff/results/tabulation/", publication_views.tabulation, name="tabulation"),
    path("staff/results/tabulation/<slug:election>/<str:governorate>/certify/",
         publication_views.certify, name="certify"),
    path("staff/results/tabulation/<slug:election>/<str:governorate>/publish/",
         publication_views.publish, name="publish"),
    path("results/<slug:election>/", publication_views.public_index, name="public_index"),
    path("results/<slug:election>/manifest.json", publication_views.public_index_manifest,
         name="public_index_manifest"),
    path("results/<slug:election>/<str:governorate>/", publication_views.public_governorate,
         name="public_governorate"),
    path("results/<slug:election>/<str:governorate>/<str:name>", publication_views.public_file,
         name="public_file"),
]
