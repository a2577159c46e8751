//! Storage benchmarks on SQLite and PostgreSQL: durable decision appends, keyset pages of the
//! decision log near its head and deep into a million records, and `verify` over a million records.
//!
//! Run with `cargo bench -p graphql-server --bench storage`; see the "Storage" section of
//! `docs/benchmarks.md`. Without `--bench` (as under `cargo test --benches`) it runs once on a
//! small dataset, as a smoke test. Settings, from the environment:
//!
//! - `BENCH_DATABASE_URL`: a PostgreSQL server where a database is created for the run and
//!   dropped after it (default `postgres://postgres@127.0.0.1:5432/test`); PostgreSQL is skipped,
//!   with a line saying so, if it cannot be reached;
//! - `BENCH_BACKENDS`: `sqlite`, `postgres` or `sqlite,postgres` (the default);
//! - `BENCH_WRITERS` (`1,8,32`: concurrent writers, one appends step each; the store commits
//!   their decisions together, group commit), `BENCH_STEPS` (`all`; `appends` to stop after
//!   them; `verify` for the bulk load and `verify` alone, without appends or pages);
//! - `BENCH_APPEND_SECS` (10), `BENCH_DECISIONS` (1 000 000 bulk-loaded decisions),
//!   `BENCH_BUILD_BUDGET_SECS` (600: the bulk load stops after the transaction that crosses it),
//!   `BENCH_PAGE_RUNS` (300 timed runs per page), `BENCH_DEEP` (900 000: rows before the deep
//!   page), `BENCH_VERIFY_RUNS` (2).

#[path = "common/pg.rs"]
mod pg;

use chrono::Duration as ChronoDuration;
use governance_core::builder::domain;
use governance_core::{
    Decider, DecisionDraft, DecisionId, Event, Impact, Instant, Label, MandateId, MemberId,
    OrganizationId, Text, UnitId, Visibility, demo,
};
use graphql_server::store::chain::link_hash;
use graphql_server::store::codec::{canonical_bytes, draft_value, impact_value, visibility_name};
use graphql_server::store::entity::{audit_entries, decisions};
use graphql_server::store::{DecisionCursor, DecisionFilter, Store, StoreConfig};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Set, Statement,
    TransactionTrait,
};
use std::io::Write;
use std::time::{Duration, Instant as Clock};
use uuid::Uuid;

/// Rows per `INSERT`: 21 columns × 1 000 stays under SQLite's 32 766 and PostgreSQL's 65 535
/// bound parameters.
const INSERT_ROWS: usize = 1_000;
/// Rows per bulk-load transaction.
const TXN_ROWS: u64 = 50_000;
/// The page size asked of `decision_page`.
const PAGE: u64 = 50;

#[derive(Debug, Clone)]
struct Settings {
    append_for: Duration,
    decisions: u64,
    build_budget: Duration,
    page_runs: usize,
    deep: u64,
    verify_runs: usize,
    backends: Vec<String>,
    writers: Vec<usize>,
    appends_only: bool,
    verify_only: bool,
}

impl Settings {
    fn from_env() -> Self {
        // `cargo bench` passes `--bench`; `cargo test --benches` does not: then a quick smoke run.
        let full = std::env::args().any(|a| a == "--bench");
        let num = |name: &str, full_value: u64, smoke_value: u64| -> u64 {
            std::env::var(name)
                .ok()
                .and_then(|v| v.replace('_', "").parse().ok())
                .unwrap_or(if full { full_value } else { smoke_value })
        };
        let decisions = num("BENCH_DECISIONS", 1_000_000, 20_000);
        Self {
            append_for: Duration::from_secs(num("BENCH_APPEND_SECS", 10, 1)),
            decisions,
            build_budget: Duration::from_secs(num("BENCH_BUILD_BUDGET_SECS", 600, 600)),
            page_runs: num("BENCH_PAGE_RUNS", 300, 5) as usize,
            deep: num("BENCH_DEEP", 900_000, decisions * 9 / 10),
            verify_runs: num("BENCH_VERIFY_RUNS", 2, 1) as usize,
            backends: std::env::var("BENCH_BACKENDS")
                .unwrap_or_else(|_| "sqlite,postgres".into())
                .split(',')
                .map(|s| s.trim().to_lowercase())
                .collect(),
            writers: std::env::var("BENCH_WRITERS")
                .unwrap_or_else(|_| if full { "1,8,32" } else { "1,4" }.into())
                .split(',')
                .filter_map(|s| s.trim().parse().ok())
                .collect(),
            appends_only: std::env::var("BENCH_STEPS").is_ok_and(|s| s == "appends"),
            verify_only: std::env::var("BENCH_STEPS").is_ok_and(|s| s == "verify"),
        }
    }
}

