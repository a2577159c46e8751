//! Several real `gouvernail serve` processes over one PostgreSQL database, as an operator runs
//! them behind a load balancer (ADR 0007): every read on any of them sees every write any of them
//! acknowledged before it, a revocation is refused everywhere at once, and a subscriber on one
//! hears every decision recorded through any, once and in order, even when a server is killed
//! with SIGKILL in the middle and started again. `servers.rs` runs the same guarantees with the
//! servers in this process; here they are separate processes that hear each other only through
//! PostgreSQL. PostgreSQL only: without `TEST_DATABASE_URL` each test says it skipped.
//! Long because: the harness (processes, writers that outlive a kill, a subscriber that proves
//! itself live) serves these four tests only, and reads best beside them.

use crate::app::{Ids, code, first_name};
use crate::cli::{Server, gouvernail, is_token};
use crate::helpers::TestDb;
use crate::subscription::{Socket, connect_to, receive, send};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};

const RECORD: &str = r#"mutation($u: UUID!, $t: String!) { recordDecision(input: {unitId: $u, domain: "programmation", title: $t}) { revision decision { id } } }"#;
const READ: &str = "query($id: UUID!) { revision decision(id: $id) { title } }";
const MAY: &str = r#"query($m: UUID!, $u: UUID!) { mayDecide(memberId: $m, unitId: $u, domain: "programmation") { allowed code } }"#;
const SUBSCRIBE: &str = "subscription { decisionRecorded { id title } }";
/// The rate limits, out of the way: these tests are one client sending thousands of requests.
const UNLIMITED: &str = "1000000000";

/// One `gouvernail serve` process and the address it listens on.
struct Process {
    server: Server,
    addr: SocketAddr,
}

impl Process {
    /// Starts `gouvernail serve` on `url` and waits until it listens; with `demo`, it seeds the
    /// demo movement and its stdout lines (tokens among them) are returned. Blocks.
    fn start(url: &str, demo: bool) -> (Self, Vec<String>) {
        let mut args = vec![
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
        ];
        if demo {
            args.push("--demo");
        }
        let mut server = Server::spawn(gouvernail(None, &args));
        let lines = server.lines_until("listens on http://");
        let listen = lines.last().unwrap();
        let addr = listen
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("an address in {listen:?}"));
        (Self { server, addr }, lines)
    }

    async fn spawn(url: String, demo: bool) -> (Self, Vec<String>) {
        tokio::task::spawn_blocking(move || Self::start(&url, demo))
            .await
            .expect("start gouvernail serve")
    }
}

/// `n` processes over one fresh PostgreSQL database: the first seeded the demo movement and
/// printed its members' tokens, the others started on what it stored. Each is killed (SIGKILL)
/// and waited for when the cluster is dropped, before the database is; if the test failed, what
/// they wrote on stderr is shown.
struct Cluster {
    processes: Vec<Option<Process>>,
    /// Tokens by first name, valid on every server (they are in the database).
    tokens: HashMap<String, String>,
    http: reqwest::Client,
    db: TestDb,
}

impl Cluster {
    async fn start(test: &str, n: usize) -> Option<Self> {
        let db = TestDb::postgres(test).await?;
        let started = Instant::now();
        let (first, lines) = Process::spawn(db.url.clone(), true).await;
        let tokens: HashMap<String, String> = lines
            .iter()
            .filter_map(|line| {
                let token = line.rsplit(' ').next()?;
                is_token(token).then(|| (first_name(line), token.to_owned()))
            })
            .collect();
        assert!(tokens.contains_key("Hélène"), "demo tokens in {lines:#?}");
        let others: Vec<_> = (1..n)
            .map(|_| tokio::spawn(Process::spawn(db.url.clone(), false)))
            .collect();
        let mut processes = vec![Some(first)];
        for other in others {
            processes.push(Some(other.await.unwrap().0));
        }
        println!("{test}: {n} servers started in {:.2?}", started.elapsed());
        Some(Self {
            processes,
            tokens,
            http: reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            db,
        })
    }

    fn addr(&self, server: usize) -> SocketAddr {
        self.processes[server]
            .as_ref()
            .unwrap_or_else(|| panic!("server {server} is not running"))
            .addr
    }

    fn token(&self, who: &str) -> String {
        self.tokens
            .get(who)
            .unwrap_or_else(|| panic!("no token for {who}"))
            .clone()
    }

