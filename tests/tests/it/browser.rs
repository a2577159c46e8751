//! The web pages in a real browser: `tests/browser/run.mjs` drives headless Chromium through a
//! member's, a holder's and an outsider's visit (sign-in by e-mail, catch-up, Relevé, a
//! decision, a commitment, the map at a past date, a tension refused for naming a member then
//! raised, a meeting, the Coordination and an escalation, a decision checked then recorded with
//! its consultation, a movement-wide one refused with its route and escalated, signing out,
//! /public), with axe-core, a 375 px viewport, the page weight and the keyboard checked on every
//! page, then again with JavaScript off; and GraphiQL at /graphql, with no request leaving the
//! server. It needs Node, Chromium and
//! `npm ci --prefix tests/browser`, which `.ci/run` installs; elsewhere it runs only when
//! `GOUVERNAIL_BROWSER_TESTS=1`.

use crate::cli::gouvernail_bin;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The runner finishes in about a minute (90 s at most); past this it is stuck, not slow.
const DEADLINE: Duration = Duration::from_secs(300);

#[test]
fn r11_r17_browser_flows_pass_axe_and_work_without_javascript() {
    if std::env::var("GOUVERNAIL_BROWSER_TESTS").as_deref() != Ok("1") {
        println!(
            "skipped: the browser tests run only with GOUVERNAIL_BROWSER_TESTS=1 (they need node, \
             /usr/bin/chromium and `npm ci --prefix tests/browser`; .ci/run sets them up)"
        );
        return;
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("browser");
    assert!(
        here.join("node_modules").join("playwright-core").exists(),
        "tests/browser/node_modules is missing: run `npm ci --prefix tests/browser`"
    );
    let bin = gouvernail_bin();
    // Screenshots go beside the binary, so that a test run never rewrites docs/screenshots
    // (`node tests/browser/run.mjs` run by hand does).
    let shots = bin
        .parent()
        .expect("the binary lives in target/<profile>")
        .join("browser-screenshots");
    let mut child = Command::new(std::env::var("NODE").unwrap_or_else(|_| "node".into()))
        .arg(here.join("run.mjs"))
        .env("GOUVERNAIL_BIN", bin)
        .env("SCREENSHOTS_DIR", &shots)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node (is Node.js installed?)");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut out = String::new();
            let _ = pipe.read_to_string(&mut out);
            out
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("piped stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("piped stderr")));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for node") {
            break Some(status);
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let out = stdout.join().unwrap_or_default();
    let err = stderr.join().unwrap_or_default();
    // The runner's lines (one per check) show in the test's output; the failure names the
    // checks that failed, listed at their end.
    println!("{out}");
    let failed = out
        .rsplit_once("check(s) failed")
        .map_or("", |(_, list)| list.trim());
    match status {
        Some(s) if s.success() => {}
        Some(s) => panic!("the browser tests failed ({s}) {failed}\n{err}"),
        None => panic!(
            "the browser tests took more than {} s (their output is above)\n{err}",
            DEADLINE.as_secs()
        ),
    }
}
