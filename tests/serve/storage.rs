//! StatefulSets, ControllerRevisions and the volume kinds served: the real kubectl against
//! `kubelite serve` and kubelite against the same server print the same bytes for
//! api-resources rows, get (wide), describe and kube-apiserver's validation messages.

use super::support::{Server, TempDir, kubectl_available, kubelite, manifest, manifests, same};

const OBJECTS: &str = "apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
provisioner: example.com/fast
reclaimPolicy: Retain
allowVolumeExpansion: true
mountOptions: [noatime]
parameters: {tier: gold}
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: manual
  labels: {kind: manual}
spec:
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteOnce, ReadOnlyMany]
  storageClassName: manual
  hostPath: {path: /srv/manual}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 0
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: pg
        image: postgres:17
  volumeClaimTemplates:
  - metadata:
      name: data
      labels: {tier: db}
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: fast
      resources:
        requests:
          storage: 2Gi
";

/// One invalid object per file: kubelite's `create -f` does not yet aggregate several
/// Invalid errors as kubectl does (a separate, older issue).
const BAD: &[&str] = &[
    "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: bad
spec:
  accessModes: [ReadWriteSometimes]
  resources:
    requests:
      storage: '0'
",
    "apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: bad
reclaimPolicy: Recycle
",
    "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: bad
spec:
  podManagementPolicy: Sometimes
  selector:
    matchLabels: {app: x}
  template:
    metadata:
      labels: {app: other}
    spec:
      containers:
      - name: c
        image: nginx
",
];

const CASES: &[&[&str]] = &[
    &["get", "sc", "fast", "-o", "wide"],
    &["get", "pv", "manual", "-o", "wide"],
    &["get", "sts", "-o", "wide"],
    &["get", "controllerrevisions"],
    &["get", "csidrivers,csinodes,volumeattachments"],
    &["describe", "sc", "fast"],
    &["describe", "pv", "manual"],
    &["describe", "sts", "db"],
];

#[test]
fn storage_kinds_match_kubectl() {
    require_kubectl!();
    let server = Server::start(true);
    let files = TempDir::new("storage-files");
    let objects = manifest(&files.0, "objects.yaml", OBJECTS);
    let objects = objects.to_str().unwrap();
    let bad = manifests(&files.0, "bad", BAD);
    server
        .kubectl(&["create", "-f", objects])
        .ok("create on serve");
    // The volume controller takes the PersistentVolume out of Pending; both tools read it after.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let phase = server
            .kubectl(&["get", "pv", "manual", "-o", "jsonpath={.status.phase}"])
            .stdout;
        if !phase.is_empty() && phase != "Pending" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "pv manual stays {phase:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let resources = server.kubectl(&["api-resources"]).ok("api-resources");
    for row in [
        "persistentvolumeclaims     pvc          v1                                true         PersistentVolumeClaim",
        "statefulsets               sts          apps/v1                           true         StatefulSet",
        "storageclasses             sc           storage.k8s.io/v1                 false        StorageClass",
    ] {
        let words: Vec<&str> = row.split_whitespace().collect();
        assert!(
            resources
                .lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == words),
            "no row {row:?} in\n{resources}"
        );
    }
    let cache = TempDir::new("storage-cache");
    let cache = cache.0.to_str().unwrap();
    let mut cases: Vec<Vec<&str>> = CASES.iter().map(|c| c.to_vec()).collect();
    for b in &bad {
        cases.push(vec!["create", "-f", b]);
    }
    for args in &cases {
        let want = server.kubectl(args);
        let mut remote = vec!["--cache-dir", cache];
        remote.extend_from_slice(args);
        same(
            "remote",
            &kubelite(&server.home.0, true, &remote),
            &want,
            args,
        );
    }
    let invalid = server.kubectl(&["create", "-f", &bad[2]]);
    assert!(
        invalid
            .stderr
            .contains("spec.podManagementPolicy: Invalid value: \"Sometimes\": must be 'OrderedReady' or 'Parallel'"),
        "{}",
        invalid.stderr
    );
    let described = server.kubectl(&["describe", "sc", "fast"]).ok("describe");
    assert!(
        described.contains("IsDefaultClass:        No"),
        "{described}"
    );
}

/// A claim of the default class (WaitForFirstConsumer) provisioned on the node its pod was
/// scheduled to, and a pod whose claim has no class nor volume, Pending with
/// kube-scheduler's message.
const CLAIMS: &str = "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: c
    image: nginx
    volumeMounts: [{name: d, mountPath: /data}]
  volumes:
  - name: d
    persistentVolumeClaim: {claimName: data}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: manual
spec:
  storageClassName: ''
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: Pod
metadata:
  name: stuck
spec:
  containers:
  - name: c
    image: nginx
  volumes:
  - name: d
    persistentVolumeClaim: {claimName: manual}
";

