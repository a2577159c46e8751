//! The `gouvernail` command line: configuration from flags and environment variables (clap),
//! and one function per command. `--help` documents every option.
//! Long because: clap's declarations of every command and flag are the reference `--help` is
//! built from, and read best in one place beside what each command does.

use crate::http::HttpLimits;
use crate::store::{ChainHead, Store, StoreConfig, StoreError, Synchronous};
use crate::{auth, demo, export};
use clap::{Args, Parser, Subcommand, ValueEnum};
use governance_core::mandate::Role;
use governance_core::queries::Reader;
use governance_core::reading::ReadScope;
use governance_core::{
    Decider, DecisionDraft, DecisionId, Domain, Effect, Email, Event, Impact, Label, MandateId,
    MemberId, NewMandate, NewMember, NewUnit, Organization, OrganizationId, Period, Scope, Slug,
    Text, UnitId, UnitKind, Visibility,
};
use std::collections::BTreeSet;
use std::process::ExitCode;

/// Gouvernail: a self-governance and decision-tracking engine for movements that share power.
#[derive(Debug, Parser)]
#[command(name = "gouvernail", version, about)]
pub struct Cli {
    /// The database: `sqlite://PATH?mode=rwc` (created if missing) or `postgres://USER@HOST/DB`.
    #[arg(
        long,
        global = true,
        env = "GOUVERNAIL_DATABASE_URL",
        default_value = "sqlite://gouvernail.db?mode=rwc"
    )]
    pub database_url: String,
    /// SQLite durability: `full` (the default: an acknowledged write survives a power cut) or
    /// `normal` (faster; the last writes may be lost on a power cut or an OS crash).
    #[arg(
        long,
        global = true,
        env = "GOUVERNAIL_SQLITE_SYNCHRONOUS",
        value_enum,
        default_value = "full"
    )]
    pub sqlite_synchronous: Synchronous,
    /// Log format.
    #[arg(
        long,
        global = true,
        env = "GOUVERNAIL_LOG_FORMAT",
        value_enum,
        default_value = "pretty"
    )]
    pub log_format: LogFormat,
    /// The movement to work on, by id or by slug, when the database holds several (default: the
    /// first founded).
    #[arg(long, global = true, env = "GOUVERNAIL_MOVEMENT")]
    pub movement: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serves the GraphQL API (migrations are applied at start).
    Serve(ServeArgs),
    /// Founds a new movement: its Agora, its Coordination, its founders and first mandates, as
    /// one founding decision; prints each founder's token once.
    Init(InitArgs),
    /// Creates or revokes API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Applies pending migrations (or shows their status).
    Migrate {
        /// Only show which migrations are applied.
        #[arg(long)]
        status: bool,
    },
    /// Walks the hash chains; exits with status 1 if a link is broken.
    Verify {
        /// A chain head exported earlier (JSON `{"revision": N, "hash": "..."}`), to detect a
        /// truncated log.
        #[arg(long)]
        head: Option<std::path::PathBuf>,
        /// Where to write the current chain head, to keep it somewhere safe.
        #[arg(long)]
        export_head: Option<std::path::PathBuf>,
    },
    /// Prints a single-use sign-in link for a member, for the operator to pass on (when the
    /// server sends no e-mail).
    SigninLink {
        /// The member's e-mail address.
        #[arg(long)]
        member: String,
        /// The address people reach the server at.
        #[arg(
            long,
            env = "GOUVERNAIL_BASE_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        base_url: String,
        /// How long the link stays valid: 90m, 12h, 2d.
        #[arg(long, default_value = "24h")]
        valid_for: String,
    },
    /// Exports the decision records: JSON, or Markdown minutes in French; or decisions,
    /// mandates or tensions as CSV for a spreadsheet (`--format csv --what mandates`).
    Export {
        #[arg(long, value_enum, default_value = "markdown")]
        format: ExportFormat,
        /// What to export: decisions (any format), mandates or tensions (CSV only).
        #[arg(long, value_enum, default_value = "decisions")]
        what: ExportWhat,
        /// Write here instead of standard output.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
        /// Only the decisions explicitly published (what outsiders may read).
        #[arg(long)]
        published_only: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Json,
    Markdown,
    /// UTF-8 with a byte-order mark, `;` between fields, for spreadsheets.
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportWhat {
    Decisions,
    Mandates,
    Tensions,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "GOUVERNAIL_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Seed the demo movement (Collectif des Tilleuls) if the database is empty, and print its
    /// members' tokens.
    #[arg(long)]
    pub demo: bool,
    /// Turn GraphQL introspection off (recommended in production).
    #[arg(long, env = "GOUVERNAIL_NO_INTROSPECTION")]
    pub no_introspection: bool,
    /// The largest request body accepted, in bytes.
    #[arg(long, env = "GOUVERNAIL_MAX_BODY_BYTES", default_value_t = 256 * 1024)]
    pub max_body_bytes: usize,
    /// How long one request may run, in milliseconds.
    #[arg(long, env = "GOUVERNAIL_REQUEST_TIMEOUT_MS", default_value_t = 10_000)]
    pub request_timeout_ms: u64,
    /// Requests per minute allowed to one token.
    #[arg(long, env = "GOUVERNAIL_RATE_PER_TOKEN", default_value_t = 600)]
    pub rate_per_token: u32,
    /// Requests per minute allowed from one IP address.
    #[arg(long, env = "GOUVERNAIL_RATE_PER_IP", default_value_t = 1200)]
    pub rate_per_ip: u32,
    /// The most lexical tokens one GraphQL document may have.
    #[arg(long, env = "GOUVERNAIL_MAX_DOCUMENT_TOKENS", default_value_t = 10_000)]
    pub max_document_tokens: usize,
    /// The most fields one operation may select once its fragments are expanded.
    #[arg(long, env = "GOUVERNAIL_MAX_EXPANDED_FIELDS", default_value_t = 5_000)]
    pub max_expanded_fields: u64,
    /// Connections open at once, from everyone.
    #[arg(long, env = "GOUVERNAIL_MAX_CONNECTIONS", default_value_t = 1_024)]
    pub max_connections: usize,
    /// Connections open at once from one client address.
    #[arg(long, env = "GOUVERNAIL_MAX_CONNECTIONS_PER_IP", default_value_t = 64)]
    pub max_connections_per_ip: usize,
    /// How long a client may take to send a request's headers, in milliseconds.
    #[arg(long, env = "GOUVERNAIL_HEADER_TIMEOUT_MS", default_value_t = 10_000)]
    pub header_timeout_ms: u64,
    /// How long a client may take to send a request's body, in milliseconds.
    #[arg(long, env = "GOUVERNAIL_BODY_TIMEOUT_MS", default_value_t = 10_000)]
    pub body_timeout_ms: u64,
    /// Subscriptions open at once under one token.
    #[arg(
        long,
        env = "GOUVERNAIL_MAX_SUBSCRIPTIONS_PER_TOKEN",
        default_value_t = 16
    )]
    pub max_subscriptions_per_token: usize,
    /// How many of the last entries of each hash chain are verified before serving.
    #[arg(long, env = "GOUVERNAIL_VERIFY_TAIL", default_value_t = 10_000)]
    pub verify_tail: u64,
    /// A chain head exported earlier (`gouvernail verify --export-head`), checked before serving.
    #[arg(long, env = "GOUVERNAIL_HEAD")]
    pub head: Option<std::path::PathBuf>,
    /// Serve even if the chains fail verification (the failure is logged and shown on /health).
    #[arg(long)]
    pub serve_unverified: bool,
    /// Every how many minutes the whole chains are verified in the background (0: never).
    #[arg(long, env = "GOUVERNAIL_VERIFY_EVERY_MINUTES", default_value_t = 60)]
    pub verify_every_minutes: u64,
    /// The address people reach this server at, for the links sent by e-mail (default: the
    /// address it listens on).
    #[arg(long, env = "GOUVERNAIL_BASE_URL")]
    pub base_url: Option<String>,
    /// Where sign-in e-mails go: `smtp://host:port` (plain, for a local relay), or
    /// `smtps://user:password@host:465` / `smtp://...?tls=required` (TLS). Without it, sign-in
    /// links are only written to the log.
    #[arg(long, env = "GOUVERNAIL_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of the e-mails.
    #[arg(
        long,
        env = "GOUVERNAIL_MAIL_FROM",
        default_value = "Gouvernail <gouvernail@localhost>"
    )]
    pub mail_from: String,
    /// Every how many milliseconds the outbox looks for messages to send.
    #[arg(long, env = "GOUVERNAIL_OUTBOX_POLL_MS", default_value_t = 1_000)]
    pub outbox_poll_ms: u64,
    /// Every how many seconds the reminders and digests due are queued.
    #[arg(
        long,
        env = "GOUVERNAIL_OUTBOX_SCHEDULE_SECONDS",
        default_value_t = 300
    )]
    pub outbox_schedule_seconds: u64,
    /// The wait before a failed message is tried again, in seconds; doubled at each attempt.
    #[arg(long, env = "GOUVERNAIL_OUTBOX_BACKOFF_SECONDS", default_value_t = 30)]
    pub outbox_backoff_seconds: u64,
    /// After this many attempts a message is given up (a dead letter, listed by the API).
    #[arg(long, env = "GOUVERNAIL_OUTBOX_MAX_ATTEMPTS", default_value_t = 10)]
    pub outbox_max_attempts: u32,
    /// How long a server holds a message it is sending before another may send it, in seconds.
    #[arg(long, env = "GOUVERNAIL_OUTBOX_LEASE_SECONDS", default_value_t = 120)]
    pub outbox_lease_seconds: u64,
    /// Let webhooks target loopback and private addresses (a local network, a test).
    #[arg(long, env = "GOUVERNAIL_WEBHOOKS_ALLOW_PRIVATE")]
    pub webhooks_allow_private: bool,
    /// A web session unused for this many minutes is closed.
    #[arg(long, env = "GOUVERNAIL_SESSION_IDLE_MINUTES", default_value_t = 120)]
    pub session_idle_minutes: u64,
    /// The memory the movements' states may take, in MiB (reckoned from their logs' length);
    /// past it, the least recently used are evicted and loaded again when next asked for.
    /// Unbounded without it.
    #[arg(long, env = "GOUVERNAIL_RESIDENT_MEMORY_MB")]
    pub resident_memory_mb: Option<u64>,
    /// A movement's state unused for this many minutes is evicted (0: never).
    #[arg(long, env = "GOUVERNAIL_EVICT_IDLE_MINUTES", default_value_t = 0)]
    pub evict_idle_minutes: u64,
}

