// Written by tools/protobuf_schema.py from the descriptors in kubectl 1.33; do not edit.
//! The wire schema of every message reachable from the kinds `kubelite serve` stores:
//! field number, JSON name, shape and how Go's JSON writes the field.

use super::schema::{Kind::*, Message, Rule::*, Shape::*, f};

pub static CORE_COMPONENT_STATUS: Message = Message {
    name: "ComponentStatus",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(
            2,
            "conditions",
            Many,
            Msg(&CORE_COMPONENT_CONDITION),
            NonZero,
        ),
    ],
};

pub static CORE_CONFIG_MAP: Message = Message {
    name: "ConfigMap",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(4, "immutable", One, Bool, Set),
        f(2, "data", Map, Str, NonZero),
        f(3, "binaryData", Map, Bytes, NonZero),
    ],
};

pub static CORE_ENDPOINTS: Message = Message {
    name: "Endpoints",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "subsets", Many, Msg(&CORE_ENDPOINT_SUBSET), NonZero),
    ],
};

pub static CORE_EVENT: Message = Message {
    name: "Event",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(
            2,
            "involvedObject",
            One,
            Msg(&CORE_OBJECT_REFERENCE),
            NonZero,
        ),
        f(3, "reason", One, Str, NonZero),
        f(4, "message", One, Str, NonZero),
        f(5, "source", One, Msg(&CORE_EVENT_SOURCE), NonZero),
        f(6, "firstTimestamp", One, Time, NonZero),
        f(7, "lastTimestamp", One, Time, NonZero),
        f(8, "count", One, Int, NonZero),
        f(9, "type", One, Str, NonZero),
        f(10, "eventTime", One, MicroTime, NonZero),
        f(11, "series", One, Msg(&CORE_EVENT_SERIES), NonZero),
        f(12, "action", One, Str, NonZero),
        f(13, "related", One, Msg(&CORE_OBJECT_REFERENCE), NonZero),
        f(14, "reportingComponent", One, Str, Always),
        f(15, "reportingInstance", One, Str, Always),
    ],
};

pub static CORE_LIMIT_RANGE: Message = Message {
    name: "LimitRange",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&CORE_LIMIT_RANGE_SPEC), NonZero),
    ],
};

pub static CORE_NAMESPACE: Message = Message {
    name: "Namespace",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&CORE_NAMESPACE_SPEC), NonZero),
        f(3, "status", One, Msg(&CORE_NAMESPACE_STATUS), NonZero),
    ],
};

pub static CORE_NODE: Message = Message {
    name: "Node",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&CORE_NODE_SPEC), NonZero),
        f(3, "status", One, Msg(&CORE_NODE_STATUS), NonZero),
    ],
};

pub static CORE_POD: Message = Message {
    name: "Pod",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&CORE_POD_SPEC), NonZero),
        f(3, "status", One, Msg(&CORE_POD_STATUS), NonZero),
    ],
};

pub static CORE_RESOURCE_QUOTA: Message = Message {
    name: "ResourceQuota",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&CORE_RESOURCE_QUOTA_SPEC), NonZero),
        f(3, "status", One, Msg(&CORE_RESOURCE_QUOTA_STATUS), NonZero),
    ],
};

pub static CORE_SECRET: Message = Message {
    name: "Secret",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(5, "immutable", One, Bool, Set),
        f(2, "data", Map, Bytes, NonZero),
        f(4, "stringData", Map, Str, NonZero),
        f(3, "type", One, Str, NonZero),
    ],
};

pub static CORE_SERVICE_ACCOUNT: Message = Message {
    name: "ServiceAccount",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "secrets", Many, Msg(&CORE_OBJECT_REFERENCE), NonZero),
        f(
            3,
            "imagePullSecrets",
            Many,
            Msg(&CORE_LOCAL_OBJECT_REFERENCE),
            NonZero,
        ),
        f(4, "automountServiceAccountToken", One, Bool, Set),
    ],
};

pub static CORE_SERVICE: Message = Message {
    name: "Service",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&CORE_SERVICE_SPEC), NonZero),
        f(3, "status", One, Msg(&CORE_SERVICE_STATUS), NonZero),
    ],
};

pub static APPS_DAEMON_SET: Message = Message {
    name: "DaemonSet",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&APPS_DAEMON_SET_SPEC), NonZero),
        f(3, "status", One, Msg(&APPS_DAEMON_SET_STATUS), NonZero),
    ],
};

pub static APPS_DEPLOYMENT: Message = Message {
    name: "Deployment",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&APPS_DEPLOYMENT_SPEC), NonZero),
        f(3, "status", One, Msg(&APPS_DEPLOYMENT_STATUS), NonZero),
    ],
};

pub static APPS_REPLICA_SET: Message = Message {
    name: "ReplicaSet",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&APPS_REPLICA_SET_SPEC), NonZero),
        f(3, "status", One, Msg(&APPS_REPLICA_SET_STATUS), NonZero),
    ],
};

pub static CORE_PERSISTENT_VOLUME_CLAIM: Message = Message {
    name: "PersistentVolumeClaim",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(
            2,
            "spec",
            One,
            Msg(&CORE_PERSISTENT_VOLUME_CLAIM_SPEC),
            NonZero,
        ),
        f(
            3,
            "status",
            One,
            Msg(&CORE_PERSISTENT_VOLUME_CLAIM_STATUS),
            NonZero,
        ),
    ],
};

pub static CORE_PERSISTENT_VOLUME: Message = Message {
    name: "PersistentVolume",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&CORE_PERSISTENT_VOLUME_SPEC), NonZero),
        f(
            3,
            "status",
            One,
            Msg(&CORE_PERSISTENT_VOLUME_STATUS),
            NonZero,
        ),
    ],
};

pub static APPS_CONTROLLER_REVISION: Message = Message {
    name: "ControllerRevision",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "data", One, RawExtension, NonZero),
        f(3, "revision", One, Int, Always),
    ],
};

pub static APPS_STATEFUL_SET: Message = Message {
    name: "StatefulSet",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&APPS_STATEFUL_SET_SPEC), NonZero),
        f(3, "status", One, Msg(&APPS_STATEFUL_SET_STATUS), NonZero),
    ],
};

pub static STORAGE_CSI_DRIVER: Message = Message {
    name: "CSIDriver",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&STORAGE_CSI_DRIVER_SPEC), NonZero),
    ],
};

pub static STORAGE_CSI_NODE: Message = Message {
    name: "CSINode",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&STORAGE_CSI_NODE_SPEC), NonZero),
    ],
};

pub static STORAGE_CSI_STORAGE_CAPACITY: Message = Message {
    name: "CSIStorageCapacity",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "nodeTopology", One, Msg(&META_LABEL_SELECTOR), NonZero),
        f(3, "storageClassName", One, Str, NonZero),
        f(4, "capacity", One, Quantity, NonZero),
        f(5, "maximumVolumeSize", One, Quantity, NonZero),
    ],
};

pub static STORAGE_STORAGE_CLASS: Message = Message {
    name: "StorageClass",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "provisioner", One, Str, Always),
        f(3, "parameters", Map, Str, NonZero),
        f(4, "reclaimPolicy", One, Str, Set),
        f(5, "mountOptions", Many, Str, NonZero),
        f(6, "allowVolumeExpansion", One, Bool, Set),
        f(7, "volumeBindingMode", One, Str, Set),
        f(
            8,
            "allowedTopologies",
            Many,
            Msg(&CORE_TOPOLOGY_SELECTOR_TERM),
            NonZero,
        ),
    ],
};

pub static STORAGE_VOLUME_ATTACHMENT: Message = Message {
    name: "VolumeAttachment",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(
            2,
            "spec",
            One,
            Msg(&STORAGE_VOLUME_ATTACHMENT_SPEC),
            NonZero,
        ),
        f(
            3,
            "status",
            One,
            Msg(&STORAGE_VOLUME_ATTACHMENT_STATUS),
            NonZero,
        ),
    ],
};

pub static HPA_HORIZONTAL_POD_AUTOSCALER: Message = Message {
    name: "HorizontalPodAutoscaler",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(
            2,
            "spec",
            One,
            Msg(&HPA_HORIZONTAL_POD_AUTOSCALER_SPEC),
            NonZero,
        ),
        f(
            3,
            "status",
            One,
            Msg(&HPA_HORIZONTAL_POD_AUTOSCALER_STATUS),
            NonZero,
        ),
    ],
};

pub static HPAV1_HORIZONTAL_POD_AUTOSCALER: Message = Message {
    name: "HorizontalPodAutoscaler",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(
            2,
            "spec",
            One,
            Msg(&HPAV1_HORIZONTAL_POD_AUTOSCALER_SPEC),
            NonZero,
        ),
        f(
            3,
            "status",
            One,
            Msg(&HPAV1_HORIZONTAL_POD_AUTOSCALER_STATUS),
            NonZero,
        ),
    ],
};

pub static COORD_LEASE: Message = Message {
    name: "Lease",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&COORD_LEASE_SPEC), NonZero),
    ],
};

pub static DISC_ENDPOINT_SLICE: Message = Message {
    name: "EndpointSlice",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(4, "addressType", One, Str, Always),
        f(2, "endpoints", Many, Msg(&DISC_ENDPOINT), Always),
        f(3, "ports", Many, Msg(&DISC_ENDPOINT_PORT), NonZero),
    ],
};

pub static RBAC_CLUSTER_ROLE_BINDING: Message = Message {
    name: "ClusterRoleBinding",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "subjects", Many, Msg(&RBAC_SUBJECT), NonZero),
        f(3, "roleRef", One, Msg(&RBAC_ROLE_REF), NonZero),
    ],
};

pub static RBAC_CLUSTER_ROLE: Message = Message {
    name: "ClusterRole",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "rules", Many, Msg(&RBAC_POLICY_RULE), Always),
        f(
            3,
            "aggregationRule",
            One,
            Msg(&RBAC_AGGREGATION_RULE),
            NonZero,
        ),
    ],
};

pub static RBAC_ROLE_BINDING: Message = Message {
    name: "RoleBinding",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "subjects", Many, Msg(&RBAC_SUBJECT), NonZero),
        f(3, "roleRef", One, Msg(&RBAC_ROLE_REF), NonZero),
    ],
};

pub static RBAC_ROLE: Message = Message {
    name: "Role",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "rules", Many, Msg(&RBAC_POLICY_RULE), Always),
    ],
};

pub static BATCH_CRON_JOB: Message = Message {
    name: "CronJob",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&BATCH_CRON_JOB_SPEC), NonZero),
        f(3, "status", One, Msg(&BATCH_CRON_JOB_STATUS), NonZero),
    ],
};

pub static BATCH_JOB: Message = Message {
    name: "Job",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&BATCH_JOB_SPEC), NonZero),
        f(3, "status", One, Msg(&BATCH_JOB_STATUS), NonZero),
    ],
};

pub static CORE_POD_TEMPLATE: Message = Message {
    name: "PodTemplate",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "template", One, Msg(&CORE_POD_TEMPLATE_SPEC), NonZero),
    ],
};

pub static CORE_REPLICATION_CONTROLLER: Message = Message {
    name: "ReplicationController",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(
            2,
            "spec",
            One,
            Msg(&CORE_REPLICATION_CONTROLLER_SPEC),
            NonZero,
        ),
        f(
            3,
            "status",
            One,
            Msg(&CORE_REPLICATION_CONTROLLER_STATUS),
            NonZero,
        ),
    ],
};

pub static NET_INGRESS: Message = Message {
    name: "Ingress",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&NET_INGRESS_SPEC), NonZero),
        f(3, "status", One, Msg(&NET_INGRESS_STATUS), NonZero),
    ],
};

pub static NET_INGRESS_CLASS: Message = Message {
    name: "IngressClass",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&NET_INGRESS_CLASS_SPEC), NonZero),
    ],
};

pub static NET_NETWORK_POLICY: Message = Message {
    name: "NetworkPolicy",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&NET_NETWORK_POLICY_SPEC), NonZero),
    ],
};

pub static NODE_RUNTIME_CLASS: Message = Message {
    name: "RuntimeClass",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "handler", One, Str, Always),
        f(3, "overhead", One, Msg(&NODE_OVERHEAD), NonZero),
        f(4, "scheduling", One, Msg(&NODE_SCHEDULING), NonZero),
    ],
};

pub static POLICY_POD_DISRUPTION_BUDGET: Message = Message {
    name: "PodDisruptionBudget",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(
            2,
            "spec",
            One,
            Msg(&POLICY_POD_DISRUPTION_BUDGET_SPEC),
            NonZero,
        ),
        f(
            3,
            "status",
            One,
            Msg(&POLICY_POD_DISRUPTION_BUDGET_STATUS),
            NonZero,
        ),
    ],
};

pub static SCHED_PRIORITY_CLASS: Message = Message {
    name: "PriorityClass",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "value", One, Int, Always),
        f(3, "globalDefault", One, Bool, NonZero),
        f(4, "description", One, Str, NonZero),
        f(5, "preemptionPolicy", One, Str, Set),
    ],
};

pub static EVENTS_EVENT: Message = Message {
    name: "Event",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "eventTime", One, MicroTime, Always),
        f(3, "series", One, Msg(&EVENTS_EVENT_SERIES), NonZero),
        f(4, "reportingController", One, Str, NonZero),
        f(5, "reportingInstance", One, Str, NonZero),
        f(6, "action", One, Str, NonZero),
        f(7, "reason", One, Str, NonZero),
        f(8, "regarding", One, Msg(&CORE_OBJECT_REFERENCE), Always),
        f(9, "related", One, Msg(&CORE_OBJECT_REFERENCE), NonZero),
        f(10, "note", One, Str, NonZero),
        f(11, "type", One, Str, NonZero),
        f(12, "deprecatedSource", One, Msg(&CORE_EVENT_SOURCE), Always),
        f(13, "deprecatedFirstTimestamp", One, Time, Always),
        f(14, "deprecatedLastTimestamp", One, Time, Always),
        f(15, "deprecatedCount", One, Int, NonZero),
    ],
};

pub static AUTHN_TOKEN_REQUEST: Message = Message {
    name: "TokenRequest",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&AUTHN_TOKEN_REQUEST_SPEC), NonZero),
        f(3, "status", One, Msg(&AUTHN_TOKEN_REQUEST_STATUS), NonZero),
    ],
};

pub static AUTHN_TOKEN_REVIEW: Message = Message {
    name: "TokenReview",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&AUTHN_TOKEN_REVIEW_SPEC), NonZero),
        f(3, "status", One, Msg(&AUTHN_TOKEN_REVIEW_STATUS), NonZero),
    ],
};

pub static CERTS_CERTIFICATE_SIGNING_REQUEST: Message = Message {
    name: "CertificateSigningRequest",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(
            2,
            "spec",
            One,
            Msg(&CERTS_CERTIFICATE_SIGNING_REQUEST_SPEC),
            NonZero,
        ),
        f(
            3,
            "status",
            One,
            Msg(&CERTS_CERTIFICATE_SIGNING_REQUEST_STATUS),
            NonZero,
        ),
    ],
};

pub static ADMREG_MUTATING_WEBHOOK_CONFIGURATION: Message = Message {
    name: "MutatingWebhookConfiguration",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "webhooks", Many, Msg(&ADMREG_MUTATING_WEBHOOK), NonZero),
    ],
};

pub static ADMREG_VALIDATING_WEBHOOK_CONFIGURATION: Message = Message {
    name: "ValidatingWebhookConfiguration",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(
            2,
            "webhooks",
            Many,
            Msg(&ADMREG_VALIDATING_WEBHOOK),
            NonZero,
        ),
    ],
};

pub static ADMREG_VALIDATING_ADMISSION_POLICY: Message = Message {
    name: "ValidatingAdmissionPolicy",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(
            2,
            "spec",
            One,
            Msg(&ADMREG_VALIDATING_ADMISSION_POLICY_SPEC),
            NonZero,
        ),
        f(
            3,
            "status",
            One,
            Msg(&ADMREG_VALIDATING_ADMISSION_POLICY_STATUS),
            NonZero,
        ),
    ],
};

pub static ADMREG_VALIDATING_ADMISSION_POLICY_BINDING: Message = Message {
    name: "ValidatingAdmissionPolicyBinding",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(
            2,
            "spec",
            One,
            Msg(&ADMREG_VALIDATING_ADMISSION_POLICY_BINDING_SPEC),
            NonZero,
        ),
    ],
};

pub static FLOW_FLOW_SCHEMA: Message = Message {
    name: "FlowSchema",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&FLOW_FLOW_SCHEMA_SPEC), NonZero),
        f(3, "status", One, Msg(&FLOW_FLOW_SCHEMA_STATUS), NonZero),
    ],
};

pub static FLOW_PRIORITY_LEVEL_CONFIGURATION: Message = Message {
    name: "PriorityLevelConfiguration",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(
            2,
            "spec",
            One,
            Msg(&FLOW_PRIORITY_LEVEL_CONFIGURATION_SPEC),
            NonZero,
        ),
        f(
            3,
            "status",
            One,
            Msg(&FLOW_PRIORITY_LEVEL_CONFIGURATION_STATUS),
            NonZero,
        ),
    ],
};

pub static META_OBJECT_META: Message = Message {
    name: "ObjectMeta",
    fields: &[
        f(1, "name", One, Str, NonZero),
        f(2, "generateName", One, Str, NonZero),
        f(3, "namespace", One, Str, NonZero),
        f(4, "selfLink", One, Str, NonZero),
        f(5, "uid", One, Str, NonZero),
        f(6, "resourceVersion", One, Str, NonZero),
        f(7, "generation", One, Int, NonZero),
        f(8, "creationTimestamp", One, Time, NonZero),
        f(9, "deletionTimestamp", One, Time, NonZero),
        f(10, "deletionGracePeriodSeconds", One, Int, Set),
        f(11, "labels", Map, Str, NonZero),
        f(12, "annotations", Map, Str, NonZero),
        f(
            13,
            "ownerReferences",
            Many,
            Msg(&META_OWNER_REFERENCE),
            NonZero,
        ),
        f(14, "finalizers", Many, Str, NonZero),
        f(
            17,
            "managedFields",
            Many,
            Msg(&META_MANAGED_FIELDS_ENTRY),
            NonZero,
        ),
    ],
};

pub static CORE_COMPONENT_CONDITION: Message = Message {
    name: "ComponentCondition",
    fields: &[
        f(1, "type", One, Str, NonZero),
        f(2, "status", One, Str, NonZero),
        f(3, "message", One, Str, NonZero),
        f(4, "error", One, Str, NonZero),
    ],
};

pub static CORE_ENDPOINT_SUBSET: Message = Message {
    name: "EndpointSubset",
    fields: &[
        f(1, "addresses", Many, Msg(&CORE_ENDPOINT_ADDRESS), NonZero),
        f(
            2,
            "notReadyAddresses",
            Many,
            Msg(&CORE_ENDPOINT_ADDRESS),
            NonZero,
        ),
        f(3, "ports", Many, Msg(&CORE_ENDPOINT_PORT), NonZero),
    ],
};

pub static CORE_OBJECT_REFERENCE: Message = Message {
    name: "ObjectReference",
    fields: &[
        f(1, "kind", One, Str, NonZero),
        f(2, "namespace", One, Str, NonZero),
        f(3, "name", One, Str, NonZero),
        f(4, "uid", One, Str, NonZero),
        f(5, "apiVersion", One, Str, NonZero),
        f(6, "resourceVersion", One, Str, NonZero),
        f(7, "fieldPath", One, Str, NonZero),
    ],
};

pub static CORE_EVENT_SOURCE: Message = Message {
    name: "EventSource",
    fields: &[
        f(1, "component", One, Str, NonZero),
        f(2, "host", One, Str, NonZero),
    ],
};

pub static CORE_EVENT_SERIES: Message = Message {
    name: "EventSeries",
    fields: &[
        f(1, "count", One, Int, NonZero),
        f(2, "lastObservedTime", One, MicroTime, NonZero),
    ],
};

pub static CORE_LIMIT_RANGE_SPEC: Message = Message {
    name: "LimitRangeSpec",
    fields: &[f(1, "limits", Many, Msg(&CORE_LIMIT_RANGE_ITEM), Always)],
};

pub static CORE_NAMESPACE_SPEC: Message = Message {
    name: "NamespaceSpec",
    fields: &[f(1, "finalizers", Many, Str, NonZero)],
};

pub static CORE_NAMESPACE_STATUS: Message = Message {
    name: "NamespaceStatus",
    fields: &[
        f(1, "phase", One, Str, NonZero),
        f(
            2,
            "conditions",
            Many,
            Msg(&CORE_NAMESPACE_CONDITION),
            NonZero,
        ),
    ],
};

pub static CORE_NODE_SPEC: Message = Message {
    name: "NodeSpec",
    fields: &[
        f(1, "podCIDR", One, Str, NonZero),
        f(7, "podCIDRs", Many, Str, NonZero),
        f(3, "providerID", One, Str, NonZero),
        f(4, "unschedulable", One, Bool, NonZero),
        f(5, "taints", Many, Msg(&CORE_TAINT), NonZero),
        f(
            6,
            "configSource",
            One,
            Msg(&CORE_NODE_CONFIG_SOURCE),
            NonZero,
        ),
        f(2, "externalID", One, Str, NonZero),
    ],
};

