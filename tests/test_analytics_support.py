"""Helpers the analytics tests share (no tests here): threads, and events built by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Flask

from analytics.models import SupportRequest, SurveyAnswer, ThreadView
from analytics.support import new_reference
from forum.accounts.models import User
from forum.database import utcnow
from forum.extensions import db
from forum.questions import services, voting
from forum.questions.models import Category, Question
from forum.web import slugify

BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)
BOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def make_thread(app: Flask, author: User, title: str, category: str, answered: str | None) -> int:
    """A thread in ``category``: ``answered`` is "accepted", "verified" or None (no answer
    at all). Returns the question id."""
    with app.app_context():
        user = db.session.get_one(User, author.id)
        question = services.ask_question(
            user,
            title,
            f"{title} - the details of what happens and what we tried so far.",
            category,
            ["help"],
        )
        if answered is not None:
            answer = services.post_answer(user, question, "This is what fixed it for us, step by step.")
            db.session.flush()
            if answered == "accepted":
                voting.accept_answer(user, answer)
            else:
                answer.accuracy, answer.accuracy_at = "verified", utcnow()
        db.session.commit()
        return question.id


def thread_path(app: Flask, question_id: int) -> str:
    """The canonical address of a thread (no slug redirect on the way)."""
    with app.app_context():
        title = db.session.get_one(Question, question_id).title
    return f"/questions/{question_id}/{slugify(title)}"


def category_id(app: Flask, slug: str) -> int:
    with app.app_context():
        return db.session.execute(db.select(Category.id).where(Category.slug == slug)).scalar_one()


def at(day: date, seconds: int = 3600) -> datetime:
    return datetime.combine(day, time.min, UTC) + timedelta(seconds=seconds)


def add_view(day: date, question: Question | Any, visitor: str, answered: bool, seconds: int = 3600) -> None:
    db.session.add(
        ThreadView(
            question_id=question.id,
            category_id=question.category_id,
            visitor_key=visitor,
            answered=answered,
            day=day,
            viewed_at=at(day, seconds),
        )
    )
    db.session.flush()  # ids follow insertion order: the first view of a day is credited


def add_answer(
    day: date, question: Question | Any, visitor: str, solved: bool, contacted: bool | None
) -> None:
    db.session.add(
        SurveyAnswer(
            question_id=question.id,
            category_id=question.category_id,
            visitor_key=visitor,
            solved=solved,
            would_have_contacted=contacted,
            day=day,
            answered_at=at(day, 7200),
        )
    )


def add_request(
    day: date,
    visitor: str | None,
    question: Question | Any | None = None,
    category: int | None = None,
    counted: bool = True,
) -> None:
    db.session.add(
        SupportRequest(
            reference=new_reference(),
            email="someone@example.com",
            subject="Still stuck",
            body="Please help.",
            question_id=None if question is None else question.id,
            category_id=question.category_id if question is not None else category,
            visitor_key=visitor,
            counted=counted,
            day=day,
            created_at=at(day, 9000),
            delivery_status="not_configured",
        )
    )
