"""outages and hearings: outage notices (停水 / 停电 / 停气 / 停热) with their update log;
price hearings and consultations (价格听证、征求意见) with residents' comments

Revision ID: 0008_outages
Revises: 0011_background_jobs
Create Date: 2026-11-30 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_outages'
down_revision = '0011_background_jobs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'outage',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('utility_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('planned', 'emergency', name='outagekind', native_enum=False, length=20), nullable=False),
        sa.Column('area', sa.Text(), nullable=False),
        sa.Column('districts', sa.JSON(), nullable=False),
        sa.Column('streets', sa.JSON(), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('advice', sa.Text(), nullable=False),
        sa.Column('channel_id', sa.Integer(), nullable=True),
        sa.Column('published_at', sa.DateTime(), nullable=False),
        sa.Column('required_notice_hours', sa.Integer(), nullable=True),
        sa.Column('given_notice_hours', sa.Integer(), nullable=True),
        sa.Column('cancelled_at', sa.DateTime(), nullable=True),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['utility_id'], ['utility.id'], name=op.f('fk_outage_utility_id_utility')),
        sa.ForeignKeyConstraint(['channel_id'], ['channel.id'], name=op.f('fk_outage_channel_id_channel')),
        sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_outage_author_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outage')),
    )
    with op.batch_alter_table('outage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outage_utility_id'), ['utility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outage_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outage_ends_at'), ['ends_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outage_published_at'), ['published_at'], unique=False)

    op.create_table(
        'outage_update',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('outage_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('published', 'extended', 'ended', 'cancelled', name='updatekind', native_enum=False, length=20), nullable=False),
        sa.Column('occurred_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['outage_id'], ['outage.id'], name=op.f('fk_outage_update_outage_id_outage')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outage_update')),
    )
    with op.batch_alter_table('outage_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outage_update_outage_id'), ['outage_id'], unique=False)


    op.create_table(
        'hearing',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('utility_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('hearing', 'consultation', name='hearingkind', native_enum=False, length=20), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('proposal', sa.Text(), nullable=False),
        sa.Column('reasons', sa.Text(), nullable=False),
        sa.Column('basis', sa.Text(), nullable=False),
        sa.Column('held_at', sa.DateTime(), nullable=True),
        sa.Column('place', sa.String(length=300), nullable=False),
        sa.Column('how_to_take_part', sa.Text(), nullable=False),
        sa.Column('comments_open_at', sa.DateTime(), nullable=False),
        sa.Column('comments_close_at', sa.DateTime(), nullable=False),
        sa.Column('draft_content', sa.JSON(), nullable=False),
        sa.Column('fee_index', sa.Integer(), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=False),
        sa.Column('summary_published_at', sa.DateTime(), nullable=True),
        sa.Column('summary_points', sa.Text(), nullable=False),
        sa.Column('summary_accepted', sa.Text(), nullable=False),
        sa.Column('summary_not_accepted', sa.Text(), nullable=False),
        sa.Column('summary_comment_count', sa.Integer(), nullable=True),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['utility_id'], ['utility.id'], name=op.f('fk_hearing_utility_id_utility')),
        sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_hearing_item_id_item')),
        sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_hearing_author_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hearing')),
    )
    with op.batch_alter_table('hearing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearing_utility_id'), ['utility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearing_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearing_comments_close_at'), ['comments_close_at'], unique=False)

    op.create_table(
        'hearing_comment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('hearing_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('contact', sa.String(length=120), nullable=False),
        sa.Column('source_hash', sa.String(length=64), nullable=False),
        sa.Column('contact_purged_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['hearing_id'], ['hearing.id'], name=op.f('fk_hearing_comment_hearing_id_hearing')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hearing_comment')),
    )
    with op.batch_alter_table('hearing_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearing_comment_hearing_id'), ['hearing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearing_comment_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearing_comment_source_hash'), ['source_hash'], unique=False)


def downgrade():
    with op.batch_alter_table('hearing_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearing_comment_source_hash'))
        batch_op.drop_index(batch_op.f('ix_hearing_comment_created_at'))
        batch_op.drop_index(batch_op.f('ix_hearing_comment_hearing_id'))
    op.drop_table('hearing_comment')
    with op.batch_alter_table('hearing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearing_comments_close_at'))
        batch_op.drop_index(batch_op.f('ix_hearing_item_id'))
        batch_op.drop_index(batch_op.f('ix_hearing_utility_id'))
    op.drop_table('hearing')
    with op.batch_alter_table('outage_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outage_update_outage_id'))
    op.drop_table('outage_update')
    with op.batch_alter_table('outage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outage_published_at'))
        batch_op.drop_index(batch_op.f('ix_outage_ends_at'))
        batch_op.drop_index(batch_op.f('ix_outage_starts_at'))
        batch_op.drop_index(batch_op.f('ix_outage_utility_id'))
    op.drop_table('outage')
