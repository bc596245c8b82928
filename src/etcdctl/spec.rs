//! The command tree: names, one-line descriptions, usage arguments and flags of the
//! commands kubelite's etcdctl runs, plus the full listing etcdctl's root help shows.

use super::flags::{FlagSpec, Kind, flag, short};

pub struct CommandSpec {
    pub name: &'static str,
    pub short: &'static str,
    /// What follows the command words on the USAGE line (before `[flags]`).
    pub use_args: &'static str,
    /// DESCRIPTION section; empty for none.
    pub long: &'static str,
    pub flags: &'static [FlagSpec],
    pub subcommands: &'static [CommandSpec],
}

const fn leaf(
    name: &'static str,
    short: &'static str,
    use_args: &'static str,
    flags: &'static [FlagSpec],
) -> CommandSpec {
    CommandSpec {
        name,
        short,
        use_args,
        long: "",
        flags,
        subcommands: &[],
    }
}

pub const GET_FLAGS: &[FlagSpec] = &[
    flag(
        "consistency",
        Kind::Str,
        "l",
        "Linearizable(l) or Serializable(s)",
    ),
    flag(
        "from-key",
        Kind::Bool,
        "false",
        "Get keys that are greater than or equal to the given key using byte compare",
    ),
    flag("keys-only", Kind::Bool, "false", "Get only the keys"),
    flag("limit", Kind::Int, "0", "Maximum number of results"),
    flag(
        "order",
        Kind::Str,
        "",
        "Order of results; ASCEND or DESCEND (ASCEND by default)",
    ),
    flag(
        "prefix",
        Kind::Bool,
        "false",
        "Get keys with matching prefix",
    ),
    flag(
        "print-value-only",
        Kind::Bool,
        "false",
        "Only write values when using the \"simple\" output format",
    ),
    flag("rev", Kind::Int, "0", "Specify the kv revision"),
    flag(
        "sort-by",
        Kind::Str,
        "",
        "Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION",
    ),
];

pub const PUT_FLAGS: &[FlagSpec] = &[
    flag(
        "ignore-lease",
        Kind::Bool,
        "false",
        "updates the key using its current lease",
    ),
    flag(
        "ignore-value",
        Kind::Bool,
        "false",
        "updates the key using its current value",
    ),
    flag(
        "lease",
        Kind::Str,
        "0",
        "lease ID (in hexadecimal) to attach to the key",
    ),
    flag(
        "prev-kv",
        Kind::Bool,
        "false",
        "return the previous key-value pair before modification",
    ),
];

pub const DEL_FLAGS: &[FlagSpec] = &[
    flag(
        "from-key",
        Kind::Bool,
        "false",
        "delete keys that are greater than or equal to the given key using byte compare",
    ),
    flag(
        "prefix",
        Kind::Bool,
        "false",
        "delete keys with matching prefix",
    ),
    flag(
        "prev-kv",
        Kind::Bool,
        "false",
        "return deleted key-value pairs",
    ),
];

pub const TXN_FLAGS: &[FlagSpec] = &[short(
    "interactive",
    'i',
    Kind::Bool,
    "false",
    "Input transaction in interactive mode",
)];

pub const WATCH_FLAGS: &[FlagSpec] = &[
    short("interactive", 'i', Kind::Bool, "false", "Interactive mode"),
    flag(
        "prefix",
        Kind::Bool,
        "false",
        "Watch on a prefix if prefix is set",
    ),
    flag(
        "prev-kv",
        Kind::Bool,
        "false",
        "get the previous key-value pair before the event happens",
    ),
    flag("rev", Kind::Int, "0", "Revision to start watching"),
];

pub const COMPACTION_FLAGS: &[FlagSpec] = &[flag(
    "physical",
    Kind::Bool,
    "false",
    "'true' to wait for compaction to physically remove all old revisions",
)];

pub const ENDPOINT_FLAGS: &[FlagSpec] = &[flag(
    "cluster",
    Kind::Bool,
    "false",
    "use all endpoints from the cluster member list",
)];

const PUT_LONG: &str = "Puts the given key into the store.

When <value> begins with '-', <value> is interpreted as a flag.
Insert '--' for workaround:

