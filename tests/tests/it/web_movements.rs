//! The web pages of a second movement, served beside the demo by the same server under
//! `/m/{slug}/`: its pages show its name and its decisions and link only under its prefix; its
//! sessions, CSRF tokens and sign-in links are its own, refused by every other movement (R17);
//! an unknown prefix is a 404; the demo's pages at the root are unchanged (the other web tests).

use crate::app::TestApp;
use crate::helpers::{TestDb, on_both_backends};
use crate::movements::{found_other, post};
use crate::web::{Browser, Page, csrf, field, link_for};
use governance_core::OrganizationId;
use graphql_server::http::HttpLimits;
use serde_json::{Value, json};
use std::time::Duration;

on_both_backends!(
    web_a_movement_s_pages_show_its_name_and_decisions_and_link_only_under_its_prefix,
    web_signing_in_under_a_prefix_opens_a_session_of_that_movement_only,
    r17_web_a_session_of_one_movement_is_not_signed_in_at_another,
    r17_web_a_signin_link_of_one_movement_is_refused_under_another_like_an_unknown_one,
    r17_web_a_post_with_another_movement_s_csrf_token_is_refused_and_writes_nothing,
    web_an_unknown_prefix_is_not_found,
    r17_web_a_movement_s_public_page_shows_only_its_own_published_decisions,
    web_the_mailed_signin_link_leads_to_the_movement_s_own_pages,
);

/// The Collectif de la Rive, founded beside the demo by Zoé alone.
struct Rive {
    org: OrganizationId,
    /// `/m/{slug}`, where its pages are.
    root: String,
    slug: String,
    /// Zoé's API token.
    token: String,
}

impl Rive {
    fn graphql(&self) -> String {
        format!("{}/graphql", self.root)
    }
}

async fn rive(app: &TestApp) -> Rive {
    let other = found_other(
        app,
        "Collectif de la Rive",
        &["Zoé Marchand <zoe@rive.example>"],
    )
    .await;
    // The slug as the store knows it, which is what the server routes by.
    let slug = app
        .store
        .slugs()
        .await
        .unwrap()
        .into_iter()
        .find(|(org, _, _)| *org == other.org)
        .expect("the new movement has a slug")
        .1
        .to_string();
    assert_eq!(slug, other.slug);
    Rive {
        org: other.org,
        root: format!("/m/{slug}"),
        slug,
        token: other.tokens["Zoé"].clone(),
    }
}

/// Runs one operation as Zoé in the Rive, expecting no error.
async fn as_zoe(app: &TestApp, rive: &Rive, query: &str, vars: Value) -> Value {
    let (status, answer) = post(app, &rive.graphql(), Some(&rive.token), query, vars).await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer.get("errors").is_none(), "{answer}");
    answer
}

/// Zoé commits to her mandates; returns the Coordination's id.
async fn commit_all(app: &TestApp, rive: &Rive) -> String {
    let me = as_zoe(
        app,
        rive,
        "{ me { mandates { id unit { id name } } } }",
        json!({}),
    )
    .await;
    let mut coordination = None;
    for m in me["data"]["me"]["mandates"].as_array().unwrap() {
        as_zoe(
            app,
            rive,
            "mutation($m: UUID!) { commitToMandate(mandateId: $m) { revision } }",
            json!({ "m": m["id"] }),
        )
        .await;
        if m["unit"]["name"] == "Coordination" {
            coordination = m["unit"]["id"].as_str().map(str::to_owned);
        }
    }
    coordination.expect("Zoé holds a Coordination mandate")
}

