"""The register's pages: staff pages under /staff/register/, public pages (the
voter's own doors) under /register/."""

from django.urls import path

from shafaf.register import views, views_duplicates

app_name = "register"
urlpatterns = [
    path("staff/register/", views.hub, name="hub"),
    # Duplicate detection's review queue (docs/register-dedup.md).
    path("staff/register/duplicates/", views_duplicates.queue, name="duplicates"),
    path("staff/register/duplicates/run/", views_duplicates.start, name="duplicates_run"),
    path("staff/register/duplicates/<int:group_id>/", views_duplicates.group,
         name="duplicate"),
]
