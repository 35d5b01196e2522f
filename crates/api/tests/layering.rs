//! The layering of `docs/architecture.md`, checked on the sources: the use cases know nothing of
//! the web framework, and no page borrows from a JSON route (both call the use cases).

#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};

fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("source dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            found.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found
}

fn src(sub: &str) -> Vec<PathBuf> {
    let files = sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(sub));
    assert!(
        files.len() >= 3,
        "only {} files under src/{sub}",
        files.len()
    );
    files
}

fn offenders(files: &[PathBuf], needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(path).expect("source file");
        for (n, line) in text.lines().enumerate() {
            if needles.iter().any(|needle| line.contains(needle)) {
                found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn use_cases_know_nothing_of_http() {
    let found = offenders(
        &src("usecases"),
        &[
            "actix",
            "HttpRequest",
            "HttpResponse",
            "StatusCode",
            "crate::routes",
            "crate::web",
        ],
    );
    assert!(
        found.is_empty(),
        "the use-case layer names HTTP:\n{}",
        found.join("\n")
    );
}

#[test]
fn pages_do_not_borrow_from_json_routes() {
    let found = offenders(&src("web"), &["crate::routes", "routes::"]);
    assert!(
        found.is_empty(),
        "pages import JSON routes:\n{}",
        found.join("\n")
    );
}

#[test]
fn json_routes_do_not_borrow_from_pages() {
    let found = offenders(&src("routes"), &["crate::web::", "use crate::web"]);
    assert!(
        found.is_empty(),
        "JSON routes import pages:\n{}",
        found.join("\n")
    );
}
