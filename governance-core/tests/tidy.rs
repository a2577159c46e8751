//! Architecture checks run as ordinary tests: governance-core stays pure.

use std::path::{Path, PathBuf};

/// The core's source directory.
fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/`, modules in directories included, in a stable order.
fn source_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&src_dir(), &mut files);
    files.sort();
    assert!(files.len() > 20, "the sources were not found: {files:?}");
    files
}

/// The core must never depend on storage, HTTP, GraphQL or async runtimes: it is the rules, and
/// nothing else, so that every rule can be tested without IO.
#[test]
fn governance_core_depends_on_no_io_crate() {
    let manifest = include_str!("../Cargo.toml");
    let forbidden = [
        "sea-orm",
        "sea_orm",
        "sqlx",
        "async-graphql",
        "async_graphql",
        "axum",
        "tokio",
        "hyper",
        "reqwest",
    ];
    let deps: Vec<&str> = manifest
        .split("\n[")
        .filter(|section| section.starts_with("dependencies") || section.starts_with("target"))
        .flat_map(|section| section.lines().skip(1))
        .filter_map(|line| line.split(['=', '.']).next())
        .map(str::trim)
        .filter(|name| !name.is_empty() && !name.starts_with('#'))
        .collect();
    assert!(
        deps.contains(&"chrono"),
        "the manifest was not parsed: {deps:?}"
    );
    for name in forbidden {
        assert!(
            !deps.contains(&name),
            "governance-core must not depend on {name}"
        );
    }
}

/// No source file of the core reads the clock or touches the file system or the network:
/// callers pass the instant.
#[test]
fn governance_core_reads_no_clock_and_does_no_io() {
    for path in source_files() {
        let source = std::fs::read_to_string(&path).unwrap();
        for needle in [
            "Utc::now",
            "SystemTime",
            "Instant::now",
            "std::fs",
            "std::net",
            "now_v7",
            "new_v4",
        ] {
            assert!(!source.contains(needle), "{} uses {needle}", path.display());
        }
        assert!(
            source.starts_with("//!"),
            "{} must start with a //! line",
            path.display()
        );
    }
}
