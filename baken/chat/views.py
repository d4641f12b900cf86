"""HTTP adapters of the chat: the visitor's pages and the counsellors' console and lists."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from baken.accounts.http import StaffRequest
from baken.chat import selectors, services
from baken.chat.forms import (
    ChatStartForm,
    ChatToSignalForm,
    LeaveMessageForm,
    PickupForm,
    ReplyForm,
)
from baken.chat.models import CannedAnswer, Conversation, ConversationKind, Topic
from baken.lib import anonymity
from baken.lib.access import staff_required
from baken.lib.http import no_store
from baken.portal import selfcheck


def _starts_per_hour(group, request) -> str:
    return f"{settings.CHAT_STARTS_PER_HOUR}/h"


def _public_language() -> str:
    language = get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def chat_view(request: HttpRequest) -> HttpResponse:
    """The chat page. A POST comes from the self-check ("chat and share my answers")."""
    shared = selfcheck.decode(request.POST.get("selfcheck", "")) if request.method == "POST" else {}
    start_form = ChatStartForm(
        initial={
            "language": _public_language(),
            "selfcheck": selfcheck.encode(shared),
            # Never ticked in advance: the visitor chooses to share, on this page.
            "share_selfcheck": False,
        }
    )
    is_open = services.chat_is_open()
    context = {
        "is_open": is_open,
        "next_opening": None if is_open else services.chat_next_opening(),
        "start_form": start_form,
        "shared_answers": [
            (selfcheck.BY_CODE[code].text, selfcheck.ANSWERS[answer])
            for code, answer in shared.items()
        ],
        "message_form": LeaveMessageForm(initial={"language": _public_language()}),
        "max_chars": settings.CHAT_MESSAGE_MAX_CHARS,
    }
    return no_store(render(request, "chat/chat.html", context))


def _json_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)


@require_POST
@ratelimit(key=anonymity.ratelimit_key, rate=_starts_per_hour, method="POST", block=False)
def chat_start_view(request: HttpRequest) -> HttpResponse:
    """Start a chat; answers JSON to the page's script with the token for this tab only."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not wants_json:  # the form was sent without JavaScript
        return no_store(render(request, "chat/needs_javascript.html", status=400))
    key = anonymity.visitor_key(anonymity.client_address(request))
    if anonymity.is_blocked(key):
        return _json_error("blocked", _("You cannot start a new chat right now."), 403)
    if getattr(request, "limited", False):
        return _json_error(
            "rate", _("You have started many chats. Please wait an hour, or leave a message."), 429
        )
    form = ChatStartForm(request.POST)
    if not form.is_valid():
        return _json_error("invalid", _("Choose one of the languages in the list."), 400)
    data = form.cleaned_data
    shared = selfcheck.decode(data["selfcheck"]) if data["share_selfcheck"] else {}
    with translation.override(data["language"]):  # in the chat's language, for both sides
        summary = selfcheck.summary_for_chat(shared) if shared else ""
    try:
        conversation, token = services.chat_start(
            language=data["language"],
            nickname=data["nickname"],
            shared_selfcheck=summary,
        )
    except services.ChatError as error:
        return _json_error(error.code, str(error), 409)
    return no_store(
        JsonResponse({"token": token, "conversation": str(conversation.pk)}, status=201)
    )


@require_POST
def chat_delete_view(request: HttpRequest) -> HttpResponse:
    """ "Delete my chat" from the tab that holds the token."""
    conversation = services.conversation_for_token(request.POST.get("token", ""))
    if conversation is None:
        return _json_error("unknown", _("This chat no longer exists."), 404)
    services.chat_delete_by_visitor(conversation=conversation)
    return JsonResponse({"deleted": True})


@ratelimit(key=anonymity.ratelimit_key, rate=_starts_per_hour, method="POST", block=False)
def leave_message_view(request: HttpRequest) -> HttpResponse:
    """Outside opening hours (or whenever a visitor prefers): a message and a code."""
    form = LeaveMessageForm(request.POST or None, initial={"language": _public_language()})
    if request.method == "POST" and form.is_valid():
        if getattr(request, "limited", False):
            form.add_error(None, _("You have sent many messages. Please wait an hour."))
        else:
            data = form.cleaned_data
            try:
                _conversation, code = services.chat_leave_message(
                    language=data["language"], text=data["text"], nickname=data["nickname"]
                )
            except services.ChatError as error:
                form.add_error("text", str(error))
            else:
                return no_store(render(request, "chat/message_left.html", {"code": code}))
    return no_store(render(request, "chat/leave_message.html", {"form": form}))


