//! The modules of each crate use each other without cycles, so that a
//! crate reads top-down: every module can be understood from the ones it
//! uses, never from one that uses it back.
//!
//! The graph is read from the source text: a top-level module `a` uses `b`
//! where its files say `crate::b` (also inside `use crate::{b, …}`), or
//! `super::b` from `src/a.rs`; a name the crate root re-exports
//! (`crate::Name`) counts as its module. Test code (`#[cfg(test)] mod …`
//! blocks, `src/tests.rs`, `src/tests/`) is left out, and so are comments.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The crates checked, by folder under `crates/`, each with the modules of a
/// cycle it still has: uses among those are not counted (so the cycle
/// cannot grow to take in another module). A module leaves the list once
/// it is out of the cycle.
const CRATES: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("vault", &[]),
    ("sync", SYNC_CYCLE),
    ("core", &[]),
];

/// Sync's devices, team and trust checks still use each other: `Replica`'s
/// methods are written in the modules of what they handle (keys, case
/// keys, bundles, quarantine, audit anchors), which `replica.rs` uses in
/// turn, and the trust checks call the case-key and audit-anchor checks,
/// which verify signatures with trust's `Verifier`.
const SYNC_CYCLE: &[&str] = &[
    "audit_anchor",
    "bundle",
    "case_keys",
    "import",
    "keys",
    "quarantine",
    "quota",
    "replica",
    "team",
    "trust",
];

/// Module → the modules it uses, each with the first file that does.
type Graph = BTreeMap<String, BTreeMap<String, PathBuf>>;

#[test]
fn no_crate_has_a_module_cycle() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cycles: Vec<String> = CRATES
        .iter()
        .filter_map(|(name, still_cyclic)| {
            let mut graph = crate_graph(&crates.join(name).join("src"));
            assert!(graph.len() > 1, "crates/{name}: no modules found");
            for module in *still_cyclic {
                let uses = graph.get_mut(*module).expect("a module of the known cycle");
                uses.retain(|used, _| !still_cyclic.contains(&used.as_str()));
            }
            find_cycle(&graph).map(|cycle| format!("crates/{name}: {}", describe(&graph, &cycle)))
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "modules use each other in a cycle; move what the lower module needs \
         below it:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn references_are_read_from_the_source() {
    let modules = ["a", "b", "c", "d"];
    let root_names = BTreeMap::from([("Thing".to_string(), "d".to_string())]);
    // (source of `src/a.rs`, the modules it uses)
    let cases: &[(&str, &[&str])] = &[
        ("use crate::b::X;", &["b"]),
        ("fn f() { crate::c::g() }", &["c"]),
        ("use crate::{b::X, c::{Y, Z}};", &["b", "c"]),
        ("use super::b;", &["b"]),
        ("use super::{b::X, c};", &["b", "c"]),
        ("use crate::Thing;", &["d"]),
        ("use crate::a::X; use crate::Unknown;", &[]),
        ("// use crate::b::X;\n/// [`crate::c`]\n", &[]),
        (
            "#[cfg(test)]\nmod tests {\n    use crate::b::X;\n    fn f() {}\n}\n",
            &[],
        ),
        (
            "#[cfg(test)]\nmod tests { use super::*; }\nuse crate::c::Y;",
            &["c"],
        ),
    ];
    for (source, expected) in cases {
        let used = references(source, true, &modules, &root_names);
        let expected: BTreeSet<String> = expected.iter().map(|m| m.to_string()).collect();
        assert_eq!(
            used.into_iter()
                .filter(|m| m != "a")
                .collect::<BTreeSet<_>>(),
            expected,
            "{source}"
        );
    }
    // In `src/a/inner.rs`, `super::` is `a` itself.
    assert!(references("use super::b;", false, &modules, &root_names).is_empty());
}

#[test]
fn a_cycle_is_named_and_a_chain_is_not_one() {
    let graph = |edges: &[(&str, &str)]| -> Graph {
        let mut g = Graph::new();
        for (from, to) in edges {
            g.entry(from.to_string())
                .or_default()
                .insert(to.to_string(), PathBuf::from(from));
            g.entry(to.to_string()).or_default();
        }
        g
    };
    type Edges = &'static [(&'static str, &'static str)];
    let cases: &[(Edges, Option<&[&str]>)] = &[
        (&[("a", "b"), ("b", "c")], None),
        (&[("a", "b"), ("a", "c"), ("b", "c")], None),
        (&[("a", "b"), ("b", "a")], Some(&["a", "b", "a"])),
        (
            &[("a", "b"), ("b", "c"), ("c", "b")],
            Some(&["b", "c", "b"]),
        ),
        (
            &[("x", "y"), ("y", "z"), ("z", "x")],
            Some(&["x", "y", "z", "x"]),
        ),
    ];
    for (edges, expected) in cases {
        let expected = expected.map(|c| c.iter().map(|m| m.to_string()).collect::<Vec<_>>());
        assert_eq!(find_cycle(&graph(edges)), expected, "{edges:?}");
    }
}

/// The module graph of the crate whose sources are in `src`.
fn crate_graph(src: &Path) -> Graph {
    let files = module_files(src);
    let modules: Vec<&str> = files.keys().map(String::as_str).collect();
    let root = ["lib.rs", "main.rs"]
        .iter()
        .find_map(|f| fs::read_to_string(src.join(f)).ok())
        .unwrap_or_default();
    let root_names = reexports(&root, &modules);
    let mut graph = Graph::new();
    for (module, paths) in &files {
        let uses = graph.entry(module.clone()).or_default();
        for path in paths {
            let text = fs::read_to_string(path).unwrap();
            let top_level = path.parent() == Some(src);
            for used in references(&text, top_level, &modules, &root_names) {
                if used != *module {
                    uses.entry(used).or_insert_with(|| path.clone());
                }
            }
        }
    }
    graph
}

/// Each top-level module and its files: `src/a.rs` and everything under `src/a/`.
fn module_files(src: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut modules: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for entry in fs::read_dir(src).unwrap() {
        let path = entry.unwrap().path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if stem == "tests" || stem == "lib" || stem == "main" {
            continue;
        }
        if path.is_dir() {
            modules
                .entry(stem.to_string())
                .or_default()
                .extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            modules.entry(stem.to_string()).or_default().push(path);
        }
    }
    modules
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The names the crate root re-exports by name (`pub use a::{X, Y};`), by module.
fn reexports(root: &str, modules: &[&str]) -> BTreeMap<String, String> {
    let code = without_tests(&without_comments(root));
    let mut names = BTreeMap::new();
    for statement in code.split(';') {
        let Some(path) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let path = path
            .trim()
            .trim_start_matches("crate::")
            .trim_start_matches("self::");
        let Some((module, items)) = path.split_once("::") else {
            continue;
        };
        if !modules.contains(&module) {
            continue;
        }
        for item in items
            .trim_matches(|c: char| c == '{' || c == '}' || c.is_whitespace())
            .split(',')
        {
            let name = item.split(" as ").last().unwrap_or(item).trim();
            if !name.is_empty() && name != "*" && name != "self" {
                names.insert(name.to_string(), module.to_string());
            }
        }
    }
    names
}

/// The top-level modules one file's code refers to. `top_level`: the file is
/// `src/<module>.rs`, so that `super::` is the crate root.
fn references(
    text: &str,
    top_level: bool,
    modules: &[&str],
    root_names: &BTreeMap<String, String>,
) -> BTreeSet<String> {
    let code = without_tests(&without_comments(text));
    let mut prefixes = vec!["crate::"];
    if top_level {
        prefixes.push("super::");
    }
    let mut used = BTreeSet::new();
    for prefix in prefixes {
        for (at, _) in code.match_indices(prefix) {
            let preceded_by_path =
                code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':');
            if preceded_by_path {
                continue;
            }
            for name in first_segments(&code[at + prefix.len()..]) {
                let module = if modules.contains(&name.as_str()) {
                    Some(name)
                } else {
                    root_names.get(&name).cloned()
                };
                used.extend(module);
            }
        }
    }
    used
}

/// The first path segment after `crate::`: one name, or each name that
/// starts an item of a `{…}` group.
fn first_segments(rest: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let Some(group) = rest.trim_start().strip_prefix('{') else {
        return vec![ident(rest)];
    };
    let mut names = Vec::new();
    let mut depth = 0;
    let mut item_start = true;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = true,
            c if c.is_whitespace() => {}
            _ if item_start => {
                names.push(ident(&group[i..]));
                item_start = false;
            }
            _ => {}
        }
    }
    names
}

