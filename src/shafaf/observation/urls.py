"""Observation pages: staff pages under /staff/observation/, the observer's phone app
under /observe/, public pages under /observation/ and /verify/badge/, the API under
/api/accreditation/ and /api/observation/. Each part keeps its own URL list below, in
its own block."""

from django.urls import path

from shafaf.observation import phone, views

app_name = "observation"
urlpatterns = [
    path("staff/observation/", views.hub, name="hub"),
]

# Accreditation: organisations, observers, badges (docs/observation-accreditation.md)
from shafaf.observation import accreditation_views as accred  # noqa: E402

urlpatterns += [
    path("observation/apply/", accred.apply, name="apply"),
    path("verify/badge/", accred.verify_form, name="verify_form"),
    path("verify/badge/<str:code>/", accred.verify, name="verify"),
    path("staff/observation/organisations/", accred.organisations, name="organisations"),
    path("staff/observation/organisations/<int:pk>/", accred.organisation_decide,
         name="organisation_decide"),
    path("staff/observation/agents/", accred.agents, name="agents"),
    path("staff/observation/observers/", accred.observers, name="observers"),
    path("staff/observation/observers/template.csv", accred.observers_template,
         name="observers_template"),
    path("staff/observation/observers/<int:pk>/", accred.observer, name="observer"),
    path("staff/observation/observers/<int:pk>/photo", accred.observer_photo,
         name="observer_photo"),
    path("staff/observation/observers/<int:pk>/badge.pdf", accred.observer_badge,
         name="observer_badge"),
    path("staff/observation/badges.pdf", accred.organisation_badges,
         name="organisation_badges"),
    path("staff/observation/badges/<str:token>.pdf", accred.badges_file,
         name="badges_file"),
    path("staff/observation/accreditation/", accred.queue, name="accreditation"),
    path("observe/conduct/", accred.conduct, name="conduct"),
]

# Forms as data, submissions, the API, quality (docs/observation-reports.md)
from shafaf.observation import forms_views, sms  # noqa: E402

urlpatterns += [
    path("staff/observation/forms/", forms_views.form_list, name="forms"),
    path("staff/observation/forms/new/", forms_views.new_version, name="form_new"),
    path("staff/observation/forms/<slug:code>/new-version/", forms_views.new_version,
         name="form_version"),
    path("staff/observation/submissions/", forms_views.submission_list, name="submissions"),
    path("staff/observation/submissions/<uuid:pk>/", forms_views.submission_page,
         name="submission"),
    path("api/observation/sms", sms.webhook, name="sms"),
]

# The phone app offline and SMS (docs/observation-offline.md)
urlpatterns += [
    path("observe/", phone.app, name="phone"),
    path("observe/manifest.webmanifest", phone.manifest, name="phone_manifest"),
    path("observe/sw.js", phone.worker, name="phone_worker"),
]

# Deployment, incidents, alerts, dashboards, public page, statement
# (docs/observation-dashboards.md)
from shafaf.observation import dash_api, dash_views  # noqa: E402 (each part imports its own)

urlpatterns += [
    path("staff/observation/deployment/", dash_views.deployment_page, name="deployment"),
    path("staff/observation/coverage/", dash_views.coverage_page, name="coverage"),
    path("staff/observation/incidents/", dash_views.incidents_page, name="incidents"),
    path("staff/observation/photos/<int:pk>", dash_views.photo, name="photo"),
    path("staff/observation/alerts/", dash_views.alerts_page, name="alerts"),
    path("staff/observation/dashboard/", dash_views.dashboard_page, name="dashboard"),
    path("staff/observation/statement/", dash_views.statement_page, name="statement"),
    path("api/observation/submissions/<uuid:submission_id>/photos", dash_api.photos,
         name="photos_api"),
    path("observation/", dash_views.public_index, name="public"),
    path("observation/<str:code>/statement/", dash_views.public_statement,
         name="public_statement"),
    path("observation/<str:code>/statement.pdf", dash_views.public_statement_pdf,
         name="public_statement_pdf"),
    path("observation/<str:code>/statement/pvt-<str:part>.csv",
         dash_views.public_statement_pvt, name="public_statement_pvt"),
]

# The channel with the commission (docs/observation-channel.md)
from shafaf.observation import channel_views  # noqa: E402

urlpatterns += [
    path("staff/observation/notices/", channel_views.notices, name="notices"),
    path("staff/observation/notices/new/", channel_views.notice_new, name="notice_new"),
    path("staff/observation/notices/<int:notice_id>/", channel_views.notice, name="notice"),
    path("staff/observation/notices/<int:notice_id>/attachment.pdf",
         channel_views.notice_attachment, name="notice_attachment"),
    path("staff/observation/meetings/", channel_views.meetings_staff, name="meetings_staff"),
    path("staff/observation/meetings/new/", channel_views.meeting_new, name="meeting_new"),
    path("staff/observation/meetings/<int:meeting_id>/", channel_views.meeting_edit,
         name="meeting_edit"),
    path("staff/observation/recommendations/", channel_views.recommendations_staff,
         name="recommendations_staff"),
    path("staff/observation/recommendations/<int:recommendation_id>/answer/",
         channel_views.recommendation_answer, name="recommendation_answer"),
    path("staff/observation/awareness/", channel_views.awareness_staff,
         name="awareness_staff"),
    path("observation/meetings/", channel_views.meetings_public, name="meetings"),
    path("observation/meetings/<int:meeting_id>/", channel_views.meeting_public,
         name="meeting"),
    path("observation/meetings/<int:meeting_id>/documents/<int:document_id>.pdf",
         channel_views.meeting_document, name="meeting_document"),
    path("observation/recommendations/", channel_views.recommendations_public,
         name="recommendations"),
    path("observation/awareness/", channel_views.awareness_public, name="awareness"),
    path("observation/awareness.csv", channel_views.awareness_csv, name="awareness_csv"),
]
