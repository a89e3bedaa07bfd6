"""indexes for the inbox, the task search and the reports, chosen from EXPLAIN at 1,000,000 tasks

- directive (office_unit_id, issued_on): a province's directives (reports, the Office's
  oversight filter, the register) without scanning every province's.
- work_item partial indexes WHERE state = 'open': the inbox reads open items by candidate unit
  and role, or by assignee; open items are a tenth of the table, so these stay small and hot
  while completed history grows. The older full indexes still serve history queries.

Revision ID: i10_pg_0001
Revises: ebfeef2d7dfb
Create Date: 2026-11-21 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i10_pg_0001'
down_revision = 'ebfeef2d7dfb'
branch_labels = None
depends_on = None

OPEN = sa.text("state = 'open'")


def upgrade():
    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.create_index('ix_directive_office_issued', ['office_unit_id', 'issued_on'], unique=False)
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.create_index(
            'ix_work_item_open_candidate',
            ['candidate_unit_id', 'candidate_role', 'due_on'],
            unique=False,
            postgresql_where=OPEN,
            sqlite_where=OPEN,
        )
        batch_op.create_index(
            'ix_work_item_open_assignee',
            ['assignee_id', 'due_on'],
            unique=False,
            postgresql_where=OPEN,
            sqlite_where=OPEN,
        )


def downgrade():
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.drop_index('ix_work_item_open_assignee')
        batch_op.drop_index('ix_work_item_open_candidate')
    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.drop_index('ix_directive_office_issued')
