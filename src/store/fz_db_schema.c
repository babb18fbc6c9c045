/* fz_db_schema.c — every schema version, in order; fz_db_open applies the
 * ones a file lacks. A step is never edited once released: change the
 * schema by appending a step. docs/store.md describes the tables.
 *
 * events is the truth (ARCHITECTURE.md principle 4): every transaction and
 * its decision, in scoring order. alerts and holds are derived from it in
 * the same commit; cases, notes, suppressions, tokens, rule versions and the
 * audit chain are analysts' and operators' own records. */
#include "fz_db_int.h"

static const char v1[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
    /* seq is the scoring order, and so the replay order. */
    "CREATE TABLE events(\n"
    "  seq INTEGER PRIMARY KEY,\n"
    "  txn_id TEXT NOT NULL UNIQUE,\n"
    "  txn_ms INTEGER NOT NULL,\n"          /* the transaction's own time */
    "  recv_ms INTEGER NOT NULL,\n"         /* when the server took it */
    "  payer TEXT NOT NULL, payee TEXT NOT NULL,\n" /* account keys acct@bank */
    "  amount INTEGER NOT NULL, currency TEXT NOT NULL,\n"
    "  outcome INTEGER NOT NULL, score INTEGER NOT NULL,\n"
    "  rules_version TEXT NOT NULL,\n"
    "  txn TEXT NOT NULL,\n"                /* the transaction as JSON, native field names */
    "  decision TEXT NOT NULL);\n"          /* the answer as sent */
    "CREATE INDEX events_txn_ms ON events(txn_ms);\n"
    "CREATE INDEX events_payer ON events(payer, txn_ms);\n"
    "CREATE INDEX events_payee ON events(payee, txn_ms);\n"
    /* One alert per rule hit (or model hit) per side of a transaction. */
    "CREATE TABLE alerts(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  seq INTEGER NOT NULL REFERENCES events(seq),\n"
    "  txn_id TEXT NOT NULL,\n"
    "  txn_ms INTEGER NOT NULL, created_ms INTEGER NOT NULL,\n"
    "  account TEXT NOT NULL,\n"
    "  rule TEXT NOT NULL,\n"
    "  score INTEGER NOT NULL, outcome INTEGER NOT NULL,\n"
    "  status TEXT NOT NULL DEFAULT 'open',\n" /* open, in_case, closed, suppressed */
    "  case_id INTEGER);\n"
    "CREATE INDEX alerts_created ON alerts(created_ms);\n"
    "CREATE INDEX alerts_status ON alerts(status, created_ms);\n"
    "CREATE INDEX alerts_rule ON alerts(rule, created_ms);\n"
    "CREATE INDEX alerts_account ON alerts(account, rule);\n"
    "CREATE INDEX alerts_seq ON alerts(seq);\n"
    /* Held transactions (落地处理): one per held event. */
    "CREATE TABLE holds(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  seq INTEGER NOT NULL UNIQUE REFERENCES events(seq),\n"
    "  txn_id TEXT NOT NULL UNIQUE,\n"
    "  created_ms INTEGER NOT NULL,\n"
    "  status TEXT NOT NULL DEFAULT 'pending',\n" /* pending, released, rejected */
    "  resolved_by TEXT, resolved_ms INTEGER,\n"
    "  verification TEXT, note TEXT);\n"
    "CREATE INDEX holds_status ON holds(status, created_ms);\n"
    "CREATE TABLE cases(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  title TEXT NOT NULL,\n"
    "  status TEXT NOT NULL DEFAULT 'open',\n" /* open, escalated, closed_fp, closed_fraud */
    "  assignee TEXT,\n"
    "  created_by TEXT NOT NULL, created_ms INTEGER NOT NULL,\n"
    "  updated_ms INTEGER NOT NULL, closed_ms INTEGER,\n"
    "  resolution TEXT);\n"
    "CREATE INDEX cases_status ON cases(status, created_ms);\n"
    "CREATE TABLE case_alerts(\n"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),\n"
    "  alert_id INTEGER NOT NULL REFERENCES alerts(id),\n"
    "  PRIMARY KEY(case_id, alert_id));\n"
    /* Comments and evidence: kind 'comment' (body) or 'evidence' (name, mime,
     * data, sha256 of data). */
    "CREATE TABLE case_notes(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),\n"
    "  kind TEXT NOT NULL, author TEXT NOT NULL, at_ms INTEGER NOT NULL,\n"
    "  body TEXT, name TEXT, mime TEXT, data BLOB, sha256 TEXT);\n"
    "CREATE INDEX case_notes_case ON case_notes(case_id, id);\n"
    /* A false positive silences the same rule on the same account until until_ms. */
    "CREATE TABLE suppressions(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  account TEXT NOT NULL, rule TEXT NOT NULL,\n"
    "  until_ms INTEGER NOT NULL,\n"
    "  by TEXT NOT NULL, at_ms INTEGER NOT NULL, why TEXT NOT NULL,\n"
    "  case_id INTEGER);\n"
    "CREATE INDEX suppressions_key ON suppressions(account, rule, until_ms);\n"
    /* API tokens, stored as SHA-256 of the secret, never the secret. */
    "CREATE TABLE tokens(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  hash BLOB NOT NULL UNIQUE,\n"
    "  role TEXT NOT NULL, name TEXT NOT NULL,\n"
    "  created_ms INTEGER NOT NULL, revoked_ms INTEGER);\n"
    /* The hash chain: hash = SHA-256(prev || canonical entry). */
    "CREATE TABLE audit(\n"
    "  seq INTEGER PRIMARY KEY,\n"
    "  at_ms INTEGER NOT NULL,\n"
    "  actor TEXT NOT NULL, role TEXT NOT NULL,\n"
    "  action TEXT NOT NULL, object TEXT NOT NULL,\n"
    "  detail TEXT NOT NULL,\n"
    "  prev BLOB NOT NULL, hash BLOB NOT NULL);\n"
    /* Rule-set versions; exactly one row is active. */
    "CREATE TABLE rulesets(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  version TEXT NOT NULL,\n"
    "  source TEXT NOT NULL,\n"
    "  created_by TEXT NOT NULL, created_ms INTEGER NOT NULL,\n"
    "  active INTEGER NOT NULL DEFAULT 0);\n"
    /* KYC basics; issue 5 grows these. data holds the remaining fields as JSON. */
    "CREATE TABLE customers(\n"
    "  id TEXT PRIMARY KEY,\n"
    "  kind TEXT NOT NULL DEFAULT 'natural',\n" /* natural, entity */
    "  name TEXT NOT NULL DEFAULT '',\n"
    "  id_type TEXT, id_number TEXT,\n"
    "  grade INTEGER NOT NULL DEFAULT 0,\n"
    "  data TEXT NOT NULL DEFAULT '{}',\n"
    "  created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);\n"
    "CREATE TABLE accounts(\n"
    "  id TEXT PRIMARY KEY,\n"                  /* acct@bank */
    "  customer_id TEXT REFERENCES customers(id),\n"
    "  class INTEGER NOT NULL DEFAULT 1,\n"     /* I, II, III */
    "  opened_ms INTEGER, closed_ms INTEGER,\n"
    "  data TEXT NOT NULL DEFAULT '{}',\n"
    "  created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);\n"
    "CREATE INDEX accounts_customer ON accounts(customer_id);\n";

