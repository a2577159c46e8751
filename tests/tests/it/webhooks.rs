//! Webhooks end to end over HTTP, on SQLite and on PostgreSQL: only the Coordination registers
//! them; a hook never targets loopback or private addresses unless the operator allows it;
//! deliveries are JSON signed with HMAC-SHA256 over a timestamp and the body, checked here with
//! an independent HMAC; a public hook receives only published decisions (R17); failures retry
//! and end in a dead-letter list the API reads; redirects are not followed.

use crate::app::{TestApp, code};
use crate::helpers::{TestDb, on_both_backends};
use crate::outbox::config;
use crate::sinks::Receiver;
use graphql_server::outbox;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

on_both_backends!(
    webhooks_are_managed_by_the_coordination_only,
    webhooks_never_target_loopback_or_private_addresses_without_the_flag,
    webhooks_are_checked_again_at_delivery,
    webhook_deliveries_are_signed_json_with_a_timestamp,
    r17_a_public_hook_receives_only_published_decisions,
    webhook_failures_retry_then_land_in_dead_letters_and_redirects_are_not_followed,
    webhook_mandate_and_tension_events_reach_the_hooks_that_want_them,
);

const REGISTER: &str = "mutation($url: String!, $events: [String!], $public: Boolean) { registerWebhook(url: $url, events: $events, public: $public) { secret webhook { id url events public } } }";
const RECORD: &str =
    "mutation($input: RecordDecisionInput!) { recordDecision(input: $input) { decision { id } } }";

async fn send_all(app: &TestApp, config: &outbox::OutboxConfig) {
    for _ in 0..10 {
        if outbox::send_due(&app.store, config, None).await.unwrap() == 0 {
            return;
        }
    }
}

async fn register(app: &TestApp, url: &str, events: Value, public: bool) -> (String, String) {
    let r = app
        .gql(
            Some("Awa"),
            REGISTER,
            json!({"url": url, "events": events, "public": public}),
        )
        .await;
    assert_eq!(code(&r), "OK", "{r}");
    let w = &r["data"]["registerWebhook"];
    (
        w["webhook"]["id"].as_str().unwrap().to_owned(),
        w["secret"].as_str().unwrap().to_owned(),
    )
}

