"""Indexes for the question lists at scale: one per list order, led by the visibility columns.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

LISTED = ["deleted_at", "hidden_at", "held_for_review"]
INDEXES = {
    "ix_questions_listed_created": [*LISTED, "created_at", "id"],
    "ix_questions_listed_activity": [*LISTED, "last_activity_at", "id"],
    "ix_questions_listed_score": [*LISTED, "score", "id"],
    "ix_questions_listed_unanswered": [*LISTED, "answer_count", "created_at", "id"],
    "ix_questions_category_listed": ["category_id", *LISTED, "created_at", "id"],
}


def upgrade():
    with op.batch_alter_table("questions", schema=None) as batch_op:
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    with op.batch_alter_table("questions", schema=None) as batch_op:
        for name in INDEXES:
            batch_op.drop_index(name)
