//! A restart in the middle of sending loses no message and sends none twice. A real `gouvernail
//! serve` process sends convocations to an SMTP sink that holds one message unanswered; the
//! process is killed with SIGKILL while it waits; a new process on the same database sends the
//! rest, and the held message again once its lease has run out. The sink, which accepts a
//! message only when its sender hears the `250`, must then hold each message exactly once. On
//! SQLite and on PostgreSQL.

use crate::app::first_name;
use crate::cli::{Server, is_token};
use crate::helpers::{TestDb, on_both_backends};
use crate::sinks::SmtpSink;
use graphql_server::web::mail::message_id;
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::Duration;

on_both_backends!(outbox_a_kill_mid_send_loses_no_message_and_sends_none_twice);

fn args<'a>(db: &'a TestDb, sink: &'a str, demo: bool) -> Vec<&'a str> {
    let _ = db;
    let mut a = vec![
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--smtp-url",
        sink,
        "--base-url",
        "http://gouvernail.example",
        "--outbox-poll-ms",
        "50",
        "--outbox-lease-seconds",
        "2",
        "--outbox-backoff-seconds",
        "1",
        "--outbox-schedule-seconds",
        "3600",
        "--verify-every-minutes",
        "0",
    ];
    if demo {
        a.push("--demo");
    }
    a
}

fn address(lines: &[String]) -> String {
    let line = lines
        .iter()
        .find(|l| l.contains("listens on http://"))
        .unwrap();
    line.split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_owned()
}

async fn gql(addr: &str, token: &str, query: &str, variables: Value) -> Value {
    reqwest::Client::new()
        .post(format!("http://{addr}/graphql"))
        .bearer_auth(token)
        .json(&json!({"query": query, "variables": variables}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The outbox's mail rows: key and status.
async fn rows(url: &str) -> Vec<(String, String)> {
    let db = Database::connect(url).await.unwrap();
    let backend = db.get_database_backend();
    let all = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT idempotency_key, status FROM outbox WHERE channel = 'mail'",
        ))
        .await
        .unwrap();
    all.iter()
        .map(|r| {
            (
                r.try_get::<String>("", "idempotency_key").unwrap(),
                r.try_get::<String>("", "status").unwrap(),
            )
        })
        .collect()
}

async fn outbox_a_kill_mid_send_loses_no_message_and_sends_none_twice(db: TestDb) {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    sink.hold_next();
    let start = |demo: bool| {
        let (db, url) = (&db, url.clone());
        let mut server = Server::start(db, &args(db, &url, demo));
        let lines = server.lines_until("listens on http://");
        (server, lines)
    };
    let (first, lines) = start(true);
    let addr = address(&lines);
    let tokens: HashMap<String, String> = lines
        .iter()
        .filter_map(|line| {
            let token = line.rsplit(' ').next()?;
            is_token(token).then(|| (first_name(line), token.to_owned()))
        })
        .collect();
    let ids = gql(&addr, &tokens["Léo"], "{ units { id name } }", json!({})).await;
    let unit = |name: &str| -> String {
        ids["data"]["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["name"] == name)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // Two convocations to two colleges: several messages pending at once.
    let convene = "mutation($u: UUID!, $from: DateTime!, $to: DateTime!) { conveneMeeting(input: {kind: {unit: $u}, startsAt: $from, endsAt: $to, place: \"Local\"}) { meeting { id } } }";
    let day = |d: i64, h: i64| {
        (chrono::Utc::now() + chrono::Duration::days(d) + chrono::Duration::hours(h)).to_rfc3339()
    };
    for (who, name) in [("Chloé", "Pôle Mobilisation"), ("Awa", "Coordination")] {
        let r = gql(
            &addr,
            &tokens[who],
            convene,
            json!({"u": unit(name), "from": day(5, 0), "to": day(5, 2)}),
        )
        .await;
        assert!(r["errors"].is_null(), "{r}");
    }
    // The first message is in the sink's hands, unanswered: the sender waits for its `250`.
    sink.wait(Duration::from_secs(30), "a message held", |s| s.holding())
        .await;
    let stderr = first.kill();
    let queued = rows(&db.url).await;
    assert!(
        queued.len() >= 3,
        "several messages were queued: {queued:?}\n{stderr}"
    );
    assert!(
        queued.iter().any(|(_, s)| s != "sent"),
        "some were still to send when the server died: {queued:?}"
    );
    // The sender is gone: the held message was never acknowledged to it.
    sink.release();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let (second, _) = start(false);
    let mut delivered = false;
    for _ in 0..300 {
        let now = rows(&db.url).await;
        if now.iter().all(|(_, s)| s == "sent") {
            delivered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let after = rows(&db.url).await;
    let stderr = second.kill();
    assert!(
        delivered,
        "every message sent after the restart: {after:?}\n{stderr}"
    );
    // None lost (the new process's scheduler may have queued reminders due meanwhile).
    for (key, _) in &queued {
        assert!(
            after.iter().any(|(k, _)| k == key),
            "{key} was lost: {after:?}"
        );
    }
    let accepted = sink.accepted();
    for (key, _) in &after {
        let id = message_id(key);
        let copies = accepted
            .iter()
            .filter(|m| m.header("Message-ID").as_deref() == Some(id.as_str()))
            .count();
        assert_eq!(copies, 1, "{key} accepted {copies} times");
    }
    assert_eq!(accepted.len(), after.len(), "nothing else was sent");
}
