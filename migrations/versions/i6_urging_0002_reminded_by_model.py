"""work items whose model sends its own reminders (task property reminders="model")

Revision ID: i6_urging_0002
Revises: i5_inbox_0002
Create Date: 2026-11-21 11:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "i6_urging_0002"
down_revision = "i5_inbox_0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("work_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reminded_by_model", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("work_item", schema=None) as batch_op:
        batch_op.drop_column("reminded_by_model")
