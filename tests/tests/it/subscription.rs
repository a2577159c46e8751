//! Subscriptions over WebSocket (`graphql-transport-ws`): a member who follows the movement sees
//! a decision recorded by someone else as soon as it commits; an outsider is turned away.

use crate::app::TestApp;
use crate::helpers::TestDb;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens `ws://ADDR/graphql` and sends `connection_init` with `payload`. Does not wait for the
/// answer.
pub(crate) async fn connect(app: &TestApp, payload: Value) -> Socket {
    connect_to(app.addr, payload).await
}

/// The same, to a server at `addr` (a `gouvernail serve` process).
pub(crate) async fn connect_to(addr: SocketAddr, payload: Value) -> Socket {
    let mut request = format!("ws://{addr}/graphql")
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    let (mut ws, response) = tokio_tungstenite::connect_async(request)
        .await
        .expect("the WebSocket handshake");
    assert_eq!(
        response
            .headers()
            .get("sec-websocket-protocol")
            .and_then(|v| v.to_str().ok()),
        Some("graphql-transport-ws"),
        "the server speaks graphql-transport-ws"
    );
    send(
        &mut ws,
        json!({ "type": "connection_init", "payload": payload }),
    )
    .await;
    ws
}

pub(crate) async fn send(ws: &mut Socket, message: Value) {
    ws.send(Message::text(message.to_string())).await.unwrap();
}

/// The next protocol message (pings and pongs skipped), or a panic after `within`.
pub(crate) async fn receive(ws: &mut Socket, within: Duration) -> Value {
    let next = async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(text))) => {
                    let v: Value = serde_json::from_str(text.as_str()).unwrap();
                    if !matches!(v["type"].as_str(), Some("ping" | "pong")) {
                        return v;
                    }
                }
                Some(Ok(Message::Close(frame))) => {
                    panic!("the server closed the socket: {frame:?}")
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => panic!("WebSocket error: {e}"),
                None => panic!("the socket ended"),
            }
        }
    };
    tokio::time::timeout(within, next)
        .await
        .unwrap_or_else(|_| panic!("no message within {within:?}"))
}

/// A socket of `who`'s, acknowledged, with `query` subscribed as operation "1".
async fn subscribed(app: &TestApp, who: &str, query: &str) -> Socket {
    let auth = format!("Bearer {}", app.token(who));
    let mut ws = connect(app, json!({ "Authorization": auth })).await;
    let ack = receive(&mut ws, Duration::from_secs(10)).await;
    assert_eq!(ack["type"], "connection_ack", "{ack:#}");
    send(
        &mut ws,
        json!({ "id": "1", "type": "subscribe", "payload": { "query": query } }),
    )
    .await;
    // The subscription is registered once the server has read the message and started the
    // stream; nothing is sent back until then, so give it a moment.
    tokio::time::sleep(Duration::from_millis(300)).await;
    ws
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscription_receives_a_decision_recorded_by_another_client() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let ids = app.ids("Hélène").await;
    let unit = ids.unit("Comité Événements").to_owned();
    let mut ws = subscribed(
        &app,
        "Awa",
        "subscription { decisionRecorded { title unitName } }",
    )
    .await;

    let recorded = app
        .gql(
            Some("Hélène"),
            r#"mutation($u: UUID!) { recordDecision(input: {unitId: $u, domain: "programmation", title: "Pique-nique du dimanche"}) { revision } }"#,
            json!({ "u": unit }),
        )
        .await;
    assert!(
        recorded["data"]["recordDecision"]["revision"].is_i64(),
        "Hélène records the decision: {recorded:#}"
    );

    let next = receive(&mut ws, Duration::from_secs(10)).await;
    assert_eq!(next["type"], "next", "{next:#}");
    assert_eq!(next["id"], "1", "{next:#}");
    assert_eq!(
        next["payload"]["data"]["decisionRecorded"],
        json!({ "title": "Pique-nique du dimanche", "unitName": "Comité Événements" }),
        "{next:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_token_ends_its_subscription_with_unauthenticated() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let ids = app.ids("Hélène").await;
    let unit = ids.unit("Comité Événements").to_owned();
    let mut ws = subscribed(&app, "Awa", "subscription { decisionRecorded { title } }").await;

    assert!(
        graphql_server::auth::revoke(&app.store, app.token("Awa"))
            .await
            .unwrap(),
        "the token is revoked"
    );
    let recorded = app
        .gql(
            Some("Hélène"),
            r#"mutation($u: UUID!) { recordDecision(input: {unitId: $u, domain: "programmation", title: "Pique-nique du samedi"}) { revision } }"#,
            json!({ "u": unit }),
        )
        .await;
    assert!(
        recorded["data"]["recordDecision"]["revision"].is_i64(),
        "{recorded:#}"
    );

    // The decision is not delivered; the subscriber is told why its stream ends, then it ends.
    let next = receive(&mut ws, Duration::from_secs(10)).await;
    assert_eq!(next["type"], "next", "{next:#}");
    assert_eq!(
        next["payload"]["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{next:#}"
    );
    assert!(next["payload"]["data"].is_null(), "{next:#}");
    let complete = receive(&mut ws, Duration::from_secs(10)).await;
    assert_eq!(complete["type"], "complete", "{complete:#}");
    assert_eq!(complete["id"], "1", "{complete:#}");
}

/// R17: a member who leaves stops receiving notices, even before their token is revoked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r17_a_member_who_left_stops_receiving_notices() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let ids = app.ids("Awa").await;
    let coordination = ids.unit("Coordination").to_owned();
    let leo = ids.member("Léo").to_owned();
    let mut ws = subscribed(&app, "Léo", "subscription { decisionRecorded { title } }").await;

    let removed = app
        .gql(
            Some("Awa"),
            r#"mutation($u: UUID!, $m: UUID!) { recordDecision(input: {unitId: $u, domain: "structure", title: "Départ de Léo à sa demande", effects: [{removeMember: $m}]}) { revision } }"#,
            json!({ "u": coordination, "m": leo }),
        )
        .await;
    assert!(
        removed["data"]["recordDecision"]["revision"].is_i64(),
        "{removed:#}"
    );

    let next = receive(&mut ws, Duration::from_secs(10)).await;
    assert_eq!(next["type"], "next", "{next:#}");
    assert_eq!(
        next["payload"]["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{next:#}"
    );
    let complete = receive(&mut ws, Duration::from_secs(10)).await;
    assert_eq!(complete["type"], "complete", "{complete:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outsider_cannot_subscribe() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let mut ws = connect(&app, json!({})).await;
    let ack = receive(&mut ws, Duration::from_secs(10)).await;
    assert_eq!(ack["type"], "connection_ack", "{ack:#}");
    send(
        &mut ws,
        json!({
            "id": "1",
            "type": "subscribe",
            "payload": { "query": "subscription { decisionRecorded { title } }" },
        }),
    )
    .await;
    let answer = receive(&mut ws, Duration::from_secs(10)).await;
    let errors = match answer["type"].as_str() {
        Some("error") => &answer["payload"],
        Some("next") => &answer["payload"]["errors"],
        _ => panic!("an error, not {answer:#}"),
    };
    assert_eq!(
        errors[0]["extensions"]["code"], "UNAUTHENTICATED",
        "{answer:#}"
    );
    assert!(
        answer["payload"]["data"].is_null()
            || answer["payload"]["data"]["decisionRecorded"].is_null(),
        "no data for an outsider: {answer:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_token_is_refused_at_connection_init() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let fake = format!("Bearer gvn_{}", "0".repeat(64));
    let mut ws = connect(&app, json!({ "Authorization": fake })).await;
    let refused = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(text))) => {
                    let v: Value = serde_json::from_str(text.as_str()).unwrap();
                    assert_ne!(
                        v["type"], "connection_ack",
                        "an unknown token is not acknowledged"
                    );
                }
                Some(Ok(Message::Close(frame))) => return frame,
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return None,
            }
        }
    })
    .await
    .expect("the server ends the connection");
    // async-graphql closes with 1002 and the error message (graphql-ws suggests 4403).
    if let Some(frame) = refused {
        assert!(
            !frame.reason.is_empty(),
            "the close frame says why: {frame:?}"
        );
    }
}

