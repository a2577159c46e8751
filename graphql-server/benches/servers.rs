//! Several servers on one PostgreSQL database (ADR 0007), and what a movement held in memory
//! weighs.
//! Long because: the two measurements share the database set-up, the settings and the report,
//! and are one section of `docs/benchmarks.md`.
//!
//! 1. **Reads over HTTP.** Real `gouvernail serve` processes (this package's binary, built by
//!    cargo for the bench) on one fresh database seeded with the demo movement, asked by a load
//!    generator in this process (reqwest, one client, N concurrent workers, each sending its next
//!    request as soon as the previous one is answered): `mayDecide`, the list
//!    `decisions(first: 20)`, and `mayDecide` again while decisions are recorded through the
//!    first server at a steady rate. Each on one server, then on two servers (requests spread
//!    round-robin), then on one again (the second left idle, to tell the number of servers from
//!    the order of the cases), at 1, 8 and 32 concurrent clients: p50, p99, and the throughput
//!    reached.
//!    Then the head check every read now makes (`Store::head`), alone.
//! 2. **Memory per idle movement.** This process founds 1 000 small movements (as `gouvernail
//!    init` does), each with one founder who commits to their Coordination mandate; a child
//!    process (this executable again) opens the store, loads them all with `Store::read` and
//!    reports its resident set size (`/proc/self/statm`) before and after. Then 10 decisions are
//!    recorded in each, and a new child measures again: the difference is the cost of the
//!    entries.
//!
//! Run with `cargo bench -p graphql-server --bench servers`; see "Several servers on one
//! PostgreSQL, and memory per movement" in `docs/benchmarks.md`. It needs `BENCH_DATABASE_URL`
//! (or `TEST_DATABASE_URL`): a PostgreSQL server where the bench creates its databases and drops
//! them afterwards; without it, it says so and stops. Without `--bench` (as under
//! `cargo test --benches`) it runs a few hundred milliseconds per case and 20 movements, as a
//! smoke test. Settings: `BENCH_SERVERS_SECS` (5 timed seconds per case, after 1 s of warm-up),
//! `BENCH_SERVERS_CLIENTS` (`1,8,32`), `BENCH_MOVEMENTS` (1 000), `BENCH_MOVEMENT_DECISIONS`
//! (10), `BENCH_WRITES_PER_SEC` (20).

#[path = "common/pg.rs"]
mod pg;

use governance_core::builder::domain;
use governance_core::{
    Decider, DecisionDraft, DecisionId, Event, Impact, Label, OrganizationId, Text, Visibility,
};
use graphql_server::cli::{InitArgs, found_movement};
use graphql_server::store::{Notice, Store, StoreConfig, notice};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;
use uuid::Uuid;

/// Set in the child process that measures its memory: the database to load the movements from.
const CHILD_URL: &str = "BENCH_SERVERS_MEMORY_CHILD_URL";
/// The rate limits, out of the way: the load generator is one client sending many requests.
const UNLIMITED: &str = "1000000000";
const MAY_DECIDE: &str = r#"query($m: UUID!, $u: UUID!) { mayDecide(memberId: $m, unitId: $u, domain: "programmation") { allowed code } }"#;
const DECISIONS: &str =
    "{ decisions(first: 20) { edges { node { id title decidedAt unitName domain } } } }";
const RECORD: &str = r#"mutation($u: UUID!, $t: String!) { recordDecision(input: {unitId: $u, domain: "programmation", title: $t}) { revision } }"#;

#[derive(Debug, Clone)]
struct Settings {
    case_for: Duration,
    warm_up: Duration,
    clients: Vec<usize>,
    movements: usize,
    decisions: usize,
    writes_per_sec: u64,
}