#[test]
fn claims_bind_and_pods_wait_for_them() {
    require_kubectl!();
    let server = Server::start(true);
    let files = TempDir::new("claims-files");
    let claims = manifest(&files.0, "claims.yaml", CLAIMS);
    server
        .kubectl(&["create", "-f", claims.to_str().unwrap()])
        .ok("create on serve");
    server.wait_until_settled();
    let pvc = server
        .kubectl(&[
            "get",
            "pvc",
            "data",
            "-o",
            "jsonpath={.status.phase} {.spec.volumeName} {.metadata.annotations}",
        ])
        .ok("pvc");
    assert!(pvc.starts_with("Bound pvc-"), "{pvc}");
    assert!(pvc.contains("volume.kubernetes.io/selected-node"), "{pvc}");
    let volume = pvc.split(' ').nth(1).unwrap().to_string();
    let node = server
        .kubectl(&["get", "pod", "app", "-o", "jsonpath={.spec.nodeName}"])
        .ok("node");
    let pinned = server
        .kubectl(&["get", "pv", &volume, "-o", "jsonpath={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}"])
        .ok("pv");
    assert_eq!(pinned, node);
    let stuck = server
        .kubectl(&[
            "get",
            "pod",
            "stuck",
            "-o",
            "jsonpath={.status.conditions[0].message}",
        ])
        .ok("stuck");
    assert_eq!(
        stuck,
        "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    );
    let cache = TempDir::new("claims-cache");
    let cache = cache.0.to_str().unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["get", "pvc", "-o", "wide"],
        vec!["get", "pv", "-o", "wide"],
        vec!["get", "sc"],
        // Event ages: kubectl measures them on the wall clock, kubelite on the fixed one.
        vec!["describe", "pvc", "--show-events=false"],
        vec!["describe", "pv", &volume],
        vec!["describe", "sc", "standard"],
    ];
    for args in &cases {
        let want = server.kubectl(args);
        let mut remote = vec!["--cache-dir", cache];
        remote.extend_from_slice(args);
        same(
            "remote",
            &kubelite(&server.home.0, true, &remote),
            &want,
            args,
        );
    }
}

const WEB: &str = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
";

/// A StatefulSet on serve: ordinal pods with their claims, kubectl's rollout status,
/// history and undo over its ControllerRevisions, and kubelite printing the same bytes.
#[test]
fn statefulset_rolls_out_and_back_as_kubectl_sees_it() {
    require_kubectl!();
    let server = Server::start(true);
    let files = TempDir::new("sts-files");
    let web = manifest(&files.0, "web.yaml", WEB);
    server
        .kubectl(&["create", "-f", web.to_str().unwrap()])
        .ok("create on serve");
    let done = server
        .kubectl(&["rollout", "status", "sts/web", "--timeout=60s"])
        .ok("rollout status");
    assert!(
        done.ends_with("partitioned roll out complete: 3 new pods have been updated...\n"),
        "{done}"
    );
    let pods = server
        .kubectl(&["get", "pods", "-o", "jsonpath={range .items[*]}{.metadata.name} {.metadata.labels.apps\\.kubernetes\\.io/pod-index} {.spec.volumes[0].persistentVolumeClaim.claimName}{\"\\n\"}{end}"])
        .ok("pods");
    assert_eq!(
        pods,
        "web-0 0 www-web-0\nweb-1 1 www-web-1\nweb-2 2 www-web-2\n"
    );
    server
        .kubectl(&["set", "image", "sts/web", "nginx=nginx:1.28"])
        .ok("set image");
    server
        .kubectl(&["rollout", "status", "sts/web", "--timeout=60s"])
        .ok("rollout status after the update");
    let cache = TempDir::new("sts-cache");
    let cache = cache.0.to_str().unwrap();
    let cases: &[&[&str]] = &[
        &["get", "sts", "-o", "wide"],
        &["get", "controllerrevisions"],
        &["rollout", "history", "sts/web"],
        &["rollout", "history", "sts/web", "--revision=1"],
        &["rollout", "status", "sts/web", "--watch=false"],
        &["describe", "sts", "web", "--show-events=false"],
        &["rollout", "history", "ds/kube-proxy", "-n", "kube-system"],
    ];
    for args in cases {
        let want = server.kubectl(args);
        let mut remote = vec!["--cache-dir", cache];
        remote.extend_from_slice(args);
        same(
            "remote",
            &kubelite(&server.home.0, true, &remote),
            &want,
            args,
        );
    }
    server
        .kubectl(&["rollout", "undo", "sts/web"])
        .ok("rollout undo");
    server
        .kubectl(&["rollout", "status", "sts/web", "--timeout=60s"])
        .ok("rollout status after the undo");
    let images = server
        .kubectl(&[
            "get",
            "pods",
            "-o",
            "jsonpath={.items[*].spec.containers[0].image}",
        ])
        .ok("images");
    assert_eq!(images, "nginx:1.27 nginx:1.27 nginx:1.27");
    let history = server
        .kubectl(&["rollout", "history", "sts/web"])
        .ok("history");
    assert_eq!(
        history,
        "statefulset.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n"
    );
}

const BOUND_CLAIM: &str = "apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: now}
provisioner: rancher.io/local-path
volumeBindingMode: Immediate
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: now
  resources: {requests: {storage: 1Gi}}
";

