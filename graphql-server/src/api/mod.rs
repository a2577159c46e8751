//! The GraphQL API: the schema, what every resolver can reach (the store, the movement, who is
//! calling and in which language), and the rules of who may read what (R11, R17).

mod audit;
mod calendar;
mod context;
mod decisions;
pub mod error;
mod exports;
mod inputs;
mod mail;
mod mandates;
mod meetings;
mod mirror;
mod organization;
mod reports;
mod search;
mod settings;
mod subscription;
mod tensions;
mod transport;
mod webhooks;

pub use error::{ApiError, ApiResult, Code};
pub use subscription::Notice;
pub use transport::Transport;

use crate::store::Store;
use async_graphql::{MergedObject, MergedSubscription, Schema};
use governance_core::messages::Lang;
use governance_core::{MemberId, OrganizationId};

/// The schema type.
pub type GouvernailSchema = Schema<Query, Mutation, Subscription>;

// The roots merge each resource's part; a doc comment here would become the root's description
// in the schema, which has none.

// The root of reads.
#[derive(MergedObject, Default, Debug)]
pub struct Query(
    organization::OrganizationQuery,
    mandates::MandatesQuery,
    decisions::DecisionsQuery,
    search::SearchQuery,
    tensions::TensionsQuery,
    meetings::MeetingsQuery,
    reports::ReportsQuery,
    audit::AuditQuery,
    mail::MailQuery,
    webhooks::WebhooksQuery,
    calendar::CalendarQuery,
    exports::ExportsQuery,
);

// The root of writes. The caller is always the actor: nobody records in someone else's name,
// and every write is judged by the core at the server's clock, with no administrator bypass.
// Each write returns the revision it created.
#[derive(MergedObject, Default, Debug)]
pub struct Mutation(
    decisions::DecisionsMutation,
    mandates::MandatesMutation,
    tensions::TensionsMutation,
    meetings::MeetingsMutation,
    reports::ReportsMutation,
    mail::MailMutation,
    webhooks::WebhooksMutation,
    calendar::CalendarMutation,
);

// The root of subscriptions: members follow new decisions and new tensions.
#[derive(MergedSubscription, Default, Debug)]
pub struct Subscription(
    decisions::DecisionsSubscription,
    tensions::TensionsSubscription,
);

/// Who is calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// No token, or no valid token: someone outside the movement (R17).
    Outsider,
    /// A member, authenticated by one of their tokens.
    Member(MemberId),
}

/// Per-request data: the caller and the language of messages.
#[derive(Debug, Clone, Copy)]
pub struct RequestData {
    pub caller: Caller,
    pub lang: Lang,
    pub transport: Transport,
    /// The hash of the caller's token, so that a long-lived subscription can check it is still
    /// valid.
    pub token_hash: Option<[u8; 32]>,
}

/// Data shared by every request.
#[derive(Debug, Clone)]
pub struct AppData {
    pub store: Store,
    pub org: OrganizationId,
    /// The largest `first` a connection accepts.
    pub max_page: u64,
    /// Subscriptions open under each token.
    pub subscriptions: SubscriptionSlots,
    /// The last verification of the chains, for `/health`.
    pub chain: ChainWatch,
    /// The address people reach the server at, without a trailing `/` (`--base-url`): the
    /// start of the addresses the API hands out (calendar feeds).
    pub base_url: std::sync::Arc<str>,
}

impl AppData {
    /// The same server's data for another of its movements (see `scope`).
    pub fn for_movement(&self, org: OrganizationId) -> Self {
        Self {
            org,
            ..self.clone()
        }
    }
}

/// What the last verification of the hash chains found, shared with `/health`.
#[derive(Debug, Clone, Default)]
pub struct ChainWatch(
    std::sync::Arc<std::sync::RwLock<std::collections::HashMap<OrganizationId, ChainReport>>>,
);

