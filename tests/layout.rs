//! The module layout that ARCHITECTURE.md describes, checked on the source: no two modules
//! import each other. Calls point one way, so each module can be read (and changed) knowing
//! only what is below it. A module and the modules inside it are one unit (a child uses its
//! parent's shared items, the parent dispatches to its children); between any two others,
//! at most one may name the other. Test code is not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

/// Every `.rs` file under `dir`, with its module path (`src/flow/login.rs` → `flow::login`).
fn modules(root: &Path, dir: &Path, found: &mut BTreeMap<Module, PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            modules(root, &path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).expect("under src").with_extension("");
            let mut module: Module = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                module.pop();
            }
            found.insert(module, path);
        }
    }
}

/// The paths a file names after `crate::` and `super::`, `use` trees expanded
/// (`crate::{a, b::{c, d}}` → `a`, `b::c`, `b::d`), `super` resolved against `parent`.
fn references(text: &str, parent: &[String]) -> Vec<Module> {
    let code: String = text
        .split("#[cfg(test)]")
        .next()
        .unwrap_or_default()
        .lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = Vec::new();
    for (anchor, base) in [("crate::", Vec::new()), ("super::", parent.to_vec())] {
        let mut rest = code.as_str();
        while let Some(at) = rest.find(anchor) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + anchor.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            tree(&mut rest, base.clone(), &mut found);
        }
    }
    found
}

/// Parses one use tree at the start of `rest` below `prefix`.
fn tree(rest: &mut &str, prefix: Module, found: &mut Vec<Module>) {
    let text = rest.trim_start();
    if let Some(inner) = text.strip_prefix('{') {
        *rest = inner;
        loop {
            tree(rest, prefix.clone(), found);
            let text = rest.trim_start();
            if let Some(after) = text.strip_prefix(',') {
                *rest = after;
            } else {
                *rest = text.strip_prefix('}').unwrap_or(text);
                return;
            }
            if rest.trim_start().starts_with('}') {
                *rest = rest.trim_start().strip_prefix('}').unwrap_or_default();
                return;
            }
        }
    }
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len());
    let (segment, after) = text.split_at(end);
    *rest = after;
    let mut path = prefix;
    if !segment.is_empty() && segment != "self" {
        path.push(segment.to_string());
    }
    if let Some(deeper) = after.strip_prefix("::") {
        *rest = deeper;
        tree(rest, path, found);
    } else {
        found.push(path);
    }
}

fn is_within(inner: &[String], outer: &[String]) -> bool {
    inner.len() >= outer.len() && inner[..outer.len()] == *outer
}

#[test]
fn no_two_modules_import_each_other() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    modules(&src, &src, &mut files);
    assert!(files.len() > 20, "found the modules under {}", src.display());
    // The longest known module a path starts with.
    let owner = |path: &Module| (0..=path.len()).rev().map(|n| path[..n].to_vec()).find(|m| files.contains_key(m));
    // Edges between siblings: `a` (or a module inside it) names `b` (or one inside it).
    let mut edges: BTreeMap<(Module, Module), BTreeSet<String>> = BTreeMap::new();
    for (module, path) in &files {
        let text = std::fs::read_to_string(path).expect("read a source file");
        // `super` is the enclosing module, whether the file is `x.rs` or `x/mod.rs`.
        let parent = &module[..module.len().saturating_sub(1)];
        for reference in references(&text, parent) {
            let Some(target) = owner(&reference) else { continue };
            if is_within(module, &target) || is_within(&target, module) {
                continue;
            }
            let common = module.iter().zip(&target).take_while(|(a, b)| a == b).count();
            let (a, b) = (module[..=common].to_vec(), target[..=common].to_vec());
            edges.entry((a, b)).or_default().insert(format!("{} → {}", module.join("::"), target.join("::")));
        }
    }
    let cycles: Vec<String> = edges
        .iter()
        .filter(|((a, b), _)| a < b && edges.contains_key(&(b.clone(), a.clone())))
        .map(|((a, b), why)| {
            let back = &edges[&(b.clone(), a.clone())];
            let shown: Vec<&String> = why.iter().chain(back).collect();
            format!("{} ⇄ {}: {shown:?}", a.join("::"), b.join("::"))
        })
        .collect();
    assert!(cycles.is_empty(), "modules that import each other:\n{}", cycles.join("\n"));
}

#[test]
fn use_trees_are_read_like_the_compiler_reads_them() {
    let found = references("use crate::{a, b::{c, d}, e::f};\nlet x = super::g::h(crate::i);", &["p".to_string()]);
    let shown: Vec<String> = found.iter().map(|m| m.join("::")).collect();
    assert_eq!(shown, ["a", "b::c", "b::d", "e::f", "i", "p::g::h"]);
    assert!(references("// crate::commented\n#[cfg(test)]\nuse crate::tests_only;", &[]).is_empty());
}
