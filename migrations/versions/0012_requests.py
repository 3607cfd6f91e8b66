"""requests: information requests (依申请公开), their steps and the applicants' contacts

Revision ID: 0012_requests
Revises: 0009_administration
Create Date: 2026-11-30 05:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_requests'
down_revision = '0009_administration'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'info_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('tracking', sa.String(length=12), nullable=False),
        sa.Column('utility_id', sa.Integer(), nullable=False),
        sa.Column('requester', sa.String(length=20), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('reply_form', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('working_days', sa.Integer(), nullable=False),
        sa.Column('extension_days', sa.Integer(), nullable=False),
        sa.Column('extension_reason', sa.Text(), nullable=False),
        sa.Column('stopped_on', sa.Date(), nullable=True),
        sa.Column('stopped_days', sa.Integer(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('reply_text', sa.Text(), nullable=False),
        sa.Column('replied_on', sa.Date(), nullable=True),
        sa.Column('outcome', sa.String(length=20), nullable=True),
        sa.Column('outcome_reason', sa.Text(), nullable=False),
        sa.Column('closed_on', sa.Date(), nullable=True),
        sa.Column('contact_purged_at', sa.DateTime(), nullable=True),
        sa.Column('source_hash', sa.String(length=64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['utility_id'], ['utility.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('tracking'),
    )
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.create_index('ix_info_request_utility_id', ['utility_id'])
        batch_op.create_index('ix_info_request_received_on', ['received_on'])
        batch_op.create_index('ix_info_request_due_on', ['due_on'])
        batch_op.create_index('ix_info_request_closed_on', ['closed_on'])
        batch_op.create_index('ix_info_request_source_hash', ['source_hash'])
    op.create_table(
        'info_request_step',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('on', sa.Date(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('actor', sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['info_request.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('info_request_step', schema=None) as batch_op:
        batch_op.create_index('ix_info_request_step_request_id', ['request_id'])
    op.create_table(
        'info_request_contact',
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('contact', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['info_request.id']),
        sa.PrimaryKeyConstraint('request_id'),
    )


def downgrade():
    op.drop_table('info_request_contact')
    with op.batch_alter_table('info_request_step', schema=None) as batch_op:
        batch_op.drop_index('ix_info_request_step_request_id')
    op.drop_table('info_request_step')
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        for name in ('source_hash', 'closed_on', 'due_on', 'received_on', 'utility_id'):
            batch_op.drop_index(f'ix_info_request_{name}')
    op.drop_table('info_request')
