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

// ----- the shape of the core's modules -------------------------------------------------------

/// The module a source file is, as its path from the crate root: `src/index/seat.rs` is
/// `index::seat`, `src/index/mod.rs` is `index`, `src/lib.rs` is the root (empty).
fn module_of(file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src_dir()).unwrap();
    let mut parts: Vec<String> = relative
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// One token of a source file with its line: an identifier, `::`, or a single character.
#[derive(Debug, Clone, PartialEq)]
struct Token {
    text: String,
    line: usize,
}

/// The tokens of `source` that can make a path, comments and string literals left out (a path
/// in a comment or a message is no dependency).
fn path_tokens(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let (mut i, mut line) = (0, 1);
    let mut tokens = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
            }
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                line += usize::from(chars[i] == '\n');
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c == '\'' && next == Some('"') && chars.get(i + 2) == Some(&'\'') {
            i += 3;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(Token {
                text: chars[start..i].iter().collect(),
                line,
            });
        } else if c == ':' && next == Some(':') {
            tokens.push(Token {
                text: "::".into(),
                line,
            });
            i += 2;
        } else {
            if !c.is_whitespace() {
                tokens.push(Token {
                    text: c.to_string(),
                    line,
                });
            }
            i += 1;
        }
    }
    tokens
}

fn is_ident(t: &Token) -> bool {
    t.text
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Reads the path, or `use` tree, starting at `tokens[*i]`, and pushes every full path it names
/// (`crate::a::{b, c::D}` names `crate::a::b` and `crate::a::c::D`).
fn read_paths(tokens: &[Token], i: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = prefix;
    loop {
        match tokens.get(*i) {
            Some(t) if is_ident(t) || t.text == "*" => {
                path.push(t.text.clone());
                *i += 1;
            }
            Some(t) if t.text == "{" => {
                *i += 1;
                loop {
                    read_paths(tokens, i, path.clone(), out);
                    // Skip a rename (`as Name`) up to the next item or the end of the group.
                    let mut depth = 0;
                    while let Some(t) = tokens.get(*i) {
                        match t.text.as_str() {
                            "{" => depth += 1,
                            "}" if depth == 0 => break,
                            "}" => depth -= 1,
                            "," if depth == 0 => break,
                            _ => {}
                        }
                        *i += 1;
                    }
                    match tokens.get(*i).map(|t| t.text.as_str()) {
                        Some(",") => {
                            *i += 1;
                            if tokens.get(*i).is_some_and(|t| t.text == "}") {
                                *i += 1;
                                return;
                            }
                        }
                        Some("}") => {
                            *i += 1;
                            return;
                        }
                        _ => return,
                    }
                }
            }
            _ => break,
        }
        if tokens.get(*i).is_some_and(|t| t.text == "::") {
            *i += 1;
        } else {
            break;
        }
    }
    out.push(path);
}

/// The modules of the core that `file` refers to, each with the first line that does. Paths are
/// read wherever they are, in `use` statements and in code: `crate::x::...`, `self::x::...`, and
/// `x::...` for a submodule `x` the file declares. A path through the crate root's re-exports
/// (`crate::Movement`) or through `super::` would hide a dependency, so it is refused; `use
/// super::*` in a test module (the file's own items) is the one exception.
fn module_references(
    file: &Path,
    modules: &std::collections::BTreeSet<Vec<String>>,
) -> Result<Vec<(Vec<String>, usize)>, String> {
    let source = std::fs::read_to_string(file).unwrap();
    let tokens = path_tokens(&source);
    let here = module_of(file);
    let mut refs: Vec<(Vec<String>, usize)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let head = &tokens[i];
        let after_path = i > 0 && tokens[i - 1].text == "::";
        let starts_path =
            is_ident(head) && !after_path && tokens.get(i + 1).is_some_and(|t| t.text == "::");
        if !starts_path {
            i += 1;
            continue;
        }
        let line = head.line;
        let mut paths = Vec::new();
        read_paths(&tokens, &mut i, Vec::new(), &mut paths);
        for path in paths {
            let absolute: Vec<String> = match path[0].as_str() {
                "crate" => path[1..].to_vec(),
                "self" => here.iter().chain(&path[1..]).cloned().collect(),
                "super" if path.len() == 2 && path[1] == "*" => continue,
                "super" => {
                    return Err(format!(
                        "{}:{line}: write `crate::` paths instead of `super::`, so that this test sees them",
                        file.display()
                    ));
                }
                _ => {
                    let mut child = here.clone();
                    child.push(path[0].clone());
                    if !modules.contains(&child) {
                        continue; // another crate, a type, a variable: not a module of the core
                    }
                    here.iter().chain(&path).cloned().collect()
                }
            };
            let target = (1..=absolute.len())
                .rev()
                .map(|n| absolute[..n].to_vec())
                .find(|prefix| modules.contains(prefix));
            match target {
                Some(target) => refs.push((target, line)),
                None if path[0] == "crate" => {
                    return Err(format!(
                        "{}:{line}: `{}` goes through the crate root's re-exports; name the module",
                        file.display(),
                        path.join("::")
                    ));
                }
                None => {}
            }
        }
    }
    Ok(refs)
}

