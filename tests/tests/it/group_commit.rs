//! Group commit (issue #14 item 5), on SQLite and PostgreSQL: concurrent writers' events are
//! judged one after the other and committed together. A refused event in a batch changes
//! nothing and fails no other; a batch the database fails acknowledges none of its writes and
//! leaves memory equal to what was committed; a writer is answered only after its commit.

use crate::helpers::{TestDb, on_both_backends, store_demo};
use crate::storage::{Cast, cast, holder_decision};
use governance_core::{DecisionId, ErrorCode, Event, Label, MandateId, OrganizationId};
use graphql_server::store::{Store, StoreError};
use sea_orm::{ConnectionTrait, DatabaseBackend};
use std::collections::BTreeSet;

on_both_backends!(
    group_commit_a_refused_write_in_a_batch_changes_nothing_and_fails_no_other,
    group_commit_a_batch_the_database_fails_acknowledges_none_of_its_writes,
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

/// A trigger makes the database refuse one decision row (as a full disk or a lost connection
/// would refuse a statement). The batch holding it commits nothing: its writers are told so,
/// none of them is in the log, memory is rebuilt to the replay, and the writers queued behind
/// it (and those who come after) still commit.
async fn group_commit_a_batch_the_database_fails_acknowledges_none_of_its_writes(db: TestDb) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    let c = cast(&store, org).await;
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
    let plan: Vec<_> = (0..40)
        .map(|i| {
            let title = if i % 10 == 5 { "Panne" } else { "Dépense" };
            (i % 4 != 3, title)
        })
        .collect();
    let answers = race(&store, org, c, plan).await;
    let replayed = replayed_decisions(&db, org).await;
    let mut failed_with_others = 0;
    for (id, allowed, answer) in &answers {
        match answer {
            Ok(_) => assert!(
                replayed.contains(id),
                "{id:?} acknowledged but not committed"
            ),
            Err(StoreError::Refused(r)) => {
                assert!(!allowed, "{id:?}: refused: {r:?}");
                assert!(!replayed.contains(id));
            }
            // A refusal judged after an accepted write of the failed batch is not given: the
            // state it was judged against never committed.
            Err(e @ (StoreError::Db(_) | StoreError::Batch(_))) => {
                assert!(!replayed.contains(id), "{id:?} failed ({e}) but committed");
                if matches!(e, StoreError::Batch(_)) {
                    failed_with_others += 1;
                }
            }
            Err(other) => panic!("{id:?}: unexpected error {other:?}"),
        }
    }
    let panne: Vec<_> = answers
        .iter()
        .zip(0..)
        .filter(|(_, i)| i % 10 == 5 && i % 4 != 3)
        .map(|((id, ..), _)| *id)
        .collect();
    for id in &panne {
        assert!(!replayed.contains(id), "the database refused {id:?}");
    }
    let acknowledged = answers.iter().filter(|(_, _, a)| a.is_ok()).count();
    assert!(
        acknowledged > 0,
        "writers behind a failed batch still commit"
    );
    println!("{failed_with_others} writes failed with a batch the database refused");
    // Memory is the replay, the chains hold, and the next write commits.
    {
        let s = store.read(org, None).await.unwrap();
        let served: BTreeSet<_> = s.movement.decisions().iter().map(|d| d.id).collect();
        assert_eq!(served, replayed);
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