/// `text` without `//` and `/* */` comments (line breaks kept).
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |end| &after[end..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |end| &after[end + 2..]);
        } else if rest.starts_with("'\"'") {
            out.push_str("'\"'");
            rest = &rest[3..];
        } else if rest.starts_with('"') {
            // A string is kept whole, so that `"//"` in it starts no comment.
            let end = string_end(rest);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The length of the string literal `s` starts with, quotes included.
fn string_end(s: &str) -> usize {
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return i + 1,
            _ => escaped = false,
        }
    }
    s.len()
}

/// `code` without its `#[cfg(test)] mod … { … }` blocks.
fn without_tests(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let body = after.trim_start();
        let is_inline_module = body.starts_with("mod ")
            && body
                .find(['{', ';'])
                .is_some_and(|i| body.as_bytes()[i] == b'{');
        if !is_inline_module {
            out.push_str("#[cfg(test)]");
            rest = after;
            continue;
        }
        let open = after.find('{').unwrap();
        let mut depth = 0;
        let mut end = after.len();
        for (i, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// A cycle of modules, first module repeated at the end; the search starts
/// from the modules in name order, so the answer is always the same.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        graph: &Graph,
        module: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|m| m == module) {
            let mut cycle = path[start..].to_vec();
            cycle.push(module.to_string());
            return Some(cycle);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_string());
        for used in graph.get(module).into_iter().flat_map(|uses| uses.keys()) {
            if let Some(cycle) = visit(graph, used, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(module.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|module| visit(graph, module, &mut Vec::new(), &mut done))
}

/// `a → b (src/a.rs) → a (src/b.rs)`: each step with the file that takes it.
fn describe(graph: &Graph, cycle: &[String]) -> String {
    let mut text = cycle[0].clone();
    for step in cycle.windows(2) {
        let file = &graph[&step[0]][&step[1]];
        let shown = file.components().rev().take(2).collect::<Vec<_>>();
        let shown: PathBuf = shown.iter().rev().collect();
        text.push_str(&format!(" → {} ({})", step[1], shown.display()));
    }
    text
}
