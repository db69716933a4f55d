from django.urls import path

from shafaf.audit import views

app_name = "audit"
urlpatterns = [path("audit/", views.events, name="events")]
