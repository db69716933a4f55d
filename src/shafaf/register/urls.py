"""The register's pages: staff pages under /staff/register/, public pages (the
voter's own doors) under /register/."""

from django.urls import path

from shafaf.register import import_views, views

app_name = "register"
urlpatterns = [
    path("staff/register/", views.hub, name="hub"),
    # The register's imports (shafaf.register.import_views)
    path("staff/register/import/", import_views.import_page, name="import"),
]