fn main() {
    let settings = Settings::from_env();
    println!("storage bench: {settings:?}");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    rt.block_on(async {
        if settings.backends.iter().any(|b| b == "sqlite") {
            let db = SqliteFile::new();
            let store = Store::open(&StoreConfig::new(db.url.clone()))
                .await
                .expect("open the SQLite store");
            run("sqlite", &store, &settings).await;
            store.connection().clone().close().await.ok();
            let size: u64 = ["", "-wal"]
                .iter()
                .filter_map(|s| std::fs::metadata(format!("{}{s}", db.path.display())).ok())
                .map(|m| m.len())
                .sum();
            say(format!(
                "sqlite: database file and WAL {:.0} MiB",
                size as f64 / 1048576.0
            ));
        }
        if settings.backends.iter().any(|b| b == "postgres") {
            let admin_url = std::env::var("BENCH_DATABASE_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
            match pg::PgDatabase::try_create(&admin_url).await {
                Err(why) => say(format!(
                    "PostgreSQL is unreachable ({why}): PostgreSQL benchmarks skipped"
                )),
                Ok(db) => {
                    let store = Store::open(&StoreConfig::new(db.url.clone()))
                        .await
                        .expect("open the PostgreSQL store");
                    run("postgres", &store, &settings).await;
                    if let Ok(Some(row)) = store
                        .connection()
                        .query_one_raw(Statement::from_string(
                            DatabaseBackend::Postgres,
                            "SELECT pg_total_relation_size('decisions')::bigint",
                        ))
                        .await
                    {
                        let bytes: i64 = row.try_get_by_index(0).unwrap_or(0);
                        say(format!(
                            "postgres: decisions table with its indexes {:.0} MiB",
                            bytes as f64 / 1048576.0
                        ));
                    }
                    store.connection().clone().close().await.ok();
                }
            }
        }
    });
}

fn say(line: impl AsRef<str>) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", line.as_ref()).ok();
    out.flush().ok();
}

/// A SQLite file in the temporary directory, removed with its WAL afterwards.
struct SqliteFile {
    path: std::path::PathBuf,
    url: String,
}

impl SqliteFile {
    fn new() -> Self {
        let path =
            std::env::temp_dir().join(format!("gouvernail-bench-{}.db", Uuid::now_v7().simple()));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        Self { path, url }
    }
}

impl Drop for SqliteFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

/// Who records the decisions: Awa, holder in the Coordination, under her mandate.
#[derive(Debug, Clone, Copy)]
struct Writer {
    org: OrganizationId,
    awa: MemberId,
    coordination: UnitId,
    mandate: MandateId,
}

/// Founds the demo movement and stores its whole log, as the end-to-end tests do.
async fn store_demo(store: &Store) -> Writer {
    let org = OrganizationId::from_uuid(Uuid::now_v7());
    let b = demo::tilleuls_with(
        org,
        demo::months_to(chrono::Utc::now()),
        Box::new(Uuid::now_v7),
    );
    let (movement, events) = b.into_parts();
    let organization = movement.organization().clone();
    let mut events = events.into_iter();
    store
        .found(organization, events.next().expect("founding"), None)
        .await
        .expect("found the demo movement");
    for e in events {
        store.append(org, e, None, None).await.expect("demo event");
    }
    let state = store.read(org, None).await.expect("read");
    let m = &state.movement;
    let awa = m
        .members()
        .find(|x| x.email.as_str() == "awa@tilleuls.example")
        .expect("Awa")
        .id;
    let coordination = m.coordination().expect("Coordination");
    let mandate = m.mandates_of(awa).next().expect("Awa's mandate").id;
    Writer {
        org,
        awa,
        coordination,
        mandate,
    }
}