$ put <key> -- <value>
$ put -- <key> <value>

If <value> isn't given as a command line argument and '--ignore-value' is not specified,
this command tries to read the value from standard input.

If <lease> isn't given as a command line argument and '--ignore-lease' is not specified,
this command tries to read the value from standard input.

For example,
$ cat file | put <key>
will store the content of the file to <key>.";

pub const GET: CommandSpec = leaf(
    "get",
    "Gets the key or a range of keys",
    "[options] <key> [range_end]",
    GET_FLAGS,
);
pub const PUT: CommandSpec = CommandSpec {
    name: "put",
    short: "Puts the given key into the store",
    use_args: "[options] <key> <value> (<value> can also be given from stdin)",
    long: PUT_LONG,
    flags: PUT_FLAGS,
    subcommands: &[],
};
pub const DEL: CommandSpec = leaf(
    "del",
    "Removes the specified key or range of keys [key, range_end)",
    "[options] <key> [range_end]",
    DEL_FLAGS,
);
pub const TXN: CommandSpec = leaf(
    "txn",
    "Txn processes all the requests in one transaction",
    "[options]",
    TXN_FLAGS,
);
pub const WATCH: CommandSpec = leaf(
    "watch",
    "Watches events stream on keys or prefixes",
    "[options] [key or prefix] [range_end] [--] [exec-command arg1 arg2 ...]",
    WATCH_FLAGS,
);
pub const COMPACTION: CommandSpec = leaf(
    "compaction",
    "Compacts the event history in etcd",
    "[options] <revision>",
    COMPACTION_FLAGS,
);
pub const VERSION: CommandSpec = leaf("version", "Prints the version of etcdctl", "", &[]);

pub const ENDPOINT_HEALTH: CommandSpec = leaf(
    "health",
    "Checks the healthiness of endpoints specified in `--endpoints` flag",
    "",
    &[],
);
pub const ENDPOINT_STATUS: CommandSpec = CommandSpec {
    name: "status",
    short: "Prints out the status of endpoints specified in `--endpoints` flag",
    use_args: "",
    long: "When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.
The items in the lists are endpoint, ID, version, db size, is leader, is learner, raft term, raft index, raft applied index, errors.",
    flags: &[],
    subcommands: &[],
};
pub const ENDPOINT_HASHKV: CommandSpec = leaf(
    "hashkv",
    "Prints the KV history hash for each endpoint in --endpoints",
    "",
    &[],
);
pub const ENDPOINT: CommandSpec = CommandSpec {
    name: "endpoint",
    short: "Endpoint related commands",
    use_args: "<subcommand>",
    long: "",
    flags: ENDPOINT_FLAGS,
    subcommands: &[ENDPOINT_HASHKV, ENDPOINT_HEALTH, ENDPOINT_STATUS],
};

pub const MEMBER_LIST: CommandSpec = CommandSpec {
    name: "list",
    short: "Lists all members in the cluster",
    use_args: "",
    long: "When --write-out is set to simple, this command prints out comma-separated member lists for each endpoint.
The items in the lists are ID, Status, Name, Peer Addrs, Client Addrs, Is Learner.",
    flags: &[],
    subcommands: &[],
};
const MEMBER_ADD: CommandSpec = leaf("add", "Adds a member into the cluster", "", &[]);
const MEMBER_PROMOTE: CommandSpec = leaf(
    "promote",
    "Promotes a non-voting member in the cluster",
    "",
    &[],
);
const MEMBER_REMOVE: CommandSpec = leaf("remove", "Removes a member from the cluster", "", &[]);
const MEMBER_UPDATE: CommandSpec = leaf("update", "Updates a member in the cluster", "", &[]);
pub const MEMBER: CommandSpec = CommandSpec {
    name: "member",
    short: "Membership related commands",
    use_args: "<subcommand>",
    long: "",
    flags: &[],
    subcommands: &[
        MEMBER_ADD,
        MEMBER_LIST,
        MEMBER_PROMOTE,
        MEMBER_REMOVE,
        MEMBER_UPDATE,
    ],
};

