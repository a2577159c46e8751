//! Durable storage on SQLite or PostgreSQL. A write loads the movement's state (kept in memory,
//! caught up to the database's revision), lets `governance-core` decide, then stores the event
//! in the hash-chained audit log and its projections. Nothing is stored when the core refuses;
//! nothing is acknowledged before the transaction commits. The writes of one movement queue and
//! commit together, judged one after the other (group commit, see `batch`): each is wholly in
//! one transaction or not stored at all.

mod batch;
mod calendar_keys;
pub mod chain;
pub mod codec;
pub mod entity;
mod head;
mod movements;
pub mod notice;
mod outbox;
mod project;
mod read;
mod read_marks;
mod resident;
pub mod search;
mod sqlite;
pub mod token_log;
pub(crate) mod tokens;
mod verify;
mod watch;
pub use calendar_keys::well_formed as calendar_key_well_formed;
pub use notice::Notice;
pub use read::{AuditEntry, DecisionCursor, DecisionFilter, DecisionPage};
pub use resident::{BYTES_PER_ENTRY, BYTES_PER_MOVEMENT, Residency};
pub use sqlite::Synchronous;
pub use verify::{ChainHead, Verification};

use crate::store::entity::{audit_entries, organizations};
use governance_core::{
    Event, GovernanceError, Instant, MemberId, Movement, Organization, OrganizationId, Outcome,
    Recorded, Refusal, RulesVersion, Slug,
};
use notice::Notices;
use resident::Resident;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, IsolationLevel, QueryFilter, QueryOrder, Set,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use std::sync::Arc;
use tokio::sync::{RwLock, broadcast};
use uuid::Uuid;

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The core refused the event; nothing was stored. The refusal carries its words, taken
    /// from the state that refused it.
    #[error("{0}")]
    Refused(Box<Refusal>),
    /// The caller's build step rejected its input before any event reached the core; nothing
    /// was stored. The caller gets its own error back (`downcast`).
    #[error("{0}")]
    Rejected(Box<dyn std::error::Error + Send + Sync>),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("stored data cannot be read back: {0}")]
    Codec(#[from] codec::CodecError),
    #[error("the SQLite file cannot be read for verification: {0}")]
    File(#[from] rusqlite::Error),
    #[error("verify reads the SQLite database's file, and an in-memory database has none")]
    NoFile,
    #[error("the stored log does not replay at revision {revision}: {error}")]
    Corrupt {
        revision: i64,
        error: GovernanceError,
    },
    #[error("SQLite pragma {name} is {found}, expected {expected}; refusing to run")]
    Pragma {
        name: &'static str,
        expected: String,
        found: String,
    },
    #[error("no movement with id {0}")]
    UnknownOrganization(OrganizationId),
    #[error("a movement with id {0} already exists")]
    OrganizationExists(OrganizationId),
    #[error("the slug {0} is already taken")]
    SlugTaken(Slug),
    #[error("revision {asked} is not reached yet (the movement is at {current})")]
    RevisionNotReached { asked: i64, current: i64 },
    #[error("the token is already revoked")]
    AlreadyRevoked,
    #[error("the token's expiry is already recorded")]
    ExpiryAlreadyRecorded,
    /// The event does not read back as it was applied (a bug: the state in memory would differ
    /// from a replay); nothing was stored and the state was rebuilt.
    #[error("a {0} event does not survive its canonical encoding")]
    NotCanonical(&'static str),
    /// The task that finishes a judged write failed (a panic); nothing was acknowledged.
    #[error("the write task failed: {0}")]
    Task(String),
    /// The transaction this write was committed in with others failed at its commit, or it was
    /// rejected against writes of that transaction, which then failed; nothing in it was
    /// acknowledged. (Writes judged before another's failing step are judged again instead.)
    #[error("the transaction this write was part of failed: {0}")]
    Batch(Arc<String>),
}

/// How to open the database.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// `sqlite://path?mode=rwc` or `postgres://...`.
    pub url: String,
    /// SQLite's durability setting; `Full` unless the operator accepts the risk of `Normal`.
    pub synchronous: Synchronous,
    /// How long a SQLite writer waits for the lock before failing.
    pub busy_timeout: std::time::Duration,
    /// Which movements' states stay in memory.
    pub residency: Residency,
}

impl StoreConfig {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            synchronous: Synchronous::Full,
            busy_timeout: std::time::Duration::from_secs(5),
            residency: Residency::default(),
        }
    }
}

