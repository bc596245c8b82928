//! "No import loops" (DESIGN.md): the top-level modules, joined by the `crate::x` and
//! `super::x` paths of their files, form no cycle; nor do the modules side by side in any
//! folder (`api::selector` and `api::validation`, say). A path counts for the two modules
//! where it and the file naming it part: `crate::store::Store` in `src/cli/get.rs` joins
//! `cli` to `store`, `super::names` in `src/api/selector/label.rs` joins `selector` to
//! `names` inside `api`. A module and the folder that holds it (its `mod.rs`) are not a loop.
//!
//! Test code is left out: a component's unit tests may assemble a whole cluster
//! (`embedded::open_in`) to drive the component, as the integration tests do from outside;
//! that is not the program's layering.

use super::source;
use std::collections::{BTreeMap, BTreeSet};

/// Edges `from -> to` inside a folder (`""` for `src/`, else e.g. `"api"`) allowed to close
/// a loop for now, each with why it cannot be undone yet. Empty: every loop has been
/// untangled. A new entry needs its reason.
const ALLOWED: &[(&str, &str, &str, &str)] = &[];

/// For each module, the modules it names, with one place naming each.
type Graph = BTreeMap<String, BTreeMap<String, String>>;

/// For each folder (its module path, empty for the crate root), the graph of the modules
/// directly in it.
fn graphs() -> BTreeMap<Vec<String>, Graph> {
    let files = source::library();
    let mut children: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        if let Some((child, folder)) = f.module.split_last() {
            children
                .entry(folder.to_vec())
                .or_default()
                .insert(child.clone());
        }
    }
    let mut graphs: BTreeMap<Vec<String>, Graph> = BTreeMap::new();
    for (folder, names) in &children {
        let graph = graphs.entry(folder.clone()).or_default();
        for name in names {
            graph.entry(name.clone()).or_default();
        }
    }
    for f in files.iter().filter(|f| !f.test_only) {
        for r in f.references() {
            if r.test {
                continue;
            }
            let common = f
                .module
                .iter()
                .zip(&r.path)
                .take_while(|(a, b)| a == b)
                .count();
            let (Some(from), Some(to)) = (f.module.get(common), r.path.get(common)) else {
                continue;
            };
            let folder = &f.module[..common];
            if !children.get(folder).is_some_and(|c| c.contains(to)) {
                continue; // an item of the folder's own file, not a module beside this one
            }
            let place = folder.join("/");
            if ALLOWED
                .iter()
                .any(|(fo, a, b, _)| *fo == place && a == from && b == to)
            {
                continue;
            }
            graphs
                .entry(folder.to_vec())
                .or_default()
                .entry(from.clone())
                .or_default()
                .entry(to.clone())
                .or_insert_with(|| format!("{}:{}", f.path, r.line));
        }
    }
    graphs
}

/// The strongly connected components with more than one module (Tarjan's algorithm).
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct Walk<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        found: Vec<Vec<String>>,
    }
    impl<'g> Walk<'g> {
        fn visit(&mut self, v: &'g str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph[v].keys() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.found
}

/// A loop, with the place that names each module inside it.
fn describe(graph: &Graph, component: &[String]) -> String {
    let mut lines = vec![format!("  loop: {}", component.join(", "))];
    for from in component {
        for (to, place) in &graph[from] {
            if component.contains(to) {
                lines.push(format!("    {from} -> {to}  ({place})"));
            }
        }
    }
    lines.join("\n")
}

#[test]
fn no_import_loops_between_top_level_modules() {
    let graphs = graphs();
    let graph = &graphs[&Vec::new()];
    assert!(graph.len() >= 10, "the top-level modules are found");
    let report: Vec<String> = cycles(graph).iter().map(|c| describe(graph, c)).collect();
    assert!(
        report.is_empty(),
        "import loops between top-level modules (DESIGN.md: layers call only downwards):\n{}",
        report.join("\n")
    );
}

#[test]
fn no_import_loops_inside_a_folder() {
    let mut report = Vec::new();
    for (folder, graph) in graphs().iter().filter(|(f, _)| !f.is_empty()) {
        for c in cycles(graph) {
            report.push(format!(
                "in src/{}:\n{}",
                folder.join("/"),
                describe(graph, &c)
            ));
        }
    }
    assert!(
        report.is_empty(),
        "import loops between modules side by side:\n{}",
        report.join("\n")
    );
}

#[test]
fn a_loop_is_found_and_named() {
    let mut graph = Graph::new();
    let edge = |g: &mut Graph, a: &str, b: &str| {
        g.entry(a.to_string())
            .or_default()
            .insert(b.to_string(), format!("src/{a}.rs:1"));
        g.entry(b.to_string()).or_default();
    };
    edge(&mut graph, "cli", "kubelet");
    edge(&mut graph, "kubelet", "server");
    edge(&mut graph, "server", "cli");
    edge(&mut graph, "server", "store");
    let found = cycles(&graph);
    assert_eq!(found, vec![vec!["cli", "kubelet", "server"]]);
    let text = describe(&graph, &found[0]);
    assert!(text.contains("server -> cli  (src/server.rs:1)"), "{text}");
    assert!(!text.contains("store"), "{text}");
}
