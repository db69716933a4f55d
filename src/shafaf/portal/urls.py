from django.urls import path

from shafaf.portal import lookup_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_head, name="audit_head"),
    path("staff/", views.dashboard, name="dashboard"),
    path("lottery/verify/", views.lottery_verify, name="lottery_verify"),
    # The voter's own doors to the register: where do I vote, where to update one's data
    path("register/where/", lookup_views.where, name="register_where"),
    path("register/centres/", lookup_views.centres, name="register_centres"),
]
