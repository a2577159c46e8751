//! Hostile requests at the edge, over real HTTP connections: what a client without a token can
//! make the server do must cost little, and must not slow down everyone else.

use crate::app::{TestApp, code};
use crate::helpers::TestDb;
use graphql_server::http::HttpLimits;
use serde_json::json;
use std::time::{Duration, Instant};

/// The fragment bomb of the report: each fragment spreads the one before it twice, so a
/// kilobyte asks for 2^depth fields.
fn fragment_bomb(depth: usize) -> String {
    let mut q = String::from("fragment F0 on Query { revision }\n");
    for i in 1..=depth {
        q.push_str(&format!(
            "fragment F{i} on Query {{ ...F{} ...F{} }}\n",
            i - 1,
            i - 1
        ));
    }
    q.push_str(&format!("query {{ ...F{depth} }}"));
    q
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fragment_bomb_is_refused_before_validation_and_health_stays_fast() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let bomb = fragment_bomb(30);
    assert!(bomb.len() < 2_000);
    let started = Instant::now();
    let (status, body) = app
        .post_raw(serde_json::to_vec(&json!({ "query": bomb })).unwrap())
        .await;
    let took = started.elapsed();
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "LIMIT_EXCEEDED",
        "{body}"
    );
    // Refused by a linear measure, not by expanding it: milliseconds, with a wide margin for a
    // loaded machine (the report measured 15 s for depth 25 before).
    assert!(took < Duration::from_secs(1), "took {took:?}");

    // Eight at once, while /health is asked: it keeps answering at once.
    let client = reqwest::Client::new();
    let url = app.url();
    let mut bombs = Vec::new();
    for _ in 0..8 {
        let (client, url, bomb) = (client.clone(), url.clone(), bomb.clone());
        bombs.push(tokio::spawn(async move {
            client
                .post(url)
                .json(&json!({ "query": bomb }))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let health = format!("http://{}/health", app.addr);
    let mut probes = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let r = client.get(&health).send().await.unwrap();
        assert_eq!(r.status(), 200);
        probes.push(t.elapsed());
    }
    for b in bombs {
        assert_eq!(b.await.unwrap(), 400);
    }
    probes.sort();
    assert!(
        probes[2] < Duration::from_millis(50),
        "median /health {probes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fragment_cycles_aliases_and_huge_documents_are_refused_with_their_codes() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let cycle = app
        .gql(
            None,
            "fragment A on Query { ...B } fragment B on Query { ...A } query { ...A }",
            json!({}),
        )
        .await;
    assert_eq!(code(&cycle), "BAD_REQUEST", "{cycle}");
    let aliases: String = (0..300).map(|i| format!("a{i}: revision ")).collect();
    let many = app.gql(None, &format!("{{ {aliases} }}"), json!({})).await;
    assert_eq!(code(&many), "LIMIT_EXCEEDED", "{many}");
    let tokens = app
        .gql(
            None,
            &format!("{{ {} }}", "chainHead { revision } ".repeat(4_000)),
            json!({}),
        )
        .await;
    assert_eq!(code(&tokens), "LIMIT_EXCEEDED", "{tokens}");
    let french = app
        .gql_lang(None, "fr", &format!("{{ {aliases} }}"), json!({}))
        .await;
    let message = french["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("limite du serveur"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_introspection_refuses_schema_fields_only_never_typename_comments_or_strings() {
    let off = TestApp::demo_with(
        TestDb::sqlite(),
        HttpLimits {
            introspection: false,
            ..HttpLimits::default()
        },
    )
    .await;
    for allowed in [
        "{ __typename chainHead { revision __typename } }",
        "# no __schema here, nor __type\n{ chainHead { revision } }",
        "{ decisions(first: 1, text: \"__schema __type\") { edges { cursor } } }",
    ] {
        let r = off.gql(None, allowed, json!({})).await;
        assert_eq!(code(&r), "OK", "{allowed}: {r}");
    }
    for refused in [
        "{ __schema { queryType { name } } }",
        "{ __type(name: \"Unit\") { name } }",
        "fragment I on Query { __schema { types { name } } } { ...I }",
    ] {
        let r = off.gql(None, refused, json!({})).await;
        assert_eq!(code(&r), "INTROSPECTION_DISABLED", "{refused}: {r}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_is_normalised_and_control_characters_overrides_and_invisible_titles_are_refused() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let ids = app.ids("Léo").await;
    let unit = ids.unit("Comité Réseaux sociaux").to_owned();
    let raise = "mutation($u: UUID!, $t: String!, $d: String) { raiseTension(input: {about: {unit: $u}, title: $t, description: $d}) { tension { title description } } }";
    for (title, why) in [
        ("Tri\u{0}age", "NUL"),
        ("\u{1b}[31mRouge\u{1b}[0m", "terminal escape"),
        ("Publications \u{202E}eniarvuoc", "right-to-left override"),
        ("\u{200B}\u{200B}\u{200B}", "only zero-width spaces"),
        ("\u{2066}\u{2069}", "only isolates"),
        ("Deux\nlignes", "a newline in a title"),
    ] {
        let r = app
            .gql(Some("Léo"), raise, json!({"u": unit, "t": title}))
            .await;
        assert_eq!(code(&r), "VALIDATION", "{why}: {r}");
    }
    // "Inès" typed with a combining grave accent is still Inès (R14).
    let combining = "Ine\u{300}s publie trop le week-end";
    let r = app
        .gql(Some("Léo"), raise, json!({"u": unit, "t": combining}))
        .await;
    assert_eq!(code(&r), "VALIDATION", "{r}");
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Inès Haddad"),
        "{r}"
    );
    // Long texts keep their lines and tabs, and come back in NFC.
    let ok = app
        .gql(Some("Léo"), raise, json!({"u": unit, "t": "Les publicatio\u{0301}ns du samedi", "d": "Ligne 1\n\tLigne 2\r\nLigne 3"}))
        .await;
    assert_eq!(code(&ok), "OK", "{ok}");
    assert_eq!(
        ok["data"]["raiseTension"]["tension"]["title"],
        "Les publicati\u{f3}ns du samedi"
    );
    assert_eq!(
        ok["data"]["raiseTension"]["tension"]["description"],
        "Ligne 1\n\tLigne 2\nLigne 3"
    );
    let french = app
        .gql_lang(
            Some("Léo"),
            "fr",
            raise,
            json!({"u": unit, "t": "\u{200B}"}),
        )
        .await;
    assert_eq!(
        french["errors"][0]["message"], "le champ « title » ne contient aucun caractère visible",
        "{french}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dates_outside_the_years_of_governance_are_refused() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let ids = app.ids("Awa").await;
    let coordination = ids.unit("Coordination").to_owned();
    let far = "9999-01-01T10:00:00Z";
    let meeting = app
        .gql(Some("Awa"), "mutation($u: UUID!, $s: DateTime!, $e: DateTime!) { conveneMeeting(input: {kind: {unit: $u}, startsAt: $s, endsAt: $e, place: \"Local\"}) { revision } }",
            json!({"u": coordination, "s": far, "e": "9999-01-01T12:00:00Z"}))
        .await;
    assert_eq!(code(&meeting), "VALIDATION", "{meeting}");
    let effective = app
        .gql(Some("Awa"), "mutation($u: UUID!, $f: DateTime!) { recordDecision(input: {unitId: $u, domain: \"communication externe\", title: \"Plus tard\", effectiveFrom: $f}) { revision } }",
            json!({"u": coordination, "f": far}))
        .await;
    assert_eq!(code(&effective), "VALIDATION", "{effective}");
    assert_eq!(
        effective["errors"][0]["extensions"]["field"],
        "effectiveFrom"
    );
    let ancient = app
        .gql(
            Some("Awa"),
            "{ authorityMap(at: \"1066-10-14T00:00:00Z\") { domain } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&ancient), "VALIDATION", "{ancient}");
}

/// A server over the demo with small connection limits, for the tests that misbehave on purpose.
async fn strict_app() -> TestApp {
    TestApp::demo_with(
        TestDb::sqlite(),
        HttpLimits {
            connections: graphql_server::conn::ConnectionLimits {
                max_total: 64,
                max_per_ip: 4,
                header_timeout: Duration::from_millis(500),
            },
            body_timeout: Duration::from_millis(500),
            per_ip_per_minute: 30,
            subscriptions_per_token: 2,
            ..HttpLimits::default()
        },
    )
    .await
}

/// Reads what the server sends until it closes the connection, or `within` passes.
async fn read_until_closed(stream: &mut tokio::net::TcpStream, within: Duration) -> Option<String> {
    use tokio::io::AsyncReadExt;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let read = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(within, read).await.ok()?;
    Some(String::from_utf8_lossy(&got).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_headers_and_slow_bodies_are_cut_off() {
    use tokio::io::AsyncWriteExt;
    let app = strict_app().await;
    // Half the headers, then nothing: the connection is closed after the header timeout.
    let mut slow = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    slow.write_all(b"POST /graphql HTTP/1.1\r\nHost: gouvernail\r\nContent-Ty")
        .await
        .unwrap();
    let answer = read_until_closed(&mut slow, Duration::from_secs(5)).await;
    assert!(
        answer.is_some(),
        "the half-sent request is still open after 5 s"
    );
    // The whole headers, then a body one byte at a time: 408 once the body timeout passes.
    let mut trickle = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    trickle
        .write_all(b"POST /graphql HTTP/1.1\r\nHost: gouvernail\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
        .await
        .unwrap();
    let answer = read_until_closed(&mut trickle, Duration::from_secs(5))
        .await
        .expect("the slow body is answered and closed within 5 s");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_announced_over_the_limit_is_refused_before_it_is_sent() {
    use tokio::io::AsyncWriteExt;
    let app = strict_app().await;
    let mut big = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    big.write_all(b"POST /graphql HTTP/1.1\r\nHost: gouvernail\r\nContent-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 512];
    let n = tokio::time::timeout(Duration::from_secs(2), async {
        use tokio::io::AsyncReadExt;
        big.read(&mut buf).await.unwrap()
    })
    .await
    .expect("an answer at once, without sending the body");
    let head = String::from_utf8_lossy(&buf[..n]);
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_are_capped_per_client_address() {
    let app = strict_app().await;
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(tokio::net::TcpStream::connect(app.addr).await.unwrap());
    }
    // Give the server a moment to accept the four.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut fifth = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let closed = read_until_closed(&mut fifth, Duration::from_secs(2)).await;
    assert_eq!(
        closed.as_deref(),
        Some(""),
        "the fifth is closed at once, unanswered"
    );
    // Once one goes, a new one is served.
    drop(idle.pop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let health = reqwest::Client::new()
        .get(format!("http://{}/health", app.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websocket_upgrades_count_against_the_rate_limit_of_their_address() {
    let app = strict_app().await;
    let client = reqwest::Client::new();
    let mut last = 0;
    // Thirty requests a minute from one address: the thirty-first upgrade is refused.
    for _ in 0..31 {
        last = client
            .get(app.url())
            .header("upgrade", "websocket")
            .header("connection", "upgrade")
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
    }
    assert_eq!(last, 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_token_holds_a_bounded_number_of_subscriptions() {
    use crate::subscription::{connect, receive, send};
    let app = strict_app().await;
    let auth = format!("Bearer {}", app.token("Awa"));
    let mut ws = connect(&app, json!({ "Authorization": auth })).await;
    let ack = receive(&mut ws, Duration::from_secs(10)).await;
    assert_eq!(ack["type"], "connection_ack", "{ack:#}");
    for id in ["1", "2", "3"] {
        send(
            &mut ws,
            json!({ "id": id, "type": "subscribe", "payload": { "query": "subscription { decisionRecorded { title } }" } }),
        )
        .await;
    }
    // The three start concurrently: whichever comes third is refused with its code, and
    // nothing else is said until a decision is recorded.
    let refused = receive(&mut ws, Duration::from_secs(10)).await;
    assert_eq!(refused["type"], "next", "{refused:#}");
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"], "LIMIT_EXCEEDED",
        "{refused:#}"
    );
    let done = receive(&mut ws, Duration::from_secs(10)).await;
    assert_eq!(done["type"], "complete", "{done:#}");
    assert_eq!(done["id"], refused["id"]);
}

/// Who may read a record is the replayed log's answer: flipping the `visibility` column of a
/// members-only decision (with the append-only triggers dropped) shows outsiders nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flipped_visibility_column_does_not_publish_a_decision() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let page = "{ decisions(first: 100) { edges { node { id title visibility } } } }";
    let before = app.gql(None, page, json!({})).await;
    let titles = |v: &serde_json::Value| -> Vec<String> {
        v["data"]["decisions"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        titles(&before),
        ["Le collectif soutient la pétition pour le parc des Tilleuls"]
    );
    app.db
        .tamper("UPDATE decisions SET visibility = 'published' WHERE title = 'Achat d''une sono, 350 €'")
        .await;
    let after = app.gql(None, page, json!({})).await;
    assert_eq!(titles(&after), titles(&before), "{after}");
}

/// Tokens are audited, can expire, and can be restricted to reading.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_audited_expire_and_a_read_only_token_never_writes() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let store = &app.store;
    let awa = store
        .read(app.org, None)
        .await
        .unwrap()
        .movement
        .members()
        .find(|m| m.name.as_str() == "Awa Diallo")
        .unwrap()
        .id;
    let before = app.gql(Some("Awa"), "{ revision }", json!({})).await["data"]["revision"]
        .as_i64()
        .unwrap();
    let reader =
        graphql_server::auth::create_scoped(store, app.org, awa, "tableau de bord", None, true)
            .await
            .unwrap();
    let client = reqwest::Client::new();
    let post = |token: String, query: &'static str| {
        let (client, url) = (client.clone(), app.url());
        async move {
            let r = client
                .post(url)
                .bearer_auth(token)
                .json(&json!({ "query": query }))
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (status, read) = post(reader.clone(), "{ me { name } }").await;
    assert_eq!(
        (status, read["data"]["me"]["name"].clone()),
        (200, json!("Awa Diallo"))
    );
    let (status, write) = post(reader.clone(), "mutation { markRead }").await;
    assert_eq!(status, 403, "{write}");
    assert_eq!(write["errors"][0]["extensions"]["code"], "READ_ONLY_TOKEN");
    // An expired token is no token.
    let expired = graphql_server::auth::create_scoped(
        store,
        app.org,
        awa,
        "expiré",
        Some(chrono::Utc::now() - chrono::Duration::seconds(1)),
        false,
    )
    .await
    .unwrap();
    let (status, _) = post(expired, "{ me { name } }").await;
    assert_eq!(status, 401);
    // Its expiry gets its own entry, once.
    assert_eq!(
        graphql_server::auth::record_expiries(store, app.org)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        graphql_server::auth::record_expiries(store, app.org)
            .await
            .unwrap(),
        0
    );
    // Both creations and a revocation are entries of the audit chain, which still verifies,
    // and the governance state did not move.
    assert!(graphql_server::auth::revoke(store, &reader).await.unwrap());
    let log = app
        .gql(
            Some("Awa"),
            "{ revision auditLog(first: 4) { action } verifyChain { intact } }",
            json!({}),
        )
        .await;
    assert_eq!(log["data"]["revision"], before + 4, "{log}");
    let actions: Vec<&str> = log["data"]["auditLog"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "token_revoked",
            "token_expired",
            "token_created",
            "token_created"
        ],
        "{log}"
    );
    assert_eq!(log["data"]["verifyChain"]["intact"], true);
    let (status, _) = post(reader, "{ me { name } }").await;
    assert_eq!(status, 401, "a revoked token is refused");
}

/// The contract slips of the report, over HTTP: a member whose mandates are all over holds no
/// mandate; a refusal is about the mandate the holder named.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_name_the_right_reason_and_the_right_mandate() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let ids = app.ids("Awa").await;
    let fatou = ids.member("Fatou").to_owned();
    let events = ids.unit("Comité Événements").to_owned();
    let verdict = app
        .gql(Some("Awa"), "query($m: UUID!, $u: UUID!) { mayDecide(memberId: $m, unitId: $u, domain: \"lieux\") { code } }",
            json!({"m": fatou, "u": events}))
        .await;
    assert_eq!(
        verdict["data"]["mayDecide"]["code"], "NO_MANDATE",
        "{verdict}"
    );
    // Chloé revokes Djamel's renewed mandate; he names his first one, expired in May: the
    // refusal is about that one, not about the revoked renewal.
    let porte = ids.unit("Comité Porte-à-porte").to_owned();
    let pole = ids.unit("Pôle Mobilisation").to_owned();
    let mandates = app
        .gql(
            Some("Djamel"),
            "{ me { mandates { id status } } }",
            json!({}),
        )
        .await;
    let with = |status: &str| {
        mandates["data"]["me"]["mandates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["status"] == status)
            .unwrap_or_else(|| panic!("a mandate {status} in {mandates}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (expired, renewal) = (with("EXPIRED"), with("IN_FORCE"));
    let revoked = app
        .gql(Some("Chloé"), "mutation($u: UUID!, $m: UUID!) { recordDecision(input: {unitId: $u, domain: \"mandats\", title: \"Fin du mandat tournées\", effects: [{revokeMandate: $m}]}) { revision } }",
            json!({"u": pole, "m": renewal}))
        .await;
    assert_eq!(code(&revoked), "OK", "{revoked}");
    let named = app
        .gql(Some("Djamel"), "mutation($u: UUID!, $m: UUID!) { recordDecision(input: {unitId: $u, domain: \"tournées\", title: \"Tournée\", mandateId: $m}) { revision } }",
            json!({"u": porte, "m": expired}))
        .await;
    assert_eq!(
        named["errors"][0]["extensions"]["code"], "MANDATE_EXPIRED",
        "{named}"
    );
    assert_eq!(
        named["errors"][0]["extensions"]["mandateId"],
        expired.as_str(),
        "{named}"
    );
}

/// A token row changed behind the chain (a read-only token made full) is found by `verify`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_row_changed_behind_the_chain_breaks_verification() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let awa = app
        .store
        .read(app.org, None)
        .await
        .unwrap()
        .movement
        .members()
        .find(|m| m.name.as_str() == "Awa Diallo")
        .unwrap()
        .id;
    graphql_server::auth::create_scoped(&app.store, app.org, awa, "lecture", None, true)
        .await
        .unwrap();
    assert!(app.store.verify(app.org, None).await.unwrap().is_intact());
    app.db
        .tamper("UPDATE api_tokens SET read_only = false WHERE label = 'lecture'")
        .await;
    let v = app.store.verify(app.org, None).await.unwrap();
    assert!(!v.is_intact(), "{v:?}");
}

/// WebSockets and silent connections hold their place under the per-address cap, and a
/// connection that sends nothing is cut off after the header timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websockets_count_under_the_connection_cap_and_silent_connections_are_cut_off() {
    let app = strict_app().await;
    let mut sockets = Vec::new();
    for _ in 0..4 {
        sockets.push(crate::subscription::connect(&app, json!({})).await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut fifth = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let closed = read_until_closed(&mut fifth, Duration::from_secs(2)).await;
    assert_eq!(closed.as_deref(), Some(""), "the fifth is closed at once");
    drop(sockets);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut silent = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let cut = read_until_closed(&mut silent, Duration::from_secs(5)).await;
    assert!(
        cut.is_some(),
        "a connection that sends nothing is closed within 5 s"
    );
}

// ----- the command line, run as a process ------------------------------------------------------

/// Logs written to a file or a pipe carry no terminal colour codes.
#[test]
fn logs_to_a_pipe_have_no_colour_codes() {
    let db = TestDb::sqlite();
    let out = crate::cli::gouvernail(Some(&db), &["migrate"])
        .env("RUST_LOG", "info")
        .output()
        .expect("run gouvernail migrate");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Applying"),
        "something was logged: {stderr}"
    );
    assert!(!stderr.contains('\u{1b}'), "no ANSI escape: {stderr:?}");
}

/// The server verifies the tail of its chains before serving: a tampered database is refused,
/// unless the operator says to serve it anyway, and then `/health` says it is tampered.
#[tokio::test]
async fn serve_refuses_a_tampered_database_unless_told_and_health_says_so() {
    let db = TestDb::sqlite();
    crate::cli::init_canal(&db);
    db.tamper("UPDATE audit_entries SET payload = payload || ' ' WHERE revision = 1")
        .await;
    let refused = crate::cli::gouvernail(Some(&db), &["serve", "--listen", "127.0.0.1:0"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run gouvernail serve");
    assert!(!refused.status.success(), "{refused:#?}");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("--serve-unverified"), "{stderr}");

    let mut server = crate::cli::Server::start(
        &db,
        &["serve", "--listen", "127.0.0.1:0", "--serve-unverified"],
    );
    let lines = server.lines_until("listens on http://");
    let addr = lines
        .last()
        .unwrap()
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_owned();
    let health = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!("http://{addr}/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 503);
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["status"], "tampered", "{body}");
    assert_eq!(body["chain"]["intact"], false, "{body}");
    let _ = server.terminate(Duration::from_secs(30));
}

#[tokio::test]
async fn token_list_shows_scope_expiry_and_status_but_never_a_secret() {
    let db = TestDb::sqlite();
    crate::cli::init_canal(&db);
    let made = crate::cli::run(
        &db,
        &[
            "token",
            "create",
            "--member",
            "leo@canal.example",
            "--label",
            "tableau",
            "--read-only",
            "--expires-in",
            "30d",
        ],
    );
    let token = made.succeeded().stdout.trim().to_owned();
    assert!(crate::cli::is_token(&token), "{made:#?}");
    let bad = crate::cli::run(
        &db,
        &[
            "token",
            "create",
            "--member",
            "leo@canal.example",
            "--expires-in",
            "forever",
        ],
    );
    assert_eq!(bad.code(), Some(2), "{bad:#?}");
    let listed = crate::cli::run(&db, &["token", "list", "--member", "leo@canal.example"]);
    let out = &listed.succeeded().stdout;
    assert!(
        out.contains("tableau") && out.contains("read-only") && out.contains("live"),
        "{out}"
    );
    assert!(!out.contains(&token), "the secret never shows: {out}");
    assert!(!out.contains(&token[4..20]), "nor a piece of it: {out}");
    assert!(
        crate::cli::run(&db, &["token", "revoke", "--token", &token])
            .status
            .success()
    );
    let listed = crate::cli::run(&db, &["token", "list", "--member", "leo@canal.example"]);
    assert!(listed.stdout.contains("revoked"), "{listed:#?}");
}
