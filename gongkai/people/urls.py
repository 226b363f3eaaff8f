from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from gongkai.people import views
from gongkai.people.forms import LoginForm

# No app namespace: Django's password views reverse these names as they are.
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm,
                                                 redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("password/reset/", auth_views.PasswordResetView.as_view(
        extra_email_context={"site_name": settings.SITE_NAME}), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.token_create, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