impl ServeArgs {
    /// Which movements' states the server keeps in memory.
    fn residency(&self) -> crate::store::Residency {
        crate::store::Residency {
            max_bytes: self
                .resident_memory_mb
                .map(|mb| mb.saturating_mul(1024 * 1024)),
            idle_after: (self.evict_idle_minutes > 0)
                .then(|| std::time::Duration::from_secs(self.evict_idle_minutes * 60)),
        }
    }
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The movement's name.
    #[arg(long)]
    pub name: String,
    /// A founding member, as `Name <email>`; repeat for each founder.
    #[arg(long = "founder", required = true)]
    pub founders: Vec<String>,
    /// The e-mail of a founder who receives a Coordination mandate (all its domains, as
    /// referent); repeat for each.
    #[arg(long = "coordinator", required = true)]
    pub coordinators: Vec<String>,
    /// The Agora's decision domains, comma-separated.
    #[arg(long, default_value = "charte,règles,budget annuel")]
    pub agora_domains: String,
    /// The Coordination's decision domains, comma-separated.
    #[arg(
        long,
        default_value = "structure,mandats,règles,budget,communication externe"
    )]
    pub coordination_domains: String,
    /// Length of the first mandates, in months (at most the longest mandate the settings allow).
    #[arg(long, default_value_t = 12)]
    pub months: u32,
    /// The movement's address, `/m/SLUG/graphql`: 1 to 48 of a-z, 0-9 and `-` (default: derived
    /// from the name, numbered `-2`, `-3`… if another movement has it).
    #[arg(long)]
    pub slug: Option<Slug>,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Prints a new token for a member, alone on one line.
    Create {
        /// The member's e-mail.
        #[arg(long)]
        member: String,
        /// A label to recognise the token by.
        #[arg(long, default_value = "cli")]
        label: String,
        /// How long the token works: `90m`, `12h`, `30d` or `8w`; by default it does not expire.
        #[arg(long, value_parser = parse_lifetime)]
        expires_in: Option<chrono::Duration>,
        /// A token for reading only (an integration, a dashboard): refused on every mutation.
        #[arg(long)]
        read_only: bool,
    },
    /// Lists a member's tokens, without their secrets.
    List {
        /// The member's e-mail.
        #[arg(long)]
        member: String,
    },
    /// Revokes a token.
    Revoke {
        /// The token to revoke.
        #[arg(long)]
        token: String,
    },
}