/// One verification's outcome.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainReport {
    pub intact: bool,
    /// `tail` for the check at start (the last entries only), `full` for the background one.
    pub scope: &'static str,
    pub checked_at: chrono::DateTime<chrono::Utc>,
    pub audit_entries: i64,
    pub first_break: Option<String>,
}

impl ChainWatch {
    /// Keeps a movement's last verification.
    pub fn record(&self, org: OrganizationId, report: ChainReport) {
        self.0
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(org, report);
    }

    /// A movement's last verification, if any was made.
    pub fn last(&self, org: OrganizationId) -> Option<ChainReport> {
        self.0
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&org)
            .cloned()
    }
}

/// How many subscriptions each token holds open, within a cap: one token cannot hold the
/// server's memory and notice fan-out with thousands of streams.
#[derive(Debug, Clone)]
pub struct SubscriptionSlots {
    open: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<[u8; 32], usize>>>,
    cap: usize,
}

/// One open subscription; its slot is given back when the stream ends.
#[derive(Debug)]
pub struct SubscriptionSlot {
    slots: SubscriptionSlots,
    token: [u8; 32],
}

impl SubscriptionSlots {
    pub fn new(cap: usize) -> Self {
        Self {
            open: Default::default(),
            cap,
        }
    }

    /// A slot for `token`, or `None` when it already holds the cap.
    pub fn take(&self, token: [u8; 32]) -> Option<SubscriptionSlot> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(token).or_default();
        if *n >= self.cap {
            return None;
        }
        *n += 1;
        Some(SubscriptionSlot {
            slots: self.clone(),
            token,
        })
    }
}

impl Drop for SubscriptionSlot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.token) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.token);
            }
        }
    }
}

/// Limits the schema enforces.
#[derive(Debug, Clone, Copy)]
pub struct SchemaLimits {
    pub depth: usize,
    pub complexity: usize,
    pub introspection: bool,
    pub document: crate::budget::DocumentLimits,
}

impl Default for SchemaLimits {
    fn default() -> Self {
        Self {
            depth: 12,
            complexity: 2_000,
            introspection: true,
            document: crate::budget::DocumentLimits::default(),
        }
    }
}

/// The two schemas a server runs, the same types and limits apart from what checks a document
/// before the engine runs it.
#[derive(Clone)]
pub struct Schemas {
    /// For documents already measured against their budget: `/graphql` over HTTP, which
    /// measures each one at its edge (`crate::documents`), and the pages, whose documents are
    /// the server's own. It has no extension, so that the engine resolves fields without an
    /// extension's hook around each one: with any extension installed, async-graphql looks up
    /// every field's type by name and wraps its future, and for a page of 50 records that was
    /// the largest part of the request (profiled, docs/benchmarks.md). Whatever reaches it with
    /// a client's text must measure that text first.
    pub http: GouvernailSchema,
    /// For WebSocket connections, whose messages reach the engine directly: every document is
    /// measured by `DocumentBudget`, and only subscriptions are served.
    pub socket: GouvernailSchema,
}

impl std::fmt::Debug for Schemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schemas").finish_non_exhaustive()
    }
}

/// Builds the schemas over a store and a movement.
pub fn schemas(app: AppData, limits: SchemaLimits) -> Schemas {
    let build = |checked: bool| {
        let mut builder = Schema::build(
            Query::default(),
            Mutation::default(),
            Subscription::default(),
        )
        .data(app.clone())
        .limit_depth(limits.depth)
        .limit_complexity(limits.complexity);
        if checked {
            builder = builder
                .extension(transport::DocumentBudget {
                    limits: limits.document,
                    introspection: limits.introspection,
                })
                .extension(transport::SubscriptionsOnlyOverWebSocket);
        }
        if !limits.introspection {
            builder = builder.disable_introspection();
        }
        builder.finish()
    };
    Schemas {
        http: build(false),
        socket: build(true),
    }
}

/// The schema's SDL, as written to `docs/schema.graphql`.
pub fn sdl() -> String {
    Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
    .finish()
    .sdl()
}
