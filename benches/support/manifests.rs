//! What the one-shot benches share: a multi-document file of pods and the median of timings.

use std::time::Duration;

/// `n` pods in one multi-document YAML file, named pod-00000, pod-00001, ...
pub fn pods(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-{i:05}\n  labels:\n    app: bench\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n"
            )
        })
        .collect::<Vec<_>>()
        .join("---\n")
}

pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}
