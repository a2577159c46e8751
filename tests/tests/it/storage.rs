//! The storage suite, run on SQLite (a temporary file) and on PostgreSQL: round trips, the
//! append-only triggers, tampering caught by `verify`, fresh reads, and the revocation race.

use crate::helpers::{Backend, TestDb, on_both_backends, store_demo};
use governance_core::builder::domain;
use governance_core::{
    Decider, DecisionDraft, DecisionId, Effect, ErrorCode, Event, Impact, Label, MandateId,
    NewMandate, Period, Role, Scope, Text, Visibility,
};
use graphql_server::store::chain::{Break, ChainName, link_hash};
use graphql_server::store::entity::*;
use graphql_server::store::{Store, StoreError};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, Set};

on_both_backends!(
    every_entity_round_trips_through_the_database,
    append_only_tables_reject_update_and_delete,
    verify_finds_a_modified_decision,
    verify_finds_a_decision_whose_date_or_unit_column_no_longer_says_what_was_hashed,
    verify_finds_a_decision_column_stored_as_another_type_with_the_same_bytes,
    verify_finds_a_deleted_audit_entry,
    verify_finds_swapped_audit_entries,
    verify_finds_an_inserted_audit_entry,
    verify_finds_a_truncated_tail_against_the_exported_head,
    verify_finds_tampering_past_the_first_page_exactly_where_it_is,
    a_read_is_at_least_as_fresh_as_the_revision_asked,
    a_refused_event_stores_nothing,
    an_event_the_log_cannot_keep_exactly_is_refused_and_memory_stays_a_replay,
    writes_dropped_midway_leave_memory_equal_to_the_committed_log,
    no_decision_commits_under_a_mandate_whose_revocation_committed_first,
    text_search_ignores_case_and_accents_capitals_on_every_backend,
    keyset_pages_walk_every_decision_once_newest_first,
    pages_read_from_memory_are_the_databases_pages,
);

async fn every_entity_round_trips_through_the_database(db: TestDb) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    let written = store.read(org, None).await.unwrap();
    // A second store has nothing in memory: it rebuilds the movement from the database alone.
    let reopened = db.open().await;
    let read = reopened.read(org, None).await.unwrap();
    assert_eq!(read.revision, written.revision);
    let (a, b) = (&written.movement, &read.movement);
    let today = chrono::Utc::now();
    for days in [0, 30, 60, 120, 157, 200] {
        let at = today - chrono::Duration::days(days);
        assert_eq!(a.authority_map(at), b.authority_map(at), "{days} days ago");
    }
    assert_eq!(a.decisions(), b.decisions());
    assert_eq!(a.mandates(), b.mandates());
    assert_eq!(a.tensions(), b.tensions());
    assert_eq!(a.meetings(), b.meetings());
    assert_eq!(a.account_reports(), b.account_reports());
    assert_eq!(
        a.settings_history().versions(),
        b.settings_history().versions()
    );
    // Every table received its rows.
    let c = store.connection();
    assert_eq!(organizations::Entity::find().count(c).await.unwrap(), 1);
    assert_eq!(members::Entity::find().count(c).await.unwrap(), 12);
    assert_eq!(units::Entity::find().count(c).await.unwrap(), 9);
    assert_eq!(
        unit_domain_versions::Entity::find().count(c).await.unwrap(),
        9
    );
    assert_eq!(mandates::Entity::find().count(c).await.unwrap(), 11);
    assert_eq!(meetings::Entity::find().count(c).await.unwrap(), 6);
    let attendees: usize = a.meetings().iter().map(|m| m.attendees.len()).sum();
    assert_eq!(
        meeting_attendees::Entity::find().count(c).await.unwrap(),
        attendees as u64
    );
    assert_eq!(tensions::Entity::find().count(c).await.unwrap(), 3);
    let history: usize = a.tensions().iter().map(|t| t.history.len()).sum();
    assert_eq!(
        tension_events::Entity::find().count(c).await.unwrap(),
        history as u64
    );
    assert_eq!(
        decisions::Entity::find().count(c).await.unwrap(),
        a.decisions().len() as u64
    );
    assert_eq!(settings_versions::Entity::find().count(c).await.unwrap(), 1);
    let consulted: usize = a.decisions().iter().map(|d| d.consultations.len()).sum();
    assert_eq!(
        consultations::Entity::find().count(c).await.unwrap(),
        consulted as u64
    );
    assert_eq!(decision_links::Entity::find().count(c).await.unwrap(), 1);
    let responsible: usize = a.decisions().iter().map(|d| d.responsible().len()).sum();
    assert_eq!(
        decision_participants::Entity::find()
            .count(c)
            .await
            .unwrap(),
        responsible as u64
    );
    let effects: usize = a.decisions().iter().map(|d| d.effects.len()).sum();
    assert_eq!(
        decision_effects::Entity::find().count(c).await.unwrap(),
        effects as u64
    );
    assert_eq!(
        account_reports::Entity::find().count(c).await.unwrap(),
        a.account_reports().len() as u64
    );
    assert_eq!(
        audit_entries::Entity::find().count(c).await.unwrap(),
        read.revision as u64
    );
    // A projected row says what the core says.
    let revoked = a
        .mandates()
        .iter()
        .find(|m| m.revocation.is_some())
        .unwrap();
    let row = mandates::Entity::find_by_id(revoked.id.as_uuid())
        .one(c)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.revoked_at, revoked.revocation.map(|r| r.at));
    assert_eq!(row.committed_at, revoked.committed_at);
    assert_eq!(row.starts_at, revoked.period.starts_at());
    assert!(store.verify(org, None).await.unwrap().is_intact());
}