/// An everyday decision of Awa's on the budget: what every appended and bulk-loaded row holds.
fn expense(who: &Writer, id: DecisionId, n: u64, at: Instant) -> DecisionDraft {
    DecisionDraft {
        id,
        unit: who.coordination,
        domain: domain("budget"),
        title: Label::parse("title", &format!("Dépense courante n° {n}")).unwrap(),
        statement: Text::parse(
            "statement",
            "Remboursement des frais de la permanence du samedi, justificatifs joints.",
        )
        .unwrap(),
        rationale: Text::default(),
        decided_at: at,
        effective_from: None,
        effective_until: None,
        decider: Decider::Holder {
            member: who.awa,
            mandate: Some(who.mandate),
        },
        consultations: vec![],
        impact: Impact::ThisUnit,
        visibility: Visibility::Members,
        links: vec![],
        effects: vec![],
        tension: None,
        escalation: None,
    }
}

/// Nearest-rank percentiles of a set of durations.
struct Stats {
    sorted: Vec<Duration>,
}

impl Stats {
    fn new(mut v: Vec<Duration>) -> Self {
        v.sort_unstable();
        Self { sorted: v }
    }

    fn pct(&self, p: f64) -> Duration {
        let n = self.sorted.len();
        let rank = ((p / 100.0) * n as f64).ceil().max(1.0) as usize;
        self.sorted[rank.min(n) - 1]
    }

    fn summary(&self) -> String {
        format!(
            "min {} p50 {} p90 {} p99 {} max {} (n = {})",
            ms(self.sorted[0]),
            ms(self.pct(50.0)),
            ms(self.pct(90.0)),
            ms(self.pct(99.0)),
            ms(*self.sorted.last().unwrap()),
            self.sorted.len()
        )
    }
}

fn ms(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1_000.0 {
        format!("{us:.0} µs")
    } else {
        format!("{:.2} ms", us / 1_000.0)
    }
}

async fn run(name: &str, store: &Store, s: &Settings) {
    say(format!("== {name} =="));
    let who = store_demo(store).await;
    let mut appended = 0;
    for &writers in s.writers.iter().filter(|_| !s.verify_only) {
        appended += bench_appends(name, store, &who, s, writers).await;
    }
    if s.appends_only {
        return;
    }
    let bulk = bulk_load(name, store, &who, s).await;
    let total = decisions::Entity::find()
        .filter(decisions::Column::OrganizationId.eq(who.org.as_uuid()))
        .count(store.connection())
        .await
        .expect("count decisions");
    say(format!(
        "{name}: {total} decisions in the table ({appended} appended in step 1, {bulk} bulk-loaded)"
    ));
    if !s.verify_only {
        bench_pages(name, store, &who, s, total).await;
    }
    bench_verify(name, store, &who, s, total).await;
}

/// Step 1: durable appends through `Store::append_with` by `writers` concurrent writers, each
/// waiting for its acknowledgement before the next; the store commits what they queue together.
async fn bench_appends(
    name: &str,
    store: &Store,
    who: &Writer,
    s: &Settings,
    writers: usize,
) -> u64 {
    let started = Clock::now();
    let deadline = started + s.append_for;
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let (store, who) = (store.clone(), *who);
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut n = w as u64 * 1_000_000_000;
                while Clock::now() < deadline {
                    let id = DecisionId::from_uuid(Uuid::now_v7());
                    let t = Clock::now();
                    store
                        .append_with(who.org, Some(who.awa), None, move |_, at| {
                            Ok(Event::Decision(Box::new(expense(&who, id, n, at))))
                        })
                        .await
                        .expect("record a decision");
                    latencies.push(t.elapsed());
                    n += 1;
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.expect("a writer"));
    }
    let elapsed = started.elapsed();
    let n = latencies.len() as u64;
    let stats = Stats::new(latencies);
    say(format!(
        "{name}: appends, {writers} writers: {n} in {:.2} s = {:.1} acknowledged/s; latency {}",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64(),
        stats.summary()
    ));
    n
}

