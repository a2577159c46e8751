//! The HTTP benchmark of issue #14: a load generator in Rust (hyper on tokio) against a real
//! server (the router and connection loop `gouvernail serve` runs, on a runtime of its own in
//! this process, over a fresh database seeded with the demo movement), on SQLite and on
//! PostgreSQL. Each case runs N workers for a fixed time, each sending its next request as soon
//! as the previous one is answered (a closed loop), and prints the throughput and the p50, p99
//! and p99.9 of the answers' latencies:
//!
//! - `GET /health`;
//! - `mayDecide` (Awa, the Coordination, `budget`), a question the engine answers from memory;
//! - `decisions(first: 50)`, a page of 50 records (from the list's order kept in memory);
//! - `recordDecision` by Awa in the Coordination, durable (SQLite `synchronous=FULL`), with 1, 8
//!   and 32 writers.
//!
//! A closed loop does not correct for coordinated omission: while a request is slow, its
//! worker sends nothing, so the latencies under-state what a client arriving at a fixed rate
//! would see during a stall. The throughput is what the server reached with the generator on
//! the same two cores. The open-loop cases (`/health` and `mayDecide` at a fixed rate) do
//! correct for it: each latency counts from when its request was due.
//!
//! Run with `cargo bench -p graphql-server --bench http`; PostgreSQL is measured when
//! `BENCH_DATABASE_URL` or `TEST_DATABASE_URL` names a server where the bench may create and
//! drop a database (skipped, and said, otherwise). Settings: `BENCH_HTTP_SECS` (5 timed seconds
//! per case, after 1 s of warm-up), `BENCH_HTTP_CLIENTS` (64 for reads), `BENCH_HTTP_RATE` (1 000
//! requests per second for the open-loop cases), `BENCH_HTTP_CASES` (a comma-separated list of
//! case names to run, e.g. `mayDecide,recordDecision`; all by default). Without `--bench` (as
//! under `cargo test --benches`) every case runs 200 ms, as a smoke test.
//!
//! The client is hyper's HTTP/1.1 connection, one per worker, with bodies built before the clock
//! starts: the generator shares the two cores with the server, and the lighter it is, the more
//! of them the server gets.

#[path = "common/pg.rs"]
mod pg;

use graphql_server::http::HttpLimits;
use graphql_server::store::{Store, StoreConfig};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const MAY_DECIDE: &str = r#"query($m: UUID!, $u: UUID!) { mayDecide(memberId: $m, unitId: $u, domain: "budget") { allowed code } }"#;
const PAGE: &str =
    "{ decisions(first: 50) { edges { node { id title decidedAt unitName domain } } } }";
const RECORD: &str = r#"mutation($u: UUID!, $t: String!) { recordDecision(input: {unitId: $u, domain: "communication externe", title: $t}) { revision } }"#;

struct Settings {
    warm_up: Duration,
    case_for: Duration,
    clients: usize,
    writers: Vec<usize>,
    /// The fixed rate of the open-loop cases, in requests per second.
    rate: f64,
    /// Only the cases whose name contains one of these (all when empty).
    only: Vec<String>,
}

impl Settings {
    fn wants(&self, case: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|o| case.contains(o.as_str()))
    }
}

impl Settings {
    fn from_env() -> Self {
        let full = std::env::args().any(|a| a == "--bench");
        let secs = |name: &str, default: f64| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(default)
        };
        let only = std::env::var("BENCH_HTTP_CASES")
            .map(|v| v.split(',').map(str::to_owned).collect())
            .unwrap_or_default();
        if full {
            Self {
                warm_up: Duration::from_secs(1),
                case_for: Duration::from_secs_f64(secs("BENCH_HTTP_SECS", 5.0)),
                clients: secs("BENCH_HTTP_CLIENTS", 64.0) as usize,
                writers: vec![1, 8, 32],
                rate: secs("BENCH_HTTP_RATE", 1000.0),
                only,
            }
        } else {
            Self {
                warm_up: Duration::from_millis(50),
                case_for: Duration::from_millis(200),
                clients: 4,
                writers: vec![1, 2],
                rate: 200.0,
                only,
            }
        }
    }
}

/// What one case measured.
struct Outcome {
    latencies: Vec<Duration>,
    errors: usize,
    elapsed: Duration,
}

impl Outcome {
    fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[i]
    }

    fn report(&self, backend: &str, case: &str, workers: usize) {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{backend:<10} {case:<16} {workers:>3} workers: {:>8.0} req/s  p50 {:>7.3} ms  p99 {:>7.3} ms  p99.9 {:>7.3} ms  ({} answers, {} errors)",
            self.latencies.len() as f64 / self.elapsed.as_secs_f64(),
            ms(self.percentile(0.50)),
            ms(self.percentile(0.99)),
            ms(self.percentile(0.999)),
            self.latencies.len(),
            self.errors
        );
    }
}

