//! Leader election on an embedded cluster: who gets a Lease, when it changes hands, and
//! that a stale writer loses to the resourceVersion it read.

use crate::client::Client;
use crate::clock::Clock;
use crate::runtime::leader_election::Candidate;
use serde_json::Value;

fn lease(client: &dyn Client) -> Value {
    let r = crate::api::registry::find("leases").expect("leases");
    client.get(r, Some("kube-system"), "x").expect("the lease")
}

#[test]
fn one_holder_at_a_time_and_a_stale_leader_loses_to_the_new_one() {
    let dir = std::env::temp_dir().join(format!("kubelite-election-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let client = super::open_in(&dir, Clock::from_env().expect("clock"), 0).expect("cluster");
    let mut a = Candidate::new("kube-system", "x", "host_a", None);
    let mut b = Candidate::new("kube-system", "x", "host_b", None);

    assert!(
        a.try_acquire_or_renew(&client, 15),
        "a creates and holds it"
    );
    let first = lease(&client);
    assert_eq!(first["spec"]["holderIdentity"], "host_a");
    assert_eq!(first["spec"]["leaseTransitions"], 0);
    assert_eq!(first["spec"]["leaseDurationSeconds"], 15);
    assert!(
        !b.try_acquire_or_renew(&client, 15),
        "b waits out a held lease"
    );
    assert!(a.try_acquire_or_renew(&client, 15), "a renews");
    let renewed = lease(&client);
    assert_eq!(renewed["spec"]["acquireTime"], first["spec"]["acquireTime"]);
    assert_eq!(renewed["spec"]["leaseTransitions"], 0);

    // A leader that stops gives the lease up: b takes it at once.
    let mut stopping = Candidate::new("kube-system", "x", "host_a", None);
    assert!(stopping.try_acquire_or_renew(&client, 15));
    stopping.release(&client);
    assert_eq!(lease(&client)["spec"]["holderIdentity"], "");
    assert!(
        b.try_acquire_or_renew(&client, 15),
        "b takes a released lease"
    );
    let taken = lease(&client);
    assert_eq!(taken["spec"]["holderIdentity"], "host_b");
    assert_eq!(taken["spec"]["leaseTransitions"], 1);

    // a still thinks it leads; its write on the old resourceVersion conflicts, and it
    // then sees b's fresh record and stays a follower.
    assert!(a.is_leader());
    assert!(!a.try_acquire_or_renew(&client, 15));
    assert!(!a.is_leader());
    assert_eq!(lease(&client)["spec"]["holderIdentity"], "host_b");
    drop(client);
    let _ = std::fs::remove_dir_all(&dir);
}