/// Zoé records a decision of the Coordination; returns its id.
async fn record(
    app: &TestApp,
    rive: &Rive,
    coordination: &str,
    title: &str,
    visibility: &str,
) -> String {
    let d = as_zoe(
        app,
        rive,
        "mutation($u: UUID!, $t: String!, $v: Visibility) { recordDecision(input: \
         {unitId: $u, domain: \"budget\", title: $t, visibility: $v}) { decision { id } } }",
        json!({ "u": coordination, "t": title, "v": visibility }),
    )
    .await;
    d["data"]["recordDecision"]["decision"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A sign-in link of the Rive for the member with this e-mail, as the server mails one.
async fn rive_link(app: &TestApp, rive: &Rive, email: &str) -> String {
    crate::web::link_in(app, rive.org, &rive.root, email, Duration::from_secs(600)).await
}

/// Signs Zoé in at the Rive's pages.
async fn zoe(app: &TestApp, rive: &Rive) -> Browser {
    let mut b = Browser::new(app);
    let link = rive_link(app, rive, "zoe@rive.example").await;
    let landed = b.get(&link).await;
    assert_eq!(landed.status, 303, "{}", landed.body);
    assert_eq!(
        landed.location.as_deref(),
        Some(format!("{}/", rive.root).as_str())
    );
    b
}

/// Every address a page links to, posts to or loads.
fn addresses(body: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in [" href=\"", " action=\"", " src=\""] {
        for (at, _) in body.match_indices(attribute) {
            let rest = &body[at + attribute.len()..];
            found.push(rest[..rest.find('"').unwrap()].to_owned());
        }
    }
    found
}

/// The value of the `<option>` labelled `label`.
fn option(body: &str, label: &str) -> String {
    let end = body
        .find(&format!(">{label}</option>"))
        .unwrap_or_else(|| panic!("no option {label}"));
    let open = body[..end].rfind("value=\"").unwrap() + "value=\"".len();
    body[open..body[open..].find('"').unwrap() + open].to_owned()
}

/// Whether a `Set-Cookie` line has the attribute `wanted` (`Path=/m/rive`), exactly.
fn has(cookie: &str, wanted: &str) -> bool {
    cookie.split(';').any(|part| part.trim() == wanted)
}

/// The `Set-Cookie` of a page for the cookie `name`.
fn set_cookie<'a>(page: &'a Page, name: &str) -> &'a str {
    page.set_cookies
        .iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no cookie {name} in {:?}", page.set_cookies))
}

async fn web_a_movement_s_pages_show_its_name_and_decisions_and_link_only_under_its_prefix(
    db: TestDb,
) {
    let app = TestApp::demo(db).await;
    let rive = rive(&app).await;
    let coordination = commit_all(&app, &rive).await;
    let barque = record(&app, &rive, &coordination, "Achat de la barque", "MEMBERS").await;
    let mut b = zoe(&app, &rive).await;
    let home = b.get(&format!("{}/", rive.root)).await;
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(home.body.contains("Collectif de la Rive"), "{}", home.body);
    assert!(home.body.contains("Bonjour Zoé Marchand"), "{}", home.body);
    assert!(!home.body.contains("Tilleuls"), "{}", home.body);
    let releve = b.get(&format!("{}/releve", rive.root)).await;
    assert_eq!(releve.status, 200);
    assert!(
        releve.body.contains("Achat de la barque"),
        "{}",
        releve.body
    );
    // The demo's decisions are not the Rive's.
    assert!(
        !releve.body.contains("parc des Tilleuls"),
        "{}",
        releve.body
    );
    // A tension raised through the Rive's form is the Rive's.
    let tensions = b.get(&format!("{}/tensions", rive.root)).await;
    let raised = b
        .post(
            &format!("{}/tensions", rive.root),
            &[
                ("csrf", &csrf(&tensions.body)),
                ("titre", "La barque prend l'eau"),
                ("sujet", "unite"),
                ("unite", &option(&tensions.body, "Agora")),
                ("espace", "defaut"),
            ],
        )
        .await;
    assert_eq!(raised.status, 303, "{}", raised.body);
    assert_eq!(
        raised.location.as_deref(),
        Some(format!("{}/tensions?fait=1", rive.root).as_str())
    );
    let in_rive = as_zoe(&app, &rive, "{ tensions { title } }", json!({})).await;
    assert!(
        in_rive.to_string().contains("La barque prend l'eau"),
        "{in_rive}"
    );
    let in_demo = app
        .gql(Some("Awa"), "{ tensions { title } }", json!({}))
        .await;
    assert!(!in_demo.to_string().contains("barque"), "{in_demo}");
    // No address of any page leaves the prefix, save the stylesheet every movement shares.
    let prefix = format!("{}/", rive.root);
    let mut checked = 0;
    for path in [
        "/",
        "/releve",
        "/carte",
        "/decider",
        "/tensions",
        "/tensions?fait=1",
        "/reunions",
        "/reunions/convoquer",
        "/coordination",
        "/public",
        &format!("/decisions/{barque}"),
        "/nulle-part",
    ] {
        let page = b.get(&format!("{}{path}", rive.root)).await;
        assert!(
            page.status == 200 || (path == "/nulle-part" && page.status == 404),
            "{path}: {}",
            page.status
        );
        for address in addresses(&page.body) {
            checked += 1;
            assert!(
                address.starts_with(&prefix) || address.starts_with('#') || address == "/style.css",
                "{path} links to {address}"
            );
        }
    }
    assert!(checked > 50, "only {checked} addresses seen");
}

