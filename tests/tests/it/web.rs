//! The web pages' edge, from outside, as a browser without JavaScript would use them: sign-in
//! links (single use, expiry, the same answer for known and unknown addresses, rate limits),
//! sessions (HttpOnly cookie, revoked by signing out), CSRF on every form, what an outsider
//! sees (R17), the catch-up marked read (R11), and GraphiQL served without a CDN.

use crate::app::TestApp;
use crate::helpers::{TestDb, on_both_backends};
use serde_json::json;
use std::time::Duration;

on_both_backends!(
    r12_web_a_decision_names_the_decisions_it_links_by_their_titles,
    r4_web_only_the_holder_commits_through_the_form,
    web_signin_link_opens_one_session_once,
    web_signin_link_expires,
    web_signin_answer_never_says_whether_an_address_is_known,
    web_signin_requests_are_rate_limited_per_address,
    web_signing_out_revokes_the_session_even_if_the_cookie_survives,
    r11_web_forged_or_cross_site_form_marks_nothing_read,
    r11_web_mark_read_marks_only_what_the_page_showed,
    r17_web_outsider_reads_only_published_decisions,
    web_pages_speak_english_when_the_browser_asks,
    web_graphiql_is_served_without_a_cdn,
);

/// A browser without JavaScript: follows nothing by itself, keeps its cookies.
pub(crate) struct Browser {
    pub base: String,
    client: reqwest::Client,
    pub cookies: Vec<(String, String)>,
    lang: &'static str,
}