impl Settings {
    fn from_env() -> Self {
        // `cargo bench` passes `--bench`; `cargo test --benches` does not: then a smoke run.
        let full = std::env::args().any(|a| a == "--bench");
        let num = |name: &str, full_value: u64, smoke_value: u64| -> u64 {
            std::env::var(name)
                .ok()
                .and_then(|v| v.replace('_', "").parse().ok())
                .unwrap_or(if full { full_value } else { smoke_value })
        };
        let clients = std::env::var("BENCH_SERVERS_CLIENTS")
            .ok()
            .map(|v| v.split(',').filter_map(|c| c.trim().parse().ok()).collect())
            .unwrap_or_else(|| if full { vec![1, 8, 32] } else { vec![1, 8] });
        Self {
            case_for: if full {
                Duration::from_secs(num("BENCH_SERVERS_SECS", 5, 0))
            } else {
                Duration::from_millis(300)
            },
            warm_up: if full {
                Duration::from_secs(1)
            } else {
                Duration::from_millis(100)
            },
            clients,
            movements: num("BENCH_MOVEMENTS", 1_000, 20) as usize,
            decisions: num("BENCH_MOVEMENT_DECISIONS", 10, 2) as usize,
            writes_per_sec: num("BENCH_WRITES_PER_SEC", 20, 20),
        }
    }
}

fn main() {
    if let Ok(url) = std::env::var(CHILD_URL) {
        return memory_child(&url);
    }
    let Some(admin_url) = std::env::var("BENCH_DATABASE_URL")
        .or_else(|_| std::env::var("TEST_DATABASE_URL"))
        .ok()
    else {
        println!(
            "servers bench: neither BENCH_DATABASE_URL nor TEST_DATABASE_URL is set: skipped \
             (it needs a PostgreSQL server)"
        );
        return;
    };
    let settings = Settings::from_env();
    say(format!("servers bench: {settings:?}"));
    say(format!("load average at start: {}", loadavg()));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    rt.block_on(async {
        let db = pg::PgDatabase::try_create(&admin_url)
            .await
            .expect("a bench database");
        http_reads(&db.url, &settings).await;
        drop(db);
        say(format!("load average after the reads: {}", loadavg()));
        let db = pg::PgDatabase::try_create(&admin_url)
            .await
            .expect("a bench database");
        memory(&db.url, &settings).await;
        say(format!("load average at the end: {}", loadavg()));
    });
}

fn say(line: impl AsRef<str>) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", line.as_ref()).ok();
    out.flush().ok();
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| "unknown".into())
}

// ---------------------------------------------------------------------------------------------
// Reads over HTTP against real processes.

/// One `gouvernail serve` process, killed and waited for when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    /// Kept open: a server writing to a closed stdout would fail.
    _stdout: BufReader<ChildStdout>,
}

impl Server {
    /// Starts the bench build's `gouvernail serve` on `url` and waits until it listens; returns
    /// it with what it printed (the demo's tokens, with `demo`).
    fn start(url: &str, demo: bool) -> (Self, Vec<String>) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gouvernail"));
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("GOUVERNAIL_") {
                cmd.env_remove(key);
            }
        }
        cmd.env("RUST_LOG", "warn").args([
            "serve",
            "--database-url",
            url,
            "--listen",
            "127.0.0.1:0",
            "--rate-per-token",
            UNLIMITED,
            "--rate-per-ip",
            UNLIMITED,
            "--verify-every-minutes",
            "0",
        ]);
        if demo {
            cmd.arg("--demo");
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start gouvernail serve");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut lines = Vec::new();
        let addr = loop {
            let mut line = String::new();
            if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                let _ = child.kill();
                panic!("gouvernail serve ended before listening: {lines:#?}");
            }
            let line = line.trim_end().to_owned();
            if let Some(rest) = line.split("listens on http://").nth(1) {
                break rest.split('/').next().unwrap().parse().expect("an address");
            }
            lines.push(line);
        };
        (
            Self {
                child,
                addr,
                _stdout: stdout,
            },
            lines,
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request body, and who sends it.
#[derive(Clone)]
struct Request {
    body: String,
    bearer: String,
}

/// What one case measured.
struct Case {
    latencies: Vec<Duration>,
    elapsed: Duration,
}

impl Case {
    fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }
    fn percentile(&self, p: f64) -> Duration {
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[i.min(self.latencies.len() - 1)]
    }
}