/// A failure of a command, with the message for the operator.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error(
        "the hash chains are broken: {0}; run `gouvernail verify`, or serve anyway with --serve-unverified"
    )]
    Tampered(String),
}

fn usage(msg: impl Into<String>) -> CliError {
    CliError::Usage(msg.into())
}

fn file_error(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> CliError + '_ {
    move |source| CliError::File {
        path: path.display().to_string(),
        source,
    }
}

impl Cli {
    fn store_config(&self) -> StoreConfig {
        let mut c = StoreConfig::new(self.database_url.clone());
        c.synchronous = self.sqlite_synchronous;
        c
    }
}

/// The movement `--movement` names, by id or by slug (a slug never has an id's shape, see
/// `Slug::parse`), or the first founded.
async fn movement_id(store: &Store, wanted: Option<&str>) -> Result<OrganizationId, CliError> {
    if let Some(wanted) = wanted {
        if let Ok(id) = uuid::Uuid::parse_str(wanted) {
            let all = store.organizations().await?;
            return all
                .iter()
                .find(|o| o.id.as_uuid() == id)
                .map(|o| o.id)
                .ok_or_else(|| usage(format!("no movement with id {id} in this database")));
        }
        // Looked up as stored before it is checked: a slug reserved after a movement took it
        // still finds that movement.
        if let Some(id) = store.organization_by_slug(wanted).await? {
            return Ok(id);
        }
        return Err(match Slug::parse(wanted) {
            Ok(slug) => usage(format!("no movement with slug {slug} in this database")),
            Err(e) => usage(format!(
                "--movement {wanted:?} is neither a movement id nor a slug: {e}"
            )),
        });
    }
    let all = store.organizations().await?;
    match all.first() {
        Some(o) => Ok(o.id),
        None => Err(usage(
            "this database holds no movement yet: run `gouvernail init` (or `gouvernail serve --demo`)",
        )),
    }
}

