use super::*;
use crate::clock::parse_timestamp;

fn t(s: &str) -> DateTime<Utc> {
    parse_timestamp(s).unwrap_or_default()
}

fn pod(annotations: Value, restart_policy: &str) -> Value {
    json!({
        "kind": "Pod", "apiVersion": "v1",
        "metadata": {"name": "web", "namespace": "default", "uid": "u-1", "annotations": annotations},
        "spec": {
            "containers": [{"name": "nginx", "image": "nginx", "imagePullPolicy": "Always",
                "volumeMounts": [{"name": "kube-api-access-abcde", "readOnly": true, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}]}],
            "restartPolicy": restart_policy, "nodeName": "node01"
        },
        "status": {"phase": "Pending", "qosClass": "BestEffort"}
    })
}

fn no_history(_: &str) -> PullHistory {
    PullHistory::default()
}

fn run_at(p: &Value, now: DateTime<Utc>, history: &dyn Fn(&str) -> PullHistory) -> Outcome {
    let env = PodEnv {
        now,
        host_ip: "192.168.56.11",
        pod_ip: "10.244.1.2",
        record_events: true,
        pull_history: history,
        exits_at_start: None,
    };
    sync(p, &env)
}

fn with_status(p: &Value, o: &Outcome) -> Value {
    let mut p = p.clone();
    p["status"] = o.status.clone();
    p
}

fn reasons(o: &Outcome) -> Vec<&str> {
    o.events.iter().map(|e| e.reason).collect()
}

#[test]
fn a_pod_starts_running_and_ready() {
    let now = t("2026-11-29T01:42:16Z");
    let o = run_at(&pod(json!({}), "Always"), now, &no_history);
    assert_eq!(reasons(&o), ["Pulling", "Pulled", "Created", "Started"]);
    assert_eq!(o.events[0].message, "Pulling image \"nginx\"");
    assert_eq!(o.events[2].message, "Created container: nginx");
    assert_eq!(o.events[3].message, "Started container nginx");
    assert_eq!(o.events[0].field_path, "spec.containers{nginx}");
    let s = &o.status;
    assert_eq!(s["phase"], "Running");
    let kinds: Vec<&str> = s["conditions"]
        .as_array()
        .map(|cs| cs.iter().map(|c| str_at(c, "/type")).collect())
        .unwrap_or_default();
    assert_eq!(
        kinds,
        [
            "PodReadyToStartContainers",
            "Initialized",
            "Ready",
            "ContainersReady",
            "PodScheduled"
        ]
    );
    assert!(
        s["conditions"]
            .as_array()
            .is_some_and(|cs| cs.iter().all(|c| c["status"] == "True"))
    );
    assert_eq!(s["podIP"], "10.244.1.2");
    assert_eq!(s["hostIPs"], json!([{"ip": "192.168.56.11"}]));
    assert_eq!(s["startTime"], "2026-11-29T01:42:16Z");
    assert_eq!(s["qosClass"], "BestEffort");
    let c = &s["containerStatuses"][0];
    assert_eq!(c["state"]["running"]["startedAt"], "2026-11-29T01:42:16Z");
    assert_eq!(c["ready"], true);
    assert_eq!(c["image"], "docker.io/library/nginx:latest");
    assert_eq!(o.due, None);
    // A second sync of the running pod changes nothing.
    let again = run_at(
        &with_status(&pod(json!({}), "Always"), &o),
        now,
        &no_history,
    );
    assert!(again.events.is_empty());
    assert_eq!(again.status, o.status);
}

#[test]
fn a_crashing_container_backs_off() {
    let t0 = t("2026-11-29T01:42:16Z");
    let p = pod(json!({"kubelite.io/exit-code": "1"}), "Always");
    let o = run_at(&p, t0, &no_history);
    let c = &o.status["containerStatuses"][0];
    assert_eq!(c["restartCount"], 1);
    assert_eq!(c["state"]["waiting"]["reason"], "CrashLoopBackOff");
    assert_eq!(
        c["state"]["waiting"]["message"],
        "back-off 10s restarting failed container=nginx pod=web_default(u-1)"
    );
    assert_eq!(c["lastState"]["terminated"]["exitCode"], 1);
    assert_eq!(c["lastState"]["terminated"]["reason"], "Error");
    assert_eq!(o.status["phase"], "Running");
    assert_eq!(o.status["conditions"][2]["status"], "False");
    assert_eq!(o.due, Some(t0 + Duration::seconds(10)));
    assert_eq!(reasons(&o).last(), Some(&"BackOff"));

    // Before the back-off runs out nothing happens; after it, one more restart.
    let p1 = with_status(&p, &o);
    let early = run_at(&p1, t0 + Duration::seconds(5), &no_history);
    assert!(early.events.is_empty());
    assert_eq!(early.status, o.status);
    let later = run_at(&p1, t0 + Duration::seconds(10), &no_history);
    assert_eq!(later.status["containerStatuses"][0]["restartCount"], 2);
    assert_eq!(later.due, Some(t0 + Duration::seconds(30)));
}

