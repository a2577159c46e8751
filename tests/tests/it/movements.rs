//! One server, many movements: each movement at `/m/{slug}/graphql`, the default one at
//! `/graphql` as before. A token belongs to one movement and is refused by every other; nothing
//! one movement holds (its ids, names, counts, searches, notices, errors) shows through another.

use crate::app::{TestApp, code, first_name};
use crate::helpers::{TestDb, on_both_backends};
use governance_core::OrganizationId;
use graphql_server::cli::{InitArgs, found_movement};
use serde_json::{Value, json};
use std::collections::HashMap;

on_both_backends!(
    each_movement_is_served_at_its_slug_and_the_default_at_the_root,
    r17_a_token_is_refused_by_every_other_movement,
    r17_nothing_of_one_movement_shows_through_another,
    r17_a_subscriber_hears_only_its_own_movement,
    fifty_movements_on_one_server_refuse_every_crossed_token_and_survive_eviction,
);

/// A movement founded beside the demo, with its founders' tokens by first name.
pub(crate) struct Other {
    pub org: OrganizationId,
    pub slug: String,
    pub tokens: HashMap<String, String>,
}

pub(crate) async fn found_other(app: &TestApp, name: &str, founders: &[&str]) -> Other {
    let args = InitArgs {
        name: name.into(),
        founders: founders.iter().map(|s| s.to_string()).collect(),
        coordinators: founders
            .iter()
            .map(|f| {
                f.split('<')
                    .nth(1)
                    .unwrap()
                    .trim_end_matches('>')
                    .to_owned()
            })
            .collect(),
        agora_domains: "charte,règles".into(),
        coordination_domains: "structure,mandats,budget".into(),
        months: 12,
        slug: None,
    };
    let (org, slug, founders) = found_movement(&app.store, &args).await.unwrap();
    Other {
        org: org.id,
        slug: slug.to_string(),
        tokens: founders
            .into_iter()
            .map(|(name, _, token)| (first_name(&name), token))
            .collect(),
    }
}

/// Posts one operation to `path` on the app's server; returns the status and the answer.
pub(crate) async fn post(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    query: &str,
    vars: Value,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("http://{}{path}", app.addr))
        .json(&json!({ "query": query, "variables": vars }));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Commits every mandate of the founder holding `token` and records one decision in the
