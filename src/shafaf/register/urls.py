"""The register's pages: staff pages under /staff/register/, public pages (the
voter's own doors) under /register/."""

from django.urls import path

from shafaf.register import campaign_views, views

app_name = "register"
urlpatterns = [
    path("staff/register/", views.hub, name="hub"),
    # The update campaign's requests, status check and figures
    *campaign_views.urlpatterns,
]