async fn append_only_tables_reject_update_and_delete(db: TestDb) {
    let store = db.open().await;
    store_demo(&store).await;
    let raw = db.raw().await;
    for sql in [
        "UPDATE decisions SET title = 'réécrit'",
        "DELETE FROM decisions",
        "UPDATE consultations SET said = 'autre chose'",
        "DELETE FROM consultations",
        "UPDATE tension_events SET status = 'open'",
        "DELETE FROM tension_events",
        "UPDATE audit_entries SET reason = 'oubli'",
        "DELETE FROM audit_entries",
    ] {
        let err = raw.execute_unprepared(sql).await.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert!(
        store
            .verify(store.organizations().await.unwrap()[0].id, None)
            .await
            .unwrap()
            .is_intact()
    );
}

async fn first_break(
    db: &TestDb,
    store_org: (&Store, governance_core::OrganizationId),
) -> (ChainName, i64, Break) {
    // A fresh store, so nothing in memory hides what the database holds.
    let _ = store_org.0;
    let fresh = db.open().await;
    let v = fresh.verify(store_org.1, None).await.unwrap();
    let b = v.first_break.expect("the tampering must be found");
    (b.chain, b.position, b.problem)
}

async fn verify_finds_a_modified_decision(db: TestDb) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    db.tamper("UPDATE decisions SET title = 'Achat d''une sono, 35 €' WHERE seq = 7")
        .await;
    assert_eq!(
        first_break(&db, (&store, org)).await,
        (ChainName::Decisions, 7, Break::Modified)
    );
}

/// The columns a reader filters on (when, where) are checked against the hashed record too,
/// whichever way the backend's rows are read (the SQLite file directly, PostgreSQL with sqlx):
/// moving a decision to another date or another unit is a modification.
async fn verify_finds_a_decision_whose_date_or_unit_column_no_longer_says_what_was_hashed(
    db: TestDb,
) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    db.tamper(
        "UPDATE decisions SET unit_id = (SELECT u.id FROM units u \
         WHERE u.id <> decisions.unit_id ORDER BY u.id LIMIT 1) WHERE seq = 9",
    )
    .await;
    assert_eq!(
        first_break(&db, (&store, org)).await,
        (ChainName::Decisions, 9, Break::Modified)
    );
    let earlier = match db.backend {
        Backend::Sqlite => "'2020-01-01T00:00:00+00:00'",
        Backend::Postgres => "TIMESTAMPTZ '2020-01-01 00:00:00+00'",
    };
    db.tamper(&format!(
        "UPDATE decisions SET decided_at = {earlier} WHERE seq = 4"
    ))
    .await;
    assert_eq!(
        first_break(&db, (&store, org)).await,
        (ChainName::Decisions, 4, Break::Modified)
    );
}

