"""Default categories: Product, Website, Technical and Billing exist in every new database.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DEFAULT_CATEGORIES = [
    ("product", "Product", "Using the product: features, settings, how-tos.", 1),
    ("website", "Website", "Your account on the website, sign-in, profile and navigation.", 2),
    ("technical", "Technical", "Errors, integrations, the API and troubleshooting.", 3),
    ("billing", "Billing", "Plans, invoices, payments, refunds and seats.", 4),
]


def upgrade():
    categories = sa.table(
        "categories",
        sa.column("slug", sa.String),
        sa.column("name", sa.String),
        sa.column("description", sa.String),
        sa.column("position", sa.Integer),
    )
    op.bulk_insert(
        categories,
        [
            {"slug": slug, "name": name, "description": description, "position": position}
            for slug, name, description, position in DEFAULT_CATEGORIES
        ],
    )


def downgrade():
    op.execute("DELETE FROM categories WHERE slug IN ('product', 'website', 'technical', 'billing')")
