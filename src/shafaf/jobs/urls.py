from django.urls import path

from shafaf.jobs import views

app_name = "jobs"
urlpatterns = [
    path("jobs/<int:job_id>/", views.job, name="job"),
    path("jobs/<int:job_id>.json", views.progress, name="progress"),
]
