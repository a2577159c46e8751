//! Upgrades keep history (ADR 0005): a database written by the release before the meeting
//! model opens, replays and verifies; its events are judged by the rules they were recorded
//! under (rules v1), and every new event by the current rules (v2). The fixture
//! `tests/fixtures/rules-v1-demo.sqlite` was made by that release (`make-rules-v1-demo.sh`):
//! the demo, plus two group decisions v1 accepted and v2 refuses.

use crate::app::{TestApp, code};
use crate::helpers::TestDb;
use governance_core::{Decider, RulesVersion};
use serde_json::json;

const RECORD: &str = "mutation($input: RecordDecisionInput!) { recordDecision(input: $input) { decision { id } revision } }";

fn fixture() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules-v1-demo.sqlite")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r10_a_database_of_the_previous_release_replays_under_its_rules_and_new_events_under_the_new_ones()
 {
    let db = TestDb::sqlite_copy_of(&fixture());
    let store = db.open().await;
    let org = store.organizations().await.unwrap()[0].id;
    let verification = store.verify(org, None).await.unwrap();
    assert!(verification.is_intact(), "{verification:?}");
    let (agora, forged_participants, revision) = {
        let state = store.read(org, None).await.unwrap();
        let m = &state.movement;
        assert_eq!(
            m.rules(),
            RulesVersion::V1,
            "every stored event is of rules v1"
        );
        // Léo alone "as the Agora": accepted by the release that recorded it, and kept.
        let forged = m
            .decisions()
            .iter()
            .find(|d| d.title.as_str() == "Budget annuel adopté par l'Agora")
            .expect("the v1 decision replays");
        let participants = match &forged.decider {
            Decider::Body { participants, .. } => participants.clone(),
            other => panic!("a body decision, not {other:?}"),
        };
        (m.agora().unwrap(), participants, state.revision)
    };
    assert_eq!(forged_participants.len(), 1);
    assert!(revision >= 44);

    // The same request today is refused, and changes nothing. (The two tokens made for the
    // test are entries of the audit chain too: they move the revision, not the state.)
    let app = TestApp::over(db, store, org, &["Léo", "Awa"]).await;
    let revision = app.gql(Some("Awa"), "{ revision }", json!({})).await["data"]["revision"]
        .as_i64()
        .unwrap();
    let again = app
        .gql(Some("Léo"), RECORD, json!({"input": {"unitId": agora.as_uuid(), "domain": "budget annuel", "title": "Budget annuel adopté par l'Agora", "participantIds": [forged_participants[0].as_uuid()]}}))
        .await;
    assert_eq!(code(&again), "MEETING_REQUIRED", "{again}");
    let unchanged = app.gql(Some("Awa"), "{ revision }", json!({})).await;
    assert_eq!(unchanged["data"]["revision"], revision, "{unchanged}");

    // An honest v2 event lands after the v1 ones; the log then replays from scratch, each
    // event under its own rules, and still verifies.
    let coordination = app
        .gql(Some("Awa"), "{ units { id name } }", json!({}))
        .await["data"]["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "Coordination")
        .unwrap()["id"]
        .clone();
    let starts = chrono::Utc::now() + chrono::Duration::days(3);
    let convened = app
        .gql(Some("Awa"), "mutation($u: UUID!, $s: DateTime!, $e: DateTime!) { conveneMeeting(input: {kind: {unit: $u}, startsAt: $s, endsAt: $e, place: \"Local\"}) { meeting { id } revision } }",
            json!({"u": coordination, "s": starts.to_rfc3339(), "e": (starts + chrono::Duration::hours(2)).to_rfc3339()}))
        .await;
    assert_eq!(code(&convened), "OK", "{convened}");
    let reopened = app.db.open().await;
    let state = reopened.read(org, None).await.unwrap();
    assert_eq!(state.movement.rules(), RulesVersion::V2);
    assert_eq!(state.revision, revision + 1);
    assert!(reopened.verify(org, None).await.unwrap().is_intact());
}