/* v2: a rule-set version keeps the note its uploader wrote ("why this
 * change"), shown in the version list beside who and when. */
static const char v2[] = "ALTER TABLE rulesets ADD COLUMN note TEXT NOT NULL DEFAULT '';\n";

/* v3: suspicious-transaction reports (BSTR, src/aml/fz_strdb.h). One row
 * per report version: kind 'N' a first report, 'C' a correction of
 * original_id (the N row it replaces). content is the report as JSON
 * (codes, narratives, subjects, transactions); file and file_name are the
 * XML made on approval. status: draft, submitted, filed. */
static const char v3[] =
    "CREATE TABLE strs(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),\n"
    "  kind TEXT NOT NULL DEFAULT 'N',\n"
    "  original_id INTEGER REFERENCES strs(id),\n"
    "  status TEXT NOT NULL DEFAULT 'draft',\n"
    "  confirmed_ms INTEGER NOT NULL,\n"     /* when the suspicion was confirmed */
    "  due_day INTEGER NOT NULL,\n"          /* Asia/Shanghai day number of the deadline */
    "  content TEXT NOT NULL,\n"
    "  created_by TEXT NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,\n"
    "  submitted_by TEXT, submitted_ms INTEGER,\n"
    "  approved_by TEXT, approved_ms INTEGER,\n"
    "  rejected_by TEXT, reject_reason TEXT,\n"
    "  report_day INTEGER, file_seq INTEGER,\n" /* the file name's date and number */
    "  file_name TEXT, file BLOB, file_sha256 TEXT);\n"
    "CREATE INDEX strs_case ON strs(case_id);\n"
    "CREATE INDEX strs_status ON strs(status, due_day);\n"
    "CREATE UNIQUE INDEX strs_file ON strs(file_name) WHERE kind = 'N';\n"
    /* the subjects of each report, for counting a customer's filed reports */
    "CREATE TABLE str_subjects(\n"
    "  str_id INTEGER NOT NULL REFERENCES strs(id),\n"
    "  customer_id TEXT NOT NULL,\n"
    "  PRIMARY KEY(str_id, customer_id));\n"
    "CREATE INDEX str_subjects_customer ON str_subjects(customer_id);\n";

