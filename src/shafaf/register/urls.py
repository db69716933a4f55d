"""The register's pages: staff pages under /staff/register/, public pages (the
voter's own doors) under /register/."""

from django.urls import path

from shafaf.register import views

app_name = "register"
urlpatterns = [
    path("staff/register/", views.hub, name="hub"),
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
]
