from django.urls import path

from shafaf.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_head, name="audit_head"),
    path("staff/", views.dashboard, name="dashboard"),
    path("lottery/verify/", views.lottery_verify, name="lottery_verify"),
]
