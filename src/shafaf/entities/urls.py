from shafaf.entities.views import (
    ballots,
    candidate_file,
    ceremony,
    check_replies,
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
    *check_replies.urlpatterns,
]