/// Sends `request` from `clients` concurrent workers, round-robin over `servers`, for `span`;
/// each answer must be a 200 without GraphQL errors.
async fn load(
    http: &reqwest::Client,
    servers: &[SocketAddr],
    request: &Request,
    clients: usize,
    span: Duration,
) -> Case {
    let urls: Arc<Vec<String>> = Arc::new(
        servers
            .iter()
            .map(|a| format!("http://{a}/graphql"))
            .collect(),
    );
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + span;
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (http, urls, next, request) =
                (http.clone(), urls.clone(), next.clone(), request.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                while Instant::now() < deadline {
                    let url = &urls[next.fetch_add(1, Ordering::Relaxed) % urls.len()];
                    let t = Instant::now();
                    let response = http
                        .post(url)
                        .header("authorization", &request.bearer)
                        .header("content-type", "application/json")
                        .body(request.body.clone())
                        .send()
                        .await
                        .expect("the server answers");
                    let status = response.status();
                    let body = response.bytes().await.expect("a body");
                    latencies.push(t.elapsed());
                    assert!(
                        status.is_success() && !body.windows(9).any(|w| w == b"\"errors\":"),
                        "{url} answered {status}: {}",
                        String::from_utf8_lossy(&body)
                    );
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for w in workers {
        latencies.extend(w.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    Case { latencies, elapsed }
}

/// Records a decision through `server` every `1 / per_sec` seconds until `stop` is set;
/// returns how many.
async fn steady_writer(
    http: reqwest::Client,
    server: SocketAddr,
    request: Request,
    unit: String,
    per_sec: u64,
    stop: tokio::sync::watch::Receiver<bool>,
) -> usize {
    let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / per_sec.max(1)));
    let mut written = 0;
    while !*stop.borrow() {
        tick.tick().await;
        let body = json!({
            "query": RECORD,
            "variables": { "u": unit, "t": format!("Annonce {}", Uuid::now_v7()) },
        });
        let answer: Value = http
            .post(format!("http://{server}/graphql"))
            .header("authorization", &request.bearer)
            .json(&body)
            .send()
            .await
            .expect("the server answers")
            .json()
            .await
            .expect("JSON");
        assert!(answer["errors"].is_null(), "{answer}");
        written += 1;
    }
    written
}

async fn gql(http: &reqwest::Client, server: SocketAddr, bearer: &str, query: &str) -> Value {
    http.post(format!("http://{server}/graphql"))
        .header("authorization", bearer)
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("JSON")
}

async fn http_reads(url: &str, settings: &Settings) {
    say("\n== reads over HTTP, real gouvernail serve processes on one PostgreSQL database ==");
    let (first, lines) = {
        let url = url.to_owned();
        tokio::task::spawn_blocking(move || Server::start(&url, true))
            .await
            .unwrap()
    };
    let token = |first_name: &str| -> String {
        lines
            .iter()
            .find(|l| l.starts_with(first_name))
            .and_then(|l| l.rsplit(' ').next())
            .filter(|t| t.starts_with("gvn_"))
            .unwrap_or_else(|| panic!("no token for {first_name} in {lines:#?}"))
            .to_owned()
    };
    let (awa, helene) = (
        format!("Bearer {}", token("Awa")),
        format!("Bearer {}", token("Hélène")),
    );
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let ids = gql(
        &http,
        first.addr,
        &awa,
        "{ units { id name } members { id name } }",
    )
    .await;
    let find = |list: &str, name: &str| -> String {
        ids["data"][list]
            .as_array()
            .unwrap_or_else(|| panic!("{ids}"))
            .iter()
            .find(|x| x["name"].as_str().unwrap().starts_with(name))
            .and_then(|x| x["id"].as_str())
            .unwrap_or_else(|| panic!("no {name} in {ids}"))
            .to_owned()
    };
    let events = find("units", "Comité Événements");
    let may = Request {
        body: json!({ "query": MAY_DECIDE, "variables": { "m": find("members", "Hélène"), "u": events } })
            .to_string(),
        bearer: awa.clone(),
    };
    let list = Request {
        body: json!({ "query": DECISIONS }).to_string(),
        bearer: awa.clone(),
    };
    let writer = Request {
        body: String::new(),
        bearer: helene,
    };

    say(format!(
        "{:<34} {:>7} {:>7} {:>9} {:>9} {:>9} {:>9} {:>8}",
        "case", "servers", "clients", "requests", "req/s", "p50", "p99", "writes"
    ));
    let mut servers = vec![first];
    // One server, then two; then, in a full run, one again (the second left idle), to tell
    // the number of servers from the order the cases ran in.
    let phases: &[(&str, usize)] = if settings.case_for >= Duration::from_secs(1) {
        &[("1", 1), ("2", 2), ("1 again", 1)]
    } else {
        &[("1", 1), ("2", 2)]
    };
    for &(label, count) in phases {
        if count > servers.len() {
            let url = url.to_owned();
            let (second, _) = tokio::task::spawn_blocking(move || Server::start(&url, false))
                .await
                .unwrap();
            servers.push(second);
        }
        let addrs: Vec<SocketAddr> = servers[..count].iter().map(|s| s.addr).collect();
        for (name, request, writes) in [
            ("mayDecide", &may, false),
            ("decisions(first: 20)", &list, false),
            ("mayDecide, 1st server writing", &may, true),
        ] {
            for &clients in &settings.clients {
                let (stop, stopped) = tokio::sync::watch::channel(false);
                let background = writes.then(|| {
                    tokio::spawn(steady_writer(
                        http.clone(),
                        addrs[0],
                        writer.clone(),
                        events.clone(),
                        settings.writes_per_sec,
                        stopped,
                    ))
                });
                load(&http, &addrs, request, clients, settings.warm_up).await;
                let case = load(&http, &addrs, request, clients, settings.case_for).await;
                stop.send_replace(true);
                let written = match background {
                    Some(b) => b.await.unwrap().to_string(),
                    None => "-".into(),
                };
                say(format!(
                    "{name:<34} {label:>7} {clients:>7} {:>9} {:>9.0} {:>9.2?} {:>9.2?} {written:>8}",
                    case.latencies.len(),
                    case.rate(),
                    case.percentile(0.5),
                    case.percentile(0.99),
                ));
            }
        }
    }
    drop(servers);

    // What ADR 0007 adds to every read: the head check, alone, from this process.
    let store = Store::open(&StoreConfig::new(url))
        .await
        .expect("open the store");
    let org = store.organizations().await.expect("the movements")[0].id;
    let runs = if settings.case_for >= Duration::from_secs(1) {
        2_000
    } else {
        50
    };
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        store.head(org).await.expect("the head");
        times.push(t.elapsed());
    }
    times.sort();
    let case = Case {
        latencies: times,
        elapsed: Duration::ZERO,
    };
    say(format!(
        "the head check alone (Store::head, one at a time, {runs} runs): p50 {:.2?}, p99 {:.2?}",
        case.percentile(0.5),
        case.percentile(0.99)
    ));
    store.connection().clone().close().await.ok();
}

// ---------------------------------------------------------------------------------------------
// Memory per idle movement.

/// The resident set size of this process, in bytes (`/proc/self/statm`, 4 KiB pages).
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm");
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("statm's second field");
    pages * 4096
}