async fn webhooks_are_managed_by_the_coordination_only(db: TestDb) {
    let app = TestApp::demo_outbox(db, config()).await;
    let receiver = Receiver::start().await;
    let url = receiver.url("/hook");
    // Léo sits nowhere, Chloé is the referent of a Pôle, not of the Coordination.
    for who in ["Léo", "Chloé"] {
        let r = app.gql(Some(who), REGISTER, json!({"url": url})).await;
        assert_eq!(code(&r), "NOT_ENTITLED", "{who}: {r}");
        let list = app
            .gql(Some(who), "query { webhooks { id } }", json!({}))
            .await;
        assert_eq!(code(&list), "NOT_ENTITLED", "{who}: {list}");
        let dead = app
            .gql(Some(who), "query { deadLetters { key } }", json!({}))
            .await;
        assert_eq!(code(&dead), "NOT_ENTITLED", "{who}: {dead}");
    }
    let outsider = app.gql(None, REGISTER, json!({"url": url})).await;
    assert_eq!(code(&outsider), "UNAUTHENTICATED", "{outsider}");
    let (id, secret) = register(&app, &url, Value::Null, false).await;
    assert!(secret.starts_with("whsec_") && secret.len() > 40);
    let list = app
        .gql(
            Some("Awa"),
            "query { webhooks { id events disabledAt } }",
            json!({}),
        )
        .await;
    assert_eq!(list["data"]["webhooks"][0]["id"], id, "{list}");
    assert_eq!(
        list["data"]["webhooks"][0]["events"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    // The secret is never shown again.
    assert!(!list.to_string().contains(&secret));
    let off = app
        .gql(
            Some("Léo"),
            "mutation($id: UUID!) { disableWebhook(id: $id) }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(code(&off), "NOT_ENTITLED", "{off}");
    let off = app
        .gql(
            Some("Awa"),
            "mutation($id: UUID!) { disableWebhook(id: $id) }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(off["data"]["disableWebhook"], true, "{off}");
    // A disabled hook receives nothing more.
    let ids = app.ids("Léo").await;
    let r = app.gql(Some("Awa"), RECORD, json!({"input": {"unitId": ids.unit("Coordination"), "domain": "communication externe", "title": "Après la désactivation"}})).await;
    assert_eq!(code(&r), "OK", "{r}");
    send_all(&app, &config()).await;
    assert!(receiver.hits().is_empty(), "{:?}", receiver.hits());
    let unknown = app
        .gql(
            Some("Awa"),
            "mutation($id: UUID!) { disableWebhook(id: $id) }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(code(&unknown), "NOT_FOUND", "{unknown}");
    let bad_event = app
        .gql(
            Some("Awa"),
            REGISTER,
            json!({"url": url, "events": ["decision.deleted"]}),
        )
        .await;
    assert_eq!(code(&bad_event), "VALIDATION", "{bad_event}");
}

async fn webhooks_never_target_loopback_or_private_addresses_without_the_flag(db: TestDb) {
    let mut strict = config();
    strict.allow_private_hooks = false;
    let app = TestApp::demo_outbox(db, strict).await;
    for url in [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://10.0.0.7/hook",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://[::1]/hook",
        "http://[fd00::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://2130706433/",
        "http://0x7f.1/",
        "ftp://example.org/hook",
        "file:///etc/passwd",
        "https://user:secret@example.org/",
        "not a url",
    ] {
        let r = app.gql(Some("Awa"), REGISTER, json!({"url": url})).await;
        assert_eq!(code(&r), "VALIDATION", "{url}: {r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], "url", "{url}: {r}");
    }
    let long = format!("https://example.org/{}", "a".repeat(3000));
    let r = app.gql(Some("Awa"), REGISTER, json!({"url": long})).await;
    assert_eq!(code(&r), "VALIDATION", "{r}");
    let none = app
        .gql(Some("Awa"), "query { webhooks { id } }", json!({}))
        .await;
    assert_eq!(
        none["data"]["webhooks"],
        json!([]),
        "nothing was stored: {none}"
    );
}

/// The address is checked again at delivery: a hook registered while private targets were
/// allowed (or whose name now resolves to a private address) is not delivered once they are
/// not, and its delivery is a dead letter at once.
async fn webhooks_are_checked_again_at_delivery(db: TestDb) {
    let lenient = config();
    let app = TestApp::demo_outbox(db, lenient).await;
    let receiver = Receiver::start().await;
    register(
        &app,
        &receiver.url("/"),
        json!(["decision.recorded"]),
        false,
    )
    .await;
    let ids = app.ids("Léo").await;
    let r = app.gql(Some("Awa"), RECORD, json!({"input": {"unitId": ids.unit("Coordination"), "domain": "communication externe", "title": "Livrée nulle part"}})).await;
    assert_eq!(code(&r), "OK", "{r}");
    let mut strict = config();
    strict.allow_private_hooks = false;
    send_all(&app, &strict).await;
    assert!(receiver.hits().is_empty(), "{:?}", receiver.hits());
    let dead = app
        .gql(
            Some("Awa"),
            "query { deadLetters(channel: WEBHOOK) { attempts lastError } }",
            json!({}),
        )
        .await;
    let dead = dead["data"]["deadLetters"]
        .as_array()
        .unwrap_or_else(|| panic!("{dead}"));
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert_eq!(dead[0]["attempts"], 1, "not retried: {dead:?}");
    assert!(
        dead[0]["lastError"].as_str().unwrap().contains("127.0.0.1"),
        "{dead:?}"
    );
}

/// What a receiver does, written here without the server's code: HMAC-SHA256 of `t.body`.
fn verify(secret: &str, header: &str, body: &str) -> i64 {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => v1 = Some(v.to_owned()),
            _ => {}
        }
    }
    let (t, v1) = (t.expect("a timestamp"), v1.expect("a v1 signature"));
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    assert_eq!(
        hex::encode(mac.finalize().into_bytes()),
        v1,
        "the signature checks"
    );
    t
}

async fn webhook_deliveries_are_signed_json_with_a_timestamp(db: TestDb) {
    let config = config();
    let app = TestApp::demo_outbox(db, config.clone()).await;
    let receiver = Receiver::start().await;
    let (_, secret) = register(&app, &receiver.url("/gouvernail"), Value::Null, false).await;
    let ids = app.ids("Léo").await;
    let r = app.gql(Some("Awa"), RECORD, json!({"input": {"unitId": ids.unit("Coordination"), "domain": "communication externe", "title": "Tracts pour la fête"}})).await;
    assert_eq!(code(&r), "OK", "{r}");
    let decision = r["data"]["recordDecision"]["decision"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let t = app.gql(Some("Léo"), "mutation($u: UUID!) { raiseTension(input: {about: {unit: $u}, title: \"Les tracts arrivent trop tard\"}) { tension { id } } }", json!({"u": ids.unit("Pôle Mobilisation")})).await;
    assert_eq!(code(&t), "OK", "{t}");
    send_all(&app, &config).await;
    let hits = receiver.hits();
    let recorded = hits
        .iter()
        .find(|h| h.header("X-Gouvernail-Event") == Some("decision.recorded"))
        .unwrap_or_else(|| panic!("{hits:#?}"));
    assert_eq!(recorded.path, "/gouvernail");
    assert_eq!(recorded.header("Content-Type"), Some("application/json"));
    let t = verify(
        &secret,
        recorded.header("X-Gouvernail-Signature").unwrap(),
        &recorded.body,
    );
    assert!(
        (chrono::Utc::now().timestamp() - t).abs() < 300,
        "a fresh timestamp"
    );
    let body: Value = serde_json::from_str(&recorded.body).unwrap();
    assert_eq!(body["event"], "decision.recorded");
    assert_eq!(body["data"]["id"], decision);
    assert_eq!(body["data"]["title"], "Tracts pour la fête");
    assert_eq!(
        body["delivery"],
        recorded.header("X-Gouvernail-Delivery").unwrap()
    );
    assert!(
        hits.iter()
            .any(|h| h.header("X-Gouvernail-Event") == Some("tension.raised")),
        "{hits:#?}"
    );
    // Each delivery once.
    send_all(&app, &config).await;
    assert_eq!(receiver.hits().len(), hits.len());
}

async fn r17_a_public_hook_receives_only_published_decisions(db: TestDb) {
    let config = config();
    let app = TestApp::demo_outbox(db, config.clone()).await;
    let public = Receiver::start().await;
    let internal = Receiver::start().await;
    register(
        &app,
        &public.url("/"),
        json!(["decision.recorded", "tension.raised"]),
        true,
    )
    .await;
    register(
        &app,
        &internal.url("/"),
        json!(["decision.recorded"]),
        false,
    )
    .await;
    let ids = app.ids("Léo").await;
    let coordination = ids.unit("Coordination");
    for (title, visibility) in [
        ("Budget interne du trimestre", "MEMBERS"),
        ("Le collectif soutient la pétition", "PUBLISHED"),
    ] {
        let r = app.gql(Some("Awa"), RECORD, json!({"input": {"unitId": coordination, "domain": "communication externe", "title": title, "visibility": visibility}})).await;
        assert_eq!(code(&r), "OK", "{r}");
    }
    let t = app.gql(Some("Léo"), "mutation($u: UUID!) { raiseTension(input: {about: {unit: $u}, title: \"Tension interne\"}) { tension { id } } }", json!({"u": ids.unit("Pôle Mobilisation")})).await;
    assert_eq!(code(&t), "OK", "{t}");
    send_all(&app, &config).await;
    let titles = |r: &Receiver| -> Vec<String> {
        r.hits()
            .iter()
            .map(|h| {
                serde_json::from_str::<Value>(&h.body).unwrap()["data"]["title"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(
        titles(&public),
        vec!["Le collectif soutient la pétition".to_owned()],
        "{:#?}",
        public.hits()
    );
    let mut both = titles(&internal);
    both.sort();
    assert_eq!(
        both,
        vec![
            "Budget interne du trimestre".to_owned(),
            "Le collectif soutient la pétition".to_owned()
        ]
    );
}

async fn webhook_failures_retry_then_land_in_dead_letters_and_redirects_are_not_followed(
    db: TestDb,
) {
    let mut config = config();
    config.max_attempts = 2;
    let app = TestApp::demo_outbox(db, config.clone()).await;
    let failing = Receiver::start().await;
    failing.answer(500, "");
    let elsewhere = Receiver::start().await;
    let redirecting = Receiver::start().await;
    redirecting.answer(307, &format!("location: {}\r\n", elsewhere.url("/stolen")));
    let (hook, _) = register(&app, &failing.url("/"), json!(["decision.recorded"]), false).await;
    register(
        &app,
        &redirecting.url("/"),
        json!(["decision.recorded"]),
        false,
    )
    .await;
    let ids = app.ids("Léo").await;
    let r = app.gql(Some("Awa"), RECORD, json!({"input": {"unitId": ids.unit("Coordination"), "domain": "communication externe", "title": "Une décision à livrer"}})).await;
    assert_eq!(code(&r), "OK", "{r}");
    send_all(&app, &config).await;
    let hits = failing.hits();
    assert_eq!(hits.len(), 2, "two attempts");
    assert_eq!(
        hits[0].header("X-Gouvernail-Delivery"),
        hits[1].header("X-Gouvernail-Delivery"),
        "the same delivery id"
    );
    assert!(elsewhere.hits().is_empty(), "a redirect is not followed");
    let dead = app
        .gql(
            Some("Awa"),
            "query { deadLetters(channel: WEBHOOK) { key attempts lastError webhookId status } }",
            json!({}),
        )
        .await;
    let dead = dead["data"]["deadLetters"]
        .as_array()
        .unwrap_or_else(|| panic!("{dead}"));
    assert_eq!(dead.len(), 2, "{dead:?}");
    let mine = dead.iter().find(|d| d["webhookId"] == hook).unwrap();
    assert_eq!(mine["attempts"], 2);
    assert!(
        mine["lastError"].as_str().unwrap().contains("500"),
        "{mine}"
    );
}

async fn webhook_mandate_and_tension_events_reach_the_hooks_that_want_them(db: TestDb) {
    let config = config();
    let app = TestApp::demo_outbox(db, config.clone()).await;
    let mandates = Receiver::start().await;
    let tensions = Receiver::start().await;
    register(
        &app,
        &mandates.url("/"),
        json!(["mandate.committed", "mandate.revoked", "mandate.expired"]),
        false,
    )
    .await;
    register(
        &app,
        &tensions.url("/"),
        json!(["tension.raised", "tension.processed"]),
        false,
    )
    .await;
    let ids = app.ids("Awa").await;
    // Élise commits to her mandate (R4); Chloé revokes Djamel's by a decision (R6).
    let elise = ids.mandate("Élise@Pôle Communication").to_owned();
    let c = app
        .gql(
            Some("Élise"),
            "mutation($m: UUID!) { commitToMandate(mandateId: $m) { revision } }",
            json!({"m": elise}),
        )
        .await;
    assert_eq!(code(&c), "OK", "{c}");
    let djamel = ids.mandate("Djamel@Comité Porte-à-porte").to_owned();
    let r = app
        .gql(Some("Chloé"), "mutation($u: UUID!, $m: UUID!) { recordDecision(input: {unitId: $u, domain: \"mandats\", title: \"Fin du mandat tournées\", effects: [{revokeMandate: $m}]}) { revision } }",
            json!({"u": ids.unit("Pôle Mobilisation"), "m": djamel}))
        .await;
    assert_eq!(code(&r), "OK", "{r}");
    // A tension about her Pôle goes to its referent, Chloé, who processes it (R13).
    let t = app.gql(Some("Léo"), "mutation($u: UUID!) { raiseTension(input: {about: {unit: $u}, title: \"Les tracts arrivent trop tard\"}) { tension { id } } }", json!({"u": ids.unit("Pôle Mobilisation")})).await;
    let tension = t["data"]["raiseTension"]["tension"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let p = app.gql(Some("Chloé"), "mutation($t: UUID!) { processTension(tensionId: $t, outcome: \"Tracts imprimés le lundi\") { revision } }", json!({"t": tension})).await;
    assert_eq!(code(&p), "OK", "{p}");
    // A mandate's term running out is time, not an event: the scheduler's round after its end.
    let m = app
        .store
        .read(app.org, None)
        .await
        .unwrap()
        .movement
        .clone();
    let ending = m
        .mandates()
        .iter()
        .filter(|x| x.committed_at.is_some() && x.revocation.is_none())
        .map(|x| (x.id, x.period.ends_at()))
        .max_by_key(|(_, end)| *end)
        .unwrap();
    outbox::run_round(&app.store, &config, ending.1 + chrono::Duration::hours(1))
        .await
        .unwrap();
    send_all(&app, &config).await;
    let events = |r: &Receiver| -> Vec<(String, Value)> {
        r.hits()
            .iter()
            .map(|h| {
                let body: Value = serde_json::from_str(&h.body).unwrap();
                (
                    body["event"].as_str().unwrap().to_owned(),
                    body["data"].clone(),
                )
            })
            .collect()
    };
    let got = events(&mandates);
    assert!(
        got.iter()
            .any(|(e, d)| e == "mandate.committed" && d["mandateId"] == elise),
        "{got:#?}"
    );
    assert!(
        got.iter()
            .any(|(e, d)| e == "mandate.revoked" && d["mandateId"] == djamel),
        "{got:#?}"
    );
    assert!(
        got.iter()
            .any(|(e, d)| e == "mandate.expired" && d["mandateId"] == ending.0.to_string()),
        "{got:#?}"
    );
    assert!(
        got.iter().all(|(e, _)| e.starts_with("mandate.")),
        "only what it asked for"
    );
    let got = events(&tensions);
    assert!(
        got.iter()
            .any(|(e, d)| e == "tension.raised" && d["id"] == tension),
        "{got:#?}"
    );
    assert!(
        got.iter().any(|(e, d)| e == "tension.processed"
            && d["id"] == tension
            && d["status"] == "processed"),
        "{got:#?}"
    );
    // The round again delivers no expiry twice.
    let before = mandates.hits().len();
    outbox::run_round(&app.store, &config, ending.1 + chrono::Duration::hours(2))
        .await
        .unwrap();
    send_all(&app, &config).await;
    assert_eq!(mandates.hits().len(), before);
}