pub static CORE_NODE_STATUS: Message = Message {
    name: "NodeStatus",
    fields: &[
        f(1, "capacity", Map, Quantity, NonZero),
        f(2, "allocatable", Map, Quantity, NonZero),
        f(3, "phase", One, Str, NonZero),
        f(4, "conditions", Many, Msg(&CORE_NODE_CONDITION), NonZero),
        f(5, "addresses", Many, Msg(&CORE_NODE_ADDRESS), NonZero),
        f(
            6,
            "daemonEndpoints",
            One,
            Msg(&CORE_NODE_DAEMON_ENDPOINTS),
            NonZero,
        ),
        f(7, "nodeInfo", One, Msg(&CORE_NODE_SYSTEM_INFO), NonZero),
        f(8, "images", Many, Msg(&CORE_CONTAINER_IMAGE), NonZero),
        f(9, "volumesInUse", Many, Str, NonZero),
        f(
            10,
            "volumesAttached",
            Many,
            Msg(&CORE_ATTACHED_VOLUME),
            NonZero,
        ),
        f(11, "config", One, Msg(&CORE_NODE_CONFIG_STATUS), NonZero),
        f(
            12,
            "runtimeHandlers",
            Many,
            Msg(&CORE_NODE_RUNTIME_HANDLER),
            NonZero,
        ),
        f(13, "features", One, Msg(&CORE_NODE_FEATURES), NonZero),
    ],
};

pub static CORE_POD_SPEC: Message = Message {
    name: "PodSpec",
    fields: &[
        f(1, "volumes", Many, Msg(&CORE_VOLUME), NonZero),
        f(20, "initContainers", Many, Msg(&CORE_CONTAINER), NonZero),
        f(2, "containers", Many, Msg(&CORE_CONTAINER), Always),
        f(
            34,
            "ephemeralContainers",
            Many,
            Msg(&CORE_EPHEMERAL_CONTAINER),
            NonZero,
        ),
        f(3, "restartPolicy", One, Str, NonZero),
        f(4, "terminationGracePeriodSeconds", One, Int, Set),
        f(5, "activeDeadlineSeconds", One, Int, Set),
        f(6, "dnsPolicy", One, Str, NonZero),
        f(7, "nodeSelector", Map, Str, NonZero),
        f(8, "serviceAccountName", One, Str, NonZero),
        f(9, "serviceAccount", One, Str, NonZero),
        f(21, "automountServiceAccountToken", One, Bool, Set),
        f(10, "nodeName", One, Str, NonZero),
        f(11, "hostNetwork", One, Bool, NonZero),
        f(12, "hostPID", One, Bool, NonZero),
        f(13, "hostIPC", One, Bool, NonZero),
        f(27, "shareProcessNamespace", One, Bool, Set),
        f(
            14,
            "securityContext",
            One,
            Msg(&CORE_POD_SECURITY_CONTEXT),
            NonZero,
        ),
        f(
            15,
            "imagePullSecrets",
            Many,
            Msg(&CORE_LOCAL_OBJECT_REFERENCE),
            NonZero,
        ),
        f(16, "hostname", One, Str, NonZero),
        f(17, "subdomain", One, Str, NonZero),
        f(18, "affinity", One, Msg(&CORE_AFFINITY), NonZero),
        f(19, "schedulerName", One, Str, NonZero),
        f(22, "tolerations", Many, Msg(&CORE_TOLERATION), NonZero),
        f(23, "hostAliases", Many, Msg(&CORE_HOST_ALIAS), NonZero),
        f(24, "priorityClassName", One, Str, NonZero),
        f(25, "priority", One, Int, Set),
        f(26, "dnsConfig", One, Msg(&CORE_POD_DNS_CONFIG), NonZero),
        f(
            28,
            "readinessGates",
            Many,
            Msg(&CORE_POD_READINESS_GATE),
            NonZero,
        ),
        f(29, "runtimeClassName", One, Str, Set),
        f(30, "enableServiceLinks", One, Bool, Set),
        f(31, "preemptionPolicy", One, Str, Set),
        f(32, "overhead", Map, Quantity, NonZero),
        f(
            33,
            "topologySpreadConstraints",
            Many,
            Msg(&CORE_TOPOLOGY_SPREAD_CONSTRAINT),
            NonZero,
        ),
        f(35, "setHostnameAsFQDN", One, Bool, Set),
        f(36, "os", One, Msg(&CORE_POD_OS), NonZero),
        f(37, "hostUsers", One, Bool, Set),
        f(
            38,
            "schedulingGates",
            Many,
            Msg(&CORE_POD_SCHEDULING_GATE),
            NonZero,
        ),
        f(
            39,
            "resourceClaims",
            Many,
            Msg(&CORE_POD_RESOURCE_CLAIM),
            NonZero,
        ),
        f(
            40,
            "resources",
            One,
            Msg(&CORE_RESOURCE_REQUIREMENTS),
            NonZero,
        ),
    ],
};

pub static CORE_POD_STATUS: Message = Message {
    name: "PodStatus",
    fields: &[
        f(17, "observedGeneration", One, Int, NonZero),
        f(1, "phase", One, Str, NonZero),
        f(2, "conditions", Many, Msg(&CORE_POD_CONDITION), NonZero),
        f(3, "message", One, Str, NonZero),
        f(4, "reason", One, Str, NonZero),
        f(11, "nominatedNodeName", One, Str, NonZero),
        f(5, "hostIP", One, Str, NonZero),
        f(16, "hostIPs", Many, Msg(&CORE_HOST_IP), NonZero),
        f(6, "podIP", One, Str, NonZero),
        f(12, "podIPs", Many, Msg(&CORE_POD_IP), NonZero),
        f(7, "startTime", One, Time, NonZero),
        f(
            10,
            "initContainerStatuses",
            Many,
            Msg(&CORE_CONTAINER_STATUS),
            NonZero,
        ),
        f(
            8,
            "containerStatuses",
            Many,
            Msg(&CORE_CONTAINER_STATUS),
            NonZero,
        ),
        f(9, "qosClass", One, Str, NonZero),
        f(
            13,
            "ephemeralContainerStatuses",
            Many,
            Msg(&CORE_CONTAINER_STATUS),
            NonZero,
        ),
        f(14, "resize", One, Str, NonZero),
        f(
            15,
            "resourceClaimStatuses",
            Many,
            Msg(&CORE_POD_RESOURCE_CLAIM_STATUS),
            NonZero,
        ),
    ],
};

pub static CORE_RESOURCE_QUOTA_SPEC: Message = Message {
    name: "ResourceQuotaSpec",
    fields: &[
        f(1, "hard", Map, Quantity, NonZero),
        f(2, "scopes", Many, Str, NonZero),
        f(3, "scopeSelector", One, Msg(&CORE_SCOPE_SELECTOR), NonZero),
    ],
};

pub static CORE_RESOURCE_QUOTA_STATUS: Message = Message {
    name: "ResourceQuotaStatus",
    fields: &[
        f(1, "hard", Map, Quantity, NonZero),
        f(2, "used", Map, Quantity, NonZero),
    ],
};

pub static CORE_LOCAL_OBJECT_REFERENCE: Message = Message {
    name: "LocalObjectReference",
    fields: &[f(1, "name", One, Str, NonZero)],
};

pub static CORE_SERVICE_SPEC: Message = Message {
    name: "ServiceSpec",
    fields: &[
        f(1, "ports", Many, Msg(&CORE_SERVICE_PORT), NonZero),
        f(2, "selector", Map, Str, NonZero),
        f(3, "clusterIP", One, Str, NonZero),
        f(18, "clusterIPs", Many, Str, NonZero),
        f(4, "type", One, Str, NonZero),
        f(5, "externalIPs", Many, Str, NonZero),
        f(7, "sessionAffinity", One, Str, NonZero),
        f(8, "loadBalancerIP", One, Str, NonZero),
        f(9, "loadBalancerSourceRanges", Many, Str, NonZero),
        f(10, "externalName", One, Str, NonZero),
        f(11, "externalTrafficPolicy", One, Str, NonZero),
        f(12, "healthCheckNodePort", One, Int, NonZero),
        f(13, "publishNotReadyAddresses", One, Bool, NonZero),
        f(
            14,
            "sessionAffinityConfig",
            One,
            Msg(&CORE_SESSION_AFFINITY_CONFIG),
            NonZero,
        ),
        f(19, "ipFamilies", Many, Str, NonZero),
        f(17, "ipFamilyPolicy", One, Str, Set),
        f(20, "allocateLoadBalancerNodePorts", One, Bool, Set),
        f(21, "loadBalancerClass", One, Str, Set),
        f(22, "internalTrafficPolicy", One, Str, Set),
        f(23, "trafficDistribution", One, Str, Set),
    ],
};

pub static CORE_SERVICE_STATUS: Message = Message {
    name: "ServiceStatus",
    fields: &[
        f(
            1,
            "loadBalancer",
            One,
            Msg(&CORE_LOAD_BALANCER_STATUS),
            NonZero,
        ),
        f(2, "conditions", Many, Msg(&META_CONDITION), NonZero),
    ],
};

pub static APPS_DAEMON_SET_SPEC: Message = Message {
    name: "DaemonSetSpec",
    fields: &[
        f(1, "selector", One, Msg(&META_LABEL_SELECTOR), NonZero),
        f(2, "template", One, Msg(&CORE_POD_TEMPLATE_SPEC), NonZero),
        f(
            3,
            "updateStrategy",
            One,
            Msg(&APPS_DAEMON_SET_UPDATE_STRATEGY),
            NonZero,
        ),
        f(4, "minReadySeconds", One, Int, NonZero),
        f(6, "revisionHistoryLimit", One, Int, Set),
    ],
};

pub static APPS_DAEMON_SET_STATUS: Message = Message {
    name: "DaemonSetStatus",
    fields: &[
        f(1, "currentNumberScheduled", One, Int, Always),
        f(2, "numberMisscheduled", One, Int, Always),
        f(3, "desiredNumberScheduled", One, Int, Always),
        f(4, "numberReady", One, Int, Always),
        f(5, "observedGeneration", One, Int, NonZero),
        f(6, "updatedNumberScheduled", One, Int, NonZero),
        f(7, "numberAvailable", One, Int, NonZero),
        f(8, "numberUnavailable", One, Int, NonZero),
        f(9, "collisionCount", One, Int, Set),
        f(
            10,
            "conditions",
            Many,
            Msg(&APPS_DAEMON_SET_CONDITION),
            NonZero,
        ),
    ],
};

pub static APPS_DEPLOYMENT_SPEC: Message = Message {
    name: "DeploymentSpec",
    fields: &[
        f(1, "replicas", One, Int, Set),
        f(2, "selector", One, Msg(&META_LABEL_SELECTOR), NonZero),
        f(3, "template", One, Msg(&CORE_POD_TEMPLATE_SPEC), NonZero),
        f(4, "strategy", One, Msg(&APPS_DEPLOYMENT_STRATEGY), NonZero),
        f(5, "minReadySeconds", One, Int, NonZero),
        f(6, "revisionHistoryLimit", One, Int, Set),
        f(7, "paused", One, Bool, NonZero),
        f(9, "progressDeadlineSeconds", One, Int, Set),
    ],
};

pub static APPS_DEPLOYMENT_STATUS: Message = Message {
    name: "DeploymentStatus",
    fields: &[
        f(1, "observedGeneration", One, Int, NonZero),
        f(2, "replicas", One, Int, NonZero),
        f(3, "updatedReplicas", One, Int, NonZero),
        f(7, "readyReplicas", One, Int, NonZero),
        f(4, "availableReplicas", One, Int, NonZero),
        f(5, "unavailableReplicas", One, Int, NonZero),
        f(9, "terminatingReplicas", One, Int, Set),
        f(
            6,
            "conditions",
            Many,
            Msg(&APPS_DEPLOYMENT_CONDITION),
            NonZero,
        ),
        f(8, "collisionCount", One, Int, Set),
    ],
};

pub static APPS_REPLICA_SET_SPEC: Message = Message {
    name: "ReplicaSetSpec",
    fields: &[
        f(1, "replicas", One, Int, Set),
        f(4, "minReadySeconds", One, Int, NonZero),
        f(2, "selector", One, Msg(&META_LABEL_SELECTOR), NonZero),
        f(3, "template", One, Msg(&CORE_POD_TEMPLATE_SPEC), NonZero),
    ],
};

pub static APPS_REPLICA_SET_STATUS: Message = Message {
    name: "ReplicaSetStatus",
    fields: &[
        f(1, "replicas", One, Int, Always),
        f(2, "fullyLabeledReplicas", One, Int, NonZero),
        f(4, "readyReplicas", One, Int, NonZero),
        f(5, "availableReplicas", One, Int, NonZero),
        f(7, "terminatingReplicas", One, Int, Set),
        f(3, "observedGeneration", One, Int, NonZero),
        f(
            6,
            "conditions",
            Many,
            Msg(&APPS_REPLICA_SET_CONDITION),
            NonZero,
        ),
    ],
};

pub static CORE_PERSISTENT_VOLUME_CLAIM_SPEC: Message = Message {
    name: "PersistentVolumeClaimSpec",
    fields: &[
        f(1, "accessModes", Many, Str, NonZero),
        f(4, "selector", One, Msg(&META_LABEL_SELECTOR), NonZero),
        f(
            2,
            "resources",
            One,
            Msg(&CORE_VOLUME_RESOURCE_REQUIREMENTS),
            NonZero,
        ),
        f(3, "volumeName", One, Str, NonZero),
        f(5, "storageClassName", One, Str, Set),
        f(6, "volumeMode", One, Str, Set),
        f(
            7,
            "dataSource",
            One,
            Msg(&CORE_TYPED_LOCAL_OBJECT_REFERENCE),
            NonZero,
        ),
        f(
            8,
            "dataSourceRef",
            One,
            Msg(&CORE_TYPED_OBJECT_REFERENCE),
            NonZero,
        ),
        f(9, "volumeAttributesClassName", One, Str, Set),
    ],
};

pub static CORE_PERSISTENT_VOLUME_CLAIM_STATUS: Message = Message {
    name: "PersistentVolumeClaimStatus",
    fields: &[
        f(1, "phase", One, Str, NonZero),
        f(2, "accessModes", Many, Str, NonZero),
        f(3, "capacity", Map, Quantity, NonZero),
        f(
            4,
            "conditions",
            Many,
            Msg(&CORE_PERSISTENT_VOLUME_CLAIM_CONDITION),
            NonZero,
        ),
        f(5, "allocatedResources", Map, Quantity, NonZero),
        f(7, "allocatedResourceStatuses", Map, Str, NonZero),
        f(8, "currentVolumeAttributesClassName", One, Str, Set),
        f(
            9,
            "modifyVolumeStatus",
            One,
            Msg(&CORE_MODIFY_VOLUME_STATUS),
            NonZero,
        ),
    ],
};

pub static CORE_PERSISTENT_VOLUME_SPEC: Message = Message {
    name: "PersistentVolumeSpec",
    fields: &[
        f(1, "capacity", Map, Quantity, NonZero),
        f(
            2,
            "persistentVolumeSource",
            One,
            Msg(&CORE_PERSISTENT_VOLUME_SOURCE),
            Inline,
        ),
        f(3, "accessModes", Many, Str, NonZero),
        f(4, "claimRef", One, Msg(&CORE_OBJECT_REFERENCE), NonZero),
        f(5, "persistentVolumeReclaimPolicy", One, Str, NonZero),
        f(6, "storageClassName", One, Str, NonZero),
        f(7, "mountOptions", Many, Str, NonZero),
        f(8, "volumeMode", One, Str, Set),
        f(
            9,
            "nodeAffinity",
            One,
            Msg(&CORE_VOLUME_NODE_AFFINITY),
            NonZero,
        ),
        f(10, "volumeAttributesClassName", One, Str, Set),
    ],
};

pub static CORE_PERSISTENT_VOLUME_STATUS: Message = Message {
    name: "PersistentVolumeStatus",
    fields: &[
        f(1, "phase", One, Str, NonZero),
        f(2, "message", One, Str, NonZero),
        f(3, "reason", One, Str, NonZero),
        f(4, "lastPhaseTransitionTime", One, Time, NonZero),
    ],
};

pub static APPS_STATEFUL_SET_SPEC: Message = Message {
    name: "StatefulSetSpec",
    fields: &[
        f(1, "replicas", One, Int, Set),
        f(2, "selector", One, Msg(&META_LABEL_SELECTOR), NonZero),
        f(3, "template", One, Msg(&CORE_POD_TEMPLATE_SPEC), Always),
        f(
            4,
            "volumeClaimTemplates",
            Many,
            Msg(&CORE_PERSISTENT_VOLUME_CLAIM),
            NonZero,
        ),
        f(5, "serviceName", One, Str, NonZero),
        f(6, "podManagementPolicy", One, Str, NonZero),
        f(
            7,
            "updateStrategy",
            One,
            Msg(&APPS_STATEFUL_SET_UPDATE_STRATEGY),
            NonZero,
        ),
        f(8, "revisionHistoryLimit", One, Int, Set),
        f(9, "minReadySeconds", One, Int, NonZero),
        f(
            10,
            "persistentVolumeClaimRetentionPolicy",
            One,
            Msg(&APPS_STATEFUL_SET_PERSISTENT_VOLUME_CLAIM_RETENTION_POLICY),
            NonZero,
        ),
        f(
            11,
            "ordinals",
            One,
            Msg(&APPS_STATEFUL_SET_ORDINALS),
            NonZero,
        ),
    ],
};

pub static APPS_STATEFUL_SET_STATUS: Message = Message {
    name: "StatefulSetStatus",
    fields: &[
        f(1, "observedGeneration", One, Int, NonZero),
        f(2, "replicas", One, Int, Always),
        f(3, "readyReplicas", One, Int, NonZero),
        f(4, "currentReplicas", One, Int, NonZero),
        f(5, "updatedReplicas", One, Int, NonZero),
        f(6, "currentRevision", One, Str, NonZero),
        f(7, "updateRevision", One, Str, NonZero),
        f(9, "collisionCount", One, Int, Set),
        f(
            10,
            "conditions",
            Many,
            Msg(&APPS_STATEFUL_SET_CONDITION),
            NonZero,
        ),
        f(11, "availableReplicas", One, Int, Always),
    ],
};

pub static STORAGE_CSI_DRIVER_SPEC: Message = Message {
    name: "CSIDriverSpec",
    fields: &[
        f(1, "attachRequired", One, Bool, Set),
        f(2, "podInfoOnMount", One, Bool, Set),
        f(3, "volumeLifecycleModes", Many, Str, NonZero),
        f(4, "storageCapacity", One, Bool, Set),
        f(5, "fsGroupPolicy", One, Str, Set),
        f(
            6,
            "tokenRequests",
            Many,
            Msg(&STORAGE_TOKEN_REQUEST),
            NonZero,
        ),
        f(7, "requiresRepublish", One, Bool, Set),
        f(8, "seLinuxMount", One, Bool, Set),
        f(9, "nodeAllocatableUpdatePeriodSeconds", One, Int, Set),
    ],
};

pub static STORAGE_CSI_NODE_SPEC: Message = Message {
    name: "CSINodeSpec",
    fields: &[f(1, "drivers", Many, Msg(&STORAGE_CSI_NODE_DRIVER), Always)],
};

pub static META_LABEL_SELECTOR: Message = Message {
    name: "LabelSelector",
    fields: &[
        f(1, "matchLabels", Map, Str, NonZero),
        f(
            2,
            "matchExpressions",
            Many,
            Msg(&META_LABEL_SELECTOR_REQUIREMENT),
            NonZero,
        ),
    ],
};

pub static CORE_TOPOLOGY_SELECTOR_TERM: Message = Message {
    name: "TopologySelectorTerm",
    fields: &[f(
        1,
        "matchLabelExpressions",
        Many,
        Msg(&CORE_TOPOLOGY_SELECTOR_LABEL_REQUIREMENT),
        NonZero,
    )],
};

pub static STORAGE_VOLUME_ATTACHMENT_SPEC: Message = Message {
    name: "VolumeAttachmentSpec",
    fields: &[
        f(1, "attacher", One, Str, Always),
        f(
            2,
            "source",
            One,
            Msg(&STORAGE_VOLUME_ATTACHMENT_SOURCE),
            Always,
        ),
        f(3, "nodeName", One, Str, Always),
    ],
};

pub static STORAGE_VOLUME_ATTACHMENT_STATUS: Message = Message {
    name: "VolumeAttachmentStatus",
    fields: &[
        f(1, "attached", One, Bool, Always),
        f(2, "attachmentMetadata", Map, Str, NonZero),
        f(3, "attachError", One, Msg(&STORAGE_VOLUME_ERROR), NonZero),
        f(4, "detachError", One, Msg(&STORAGE_VOLUME_ERROR), NonZero),
    ],
};

pub static HPA_HORIZONTAL_POD_AUTOSCALER_SPEC: Message = Message {
    name: "HorizontalPodAutoscalerSpec",
    fields: &[
        f(
            1,
            "scaleTargetRef",
            One,
            Msg(&HPA_CROSS_VERSION_OBJECT_REFERENCE),
            Always,
        ),
        f(2, "minReplicas", One, Int, Set),
        f(3, "maxReplicas", One, Int, Always),
        f(4, "metrics", Many, Msg(&HPA_METRIC_SPEC), NonZero),
        f(
            5,
            "behavior",
            One,
            Msg(&HPA_HORIZONTAL_POD_AUTOSCALER_BEHAVIOR),
            NonZero,
        ),
    ],
};

