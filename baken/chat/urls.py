from django.urls import path

from baken.chat import views

app_name = "chat"
urlpatterns = [
    path("chat/", views.chat_view, name="chat"),
    path("chat/starten/", views.chat_start_view, name="start"),
    path("chat/verwijderen/", views.chat_delete_view, name="delete"),
    path("chat/bericht/", views.leave_message_view, name="leave-message"),
    path("chat/antwoord/", views.pickup_view, name="pickup"),
    path("werk/chat/", views.console_view, name="console"),
    path("werk/chat/wachtrij/", views.queue_view, name="queue"),
    path("werk/chat/berichten/", views.messages_view, name="messages"),
    path(
        "werk/chat/berichten/<uuid:message_conversation_id>/",
        views.message_detail_view,
        name="message-detail",
    ),
    path("werk/chat/<uuid:conversation_id>/signaal/", views.to_signal_view, name="to-signal"),
]