/// In the child: loads every movement of the database and prints, as one JSON line, the RSS
/// before, halfway and after, and how many log entries the states hold.
fn memory_child(url: &str) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    rt.block_on(async {
        let store = Store::open(&StoreConfig::new(url))
            .await
            .expect("open the store");
        let all: Vec<OrganizationId> = store
            .organizations()
            .await
            .expect("the movements")
            .into_iter()
            .map(|o| o.id)
            .collect();
        // The first few warm up the connection pool, the caches and the allocator.
        let warm = (all.len() / 10).clamp(1, 10);
        let mut entries = 0i64;
        let load = |orgs: &[OrganizationId]| {
            let store = store.clone();
            let orgs = orgs.to_vec();
            async move {
                let mut held = 0;
                for org in orgs {
                    held += store.read(org, None).await.expect("load").revision;
                }
                held
            }
        };
        entries += load(&all[..warm]).await;
        let before = rss();
        let half = warm + (all.len() - warm) / 2;
        let first = load(&all[warm..half]).await;
        let halfway = rss();
        let second = load(&all[half..]).await;
        let after = rss();
        assert_eq!(store.resident_count().await, all.len());
        // Of which: each state's channel for its subscribers, allocated whole when the state is
        // loaded, subscribers or not. As many again, alone, to weigh them.
        let channels: Vec<_> = (0..all.len() - warm)
            .map(|_| broadcast::channel::<Notice>(notice::CAPACITY))
            .collect();
        let with_channels = rss();
        drop(channels);
        println!(
            "{}",
            json!({
                "movements": all.len() - warm,
                "entries": first + second,
                "warm_entries": entries,
                "before": before,
                "halfway": halfway,
                "after": after,
                "channels": with_channels - after,
            })
        );
    });
}