/// One request of a case: an HTTP request, answered 200 without GraphQL errors.
#[derive(Clone)]
enum Request {
    Health,
    Graphql {
        query: &'static str,
        variables: Value,
    },
    /// A decision with a fresh title each time.
    Record {
        unit: String,
    },
}

impl Request {
    /// The request, built before the clock runs except for a write's fresh title.
    fn build(&self, token: &str, n: usize) -> hyper::Request<Full<Bytes>> {
        let body = match self {
            Request::Health => {
                return hyper::Request::get("/health")
                    .header(hyper::header::HOST, "bench")
                    .body(Full::new(Bytes::new()))
                    .unwrap();
            }
            Request::Graphql { query, variables } => {
                json!({"query": query, "variables": variables}).to_string()
            }
            Request::Record { unit } => json!({"query": RECORD, "variables": {
                "u": unit, "t": format!("Décision de charge {n}")
            }})
            .to_string(),
        };
        hyper::Request::post("/graphql")
            .header(hyper::header::HOST, "bench")
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .header(hyper::header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Full::new(Bytes::from(body)))
            .unwrap()
    }
}

/// One worker's HTTP/1.1 connection, kept alive: the generator costs as little as it can, so
/// that the cores it shares with the server go to the server.
struct Connection {
    send: hyper::client::conn::http1::SendRequest<Full<Bytes>>,
}

impl Connection {
    async fn open(addr: SocketAddr) -> Self {
        let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.set_nodelay(true).unwrap();
        let (send, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(conn);
        Self { send }
    }

    /// Sends one request; true if it was answered 200 and, for GraphQL, without `errors`.
    async fn send(&mut self, request: hyper::Request<Full<Bytes>>) -> bool {
        if self.send.ready().await.is_err() {
            return false;
        }
        let Ok(answer) = self.send.send_request(request).await else {
            return false;
        };
        let ok = answer.status().is_success();
        let Ok(body) = answer.into_body().collect().await else {
            return false;
        };
        // A GraphQL answer with errors names them first: `{"errors":…` or `{"data":…,"errors"`.
        ok && !body.to_bytes().windows(9).any(|w| w == b"\"errors\":")
    }
}

/// `workers` closed loops for `warm_up` then `case_for`; only the timed part is kept.
async fn run_case(
    addr: SocketAddr,
    token: &str,
    request: Request,
    workers: usize,
    settings: &Settings,
) -> Outcome {
    let counter = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let timed_from = start + settings.warm_up;
    let until = timed_from + settings.case_for;
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let (token, request, counter) = (token.to_owned(), request.clone(), counter.clone());
        tasks.push(tokio::spawn(async move {
            let mut connection = Connection::open(addr).await;
            let mut latencies = Vec::new();
            let mut errors = 0;
            loop {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let built = request.build(&token, n);
                let sent = Instant::now();
                if sent >= until {
                    break;
                }
                let ok = connection.send(built).await;
                if sent >= timed_from {
                    if ok {
                        latencies.push(sent.elapsed());
                    } else {
                        errors += 1;
                    }
                }
                if !ok {
                    connection = Connection::open(addr).await;
                }
            }
            (latencies, errors)
        }));
    }
    collect(tasks, settings.case_for).await
}

/// An open loop: requests are due at a fixed `rate`, whether or not earlier ones were
/// answered, and each latency counts from when its request was due, so a stall shows in full
/// (no coordinated omission). A thread of its own releases each request when it is due (the
/// OS's sleep is finer than tokio's millisecond timer, which would add up to a millisecond to
/// every latency), and `connections` workers take the released requests in turn.
async fn run_rate(
    addr: SocketAddr,
    token: &str,
    request: Request,
    rate: f64,
    connections: usize,
    settings: &Settings,
) -> Outcome {
    let start = Instant::now() + Duration::from_millis(50);
    let timed_from = start + settings.warm_up;
    let until = timed_from + settings.case_for;
    let interval = Duration::from_secs_f64(1.0 / rate);
    let (release, due) = tokio::sync::mpsc::unbounded_channel::<(usize, Instant)>();
    std::thread::spawn(move || {
        for n in 0.. {
            let at = start + interval * n as u32;
            if at >= until {
                break;
            }
            if let Some(wait) = at.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            if release.send((n, at)).is_err() {
                break;
            }
        }
    });
    let due = Arc::new(tokio::sync::Mutex::new(due));
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (token, request, due) = (token.to_owned(), request.clone(), due.clone());
        tasks.push(tokio::spawn(async move {
            let mut connection = Connection::open(addr).await;
            let mut latencies = Vec::new();
            let mut errors = 0;
            loop {
                let Some((n, at)) = due.lock().await.recv().await else {
                    break;
                };
                let ok = connection.send(request.build(&token, n)).await;
                if at >= timed_from {
                    if ok {
                        latencies.push(at.elapsed());
                    } else {
                        errors += 1;
                    }
                }
                if !ok {
                    connection = Connection::open(addr).await;
                }
            }
            (latencies, errors)
        }));
    }
    collect(tasks, settings.case_for).await
}