async fn web_signing_in_under_a_prefix_opens_a_session_of_that_movement_only(db: TestDb) {
    let app = TestApp::demo(db).await;
    let rive = rive(&app).await;
    let session = format!("gouvernail_session_{}", rive.slug);
    let mut b = Browser::new(&app);
    // Signed out, a member's page sends to the Rive's sign-in page.
    let out = b.get(&format!("{}/", rive.root)).await;
    assert_eq!(
        out.location.as_deref(),
        Some(format!("{}/connexion", rive.root).as_str())
    );
    // The sign-in form: its CSRF cookie is the Rive's, its form posts to the Rive.
    let form = b.get(&format!("{}/connexion", rive.root)).await;
    assert_eq!(form.status, 200);
    let csrf_cookie = set_cookie(&form, &format!("gouvernail_csrf_{}", rive.slug));
    assert!(
        has(csrf_cookie, &format!("Path={}", rive.root)),
        "{csrf_cookie}"
    );
    assert!(
        form.body
            .contains(&format!("action=\"{}/connexion\"", rive.root))
    );
    let asked = b
        .post(
            &format!("{}/connexion", rive.root),
            &[("csrf", &csrf(&form.body)), ("email", "zoe@rive.example")],
        )
        .await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    assert!(asked.body.contains("Si cette adresse est celle d"));
    // The link is made for the Rive (the work happens after the answer).
    assert!(
        wait_for_links(&app, rive.org, 1).await,
        "no sign-in link was made for the Rive"
    );
    // Following one opens a session whose cookie carries the slug and the prefix.
    let link = rive_link(&app, &rive, "zoe@rive.example").await;
    let landed = b.get(&link).await;
    assert_eq!(landed.status, 303, "{}", landed.body);
    assert_eq!(
        landed.location.as_deref(),
        Some(format!("{}/", rive.root).as_str())
    );
    let cookie = set_cookie(&landed, &session);
    assert!(has(cookie, &format!("Path={}", rive.root)), "{cookie}");
    assert!(has(cookie, "HttpOnly"), "{cookie}");
    assert!(
        !landed
            .set_cookies
            .iter()
            .any(|c| c.starts_with("gouvernail_session="))
    );
    let home = b.get(&format!("{}/", rive.root)).await;
    assert!(home.body.contains("Bonjour Zoé Marchand"), "{}", home.body);
    // At the root, the same browser is nobody: the demo does not know Zoé's session.
    assert_eq!(b.get("/").await.location.as_deref(), Some("/connexion"));
    // Signing out leaves by the Rive's sign-in page and clears the Rive's cookie only.
    let left = b
        .post(
            &format!("{}/deconnexion", rive.root),
            &[("csrf", &csrf(&home.body))],
        )
        .await;
    assert_eq!(left.status, 303);
    assert_eq!(
        left.location.as_deref(),
        Some(format!("{}/connexion?sortie=1", rive.root).as_str())
    );
    let gone = set_cookie(&left, &session);
    assert!(has(gone, &format!("Path={}", rive.root)), "{gone}");
    assert!(has(gone, "Max-Age=0"), "{gone}");
    assert_eq!(
        b.get(&format!("{}/", rive.root)).await.location.as_deref(),
        Some(format!("{}/connexion", rive.root).as_str())
    );
    // At the root, the demo's cookies keep their name and their path.
    let mut awa = Browser::new(&app);
    let root_link = link_for(&app, "awa@tilleuls.example", Duration::from_secs(600)).await;
    let landed = awa.get(&root_link).await;
    assert_eq!(landed.location.as_deref(), Some("/"));
    let root_cookie = set_cookie(&landed, "gouvernail_session");
    assert!(has(root_cookie, "Path=/"), "{root_cookie}");
}

