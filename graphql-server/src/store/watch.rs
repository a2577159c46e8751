//! Hearing the writes of other servers. On PostgreSQL every write sends, inside its own
//! transaction, a notification naming the movement and the revision it reached; PostgreSQL
//! delivers it to every listening server when, and only if, the transaction commits, in commit
//! order. Each server listens on one connection and catches the named movement up, which
//! announces the new entries to its subscribers. A notification lost while the listening
//! connection was down is made up for by catching every resident movement up on reconnection,
//! and by polling while it stays down; SQLite, which has no notifications, is polled. Reads do
//! not depend on any of this (they check the head themselves, ADR 0007): it keeps subscribers
//! live and spares reads the catch-up.

use super::{Residents, Store, catch_up};
use governance_core::OrganizationId;
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement};
use std::sync::{Arc, Weak};
use std::time::Duration;

/// The channel every server listens on.
const CHANNEL: &str = "gouvernail_revisions";

/// How often a movement with subscribers is polled when notifications cannot be heard.
const POLL: Duration = Duration::from_millis(250);

/// Tells the other servers, when `txn` commits, that `org` reached `revision`.
pub(super) async fn notify<C: ConnectionTrait>(
    txn: &C,
    org: OrganizationId,
    revision: i64,
) -> Result<(), DbErr> {
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [
                CHANNEL.into(),
                format!("{}:{revision}", org.as_uuid()).into(),
            ],
        ))
        .await?;
    }
    Ok(())
}

/// A notification's movement and revision.
fn parse(payload: &str) -> Option<(OrganizationId, i64)> {
    let (org, revision) = payload.split_once(':')?;
    Some((
        OrganizationId::from_uuid(uuid::Uuid::parse_str(org).ok()?),
        revision.parse().ok()?,
    ))
}

impl Store {
    /// Starts, once per store, the task that hears other servers' writes. It ends when the
    /// store is dropped.
    pub fn watch_other_servers(&self) {
        self.watching.call_once(|| {
            let weak = Arc::downgrade(&self.states);
            let store = WeakStore {
                db: self.db.clone(),
                states: weak,
                residency: self.residency,
                epoch: self.epoch,
                outbox: self.outbox.clone(),
                commits: self.commits.clone(),
            };
            tokio::spawn(watch(store));
        });
    }
}

/// The store as the watcher holds it: without keeping its states alive.
struct WeakStore {
    db: sea_orm::DatabaseConnection,
    states: Weak<<Residents as std::ops::Deref>::Target>,
    residency: super::Residency,
    epoch: std::time::Instant,
    outbox: Option<Arc<crate::outbox::OutboxConfig>>,
    commits: Arc<super::batch::CommitCount>,
}

impl WeakStore {
    fn upgrade(&self) -> Option<Store> {
        Some(Store {
            db: self.db.clone(),
            states: self.states.upgrade()?,
            residency: self.residency,
            epoch: self.epoch,
            // Only used to start this task, which is running.
            watching: Arc::new(std::sync::Once::new()),
            outbox: self.outbox.clone(),
            commits: self.commits.clone(),
        })
    }
}

async fn watch(weak: WeakStore) {
    let mut listener = None;
    let mut poll = tokio::time::interval(POLL);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        if weak.states.strong_count() == 0 {
            return;
        }
        if listener.is_none() && weak.db.get_database_backend() == DatabaseBackend::Postgres {
            listener = listen(&weak.db).await;
            if listener.is_some() {
                // Whatever was committed while nobody listened is caught up now.
                if let Some(store) = weak.upgrade() {
                    store.catch_up_residents(false).await;
                }
            }
        }
        match listener.as_mut() {
            Some(l) => {
                tokio::select! {
                    heard = l.try_recv() => match heard {
                        Ok(Some(n)) => {
                            if let (Some(store), Some((org, revision))) =
                                (weak.upgrade(), parse(n.payload()))
                            {
                                store.catch_up_to(org, revision).await;
                            }
                        }
                        // The connection dropped: reconnect, then catch up what was missed.
                        Ok(None) | Err(_) => listener = None,
                    },
                    _ = poll.tick() => {
                        if let Some(store) = weak.upgrade() {
                            store.evict_idle().await;
                        }
                    }
                }
            }
            None => {
                poll.tick().await;
                if let Some(store) = weak.upgrade() {
                    store.catch_up_residents(true).await;
                    store.evict_idle().await;
                }
            }
        }
    }
}

async fn listen(db: &sea_orm::DatabaseConnection) -> Option<sqlx::postgres::PgListener> {
    let pool = db.get_postgres_connection_pool();
    match sqlx::postgres::PgListener::connect_with(pool).await {
        Ok(mut l) => match l.listen(CHANNEL).await {
            Ok(()) => Some(l),
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for other servers' writes; polling");
                None
            }
        },
        Err(e) => {
            tracing::warn!(error = %e, "cannot listen for other servers' writes; polling");
            None
        }
    }
}

impl Store {
    /// Catches a resident movement up to `revision`, if it is behind; a movement not held is
    /// left alone (it will be loaded whole when used).
    async fn catch_up_to(&self, org: OrganizationId, revision: i64) {
        let resident = self.states.held().get(&org).cloned();
        let Some(resident) = resident else { return };
        if resident.state.read().await.revision >= revision {
            return;
        }
        let mut state = resident.state.write().await;
        if let Err(e) = catch_up(&self.db, org, &mut state).await {
            tracing::error!(error = %e, "catching up after another server's write failed");
        }
        resident.weigh(state.revision);
    }

    /// Catches every resident movement up (only those with subscribers, if `subscribed`).
    async fn catch_up_residents(&self, subscribed: bool) {
        let held: Vec<_> = self
            .states
            .held()
            .iter()
            .map(|(k, r)| (*k, r.clone()))
            .collect();
        for (org, resident) in held {
            if subscribed && resident.notices.listeners() == 0 {
                continue;
            }
            let head = match self.head(org).await {
                Ok(h) => h,
                Err(e) => {
                    tracing::warn!(error = %e, "polling the head failed");
                    continue;
                }
            };
            self.catch_up_to(org, head).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notification_names_a_movement_and_a_revision() {
        let org = OrganizationId::from_u128(7);
        let payload = format!("{}:42", org.as_uuid());
        assert_eq!(parse(&payload), Some((org, 42)));
        for bad in [
            "",
            "x:1",
            "00000000-0000-0000-0000-000000000007",
            "00000000-0000-0000-0000-000000000007:x",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