pub static HPA_HORIZONTAL_POD_AUTOSCALER_STATUS: Message = Message {
    name: "HorizontalPodAutoscalerStatus",
    fields: &[
        f(1, "observedGeneration", One, Int, Set),
        f(2, "lastScaleTime", One, Time, NonZero),
        f(3, "currentReplicas", One, Int, NonZero),
        f(4, "desiredReplicas", One, Int, Always),
        f(5, "currentMetrics", Many, Msg(&HPA_METRIC_STATUS), Always),
        f(
            6,
            "conditions",
            Many,
            Msg(&HPA_HORIZONTAL_POD_AUTOSCALER_CONDITION),
            NonZero,
        ),
    ],
};

pub static HPAV1_HORIZONTAL_POD_AUTOSCALER_SPEC: Message = Message {
    name: "HorizontalPodAutoscalerSpec",
    fields: &[
        f(
            1,
            "scaleTargetRef",
            One,
            Msg(&HPAV1_CROSS_VERSION_OBJECT_REFERENCE),
            Always,
        ),
        f(2, "minReplicas", One, Int, Set),
        f(3, "maxReplicas", One, Int, Always),
        f(4, "targetCPUUtilizationPercentage", One, Int, Set),
    ],
};

pub static HPAV1_HORIZONTAL_POD_AUTOSCALER_STATUS: Message = Message {
    name: "HorizontalPodAutoscalerStatus",
    fields: &[
        f(1, "observedGeneration", One, Int, Set),
        f(2, "lastScaleTime", One, Time, NonZero),
        f(3, "currentReplicas", One, Int, Always),
        f(4, "desiredReplicas", One, Int, Always),
        f(5, "currentCPUUtilizationPercentage", One, Int, Set),
    ],
};

pub static COORD_LEASE_SPEC: Message = Message {
    name: "LeaseSpec",
    fields: &[
        f(1, "holderIdentity", One, Str, Set),
        f(2, "leaseDurationSeconds", One, Int, Set),
        f(3, "acquireTime", One, MicroTime, NonZero),
        f(4, "renewTime", One, MicroTime, NonZero),
        f(5, "leaseTransitions", One, Int, Set),
        f(6, "strategy", One, Str, Set),
        f(7, "preferredHolder", One, Str, Set),
    ],
};

pub static DISC_ENDPOINT: Message = Message {
    name: "Endpoint",
    fields: &[
        f(1, "addresses", Many, Str, Always),
        f(
            2,
            "conditions",
            One,
            Msg(&DISC_ENDPOINT_CONDITIONS),
            NonZero,
        ),
        f(3, "hostname", One, Str, Set),
        f(4, "targetRef", One, Msg(&CORE_OBJECT_REFERENCE), NonZero),
        f(5, "deprecatedTopology", Map, Str, NonZero),
        f(6, "nodeName", One, Str, Set),
        f(7, "zone", One, Str, Set),
        f(8, "hints", One, Msg(&DISC_ENDPOINT_HINTS), NonZero),
    ],
};

pub static DISC_ENDPOINT_PORT: Message = Message {
    name: "EndpointPort",
    fields: &[
        f(1, "name", One, Str, Set),
        f(2, "protocol", One, Str, Set),
        f(3, "port", One, Int, Set),
        f(4, "appProtocol", One, Str, Set),
    ],
};

pub static RBAC_SUBJECT: Message = Message {
    name: "Subject",
    fields: &[
        f(1, "kind", One, Str, Always),
        f(2, "apiGroup", One, Str, NonZero),
        f(3, "name", One, Str, Always),
        f(4, "namespace", One, Str, NonZero),
    ],
};

pub static RBAC_ROLE_REF: Message = Message {
    name: "RoleRef",
    fields: &[
        f(1, "apiGroup", One, Str, Always),
        f(2, "kind", One, Str, Always),
        f(3, "name", One, Str, Always),
    ],
};

pub static RBAC_POLICY_RULE: Message = Message {
    name: "PolicyRule",
    fields: &[
        f(1, "verbs", Many, Str, Always),
        f(2, "apiGroups", Many, Str, NonZero),
        f(3, "resources", Many, Str, NonZero),
        f(4, "resourceNames", Many, Str, NonZero),
        f(5, "nonResourceURLs", Many, Str, NonZero),
    ],
};

pub static RBAC_AGGREGATION_RULE: Message = Message {
    name: "AggregationRule",
    fields: &[f(
        1,
        "clusterRoleSelectors",
        Many,
        Msg(&META_LABEL_SELECTOR),
        NonZero,
    )],
};

pub static BATCH_CRON_JOB_SPEC: Message = Message {
    name: "CronJobSpec",
    fields: &[
        f(1, "schedule", One, Str, Always),
        f(8, "timeZone", One, Str, Set),
        f(2, "startingDeadlineSeconds", One, Int, Set),
        f(3, "concurrencyPolicy", One, Str, NonZero),
        f(4, "suspend", One, Bool, Set),
        f(
            5,
            "jobTemplate",
            One,
            Msg(&BATCH_JOB_TEMPLATE_SPEC),
            NonZero,
        ),
        f(6, "successfulJobsHistoryLimit", One, Int, Set),
        f(7, "failedJobsHistoryLimit", One, Int, Set),
    ],
};

pub static BATCH_CRON_JOB_STATUS: Message = Message {
    name: "CronJobStatus",
    fields: &[
        f(1, "active", Many, Msg(&CORE_OBJECT_REFERENCE), NonZero),
        f(4, "lastScheduleTime", One, Time, NonZero),
        f(5, "lastSuccessfulTime", One, Time, NonZero),
    ],
};

pub static BATCH_JOB_SPEC: Message = Message {
    name: "JobSpec",
    fields: &[
        f(1, "parallelism", One, Int, Set),
        f(2, "completions", One, Int, Set),
        f(3, "activeDeadlineSeconds", One, Int, Set),
        f(
            11,
            "podFailurePolicy",
            One,
            Msg(&BATCH_POD_FAILURE_POLICY),
            NonZero,
        ),
        f(
            16,
            "successPolicy",
            One,
            Msg(&BATCH_SUCCESS_POLICY),
            NonZero,
        ),
        f(7, "backoffLimit", One, Int, Set),
        f(12, "backoffLimitPerIndex", One, Int, Set),
        f(13, "maxFailedIndexes", One, Int, Set),
        f(4, "selector", One, Msg(&META_LABEL_SELECTOR), NonZero),
        f(5, "manualSelector", One, Bool, Set),
        f(6, "template", One, Msg(&CORE_POD_TEMPLATE_SPEC), NonZero),
        f(8, "ttlSecondsAfterFinished", One, Int, Set),
        f(9, "completionMode", One, Str, Set),
        f(10, "suspend", One, Bool, Set),
        f(14, "podReplacementPolicy", One, Str, Set),
        f(15, "managedBy", One, Str, Set),
    ],
};

pub static BATCH_JOB_STATUS: Message = Message {
    name: "JobStatus",
    fields: &[
        f(1, "conditions", Many, Msg(&BATCH_JOB_CONDITION), NonZero),
        f(2, "startTime", One, Time, NonZero),
        f(3, "completionTime", One, Time, NonZero),
        f(4, "active", One, Int, NonZero),
        f(5, "succeeded", One, Int, NonZero),
        f(6, "failed", One, Int, NonZero),
        f(11, "terminating", One, Int, Set),
        f(7, "completedIndexes", One, Str, NonZero),
        f(10, "failedIndexes", One, Str, Set),
        f(
            8,
            "uncountedTerminatedPods",
            One,
            Msg(&BATCH_UNCOUNTED_TERMINATED_PODS),
            NonZero,
        ),
        f(9, "ready", One, Int, Set),
    ],
};

pub static CORE_POD_TEMPLATE_SPEC: Message = Message {
    name: "PodTemplateSpec",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&CORE_POD_SPEC), NonZero),
    ],
};

pub static CORE_REPLICATION_CONTROLLER_SPEC: Message = Message {
    name: "ReplicationControllerSpec",
    fields: &[
        f(1, "replicas", One, Int, Set),
        f(4, "minReadySeconds", One, Int, NonZero),
        f(2, "selector", Map, Str, NonZero),
        f(3, "template", One, Msg(&CORE_POD_TEMPLATE_SPEC), NonZero),
    ],
};

pub static CORE_REPLICATION_CONTROLLER_STATUS: Message = Message {
    name: "ReplicationControllerStatus",
    fields: &[
        f(1, "replicas", One, Int, Always),
        f(2, "fullyLabeledReplicas", One, Int, NonZero),
        f(4, "readyReplicas", One, Int, NonZero),
        f(5, "availableReplicas", One, Int, NonZero),
        f(3, "observedGeneration", One, Int, NonZero),
        f(
            6,
            "conditions",
            Many,
            Msg(&CORE_REPLICATION_CONTROLLER_CONDITION),
            NonZero,
        ),
    ],
};

pub static NET_INGRESS_SPEC: Message = Message {
    name: "IngressSpec",
    fields: &[
        f(4, "ingressClassName", One, Str, Set),
        f(1, "defaultBackend", One, Msg(&NET_INGRESS_BACKEND), NonZero),
        f(2, "tls", Many, Msg(&NET_INGRESS_TLS), NonZero),
        f(3, "rules", Many, Msg(&NET_INGRESS_RULE), NonZero),
    ],
};

pub static NET_INGRESS_STATUS: Message = Message {
    name: "IngressStatus",
    fields: &[f(
        1,
        "loadBalancer",
        One,
        Msg(&NET_INGRESS_LOAD_BALANCER_STATUS),
        NonZero,
    )],
};

pub static NET_INGRESS_CLASS_SPEC: Message = Message {
    name: "IngressClassSpec",
    fields: &[
        f(1, "controller", One, Str, NonZero),
        f(
            2,
            "parameters",
            One,
            Msg(&NET_INGRESS_CLASS_PARAMETERS_REFERENCE),
            NonZero,
        ),
    ],
};

pub static NET_NETWORK_POLICY_SPEC: Message = Message {
    name: "NetworkPolicySpec",
    fields: &[
        f(1, "podSelector", One, Msg(&META_LABEL_SELECTOR), NonZero),
        f(
            2,
            "ingress",
            Many,
            Msg(&NET_NETWORK_POLICY_INGRESS_RULE),
            NonZero,
        ),
        f(
            3,
            "egress",
            Many,
            Msg(&NET_NETWORK_POLICY_EGRESS_RULE),
            NonZero,
        ),
        f(4, "policyTypes", Many, Str, NonZero),
    ],
};

pub static NODE_OVERHEAD: Message = Message {
    name: "Overhead",
    fields: &[f(1, "podFixed", Map, Quantity, NonZero)],
};

pub static NODE_SCHEDULING: Message = Message {
    name: "Scheduling",
    fields: &[
        f(1, "nodeSelector", Map, Str, NonZero),
        f(2, "tolerations", Many, Msg(&CORE_TOLERATION), NonZero),
    ],
};

pub static POLICY_POD_DISRUPTION_BUDGET_SPEC: Message = Message {
    name: "PodDisruptionBudgetSpec",
    fields: &[
        f(1, "minAvailable", One, IntOrString, NonZero),
        f(2, "selector", One, Msg(&META_LABEL_SELECTOR), NonZero),
        f(3, "maxUnavailable", One, IntOrString, NonZero),
        f(4, "unhealthyPodEvictionPolicy", One, Str, Set),
    ],
};

pub static POLICY_POD_DISRUPTION_BUDGET_STATUS: Message = Message {
    name: "PodDisruptionBudgetStatus",
    fields: &[
        f(1, "observedGeneration", One, Int, NonZero),
        f(2, "disruptedPods", Map, Time, NonZero),
        f(3, "disruptionsAllowed", One, Int, Always),
        f(4, "currentHealthy", One, Int, Always),
        f(5, "desiredHealthy", One, Int, Always),
        f(6, "expectedPods", One, Int, Always),
        f(7, "conditions", Many, Msg(&META_CONDITION), NonZero),
    ],
};

pub static EVENTS_EVENT_SERIES: Message = Message {
    name: "EventSeries",
    fields: &[
        f(1, "count", One, Int, NonZero),
        f(2, "lastObservedTime", One, MicroTime, NonZero),
    ],
};

pub static AUTHN_TOKEN_REQUEST_SPEC: Message = Message {
    name: "TokenRequestSpec",
    fields: &[
        f(1, "audiences", Many, Str, NonZero),
        f(4, "expirationSeconds", One, Int, NonZero),
        f(
            3,
            "boundObjectRef",
            One,
            Msg(&AUTHN_BOUND_OBJECT_REFERENCE),
            NonZero,
        ),
    ],
};

pub static AUTHN_TOKEN_REQUEST_STATUS: Message = Message {
    name: "TokenRequestStatus",
    fields: &[
        f(1, "token", One, Str, NonZero),
        f(2, "expirationTimestamp", One, Time, NonZero),
    ],
};

pub static AUTHN_TOKEN_REVIEW_SPEC: Message = Message {
    name: "TokenReviewSpec",
    fields: &[
        f(1, "token", One, Str, NonZero),
        f(2, "audiences", Many, Str, NonZero),
    ],
};

pub static AUTHN_TOKEN_REVIEW_STATUS: Message = Message {
    name: "TokenReviewStatus",
    fields: &[
        f(1, "authenticated", One, Bool, NonZero),
        f(2, "user", One, Msg(&AUTHN_USER_INFO), NonZero),
        f(4, "audiences", Many, Str, NonZero),
        f(3, "error", One, Str, NonZero),
    ],
};

pub static CERTS_CERTIFICATE_SIGNING_REQUEST_SPEC: Message = Message {
    name: "CertificateSigningRequestSpec",
    fields: &[
        f(1, "request", One, Bytes, Always),
        f(7, "signerName", One, Str, Always),
        f(8, "expirationSeconds", One, Int, Set),
        f(5, "usages", Many, Str, NonZero),
        f(2, "username", One, Str, NonZero),
        f(3, "uid", One, Str, NonZero),
        f(4, "groups", Many, Str, NonZero),
        f(6, "extra", Map, Msg(&CERTS_EXTRA_VALUE), NonZero),
    ],
};

pub static CERTS_CERTIFICATE_SIGNING_REQUEST_STATUS: Message = Message {
    name: "CertificateSigningRequestStatus",
    fields: &[
        f(
            1,
            "conditions",
            Many,
            Msg(&CERTS_CERTIFICATE_SIGNING_REQUEST_CONDITION),
            NonZero,
        ),
        f(2, "certificate", One, Bytes, NonZero),
    ],
};

pub static ADMREG_MUTATING_WEBHOOK: Message = Message {
    name: "MutatingWebhook",
    fields: &[
        f(1, "name", One, Str, Always),
        f(
            2,
            "clientConfig",
            One,
            Msg(&ADMREG_WEBHOOK_CLIENT_CONFIG),
            Always,
        ),
        f(3, "rules", Many, Msg(&ADMREG_RULE_WITH_OPERATIONS), NonZero),
        f(4, "failurePolicy", One, Str, Set),
        f(9, "matchPolicy", One, Str, Set),
        f(5, "namespaceSelector", One, Msg(&META_LABEL_SELECTOR), Set),
        f(11, "objectSelector", One, Msg(&META_LABEL_SELECTOR), Set),
        f(6, "sideEffects", One, Str, Set),
        f(7, "timeoutSeconds", One, Int, Set),
        f(8, "admissionReviewVersions", Many, Str, Always),
        f(10, "reinvocationPolicy", One, Str, Set),
        f(
            12,
            "matchConditions",
            Many,
            Msg(&ADMREG_MATCH_CONDITION),
            NonZero,
        ),
    ],
};

pub static ADMREG_VALIDATING_WEBHOOK: Message = Message {
    name: "ValidatingWebhook",
    fields: &[
        f(1, "name", One, Str, Always),
        f(
            2,
            "clientConfig",
            One,
            Msg(&ADMREG_WEBHOOK_CLIENT_CONFIG),
            Always,
        ),
        f(3, "rules", Many, Msg(&ADMREG_RULE_WITH_OPERATIONS), NonZero),
        f(4, "failurePolicy", One, Str, Set),
        f(9, "matchPolicy", One, Str, Set),
        f(5, "namespaceSelector", One, Msg(&META_LABEL_SELECTOR), Set),
        f(10, "objectSelector", One, Msg(&META_LABEL_SELECTOR), Set),
        f(6, "sideEffects", One, Str, Set),
        f(7, "timeoutSeconds", One, Int, Set),
        f(8, "admissionReviewVersions", Many, Str, Always),
        f(
            11,
            "matchConditions",
            Many,
            Msg(&ADMREG_MATCH_CONDITION),
            NonZero,
        ),
    ],
};

pub static ADMREG_VALIDATING_ADMISSION_POLICY_SPEC: Message = Message {
    name: "ValidatingAdmissionPolicySpec",
    fields: &[
        f(1, "paramKind", One, Msg(&ADMREG_PARAM_KIND), Set),
        f(
            2,
            "matchConstraints",
            One,
            Msg(&ADMREG_MATCH_RESOURCES),
            Set,
        ),
        f(3, "validations", Many, Msg(&ADMREG_VALIDATION), NonZero),
        f(4, "failurePolicy", One, Str, Set),
        f(
            5,
            "auditAnnotations",
            Many,
            Msg(&ADMREG_AUDIT_ANNOTATION),
            NonZero,
        ),
        f(
            6,
            "matchConditions",
            Many,
            Msg(&ADMREG_MATCH_CONDITION),
            NonZero,
        ),
        f(7, "variables", Many, Msg(&ADMREG_VARIABLE), NonZero),
    ],
};

pub static ADMREG_VALIDATING_ADMISSION_POLICY_STATUS: Message = Message {
    name: "ValidatingAdmissionPolicyStatus",
    fields: &[
        f(1, "observedGeneration", One, Int, NonZero),
        f(2, "typeChecking", One, Msg(&ADMREG_TYPE_CHECKING), Set),
        f(3, "conditions", Many, Msg(&META_CONDITION), NonZero),
    ],
};

pub static ADMREG_VALIDATING_ADMISSION_POLICY_BINDING_SPEC: Message = Message {
    name: "ValidatingAdmissionPolicyBindingSpec",
    fields: &[
        f(1, "policyName", One, Str, NonZero),
        f(2, "paramRef", One, Msg(&ADMREG_PARAM_REF), Set),
        f(3, "matchResources", One, Msg(&ADMREG_MATCH_RESOURCES), Set),
        f(4, "validationActions", Many, Str, NonZero),
    ],
};

pub static FLOW_FLOW_SCHEMA_SPEC: Message = Message {
    name: "FlowSchemaSpec",
    fields: &[
        f(
            1,
            "priorityLevelConfiguration",
            One,
            Msg(&FLOW_PRIORITY_LEVEL_CONFIGURATION_REFERENCE),
            NonZero,
        ),
        f(2, "matchingPrecedence", One, Int, NonZero),
        f(
            3,
            "distinguisherMethod",
            One,
            Msg(&FLOW_FLOW_DISTINGUISHER_METHOD),
            NonZero,
        ),
        f(
            4,
            "rules",
            Many,
            Msg(&FLOW_POLICY_RULES_WITH_SUBJECTS),
            NonZero,
        ),
    ],
};

pub static FLOW_FLOW_SCHEMA_STATUS: Message = Message {
    name: "FlowSchemaStatus",
    fields: &[f(
        1,
        "conditions",
        Many,
        Msg(&FLOW_FLOW_SCHEMA_CONDITION),
        NonZero,
    )],
};

pub static FLOW_PRIORITY_LEVEL_CONFIGURATION_SPEC: Message = Message {
    name: "PriorityLevelConfigurationSpec",
    fields: &[
        f(1, "type", One, Str, Always),
        f(
            2,
            "limited",
            One,
            Msg(&FLOW_LIMITED_PRIORITY_LEVEL_CONFIGURATION),
            NonZero,
        ),
        f(
            3,
            "exempt",
            One,
            Msg(&FLOW_EXEMPT_PRIORITY_LEVEL_CONFIGURATION),
            NonZero,
        ),
    ],
};

pub static FLOW_PRIORITY_LEVEL_CONFIGURATION_STATUS: Message = Message {
    name: "PriorityLevelConfigurationStatus",
    fields: &[f(
        1,
        "conditions",
        Many,
        Msg(&FLOW_PRIORITY_LEVEL_CONFIGURATION_CONDITION),
        NonZero,
    )],
};

pub static META_OWNER_REFERENCE: Message = Message {
    name: "OwnerReference",
    fields: &[
        f(5, "apiVersion", One, Str, Always),
        f(1, "kind", One, Str, Always),
        f(3, "name", One, Str, Always),
        f(4, "uid", One, Str, Always),
        f(6, "controller", One, Bool, Set),
        f(7, "blockOwnerDeletion", One, Bool, Set),
    ],
};

pub static META_MANAGED_FIELDS_ENTRY: Message = Message {
    name: "ManagedFieldsEntry",
    fields: &[
        f(1, "manager", One, Str, NonZero),
        f(2, "operation", One, Str, NonZero),
        f(3, "apiVersion", One, Str, NonZero),
        f(4, "time", One, Time, NonZero),
        f(6, "fieldsType", One, Str, NonZero),
        f(7, "fieldsV1", One, FieldsV1, NonZero),
        f(8, "subresource", One, Str, NonZero),
    ],
};