/// The first error a subscribe message got back, whichever way the server framed it.
async fn refusal_of(ws: &mut Socket, id: &str, query: &str) -> Value {
    send(
        ws,
        json!({ "id": id, "type": "subscribe", "payload": { "query": query } }),
    )
    .await;
    // An operation that ended with an error may be followed by its `complete`.
    let answer = loop {
        let m = receive(ws, Duration::from_secs(10)).await;
        if m["type"] != "complete" {
            break m;
        }
    };
    assert_eq!(answer["id"], id, "{answer:#}");
    match answer["type"].as_str() {
        Some("error") => answer["payload"][0].clone(),
        Some("next") => answer["payload"]["errors"][0].clone(),
        _ => panic!("an error, not {answer:#}"),
    }
}

/// Messages over a WebSocket reach the engine without the HTTP edge, which measures every
/// document before it runs (ADR 0013): the socket's own schema must still refuse a document
/// over its budget, and a query or a mutation (only subscriptions are served there, so that the
/// body limit, the timeout and the rate limits of HTTP cannot be gone around).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_a_websocket_documents_are_measured_and_only_subscriptions_run() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let auth = format!("Bearer {}", app.token("Awa"));
    let mut ws = connect(&app, json!({ "Authorization": auth })).await;
    let ack = receive(&mut ws, Duration::from_secs(10)).await;
    assert_eq!(ack["type"], "connection_ack", "{ack:#}");

    let aliases: String = (0..300)
        .map(|i| format!("a{i}: decisionRecorded {{ title }} "))
        .collect();
    let over = refusal_of(&mut ws, "1", &format!("subscription {{ {aliases} }}")).await;
    assert_eq!(over["extensions"]["code"], "LIMIT_EXCEEDED", "{over:#}");

    let query = refusal_of(&mut ws, "2", "{ decisions(first: 1) { edges { cursor } } }").await;
    assert_eq!(query["extensions"]["code"], "BAD_REQUEST", "{query:#}");
    assert!(
        query["message"]
            .as_str()
            .is_some_and(|m| m.contains("only subscriptions")),
        "{query:#}"
    );

    let write = refusal_of(
        &mut ws,
        "3",
        r#"mutation { recordDecision(input: {unitId: "00000000-0000-0000-0000-000000000000", domain: "budget", title: "Par la porte de derrière"}) { revision } }"#,
    )
    .await;
    assert_eq!(write["extensions"]["code"], "BAD_REQUEST", "{write:#}");
}
