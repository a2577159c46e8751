//! CSV exports for spreadsheets, over HTTP (`/export/{what}.csv`, by bearer token or by the
//! pages' session cookie) and from the command line, on SQLite and on PostgreSQL: UTF-8 with a
//! byte-order mark, French headers, `;` between fields, formula-like cells neutralised (CSV
//! injection), newlines and quotes kept inside their cells, and outsiders held to what is
//! published (R17). Every file is read back with the `csv` crate.

use crate::app::{TestApp, code};
use crate::cli::{init_canal, run};
use crate::helpers::{TestDb, on_both_backends};
use crate::web::Browser;
use serde_json::json;

on_both_backends!(
    csv_starts_with_bom_and_french_header,
    csv_neutralises_formula_cells,
    csv_keeps_newlines_and_quotes_inside_cells,
    r17_csv_outsider_gets_only_published,
    csv_cli_exports_mandates,
);

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// GET `/export/{file}` with `token` (or none): status, content type, disposition, bytes.
async fn get(app: &TestApp, file: &str, token: Option<&str>) -> (u16, String, String, Vec<u8>) {
    let mut request = reqwest::Client::new().get(format!("http://{}/export/{file}", app.addr));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let r = request.send().await.unwrap();
    let header = |name: &str| {
        r.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (ct, cd) = (header("content-type"), header("content-disposition"));
    (
        r.status().as_u16(),
        ct,
        cd,
        r.bytes().await.unwrap().to_vec(),
    )
}

/// The rows of a CSV export, header first, read by the `csv` crate after its BOM.
fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(
        bytes.starts_with(BOM),
        "no BOM: {:?}",
        &bytes[..bytes.len().min(16)]
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(&bytes[BOM.len()..]);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

async fn record(app: &TestApp, title: &str, statement: &str, visibility: &str) {
    let ids = app.ids("Awa").await;
    let done = app
        .gql(Some("Awa"), "mutation($input: RecordDecisionInput!) { recordDecision(input: $input) { revision } }",
            json!({"input": {"unitId": ids.unit("Coordination"), "domain": "communication externe", "title": title, "statement": statement, "visibility": visibility}}))
        .await;
    assert_eq!(code(&done), "OK", "{done}");
}

/// Each export starts with the BOM and a French header; the API's `exportCsv` gives the same
/// bytes as the address; a session cookie opens it as a token does.
async fn csv_starts_with_bom_and_french_header(db: TestDb) {
    let app = TestApp::demo(db).await;
    let headers = [
        (
            "decisions",
            "identifiant;décidée le;titre;unité;domaine;décision;motivation;décidée par;mode;diffusion",
        ),
        (
            "mandates",
            "identifiant;titulaire;unité;rôle;domaines;début;fin;engagement;révocation;statut",
        ),
        (
            "tensions",
            "identifiant;soulevée le;soulevée par;titre;description;sujet;espace;statut;réunion;issue",
        ),
    ];
    for (what, header) in headers {
        let (status, ct, cd, bytes) =
            get(&app, &format!("{what}.csv"), Some(app.token("Awa"))).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        assert_eq!(ct, "text/csv; charset=utf-8");
        assert_eq!(cd, format!("attachment; filename=\"{what}.csv\""));
        assert!(bytes.starts_with(BOM));
        let text = std::str::from_utf8(&bytes[BOM.len()..]).unwrap();
        assert_eq!(text.split("\r\n").next().unwrap(), header);
        let all = rows(&bytes);
        assert!(all.len() > 3, "{what}: {} rows", all.len());
        assert!(
            all.iter().all(|r| r.len() == 10),
            "{what}: ten fields a row"
        );
        // The API's field gives the same file.
        let api = app
            .gql(
                Some("Awa"),
                "query($w: ExportKind!) { exportCsv(what: $w) }",
                json!({"w": what.to_uppercase()}),
            )
            .await;
        assert_eq!(
            api["data"]["exportCsv"].as_str().unwrap().as_bytes(),
            bytes.as_slice()
        );
    }
    let mandates = rows(&get(&app, "mandates.csv", Some(app.token("Awa"))).await.3);
    assert!(
        mandates
            .iter()
            .any(|r| r[1] == "Fatou Ndiaye" && r[9] == "révoqué"),
        "{mandates:?}"
    );
    // The pages' session opens the same file as the token.
    let mut browser = Browser::new(&app);
    browser.sign_in(&app, "awa@tilleuls.example").await;
    let page = browser.get("/export/mandates.csv").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.starts_with('\u{FEFF}'));
    assert!(page.body.contains("Fatou Ndiaye"));
    // An unknown export is no export.
    let (status, ..) = get(&app, "members.csv", Some(app.token("Awa"))).await;
    assert_eq!(status, 404);
}

/// Titles that a spreadsheet would run as formulas come out with a leading `'`.
async fn csv_neutralises_formula_cells(db: TestDb) {
    let app = TestApp::demo(db).await;
    let hostile = [
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
    ];
    for title in hostile {
        record(&app, title, "=1+1", "MEMBERS").await;
    }
    let all = rows(&get(&app, "decisions.csv", Some(app.token("Awa"))).await.3);
    for title in hostile {
        let row = all
            .iter()
            .find(|r| r[2] == format!("'{title}"))
            .unwrap_or_else(|| panic!("no neutralised row for {title}: {all:?}"));
        assert_eq!(row[5], "'=1+1");
    }
    for row in &all {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell starts a formula: {cell:?}"
            );
        }
    }
}