/// A page as the browser received it.
pub(crate) struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    pub body: String,
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        Self {
            base: format!("http://{}", app.addr),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: Vec::new(),
            lang: "fr",
        }
    }

    pub fn english(mut self) -> Self {
        self.lang = "en";
        self
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn receive(&mut self, response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        let set_cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        for c in &set_cookies {
            let pair = c.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            self.cookies.retain(|(name, _)| name != k);
            if !v.is_empty() && !c.contains("Max-Age=0") {
                self.cookies.push((k.to_owned(), v.to_owned()));
            }
        }
        Page {
            status,
            location,
            set_cookies,
            body: response.text().await.unwrap(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        let r = self
            .client
            .get(url)
            .header("accept-language", self.lang)
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.receive(r).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.post_from(path, form, None).await
    }

    /// A POST sent from a page of `origin` (another site, for CSRF tests).
    pub async fn post_from(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Page {
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .header("accept-language", self.lang)
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(form).unwrap());
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        let r = req.send().await.unwrap();
        self.receive(r).await
    }

    /// Signs in as the member with this e-mail through a link the operator issued.
    pub async fn sign_in(&mut self, app: &TestApp, email: &str) {
        let link = link_for(app, email, Duration::from_secs(600)).await;
        let landed = self.get(&link).await;
        assert_eq!(landed.status, 303, "{}", landed.body);
        assert_eq!(landed.location.as_deref(), Some("/"));
    }
}

/// The value of the first hidden `csrf` field of a page.
pub(crate) fn csrf(body: &str) -> String {
    field(body, "csrf")
}

/// The value of the first input named `name`.
pub(crate) fn field(body: &str, name: &str) -> String {
    let at = body
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no field {name} in {body}"));
    let rest = &body[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// A sign-in link for the member with this e-mail, as `gouvernail signin-link` makes one.
pub(crate) async fn link_for(app: &TestApp, email: &str, ttl: Duration) -> String {
    link_in(app, app.org, "", email, ttl).await
}

/// A sign-in link for a member of `org`, whose pages are under `root`, as the server mails one.
pub(crate) async fn link_in(
    app: &TestApp,
    org: governance_core::OrganizationId,
    root: &str,
    email: &str,
    ttl: Duration,
) -> String {
    let member = {
        let state = app.store.read(org, None).await.unwrap();
        state
            .movement
            .members()
            .find(|m| m.email.as_str() == email)
            .unwrap()
            .id
    };
    graphql_server::web::issue_link(
        &app.store,
        org,
        member,
        &format!("http://{}{root}", app.addr),
        ttl,
    )
    .await
    .unwrap()
}

async fn links_stored(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    graphql_server::store::entity::signin_links::Entity::find()
        .count(app.store.connection())
        .await
        .unwrap()
}

async fn web_signin_link_opens_one_session_once(db: TestDb) {
    let app = TestApp::demo(db).await;
    let link = link_for(&app, "awa@tilleuls.example", Duration::from_secs(600)).await;
    let mut first = Browser::new(&app);
    let landed = first.get(&link).await;
    assert_eq!(landed.status, 303);
    let cookie = landed
        .set_cookies
        .iter()
        .find(|c| c.starts_with("gouvernail_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    let home = first.get("/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Bonjour Awa Diallo"), "{}", home.body);
    // The same link again, from another browser: spent.
    let mut second = Browser::new(&app);
    let again = second.get(&link).await;
    assert_eq!(again.status, 404);
    assert!(again.body.contains("a déjà servi"));
    assert!(
        !again
            .set_cookies
            .iter()
            .any(|c| c.starts_with("gouvernail_session="))
    );
    assert_eq!(
        second.get("/").await.location.as_deref(),
        Some("/connexion")
    );
}

async fn web_signin_link_expires(db: TestDb) {
    let app = TestApp::demo(db).await;
    let link = link_for(&app, "awa@tilleuls.example", Duration::from_millis(1)).await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    let mut b = Browser::new(&app);
    let page = b.get(&link).await;
    assert_eq!(page.status, 404);
    assert_eq!(b.get("/").await.location.as_deref(), Some("/connexion"));
    // A made-up link, and one that is not even hex, say the same.
    let forged = format!("{}/connexion/lien/{}", b.base, "ab".repeat(32));
    assert_eq!(b.get(&forged).await.status, 404);
    assert_eq!(b.get("/connexion/lien/%00../../etc").await.status, 404);
}

async fn web_signin_answer_never_says_whether_an_address_is_known(db: TestDb) {
    let app = TestApp::demo(db).await;
    let before = links_stored(&app).await;
    let mut answers = Vec::new();
    for email in ["awa@tilleuls.example", "personne@ailleurs.example"] {
        let mut b = Browser::new(&app);
        let form = b.get("/connexion").await;
        let token = csrf(&form.body);
        let sent = b
            .post("/connexion", &[("csrf", &token), ("email", email)])
            .await;
        // The answers are the same, byte for byte.
        answers.push((sent.status, sent.body));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].0, 200);
    assert!(answers[0].1.contains("Si cette adresse est celle d"));
    // The link was made for the member only (the work happens after the answer).
    for _ in 0..50 {
        if links_stored(&app).await == before + 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(links_stored(&app).await, before + 1);
}

async fn web_signin_requests_are_rate_limited_per_address(db: TestDb) {
    let app = TestApp::demo(db).await;
    let before = links_stored(&app).await;
    let mut b = Browser::new(&app);
    let mut ask = async |email: &str| {
        let form = b.get("/connexion").await;
        let token = csrf(&form.body);
        b.post("/connexion", &[("csrf", &token), ("email", email)])
            .await
            .status
    };
    // Seven requests for Awa, written as a person might (case, spaces): the same bucket.
    let mut statuses = Vec::new();
    for email in [
        "awa@tilleuls.example",
        "AWA@tilleuls.example",
        " awa@tilleuls.example ",
        "Awa@Tilleuls.Example",
        "awa@tilleuls.example",
        "awa@tilleuls.example",
        "awa@tilleuls.example",
    ] {
        statuses.push(ask(email).await);
    }
    // The answer never changes (refusing would let anyone lock Awa out by asking in her
    // name), but only five links were made.
    assert_eq!(statuses, vec![200; 7]);
    // A huge "address" is answered the same and makes nothing.
    assert_eq!(ask(&format!("{}@x.example", "a".repeat(20_000))).await, 200);
    for _ in 0..100 {
        if links_stored(&app).await >= before + 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(links_stored(&app).await, before + 5);
    // One client asking for many addresses is stopped after 20 requests a quarter of an hour.
    let mut last = 0;
    for i in 0..20 {
        last = ask(&format!("inconnu{i}@ailleurs.example")).await;
    }
    assert_eq!(last, 429);
}

async fn web_signing_out_revokes_the_session_even_if_the_cookie_survives(db: TestDb) {
    let app = TestApp::demo(db).await;
    let mut b = Browser::new(&app);
    b.sign_in(&app, "bruno@tilleuls.example").await;
    let kept = b.cookies.clone();
    let home = b.get("/").await;
    let out = b.post("/deconnexion", &[("csrf", &csrf(&home.body))]).await;
    assert_eq!(out.status, 303);
    assert_eq!(out.location.as_deref(), Some("/connexion?sortie=1"));
    // A copy of the old cookie, replayed: the server revoked the row behind it.
    let mut thief = Browser::new(&app);
    thief.cookies = kept;
    let page = thief.get("/").await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/connexion"));
}

async fn r11_web_forged_or_cross_site_form_marks_nothing_read(db: TestDb) {
    let app = TestApp::demo(db).await;
    let mut b = Browser::new(&app);
    b.sign_in(&app, "chloe@tilleuls.example").await;
    let home = b.get("/").await;
    let up_to = field(&home.body, "up_to");
    let token = csrf(&home.body);
    let unread = || async {
        app.gql(Some("Chloé"), "{ catchUp { id } }", json!({}))
            .await["data"]["catchUp"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = unread().await;
    assert!(before > 0);
    let forged = b
        .post("/lu", &[("csrf", &"0".repeat(64)), ("up_to", &up_to)])
        .await;
    assert_eq!(forged.status, 403);
    let missing = b.post("/lu", &[("up_to", &up_to)]).await;
    assert_eq!(missing.status, 403);
    let cross = b
        .post_from(
            "/lu",
            &[("csrf", &token), ("up_to", &up_to)],
            Some("https://evil.example"),
        )
        .await;
    assert_eq!(cross.status, 403);
    assert_eq!(
        unread().await,
        before,
        "a refused form marked decisions read"
    );
    // Another member's token does not work in Chloé's session either.
    let mut other = Browser::new(&app);
    other.sign_in(&app, "awa@tilleuls.example").await;
    let awas = csrf(&other.get("/").await.body);
    let swapped = b.post("/lu", &[("csrf", &awas), ("up_to", &up_to)]).await;
    assert_eq!(swapped.status, 403);
    assert_eq!(unread().await, before);
}

async fn r11_web_mark_read_marks_only_what_the_page_showed(db: TestDb) {
    let app = TestApp::demo(db).await;
    let mut b = Browser::new(&app);
    b.sign_in(&app, "chloe@tilleuls.example").await;
    let home = b.get("/").await;
    let up_to = field(&home.body, "up_to");
    // Something is decided while Chloé reads the page.
    let ids = app.ids("Awa").await;
    let recorded = app
            .gql(
                Some("Awa"),
                "mutation($u: UUID!) { recordDecision(input: { unitId: $u, domain: \"communication externe\", title: \"Communiqué sur le parc\", statement: \"Un communiqué.\" }) { decision { id } } }",
                json!({ "u": ids.unit("Coordination") }),
            )
            .await;
    let new_id = recorded["data"]["recordDecision"]["decision"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{recorded}"))
        .to_owned();
    let done = b
        .post("/lu", &[("csrf", &csrf(&home.body)), ("up_to", &up_to)])
        .await;
    assert_eq!(done.status, 303);
    let after = b.get("/?lu=1").await;
    assert!(after.body.contains("marquées comme lues"), "{}", after.body);
    assert!(after.body.contains("Communiqué sur le parc"));
    let left = app
        .gql(Some("Chloé"), "{ catchUp { id } }", json!({}))
        .await;
    let left: Vec<&str> = left["data"]["catchUp"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(left, vec![new_id.as_str()]);
}

async fn r17_web_outsider_reads_only_published_decisions(db: TestDb) {
    let app = TestApp::demo(db).await;
    let mut outsider = Browser::new(&app);
    let public = outsider.get("/public").await;
    assert_eq!(public.status, 200);
    assert!(
        public
            .body
            .contains("Le collectif soutient la pétition pour le parc des Tilleuls")
    );
    assert!(
        !public.body.contains("sono"),
        "an internal decision shows to outsiders"
    );
    assert!(!public.body.contains("interne"));
    // An internal decision's own page, by its id: nothing of it.
    let internal = app
        .gql(
            Some("Awa"),
            "{ decisions(text: \"sono\") { nodes { id } } }",
            json!({}),
        )
        .await;
    let id = internal["data"]["decisions"]["nodes"][0]["id"]
        .as_str()
        .unwrap();
    let page = outsider.get(&format!("/decisions/{id}")).await;
    assert_eq!(page.status, 404);
    assert!(!page.body.contains("sono"));
    // And the members' pages send an outsider to sign in.
    for path in ["/", "/releve"] {
        assert_eq!(
            outsider.get(path).await.location.as_deref(),
            Some("/connexion")
        );
    }
    // A search for the internal decision on the public page finds nothing either.
    let searched = outsider.get("/public?q=sono").await;
    assert!(!searched.body.contains("350"));
}

async fn web_pages_speak_english_when_the_browser_asks(db: TestDb) {
    let app = TestApp::demo(db).await;
    let mut b = Browser::new(&app).english();
    let page = b.get("/connexion").await;
    assert!(page.body.contains("<html lang=\"en\">"));
    assert!(page.body.contains("Send me a sign-in link"));
    let mut fr = Browser::new(&app);
    let page = fr.get("/connexion").await;
    assert!(page.body.contains("<html lang=\"fr\">"));
    assert!(page.body.contains("Recevoir un lien de connexion"));
}

async fn web_graphiql_is_served_without_a_cdn(db: TestDb) {
    let app = TestApp::demo(db).await;
    let mut b = Browser::new(&app);
    let page = b.get("/graphql").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("unpkg"), "{}", page.body);
    assert!(!page.body.contains("https://"), "{}", page.body);
    let assets: Vec<&str> = page
        .body
        .split("/graphiql/")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert!(assets.len() >= 4, "{assets:?}");
    for a in assets {
        let got = b.get(&format!("/graphiql/{a}")).await;
        assert_eq!(got.status, 200, "{a}");
        assert!(got.body.len() > 200, "{a}");
    }
    assert_eq!(b.get("/graphiql/../Cargo.toml").await.status, 404);
}

async fn r4_web_only_the_holder_commits_through_the_form(db: TestDb) {
    let app = TestApp::demo(db).await;
    let mut elise = Browser::new(&app);
    elise.sign_in(&app, "elise@tilleuls.example").await;
    let home = elise.get("/").await;
    let at = home
        .body
        .find("/mandats/")
        .expect("Élise has a mandate waiting for her commitment");
    let rest = &home.body[at + "/mandats/".len()..];
    let mandate = rest[..rest.find('/').unwrap()].to_owned();
    let status = || async {
        let v = app
            .gql(
                Some("Élise"),
                "{ me { mandates { id status } } }",
                json!({}),
            )
            .await;
        v["data"]["me"]["mandates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == mandate.as_str())
            .unwrap()["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let path = format!("/mandats/{mandate}/engagement");
    assert_eq!(status().await, "PENDING_COMMITMENT");
    // A forged token, and a cross-site post with the right one: refused, nothing changes.
    let forged = elise.post(&path, &[("csrf", &"f".repeat(64))]).await;
    assert_eq!(forged.status, 403);
    let cross = elise
        .post_from(
            &path,
            &[("csrf", &csrf(&home.body))],
            Some("https://evil.example"),
        )
        .await;
    assert_eq!(cross.status, 403);
    assert_eq!(status().await, "PENDING_COMMITMENT");
    // Bruno, signed in with his own valid token, commits Élise's mandate: the core refuses.
    let mut bruno = Browser::new(&app);
    bruno.sign_in(&app, "bruno@tilleuls.example").await;
    let his = csrf(&bruno.get("/").await.body);
    let refused = bruno.post(&path, &[("csrf", &his)]).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("role=\"alert\""));
    assert_eq!(status().await, "PENDING_COMMITMENT");
    // Élise herself: committed, and told so.
    let done = elise.post(&path, &[("csrf", &csrf(&home.body))]).await;
    assert_eq!(done.status, 303);
    assert!(
        elise
            .get("/?engage=1")
            .await
            .body
            .contains("vous êtes engagé·e")
    );
    assert_ne!(status().await, "PENDING_COMMITMENT");
}

async fn r12_web_a_decision_names_the_decisions_it_links_by_their_titles(db: TestDb) {
    let app = TestApp::demo(db).await;
    let found = app
        .gql(
            Some("Awa"),
            "{ decisions(text: \"11 juillet\") { nodes { id title } } }",
            json!({}),
        )
        .await;
    let id = found["data"]["decisions"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut b = Browser::new(&app);
    b.sign_in(&app, "awa@tilleuls.example").await;
    let page = b.get(&format!("/decisions/{id}")).await;
    assert_eq!(page.status, 200);
    // The earlier date it replaced is named by its title, not by an id (R12, WCAG 2.4.4).
    assert!(
        page.body.contains(">Fête de quartier le 4 juillet</a>"),
        "{}",
        page.body
    );
}
