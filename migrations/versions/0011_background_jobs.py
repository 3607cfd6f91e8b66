"""background jobs: hall batches built by the job worker, with their progress

Revision ID: 0011_background_jobs
Revises: 0006_catalogue_version
Create Date: 2026-11-30 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_background_jobs'
down_revision = '0006_catalogue_version'
branch_labels = None
depends_on = None

ACTIVE = sa.text("status IN ('queued', 'running', 'done')")


def upgrade():
    op.create_table(
        'background_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', 'expired', name='jobstatus', native_enum=False, length=20), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('result', sa.String(length=128), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('requested_by', sa.String(length=80), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_background_job')),
    )
    op.create_index('ix_background_job_created_at', 'background_job', ['created_at'])
    op.create_index(
        'uq_background_job_active_key', 'background_job', ['kind', 'key'], unique=True,
        sqlite_where=ACTIVE, postgresql_where=ACTIVE,
    )


def downgrade():
    op.drop_index('uq_background_job_active_key', table_name='background_job')
    op.drop_index('ix_background_job_created_at', table_name='background_job')
    op.drop_table('background_job')
