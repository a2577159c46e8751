//! The migrations against real databases: every scenario runs on a fresh SQLite file, and on a
//! fresh PostgreSQL database when `TEST_DATABASE_URL` is set (for example
//! `postgres://postgres@127.0.0.1:5432/test`); without it the PostgreSQL half says it was
//! skipped.

use migrations::Migrator;
use sea_orm_migration::MigratorTrait;
use sea_orm_migration::sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement,
};
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Declares, for each scenario, one test per backend running that same scenario.
macro_rules! on_both_backends {
    ($($sqlite:ident, $postgres:ident => $scenario:ident;)*) => {$(
        #[tokio::test]
        async fn $sqlite() {
            on_sqlite($scenario).await;
        }

        #[tokio::test]
        async fn $postgres() {
            on_postgres($scenario).await;
        }
    )*};
}

// ---------------------------------------------------------------------------------------------
// Scenarios: each takes a connection to an empty database and is shared by both backends.

on_both_backends! {
    up_then_status_shows_every_migration_applied_on_sqlite,
    up_then_status_shows_every_migration_applied_on_postgres
        => up_then_status_shows_every_migration_applied;
    down_all_the_way_then_up_again_restores_the_schema_on_sqlite,
    down_all_the_way_then_up_again_restores_the_schema_on_postgres
        => down_all_the_way_then_up_again_restores_the_schema;
    fresh_rebuilds_an_empty_guarded_schema_on_sqlite,
    fresh_rebuilds_an_empty_guarded_schema_on_postgres
        => fresh_rebuilds_an_empty_guarded_schema;
    every_table_accepts_a_row_that_satisfies_its_foreign_keys_on_sqlite,
    every_table_accepts_a_row_that_satisfies_its_foreign_keys_on_postgres
        => every_table_accepts_a_row_that_satisfies_its_foreign_keys;
    append_only_decisions_reject_update_on_sqlite,
    append_only_decisions_reject_update_on_postgres
        => append_only_decisions_reject_update;
    append_only_decisions_reject_delete_on_sqlite,
    append_only_decisions_reject_delete_on_postgres
        => append_only_decisions_reject_delete;
    append_only_audit_entries_reject_update_on_sqlite,
    append_only_audit_entries_reject_update_on_postgres
        => append_only_audit_entries_reject_update;
    append_only_audit_entries_reject_delete_on_sqlite,
    append_only_audit_entries_reject_delete_on_postgres
        => append_only_audit_entries_reject_delete;
    every_append_only_table_rejects_update_and_delete_on_sqlite,
    every_append_only_table_rejects_update_and_delete_on_postgres
        => every_append_only_table_rejects_update_and_delete;
    projection_tables_stay_updatable_on_sqlite,
    projection_tables_stay_updatable_on_postgres
        => projection_tables_stay_updatable;
    rolling_back_the_trigger_migration_lifts_the_guard_on_sqlite,
    rolling_back_the_trigger_migration_lifts_the_guard_on_postgres
        => rolling_back_the_trigger_migration_lifts_the_guard;
    decision_seq_audit_revision_and_email_are_unique_per_organization_on_sqlite,
    decision_seq_audit_revision_and_email_are_unique_per_organization_on_postgres
        => decision_seq_audit_revision_and_email_are_unique_per_organization;
    slug_backfill_names_stored_movements_in_creation_order_on_sqlite,
    slug_backfill_names_stored_movements_in_creation_order_on_postgres
        => slug_backfill_names_stored_movements_in_creation_order;
    two_movements_cannot_share_a_slug_on_sqlite,
    two_movements_cannot_share_a_slug_on_postgres
        => two_movements_cannot_share_a_slug;
    rolling_back_the_slug_migration_removes_the_column_on_sqlite,
    rolling_back_the_slug_migration_removes_the_column_on_postgres
        => rolling_back_the_slug_migration_removes_the_column;
}

/// Every table the migrations create, sorted, without the migrator's own bookkeeping table.
const TABLES: [&str; 25] = [
    "account_reports",
    "api_tokens",
    "audit_entries",
    "calendar_keys",
    "consultations",
    "decision_effects",
    "decision_links",
    "decision_participants",
    "decision_reads",
    "decisions",
    "mail_preferences",
    "mandates",
    "meeting_attendees",
    "meetings",
    "members",
    "organizations",
    "outbox",
    "settings_versions",
    "signin_links",
    "tension_events",
    "tensions",
    "unit_domain_versions",
    "units",
    "web_sessions",
    "webhooks",
];

