//! The `gouvernail` command line, run as a real process the way an operator runs it: `init`,
//! `token`, `verify`, `export`, `serve --demo`, `migrate` and `--help`, each test on its own
//! temporary SQLite file passed with `--database-url` (the slug tests on PostgreSQL too).

use crate::helpers::{TestDb, on_both_backends};
use governance_core::{Email, MemberId, OrganizationId};
use graphql_server::auth::authenticate;
use graphql_server::store::Store;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const CANAL_FOUNDERS: [(&str, &str); 2] = [
    ("Awa Diallo", "awa@canal.example"),
    ("Léo Garnier", "leo@canal.example"),
];

/// The `gouvernail` binary next to this test binary (`target/<profile>/deps/it-xxxx` →
/// `target/<profile>/gouvernail`). The binary belongs to `graphql-server`, so `cargo test -p
/// tests` does not build it: it is built here, once per run, when missing or older than this
/// test binary (a stale binary would test yesterday's code).
pub(crate) fn gouvernail_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("the test binary's path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("the test binary lives in target/<profile>/deps");
        let bin = profile_dir.join(format!("gouvernail{}", std::env::consts::EXE_SUFFIX));
        let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let stale = match (modified(&bin), modified(&exe)) {
            (Some(b), Some(t)) => b < t,
            _ => true,
        };
        if stale {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let mut build = Command::new(cargo);
            build
                .args(["build", "-p", "graphql-server", "--bin", "gouvernail"])
                .current_dir(env!("CARGO_MANIFEST_DIR"));
            match profile_dir.file_name().and_then(|n| n.to_str()) {
                Some("debug") | None => {}
                Some(profile) => {
                    build.args(["--profile", profile]);
                }
            }
            let out = build.output().expect("run cargo build");
            assert!(
                out.status.success(),
                "cargo build -p graphql-server --bin gouvernail failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(bin.exists(), "no gouvernail binary at {}", bin.display());
        bin
    })
}

