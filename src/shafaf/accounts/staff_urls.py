from django.urls import path

from shafaf.accounts import views

app_name = "staff_accounts"
urlpatterns = [
    path("users/", views.users, name="users"),
    path("users/<int:user_id>/", views.change_user, name="change_user"),
    path("users/<int:user_id>/password/", views.set_password, name="set_password"),
]