/// A statement with lines, quotes and the separator reads back exactly, in one cell.
async fn csv_keeps_newlines_and_quotes_inside_cells(db: TestDb) {
    let app = TestApp::demo(db).await;
    let statement = "Ligne 1 ; avec \"guillemets\"\nLigne 2, suite\n\nFin é";
    record(&app, "Texte sur plusieurs lignes", statement, "MEMBERS").await;
    let all = rows(&get(&app, "decisions.csv", Some(app.token("Awa"))).await.3);
    let row = all
        .iter()
        .find(|r| r[2] == "Texte sur plusieurs lignes")
        .expect("the decision's row");
    assert_eq!(row[5], statement);
    assert_eq!(row.len(), 10);
}

/// An outsider exports the published decisions and nothing else: no internal decision, no
/// mandates, no tensions (R17). A token that opens nothing is refused, not read as an outsider.
async fn r17_csv_outsider_gets_only_published(db: TestDb) {
    let app = TestApp::demo(db).await;
    record(&app, "Décision interne secrète", "", "MEMBERS").await;
    record(&app, "Décision publiée", "", "PUBLISHED").await;
    let (status, _, _, bytes) = get(&app, "decisions.csv", None).await;
    assert_eq!(status, 200);
    let outside = rows(&bytes);
    let published = app
        .gql(
            None,
            "{ decisions(first: 100) { nodes { title } } }",
            json!({}),
        )
        .await;
    let public: Vec<&str> = published["data"]["decisions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["title"].as_str().unwrap())
        .collect();
    assert_eq!(outside.len() - 1, public.len(), "{outside:?}");
    assert!(
        outside[1..].iter().all(|r| r[9] == "publique"),
        "{outside:?}"
    );
    assert!(outside.iter().any(|r| r[2] == "Décision publiée"));
    assert!(!String::from_utf8_lossy(&bytes).contains("secrète"));
    let inside = rows(&get(&app, "decisions.csv", Some(app.token("Léo"))).await.3);
    assert!(inside.len() > outside.len());
    assert!(inside.iter().any(|r| r[2] == "Décision interne secrète"));
    for what in ["mandates.csv", "tensions.csv"] {
        let (status, ct, _, body) = get(&app, what, None).await;
        assert_eq!(status, 401, "{what}: {}", String::from_utf8_lossy(&body));
        assert!(ct.starts_with("text/plain"), "{ct}");
        assert!(!String::from_utf8_lossy(&body).contains("Karima"));
    }
    let api = app
        .gql(None, "{ exportCsv(what: TENSIONS) }", json!({}))
        .await;
    assert_eq!(code(&api), "UNAUTHENTICATED", "{api}");
    let (status, ..) = get(&app, "decisions.csv", Some("gvn_not-a-token")).await;
    assert_eq!(status, 401);
}

/// `gouvernail export --format csv --what mandates` writes the mandates for a spreadsheet;
/// mandates in another format are refused with a clear message.
async fn csv_cli_exports_mandates(db: TestDb) {
    init_canal(&db);
    let out = run(&db, &["export", "--format", "csv", "--what", "mandates"]);
    out.succeeded();
    let all = rows(out.stdout.as_bytes());
    assert_eq!(all[0][0], "identifiant");
    assert_eq!(all[0][1], "titulaire");
    assert!(
        all.iter()
            .any(|r| r[1] == "Awa Diallo" && r[2] == "Coordination"),
        "{all:?}"
    );
    let decisions = rows(
        run(&db, &["export", "--format", "csv"])
            .succeeded()
            .stdout
            .as_bytes(),
    );
    assert_eq!(
        decisions.len(),
        2,
        "the header and the founding: {decisions:?}"
    );
    let tensions = rows(
        run(&db, &["export", "--format", "csv", "--what", "tensions"])
            .succeeded()
            .stdout
            .as_bytes(),
    );
    assert_eq!(tensions.len(), 1, "the header only: {tensions:?}");
    let refused = run(&db, &["export", "--format", "json", "--what", "mandates"]);
    assert!(!refused.status.success());
    assert!(refused.stderr.contains("--format csv"), "{refused:#?}");
}
