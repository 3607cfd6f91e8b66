"""editor: one audit row per predecessor, and changes listed by publication time

Revision ID: 0003_editor
Revises: 0001
Create Date: 2026-11-27 14:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0003_editor'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    # Two rows naming the same predecessor would fork the hash chain; refuse the second.
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_prev_hash'), ['prev_hash'])
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revision_published_at'), ['published_at'], unique=False)


def downgrade():
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revision_published_at'))
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_event_prev_hash'), type_='unique')