    /// One GraphQL operation as `who` on `server`; a transport error fails the test.
    async fn gql(&self, server: usize, who: &str, query: &str, variables: Value) -> Value {
        let addr = self.addr(server);
        post(&self.http, addr, &self.token(who), query, variables)
            .await
            .unwrap_or_else(|e| panic!("{query} on {addr}: {e}"))
    }

    async fn ids(&self) -> Ids {
        Ids::from_answer(&self.gql(0, "Awa", Ids::QUERY, json!({})).await)
    }

    /// Kills `server` with SIGKILL, as a crash would, and waits for it.
    fn kill(&mut self, server: usize) {
        let process = self.processes[server].take().expect("a running server");
        process.server.kill();
    }

    /// Starts `server` again on the same database (on a new port).
    async fn restart(&mut self, server: usize) -> SocketAddr {
        assert!(
            self.processes[server].is_none(),
            "server {server} is running"
        );
        let (process, _) = Process::spawn(self.db.url.clone(), false).await;
        let addr = process.addr;
        self.processes[server] = Some(process);
        addr
    }

    /// Every decision in the database, oldest revision first, as `(revision, id, title)`, read
    /// through `server`'s API: the audit log gives each decision's revision, the list its title.
    async fn committed(&self, server: usize) -> Vec<(i64, String, String)> {
        let mut revisions = HashMap::new();
        let mut before: Option<i64> = None;
        loop {
            let page = self
                .gql(
                    server,
                    "Awa",
                    "query($b: Int) { auditLog(first: 100, beforeRevision: $b) { revision subject } }",
                    json!({ "b": before }),
                )
                .await;
            let entries = page["data"]["auditLog"]
                .as_array()
                .unwrap_or_else(|| panic!("{page}"));
            if entries.is_empty() {
                break;
            }
            for e in entries {
                let revision = e["revision"].as_i64().unwrap();
                if let Some(id) = e["subject"].as_str().unwrap().strip_prefix("decision:") {
                    revisions.insert(id.to_owned(), revision);
                }
                before = Some(revision);
            }
        }
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = self
                .gql(
                    server,
                    "Awa",
                    "query($a: String) { decisions(first: 100, after: $a) { pageInfo { hasNextPage endCursor } edges { node { id title } } } }",
                    json!({ "a": after }),
                )
                .await;
            let list = &page["data"]["decisions"];
            for edge in list["edges"].as_array().unwrap_or_else(|| panic!("{page}")) {
                let id = edge["node"]["id"].as_str().unwrap().to_owned();
                let revision = *revisions
                    .get(&id)
                    .unwrap_or_else(|| panic!("decision {id} has no audit entry"));
                let title = edge["node"]["title"].as_str().unwrap().to_owned();
                out.push((revision, id, title));
            }
            if list["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = list["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        }
        out.sort();
        out
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for (i, process) in self.processes.iter_mut().enumerate() {
            if let Some(p) = process.take() {
                let stderr = p.server.kill();
                if std::thread::panicking() && !stderr.is_empty() {
                    eprintln!("--- server {i} ({}) stderr ---\n{stderr}", p.addr);
                }
            }
        }
    }
}