/// `gouvernail ARGS --database-url DB`, without the caller's `GOUVERNAIL_*` variables (a
/// developer's `GOUVERNAIL_MOVEMENT` or `GOUVERNAIL_LISTEN` must not change what is tested).
pub(crate) fn gouvernail(db: Option<&TestDb>, args: &[&str]) -> Command {
    let mut cmd = Command::new(gouvernail_bin());
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("GOUVERNAIL_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("RUST_LOG", "warn").args(args);
    if let Some(db) = db {
        cmd.args(["--database-url", &db.url]);
    }
    cmd
}

/// What a finished command did.
#[derive(Debug)]
pub(crate) struct Output {
    pub(crate) status: ExitStatus,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Output {
    pub(crate) fn succeeded(&self) -> &Self {
        assert!(self.status.success(), "the command failed: {self:#?}");
        self
    }

    pub(crate) fn code(&self) -> Option<i32> {
        self.status.code()
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:#?}"))
    }
}

pub(crate) fn run(db: &TestDb, args: &[&str]) -> Output {
    let out = gouvernail(Some(db), args)
        .stdin(Stdio::null())
        .output()
        .expect("run gouvernail");
    Output {
        status: out.status,
        stdout: String::from_utf8(out.stdout).expect("UTF-8 on stdout"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Whether `word` looks like an API token: `gvn_` and 64 hexadecimal digits.
pub(crate) fn is_token(word: &str) -> bool {
    word.strip_prefix("gvn_")
        .is_some_and(|hex| hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

/// `gouvernail init` of the Collectif du Canal; returns `(e-mail, token)` per founder.
pub(crate) fn init_canal(db: &TestDb) -> (Output, Vec<(String, String)>) {
    let mut args = vec!["init", "--name", "Collectif du Canal"];
    let founders: Vec<String> = CANAL_FOUNDERS
        .iter()
        .map(|(name, email)| format!("{name} <{email}>"))
        .collect();
    for f in &founders {
        args.extend(["--founder", f.as_str()]);
    }
    args.extend(["--coordinator", "awa@canal.example"]);
    let out = run(db, &args);
    out.succeeded();
    let tokens = CANAL_FOUNDERS
        .iter()
        .map(|(name, email)| {
            let prefix = format!("{name} <{email}> ");
            let lines: Vec<&str> = out
                .stdout
                .lines()
                .filter(|l| l.starts_with(&prefix))
                .collect();
            assert_eq!(lines.len(), 1, "one line for {email}: {out:#?}");
            let token = &lines[0][prefix.len()..];
            assert!(
                is_token(token),
                "the line for {email} ends with a token: {out:#?}"
            );
            (email.to_string(), token.to_owned())
        })
        .collect();
    (out, tokens)
}

/// The database's only movement.
async fn only_movement(store: &Store) -> OrganizationId {
    let orgs = store.organizations().await.unwrap();
    assert_eq!(orgs.len(), 1, "one movement in the database");
    orgs[0].id
}

async fn member_by_email(store: &Store, org: OrganizationId, email: &str) -> MemberId {
    let s = store.read(org, None).await.unwrap();
    s.movement
        .member_by_email(&Email::parse(email).unwrap())
        .unwrap_or_else(|| panic!("no member {email}"))
        .id
}

#[tokio::test]
async fn init_founds_a_movement_and_prints_each_founders_token_once() {
    let db = TestDb::sqlite();
    let (out, tokens) = init_canal(&db);
    assert!(
        out.stdout.contains("Collectif du Canal"),
        "init names the movement: {out:#?}"
    );
    for (email, token) in &tokens {
        assert_eq!(
            out.stdout.matches(token.as_str()).count(),
            1,
            "{email}'s token is printed once"
        );
    }
    assert_ne!(tokens[0].1, tokens[1].1, "each founder has their own token");

    let store = db.open().await;
    let org = only_movement(&store).await;
    for (email, token) in &tokens {
        let member = member_by_email(&store, org, email).await;
        assert_eq!(
            authenticate(&store, org, token).await.unwrap(),
            Some(member),
            "{email}'s token identifies {email}"
        );
    }
    drop(store);

    let bad = run(
        &db,
        &[
            "init",
            "--name",
            "Collectif du Canal",
            "--founder",
            "Awa Diallo",
            "--coordinator",
            "awa@canal.example",
        ],
    );
    assert!(
        !bad.status.success(),
        "a founder without e-mail is refused: {bad:#?}"
    );
    assert!(
        bad.stderr.contains("Awa Diallo") && bad.stderr.contains("Name <email>"),
        "the message quotes the founder and the expected shape: {bad:#?}"
    );
    assert!(
        !bad.stdout.contains("gvn_"),
        "no token is printed: {bad:#?}"
    );
    let store = db.open().await;
    only_movement(&store).await;
}

on_both_backends!(
    init_twice_founds_two_movements_at_distinct_slugs_and_prints_them,
    init_refuses_a_slug_already_taken_and_writes_nothing,
    init_refuses_a_malformed_or_reserved_slug_and_writes_nothing,
    movement_flag_selects_a_movement_by_slug_or_by_id,
    signin_link_leads_under_the_slug_of_the_movement_named,
);

/// `gouvernail signin-link` prints a link to where the movement's pages are: the root for the
/// default movement, `/m/{slug}/` for one named with `--movement` (every movement is served
/// there), so that a link for one movement never lands on another's pages.
async fn signin_link_leads_under_the_slug_of_the_movement_named(db: TestDb) {
    init_canal(&db);
    init_named(&db, "Jardin partagé", &["--slug", "jardin"]).succeeded();
    let base = "--base-url=https://gouvernail.example/";
    let link = |movement: Option<&str>| {
        let mut args = vec!["signin-link", "--member", "awa@canal.example", base];
        if let Some(m) = movement {
            args.extend(["--movement", m]);
        }
        run(&db, &args).succeeded().stdout.trim().to_owned()
    };
    assert!(
        link(None).starts_with("https://gouvernail.example/connexion/lien/"),
        "{}",
        link(None)
    );
    assert!(
        link(Some("jardin")).starts_with("https://gouvernail.example/m/jardin/connexion/lien/"),
        "{}",
        link(Some("jardin"))
    );
    assert!(
        link(Some("collectif-du-canal"))
            .starts_with("https://gouvernail.example/m/collectif-du-canal/connexion/lien/"),
        "{}",
        link(Some("collectif-du-canal"))
    );
}

/// `gouvernail init` of a movement named `name` with the Canal's founders, and `extra` flags.
fn init_named(db: &TestDb, name: &str, extra: &[&str]) -> Output {
    let founders: Vec<String> = CANAL_FOUNDERS
        .iter()
        .map(|(name, email)| format!("{name} <{email}>"))
        .collect();
    let mut args = vec!["init", "--name", name];
    for f in &founders {
        args.extend(["--founder", f.as_str()]);
    }
    args.extend(["--coordinator", "awa@canal.example"]);
    args.extend(extra);
    run(db, &args)
}

/// The line `init` prints about where the movement is served.
fn founded_line(out: &Output) -> &str {
    out.stdout
        .lines()
        .find(|l| l.starts_with("Founded "))
        .unwrap_or_else(|| panic!("a `Founded` line: {out:#?}"))
}

async fn init_twice_founds_two_movements_at_distinct_slugs_and_prints_them(db: TestDb) {
    let (first, _) = init_canal(&db);
    let second = init_named(&db, "Collectif du Canal", &[]);
    second.succeeded();

    let store = db.open().await;
    let slugs = store.slugs().await.unwrap();
    let ids: Vec<OrganizationId> = store
        .organizations()
        .await
        .unwrap()
        .iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(
        slugs.iter().map(|(id, _, _)| *id).collect::<Vec<_>>(),
        ids,
        "one slug per movement, oldest first"
    );
    let names: Vec<(String, String)> = slugs
        .iter()
        .map(|(_, slug, name)| (slug.to_string(), name.to_string()))
        .collect();
    assert_eq!(
        names,
        [
            (
                "collectif-du-canal".to_owned(),
                "Collectif du Canal".to_owned()
            ),
            (
                "collectif-du-canal-2".to_owned(),
                "Collectif du Canal".to_owned()
            ),
        ],
        "the second one is numbered"
    );
    for (out, (id, slug, _)) in [&first, &second].into_iter().zip(&slugs) {
        assert_eq!(
            founded_line(out),
            format!(
                "Founded Collectif du Canal (id {id}), slug {slug}: served at /m/{slug}/graphql"
            )
        );
    }
    assert_eq!(
        store
            .organization_by_slug("collectif-du-canal-2")
            .await
            .unwrap(),
        Some(slugs[1].0)
    );
}

async fn init_refuses_a_slug_already_taken_and_writes_nothing(db: TestDb) {
    init_canal(&db);
    let taken = init_named(&db, "Jardin partagé", &["--slug", "collectif-du-canal"]);
    assert!(!taken.status.success(), "{taken:#?}");
    assert!(
        taken
            .stderr
            .contains("the slug collectif-du-canal is already taken")
            && taken.stderr.contains("--slug"),
        "the message names the slug and the way out: {taken:#?}"
    );
    assert!(!taken.stdout.contains("gvn_"), "no token: {taken:#?}");

    let store = db.open().await;
    only_movement(&store).await;
    let slugs = store.slugs().await.unwrap();
    assert_eq!(slugs.len(), 1);
    assert_eq!(slugs[0].2.as_str(), "Collectif du Canal");
}

async fn init_refuses_a_malformed_or_reserved_slug_and_writes_nothing(db: TestDb) {
    for (slug, reason) in [
        ("Canal", "a slug holds only a-z, 0-9 and -"),
        ("canal--nord", "a slug cannot hold --"),
        ("canal-", "a slug cannot start or end with -"),
        ("graphql", "\"graphql\" is reserved"),
    ] {
        let out = init_named(&db, "Collectif du Canal", &["--slug", slug]);
        assert!(!out.status.success(), "--slug {slug}: {out:#?}");
        assert!(
            out.stderr.contains(reason),
            "--slug {slug} is refused with {reason:?}: {out:#?}"
        );
        assert!(!out.stdout.contains("gvn_"), "no token: {out:#?}");
    }

    let store = db.open().await;
    assert!(store.organizations().await.unwrap().is_empty());
}

async fn movement_flag_selects_a_movement_by_slug_or_by_id(db: TestDb) {
    init_canal(&db);
    init_named(&db, "Jardin partagé", &["--slug", "jardin"]).succeeded();
    let jardin = {
        let store = db.open().await;
        store.organization_by_slug("jardin").await.unwrap().unwrap()
    };
    let founding_title = |movement: Option<&str>| {
        let mut args = vec!["export", "--format", "json"];
        if let Some(m) = movement {
            args.extend(["--movement", m]);
        }
        let out = run(&db, &args);
        out.succeeded().json()["decisions"][0]["title"]
            .as_str()
            .unwrap_or_else(|| panic!("a founding decision: {out:#?}"))
            .to_owned()
    };

    assert_eq!(
        founding_title(Some("jardin")),
        "Fondation de Jardin partagé"
    );
    assert_eq!(
        founding_title(Some("collectif-du-canal")),
        "Fondation de Collectif du Canal"
    );
    let id = jardin.to_string();
    assert_eq!(founding_title(Some(&id)), "Fondation de Jardin partagé");
    assert_eq!(
        founding_title(None),
        "Fondation de Collectif du Canal",
        "without --movement, the first founded"
    );

    let unknown = run(&db, &["export", "--movement", "potager"]);
    assert!(!unknown.status.success(), "{unknown:#?}");
    assert!(
        unknown
            .stderr
            .contains("no movement with slug potager in this database"),
        "{unknown:#?}"
    );
    let neither = run(&db, &["export", "--movement", "Jardin partagé"]);
    assert!(!neither.status.success(), "{neither:#?}");
    assert!(
        neither.stderr.contains("neither a movement id nor a slug"),
        "{neither:#?}"
    );
}

#[tokio::test]
async fn token_create_prints_one_token_alone_on_stdout() {
    let db = TestDb::sqlite();
    let (_, founders) = init_canal(&db);
    let out = run(&db, &["token", "create", "--member", "leo@canal.example"]);
    out.succeeded();
    let token = out
        .stdout
        .strip_suffix('\n')
        .expect("the token ends its line");
    assert!(
        is_token(token),
        "stdout is one token and nothing else: {out:#?}"
    );
    assert_ne!(token, founders[1].1, "a new token, not the founding one");

    let store = db.open().await;
    let org = only_movement(&store).await;
    let leo = member_by_email(&store, org, "leo@canal.example").await;
    assert_eq!(authenticate(&store, org, token).await.unwrap(), Some(leo));
}

#[tokio::test]
async fn token_create_for_an_unknown_email_fails_and_names_it() {
    let db = TestDb::sqlite();
    init_canal(&db);
    let out = run(
        &db,
        &["token", "create", "--member", "inconnu@canal.example"],
    );
    assert!(!out.status.success(), "{out:#?}");
    assert!(
        out.stderr.contains("inconnu@canal.example"),
        "the message names the e-mail: {out:#?}"
    );
    assert!(out.stdout.is_empty(), "nothing on stdout: {out:#?}");
}

#[tokio::test]
async fn token_revoke_makes_that_token_useless_and_leaves_the_others() {
    let db = TestDb::sqlite();
    let (_, founders) = init_canal(&db);
    let created = run(&db, &["token", "create", "--member", "leo@canal.example"]);
    let revoked = created.succeeded().stdout.trim().to_owned();

    run(&db, &["token", "revoke", "--token", &revoked]).succeeded();

    let store = db.open().await;
    let org = only_movement(&store).await;
    let leo = member_by_email(&store, org, "leo@canal.example").await;
    assert_eq!(authenticate(&store, org, &revoked).await.unwrap(), None);
    assert_eq!(
        authenticate(&store, org, &founders[1].1).await.unwrap(),
        Some(leo),
        "Léo's other token still works"
    );
    drop(store);

    let again = run(&db, &["token", "revoke", "--token", &revoked]);
    assert!(
        !again.status.success(),
        "revoking a revoked token says so: {again:#?}"
    );
}

#[tokio::test]
async fn verify_exits_zero_on_an_intact_chain_and_one_on_a_broken_one() {
    let db = TestDb::sqlite();
    init_canal(&db);
    let intact = run(&db, &["verify"]);
    assert_eq!(intact.code(), Some(0), "{intact:#?}");
    let report = intact.json();
    assert_eq!(report["first_break"], serde_json::Value::Null, "{report:#}");
    assert_eq!(report["decisions"], 1, "{report:#}");

    db.tamper("UPDATE audit_entries SET payload = payload || ' ' WHERE revision = 1")
        .await;
    let broken = run(&db, &["verify"]);
    assert_eq!(broken.code(), Some(1), "{broken:#?}");
    let report = broken.json();
    assert_eq!(
        report["first_break"],
        serde_json::json!({"chain": "audit", "position": 1, "problem": {"kind": "modified"}}),
        "{report:#}"
    );
}

#[tokio::test]
async fn verify_against_an_exported_head_exits_one_when_the_log_was_cut_short() {
    let db = TestDb::sqlite();
    init_canal(&db);
    let head = std::env::temp_dir().join(format!(
        "gouvernail-head-{}.json",
        uuid::Uuid::now_v7().simple()
    ));
    let head_arg = head.to_str().unwrap();
    let exported = run(&db, &["verify", "--export-head", head_arg]);
    assert_eq!(exported.code(), Some(0), "{exported:#?}");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&head).unwrap()).unwrap();
    assert_eq!(written, exported.json()["head"], "the file holds the head");

    let same = run(&db, &["verify", "--head", head_arg]);
    assert_eq!(same.code(), Some(0), "{same:#?}");

    db.tamper(
        "DELETE FROM audit_entries WHERE revision = (SELECT MAX(revision) FROM audit_entries)",
    )
    .await;
    let cut = run(&db, &["verify", "--head", head_arg]);
    let _ = std::fs::remove_file(&head);
    assert_eq!(cut.code(), Some(1), "{cut:#?}");
    assert_eq!(
        cut.json()["first_break"]["problem"]["kind"],
        "truncated",
        "{cut:#?}"
    );
}

#[tokio::test]
async fn export_writes_french_minutes_and_json() {
    let db = TestDb::sqlite();
    init_canal(&db);
    let md = run(&db, &["export", "--format", "markdown"]);
    md.succeeded();
    assert!(md.stdout.contains("# Relevé de décisions"), "{md:#?}");
    assert!(
        md.stdout.contains("Fondation de Collectif du Canal"),
        "{md:#?}"
    );

    let json = run(&db, &["export", "--format", "json"]);
    let doc = json.succeeded().json();
    let decisions = doc["decisions"].as_array().expect("a decisions array");
    assert_eq!(decisions.len(), 1, "{doc:#}");
    assert_eq!(decisions[0]["title"], "Fondation de Collectif du Canal");
}

/// A `gouvernail serve` child process, killed if a test fails before it stops it.
pub(crate) struct Server {
    child: Child,
    lines: mpsc::Receiver<String>,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Server {
    pub(crate) fn start(db: &TestDb, args: &[&str]) -> Self {
        let mut cmd = gouvernail(Some(db), args);
        cmd.env("RUST_LOG", "info");
        Self::spawn(cmd)
    }

    /// Starts `cmd` (a `gouvernail serve`) with its stdout read line by line and its stderr
    /// drained.
    pub(crate) fn spawn(mut cmd: Command) -> Self {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gouvernail serve");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Drained so that the server never blocks on a full pipe; shown when a test fails.
        let mut stderr = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
            s
        });
        Self {
            child,
            lines,
            stderr: Some(stderr),
        }
    }

    /// The stdout lines up to and including the first one containing `marker`.
    pub(crate) fn lines_until(&mut self, marker: &str) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let done = line.contains(marker);
                    seen.push(line);
                    if done {
                        return seen;
                    }
                }
                Err(e) => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    panic!("no line with {marker:?} ({e}); stdout so far: {seen:#?}");
                }
            }
        }
    }

    /// Kills the process with SIGKILL, as a crash or `kill -9` would, and waits for it; returns
    /// what it wrote on stderr.
    pub(crate) fn kill(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default()
    }

    /// Sends SIGTERM and waits for the process to end; returns its status and its stderr.
    pub(crate) fn terminate(mut self, within: Duration) -> (ExitStatus, String) {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("run kill");
        assert!(killed.success(), "kill -TERM {pid}");
        let deadline = Instant::now() + within;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("gouvernail serve did not stop within {within:?} of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let stderr = self.stderr.take().and_then(|h| h.join().ok());
        (status, stderr.unwrap_or_default())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[tokio::test]
async fn serve_demo_prints_each_member_with_token_last_and_a_second_demo_changes_nothing() {
    let db = TestDb::sqlite();
    let args = ["serve", "--demo", "--listen", "127.0.0.1:0"];
    let mut server = Server::start(&db, &args);
    let lines = server.lines_until("listens on http://");

    let members: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("@tilleuls.example"))
        .collect();
    assert_eq!(members.len(), 12, "one line per member: {lines:#?}");
    for line in &members {
        let token = line.rsplit(' ').next().unwrap();
        assert!(is_token(token), "the token comes last: {line:?}");
    }
    let awa = members
        .iter()
        .find(|l| l.starts_with("Awa Diallo <awa@tilleuls.example> "))
        .expect("a line for Awa");
    let awa_token = awa.rsplit(' ').next().unwrap().to_owned();

    let listen = lines.last().unwrap();
    let addr = listen
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("an address in {listen:?}"));
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let health = client
        .get(format!("http://{addr}/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["status"], "ok", "{body:#}");

    let (status, stderr) = server.terminate(Duration::from_secs(10));
    assert!(
        status.success(),
        "SIGTERM is a graceful shutdown ({status}): {stderr}"
    );

    let mut again = Server::start(&db, &args);
    let lines = again.lines_until("listens on http://");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("already holds a movement") && l.contains("--demo changed nothing")),
        "{lines:#?}"
    );
    assert!(
        !lines.iter().any(|l| l.contains("gvn_")),
        "no new token is printed: {lines:#?}"
    );
    again.terminate(Duration::from_secs(10));

    let store = db.open().await;
    let org = only_movement(&store).await;
    let awa = member_by_email(&store, org, "awa@tilleuls.example").await;
    assert_eq!(
        authenticate(&store, org, &awa_token).await.unwrap(),
        Some(awa),
        "the tokens printed the first time still work"
    );
}

#[tokio::test]
async fn migrate_reports_every_migration_applied() {
    let db = TestDb::sqlite();
    let status = run(&db, &["migrate", "--status"]);
    status.succeeded();
    let lines: Vec<&str> = status.stdout.lines().collect();
    assert!(!lines.is_empty(), "{status:#?}");
    assert!(
        lines.iter().all(|l| l.starts_with("applied")),
        "every migration is applied, none pending: {status:#?}"
    );

    let summary = run(&db, &["migrate"]);
    summary.succeeded();
    assert_eq!(
        summary.stdout.trim(),
        format!("{} migrations applied, 0 pending", lines.len())
    );
}

#[test]
fn help_documents_every_option() {
    let out = gouvernail(None, &["serve", "--help"])
        .output()
        .expect("run gouvernail serve --help");
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "--listen",
        "GOUVERNAIL_LISTEN",
        "--database-url",
        "GOUVERNAIL_DATABASE_URL",
        "--demo",
        "--no-introspection",
        "GOUVERNAIL_NO_INTROSPECTION",
    ] {
        assert!(
            help.contains(needle),
            "`serve --help` mentions {needle}:\n{help}"
        );
    }
}