/// Runs the child and reads its line.
async fn measure_in_child(url: &str) -> Value {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        let out = Command::new(std::env::current_exe().expect("this executable"))
            .env(CHILD_URL, &url)
            .stderr(Stdio::inherit())
            .output()
            .expect("run the measuring child");
        assert!(out.status.success(), "the measuring child failed");
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        serde_json::from_str(text.lines().last().unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}: {text}"))
    })
    .await
    .unwrap()
}

/// Bytes per movement and per entry from one child's report.
fn report(label: &str, m: &Value) -> (f64, f64) {
    let n = m["movements"].as_f64().unwrap();
    let entries = m["entries"].as_f64().unwrap();
    let (before, halfway, after) = (
        m["before"].as_f64().unwrap(),
        m["halfway"].as_f64().unwrap(),
        m["after"].as_f64().unwrap(),
    );
    let per_movement = (after - before) / n;
    let channel = m["channels"].as_f64().unwrap() / n;
    say(format!(
        "{label}: {n} movements, {entries} log entries loaded; RSS {:.1} MiB before, +{:.2} MiB \
         halfway, +{:.2} MiB after: {:.0} bytes per movement (first half {:.0}, second half {:.0}), \
         of which its notice channel ({} slots) {channel:.0}",
        before / 1048576.0,
        (halfway - before) / 1048576.0,
        (after - before) / 1048576.0,
        per_movement,
        (halfway - before) / (n / 2.0).floor(),
        (after - halfway) / (n / 2.0).ceil(),
        notice::CAPACITY,
    ));
    (per_movement, entries / n)
}

async fn memory(url: &str, settings: &Settings) {
    say(format!(
        "\n== memory per idle movement: {} movements, then {} decisions each ==",
        settings.movements, settings.decisions
    ));
    let store = Store::open(&StoreConfig::new(url))
        .await
        .expect("open the store");
    let started = Instant::now();
    // Four writers at once: movements do not wait for each other's locks.
    let chunks: Vec<Vec<usize>> = (0..4)
        .map(|w| (0..settings.movements).filter(|i| i % 4 == w).collect())
        .collect();
    let founded: Vec<Vec<Writer>> = futures_util::future::join_all(chunks.into_iter().map(|c| {
        let store = store.clone();
        async move {
            let mut out = Vec::new();
            for i in c {
                out.push(found_one(&store, i).await);
            }
            out
        }
    }))
    .await;
    let writers: Vec<Writer> = founded.into_iter().flatten().collect();
    say(format!(
        "founded {} movements (founding, token, commitment: 3 entries each) in {:.1?}",
        writers.len(),
        started.elapsed()
    ));
    let small = measure_in_child(url).await;
    let (small_per_movement, small_entries) = report("founded only", &small);

    let started = Instant::now();
    let decisions = settings.decisions;
    futures_util::future::join_all((0..4).map(|w| {
        let store = store.clone();
        let mine: Vec<Writer> = writers.iter().skip(w).step_by(4).copied().collect();
        async move {
            for writer in mine {
                for k in 0..decisions {
                    writer.decide(&store, k).await;
                }
            }
        }
    }))
    .await;
    say(format!(
        "recorded {} decisions in {:.1?}",
        writers.len() * decisions,
        started.elapsed()
    ));
    let grown = measure_in_child(url).await;
    let (grown_per_movement, grown_entries) =
        report(&format!("with {decisions} decisions each"), &grown);
    let per_entry = (grown_per_movement - small_per_movement) / (grown_entries - small_entries);
    say(format!(
        "bytes per idle movement: {small_per_movement:.0} with {small_entries:.0} entries; \
         {grown_per_movement:.0} with {grown_entries:.0}; per decision entry: {per_entry:.0} \
         (the store reckons {} per movement and {} per entry)",
        graphql_server::store::BYTES_PER_MOVEMENT,
        graphql_server::store::BYTES_PER_ENTRY,
    ));
    store.connection().clone().close().await.ok();
}

