//! Reading a movement's head for many requests at once. Every read checks the head before it
//! answers (ADR 0007), and a request must see a head read that began after the request did.
//! Requests that arrive while a head read is under way cannot use it (it may have begun
//! before a write they must see), but they can all share the next one: at most one read runs
//! per movement, and at most one waits behind it, whatever the number of requests.

use super::StoreError;
use super::entity::audit_entries;
use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Shared};
use governance_core::OrganizationId;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};
use std::sync::{Arc, Mutex};

/// One read of the head, awaited by every request that shares it. An error is not shared:
/// each of its requests reads the head again on its own and reports what it gets.
type Check = Shared<BoxFuture<'static, Result<i64, ()>>>;

/// The newest revision committed for a movement, by any server: one index lookup.
///
/// Read with `all`, not `one`: an aggregate gives one row anyway, and `one` adds a bound
/// `LIMIT ?`, which an SQLite built without `SQLITE_ENABLE_QPSG` prepares again on every use
/// (ADR 0014); this query runs on every read.
pub(super) async fn read<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
) -> Result<i64, StoreError> {
    let rows: Vec<Option<i64>> = audit_entries::Entity::find()
        .select_only()
        .column_as(audit_entries::Column::Revision.max(), "head")
        .filter(audit_entries::Column::OrganizationId.eq(org.as_uuid()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().next().flatten().unwrap_or(0))
}

/// A movement's shared head reads: the one under way, and the one that will follow it.
#[derive(Debug, Default)]
pub(crate) struct HeadGate {
    inner: Mutex<Gate>,
}

#[derive(Default)]
struct Gate {
    serial: u64,
    running: Option<(u64, Check)>,
    queued: Option<(u64, Check)>,
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gate")
            .field("running", &self.running.as_ref().map(|r| r.0))
            .field("queued", &self.queued.as_ref().map(|q| q.0))
            .finish()
    }
}

impl HeadGate {
    /// The head, from a read that began after this call did.
    pub(crate) async fn head(
        self: &Arc<Self>,
        db: &DatabaseConnection,
        org: OrganizationId,
    ) -> Result<i64, StoreError> {
        let check = {
            let mut gate = self.lock();
            if gate.running.is_none() {
                let c = self.start(&mut gate, db, org, None);
                gate.running = Some(c.clone());
                c.1
            } else if let Some(q) = &gate.queued {
                // It begins only once the one under way has ended, which is after this call.
                q.1.clone()
            } else {
                let before = gate.running.as_ref().map(|r| r.1.clone());
                let c = self.start(&mut gate, db, org, before);
                gate.queued = Some(c.clone());
                c.1
            }
        };
        match check.await {
            Ok(head) => Ok(head),
            Err(()) => read(db, org).await,
        }
    }

    /// A read that begins once `after` has ended, and hands the gate to the one queued behind
    /// it when it ends. The gate keeps a handle to it, so a read whose requests all went away
    /// is driven to its end by the next request instead of being lost.
    fn start(
        self: &Arc<Self>,
        gate: &mut Gate,
        db: &DatabaseConnection,
        org: OrganizationId,
        after: Option<Check>,
    ) -> (u64, Check) {
        gate.serial += 1;
        let serial = gate.serial;
        let this = self.clone();
        let db = db.clone();
        let check = async move {
            if let Some(before) = after {
                let _ = before.await;
            }
            let head = read(&db, org).await.map_err(|_| ());
            this.finish(serial);
            head
        };
        (serial, check.boxed().shared())
    }

    /// The read `serial` ended: the one queued behind it (if any) is now the one under way,
    /// and requests arriving from now on queue behind that one.
    fn finish(&self, serial: u64) {
        let mut gate = self.lock();
        if gate.running.as_ref().is_some_and(|r| r.0 == serial) {
            gate.running = gate.queued.take();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Gate> {
        // Every change under this lock leaves the gate whole.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