/// The tables the triggers guard, as the charter requires (R12) and the audit trail needs.
const APPEND_ONLY: [&str; 7] = [
    "decisions",
    "consultations",
    "decision_participants",
    "decision_links",
    "decision_effects",
    "tension_events",
    "audit_entries",
];

const MIGRATIONS_TABLE: &str = "seaql_migrations";

async fn up_then_status_shows_every_migration_applied(db: DatabaseConnection) {
    Migrator::up(&db, None).await.expect("up");
    Migrator::status(&db).await.expect("status");

    let expected: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    assert_eq!(applied_names(&db).await, expected);
    assert!(
        Migrator::get_pending_migrations(&db)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(user_tables(&db).await, TABLES);
}

async fn down_all_the_way_then_up_again_restores_the_schema(db: DatabaseConnection) {
    Migrator::up(&db, None).await.expect("up");
    seed(&db).await;

    Migrator::down(&db, None)
        .await
        .expect("down, with rows in every table");
    assert!(user_tables(&db).await.is_empty(), "down leaves no table");
    assert!(applied_names(&db).await.is_empty());
    assert_eq!(
        Migrator::get_pending_migrations(&db).await.unwrap().len(),
        Migrator::migrations().len()
    );

    Migrator::up(&db, None).await.expect("up again");
    assert_eq!(user_tables(&db).await, TABLES);
    seed(&db).await;
    assert_rejected(&db, "decisions", "UPDATE decisions SET title = 'x'").await;
}

async fn fresh_rebuilds_an_empty_guarded_schema(db: DatabaseConnection) {
    Migrator::up(&db, None).await.expect("up");
    seed(&db).await;

    Migrator::fresh(&db).await.expect("fresh");
    assert_eq!(user_tables(&db).await, TABLES);
    assert_eq!(applied_names(&db).await.len(), Migrator::migrations().len());
    assert_eq!(count(&db, "decisions").await, 0);

    seed(&db).await;
    assert_rejected(&db, "audit_entries", "DELETE FROM audit_entries").await;
}

async fn every_table_accepts_a_row_that_satisfies_its_foreign_keys(db: DatabaseConnection) {
    Migrator::up(&db, None).await.expect("up");
    seed(&db).await;

    for table in TABLES {
        let expected = if table == "decisions" { 2 } else { 1 };
        assert_eq!(count(&db, table).await, expected, "rows in {table}");
    }
}

async fn append_only_decisions_reject_update(db: DatabaseConnection) {
    Migrator::up(&db, None).await.expect("up");
    seed(&db).await;

    let sql = format!("UPDATE decisions SET title = 'rewritten' WHERE id = '{FOUNDING}'");
    assert_rejected(&db, "decisions", &sql).await;
    let query = format!("SELECT title FROM decisions WHERE id = '{FOUNDING}'");
    assert_eq!(scalar_text(&db, &query).await, "Fondation du mouvement");
}

async fn append_only_decisions_reject_delete(db: DatabaseConnection) {
    Migrator::up(&db, None).await.expect("up");
    seed(&db).await;

    let sql = format!("DELETE FROM decisions WHERE id = '{AMENDMENT}'");
    assert_rejected(&db, "decisions", &sql).await;
    assert_eq!(count(&db, "decisions").await, 2);
}

async fn append_only_audit_entries_reject_update(db: DatabaseConnection) {
    Migrator::up(&db, None).await.expect("up");
    seed(&db).await;

    let sql = "UPDATE audit_entries SET reason = 'covering tracks', hash = 'ff'";
    assert_rejected(&db, "audit_entries", sql).await;
    let hash = scalar_text(&db, "SELECT hash FROM audit_entries").await;
    assert_eq!(hash, AUDIT_HASH);
}

async fn append_only_audit_entries_reject_delete(db: DatabaseConnection) {
    Migrator::up(&db, None).await.expect("up");
    seed(&db).await;

    assert_rejected(&db, "audit_entries", "DELETE FROM audit_entries").await;
    assert_eq!(count(&db, "audit_entries").await, 1);
}

async fn every_append_only_table_rejects_update_and_delete(db: DatabaseConnection) {
    Migrator::up(&db, None).await.expect("up");
    seed(&db).await;

    for table in APPEND_ONLY {
        let before = count(&db, table).await;
        let update = format!("UPDATE {table} SET organization_id = organization_id");
        assert_rejected(&db, table, &update).await;
        assert_rejected(&db, table, &format!("DELETE FROM {table}")).await;
        assert_eq!(count(&db, table).await, before, "rows in {table}");
    }
}

async fn projection_tables_stay_updatable(db: DatabaseConnection) {
    Migrator::up(&db, None).await.expect("up");
    seed(&db).await;

    for sql in [
        format!("UPDATE mandates SET committed_at = '{LATER}'"),
        format!("UPDATE members SET left_at = '{LATER}', left_by = '{AMENDMENT}'"),
        format!("UPDATE units SET archived_at = '{LATER}', archived_by = '{AMENDMENT}'"),
        format!("UPDATE api_tokens SET revoked_at = '{LATER}'"),
        "DELETE FROM decision_reads".to_owned(),
    ] {
        db.execute_unprepared(&sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

async fn rolling_back_the_trigger_migration_lifts_the_guard(db: DatabaseConnection) {
    Migrator::up(&db, None).await.expect("up");
    seed(&db).await;

    // Roll back the trigger migration and every migration after it.
    let names: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let position = names
        .iter()
        .position(|n| n.contains("create_append_only_triggers"))
        .expect("the trigger migration exists");
    let steps = (names.len() - position) as u32;
    Migrator::down(&db, Some(steps))
        .await
        .expect("down to before the triggers");
    db.execute_unprepared("UPDATE audit_entries SET reason = 'unguarded'")
        .await
        .expect("update without triggers");
    db.execute_unprepared("DELETE FROM tension_events")
        .await
        .expect("delete without triggers");

    Migrator::up(&db, None).await.expect("up again");
    assert_rejected(&db, "audit_entries", "DELETE FROM audit_entries").await;
}

async fn decision_seq_audit_revision_and_email_are_unique_per_organization(db: DatabaseConnection) {
    Migrator::up(&db, None).await.expect("up");
    seed(&db).await;

    let same_seq = decision_row(THIRD, 1, None);
    let err = db
        .execute_unprepared(&same_seq)
        .await
        .expect_err("seq 1 is taken");
    assert_unique_violation(&err);
    let same_revision = audit_row(SECOND_AUDIT, ORG, 1);
    let err = db
        .execute_unprepared(&same_revision)
        .await
        .expect_err("revision 1 is taken");
    assert_unique_violation(&err);
    let same_email = member_row(SECOND_MEMBER, ORG, "alice@example.org");
    let err = db
        .execute_unprepared(&same_email)
        .await
        .expect_err("address is taken");
    assert_unique_violation(&err);

    // Another movement numbers its own log and may admit the same person.
    db.execute_unprepared(&format!(
        "INSERT INTO organizations (id, name, slug, created_at) \
         VALUES ('{OTHER_ORG}', 'Autre', 'autre', '{T0}')"
    ))
    .await
    .expect("second organization");
    db.execute_unprepared(&audit_row(SECOND_AUDIT, OTHER_ORG, 1))
        .await
        .expect("revision 1 of another movement");
    db.execute_unprepared(&member_row(SECOND_MEMBER, OTHER_ORG, "alice@example.org"))
        .await
        .expect("same address in another movement");
}

async fn slug_backfill_names_stored_movements_in_creation_order(db: DatabaseConnection) {
    let before = migrations_before("add_organizations_slug");
    Migrator::up(&db, Some(before))
        .await
        .expect("up to before the slugs");
    // Written in another order than founded: the older movement gets the plain slug.
    let movements = [
        ("101", "Collectif Vélo", "2026-11-21T10:00:02Z"),
        ("102", "Collectif vélo !", "2026-11-21T10:00:01Z"),
        ("103", "GraphQL", "2026-11-21T10:00:03Z"),
        ("104", "Œuvre & Cœur — Lyon", "2026-11-21T10:00:04Z"),
        ("105", "Mouvement", "2026-11-21T10:00:05Z"),
    ];
    for (n, name, at) in movements {
        db.execute_unprepared(&format!(
            "INSERT INTO organizations (id, name, created_at) \
             VALUES ('00000000-0000-7000-8000-000000000{n}', '{name}', '{at}')"
        ))
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    }

    Migrator::up(&db, None)
        .await
        .expect("up, with the slug backfill");
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT name, slug FROM organizations ORDER BY created_at",
        ))
        .await
        .expect("read the slugs");
    let slugs: Vec<(String, String)> = rows
        .iter()
        .map(|row| {
            let name = row.try_get::<String>("", "name").expect("name");
            let slug = row.try_get::<String>("", "slug").expect("a slug, not NULL");
            (name, slug)
        })
        .collect();
    let expected = [
        ("Collectif vélo !", "collectif-velo"),
        ("Collectif Vélo", "collectif-velo-2"),
        ("GraphQL", "mouvement"),
        ("Œuvre & Cœur — Lyon", "oeuvre-coeur-lyon"),
        ("Mouvement", "mouvement-2"),
    ]
    .map(|(name, slug)| (name.to_owned(), slug.to_owned()));
    assert_eq!(slugs, expected);
}

async fn two_movements_cannot_share_a_slug(db: DatabaseConnection) {
    Migrator::up(&db, None).await.expect("up");
    seed(&db).await;

    let err = db
        .execute_unprepared(&format!(
            "INSERT INTO organizations (id, name, slug, created_at) \
             VALUES ('{OTHER_ORG}', 'Collectif Vélo bis', 'collectif-velo', '{T0}')"
        ))
        .await
        .expect_err("the slug is taken");
    assert_unique_violation(&err);
    assert_eq!(count(&db, "organizations").await, 1);
}

async fn rolling_back_the_slug_migration_removes_the_column(db: DatabaseConnection) {
    Migrator::up(&db, None).await.expect("up");
    seed(&db).await;

    let after = Migrator::migrations().len() as u32 - migrations_before("add_organizations_slug");
    Migrator::down(&db, Some(after))
        .await
        .expect("down to before the slugs");
    assert!(
        db.execute_unprepared("UPDATE organizations SET slug = 'x'")
            .await
            .is_err(),
        "no slug column any more"
    );

    Migrator::up(&db, None).await.expect("up again");
    let slug = scalar_text(
        &db,
        &format!("SELECT slug FROM organizations WHERE id = '{ORG}'"),
    )
    .await;
    assert_eq!(slug, "collectif-velo", "derived again from the name");
}

/// How many migrations come before the one whose name contains `part`.
fn migrations_before(part: &str) -> u32 {
    Migrator::migrations()
        .iter()
        .position(|m| m.name().contains(part))
        .unwrap_or_else(|| panic!("no migration named like {part}")) as u32
}

// ---------------------------------------------------------------------------------------------
// Fixture: one row in every table, written in an order the foreign keys accept.

const ORG: &str = "00000000-0000-7000-8000-000000000001";
const OTHER_ORG: &str = "00000000-0000-7000-8000-000000000002";
const AGORA: &str = "00000000-0000-7000-8000-000000000010";
const ALICE: &str = "00000000-0000-7000-8000-000000000020";
const SECOND_MEMBER: &str = "00000000-0000-7000-8000-000000000021";
const FOUNDING: &str = "00000000-0000-7000-8000-000000000030";
const AMENDMENT: &str = "00000000-0000-7000-8000-000000000031";
const THIRD: &str = "00000000-0000-7000-8000-000000000032";
const DOMAINS: &str = "00000000-0000-7000-8000-000000000040";
const MANDATE: &str = "00000000-0000-7000-8000-000000000050";
const MEETING: &str = "00000000-0000-7000-8000-000000000060";
const TENSION: &str = "00000000-0000-7000-8000-000000000070";
const TENSION_EVENT: &str = "00000000-0000-7000-8000-000000000071";
const SETTINGS: &str = "00000000-0000-7000-8000-000000000080";
const REPORT: &str = "00000000-0000-7000-8000-000000000090";
const AUDIT: &str = "00000000-0000-7000-8000-0000000000a0";
const SECOND_AUDIT: &str = "00000000-0000-7000-8000-0000000000a1";
const TOKEN: &str = "00000000-0000-7000-8000-0000000000b0";
const T0: &str = "2026-11-21T10:00:00.123456Z";
const LATER: &str = "2027-01-01T00:00:00Z";
const AUDIT_HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

async fn seed(db: &DatabaseConnection) {
    let statements = [
        format!(
            "INSERT INTO organizations (id, name, slug, created_at) \
             VALUES ('{ORG}', 'Collectif Vélo', 'collectif-velo', '{T0}')"
        ),
        // The Agora is written before the founding decision recorded in it.
        format!(
            "INSERT INTO units (id, organization_id, name, kind, parent_id, created_at, \
             created_by) VALUES ('{AGORA}', '{ORG}', 'Agora', 'agora', NULL, '{T0}', '{FOUNDING}')"
        ),
        member_row(ALICE, ORG, "alice@example.org"),
        format!(
            "INSERT INTO unit_domain_versions (id, organization_id, unit_id, effective_at, \
             domains) VALUES ('{DOMAINS}', '{ORG}', '{AGORA}', '{T0}', '[\"charte\"]')"
        ),
        format!(
            "INSERT INTO mandates (id, organization_id, holder_id, unit_id, scope, role, \
             starts_at, ends_at, assigned_by, assigned_at, committed_at, revoked_at, revoked_by, \
             renews_id) VALUES ('{MANDATE}', '{ORG}', '{ALICE}', '{AGORA}', NULL, 'referent', \
             '{T0}', '{LATER}', '{FOUNDING}', '{T0}', NULL, NULL, NULL, NULL)"
        ),
        format!(
            "INSERT INTO meetings (id, organization_id, kind, unit_id, held_at, scheduled_at) \
             VALUES ('{MEETING}', '{ORG}', 'agora', NULL, '{T0}', '{T0}')"
        ),
        format!(
            "INSERT INTO meeting_attendees (organization_id, meeting_id, member_id) \
             VALUES ('{ORG}', '{MEETING}', '{ALICE}')"
        ),
        format!(
            "INSERT INTO tensions (id, organization_id, raised_by, raised_at, subject_kind, \
             subject_unit_id, subject_role, subject_rule, space_kind, space_unit_id, title, \
             description) VALUES ('{TENSION}', '{ORG}', '{ALICE}', '{T0}', 'rule', NULL, NULL, \
             'cadence des réunions', 'fonctionnement', NULL, 'Trop de réunions', 'Tous les mois')"
        ),
        format!(
            "INSERT INTO decisions (id, organization_id, seq, revision, unit_id, domain, title, \
             statement, rationale, decided_at, effective_from, effective_until, decider_kind, \
             mandate_id, meeting_id, impact, visibility, tension_id, prev_hash, hash, payload) \
             VALUES ('{FOUNDING}', '{ORG}', 1, 1, '{AGORA}', 'charte', \
             'Fondation du mouvement', 'Le mouvement est fondé.', 'Il fallait commencer.', \
             '{T0}', NULL, NULL, 'body', NULL, '{MEETING}', '\"movement_wide\"', 'members', \
             NULL, NULL, 'aa', '{{}}')"
        ),
        decision_row(AMENDMENT, 2, Some(MANDATE)),
        format!(
            "INSERT INTO settings_versions (id, organization_id, effective_at, adopted_by, \
             settings) VALUES ('{SETTINGS}', '{ORG}', '{T0}', '{FOUNDING}', '{{}}')"
        ),
        format!(
            "INSERT INTO consultations (organization_id, decision_id, position, member_id, \
             consulted_at, stance, said) \
             VALUES ('{ORG}', '{AMENDMENT}', 0, '{ALICE}', '{T0}', 'support', 'D''accord')"
        ),
        format!(
            "INSERT INTO decision_participants (organization_id, decision_id, member_id) \
             VALUES ('{ORG}', '{FOUNDING}', '{ALICE}')"
        ),
        format!(
            "INSERT INTO decision_links (organization_id, decision_id, kind, target_id) \
             VALUES ('{ORG}', '{AMENDMENT}', 'amends', '{FOUNDING}')"
        ),
        format!(
            "INSERT INTO decision_effects (organization_id, decision_id, position, kind, payload) \
             VALUES ('{ORG}', '{FOUNDING}', 0, 'create_unit', '{{}}')"
        ),
        format!(
            "INSERT INTO tension_events (id, organization_id, tension_id, at, status, actor_id, \
             meeting_id, outcome, decisions) VALUES ('{TENSION_EVENT}', '{ORG}', '{TENSION}', \
             '{T0}', 'processed', '{ALICE}', '{MEETING}', 'Réglé', '[\"{AMENDMENT}\"]')"
        ),
        format!(
            "INSERT INTO account_reports (id, organization_id, mandate_id, author_id, \
             covers_from, covers_until, submitted_at, summary) VALUES ('{REPORT}', '{ORG}', \
             '{MANDATE}', '{ALICE}', '{T0}', '{LATER}', '{LATER}', 'Tout va bien')"
        ),
        audit_row(AUDIT, ORG, 1),
        format!(
            "INSERT INTO api_tokens (id, organization_id, member_id, token_hash, created_at, \
             revoked_at, label) VALUES ('{TOKEN}', '{ORG}', '{ALICE}', 'cafe', '{T0}', NULL, \
             'portable')"
        ),
        format!(
            "INSERT INTO decision_reads (organization_id, member_id, decision_id, read_at) \
             VALUES ('{ORG}', '{ALICE}', '{FOUNDING}', '{LATER}')"
        ),
        format!(
            "INSERT INTO signin_links (token_hash, organization_id, member_id, created_at, \
             expires_at, used_at) VALUES ('beef', '{ORG}', '{ALICE}', '{T0}', '{LATER}', NULL)"
        ),
        format!(
            "INSERT INTO web_sessions (token_hash, organization_id, member_id, csrf, created_at, \
             last_seen_at, revoked_at) VALUES ('f00d', '{ORG}', '{ALICE}', 'c5', '{T0}', '{T0}', \
             NULL)"
        ),
        format!(
            "INSERT INTO outbox (id, organization_id, idempotency_key, channel, recipient, \
             member_id, webhook_id, subject, body, status, attempts, next_attempt_at, \
             lease_until, last_error, created_at, sent_at) VALUES ('{TOKEN}', '{ORG}', \
             'k1', 'mail', 'alice@example.org', '{ALICE}', NULL, 'Objet', 'Texte', 'pending', \
             0, '{T0}', NULL, NULL, '{T0}', NULL)"
        ),
        format!(
            "INSERT INTO mail_preferences (organization_id, member_id, cadence, reminders, \
             followed_units, unsubscribe_key, last_digest_at, updated_at) VALUES ('{ORG}', \
             '{ALICE}', 'weekly', TRUE, NULL, 'u1', NULL, '{T0}')"
        ),
        format!(
            "INSERT INTO webhooks (id, organization_id, url, secret, public, events, created_by, \
             created_at, disabled_at) VALUES ('{TOKEN}', '{ORG}', 'https://hooks.example/x', \
             's3', TRUE, 'decision.recorded', '{ALICE}', '{T0}', NULL)"
        ),
        format!(
            "INSERT INTO calendar_keys (organization_id, member_id, key_hash, created_at) \
             VALUES ('{ORG}', '{ALICE}', 'ca1e', '{T0}')"
        ),
    ];
    for sql in statements {
        db.execute_unprepared(&sql)
            .await
            .unwrap_or_else(|e| panic!("seeding failed on `{sql}`: {e}"));
    }
}

fn member_row(id: &str, org: &str, email: &str) -> String {
    format!(
        "INSERT INTO members (id, organization_id, name, email, joined_at, admitted_by, left_at, \
         left_by) VALUES ('{id}', '{org}', 'Alice', '{email}', '{T0}', '{FOUNDING}', NULL, NULL)"
    )
}

fn decision_row(id: &str, seq: i64, mandate: Option<&str>) -> String {
    let mandate = mandate.map_or("NULL".to_owned(), |m| format!("'{m}'"));
    format!(
        "INSERT INTO decisions (id, organization_id, seq, revision, unit_id, domain, title, \
         statement, rationale, decided_at, effective_from, effective_until, decider_kind, \
         mandate_id, meeting_id, impact, visibility, tension_id, prev_hash, hash, payload) \
         VALUES ('{id}', '{ORG}', {seq}, {seq}, '{AGORA}', 'charte', 'Amendement', 'Texte.', \
         'Raison.', '{LATER}', '{LATER}', NULL, 'holder', {mandate}, NULL, '\"this_unit\"', \
         'published', '{TENSION}', 'aa', 'bb', '{{}}')"
    )
}

fn audit_row(id: &str, org: &str, revision: i64) -> String {
    format!(
        "INSERT INTO audit_entries (id, organization_id, revision, at, actor_id, action, subject, \
         reason, payload, prev_hash, hash) VALUES ('{id}', '{org}', {revision}, '{T0}', NULL, \
         'decision', 'decision:{FOUNDING}', NULL, '{{}}', NULL, '{AUDIT_HASH}')"
    )
}

// ---------------------------------------------------------------------------------------------
// Assertions and queries.

async fn assert_rejected(db: &DatabaseConnection, table: &str, sql: &str) {
    let err = db
        .execute_unprepared(sql)
        .await
        .expect_err(&format!("`{sql}` should be rejected"));
    let expected = format!("append-only: {table}");
    assert!(
        err.to_string().contains(&expected),
        "`{sql}` failed with `{err}`, not with `{expected}`"
    );
}

fn assert_unique_violation(err: &DbErr) {
    let text = err.to_string().to_lowercase();
    assert!(
        text.contains("unique") || text.contains("duplicate key"),
        "expected a unique violation, got `{err}`"
    );
}

async fn applied_names(db: &DatabaseConnection) -> Vec<String> {
    Migrator::get_applied_migrations(db)
        .await
        .expect("applied migrations")
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}

/// The tables in the database, sorted, leaving out the migrator's own.
async fn user_tables(db: &DatabaseConnection) -> Vec<String> {
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        DbBackend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()"
        }
        other => panic!("no test support for {other:?}"),
    };
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("list tables");
    let mut names: Vec<String> = rows
        .iter()
        .map(|row| row.try_get::<String>("", "name").expect("table name"))
        .filter(|name| name != MIGRATIONS_TABLE)
        .collect();
    names.sort();
    names
}