/// SQLite keeps whatever type a statement writes, whatever the column says. A column rewritten
/// with the same bytes under another type (the unit as text instead of its 16-byte blob, the
/// title or the hashed payload as a blob instead of text) still hashes the same, but the server
/// can no longer read the row as what was recorded: `verify` calls it modified instead of reading
/// the bytes through. PostgreSQL refuses a unit as text, and turns a blob written into a text
/// column into its escaped text form, another title, which `verify` reports.
async fn verify_finds_a_decision_column_stored_as_another_type_with_the_same_bytes(db: TestDb) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    let retyped = [
        (3, "unit_id = lower(hex(unit_id))"),
        (5, "title = CAST(title AS BLOB)"),
        (8, "payload = CAST(payload AS BLOB)"),
    ];
    match db.backend {
        Backend::Sqlite => {
            // Latest first, so each tamper is in turn the first break. The foreign key on
            // `unit_id` would refuse a unit written as text; the attacker switches it off.
            for (seq, set) in retyped.iter().rev() {
                db.tamper(&format!(
                    "PRAGMA foreign_keys = OFF; UPDATE decisions SET {set} WHERE seq = {seq}"
                ))
                .await;
                assert_eq!(
                    first_break(&db, (&store, org)).await,
                    (ChainName::Decisions, *seq, Break::Modified),
                    "{set}"
                );
            }
        }
        Backend::Postgres => {
            let raw = db.raw().await;
            // The append-only trigger would refuse any update: out of the way, as in `tamper`.
            raw.execute_unprepared("ALTER TABLE decisions DISABLE TRIGGER USER")
                .await
                .unwrap();
            let unit_as_text = "UPDATE decisions SET unit_id = 'ab'::text WHERE seq = 3";
            assert!(
                raw.execute_unprepared(unit_as_text).await.is_err(),
                "PostgreSQL accepted {unit_as_text}"
            );
            assert!(db.open().await.verify(org, None).await.unwrap().is_intact());
            // A blob in a text column is cast to its escaped text form: another title.
            raw.execute_unprepared(
                "UPDATE decisions SET title = convert_to(title, 'UTF8') WHERE seq = 5",
            )
            .await
            .unwrap();
            assert_eq!(
                first_break(&db, (&store, org)).await,
                (ChainName::Decisions, 5, Break::Modified)
            );
        }
    }
}

/// `verify` reads 5 000 rows a page and checks a page's contents in parallel while it reads the
/// next: a change deep in the chains is still reported at its exact position, and an intact
/// chain of several pages still verifies whole.
async fn verify_finds_tampering_past_the_first_page_exactly_where_it_is(db: TestDb) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    let c = cast(&store, org).await;
    // 32 writers at a time, so that the store commits them in batches.
    let writers: Vec<_> = (0..32)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                for _ in 0..170 {
                    store
                        .append_with(org, Some(c.awa), None, move |_, at| {
                            Ok(holder_decision(
                                DecisionId::from_uuid(uuid::Uuid::now_v7()),
                                c.coordination,
                                "budget",
                                c.awa,
                                c.awa_mandate,
                                at,
                                vec![],
                            ))
                        })
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.await.unwrap();
    }
    let v = db.open().await.verify(org, None).await.unwrap();
    assert!(v.is_intact(), "{:?}", v.first_break);
    assert!(v.decisions > 5_440 && v.audit_entries > 5_440, "{v:?}");
    db.tamper("UPDATE decisions SET title = 'Achat d''une sono, 35 €' WHERE seq = 5077")
        .await;
    db.tamper("UPDATE decisions SET title = 'Autre chose' WHERE seq = 5300")
        .await;
    assert_eq!(
        first_break(&db, (&store, org)).await,
        (ChainName::Decisions, 5077, Break::Modified)
    );
    // The audit chain is walked first: a gap there is the first break reported.
    db.tamper("DELETE FROM audit_entries WHERE revision = 5123")
        .await;
    assert_eq!(
        first_break(&db, (&store, org)).await,
        (ChainName::Audit, 5123, Break::Missing)
    );
}