/// What a write returns: the movement's revision after it, the audit entry's hash, and the
/// record the event produced or changed, as it stood right after it (none for token entries),
/// so that the caller answers without reading the state again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub revision: i64,
    pub hash: String,
    pub outcome: Option<Outcome>,
}

/// One movement's state in memory, with where its chains stand.
#[derive(Debug)]
pub struct OrgState {
    pub movement: Movement,
    pub revision: i64,
    pub(crate) audit_head: Option<String>,
    pub(crate) decision_seq: i64,
    pub(crate) decision_head: Option<String>,
    /// The channel of its live subscribers, and how far it has announced.
    pub(crate) notices: Notices,
    /// The search index of its decision records, derived from them (ADR 0008).
    pub search: search::SearchIndex,
    /// The live tokens already looked up, emptied by every token entry (see `tokens`).
    pub(crate) tokens: Arc<tokens::TokenTable>,
}

/// What the reads of one request are held to: the movement's head when the first of them began
/// (ADR 0007). A fence serves one request, of one movement.
#[derive(Debug, Default, Clone)]
pub struct Fence(Arc<tokio::sync::OnceCell<i64>>);

type Shared = Arc<RwLock<OrgState>>;
type Residents = Arc<resident::ResidentMap>;

/// The store: a database connection and the movements' states, caught up on demand.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
    states: Residents,
    residency: Residency,
    /// When the store opened: the clock residents' last use is counted on.
    epoch: std::time::Instant,
    /// Started once: the task that hears other servers' writes (see `watch`).
    watching: Arc<std::sync::Once>,
    /// How the outbox words messages (`None`: no mail is queued; webhook rows still are).
    outbox: Option<Arc<crate::outbox::OutboxConfig>>,
    /// What group commit achieved (see `batch`).
    commits: Arc<batch::CommitCount>,
}

impl Store {
    /// Connects, checks the SQLite pragmas, and applies pending migrations.
    pub async fn open(config: &StoreConfig) -> Result<Self, StoreError> {
        let db = if config.url.starts_with("sqlite:") {
            sqlite::connect(config).await?
        } else {
            let mut opts = sea_orm::ConnectOptions::new(config.url.clone());
            opts.max_connections(16).sqlx_logging(false);
            Database::connect(opts).await?
        };
        migrations::Migrator::up(&db, None).await?;
        Ok(Self {
            db,
            states: Arc::default(),
            residency: config.residency,
            epoch: std::time::Instant::now(),
            watching: Arc::new(std::sync::Once::new()),
            outbox: None,
            commits: Arc::default(),
        })
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.db.get_database_backend()
    }

