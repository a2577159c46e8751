//! Group commit (issue #14 item 5), on SQLite and PostgreSQL: concurrent writers' events are
//! judged one after the other and committed together. A refused event in a batch changes
//! nothing and fails no other; a write the database refuses fails alone, its batch's other writes
//! are judged again and commit, and memory stays equal to what was committed; a writer is
//! answered only after its commit.

use crate::helpers::{TestDb, on_both_backends, store_demo};
use crate::storage::{Cast, cast, holder_decision};
use governance_core::{DecisionId, ErrorCode, Event, Label, MandateId, OrganizationId};
use graphql_server::store::{Store, StoreError};
use sea_orm::{ConnectionTrait, DatabaseBackend};
use std::collections::BTreeSet;

on_both_backends!(
    group_commit_a_refused_write_in_a_batch_changes_nothing_and_fails_no_other,
    group_commit_a_write_the_database_refuses_fails_alone_and_its_batch_commits,
    group_commit_a_builder_that_panics_fails_only_its_own_write,
);

/// A decision of Awa's (allowed) or of Léo's under a mandate he does not hold (refused), with
/// `title`.
fn decision(
    c: Cast,
    id: DecisionId,
    allowed: bool,
    title: &str,
    at: governance_core::Instant,
) -> Event {
    let mut event = if allowed {
        holder_decision(
            id,
            c.coordination,
            "budget",
            c.awa,
            c.awa_mandate,
            at,
            vec![],
        )
    } else {
        holder_decision(
            id,
            c.accueil,
            "parrainage",
            c.leo,
            MandateId::from_u128(1),
            at,
            vec![],
        )
    };
    if let Event::Decision(d) = &mut event {
        d.title = Label::parse("title", title).unwrap();
    }
    event
}

