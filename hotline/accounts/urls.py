from django.urls import path

from hotline.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.ChangePasswordView.as_view(), name="password_change"),
]