/// A small movement's founder, who holds the Coordination mandate.
#[derive(Debug, Clone, Copy)]
struct Writer {
    org: OrganizationId,
    founder: governance_core::MemberId,
    coordination: governance_core::UnitId,
    mandate: governance_core::MandateId,
}

/// Founds movement `i` as `gouvernail init` does (one founder, coordinator) and commits the
/// founder to the mandate, so that they can decide.
async fn found_one(store: &Store, i: usize) -> Writer {
    let args = InitArgs {
        name: format!("Collectif n° {i}"),
        founders: vec![format!("Fondatrice {i} <fondatrice{i}@collectif.example>")],
        coordinators: vec![format!("fondatrice{i}@collectif.example")],
        agora_domains: "charte,règles,budget annuel".into(),
        coordination_domains: "structure,mandats,règles,budget,communication externe".into(),
        months: 12,
        slug: None,
    };
    let (org, _, _) = found_movement(store, &args).await.expect("found");
    let (founder, coordination, mandate) = {
        let s = store.read(org.id, None).await.expect("read");
        let m = &s.movement;
        let founder = m.members().next().expect("the founder").id;
        let coordination = m.coordination().expect("Coordination");
        let mandate = m.mandates_of(founder).next().expect("her mandate").id;
        (founder, coordination, mandate)
    };
    store
        .append_with(org.id, Some(founder), None, move |_, at| {
            Ok(Event::Commitment {
                mandate,
                member: founder,
                at,
            })
        })
        .await
        .expect("commit to the mandate");
    Writer {
        org: org.id,
        founder,
        coordination,
        mandate,
    }
}

impl Writer {
    /// Records decision `k`: a holder decision in the Coordination on `budget`, with a title
    /// and a two-sentence statement.
    async fn decide(&self, store: &Store, k: usize) {
        store
            .append_with(self.org, Some(self.founder), None, {
                let me = *self;
                move |_, at| {
                    Ok(Event::Decision(Box::new(DecisionDraft {
                        id: DecisionId::from_uuid(Uuid::now_v7()),
                        unit: me.coordination,
                        domain: domain("budget"),
                        title: Label::parse("title", &format!("Dépense courante n° {k}")).unwrap(),
                        statement: Text::parse(
                            "statement",
                            "La Coordination règle la facture de la salle pour la réunion du mois. \
                         Le montant reste dans l'enveloppe votée par l'Agora.",
                        )
                        .unwrap(),
                        rationale: Text::default(),
                        decided_at: at,
                        effective_from: None,
                        effective_until: None,
                        decider: Decider::Holder {
                            member: me.founder,
                            mandate: Some(me.mandate),
                        },
                        consultations: vec![],
                        impact: Impact::ThisUnit,
                        visibility: Visibility::Members,
                        links: vec![],
                        effects: vec![],
                        tension: None,
                        escalation: None,
                    })))
                }
            })
            .await
            .expect("record a decision");
    }
}

// ---------------------------------------------------------------------------------------------