/// Runs the command; the exit status says how it went.
pub async fn run(cli: Cli) -> Result<ExitCode, CliError> {
    let mut config = cli.store_config();
    if let Command::Serve(args) = &cli.command {
        config.residency = args.residency();
    }
    let store = Store::open(&config).await?;
    match &cli.command {
        Command::Serve(args) => serve(&cli, store, args).await,
        Command::Init(args) => init(store, args).await,
        Command::Token(TokenCommand::Create {
            member,
            label,
            expires_in,
            read_only,
        }) => {
            let org = movement_id(&store, cli.movement.as_deref()).await?;
            let email = Email::parse(member).map_err(|e| usage(e.to_string()))?;
            let id = {
                let s = store.read(org, None).await?;
                let m = s
                    .movement
                    .member_by_email(&email)
                    .ok_or_else(|| usage(format!("no member with e-mail {email}")))?;
                if !m.is_member_at(chrono::Utc::now()) {
                    return Err(usage(format!("{email} is no longer a member")));
                }
                m.id
            };
            let expires_at = expires_in.map(|d| chrono::Utc::now() + d);
            let token = auth::create_scoped(&store, org, id, label, expires_at, *read_only).await?;
            println!("{token}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Token(TokenCommand::List { member }) => {
            let org = movement_id(&store, cli.movement.as_deref()).await?;
            let email = Email::parse(member).map_err(|e| usage(e.to_string()))?;
            let id = store
                .read(org, None)
                .await?
                .movement
                .member_by_email(&email)
                .map(|m| m.id)
                .ok_or_else(|| usage(format!("no member with e-mail {email}")))?;
            let now = chrono::Utc::now();
            println!("id\tlabel\tcreated\texpires\tscope\tstatus");
            for t in auth::list(&store, org, id).await? {
                let status = if t.revoked_at.is_some() {
                    "revoked"
                } else if t.expires_at.is_some_and(|e| e <= now) {
                    "expired"
                } else {
                    "live"
                };
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    t.id,
                    t.label,
                    t.created_at
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    t.expires_at
                        .map(|e| e.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                        .unwrap_or_else(|| "never".into()),
                    if t.read_only { "read-only" } else { "full" },
                    status
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Token(TokenCommand::Revoke { token }) => {
            if auth::revoke(&store, token).await? {
                eprintln!("token revoked");
                Ok(ExitCode::SUCCESS)
            } else {
                Err(usage("no live token matches"))
            }
        }
        Command::Migrate { status } => {
            use sea_orm_migration::MigratorTrait;
            // `Store::open` already applied pending migrations; report what is there.
            let applied = migrations::Migrator::get_applied_migrations(store.connection())
                .await
                .map_err(crate::store::StoreError::from)?;
            let pending = migrations::Migrator::get_pending_migrations(store.connection())
                .await
                .map_err(crate::store::StoreError::from)?;
            if *status {
                for m in &applied {
                    println!("applied  {}", m.name());
                }
                for m in &pending {
                    println!("pending  {}", m.name());
                }
            } else {
                println!(
                    "{} migrations applied, {} pending",
                    applied.len(),
                    pending.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify { head, export_head } => {
            let org = movement_id(&store, cli.movement.as_deref()).await?;
            let expected: Option<ChainHead> = match head {
                Some(path) => Some(
                    serde_json::from_str(&std::fs::read_to_string(path).map_err(file_error(path))?)
                        .map_err(|e| usage(format!("{}: not a chain head: {e}", path.display())))?,
                ),
                None => None,
            };
            let v = store.verify(org, expected.as_ref()).await?;
            if let (Some(path), Some(h)) = (export_head, &v.head) {
                std::fs::write(
                    path,
                    serde_json::to_string_pretty(h).expect("a head serialises"),
                )?;
            }
            println!(
                "{}",
                serde_json::to_string_pretty(&v).expect("a verification serialises")
            );
            if v.is_intact() {
                eprintln!(
                    "chains intact: {} audit entries, {} decisions",
                    v.audit_entries, v.decisions
                );
                Ok(ExitCode::SUCCESS)
            } else {
                if let Some(b) = &v.first_break {
                    let problem = serde_json::to_value(&b.problem)
                        .ok()
                        .and_then(|p| p["kind"].as_str().map(str::to_owned))
                        .unwrap_or_default();
                    let chain = serde_json::to_value(b.chain)
                        .ok()
                        .and_then(|c| c.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    eprintln!(
                        "broken chain: the {chain} chain is {problem} at position {}",
                        b.position
                    );
                }
                Ok(ExitCode::from(1))
            }
        }
        Command::SigninLink {
            member,
            base_url,
            valid_for,
        } => {
            let org = movement_id(&store, cli.movement.as_deref()).await?;
            let ttl = parse_lifetime(valid_for)
                .map_err(usage)?
                .to_std()
                .map_err(|_| usage("a lifetime must be positive"))?;
            let wanted = member.trim().to_lowercase();
            let found = {
                let state = store.read(org, None).await?;
                let now = crate::store::codec::micros(chrono::Utc::now());
                state
                    .movement
                    .members()
                    .find(|m| m.email.as_str() == wanted && m.is_member_at(now))
                    .map(|m| m.id)
            };
            let Some(id) = found else {
                return Err(usage(format!("no current member has the address {wanted}")));
            };
            // The link leads where the movement's pages are: at the root for the default
            // movement, under its slug when one was named (every movement is served there).
            let base = match &cli.movement {
                None => base_url.trim_end_matches('/').to_owned(),
                Some(_) => {
                    let slug = store
                        .slugs()
                        .await?
                        .into_iter()
                        .find(|(o, _, _)| *o == org)
                        .map(|(_, slug, _)| slug)
                        .ok_or_else(|| usage("this movement has no slug"))?;
                    format!("{}/m/{slug}", base_url.trim_end_matches('/'))
                }
            };
            let link = crate::web::issue_link(&store, org, id, &base, ttl).await?;
            println!("{link}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            format,
            what,
            output,
            published_only,
        } => {
            let csv_only = !matches!(what, ExportWhat::Decisions);
            if csv_only && !matches!(format, ExportFormat::Csv) {
                return Err(usage(
                    "mandates and tensions are exported as CSV only: add --format csv",
                ));
            }
            if csv_only && *published_only {
                return Err(usage(
                    "mandates and tensions are internal: --published-only exports decisions only",
                ));
            }
            let org = movement_id(&store, cli.movement.as_deref()).await?;
            let s = store.read(org, None).await?;
            // Published only: exactly what someone outside the movement may read (R17).
            let scope = if *published_only {
                s.movement.read_scope(Reader::Outsider, chrono::Utc::now())
            } else {
                ReadScope::Everything
            };
            let decisions: Vec<_> = s
                .movement
                .decisions()
                .iter()
                .filter(|d| scope.admits(d.visibility))
                .collect();
            let text = match format {
                ExportFormat::Json => {
                    serde_json::to_string_pretty(&export::json(&s.movement, &decisions))
                        .expect("JSON")
                        + "\n"
                }
                ExportFormat::Markdown => export::markdown(&s.movement, &decisions),
                ExportFormat::Csv => {
                    let now = crate::store::codec::micros(chrono::Utc::now());
                    match what {
                        ExportWhat::Decisions => export::csv::decisions(&s.movement, scope, now),
                        ExportWhat::Mandates => export::csv::mandates(&s.movement, now),
                        ExportWhat::Tensions => export::csv::tensions(&s.movement, now),
                    }
                }
            };
            match output {
                Some(path) => std::fs::write(path, text).map_err(file_error(path))?,
                None => print!("{text}"),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn serve(cli: &Cli, store: Store, args: &ServeArgs) -> Result<ExitCode, CliError> {
    // Take the address first: if it is busy, nothing is seeded and no token is printed in vain.
    let listen_error = |source| CliError::Listen {
        addr: args.listen.clone(),
        source,
    };
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .map_err(listen_error)?;
    let base_url = match &args.base_url {
        Some(u) => u.trim_end_matches('/').to_owned(),
        None => format!("http://{}", listener.local_addr()?),
    };
    let outbox = outbox_config(args, &base_url);
    let store = store.with_outbox(outbox.clone());
    if args.demo {
        match demo::seed(&store).await? {
            Some((_, members)) => {
                println!(
                    "Demo movement: Collectif des Tilleuls. One line per member, the token last:"
                );
                for m in members {
                    println!("{} <{}> {}", m.name, m.email, m.token);
                }
            }
            None => println!("The database already holds a movement: --demo changed nothing."),
        }
    }
    let org = movement_id(&store, cli.movement.as_deref()).await?;
    if args.demo {
        print_demo_links(&store, org, &base_url).await?;
    }
    let limits = HttpLimits {
        max_body_bytes: args.max_body_bytes,
        request_timeout: std::time::Duration::from_millis(args.request_timeout_ms),
        per_token_per_minute: args.rate_per_token,
        per_ip_per_minute: args.rate_per_ip,
        introspection: !args.no_introspection,
        document: crate::budget::DocumentLimits {
            tokens: args.max_document_tokens,
            expanded_fields: args.max_expanded_fields,
            ..Default::default()
        },
        connections: crate::conn::ConnectionLimits {
            max_total: args.max_connections,
            max_per_ip: args.max_connections_per_ip,
            header_timeout: std::time::Duration::from_millis(args.header_timeout_ms),
        },
        body_timeout: std::time::Duration::from_millis(args.body_timeout_ms),
        subscriptions_per_token: args.max_subscriptions_per_token,
        web: web_config(args, &base_url)?,
    };
    let connections = limits.connections;
    // Other servers on the same database: hear their writes from the start (ADR 0007).
    store.watch_other_servers();
    let chain = crate::api::ChainWatch::default();
    // The log is the only source of what is served: check its tail before serving it.
    let exported: Option<ChainHead> = match &args.head {
        Some(path) => Some(
            serde_json::from_str(&std::fs::read_to_string(path).map_err(file_error(path))?)
                .map_err(|e| usage(format!("{}: not a chain head: {e}", path.display())))?,
        ),
        None => None,
    };
    // Every movement the server will serve: the head file, if given, is the default one's.
    let movements: Vec<OrganizationId> =
        store.organizations().await?.iter().map(|o| o.id).collect();
    for m in &movements {
        let head = if *m == org { exported.as_ref() } else { None };
        let checked = store.verify_tail(*m, args.verify_tail, head).await?;
        chain.record(*m, chain_report(&checked, "tail"));
        if let Some(b) = &checked.first_break {
            if !args.serve_unverified {
                return Err(CliError::Tampered(format!("movement {m}: {b:?}")));
            }
            tracing::error!(movement = %m, first_break = ?b, "serving a database whose hash chains are broken");
        }
        // Tokens that expired while the server was down get their entry now.
        auth::record_expiries(&store, *m).await?;
    }
    // Then every minute, in every movement, those founded since included.
    {
        let store = store.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(60)).await;
                let Some(all) = movements_now(&store).await else {
                    continue;
                };
                for m in all {
                    if let Err(e) = auth::record_expiries(&store, m.id).await {
                        tracing::error!(movement = %m.id, error = %e, "recording token expiries failed");
                    }
                }
            }
        });
    }
    if args.verify_every_minutes > 0 {
        let (store, chain) = (store.clone(), chain.clone());
        let every = std::time::Duration::from_secs(args.verify_every_minutes.saturating_mul(60));
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let Some(all) = movements_now(&store).await else {
                    continue;
                };
                for m in all {
                    match store.verify(m.id, None).await {
                        Ok(v) => {
                            if let Some(b) = &v.first_break {
                                tracing::error!(movement = %m.id, first_break = ?b, "background verification: the hash chains are broken");
                            } else {
                                tracing::info!(
                                    movement = %m.id,
                                    entries = v.audit_entries,
                                    "background verification: chains intact"
                                );
                            }
                            chain.record(m.id, chain_report(&v, "full"));
                        }
                        Err(e) => {
                            tracing::error!(movement = %m.id, error = %e, "background verification failed")
                        }
                    }
                }
            }
        });
    }
    crate::outbox::Worker {
        store: store.clone(),
        config: std::sync::Arc::new(outbox),
        mailer: limits.web.mailer.clone(),
        poll: std::time::Duration::from_millis(args.outbox_poll_ms.max(10)),
        schedule: std::time::Duration::from_secs(args.outbox_schedule_seconds.max(1)),
    }
    .spawn();
    let router = crate::http::app_watched(store, org, limits, chain);
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "listening");
    println!("Gouvernail listens on http://{addr}/graphql");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    crate::http::serve(listener, router, connections).await?;
    Ok(ExitCode::SUCCESS)
}

/// Every movement of the database, for a background task's round (logged and skipped when
/// the database cannot say).
async fn movements_now(store: &Store) -> Option<Vec<Organization>> {
    match store.organizations().await {
        Ok(all) => Some(all),
        Err(e) => {
            tracing::error!(error = %e, "listing the movements failed");
            None
        }
    }
}

/// The outbox's settings from the command line: mail is queued only with an SMTP server.
fn outbox_config(args: &ServeArgs, base_url: &str) -> crate::outbox::OutboxConfig {
    crate::outbox::OutboxConfig {
        base_url: base_url.to_owned(),
        mail: args.smtp_url.is_some(),
        backoff: std::time::Duration::from_secs(args.outbox_backoff_seconds),
        max_attempts: args.outbox_max_attempts.clamp(1, 1000) as i32,
        lease: std::time::Duration::from_secs(args.outbox_lease_seconds.max(1)),
        allow_private_hooks: args.webhooks_allow_private,
    }
}

/// The web pages' settings from the command line.
fn web_config(args: &ServeArgs, base_url: &str) -> Result<crate::web::WebConfig, CliError> {
    // A link mailed with the address the server listens on (0.0.0.0, a container's name)
    // would lead nowhere: sending mail needs the address people reach.
    if args.smtp_url.is_some() && args.base_url.is_none() {
        return Err(usage(
            "--smtp-url needs --base-url (the address people reach the server at, for the links in the e-mails)",
        ));
    }
    let mailer = match &args.smtp_url {
        Some(url) => {
            Some(crate::web::Mailer::new(url, &args.mail_from).map_err(|e| usage(e.to_string()))?)
        }
        None => None,
    };
    Ok(crate::web::WebConfig {
        base_url: base_url.to_owned(),
        mailer,
        session_idle: std::time::Duration::from_secs(args.session_idle_minutes.max(1) * 60),
        pages_per_client_per_minute: args.rate_per_ip,
        ..Default::default()
    })
}

/// `serve --demo`: one sign-in link per member, valid a day, so that a person opening one lands
/// on their *Accueil*.
async fn print_demo_links(
    store: &Store,
    org: governance_core::OrganizationId,
    base_url: &str,
) -> Result<(), CliError> {
    let members: Vec<(governance_core::MemberId, String)> = {
        let state = store.read(org, None).await?;
        let now = crate::store::codec::micros(chrono::Utc::now());
        state
            .movement
            .members()
            .filter(|m| m.is_member_at(now))
            .map(|m| (m.id, m.name.to_string()))
            .collect()
    };
    println!("Sign-in links for the web pages (each works once, for 24 hours):");
    for (id, name) in members {
        let link = crate::web::issue_link(
            store,
            org,
            id,
            base_url,
            std::time::Duration::from_secs(24 * 3600),
        )
        .await?;
        println!("{name}: {link}");
    }
    Ok(())
}

fn chain_report(v: &crate::store::Verification, scope: &'static str) -> crate::api::ChainReport {
    crate::api::ChainReport {
        intact: v.is_intact(),
        scope,
        checked_at: chrono::Utc::now(),
        audit_entries: v.audit_entries,
        first_break: v.first_break.as_ref().map(|b| format!("{b:?}")),
    }
}

/// Parses a token's lifetime: a whole number and a unit, `m`, `h`, `d` or `w`.
fn parse_lifetime(raw: &str) -> Result<chrono::Duration, String> {
    let raw = raw.trim();
    let cut = raw.char_indices().last().map_or(0, |(i, _)| i);
    let (number, unit) = raw.split_at(cut);
    let n: i64 = number
        .parse()
        .map_err(|_| format!("{raw:?} is not a lifetime such as 90m, 12h, 30d or 8w"))?;
    let d = match unit {
        "m" => chrono::Duration::try_minutes(n),
        "h" => chrono::Duration::try_hours(n),
        "d" => chrono::Duration::try_days(n),
        "w" => chrono::Duration::try_weeks(n),
        _ => None,
    };
    match d {
        // A token lives between a minute and ten years.
        Some(d) if n > 0 && d <= chrono::Duration::days(3_653) => Ok(d),
        _ => Err(format!(
            "{raw:?} is not a lifetime between 1m and 10 years, such as 90m, 12h, 30d or 8w"
        )),
    }
}

/// Parses `Name <email>`.
fn founder(raw: &str) -> Result<(Label, Email), CliError> {
    let not_a_founder = || usage(format!("founder {raw:?} is not `Name <email>`"));
    let (name, rest) = raw.split_once('<').ok_or_else(not_a_founder)?;
    let email = rest.trim().strip_suffix('>').ok_or_else(not_a_founder)?;
    Ok((
        Label::parse("name", name).map_err(|e| usage(e.to_string()))?,
        Email::parse(email).map_err(|e| usage(e.to_string()))?,
    ))
}

fn domain_list(raw: &str) -> Result<BTreeSet<Domain>, CliError> {
    raw.split(',')
        .filter(|d| !d.trim().is_empty())
        .map(|d| Domain::parse(d).map_err(|e| usage(e.to_string())))
        .collect()
}

async fn init(store: Store, args: &InitArgs) -> Result<ExitCode, CliError> {
    let (org, slug, founders) = found_movement(&store, args).await?;
    println!(
        "Founded {} (id {}), slug {slug}: served at /m/{slug}/graphql",
        org.name, org.id
    );
    println!("Each founder's token, shown once:");
    for (name, email, token) in &founders {
        println!("{name} <{email}> {token}");
    }
    println!("Coordinators: commit to your mandate (mutation commitToMandate) before deciding.");
    Ok(ExitCode::SUCCESS)
}

/// A founder, as `init` prints them: name, e-mail and token.
pub type Founder = (String, String, String);

/// Founds a movement as one founding decision of its Agora, at its slug, and makes each
/// founder a token.
pub async fn found_movement(
    store: &Store,
    args: &InitArgs,
) -> Result<(Organization, Slug, Vec<Founder>), CliError> {
    let now = crate::store::codec::micros(chrono::Utc::now());
    let org = Organization {
        id: OrganizationId::from_uuid(uuid::Uuid::now_v7()),
        name: Label::parse("name", &args.name).map_err(|e| usage(e.to_string()))?,
    };
    let agora = UnitId::from_uuid(uuid::Uuid::now_v7());
    let coordination = UnitId::from_uuid(uuid::Uuid::now_v7());
    let agora_domains = domain_list(&args.agora_domains)?;
    let first_domain = agora_domains
        .iter()
        .next()
        .cloned()
        .ok_or_else(|| usage("the Agora needs at least one domain"))?;
    let mut effects = vec![Effect::CreateUnit(NewUnit {
        id: agora,
        name: Label::parse("name", "Agora").expect("valid"),
        kind: UnitKind::Agora,
        parent: None,
        domains: agora_domains,
    })];
    let mut founders: Vec<(MemberId, Label, Email)> = Vec::new();
    for raw in &args.founders {
        let (name, email) = founder(raw)?;
        let id = MemberId::from_uuid(uuid::Uuid::now_v7());
        effects.push(Effect::AdmitMember(NewMember {
            id,
            name: name.clone(),
            email: email.clone(),
        }));
        founders.push((id, name, email));
    }
    effects.push(Effect::ChangeSettings(Box::default()));
    effects.push(Effect::CreateUnit(NewUnit {
        id: coordination,
        name: Label::parse("name", "Coordination").expect("valid"),
        kind: UnitKind::Coordination,
        parent: Some(agora),
        domains: domain_list(&args.coordination_domains)?,
    }));
    let end = governance_core::time::add_months(now, args.months);
    for c in &args.coordinators {
        let email = Email::parse(c).map_err(|e| usage(e.to_string()))?;
        let (holder, _, _) = founders
            .iter()
            .find(|(_, _, e)| *e == email)
            .ok_or_else(|| usage(format!("coordinator {email} is not among the founders")))?;
        effects.push(Effect::AssignMandate(NewMandate {
            id: MandateId::from_uuid(uuid::Uuid::now_v7()),
            holder: *holder,
            unit: coordination,
            scope: Scope::AllDomains,
            role: Role::Referent,
            period: Period::new(now, end).map_err(|e| usage(e.to_string()))?,
        }));
    }
    let founding = Event::Decision(Box::new(DecisionDraft {
        id: DecisionId::from_uuid(uuid::Uuid::now_v7()),
        unit: agora,
        domain: first_domain,
        title: Label::parse("title", &format!("Fondation de {}", args.name)).map_err(|e| usage(e.to_string()))?,
        statement: Text::parse("statement", "L'Agora des membres fondateurs adopte la charte, crée la Coordination et attribue les premiers mandats.").expect("valid"),
        rationale: Text::default(),
        decided_at: now,
        effective_from: None,
        effective_until: None,
        // The founding assembly is the one meeting before any member: its founders are its
        // signed attendees (ADR 0005).
        decider: Decider::Body {
            meeting: Some(governance_core::MeetingId::from_uuid(uuid::Uuid::now_v7())),
            participants: founders.iter().map(|f| f.0).collect(),
            secretary: founders.first().map(|f| f.0),
        },
        consultations: Vec::new(),
        impact: Impact::MovementWide,
        visibility: Visibility::Members,
        links: Vec::new(),
        effects,
        tension: None,
        escalation: None,
    }));
    let (_, slug) = match store
        .found_at(org.clone(), args.slug.clone(), founding, None)
        .await
    {
        Err(StoreError::SlugTaken(slug)) => {
            return Err(usage(format!(
                "the slug {slug} is already taken in this database: choose another with --slug"
            )));
        }
        founded => founded?,
    };
    let mut out = Vec::new();
    for (id, name, email) in &founders {
        let token = auth::create(store, org.id, *id, "init").await?;
        out.push((name.to_string(), email.to_string(), token));
    }
    Ok((org, slug, out))
}

/// Sets up logging as the flags say.
pub fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    // Colours only for a person at a terminal: a log file or a collector gets plain text.
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Pretty => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}
