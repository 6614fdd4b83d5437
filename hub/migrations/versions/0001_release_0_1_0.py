"""The schema of release 0.1.0, the last made without migrations.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('addresses',
    sa.Column('uprn', sa.String(length=12), nullable=False),
    sa.Column('line1', sa.String(length=100), nullable=False),
    sa.Column('line2', sa.String(length=100), nullable=False),
    sa.Column('town', sa.String(length=60), nullable=False),
    sa.Column('postcode', sa.String(length=8), nullable=False),
    sa.Column('ward', sa.String(length=60), nullable=False),
    sa.Column('bin_round', sa.String(length=20), nullable=False),
    sa.Column('general_waste_day', sa.String(length=10), nullable=False),
    sa.Column('recycling_day', sa.String(length=10), nullable=False),
    sa.Column('garden_waste_day', sa.String(length=10), nullable=False),
    sa.Column('council_tax_band', sa.String(length=1), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('uprn')
    )
    with op.batch_alter_table('addresses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_addresses_postcode'), ['postcode'], unique=False)

    op.create_table('assist_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('help_id', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('wrong_tries', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('assist_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assist_codes_kiosk_id'), ['kiosk_id'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('staff_name', sa.String(length=100), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('site', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=14), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('request_hash', sa.String(length=64), server_default='', nullable=False),
    sa.Column('journey_id', sa.String(length=64), nullable=False),
    sa.Column('journey_title', sa.String(length=120), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('site', sa.String(length=64), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('connector', sa.String(length=20), nullable=False),
    sa.Column('relay_state', sa.String(length=10), nullable=False),
    sa.Column('relay_attempts', sa.Integer(), nullable=False),
    sa.Column('next_relay_at', sa.DateTime(), nullable=False),
    sa.Column('relay_error', sa.Text(), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('relay_uncertain', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('status_checked_at', sa.DateTime(), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('officer_entered', sa.String(length=500), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key'),
    sa.UniqueConstraint('reference')
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_journey_id'), ['journey_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_relay_state'), ['relay_state'], unique=False)

    op.create_table('devices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('site', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(), nullable=True),
    sa.Column('outbox_queued', sa.Integer(), server_default='0', nullable=False),
    sa.Column('outbox_held', sa.Integer(), server_default='0', nullable=False),
    sa.Column('outbox_quarantined', sa.Integer(), server_default='0', nullable=False),
    sa.Column('outbox_reported_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kiosk_id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_table('handoffs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('journey_id', sa.String(length=64), nullable=False),
    sa.Column('site', sa.String(length=64), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=True),
    sa.Column('csrf', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('claim_hash', sa.String(length=64), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('reference', sa.String(length=14), nullable=False),
    sa.Column('language', sa.String(length=3), server_default='en', nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_hash'),
    sa.UniqueConstraint('public_id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoffs_expires_at'), ['expires_at'], unique=False)

    op.create_table('help_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('site', sa.String(length=64), nullable=False),
    sa.Column('journey', sa.String(length=64), nullable=False),
    sa.Column('step', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('claimed_by', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_requests_site'), ['site'], unique=False)

    op.create_table('insight_counts',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('site', sa.String(length=64), nullable=False),
    sa.Column('metric', sa.String(length=30), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'site', 'metric', 'key')
    )
    op.create_table('insight_events',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('session_id', sa.String(length=32), nullable=False),
    sa.Column('site', sa.String(length=64), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('journey', sa.String(length=64), nullable=False),
    sa.Column('step', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('insight_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_insight_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_insight_events_session_id'), ['session_id'], unique=False)

    op.create_table('staff_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('site', sa.String(length=64), server_default='', nullable=False),
    sa.Column('pin_hash', sa.String(length=200), server_default='', nullable=False),
    sa.Column('disabled_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('taster_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site', sa.String(length=64), nullable=False),
    sa.Column('kiosks', sa.String(length=1000), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('lessons', sa.String(length=1000), nullable=False),
    sa.Column('group_name', sa.String(length=40), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('taster_bookings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_taster_bookings_site'), ['site'], unique=False)
        batch_op.create_index(batch_op.f('ix_taster_bookings_starts_at'), ['starts_at'], unique=False)

    op.create_table('taster_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('site', sa.String(length=64), nullable=False),
    sa.Column('lessons', sa.String(length=1000), nullable=False),
    sa.Column('first_name', sa.String(length=30), nullable=False),
    sa.Column('first_name_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('taster_certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_taster_certificates_expires_at'), ['expires_at'], unique=False)

    op.create_table('taster_runs',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('site', sa.String(length=64), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('group_name', sa.String(length=40), nullable=False),
    sa.Column('lessons', sa.String(length=1000), nullable=False),
    sa.Column('started', sa.String(length=1000), nullable=False),
    sa.Column('completed', sa.String(length=1000), nullable=False),
    sa.Column('opened_by', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('hub_extra_minutes', sa.Integer(), nullable=False),
    sa.Column('hub_extra_applied', sa.Integer(), server_default='0', nullable=False),
    sa.Column('end_requested', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('taster_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_taster_runs_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_taster_runs_kiosk_id'), ['kiosk_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_taster_runs_site'), ['site'], unique=False)
        batch_op.create_index(batch_op.f('ix_taster_runs_started_at'), ['started_at'], unique=False)

    op.create_table('case_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('note_sealed', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_updates_case_id'), ['case_id'], unique=False)

    op.create_table('relay_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('relay_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relay_log_case_id'), ['case_id'], unique=False)

    op.create_table('staff_sessions',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('csrf', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['staff_users.id'], ),
    sa.PrimaryKeyConstraint('id_hash')
    )


def downgrade() -> None:
    op.drop_table('staff_sessions')
    with op.batch_alter_table('relay_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_relay_log_case_id'))

    op.drop_table('relay_log')
    with op.batch_alter_table('case_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_updates_case_id'))

    op.drop_table('case_updates')
    with op.batch_alter_table('taster_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_taster_runs_started_at'))
        batch_op.drop_index(batch_op.f('ix_taster_runs_site'))
        batch_op.drop_index(batch_op.f('ix_taster_runs_kiosk_id'))
        batch_op.drop_index(batch_op.f('ix_taster_runs_booking_id'))

    op.drop_table('taster_runs')
    with op.batch_alter_table('taster_certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_taster_certificates_expires_at'))

    op.drop_table('taster_certificates')
    with op.batch_alter_table('taster_bookings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_taster_bookings_starts_at'))
        batch_op.drop_index(batch_op.f('ix_taster_bookings_site'))

    op.drop_table('taster_bookings')
    op.drop_table('staff_users')
    with op.batch_alter_table('insight_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_insight_events_session_id'))
        batch_op.drop_index(batch_op.f('ix_insight_events_at'))

    op.drop_table('insight_events')
    op.drop_table('insight_counts')
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_requests_site'))

    op.drop_table('help_requests')
    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoffs_expires_at'))

    op.drop_table('handoffs')
    op.drop_table('devices')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_relay_state'))
        batch_op.drop_index(batch_op.f('ix_cases_journey_id'))

    op.drop_table('cases')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    with op.batch_alter_table('assist_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assist_codes_kiosk_id'))

    op.drop_table('assist_codes')
    with op.batch_alter_table('addresses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_addresses_postcode'))

    op.drop_table('addresses')
