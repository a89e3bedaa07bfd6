"""regulation rules: profile per directive, task classification and evaluation, extension requests,
coordination requests, obstacle reports, internal assignments, confidentiality

Revision ID: i4_rules_0001
Revises: i6_urging_0001
Create Date: 2026-11-21 05:12:14.621395

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = 'i4_rules_0001'
down_revision = 'i6_urging_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('coordination_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('request_text', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answer_text', sa.Text(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('escalated_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('leadership_instruction', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['app_user.id'], name=op.f('fk_coordination_request_answered_by_id_app_user')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['app_user.id'], name=op.f('fk_coordination_request_requested_by_id_app_user')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_coordination_request_task_id_task')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_coordination_request_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coordination_request'))
    )
    with op.batch_alter_table('coordination_request', schema=None) as batch_op:
        batch_op.create_index('ix_coordination_request_task', ['task_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coordination_request_unit_id'), ['unit_id'], unique=False)

    op.create_table('extension_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=True),
    sa.Column('filed_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_on_before', sa.Date(), nullable=False),
    sa.Column('proposed_due_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('request_document', sa.String(length=255), nullable=True),
    sa.Column('forward_due_on', sa.Date(), nullable=True),
    sa.Column('rule', sa.String(length=200), nullable=True),
    sa.Column('office_opinion', sa.Text(), nullable=True),
    sa.Column('forwarded_by_id', sa.Integer(), nullable=True),
    sa.Column('forwarded_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('new_due_on', sa.Date(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('answer_document', sa.String(length=255), nullable=True),
    sa.Column('answered_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['app_user.id'], name=op.f('fk_extension_request_decided_by_id_app_user')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['app_user.id'], name=op.f('fk_extension_request_filed_by_id_app_user')),
    sa.ForeignKeyConstraint(['forwarded_by_id'], ['app_user.id'], name=op.f('fk_extension_request_forwarded_by_id_app_user')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_extension_request_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_extension_request'))
    )
    with op.batch_alter_table('extension_request', schema=None) as batch_op:
        batch_op.create_index('ix_extension_request_task', ['task_id', 'id'], unique=False)

    op.create_table('internal_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('section_unit_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('request_note', sa.Text(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('received_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('section_instructions', sa.Text(), nullable=True),
    sa.Column('result_text', sa.Text(), nullable=True),
    sa.Column('reported_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('approved_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['app_user.id'], name=op.f('fk_internal_assignment_assigned_by_id_app_user')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['app_user.id'], name=op.f('fk_internal_assignment_requested_by_id_app_user')),
    sa.ForeignKeyConstraint(['section_unit_id'], ['unit.id'], name=op.f('fk_internal_assignment_section_unit_id_unit')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_internal_assignment_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_internal_assignment'))
    )
    with op.batch_alter_table('internal_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_internal_assignment_section_unit_id'), ['section_unit_id'], unique=False)
        batch_op.create_index('ix_internal_assignment_task', ['task_id', 'id'], unique=False)

    op.create_table('obstacle_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('cause', sa.Text(), nullable=True),
    sa.Column('agency_proposal', sa.Text(), nullable=True),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('reported_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('office_proposal', sa.String(length=30), nullable=True),
    sa.Column('office_note', sa.Text(), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision', sa.String(length=30), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['app_user.id'], name=op.f('fk_obstacle_report_decided_by_id_app_user')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['app_user.id'], name=op.f('fk_obstacle_report_proposed_by_id_app_user')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['app_user.id'], name=op.f('fk_obstacle_report_reported_by_id_app_user')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_obstacle_report_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_obstacle_report'))
    )
    with op.batch_alter_table('obstacle_report', schema=None) as batch_op:
        batch_op.create_index('ix_obstacle_report_task', ['task_id', 'id'], unique=False)

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clearance', sa.String(length=20), nullable=False, server_default='normal'))

    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitting_agency', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('is_complex', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('classify_rule', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('profile', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('register', sa.String(length=20), nullable=False, server_default='main'))
        batch_op.add_column(sa.Column('is_redacted', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('deliverable', sa.String(length=20), nullable=False, server_default='none'))
        batch_op.add_column(sa.Column('deadline_fixed_by_higher', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('result_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('progress_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('expected_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('result_document', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('quality', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('effectiveness', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('evaluation_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('evaluated_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('evaluated_at', app.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_task_evaluated_by_id_app_user'), 'app_user', ['evaluated_by_id'], ['id'])

    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_connected', sa.Boolean(), nullable=False, server_default=sa.true()))



def downgrade():
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_column('is_connected')

    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_task_evaluated_by_id_app_user'), type_='foreignkey')
        batch_op.drop_column('evaluated_at')
        batch_op.drop_column('evaluated_by_id')
        batch_op.drop_column('evaluation_note')
        batch_op.drop_column('effectiveness')
        batch_op.drop_column('quality')
        batch_op.drop_column('result_document')
        batch_op.drop_column('expected_on')
        batch_op.drop_column('progress_note')
        batch_op.drop_column('result_due_on')
        batch_op.drop_column('deadline_fixed_by_higher')
        batch_op.drop_column('deliverable')
        batch_op.drop_column('original_due_on')

    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.drop_column('is_redacted')
        batch_op.drop_column('register')
        batch_op.drop_column('profile')
        batch_op.drop_column('classify_rule')
        batch_op.drop_column('is_complex')
        batch_op.drop_column('submitting_agency')

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('clearance')

    with op.batch_alter_table('obstacle_report', schema=None) as batch_op:
        batch_op.drop_index('ix_obstacle_report_task')

    op.drop_table('obstacle_report')
    with op.batch_alter_table('internal_assignment', schema=None) as batch_op:
        batch_op.drop_index('ix_internal_assignment_task')
        batch_op.drop_index(batch_op.f('ix_internal_assignment_section_unit_id'))

    op.drop_table('internal_assignment')
    with op.batch_alter_table('extension_request', schema=None) as batch_op:
        batch_op.drop_index('ix_extension_request_task')

    op.drop_table('extension_request')
    with op.batch_alter_table('coordination_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coordination_request_unit_id'))
        batch_op.drop_index('ix_coordination_request_task')

    op.drop_table('coordination_request')
