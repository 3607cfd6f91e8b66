"""fee lists: a channel may be a sector's regulator or a 主管部门 (complaint routes)

Revision ID: 0016_fee_lists
Revises: 0012_requests
Create Date: 2026-11-30 07:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_fee_lists'
down_revision = '0012_requests'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('channel', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.Enum('regulator', 'competent_department', name='channelrole', native_enum=False, length=30), nullable=True))
        batch_op.add_column(sa.Column('sector', sa.Enum('water', 'power', 'gas', 'heating', 'telecom', 'transport', 'hospital', 'school', name='sector', native_enum=False, length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('channel', schema=None) as batch_op:
        batch_op.drop_column('sector')
        batch_op.drop_column('role')
