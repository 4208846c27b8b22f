"""The framework's own ceiling: plain Flask + Flask-SQLAlchemy, 12 rows, one query, one template.

Served by the benchmark under gunicorn with as many workers as the forum, on the same
database, so every forum figure can also be read as a share of what Flask itself does
on this machine. Nothing of Peerdesk is imported here.

Run: ``PEERDESK_DATABASE_URL=... gunicorn tests.bench.reference_app:app``.
"""

from __future__ import annotations

import os
from datetime import datetime

from flask import Flask, render_template
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader
from sqlalchemy import Integer, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
  <h1>{{ title }}</h1>
  <ol class="question-list">
  {% for question in questions %}
    <li><a href="/questions/{{ question.id }}">{{ question.title }}</a>
      <span>{{ question.score }} votes</span> <span>{{ question.answer_count }} answers</span>
      <time>{{ question.created_at }}</time></li>
  {% endfor %}
  </ol>
</body>
</html>
"""


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Question(db.Model):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(150))
    score: Mapped[int] = mapped_column(Integer)
    answer_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]


def create_reference_app(database_url: str) -> Flask:
    app = Flask(__name__)
    app.jinja_loader = DictLoader({"questions.html": PAGE})  # compiled once, cached like files
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    db.init_app(app)

    @app.get("/")
    def newest_questions() -> str:
        questions = db.session.scalars(select(Question).order_by(Question.id.desc()).limit(12)).all()
        return render_template("questions.html", title="Newest questions", questions=questions)

    return app


app = create_reference_app(os.environ.get("PEERDESK_DATABASE_URL", "sqlite://"))