pub static CORE_ENDPOINT_ADDRESS: Message = Message {
    name: "EndpointAddress",
    fields: &[
        f(1, "ip", One, Str, Always),
        f(3, "hostname", One, Str, NonZero),
        f(4, "nodeName", One, Str, Set),
        f(2, "targetRef", One, Msg(&CORE_OBJECT_REFERENCE), NonZero),
    ],
};

pub static CORE_ENDPOINT_PORT: Message = Message {
    name: "EndpointPort",
    fields: &[
        f(1, "name", One, Str, NonZero),
        f(2, "port", One, Int, Always),
        f(3, "protocol", One, Str, NonZero),
        f(4, "appProtocol", One, Str, Set),
    ],
};

pub static CORE_LIMIT_RANGE_ITEM: Message = Message {
    name: "LimitRangeItem",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "max", Map, Quantity, NonZero),
        f(3, "min", Map, Quantity, NonZero),
        f(4, "default", Map, Quantity, NonZero),
        f(5, "defaultRequest", Map, Quantity, NonZero),
        f(6, "maxLimitRequestRatio", Map, Quantity, NonZero),
    ],
};

pub static CORE_NAMESPACE_CONDITION: Message = Message {
    name: "NamespaceCondition",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "status", One, Str, Always),
        f(4, "lastTransitionTime", One, Time, NonZero),
        f(5, "reason", One, Str, NonZero),
        f(6, "message", One, Str, NonZero),
    ],
};

pub static CORE_TAINT: Message = Message {
    name: "Taint",
    fields: &[
        f(1, "key", One, Str, Always),
        f(2, "value", One, Str, NonZero),
        f(3, "effect", One, Str, Always),
        f(4, "timeAdded", One, Time, NonZero),
    ],
};

pub static CORE_NODE_CONFIG_SOURCE: Message = Message {
    name: "NodeConfigSource",
    fields: &[f(
        2,
        "configMap",
        One,
        Msg(&CORE_CONFIG_MAP_NODE_CONFIG_SOURCE),
        NonZero,
    )],
};

pub static CORE_NODE_CONDITION: Message = Message {
    name: "NodeCondition",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "status", One, Str, Always),
        f(3, "lastHeartbeatTime", One, Time, NonZero),
        f(4, "lastTransitionTime", One, Time, NonZero),
        f(5, "reason", One, Str, NonZero),
        f(6, "message", One, Str, NonZero),
    ],
};

pub static CORE_NODE_ADDRESS: Message = Message {
    name: "NodeAddress",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "address", One, Str, Always),
    ],
};

pub static CORE_NODE_DAEMON_ENDPOINTS: Message = Message {
    name: "NodeDaemonEndpoints",
    fields: &[f(
        1,
        "kubeletEndpoint",
        One,
        Msg(&CORE_DAEMON_ENDPOINT),
        NonZero,
    )],
};

pub static CORE_NODE_SYSTEM_INFO: Message = Message {
    name: "NodeSystemInfo",
    fields: &[
        f(1, "machineID", One, Str, Always),
        f(2, "systemUUID", One, Str, Always),
        f(3, "bootID", One, Str, Always),
        f(4, "kernelVersion", One, Str, Always),
        f(5, "osImage", One, Str, Always),
        f(6, "containerRuntimeVersion", One, Str, Always),
        f(7, "kubeletVersion", One, Str, Always),
        f(8, "kubeProxyVersion", One, Str, Always),
        f(9, "operatingSystem", One, Str, Always),
        f(10, "architecture", One, Str, Always),
        f(11, "swap", One, Msg(&CORE_NODE_SWAP_STATUS), NonZero),
    ],
};

pub static CORE_CONTAINER_IMAGE: Message = Message {
    name: "ContainerImage",
    fields: &[
        f(1, "names", Many, Str, Always),
        f(2, "sizeBytes", One, Int, NonZero),
    ],
};

pub static CORE_ATTACHED_VOLUME: Message = Message {
    name: "AttachedVolume",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "devicePath", One, Str, Always),
    ],
};

pub static CORE_NODE_CONFIG_STATUS: Message = Message {
    name: "NodeConfigStatus",
    fields: &[
        f(1, "assigned", One, Msg(&CORE_NODE_CONFIG_SOURCE), NonZero),
        f(2, "active", One, Msg(&CORE_NODE_CONFIG_SOURCE), NonZero),
        f(
            3,
            "lastKnownGood",
            One,
            Msg(&CORE_NODE_CONFIG_SOURCE),
            NonZero,
        ),
        f(4, "error", One, Str, NonZero),
    ],
};

pub static CORE_NODE_RUNTIME_HANDLER: Message = Message {
    name: "NodeRuntimeHandler",
    fields: &[
        f(1, "name", One, Str, Always),
        f(
            2,
            "features",
            One,
            Msg(&CORE_NODE_RUNTIME_HANDLER_FEATURES),
            NonZero,
        ),
    ],
};

pub static CORE_NODE_FEATURES: Message = Message {
    name: "NodeFeatures",
    fields: &[f(1, "supplementalGroupsPolicy", One, Bool, Set)],
};

pub static CORE_VOLUME: Message = Message {
    name: "Volume",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "volumeSource", One, Msg(&CORE_VOLUME_SOURCE), Inline),
    ],
};

pub static CORE_CONTAINER: Message = Message {
    name: "Container",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "image", One, Str, NonZero),
        f(3, "command", Many, Str, NonZero),
        f(4, "args", Many, Str, NonZero),
        f(5, "workingDir", One, Str, NonZero),
        f(6, "ports", Many, Msg(&CORE_CONTAINER_PORT), NonZero),
        f(19, "envFrom", Many, Msg(&CORE_ENV_FROM_SOURCE), NonZero),
        f(7, "env", Many, Msg(&CORE_ENV_VAR), NonZero),
        f(
            8,
            "resources",
            One,
            Msg(&CORE_RESOURCE_REQUIREMENTS),
            NonZero,
        ),
        f(
            23,
            "resizePolicy",
            Many,
            Msg(&CORE_CONTAINER_RESIZE_POLICY),
            NonZero,
        ),
        f(24, "restartPolicy", One, Str, Set),
        f(9, "volumeMounts", Many, Msg(&CORE_VOLUME_MOUNT), NonZero),
        f(21, "volumeDevices", Many, Msg(&CORE_VOLUME_DEVICE), NonZero),
        f(10, "livenessProbe", One, Msg(&CORE_PROBE), NonZero),
        f(11, "readinessProbe", One, Msg(&CORE_PROBE), NonZero),
        f(22, "startupProbe", One, Msg(&CORE_PROBE), NonZero),
        f(12, "lifecycle", One, Msg(&CORE_LIFECYCLE), NonZero),
        f(13, "terminationMessagePath", One, Str, NonZero),
        f(20, "terminationMessagePolicy", One, Str, NonZero),
        f(14, "imagePullPolicy", One, Str, NonZero),
        f(
            15,
            "securityContext",
            One,
            Msg(&CORE_SECURITY_CONTEXT),
            NonZero,
        ),
        f(16, "stdin", One, Bool, NonZero),
        f(17, "stdinOnce", One, Bool, NonZero),
        f(18, "tty", One, Bool, NonZero),
    ],
};

pub static CORE_EPHEMERAL_CONTAINER: Message = Message {
    name: "EphemeralContainer",
    fields: &[
        f(
            1,
            "ephemeralContainerCommon",
            One,
            Msg(&CORE_EPHEMERAL_CONTAINER_COMMON),
            Inline,
        ),
        f(2, "targetContainerName", One, Str, NonZero),
    ],
};

pub static CORE_POD_SECURITY_CONTEXT: Message = Message {
    name: "PodSecurityContext",
    fields: &[
        f(
            1,
            "seLinuxOptions",
            One,
            Msg(&CORE_SE_LINUX_OPTIONS),
            NonZero,
        ),
        f(
            8,
            "windowsOptions",
            One,
            Msg(&CORE_WINDOWS_SECURITY_CONTEXT_OPTIONS),
            NonZero,
        ),
        f(2, "runAsUser", One, Int, Set),
        f(6, "runAsGroup", One, Int, Set),
        f(3, "runAsNonRoot", One, Bool, Set),
        f(4, "supplementalGroups", Many, Int, NonZero),
        f(12, "supplementalGroupsPolicy", One, Str, Set),
        f(5, "fsGroup", One, Int, Set),
        f(7, "sysctls", Many, Msg(&CORE_SYSCTL), NonZero),
        f(9, "fsGroupChangePolicy", One, Str, Set),
        f(
            10,
            "seccompProfile",
            One,
            Msg(&CORE_SECCOMP_PROFILE),
            NonZero,
        ),
        f(
            11,
            "appArmorProfile",
            One,
            Msg(&CORE_APP_ARMOR_PROFILE),
            NonZero,
        ),
        f(13, "seLinuxChangePolicy", One, Str, Set),
    ],
};

pub static CORE_AFFINITY: Message = Message {
    name: "Affinity",
    fields: &[
        f(1, "nodeAffinity", One, Msg(&CORE_NODE_AFFINITY), NonZero),
        f(2, "podAffinity", One, Msg(&CORE_POD_AFFINITY), NonZero),
        f(
            3,
            "podAntiAffinity",
            One,
            Msg(&CORE_POD_ANTI_AFFINITY),
            NonZero,
        ),
    ],
};

pub static CORE_TOLERATION: Message = Message {
    name: "Toleration",
    fields: &[
        f(1, "key", One, Str, NonZero),
        f(2, "operator", One, Str, NonZero),
        f(3, "value", One, Str, NonZero),
        f(4, "effect", One, Str, NonZero),
        f(5, "tolerationSeconds", One, Int, Set),
    ],
};

pub static CORE_HOST_ALIAS: Message = Message {
    name: "HostAlias",
    fields: &[
        f(1, "ip", One, Str, Always),
        f(2, "hostnames", Many, Str, NonZero),
    ],
};

pub static CORE_POD_DNS_CONFIG: Message = Message {
    name: "PodDNSConfig",
    fields: &[
        f(1, "nameservers", Many, Str, NonZero),
        f(2, "searches", Many, Str, NonZero),
        f(
            3,
            "options",
            Many,
            Msg(&CORE_POD_DNS_CONFIG_OPTION),
            NonZero,
        ),
    ],
};

pub static CORE_POD_READINESS_GATE: Message = Message {
    name: "PodReadinessGate",
    fields: &[f(1, "conditionType", One, Str, Always)],
};

pub static CORE_TOPOLOGY_SPREAD_CONSTRAINT: Message = Message {
    name: "TopologySpreadConstraint",
    fields: &[
        f(1, "maxSkew", One, Int, Always),
        f(2, "topologyKey", One, Str, Always),
        f(3, "whenUnsatisfiable", One, Str, Always),
        f(4, "labelSelector", One, Msg(&META_LABEL_SELECTOR), NonZero),
        f(5, "minDomains", One, Int, Set),
        f(6, "nodeAffinityPolicy", One, Str, Set),
        f(7, "nodeTaintsPolicy", One, Str, Set),
        f(8, "matchLabelKeys", Many, Str, NonZero),
    ],
};

pub static CORE_POD_OS: Message = Message {
    name: "PodOS",
    fields: &[f(1, "name", One, Str, Always)],
};

pub static CORE_POD_SCHEDULING_GATE: Message = Message {
    name: "PodSchedulingGate",
    fields: &[f(1, "name", One, Str, Always)],
};

pub static CORE_POD_RESOURCE_CLAIM: Message = Message {
    name: "PodResourceClaim",
    fields: &[
        f(1, "name", One, Str, Always),
        f(3, "resourceClaimName", One, Str, Set),
        f(4, "resourceClaimTemplateName", One, Str, Set),
    ],
};

pub static CORE_RESOURCE_REQUIREMENTS: Message = Message {
    name: "ResourceRequirements",
    fields: &[
        f(1, "limits", Map, Quantity, NonZero),
        f(2, "requests", Map, Quantity, NonZero),
        f(3, "claims", Many, Msg(&CORE_RESOURCE_CLAIM), NonZero),
    ],
};

pub static CORE_POD_CONDITION: Message = Message {
    name: "PodCondition",
    fields: &[
        f(1, "type", One, Str, Always),
        f(7, "observedGeneration", One, Int, NonZero),
        f(2, "status", One, Str, Always),
        f(3, "lastProbeTime", One, Time, NonZero),
        f(4, "lastTransitionTime", One, Time, NonZero),
        f(5, "reason", One, Str, NonZero),
        f(6, "message", One, Str, NonZero),
    ],
};

pub static CORE_HOST_IP: Message = Message {
    name: "HostIP",
    fields: &[f(1, "ip", One, Str, Always)],
};

pub static CORE_POD_IP: Message = Message {
    name: "PodIP",
    fields: &[f(1, "ip", One, Str, Always)],
};

pub static CORE_CONTAINER_STATUS: Message = Message {
    name: "ContainerStatus",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "state", One, Msg(&CORE_CONTAINER_STATE), NonZero),
        f(3, "lastState", One, Msg(&CORE_CONTAINER_STATE), NonZero),
        f(4, "ready", One, Bool, Always),
        f(5, "restartCount", One, Int, Always),
        f(6, "image", One, Str, Always),
        f(7, "imageID", One, Str, Always),
        f(8, "containerID", One, Str, NonZero),
        f(9, "started", One, Bool, Set),
        f(10, "allocatedResources", Map, Quantity, NonZero),
        f(
            11,
            "resources",
            One,
            Msg(&CORE_RESOURCE_REQUIREMENTS),
            NonZero,
        ),
        f(
            12,
            "volumeMounts",
            Many,
            Msg(&CORE_VOLUME_MOUNT_STATUS),
            NonZero,
        ),
        f(13, "user", One, Msg(&CORE_CONTAINER_USER), NonZero),
        f(
            14,
            "allocatedResourcesStatus",
            Many,
            Msg(&CORE_RESOURCE_STATUS),
            NonZero,
        ),
        f(15, "stopSignal", One, Str, Set),
    ],
};

pub static CORE_POD_RESOURCE_CLAIM_STATUS: Message = Message {
    name: "PodResourceClaimStatus",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "resourceClaimName", One, Str, Set),
    ],
};

pub static CORE_SCOPE_SELECTOR: Message = Message {
    name: "ScopeSelector",
    fields: &[f(
        1,
        "matchExpressions",
        Many,
        Msg(&CORE_SCOPED_RESOURCE_SELECTOR_REQUIREMENT),
        NonZero,
    )],
};

pub static CORE_SERVICE_PORT: Message = Message {
    name: "ServicePort",
    fields: &[
        f(1, "name", One, Str, NonZero),
        f(2, "protocol", One, Str, NonZero),
        f(6, "appProtocol", One, Str, Set),
        f(3, "port", One, Int, Always),
        f(4, "targetPort", One, IntOrString, NonZero),
        f(5, "nodePort", One, Int, NonZero),
    ],
};

pub static CORE_SESSION_AFFINITY_CONFIG: Message = Message {
    name: "SessionAffinityConfig",
    fields: &[f(1, "clientIP", One, Msg(&CORE_CLIENT_IP_CONFIG), NonZero)],
};

pub static CORE_LOAD_BALANCER_STATUS: Message = Message {
    name: "LoadBalancerStatus",
    fields: &[f(
        1,
        "ingress",
        Many,
        Msg(&CORE_LOAD_BALANCER_INGRESS),
        NonZero,
    )],
};

pub static META_CONDITION: Message = Message {
    name: "Condition",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "status", One, Str, Always),
        f(3, "observedGeneration", One, Int, NonZero),
        f(4, "lastTransitionTime", One, Time, Always),
        f(5, "reason", One, Str, Always),
        f(6, "message", One, Str, Always),
    ],
};

pub static APPS_DAEMON_SET_UPDATE_STRATEGY: Message = Message {
    name: "DaemonSetUpdateStrategy",
    fields: &[
        f(1, "type", One, Str, NonZero),
        f(
            2,
            "rollingUpdate",
            One,
            Msg(&APPS_ROLLING_UPDATE_DAEMON_SET),
            NonZero,
        ),
    ],
};

pub static APPS_DAEMON_SET_CONDITION: Message = Message {
    name: "DaemonSetCondition",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "status", One, Str, Always),
        f(3, "lastTransitionTime", One, Time, NonZero),
        f(4, "reason", One, Str, NonZero),
        f(5, "message", One, Str, NonZero),
    ],
};

pub static APPS_DEPLOYMENT_STRATEGY: Message = Message {
    name: "DeploymentStrategy",
    fields: &[
        f(1, "type", One, Str, NonZero),
        f(
            2,
            "rollingUpdate",
            One,
            Msg(&APPS_ROLLING_UPDATE_DEPLOYMENT),
            NonZero,
        ),
    ],
};

pub static APPS_DEPLOYMENT_CONDITION: Message = Message {
    name: "DeploymentCondition",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "status", One, Str, Always),
        f(6, "lastUpdateTime", One, Time, NonZero),
        f(7, "lastTransitionTime", One, Time, NonZero),
        f(4, "reason", One, Str, NonZero),
        f(5, "message", One, Str, NonZero),
    ],
};

pub static APPS_REPLICA_SET_CONDITION: Message = Message {
    name: "ReplicaSetCondition",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "status", One, Str, Always),
        f(3, "lastTransitionTime", One, Time, NonZero),
        f(4, "reason", One, Str, NonZero),
        f(5, "message", One, Str, NonZero),
    ],
};

pub static CORE_VOLUME_RESOURCE_REQUIREMENTS: Message = Message {
    name: "VolumeResourceRequirements",
    fields: &[
        f(1, "limits", Map, Quantity, NonZero),
        f(2, "requests", Map, Quantity, NonZero),
    ],
};

pub static CORE_TYPED_LOCAL_OBJECT_REFERENCE: Message = Message {
    name: "TypedLocalObjectReference",
    fields: &[
        f(1, "apiGroup", One, Str, Set),
        f(2, "kind", One, Str, Always),
        f(3, "name", One, Str, Always),
    ],
};

pub static CORE_TYPED_OBJECT_REFERENCE: Message = Message {
    name: "TypedObjectReference",
    fields: &[
        f(1, "apiGroup", One, Str, Set),
        f(2, "kind", One, Str, Always),
        f(3, "name", One, Str, Always),
        f(4, "namespace", One, Str, Set),
    ],
};

pub static CORE_PERSISTENT_VOLUME_CLAIM_CONDITION: Message = Message {
    name: "PersistentVolumeClaimCondition",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "status", One, Str, Always),
        f(3, "lastProbeTime", One, Time, NonZero),
        f(4, "lastTransitionTime", One, Time, NonZero),
        f(5, "reason", One, Str, NonZero),
        f(6, "message", One, Str, NonZero),
    ],
};

pub static CORE_MODIFY_VOLUME_STATUS: Message = Message {
    name: "ModifyVolumeStatus",
    fields: &[
        f(1, "targetVolumeAttributesClassName", One, Str, NonZero),
        f(2, "status", One, Str, Always),
    ],
};