    /// The movements stored, oldest first.
    pub async fn organizations(&self) -> Result<Vec<Organization>, StoreError> {
        let rows = organizations::Entity::find()
            .order_by_asc(organizations::Column::CreatedAt)
            .all(&self.db)
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(Organization {
                    id: r.id.into(),
                    name: governance_core::Label::from_stored(&r.name),
                })
            })
            .collect()
    }

    /// Founds a movement: stores it, at a slug derived from its name, and its founding
    /// decision in one transaction.
    pub async fn found(
        &self,
        organization: Organization,
        founding: Event,
        actor: Option<MemberId>,
    ) -> Result<Receipt, StoreError> {
        let (receipt, _) = self.found_at(organization, None, founding, actor).await?;
        Ok(receipt)
    }

    /// Founds a movement at `slug`, or at its name's slug numbered past those taken (`-2`,
    /// `-3`, …) when `None`, and returns the slug it got. A slug taken is refused
    /// (`SlugTaken`), and nothing is stored.
    pub async fn found_at(
        &self,
        organization: Organization,
        slug: Option<Slug>,
        founding: Event,
        actor: Option<MemberId>,
    ) -> Result<(Receipt, Slug), StoreError> {
        // No movement loads while one is founded: the id is checked and taken at once.
        let _loading = self.states.loading.lock().await;
        let held = self.states.held().contains_key(&organization.id);
        if held
            || organizations::Entity::find_by_id(organization.id.as_uuid())
                .one(&self.db)
                .await?
                .is_some()
        {
            return Err(StoreError::OrganizationExists(organization.id));
        }
        let mut state = OrgState::empty(organization.clone());
        // The founding takes the write path of every event: judged once, encoded once.
        let founded_at = founding.at();
        let recorded = judge(&mut state, founding)?;
        let txn = self.begin_write().await?;
        let slug = movements::slug_for(&txn, &organization.name, slug).await?;
        organizations::ActiveModel {
            id: Set(organization.id.as_uuid()),
            name: Set(organization.name.to_string()),
            slug: Set(slug.to_string()),
            created_at: Set(codec::micros(founded_at)),
        }
        .insert(&txn)
        .await?;
        let receipt = store(&txn, &mut state, recorded, actor, None).await?;
        txn.commit().await?;
        state.notices.announce(receipt.revision, None);
        self.admit(
            &mut self.states.held(),
            organization.id,
            Arc::new(Resident::new(state, self.epoch)),
        );
        Ok((receipt, slug))
    }

    /// The newest revision committed for a movement, by any server: one index lookup.
    pub async fn head(&self, org: OrganizationId) -> Result<i64, StoreError> {
        head::read(&self.db, org).await
    }

    /// Reads a movement's state as it stands in the database when the read begins: every write
    /// committed before, by this server or any other, is in it (ADR 0007). The check costs one
    /// index lookup; the state catches up only when another server wrote since it last moved.
    /// A client told of a revision may ask for it (`min_revision`): a revision not committed
    /// yet is refused rather than waited for.
    pub async fn read(
        &self,
        org: OrganizationId,
        min_revision: Option<i64>,
    ) -> Result<tokio::sync::OwnedRwLockReadGuard<OrgState>, StoreError> {
        self.read_fenced(org, &Fence::default(), min_revision).await
    }

    /// The same, with the head checked once per `fence`: the reads of one request share the
    /// check its first read made, which was made after the request began.
    pub async fn read_fenced(
        &self,
        org: OrganizationId,
        fence: &Fence,
        min_revision: Option<i64>,
    ) -> Result<tokio::sync::OwnedRwLockReadGuard<OrgState>, StoreError> {
        // Every resolver reads the state, so this future is built once per field a response
        // resolves and moved into the engine's boxed futures: the common path (movement held,
        // head already checked, state current) holds no database future, and the others are
        // boxed, which keeps it a few hundred bytes instead of kilobytes (measured).
        let resident = match self.states.find(org) {
            Some(r) => r,
            None => Box::pin(self.resident(org)).await?,
        };
        // Concurrent requests share one head read that began after each of them (see `head`).
        let head = match fence.0.get() {
            Some(h) => *h,
            None => {
                *Box::pin(
                    fence
                        .0
                        .get_or_try_init(|| resident.head.head(&self.db, org)),
                )
                .await?
            }
        };
        let wanted = head.max(min_revision.unwrap_or(0));
        let shared = resident.state.clone();
        // Most reads find the state current: one read lock, kept for the answer.
        let guard = shared.clone().read_owned().await;
        if guard.revision >= wanted {
            return Ok(guard);
        }
        drop(guard);
        Box::pin(self.bring_up_to(&resident, org, wanted, min_revision)).await?;
        Ok(shared.read_owned().await)
    }

    /// Brings a held state up to `wanted`, or refuses a `min_revision` not committed yet.
    async fn bring_up_to(
        &self,
        resident: &resident::Resident,
        org: OrganizationId,
        wanted: i64,
        min_revision: Option<i64>,
    ) -> Result<(), StoreError> {
        let mut state = resident.state.write().await;
        // Another reader may have caught up while this one waited for the lock.
        if state.revision < wanted {
            catch_up(&self.db, org, &mut state).await?;
            resident.weigh(state.revision);
        }
        if let Some(asked) = min_revision
            && state.revision < asked
        {
            return Err(StoreError::RevisionNotReached {
                asked,
                current: state.revision,
            });
        }
        Ok(())
    }

    /// The state as this server holds it, without asking the database: for a subscriber
    /// answering a notice, which is sent only once the state holds what it announces.
    pub(crate) async fn read_resident(
        &self,
        org: OrganizationId,
    ) -> Result<tokio::sync::OwnedRwLockReadGuard<OrgState>, StoreError> {
        Ok(self.shared(org).await?.read_owned().await)
    }

    /// Listens to a movement's notices: every decision and tension recorded from now on, by
    /// any server, in revision order. Starts hearing other servers if it was not already.
    pub async fn subscribe(
        &self,
        org: OrganizationId,
    ) -> Result<broadcast::Receiver<Notice>, StoreError> {
        self.watch_other_servers();
        let resident = self.resident(org).await?;
        Ok(resident.notices.subscribe())
    }

    /// Records an event built under the write lock: `build` receives the latest state and the
    /// instant to use (the server's clock, to the microsecond, never before the last event), so
    /// the core judges the event against exactly the state it will follow. Returns the receipt,
    /// with the record the event produced; a refusal comes back worded (`StoreError::Refused`),
    /// and an input `build` rejects comes back as it was (`StoreError::Rejected`).
    pub async fn append_with<F>(
        &self,
        org: OrganizationId,
        actor: Option<MemberId>,
        reason: Option<String>,
        build: F,
    ) -> Result<Receipt, StoreError>
    where
        F: FnOnce(&Movement, Instant) -> Result<Event, StoreError> + Send + 'static,
    {
        self.write(org, actor, reason, move |movement| {
            let now = codec::micros(chrono::Utc::now());
            let at = movement.last_event_at().map_or(now, |last| now.max(last));
            build(movement, at)
        })
        .await
    }

    /// Records an event that already carries its instant (an import, the demo, a test).
    pub async fn append(
        &self,
        org: OrganizationId,
        event: Event,
        actor: Option<MemberId>,
        reason: Option<String>,
    ) -> Result<Receipt, StoreError> {
        self.write(org, actor, reason, move |_| Ok(event)).await
    }

    /// Queues the write with the movement's others (see `batch`): `build` runs when its turn
    /// comes, against the state the writes judged before it left.
    async fn write<F>(
        &self,
        org: OrganizationId,
        actor: Option<MemberId>,
        reason: Option<String>,
        build: F,
    ) -> Result<Receipt, StoreError>
    where
        F: FnOnce(&Movement) -> Result<Event, StoreError> + Send + 'static,
    {
        self.write_queued(org, actor, reason, Box::new(build)).await
    }

    /// Creates or revokes an API token: its row and its audit entry in one transaction, in the
    /// movement's chain, without touching the governance state (see `token_log`).
    pub async fn change_token(
        &self,
        org: OrganizationId,
        change: token_log::TokenChange,
        actor: Option<MemberId>,
    ) -> Result<Receipt, StoreError> {
        let shared = self.shared(org).await?;
        let mut state = shared.write().await;
        let txn = self.begin_locked(org).await?;
        catch_up(&txn, org, &mut state).await?;
        let receipt = token_log::store(&txn, &mut state, &change, actor).await?;
        watch::notify(&txn, org, receipt.revision).await?;
        txn.commit().await?;
        // Before the change is acknowledged, this server stops trusting what it looked up.
        state.tokens.forget_all();
        state.revision = receipt.revision;
        state.audit_head = Some(receipt.hash.clone());
        state.notices.announce(receipt.revision, None);
        Ok(receipt)
    }

    /// A write transaction holding the movement's write lock: on PostgreSQL its row is locked,
    /// which serialises writers of one movement across processes (the revocation and the
    /// decision racing on a mandate are decided one after the other, ADR 0002).
    async fn begin_locked(&self, org: OrganizationId) -> Result<DatabaseTransaction, DbErr> {
        let txn = self.begin_write().await?;
        if self.backend() == DatabaseBackend::Postgres {
            txn.execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT id FROM organizations WHERE id = $1 FOR UPDATE",
                [org.as_uuid().into()],
            ))
            .await?;
        }
        Ok(txn)
    }

    /// A write transaction: `BEGIN IMMEDIATE` on SQLite (so it waits for the writer instead of
    /// failing when it upgrades), READ COMMITTED on PostgreSQL.
    pub(crate) async fn begin_write(&self) -> Result<DatabaseTransaction, DbErr> {
        let options = match self.backend() {
            DatabaseBackend::Sqlite => TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            },
            _ => TransactionOptions {
                isolation_level: Some(IsolationLevel::ReadCommitted),
                ..Default::default()
            },
        };
        self.db.begin_with_options(options).await
    }
}

