"""``flask import stackexchange DIR`` end to end on the real Cardano Stack Exchange dump
(/work/shared/data/se-dump-cardano, CC BY-SA 4.0, https://stackexchange.com), when present.
Expected figures are computed here with ElementTree, independently of the importer."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.questions.models import Answer, Question
from tests.test_importer import CARDANO_DUMP, _checksum, _import, _table_counts, needs_cardano


def _cardano_expectations() -> dict[str, Any]:
    posts = list(ET.parse(CARDANO_DUMP / "Posts.xml").getroot())
    questions = {row.get("Id") for row in posts if row.get("PostTypeId") == "1"}
    answers = {row.get("Id"): row.get("ParentId") for row in posts if row.get("PostTypeId") == "2"}
    accepted = {
        row.get("Id"): row.get("AcceptedAnswerId")
        for row in posts
        if row.get("PostTypeId") == "1" and row.get("AcceptedAnswerId") in answers
    }
    duplicate_targets: dict[str, list[str]] = {}
    for link in ET.parse(CARDANO_DUMP / "PostLinks.xml").getroot():
        source, target = link.get("PostId"), link.get("RelatedPostId")
        if link.get("LinkTypeId") == "3" and source in questions and target in questions:
            duplicate_targets.setdefault(str(source), []).append(str(target))
    return {
        "questions": len(questions),
        "answers": len(answers),
        "accepted": accepted,
        "duplicates": duplicate_targets,
    }


@pytest.fixture
def cardano_imported(runner: FlaskCliRunner) -> Iterator[Any]:
    result = _import(runner, CARDANO_DUMP)
    assert result.exit_code == 0, result.output
    yield result


@needs_cardano
@pytest.mark.slow
def test_the_cardano_dump_imports_end_to_end(runner: FlaskCliRunner, cardano_imported: Any, db: Any) -> None:
    """1,042 questions, 1,496 answers, accepted answers and duplicates as the XML says; rerun is a no-op."""
    expected = _cardano_expectations()
    assert (expected["questions"], expected["answers"]) == (1042, 1496)
    prefix = "se:se-dump-cardano:"

    def source_ids(rows: Any) -> dict[str, str]:
        return {str(key).rsplit(":", 1)[1]: str(value).rsplit(":", 1)[1] for key, value in rows}

    assert db.session.scalar(select(func.count(Question.id))) == expected["questions"]
    assert db.session.scalar(select(func.count(Answer.id))) == expected["answers"]
    accepted_answer = Answer.__table__.alias("accepted_answer")
    accepted = db.session.execute(
        select(Question.import_source, accepted_answer.c.import_source).join(
            accepted_answer, accepted_answer.c.id == Question.accepted_answer_id
        )
    )
    assert source_ids(accepted) == expected["accepted"]
    canonical = Question.__table__.alias("canonical")
    duplicates = source_ids(
        db.session.execute(
            select(Question.import_source, canonical.c.import_source).join(
                canonical, canonical.c.id == Question.duplicate_of_id
            )
        )
    )
    assert duplicates.keys() == expected["duplicates"].keys()
    assert all(duplicates[post] == targets[0] for post, targets in expected["duplicates"].items())
    assert (
        db.session.scalar(select(func.count(Question.id)).where(~Question.import_source.startswith(prefix)))
        == 0
    )
    assert db.session.scalar(select(func.count(User.id)).where(User.is_placeholder.is_(False))) == 0
    assert "<script" not in "".join(db.session.scalars(select(Question.body_html)))

    counts, checksum = _table_counts(db), _checksum(db)
    again = _import(runner, CARDANO_DUMP)
    assert again.exit_code == 0, again.output
    assert _table_counts(db) == counts
    assert _checksum(db) == checksum
