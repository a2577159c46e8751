//! The token table each server keeps in memory (issue #14): a token revoked, expired or whose
//! member left is refused by every request that begins after the change was acknowledged, on
//! the server that made it and on every other server over the same database, while requests
//! keep arriving.

use crate::app::TestApp;
use crate::helpers::{TestDb, on_both_backends};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

on_both_backends!(
    a_token_revoked_under_load_is_refused_by_every_request_sent_after_on_every_server,
    a_token_expiring_under_load_is_refused_from_its_expiry_on,
);

/// One request's fate: when it was sent, and whether the token was accepted.
type Sent = (Instant, bool);

/// Sends `{ me { name } }` with `token` to `url` in a loop until `stop`, recording each answer.
async fn hammer(url: String, token: String, stop: Arc<AtomicBool>) -> Vec<Sent> {
    let client = reqwest::Client::new();
    let mut sent = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let at = Instant::now();
        let answer = client
            .post(&url)
            .bearer_auth(&token)
            .json(&serde_json::json!({ "query": "{ me { name } }" }))
            .send()
            .await
            .unwrap();
        let status = answer.status().as_u16();
        let body: serde_json::Value = answer.json().await.unwrap();
        let accepted = status == 200 && body["data"]["me"]["name"].is_string();
        assert!(
            accepted || status == 401,
            "neither accepted nor refused as unauthenticated: {status} {body}"
        );
        sent.push((at, accepted));
    }
    sent
}

/// Load on both servers with Awa's token, from four clients each.
fn load(
    servers: &[&TestApp],
    token: &str,
    stop: &Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<Vec<Sent>>> {
    let mut tasks = Vec::new();
    for server in servers {
        for _ in 0..4 {
            tasks.push(tokio::spawn(hammer(
                server.url(),
                token.to_owned(),
                stop.clone(),
            )));
        }
    }
    tasks
}

/// Checks that the token was accepted before `change` (so the servers held it in their
/// tables) and refused by every request sent after `change`.
async fn refused_after(tasks: Vec<tokio::task::JoinHandle<Vec<Sent>>>, change: Instant) {
    let (mut before, mut after) = (0, 0);
    for task in tasks {
        for (at, accepted) in task.await.unwrap() {
            if at < change {
                before += usize::from(accepted);
            } else {
                after += 1;
                assert!(
                    !accepted,
                    "a request sent {:?} after the change was acknowledged was accepted",
                    at - change
                );
            }
        }
    }
    assert!(before > 0, "the token was never accepted before the change");
    assert!(after > 0, "no request was sent after the change");
}

/// A revocation made through one server's store is acknowledged only once that server stopped
/// trusting the token; the other server, whose table also holds it, refuses it from the next
/// request on, since every request checks the head first (ADR 0007).
async fn a_token_revoked_under_load_is_refused_by_every_request_sent_after_on_every_server(
    db: TestDb,
) {
    let (one, two) = servers(db).await;
    let token =
        graphql_server::auth::create(&one.store, one.org, member(&one, "Awa").await, "charge")
            .await
            .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let tasks = load(&[&one, &two], &token, &stop);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(
        graphql_server::auth::revoke(&one.store, &token)
            .await
            .unwrap()
    );
    let revoked = Instant::now();
    tokio::time::sleep(Duration::from_millis(400)).await;
    stop.store(true, Ordering::Relaxed);
    refused_after(tasks, revoked).await;
    // The other tokens of the same member still work: the table was emptied, not poisoned.
    let still = two
        .gql(Some("Awa"), "{ me { name } }", serde_json::json!({}))
        .await;
    assert!(still["data"]["me"]["name"].is_string(), "{still}");
}

/// An expiry needs no entry to take effect: the table keeps the expiry and checks it on every
/// use, on every server.
async fn a_token_expiring_under_load_is_refused_from_its_expiry_on(db: TestDb) {
    let (one, two) = servers(db).await;
    let expires = chrono::Utc::now() + chrono::Duration::milliseconds(700);
    let token = graphql_server::auth::create_scoped(
        &one.store,
        one.org,
        member(&one, "Awa").await,
        "charge",
        Some(expires),
        false,
    )
    .await
    .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let tasks = load(&[&one, &two], &token, &stop);
    let until_expiry = (expires - chrono::Utc::now()).to_std().unwrap_or_default();
    let expiry = Instant::now() + until_expiry;
    tokio::time::sleep(until_expiry + Duration::from_millis(400)).await;
    stop.store(true, Ordering::Relaxed);
    refused_after(tasks, expiry).await;
}

/// Two servers over one database, with the rate limits out of the way of the load.
async fn servers(db: TestDb) -> (TestApp, TestApp) {
    let limits = graphql_server::http::HttpLimits {
        per_token_per_minute: 1_000_000,
        per_ip_per_minute: 1_000_000,
        ..Default::default()
    };
    let one = TestApp::demo_with(db, limits.clone()).await;
    let two = one.another_server_with(limits).await;
    (one, two)
}

async fn member(app: &TestApp, name: &str) -> governance_core::MemberId {
    let state = app.store.read(app.org, None).await.unwrap();
    state
        .movement
        .members()
        .find(|m| m.name.as_str().starts_with(name))
        .unwrap()
        .id
}