/// A cycle of `edges` if there is one, as the list of its modules, first one repeated at the end.
fn find_cycle(
    edges: &std::collections::BTreeMap<Vec<String>, std::collections::BTreeMap<Vec<String>, usize>>,
) -> Option<Vec<Vec<String>>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        node: &Vec<String>,
        edges: &std::collections::BTreeMap<
            Vec<String>,
            std::collections::BTreeMap<Vec<String>, usize>,
        >,
        marks: &mut std::collections::BTreeMap<Vec<String>, Mark>,
        stack: &mut Vec<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        marks.insert(node.clone(), Mark::Open);
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flat_map(|m| m.keys()) {
            match marks.get(next).copied().unwrap_or(Mark::New) {
                Mark::Open => {
                    let start = stack.iter().position(|n| n == next).unwrap();
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Mark::New => {
                    if let Some(cycle) = visit(next, edges, marks, stack) {
                        return Some(cycle);
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks.insert(node.clone(), Mark::Done);
        None
    }
    let mut marks = std::collections::BTreeMap::new();
    for node in edges.keys() {
        if marks.get(node).copied().unwrap_or(Mark::New) == Mark::New
            && let Some(cycle) = visit(node, edges, &mut marks, &mut Vec::new())
        {
            return Some(cycle);
        }
    }
    None
}

/// No import circle among the core's files: each file is a node (a directory module's `mod.rs`
/// is one node, each of its other files another), `lib.rs` is left out (it only declares and
/// re-exports), and `a -> b` when `a` names `crate::b` (in a `use` or in a path). Types import
/// no module that imports them; the records (`movement`) import the types and the index; the
/// index imports types only; the engine, `apply/`, the queries and the fixtures sit above. A
/// circle would mean two rooms that can only be understood, and changed, together.
#[test]
fn core_modules_import_no_circle() {
    let files = source_files();
    let modules: std::collections::BTreeSet<Vec<String>> =
        files.iter().map(|f| module_of(f)).collect();
    let mut edges: std::collections::BTreeMap<
        Vec<String>,
        std::collections::BTreeMap<Vec<String>, usize>,
    > = std::collections::BTreeMap::new();
    let mut errors = Vec::new();
    for file in &files {
        let from = module_of(file);
        if from.is_empty() {
            continue; // lib.rs
        }
        let entry = edges.entry(from.clone()).or_default();
        match module_references(file, &modules) {
            Ok(refs) => {
                for (to, line) in refs {
                    if to != from && !to.is_empty() {
                        entry.entry(to).or_insert(line);
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let name = |m: &Vec<String>| m.join("::");
    // The parser must have seen the dependencies this test is about.
    let index = vec!["index".to_owned()];
    assert!(
        edges[&vec!["movement".to_owned()]].contains_key(&index),
        "the module graph was not parsed: {:?}",
        edges
            .iter()
            .map(|(k, v)| (name(k), v.keys().map(name).collect::<Vec<_>>()))
            .collect::<Vec<_>>()
    );
    if let Some(cycle) = find_cycle(&edges) {
        let steps: Vec<String> = cycle
            .windows(2)
            .map(|w| {
                format!(
                    "{} -> {} (line {})",
                    name(&w[0]),
                    name(&w[1]),
                    edges[&w[0]][&w[1]]
                )
            })
            .collect();
        panic!(
            "the core's modules import each other in a circle:\n  {}",
            steps.join("\n  ")
        );
    }
}

/// Only the authority index's own functions write it (ADR 0004): its fields are private to its
/// module, so code elsewhere can read it through its methods and never change it by hand. The
/// compiler enforces the privacy; this test keeps the fields private.
#[test]
fn authority_index_fields_are_private() {
    let source = std::fs::read_to_string(src_dir().join("index/mod.rs")).unwrap();
    let start = source
        .find("struct AuthorityIndex {")
        .expect("the authority index is `struct AuthorityIndex` in src/index/mod.rs");
    let body = &source[start..];
    let body = &body[..body.find("\n}").expect("the struct ends")];
    let fields: Vec<&str> = body
        .lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with("#["))
        .collect();
    assert!(fields.len() >= 4, "the fields were not parsed: {fields:?}");
    for field in fields {
        assert!(
            !field.starts_with("pub"),
            "the authority index's field `{field}` must be private to src/index/"
        );
    }
}

/// A source file over 600 lines says why it is long, in a `//! Long because:` line near its
/// top; otherwise it is split by noun or topic.
#[test]
fn no_long_source_file_without_a_reason() {
    const MAX_LINES: usize = 600;
    for path in source_files() {
        let source = std::fs::read_to_string(&path).unwrap();
        let lines = source.lines().count();
        if lines <= MAX_LINES {
            continue;
        }
        let reason = source
            .lines()
            .take(20)
            .take_while(|l| l.starts_with("//!"))
            .any(|l| l.starts_with("//! Long because:"));
        assert!(
            reason,
            "{} has {lines} lines: split it, or say why in a `//! Long because:` line at its top",
            path.display()
        );
    }
}
