from django.urls import path

from . import views

app_name = "newsroom"

urlpatterns = [
    path("", views.queue, name="home"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("articles/<int:pk>/items/", views.item_add, name="item_add"),
    path("articles/<int:pk>/assign/", views.article_assign_kind, name="article_assign"),
    path("articles/<int:pk>/claimreview.jsonld", views.article_claimreview, name="article_claimreview"),
    path("items/<int:pk>/", views.item_fragment, name="item"),
    path("items/<int:pk>/state/", views.item_state, name="item_state"),
    path("items/<int:pk>/assign/", views.item_assign_view, name="item_assign"),
    path("items/<int:pk>/notes/", views.item_note, name="item_note"),
    path("items/<int:pk>/adopt/", views.item_adopt, name="item_adopt"),
    path("items/<int:pk>/verify-from-source/", views.item_verify_source, name="item_verify_source"),
    path("articles/<int:pk>/sources/", views.article_source_add, name="article_source_add"),
    path("sources/<int:pk>/remove/", views.source_remove, name="source_remove"),
    path("articles/<int:pk>/editor/", views.article_editor_view, name="article_editor"),
    path("account/notifications/", views.notification_settings, name="notification_settings"),
    path("stories/", views.story_list, name="stories"),
    path("stories/<int:pk>/", views.story_detail, name="story"),
]