async fn collect(
    tasks: Vec<tokio::task::JoinHandle<(Vec<Duration>, usize)>>,
    elapsed: Duration,
) -> Outcome {
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.unwrap();
        all.extend(l);
        errors += e;
    }
    all.sort();
    Outcome {
        latencies: all,
        errors,
        elapsed,
    }
}

/// Starts the server over `url` on a runtime of its own; returns its address and the tokens of
/// the demo's Awa and the ids the cases ask about.
fn start_server(url: &str) -> (SocketAddr, String, String, String) {
    let (tx, rx) = std::sync::mpsc::channel();
    let url = url.to_owned();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let store = Store::open(&StoreConfig::new(url))
                .await
                .expect("open the store");
            let (org, members) = graphql_server::demo::seed(&store)
                .await
                .unwrap()
                .expect("an empty database");
            let awa = members.iter().find(|m| m.name.starts_with("Awa")).unwrap();
            let (awa_id, coordination) = {
                let s = store.read(org, None).await.unwrap();
                let m = &s.movement;
                let awa_id = m
                    .members()
                    .find(|x| x.name.as_str().starts_with("Awa"))
                    .unwrap()
                    .id;
                (awa_id.to_string(), m.coordination().unwrap().to_string())
            };
            // The rate limits out of the way: one generator sends everything.
            let limits = HttpLimits {
                per_token_per_minute: 1_000_000_000,
                per_ip_per_minute: 1_000_000_000,
                ..HttpLimits::default()
            };
            let connections = limits.connections;
            let router = graphql_server::http::app(store, org, limits);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send((
                listener.local_addr().unwrap(),
                awa.token.clone(),
                awa_id,
                coordination,
            ))
            .unwrap();
            graphql_server::http::serve(listener, router, connections)
                .await
                .unwrap();
        });
    });
    rx.recv().expect("the server started")
}

async fn cases(backend: &str, url: &str, settings: &Settings) {
    let (addr, token, awa, coordination) = start_server(url);
    let reads = [
        ("/health", Request::Health),
        (
            "mayDecide",
            Request::Graphql {
                query: MAY_DECIDE,
                variables: json!({"m": awa, "u": coordination}),
            },
        ),
        (
            "decisions(50)",
            Request::Graphql {
                query: PAGE,
                variables: json!({}),
            },
        ),
    ];
    // A page of 50 needs 50 records: the demo has fewer.
    run_case(
        addr,
        &token,
        Request::Record {
            unit: coordination.clone(),
        },
        1,
        &Settings {
            warm_up: Duration::ZERO,
            case_for: Duration::from_millis(1500),
            clients: 1,
            writers: vec![1],
            rate: 1.0,
            only: Vec::new(),
        },
    )
    .await;
    for (name, request) in reads.iter() {
        if !settings.wants(name) {
            continue;
        }
        for workers in [1, settings.clients] {
            run_case(addr, &token, request.clone(), workers, settings)
                .await
                .report(backend, name, workers);
        }
    }
    // The open loop, at a fixed rate: what a client sees at that load, stalls included.
    for (name, request) in reads.iter().take(2) {
        let case = format!("{name}@rate");
        if !settings.wants(&case) {
            continue;
        }
        run_rate(addr, &token, request.clone(), settings.rate, 16, settings)
            .await
            .report(backend, &format!("{name} @{}/s", settings.rate), 16);
    }
    for &workers in &settings.writers {
        if !settings.wants("recordDecision") {
            continue;
        }
        run_case(
            addr,
            &token,
            Request::Record {
                unit: coordination.clone(),
            },
            workers,
            settings,
        )
        .await
        .report(backend, "recordDecision", workers);
    }
}

fn main() {
    let settings = Settings::from_env();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir =
            std::env::temp_dir().join(format!("gouvernail-http-bench-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let sqlite = format!("sqlite://{}?mode=rwc", dir.join("bench.sqlite").display());
        cases("sqlite", &sqlite, &settings).await;
        match std::env::var("BENCH_DATABASE_URL").or_else(|_| std::env::var("TEST_DATABASE_URL")) {
            Ok(admin) => {
                let db = pg::PgDatabase::try_create(&admin)
                    .await
                    .expect("a bench database");
                cases("postgresql", &db.url, &settings).await;
            }
            Err(_) => println!(
                "postgresql: neither BENCH_DATABASE_URL nor TEST_DATABASE_URL is set: skipped"
            ),
        }
        let _ = std::fs::remove_dir_all(&dir);
    });
}
