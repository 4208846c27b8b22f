"""The command-line tools of the contract: users create, users token, demo."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.accounts.models import User
from forum.questions.models import Answer, Question


def test_users_create_and_token(runner, client, db):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "ops",
            "--email",
            "ops@example.com",
            "--password",
            "x" * 14,
            "--role",
            "admin",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created admin ops" in result.output
    token = runner.invoke(args=["users", "token", "ops"])
    assert token.exit_code == 0
    raw = token.output.strip()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).get_json()
    assert me["username"] == "ops" and me["role"] == "admin"


def test_users_create_reports_bad_input(runner, db):
    result = runner.invoke(args=["users", "create", "ops", "--email", "nope", "--password", "short"])
    assert result.exit_code != 0
    assert "password" in result.output and "email" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    bad_role = runner.invoke(
        args=["users", "create", "ops", "--email", "a@b.co", "--password", "x" * 12, "--role", "king"]
    )
    assert bad_role.exit_code != 0


def test_users_token_for_unknown_user_fails(runner):
    result = runner.invoke(args=["users", "token", "ghost"])
    assert result.exit_code != 0 and "ghost" in result.output


def test_demo_loads_once_unless_forced(runner, db):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    questions = db.session.scalar(select(func.count()).select_from(Question))
    assert questions >= 200
    assert db.session.scalar(select(func.count()).select_from(Answer)) > questions
    solved = db.session.scalar(
        select(func.count()).select_from(Question).where(Question.accepted_answer_id.is_not(None))
    )
    assert solved > 50
    for role in ("admin", "moderator", "advocate", "finance", "member"):
        assert db.session.scalar(select(User).where(User.role == role)) is not None
        assert role in result.output
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and "already has content" in again.output
    assert db.session.scalar(select(func.count()).select_from(Question)) == questions