async fn post(
    http: &reqwest::Client,
    addr: SocketAddr,
    token: &str,
    query: &str,
    variables: Value,
) -> Result<Value, reqwest::Error> {
    http.post(format!("http://{addr}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await?
        .json()
        .await
}

/// An acknowledged decision: its title, the revision its write returned, its id, and when the
/// acknowledgement arrived.
#[derive(Debug, Clone)]
struct Acked {
    title: String,
    revision: i64,
    id: String,
    at: Instant,
}

/// Records decisions titled `{label} 0..n` through the server `addr` names, one at a time. A
/// write that fails (the server was killed) is not acknowledged: its title is returned among the
/// failed ones, and the writer waits for `addr` to name a server again.
async fn write(
    http: reqwest::Client,
    mut addr: watch::Receiver<SocketAddr>,
    token: String,
    unit: String,
    label: &'static str,
    n: usize,
    acked: Arc<Mutex<Vec<Acked>>>,
) -> Vec<String> {
    let mut failed = Vec::new();
    for k in 0..n {
        let to = *addr.borrow_and_update();
        let title = format!("{label} {k}");
        match post(&http, to, &token, RECORD, json!({ "u": unit, "t": title })).await {
            Ok(v) => {
                assert_eq!(code(&v), "OK", "{title} on {to}: {v}");
                let r = &v["data"]["recordDecision"];
                acked.lock().unwrap().push(Acked {
                    title,
                    revision: r["revision"].as_i64().unwrap(),
                    id: r["decision"]["id"].as_str().unwrap().to_owned(),
                    at: Instant::now(),
                });
            }
            Err(_) => {
                failed.push(title);
                addr.changed().await.expect("the server is restarted");
            }
        }
    }
    failed
}

/// A subscriber's socket, read by a task of its own: each message arrives with the instant it
/// was read.
struct Subscriber {
    heard: mpsc::UnboundedReceiver<(Instant, Value)>,
    reader: tokio::task::JoinHandle<()>,
}

impl Subscriber {
    /// Subscribes as Awa to `decisionRecorded` on `addr`, and makes sure the subscription is
    /// live by hearing a probe decision recorded there.
    async fn start(cluster: &Cluster, server: usize, unit: &str) -> Self {
        let addr = cluster.addr(server);
        let auth = format!("Bearer {}", cluster.token("Awa"));
        let mut ws: Socket = connect_to(addr, json!({ "Authorization": auth })).await;
        let ack = receive(&mut ws, Duration::from_secs(10)).await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        send(
            &mut ws,
            json!({ "id": "1", "type": "subscribe", "payload": { "query": SUBSCRIBE } }),
        )
        .await;
        let (tx, heard) = mpsc::unbounded_channel();
        let reader = tokio::spawn(async move {
            loop {
                let message = receive(&mut ws, Duration::from_secs(3600)).await;
                if tx.send((Instant::now(), message)).is_err() {
                    return;
                }
            }
        });
        let mut subscriber = Self { heard, reader };
        // The subscription is registered once the server has read the message; a probe
        // recorded until one is heard tells when.
        for attempt in 0.. {
            let probe = format!("Sonde {attempt}");
            let v = cluster
                .gql(server, "Hélène", RECORD, json!({ "u": unit, "t": probe }))
                .await;
            assert_eq!(code(&v), "OK", "{v}");
            if let Some(first) = subscriber.next(Duration::from_millis(500)).await {
                assert!(first.2.starts_with("Sonde"), "{first:?}");
                break;
            }
            assert!(attempt < 20, "the subscription never became live");
        }
        // Later probes may still be on their way.
        while subscriber.next(Duration::from_millis(300)).await.is_some() {}
        subscriber
    }

    /// The next decision heard within `within`, as `(when, id, title)`.
    async fn next(&mut self, within: Duration) -> Option<(Instant, String, String)> {
        let (at, message) = tokio::time::timeout(within, self.heard.recv())
            .await
            .ok()??;
        assert_eq!(message["type"], "next", "{message}");
        let d = &message["payload"]["data"]["decisionRecorded"];
        let (Some(id), Some(title)) = (d["id"].as_str(), d["title"].as_str()) else {
            panic!("not a decision: {message}");
        };
        Some((at, id.to_owned(), title.to_owned()))
    }

    /// Every decision heard until `count` are, or nothing more comes for `quiet`; then makes
    /// sure nothing more comes for another `quiet` (so a notice delivered twice is seen).
    async fn hear(&mut self, count: usize, quiet: Duration) -> Vec<(Instant, String, String)> {
        let mut out = Vec::new();
        while out.len() < count {
            match self.next(quiet).await {
                Some(d) => out.push(d),
                None => break,
            }
        }
        while let Some(extra) = self.next(quiet).await {
            out.push(extra);
        }
        out
    }
}

impl Drop for Subscriber {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

/// The first place where `titles`, as heard, are not in the order of their revisions.
fn first_out_of_order(heard: &[String], revision: &HashMap<String, i64>) -> Option<String> {
    heard.windows(2).find_map(|w| {
        let (a, b) = (revision[&w[0]], revision[&w[1]]);
        (a >= b).then(|| {
            format!(
                "{:?} (revision {a}) heard before {:?} (revision {b})",
                w[0], w[1]
            )
        })
    })
}

/// The titles heard more than once.
fn duplicates(heard: &[String]) -> Vec<&String> {
    let mut seen = HashSet::new();
    heard.iter().filter(|t| !seen.insert(*t)).collect()
}

/// A decision recorded through one server is found by the two others at once, every time: by
/// id, and in the revision they report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_read_on_any_of_three_servers_sees_the_write_just_acknowledged() {
    const ITERATIONS: usize = 1_000;
    let Some(cluster) = Cluster::start(
        "every_read_on_any_of_three_servers_sees_the_write_just_acknowledged",
        3,
    )
    .await
    else {
        return;
    };
    let unit = cluster.ids().await.unit("Comité Événements").to_owned();
    // Every server has loaded the movement, so what each holds can go stale.
    for server in 0..3 {
        assert_eq!(
            code(&cluster.gql(server, "Awa", "{ revision }", json!({})).await),
            "OK"
        );
    }
    let started = Instant::now();
    let (mut writes, mut reads) = (Duration::ZERO, Duration::ZERO);
    for i in 0..ITERATIONS {
        let writer = i % 3;
        let title = format!("Atelier {i}");
        let t = Instant::now();
        let written = cluster
            .gql(writer, "Hélène", RECORD, json!({ "u": unit, "t": title }))
            .await;
        writes += t.elapsed();
        assert_eq!(code(&written), "OK", "iteration {i}: {written}");
        let id = written["data"]["recordDecision"]["decision"]["id"].clone();
        let revision = written["data"]["recordDecision"]["revision"]
            .as_i64()
            .unwrap();
        let t = Instant::now();
        let (one, two) = ((writer + 1) % 3, (writer + 2) % 3);
        let (a, b) = tokio::join!(
            cluster.gql(one, "Awa", READ, json!({ "id": id })),
            cluster.gql(two, "Awa", READ, json!({ "id": id })),
        );
        reads += t.elapsed();
        for (reader, read) in [(one, a), (two, b)] {
            assert_eq!(code(&read), "OK", "iteration {i}, server {reader}: {read}");
            assert_eq!(
                read["data"]["decision"]["title"], title,
                "iteration {i}: a stale read on server {reader} of what server {writer} acknowledged: {read}"
            );
            assert!(
                read["data"]["revision"].as_i64().unwrap() >= revision,
                "iteration {i}: server {reader} is behind revision {revision}, acknowledged by server {writer}: {read}"
            );
        }
    }
    println!(
        "{ITERATIONS} writes, each read at once on the two other servers, zero stale reads: {:.2?} \
         (per iteration: write {:.2?}, both reads {:.2?})",
        started.elapsed(),
        writes / ITERATIONS as u32,
        reads / ITERATIONS as u32
    );
}

/// R5 across processes: once one server acknowledges a revocation, the two others refuse the
/// former holder at once, both when asked and when she tries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(non_snake_case)] // the name cites the API's `mayDecide`
async fn r5_a_revocation_on_one_server_refuses_mayDecide_on_the_others_at_once() {
    let Some(cluster) = Cluster::start(
        "r5_a_revocation_on_one_server_refuses_mayDecide_on_the_others_at_once",
        3,
    )
    .await
    else {
        return;
    };
    let started = Instant::now();
    let ids = cluster.ids().await;
    let (helene, events) = (ids.member("Hélène"), ids.unit("Comité Événements"));
    let asked = json!({ "m": helene, "u": events });
    for server in [1, 2] {
        let before = cluster.gql(server, "Awa", MAY, asked.clone()).await;
        assert_eq!(
            before["data"]["mayDecide"]["allowed"], true,
            "server {server}: {before}"
        );
    }
    let revoked = cluster
        .gql(
            0,
            "Chloé",
            r#"mutation($u: UUID!, $m: UUID!) { recordDecision(input: {unitId: $u, domain: "mandats", title: "Fin du mandat d'Hélène", effects: [{revokeMandate: $m}]}) { revision } }"#,
            json!({ "u": ids.unit("Pôle Mobilisation"), "m": ids.mandate("Hélène@Comité Événements") }),
        )
        .await;
    assert_eq!(code(&revoked), "OK", "{revoked}");
    let (b, c) = tokio::join!(
        cluster.gql(1, "Awa", MAY, asked.clone()),
        cluster.gql(2, "Awa", MAY, asked.clone()),
    );
    for (server, after) in [(1, b), (2, c)] {
        assert_eq!(
            after["data"]["mayDecide"]["allowed"], false,
            "server {server} still allows Hélène after the revocation acknowledged by server 0: {after}"
        );
    }
    let tried = cluster
        .gql(
            2,
            "Hélène",
            RECORD,
            json!({ "u": events, "t": "Après la révocation" }),
        )
        .await;
    assert_ne!(
        code(&tried),
        "OK",
        "server 2 recorded a decision of a revoked mandate: {tried}"
    );
    println!(
        "revoked on server 0, refused on servers 1 and 2 ({}) in {:.2?}",
        code(&tried),
        started.elapsed()
    );
}

/// A subscriber on one server hears each decision recorded through any of three servers, by
/// three clients at once: every acknowledged one, once, in the order of the revisions the
/// writes returned, each within a second of its acknowledgement.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscriber_hears_every_decision_from_every_server_once_in_order() {
    const PER_WRITER: usize = 50;
    let Some(cluster) = Cluster::start(
        "a_subscriber_hears_every_decision_from_every_server_once_in_order",
        3,
    )
    .await
    else {
        return;
    };
    let unit = cluster.ids().await.unit("Comité Événements").to_owned();
    let mut subscriber = Subscriber::start(&cluster, 1, &unit).await;
    let started = Instant::now();
    let acked = Arc::new(Mutex::new(Vec::new()));
    // The servers stay where they are: the senders only live as long as the writers.
    let (addrs, receivers): (Vec<_>, Vec<_>) =
        (0..3).map(|s| watch::channel(cluster.addr(s))).unzip();
    let writers: Vec<_> = receivers
        .into_iter()
        .zip(["A", "B", "C"])
        .map(|(addr, label)| {
            tokio::spawn(write(
                cluster.http.clone(),
                addr,
                cluster.token("Hélène"),
                unit.clone(),
                label,
                PER_WRITER,
                acked.clone(),
            ))
        })
        .collect();
    for w in writers {
        let failed = w.await.unwrap();
        assert!(failed.is_empty(), "writes failed: {failed:?}");
    }
    drop(addrs);
    let written = started.elapsed();
    let acked = acked.lock().unwrap().clone();
    assert_eq!(acked.len(), 3 * PER_WRITER);
    let heard = subscriber.hear(acked.len(), Duration::from_secs(2)).await;
    let titles: Vec<String> = heard.iter().map(|h| h.2.clone()).collect();
    assert_eq!(duplicates(&titles), Vec::<&String>::new(), "heard twice");
    let expected: HashSet<&String> = acked.iter().map(|a| &a.title).collect();
    let got: HashSet<&String> = titles.iter().collect();
    assert_eq!(
        got.symmetric_difference(&expected).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "heard exactly the acknowledged decisions"
    );
    let revision: HashMap<String, i64> = acked
        .iter()
        .map(|a| (a.title.clone(), a.revision))
        .collect();
    if let Some(wrong) = first_out_of_order(&titles, &revision) {
        panic!("not in revision order: {wrong}");
    }
    let ack_at: HashMap<&String, Instant> = acked.iter().map(|a| (&a.title, a.at)).collect();
    let slowest = heard
        .iter()
        .map(|(at, _, title)| at.saturating_duration_since(ack_at[title]))
        .max()
        .unwrap();
    assert!(
        slowest <= Duration::from_secs(1),
        "a decision was heard {slowest:?} after its acknowledgement"
    );
    println!(
        "{} decisions written by 3 clients on 3 servers in {written:.2?}, all heard on server 1 once and in order, \
         the slowest {slowest:.2?} after its acknowledgement; {:.2?} in all",
        acked.len(),
        started.elapsed()
    );
}

/// A server killed with SIGKILL in the middle of a stream of writes, then started again on the
/// same database (three times over): a subscriber on another server hears every decision the database holds (every
/// acknowledged one, and any whose acknowledgement the kill lost) once, in revision order, and
/// the restarted server reads everything acknowledged before it came back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_and_restarted_mid_stream_loses_and_repeats_nothing() {
    const PER_WRITER: usize = 80;
    const KILLS: usize = 3;
    let Some(mut cluster) = Cluster::start(
        "a_server_killed_and_restarted_mid_stream_loses_and_repeats_nothing",
        3,
    )
    .await
    else {
        return;
    };
    let unit = cluster.ids().await.unit("Comité Événements").to_owned();
    let mut subscriber = Subscriber::start(&cluster, 1, &unit).await;
    let started = Instant::now();
    let acked = Arc::new(Mutex::new(Vec::new()));
    let (a_addr, a_rx) = watch::channel(cluster.addr(0));
    let (_c_addr, c_rx) = watch::channel(cluster.addr(2));
    let writers: Vec<_> = [(a_rx, "A"), (c_rx, "C")]
        .into_iter()
        .map(|(addr, label)| {
            tokio::spawn(write(
                cluster.http.clone(),
                addr,
                cluster.token("Hélène"),
                unit.clone(),
                label,
                PER_WRITER,
                acked.clone(),
            ))
        })
        .collect();
    // Server 0 is killed three times, at a quarter, half and three quarters of the writes
    // acknowledged, whatever it is doing; each time it is started again at once.
    let acked_count = || acked.lock().unwrap().len();
    let mut kills = Vec::new();
    for round in 1..=KILLS {
        while acked_count() < round * 2 * PER_WRITER / (KILLS + 1) {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        cluster.kill(0);
        let killed_at = started.elapsed();
        let before_restart: Vec<Acked> = acked.lock().unwrap().clone();
        let restarted = Instant::now();
        let addr = cluster.restart(0).await;
        kills.push((killed_at, restarted.elapsed()));
        // The restarted server reads everything acknowledged before it came back.
        let newest = before_restart.iter().map(|a| a.revision).max().unwrap();
        let head = cluster.gql(0, "Awa", "{ revision }", json!({})).await;
        assert!(
            head["data"]["revision"].as_i64().unwrap() >= newest,
            "restart {round}: the restarted server is behind revision {newest}: {head}"
        );
        for a in &before_restart {
            let read = cluster.gql(0, "Awa", READ, json!({ "id": a.id })).await;
            assert_eq!(
                read["data"]["decision"]["title"], a.title,
                "restart {round}: the restarted server misses {:?}, acknowledged before: {read}",
                a.title
            );
        }
        a_addr.send(addr).unwrap();
    }
    let mut failed = Vec::new();
    for w in writers {
        failed.extend(w.await.unwrap());
    }
    let written = started.elapsed();
    let acked = acked.lock().unwrap().clone();
    assert!(
        !failed.is_empty(),
        "no write to the killed server failed: the kills came too late to test anything"
    );

    // What the database holds decides the writes whose acknowledgement was lost.
    let committed: Vec<(i64, String, String)> = cluster
        .committed(0)
        .await
        .into_iter()
        .filter(|(_, _, t)| t.starts_with("A ") || t.starts_with("C "))
        .collect();
    let in_db: HashMap<String, i64> = committed.iter().map(|(r, _, t)| (t.clone(), *r)).collect();
    for a in &acked {
        assert_eq!(
            in_db.get(&a.title),
            Some(&a.revision),
            "{:?} was acknowledged at revision {} but the database says otherwise",
            a.title,
            a.revision
        );
    }
    let lost_acks: Vec<&String> = failed.iter().filter(|t| in_db.contains_key(*t)).collect();

    let heard = subscriber
        .hear(committed.len(), Duration::from_secs(2))
        .await;
    let titles: Vec<String> = heard.iter().map(|h| h.2.clone()).collect();
    assert_eq!(duplicates(&titles), Vec::<&String>::new(), "heard twice");
    let expected: Vec<String> = committed.iter().map(|c| c.2.clone()).collect();
    let got: HashSet<&String> = titles.iter().collect();
    let missed: Vec<&String> = expected.iter().filter(|t| !got.contains(t)).collect();
    assert!(
        missed.is_empty(),
        "never heard, though committed: {missed:?}"
    );
    let unknown: Vec<&String> = titles.iter().filter(|t| !in_db.contains_key(*t)).collect();
    assert!(
        unknown.is_empty(),
        "heard, though not committed: {unknown:?}"
    );
    if let Some(wrong) = first_out_of_order(&titles, &in_db) {
        panic!("not in revision order: {wrong}");
    }
    assert_eq!(titles, expected);
    println!(
        "{} writes acknowledged, {} failed (of which {} committed with the acknowledgement lost); \
         server 0 killed and restarted {KILLS} times (killed at, back in: {kills:.2?}); all {} \
         committed heard once and in order on server 1; writes took {written:.2?}, {:.2?} in all",
        acked.len(),
        failed.len(),
        lost_acks.len(),
        committed.len(),
        started.elapsed()
    );
}
