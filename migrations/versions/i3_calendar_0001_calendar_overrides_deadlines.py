"""calendar overrides, revisions and deadline records

Administrator overrides of the working-day calendar (one row per date, removals kept), a snapshot of
the overrides behind each calendar revision, and the record (rule, start, working days, revision)
behind every computed deadline.

Revision ID: i3_calendar_0001
Revises: i7_modeler_0001
Create Date: 2026-11-21 05:04:42.454635

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = 'i3_calendar_0001'
down_revision = 'i7_modeler_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_revision',
    sa.Column('revision', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('overrides', sa.JSON(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('revision', name=op.f('pk_calendar_revision'))
    )
    op.create_table('calendar_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('reference', sa.String(length=300), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('removal_reference', sa.String(length=300), nullable=True),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('off', 'work')", name=op.f('ck_calendar_override_kind')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['app_user.id'], name=op.f('fk_calendar_override_changed_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_override')),
    sa.UniqueConstraint('day', name=op.f('uq_calendar_override_day'))
    )
    op.create_table('deadline',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('working_days', sa.Integer(), nullable=True),
    sa.Column('rule', sa.String(length=400), nullable=False),
    sa.Column('calendar_revision', sa.String(length=40), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('variable', sa.String(length=100), nullable=True),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_deadline_instance_id_process_instance')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline')),
    sa.UniqueConstraint('object_type', 'object_id', 'field', name='uq_deadline_object')
    )
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index('ix_deadline_method_revision', ['method', 'calendar_revision'], unique=False)



def downgrade():
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.drop_index('ix_deadline_method_revision')
        batch_op.drop_index(batch_op.f('ix_deadline_instance_id'))

    op.drop_table('deadline')
    op.drop_table('calendar_override')
    op.drop_table('calendar_revision')
