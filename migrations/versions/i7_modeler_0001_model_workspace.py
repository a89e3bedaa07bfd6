"""model workspace: the files the modeler opens, drafts, and what the bpmn/ directory last gave

Revision ID: i7_modeler_0001
Revises: i8_inspection_0001
Create Date: 2026-11-21 05:40:00

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = 'i7_modeler_0001'
down_revision = 'i8_inspection_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('model_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('origin_sha256', sa.String(length=64), nullable=True),
    sa.Column('updated_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('draft', sa.Text(), nullable=True),
    sa.Column('draft_saved_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('draft_saved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['app_user.id'], name=op.f('fk_model_file_updated_by_id_app_user')),
    sa.ForeignKeyConstraint(['draft_saved_by_id'], ['app_user.id'], name=op.f('fk_model_file_draft_saved_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_model_file')),
    sa.UniqueConstraint('path', name=op.f('uq_model_file_path'))
    )


def downgrade():
    op.drop_table('model_file')
