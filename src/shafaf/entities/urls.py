from shafaf.entities.views import ballots, ceremony, directory, nominations, review

app_name = "entities"
urlpatterns = [
    *nominations.urlpatterns,
    *review.urlpatterns,
    *directory.urlpatterns,
    *ceremony.urlpatterns,
    *ballots.urlpatterns,
]
