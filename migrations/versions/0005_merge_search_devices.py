"""Join the search and editor/devices branches into one history.

Revision ID: 0005_merge
Revises: 0002_search, 0004_devices
"""

revision = "0005_merge"
down_revision = ("0002_search", "0004_devices")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
