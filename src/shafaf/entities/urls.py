from shafaf.entities.views import (
    ballots,
    candidate_file,
    ceremony,
    directory,
    nominations,
    review,
)

app_name = "entities"
urlpatterns = [
    *nominations.urlpatterns,
    *review.urlpatterns,
    *directory.urlpatterns,
    *ceremony.urlpatterns,
    *ballots.urlpatterns,
    *candidate_file.urlpatterns,
]
