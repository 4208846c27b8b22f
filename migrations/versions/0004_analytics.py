"""Analytics: thread views, survey answers, support requests, call costs, daily roll-ups.

Revision ID: 0004
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = ("analytics",)
depends_on = None


def upgrade():
    op.create_table('deflection_daily',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('category_key', sa.Integer(), nullable=False),
    sa.Column('self_service_visits', sa.Integer(), nullable=False),
    sa.Column('escalations', sa.Integer(), nullable=False),
    sa.Column('survey_responses', sa.Integer(), nullable=False),
    sa.Column('survey_deflecting', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'category_key', name=op.f('pk_deflection_daily'))
    )
    op.create_table('deflection_rollup_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('stale', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_deflection_rollup_days'))
    )
    op.create_table('deflection_thread_daily',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('self_service_visits', sa.Integer(), nullable=False),
    sa.Column('support_requests', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'question_id', name=op.f('pk_deflection_thread_daily'))
    )
    with op.batch_alter_table('deflection_thread_daily', schema=None) as batch_op:
        batch_op.create_index('ix_deflection_thread_daily_question_day', ['question_id', 'day'], unique=False)
    op.create_table('survey_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('visitor_key', sa.String(length=48), nullable=False),
    sa.Column('solved', sa.Boolean(), nullable=False),
    sa.Column('would_have_contacted', sa.Boolean(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answers')),
    sa.UniqueConstraint('question_id', 'visitor_key', name='uq_survey_answers_question_visitor')
    )
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.create_index('ix_survey_answers_day', ['day'], unique=False)
    op.create_table('thread_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('visitor_key', sa.String(length=48), nullable=False),
    sa.Column('answered', sa.Boolean(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('viewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thread_views'))
    )
    with op.batch_alter_table('thread_views', schema=None) as batch_op:
        batch_op.create_index('ix_thread_views_day_answered_visitor', ['day', 'answered', 'visitor_key', 'id'], unique=False)
    op.create_table('call_costs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_call_costs_category_id_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_call_costs_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_costs'))
    )
    with op.batch_alter_table('call_costs', schema=None) as batch_op:
        batch_op.create_index('ix_call_costs_category_effective', ['category_id', 'effective_from'], unique=False)
    op.create_table('support_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=150), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('visitor_key', sa.String(length=48), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('counted', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivery_status', sa.String(length=20), nullable=False),
    sa.Column('delivery_attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_support_requests_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_requests')),
    sa.UniqueConstraint('reference', name=op.f('uq_support_requests_reference'))
    )
    with op.batch_alter_table('support_requests', schema=None) as batch_op:
        batch_op.create_index('ix_support_requests_day_visitor', ['day', 'visitor_key'], unique=False)
        batch_op.create_index('ix_support_requests_delivery', ['delivery_status', 'next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('support_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_support_requests_delivery')
        batch_op.drop_index('ix_support_requests_day_visitor')
    op.drop_table('support_requests')
    with op.batch_alter_table('call_costs', schema=None) as batch_op:
        batch_op.drop_index('ix_call_costs_category_effective')
    op.drop_table('call_costs')
    with op.batch_alter_table('thread_views', schema=None) as batch_op:
        batch_op.drop_index('ix_thread_views_day_answered_visitor')
    op.drop_table('thread_views')
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_answers_day')
    op.drop_table('survey_answers')
    with op.batch_alter_table('deflection_thread_daily', schema=None) as batch_op:
        batch_op.drop_index('ix_deflection_thread_daily_question_day')
    op.drop_table('deflection_thread_daily')
    op.drop_table('deflection_rollup_days')
    op.drop_table('deflection_daily')