impl OrgState {
    /// A movement's state before its first event.
    fn empty(organization: Organization) -> Self {
        Self {
            movement: Movement::new(organization),
            revision: 0,
            audit_head: None,
            decision_seq: 0,
            decision_head: None,
            notices: Notices::new(),
            search: search::SearchIndex::default(),
            tokens: Arc::default(),
        }
    }
}

/// The core's one judgement of a new event, under the current rules (ADR 0005): applied to the
/// state in memory, or refused with its words and nothing changed.
fn judge(state: &mut OrgState, event: Event) -> Result<Recorded, StoreError> {
    let recorded = state
        .movement
        .record(event, RulesVersion::CURRENT)
        .map_err(|error| StoreError::Refused(Box::new(state.movement.refusal(error))))?;
    state.search.follow(&state.movement);
    Ok(recorded)
}

/// The event's one encoding, under the current rules (ADR 0005), checked by reading it back:
/// the state in memory must be exactly what a replay of the log will give. An event the
/// encoding does not keep exactly (an instant finer than the microsecond, say) is a bug of the
/// edge, which canonicalises its inputs; it is refused rather than stored.
fn encode(event: &Event) -> Result<serde_json::Value, StoreError> {
    let encoded = codec::encode_recorded(event, RulesVersion::CURRENT);
    if codec::decode_value(&encoded)? != *event {
        return Err(StoreError::NotCanonical(event.kind_name()));
    }
    Ok(encoded)
}