async fn verify_finds_a_deleted_audit_entry(db: TestDb) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    db.tamper("DELETE FROM audit_entries WHERE revision = 5")
        .await;
    assert_eq!(
        first_break(&db, (&store, org)).await,
        (ChainName::Audit, 5, Break::Missing)
    );
}

async fn verify_finds_swapped_audit_entries(db: TestDb) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    db.tamper("UPDATE audit_entries SET revision = -4 WHERE revision = 4")
        .await;
    db.tamper("UPDATE audit_entries SET revision = 4 WHERE revision = 5")
        .await;
    db.tamper("UPDATE audit_entries SET revision = 5 WHERE revision = -4")
        .await;
    assert_eq!(
        first_break(&db, (&store, org)).await,
        (ChainName::Audit, 4, Break::Unlinked)
    );
}

async fn verify_finds_an_inserted_audit_entry(db: TestDb) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    // Make room at revision 4, then slip in a well-formed entry chained to revision 3.
    db.tamper("UPDATE audit_entries SET revision = revision + 1000 WHERE revision >= 4")
        .await;
    db.tamper("UPDATE audit_entries SET revision = revision - 999 WHERE revision >= 1004")
        .await;
    let raw = db.raw().await;
    let third = audit_entries::Entity::find()
        .all(&raw)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.revision == 3)
        .unwrap();
    audit_entries::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        organization_id: Set(third.organization_id),
        revision: Set(4),
        at: Set(third.at),
        actor_id: Set(None),
        action: Set(third.action.clone()),
        subject: Set(third.subject.clone()),
        reason: Set(Some("inséré".into())),
        payload: Set(third.payload.clone()),
        prev_hash: Set(Some(third.hash.clone())),
        hash: Set(link_hash(Some(&third.hash), &third.payload)),
    }
    .insert(&raw)
    .await
    .unwrap();
    assert_eq!(
        first_break(&db, (&store, org)).await,
        (ChainName::Audit, 5, Break::Unlinked)
    );
}

async fn verify_finds_a_truncated_tail_against_the_exported_head(db: TestDb) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    let head = store.verify(org, None).await.unwrap().head.unwrap();
    let last = head.revision;
    db.tamper(&format!(
        "DELETE FROM audit_entries WHERE revision >= {}",
        last - 1
    ))
    .await;
    let fresh = db.open().await;
    // Without the exported head the shorter chain looks whole; with it, the cut shows.
    assert!(fresh.verify(org, None).await.unwrap().is_intact());
    let v = fresh.verify(org, Some(&head)).await.unwrap();
    let b = v.first_break.unwrap();
    assert_eq!(
        (b.chain, b.position, b.problem),
        (ChainName::Audit, last - 1, Break::Truncated)
    );
}

pub(crate) fn holder_decision(
    id: DecisionId,
    unit: governance_core::UnitId,
    dom: &str,
    member: governance_core::MemberId,
    mandate: MandateId,
    at: governance_core::Instant,
    effects: Vec<Effect>,
) -> Event {
    Event::Decision(Box::new(DecisionDraft {
        id,
        unit,
        domain: domain(dom),
        title: Label::parse("title", "Décision de test").unwrap(),
        statement: Text::default(),
        rationale: Text::default(),
        decided_at: at,
        effective_from: None,
        effective_until: None,
        decider: Decider::Holder {
            member,
            mandate: Some(mandate),
        },
        consultations: vec![],
        impact: Impact::ThisUnit,
        visibility: Visibility::Members,
        links: vec![],
        effects,
        tension: None,
        escalation: None,
    }))
}

#[derive(Clone, Copy)]
pub(crate) struct Cast {
    pub(crate) awa: governance_core::MemberId,
    pub(crate) awa_mandate: MandateId,
    pub(crate) leo: governance_core::MemberId,
    pub(crate) coordination: governance_core::UnitId,
    pub(crate) accueil: governance_core::UnitId,
}

