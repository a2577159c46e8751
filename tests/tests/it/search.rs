//! French-aware search over decision records (issue #13): `search` and `decisions(text:)` over
//! HTTP on both backends, each promise with the attack that would break it (accents, stems,
//! several words, phrases, ranking, snippets, R17, bounds), and the `/releve` page's search box.

use crate::app::{TestApp, code};
use crate::helpers::{TestDb, on_both_backends};
use crate::web::Browser;
use serde_json::{Value, json};

on_both_backends!(
    search_folds_accents_fete_finds_fete,
    search_stems_budgets_finds_budget,
    search_stems_decidera_finds_decide,
    search_two_words_means_both,
    search_quoted_phrase_means_that_phrase,
    search_ranks_title_match_before_rationale_match,
    search_ties_newest_first_and_pages_walk_every_hit_once,
    search_snippet_highlights_matched_words,
    r17_search_hides_members_only_from_outsiders,
    r17_search_scores_and_counts_nothing_hidden_from_outsiders,
    search_bounds_query_length_and_words,
    search_of_stop_words_only_still_answers,
    search_sees_a_decision_recorded_by_another_server,
    search_web_page_ranks_and_marks_the_words_found,
);

const SEARCH: &str = "query($q: String!, $first: Int, $after: String, $domain: String) {
  search(query: $q, first: $first, after: $after, domain: $domain) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { score snippet { text highlighted }
      decision { id title statement rationale domain decidedAt } } }
  }
}";

const RECORD: &str =
    "mutation($input: RecordDecisionInput!) { recordDecision(input: $input) { decision { id } } }";