pub const SNAPSHOT_RESTORE_FLAGS: &[FlagSpec] = &[
    flag("data-dir", Kind::Str, "", "Path to the data directory"),
    flag(
        "initial-advertise-peer-urls",
        Kind::Str,
        "http://localhost:2380",
        "List of this member's peer URLs to advertise to the rest of the cluster",
    ),
    flag(
        "initial-cluster",
        Kind::Str,
        "default=http://localhost:2380",
        "Initial cluster configuration for restore bootstrap",
    ),
    flag(
        "initial-cluster-token",
        Kind::Str,
        "etcd-cluster",
        "Initial cluster token for the etcd cluster during restore bootstrap",
    ),
    flag(
        "name",
        Kind::Str,
        "default",
        "Human-readable name for this member",
    ),
    flag(
        "skip-hash-check",
        Kind::Bool,
        "false",
        "Ignore snapshot integrity hash value (required if copied from data directory)",
    ),
    flag(
        "wal-dir",
        Kind::Str,
        "",
        "Path to the WAL directory (use --data-dir if none given)",
    ),
];

pub const SNAPSHOT_SAVE: CommandSpec = leaf(
    "save",
    "Stores an etcd node backend snapshot to a given file",
    "<filename>",
    &[],
);
pub const SNAPSHOT_STATUS: CommandSpec = CommandSpec {
    name: "status",
    short: "Gets backend snapshot status of a given file",
    use_args: "<filename>",
    long: "When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.
The items in the lists are hash, revision, total keys, total size.",
    flags: &[],
    subcommands: &[],
};
pub const SNAPSHOT_RESTORE: CommandSpec = leaf(
    "restore",
    "Restores an etcd member snapshot to an etcd directory",
    "<filename> [options]",
    SNAPSHOT_RESTORE_FLAGS,
);
pub const SNAPSHOT: CommandSpec = CommandSpec {
    name: "snapshot",
    short: "Manages etcd node snapshots",
    use_args: "<subcommand>",
    long: "",
    flags: &[],
    subcommands: &[SNAPSHOT_RESTORE, SNAPSHOT_SAVE, SNAPSHOT_STATUS],
};

pub const LEASE_TIMETOLIVE_FLAGS: &[FlagSpec] = &[flag(
    "keys",
    Kind::Bool,
    "false",
    "Get keys attached to this lease",
)];

pub const LEASE_KEEP_ALIVE_FLAGS: &[FlagSpec] = &[flag(
    "once",
    Kind::Bool,
    "false",
    "Resets the keep-alive time to its original value and exits immediately",
)];

pub const LEASE_GRANT: CommandSpec = leaf("grant", "Creates leases", "<ttl>", &[]);
pub const LEASE_REVOKE: CommandSpec = leaf("revoke", "Revokes leases", "<leaseID>", &[]);
pub const LEASE_TIMETOLIVE: CommandSpec = leaf(
    "timetolive",
    "Get lease information",
    "<leaseID> [options]",
    LEASE_TIMETOLIVE_FLAGS,
);
pub const LEASE_LIST: CommandSpec = leaf("list", "List all active leases", "", &[]);
pub const LEASE_KEEP_ALIVE: CommandSpec = leaf(
    "keep-alive",
    "Keeps leases alive (renew)",
    "[options] <leaseID>",
    LEASE_KEEP_ALIVE_FLAGS,
);
pub const LEASE: CommandSpec = CommandSpec {
    name: "lease",
    short: "Lease related commands",
    use_args: "<subcommand>",
    long: "",
    flags: &[],
    subcommands: &[
        LEASE_GRANT,
        LEASE_KEEP_ALIVE,
        LEASE_LIST,
        LEASE_REVOKE,
        LEASE_TIMETOLIVE,
    ],
};

pub const ALARM_LIST: CommandSpec = leaf("list", "Lists all alarms", "", &[]);
pub const ALARM_DISARM: CommandSpec = leaf("disarm", "Disarms all alarms", "", &[]);
pub const ALARM: CommandSpec = CommandSpec {
    name: "alarm",
    short: "Alarm related commands",
    use_args: "<subcommand>",
    long: "",
    flags: &[],
    subcommands: &[ALARM_DISARM, ALARM_LIST],
};

