//! kube-rs (the `kube` crate, which no one here wrote) against `kubelite serve`: a CRD
//! derived with `#[derive(CustomResource)]`, the typed `Api`'s create, get, list, patch and
//! watch, and a `kube::runtime::Controller` that writes status through the status subresource
//! and cleans up through `kube::runtime::finalizer` when the object is deleted. What the
//! controller did is read back through the API.

use super::support::Server;
use futures_util::StreamExt;
use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{
    Api, DeleteParams, ListParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams,
};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::runtime::controller::{Action, Controller};
use kube::runtime::finalizer::{Event, finalizer};
use kube::runtime::watcher;
use kube::{Client, Config, CustomResource, CustomResourceExt, ResourceExt};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

const FINALIZER: &str = "gadgets.clients.kubelite.dev/cleanup";
const NS: &str = "default";

#[derive(CustomResource, Deserialize, Serialize, Clone, Debug, JsonSchema)]
#[kube(
    group = "clients.kubelite.dev",
    version = "v1",
    kind = "Gadget",
    namespaced,
    status = "GadgetStatus"
)]
pub struct GadgetSpec {
    size: i64,
}

#[derive(Deserialize, Serialize, Clone, Debug, Default, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GadgetStatus {
    observed_size: i64,
    phase: String,
}

#[derive(Debug)]
struct Failed(String);

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failed {}

/// The controller's reconcile: through the finalizer helper, an applied Gadget gets its
/// status (through /status) and a deleted one leaves a ConfigMap saying it was cleaned up.
async fn reconcile(gadget: Arc<Gadget>, client: Arc<Client>) -> Result<Action, Failed> {
    let gadgets: Api<Gadget> = Api::namespaced((*client).clone(), NS);
    finalizer(&gadgets, FINALIZER, gadget, |event| async {
        match event {
            Event::Apply(g) => {
                let status = json!({"status": {"observedSize": g.spec.size, "phase": "Ready"}});
                gadgets
                    .patch_status(
                        &g.name_any(),
                        &PatchParams::default(),
                        &Patch::Merge(&status),
                    )
                    .await?;
                Ok(Action::await_change())
            }
            Event::Cleanup(g) => {
                let record: ConfigMap = serde_json::from_value(json!({
                    "metadata": {"name": format!("cleaned-{}", g.name_any())},
                    "data": {"size": g.spec.size.to_string()}
                }))
                .expect("config map");
                let maps: Api<ConfigMap> = Api::namespaced((*client).clone(), NS);
                maps.create(&PostParams::default(), &record).await?;
                Ok(Action::await_change())
            }
        }
    })
    .await
    .map_err(|e: kube::runtime::finalizer::Error<kube::Error>| Failed(e.to_string()))
}

fn retry(_: Arc<Gadget>, _: &Failed, _: Arc<Client>) -> Action {
    Action::requeue(Duration::from_millis(200))
}

