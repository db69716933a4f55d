from django.urls import path

from shafaf.elections import views

app_name = "elections"
urlpatterns = [
    path("stations/", views.stations, name="stations"),
    path("stations/<int:station_id>/", views.station, name="station"),
    path("geography/", views.geography, name="geography"),
    path("import/", views.imports, name="imports"),
    path("elections/", views.elections, name="elections"),
    path("elections/new/", views.election_new, name="election_new"),
]