/* v4: KYC (issue 5, docs/kyc.md). Customers gain the fields of customer
 * due diligence, their beneficial owners and controllers (a JSON list),
 * and customer_reviews their grading state apart from the wide customer
 * row (a grading run rewrites only this narrow table): review_due_ms is
 * when the customer must next be graded (onboarding + 10 working days,
 * then by grade 6/12/24 months). customer_history records every change and
 * trigger; grade_history every grading with its reasons, each customer's
 * entries chained newest to oldest (customer_reviews.last_history, then
 * prev_id) rather than indexed by customer, so grading a whole customer
 * base appends rows instead of splitting every page of an index;
 * watchlist is the screening list. */
static const char v4[] =
    "ALTER TABLE customers ADD COLUMN nationality TEXT;\n"
    "ALTER TABLE customers ADD COLUMN occupation TEXT;\n"
    "ALTER TABLE customers ADD COLUMN industry TEXT;\n"
    "ALTER TABLE customers ADD COLUMN address TEXT;\n"
    "ALTER TABLE customers ADD COLUMN phone TEXT;\n"
    "ALTER TABLE customers ADD COLUMN birth_date TEXT;\n" /* YYYY-MM-DD; an entity's founding date */
    "ALTER TABLE customers ADD COLUMN pep TEXT NOT NULL DEFAULT 'none';\n"
    "ALTER TABLE customers ADD COLUMN channel TEXT NOT NULL DEFAULT 'counter';\n"
    "ALTER TABLE customers ADD COLUMN cdd TEXT NOT NULL DEFAULT 'done';\n"
    "ALTER TABLE customers ADD COLUMN cash_intensive INTEGER NOT NULL DEFAULT 0;\n"
    "ALTER TABLE customers ADD COLUMN cross_border INTEGER NOT NULL DEFAULT 0;\n"
    "ALTER TABLE customers ADD COLUMN agent INTEGER NOT NULL DEFAULT 0;\n"
    "ALTER TABLE customers ADD COLUMN owners TEXT NOT NULL DEFAULT '[]';\n"
    "ALTER TABLE customers ADD COLUMN identity TEXT NOT NULL DEFAULT 'verified';\n"
    "ALTER TABLE customers ADD COLUMN onboarded_ms INTEGER;\n"
    "CREATE TABLE customer_reviews(\n"
    "  customer_id TEXT PRIMARY KEY,\n"
    "  grade_score INTEGER, graded_ms INTEGER,\n" /* NULL until first graded */
    "  review_due_ms INTEGER NOT NULL,\n"
    "  last_history INTEGER) WITHOUT ROWID;\n" /* the newest grade_history entry */
    /* customers from before: due for grading two weeks (10 working days) after they were created */
    "INSERT INTO customer_reviews(customer_id, review_due_ms) SELECT id, created_ms + 1209600000 FROM customers;\n"
    "CREATE TABLE customer_history(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  customer_id TEXT NOT NULL,\n"
    "  at_ms INTEGER NOT NULL, actor TEXT NOT NULL,\n"
    "  event TEXT NOT NULL,\n" /* create, update, reidentify, trigger.<name>, grade, import */
    "  detail TEXT NOT NULL DEFAULT '{}');\n"
    "CREATE INDEX customer_history_customer ON customer_history(customer_id, id);\n"
    "CREATE INDEX customer_history_event ON customer_history(event, customer_id);\n"
    "CREATE TABLE grade_history(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  customer_id TEXT NOT NULL,\n"
    "  prev_id INTEGER,\n" /* the customer's entry before this one */
    "  at_ms INTEGER NOT NULL, actor TEXT NOT NULL,\n"
    "  trigger TEXT NOT NULL,\n"
    "  prev_grade INTEGER, grade INTEGER NOT NULL, score INTEGER NOT NULL,\n"
    "  next_review_ms INTEGER NOT NULL,\n"
    "  reasons TEXT NOT NULL DEFAULT '[]');\n"

    "CREATE TABLE watchlist(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL DEFAULT '', id_number TEXT,\n"
    "  list TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',\n"
    "  added_by TEXT NOT NULL, added_ms INTEGER NOT NULL);\n"
    "CREATE INDEX watchlist_id_number ON watchlist(id_number);\n"
    "CREATE INDEX watchlist_name ON watchlist(name);\n";

