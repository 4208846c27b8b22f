"""Old tag names: a renamed or merged tag keeps its old name as an alias that redirects.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "tag_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=35), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_tag_aliases_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag_aliases")),
        sa.UniqueConstraint("name", name=op.f("uq_tag_aliases_name")),
    )
    with op.batch_alter_table("tag_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tag_aliases_tag_id"), ["tag_id"], unique=False)


def downgrade():
    with op.batch_alter_table("tag_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tag_aliases_tag_id"))
    op.drop_table("tag_aliases")
