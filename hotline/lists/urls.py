from django.urls import path

from hotline.lists import views

app_name = "lists"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<str:name>/publish/", views.publish, name="publish"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/", views.member, name="member"),
    path("members/<int:pk>/terms/", views.member_terms, name="member_terms"),
    path("members/<int:pk>/active/", views.member_active, name="member_active"),
    path("members/<int:pk>/keys/", views.key_create, name="key_create"),
    path("members/<int:pk>/keys/<int:key_pk>/revoke/", views.key_revoke, name="key_revoke"),
    path("keywords/", views.keywords, name="keywords"),
    path("keywords/<int:pk>/review/", views.keyword_review, name="keyword_review"),
    path("keywords/<int:pk>/retire/", views.keyword_retire, name="keyword_retire"),
]