pub static CORE_PERSISTENT_VOLUME_SOURCE: Message = Message {
    name: "PersistentVolumeSource",
    fields: &[
        f(
            1,
            "gcePersistentDisk",
            One,
            Msg(&CORE_GCE_PERSISTENT_DISK_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            2,
            "awsElasticBlockStore",
            One,
            Msg(&CORE_AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            3,
            "hostPath",
            One,
            Msg(&CORE_HOST_PATH_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            4,
            "glusterfs",
            One,
            Msg(&CORE_GLUSTERFS_PERSISTENT_VOLUME_SOURCE),
            NonZero,
        ),
        f(5, "nfs", One, Msg(&CORE_NFS_VOLUME_SOURCE), NonZero),
        f(
            6,
            "rbd",
            One,
            Msg(&CORE_RBD_PERSISTENT_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            7,
            "iscsi",
            One,
            Msg(&CORE_ISCSI_PERSISTENT_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            8,
            "cinder",
            One,
            Msg(&CORE_CINDER_PERSISTENT_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            9,
            "cephfs",
            One,
            Msg(&CORE_CEPH_FS_PERSISTENT_VOLUME_SOURCE),
            NonZero,
        ),
        f(10, "fc", One, Msg(&CORE_FC_VOLUME_SOURCE), NonZero),
        f(
            11,
            "flocker",
            One,
            Msg(&CORE_FLOCKER_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            12,
            "flexVolume",
            One,
            Msg(&CORE_FLEX_PERSISTENT_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            13,
            "azureFile",
            One,
            Msg(&CORE_AZURE_FILE_PERSISTENT_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            14,
            "vsphereVolume",
            One,
            Msg(&CORE_VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            15,
            "quobyte",
            One,
            Msg(&CORE_QUOBYTE_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            16,
            "azureDisk",
            One,
            Msg(&CORE_AZURE_DISK_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            17,
            "photonPersistentDisk",
            One,
            Msg(&CORE_PHOTON_PERSISTENT_DISK_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            18,
            "portworxVolume",
            One,
            Msg(&CORE_PORTWORX_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            19,
            "scaleIO",
            One,
            Msg(&CORE_SCALE_IO_PERSISTENT_VOLUME_SOURCE),
            NonZero,
        ),
        f(20, "local", One, Msg(&CORE_LOCAL_VOLUME_SOURCE), NonZero),
        f(
            21,
            "storageos",
            One,
            Msg(&CORE_STORAGE_OS_PERSISTENT_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            22,
            "csi",
            One,
            Msg(&CORE_CSI_PERSISTENT_VOLUME_SOURCE),
            NonZero,
        ),
    ],
};

pub static CORE_VOLUME_NODE_AFFINITY: Message = Message {
    name: "VolumeNodeAffinity",
    fields: &[f(1, "required", One, Msg(&CORE_NODE_SELECTOR), NonZero)],
};

pub static APPS_STATEFUL_SET_UPDATE_STRATEGY: Message = Message {
    name: "StatefulSetUpdateStrategy",
    fields: &[
        f(1, "type", One, Str, NonZero),
        f(
            2,
            "rollingUpdate",
            One,
            Msg(&APPS_ROLLING_UPDATE_STATEFUL_SET_STRATEGY),
            NonZero,
        ),
    ],
};

pub static APPS_STATEFUL_SET_PERSISTENT_VOLUME_CLAIM_RETENTION_POLICY: Message = Message {
    name: "StatefulSetPersistentVolumeClaimRetentionPolicy",
    fields: &[
        f(1, "whenDeleted", One, Str, NonZero),
        f(2, "whenScaled", One, Str, NonZero),
    ],
};

pub static APPS_STATEFUL_SET_ORDINALS: Message = Message {
    name: "StatefulSetOrdinals",
    fields: &[f(1, "start", One, Int, Always)],
};

pub static APPS_STATEFUL_SET_CONDITION: Message = Message {
    name: "StatefulSetCondition",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "status", One, Str, Always),
        f(3, "lastTransitionTime", One, Time, NonZero),
        f(4, "reason", One, Str, NonZero),
        f(5, "message", One, Str, NonZero),
    ],
};

pub static STORAGE_TOKEN_REQUEST: Message = Message {
    name: "TokenRequest",
    fields: &[
        f(1, "audience", One, Str, NonZero),
        f(2, "expirationSeconds", One, Int, Set),
    ],
};

pub static STORAGE_CSI_NODE_DRIVER: Message = Message {
    name: "CSINodeDriver",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "nodeID", One, Str, Always),
        f(3, "topologyKeys", Many, Str, Always),
        f(
            4,
            "allocatable",
            One,
            Msg(&STORAGE_VOLUME_NODE_RESOURCES),
            NonZero,
        ),
    ],
};

pub static META_LABEL_SELECTOR_REQUIREMENT: Message = Message {
    name: "LabelSelectorRequirement",
    fields: &[
        f(1, "key", One, Str, Always),
        f(2, "operator", One, Str, Always),
        f(3, "values", Many, Str, NonZero),
    ],
};

pub static CORE_TOPOLOGY_SELECTOR_LABEL_REQUIREMENT: Message = Message {
    name: "TopologySelectorLabelRequirement",
    fields: &[
        f(1, "key", One, Str, Always),
        f(2, "values", Many, Str, Always),
    ],
};

pub static STORAGE_VOLUME_ATTACHMENT_SOURCE: Message = Message {
    name: "VolumeAttachmentSource",
    fields: &[
        f(1, "persistentVolumeName", One, Str, Set),
        f(
            2,
            "inlineVolumeSpec",
            One,
            Msg(&CORE_PERSISTENT_VOLUME_SPEC),
            NonZero,
        ),
    ],
};

pub static STORAGE_VOLUME_ERROR: Message = Message {
    name: "VolumeError",
    fields: &[
        f(1, "time", One, Time, NonZero),
        f(2, "message", One, Str, NonZero),
        f(3, "errorCode", One, Int, Set),
    ],
};

pub static HPA_CROSS_VERSION_OBJECT_REFERENCE: Message = Message {
    name: "CrossVersionObjectReference",
    fields: &[
        f(1, "kind", One, Str, Always),
        f(2, "name", One, Str, Always),
        f(3, "apiVersion", One, Str, NonZero),
    ],
};

pub static HPA_METRIC_SPEC: Message = Message {
    name: "MetricSpec",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "object", One, Msg(&HPA_OBJECT_METRIC_SOURCE), NonZero),
        f(3, "pods", One, Msg(&HPA_PODS_METRIC_SOURCE), NonZero),
        f(
            4,
            "resource",
            One,
            Msg(&HPA_RESOURCE_METRIC_SOURCE),
            NonZero,
        ),
        f(
            7,
            "containerResource",
            One,
            Msg(&HPA_CONTAINER_RESOURCE_METRIC_SOURCE),
            NonZero,
        ),
        f(
            5,
            "external",
            One,
            Msg(&HPA_EXTERNAL_METRIC_SOURCE),
            NonZero,
        ),
    ],
};

pub static HPA_HORIZONTAL_POD_AUTOSCALER_BEHAVIOR: Message = Message {
    name: "HorizontalPodAutoscalerBehavior",
    fields: &[
        f(1, "scaleUp", One, Msg(&HPA_HPA_SCALING_RULES), NonZero),
        f(2, "scaleDown", One, Msg(&HPA_HPA_SCALING_RULES), NonZero),
    ],
};

pub static HPA_METRIC_STATUS: Message = Message {
    name: "MetricStatus",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "object", One, Msg(&HPA_OBJECT_METRIC_STATUS), NonZero),
        f(3, "pods", One, Msg(&HPA_PODS_METRIC_STATUS), NonZero),
        f(
            4,
            "resource",
            One,
            Msg(&HPA_RESOURCE_METRIC_STATUS),
            NonZero,
        ),
        f(
            7,
            "containerResource",
            One,
            Msg(&HPA_CONTAINER_RESOURCE_METRIC_STATUS),
            NonZero,
        ),
        f(
            5,
            "external",
            One,
            Msg(&HPA_EXTERNAL_METRIC_STATUS),
            NonZero,
        ),
    ],
};

pub static HPA_HORIZONTAL_POD_AUTOSCALER_CONDITION: Message = Message {
    name: "HorizontalPodAutoscalerCondition",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "status", One, Str, Always),
        f(3, "lastTransitionTime", One, Time, NonZero),
        f(4, "reason", One, Str, NonZero),
        f(5, "message", One, Str, NonZero),
    ],
};

pub static HPAV1_CROSS_VERSION_OBJECT_REFERENCE: Message = Message {
    name: "CrossVersionObjectReference",
    fields: &[
        f(1, "kind", One, Str, Always),
        f(2, "name", One, Str, Always),
        f(3, "apiVersion", One, Str, NonZero),
    ],
};

pub static DISC_ENDPOINT_CONDITIONS: Message = Message {
    name: "EndpointConditions",
    fields: &[
        f(1, "ready", One, Bool, Set),
        f(2, "serving", One, Bool, Set),
        f(3, "terminating", One, Bool, Set),
    ],
};

pub static DISC_ENDPOINT_HINTS: Message = Message {
    name: "EndpointHints",
    fields: &[
        f(1, "forZones", Many, Msg(&DISC_FOR_ZONE), NonZero),
        f(2, "forNodes", Many, Msg(&DISC_FOR_NODE), NonZero),
    ],
};

pub static BATCH_JOB_TEMPLATE_SPEC: Message = Message {
    name: "JobTemplateSpec",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(2, "spec", One, Msg(&BATCH_JOB_SPEC), NonZero),
    ],
};

pub static BATCH_POD_FAILURE_POLICY: Message = Message {
    name: "PodFailurePolicy",
    fields: &[f(
        1,
        "rules",
        Many,
        Msg(&BATCH_POD_FAILURE_POLICY_RULE),
        Always,
    )],
};

pub static BATCH_SUCCESS_POLICY: Message = Message {
    name: "SuccessPolicy",
    fields: &[f(1, "rules", Many, Msg(&BATCH_SUCCESS_POLICY_RULE), Always)],
};

pub static BATCH_JOB_CONDITION: Message = Message {
    name: "JobCondition",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "status", One, Str, Always),
        f(3, "lastProbeTime", One, Time, NonZero),
        f(4, "lastTransitionTime", One, Time, NonZero),
        f(5, "reason", One, Str, NonZero),
        f(6, "message", One, Str, NonZero),
    ],
};

pub static BATCH_UNCOUNTED_TERMINATED_PODS: Message = Message {
    name: "UncountedTerminatedPods",
    fields: &[
        f(1, "succeeded", Many, Str, NonZero),
        f(2, "failed", Many, Str, NonZero),
    ],
};

pub static CORE_REPLICATION_CONTROLLER_CONDITION: Message = Message {
    name: "ReplicationControllerCondition",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "status", One, Str, Always),
        f(3, "lastTransitionTime", One, Time, NonZero),
        f(4, "reason", One, Str, NonZero),
        f(5, "message", One, Str, NonZero),
    ],
};

pub static NET_INGRESS_BACKEND: Message = Message {
    name: "IngressBackend",
    fields: &[
        f(
            4,
            "service",
            One,
            Msg(&NET_INGRESS_SERVICE_BACKEND),
            NonZero,
        ),
        f(
            3,
            "resource",
            One,
            Msg(&CORE_TYPED_LOCAL_OBJECT_REFERENCE),
            NonZero,
        ),
    ],
};

pub static NET_INGRESS_TLS: Message = Message {
    name: "IngressTLS",
    fields: &[
        f(1, "hosts", Many, Str, NonZero),
        f(2, "secretName", One, Str, NonZero),
    ],
};

pub static NET_INGRESS_RULE: Message = Message {
    name: "IngressRule",
    fields: &[
        f(1, "host", One, Str, NonZero),
        f(
            2,
            "ingressRuleValue",
            One,
            Msg(&NET_INGRESS_RULE_VALUE),
            Inline,
        ),
    ],
};

pub static NET_INGRESS_LOAD_BALANCER_STATUS: Message = Message {
    name: "IngressLoadBalancerStatus",
    fields: &[f(
        1,
        "ingress",
        Many,
        Msg(&NET_INGRESS_LOAD_BALANCER_INGRESS),
        NonZero,
    )],
};

pub static NET_INGRESS_CLASS_PARAMETERS_REFERENCE: Message = Message {
    name: "IngressClassParametersReference",
    fields: &[
        f(1, "apiGroup", One, Str, Set),
        f(2, "kind", One, Str, Always),
        f(3, "name", One, Str, Always),
        f(4, "scope", One, Str, Set),
        f(5, "namespace", One, Str, Set),
    ],
};

pub static NET_NETWORK_POLICY_INGRESS_RULE: Message = Message {
    name: "NetworkPolicyIngressRule",
    fields: &[
        f(1, "ports", Many, Msg(&NET_NETWORK_POLICY_PORT), NonZero),
        f(2, "from", Many, Msg(&NET_NETWORK_POLICY_PEER), NonZero),
    ],
};

pub static NET_NETWORK_POLICY_EGRESS_RULE: Message = Message {
    name: "NetworkPolicyEgressRule",
    fields: &[
        f(1, "ports", Many, Msg(&NET_NETWORK_POLICY_PORT), NonZero),
        f(2, "to", Many, Msg(&NET_NETWORK_POLICY_PEER), NonZero),
    ],
};

pub static AUTHN_BOUND_OBJECT_REFERENCE: Message = Message {
    name: "BoundObjectReference",
    fields: &[
        f(1, "kind", One, Str, NonZero),
        f(2, "apiVersion", One, Str, NonZero),
        f(3, "name", One, Str, NonZero),
        f(4, "uid", One, Str, NonZero),
    ],
};

pub static AUTHN_USER_INFO: Message = Message {
    name: "UserInfo",
    fields: &[
        f(1, "username", One, Str, NonZero),
        f(2, "uid", One, Str, NonZero),
        f(3, "groups", Many, Str, NonZero),
        f(4, "extra", Map, Msg(&AUTHN_EXTRA_VALUE), NonZero),
    ],
};

pub static CERTS_CERTIFICATE_SIGNING_REQUEST_CONDITION: Message = Message {
    name: "CertificateSigningRequestCondition",
    fields: &[
        f(1, "type", One, Str, Always),
        f(6, "status", One, Str, Always),
        f(2, "reason", One, Str, NonZero),
        f(3, "message", One, Str, NonZero),
        f(4, "lastUpdateTime", One, Time, NonZero),
        f(5, "lastTransitionTime", One, Time, NonZero),
    ],
};

pub static ADMREG_WEBHOOK_CLIENT_CONFIG: Message = Message {
    name: "WebhookClientConfig",
    fields: &[
        f(3, "url", One, Str, Set),
        f(1, "service", One, Msg(&ADMREG_SERVICE_REFERENCE), Set),
        f(2, "caBundle", One, Bytes, NonZero),
    ],
};

pub static ADMREG_RULE_WITH_OPERATIONS: Message = Message {
    name: "RuleWithOperations",
    fields: &[
        f(1, "operations", Many, Str, NonZero),
        f(2, "rule", One, Msg(&ADMREG_RULE), Inline),
    ],
};

pub static ADMREG_MATCH_CONDITION: Message = Message {
    name: "MatchCondition",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "expression", One, Str, Always),
    ],
};

pub static ADMREG_PARAM_KIND: Message = Message {
    name: "ParamKind",
    fields: &[
        f(1, "apiVersion", One, Str, NonZero),
        f(2, "kind", One, Str, NonZero),
    ],
};

pub static ADMREG_MATCH_RESOURCES: Message = Message {
    name: "MatchResources",
    fields: &[
        f(1, "namespaceSelector", One, Msg(&META_LABEL_SELECTOR), Set),
        f(2, "objectSelector", One, Msg(&META_LABEL_SELECTOR), Set),
        f(
            3,
            "resourceRules",
            Many,
            Msg(&ADMREG_NAMED_RULE_WITH_OPERATIONS),
            NonZero,
        ),
        f(
            4,
            "excludeResourceRules",
            Many,
            Msg(&ADMREG_NAMED_RULE_WITH_OPERATIONS),
            NonZero,
        ),
        f(7, "matchPolicy", One, Str, Set),
    ],
};

pub static ADMREG_VALIDATION: Message = Message {
    name: "Validation",
    fields: &[
        f(1, "expression", One, Str, Always),
        f(2, "message", One, Str, NonZero),
        f(3, "reason", One, Str, Set),
        f(4, "messageExpression", One, Str, NonZero),
    ],
};

pub static ADMREG_AUDIT_ANNOTATION: Message = Message {
    name: "AuditAnnotation",
    fields: &[
        f(1, "key", One, Str, Always),
        f(2, "valueExpression", One, Str, Always),
    ],
};

pub static ADMREG_VARIABLE: Message = Message {
    name: "Variable",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "expression", One, Str, Always),
    ],
};

pub static ADMREG_TYPE_CHECKING: Message = Message {
    name: "TypeChecking",
    fields: &[f(
        1,
        "expressionWarnings",
        Many,
        Msg(&ADMREG_EXPRESSION_WARNING),
        NonZero,
    )],
};

pub static ADMREG_PARAM_REF: Message = Message {
    name: "ParamRef",
    fields: &[
        f(1, "name", One, Str, NonZero),
        f(2, "namespace", One, Str, NonZero),
        f(3, "selector", One, Msg(&META_LABEL_SELECTOR), Set),
        f(4, "parameterNotFoundAction", One, Str, Set),
    ],
};

pub static FLOW_PRIORITY_LEVEL_CONFIGURATION_REFERENCE: Message = Message {
    name: "PriorityLevelConfigurationReference",
    fields: &[f(1, "name", One, Str, Always)],
};

pub static FLOW_FLOW_DISTINGUISHER_METHOD: Message = Message {
    name: "FlowDistinguisherMethod",
    fields: &[f(1, "type", One, Str, Always)],
};

pub static FLOW_POLICY_RULES_WITH_SUBJECTS: Message = Message {
    name: "PolicyRulesWithSubjects",
    fields: &[
        f(1, "subjects", Many, Msg(&FLOW_SUBJECT), Always),
        f(
            2,
            "resourceRules",
            Many,
            Msg(&FLOW_RESOURCE_POLICY_RULE),
            NonZero,
        ),
        f(
            3,
            "nonResourceRules",
            Many,
            Msg(&FLOW_NON_RESOURCE_POLICY_RULE),
            NonZero,
        ),
    ],
};

pub static FLOW_FLOW_SCHEMA_CONDITION: Message = Message {
    name: "FlowSchemaCondition",
    fields: &[
        f(1, "type", One, Str, NonZero),
        f(2, "status", One, Str, NonZero),
        f(3, "lastTransitionTime", One, Time, NonZero),
        f(4, "reason", One, Str, NonZero),
        f(5, "message", One, Str, NonZero),
    ],
};

pub static FLOW_LIMITED_PRIORITY_LEVEL_CONFIGURATION: Message = Message {
    name: "LimitedPriorityLevelConfiguration",
    fields: &[
        f(1, "nominalConcurrencyShares", One, Int, Set),
        f(2, "limitResponse", One, Msg(&FLOW_LIMIT_RESPONSE), NonZero),
        f(3, "lendablePercent", One, Int, Set),
        f(4, "borrowingLimitPercent", One, Int, Set),
    ],
};

pub static FLOW_EXEMPT_PRIORITY_LEVEL_CONFIGURATION: Message = Message {
    name: "ExemptPriorityLevelConfiguration",
    fields: &[
        f(1, "nominalConcurrencyShares", One, Int, Set),
        f(2, "lendablePercent", One, Int, Set),
    ],
};

pub static FLOW_PRIORITY_LEVEL_CONFIGURATION_CONDITION: Message = Message {
    name: "PriorityLevelConfigurationCondition",
    fields: &[
        f(1, "type", One, Str, NonZero),
        f(2, "status", One, Str, NonZero),
        f(3, "lastTransitionTime", One, Time, NonZero),
        f(4, "reason", One, Str, NonZero),
        f(5, "message", One, Str, NonZero),
    ],
};

pub static CORE_CONFIG_MAP_NODE_CONFIG_SOURCE: Message = Message {
    name: "ConfigMapNodeConfigSource",
    fields: &[
        f(1, "namespace", One, Str, Always),
        f(2, "name", One, Str, Always),
        f(3, "uid", One, Str, NonZero),
        f(4, "resourceVersion", One, Str, NonZero),
        f(5, "kubeletConfigKey", One, Str, Always),
    ],
};

pub static CORE_DAEMON_ENDPOINT: Message = Message {
    name: "DaemonEndpoint",
    fields: &[f(1, "Port", One, Int, Always)],
};

pub static CORE_NODE_SWAP_STATUS: Message = Message {
    name: "NodeSwapStatus",
    fields: &[f(1, "capacity", One, Int, Set)],
};

pub static CORE_NODE_RUNTIME_HANDLER_FEATURES: Message = Message {
    name: "NodeRuntimeHandlerFeatures",
    fields: &[
        f(1, "recursiveReadOnlyMounts", One, Bool, Set),
        f(2, "userNamespaces", One, Bool, Set),
    ],
};

