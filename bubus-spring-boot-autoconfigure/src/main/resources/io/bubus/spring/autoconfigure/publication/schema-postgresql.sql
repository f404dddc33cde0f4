-- bubus publication log (PostgreSQL). Created on demand unless
-- bubus.publications.initialize-schema=false; apply it yourself then.
-- One row per event emitted inside a transaction.
CREATE TABLE IF NOT EXISTS bubus_publication (
    event_id        VARCHAR(64)  NOT NULL PRIMARY KEY,
    bus_name        VARCHAR(255) NOT NULL,
    event_type      VARCHAR(255) NOT NULL,
    event_class     VARCHAR(512) NOT NULL,
    event_json      TEXT         NOT NULL,
    published_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at    TIMESTAMP WITH TIME ZONE,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    claimed_by      VARCHAR(255),
    claimed_until   TIMESTAMP WITH TIME ZONE,
    resubmissions   INTEGER      NOT NULL DEFAULT 0
);
-- One row per handler that runs the event; handler_key is the handler name
-- (stable across restarts), with #2, #3 ... for repeated names.
CREATE TABLE IF NOT EXISTS bubus_publication_handler (
    event_id        VARCHAR(64)  NOT NULL REFERENCES bubus_publication (event_id) ON DELETE CASCADE,
    handler_key     VARCHAR(512) NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    attempts        INTEGER      NOT NULL DEFAULT 0,
    last_attempt_at TIMESTAMP WITH TIME ZONE,
    completed_at    TIMESTAMP WITH TIME ZONE,
    result_json     TEXT,
    error_type      VARCHAR(512),
    error_message   TEXT,
    PRIMARY KEY (event_id, handler_key)
);
CREATE INDEX IF NOT EXISTS bubus_publication_incomplete ON bubus_publication (published_at) WHERE completed_at IS NULL;
CREATE INDEX IF NOT EXISTS bubus_publication_completed ON bubus_publication (completed_at);
-- completion-mode=archive moves completed publications here once the retention passed.
CREATE TABLE IF NOT EXISTS bubus_publication_archive (LIKE bubus_publication);
CREATE TABLE IF NOT EXISTS bubus_publication_handler_archive (LIKE bubus_publication_handler);