#[test]
fn restart_policy_never_ends_the_pod() {
    let now = t("2026-11-29T01:42:16Z");
    let failed = run_at(
        &pod(json!({"kubelite.io/exit-code": "2"}), "Never"),
        now,
        &no_history,
    );
    assert_eq!(failed.status["phase"], "Failed");
    assert_eq!(failed.status["conditions"][2]["reason"], "PodCompleted");
    let ok = run_at(
        &pod(json!({"kubelite.io/exit-code": "0"}), "OnFailure"),
        now,
        &no_history,
    );
    assert_eq!(ok.status["phase"], "Succeeded");
    let c = &ok.status["containerStatuses"][0];
    assert_eq!(c["state"]["terminated"]["reason"], "Completed");
    assert_eq!(c["restartCount"], 0);
}

#[test]
fn a_never_ready_pod_runs_unready() {
    let o = run_at(
        &pod(json!({"kubelite.io/ready": "false"}), "Always"),
        t("2026-11-29T01:42:16Z"),
        &no_history,
    );
    assert_eq!(o.status["phase"], "Running");
    assert_eq!(o.status["containerStatuses"][0]["ready"], false);
    assert_eq!(o.status["conditions"][2]["reason"], "ContainersNotReady");
    assert_eq!(
        o.status["conditions"][2]["message"],
        "containers with unready status: [nginx]"
    );
}

#[test]
fn failing_pulls_back_off() {
    let t0 = t("2026-11-29T01:42:16Z");
    let p = pod(json!({"kubelite.io/image-pull": "fail"}), "Always");
    let o = run_at(&p, t0, &no_history);
    assert_eq!(
        reasons(&o),
        ["Pulling", "Failed", "Failed", "BackOff", "Failed"]
    );
    assert_eq!(o.events[2].message, "Error: ErrImagePull");
    assert_eq!(o.events[4].message, "Error: ImagePullBackOff");
    assert_eq!(o.status["phase"], "Pending");
    let c = &o.status["containerStatuses"][0];
    assert_eq!(c["state"]["waiting"]["reason"], "ImagePullBackOff");
    assert_eq!(c["image"], "nginx");
    assert_eq!(o.due, Some(t0 + Duration::seconds(10)));
    // One failed attempt recorded: the next is due 10 s after it.
    let one = |_: &str| PullHistory {
        attempts: 1,
        last: Some(t0),
    };
    let p1 = with_status(&p, &o);
    assert!(
        run_at(&p1, t0 + Duration::seconds(9), &one)
            .events
            .is_empty()
    );
    let retry = run_at(&p1, t0 + Duration::seconds(10), &one);
    assert_eq!(reasons(&retry)[0], "Pulling");
    assert_eq!(retry.due, Some(t0 + Duration::seconds(30)));
}

#[test]
fn init_containers_complete_first() {
    let mut p = pod(json!({}), "Always");
    p["spec"]["initContainers"] =
        json!([{"name": "setup", "image": "busybox:1.36", "imagePullPolicy": "IfNotPresent"}]);
    let o = run_at(&p, t("2026-11-29T01:42:16Z"), &no_history);
    assert_eq!(o.events[0].field_path, "spec.initContainers{setup}");
    let init = &o.status["initContainerStatuses"][0];
    assert_eq!(init["state"]["terminated"]["reason"], "Completed");
    assert_eq!(init["ready"], true);
    assert_eq!(init["started"], false);
    assert_eq!(o.status["phase"], "Running");
    // An image pulled for the init container is present for a later container.
    let mut p2 = p.clone();
    p2["spec"]["containers"] =
        json!([{"name": "side", "image": "busybox:1.36", "imagePullPolicy": "IfNotPresent"}]);
    let o2 = run_at(&p2, t("2026-11-29T01:42:16Z"), &no_history);
    let messages: Vec<&str> = o2.events.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages.iter().filter(|m| m.starts_with("Pulling")).count(),
        1
    );
    assert!(messages.contains(&"Container image \"busybox:1.36\" already present on machine"));
}

#[test]
fn stopping_names_running_containers() {
    let o = run_at(
        &pod(json!({}), "Always"),
        t("2026-11-29T01:42:16Z"),
        &no_history,
    );
    let events = stop_events(&with_status(&pod(json!({}), "Always"), &o));
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].message, "Stopping container nginx");
    assert_eq!(events[0].reason, "Killing");
}

#[test]
fn backoff_doubles_to_five_minutes() {
    assert_eq!(backoff(1).num_seconds(), 10);
    assert_eq!(backoff(2).num_seconds(), 20);
    assert_eq!(backoff(5).num_seconds(), 160);
    assert_eq!(backoff(6).num_seconds(), 300);
    assert_eq!(backoff(60).num_seconds(), 300);
}