pub static CORE_VOLUME_SOURCE: Message = Message {
    name: "VolumeSource",
    fields: &[
        f(
            1,
            "hostPath",
            One,
            Msg(&CORE_HOST_PATH_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            2,
            "emptyDir",
            One,
            Msg(&CORE_EMPTY_DIR_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            3,
            "gcePersistentDisk",
            One,
            Msg(&CORE_GCE_PERSISTENT_DISK_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            4,
            "awsElasticBlockStore",
            One,
            Msg(&CORE_AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            5,
            "gitRepo",
            One,
            Msg(&CORE_GIT_REPO_VOLUME_SOURCE),
            NonZero,
        ),
        f(6, "secret", One, Msg(&CORE_SECRET_VOLUME_SOURCE), NonZero),
        f(7, "nfs", One, Msg(&CORE_NFS_VOLUME_SOURCE), NonZero),
        f(8, "iscsi", One, Msg(&CORE_ISCSI_VOLUME_SOURCE), NonZero),
        f(
            9,
            "glusterfs",
            One,
            Msg(&CORE_GLUSTERFS_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            10,
            "persistentVolumeClaim",
            One,
            Msg(&CORE_PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE),
            NonZero,
        ),
        f(11, "rbd", One, Msg(&CORE_RBD_VOLUME_SOURCE), NonZero),
        f(
            12,
            "flexVolume",
            One,
            Msg(&CORE_FLEX_VOLUME_SOURCE),
            NonZero,
        ),
        f(13, "cinder", One, Msg(&CORE_CINDER_VOLUME_SOURCE), NonZero),
        f(14, "cephfs", One, Msg(&CORE_CEPH_FS_VOLUME_SOURCE), NonZero),
        f(
            15,
            "flocker",
            One,
            Msg(&CORE_FLOCKER_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            16,
            "downwardAPI",
            One,
            Msg(&CORE_DOWNWARD_API_VOLUME_SOURCE),
            NonZero,
        ),
        f(17, "fc", One, Msg(&CORE_FC_VOLUME_SOURCE), NonZero),
        f(
            18,
            "azureFile",
            One,
            Msg(&CORE_AZURE_FILE_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            19,
            "configMap",
            One,
            Msg(&CORE_CONFIG_MAP_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            20,
            "vsphereVolume",
            One,
            Msg(&CORE_VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            21,
            "quobyte",
            One,
            Msg(&CORE_QUOBYTE_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            22,
            "azureDisk",
            One,
            Msg(&CORE_AZURE_DISK_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            23,
            "photonPersistentDisk",
            One,
            Msg(&CORE_PHOTON_PERSISTENT_DISK_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            26,
            "projected",
            One,
            Msg(&CORE_PROJECTED_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            24,
            "portworxVolume",
            One,
            Msg(&CORE_PORTWORX_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            25,
            "scaleIO",
            One,
            Msg(&CORE_SCALE_IO_VOLUME_SOURCE),
            NonZero,
        ),
        f(
            27,
            "storageos",
            One,
            Msg(&CORE_STORAGE_OS_VOLUME_SOURCE),
            NonZero,
        ),
        f(28, "csi", One, Msg(&CORE_CSI_VOLUME_SOURCE), NonZero),
        f(
            29,
            "ephemeral",
            One,
            Msg(&CORE_EPHEMERAL_VOLUME_SOURCE),
            NonZero,
        ),
        f(30, "image", One, Msg(&CORE_IMAGE_VOLUME_SOURCE), NonZero),
    ],
};

pub static CORE_CONTAINER_PORT: Message = Message {
    name: "ContainerPort",
    fields: &[
        f(1, "name", One, Str, NonZero),
        f(2, "hostPort", One, Int, NonZero),
        f(3, "containerPort", One, Int, Always),
        f(4, "protocol", One, Str, NonZero),
        f(5, "hostIP", One, Str, NonZero),
    ],
};

pub static CORE_ENV_FROM_SOURCE: Message = Message {
    name: "EnvFromSource",
    fields: &[
        f(1, "prefix", One, Str, NonZero),
        f(
            2,
            "configMapRef",
            One,
            Msg(&CORE_CONFIG_MAP_ENV_SOURCE),
            NonZero,
        ),
        f(3, "secretRef", One, Msg(&CORE_SECRET_ENV_SOURCE), NonZero),
    ],
};

pub static CORE_ENV_VAR: Message = Message {
    name: "EnvVar",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "value", One, Str, NonZero),
        f(3, "valueFrom", One, Msg(&CORE_ENV_VAR_SOURCE), NonZero),
    ],
};

pub static CORE_CONTAINER_RESIZE_POLICY: Message = Message {
    name: "ContainerResizePolicy",
    fields: &[
        f(1, "resourceName", One, Str, Always),
        f(2, "restartPolicy", One, Str, Always),
    ],
};

pub static CORE_VOLUME_MOUNT: Message = Message {
    name: "VolumeMount",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "readOnly", One, Bool, NonZero),
        f(7, "recursiveReadOnly", One, Str, Set),
        f(3, "mountPath", One, Str, Always),
        f(4, "subPath", One, Str, NonZero),
        f(5, "mountPropagation", One, Str, Set),
        f(6, "subPathExpr", One, Str, NonZero),
    ],
};

pub static CORE_VOLUME_DEVICE: Message = Message {
    name: "VolumeDevice",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "devicePath", One, Str, Always),
    ],
};

pub static CORE_PROBE: Message = Message {
    name: "Probe",
    fields: &[
        f(1, "handler", One, Msg(&CORE_PROBE_HANDLER), Inline),
        f(2, "initialDelaySeconds", One, Int, NonZero),
        f(3, "timeoutSeconds", One, Int, NonZero),
        f(4, "periodSeconds", One, Int, NonZero),
        f(5, "successThreshold", One, Int, NonZero),
        f(6, "failureThreshold", One, Int, NonZero),
        f(7, "terminationGracePeriodSeconds", One, Int, Set),
    ],
};

pub static CORE_LIFECYCLE: Message = Message {
    name: "Lifecycle",
    fields: &[
        f(1, "postStart", One, Msg(&CORE_LIFECYCLE_HANDLER), NonZero),
        f(2, "preStop", One, Msg(&CORE_LIFECYCLE_HANDLER), NonZero),
        f(3, "stopSignal", One, Str, Set),
    ],
};

pub static CORE_SECURITY_CONTEXT: Message = Message {
    name: "SecurityContext",
    fields: &[
        f(1, "capabilities", One, Msg(&CORE_CAPABILITIES), NonZero),
        f(2, "privileged", One, Bool, Set),
        f(
            3,
            "seLinuxOptions",
            One,
            Msg(&CORE_SE_LINUX_OPTIONS),
            NonZero,
        ),
        f(
            10,
            "windowsOptions",
            One,
            Msg(&CORE_WINDOWS_SECURITY_CONTEXT_OPTIONS),
            NonZero,
        ),
        f(4, "runAsUser", One, Int, Set),
        f(8, "runAsGroup", One, Int, Set),
        f(5, "runAsNonRoot", One, Bool, Set),
        f(6, "readOnlyRootFilesystem", One, Bool, Set),
        f(7, "allowPrivilegeEscalation", One, Bool, Set),
        f(9, "procMount", One, Str, Set),
        f(
            11,
            "seccompProfile",
            One,
            Msg(&CORE_SECCOMP_PROFILE),
            NonZero,
        ),
        f(
            12,
            "appArmorProfile",
            One,
            Msg(&CORE_APP_ARMOR_PROFILE),
            NonZero,
        ),
    ],
};

pub static CORE_EPHEMERAL_CONTAINER_COMMON: Message = Message {
    name: "EphemeralContainerCommon",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "image", One, Str, NonZero),
        f(3, "command", Many, Str, NonZero),
        f(4, "args", Many, Str, NonZero),
        f(5, "workingDir", One, Str, NonZero),
        f(6, "ports", Many, Msg(&CORE_CONTAINER_PORT), NonZero),
        f(19, "envFrom", Many, Msg(&CORE_ENV_FROM_SOURCE), NonZero),
        f(7, "env", Many, Msg(&CORE_ENV_VAR), NonZero),
        f(
            8,
            "resources",
            One,
            Msg(&CORE_RESOURCE_REQUIREMENTS),
            NonZero,
        ),
        f(
            23,
            "resizePolicy",
            Many,
            Msg(&CORE_CONTAINER_RESIZE_POLICY),
            NonZero,
        ),
        f(24, "restartPolicy", One, Str, Set),
        f(9, "volumeMounts", Many, Msg(&CORE_VOLUME_MOUNT), NonZero),
        f(21, "volumeDevices", Many, Msg(&CORE_VOLUME_DEVICE), NonZero),
        f(10, "livenessProbe", One, Msg(&CORE_PROBE), NonZero),
        f(11, "readinessProbe", One, Msg(&CORE_PROBE), NonZero),
        f(22, "startupProbe", One, Msg(&CORE_PROBE), NonZero),
        f(12, "lifecycle", One, Msg(&CORE_LIFECYCLE), NonZero),
        f(13, "terminationMessagePath", One, Str, NonZero),
        f(20, "terminationMessagePolicy", One, Str, NonZero),
        f(14, "imagePullPolicy", One, Str, NonZero),
        f(
            15,
            "securityContext",
            One,
            Msg(&CORE_SECURITY_CONTEXT),
            NonZero,
        ),
        f(16, "stdin", One, Bool, NonZero),
        f(17, "stdinOnce", One, Bool, NonZero),
        f(18, "tty", One, Bool, NonZero),
    ],
};

pub static CORE_SE_LINUX_OPTIONS: Message = Message {
    name: "SELinuxOptions",
    fields: &[
        f(1, "user", One, Str, NonZero),
        f(2, "role", One, Str, NonZero),
        f(3, "type", One, Str, NonZero),
        f(4, "level", One, Str, NonZero),
    ],
};

pub static CORE_WINDOWS_SECURITY_CONTEXT_OPTIONS: Message = Message {
    name: "WindowsSecurityContextOptions",
    fields: &[
        f(1, "gmsaCredentialSpecName", One, Str, Set),
        f(2, "gmsaCredentialSpec", One, Str, Set),
        f(3, "runAsUserName", One, Str, Set),
        f(4, "hostProcess", One, Bool, Set),
    ],
};

pub static CORE_SYSCTL: Message = Message {
    name: "Sysctl",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "value", One, Str, Always),
    ],
};

pub static CORE_SECCOMP_PROFILE: Message = Message {
    name: "SeccompProfile",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "localhostProfile", One, Str, Set),
    ],
};

pub static CORE_APP_ARMOR_PROFILE: Message = Message {
    name: "AppArmorProfile",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "localhostProfile", One, Str, Set),
    ],
};

pub static CORE_NODE_AFFINITY: Message = Message {
    name: "NodeAffinity",
    fields: &[
        f(
            1,
            "requiredDuringSchedulingIgnoredDuringExecution",
            One,
            Msg(&CORE_NODE_SELECTOR),
            NonZero,
        ),
        f(
            2,
            "preferredDuringSchedulingIgnoredDuringExecution",
            Many,
            Msg(&CORE_PREFERRED_SCHEDULING_TERM),
            NonZero,
        ),
    ],
};

pub static CORE_POD_AFFINITY: Message = Message {
    name: "PodAffinity",
    fields: &[
        f(
            1,
            "requiredDuringSchedulingIgnoredDuringExecution",
            Many,
            Msg(&CORE_POD_AFFINITY_TERM),
            NonZero,
        ),
        f(
            2,
            "preferredDuringSchedulingIgnoredDuringExecution",
            Many,
            Msg(&CORE_WEIGHTED_POD_AFFINITY_TERM),
            NonZero,
        ),
    ],
};

pub static CORE_POD_ANTI_AFFINITY: Message = Message {
    name: "PodAntiAffinity",
    fields: &[
        f(
            1,
            "requiredDuringSchedulingIgnoredDuringExecution",
            Many,
            Msg(&CORE_POD_AFFINITY_TERM),
            NonZero,
        ),
        f(
            2,
            "preferredDuringSchedulingIgnoredDuringExecution",
            Many,
            Msg(&CORE_WEIGHTED_POD_AFFINITY_TERM),
            NonZero,
        ),
    ],
};

pub static CORE_POD_DNS_CONFIG_OPTION: Message = Message {
    name: "PodDNSConfigOption",
    fields: &[
        f(1, "name", One, Str, NonZero),
        f(2, "value", One, Str, Set),
    ],
};

pub static CORE_RESOURCE_CLAIM: Message = Message {
    name: "ResourceClaim",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "request", One, Str, NonZero),
    ],
};

pub static CORE_CONTAINER_STATE: Message = Message {
    name: "ContainerState",
    fields: &[
        f(
            1,
            "waiting",
            One,
            Msg(&CORE_CONTAINER_STATE_WAITING),
            NonZero,
        ),
        f(
            2,
            "running",
            One,
            Msg(&CORE_CONTAINER_STATE_RUNNING),
            NonZero,
        ),
        f(
            3,
            "terminated",
            One,
            Msg(&CORE_CONTAINER_STATE_TERMINATED),
            NonZero,
        ),
    ],
};

pub static CORE_VOLUME_MOUNT_STATUS: Message = Message {
    name: "VolumeMountStatus",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "mountPath", One, Str, Always),
        f(3, "readOnly", One, Bool, NonZero),
        f(4, "recursiveReadOnly", One, Str, Set),
    ],
};

pub static CORE_CONTAINER_USER: Message = Message {
    name: "ContainerUser",
    fields: &[f(1, "linux", One, Msg(&CORE_LINUX_CONTAINER_USER), NonZero)],
};

pub static CORE_RESOURCE_STATUS: Message = Message {
    name: "ResourceStatus",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "resources", Many, Msg(&CORE_RESOURCE_HEALTH), NonZero),
    ],
};

pub static CORE_SCOPED_RESOURCE_SELECTOR_REQUIREMENT: Message = Message {
    name: "ScopedResourceSelectorRequirement",
    fields: &[
        f(1, "scopeName", One, Str, Always),
        f(2, "operator", One, Str, Always),
        f(3, "values", Many, Str, NonZero),
    ],
};

pub static CORE_CLIENT_IP_CONFIG: Message = Message {
    name: "ClientIPConfig",
    fields: &[f(1, "timeoutSeconds", One, Int, Set)],
};

pub static CORE_LOAD_BALANCER_INGRESS: Message = Message {
    name: "LoadBalancerIngress",
    fields: &[
        f(1, "ip", One, Str, NonZero),
        f(2, "hostname", One, Str, NonZero),
        f(3, "ipMode", One, Str, Set),
        f(4, "ports", Many, Msg(&CORE_PORT_STATUS), NonZero),
    ],
};

pub static APPS_ROLLING_UPDATE_DAEMON_SET: Message = Message {
    name: "RollingUpdateDaemonSet",
    fields: &[
        f(1, "maxUnavailable", One, IntOrString, NonZero),
        f(2, "maxSurge", One, IntOrString, NonZero),
    ],
};

pub static APPS_ROLLING_UPDATE_DEPLOYMENT: Message = Message {
    name: "RollingUpdateDeployment",
    fields: &[
        f(1, "maxUnavailable", One, IntOrString, NonZero),
        f(2, "maxSurge", One, IntOrString, NonZero),
    ],
};

pub static CORE_GCE_PERSISTENT_DISK_VOLUME_SOURCE: Message = Message {
    name: "GCEPersistentDiskVolumeSource",
    fields: &[
        f(1, "pdName", One, Str, Always),
        f(2, "fsType", One, Str, NonZero),
        f(3, "partition", One, Int, NonZero),
        f(4, "readOnly", One, Bool, NonZero),
    ],
};

pub static CORE_AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE: Message = Message {
    name: "AWSElasticBlockStoreVolumeSource",
    fields: &[
        f(1, "volumeID", One, Str, Always),
        f(2, "fsType", One, Str, NonZero),
        f(3, "partition", One, Int, NonZero),
        f(4, "readOnly", One, Bool, NonZero),
    ],
};

pub static CORE_HOST_PATH_VOLUME_SOURCE: Message = Message {
    name: "HostPathVolumeSource",
    fields: &[f(1, "path", One, Str, Always), f(2, "type", One, Str, Set)],
};

pub static CORE_GLUSTERFS_PERSISTENT_VOLUME_SOURCE: Message = Message {
    name: "GlusterfsPersistentVolumeSource",
    fields: &[
        f(1, "endpoints", One, Str, NonZero),
        f(2, "path", One, Str, NonZero),
        f(3, "readOnly", One, Bool, NonZero),
        f(4, "endpointsNamespace", One, Str, NonZero),
    ],
};

pub static CORE_NFS_VOLUME_SOURCE: Message = Message {
    name: "NFSVolumeSource",
    fields: &[
        f(1, "server", One, Str, Always),
        f(2, "path", One, Str, Always),
        f(3, "readOnly", One, Bool, NonZero),
    ],
};

pub static CORE_RBD_PERSISTENT_VOLUME_SOURCE: Message = Message {
    name: "RBDPersistentVolumeSource",
    fields: &[
        f(1, "monitors", Many, Str, NonZero),
        f(2, "image", One, Str, NonZero),
        f(3, "fsType", One, Str, NonZero),
        f(4, "pool", One, Str, NonZero),
        f(5, "user", One, Str, NonZero),
        f(6, "keyring", One, Str, NonZero),
        f(7, "secretRef", One, Msg(&CORE_SECRET_REFERENCE), NonZero),
        f(8, "readOnly", One, Bool, NonZero),
    ],
};

pub static CORE_ISCSI_PERSISTENT_VOLUME_SOURCE: Message = Message {
    name: "ISCSIPersistentVolumeSource",
    fields: &[
        f(1, "targetPortal", One, Str, NonZero),
        f(2, "iqn", One, Str, NonZero),
        f(3, "lun", One, Int, NonZero),
        f(4, "iscsiInterface", One, Str, NonZero),
        f(5, "fsType", One, Str, NonZero),
        f(6, "readOnly", One, Bool, NonZero),
        f(7, "portals", Many, Str, NonZero),
        f(8, "chapAuthDiscovery", One, Bool, NonZero),
        f(11, "chapAuthSession", One, Bool, NonZero),
        f(10, "secretRef", One, Msg(&CORE_SECRET_REFERENCE), NonZero),
        f(12, "initiatorName", One, Str, NonZero),
    ],
};

pub static CORE_CINDER_PERSISTENT_VOLUME_SOURCE: Message = Message {
    name: "CinderPersistentVolumeSource",
    fields: &[
        f(1, "volumeID", One, Str, NonZero),
        f(2, "fsType", One, Str, NonZero),
        f(3, "readOnly", One, Bool, NonZero),
        f(4, "secretRef", One, Msg(&CORE_SECRET_REFERENCE), NonZero),
    ],
};

pub static CORE_CEPH_FS_PERSISTENT_VOLUME_SOURCE: Message = Message {
    name: "CephFSPersistentVolumeSource",
    fields: &[
        f(1, "monitors", Many, Str, NonZero),
        f(2, "path", One, Str, NonZero),
        f(3, "user", One, Str, NonZero),
        f(4, "secretFile", One, Str, NonZero),
        f(5, "secretRef", One, Msg(&CORE_SECRET_REFERENCE), NonZero),
        f(6, "readOnly", One, Bool, NonZero),
    ],
};

pub static CORE_FC_VOLUME_SOURCE: Message = Message {
    name: "FCVolumeSource",
    fields: &[
        f(1, "targetWWNs", Many, Str, NonZero),
        f(2, "lun", One, Int, Set),
        f(3, "fsType", One, Str, NonZero),
        f(4, "readOnly", One, Bool, NonZero),
        f(5, "wwids", Many, Str, NonZero),
    ],
};

pub static CORE_FLOCKER_VOLUME_SOURCE: Message = Message {
    name: "FlockerVolumeSource",
    fields: &[
        f(1, "datasetName", One, Str, NonZero),
        f(2, "datasetUUID", One, Str, NonZero),
    ],
};

pub static CORE_FLEX_PERSISTENT_VOLUME_SOURCE: Message = Message {
    name: "FlexPersistentVolumeSource",
    fields: &[
        f(1, "driver", One, Str, NonZero),
        f(2, "fsType", One, Str, NonZero),
        f(3, "secretRef", One, Msg(&CORE_SECRET_REFERENCE), NonZero),
        f(4, "readOnly", One, Bool, NonZero),
        f(5, "options", Map, Str, NonZero),
    ],
};

pub static CORE_AZURE_FILE_PERSISTENT_VOLUME_SOURCE: Message = Message {
    name: "AzureFilePersistentVolumeSource",
    fields: &[
        f(1, "secretName", One, Str, NonZero),
        f(2, "shareName", One, Str, NonZero),
        f(3, "readOnly", One, Bool, NonZero),
        f(4, "secretNamespace", One, Str, NonZero),
    ],
};

pub static CORE_VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE: Message = Message {
    name: "VsphereVirtualDiskVolumeSource",
    fields: &[
        f(1, "volumePath", One, Str, Always),
        f(2, "fsType", One, Str, NonZero),
        f(3, "storagePolicyName", One, Str, NonZero),
        f(4, "storagePolicyID", One, Str, NonZero),
    ],
};

pub static CORE_QUOBYTE_VOLUME_SOURCE: Message = Message {
    name: "QuobyteVolumeSource",
    fields: &[
        f(1, "registry", One, Str, Always),
        f(2, "volume", One, Str, Always),
        f(3, "readOnly", One, Bool, NonZero),
        f(4, "user", One, Str, NonZero),
        f(5, "group", One, Str, NonZero),
        f(6, "tenant", One, Str, NonZero),
    ],
};

pub static CORE_AZURE_DISK_VOLUME_SOURCE: Message = Message {
    name: "AzureDiskVolumeSource",
    fields: &[
        f(1, "diskName", One, Str, Always),
        f(2, "diskURI", One, Str, Always),
        f(3, "cachingMode", One, Str, Set),
        f(4, "fsType", One, Str, Set),
        f(5, "readOnly", One, Bool, Set),
        f(6, "kind", One, Str, Set),
    ],
};

pub static CORE_PHOTON_PERSISTENT_DISK_VOLUME_SOURCE: Message = Message {
    name: "PhotonPersistentDiskVolumeSource",
    fields: &[
        f(1, "pdID", One, Str, Always),
        f(2, "fsType", One, Str, NonZero),
    ],
};

pub static CORE_PORTWORX_VOLUME_SOURCE: Message = Message {
    name: "PortworxVolumeSource",
    fields: &[
        f(1, "volumeID", One, Str, Always),
        f(2, "fsType", One, Str, NonZero),
        f(3, "readOnly", One, Bool, NonZero),
    ],
};

pub static CORE_SCALE_IO_PERSISTENT_VOLUME_SOURCE: Message = Message {
    name: "ScaleIOPersistentVolumeSource",
    fields: &[
        f(1, "gateway", One, Str, NonZero),
        f(2, "system", One, Str, NonZero),
        f(3, "secretRef", One, Msg(&CORE_SECRET_REFERENCE), NonZero),
        f(4, "sslEnabled", One, Bool, NonZero),
        f(5, "protectionDomain", One, Str, NonZero),
        f(6, "storagePool", One, Str, NonZero),
        f(7, "storageMode", One, Str, NonZero),
        f(8, "volumeName", One, Str, NonZero),
        f(9, "fsType", One, Str, NonZero),
        f(10, "readOnly", One, Bool, NonZero),
    ],
};

pub static CORE_LOCAL_VOLUME_SOURCE: Message = Message {
    name: "LocalVolumeSource",
    fields: &[
        f(1, "path", One, Str, Always),
        f(2, "fsType", One, Str, Set),
    ],
};