pub(crate) async fn cast(store: &Store, org: governance_core::OrganizationId) -> Cast {
    let s = store.read(org, None).await.unwrap();
    let m = &s.movement;
    let by_email = |e: &str| m.members().find(|x| x.email.as_str() == e).unwrap().id;
    let awa = by_email("awa@tilleuls.example");
    Cast {
        awa,
        awa_mandate: m.mandates_of(awa).next().unwrap().id,
        leo: by_email("leo@tilleuls.example"),
        coordination: m.coordination().unwrap(),
        accueil: m.unit_by_name("Comité Accueil").unwrap().id,
    }
}

async fn a_read_is_at_least_as_fresh_as_the_revision_asked(db: TestDb) {
    let writer = db.open().await;
    let org = store_demo(&writer).await;
    // Another server process, which loaded the movement before the write.
    let other = db.open().await;
    let before = other.read(org, None).await.unwrap().revision;
    drop(other.read(org, None).await.unwrap());
    let c = cast(&writer, org).await;
    let id = DecisionId::from_uuid(uuid::Uuid::now_v7());
    let receipt = writer
        .append_with(org, Some(c.awa), None, move |_, at| {
            Ok(holder_decision(
                id,
                c.coordination,
                "budget",
                c.awa,
                c.awa_mandate,
                at,
                vec![],
            ))
        })
        .await
        .unwrap();
    assert_eq!(receipt.revision, before + 1);
    let fresh = other.read(org, Some(receipt.revision)).await.unwrap();
    assert!(
        fresh.movement.decision(id).is_some(),
        "a read at that revision sees the write"
    );
    drop(fresh);
    match other.read(org, Some(receipt.revision + 5)).await {
        Err(StoreError::RevisionNotReached { asked, current }) => {
            assert_eq!((asked, current), (receipt.revision + 5, receipt.revision))
        }
        other => panic!(
            "expected RevisionNotReached, got {:?}",
            other.map(|s| s.revision)
        ),
    }
}

async fn a_refused_event_stores_nothing(db: TestDb) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    let c = cast(&store, org).await;
    let before = audit_entries::Entity::find()
        .count(store.connection())
        .await
        .unwrap();
    let refused = store
        .append_with(org, Some(c.leo), None, move |_, at| {
            Ok(holder_decision(
                DecisionId::from_uuid(uuid::Uuid::now_v7()),
                c.accueil,
                "parrainage",
                c.leo,
                MandateId::from_u128(1),
                at,
                vec![],
            ))
        })
        .await;
    match refused {
        Err(StoreError::Refused(e)) => assert_eq!(e.code(), ErrorCode::NoMandate),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        audit_entries::Entity::find()
            .count(store.connection())
            .await
            .unwrap(),
        before
    );
    assert_eq!(store.read(org, None).await.unwrap().revision as u64, before);
}

/// The state in memory is exactly what a replay of the log gives: an event that would not read
/// back as it was applied (here an effective date finer than the microsecond, which the edge
/// never sends) is refused, nothing is stored, and the state served is the replayed one.
async fn an_event_the_log_cannot_keep_exactly_is_refused_and_memory_stays_a_replay(db: TestDb) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    let c = cast(&store, org).await;
    let before = store.read(org, None).await.unwrap().revision;
    let id = DecisionId::from_uuid(uuid::Uuid::now_v7());
    let written = store
        .append_with(org, Some(c.awa), None, move |_, at| {
            let Event::Decision(mut d) = holder_decision(
                id,
                c.coordination,
                "budget",
                c.awa,
                c.awa_mandate,
                at,
                vec![],
            ) else {
                unreachable!()
            };
            d.effective_from = Some(at + chrono::Duration::nanoseconds(1_000_000_001));
            Ok(Event::Decision(d))
        })
        .await;
    assert!(
        matches!(written, Err(StoreError::NotCanonical("decision"))),
        "{written:?}"
    );
    let s = store.read(org, None).await.unwrap();
    assert_eq!(s.revision, before, "nothing stored");
    assert!(s.movement.decision(id).is_none(), "memory is the replay");
    let fresh = db.open().await;
    let replayed = fresh.read(org, None).await.unwrap();
    assert_eq!(
        replayed.movement.decisions().len(),
        s.movement.decisions().len()
    );
}

