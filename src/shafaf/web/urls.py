from django.urls import include, path

from shafaf.api.routes import api
from shafaf.refusals import problem_files
from shafaf.web import register_lookup

urlpatterns = [
    path("", include("shafaf.portal.urls")),
    path("accounts/", include("shafaf.accounts.urls")),
    path("staff/", include("shafaf.elections.urls")),
    path("staff/", include("shafaf.accounts.staff_urls")),
    path("staff/", include("shafaf.audit.urls")),
    path("staff/", include("shafaf.jobs.urls")),
    path("staff/problems/<str:token>.csv", problem_files.download, name="problem_file"),
    path("", include("shafaf.entities.urls")),
    path("", include("shafaf.register.urls")),
    path("", include("shafaf.results.urls")),
    path("", include("shafaf.observation.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/register/lookup", register_lookup.view, name="register_lookup"),
    path("api/", api.urls),
]

handler400 = "shafaf.portal.errors.bad_request"
handler403 = "shafaf.portal.errors.permission_denied"
handler404 = "shafaf.portal.errors.page_not_found"
handler500 = "shafaf.portal.errors.server_error"
