//! What an etcd member says about itself: its cluster's identity (in every response header)
//! and its status (`Status`, `MemberList`). The embedded store has a made-up one.

/// Cluster identity and status of one etcd member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterInfo {
    pub cluster_id: u64,
    pub member_id: u64,
    pub raft_term: u64,
    pub member_name: String,
    pub peer_urls: Vec<String>,
    pub client_urls: Vec<String>,
    /// Server version, e.g. "3.4.23".
    pub version: String,
    pub db_size: i64,
    pub db_size_in_use: i64,
    pub leader: u64,
    pub raft_index: u64,
    pub raft_applied_index: u64,
    pub is_learner: bool,
}