/// A request dropped while it writes (its timeout, a client gone) never leaves the state in
/// memory ahead of the database: once the core has judged an event, the write runs to its end
/// in a task of its own. Writes are cut off after delays spread over an append's duration; the
/// state served must then be exactly the replay of what was committed, and the chains intact.
async fn writes_dropped_midway_leave_memory_equal_to_the_committed_log(db: TestDb) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    let c = cast(&store, org).await;
    for i in 0..120u64 {
        let write = store.append_with(org, Some(c.awa), None, move |_, at| {
            Ok(holder_decision(
                DecisionId::from_uuid(uuid::Uuid::now_v7()),
                c.coordination,
                "budget",
                c.awa,
                c.awa_mandate,
                at,
                vec![],
            ))
        });
        // From 0 to about 3 ms, the span of one durable append on these backends.
        let cut = std::time::Duration::from_micros((i * 37) % 3_000);
        let _ = tokio::time::timeout(cut, write).await;
    }
    // Let any write still finishing in its task commit, then compare with a replay.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let served = store.read(org, None).await.unwrap();
    let replayed = db.open().await.read(org, None).await.unwrap();
    assert_eq!(served.revision, replayed.revision);
    assert_eq!(
        served.movement.decisions().len(),
        replayed.movement.decisions().len()
    );
    let v = store.verify(org, None).await.unwrap();
    assert!(v.first_break.is_none(), "{v:?}");
}

