//! docs/api.md's walkthrough is docs/walkthrough.sh, which CI runs against a live server: each
//! `<!-- walkthrough: NAME -->` code block of the doc must be the script's `# doc: NAME` …
//! `# end` section word for word, and every section must be in the doc, so neither can drift.

use std::collections::BTreeMap;

const SCRIPT: &str = include_str!("../../docs/walkthrough.sh");
const DOC: &str = include_str!("../../docs/api.md");

/// The script's marked sections: name → lines.
fn script_sections(script: &str) -> BTreeMap<String, String> {
    let mut sections = BTreeMap::new();
    let mut open: Option<(String, String)> = None;
    for line in script.lines() {
        match (&mut open, line.strip_prefix("# doc: ")) {
            (None, Some(name)) => open = Some((name.trim().to_owned(), String::new())),
            (Some((name, _)), Some(_)) => panic!("section {name} is not closed by `# end`"),
            (Some(_), None) if line == "# end" => {
                if let Some((name, body)) = open.take() {
                    assert!(
                        sections.insert(name.clone(), body).is_none(),
                        "two sections named {name}"
                    );
                }
            }
            (Some((_, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "a section is not closed by `# end`");
    sections
}

/// The doc's quoted blocks: name → the lines of the ```sh block right after the marker.
fn doc_blocks(doc: &str) -> BTreeMap<String, String> {
    let mut blocks = BTreeMap::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("<!-- walkthrough: ")
            .and_then(|rest| rest.strip_suffix(" -->"))
        else {
            continue;
        };
        assert_eq!(
            lines.next(),
            Some("```sh"),
            "the marker of {name} must be followed by a ```sh block"
        );
        let mut body = String::new();
        for line in lines.by_ref() {
            if line == "```" {
                break;
            }
            body.push_str(line);
            body.push('\n');
        }
        assert!(
            blocks.insert(name.to_owned(), body).is_none(),
            "two blocks named {name}"
        );
    }
    blocks
}

#[test]
fn the_docs_quote_the_script_that_ci_runs() {
    let sections = script_sections(SCRIPT);
    let blocks = doc_blocks(DOC);
    assert!(
        sections.len() >= 10,
        "the script has its sections: {:?}",
        sections.keys()
    );
    assert_eq!(
        sections.keys().collect::<Vec<_>>(),
        blocks.keys().collect::<Vec<_>>(),
        "docs/api.md quotes exactly the sections of docs/walkthrough.sh"
    );
    for (name, section) in &sections {
        assert_eq!(
            blocks.get(name),
            Some(section),
            "docs/api.md's block {name} differs from docs/walkthrough.sh; it should read:\n```sh\n{section}```"
        );
    }
}

#[test]
fn the_walkthrough_roster_is_the_shared_fixture() {
    // docs/lakeside.csv ships with the repository for readers without ../shared.
    assert!(
        include_bytes!("../../docs/lakeside.csv") == crate::helpers::LAKESIDE,
        "docs/lakeside.csv differs from ../shared/fixtures/lakeside.csv"
    );
}

#[test]
fn a_section_that_differs_from_the_doc_is_found() {
    let script = "# doc: a\necho one\n# end\n";
    let doc = "<!-- walkthrough: a -->\n```sh\necho two\n```\n";
    assert_ne!(script_sections(script), doc_blocks(doc));
    let same = "<!-- walkthrough: a -->\n```sh\necho one\n```\n";
    assert_eq!(script_sections(script), doc_blocks(same));
}