/// Stores a judged event (its one encoding, its projections, its audit entry) and hands back
/// the receipt with the event's outcome.
async fn store<C: ConnectionTrait>(
    db: &C,
    state: &mut OrgState,
    recorded: Recorded,
    actor: Option<MemberId>,
    reason: Option<String>,
) -> Result<Receipt, StoreError> {
    let encoded = encode(&recorded.event)?;
    let mut receipt =
        project::store_event(db, state, &recorded.event, &encoded, actor, reason).await?;
    receipt.outcome = recorded.outcome;
    Ok(receipt)
}

/// Applies the audit entries stored after `state.revision`, in order.
async fn catch_up<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    state: &mut OrgState,
) -> Result<(), StoreError> {
    let rows = audit_entries::Entity::find()
        .filter(audit_entries::Column::OrganizationId.eq(org.as_uuid()))
        .filter(audit_entries::Column::Revision.gt(state.revision))
        .order_by_asc(audit_entries::Column::Revision)
        .all(db)
        .await?;
    let mut decisions_seen = false;
    for row in rows {
        // Token entries are in the chain but are not governance: the state does not change.
        // Which is which is read from the hashed payload, not from the `action` column.
        if token_log::is_token_payload(&row.payload) {
            state.tokens.forget_all();
            state.revision = row.revision;
            state.audit_head = Some(row.hash);
            state.notices.announce(row.revision, None);
            continue;
        }
        // Each event is judged by the rules it was recorded under (ADR 0005).
        let (event, rules) = codec::decode_recorded(&row.payload)?;
        let is_decision = matches!(event, Event::Decision(_));
        let notice = Notice::of(&event);
        state
            .movement
            .apply_recorded(event, rules)
            .map_err(|error| StoreError::Corrupt {
                revision: row.revision,
                error,
            })?;
        state.revision = row.revision;
        state.audit_head = Some(row.hash);
        state.notices.announce(row.revision, notice);
        if is_decision {
            state.decision_seq += 1;
            decisions_seen = true;
        }
    }
    state.search.follow(&state.movement);
    if decisions_seen {
        state.decision_head = project::decision_head(db, org).await?;
    }
    Ok(())
}

/// A fresh, time-ordered id (UUID v7).
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}
