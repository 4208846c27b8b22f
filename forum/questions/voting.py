"""Votes, accepting an answer, and reputation.

Reputation scheme (README, "Reputation"): an upvote on your question +5, on your answer
+10; a downvote on your post -2; your answer accepted +15; accepting an answer to your own
question +2. Scores and reputation change with atomic ``UPDATE ... SET x = x + n`` so that
concurrent voters across workers never lose a vote.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from forum.accounts.models import User
from forum.errors import Conflict, NotAllowed, NotFoundError, ValidationFailed
from forum.extensions import db
from forum.questions import notifications, permissions
from forum.questions.models import Answer, Question, ReputationEvent, Vote
from forum.signals import answer_accepted, post_changed

UPVOTE_REPUTATION = {"question": 5, "answer": 10}
DOWNVOTE_REPUTATION = -2
ACCEPTED_REPUTATION = 15
ACCEPTER_REPUTATION = 2
MIN_REPUTATION = 1


def _reputation_for(target_type: str, value: int) -> int:
    if value > 0:
        return UPVOTE_REPUTATION[target_type]
    if value < 0:
        return DOWNVOTE_REPUTATION
    return 0


def change_reputation(
    user_id: int, amount: int, reason: str, target_type: str, target_id: int, actor_id: int | None
) -> None:
    """Record why ``user_id``'s reputation changed and apply it atomically."""
    if amount == 0:
        return
    db.session.add(
        ReputationEvent(
            user_id=user_id,
            amount=amount,
            reason=reason,
            target_type=target_type,
            target_id=target_id,
            actor_id=actor_id,
        )
    )
    db.session.execute(update(User).where(User.id == user_id).values(reputation=User.reputation + amount))


def _target(target_type: str, target_id: int) -> Question | Answer:
    post: Question | Answer | None = None
    if target_type == "question":
        post = db.session.get(Question, target_id)
    elif target_type == "answer":
        post = db.session.get(Answer, target_id)
    if post is None or not post.is_visible:
        raise NotFoundError("That post does not exist.")
    return post


def cast_vote(voter: User, target_type: str, target_id: int, value: int) -> int:
    """Set ``voter``'s vote on a post to +1, -1 or 0 (retract). Returns the new score.

    Raises ValidationFailed (bad value), NotAllowed (own post, suspended), NotFoundError.
    """
    if value not in (-1, 0, 1):
        raise ValidationFailed("A vote is 1, -1 or 0.", {"value": "Use 1, -1 or 0."})
    post = _target(target_type, target_id)
    if post.author_id == voter.id:
        raise NotAllowed("You cannot vote on your own post.", code="own_post")
    if not permissions.can_vote(voter, post):
        raise NotAllowed("Your account cannot vote right now.")
    model = type(post)
    existing = db.session.scalar(
        select(Vote)
        .where(Vote.user_id == voter.id, Vote.target_type == target_type, Vote.target_id == target_id)
        .with_for_update()
    )
    previous = existing.value if existing else 0
    if value == previous:
        return post.score
    if value == 0 and existing is not None:
        db.session.delete(existing)
    elif existing is not None:
        existing.value = value
    else:
        try:
            with db.session.begin_nested():
                db.session.add(
                    Vote(user_id=voter.id, target_type=target_type, target_id=target_id, value=value)
                )
        except IntegrityError as error:
            raise Conflict("Your vote was already being recorded; try again.") from error
    delta = value - previous
    db.session.execute(update(model).where(model.id == target_id).values(score=model.score + delta))
    rep = _reputation_for(target_type, value) - _reputation_for(target_type, previous)
    change_reputation(post.author_id, rep, "vote", target_type, target_id, voter.id)
    db.session.flush()
    db.session.refresh(post, ["score"])
    if target_type == "question":
        post_changed.send(question_id=target_id)
    return post.score


def accept_answer(actor: User, answer: Answer) -> Question:
    """Mark ``answer`` as the one that solved its question (moves any earlier accept)."""
    question = db.session.get(Question, answer.question_id)
    if question is None or not answer.is_visible:
        raise NotFoundError("That answer does not exist.")
    if not permissions.can_accept(actor, question):
        raise NotAllowed("Only the asker or a moderator can accept an answer.", code="not_asker")
    if question.accepted_answer_id == answer.id:
        return question
    if question.accepted_answer_id is not None:
        previous = db.session.get(Answer, question.accepted_answer_id)
        if previous is not None:
            change_reputation(
                previous.author_id, -ACCEPTED_REPUTATION, "unaccepted", "answer", previous.id, actor.id
            )
    elif answer.author_id != question.author_id and actor.id == question.author_id:
        change_reputation(actor.id, ACCEPTER_REPUTATION, "accepted_other", "answer", answer.id, actor.id)
    question.accepted_answer_id = answer.id
    if answer.author_id != question.author_id:
        change_reputation(answer.author_id, ACCEPTED_REPUTATION, "accepted", "answer", answer.id, actor.id)
        notifications.notify(answer.author_id, "accepted", question.id, answer.id, actor.id)
    db.session.flush()
    answer_accepted.send(actor=actor, answer=answer, question=question)
    post_changed.send(question_id=question.id)
    return question


def unaccept_answer(actor: User, question: Question) -> None:
    if not permissions.can_accept(actor, question):
        raise NotAllowed("Only the asker or a moderator can change the accepted answer.")
    if question.accepted_answer_id is None:
        return
    previous = db.session.get(Answer, question.accepted_answer_id)
    if previous is not None and previous.author_id != question.author_id:
        change_reputation(
            previous.author_id, -ACCEPTED_REPUTATION, "unaccepted", "answer", previous.id, actor.id
        )
    question.accepted_answer_id = None
    db.session.flush()
    post_changed.send(question_id=question.id)
