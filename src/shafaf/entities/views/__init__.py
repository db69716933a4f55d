"""The entities pages, one module per area; each module's ``urlpatterns`` are
gathered by ``shafaf.entities.urls``."""