/// The sign-in links stored for `org`.
async fn links_of(app: &TestApp, org: OrganizationId) -> u64 {
    use graphql_server::store::entity::signin_links;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    signin_links::Entity::find()
        .filter(signin_links::Column::OrganizationId.eq(org.as_uuid()))
        .count(app.store.connection())
        .await
        .unwrap()
}

/// Waits for the sign-in links of `org` to number `n`; whether they did.
async fn wait_for_links(app: &TestApp, org: OrganizationId, n: u64) -> bool {
    for _ in 0..100 {
        if links_of(app, org).await == n {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

async fn r17_web_a_session_of_one_movement_is_not_signed_in_at_another(db: TestDb) {
    let app = TestApp::demo(db).await;
    let rive = rive(&app).await;
    let mut awa = Browser::new(&app);
    awa.sign_in(&app, "awa@tilleuls.example").await;
    let secret = awa
        .cookies
        .iter()
        .find(|(k, _)| k == "gouvernail_session")
        .unwrap()
        .1
        .clone();
    // Awa's secret under both names, presented to the Rive's pages: nobody is signed in.
    let mut forger = Browser::new(&app);
    forger.cookies = vec![
        ("gouvernail_session".into(), secret.clone()),
        (format!("gouvernail_session_{}", rive.slug), secret.clone()),
    ];
    for path in ["/", "/releve", "/tensions"] {
        let page = forger.get(&format!("{}{path}", rive.root)).await;
        assert_eq!(page.status, 303, "{path}");
        assert_eq!(
            page.location.as_deref(),
            Some(format!("{}/connexion", rive.root).as_str()),
            "{path}"
        );
    }
    let public = forger.get(&format!("{}/public", rive.root)).await;
    assert!(!public.body.contains("Awa"), "{}", public.body);
    // And the other way: Zoé's session of the Rive, presented at the root under the demo's name.
    let zoe = zoe(&app, &rive).await;
    let hers = zoe
        .cookies
        .iter()
        .find(|(k, _)| *k == format!("gouvernail_session_{}", rive.slug))
        .unwrap()
        .1
        .clone();
    let mut forger = Browser::new(&app);
    forger.cookies = vec![("gouvernail_session".into(), hers)];
    assert_eq!(
        forger.get("/").await.location.as_deref(),
        Some("/connexion")
    );
    // The demo's own session still works at the root.
    assert_eq!(awa.get("/").await.status, 200);
}

async fn r17_web_a_signin_link_of_one_movement_is_refused_under_another_like_an_unknown_one(
    db: TestDb,
) {
    let app = TestApp::demo(db).await;
    let rive = rive(&app).await;
    let demo_link = link_for(&app, "awa@tilleuls.example", Duration::from_secs(600)).await;
    let secret = demo_link.rsplit('/').next().unwrap().to_owned();
    let mut b = Browser::new(&app);
    // The same browser asks both, so that both pages carry the same CSRF token.
    let unknown = b
        .get(&format!("{}/connexion/lien/{}", rive.root, "ab".repeat(32)))
        .await;
    let crossed = b
        .get(&format!("{}/connexion/lien/{secret}", rive.root))
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(crossed.status, 404);
    assert_eq!(crossed.body, unknown.body, "the answers differ");
    assert!(
        !crossed
            .set_cookies
            .iter()
            .any(|c| c.starts_with("gouvernail_session"))
    );
    // Refused there, the link is not spent: it still opens Awa's session at the root.
    let mut awa = Browser::new(&app);
    let landed = awa.get(&demo_link).await;
    assert_eq!(landed.status, 303, "{}", landed.body);
    assert_eq!(landed.location.as_deref(), Some("/"));
    // And a Rive's link followed at the root is refused the same way.
    let rive_secret = rive_link(&app, &rive, "zoe@rive.example").await;
    let rive_secret = rive_secret.rsplit('/').next().unwrap();
    let mut c = Browser::new(&app);
    let unknown = c.get(&format!("/connexion/lien/{}", "cd".repeat(32))).await;
    let crossed = c.get(&format!("/connexion/lien/{rive_secret}")).await;
    assert_eq!(crossed.status, 404);
    assert_eq!(crossed.body, unknown.body);
}

async fn r17_web_a_post_with_another_movement_s_csrf_token_is_refused_and_writes_nothing(
    db: TestDb,
) {
    let app = TestApp::demo(db).await;
    let rive = rive(&app).await;
    let mut awa = Browser::new(&app);
    awa.sign_in(&app, "awa@tilleuls.example").await;
    let awa_home = awa.get("/").await;
    let awas = csrf(&awa_home.body);
    let mut zoe = zoe(&app, &rive).await;
    let zoe_home = zoe.get(&format!("{}/", rive.root)).await;
    let zoes = csrf(&zoe_home.body);
    // Zoé's mandates wait for her commitment: the form to commit is the write tried below.
    let engage = format!("{}/mandats/", rive.root);
    let at = zoe_home
        .body
        .find(&engage)
        .expect("Zoé has a mandate waiting for her commitment");
    let rest = &zoe_home.body[at + engage.len()..];
    let mandate = rest[..rest.find('/').unwrap()].to_owned();
    let path = format!("{}/mandats/{mandate}/engagement", rive.root);
    let revisions = || async {
        (
            app.store.read(app.org, None).await.unwrap().revision,
            app.store.read(rive.org, None).await.unwrap().revision,
        )
    };
    let catch_up = || async {
        app.gql(Some("Awa"), "{ catchUp { id } }", json!({})).await["data"]["catchUp"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = revisions().await;
    let unread = catch_up().await;
    let links = links_of(&app, rive.org).await;
    // Awa's token, in Zoé's session at the Rive: refused.
    let refused = zoe.post(&path, &[("csrf", &awas)]).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    // Awa's browser, with her token, at the Rive: she is nobody there.
    let nobody = awa.post(&path, &[("csrf", &awas)]).await;
    assert_eq!(nobody.status, 303);
    assert_eq!(
        nobody.location.as_deref(),
        Some(format!("{}/connexion", rive.root).as_str())
    );
    // Zoé's token of the Rive, in Awa's session at the root: refused.
    let up_to = field(&awa_home.body, "up_to");
    let crossed = awa.post("/lu", &[("csrf", &zoes), ("up_to", &up_to)]).await;
    assert_eq!(crossed.status, 403, "{}", crossed.body);
    // The sign-in form of the Rive, posted with the demo's signed-out token: refused too.
    let mut outsider = Browser::new(&app);
    let demo_form = outsider.get("/connexion").await;
    let asked = outsider
        .post(
            &format!("{}/connexion", rive.root),
            &[
                ("csrf", &csrf(&demo_form.body)),
                ("email", "zoe@rive.example"),
            ],
        )
        .await;
    assert_eq!(asked.status, 403, "{}", asked.body);
    assert_eq!(revisions().await, before, "a refused form wrote something");
    assert_eq!(catch_up().await, unread, "Awa's catch-up was marked read");
    // The sign-in link would be made after the answer: give it the time to show.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(links_of(&app, rive.org).await, links, "a link was made");
    // Zoé's own token commits her mandate: the form works, at the Rive.
    let done = zoe.post(&path, &[("csrf", &zoes)]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        done.location.as_deref(),
        Some(format!("{}/?engage=1", rive.root).as_str())
    );
    let after = revisions().await;
    assert_eq!(after.0, before.0, "the demo moved");
    assert!(after.1 > before.1, "the Rive did not");
}

async fn web_an_unknown_prefix_is_not_found(db: TestDb) {
    let app = TestApp::demo(db).await;
    let mut b = Browser::new(&app);
    for path in [
        "/m/unknown-slug/",
        "/m/unknown-slug",
        "/m/unknown-slug/public",
        "/m/unknown-slug/connexion",
        "/m/UPPER_case/releve",
    ] {
        let page = b.get(path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(page.set_cookies.is_empty(), "{path}");
    }
    let posted = b
        .post(
            "/m/unknown-slug/connexion",
            &[("email", "awa@tilleuls.example")],
        )
        .await;
    assert_eq!(posted.status, 404);
}

async fn r17_web_a_movement_s_public_page_shows_only_its_own_published_decisions(db: TestDb) {
    let app = TestApp::demo(db).await;
    let rive = rive(&app).await;
    let coordination = commit_all(&app, &rive).await;
    let published = record(&app, &rive, &coordination, "Barque prêtée", "PUBLISHED").await;
    let internal = record(&app, &rive, &coordination, "Réserve de cordes", "MEMBERS").await;
    let mut outsider = Browser::new(&app);
    let public = outsider.get(&format!("{}/public", rive.root)).await;
    assert_eq!(public.status, 200);
    assert!(public.body.contains("Collectif de la Rive"));
    assert!(public.body.contains("Barque prêtée"), "{}", public.body);
    assert!(!public.body.contains("Réserve de cordes"));
    // The demo's published decisions are not the Rive's.
    assert!(
        !public.body.contains("parc des Tilleuls"),
        "{}",
        public.body
    );
    let at_root = outsider.get("/public").await;
    assert!(at_root.body.contains("parc des Tilleuls"));
    assert!(!at_root.body.contains("Barque"));
    // A published decision's page, under its own movement and under the other.
    let shown = outsider
        .get(&format!("{}/decisions/{published}", rive.root))
        .await;
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("Barque prêtée"));
    assert_eq!(
        outsider
            .get(&format!("/decisions/{published}"))
            .await
            .status,
        404
    );
    assert_eq!(
        outsider
            .get(&format!("{}/decisions/{internal}", rive.root))
            .await
            .status,
        404
    );
    // A search on the Rive's public page finds nothing internal, nothing of the demo's.
    for q in ["cordes", "Tilleuls"] {
        let searched = outsider.get(&format!("{}/public?q={q}", rive.root)).await;
        assert_eq!(searched.status, 200);
        assert!(!searched.body.contains("Réserve de cordes"), "{q}");
        assert!(!searched.body.contains("parc des Tilleuls"), "{q}");
    }
}

async fn web_the_mailed_signin_link_leads_to_the_movement_s_own_pages(db: TestDb) {
    let sink = crate::sinks::SmtpSink::start().await;
    let mut limits = HttpLimits::default();
    limits.web.base_url = "http://gouvernail.example/".into();
    limits.web.mailer = Some(
        graphql_server::web::Mailer::new(&sink.url(), "Gouvernail <gouvernail@example.org>")
            .unwrap(),
    );
    let app = TestApp::demo_with(db, limits).await;
    let rive = rive(&app).await;
    let mut b = Browser::new(&app);
    let form = b.get(&format!("{}/connexion", rive.root)).await;
    let asked = b
        .post(
            &format!("{}/connexion", rive.root),
            &[("csrf", &csrf(&form.body)), ("email", "zoe@rive.example")],
        )
        .await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    sink.wait(Duration::from_secs(10), "a mail", |s| {
        !s.accepted().is_empty()
    })
    .await;
    let mail = sink.accepted()[0].raw.clone();
    // Quoted-printable folds long lines with a final `=`; the link itself has no `=`.
    let text = mail.replace("=\n", "");
    let start = text
        .find("http://gouvernail.example")
        .unwrap_or_else(|| panic!("no link in {mail}"));
    let link: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let path = format!("{}/connexion/lien/", rive.root);
    assert!(
        link.starts_with(&format!("http://gouvernail.example{path}")),
        "{link}"
    );
    // Followed on this server, it opens Zoé's session at the Rive.
    let landed = b.get(&link.replace("http://gouvernail.example", "")).await;
    assert_eq!(landed.status, 303, "{}", landed.body);
    assert_eq!(
        landed.location.as_deref(),
        Some(format!("{}/", rive.root).as_str())
    );
    let home = b.get(&format!("{}/", rive.root)).await;
    assert!(home.body.contains("Bonjour Zoé Marchand"), "{}", home.body);
}
