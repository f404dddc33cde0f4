-- bubus publication log (H2, the embedded default). Created on demand unless
-- bubus.publications.initialize-schema=false; apply it yourself then.
CREATE TABLE IF NOT EXISTS bubus_publication (
    event_id        VARCHAR(64)  NOT NULL PRIMARY KEY,
    bus_name        VARCHAR(255) NOT NULL,
    event_type      VARCHAR(255) NOT NULL,
    event_class     VARCHAR(512) NOT NULL,
    event_json      CHARACTER LARGE OBJECT NOT NULL,
    published_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at    TIMESTAMP WITH TIME ZONE,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    claimed_by      VARCHAR(255),
    claimed_until   TIMESTAMP WITH TIME ZONE,
    resubmissions   INTEGER      DEFAULT 0 NOT NULL
);
CREATE TABLE IF NOT EXISTS bubus_publication_handler (
    event_id        VARCHAR(64)  NOT NULL REFERENCES bubus_publication (event_id) ON DELETE CASCADE,
    handler_key     VARCHAR(512) NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    attempts        INTEGER      DEFAULT 0 NOT NULL,
    last_attempt_at TIMESTAMP WITH TIME ZONE,
    completed_at    TIMESTAMP WITH TIME ZONE,
    result_json     CHARACTER LARGE OBJECT,
    error_type      VARCHAR(512),
    error_message   CHARACTER LARGE OBJECT,
    PRIMARY KEY (event_id, handler_key)
);
CREATE INDEX IF NOT EXISTS bubus_publication_published ON bubus_publication (published_at);
CREATE INDEX IF NOT EXISTS bubus_publication_completed ON bubus_publication (completed_at);
CREATE TABLE IF NOT EXISTS bubus_publication_archive AS SELECT * FROM bubus_publication WITH NO DATA;
CREATE TABLE IF NOT EXISTS bubus_publication_handler_archive AS SELECT * FROM bubus_publication_handler WITH NO DATA;
