-- The first db/schema.sql (commit da4c7fb), kept verbatim: a database made by it is what SchemaMigrationTest migrates.
-- Trader Gateway schema. Portable SQL (H2 and PostgreSQL): no vendor upserts, no sequences.
-- Every statement is idempotent so that start-up can run the whole file on an existing database.

CREATE TABLE IF NOT EXISTS gateway_meta (
    meta_key    VARCHAR(64)  PRIMARY KEY,
    meta_value  VARCHAR(256) NOT NULL
);

-- Plans: the input as received (canonical JSON, for idempotency) and the engine's progress on it.
CREATE TABLE IF NOT EXISTS plans (
    plan_id       VARCHAR(128) PRIMARY KEY,
    content_hash  VARCHAR(64)  NOT NULL,
    plan_json     VARCHAR(1000000) NOT NULL,
    symbol        VARCHAR(32)  NOT NULL,
    state         VARCHAR(32)  NOT NULL,
    progress_json VARCHAR(1000000) NOT NULL,
    received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX IF NOT EXISTS plans_state ON plans(state);

-- Orders: written (with the ClOrdID) before the NewOrderSingle leaves.
CREATE TABLE IF NOT EXISTS orders (
    cl_ord_id       VARCHAR(64)  PRIMARY KEY,
    seq_no          BIGINT       NOT NULL,
    plan_id         VARCHAR(128) NOT NULL,
    leg             VARCHAR(8)   NOT NULL,
    slice_no        INTEGER      NOT NULL,
    venue           VARCHAR(64)  NOT NULL,
    symbol          VARCHAR(32)  NOT NULL,
    side            VARCHAR(4)   NOT NULL,
    ord_type        VARCHAR(8)   NOT NULL,
    tif             VARCHAR(4)   NOT NULL,
    quantity        DECIMAL(24, 8) NOT NULL,
    limit_price     DECIMAL(24, 10),
    expire_time     TIMESTAMP WITH TIME ZONE,
    status          VARCHAR(24)  NOT NULL,
    cum_qty         DECIMAL(24, 8) NOT NULL,
    avg_px          DECIMAL(24, 10) NOT NULL,
    fees            DECIMAL(24, 10) NOT NULL,
    venue_order_id  VARCHAR(64),
    expected_price  DECIMAL(24, 10),
    venue_score     DOUBLE PRECISION NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at         TIMESTAMP WITH TIME ZONE,
    acked_at        TIMESTAMP WITH TIME ZONE,
    pending_request VARCHAR(64),
    request_count   INTEGER      NOT NULL,
    text            VARCHAR(1000)
);
CREATE INDEX IF NOT EXISTS orders_plan ON orders(plan_id);
CREATE INDEX IF NOT EXISTS orders_status ON orders(status);

-- Fills, once per (venue, ExecID): a re-sent ExecutionReport finds its row and changes nothing.
CREATE TABLE IF NOT EXISTS fills (
    venue       VARCHAR(64)  NOT NULL,
    exec_id     VARCHAR(128) NOT NULL,
    cl_ord_id   VARCHAR(64)  NOT NULL,
    plan_id     VARCHAR(128) NOT NULL,
    symbol      VARCHAR(32)  NOT NULL,
    side        VARCHAR(4)   NOT NULL,
    quantity    DECIMAL(24, 8) NOT NULL,
    price       DECIMAL(24, 10) NOT NULL,
    fee         DECIMAL(24, 10) NOT NULL,
    exec_time   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (venue, exec_id)
);
CREATE INDEX IF NOT EXISTS fills_order ON fills(cl_ord_id);

CREATE TABLE IF NOT EXISTS positions (
    symbol        VARCHAR(32) PRIMARY KEY,
    quantity      DECIMAL(24, 8) NOT NULL,
    avg_price     DECIMAL(24, 10) NOT NULL,
    realized_pnl  DECIMAL(24, 10) NOT NULL,
    fees_paid     DECIMAL(24, 10) NOT NULL,
    opened_at     TIMESTAMP WITH TIME ZONE,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The outbox: every exec-report with a gap-free sequence, written in the transaction that caused it.
CREATE TABLE IF NOT EXISTS exec_reports (
    sequence    BIGINT       PRIMARY KEY,
    report_id   VARCHAR(64)  NOT NULL UNIQUE,
    plan_id     VARCHAR(128) NOT NULL,
    cl_ord_id   VARCHAR(64),
    status      VARCHAR(16)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    report_json VARCHAR(1000000) NOT NULL
);
CREATE INDEX IF NOT EXISTS exec_reports_plan ON exec_reports(plan_id);

CREATE TABLE IF NOT EXISTS consumer_cursors (
    consumer    VARCHAR(64) PRIMARY KEY,
    sequence    BIGINT      NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE IF NOT EXISTS venue_stats (
    venue         VARCHAR(64) PRIMARY KEY,
    stats_json    VARCHAR(10000) NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