pub const DEFRAG_FLAGS: &[FlagSpec] = &[
    flag(
        "cluster",
        Kind::Bool,
        "false",
        "use all endpoints from the cluster member list",
    ),
    flag(
        "data-dir",
        Kind::Str,
        "",
        "Optional. If present, defragments a data directory not in use by etcd.",
    ),
];
pub const DEFRAG: CommandSpec = leaf(
    "defrag",
    "Defragments the storage of the etcd members with given endpoints",
    "",
    DEFRAG_FLAGS,
);

/// Every command etcdctl 3.4 lists in its root help, with its one-line description.
pub const ROOT_LISTING: &[(&str, &str)] = &[
    ("alarm disarm", "Disarms all alarms"),
    ("alarm list", "Lists all alarms"),
    ("auth disable", "Disables authentication"),
    ("auth enable", "Enables authentication"),
    (
        "check datascale",
        "Check the memory usage of holding data for different workloads on a given server endpoint.",
    ),
    ("check perf", "Check the performance of the etcd cluster"),
    ("compaction", "Compacts the event history in etcd"),
    (
        "completion bash",
        "Generate the autocompletion script for bash",
    ),
    (
        "completion fish",
        "Generate the autocompletion script for fish",
    ),
    (
        "completion powershell",
        "Generate the autocompletion script for powershell",
    ),
    (
        "completion zsh",
        "Generate the autocompletion script for zsh",
    ),
    (
        "defrag",
        "Defragments the storage of the etcd members with given endpoints",
    ),
    (
        "del",
        "Removes the specified key or range of keys [key, range_end)",
    ),
    ("elect", "Observes and participates in leader election"),
    (
        "endpoint hashkv",
        "Prints the KV history hash for each endpoint in --endpoints",
    ),
    (
        "endpoint health",
        "Checks the healthiness of endpoints specified in `--endpoints` flag",
    ),
    (
        "endpoint status",
        "Prints out the status of endpoints specified in `--endpoints` flag",
    ),
    ("get", "Gets the key or a range of keys"),
    ("help", "Help about any command"),
    ("lease grant", "Creates leases"),
    ("lease keep-alive", "Keeps leases alive (renew)"),
    ("lease list", "List all active leases"),
    ("lease revoke", "Revokes leases"),
    ("lease timetolive", "Get lease information"),
    ("lock", "Acquires a named lock"),
    (
        "make-mirror",
        "Makes a mirror at the destination etcd cluster",
    ),
    ("member add", "Adds a member into the cluster"),
    ("member list", "Lists all members in the cluster"),
    (
        "member promote",
        "Promotes a non-voting member in the cluster",
    ),
    ("member remove", "Removes a member from the cluster"),
    ("member update", "Updates a member in the cluster"),
    ("migrate", "Migrates keys in a v2 store to a mvcc store"),
    (
        "move-leader",
        "Transfers leadership to another etcd cluster member.",
    ),
    ("put", "Puts the given key into the store"),
    ("role add", "Adds a new role"),
    ("role delete", "Deletes a role"),
    ("role get", "Gets detailed information of a role"),
    ("role grant-permission", "Grants a key to a role"),
    ("role list", "Lists all roles"),
    ("role revoke-permission", "Revokes a key from a role"),
    (
        "snapshot restore",
        "Restores an etcd member snapshot to an etcd directory",
    ),
    (
        "snapshot save",
        "Stores an etcd node backend snapshot to a given file",
    ),
    (
        "snapshot status",
        "Gets backend snapshot status of a given file",
    ),
    ("txn", "Txn processes all the requests in one transaction"),
    ("user add", "Adds a new user"),
    ("user delete", "Deletes a user"),
    ("user get", "Gets detailed information of a user"),
    ("user grant-role", "Grants a role to a user"),
    ("user list", "Lists all users"),
    ("user passwd", "Changes password of user"),
    ("user revoke-role", "Revokes a role from a user"),
    ("version", "Prints the version of etcdctl"),
    ("watch", "Watches events stream on keys or prefixes"),
];

/// Top-level commands etcdctl knows but kubelite does not run.
pub const UNSUPPORTED_TOP: &[&str] = &[
    "auth",
    "check",
    "completion",
    "elect",
    "lock",
    "make-mirror",
    "migrate",
    "move-leader",
    "role",
    "user",
];