pub static CORE_STORAGE_OS_PERSISTENT_VOLUME_SOURCE: Message = Message {
    name: "StorageOSPersistentVolumeSource",
    fields: &[
        f(1, "volumeName", One, Str, NonZero),
        f(2, "volumeNamespace", One, Str, NonZero),
        f(3, "fsType", One, Str, NonZero),
        f(4, "readOnly", One, Bool, NonZero),
        f(5, "secretRef", One, Msg(&CORE_OBJECT_REFERENCE), NonZero),
    ],
};

pub static CORE_CSI_PERSISTENT_VOLUME_SOURCE: Message = Message {
    name: "CSIPersistentVolumeSource",
    fields: &[
        f(1, "driver", One, Str, Always),
        f(2, "volumeHandle", One, Str, Always),
        f(3, "readOnly", One, Bool, NonZero),
        f(4, "fsType", One, Str, NonZero),
        f(5, "volumeAttributes", Map, Str, NonZero),
        f(
            6,
            "controllerPublishSecretRef",
            One,
            Msg(&CORE_SECRET_REFERENCE),
            NonZero,
        ),
        f(
            7,
            "nodeStageSecretRef",
            One,
            Msg(&CORE_SECRET_REFERENCE),
            NonZero,
        ),
        f(
            8,
            "nodePublishSecretRef",
            One,
            Msg(&CORE_SECRET_REFERENCE),
            NonZero,
        ),
        f(
            9,
            "controllerExpandSecretRef",
            One,
            Msg(&CORE_SECRET_REFERENCE),
            NonZero,
        ),
        f(
            10,
            "nodeExpandSecretRef",
            One,
            Msg(&CORE_SECRET_REFERENCE),
            NonZero,
        ),
    ],
};

pub static CORE_NODE_SELECTOR: Message = Message {
    name: "NodeSelector",
    fields: &[f(
        1,
        "nodeSelectorTerms",
        Many,
        Msg(&CORE_NODE_SELECTOR_TERM),
        Always,
    )],
};

pub static APPS_ROLLING_UPDATE_STATEFUL_SET_STRATEGY: Message = Message {
    name: "RollingUpdateStatefulSetStrategy",
    fields: &[
        f(1, "partition", One, Int, Set),
        f(2, "maxUnavailable", One, IntOrString, NonZero),
    ],
};

pub static STORAGE_VOLUME_NODE_RESOURCES: Message = Message {
    name: "VolumeNodeResources",
    fields: &[f(1, "count", One, Int, Set)],
};

pub static HPA_OBJECT_METRIC_SOURCE: Message = Message {
    name: "ObjectMetricSource",
    fields: &[
        f(
            1,
            "describedObject",
            One,
            Msg(&HPA_CROSS_VERSION_OBJECT_REFERENCE),
            Always,
        ),
        f(2, "target", One, Msg(&HPA_METRIC_TARGET), Always),
        f(3, "metric", One, Msg(&HPA_METRIC_IDENTIFIER), Always),
    ],
};

pub static HPA_PODS_METRIC_SOURCE: Message = Message {
    name: "PodsMetricSource",
    fields: &[
        f(1, "metric", One, Msg(&HPA_METRIC_IDENTIFIER), Always),
        f(2, "target", One, Msg(&HPA_METRIC_TARGET), Always),
    ],
};

pub static HPA_RESOURCE_METRIC_SOURCE: Message = Message {
    name: "ResourceMetricSource",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "target", One, Msg(&HPA_METRIC_TARGET), Always),
    ],
};

pub static HPA_CONTAINER_RESOURCE_METRIC_SOURCE: Message = Message {
    name: "ContainerResourceMetricSource",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "target", One, Msg(&HPA_METRIC_TARGET), Always),
        f(3, "container", One, Str, Always),
    ],
};

pub static HPA_EXTERNAL_METRIC_SOURCE: Message = Message {
    name: "ExternalMetricSource",
    fields: &[
        f(1, "metric", One, Msg(&HPA_METRIC_IDENTIFIER), Always),
        f(2, "target", One, Msg(&HPA_METRIC_TARGET), Always),
    ],
};

pub static HPA_HPA_SCALING_RULES: Message = Message {
    name: "HPAScalingRules",
    fields: &[
        f(3, "stabilizationWindowSeconds", One, Int, Set),
        f(1, "selectPolicy", One, Str, Set),
        f(2, "policies", Many, Msg(&HPA_HPA_SCALING_POLICY), NonZero),
        f(4, "tolerance", One, Quantity, NonZero),
    ],
};

pub static HPA_OBJECT_METRIC_STATUS: Message = Message {
    name: "ObjectMetricStatus",
    fields: &[
        f(1, "metric", One, Msg(&HPA_METRIC_IDENTIFIER), Always),
        f(2, "current", One, Msg(&HPA_METRIC_VALUE_STATUS), Always),
        f(
            3,
            "describedObject",
            One,
            Msg(&HPA_CROSS_VERSION_OBJECT_REFERENCE),
            Always,
        ),
    ],
};

pub static HPA_PODS_METRIC_STATUS: Message = Message {
    name: "PodsMetricStatus",
    fields: &[
        f(1, "metric", One, Msg(&HPA_METRIC_IDENTIFIER), Always),
        f(2, "current", One, Msg(&HPA_METRIC_VALUE_STATUS), Always),
    ],
};

pub static HPA_RESOURCE_METRIC_STATUS: Message = Message {
    name: "ResourceMetricStatus",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "current", One, Msg(&HPA_METRIC_VALUE_STATUS), Always),
    ],
};

pub static HPA_CONTAINER_RESOURCE_METRIC_STATUS: Message = Message {
    name: "ContainerResourceMetricStatus",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "current", One, Msg(&HPA_METRIC_VALUE_STATUS), Always),
        f(3, "container", One, Str, Always),
    ],
};

pub static HPA_EXTERNAL_METRIC_STATUS: Message = Message {
    name: "ExternalMetricStatus",
    fields: &[
        f(1, "metric", One, Msg(&HPA_METRIC_IDENTIFIER), Always),
        f(2, "current", One, Msg(&HPA_METRIC_VALUE_STATUS), Always),
    ],
};

pub static DISC_FOR_ZONE: Message = Message {
    name: "ForZone",
    fields: &[f(1, "name", One, Str, Always)],
};

pub static DISC_FOR_NODE: Message = Message {
    name: "ForNode",
    fields: &[f(1, "name", One, Str, Always)],
};

pub static BATCH_POD_FAILURE_POLICY_RULE: Message = Message {
    name: "PodFailurePolicyRule",
    fields: &[
        f(1, "action", One, Str, Always),
        f(
            2,
            "onExitCodes",
            One,
            Msg(&BATCH_POD_FAILURE_POLICY_ON_EXIT_CODES_REQUIREMENT),
            NonZero,
        ),
        f(
            3,
            "onPodConditions",
            Many,
            Msg(&BATCH_POD_FAILURE_POLICY_ON_POD_CONDITIONS_PATTERN),
            NonZero,
        ),
    ],
};

pub static BATCH_SUCCESS_POLICY_RULE: Message = Message {
    name: "SuccessPolicyRule",
    fields: &[
        f(1, "succeededIndexes", One, Str, Set),
        f(2, "succeededCount", One, Int, Set),
    ],
};

pub static NET_INGRESS_SERVICE_BACKEND: Message = Message {
    name: "IngressServiceBackend",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "port", One, Msg(&NET_SERVICE_BACKEND_PORT), NonZero),
    ],
};

pub static NET_INGRESS_RULE_VALUE: Message = Message {
    name: "IngressRuleValue",
    fields: &[f(
        1,
        "http",
        One,
        Msg(&NET_HTTP_INGRESS_RULE_VALUE),
        NonZero,
    )],
};

pub static NET_INGRESS_LOAD_BALANCER_INGRESS: Message = Message {
    name: "IngressLoadBalancerIngress",
    fields: &[
        f(1, "ip", One, Str, NonZero),
        f(2, "hostname", One, Str, NonZero),
        f(4, "ports", Many, Msg(&NET_INGRESS_PORT_STATUS), NonZero),
    ],
};

pub static NET_NETWORK_POLICY_PORT: Message = Message {
    name: "NetworkPolicyPort",
    fields: &[
        f(1, "protocol", One, Str, Set),
        f(2, "port", One, IntOrString, NonZero),
        f(3, "endPort", One, Int, Set),
    ],
};

pub static NET_NETWORK_POLICY_PEER: Message = Message {
    name: "NetworkPolicyPeer",
    fields: &[
        f(1, "podSelector", One, Msg(&META_LABEL_SELECTOR), NonZero),
        f(
            2,
            "namespaceSelector",
            One,
            Msg(&META_LABEL_SELECTOR),
            NonZero,
        ),
        f(3, "ipBlock", One, Msg(&NET_IP_BLOCK), NonZero),
    ],
};

pub static CERTS_EXTRA_VALUE: Message = Message {
    name: "ExtraValue",
    fields: &[f(1, "items", Many, Str, NonZero)],
};

pub static ADMREG_SERVICE_REFERENCE: Message = Message {
    name: "ServiceReference",
    fields: &[
        f(1, "namespace", One, Str, Always),
        f(2, "name", One, Str, Always),
        f(3, "path", One, Str, Set),
        f(4, "port", One, Int, Set),
    ],
};

pub static ADMREG_RULE: Message = Message {
    name: "Rule",
    fields: &[
        f(1, "apiGroups", Many, Str, NonZero),
        f(2, "apiVersions", Many, Str, NonZero),
        f(3, "resources", Many, Str, NonZero),
        f(4, "scope", One, Str, Set),
    ],
};

pub static ADMREG_NAMED_RULE_WITH_OPERATIONS: Message = Message {
    name: "NamedRuleWithOperations",
    fields: &[
        f(1, "resourceNames", Many, Str, NonZero),
        f(
            2,
            "ruleWithOperations",
            One,
            Msg(&ADMREG_RULE_WITH_OPERATIONS),
            Inline,
        ),
    ],
};

pub static ADMREG_EXPRESSION_WARNING: Message = Message {
    name: "ExpressionWarning",
    fields: &[
        f(2, "fieldRef", One, Str, Always),
        f(3, "warning", One, Str, Always),
    ],
};

pub static FLOW_SUBJECT: Message = Message {
    name: "Subject",
    fields: &[
        f(1, "kind", One, Str, Always),
        f(2, "user", One, Msg(&FLOW_USER_SUBJECT), NonZero),
        f(3, "group", One, Msg(&FLOW_GROUP_SUBJECT), NonZero),
        f(
            4,
            "serviceAccount",
            One,
            Msg(&FLOW_SERVICE_ACCOUNT_SUBJECT),
            NonZero,
        ),
    ],
};

pub static FLOW_RESOURCE_POLICY_RULE: Message = Message {
    name: "ResourcePolicyRule",
    fields: &[
        f(1, "verbs", Many, Str, Always),
        f(2, "apiGroups", Many, Str, Always),
        f(3, "resources", Many, Str, Always),
        f(4, "clusterScope", One, Bool, NonZero),
        f(5, "namespaces", Many, Str, NonZero),
    ],
};

pub static FLOW_NON_RESOURCE_POLICY_RULE: Message = Message {
    name: "NonResourcePolicyRule",
    fields: &[
        f(1, "verbs", Many, Str, Always),
        f(6, "nonResourceURLs", Many, Str, Always),
    ],
};

pub static FLOW_LIMIT_RESPONSE: Message = Message {
    name: "LimitResponse",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "queuing", One, Msg(&FLOW_QUEUING_CONFIGURATION), NonZero),
    ],
};

pub static CORE_EMPTY_DIR_VOLUME_SOURCE: Message = Message {
    name: "EmptyDirVolumeSource",
    fields: &[
        f(1, "medium", One, Str, NonZero),
        f(2, "sizeLimit", One, Quantity, NonZero),
    ],
};

pub static CORE_GIT_REPO_VOLUME_SOURCE: Message = Message {
    name: "GitRepoVolumeSource",
    fields: &[
        f(1, "repository", One, Str, Always),
        f(2, "revision", One, Str, NonZero),
        f(3, "directory", One, Str, NonZero),
    ],
};

pub static CORE_SECRET_VOLUME_SOURCE: Message = Message {
    name: "SecretVolumeSource",
    fields: &[
        f(1, "secretName", One, Str, NonZero),
        f(2, "items", Many, Msg(&CORE_KEY_TO_PATH), NonZero),
        f(3, "defaultMode", One, Int, Set),
        f(4, "optional", One, Bool, Set),
    ],
};

pub static CORE_ISCSI_VOLUME_SOURCE: Message = Message {
    name: "ISCSIVolumeSource",
    fields: &[
        f(1, "targetPortal", One, Str, Always),
        f(2, "iqn", One, Str, Always),
        f(3, "lun", One, Int, Always),
        f(4, "iscsiInterface", One, Str, NonZero),
        f(5, "fsType", One, Str, NonZero),
        f(6, "readOnly", One, Bool, NonZero),
        f(7, "portals", Many, Str, NonZero),
        f(8, "chapAuthDiscovery", One, Bool, NonZero),
        f(11, "chapAuthSession", One, Bool, NonZero),
        f(
            10,
            "secretRef",
            One,
            Msg(&CORE_LOCAL_OBJECT_REFERENCE),
            NonZero,
        ),
        f(12, "initiatorName", One, Str, Set),
    ],
};

pub static CORE_GLUSTERFS_VOLUME_SOURCE: Message = Message {
    name: "GlusterfsVolumeSource",
    fields: &[
        f(1, "endpoints", One, Str, Always),
        f(2, "path", One, Str, Always),
        f(3, "readOnly", One, Bool, NonZero),
    ],
};

pub static CORE_PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE: Message = Message {
    name: "PersistentVolumeClaimVolumeSource",
    fields: &[
        f(1, "claimName", One, Str, Always),
        f(2, "readOnly", One, Bool, NonZero),
    ],
};

pub static CORE_RBD_VOLUME_SOURCE: Message = Message {
    name: "RBDVolumeSource",
    fields: &[
        f(1, "monitors", Many, Str, Always),
        f(2, "image", One, Str, Always),
        f(3, "fsType", One, Str, NonZero),
        f(4, "pool", One, Str, NonZero),
        f(5, "user", One, Str, NonZero),
        f(6, "keyring", One, Str, NonZero),
        f(
            7,
            "secretRef",
            One,
            Msg(&CORE_LOCAL_OBJECT_REFERENCE),
            NonZero,
        ),
        f(8, "readOnly", One, Bool, NonZero),
    ],
};

pub static CORE_FLEX_VOLUME_SOURCE: Message = Message {
    name: "FlexVolumeSource",
    fields: &[
        f(1, "driver", One, Str, Always),
        f(2, "fsType", One, Str, NonZero),
        f(
            3,
            "secretRef",
            One,
            Msg(&CORE_LOCAL_OBJECT_REFERENCE),
            NonZero,
        ),
        f(4, "readOnly", One, Bool, NonZero),
        f(5, "options", Map, Str, NonZero),
    ],
};

pub static CORE_CINDER_VOLUME_SOURCE: Message = Message {
    name: "CinderVolumeSource",
    fields: &[
        f(1, "volumeID", One, Str, Always),
        f(2, "fsType", One, Str, NonZero),
        f(3, "readOnly", One, Bool, NonZero),
        f(
            4,
            "secretRef",
            One,
            Msg(&CORE_LOCAL_OBJECT_REFERENCE),
            NonZero,
        ),
    ],
};

pub static CORE_CEPH_FS_VOLUME_SOURCE: Message = Message {
    name: "CephFSVolumeSource",
    fields: &[
        f(1, "monitors", Many, Str, Always),
        f(2, "path", One, Str, NonZero),
        f(3, "user", One, Str, NonZero),
        f(4, "secretFile", One, Str, NonZero),
        f(
            5,
            "secretRef",
            One,
            Msg(&CORE_LOCAL_OBJECT_REFERENCE),
            NonZero,
        ),
        f(6, "readOnly", One, Bool, NonZero),
    ],
};

pub static CORE_DOWNWARD_API_VOLUME_SOURCE: Message = Message {
    name: "DownwardAPIVolumeSource",
    fields: &[
        f(
            1,
            "items",
            Many,
            Msg(&CORE_DOWNWARD_API_VOLUME_FILE),
            NonZero,
        ),
        f(2, "defaultMode", One, Int, Set),
    ],
};

pub static CORE_AZURE_FILE_VOLUME_SOURCE: Message = Message {
    name: "AzureFileVolumeSource",
    fields: &[
        f(1, "secretName", One, Str, Always),
        f(2, "shareName", One, Str, Always),
        f(3, "readOnly", One, Bool, NonZero),
    ],
};

pub static CORE_CONFIG_MAP_VOLUME_SOURCE: Message = Message {
    name: "ConfigMapVolumeSource",
    fields: &[
        f(
            1,
            "localObjectReference",
            One,
            Msg(&CORE_LOCAL_OBJECT_REFERENCE),
            Inline,
        ),
        f(2, "items", Many, Msg(&CORE_KEY_TO_PATH), NonZero),
        f(3, "defaultMode", One, Int, Set),
        f(4, "optional", One, Bool, Set),
    ],
};

pub static CORE_PROJECTED_VOLUME_SOURCE: Message = Message {
    name: "ProjectedVolumeSource",
    fields: &[
        f(1, "sources", Many, Msg(&CORE_VOLUME_PROJECTION), NonZero),
        f(2, "defaultMode", One, Int, Set),
    ],
};

pub static CORE_SCALE_IO_VOLUME_SOURCE: Message = Message {
    name: "ScaleIOVolumeSource",
    fields: &[
        f(1, "gateway", One, Str, Always),
        f(2, "system", One, Str, Always),
        f(
            3,
            "secretRef",
            One,
            Msg(&CORE_LOCAL_OBJECT_REFERENCE),
            NonZero,
        ),
        f(4, "sslEnabled", One, Bool, NonZero),
        f(5, "protectionDomain", One, Str, NonZero),
        f(6, "storagePool", One, Str, NonZero),
        f(7, "storageMode", One, Str, NonZero),
        f(8, "volumeName", One, Str, NonZero),
        f(9, "fsType", One, Str, NonZero),
        f(10, "readOnly", One, Bool, NonZero),
    ],
};

pub static CORE_STORAGE_OS_VOLUME_SOURCE: Message = Message {
    name: "StorageOSVolumeSource",
    fields: &[
        f(1, "volumeName", One, Str, NonZero),
        f(2, "volumeNamespace", One, Str, NonZero),
        f(3, "fsType", One, Str, NonZero),
        f(4, "readOnly", One, Bool, NonZero),
        f(
            5,
            "secretRef",
            One,
            Msg(&CORE_LOCAL_OBJECT_REFERENCE),
            NonZero,
        ),
    ],
};

pub static CORE_CSI_VOLUME_SOURCE: Message = Message {
    name: "CSIVolumeSource",
    fields: &[
        f(1, "driver", One, Str, Always),
        f(2, "readOnly", One, Bool, Set),
        f(3, "fsType", One, Str, Set),
        f(4, "volumeAttributes", Map, Str, NonZero),
        f(
            5,
            "nodePublishSecretRef",
            One,
            Msg(&CORE_LOCAL_OBJECT_REFERENCE),
            NonZero,
        ),
    ],
};

pub static CORE_EPHEMERAL_VOLUME_SOURCE: Message = Message {
    name: "EphemeralVolumeSource",
    fields: &[f(
        1,
        "volumeClaimTemplate",
        One,
        Msg(&CORE_PERSISTENT_VOLUME_CLAIM_TEMPLATE),
        NonZero,
    )],
};

pub static CORE_IMAGE_VOLUME_SOURCE: Message = Message {
    name: "ImageVolumeSource",
    fields: &[
        f(1, "reference", One, Str, NonZero),
        f(2, "pullPolicy", One, Str, NonZero),
    ],
};

pub static CORE_CONFIG_MAP_ENV_SOURCE: Message = Message {
    name: "ConfigMapEnvSource",
    fields: &[
        f(
            1,
            "localObjectReference",
            One,
            Msg(&CORE_LOCAL_OBJECT_REFERENCE),
            Inline,
        ),
        f(2, "optional", One, Bool, Set),
    ],
};

pub static CORE_SECRET_ENV_SOURCE: Message = Message {
    name: "SecretEnvSource",
    fields: &[
        f(
            1,
            "localObjectReference",
            One,
            Msg(&CORE_LOCAL_OBJECT_REFERENCE),
            Inline,
        ),
        f(2, "optional", One, Bool, Set),
    ],
};

pub static CORE_ENV_VAR_SOURCE: Message = Message {
    name: "EnvVarSource",
    fields: &[
        f(
            1,
            "fieldRef",
            One,
            Msg(&CORE_OBJECT_FIELD_SELECTOR),
            NonZero,
        ),
        f(
            2,
            "resourceFieldRef",
            One,
            Msg(&CORE_RESOURCE_FIELD_SELECTOR),
            NonZero,
        ),
        f(
            3,
            "configMapKeyRef",
            One,
            Msg(&CORE_CONFIG_MAP_KEY_SELECTOR),
            NonZero,
        ),
        f(
            4,
            "secretKeyRef",
            One,
            Msg(&CORE_SECRET_KEY_SELECTOR),
            NonZero,
        ),
    ],
};