/// Builds the large decision log directly with inserts, continuing the movement's decision
/// chain: each row's columns are what its canonical payload says, so `verify` accepts it. No
/// audit entries are written: the page and the decision chain do not need them.
async fn bulk_load(name: &str, store: &Store, who: &Writer, s: &Settings) -> u64 {
    let db = store.connection();
    let o = who.org.as_uuid();
    let last = decisions::Entity::find()
        .filter(decisions::Column::OrganizationId.eq(o))
        .order_by_desc(decisions::Column::Seq)
        .one(db)
        .await
        .expect("read the last decision")
        .expect("the demo has decisions");
    let revision = audit_entries::Entity::find()
        .filter(audit_entries::Column::OrganizationId.eq(o))
        .count(db)
        .await
        .expect("count audit entries") as i64;
    let impact = String::from_utf8(canonical_bytes(&impact_value(&Impact::ThisUnit))).unwrap();
    let visibility = visibility_name(Visibility::Members).to_owned();
    let mut seq = last.seq;
    let mut prev = last.hash.clone();
    let base = last.decided_at;
    let started = Clock::now();
    let mut done = 0u64;
    let mut next_report = 100_000u64.min(s.decisions);
    say(format!(
        "{name}: bulk-loading {} decisions after seq {seq} ({} rows per INSERT, {TXN_ROWS} per transaction)",
        s.decisions, INSERT_ROWS
    ));
    while done < s.decisions {
        if started.elapsed() > s.build_budget {
            say(format!(
                "{name}: build budget of {} s exhausted: stopping at {done} decisions",
                s.build_budget.as_secs()
            ));
            break;
        }
        let txn = db.begin().await.expect("begin");
        let txn_end = (done + TXN_ROWS).min(s.decisions);
        while done < txn_end {
            let chunk = (txn_end - done).min(INSERT_ROWS as u64);
            let mut rows = Vec::with_capacity(chunk as usize);
            for _ in 0..chunk {
                done += 1;
                seq += 1;
                // One decision per millisecond after the last one, so the log is newest-first by
                // `decided_at` in chain order.
                let at = base + ChronoDuration::milliseconds(done as i64);
                let id = DecisionId::from_uuid(Uuid::now_v7());
                let draft = expense(who, id, seq as u64, at);
                let payload = String::from_utf8(canonical_bytes(&draft_value(&draft))).unwrap();
                let hash = link_hash(Some(&prev), &payload);
                rows.push(decisions::ActiveModel {
                    id: Set(id.as_uuid()),
                    organization_id: Set(o),
                    seq: Set(seq),
                    revision: Set(revision),
                    unit_id: Set(who.coordination.as_uuid()),
                    domain: Set(draft.domain.as_str().to_owned()),
                    title: Set(draft.title.to_string()),
                    statement: Set(draft.statement.as_str().to_owned()),
                    rationale: Set(draft.rationale.as_str().to_owned()),
                    decided_at: Set(at),
                    effective_from: Set(None),
                    effective_until: Set(None),
                    decider_kind: Set("holder".into()),
                    mandate_id: Set(Some(who.mandate.as_uuid())),
                    meeting_id: Set(None),
                    impact: Set(impact.clone()),
                    visibility: Set(visibility.clone()),
                    tension_id: Set(None),
                    prev_hash: Set(Some(prev)),
                    hash: Set(hash.clone()),
                    payload: Set(payload),
                    // What `store/project.rs` stores for text search: title and statement,
                    // lower-cased.
                    search_text: Set(Some(
                        format!("{}\n{}", draft.title.as_str(), draft.statement.as_str())
                            .to_lowercase(),
                    )),
                });
                prev = hash;
            }
            decisions::Entity::insert_many(rows)
                .exec_without_returning(&txn)
                .await
                .expect("bulk insert");
        }
        txn.commit().await.expect("commit");
        if done >= next_report || done == s.decisions {
            let secs = started.elapsed().as_secs_f64();
            say(format!(
                "{name}:   {done} / {} decisions loaded in {secs:.0} s ({:.0} rows/s)",
                s.decisions,
                done as f64 / secs
            ));
            next_report += 100_000;
        }
    }
    if db.get_database_backend() == DatabaseBackend::Postgres {
        // What autovacuum would do soon after such a load: statistics and the visibility map
        // (index-only scans), so the timings show the steady state.
        let t = Clock::now();
        db.execute_unprepared("VACUUM (ANALYZE) decisions")
            .await
            .expect("vacuum");
        say(format!(
            "{name}: VACUUM (ANALYZE) decisions took {:.1} s",
            t.elapsed().as_secs_f64()
        ));
    }
    say(format!(
        "{name}: bulk load done: {done} decisions in {:.1} s (not timed below)",
        started.elapsed().as_secs_f64()
    ));
    done
}

