//! `autoscale` sends kubectl 1.32's requests: a GET of the target, then the autoscaling/v1
//! HorizontalPodAutoscaler POSTed with kubectl's field manager (and dryRun when asked).

use super::run;

#[test]
fn autoscale_sends_kubectls_requests() {
    require_kubectl!();
    super::check(
        &super::cluster,
        &[
            &[
                "autoscale",
                "deployment",
                "web",
                "--min=2",
                "--max=5",
                "--cpu-percent=70",
            ],
            &[
                "autoscale",
                "deploy/web",
                "--max=3",
                "--name=w2",
                "-o",
                "name",
            ],
            &[
                "autoscale",
                "deployment",
                "web",
                "--max=3",
                "--save-config",
                "--name=w3",
            ],
            &[
                "autoscale",
                "deployment",
                "web",
                "--max=3",
                "--dry-run=server",
            ],
            &[
                "autoscale",
                "deployment",
                "web",
                "--max=3",
                "--dry-run=client",
                "-o",
                "yaml",
            ],
            &["autoscale", "ds", "agent", "--max=3"],
            &["autoscale", "deployment", "nope", "--max=3"],
            &["autoscale", "deployment", "web", "--max=2", "--min=3"],
        ],
    );
}
