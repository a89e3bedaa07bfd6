"""indexes for the inbox, the task search and the reports, chosen from EXPLAIN at 1,000,000 tasks

- directive (office_unit_id, issued_on): a province's directives (reports, the Office's
  oversight filter, the register) without scanning every province's.
- work_item partial indexes WHERE state = 'open': the inbox reads open items by candidate unit
  and role, or by assignee; open items are a tenth of the table, so these stay small and hot
  while completed history grows. The older full indexes still serve history queries.

Revision ID: i10_pg_0001
Revises: i5_inbox_0001
Create Date: 2026-11-21 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i10_pg_0001'
down_revision = 'i5_inbox_0001'
branch_labels = None
depends_on = None

OPEN = sa.text("state = 'open'")


def upgrade():
    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.create_index('ix_directive_office_issued', ['office_unit_id', 'issued_on'], unique=False)
    # The inbox's work_item indexes are the covering ones of i5_inbox_0001 (chosen from EXPLAIN
    # of the stream queries); partial indexes on due_on would only cost writes.


def downgrade():
    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.drop_index('ix_directive_office_issued')