/// Starts `plan.len()` writers at once; each answer comes back with its decision's id.
async fn race(
    store: &Store,
    org: OrganizationId,
    c: Cast,
    plan: Vec<(bool, &'static str)>,
) -> Vec<(DecisionId, bool, Result<i64, StoreError>)> {
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(plan.len()));
    let tasks: Vec<_> = plan
        .into_iter()
        .map(|(allowed, title)| {
            let (store, start) = (store.clone(), start.clone());
            let id = DecisionId::from_uuid(uuid::Uuid::now_v7());
            let actor = if allowed { c.awa } else { c.leo };
            tokio::spawn(async move {
                start.wait().await;
                let written = store
                    .append_with(org, Some(actor), None, move |_, at| {
                        Ok(decision(c, id, allowed, title, at))
                    })
                    .await;
                (id, allowed, written.map(|r| r.revision))
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// What a new server would serve: the log replayed from the database alone.
async fn replayed_decisions(db: &TestDb, org: OrganizationId) -> BTreeSet<DecisionId> {
    let fresh = db.open().await;
    let s = fresh.read(org, None).await.unwrap();
    s.movement.decisions().iter().map(|d| d.id).collect()
}

async fn group_commit_a_refused_write_in_a_batch_changes_nothing_and_fails_no_other(db: TestDb) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    let c = cast(&store, org).await;
    let before = store.read(org, None).await.unwrap().revision;
    let (tx_before, writes_before) = store.commit_count();
    // Every third writer is refused, interleaved with the allowed ones.
    let plan: Vec<_> = (0..48)
        .map(|i| (i % 3 != 1, "Dépense de la permanence"))
        .collect();
    let answers = race(&store, org, c, plan).await;
    let mut revisions = BTreeSet::new();
    for (id, allowed, answer) in &answers {
        match (allowed, answer) {
            (true, Ok(revision)) => {
                assert!(revisions.insert(*revision), "{id:?}: one revision each")
            }
            (false, Err(StoreError::Refused(r))) => assert_eq!(r.code(), ErrorCode::NoMandate),
            other => panic!("{id:?}: unexpected answer {other:?}"),
        }
    }
    // The 32 allowed writes took the 32 revisions after `before`, nothing else did.
    assert_eq!(
        revisions.iter().copied().collect::<Vec<_>>(),
        (before + 1..=before + 32).collect::<Vec<_>>()
    );
    let (tx, writes) = store.commit_count();
    assert_eq!(writes - writes_before, 32);
    assert!(
        tx - tx_before < 32,
        "the writers shared transactions: {} for 32 writes",
        tx - tx_before
    );
    // Memory is exactly the replay, and the refused decisions are nowhere.
    let served: BTreeSet<_> = {
        let s = store.read(org, None).await.unwrap();
        assert_eq!(s.revision, before + 32);
        s.movement.decisions().iter().map(|d| d.id).collect()
    };
    assert_eq!(served, replayed_decisions(&db, org).await);
    for (id, allowed, _) in &answers {
        assert_eq!(served.contains(id), *allowed, "{id:?}");
    }
    let v = store.verify(org, None).await.unwrap();
    assert!(v.is_intact(), "{:?}", v.first_break);
}

/// A trigger makes the database refuse one decision row (as a constraint, or a lost
/// connection, would refuse a statement). That write fails alone: the transaction is rolled
/// back, memory is rebuilt to the replay, and the writes judged before it in its batch are
/// judged again and commit, in the queue's order, as do the writes queued behind it.
///
/// The batches are made deterministic: the first writer's builder holds the committing task
/// until the 39 others have queued, one after the other, so that they form one batch in order.
/// In it, the first `Panne` comes after accepted writes and a refusal judged after them.
async fn group_commit_a_write_the_database_refuses_fails_alone_and_its_batch_commits(db: TestDb) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    let c = cast(&store, org).await;
    let before = store.read(org, None).await.unwrap().revision;
    let conn = store.connection();
    match conn.get_database_backend() {
        DatabaseBackend::Sqlite => {
            conn.execute_unprepared(
                "CREATE TRIGGER panne BEFORE INSERT ON decisions WHEN NEW.title = 'Panne' \
                 BEGIN SELECT RAISE(ABORT, 'panne simulée'); END;",
            )
            .await
            .unwrap();
        }
        _ => {
            conn.execute_unprepared(
                "CREATE FUNCTION panne() RETURNS trigger AS $$ BEGIN \
                 IF NEW.title = 'Panne' THEN RAISE EXCEPTION 'panne simulée'; END IF; \
                 RETURN NEW; END $$ LANGUAGE plpgsql; \
                 CREATE TRIGGER panne BEFORE INSERT ON decisions \
                 FOR EACH ROW EXECUTE FUNCTION panne();",
            )
            .await
            .unwrap();
        }
    }
    // Writer 0 holds the committing task in its builder until the others have queued.
    let (held_tx, held_rx) = std::sync::mpsc::channel();
    let first = {
        let store = store.clone();
        let id = DecisionId::from_uuid(uuid::Uuid::now_v7());
        tokio::spawn(async move {
            let s = store.clone();
            let written = store
                .append_with(org, Some(c.awa), None, move |_, at| {
                    held_tx.send(()).unwrap();
                    let waited = std::time::Instant::now();
                    while s.queued_writes(org) < 39 {
                        assert!(waited.elapsed().as_secs() < 30, "the others never queued");
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                    Ok(decision(c, id, true, "Dépense", at))
                })
                .await;
            (id, true, written.map(|r| r.revision))
        })
    };
    tokio::task::spawn_blocking(move || held_rx.recv().unwrap())
        .await
        .unwrap();
    // Writers 1 to 39, queued in this order: 3, 7, ... are refused (Léo holds no mandate),
    // 5 and 25 are allowed but the database refuses them, 15 and 35 are both.
    let mut tasks = vec![first];
    for i in 1..40usize {
        let allowed = i % 4 != 3;
        let title = if i % 10 == 5 { "Panne" } else { "Dépense" };
        let writer = store.clone();
        let id = DecisionId::from_uuid(uuid::Uuid::now_v7());
        let actor = if allowed { c.awa } else { c.leo };
        tasks.push(tokio::spawn(async move {
            let written = writer
                .append_with(org, Some(actor), None, move |_, at| {
                    Ok(decision(c, id, allowed, title, at))
                })
                .await;
            (id, allowed, written.map(|r| r.revision))
        }));
        while store.queued_writes(org) < i {
            tokio::task::yield_now().await;
        }
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    let replayed = replayed_decisions(&db, org).await;
    let mut revisions = Vec::new();
    for (i, (id, allowed, answer)) in answers.iter().enumerate() {
        let panne = i % 10 == 5;
        match answer {
            Ok(revision) => {
                assert!(*allowed && !panne, "writer {i}: acknowledged");
                assert!(
                    replayed.contains(id),
                    "writer {i}: acknowledged but not committed"
                );
                revisions.push(*revision);
            }
            Err(StoreError::Refused(r)) => {
                assert!(!allowed, "writer {i}: refused: {r:?}");
                assert_eq!(r.code(), ErrorCode::NoMandate, "writer {i}");
                assert!(!replayed.contains(id));
            }
            Err(e @ StoreError::Db(_)) => {
                assert!(*allowed && panne, "writer {i}: failed: {e}");
                assert!(
                    !replayed.contains(id),
                    "writer {i}: failed ({e}) but committed"
                );
            }
            Err(other) => panic!("writer {i}: unexpected answer {other:?}"),
        }
    }
    // Every allowed write the database did not refuse committed, in the queue's order.
    let expected = (0..40).filter(|i| i % 4 != 3 && i % 10 != 5).count() as i64;
    assert_eq!(
        revisions,
        (before + 1..=before + expected).collect::<Vec<_>>(),
        "acknowledged in the order they queued"
    );
    // Memory is the replay, the chains hold, and the next write commits.
    {
        let s = store.read(org, None).await.unwrap();
        let served: BTreeSet<_> = s.movement.decisions().iter().map(|d| d.id).collect();
        assert_eq!(served, replayed);
        assert_eq!(s.revision, before + expected);
    }
    let id = DecisionId::from_uuid(uuid::Uuid::now_v7());
    store
        .append_with(org, Some(c.awa), None, move |_, at| {
            Ok(decision(c, id, true, "Après la panne", at))
        })
        .await
        .expect("a write after the failed batch commits");
    let v = store.verify(org, None).await.unwrap();
    assert!(v.is_intact(), "{:?}", v.first_break);
}

/// A write's builder runs in the task that commits the others' writes too: one that panics is
/// answered with an error, and the writes around it in the batch still commit.
async fn group_commit_a_builder_that_panics_fails_only_its_own_write(db: TestDb) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    let c = cast(&store, org).await;
    let before = store.read(org, None).await.unwrap().revision;
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(24));
    let tasks: Vec<_> = (0..24)
        .map(|i| {
            let (store, start) = (store.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                let id = DecisionId::from_uuid(uuid::Uuid::now_v7());
                let written = store
                    .append_with(org, Some(c.awa), None, move |_, at| {
                        assert!(i % 8 != 4, "a builder's bug");
                        Ok(decision(c, id, true, "Dépense", at))
                    })
                    .await;
                (i, written)
            })
        })
        .collect();
    let mut committed = 0;
    for t in tasks {
        match t.await.unwrap() {
            (i, Err(StoreError::Task(_))) if i % 8 == 4 => {}
            (i, Ok(_)) if i % 8 != 4 => committed += 1,
            (i, other) => panic!("writer {i}: {other:?}"),
        }
    }
    assert_eq!(committed, 21);
    let s = store.read(org, None).await.unwrap();
    assert_eq!(s.revision, before + 21);
    let served: BTreeSet<_> = s.movement.decisions().iter().map(|d| d.id).collect();
    assert_eq!(served, replayed_decisions(&db, org).await);
}