pub static CORE_PROBE_HANDLER: Message = Message {
    name: "ProbeHandler",
    fields: &[
        f(1, "exec", One, Msg(&CORE_EXEC_ACTION), NonZero),
        f(2, "httpGet", One, Msg(&CORE_HTTP_GET_ACTION), NonZero),
        f(3, "tcpSocket", One, Msg(&CORE_TCP_SOCKET_ACTION), NonZero),
        f(4, "grpc", One, Msg(&CORE_GRPC_ACTION), NonZero),
    ],
};

pub static CORE_LIFECYCLE_HANDLER: Message = Message {
    name: "LifecycleHandler",
    fields: &[
        f(1, "exec", One, Msg(&CORE_EXEC_ACTION), NonZero),
        f(2, "httpGet", One, Msg(&CORE_HTTP_GET_ACTION), NonZero),
        f(3, "tcpSocket", One, Msg(&CORE_TCP_SOCKET_ACTION), NonZero),
        f(4, "sleep", One, Msg(&CORE_SLEEP_ACTION), NonZero),
    ],
};

pub static CORE_CAPABILITIES: Message = Message {
    name: "Capabilities",
    fields: &[
        f(1, "add", Many, Str, NonZero),
        f(2, "drop", Many, Str, NonZero),
    ],
};

pub static CORE_PREFERRED_SCHEDULING_TERM: Message = Message {
    name: "PreferredSchedulingTerm",
    fields: &[
        f(1, "weight", One, Int, Always),
        f(2, "preference", One, Msg(&CORE_NODE_SELECTOR_TERM), NonZero),
    ],
};

pub static CORE_POD_AFFINITY_TERM: Message = Message {
    name: "PodAffinityTerm",
    fields: &[
        f(1, "labelSelector", One, Msg(&META_LABEL_SELECTOR), NonZero),
        f(2, "namespaces", Many, Str, NonZero),
        f(3, "topologyKey", One, Str, Always),
        f(
            4,
            "namespaceSelector",
            One,
            Msg(&META_LABEL_SELECTOR),
            NonZero,
        ),
        f(5, "matchLabelKeys", Many, Str, NonZero),
        f(6, "mismatchLabelKeys", Many, Str, NonZero),
    ],
};

pub static CORE_WEIGHTED_POD_AFFINITY_TERM: Message = Message {
    name: "WeightedPodAffinityTerm",
    fields: &[
        f(1, "weight", One, Int, Always),
        f(
            2,
            "podAffinityTerm",
            One,
            Msg(&CORE_POD_AFFINITY_TERM),
            NonZero,
        ),
    ],
};

pub static CORE_CONTAINER_STATE_WAITING: Message = Message {
    name: "ContainerStateWaiting",
    fields: &[
        f(1, "reason", One, Str, NonZero),
        f(2, "message", One, Str, NonZero),
    ],
};

pub static CORE_CONTAINER_STATE_RUNNING: Message = Message {
    name: "ContainerStateRunning",
    fields: &[f(1, "startedAt", One, Time, NonZero)],
};

pub static CORE_CONTAINER_STATE_TERMINATED: Message = Message {
    name: "ContainerStateTerminated",
    fields: &[
        f(1, "exitCode", One, Int, Always),
        f(2, "signal", One, Int, NonZero),
        f(3, "reason", One, Str, NonZero),
        f(4, "message", One, Str, NonZero),
        f(5, "startedAt", One, Time, NonZero),
        f(6, "finishedAt", One, Time, NonZero),
        f(7, "containerID", One, Str, NonZero),
    ],
};

pub static CORE_LINUX_CONTAINER_USER: Message = Message {
    name: "LinuxContainerUser",
    fields: &[
        f(1, "uid", One, Int, Always),
        f(2, "gid", One, Int, Always),
        f(3, "supplementalGroups", Many, Int, NonZero),
    ],
};

pub static CORE_RESOURCE_HEALTH: Message = Message {
    name: "ResourceHealth",
    fields: &[
        f(1, "resourceID", One, Str, Always),
        f(2, "health", One, Str, NonZero),
    ],
};

pub static CORE_PORT_STATUS: Message = Message {
    name: "PortStatus",
    fields: &[
        f(1, "port", One, Int, Always),
        f(2, "protocol", One, Str, Always),
        f(3, "error", One, Str, Set),
    ],
};

pub static CORE_SECRET_REFERENCE: Message = Message {
    name: "SecretReference",
    fields: &[
        f(1, "name", One, Str, NonZero),
        f(2, "namespace", One, Str, NonZero),
    ],
};

pub static CORE_NODE_SELECTOR_TERM: Message = Message {
    name: "NodeSelectorTerm",
    fields: &[
        f(
            1,
            "matchExpressions",
            Many,
            Msg(&CORE_NODE_SELECTOR_REQUIREMENT),
            NonZero,
        ),
        f(
            2,
            "matchFields",
            Many,
            Msg(&CORE_NODE_SELECTOR_REQUIREMENT),
            NonZero,
        ),
    ],
};

pub static HPA_METRIC_TARGET: Message = Message {
    name: "MetricTarget",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "value", One, Quantity, NonZero),
        f(3, "averageValue", One, Quantity, NonZero),
        f(4, "averageUtilization", One, Int, Set),
    ],
};

pub static HPA_METRIC_IDENTIFIER: Message = Message {
    name: "MetricIdentifier",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "selector", One, Msg(&META_LABEL_SELECTOR), NonZero),
    ],
};

pub static HPA_HPA_SCALING_POLICY: Message = Message {
    name: "HPAScalingPolicy",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "value", One, Int, Always),
        f(3, "periodSeconds", One, Int, Always),
    ],
};

pub static HPA_METRIC_VALUE_STATUS: Message = Message {
    name: "MetricValueStatus",
    fields: &[
        f(1, "value", One, Quantity, NonZero),
        f(2, "averageValue", One, Quantity, NonZero),
        f(3, "averageUtilization", One, Int, Set),
    ],
};

pub static BATCH_POD_FAILURE_POLICY_ON_EXIT_CODES_REQUIREMENT: Message = Message {
    name: "PodFailurePolicyOnExitCodesRequirement",
    fields: &[
        f(1, "containerName", One, Str, Set),
        f(2, "operator", One, Str, Always),
        f(3, "values", Many, Int, Always),
    ],
};

pub static BATCH_POD_FAILURE_POLICY_ON_POD_CONDITIONS_PATTERN: Message = Message {
    name: "PodFailurePolicyOnPodConditionsPattern",
    fields: &[
        f(1, "type", One, Str, Always),
        f(2, "status", One, Str, Always),
    ],
};

pub static NET_SERVICE_BACKEND_PORT: Message = Message {
    name: "ServiceBackendPort",
    fields: &[
        f(1, "name", One, Str, NonZero),
        f(2, "number", One, Int, NonZero),
    ],
};

pub static NET_HTTP_INGRESS_RULE_VALUE: Message = Message {
    name: "HTTPIngressRuleValue",
    fields: &[f(1, "paths", Many, Msg(&NET_HTTP_INGRESS_PATH), Always)],
};

pub static NET_INGRESS_PORT_STATUS: Message = Message {
    name: "IngressPortStatus",
    fields: &[
        f(1, "port", One, Int, Always),
        f(2, "protocol", One, Str, Always),
        f(3, "error", One, Str, Set),
    ],
};

pub static NET_IP_BLOCK: Message = Message {
    name: "IPBlock",
    fields: &[
        f(1, "cidr", One, Str, Always),
        f(2, "except", Many, Str, NonZero),
    ],
};

pub static AUTHN_EXTRA_VALUE: Message = Message {
    name: "ExtraValue",
    fields: &[f(1, "items", Many, Str, NonZero)],
};

pub static FLOW_USER_SUBJECT: Message = Message {
    name: "UserSubject",
    fields: &[f(1, "name", One, Str, Always)],
};

pub static FLOW_GROUP_SUBJECT: Message = Message {
    name: "GroupSubject",
    fields: &[f(1, "name", One, Str, Always)],
};

pub static FLOW_SERVICE_ACCOUNT_SUBJECT: Message = Message {
    name: "ServiceAccountSubject",
    fields: &[
        f(1, "namespace", One, Str, Always),
        f(2, "name", One, Str, Always),
    ],
};

pub static FLOW_QUEUING_CONFIGURATION: Message = Message {
    name: "QueuingConfiguration",
    fields: &[
        f(1, "queues", One, Int, NonZero),
        f(2, "handSize", One, Int, NonZero),
        f(3, "queueLengthLimit", One, Int, NonZero),
    ],
};

pub static CORE_KEY_TO_PATH: Message = Message {
    name: "KeyToPath",
    fields: &[
        f(1, "key", One, Str, Always),
        f(2, "path", One, Str, Always),
        f(3, "mode", One, Int, Set),
    ],
};

pub static CORE_DOWNWARD_API_VOLUME_FILE: Message = Message {
    name: "DownwardAPIVolumeFile",
    fields: &[
        f(1, "path", One, Str, Always),
        f(
            2,
            "fieldRef",
            One,
            Msg(&CORE_OBJECT_FIELD_SELECTOR),
            NonZero,
        ),
        f(
            3,
            "resourceFieldRef",
            One,
            Msg(&CORE_RESOURCE_FIELD_SELECTOR),
            NonZero,
        ),
        f(4, "mode", One, Int, Set),
    ],
};

pub static CORE_VOLUME_PROJECTION: Message = Message {
    name: "VolumeProjection",
    fields: &[
        f(1, "secret", One, Msg(&CORE_SECRET_PROJECTION), NonZero),
        f(
            2,
            "downwardAPI",
            One,
            Msg(&CORE_DOWNWARD_API_PROJECTION),
            NonZero,
        ),
        f(
            3,
            "configMap",
            One,
            Msg(&CORE_CONFIG_MAP_PROJECTION),
            NonZero,
        ),
        f(
            4,
            "serviceAccountToken",
            One,
            Msg(&CORE_SERVICE_ACCOUNT_TOKEN_PROJECTION),
            NonZero,
        ),
        f(
            5,
            "clusterTrustBundle",
            One,
            Msg(&CORE_CLUSTER_TRUST_BUNDLE_PROJECTION),
            NonZero,
        ),
    ],
};

pub static CORE_PERSISTENT_VOLUME_CLAIM_TEMPLATE: Message = Message {
    name: "PersistentVolumeClaimTemplate",
    fields: &[
        f(1, "metadata", One, Msg(&META_OBJECT_META), NonZero),
        f(
            2,
            "spec",
            One,
            Msg(&CORE_PERSISTENT_VOLUME_CLAIM_SPEC),
            NonZero,
        ),
    ],
};

pub static CORE_OBJECT_FIELD_SELECTOR: Message = Message {
    name: "ObjectFieldSelector",
    fields: &[
        f(1, "apiVersion", One, Str, NonZero),
        f(2, "fieldPath", One, Str, Always),
    ],
};

pub static CORE_RESOURCE_FIELD_SELECTOR: Message = Message {
    name: "ResourceFieldSelector",
    fields: &[
        f(1, "containerName", One, Str, NonZero),
        f(2, "resource", One, Str, Always),
        f(3, "divisor", One, Quantity, NonZero),
    ],
};

pub static CORE_CONFIG_MAP_KEY_SELECTOR: Message = Message {
    name: "ConfigMapKeySelector",
    fields: &[
        f(
            1,
            "localObjectReference",
            One,
            Msg(&CORE_LOCAL_OBJECT_REFERENCE),
            Inline,
        ),
        f(2, "key", One, Str, Always),
        f(3, "optional", One, Bool, Set),
    ],
};

pub static CORE_SECRET_KEY_SELECTOR: Message = Message {
    name: "SecretKeySelector",
    fields: &[
        f(
            1,
            "localObjectReference",
            One,
            Msg(&CORE_LOCAL_OBJECT_REFERENCE),
            Inline,
        ),
        f(2, "key", One, Str, Always),
        f(3, "optional", One, Bool, Set),
    ],
};

pub static CORE_EXEC_ACTION: Message = Message {
    name: "ExecAction",
    fields: &[f(1, "command", Many, Str, NonZero)],
};

pub static CORE_HTTP_GET_ACTION: Message = Message {
    name: "HTTPGetAction",
    fields: &[
        f(1, "path", One, Str, NonZero),
        f(2, "port", One, IntOrString, NonZero),
        f(3, "host", One, Str, NonZero),
        f(4, "scheme", One, Str, NonZero),
        f(5, "httpHeaders", Many, Msg(&CORE_HTTP_HEADER), NonZero),
    ],
};

pub static CORE_TCP_SOCKET_ACTION: Message = Message {
    name: "TCPSocketAction",
    fields: &[
        f(1, "port", One, IntOrString, NonZero),
        f(2, "host", One, Str, NonZero),
    ],
};

pub static CORE_GRPC_ACTION: Message = Message {
    name: "GRPCAction",
    fields: &[
        f(1, "port", One, Int, Always),
        f(2, "service", One, Str, Set),
    ],
};

pub static CORE_SLEEP_ACTION: Message = Message {
    name: "SleepAction",
    fields: &[f(1, "seconds", One, Int, Always)],
};

pub static CORE_NODE_SELECTOR_REQUIREMENT: Message = Message {
    name: "NodeSelectorRequirement",
    fields: &[
        f(1, "key", One, Str, Always),
        f(2, "operator", One, Str, Always),
        f(3, "values", Many, Str, NonZero),
    ],
};

pub static NET_HTTP_INGRESS_PATH: Message = Message {
    name: "HTTPIngressPath",
    fields: &[
        f(1, "path", One, Str, NonZero),
        f(3, "pathType", One, Str, Set),
        f(2, "backend", One, Msg(&NET_INGRESS_BACKEND), NonZero),
    ],
};

pub static CORE_SECRET_PROJECTION: Message = Message {
    name: "SecretProjection",
    fields: &[
        f(
            1,
            "localObjectReference",
            One,
            Msg(&CORE_LOCAL_OBJECT_REFERENCE),
            Inline,
        ),
        f(2, "items", Many, Msg(&CORE_KEY_TO_PATH), NonZero),
        f(4, "optional", One, Bool, Set),
    ],
};

pub static CORE_DOWNWARD_API_PROJECTION: Message = Message {
    name: "DownwardAPIProjection",
    fields: &[f(
        1,
        "items",
        Many,
        Msg(&CORE_DOWNWARD_API_VOLUME_FILE),
        NonZero,
    )],
};

pub static CORE_CONFIG_MAP_PROJECTION: Message = Message {
    name: "ConfigMapProjection",
    fields: &[
        f(
            1,
            "localObjectReference",
            One,
            Msg(&CORE_LOCAL_OBJECT_REFERENCE),
            Inline,
        ),
        f(2, "items", Many, Msg(&CORE_KEY_TO_PATH), NonZero),
        f(4, "optional", One, Bool, Set),
    ],
};

pub static CORE_SERVICE_ACCOUNT_TOKEN_PROJECTION: Message = Message {
    name: "ServiceAccountTokenProjection",
    fields: &[
        f(1, "audience", One, Str, NonZero),
        f(2, "expirationSeconds", One, Int, Set),
        f(3, "path", One, Str, Always),
    ],
};

pub static CORE_CLUSTER_TRUST_BUNDLE_PROJECTION: Message = Message {
    name: "ClusterTrustBundleProjection",
    fields: &[
        f(1, "name", One, Str, Set),
        f(2, "signerName", One, Str, Set),
        f(3, "labelSelector", One, Msg(&META_LABEL_SELECTOR), NonZero),
        f(5, "optional", One, Bool, Set),
        f(4, "path", One, Str, Always),
    ],
};

pub static CORE_HTTP_HEADER: Message = Message {
    name: "HTTPHeader",
    fields: &[
        f(1, "name", One, Str, Always),
        f(2, "value", One, Str, Always),
    ],
};

/// The top-level messages by `apiVersion` and `kind`.
pub static KINDS: &[(&str, &str, &Message)] = &[
    ("v1", "ComponentStatus", &CORE_COMPONENT_STATUS),
    ("v1", "ConfigMap", &CORE_CONFIG_MAP),
    ("v1", "Endpoints", &CORE_ENDPOINTS),
    ("v1", "Event", &CORE_EVENT),
    ("v1", "LimitRange", &CORE_LIMIT_RANGE),
    ("v1", "Namespace", &CORE_NAMESPACE),
    ("v1", "Node", &CORE_NODE),
    ("v1", "Pod", &CORE_POD),
    ("v1", "ResourceQuota", &CORE_RESOURCE_QUOTA),
    ("v1", "Secret", &CORE_SECRET),
    ("v1", "ServiceAccount", &CORE_SERVICE_ACCOUNT),
    ("v1", "Service", &CORE_SERVICE),
    ("apps/v1", "DaemonSet", &APPS_DAEMON_SET),
    ("apps/v1", "Deployment", &APPS_DEPLOYMENT),
    ("apps/v1", "ReplicaSet", &APPS_REPLICA_SET),
    ("v1", "PersistentVolumeClaim", &CORE_PERSISTENT_VOLUME_CLAIM),
    ("v1", "PersistentVolume", &CORE_PERSISTENT_VOLUME),
    ("apps/v1", "ControllerRevision", &APPS_CONTROLLER_REVISION),
    ("apps/v1", "StatefulSet", &APPS_STATEFUL_SET),
    ("storage.k8s.io/v1", "CSIDriver", &STORAGE_CSI_DRIVER),
    ("storage.k8s.io/v1", "CSINode", &STORAGE_CSI_NODE),
    (
        "storage.k8s.io/v1",
        "CSIStorageCapacity",
        &STORAGE_CSI_STORAGE_CAPACITY,
    ),
    ("storage.k8s.io/v1", "StorageClass", &STORAGE_STORAGE_CLASS),
    (
        "storage.k8s.io/v1",
        "VolumeAttachment",
        &STORAGE_VOLUME_ATTACHMENT,
    ),
    (
        "autoscaling/v2",
        "HorizontalPodAutoscaler",
        &HPA_HORIZONTAL_POD_AUTOSCALER,
    ),
    (
        "autoscaling/v1",
        "HorizontalPodAutoscaler",
        &HPAV1_HORIZONTAL_POD_AUTOSCALER,
    ),
    ("coordination.k8s.io/v1", "Lease", &COORD_LEASE),
    ("discovery.k8s.io/v1", "EndpointSlice", &DISC_ENDPOINT_SLICE),
    (
        "rbac.authorization.k8s.io/v1",
        "ClusterRoleBinding",
        &RBAC_CLUSTER_ROLE_BINDING,
    ),
    (
        "rbac.authorization.k8s.io/v1",
        "ClusterRole",
        &RBAC_CLUSTER_ROLE,
    ),
    (
        "rbac.authorization.k8s.io/v1",
        "RoleBinding",
        &RBAC_ROLE_BINDING,
    ),
    ("rbac.authorization.k8s.io/v1", "Role", &RBAC_ROLE),
    ("batch/v1", "CronJob", &BATCH_CRON_JOB),
    ("batch/v1", "Job", &BATCH_JOB),
    ("v1", "PodTemplate", &CORE_POD_TEMPLATE),
    ("v1", "ReplicationController", &CORE_REPLICATION_CONTROLLER),
    ("networking.k8s.io/v1", "Ingress", &NET_INGRESS),
    ("networking.k8s.io/v1", "IngressClass", &NET_INGRESS_CLASS),
    ("networking.k8s.io/v1", "NetworkPolicy", &NET_NETWORK_POLICY),
    ("node.k8s.io/v1", "RuntimeClass", &NODE_RUNTIME_CLASS),
    (
        "policy/v1",
        "PodDisruptionBudget",
        &POLICY_POD_DISRUPTION_BUDGET,
    ),
    (
        "scheduling.k8s.io/v1",
        "PriorityClass",
        &SCHED_PRIORITY_CLASS,
    ),
    ("events.k8s.io/v1", "Event", &EVENTS_EVENT),
    (
        "authentication.k8s.io/v1",
        "TokenRequest",
        &AUTHN_TOKEN_REQUEST,
    ),
    (
        "authentication.k8s.io/v1",
        "TokenReview",
        &AUTHN_TOKEN_REVIEW,
    ),
    (
        "certificates.k8s.io/v1",
        "CertificateSigningRequest",
        &CERTS_CERTIFICATE_SIGNING_REQUEST,
    ),
    (
        "admissionregistration.k8s.io/v1",
        "MutatingWebhookConfiguration",
        &ADMREG_MUTATING_WEBHOOK_CONFIGURATION,
    ),
    (
        "admissionregistration.k8s.io/v1",
        "ValidatingWebhookConfiguration",
        &ADMREG_VALIDATING_WEBHOOK_CONFIGURATION,
    ),
    (
        "admissionregistration.k8s.io/v1",
        "ValidatingAdmissionPolicy",
        &ADMREG_VALIDATING_ADMISSION_POLICY,
    ),
    (
        "admissionregistration.k8s.io/v1",
        "ValidatingAdmissionPolicyBinding",
        &ADMREG_VALIDATING_ADMISSION_POLICY_BINDING,
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1",
        "FlowSchema",
        &FLOW_FLOW_SCHEMA,
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1",
        "PriorityLevelConfiguration",
        &FLOW_PRIORITY_LEVEL_CONFIGURATION,
    ),
];
