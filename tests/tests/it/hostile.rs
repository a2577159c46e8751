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