async fn count(db: &DatabaseConnection, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) AS n FROM {table}");
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("count")
        .expect("one row");
    row.try_get("", "n").expect("count as integer")
}

async fn scalar_text(db: &DatabaseConnection, sql: &str) -> String {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("query")
        .expect("one row");
    row.try_get_by_index(0).expect("text")
}

// ---------------------------------------------------------------------------------------------
// Harness: a fresh database per test, removed afterwards even when the scenario panics.

async fn on_sqlite<F, Fut>(scenario: F)
where
    F: FnOnce(DatabaseConnection) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let path = std::env::temp_dir().join(format!("gouvernail-migrations-{}.db", unique_suffix()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = Database::connect(&url).await.expect("open SQLite file");
    let outcome = tokio::spawn(scenario(db)).await;
    for extra in ["", "-wal", "-shm", "-journal"] {
        let mut file = path.clone().into_os_string();
        file.push(extra);
        let _ = std::fs::remove_file(file);
    }
    resume(outcome);
}

async fn on_postgres<F, Fut>(scenario: F)
where
    F: FnOnce(DatabaseConnection) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(url) = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
    else {
        println!("TEST_DATABASE_URL is not set: PostgreSQL test skipped");
        return;
    };
    let admin = Database::connect(&url)
        .await
        .expect("connect to TEST_DATABASE_URL");
    let name = format!("gouvernail_migrations_{}", unique_suffix());
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create test database");
    let db = Database::connect(&with_database(&url, &name))
        .await
        .expect("connect to test database");
    let outcome = tokio::spawn(scenario(db)).await;
    admin
        .execute_unprepared(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .await
        .expect("drop test database");
    let _ = admin.close().await;
    resume(outcome);
}

fn resume(outcome: Result<(), tokio::task::JoinError>) {
    if let Err(err) = outcome {
        match err.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(err) => panic!("scenario did not finish: {err}"),
        }
    }
}

/// `url` with its database name replaced by `name`, keeping any query string.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let server = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

fn unique_suffix() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{}_{nanos}_{n}", std::process::id())
}
