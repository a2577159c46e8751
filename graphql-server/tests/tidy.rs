//! Architecture checks run as ordinary tests: the API does not talk to the database.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// `api/` reaches the database only through `store/`: every query a resolver makes is a typed
/// function of the store, so that the API can be read without SQL and the store changed
/// without touching a resolver.
#[test]
fn the_api_does_not_talk_to_the_database() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    assert!(
        files.iter().any(|f| f.ends_with("mod.rs")),
        "no source file found under {}",
        dir.display()
    );
    for path in files {
        let source = std::fs::read_to_string(&path).unwrap();
        for needle in ["sea_orm", "store::entity", ".connection()", "begin_write"] {
            assert!(
                !source.contains(needle),
                "{} mentions {needle}: the API asks store/ instead",
                path.display()
            );
        }
        assert!(
            source.starts_with("//!"),
            "{} must start with a //! line",
            path.display()
        );
    }
}

/// R11 (what a member catches up on and marks read) and R17 (what a reader may see) are stated
/// once, in the core (`governance_core::reading`): the API, the store and the command line call
/// `read_scope`, `catch_up_on` and `marked_read` instead of restating them. Only the codec
/// spells a visibility as stored.
#[test]
fn r11_and_r17_are_not_restated_outside_the_core() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let restatements = [
        // R17: deciding who sees a record from its visibility.
        "Visibility::Published",
        "\"published\"",
        // R11: the catch-up window, from the day the member joined.
        "joined_at)",
        "decided_at() >=",
    ];
    let mut checked = 0;
    for path in files.iter().filter(|p| !p.ends_with("store/codec.rs")) {
        let source = std::fs::read_to_string(path).unwrap();
        for needle in restatements {
            assert!(
                !source.contains(needle),
                "{} restates a rule of reading ({needle}): call governance_core::reading",
                path.display()
            );
        }
        checked += 1;
    }
    assert!(checked > 20, "only {checked} files checked");
}

/// As in the core: no source file over 600 lines without a `//! Long because:` line at its top
/// saying why it reads best as one.
#[test]
fn no_long_source_file_without_a_reason() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    for path in files {
        let source = std::fs::read_to_string(&path).unwrap();
        if source.lines().count() <= 600 {
            continue;
        }
        let explained = source
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .any(|l| l.starts_with("//! Long because:"));
        assert!(
            explained,
            "{} has {} lines and no `//! Long because:` line",
            path.display(),
            source.lines().count()
        );
    }
}
