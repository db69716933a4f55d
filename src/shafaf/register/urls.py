"""The register's pages: staff pages under /staff/register/, public pages (the
voter's own doors) under /register/."""

from django.urls import path

from shafaf.register import campaign_views, exhibition_views, import_views, views, views_duplicates

app_name = "register"
urlpatterns = [
    path("staff/register/", views.hub, name="hub"),
    # The register's imports (shafaf.register.import_views)
    path("staff/register/import/", import_views.import_page, name="import"),
]

# The exhibition of the preliminary register, objections and the final register
# (docs/register-exhibition.md)
urlpatterns += [
    path("register/exhibition/", exhibition_views.index, name="exhibition"),
    path("register/exhibition/find/", exhibition_views.find, name="exhibition_find"),
    path("register/exhibition/object/", exhibition_views.object_to, name="object"),
    path("register/exhibition/decisions/", exhibition_views.decisions, name="decisions"),
    path("register/exhibition/<str:code>/", exhibition_views.governorate,
         name="exhibition_governorate"),
    path("register/exhibition/<str:code>/<str:centre_code>/", exhibition_views.centre,
         name="exhibition_centre"),
    path("staff/register/objections/", exhibition_views.office, name="objections"),
    path("staff/register/objections/<int:pk>/", exhibition_views.decide, name="objection"),
    path("staff/register/objections/<int:pk>/evidence", exhibition_views.evidence,
         name="objection_evidence"),
    path("staff/register/finalise/", exhibition_views.finalise, name="finalise"),
    # Duplicate detection's review queue (docs/register-dedup.md).
    path("staff/register/duplicates/", views_duplicates.queue, name="duplicates"),
    path("staff/register/duplicates/run/", views_duplicates.start, name="duplicates_run"),
    path("staff/register/duplicates/<int:group_id>/", views_duplicates.group,
         name="duplicate"),
]

# Stations filled from the register, the station voter lists, and the staff's view of
# the register (docs/register-stations.md).
from shafaf.register import staff_views  # noqa: E402

urlpatterns += [
    path("staff/register/stations/", staff_views.stations, name="stations"),
    path("staff/register/centres/<int:centre_id>/", staff_views.centre, name="centre"),
    path("staff/register/centres/<int:centre_id>/lists/", staff_views.centre_lists,
         name="centre_lists"),
    path("staff/register/voters/", staff_views.voters, name="voters"),
    path("staff/register/voters/<str:voter_number>/", staff_views.voter, name="voter"),
    # The update campaign's requests, status check and figures
    *campaign_views.urlpatterns,
]
