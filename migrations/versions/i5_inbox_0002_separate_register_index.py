"""index of the separate-register directives read by the authorisation filters (R14)

Revision ID: i5_inbox_0002
Revises: i9_reports_0001
Create Date: 2026-11-21 09:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "i5_inbox_0002"
down_revision = "i9_reports_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("directive", schema=None) as batch_op:
        batch_op.create_index(
            "ix_directive_separate_register",
            ["id", "confidentiality"],
            unique=False,
            sqlite_where=sa.text("register = 'separate'"),
            postgresql_where=sa.text("register = 'separate'"),
        )


def downgrade():
    with op.batch_alter_table("directive", schema=None) as batch_op:
        batch_op.drop_index("ix_directive_separate_register")
