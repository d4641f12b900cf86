"""The self-check "Klopt dit wel?": a few questions that end in advice.

Nothing is stored: the answers travel in the form and, only if the visitor starts a chat and
ticks "share my answers", become the first line of that chat (``summary_for_chat``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    # Type-only: django-stubs-ext is a development dependency (mypy), absent in production.
    from django_stubs_ext import StrOrPromise

ANSWERS = {"yes": _("Yes"), "no": _("No"), "unsure": _("I am not sure")}


@dataclass(frozen=True)
class Question:
    code: str
    area: str
    text: StrOrPromise
    #: The answer that is a sign of exploitation ("no" for "can you stop?").
    sign: str = "yes"
    #: A sign of direct danger: the advice then starts with 112.
    danger: bool = False
    page: str = ""


QUESTIONS: tuple[Question, ...] = (
    Question(
        "work_more",
        "work",
        _(
            "Do you have to work much longer or harder than was agreed, or do work you never agreed to?"
        ),
        page="labour-exploitation",
    ),
    Question(
        "can_stop",
        "freedom",
        _("Can you stop or say no without being punished or threatened?"),
        sign="no",
        page="am-i-being-exploited",
    ),
    Question(
        "money_kept",
        "money",
        _("Does someone else keep your money, or do you have a debt that you can never pay off?"),
        page="labour-migrants-debts-and-housing",
    ),
    Question(
        "papers_kept",
        "papers",
        _("Does someone else keep your passport, ID card or bank card?"),
        page="your-rights",
    ),
    Question(
        "threatened",
        "freedom",
        _("Are you threatened or watched, or are you not allowed to go where you want?"),
        danger=True,
        page="get-help",
    ),
    Question(
        "housing_tied",
        "work",
        _("Does your boss also decide where you live, and do you pay too much for it?"),
        page="labour-migrants-debts-and-housing",
    ),
    Question(
        "online_pictures",
        "online",
        _(
            "Has someone online asked you for nude pictures, or threatened to share pictures of you?"
        ),
        page="sextortion",
    ),
    Question(
        "easy_money",
        "crime",
        _(
            "Has someone asked you to carry drugs or money, or to lend your bank account, for easy money?"
        ),
        page="drug-running-and-money-mules",
    ),
)

BY_CODE = {q.code: q for q in QUESTIONS}


@dataclass(frozen=True)
class Outcome:
    level: str  # "none", "some", "strong"
    danger: bool
    signs: tuple[Question, ...]
    unsure: tuple[Question, ...]

    @property
    def pages(self) -> list[str]:
        seen: list[str] = []
        for question in (*self.signs, *self.unsure):
            if question.page and question.page not in seen:
                seen.append(question.page)
        return seen


def clean_answers(data) -> dict[str, str]:
    """Keep only known questions with a known answer; anything else is ignored."""
    return {q.code: data.get(q.code) for q in QUESTIONS if data.get(q.code) in ANSWERS}


def evaluate(answers: dict[str, str]) -> Outcome:
    signs = tuple(q for q in QUESTIONS if answers.get(q.code) == q.sign)
    unsure = tuple(q for q in QUESTIONS if answers.get(q.code) == "unsure")
    danger = any(q.danger for q in signs)
    if danger or len(signs) >= 3:
        level = "strong"
    elif signs or len(unsure) >= 2:
        level = "some"
    else:
        level = "none"
    return Outcome(level=level, danger=danger, signs=signs, unsure=unsure)


def encode(answers: dict[str, str]) -> str:
    """Answers as a compact string for a hidden form field: ``work_more=yes;can_stop=no``."""
    return ";".join(f"{code}={answer}" for code, answer in answers.items())


def decode(value: str) -> dict[str, str]:
    pairs = (item.partition("=") for item in (value or "").split(";") if item)
    return clean_answers({code: answer for code, _sep, answer in pairs})


def summary_for_chat(answers: dict[str, str]) -> str:
    """The text the counsellor sees when the visitor chose to share their answers."""
    lines = [str(_("The visitor shared their self-check answers:"))]
    for question in QUESTIONS:
        if question.code in answers:
            lines.append(f"- {question.text} {ANSWERS[answers[question.code]]}")
    return "\n".join(lines)
