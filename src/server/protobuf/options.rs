//! The options messages of `meta.k8s.io/v1` that arrive as request bodies, which the
//! generated tables (objects only) do not hold: `DeleteOptions`, as kubectl sends it for
//! `drain --dry-run=server` and as some versions send it for `delete`. Field numbers from
//! apimachinery's `generated.proto`; JSON names and omission rules from its Go struct.

use super::schema::{Kind::*, Message, Rule::*, Shape::*, f};

pub static META_DELETE_OPTIONS: Message = Message {
    name: "DeleteOptions",
    fields: &[
        f(1, "gracePeriodSeconds", One, Int, Set),
        f(2, "preconditions", One, Msg(&META_PRECONDITIONS), NonZero),
        f(3, "orphanDependents", One, Bool, Set),
        f(4, "propagationPolicy", One, Str, Set),
        f(5, "dryRun", Many, Str, NonZero),
        f(
            6,
            "ignoreStoreReadErrorWithClusterBreakingPotential",
            One,
            Bool,
            Set,
        ),
    ],
};

static META_PRECONDITIONS: Message = Message {
    name: "Preconditions",
    fields: &[
        f(1, "uid", One, Str, Set),
        f(2, "resourceVersion", One, Str, Set),
    ],
};