/// Records a decision of the Coordination as Awa; returns its id.
async fn record(
    app: &TestApp,
    title: &str,
    statement: &str,
    rationale: &str,
    published: bool,
) -> String {
    let ids = app.ids("Awa").await;
    let answer = app
        .gql(
            Some("Awa"),
            RECORD,
            json!({"input": {
                "unitId": ids.unit("Coordination"),
                "domain": "communication externe",
                "title": title,
                "statement": statement,
                "rationale": rationale,
                "visibility": if published { "PUBLISHED" } else { "MEMBERS" },
            }}),
        )
        .await;
    assert_eq!(code(&answer), "OK", "{answer}");
    answer["data"]["recordDecision"]["decision"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The answer to `search` for `q`, as `who`.
async fn search(app: &TestApp, who: Option<&str>, q: &str) -> Value {
    let answer = app.gql(who, SEARCH, json!({"q": q, "first": 100})).await;
    assert_eq!(code(&answer), "OK", "{q}: {answer}");
    answer["data"]["search"].clone()
}

/// The ids of the hits, in order.
fn hit_ids(found: &Value) -> Vec<String> {
    found["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["decision"]["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The ids `decisions(text:)` lists for `text`, as `who`.
async fn listed(app: &TestApp, who: Option<&str>, text: &str) -> Vec<String> {
    let answer = app
        .gql(
            who,
            "query($t: String) { decisions(first: 100, text: $t) { nodes { id } } }",
            json!({"t": text}),
        )
        .await;
    assert_eq!(code(&answer), "OK", "{answer}");
    answer["data"]["decisions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

async fn search_folds_accents_fete_finds_fete(db: TestDb) {
    let app = TestApp::demo(db).await;
    let accented = search(&app, Some("Awa"), "fête").await;
    let bare = search(&app, Some("Awa"), "FETE").await;
    let plural = search(&app, Some("Awa"), "fêtes").await;
    assert!(
        !hit_ids(&accented).is_empty(),
        "the demo has its fête: {accented}"
    );
    assert_eq!(
        hit_ids(&bare),
        hit_ids(&accented),
        "fete finds what fête finds"
    );
    assert_eq!(
        hit_ids(&plural),
        hit_ids(&accented),
        "fêtes finds what fête finds"
    );
    for e in accented["edges"].as_array().unwrap() {
        let d = &e["node"]["decision"];
        let text = format!(
            "{} {} {} {}",
            d["title"], d["statement"], d["rationale"], d["domain"]
        )
        .to_lowercase();
        assert!(text.contains("fête") || text.contains("fete"), "{d}");
    }
    // The list's filter reads words the same way, newest first.
    let list = listed(&app, Some("Awa"), "FETE").await;
    assert_eq!(sorted(list.clone()), sorted(hit_ids(&accented)));
    assert!(listed(&app, Some("Awa"), "fetes").await == list);
}

async fn search_stems_budgets_finds_budget(db: TestDb) {
    let app = TestApp::demo(db).await;
    let found = search(&app, Some("Awa"), "budgets").await;
    let statements: Vec<&str> = found["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["decision"]["statement"].as_str().unwrap())
        .collect();
    assert!(
        statements.iter().any(|s| s.contains("le budget 2026")),
        "budgets misses the budget 2026: {statements:?}"
    );
    assert_eq!(
        hit_ids(&found),
        hit_ids(&search(&app, Some("Awa"), "budget").await)
    );
}

async fn search_stems_decidera_finds_decide(db: TestDb) {
    let app = TestApp::demo(db).await;
    let id = record(
        &app,
        "La kermesse est décidée",
        "Le comité a décidé la kermesse du quartier.",
        "",
        false,
    )
    .await;
    for q in [
        "décidera kermesse",
        "decide kermesse",
        "DÉCIDÉ kermesses",
        "décider kermesse",
    ] {
        assert_eq!(
            hit_ids(&search(&app, Some("Awa"), q).await),
            vec![id.clone()],
            "{q}"
        );
    }
    assert_eq!(listed(&app, Some("Awa"), "décidera kermesse").await, [id]);
}

async fn search_two_words_means_both(db: TestDb) {
    let app = TestApp::demo(db).await;
    let both = record(
        &app,
        "Kermesse du printemps",
        "Une kermesse au printemps.",
        "",
        false,
    )
    .await;
    let kermesse = record(
        &app,
        "Kermesse d'automne",
        "Une kermesse en octobre.",
        "",
        false,
    )
    .await;
    let printemps = record(
        &app,
        "Nettoyage de printemps",
        "Le parc, au printemps.",
        "",
        false,
    )
    .await;
    assert_eq!(
        hit_ids(&search(&app, Some("Awa"), "kermesse printemps").await),
        vec![both.clone()]
    );
    assert_eq!(
        listed(&app, Some("Awa"), "printemps kermesse").await,
        vec![both.clone()]
    );
    // Each word alone finds its own.
    assert_eq!(
        sorted(hit_ids(&search(&app, Some("Awa"), "kermesse").await)),
        sorted(vec![both.clone(), kermesse])
    );
    assert_eq!(
        sorted(hit_ids(&search(&app, Some("Awa"), "printemps").await)),
        sorted(vec![both, printemps])
    );
    // A word in no record finds nothing, whatever the others.
    assert!(hit_ids(&search(&app, Some("Awa"), "kermesse zygomatique").await).is_empty());
}

async fn search_quoted_phrase_means_that_phrase(db: TestDb) {
    let app = TestApp::demo(db).await;
    let phrase = record(
        &app,
        "Buvette",
        "La buvette solidaire ouvre le samedi.",
        "",
        false,
    )
    .await;
    let apart = record(
        &app,
        "Buvette du parc",
        "La buvette ouvre ; elle reste solidaire des voisins.",
        "",
        false,
    )
    .await;
    // Across two fields: the title ends with the first word, the statement starts with the next.
    let across = record(&app, "Une buvette", "Solidaire, elle ouvre.", "", false).await;
    for q in [
        "\"buvette solidaire\"",
        "« buvettes solidaires »",
        "“Buvette Solidaire”",
    ] {
        assert_eq!(
            hit_ids(&search(&app, Some("Awa"), q).await),
            vec![phrase.clone()],
            "{q}"
        );
    }
    assert_eq!(
        listed(&app, Some("Awa"), "\"buvette solidaire\"").await,
        vec![phrase.clone()]
    );
    // Without quotes, both words anywhere.
    assert_eq!(
        sorted(hit_ids(
            &search(&app, Some("Awa"), "buvette solidaire").await
        )),
        sorted(vec![phrase.clone(), apart, across])
    );
    // A phrase with a word and a stop word between: "buvette solidaire ouvre" holds, in order.
    assert_eq!(
        hit_ids(&search(&app, Some("Awa"), "\"solidaire ouvre le samedi\"").await),
        vec![phrase.clone()]
    );
    assert!(hit_ids(&search(&app, Some("Awa"), "\"samedi le ouvre\"").await).is_empty());
    // A phrase and a word together: both must hold.
    assert_eq!(
        hit_ids(&search(&app, Some("Awa"), "samedi \"buvette solidaire\"").await),
        [phrase]
    );
    assert!(hit_ids(&search(&app, Some("Awa"), "voisins \"buvette solidaire\"").await).is_empty());
}

async fn search_ranks_title_match_before_rationale_match(db: TestDb) {
    let app = TestApp::demo(db).await;
    // The title match is recorded first: newest-first alone would put it last.
    let title = record(
        &app,
        "Guinguette de l'été",
        "On danse dans le parc.",
        "Les voisins l'ont demandé.",
        false,
    )
    .await;
    let rationale = record(
        &app,
        "Soirée de l'été",
        "On danse dans le parc.",
        "Comme à la guinguette d'antan.",
        false,
    )
    .await;
    let found = search(&app, Some("Awa"), "guinguette").await;
    assert_eq!(hit_ids(&found), [title, rationale]);
    let scores: Vec<f64> = found["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["score"].as_f64().unwrap())
        .collect();
    assert!(scores[0] > scores[1], "{scores:?}");
    // The list with the same words stays newest first.
    let list = listed(&app, Some("Awa"), "guinguette").await;
    assert_eq!(list.len(), 2);
    assert_eq!(list[0], hit_ids(&found)[1]);
}

async fn search_ties_newest_first_and_pages_walk_every_hit_once(db: TestDb) {
    let app = TestApp::demo(db).await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(
            record(
                &app,
                "Tournée des lampions",
                "Les lampions du quartier.",
                "",
                false,
            )
            .await,
        );
    }
    ids.reverse();
    let found = search(&app, Some("Awa"), "lampions").await;
    assert_eq!(hit_ids(&found), ids, "equal scores: newest first");
    assert_eq!(found["totalCount"], 5);
    // Two at a time, each page after the last cursor: every hit once, in the same order.
    let (mut seen, mut after) = (Vec::new(), None::<String>);
    loop {
        let page = app
            .gql(
                Some("Awa"),
                SEARCH,
                json!({"q": "lampion", "first": 2, "after": after}),
            )
            .await;
        let page = &page["data"]["search"];
        seen.extend(hit_ids(page));
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen, ids);
}

async fn search_snippet_highlights_matched_words(db: TestDb) {
    let app = TestApp::demo(db).await;
    record(
        &app,
        "Matériel",
        "Le pôle achète deux barnums pour les fêtes du quartier.",
        "",
        false,
    )
    .await;
    let found = search(&app, Some("Awa"), "barnum fete").await;
    let snippet = &found["edges"][0]["node"]["snippet"];
    let marked: Vec<&str> = snippet
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["highlighted"] == true)
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(marked, ["barnums", "fêtes"], "{snippet}");
    let whole: String = snippet
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        whole,
        "Le pôle achète deux barnums pour les fêtes du quartier."
    );
}

async fn r17_search_hides_members_only_from_outsiders(db: TestDb) {
    let app = TestApp::demo(db).await;
    let hidden = record(
        &app,
        "Zeppelin interne",
        "Le zeppelin reste entre nous.",
        "",
        false,
    )
    .await;
    let found = search(&app, None, "zeppelin").await;
    assert!(
        hit_ids(&found).is_empty(),
        "an outsider found a members-only decision: {found}"
    );
    assert_eq!(found["totalCount"], 0);
    assert!(listed(&app, None, "zeppelin").await.is_empty());
    assert_eq!(
        hit_ids(&search(&app, Some("Awa"), "zeppelin").await),
        vec![hidden.clone()]
    );
    assert_eq!(
        listed(&app, Some("Awa"), "zeppelin").await,
        vec![hidden.clone()]
    );
    // Published, it shows; the members-only one still does not.
    let public = record(
        &app,
        "Zeppelin public",
        "Le zeppelin survole la fête.",
        "",
        true,
    )
    .await;
    assert_eq!(
        hit_ids(&search(&app, None, "zeppelin").await),
        vec![public.clone()]
    );
    assert_eq!(listed(&app, None, "zeppelin").await, [public]);
}

async fn r17_search_scores_and_counts_nothing_hidden_from_outsiders(db: TestDb) {
    let app = TestApp::demo(db).await;
    record(
        &app,
        "Montgolfière",
        "La montgolfière au parc, le samedi.",
        "",
        true,
    )
    .await;
    let before = search(&app, None, "montgolfière").await;
    // Hidden records with the same word would lower its rarity, and so the score, if they
    // were counted: they must change nothing an outsider sees.
    for _ in 0..3 {
        record(
            &app,
            "Montgolfière interne",
            "Montgolfière : le budget.",
            "",
            false,
        )
        .await;
    }
    let after = search(&app, None, "montgolfière").await;
    assert_eq!(after["totalCount"], 1);
    assert_eq!(
        before["edges"][0]["node"]["score"], after["edges"][0]["node"]["score"],
        "the outsider's score moved with records they may not read"
    );
    // A member's search counts them all.
    assert_eq!(
        search(&app, Some("Awa"), "montgolfière").await["totalCount"],
        4
    );
}

async fn search_bounds_query_length_and_words(db: TestDb) {
    let app = TestApp::demo(db).await;
    let ask = |q: String, first: i64, after: Option<&str>| {
        let app = &app;
        let after = after.map(str::to_owned);
        async move {
            app.gql(
                Some("Awa"),
                SEARCH,
                json!({"q": q, "first": first, "after": after}),
            )
            .await
        }
    };
    let long = ask("é".repeat(129), 10, None).await;
    assert_eq!(code(&long), "LIMIT_EXCEEDED", "{long}");
    assert_eq!(long["errors"][0]["extensions"]["max"], 256);
    assert_eq!(long["errors"][0]["extensions"]["field"], "query");
    assert_eq!(code(&ask("é".repeat(128), 10, None).await), "OK");
    let many = ask(
        "un deux trois quatre cinq six sept huit neuf".into(),
        10,
        None,
    )
    .await;
    assert_eq!(code(&many), "LIMIT_EXCEEDED", "{many}");
    assert_eq!(many["errors"][0]["extensions"]["max"], 8);
    assert_eq!(
        code(
            &ask(
                "\"un deux trois quatre cinq\" six sept huit neuf".into(),
                10,
                None
            )
            .await
        ),
        "LIMIT_EXCEEDED"
    );
    assert_eq!(code(&ask("fête".into(), 101, None).await), "LIMIT_EXCEEDED");
    assert_eq!(code(&ask("fête".into(), -1, None).await), "LIMIT_EXCEEDED");
    let cursor = ask("fête".into(), 10, Some("pas-un-curseur")).await;
    assert_eq!(code(&cursor), "VALIDATION", "{cursor}");
    // The list's filter is bounded alike.
    let listed = app
        .gql(
            Some("Awa"),
            "query($t: String) { decisions(text: $t) { nodes { id } } }",
            json!({"t": "a".repeat(300)}),
        )
        .await;
    assert_eq!(code(&listed), "LIMIT_EXCEEDED", "{listed}");
    // Said in French to a French reader.
    let fr = app
        .gql_lang(
            Some("Awa"),
            "fr",
            SEARCH,
            json!({"q": "a b c d e f g h i j"}),
        )
        .await;
    assert_eq!(fr["errors"][0]["message"], "la recherche dépasse 8 mots");
    // Punctuation only finds nothing, without an error.
    let nothing = ask("%_ ?!".into(), 10, None).await;
    assert_eq!(code(&nothing), "OK");
    assert_eq!(nothing["data"]["search"]["totalCount"], 0);
}

async fn search_of_stop_words_only_still_answers(db: TestDb) {
    let app = TestApp::demo(db).await;
    let id = record(
        &app,
        "Ni ceci ni cela",
        "De la musique et des danses.",
        "",
        false,
    )
    .await;
    let found = search(&app, Some("Awa"), "de la").await;
    assert!(hit_ids(&found).contains(&id), "{found}");
    assert!(found["totalCount"].as_i64().unwrap() >= 1);
    // With a word that means something, the stop words narrow nothing.
    assert_eq!(
        hit_ids(&search(&app, Some("Awa"), "la musique").await),
        vec![id.clone()]
    );
    assert_eq!(
        hit_ids(&search(&app, Some("Awa"), "le musiques").await),
        [id]
    );
}

async fn search_sees_a_decision_recorded_by_another_server(db: TestDb) {
    let first = TestApp::demo(db).await;
    let second = first.another_server().await;
    // The second server holds the movement before the write, then must catch up on it.
    assert!(hit_ids(&search(&second, Some("Awa"), "farandole").await).is_empty());
    let id = record(
        &first,
        "Farandole",
        "Une farandole autour du parc.",
        "",
        false,
    )
    .await;
    assert_eq!(
        hit_ids(&search(&second, Some("Awa"), "farandoles").await),
        vec![id.clone()]
    );
    assert_eq!(listed(&second, Some("Awa"), "farandole").await, [id]);
    // Both servers answer the same query identically, scores included.
    assert_eq!(
        search(&first, Some("Awa"), "fête parc").await,
        search(&second, Some("Awa"), "fête parc").await
    );
}

async fn search_web_page_ranks_and_marks_the_words_found(db: TestDb) {
    let app = TestApp::demo(db).await;
    record(
        &app,
        "Sono <b>prêtée</b>",
        "La sono est prêtée par la <i>mairie</i> pour les fêtes.",
        "",
        false,
    )
    .await;
    let mut b = Browser::new(&app);
    b.sign_in(&app, "awa@tilleuls.example").await;
    let page = b.get("/releve?q=pretee+fetes").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<mark>prêtée</mark>"), "{}", page.body);
    assert!(page.body.contains("<mark>fêtes</mark>"));
    // The record's own text is escaped, never markup.
    assert!(
        page.body.contains("&#60;i&#62;mairie&#60;/i&#62;")
            || page.body.contains("&lt;i&gt;mairie&lt;/i&gt;"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<i>mairie"));
    assert!(page.body.contains("1 décision trouvée"), "{}", page.body);
    // Too many words: the page says so instead of failing.
    let many = b
        .get("/releve?q=un+deux+trois+quatre+cinq+six+sept+huit+neuf")
        .await;
    assert_eq!(many.status, 422, "{}", many.body);
    assert!(many.body.contains("8 mots"));
    // An outsider's public page searches only what is published.
    let mut outsider = Browser::new(&app);
    let public = outsider.get("/public?q=pretee").await;
    assert_eq!(public.status, 200);
    assert!(!public.body.contains("prêtée"));
}