@ratelimit(key=anonymity.ratelimit_key, rate="20/h", method="POST", block=False)
def pickup_view(request: HttpRequest) -> HttpResponse:
    """Read the answer to a left message with the code; write back; or delete it all.

    The code travels only in POST bodies, never in a URL."""
    code_form = PickupForm(request.POST or None)
    reply_form = ReplyForm(request.POST if "text" in request.POST else None)
    conversation = None
    context: dict = {"code_form": code_form}
    if request.method == "POST" and code_form.is_valid():
        if getattr(request, "limited", False):
            code_form.add_error("code", _("Too many tries. Please wait an hour."))
        else:
            conversation = services.conversation_for_pickup(code_form.cleaned_data["code"])
            if conversation is None:
                code_form.add_error("code", _("We do not know this code. Check it and try again."))
    if conversation is not None:
        if request.POST.get("action") == "delete":
            services.chat_delete_by_visitor(conversation=conversation)
            return no_store(render(request, "chat/deleted.html"))
        if "text" in request.POST and reply_form.is_valid():
            try:
                services.message_reply_by_visitor(
                    conversation=conversation, text=reply_form.cleaned_data["text"]
                )
                reply_form = ReplyForm()
                context["sent"] = True
            except services.ChatError as error:
                reply_form.add_error("text", str(error))
        context.update(
            conversation=conversation,
            transcript=services.messages_since(conversation, 0, for_staff=False),
            reply_form=reply_form,
            code=code_form.cleaned_data["code"],
        )
    return no_store(render(request, "chat/pickup.html", context))


# --- staff ------------------------------------------------------------------------------------


@staff_required("chat.answer")
def console_view(request: StaffRequest) -> HttpResponse:
    context = {
        "canned_answers": CannedAnswer.objects.all(),
        "topics": Topic.choices,
        "max_chars": settings.CHAT_MESSAGE_MAX_CHARS,
        "languages": dict(settings.LANGUAGES),
    }
    return no_store(render(request, "chat/console.html", context))


@staff_required("chat.supervise")
def queue_view(request: StaffRequest) -> HttpResponse:
    """The live queue for coordinators: waiting times and who is in which chat (no text)."""
    snapshot = selectors.queue_snapshot()
    template = "chat/_queue.html" if request.htmx else "chat/queue.html"
    return no_store(render(request, template, {"snapshot": snapshot, "now": timezone.now()}))


@staff_required("chat.supervise")
def messages_view(request: StaffRequest) -> HttpResponse:
    waiting = services.messages_waiting()
    answered = Conversation.objects.filter(kind=ConversationKind.MESSAGE, status="active").order_by(
        "-last_activity_at"
    )[:50]
    return render(request, "chat/messages.html", {"waiting": waiting, "answered": answered})


@staff_required("chat.supervise")
def message_detail_view(request: StaffRequest, message_conversation_id) -> HttpResponse:
    conversation = get_object_or_404(
        Conversation, pk=message_conversation_id, kind=ConversationKind.MESSAGE
    )
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.counsellor_reply_to_message(
                conversation=conversation, by=request.user, text=form.cleaned_data["text"]
            )
        except services.ChatError as error:
            form.add_error("text", str(error))
        else:
            flash.success(request, _("Your answer is ready for the visitor to pick up."))
            return redirect("chat:messages")
    transcript = services.transcript_for_staff(conversation, purpose="chat-message")
    return no_store(
        render(
            request,
            "chat/message_detail.html",
            {"conversation": conversation, "transcript": transcript, "form": form},
        )
    )


@staff_required("chat.answer")
def to_signal_view(request: StaffRequest, conversation_id) -> HttpResponse:
    conversation = get_object_or_404(
        Conversation.objects.select_related("signal"), pk=conversation_id
    )
    if conversation.counsellor_id != request.user.pk:
        raise Http404
    form = ChatToSignalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signal = services.chat_to_signal(
                conversation=conversation,
                by=request.user,
                summary=data["summary"],
                exploitation_forms=data["exploitation_forms"],
                municipality=data["municipality"],
                include_transcript=data["include_transcript"],
                involves_minor=data["involves_minor"],
            )
        except services.ChatError as error:
            form.add_error(None, str(error))
        else:
            flash.success(
                request,
                _("Signal %(ref)s is in the triage queue of the knowledge centre.")
                % {"ref": signal.reference},
            )
            return redirect("chat:console")
    return no_store(
        render(request, "chat/to_signal.html", {"conversation": conversation, "form": form})
    )
