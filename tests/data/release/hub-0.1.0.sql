-- A hub database as the release before migrations (0.1.0, commit 4d99c22) made it:
-- create_all plus add_missing_columns, three cases, a kiosk, a daily count. Its data key is in
-- hub-0.1.0.key. tests/test_migrations.py upgrades it and checks the cases are all there.
BEGIN TRANSACTION;
CREATE TABLE addresses (
	uprn VARCHAR(12) NOT NULL, 
	line1 VARCHAR(100) NOT NULL, 
	line2 VARCHAR(100) NOT NULL, 
	town VARCHAR(60) NOT NULL, 
	postcode VARCHAR(8) NOT NULL, 
	ward VARCHAR(60) NOT NULL, 
	bin_round VARCHAR(20) NOT NULL, 
	general_waste_day VARCHAR(10) NOT NULL, 
	recycling_day VARCHAR(10) NOT NULL, 
	garden_waste_day VARCHAR(10) NOT NULL, 
	council_tax_band VARCHAR(1) NOT NULL, 
	latitude FLOAT, 
	longitude FLOAT, 
	PRIMARY KEY (uprn)
);
CREATE TABLE assist_codes (
	id INTEGER NOT NULL, 
	kiosk_id VARCHAR(64) NOT NULL, 
	code_hash VARCHAR(64) NOT NULL, 
	staff_id INTEGER NOT NULL, 
	help_id INTEGER NOT NULL, 
	expires_at DATETIME NOT NULL, 
	used_at DATETIME, 
	wrong_tries INTEGER DEFAULT '0' NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE audit_log (
	id VARCHAR(32) NOT NULL, 
	at DATETIME NOT NULL, 
	staff_id INTEGER NOT NULL, 
	staff_name VARCHAR(100) NOT NULL, 
	kiosk_id VARCHAR(64) NOT NULL, 
	site VARCHAR(64) NOT NULL, 
	action VARCHAR(40) NOT NULL, 
	detail VARCHAR(200) NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE case_updates (
	id INTEGER NOT NULL, 
	case_id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	text VARCHAR(300) NOT NULL, 
	note_sealed BLOB, 
	PRIMARY KEY (id), 
	FOREIGN KEY(case_id) REFERENCES cases (id)
);
INSERT INTO "case_updates" VALUES(1,1,'2026-11-30 09:36:03.529218','Received',NULL);
INSERT INTO "case_updates" VALUES(2,2,'2026-11-30 09:36:03.529975','Received',NULL);
INSERT INTO "case_updates" VALUES(3,3,'2026-11-30 09:36:03.530251','Received',NULL);
CREATE TABLE cases (
	id INTEGER NOT NULL, 
	reference VARCHAR(14) NOT NULL, 
	idempotency_key VARCHAR(64) NOT NULL, 
	request_hash VARCHAR(64) DEFAULT '' NOT NULL, 
	journey_id VARCHAR(64) NOT NULL, 
	journey_title VARCHAR(120) NOT NULL, 
	channel VARCHAR(20) NOT NULL, 
	kiosk_id VARCHAR(64) NOT NULL, 
	site VARCHAR(64) NOT NULL, 
	sealed BLOB NOT NULL, 
	submitted_at DATETIME NOT NULL, 
	received_at DATETIME NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	connector VARCHAR(20) NOT NULL, 
	relay_state VARCHAR(10) NOT NULL, 
	relay_attempts INTEGER NOT NULL, 
	next_relay_at DATETIME NOT NULL, 
	relay_error TEXT NOT NULL, 
	external_id VARCHAR(64) NOT NULL, 
	relay_uncertain BOOLEAN DEFAULT '0' NOT NULL, 
	status_checked_at DATETIME, 
	officer_id INTEGER, 
	officer_entered VARCHAR(500) DEFAULT '' NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (reference), 
	UNIQUE (idempotency_key)
);
INSERT INTO "cases" VALUES(1,'MB-OLD000','key-0000-xxxxxxxx','','missed-bin','Report a missed bin','kiosk','old-kiosk','old-site',X'674141414141427244554F447737455250796643556D7A666C554F4C77554245614B4756684955476A3879314C7167416F61495733695F614550337976674A6E6530536A527043394376447069467545545F5031483273746741696B765F48455A7352755836687334564736526D435837597046515F7577316C7246325364436647705946536E38702D6952','2026-11-01 10:00:00.000000','2026-11-30 09:36:03.526875','received','inbox','pending',0,'2026-11-30 09:36:03.526884','','',0,NULL,NULL,'');
INSERT INTO "cases" VALUES(2,'MB-OLD001','key-0001-xxxxxxxx','','missed-bin','Report a missed bin','kiosk','old-kiosk','old-site',X'674141414141427244554F44515F4C7A6B533432645A76537478767848416C363569497A4171656564625A617435793934636D6F685A7556532D4C5850646D614A712D4F42734E726F7254474F413230524F54732D46476C494F62597167664350497853685553614B6D466D5851436C6452717855627539517853584151724335594B4C466A356272567544','2026-11-01 10:01:00.000000','2026-11-30 09:36:03.528749','received','inbox','sent',0,'2026-11-30 09:36:03.528755','','',0,NULL,NULL,'');
INSERT INTO "cases" VALUES(3,'MB-OLD002','key-0002-xxxxxxxx','','missed-bin','Report a missed bin','kiosk','old-kiosk','old-site',X'674141414141427244554F446B7030787434345964434966304544725666374A59435846336378417A52344947715050395F39574A48777A5A5A5037676C7A6C4A7952326A792D3233707976544C6A645F555A7868556B38496942733939614F422D473034725F345255774E476A646C655367654C6F426D6F59676A584567554C584D47674349546C6F7145','2026-11-01 10:02:00.000000','2026-11-30 09:36:03.529803','received','inbox','sent',0,'2026-11-30 09:36:03.529808','','',0,NULL,NULL,'');
CREATE TABLE devices (
	id INTEGER NOT NULL, 
	kiosk_id VARCHAR(64) NOT NULL, 
	site VARCHAR(64) NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	revoked_at DATETIME, 
	last_seen_at DATETIME, 
	outbox_queued INTEGER DEFAULT '0' NOT NULL, 
	outbox_held INTEGER DEFAULT '0' NOT NULL, 
	outbox_quarantined INTEGER DEFAULT '0' NOT NULL, 
	outbox_reported_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (kiosk_id), 
	UNIQUE (token_hash)
);
INSERT INTO "devices" VALUES(1,'old-kiosk','old-site','aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa','2026-11-30 09:36:03.527808',NULL,NULL,0,0,0,NULL);
CREATE TABLE handoffs (
	id INTEGER NOT NULL, 
	public_id VARCHAR(32) NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	code_hash VARCHAR(64) NOT NULL, 
	journey_id VARCHAR(64) NOT NULL, 
	site VARCHAR(64) NOT NULL, 
	kiosk_id VARCHAR(64) NOT NULL, 
	sealed BLOB, 
	csrf VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	claim_hash VARCHAR(64), 
	completed_at DATETIME, 
	reference VARCHAR(14) NOT NULL, 
	language VARCHAR(3) DEFAULT 'en' NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (public_id), 
	UNIQUE (token_hash), 
	UNIQUE (code_hash)
);
CREATE TABLE help_requests (
	id INTEGER NOT NULL, 
	kiosk_id VARCHAR(64) NOT NULL, 
	site VARCHAR(64) NOT NULL, 
	journey VARCHAR(64) NOT NULL, 
	step VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	status VARCHAR(10) NOT NULL, 
	claimed_by INTEGER, 
	PRIMARY KEY (id)
);
CREATE TABLE insight_counts (
	day DATE NOT NULL, 
	site VARCHAR(64) NOT NULL, 
	metric VARCHAR(30) NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	count INTEGER NOT NULL, 
	PRIMARY KEY (day, site, metric, "key")
);
INSERT INTO "insight_counts" VALUES('2026-11-01','old-site','started','missed-bin',7);
CREATE TABLE insight_events (
	id VARCHAR(32) NOT NULL, 
	kind VARCHAR(30) NOT NULL, 
	at DATETIME NOT NULL, 
	session_id VARCHAR(32) NOT NULL, 
	site VARCHAR(64) NOT NULL, 
	kiosk_id VARCHAR(64) NOT NULL, 
	journey VARCHAR(64) NOT NULL, 
	step VARCHAR(64) NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE relay_log (
	id INTEGER NOT NULL, 
	case_id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	outcome VARCHAR(10) NOT NULL, 
	reason VARCHAR(500) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(case_id) REFERENCES cases (id)
);
CREATE TABLE staff_sessions (
	id_hash VARCHAR(64) NOT NULL, 
	user_id INTEGER NOT NULL, 
	csrf VARCHAR(64) NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (id_hash), 
	FOREIGN KEY(user_id) REFERENCES staff_users (id)
);
CREATE TABLE staff_users (
	id INTEGER NOT NULL, 
	username VARCHAR(64) NOT NULL, 
	display_name VARCHAR(100) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	password_hash VARCHAR(200) NOT NULL, 
	site VARCHAR(64) DEFAULT '' NOT NULL, 
	pin_hash VARCHAR(200) DEFAULT '' NOT NULL, 
	disabled_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (username)
);
CREATE TABLE taster_bookings (
	id INTEGER NOT NULL, 
	site VARCHAR(64) NOT NULL, 
	kiosks VARCHAR(1000) NOT NULL, 
	starts_at DATETIME NOT NULL, 
	minutes INTEGER NOT NULL, 
	lessons VARCHAR(1000) NOT NULL, 
	group_name VARCHAR(40) NOT NULL, 
	created_by INTEGER NOT NULL, 
	cancelled_at DATETIME, 
	PRIMARY KEY (id)
);
CREATE TABLE taster_certificates (
	id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	site VARCHAR(64) NOT NULL, 
	lessons VARCHAR(1000) NOT NULL, 
	first_name VARCHAR(30) NOT NULL, 
	first_name_sealed BLOB, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (token_hash)
);
CREATE TABLE taster_runs (
	id VARCHAR(32) NOT NULL, 
	kiosk_id VARCHAR(64) NOT NULL, 
	site VARCHAR(64) NOT NULL, 
	booking_id INTEGER, 
	group_name VARCHAR(40) NOT NULL, 
	lessons VARCHAR(1000) NOT NULL, 
	started VARCHAR(1000) NOT NULL, 
	completed VARCHAR(1000) NOT NULL, 
	opened_by INTEGER NOT NULL, 
	started_at DATETIME NOT NULL, 
	ends_at DATETIME NOT NULL, 
	ended_at DATETIME, 
	seq INTEGER NOT NULL, 
	reported_at DATETIME NOT NULL, 
	hub_extra_minutes INTEGER NOT NULL, 
	hub_extra_applied INTEGER DEFAULT '0' NOT NULL, 
	end_requested BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_addresses_postcode ON addresses (postcode);
CREATE INDEX ix_cases_relay_state ON cases (relay_state);
CREATE INDEX ix_cases_journey_id ON cases (journey_id);
CREATE INDEX ix_help_requests_site ON help_requests (site);
CREATE INDEX ix_assist_codes_kiosk_id ON assist_codes (kiosk_id);
CREATE INDEX ix_audit_log_at ON audit_log (at);
CREATE INDEX ix_handoffs_expires_at ON handoffs (expires_at);
CREATE INDEX ix_insight_events_session_id ON insight_events (session_id);
CREATE INDEX ix_insight_events_at ON insight_events (at);
CREATE INDEX ix_taster_bookings_starts_at ON taster_bookings (starts_at);
CREATE INDEX ix_taster_bookings_site ON taster_bookings (site);
CREATE INDEX ix_taster_runs_started_at ON taster_runs (started_at);
CREATE INDEX ix_taster_runs_site ON taster_runs (site);
CREATE INDEX ix_taster_runs_kiosk_id ON taster_runs (kiosk_id);
CREATE INDEX ix_taster_runs_booking_id ON taster_runs (booking_id);
CREATE INDEX ix_taster_certificates_expires_at ON taster_certificates (expires_at);
CREATE INDEX ix_relay_log_case_id ON relay_log (case_id);
CREATE INDEX ix_case_updates_case_id ON case_updates (case_id);
COMMIT;
