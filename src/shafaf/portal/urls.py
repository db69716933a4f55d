from django.urls import path

from shafaf.portal import lookup_views, posted_views, pvt_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_head, name="audit_head"),
    path("staff/", views.dashboard, name="dashboard"),
    path("lottery/verify/", views.lottery_verify, name="lottery_verify"),
    path("pvt/verify/", views.pvt_verify, name="pvt_verify"),
    # The voter's own doors to the register: where do I vote, where to update one's data
    path("register/where/", lookup_views.where, name="register_where"),
    path("register/centres/", lookup_views.centres, name="register_centres"),
    # Observers' copies of the posted result forms against the published results
    # (docs/observation-posted-forms.md)
    path("staff/observation/posted/", posted_views.coordinator_page, name="posted"),
    path("observation/findings/", posted_views.public_page, name="posted_public"),
    path("observation/<str:code>/findings.csv", posted_views.public_csv, name="posted_csv"),
    # An organisation's parallel vote tabulation: its sample, drawn in public, and the
    # estimate beside the official results (docs/pvt-app.md)
    path("staff/observation/pvt/", pvt_views.coordinator_page, name="pvt"),
    path("staff/observation/pvt/estimate/", pvt_views.estimate_page, name="pvt_estimate"),
    path("staff/observation/pvt/estimate.json", pvt_views.estimate_json,
         name="pvt_estimate_json"),
    path("observation/<str:code>/pvt/", pvt_views.public_page, name="pvt_public"),
    path("observation/<str:code>/pvt/frame.csv", pvt_views.public_frame, name="pvt_frame"),
    path("observation/<str:code>/pvt/sample.json", pvt_views.public_sample_json,
         name="pvt_sample_json"),
    path("observation/<str:code>/pvt/estimate.csv", pvt_views.public_estimate_csv,
         name="pvt_estimate_csv"),
    path("observation/<str:code>/pvt/reports.csv", pvt_views.public_reports_csv,
         name="pvt_reports_csv"),
]
