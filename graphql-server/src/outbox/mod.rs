//! The durable outbox: every e-mail and webhook delivery is a row, written in the transaction of
//! what causes it (an event of the log, or a round of the scheduler), then sent at least once by
//! whichever server claims it first, with retries and backoff. Each row has an idempotency key:
//! the same cause never queues twice, and the key travels with the message (its `Message-ID`,
//! the webhook's delivery id) so that a copy sent again after a crash can be recognised.
//! See `docs/adr/0010-outbox.md`.

mod caused;
mod compose;
pub mod preferences;
mod queue;
mod schedule;
pub mod webhook;
mod worker;

pub use caused::{Caused, enqueue_caused};
pub use preferences::{Cadence, MailPreferences, PreferencesError};
pub use queue::{Delivery, dead_letters, deliveries};
pub use schedule::run_round;
pub use worker::{Worker, send_due};

use std::time::Duration;

/// How the outbox behaves on this server.
#[derive(Debug, Clone)]
pub struct OutboxConfig {
    /// Where people reach the server: the links in the e-mails start with it.
    pub base_url: String,
    /// Whether e-mails are queued at all: only when an SMTP server is configured, so that a
    /// server without one piles nothing up.
    pub mail: bool,
    /// The wait before the first retry; each further retry waits twice as long (with jitter).
    pub backoff: Duration,
    /// After this many failed attempts a message is dead: kept, listed, no longer tried.
    pub max_attempts: i32,
    /// How long a claimed message stays claimed: past it, another server may send it.
    pub lease: Duration,
    /// Whether webhooks may target loopback and private addresses (a test, a local network).
    pub allow_private_hooks: bool,
}

impl Default for OutboxConfig {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:8080".into(),
            mail: false,
            backoff: Duration::from_secs(30),
            max_attempts: 10,
            lease: Duration::from_secs(120),
            allow_private_hooks: false,
        }
    }
}

/// Where a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Mail,
    Webhook,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Mail => "mail",
            Channel::Webhook => "webhook",
        }
    }
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum Status {
    /// Waiting for its next attempt.
    Pending,
    /// Claimed by a server until its lease ends.
    Sending,
    Sent,
    /// Given up after the last attempt.
    Dead,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Sending => "sending",
            Status::Sent => "sent",
            Status::Dead => "dead",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Status::Pending, Status::Sending, Status::Sent, Status::Dead]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// Why the outbox could not do its work.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}