/// Coordination, titled `title`; returns its id.
async fn decide(app: &TestApp, path: &str, token: &str, title: &str) -> String {
    let (_, me) = post(
        app,
        path,
        Some(token),
        "{ me { mandates { id unit { id name } } } }",
        json!({}),
    )
    .await;
    let mandates = me["data"]["me"]["mandates"].as_array().unwrap().clone();
    let mut coordination = None;
    for m in &mandates {
        let (_, c) = post(
            app,
            path,
            Some(token),
            "mutation($m: UUID!) { commitToMandate(mandateId: $m) { revision } }",
            json!({ "m": m["id"] }),
        )
        .await;
        assert_eq!(code(&c), "OK", "{c}");
        if m["unit"]["name"] == "Coordination" {
            coordination = Some(m["unit"]["id"].clone());
        }
    }
    let (_, d) = post(
        app,
        path,
        Some(token),
        r#"mutation($u: UUID!, $t: String!) { recordDecision(input: {unitId: $u, domain: "budget", title: $t}) { decision { id } } }"#,
        json!({ "u": coordination.expect("a Coordination mandate"), "t": title }),
    )
    .await;
    assert_eq!(code(&d), "OK", "{d}");
    d["data"]["recordDecision"]["decision"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn each_movement_is_served_at_its_slug_and_the_default_at_the_root(db: TestDb) {
    let app = TestApp::demo(db).await;
    let rive = found_other(
        &app,
        "Collectif de la Rive",
        &["Zoé Marchand <zoe@rive.example>"],
    )
    .await;
    assert_eq!(rive.slug, "collectif-de-la-rive");
    let name = "{ organization { name } }";
    let (_, at_root) = post(&app, "/graphql", Some(app.token("Awa")), name, json!({})).await;
    assert_eq!(
        at_root["data"]["organization"]["name"], "Collectif des Tilleuls",
        "{at_root}"
    );
    let (_, at_slug) = post(
        &app,
        &format!("/m/{}/graphql", rive.slug),
        Some(&rive.tokens["Zoé"]),
        name,
        json!({}),
    )
    .await;
    assert_eq!(
        at_slug["data"]["organization"]["name"], "Collectif de la Rive",
        "{at_slug}"
    );
    // The default movement is also at its own slug.
    let (_, tilleuls) = post(
        &app,
        "/m/collectif-des-tilleuls/graphql",
        Some(app.token("Awa")),
        name,
        json!({}),
    )
    .await;
    assert_eq!(
        tilleuls["data"]["organization"]["name"], "Collectif des Tilleuls",
        "{tilleuls}"
    );
    // A slug that names no movement, or is not a slug at all, is not found: nothing is served.
    for path in [
        "/m/collectif-inconnu/graphql",
        "/m/Collectif/graphql",
        "/m/graphql/graphql",
        "/m//graphql",
    ] {
        let (status, answer) = post(&app, path, Some(app.token("Awa")), name, json!({})).await;
        assert_eq!(status, 404, "{path}: {answer}");
        assert_eq!(
            answer["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{path}: {answer}"
        );
    }
    // A movement founded after the server started is served at once.
    let late = found_other(
        &app,
        "Collectif du Pont",
        &["Yann Le Gall <yann@pont.example>"],
    )
    .await;
    let (_, pont) = post(
        &app,
        &format!("/m/{}/graphql", late.slug),
        Some(&late.tokens["Yann"]),
        name,
        json!({}),
    )
    .await;
    assert_eq!(
        pont["data"]["organization"]["name"], "Collectif du Pont",
        "{pont}"
    );
    // Each movement's health says its own revision.
    let health: Value = reqwest::get(format!("http://{}/m/{}/health", app.addr, rive.slug))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let root: Value = reqwest::get(format!("http://{}/health", app.addr))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_ne!(health["revision"], root["revision"], "{health} {root}");
}

/// R17: a token opens its own movement and no other, whichever way it is presented.
async fn r17_a_token_is_refused_by_every_other_movement(db: TestDb) {
    let app = TestApp::demo(db).await;
    let rive = found_other(
        &app,
        "Collectif de la Rive",
        &["Zoé Marchand <zoe@rive.example>"],
    )
    .await;
    let at_rive = format!("/m/{}/graphql", rive.slug);
    let me = "{ me { name } }";
    for (path, token) in [
        (at_rive.as_str(), app.token("Awa")),
        ("/graphql", rive.tokens["Zoé"].as_str()),
        (
            "/m/collectif-des-tilleuls/graphql",
            rive.tokens["Zoé"].as_str(),
        ),
    ] {
        let (status, answer) = post(&app, path, Some(token), me, json!({})).await;
        assert_eq!(status, 401, "{path}: {answer}");
        assert_eq!(code(&answer), "UNAUTHENTICATED", "{path}: {answer}");
    }
    let (_, own) = post(&app, &at_rive, Some(&rive.tokens["Zoé"]), me, json!({})).await;
    assert_eq!(own["data"]["me"]["name"], "Zoé Marchand", "{own}");
    // A token refused by another movement's subscriptions too.
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(format!(
            "ws://{}{}",
            app.addr, at_rive
        ))
        .unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        tokio_tungstenite::tungstenite::http::HeaderValue::from_static("graphql-transport-ws"),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    crate::subscription::send(&mut ws, json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {}", app.token("Awa")) } })).await;
    use futures_util::StreamExt;
    let answer = tokio::time::timeout(std::time::Duration::from_secs(5), ws.next())
        .await
        .unwrap();
    let refused = match answer {
        Some(Ok(tokio_tungstenite::tungstenite::Message::Close(_))) | None | Some(Err(_)) => true,
        Some(Ok(tokio_tungstenite::tungstenite::Message::Text(t))) => !t.contains("connection_ack"),
        Some(Ok(_)) => false,
    };
    assert!(refused, "a token of another movement opened a socket");
}

/// R17 between movements: asking one movement about another's decision, member or unit gets the
/// answer an unknown id gets, word for word; searches, lists, counts, revisions and notices of
/// one never include the other's.
async fn r17_nothing_of_one_movement_shows_through_another(db: TestDb) {
    let app = TestApp::demo(db).await;
    let rive = found_other(
        &app,
        "Collectif de la Rive",
        &["Zoé Marchand <zoe@rive.example>"],
    )
    .await;
    let at_rive = format!("/m/{}/graphql", rive.slug);
    let zoe = rive.tokens["Zoé"].clone();
    let secret = decide(&app, &at_rive, &zoe, "Budget secret de la Rive").await;
    let (_, rive_ids) = post(
        &app,
        &at_rive,
        Some(&zoe),
        "{ me { id } units { id } revision }",
        json!({}),
    )
    .await;
    let rive_member = rive_ids["data"]["me"]["id"].as_str().unwrap().to_owned();
    let rive_unit = rive_ids["data"]["units"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let random = uuid::Uuid::now_v7().to_string();
    let awa = app.token("Awa").to_owned();
    let (_, before) = post(
        &app,
        "/graphql",
        Some(&awa),
        "{ revision decisions(first: 100) { edges { node { id } } } }",
        json!({}),
    )
    .await;

    // By id: another movement's decision, member and unit read exactly as ids that exist nowhere.
    let probes = [
        (
            "query($id: UUID!) { decision(id: $id) { title } }",
            json!({ "id": secret }),
            json!({ "id": random }),
        ),
        (
            "query($m: UUID!, $u: UUID!) { mayDecide(memberId: $m, unitId: $u, domain: \"budget\") { allowed code reason } }",
            json!({ "m": rive_member, "u": rive_unit }),
            json!({ "m": random, "u": random }),
        ),
        (
            "query($u: UUID!) { decisions(first: 5, unitId: $u) { edges { node { id } } } }",
            json!({ "u": rive_unit }),
            json!({ "u": random }),
        ),
    ];
    for (query, theirs, nobodys) in probes {
        let (s1, a) = post(&app, "/graphql", Some(&awa), query, theirs.clone()).await;
        let (s2, b) = post(&app, "/graphql", Some(&awa), query, nobodys.clone()).await;
        let scrub = |v: &Value, ids: &Value| {
            let mut text = v.to_string();
            for id in ids.as_object().unwrap().values() {
                text = text.replace(id.as_str().unwrap(), "<id>");
            }
            text
        };
        assert_eq!(s1, s2, "{query}");
        assert_eq!(
            scrub(&a, &theirs),
            scrub(&b, &nobodys),
            "{query}: another movement's id reads differently from an unknown one"
        );
    }
    // Searches, lists and the revision of the demo do not see the Rive's decision.
    let (_, found) = post(
        &app,
        "/graphql",
        Some(&awa),
        "{ decisions(first: 100, text: \"secret\") { edges { node { id } } } }",
        json!({}),
    )
    .await;
    assert_eq!(found["data"]["decisions"]["edges"], json!([]), "{found}");
    let (_, after) = post(
        &app,
        "/graphql",
        Some(&awa),
        "{ revision decisions(first: 100) { edges { node { id } } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        after, before,
        "the Rive's writes changed what the Tilleuls read"
    );
    let (_, audit) = post(
        &app,
        "/graphql",
        Some(&awa),
        "{ auditLog(first: 500) { subject } }",
        json!({}),
    )
    .await;
    assert!(!audit.to_string().contains(&secret), "{audit}");
    // The outsiders' view of each shows only its own.
    let (_, public) = post(
        &app,
        "/graphql",
        None,
        "{ decisions(first: 100) { edges { node { title } } } }",
        json!({}),
    )
    .await;
    assert!(!public.to_string().contains("Rive"), "{public}");
}

/// Fifty movements in one database and one server that may hold only a few of them in memory:
/// every token works in its own movement and is refused in each of the 49 others, and the
/// answers stay the same after the states were evicted and loaded again.
async fn fifty_movements_on_one_server_refuse_every_crossed_token_and_survive_eviction(db: TestDb) {
    use graphql_server::store::Residency;
    // Room for about five small movements: most are evicted as others are used.
    let app = TestApp::demo_resident(
        db,
        Residency {
            max_bytes: Some(
                5 * (graphql_server::store::BYTES_PER_MOVEMENT
                    + 20 * graphql_server::store::BYTES_PER_ENTRY),
            ),
            idle_after: None,
        },
    )
    .await;
    let mut movements = Vec::new();
    for i in 0..49 {
        let m = found_other(
            &app,
            &format!("Collectif numéro {i}"),
            &[&format!("Personne Numéro{i} <p{i}@collectif.example>")],
        )
        .await;
        let token = m.tokens.values().next().unwrap().clone();
        let path = format!("/m/{}/graphql", m.slug);
        decide(
            &app,
            &path,
            &token,
            &format!("Première décision du collectif {i}"),
        )
        .await;
        movements.push((path, token, m.org));
    }
    movements.push(("/graphql".to_owned(), app.token("Awa").to_owned(), app.org));
    let ask = "{ organization { name } me { name } revision decisions(first: 5) { edges { node { title } } } }";
    let mut answers = Vec::new();
    for (path, token, _) in &movements {
        let (status, answer) = post(&app, path, Some(token), ask, json!({})).await;
        assert_eq!(
            (status, code(&answer)),
            (200, "OK".to_owned()),
            "{path}: {answer}"
        );
        answers.push(answer);
    }
    let held = app.store.resident_count().await;
    assert!(held <= 6, "{held} movements held in memory, over the bound");
    // Every token against every other movement: 50 × 49 requests, all refused.
    let mut crossed = Vec::new();
    for (i, (_, token, _)) in movements.iter().enumerate() {
        for (j, (path, _, _)) in movements.iter().enumerate() {
            if i != j {
                crossed.push((path.clone(), token.clone()));
            }
        }
    }
    let outcomes = futures_util::future::join_all(crossed.chunks(245).map(|chunk| {
        let app = &app;
        async move {
            let mut refused = 0;
            for (path, token) in chunk {
                let (status, answer) =
                    post(app, path, Some(token), "{ me { name } }", json!({})).await;
                assert_eq!(
                    (status, code(&answer)),
                    (401, "UNAUTHENTICATED".to_owned()),
                    "{path}: {answer}"
                );
                refused += 1;
            }
            refused
        }
    }))
    .await;
    assert_eq!(outcomes.iter().sum::<usize>(), 50 * 49);
    // Evicted and loaded again, each movement answers exactly as before.
    for ((path, token, _), before) in movements.iter().zip(&answers) {
        let (_, again) = post(&app, path, Some(token), ask, json!({})).await;
        assert_eq!(&again, before, "{path}");
    }
    assert!(app.store.resident_count().await <= 6);
}

/// R17 between movements, live: a subscriber of one movement hears nothing of what another
/// records, and still hears its own.
async fn r17_a_subscriber_hears_only_its_own_movement(db: TestDb) {
    use crate::subscription::{connect, receive, send};
    use std::time::Duration;
    let app = TestApp::demo(db).await;
    let rive = found_other(
        &app,
        "Collectif de la Rive",
        &["Zoé Marchand <zoe@rive.example>"],
    )
    .await;
    let at_rive = format!("/m/{}/graphql", rive.slug);
    let zoe = rive.tokens["Zoé"].clone();
    let auth = format!("Bearer {}", app.token("Awa"));
    let mut ws = connect(&app, json!({ "Authorization": auth })).await;
    assert_eq!(
        receive(&mut ws, Duration::from_secs(10)).await["type"],
        "connection_ack"
    );
    send(&mut ws, json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { decisionRecorded { title } }" } })).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    decide(&app, &at_rive, &zoe, "Décision de la Rive").await;
    let heard = tokio::time::timeout(
        Duration::from_millis(1_500),
        receive(&mut ws, Duration::from_secs(5)),
    )
    .await;
    assert!(
        heard.is_err(),
        "a Tilleuls subscriber heard the Rive: {heard:?}"
    );
    let unit = app.ids("Hélène").await.unit("Comité Événements").to_owned();
    let own = app
        .gql(
            Some("Hélène"),
            r#"mutation($u: UUID!) { recordDecision(input: {unitId: $u, domain: "programmation", title: "Décision des Tilleuls"}) { revision } }"#,
            json!({ "u": unit }),
        )
        .await;
    assert_eq!(code(&own), "OK", "{own}");
    let next = receive(&mut ws, Duration::from_secs(2)).await;
    assert_eq!(
        next["payload"]["data"]["decisionRecorded"]["title"], "Décision des Tilleuls",
        "{next}"
    );
}
