"""catalogue_version: one row whose number moves with every change residents can see

Revision ID: 0006_catalogue_version
Revises: 0005_merge
Create Date: 2026-11-30 04:00:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_catalogue_version'
down_revision = '0005_merge'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'catalogue_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.BigInteger(), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_version')),
    )
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(table, [{'id': 1, 'number': 1, 'changed_at': now}])


def downgrade():
    op.drop_table('catalogue_version')