/// Many rounds of "revoke the mandate" racing "decide under it", from two store instances (two
/// server processes) on the same database: whichever commits second is judged against the
/// first, so no decision ever commits under a mandate whose revocation committed first.
async fn no_decision_commits_under_a_mandate_whose_revocation_committed_first(db: TestDb) {
    let a = db.open().await;
    let org = store_demo(&a).await;
    let b = db.open().await;
    let c = cast(&a, org).await;
    let rounds = if db.backend == Backend::Sqlite {
        25
    } else {
        40
    };
    let (mut decided, mut refused) = (0, 0);
    for _ in 0..rounds {
        let mandate = MandateId::from_uuid(uuid::Uuid::now_v7());
        a.append_with(org, Some(c.awa), None, move |_, at| {
            let period = Period::new(at, at + chrono::Duration::days(90)).unwrap();
            Ok(holder_decision(
                DecisionId::from_uuid(uuid::Uuid::now_v7()),
                c.coordination,
                "mandats",
                c.awa,
                c.awa_mandate,
                at,
                vec![Effect::AssignMandate(NewMandate {
                    id: mandate,
                    holder: c.leo,
                    unit: c.accueil,
                    scope: Scope::AllDomains,
                    role: Role::Holder,
                    period,
                })],
            ))
        })
        .await
        .unwrap();
        a.append_with(org, Some(c.leo), None, move |_, at| {
            Ok(Event::Commitment {
                mandate,
                member: c.leo,
                at,
            })
        })
        .await
        .unwrap();
        let revoke = {
            let a = a.clone();
            let (awa, m, coord) = (c.awa, c.awa_mandate, c.coordination);
            tokio::spawn(async move {
                a.append_with(org, Some(awa), None, move |_, at| {
                    Ok(holder_decision(
                        DecisionId::from_uuid(uuid::Uuid::now_v7()),
                        coord,
                        "mandats",
                        awa,
                        m,
                        at,
                        vec![Effect::RevokeMandate { mandate }],
                    ))
                })
                .await
            })
        };
        let decide = {
            let b = b.clone();
            let (leo, accueil) = (c.leo, c.accueil);
            tokio::spawn(async move {
                b.append_with(org, Some(leo), None, move |_, at| {
                    Ok(holder_decision(
                        DecisionId::from_uuid(uuid::Uuid::now_v7()),
                        accueil,
                        "parrainage",
                        leo,
                        mandate,
                        at,
                        vec![],
                    ))
                })
                .await
            })
        };
        let revoked = revoke
            .await
            .unwrap()
            .expect("the revocation always commits");
        match decide.await.unwrap() {
            Ok(d) => {
                assert!(
                    d.revision < revoked.revision,
                    "a decision committed after the revocation of its mandate"
                );
                decided += 1;
            }
            Err(StoreError::Refused(e)) => {
                assert_eq!(e.code(), ErrorCode::MandateRevoked);
                refused += 1;
            }
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    assert_eq!(decided + refused, rounds);
    // The whole log replays: no event in it breaks the rules, whatever the interleaving.
    let fresh = db.open().await;
    assert!(fresh.read(org, None).await.is_ok());
    assert!(fresh.verify(org, None).await.unwrap().is_intact());
    println!(
        "{:?}: {decided} decisions committed before their revocation, {refused} refused",
        db.backend
    );
}

async fn text_search_ignores_case_and_accents_capitals_on_every_backend(db: TestDb) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    let search = |text: &str| graphql_server::store::DecisionFilter {
        text: Some(text.to_owned()),
        ..Default::default()
    };
    let found = store
        .decision_page(org, &search("FÊTE DE QUARTIER"), 50, None)
        .await
        .unwrap();
    assert_eq!(found.ids.len(), 2, "both fêtes de quartier");
    let found = store
        .decision_page(org, &search("Réseaux Sociaux"), 50, None)
        .await
        .unwrap();
    assert_eq!(
        found.ids.len(),
        2,
        "two mandate decisions name réseaux sociaux"
    );
    // LIKE wildcards in the words searched match themselves only.
    let found = store
        .decision_page(org, &search("%"), 50, None)
        .await
        .unwrap();
    assert!(found.ids.is_empty());
}

async fn keyset_pages_walk_every_decision_once_newest_first(db: TestDb) {
    let store = db.open().await;
    let org = store_demo(&store).await;
    let all = store
        .read(org, None)
        .await
        .unwrap()
        .movement
        .decisions()
        .len();
    let (mut seen, mut after, mut last_at) = (Vec::new(), None, None);
    loop {
        let page = store
            .decision_page(org, &Default::default(), 3, after)
            .await
            .unwrap();
        for id in &page.ids {
            let d = store
                .read(org, None)
                .await
                .unwrap()
                .movement
                .decision((*id).into())
                .unwrap()
                .decided_at();
            assert!(last_at.is_none_or(|l| d <= l), "newest first");
            last_at = Some(d);
        }
        seen.extend(page.ids);
        if !page.has_next {
            break;
        }
        after = page.end_cursor;
    }
    let unique: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!((seen.len(), unique.len()), (all, all));
}

/// The API reads pages without words from the order the search index keeps in memory, and goes
/// to the database only when a walk would be long. Both must give the same page for every
/// filter, page size and cursor (R11, R17: an outsider's page holds the published records only,
/// whichever path it took), and the memory must give up, not answer wrongly, past its budget.
async fn pages_read_from_memory_are_the_databases_pages(db: TestDb) {
    use governance_core::reading::ReadScope;
    use graphql_server::store::{DecisionCursor, DecisionFilter};
    let store = db.open().await;
    let org = store_demo(&store).await;
    let state = store.read(org, None).await.unwrap();
    let records = state.movement.decisions();
    let dates: Vec<_> = records.iter().map(|d| d.decided_at()).collect();
    let (oldest, newest) = (*dates.iter().min().unwrap(), *dates.iter().max().unwrap());
    let middle = oldest + (newest - oldest) / 2;
    let mut filters = Vec::new();
    for scope in [ReadScope::Everything, ReadScope::PublishedOnly] {
        let base = DecisionFilter {
            scope,
            ..Default::default()
        };
        filters.push(base.clone());
        for d in records.iter().step_by(records.len().div_ceil(5)) {
            filters.push(DecisionFilter {
                unit: Some(d.unit()),
                ..base.clone()
            });
            filters.push(DecisionFilter {
                domain: Some(d.domain().to_string()),
                ..base.clone()
            });
            filters.push(DecisionFilter {
                unit: Some(d.unit()),
                domain: Some(d.domain().to_string()),
                ..base.clone()
            });
        }
        filters.push(DecisionFilter {
            domain: Some("un domaine que personne ne tient".into()),
            ..base.clone()
        });
        filters.push(DecisionFilter {
            from: Some(middle),
            ..base.clone()
        });
        filters.push(DecisionFilter {
            until: Some(middle),
            ..base.clone()
        });
        filters.push(DecisionFilter {
            from: Some(dates[records.len() / 3]),
            until: Some(dates[2 * records.len() / 3]),
            ..base.clone()
        });
        filters.push(DecisionFilter {
            from: Some(newest),
            until: Some(oldest),
            ..base.clone()
        });
    }
    // Cursors where pages end, and cursors on no record at all (a record's date with an id
    // just below or above its own), as a hand-made `after` can be.
    let mut cursors = vec![None];
    for d in records.iter().step_by(records.len().div_ceil(10)) {
        let id = d.id().as_uuid();
        let at = d.decided_at();
        cursors.push(Some(DecisionCursor { decided_at: at, id }));
        let near =
            |delta: i128| uuid::Uuid::from_u128((id.as_u128() as i128).wrapping_add(delta) as u128);
        cursors.push(Some(DecisionCursor {
            decided_at: at,
            id: near(-1),
        }));
        cursors.push(Some(DecisionCursor {
            decided_at: at,
            id: near(1),
        }));
    }
    let mut compared = 0;
    for filter in &filters {
        for first in [0, 1, 3, 50] {
            for after in &cursors {
                let from_db = store
                    .decision_page(org, filter, first as u64, *after)
                    .await
                    .unwrap();
                let from_memory = state
                    .search
                    .newest_page(filter, first, *after, usize::MAX)
                    .expect("an unbounded walk always answers");
                assert_eq!(
                    (
                        &from_memory.ids,
                        from_memory.has_next,
                        from_memory.end_cursor
                    ),
                    (&from_db.ids, from_db.has_next, from_db.end_cursor),
                    "filter {filter:?}, first {first}, after {after:?}"
                );
                if filter.scope == ReadScope::PublishedOnly {
                    for id in &from_memory.ids {
                        let d = state.movement.decision((*id).into()).unwrap();
                        assert_eq!(d.visibility, Visibility::Published, "R17");
                    }
                }
                // Within a budget, the memory answers the same page or gives up.
                for budget in [1, 4] {
                    if let Some(p) = state.search.newest_page(filter, first, *after, budget) {
                        assert_eq!((&p.ids, p.has_next), (&from_db.ids, from_db.has_next));
                    }
                }
                compared += 1;
            }
        }
    }
    // A filter that keeps one record in many gives up within a small budget instead of walking.
    let rare = records
        .iter()
        .find(|d| records.iter().filter(|o| o.domain() == d.domain()).count() == 1)
        .expect("a domain decided once");
    let only_it = DecisionFilter {
        domain: Some(rare.domain().to_string()),
        ..Default::default()
    };
    let newer = records
        .iter()
        .filter(|d| (d.decided_at(), d.id().as_uuid()) > (rare.decided_at(), rare.id().as_uuid()))
        .count();
    assert!(newer >= 2, "the rare record is not among the newest");
    assert!(state.search.newest_page(&only_it, 10, None, 2).is_none());
    let found = state
        .search
        .newest_page(&only_it, 10, None, usize::MAX)
        .unwrap();
    assert_eq!(found.ids, vec![rare.id().as_uuid()]);
    println!("{:?}: {compared} pages compared", db.backend);
}

/// The bundled SQLite plans without looking at bound values (ADR 0014): sea-orm's `one()` binds
/// `LIMIT 1`, and a planner that reads a bound LIMIT prepares such a statement again on every
/// use (the head check of every read, a web session's look-up on every page). The flag comes
/// from `.cargo/config.toml`; this fails if a build loses it.
#[tokio::test]
async fn sqlite_plans_do_not_depend_on_bound_values_so_statements_are_prepared_once() {
    let db = TestDb::sqlite();
    let store = db.open().await;
    let conn = store.connection();
    let rows = conn
        .query_all_raw(sea_orm::Statement::from_string(
            conn.get_database_backend(),
            "PRAGMA compile_options",
        ))
        .await
        .unwrap();
    let options: Vec<String> = rows
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect();
    assert!(
        options.iter().any(|o| o == "ENABLE_QPSG"),
        "SQLite built without ENABLE_QPSG: {options:?}"
    );
}