/// The query `Store::decision_page` runs for the default filter (mirrors `store/read.rs`), or,
/// with `sargable`, the same with `decided_at <= cursor` added so the cursor bounds an index range.
fn page_query(o: Uuid, after: Option<DecisionCursor>, sargable: bool) -> Select<decisions::Entity> {
    let mut q = decisions::Entity::find()
        .select_only()
        .column(decisions::Column::Id)
        .column(decisions::Column::DecidedAt)
        .filter(decisions::Column::OrganizationId.eq(o));
    if let Some(c) = after {
        if sargable {
            q = q.filter(decisions::Column::DecidedAt.lte(c.decided_at));
        }
        q = q.filter(
            Condition::any()
                .add(decisions::Column::DecidedAt.lt(c.decided_at))
                .add(
                    Condition::all()
                        .add(decisions::Column::DecidedAt.eq(c.decided_at))
                        .add(decisions::Column::Id.lt(c.id)),
                ),
        );
    }
    q.order_by_desc(decisions::Column::DecidedAt)
        .order_by_desc(decisions::Column::Id)
        .limit(PAGE + 1)
}

/// The row at `offset` in newest-first order, as a cursor (found once, outside the timings).
async fn cursor_at(db: &DatabaseConnection, o: Uuid, offset: u64) -> Option<DecisionCursor> {
    if offset == 0 {
        return None;
    }
    let (id, decided_at): (Uuid, Instant) = decisions::Entity::find()
        .select_only()
        .column(decisions::Column::Id)
        .column(decisions::Column::DecidedAt)
        .filter(decisions::Column::OrganizationId.eq(o))
        .order_by_desc(decisions::Column::DecidedAt)
        .order_by_desc(decisions::Column::Id)
        .offset(offset - 1)
        .limit(1)
        .into_tuple()
        .one(db)
        .await
        .expect("find the cursor")
        .expect("the table is that deep");
    Some(DecisionCursor { decided_at, id })
}

async fn explain(name: &str, db: &DatabaseConnection, label: &str, q: Select<decisions::Entity>) {
    let backend = db.get_database_backend();
    let st = q.build(backend);
    let (prefix, column) = match backend {
        DatabaseBackend::Postgres => ("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ", 0),
        _ => ("EXPLAIN QUERY PLAN ", 3),
    };
    say(format!("{name}: plan of {label}: {}", st.sql));
    let rows = db
        .query_all_raw(Statement {
            sql: format!("{prefix}{}", st.sql),
            ..st
        })
        .await
        .expect("explain");
    for row in rows {
        let line: String = row.try_get_by_index(column).unwrap_or_default();
        say(format!("    {line}"));
    }
}

