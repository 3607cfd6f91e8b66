"""signups and reply files: residents signing up to attend a hearing, and the files sent
with the reply to an information request

Revision ID: 0019_signups_and_reply_files
Revises: 0016_fee_lists
Create Date: 2026-11-30 07:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_signups_and_reply_files'
down_revision = '0016_fee_lists'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('hearing') as batch:
        batch.add_column(sa.Column('signup_close_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('signup_places', sa.Integer(), nullable=True))
    op.create_table(
        'hearing_signup',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('hearing_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('contact', sa.String(length=120), nullable=False),
        sa.Column('represents', sa.String(length=120), nullable=False),
        sa.Column('source_hash', sa.String(length=64), nullable=False),
        sa.Column('contact_purged_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['hearing_id'], ['hearing.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('hearing_signup') as batch:
        batch.create_index('ix_hearing_signup_hearing_id', ['hearing_id'])
        batch.create_index('ix_hearing_signup_created_at', ['created_at'])
        batch.create_index('ix_hearing_signup_source_hash', ['source_hash'])
    op.create_table(
        'info_request_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('media_type', sa.String(length=40), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('added_at', sa.DateTime(), nullable=False),
        sa.Column('added_by', sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['info_request.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('info_request_file') as batch:
        batch.create_index('ix_info_request_file_request_id', ['request_id'])


def downgrade():
    op.drop_table('info_request_file')
    op.drop_table('hearing_signup')
    with op.batch_alter_table('hearing') as batch:
        batch.drop_column('signup_places')
        batch.drop_column('signup_close_at')
