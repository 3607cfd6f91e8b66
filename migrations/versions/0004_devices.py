"""devices: one-time registration links, and the device cookie looked up by its hash

Revision ID: 0004_devices
Revises: 0003_editor
Create Date: 2026-11-28 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_devices'
down_revision = '0003_editor'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registration_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('registration_expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('registered_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_device_token_hash'), ['token_hash'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_device_registration_hash'), ['registration_hash'])


def downgrade():
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_device_registration_hash'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_device_token_hash'))
        batch_op.drop_column('registered_at')
        batch_op.drop_column('registration_expires_at')
        batch_op.drop_column('registration_hash')