/// Step 2: a page of 50 at the head of the log and deep into it, timed alternately.
async fn bench_pages(name: &str, store: &Store, who: &Writer, s: &Settings, total: u64) {
    let db = store.connection();
    let o = who.org.as_uuid();
    let deep = s.deep.min(total.saturating_sub(PAGE + 1));
    let positions = [0, deep / 2, deep];
    let mut cursors = Vec::new();
    for p in positions {
        cursors.push(cursor_at(db, o, p).await);
    }
    let filter = DecisionFilter::default();
    // The store's answers are the rows that follow each cursor, and the sargable variant agrees.
    for (p, c) in positions.iter().zip(&cursors) {
        let page = store
            .decision_page(who.org, &filter, PAGE, *c)
            .await
            .expect("page");
        let expected = cursor_at(db, o, p + 1).await.expect("a row after").id;
        assert_eq!(page.ids.len() as u64, PAGE);
        assert_eq!(page.ids[0], expected, "page after row {p}");
        let alt: Vec<(Uuid, Instant)> = page_query(o, *c, true)
            .into_tuple()
            .all(db)
            .await
            .expect("sargable page");
        let alt: Vec<Uuid> = alt.into_iter().take(PAGE as usize).map(|r| r.0).collect();
        assert_eq!(alt, page.ids);
    }
    explain(name, db, "page 1", page_query(o, None, false)).await;
    explain(
        name,
        db,
        &format!("the page after row {deep}"),
        page_query(o, cursors[2], false),
    )
    .await;
    explain(
        name,
        db,
        &format!("the page after row {deep}, sargable variant"),
        page_query(o, cursors[2], true),
    )
    .await;

    // Each kind of page is timed in a block of consecutive runs after a warm-up, in two passes
    // (so a change of load on the machine shows in both halves). Blocks rather than alternating
    // runs: a deep page of the store's query reads most of the index, evicting the caches the
    // next query would otherwise find warm.
    let kinds: [(String, Option<DecisionCursor>, bool); 4] = [
        ("page 1".to_owned(), None, false),
        (
            format!("after row {deep}, sargable variant (not the store's query)"),
            cursors[2],
            true,
        ),
        (format!("after row {}", positions[1]), cursors[1], false),
        (format!("after row {deep}"), cursors[2], false),
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); kinds.len()];
    let per_pass = s.page_runs.div_ceil(2);
    let warmup = (per_pass / 10).clamp(1, 20);
    for _pass in 0..2 {
        for ((_, cursor, sargable), slot) in kinds.iter().zip(times.iter_mut()) {
            for run in 0..warmup + per_pass {
                let t = Clock::now();
                let n = if *sargable {
                    let rows: Vec<(Uuid, Instant)> = page_query(o, *cursor, true)
                        .into_tuple()
                        .all(db)
                        .await
                        .expect("sargable page");
                    rows.len().min(PAGE as usize)
                } else {
                    store
                        .decision_page(who.org, &filter, PAGE, *cursor)
                        .await
                        .expect("page")
                        .ids
                        .len()
                };
                let elapsed = t.elapsed();
                assert_eq!(n as u64, PAGE);
                if run >= warmup {
                    slot.push(elapsed);
                }
            }
        }
    }
    let stats: Vec<Stats> = times.into_iter().map(Stats::new).collect();
    for ((label, _, _), st) in kinds.iter().zip(&stats) {
        say(format!("{name}: page of {PAGE}, {label}: {}", st.summary()));
    }
    let first = stats[0].pct(50.0).as_secs_f64();
    say(format!(
        "{name}: deep page / page 1 (medians): store's query ×{:.2}, sargable variant ×{:.2} (target ≤ ×1.5)",
        stats[3].pct(50.0).as_secs_f64() / first,
        stats[1].pct(50.0).as_secs_f64() / first
    ));
}

/// Step 3: one full `verify` of both chains.
async fn bench_verify(name: &str, store: &Store, who: &Writer, s: &Settings, total: u64) {
    for run in 1..=s.verify_runs {
        let t = Clock::now();
        let v = store.verify(who.org, None).await.expect("verify");
        let elapsed = t.elapsed();
        assert!(v.is_intact(), "{:?}", v.first_break);
        assert_eq!(v.decisions as u64, total);
        let records = v.audit_entries + v.decisions;
        say(format!(
            "{name}: verify run {run}: {} audit entries + {} decisions = {records} records in {:.2} s = {:.0} records/s",
            v.audit_entries,
            v.decisions,
            elapsed.as_secs_f64(),
            records as f64 / elapsed.as_secs_f64()
        ));
    }
}