/* v5: large-value records (大额交易) as the engine makes them, one per
 * (customer, Shanghai day, CRCD, direction, RMB or FX basis), written with
 * the event that crossed the threshold; and the report files made from
 * them (XML and the ZIP bundles), kept with their bytes. A record is
 * 'pending' until a file takes it ('filed', file_id the XML file). */
static const char v5[] =
    "CREATE TABLE report_files(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE,\n"       /* NBH...-YYYYMMDD-00000001.XML / .ZIP */
    "  kind TEXT NOT NULL,\n"              /* xml, zip */
    "  report TEXT NOT NULL,\n"            /* large_value */
    "  report_day INTEGER NOT NULL,\n"     /* the date in the name, a Shanghai day number */
    "  records INTEGER NOT NULL,\n"        /* transactions in an XML file; files in a ZIP */
    "  created_by TEXT NOT NULL, created_ms INTEGER NOT NULL,\n"
    "  bytes INTEGER NOT NULL, data BLOB NOT NULL);\n"
    "CREATE INDEX report_files_day ON report_files(report, report_day);\n"
    "CREATE TABLE large_value(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  seq INTEGER NOT NULL REFERENCES events(seq),\n" /* the event that crossed the threshold */
    "  txn_id TEXT NOT NULL,\n"
    "  customer TEXT NOT NULL,\n"          /* the engine's customer key (CSNM) */
    "  day INTEGER NOT NULL,\n"            /* Asia/Shanghai day number of the transactions */
    "  crcd INTEGER NOT NULL,\n"           /* 501..504 */
    "  dir INTEGER NOT NULL,\n"            /* 0 out (paid), 1 in (received) */
    "  fx INTEGER NOT NULL,\n"             /* 0 RMB threshold, 1 USD-equivalent threshold */
    "  rule TEXT NOT NULL,\n"
    "  created_ms INTEGER NOT NULL,\n"
    "  status TEXT NOT NULL DEFAULT 'pending',\n" /* pending, filed */
    "  file_id INTEGER REFERENCES report_files(id), filed_ms INTEGER);\n"
    "CREATE INDEX large_value_status ON large_value(status, day);\n"
    "CREATE INDEX large_value_day ON large_value(day, customer);\n"
    "CREATE INDEX large_value_customer ON large_value(customer, day);\n";

/* v6: events are no longer indexed by payer and payee. Two random-key
 * B-tree inserts per stored transaction cost a third of the event log's
 * throughput; the money flows around an account come from the engine's
 * graph instead (GET /v1/accounts/:id/flows). */
static const char v6[] = "DROP INDEX events_payer;\nDROP INDEX events_payee;\n";

/* v7: alerts are no longer indexed by seq. No query looks alerts up by it
 * (they are found by id, time, status, rule or account, and joined to their
 * event through events' key), and events are never deleted, so the foreign
 * key never needs it; it was one more B-tree page per commit with alerts. */
static const char v7[] = "DROP INDEX alerts_seq;\n";

const char *const fz__db_steps[] = {v1, v2, v3, v4, v5, v6, v7};
const int fz__db_nsteps = (int)(sizeof fz__db_steps / sizeof fz__db_steps[0]);
