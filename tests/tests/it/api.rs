//! The API end to end, over HTTP against a real server, on SQLite and on PostgreSQL: a movement
//! is founded, mandates are assigned by decision, holders commit and decide, refusals come with
//! the right codes, a tension goes through its life, a member catches up, and an outsider sees
//! only what was published. Then the limits, each with the code it answers.

use crate::app::{TestApp, code};
use crate::helpers::{TestDb, on_both_backends};
use graphql_server::http::HttpLimits;
use serde_json::{Value, json};

on_both_backends!(
    a_movement_lives_through_the_api_and_every_refusal_has_its_code,
    r11_mark_read_up_to_the_last_decision_shown_leaves_later_ones_unread,
);

const RECORD: &str = "mutation($input: RecordDecisionInput!) { recordDecision(input: $input) { revision decision { id title decidedBy } } }";

fn data<'a>(v: &'a Value, path: &str) -> &'a Value {
    let mut cur = &v["data"];
    for p in path.split('.') {
        cur = &cur[p];
    }
    assert!(!cur.is_null(), "no {path} in {v}");
    cur
}

fn in_days(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days)).to_rfc3339()
}

async fn a_movement_lives_through_the_api_and_every_refusal_has_its_code(db: TestDb) {
    // 1. Found a movement.
    let app = TestApp::founded(
        db,
        &[
            "Awa Diallo <awa@canal.example>",
            "Chloé Martin <chloe@canal.example>",
            "Bruno Lefèvre <bruno@canal.example>",
            "Léo Garnier <leo@canal.example>",
        ],
        &["awa@canal.example"],
    )
    .await;
    let ids = app.ids("Léo").await;
    let coordination = ids.unit("Coordination").to_owned();
    let awa_mandate = ids.mandate("Awa@Coordination").to_owned();
    // Before her commitment, Awa's mandate grants nothing (R4).
    let early = app
        .gql(Some("Awa"), RECORD, json!({"input": {"unitId": coordination, "domain": "budget", "title": "Ouverture d'un compte"}}))
        .await;
    assert_eq!(code(&early), "NOT_COMMITTED", "{early}");
    let c = app.gql(Some("Awa"), "mutation($m: UUID!) { commitToMandate(mandateId: $m) { revision mandate { committedAt } } }", json!({"m": awa_mandate})).await;
    assert_eq!(code(&c), "OK", "{c}");

    // 2. Assign mandates by decision: a Pôle is created, then mandates in it (R6).
    let created = app
        .gql(
            Some("Awa"),
            RECORD,
            json!({"input": {"unitId": coordination, "domain": "structure", "title": "Création du Pôle Mobilisation",
                "effects": [{"createUnit": {"name": "Pôle Mobilisation", "kind": "POLE", "parentId": coordination, "domains": ["actions", "événements"]}}]}}),
        )
        .await;
    assert_eq!(code(&created), "OK", "{created}");
    let ids = app.ids("Léo").await;
    let pole = ids.unit("Pôle Mobilisation").to_owned();
    let assigned = app
        .gql(
            Some("Awa"),
            RECORD,
            json!({"input": {"unitId": coordination, "domain": "mandats", "title": "Mandats du Pôle Mobilisation",
                "effects": [
                    {"assignMandate": {"holderId": ids.member("Chloé"), "unitId": pole, "role": "REFERENT", "endsAt": in_days(300)}},
                    {"assignMandate": {"holderId": ids.member("Léo"), "unitId": pole, "domains": ["événements"], "role": "HOLDER", "endsAt": in_days(300)}},
                    {"assignMandate": {"holderId": ids.member("Bruno"), "unitId": pole, "domains": ["actions"], "role": "HOLDER", "endsAt": (chrono::Utc::now() + chrono::Duration::seconds(3)).to_rfc3339()}}
                ]}}),
        )
        .await;
    assert_eq!(code(&assigned), "OK", "{assigned}");
    let ids = app.ids("Léo").await;

    // 3. Holders commit (R4).
    for who in ["Chloé", "Bruno"] {
        let m = ids.mandate(&format!("{who}@Pôle Mobilisation")).to_owned();
        let c = app
            .gql(
                Some(who),
                "mutation($m: UUID!) { commitToMandate(mandateId: $m) { revision } }",
                json!({"m": m}),
            )
            .await;
        assert_eq!(code(&c), "OK", "{c}");
    }
    // Nobody commits in someone else's name.
    let not_mine = app
        .gql(
            Some("Awa"),
            "mutation($m: UUID!) { commitToMandate(mandateId: $m) { revision } }",
            json!({"m": ids.mandate("Léo@Pôle Mobilisation")}),
        )
        .await;
    assert_eq!(code(&not_mine), "OUT_OF_SCOPE", "{not_mine}");

    // The rules change by decision: `actions` now needs one consultation (R19).
    let settings = json!({"maxMandateMonths": 12, "requiredConsultations": [{"domain": "actions", "count": 1}], "movementWideGoesTo": "COORDINATION",
        "agoraDomains": ["charte"], "accountReportEveryMonths": 3, "fonctionnementEveryMonths": 2, "mandateAssigner": "ANCESTOR",
        "mandatesDomain": "mandats", "structureDomain": "structure", "rulesDomain": "règles"});
    let rules = app
        .gql(Some("Awa"), RECORD, json!({"input": {"unitId": coordination, "domain": "règles", "title": "Consulter avant une action", "effects": [{"changeSettings": settings}]}}))
        .await;
    // R19, R10: one person never changes the rules, not even the Coordination's referent.
    assert_eq!(code(&rules), "MEETING_REQUIRED", "{rules}");

    // 4. The holder decides within scope after consulting (R8).
    let decided = app
        .gql(
            Some("Chloé"),
            RECORD,
            json!({"input": {"unitId": pole, "domain": "actions", "title": "Distribution de tracts samedi",
                "consultations": [{"memberId": ids.member("Léo"), "consultedAt": in_days(0), "stance": "SUPPORT", "said": "Je viens."}]}}),
        )
        .await;
    assert_eq!(code(&decided), "OK", "{decided}");
    assert_eq!(
        data(&decided, "recordDecision.decision.decidedBy")[0],
        "Chloé Martin"
    );
    let revision = data(&decided, "recordDecision.revision").as_i64().unwrap();
    let tracts = data(&decided, "recordDecision.decision.id")
        .as_str()
        .unwrap()
        .to_owned();
    // A read at that revision sees it.
    let fresh = app.gql(Some("Léo"), "query($r: Int!, $id: UUID!) { decision(id: $id, atLeastRevision: $r) { title consultations { memberName stance said } } }", json!({"r": revision, "id": tracts})).await;
    assert_eq!(
        data(&fresh, "decision.consultations")[0]["stance"],
        "SUPPORT"
    );

    // 5. Refusals, each with its code.
    let out_of_scope = app.gql(Some("Chloé"), RECORD, json!({"input": {"unitId": coordination, "domain": "budget", "title": "Nouveau budget"}})).await;
    assert_eq!(code(&out_of_scope), "OUT_OF_SCOPE", "{out_of_scope}");
    assert!(
        !out_of_scope["errors"][0]["extensions"]["escalateTo"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let uncommitted = app
        .gql(
            Some("Léo"),
            RECORD,
            json!({"input": {"unitId": pole, "domain": "événements", "title": "Fête"}}),
        )
        .await;
    assert_eq!(code(&uncommitted), "NOT_COMMITTED", "{uncommitted}");
    let wide = app
        .gql(Some("Chloé"), RECORD, json!({"input": {"unitId": pole, "domain": "événements", "title": "Fête du mouvement", "impact": {"kind": "MOVEMENT_WIDE"}}}))
        .await;
    assert_eq!(code(&wide), "ESCALATION_REQUIRED", "{wide}");
    assert_eq!(
        wide["errors"][0]["extensions"]["escalateTo"][0]["unitName"],
        "Coordination"
    );
    let french = app.gql_lang(Some("Chloé"), "fr", RECORD, json!({"input": {"unitId": pole, "domain": "événements", "title": "Fête du mouvement", "impact": {"kind": "MOVEMENT_WIDE"}}})).await;
    assert!(
        french["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("remonter en Coordination"),
        "{french}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(3_200)).await;
    let expired = app.gql(Some("Bruno"), RECORD, json!({"input": {"unitId": pole, "domain": "actions", "title": "Collage d'affiches",
        "consultations": [{"memberId": ids.member("Chloé"), "consultedAt": in_days(0), "stance": "SUPPORT"}]}})).await;
    assert_eq!(code(&expired), "MANDATE_EXPIRED", "{expired}");
    assert!(expired["errors"][0]["extensions"]["endedAt"].is_string());
    let none = app
        .gql(
            Some("Léo"),
            RECORD,
            json!({"input": {"unitId": coordination, "domain": "budget", "title": "Rien"}}),
        )
        .await;
    assert_eq!(code(&none), "OUT_OF_SCOPE", "{none}");

    // 6. A tension is raised, scheduled and processed (R13).
    let raised = app
        .gql(Some("Léo"), "mutation($u: UUID!) { raiseTension(input: {about: {unit: $u}, title: \"Les tracts arrivent trop tard\"}) { revision tension { id space status } } }", json!({"u": pole}))
        .await;
    assert_eq!(code(&raised), "OK", "{raised}");
    assert_eq!(data(&raised, "raiseTension.tension.space"), "REFERENT");
    let tension = data(&raised, "raiseTension.tension.id")
        .as_str()
        .unwrap()
        .to_owned();
    let about_person = app
        .gql(Some("Léo"), "mutation($u: UUID!) { raiseTension(input: {about: {unit: $u}, title: \"Chloé Martin ne répond pas\"}) { revision } }", json!({"u": pole}))
        .await;
    assert_eq!(code(&about_person), "VALIDATION", "R14: {about_person}");
    let in_french = app
        .gql_lang(Some("Léo"), "fr", "mutation($u: UUID!) { raiseTension(input: {about: {unit: $u}, title: \"Chloé ne répond pas\"}) { revision } }", json!({"u": pole}))
        .await;
    let message = in_french["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("pas sur une personne"), "{message}");
    let empty_title = app.gql_lang(Some("Léo"), "fr", "mutation($u: UUID!) { raiseTension(input: {about: {unit: $u}, title: \"  \"}) { revision } }", json!({"u": pole})).await;
    assert_eq!(
        empty_title["errors"][0]["message"], "le champ « title » ne doit pas être vide",
        "{empty_title}"
    );
    assert!(
        empty_title["errors"][0]["extensions"]
            .get("_messageFr")
            .is_none()
    );
    // A meeting is convened with notice (two days for a unit by default): not for tomorrow
    // morning in a hurry, and never by someone who holds nothing in the unit (R10).
    let convene = "mutation($u: UUID!, $from: DateTime!, $to: DateTime!) { conveneMeeting(input: {kind: {unit: $u}, startsAt: $from, endsAt: $to, place: \"Local\"}) { meeting { id status } } }";
    let hurried = app
        .gql(Some("Chloé"), convene, json!({"u": pole, "from": in_days(1), "to": (chrono::Utc::now() + chrono::Duration::days(1) + chrono::Duration::hours(2)).to_rfc3339()}))
        .await;
    assert_eq!(code(&hurried), "NOTICE_TOO_SHORT", "{hurried}");
    let by_leo = app
        .gql(Some("Léo"), convene, json!({"u": pole, "from": in_days(3), "to": (chrono::Utc::now() + chrono::Duration::days(3) + chrono::Duration::hours(2)).to_rfc3339()}))
        .await;
    assert_eq!(code(&by_leo), "NOT_ENTITLED", "{by_leo}");
    let meeting = app
        .gql(Some("Chloé"), convene, json!({"u": pole, "from": in_days(3), "to": (chrono::Utc::now() + chrono::Duration::days(3) + chrono::Duration::hours(2)).to_rfc3339()}))
        .await;
    assert_eq!(code(&meeting), "OK", "{meeting}");
    assert_eq!(data(&meeting, "conveneMeeting.meeting.status"), "CONVENED");
    let meeting = data(&meeting, "conveneMeeting.meeting.id")
        .as_str()
        .unwrap()
        .to_owned();
    let scheduled = app.gql(Some("Chloé"), "mutation($t: UUID!, $m: UUID!) { scheduleTension(tensionId: $t, meetingId: $m) { tension { status } } }", json!({"t": tension, "m": meeting})).await;
    assert_eq!(
        data(&scheduled, "scheduleTension.tension.status"),
        "SCHEDULED",
        "{scheduled}"
    );
    // Processing waits for the meeting to take place.
    let too_early = app.gql(Some("Chloé"), "mutation($t: UUID!) { processTension(tensionId: $t, outcome: \"Plus tard\") { revision } }", json!({"t": tension})).await;
    assert_eq!(code(&too_early), "VALIDATION", "{too_early}");

    // 7. A member catches up on what was decided (R11).
    let unread = app
        .gql(Some("Léo"), "{ catchUp { title } }", json!({}))
        .await;
    let titles: Vec<&str> = data(&unread, "catchUp")
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Distribution de tracts samedi"),
        "{titles:?}"
    );
    let marked = app
        .gql(Some("Léo"), "mutation { markRead }", json!({}))
        .await;
    assert_eq!(
        data(&marked, "markRead").as_i64().unwrap() as usize,
        titles.len()
    );
    assert_eq!(
        data(
            &app.gql(Some("Léo"), "{ catchUp { title } }", json!({}))
                .await,
            "catchUp"
        )
        .as_array()
        .unwrap()
        .len(),
        0
    );
    let published = app
        .gql(Some("Awa"), RECORD, json!({"input": {"unitId": coordination, "domain": "communication externe", "title": "Le collectif soutient la pétition", "visibility": "PUBLISHED"}}))
        .await;
    assert_eq!(code(&published), "OK", "{published}");
    let unread = app
        .gql(Some("Léo"), "{ catchUp { title } }", json!({}))
        .await;
    assert_eq!(
        data(&unread, "catchUp")[0]["title"],
        "Le collectif soutient la pétition"
    );

    // 8. An outsider sees only what was published (R17).
    let public = app
        .gql(
            None,
            "{ decisions(first: 50) { edges { node { title } } } }",
            json!({}),
        )
        .await;
    let public: Vec<&str> = data(&public, "decisions.edges")
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(public, ["Le collectif soutient la pétition"]);
    assert_eq!(
        code(&app.gql(None, "{ me { name } }", json!({})).await),
        "UNAUTHENTICATED"
    );
    assert_eq!(
        code(
            &app.gql(
                None,
                "query($id: UUID!) { decision(id: $id) { title } }",
                json!({"id": tracts})
            )
            .await
        ),
        "NOT_FOUND"
    );
    assert_eq!(
        code(
            &app.gql(None, "{ authorityMap { domain } }", json!({}))
                .await
        ),
        "UNAUTHENTICATED"
    );
    assert_eq!(
        code(
            &app.gql(None, "{ chainHead { revision hash } }", json!({}))
                .await
        ),
        "OK"
    );
    // And the chain the API wrote verifies.
    let v = app
        .gql(
            Some("Léo"),
            "{ verifyChain { intact decisions } }",
            json!({}),
        )
        .await;
    assert_eq!(data(&v, "verifyChain.intact"), true, "{v}");
}

/// R11: a member marks as read what they were shown, even when a decision is recorded between
/// their `catchUp` and their `markRead`; the later one stays unread.
async fn r11_mark_read_up_to_the_last_decision_shown_leaves_later_ones_unread(db: TestDb) {
    let app = TestApp::demo(db).await;
    let ids = app.ids("Léo").await;
    let coordination = ids.unit("Coordination").to_owned();
    let shown = app
        .gql(Some("Léo"), "{ catchUp(first: 3) { id } }", json!({}))
        .await;
    let shown: Vec<String> = data(&shown, "catchUp")
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(shown.len(), 3);
    let unread_before = app
        .gql(Some("Léo"), "{ catchUp(first: 100) { id } }", json!({}))
        .await;
    let unread_before = data(&unread_before, "catchUp").as_array().unwrap().len();

    // Recorded after Léo's catch-up, before he marks what he saw.
    let later = app
        .gql(Some("Awa"), RECORD, json!({"input": {"unitId": coordination, "domain": "communication externe", "title": "Affiches pour la fête de quartier"}}))
        .await;
    assert_eq!(code(&later), "OK", "{later}");
    let later_id = data(&later, "recordDecision.decision.id").clone();

    // Both ways of naming what to mark at once are refused, and mark nothing.
    let both = app
        .gql(
            Some("Léo"),
            "mutation($i: [UUID!], $u: UUID) { markRead(decisionIds: $i, upTo: $u) }",
            json!({"i": [shown[0]], "u": shown[2]}),
        )
        .await;
    assert_eq!(code(&both), "VALIDATION", "{both}");
    let unknown = app
        .gql(
            Some("Léo"),
            "mutation($u: UUID) { markRead(upTo: $u) }",
            json!({"u": "00000000-0000-0000-0000-0000000000aa"}),
        )
        .await;
    assert_eq!(code(&unknown), "NOT_FOUND", "{unknown}");

    let marked = app
        .gql(
            Some("Léo"),
            "mutation($u: UUID) { markRead(upTo: $u) }",
            json!({"u": shown[2]}),
        )
        .await;
    assert_eq!(code(&marked), "OK", "{marked}");
    assert_eq!(data(&marked, "markRead"), 3, "{marked}");
    let unread = app
        .gql(Some("Léo"), "{ catchUp(first: 100) { id } }", json!({}))
        .await;
    let unread: Vec<&Value> = data(&unread, "catchUp")
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["id"])
        .collect();
    assert!(
        unread.iter().all(|id| !shown.iter().any(|s| *id == s)),
        "{unread:?}"
    );
    assert!(
        unread.contains(&&later_id),
        "the decision recorded after the catch-up stays unread"
    );
    assert_eq!(unread.len(), unread_before - 3 + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_answer_with_their_codes() {
    let limits = HttpLimits {
        max_body_bytes: 8 * 1024,
        per_token_per_minute: 1_000,
        per_ip_per_minute: 1_000,
        ..HttpLimits::default()
    };
    let app = TestApp::demo_with(TestDb::sqlite(), limits).await;
    // Depth.
    let deep = app.gql(Some("Awa"), "{ units { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { name } } } } } } } } } } } } } }", json!({})).await;
    assert_eq!(code(&deep), "LIMIT_EXCEEDED", "{deep}");
    // Complexity.
    let wide: String = (0..400)
        .map(|i| format!("a{i}: me {{ name email }} "))
        .collect();
    let complex = app
        .gql(Some("Awa"), &format!("{{ {wide} }}"), json!({}))
        .await;
    assert_eq!(code(&complex), "LIMIT_EXCEEDED", "{complex}");
    // Batching is off.
    let (status, batch) = app
        .post_raw(
            br#"[{"query":"{ chainHead { revision } }"},{"query":"{ chainHead { revision } }"}]"#
                .to_vec(),
        )
        .await;
    assert_eq!(
        (status, code(&batch).as_str()),
        (400, "LIMIT_EXCEEDED"),
        "{batch}"
    );
    // Body size.
    let big = format!(
        r#"{{"query":"{{ chainHead {{ revision }} }}","variables":{{"pad":"{}"}}}}"#,
        "x".repeat(16 * 1024)
    );
    let (status, too_big) = app.post_raw(big.into_bytes()).await;
    assert_eq!(
        (status, code(&too_big).as_str()),
        (413, "LIMIT_EXCEEDED"),
        "{too_big}"
    );
    // `first` at most 100.
    let page = app
        .gql(
            Some("Awa"),
            "{ decisions(first: 101) { edges { cursor } } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&page), "LIMIT_EXCEEDED", "{page}");
    // Not JSON at all.
    let (status, garbage) = app.post_raw(b"not json".to_vec()).await;
    assert_eq!((status, code(&garbage).as_str()), (400, "BAD_REQUEST"));
    // JSON, but not a GraphQL request: no query, or a query that is not a string.
    for body in [
        &br#"{}"#[..],
        br#"{"variables":{}}"#,
        br#"{"query":5}"#,
        br#""hello""#,
    ] {
        let (status, answer) = app.post_raw(body.to_vec()).await;
        assert_eq!(
            (status, code(&answer).as_str()),
            (400, "BAD_REQUEST"),
            "{}: {answer}",
            String::from_utf8_lossy(body)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_request_times_out_with_its_code() {
    let limits = HttpLimits {
        // No time at all: any request that has to wait for the database is cut.
        request_timeout: std::time::Duration::ZERO,
        ..HttpLimits::default()
    };
    let app = TestApp::demo_with(TestDb::sqlite(), limits).await;
    // `verifyChain` walks the database, so it always waits for it at least once.
    let slow = app
        .gql(Some("Awa"), "{ verifyChain { intact } }", json!({}))
        .await;
    assert_eq!(code(&slow), "TIMEOUT", "{slow}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_apply_per_token_and_per_ip() {
    let limits = HttpLimits {
        per_token_per_minute: 3,
        per_ip_per_minute: 1_000,
        ..HttpLimits::default()
    };
    let app = TestApp::demo_with(TestDb::sqlite(), limits).await;
    let mut codes = Vec::new();
    for _ in 0..5 {
        codes.push(code(
            &app.gql(Some("Awa"), "{ me { name } }", json!({})).await,
        ));
    }
    assert_eq!(codes, ["OK", "OK", "OK", "RATE_LIMITED", "RATE_LIMITED"]);
    // Another member's token has its own budget.
    assert_eq!(
        code(&app.gql(Some("Léo"), "{ me { name } }", json!({})).await),
        "OK"
    );
    let limits = HttpLimits {
        per_ip_per_minute: 2,
        ..HttpLimits::default()
    };
    let app = TestApp::demo_with(TestDb::sqlite(), limits).await;
    let mut codes = Vec::new();
    for _ in 0..3 {
        codes.push(code(
            &app.gql(None, "{ chainHead { revision } }", json!({})).await,
        ));
    }
    assert_eq!(codes, ["OK", "OK", "RATE_LIMITED"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn introspection_can_be_switched_off() {
    let on = TestApp::demo(TestDb::sqlite()).await;
    assert_eq!(
        code(
            &on.gql(None, "{ __schema { queryType { name } } }", json!({}))
                .await
        ),
        "OK"
    );
    let off = TestApp::demo_with(
        TestDb::sqlite(),
        HttpLimits {
            introspection: false,
            ..HttpLimits::default()
        },
    )
    .await;
    assert_eq!(
        code(
            &off.gql(None, "{ __schema { queryType { name } } }", json!({}))
                .await
        ),
        "INTROSPECTION_DISABLED"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_token_is_refused_and_internals_never_leak() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let res = reqwest::Client::new()
        .post(app.url())
        .bearer_auth("gvn_0000")
        .json(&json!({"query": "{ me { name } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
    let v: Value = res.json().await.unwrap();
    assert_eq!(code(&v), "UNAUTHENTICATED");
    // A malformed id is a client error with a code, not a 500.
    let bad = app
        .gql(
            Some("Awa"),
            "{ unit(id: \"pas-un-uuid\") { name } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&bad), "BAD_REQUEST", "{bad}");
}

/// `docs/schema.graphql` is the SDL of the running schema; this test keeps them in sync.
#[test]
fn the_schema_document_is_in_sync() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/schema.graphql");
    let sdl = graphql_server::api::sdl();
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    if on_disk != sdl {
        if std::env::var_os("CI").is_none() {
            std::fs::write(&path, &sdl).unwrap();
        }
        panic!(
            "docs/schema.graphql was out of date{}",
            if std::env::var_os("CI").is_none() {
                "; it has been rewritten, review and commit it"
            } else {
                ""
            }
        );
    }
}