/// Polls `check` every 50 ms for up to 60 s; panics with `what` and the last value otherwise.
async fn eventually<T: std::fmt::Debug>(
    what: &str,
    mut read: impl AsyncFnMut() -> T,
    check: impl Fn(&T) -> bool,
) -> T {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let got = read().await;
        if check(&got) {
            return got;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}: last seen {got:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn client_for(s: &Server) -> Client {
    let kubeconfig = Kubeconfig::read_from(s.kubeconfig()).expect("kubeconfig");
    let config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .expect("kube config");
    Client::try_from(config).expect("kube client")
}

async fn drive(s: &Server) {
    let client = client_for(s).await;

    // The CRD kube-rs derives, created and waited for until Established.
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    crds.create(&PostParams::default(), &Gadget::crd())
        .await
        .expect("create the CRD");
    eventually(
        "the CRD is Established",
        async || {
            crds.get("gadgets.clients.kubelite.dev")
                .await
                .expect("get CRD")
        },
        |crd| {
            crd.status.as_ref().is_some_and(|st| {
                st.conditions
                    .iter()
                    .flatten()
                    .any(|c| c.type_ == "Established" && c.status == "True")
            })
        },
    )
    .await;

    // CRUD with the typed Api, no controller yet.
    let gadgets: Api<Gadget> = Api::namespaced(client.clone(), NS);
    let mut a = Gadget::new("a", GadgetSpec { size: 1 });
    a.metadata.labels = Some([("app".to_string(), "clients".to_string())].into());
    let made = gadgets
        .create(&PostParams::default(), &a)
        .await
        .expect("create a");
    assert!(made.metadata.uid.is_some() && made.metadata.resource_version.is_some());
    let got = gadgets.get("a").await.expect("get a");
    assert_eq!(got.spec.size, 1);
    gadgets
        .create(
            &PostParams::default(),
            &Gadget::new("b", GadgetSpec { size: 2 }),
        )
        .await
        .expect("create b");
    let listed = gadgets
        .list(&ListParams::default().labels("app=clients"))
        .await
        .expect("list");
    let names: Vec<String> = listed.items.iter().map(|g| g.name_any()).collect();
    assert_eq!(names, ["a"]);
    let list_rv = listed
        .metadata
        .resource_version
        .clone()
        .expect("list resourceVersion");

    // A watch from the list's resourceVersion sees the patch that follows it.
    let mut watch = gadgets
        .watch(
            &WatchParams::default().labels("app=clients").timeout(30),
            &list_rv,
        )
        .await
        .expect("watch")
        .boxed();
    let patched = gadgets
        .patch(
            "a",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"size": 3}})),
        )
        .await
        .expect("patch a");
    assert_eq!(patched.spec.size, 3);
    let event = tokio::time::timeout(Duration::from_secs(30), watch.next())
        .await
        .expect("a watch event within 30 s")
        .expect("the watch stream ended")
        .expect("a watch event");
    match event {
        WatchEvent::Modified(g) => assert_eq!((g.name_any(), g.spec.size), ("a".to_string(), 3)),
        other => panic!("expected MODIFIED, got {other:?}"),
    }
    drop(watch);

    // The controller: status through /status and the finalizer on every Gadget.
    let controller = tokio::spawn(
        Controller::new(gadgets.clone(), watcher::Config::default())
            .run(reconcile, retry, Arc::new(client.clone()))
            // Failures show in the output of a failing test (the controller retries them).
            .for_each(|r| async move {
                if let Err(e) = r {
                    eprintln!("reconcile failed: {e:?}");
                }
            }),
    );
    for (name, size) in [("a", 3), ("b", 2)] {
        let g = eventually(
            &format!("{name}'s status is written by the controller"),
            async || gadgets.get(name).await.expect("get"),
            |g| g.status.as_ref().is_some_and(|st| st.observed_size == size),
        )
        .await;
        assert_eq!(g.finalizers(), [FINALIZER]);
        assert_eq!(g.status.expect("status").phase, "Ready");
    }

    // A spec change reaches the status again (the controller's watch saw it).
    gadgets
        .patch(
            "b",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"size": 5}})),
        )
        .await
        .expect("patch b");
    eventually(
        "b's status follows its new size",
        async || gadgets.get("b").await.expect("get b"),
        |g| g.status.as_ref().is_some_and(|st| st.observed_size == 5),
    )
    .await;

    // Deleting runs the finalizer's cleanup, which removes the finalizer; then it is gone.
    gadgets
        .delete("b", &DeleteParams::default())
        .await
        .expect("delete b");
    let maps: Api<ConfigMap> = Api::namespaced(client.clone(), NS);
    let record = eventually(
        "the cleanup wrote its record",
        async || maps.get_opt("cleaned-b").await.expect("get record"),
        Option::is_some,
    )
    .await
    .expect("record");
    assert_eq!(record.data.expect("data")["size"], "5");
    eventually(
        "b is gone once its finalizer is removed",
        async || gadgets.get_opt("b").await.expect("get b"),
        Option::is_none,
    )
    .await;
    assert!(gadgets.get_opt("a").await.expect("get a").is_some());
    assert!(maps.get_opt("cleaned-a").await.expect("get").is_none());
    controller.abort();
}

#[test]
fn kube_rs_controller_reconciles_status_and_finalizers_of_a_custom_resource() {
    let s = Server::start(false);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(drive(&s));
}