/// A bound claim's spec is immutable but for its storage request (not below its capacity)
/// and volume attributes class: kube-apiserver's words for `apply`, `patch` and `replace`
/// through the real kubectl and kubelite on serve, and in the embedded cluster; nothing
/// is written by a refused update.
#[test]
fn bound_claim_spec_is_immutable_as_kube_apiserver_says() {
    require_kubectl!();
    let server = Server::start(true);
    let files = TempDir::new("bound-claim");
    let claim = manifest(&files.0, "claim.yaml", BOUND_CLAIM);
    let other = manifest(
        &files.0,
        "other.yaml",
        &BOUND_CLAIM.replace("storageClassName: now", "storageClassName: standard"),
    );
    let (claim, other) = (claim.to_str().unwrap(), other.to_str().unwrap());
    server.kubectl(&["apply", "-f", claim]).ok("apply");
    server.wait_until_settled();
    let phase = server
        .kubectl(&["get", "pvc", "data", "-o", "jsonpath={.status.phase}"])
        .ok("phase");
    assert_eq!(phase, "Bound");
    let immutable = "The PersistentVolumeClaim \"data\" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n";
    let cases: &[(&[&str], &str)] = &[
        (&["apply", "-f", other], immutable),
        (&["replace", "-f", other], immutable),
        (
            &[
                "patch",
                "pvc",
                "data",
                "-p",
                r#"{"spec":{"storageClassName":"standard"}}"#,
            ],
            immutable,
        ),
        (
            &[
                "patch",
                "pvc",
                "data",
                "-p",
                r#"{"spec":{"accessModes":["ReadWriteMany"]}}"#,
            ],
            immutable,
        ),
        (
            &[
                "patch",
                "pvc",
                "data",
                "-p",
                r#"{"spec":{"volumeMode":"Block"}}"#,
            ],
            "The PersistentVolumeClaim \"data\" is invalid: \n* spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n* volumeMode: Invalid value: \"Block\": field is immutable\n",
        ),
        (
            &[
                "patch",
                "pvc",
                "data",
                "-p",
                r#"{"spec":{"resources":{"requests":{"storage":"512Mi"}}}}"#,
            ],
            "The PersistentVolumeClaim \"data\" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity\n",
        ),
    ];
    let cache = TempDir::new("bound-claim-cache");
    let cache = cache.0.to_str().unwrap();
    for (args, said) in cases {
        let want = server.kubectl(args);
        assert_eq!((want.stderr.as_str(), want.code), (*said, 1), "{args:?}");
        let remote = [&["--cache-dir", cache], *args].concat();
        same(
            "remote",
            &kubelite(&server.home.0, true, &remote),
            &want,
            args,
        );
    }
    // What may change: the storage request (and a same-valued spelling of the spec).
    server
        .kubectl(&[
            "patch",
            "pvc",
            "data",
            "-p",
            r#"{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}"#,
        ])
        .ok("grow the request");
    let class = server
        .kubectl(&[
            "get",
            "pvc",
            "data",
            "-o",
            "jsonpath={.spec.storageClassName} {.spec.resources.requests.storage}",
        ])
        .ok("unchanged class");
    assert_eq!(class, "now 2Gi");

    let home = TempDir::new("bound-claim-embedded");
    kubelite(&home.0, true, &["apply", "-f", claim]).ok("embedded apply");
    let refused = kubelite(&home.0, true, &["apply", "-f", other]);
    assert_eq!((refused.stderr.as_str(), refused.code), (immutable, 1));
    let class = kubelite(
        &home.0,
        true,
        &[
            "get",
            "pvc",
            "data",
            "-o",
            "jsonpath={.spec.storageClassName}",
        ],
    )
    .ok("embedded class");
    assert_eq!(class, "now");
}

/// `rollingUpdate.maxUnavailable` is behind an alpha feature kube-apiserver 1.32 keeps off:
/// the field is dropped, silently, on create and on an update that adds it.
#[test]
fn statefulset_max_unavailable_is_dropped_as_kube_apiserver_does() {
    require_kubectl!();
    let server = Server::start(true);
    let files = TempDir::new("sts-max-unavailable");
    let sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: 1\n  selector:\n    matchLabels: {app: db}\n  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      partition: 0\n      maxUnavailable: 2\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n";
    let file = manifest(&files.0, "db.yaml", sts);
    server
        .kubectl(&["create", "-f", file.to_str().unwrap()])
        .ok("create");
    let strategy = || {
        server
            .kubectl(&["get", "sts", "db", "-o", "jsonpath={.spec.updateStrategy}"])
            .ok("get")
    };
    assert_eq!(
        strategy(),
        r#"{"rollingUpdate":{"partition":0},"type":"RollingUpdate"}"#
    );
    server
        .kubectl(&[
            "patch",
            "sts",
            "db",
            "--type=merge",
            "-p",
            r#"{"spec":{"updateStrategy":{"rollingUpdate":{"maxUnavailable":3}}}}"#,
        ])
        .ok("patch");
    assert_eq!(
        strategy(),
        r#"{"rollingUpdate":{"partition":0},"type":"RollingUpdate"}"#
    );
}
