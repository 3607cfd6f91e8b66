"""ratings: residents' ratings (好差评), the phone left for a call back, rectification cases
and monthly handling figures

Revision ID: 0007_ratings
Revises: 0008_outages
Create Date: 2026-11-30 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_ratings'
down_revision = '0008_outages'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('utility_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('rater_hash', sa.String(length=64), nullable=False),
    sa.Column('rated_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_rating_item_id_item')),
    sa.ForeignKeyConstraint(['utility_id'], ['utility.id'], name=op.f('fk_rating_utility_id_utility')),
    sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], name=op.f('fk_rating_revision_id_revision')),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], name=op.f('fk_rating_device_id_device'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating'))
    )
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_utility_id'), ['utility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_rater_hash'), ['rater_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_rated_on'), ['rated_on'], unique=False)

    op.create_table('rating_contact',
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('left_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['rating_id'], ['rating.id'], name=op.f('fk_rating_contact_rating_id_rating')),
    sa.PrimaryKeyConstraint('rating_id', name=op.f('pk_rating_contact'))
    )
    with op.batch_alter_table('rating_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_contact_left_at'), ['left_at'], unique=False)

    op.create_table('rectification_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('utility_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('open', 'valid', 'disputed', 'closed', name='casestatus', native_enum=False, length=20), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('working_days', sa.Integer(), nullable=False),
    sa.Column('is_valid', sa.Boolean(), nullable=True),
    sa.Column('verdict_reason', sa.Text(), nullable=False),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('called_back_at', sa.DateTime(), nullable=True),
    sa.Column('call_back_note', sa.Text(), nullable=False),
    sa.Column('action_taken', sa.Text(), nullable=False),
    sa.Column('action_revision_id', sa.Integer(), nullable=True),
    sa.Column('acted_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['rating_id'], ['rating.id'], name=op.f('fk_rectification_case_rating_id_rating')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_rectification_case_item_id_item')),
    sa.ForeignKeyConstraint(['utility_id'], ['utility.id'], name=op.f('fk_rectification_case_utility_id_utility')),
    sa.ForeignKeyConstraint(['action_revision_id'], ['revision.id'], name=op.f('fk_rectification_case_action_revision_id_revision')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_rectification_case_closed_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_case')),
    sa.UniqueConstraint('rating_id', name=op.f('uq_rectification_case_rating_id'))
    )
    with op.batch_alter_table('rectification_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_case_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_case_utility_id'), ['utility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_case_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_case_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_case_closed_at'), ['closed_at'], unique=False)

    op.create_table('handling_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('utility_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Integer(), nullable=False),
    sa.Column('completed_on_time', sa.Integer(), nullable=False),
    sa.Column('average_working_days', sa.Numeric(precision=6, scale=1), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_handling_figures_item_id_item')),
    sa.ForeignKeyConstraint(['utility_id'], ['utility.id'], name=op.f('fk_handling_figures_utility_id_utility')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handling_figures')),
    sa.UniqueConstraint('item_id', 'month', name=op.f('uq_handling_figures_item_id'))
    )
    with op.batch_alter_table('handling_figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handling_figures_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handling_figures_utility_id'), ['utility_id'], unique=False)


def downgrade():
    op.drop_table('handling_figures')
    op.drop_table('rectification_case')
    op.drop_table('rating_contact')
    op.drop_table('rating')
