//! kubelite's own short descriptions of the built-in kinds and their fields, as `explain`
//! shows them. Written for kubelite; fields not listed here have no description.

/// `(schema, field, text)`; field `""` describes the schema itself. Schema `*` holds what
/// every kind's top-level fields share.
pub(super) const TEXT: &[(&str, &str, &str)] = &[
    (
        "*",
        "apiVersion",
        "The group and version of the schema this object is written in, such as v1 or apps/v1. The server converts what it knows and refuses what it does not.",
    ),
    (
        "*",
        "kind",
        "The type of this object, in CamelCase, such as Pod or Deployment. It cannot be changed once the object exists.",
    ),
    (
        "*",
        "metadata",
        "The object's name, namespace, labels, annotations and the bookkeeping the server adds to every object.",
    ),
    (
        "*",
        "status",
        "What the cluster last observed about this object. Written by controllers and the kubelet; it may lag behind the spec.",
    ),
    (
        "*",
        "conditions",
        "The latest observations of the object's state, one entry per condition type.",
    ),
    // Kinds.
    (
        "io.k8s.api.core.v1.Pod",
        "",
        "A group of one or more containers that share a network namespace and storage, scheduled together onto one node.",
    ),
    (
        "io.k8s.api.core.v1.Pod",
        "spec",
        "What the pod should run: its containers, volumes and scheduling constraints.",
    ),
    (
        "io.k8s.api.apps.v1.Deployment",
        "",
        "Keeps a number of identical pods running from a template and rolls out changes to that template through ReplicaSets.",
    ),
    (
        "io.k8s.api.apps.v1.Deployment",
        "spec",
        "The desired state of the Deployment: how many pods, from which template, and how updates roll out.",
    ),
    (
        "io.k8s.api.apps.v1.StatefulSet",
        "",
        "Runs pods with stable names and ordinals (<name>-0, <name>-1, ...), each with its own claims from the volume claim templates, created and updated in ordinal order.",
    ),
    (
        "io.k8s.api.apps.v1.StatefulSet",
        "spec",
        "The desired state of the StatefulSet: how many pods, from which template, with which claims, and how they are created and updated.",
    ),
    (
        "io.k8s.api.apps.v1.StatefulSetSpec",
        "volumeClaimTemplates",
        "Claims every pod gets, named <claim>-<statefulset>-<ordinal>; they outlive the pods unless the retention policy says otherwise.",
    ),
    (
        "io.k8s.api.apps.v1.StatefulSetSpec",
        "podManagementPolicy",
        "OrderedReady creates pods one at a time, each after the previous one is Running and Ready, and removes them in reverse order; Parallel creates and removes them all at once.",
    ),
    (
        "io.k8s.api.apps.v1.StatefulSetSpec",
        "serviceName",
        "The headless Service that gives each pod its stable network identity.",
    ),
    (
        "io.k8s.api.apps.v1.ControllerRevision",
        "",
        "An immutable snapshot of a controller's pod template, kept so that a StatefulSet or DaemonSet can be rolled back to it.",
    ),
    (
        "io.k8s.api.apps.v1.ControllerRevision",
        "revision",
        "The revision number of this snapshot among its owner's revisions.",
    ),
    (
        "io.k8s.api.core.v1.PersistentVolumeClaim",
        "",
        "A request for storage: a size, access modes and a class. The volume controller binds it to a PersistentVolume, provisioning one when the class has a provisioner.",
    ),
    (
        "io.k8s.api.core.v1.PersistentVolumeClaim",
        "spec",
        "What storage the claim asks for.",
    ),
    (
        "io.k8s.api.core.v1.PersistentVolume",
        "",
        "A piece of storage in the cluster, provisioned by an administrator or by a StorageClass's provisioner, bound to at most one claim.",
    ),
    (
        "io.k8s.api.core.v1.PersistentVolume",
        "spec",
        "The volume's capacity, access modes, source and reclaim policy.",
    ),
    (
        "io.k8s.api.storage.v1.StorageClass",
        "",
        "A class of storage: which provisioner creates its volumes, with which parameters, when they are bound and what happens to them when their claims go away.",
    ),
    (
        "io.k8s.api.storage.v1.StorageClass",
        "provisioner",
        "The name of the driver that provisions volumes of this class.",
    ),
    (
        "io.k8s.api.storage.v1.StorageClass",
        "volumeBindingMode",
        "Immediate binds and provisions a claim as soon as it is created; WaitForFirstConsumer waits until a pod using it is scheduled, and provisions on that pod's node.",
    ),
    (
        "io.k8s.api.apps.v1.ReplicaSet",
        "",
        "Keeps a given number of pods that match its selector running, creating or deleting pods from its template.",
    ),
    (
        "io.k8s.api.apps.v1.ReplicaSet",
        "spec",
        "The desired state of the ReplicaSet: the number of pods, their selector and template.",
    ),
    (
        "io.k8s.api.apps.v1.DaemonSet",
        "",
        "Runs one copy of a pod on every node that matches, adding pods as nodes join.",
    ),
    (
        "io.k8s.api.apps.v1.DaemonSet",
        "spec",
        "The desired state of the DaemonSet: which pods to run on each node and how to update them.",
    ),
    (
        "io.k8s.api.batch.v1.Job",
        "",
        "Runs pods until a number of them finish successfully, retrying failed ones up to a limit; finished, it records whether it completed or failed.",
    ),
    (
        "io.k8s.api.batch.v1.Job",
        "spec",
        "The work the Job does: the pod template, how many pods must succeed, how many run at once, and when to give up.",
    ),
    (
        "io.k8s.api.batch.v1.CronJob",
        "",
        "Creates a Job from its template on a repeating schedule written in cron syntax.",
    ),
    (
        "io.k8s.api.batch.v1.CronJob",
        "spec",
        "When Jobs are created, what they run, and how runs that overlap or were missed are handled.",
    ),
    (
        "io.k8s.api.batch.v1.JobSpec",
        "parallelism",
        "The most pods of this Job that run at the same time.",
    ),
    (
        "io.k8s.api.batch.v1.JobSpec",
        "completions",
        "How many pods must finish successfully for the Job to be complete. Unset means any one success completes it once all pods ended.",
    ),
    (
        "io.k8s.api.batch.v1.JobSpec",
        "activeDeadlineSeconds",
        "Seconds the Job may be active, counted from its start; past it, its pods are stopped and it fails with reason DeadlineExceeded.",
    ),
    (
        "io.k8s.api.batch.v1.JobSpec",
        "backoffLimit",
        "How many pod failures the Job tolerates before it fails with reason BackoffLimitExceeded. Defaults to 6.",
    ),
    (
        "io.k8s.api.batch.v1.JobSpec",
        "selector",
        "Which pods count as this Job's. Normally generated by the server from the Job's uid.",
    ),
    (
        "io.k8s.api.batch.v1.JobSpec",
        "manualSelector",
        "Set to true to write the selector yourself instead of letting the server generate it.",
    ),
    (
        "io.k8s.api.batch.v1.JobSpec",
        "template",
        "The pod each run of the Job creates. Its restartPolicy must be OnFailure or Never.",
    ),
    (
        "io.k8s.api.batch.v1.JobSpec",
        "ttlSecondsAfterFinished",
        "Seconds after the Job finished when it is deleted, with its pods. Unset keeps it.",
    ),
    (
        "io.k8s.api.batch.v1.JobSpec",
        "completionMode",
        "NonIndexed: any successes count. Indexed: each pod gets an index from 0 to completions-1, and each index must succeed once.",
    ),
    (
        "io.k8s.api.batch.v1.JobSpec",
        "suspend",
        "While true, the Job creates no pods and its running pods are stopped.",
    ),
    (
        "io.k8s.api.batch.v1.JobSpec",
        "podReplacementPolicy",
        "When a replacement pod is created: once the old one is terminating, or only once it has failed.",
    ),
    (
        "io.k8s.api.batch.v1.CronJobSpec",
        "schedule",
        "The schedule in cron syntax: five fields (minute, hour, day of month, month, day of week) or a descriptor such as @hourly.",
    ),
    (
        "io.k8s.api.batch.v1.CronJobSpec",
        "timeZone",
        "The time zone the schedule is read in, as an IANA name. Unset means the controller manager's zone.",
    ),
    (
        "io.k8s.api.batch.v1.CronJobSpec",
        "startingDeadlineSeconds",
        "How late, in seconds, a scheduled run may still start; a run missed by more is skipped.",
    ),
    (
        "io.k8s.api.batch.v1.CronJobSpec",
        "concurrencyPolicy",
        "What to do when a run is due while an earlier one is active: Allow runs both, Forbid skips the new one, Replace stops the old one.",
    ),
    (
        "io.k8s.api.batch.v1.CronJobSpec",
        "suspend",
        "While true, no new runs start; runs already started go on.",
    ),
    (
        "io.k8s.api.batch.v1.CronJobSpec",
        "jobTemplate",
        "The Job each run creates.",
    ),
    (
        "io.k8s.api.batch.v1.CronJobSpec",
        "successfulJobsHistoryLimit",
        "How many finished successful Jobs to keep. Defaults to 3.",
    ),
    (
        "io.k8s.api.batch.v1.CronJobSpec",
        "failedJobsHistoryLimit",
        "How many failed Jobs to keep. Defaults to 1.",
    ),
    (
        "io.k8s.api.core.v1.Service",
        "",
        "A stable virtual address and name in front of a set of pods chosen by a label selector, with load balancing across them.",
    ),
    (
        "io.k8s.api.core.v1.Service",
        "spec",
        "How the Service is exposed: its type, ports and the pods it selects.",
    ),
    (
        "io.k8s.api.core.v1.Namespace",
        "",
        "A scope for names: objects in different namespaces may share a name. Deleting a namespace deletes what it holds.",
    ),
    (
        "io.k8s.api.core.v1.Namespace",
        "spec",
        "The namespace's finalizers.",
    ),
    (
        "io.k8s.api.core.v1.ConfigMap",
        "",
        "Non-secret configuration data as key-value pairs, for pods to read as environment variables or files.",
    ),
    (
        "io.k8s.api.core.v1.ConfigMap",
        "data",
        "The configuration as UTF-8 strings by key. A key may not also appear in binaryData.",
    ),
    (
        "io.k8s.api.core.v1.ConfigMap",
        "binaryData",
        "Configuration that is not valid UTF-8, base64-encoded by key. A key may not also appear in data.",
    ),
    (
        "io.k8s.api.core.v1.ConfigMap",
        "immutable",
        "When true, data and binaryData can no longer be changed; only deletion remains possible.",
    ),
    (
        "io.k8s.api.core.v1.Secret",
        "",
        "Sensitive data such as passwords, tokens or keys, kept apart from pod specs and mounted or injected where needed.",
    ),
    (
        "io.k8s.api.core.v1.Secret",
        "data",
        "The secret values by key, base64-encoded.",
    ),
    (
        "io.k8s.api.core.v1.Secret",
        "stringData",
        "Values given as plain strings for convenience; they are merged into data on write and never read back.",
    ),
    (
        "io.k8s.api.core.v1.Secret",
        "type",
        "What the secret holds (Opaque, kubernetes.io/tls, kubernetes.io/dockerconfigjson, ...), which decides the keys it must have.",
    ),
    (
        "io.k8s.api.core.v1.Secret",
        "immutable",
        "When true, the data can no longer be changed; only deletion remains possible.",
    ),
    (
        "io.k8s.api.core.v1.Node",
        "",
        "A machine (virtual or physical) that runs pods, registered by its kubelet.",
    ),
    (
        "io.k8s.api.core.v1.Event",
        "",
        "A record of something that happened to an object, such as a pod being scheduled or an image being pulled.",
    ),
    (
        "io.k8s.api.core.v1.Event",
        "involvedObject",
        "The object the event is about.",
    ),
    (
        "io.k8s.api.core.v1.Event",
        "reason",
        "A short CamelCase word for why the event happened, for machines to match on.",
    ),
    (
        "io.k8s.api.core.v1.Event",
        "message",
        "A human-readable account of what happened.",
    ),
    (
        "io.k8s.api.core.v1.Event",
        "count",
        "How many times this event has occurred.",
    ),
    ("io.k8s.api.core.v1.Event", "type", "Normal or Warning."),
    (
        "io.k8s.api.core.v1.Endpoints",
        "",
        "The addresses and ports that back a Service, kept by the endpoints controller.",
    ),
    (
        "io.k8s.api.core.v1.Endpoints",
        "subsets",
        "Groups of addresses that share the same ports.",
    ),
    (
        "io.k8s.api.discovery.v1.EndpointSlice",
        "",
        "A part of the set of endpoints behind a Service; a Service's endpoints are split into slices of bounded size.",
    ),
    (
        "io.k8s.api.discovery.v1.EndpointSlice",
        "addressType",
        "The kind of address the slice holds: IPv4, IPv6 or FQDN.",
    ),
    (
        "io.k8s.api.discovery.v1.EndpointSlice",
        "endpoints",
        "The endpoints of this slice.",
    ),
    (
        "io.k8s.api.discovery.v1.EndpointSlice",
        "ports",
        "The ports every endpoint of this slice exposes.",
    ),
    (
        "io.k8s.api.coordination.v1.Lease",
        "",
        "A lease held by one holder at a time, used for leader election and node heartbeats.",
    ),
    (
        "io.k8s.api.coordination.v1.Lease",
        "spec",
        "Who holds the lease and for how long.",
    ),
    (
        "io.k8s.api.core.v1.ServiceAccount",
        "",
        "An identity for processes that run in pods, with the credentials they use to reach the API server.",
    ),
    (
        "io.k8s.api.core.v1.LimitRange",
        "",
        "Per-namespace defaults and bounds for the resources each pod or container may request.",
    ),
    (
        "io.k8s.api.core.v1.ResourceQuota",
        "",
        "Limits on the total resources and object counts a namespace may use.",
    ),
    // RBAC.
    (
        "io.k8s.api.rbac.v1.Role",
        "",
        "A set of permissions inside one namespace: rules that allow verbs on resources. Rules only grant; nothing denies.",
    ),
    (
        "io.k8s.api.rbac.v1.Role",
        "rules",
        "The permissions this role grants.",
    ),
    (
        "io.k8s.api.rbac.v1.ClusterRole",
        "",
        "A set of permissions that applies cluster-wide or, bound by a RoleBinding, inside one namespace; it can also name cluster-scoped resources and non-resource URLs.",
    ),
    (
        "io.k8s.api.rbac.v1.ClusterRole",
        "rules",
        "The permissions this cluster role grants. For an aggregated role the controller writes them.",
    ),
    (
        "io.k8s.api.rbac.v1.ClusterRole",
        "aggregationRule",
        "Selects other ClusterRoles whose rules are gathered into this one by the aggregation controller.",
    ),
    (
        "io.k8s.api.rbac.v1.RoleBinding",
        "",
        "Grants the permissions of a Role or ClusterRole to users, groups or service accounts inside the binding's namespace.",
    ),
    (
        "io.k8s.api.rbac.v1.RoleBinding",
        "subjects",
        "Who receives the permissions.",
    ),
    (
        "io.k8s.api.rbac.v1.RoleBinding",
        "roleRef",
        "The role whose permissions are granted. It cannot be changed once the binding exists.",
    ),
    (
        "io.k8s.api.rbac.v1.ClusterRoleBinding",
        "",
        "Grants the permissions of a ClusterRole to users, groups or service accounts in every namespace.",
    ),
    (
        "io.k8s.api.rbac.v1.ClusterRoleBinding",
        "subjects",
        "Who receives the permissions.",
    ),
    (
        "io.k8s.api.rbac.v1.ClusterRoleBinding",
        "roleRef",
        "The ClusterRole whose permissions are granted. It cannot be changed once the binding exists.",
    ),
    (
        "io.k8s.api.rbac.v1.PolicyRule",
        "",
        "One permission: the verbs allowed on some resources of some API groups, or on some non-resource URLs.",
    ),
    (
        "io.k8s.api.rbac.v1.PolicyRule",
        "verbs",
        "The allowed actions, such as get, list or create; * allows all of them.",
    ),
    (
        "io.k8s.api.rbac.v1.PolicyRule",
        "apiGroups",
        "The API groups of the resources; the empty string is the core group and * every group.",
    ),
    (
        "io.k8s.api.rbac.v1.PolicyRule",
        "resources",
        "The resources, with a subresource after a slash (pods/log); * is every resource.",
    ),
    (
        "io.k8s.api.rbac.v1.PolicyRule",
        "resourceNames",
        "When set, only objects with these names are allowed.",
    ),
    (
        "io.k8s.api.rbac.v1.PolicyRule",
        "nonResourceURLs",
        "Paths that are not resources, such as /healthz; a trailing * matches a prefix. Only meaningful in a ClusterRole.",
    ),
    (
        "io.k8s.api.rbac.v1.AggregationRule",
        "",
        "Label selectors choosing the ClusterRoles whose rules are aggregated.",
    ),
    (
        "io.k8s.api.rbac.v1.AggregationRule",
        "clusterRoleSelectors",
        "A ClusterRole matching any selector contributes its rules.",
    ),
    (
        "io.k8s.api.rbac.v1.Subject",
        "",
        "A user, group or service account that a binding names.",
    ),
    (
        "io.k8s.api.rbac.v1.Subject",
        "kind",
        "User, Group or ServiceAccount.",
    ),
    (
        "io.k8s.api.rbac.v1.Subject",
        "name",
        "The name of the user, group or service account.",
    ),
    (
        "io.k8s.api.rbac.v1.Subject",
        "namespace",
        "The namespace of a service account.",
    ),
    (
        "io.k8s.api.rbac.v1.Subject",
        "apiGroup",
        "rbac.authorization.k8s.io for users and groups, empty for service accounts.",
    ),
    (
        "io.k8s.api.rbac.v1.RoleRef",
        "",
        "The role a binding grants.",
    ),
    ("io.k8s.api.rbac.v1.RoleRef", "kind", "Role or ClusterRole."),
    (
        "io.k8s.api.rbac.v1.RoleRef",
        "name",
        "The name of the role.",
    ),
    (
        "io.k8s.api.rbac.v1.RoleRef",
        "apiGroup",
        "The group of the role: rbac.authorization.k8s.io.",
    ),
    // Metadata.
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "",
        "Data that every persisted object carries: identity, labels, annotations and server-managed bookkeeping.",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "name",
        "The object's name, unique within its namespace and kind. Required on create unless generateName is set.",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "generateName",
        "A prefix from which the server makes a unique name when name is empty.",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "namespace",
        "The namespace the object lives in; empty for cluster-scoped kinds.",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "uid",
        "A unique identifier the server assigns when the object is created; it is never reused.",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "resourceVersion",
        "An opaque version that changes on every write, used for optimistic concurrency and to resume watches.",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "generation",
        "A counter of changes to the desired state, incremented by the server.",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "creationTimestamp",
        "When the server created the object.",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "deletionTimestamp",
        "When the object will be removed; set by the server once deletion is requested.",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "labels",
        "Key-value pairs used to organise and select objects.",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "annotations",
        "Key-value pairs for tools and people; not used for selection.",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "ownerReferences",
        "The objects this one depends on; when every owner is gone the garbage collector deletes it.",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "finalizers",
        "Names of the cleanups that must finish before the object is removed from storage.",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "managedFields",
        "Which field manager owns which fields, as recorded by server-side apply.",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference",
        "",
        "A reference to an owning object in the same namespace.",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference",
        "controller",
        "True for the one owner that manages this object.",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference",
        "blockOwnerDeletion",
        "When true, a foreground deletion of the owner waits for this object to be deleted first.",
    ),
    // Pods.
    (
        "io.k8s.api.core.v1.PodSpec",
        "",
        "The description of a pod: what it runs and where and how it may run.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "containers",
        "The containers of the pod. At least one is required, and the list cannot change after creation.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "initContainers",
        "Containers that run one after another, each to completion, before the regular containers start.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "volumes",
        "Storage the pod's containers can mount.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "restartPolicy",
        "When containers are restarted after they exit: Always (the default), OnFailure or Never.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "terminationGracePeriodSeconds",
        "Seconds the containers get to stop after the termination signal before they are killed.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "dnsPolicy",
        "How the pod's DNS is configured. ClusterFirst by default.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "nodeSelector",
        "Labels a node must have for the pod to be scheduled onto it.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "serviceAccountName",
        "The service account the pod runs as.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "nodeName",
        "The node the pod is bound to. Set by the scheduler; setting it yourself bypasses scheduling.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "hostNetwork",
        "When true, the pod uses the node's network namespace.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "imagePullSecrets",
        "Secrets in the pod's namespace holding credentials for pulling images.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "hostname",
        "The pod's hostname. Defaults to the pod's name.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "schedulerName",
        "The scheduler that places this pod. default-scheduler unless set.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "tolerations",
        "The taints this pod tolerates, so that it may be scheduled onto or stay on tainted nodes.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "priority",
        "The pod's scheduling priority, resolved from priorityClassName on admission.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "",
        "One container of a pod: an image and how to run it.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "name",
        "The container's name, unique within the pod. It cannot be changed.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "image",
        "The container image to run, such as nginx:1.27 or registry.example.com/app@sha256:... Higher-level controllers may leave it to be filled in.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "command",
        "The program to run, replacing the image's ENTRYPOINT. Not run in a shell; $(VAR) references to the container's variables are expanded.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "args",
        "Arguments to the command, replacing the image's CMD. $(VAR) references are expanded.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "workingDir",
        "The directory the command runs in. The image's default when empty.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "ports",
        "The ports the container listens on. Informational: any port the container opens is reachable.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "env",
        "Environment variables to set in the container.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "envFrom",
        "Sources (ConfigMaps, Secrets) whose keys all become environment variables.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "resources",
        "The compute resources (cpu, memory) the container requests and may not exceed.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "volumeMounts",
        "Where the pod's volumes appear in the container's filesystem.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "livenessProbe",
        "A check of the container's health; the container is restarted when it fails.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "readinessProbe",
        "A check of whether the container can serve; failing containers are removed from Service endpoints.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "imagePullPolicy",
        "When the image is pulled: Always, IfNotPresent or Never. Always for the latest tag or no tag, IfNotPresent otherwise.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "securityContext",
        "Security options for the container, such as the user it runs as.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "stdin",
        "Whether the container keeps a standard input open for attach.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "tty",
        "Whether the container gets a terminal. Requires stdin.",
    ),
    (
        "io.k8s.api.core.v1.ContainerPort",
        "",
        "A network port of a container.",
    ),
    (
        "io.k8s.api.core.v1.ContainerPort",
        "containerPort",
        "The port number in the pod's IP address, between 1 and 65535.",
    ),
    (
        "io.k8s.api.core.v1.ContainerPort",
        "name",
        "A name for the port, unique within the pod, that Services can refer to.",
    ),
    (
        "io.k8s.api.core.v1.ContainerPort",
        "protocol",
        "The protocol: TCP (the default), UDP or SCTP.",
    ),
    (
        "io.k8s.api.core.v1.ContainerPort",
        "hostPort",
        "The port number to expose on the node as well. Rarely needed.",
    ),
    (
        "io.k8s.api.core.v1.EnvVar",
        "",
        "An environment variable of a container.",
    ),
    ("io.k8s.api.core.v1.EnvVar", "name", "The variable's name."),
    (
        "io.k8s.api.core.v1.EnvVar",
        "value",
        "The variable's value. $(VAR) references to earlier variables are expanded.",
    ),
    (
        "io.k8s.api.core.v1.EnvVar",
        "valueFrom",
        "Where to read the value from instead: a field of the pod, a resource, a ConfigMap key or a Secret key.",
    ),
    (
        "io.k8s.api.core.v1.VolumeMount",
        "",
        "A volume mounted into a container.",
    ),
    (
        "io.k8s.api.core.v1.VolumeMount",
        "name",
        "The name of one of the pod's volumes.",
    ),
    (
        "io.k8s.api.core.v1.VolumeMount",
        "mountPath",
        "The path in the container where the volume appears. It must not contain ':'.",
    ),
    (
        "io.k8s.api.core.v1.VolumeMount",
        "readOnly",
        "Mount the volume read-only.",
    ),
    (
        "io.k8s.api.core.v1.VolumeMount",
        "subPath",
        "A path inside the volume to mount instead of its root.",
    ),
    (
        "io.k8s.api.core.v1.ResourceRequirements",
        "",
        "The compute resources of a container.",
    ),
    (
        "io.k8s.api.core.v1.ResourceRequirements",
        "limits",
        "The most of each resource the container may use.",
    ),
    (
        "io.k8s.api.core.v1.ResourceRequirements",
        "requests",
        "The amount of each resource the scheduler reserves for the container.",
    ),
    (
        "io.k8s.api.core.v1.Volume",
        "",
        "A named volume of a pod, from one of many sources.",
    ),
    (
        "io.k8s.api.core.v1.Volume",
        "name",
        "The volume's name, unique within the pod, used by volume mounts.",
    ),
    (
        "io.k8s.api.core.v1.Toleration",
        "",
        "Lets a pod be scheduled onto (or stay on) nodes with a matching taint.",
    ),
    (
        "io.k8s.api.core.v1.Toleration",
        "key",
        "The taint key to match; empty with operator Exists matches every taint.",
    ),
    (
        "io.k8s.api.core.v1.Toleration",
        "operator",
        "Equal (the default) matches key and value; Exists matches the key whatever its value.",
    ),
    (
        "io.k8s.api.core.v1.Toleration",
        "effect",
        "The taint effect to match; empty matches every effect.",
    ),
    (
        "io.k8s.api.core.v1.Toleration",
        "tolerationSeconds",
        "For NoExecute taints: how long the pod stays bound after the taint appears.",
    ),
    (
        "io.k8s.api.core.v1.PodTemplateSpec",
        "",
        "The pods a controller creates: their metadata and spec.",
    ),
    (
        "io.k8s.api.core.v1.PodTemplateSpec",
        "metadata",
        "Labels and annotations of the created pods.",
    ),
    (
        "io.k8s.api.core.v1.PodTemplateSpec",
        "spec",
        "The spec of the created pods.",
    ),
    // Workloads.
    (
        "io.k8s.api.apps.v1.DeploymentSpec",
        "",
        "The desired state of a Deployment.",
    ),
    (
        "io.k8s.api.apps.v1.DeploymentSpec",
        "replicas",
        "How many pods to run. Defaults to 1.",
    ),
    (
        "io.k8s.api.apps.v1.DeploymentSpec",
        "selector",
        "Which pods belong to the Deployment; it must match the template's labels and cannot change.",
    ),
    (
        "io.k8s.api.apps.v1.DeploymentSpec",
        "template",
        "The pods to create.",
    ),
    (
        "io.k8s.api.apps.v1.DeploymentSpec",
        "strategy",
        "How old pods are replaced with new ones.",
    ),
    (
        "io.k8s.api.apps.v1.DeploymentSpec",
        "minReadySeconds",
        "Seconds a new pod must be ready before it counts as available.",
    ),
    (
        "io.k8s.api.apps.v1.DeploymentSpec",
        "revisionHistoryLimit",
        "How many old ReplicaSets to keep for rollbacks. Defaults to 10.",
    ),
    (
        "io.k8s.api.apps.v1.DeploymentSpec",
        "paused",
        "While true, changes to the template start no rollout.",
    ),
    (
        "io.k8s.api.apps.v1.DeploymentSpec",
        "progressDeadlineSeconds",
        "Seconds a rollout may go without progress before it is reported as failed. Defaults to 600.",
    ),
    (
        "io.k8s.api.apps.v1.DeploymentStrategy",
        "type",
        "RollingUpdate (the default) or Recreate.",
    ),
    (
        "io.k8s.api.apps.v1.DeploymentStrategy",
        "rollingUpdate",
        "Bounds of a rolling update.",
    ),
    (
        "io.k8s.api.apps.v1.RollingUpdateDeployment",
        "maxUnavailable",
        "How many pods, or what percentage, may be unavailable during the update. Defaults to 25%.",
    ),
    (
        "io.k8s.api.apps.v1.RollingUpdateDeployment",
        "maxSurge",
        "How many pods, or what percentage, may be created above the desired count. Defaults to 25%.",
    ),
    (
        "io.k8s.api.apps.v1.ReplicaSetSpec",
        "replicas",
        "How many pods to run. Defaults to 1.",
    ),
    (
        "io.k8s.api.apps.v1.ReplicaSetSpec",
        "selector",
        "Which pods count towards replicas; it must match the template's labels.",
    ),
    (
        "io.k8s.api.apps.v1.ReplicaSetSpec",
        "template",
        "The pods to create when too few exist.",
    ),
    (
        "io.k8s.api.apps.v1.DaemonSetSpec",
        "selector",
        "Which pods belong to the DaemonSet; it must match the template's labels.",
    ),
    (
        "io.k8s.api.apps.v1.DaemonSetSpec",
        "template",
        "The pod to run on each node.",
    ),
    (
        "io.k8s.api.apps.v1.DaemonSetSpec",
        "updateStrategy",
        "How pods are replaced when the template changes.",
    ),
    // Services.
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "",
        "The desired state of a Service.",
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "ports",
        "The ports the Service exposes and where each forwards to.",
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "selector",
        "The labels of the pods that receive the Service's traffic. Without one, endpoints are managed by hand.",
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "clusterIP",
        "The Service's virtual IP, allocated unless set. None makes a headless Service.",
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "type",
        "How the Service is exposed: ClusterIP (the default), NodePort, LoadBalancer or ExternalName.",
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "externalName",
        "For type ExternalName: the DNS name the Service is an alias of.",
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "sessionAffinity",
        "ClientIP keeps a client on the same pod; None (the default) does not.",
    ),
    ("io.k8s.api.core.v1.ServicePort", "", "A port of a Service."),
    (
        "io.k8s.api.core.v1.ServicePort",
        "name",
        "The port's name; required when the Service has more than one port.",
    ),
    (
        "io.k8s.api.core.v1.ServicePort",
        "protocol",
        "The protocol: TCP (the default), UDP or SCTP.",
    ),
    (
        "io.k8s.api.core.v1.ServicePort",
        "port",
        "The port the Service listens on.",
    ),
    (
        "io.k8s.api.core.v1.ServicePort",
        "targetPort",
        "The pods' port, by number or by container port name. Defaults to port.",
    ),
    (
        "io.k8s.api.core.v1.ServicePort",
        "nodePort",
        "For NodePort and LoadBalancer Services: the port opened on every node. Allocated unless set.",
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "clusterIPs",
        "Every virtual IP of the Service, at most one per IP family; the first equals clusterIP.",
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "externalIPs",
        "Addresses outside the cluster that nodes also accept traffic for on the Service's ports.",
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "externalTrafficPolicy",
        "For traffic from outside: Cluster spreads it over every ready endpoint; Local keeps it on the node it arrived at.",
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "internalTrafficPolicy",
        "For traffic from inside the cluster: Cluster (the default) or Local to the sending node.",
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "ipFamilies",
        "The IP families (IPv4, IPv6) the Service has addresses in.",
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "ipFamilyPolicy",
        "Whether the Service has one IP family or two: SingleStack, PreferDualStack or RequireDualStack.",
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "publishNotReadyAddresses",
        "When true, endpoints of pods that are not ready are published too.",
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "healthCheckNodePort",
        "For LoadBalancer Services with the Local external policy: the node port load balancers check.",
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "loadBalancerClass",
        "Which load balancer implementation serves the Service; the cloud provider's when empty.",
    ),
    (
        "io.k8s.api.core.v1.ServicePort",
        "appProtocol",
        "The application protocol spoken on the port, as a hint to implementations (such as http or kubernetes.io/h2c).",
    ),
    (
        "io.k8s.api.apps.v1.DaemonSetUpdateStrategy",
        "type",
        "RollingUpdate (the default) replaces pods node by node; OnDelete waits until a pod is deleted.",
    ),
    (
        "io.k8s.api.apps.v1.DaemonSetUpdateStrategy",
        "rollingUpdate",
        "Bounds of a rolling update.",
    ),
    (
        "io.k8s.api.apps.v1.RollingUpdateDaemonSet",
        "maxUnavailable",
        "How many nodes, or what percentage, may be without a ready pod during the update. Defaults to 1.",
    ),
    (
        "io.k8s.api.apps.v1.RollingUpdateDaemonSet",
        "maxSurge",
        "How many nodes, or what percentage, may run an old and a new pod at once. Defaults to 0.",
    ),
    (
        "io.k8s.api.apps.v1.DaemonSetSpec",
        "minReadySeconds",
        "Seconds a new pod must be ready before it counts as available.",
    ),
    (
        "io.k8s.api.apps.v1.DaemonSetSpec",
        "revisionHistoryLimit",
        "How many old revisions to keep for rollbacks. Defaults to 10.",
    ),
    (
        "io.k8s.api.apps.v1.ReplicaSetSpec",
        "minReadySeconds",
        "Seconds a new pod must be ready before it counts as available.",
    ),
    (
        "io.k8s.api.core.v1.ObjectReference",
        "",
        "A reference to an object, precise enough to find it.",
    ),
    (
        "io.k8s.api.core.v1.ObjectReference",
        "kind",
        "The referenced object's kind.",
    ),
    (
        "io.k8s.api.core.v1.ObjectReference",
        "namespace",
        "The referenced object's namespace.",
    ),
    (
        "io.k8s.api.core.v1.ObjectReference",
        "name",
        "The referenced object's name.",
    ),
    (
        "io.k8s.api.core.v1.ObjectReference",
        "uid",
        "The referenced object's uid.",
    ),
    (
        "io.k8s.api.core.v1.ObjectReference",
        "fieldPath",
        "A part of the object rather than the whole, such as spec.containers{web}.",
    ),
    (
        "io.k8s.api.coordination.v1.LeaseSpec",
        "holderIdentity",
        "Who holds the lease now.",
    ),
    (
        "io.k8s.api.coordination.v1.LeaseSpec",
        "leaseDurationSeconds",
        "How long others wait after the last renewal before they may take the lease.",
    ),
    (
        "io.k8s.api.coordination.v1.LeaseSpec",
        "acquireTime",
        "When the current holder took the lease.",
    ),
    (
        "io.k8s.api.coordination.v1.LeaseSpec",
        "renewTime",
        "When the holder last renewed the lease.",
    ),
    (
        "io.k8s.api.coordination.v1.LeaseSpec",
        "leaseTransitions",
        "How many times the lease has changed hands.",
    ),
    (
        "io.k8s.api.discovery.v1.Endpoint",
        "",
        "One endpoint of a slice: its addresses and state.",
    ),
    (
        "io.k8s.api.discovery.v1.Endpoint",
        "addresses",
        "The endpoint's addresses, of the slice's address type.",
    ),
    (
        "io.k8s.api.discovery.v1.Endpoint",
        "conditions",
        "Whether the endpoint is ready, serving or terminating.",
    ),
    (
        "io.k8s.api.discovery.v1.Endpoint",
        "nodeName",
        "The node the endpoint runs on.",
    ),
    (
        "io.k8s.api.discovery.v1.Endpoint",
        "targetRef",
        "The object (usually a pod) behind the endpoint.",
    ),
    (
        "io.k8s.api.discovery.v1.EndpointConditions",
        "ready",
        "Whether the endpoint should receive new traffic.",
    ),
    (
        "io.k8s.api.discovery.v1.EndpointConditions",
        "serving",
        "Whether the endpoint can serve, even while terminating.",
    ),
    (
        "io.k8s.api.discovery.v1.EndpointConditions",
        "terminating",
        "Whether the endpoint is shutting down.",
    ),
    (
        "io.k8s.api.core.v1.EndpointSubset",
        "addresses",
        "Ready addresses.",
    ),
    (
        "io.k8s.api.core.v1.EndpointSubset",
        "notReadyAddresses",
        "Addresses of endpoints that are not ready yet, or no longer.",
    ),
    (
        "io.k8s.api.core.v1.EndpointSubset",
        "ports",
        "The ports all these addresses serve.",
    ),
    (
        "io.k8s.api.core.v1.NamespaceSpec",
        "finalizers",
        "What must finish before the namespace is removed; kubernetes is the namespace controller's cleanup of the namespace's objects.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "activeDeadlineSeconds",
        "Seconds the pod may be active on its node before the kubelet stops it.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "automountServiceAccountToken",
        "Whether the service account's token is mounted into the containers.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "subdomain",
        "With a headless Service of this name, gives the pod the DNS name <hostname>.<subdomain>.<namespace>.svc.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "priorityClassName",
        "The PriorityClass whose value becomes the pod's priority.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "hostAliases",
        "Extra entries for the pod's /etc/hosts.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "affinity",
        "Rules that attract the pod to, or keep it from, nodes and other pods.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "topologySpreadConstraints",
        "How the pods of a group are spread across zones, nodes or other topology domains.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "securityContext",
        "Security options for every container of the pod, such as the user and groups they run as.",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "serviceAccount",
        "Deprecated alias of serviceAccountName.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "terminationMessagePath",
        "The file the container writes its termination message to. Defaults to /dev/termination-log.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "terminationMessagePolicy",
        "File reads the message from terminationMessagePath; FallbackToLogsOnError uses the log's tail when that file is empty.",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "lifecycle",
        "Commands or requests run right after the container starts and right before it stops.",
    ),
    // Scalars that decode themselves.
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.Time",
        "",
        "A point in time, written as an RFC 3339 string in UTC with second precision.",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
        "",
        "A point in time, written as an RFC 3339 string with microsecond precision.",
    ),
    (
        "io.k8s.apimachinery.pkg.api.resource.Quantity",
        "",
        "An amount written as a number with an optional suffix: binary (Ki, Mi, Gi), decimal (k, M, G) or milli (m), such as 500m or 128Mi.",
    ),
    (
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
        "",
        "A value that is either an integer or a string, such as a port number or a port name, or a count or a percentage.",
    ),
    // FlowSchema and PriorityLevelConfiguration.
    (
        "io.k8s.api.flowcontrol.v1.FlowSchema",
        "",
        "Sorts API requests into flows: the requests its rules match go to the priority level it names.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.FlowSchema",
        "spec",
        "Which requests match, and where they go.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.FlowSchema",
        "status",
        "What the API server last found: whether the named priority level exists.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.FlowSchemaSpec",
        "priorityLevelConfiguration",
        "The PriorityLevelConfiguration, by name, that matching requests are handled at.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.FlowSchemaSpec",
        "matchingPrecedence",
        "Among the schemas matching a request, the one with the lowest value wins. From 1 to 10000; 1000 when not given; only the schema named exempt may use 1.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.FlowSchemaSpec",
        "distinguisherMethod",
        "How requests of this schema are split into flows: ByUser or ByNamespace. Without it every request is one flow.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.FlowSchemaSpec",
        "rules",
        "The requests the schema matches: a request matching any rule matches the schema. Without rules it matches nothing.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.PolicyRulesWithSubjects",
        "subjects",
        "Who the rule is about: users, groups or service accounts. At least one.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.PolicyRulesWithSubjects",
        "resourceRules",
        "The resource requests the rule matches (verbs, API groups, resources, namespaces).",
    ),
    (
        "io.k8s.api.flowcontrol.v1.PolicyRulesWithSubjects",
        "nonResourceRules",
        "The requests for non-resource URLs (/healthz, /metrics) the rule matches.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.PriorityLevelConfiguration",
        "",
        "A priority level: how much of the API server's concurrency its requests get, and what happens to those over the limit.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.PriorityLevelConfiguration",
        "spec",
        "The level's type and limits.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.PriorityLevelConfiguration",
        "status",
        "Conditions of the level.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.PriorityLevelConfigurationSpec",
        "type",
        "Exempt (never limited or queued; only the level named exempt) or Limited.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.PriorityLevelConfigurationSpec",
        "limited",
        "How a Limited level is limited, and what it does with requests beyond its limit.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.PriorityLevelConfigurationSpec",
        "exempt",
        "The exempt level's shares and lending; the administrator may tune them.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.LimitedPriorityLevelConfiguration",
        "nominalConcurrencyShares",
        "The level's share of the server's concurrency, against the sum of every level's shares. 30 when not given.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.LimitedPriorityLevelConfiguration",
        "limitResponse",
        "What happens to a request beyond the limit: Queue (wait in a queue) or Reject (429).",
    ),
    (
        "io.k8s.api.flowcontrol.v1.LimitedPriorityLevelConfiguration",
        "lendablePercent",
        "How much of its concurrency, in percent, other levels may borrow. 0 to 100; 0 when not given.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.LimitedPriorityLevelConfiguration",
        "borrowingLimitPercent",
        "How much the level may borrow from others, in percent of its own concurrency. No limit when not given.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.QueuingConfiguration",
        "queues",
        "How many queues the level has. 64 when not given.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.QueuingConfiguration",
        "handSize",
        "How many queues each flow is dealt (shuffle sharding); a request waits in the shortest. At most queues; 8 when not given.",
    ),
    (
        "io.k8s.api.flowcontrol.v1.QueuingConfiguration",
        "queueLengthLimit",
        "How many requests may wait in one queue; more are rejected. 50 when not given.",
    ),
    // PodDisruptionBudget, PriorityClass, RuntimeClass, networking, ReplicationController.
    (
        "io.k8s.api.policy.v1.PodDisruptionBudget",
        "",
        "Limits how many of a set of pods voluntary disruptions (evictions, as by drain) may take down at once.",
    ),
    (
        "io.k8s.api.policy.v1.PodDisruptionBudget",
        "spec",
        "Which pods the budget covers and how many of them must stay available or may be unavailable.",
    ),
    (
        "io.k8s.api.policy.v1.PodDisruptionBudgetSpec",
        "minAvailable",
        "How many of the selected pods must stay available after an eviction: a number, or a percentage of the pods their controllers ask for. Not together with maxUnavailable.",
    ),
    (
        "io.k8s.api.policy.v1.PodDisruptionBudgetSpec",
        "maxUnavailable",
        "How many of the selected pods may be unavailable after an eviction: a number, or a percentage of the pods their controllers ask for. Not together with minAvailable.",
    ),
    (
        "io.k8s.api.policy.v1.PodDisruptionBudgetSpec",
        "selector",
        "The pods the budget covers, in its namespace. An empty selector covers every pod of the namespace; without one it covers none.",
    ),
    (
        "io.k8s.api.policy.v1.PodDisruptionBudgetSpec",
        "unhealthyPodEvictionPolicy",
        "Whether pods that are running but not ready may be evicted: IfHealthyBudget (only while the budget is met) or AlwaysAllow.",
    ),
    (
        "io.k8s.api.policy.v1.PodDisruptionBudgetStatus",
        "disruptionsAllowed",
        "How many more pods may be evicted now.",
    ),
    (
        "io.k8s.api.policy.v1.PodDisruptionBudgetStatus",
        "currentHealthy",
        "How many of the covered pods are ready now.",
    ),
    (
        "io.k8s.api.policy.v1.PodDisruptionBudgetStatus",
        "desiredHealthy",
        "How many of the covered pods must stay ready.",
    ),
    (
        "io.k8s.api.policy.v1.PodDisruptionBudgetStatus",
        "expectedPods",
        "How many pods the budget counts on: the covered pods, or what their controllers ask for.",
    ),
    (
        "io.k8s.api.policy.v1.PodDisruptionBudgetStatus",
        "disruptedPods",
        "Pods evicted whose deletion the disruption controller has not seen yet, with the time of their eviction.",
    ),
    (
        "io.k8s.api.policy.v1.PodDisruptionBudgetStatus",
        "observedGeneration",
        "The generation of the budget this status was computed for.",
    ),
    (
        "io.k8s.api.scheduling.v1.PriorityClass",
        "",
        "A named priority for pods: pods naming the class get its value, and the scheduler prefers (and may preempt for) pods of higher priority.",
    ),
    (
        "io.k8s.api.scheduling.v1.PriorityClass",
        "value",
        "The priority pods of this class get. Classes not named system- may go up to one billion.",
    ),
    (
        "io.k8s.api.scheduling.v1.PriorityClass",
        "globalDefault",
        "Whether pods naming no class get this one. One class at most may be the default.",
    ),
    (
        "io.k8s.api.scheduling.v1.PriorityClass",
        "description",
        "Free text saying when to use the class.",
    ),
    (
        "io.k8s.api.scheduling.v1.PriorityClass",
        "preemptionPolicy",
        "Whether pods of this class may preempt lower-priority pods: PreemptLowerPriority (the default) or Never.",
    ),
    (
        "io.k8s.api.node.v1.RuntimeClass",
        "",
        "A container runtime configuration pods can ask for by name (spec.runtimeClassName).",
    ),
    (
        "io.k8s.api.node.v1.RuntimeClass",
        "handler",
        "The name of the runtime configuration on the nodes (a DNS label). It cannot be changed.",
    ),
    (
        "io.k8s.api.node.v1.RuntimeClass",
        "overhead",
        "Resources pods of this class use beyond their containers'.",
    ),
    (
        "io.k8s.api.node.v1.RuntimeClass",
        "scheduling",
        "Where pods of this class may run: node labels they need and taints they tolerate.",
    ),
    (
        "io.k8s.api.networking.v1.Ingress",
        "",
        "Routes HTTP and HTTPS traffic from outside the cluster to Services, by host and path. An ingress controller does the routing.",
    ),
    (
        "io.k8s.api.networking.v1.Ingress",
        "spec",
        "The routing rules, TLS settings and the class of controller that serves them.",
    ),
    (
        "io.k8s.api.networking.v1.IngressSpec",
        "ingressClassName",
        "The IngressClass whose controller serves this Ingress.",
    ),
    (
        "io.k8s.api.networking.v1.IngressSpec",
        "defaultBackend",
        "Where requests that match no rule go.",
    ),
    (
        "io.k8s.api.networking.v1.IngressSpec",
        "rules",
        "Host and path rules, each sending matching requests to a backend.",
    ),
    (
        "io.k8s.api.networking.v1.IngressSpec",
        "tls",
        "Hosts served over TLS and the Secret holding their certificate.",
    ),
    (
        "io.k8s.api.networking.v1.HTTPIngressPath",
        "path",
        "The request path this rule matches, starting with /.",
    ),
    (
        "io.k8s.api.networking.v1.HTTPIngressPath",
        "pathType",
        "How the path matches: Exact, Prefix (by path segments) or ImplementationSpecific.",
    ),
    (
        "io.k8s.api.networking.v1.HTTPIngressPath",
        "backend",
        "The Service port (or other resource) matching requests go to.",
    ),
    (
        "io.k8s.api.networking.v1.IngressClass",
        "",
        "A kind of ingress controller Ingresses can name, with optional parameters for it.",
    ),
    (
        "io.k8s.api.networking.v1.IngressClassSpec",
        "controller",
        "The controller that serves Ingresses of this class, as a domain-prefixed path such as example.com/ingress.",
    ),
    (
        "io.k8s.api.networking.v1.IngressClassSpec",
        "parameters",
        "A resource with further configuration for the controller.",
    ),
    (
        "io.k8s.api.networking.v1.NetworkPolicy",
        "",
        "Which traffic may reach (ingress) and leave (egress) the pods it selects. Enforced only by a network plugin that supports policies; kubelite stores but does not enforce it.",
    ),
    (
        "io.k8s.api.networking.v1.NetworkPolicySpec",
        "podSelector",
        "The pods of the namespace the policy applies to; an empty selector selects all of them.",
    ),
    (
        "io.k8s.api.networking.v1.NetworkPolicySpec",
        "ingress",
        "Traffic allowed to reach the selected pods. With the Ingress policy type and no rules, none is.",
    ),
    (
        "io.k8s.api.networking.v1.NetworkPolicySpec",
        "egress",
        "Traffic allowed to leave the selected pods. With the Egress policy type and no rules, none is.",
    ),
    (
        "io.k8s.api.networking.v1.NetworkPolicySpec",
        "policyTypes",
        "The directions the policy restricts: Ingress, Egress or both. Defaults to Ingress, plus Egress when egress rules are given.",
    ),
    (
        "io.k8s.api.core.v1.ReplicationController",
        "",
        "The original replicated pods controller: keeps a number of pods matching its label selector running. ReplicaSets and Deployments succeed it.",
    ),
    (
        "io.k8s.api.core.v1.ReplicationControllerSpec",
        "replicas",
        "How many pods to keep running. Defaults to 1.",
    ),
    (
        "io.k8s.api.core.v1.ReplicationControllerSpec",
        "selector",
        "The labels its pods must carry (equality only). Defaults to the template's labels.",
    ),
    (
        "io.k8s.api.core.v1.ReplicationControllerSpec",
        "template",
        "The pods it creates.",
    ),
    (
        "io.k8s.api.core.v1.ReplicationControllerSpec",
        "minReadySeconds",
        "How long a new pod must be ready before it counts as available.",
    ),
    (
        "io.k8s.api.core.v1.PodTemplate",
        "",
        "A stored pod template, for controllers and tools to create pods from.",
    ),
    (
        "io.k8s.api.core.v1.PodTemplate",
        "template",
        "The pods' metadata and spec.",
    ),
    (
        "io.k8s.api.certificates.v1.CertificateSigningRequest",
        "",
        "A request for an X.509 certificate: a PKCS#10 request, the signer asked to sign it and the usages wanted. Once approved (the approval subresource), the named signer issues the certificate into status.certificate, or marks the request Failed.",
    ),
    (
        "io.k8s.api.certificates.v1.CertificateSigningRequest",
        "spec",
        "The request itself and who sent it. Set at creation and never changed after.",
    ),
    (
        "io.k8s.api.certificates.v1.CertificateSigningRequest",
        "status",
        "The approval conditions and, once a signer issued it, the certificate.",
    ),
    (
        "io.k8s.api.certificates.v1.CertificateSigningRequestSpec",
        "request",
        "The PKCS#10 certificate request as one PEM block of type CERTIFICATE REQUEST (base64 in JSON). Its signature must verify.",
    ),
    (
        "io.k8s.api.certificates.v1.CertificateSigningRequestSpec",
        "signerName",
        "Who is asked to sign, as domain/path: kubernetes.io/kube-apiserver-client gives client certificates the API server accepts.",
    ),
    (
        "io.k8s.api.certificates.v1.CertificateSigningRequestSpec",
        "expirationSeconds",
        "The validity asked for, at least 600 seconds; the signer may give less (kube-controller-manager caps it at a year).",
    ),
    (
        "io.k8s.api.certificates.v1.CertificateSigningRequestSpec",
        "usages",
        "Key usages and extended key usages wanted, such as \"client auth\", \"digital signature\" or \"key encipherment\".",
    ),
    (
        "io.k8s.api.certificates.v1.CertificateSigningRequestSpec",
        "username",
        "The user who created the request, recorded by the API server.",
    ),
    (
        "io.k8s.api.certificates.v1.CertificateSigningRequestSpec",
        "uid",
        "The uid of the user who created the request, recorded by the API server.",
    ),
    (
        "io.k8s.api.certificates.v1.CertificateSigningRequestSpec",
        "groups",
        "The groups of the user who created the request, recorded by the API server.",
    ),
    (
        "io.k8s.api.certificates.v1.CertificateSigningRequestSpec",
        "extra",
        "Extra attributes of the user who created the request, recorded by the API server.",
    ),
    (
        "io.k8s.api.certificates.v1.CertificateSigningRequestStatus",
        "conditions",
        "Approved or Denied (set through the approval subresource; one excludes the other) and Failed (set by the signer).",
    ),
    (
        "io.k8s.api.certificates.v1.CertificateSigningRequestStatus",
        "certificate",
        "The issued certificate as PEM CERTIFICATE blocks (base64 in JSON), set once by the signer through the status subresource.",
    ),
    (
        "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler",
        "",
        "Sets the replica count of a Deployment, ReplicaSet or StatefulSet (through its scale subresource) from observed metrics such as CPU use relative to the pods' requests, between a lower and an upper bound.",
    ),
    (
        "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler",
        "spec",
        "What to scale, within which bounds, towards which metric targets, and how fast.",
    ),
    (
        "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec",
        "scaleTargetRef",
        "The object whose replicas are set: its kind, name and API version, in the autoscaler's namespace.",
    ),
    (
        "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec",
        "minReplicas",
        "The fewest replicas the autoscaler sets. Defaults to 1.",
    ),
    (
        "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec",
        "maxReplicas",
        "The most replicas the autoscaler sets; at least minReplicas.",
    ),
    (
        "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec",
        "metrics",
        "The measurements to follow. Each proposes a replica count (current replicas times current value over target); the largest proposal wins. Defaults to 80% average CPU utilization.",
    ),
    (
        "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec",
        "behavior",
        "How fast replicas may change in each direction: stabilization windows and rate policies. Left out, scale-up is immediate and scale-down waits five minutes.",
    ),
    (
        "io.k8s.api.autoscaling.v2.HPAScalingRules",
        "stabilizationWindowSeconds",
        "Seconds of past recommendations considered before changing replicas: scaling down uses the highest of them, scaling up the lowest (0 to 3600).",
    ),
    (
        "io.k8s.api.autoscaling.v2.HPAScalingRules",
        "selectPolicy",
        "Which policy wins when several apply: Max (the largest change), Min (the smallest) or Disabled (no change in this direction).",
    ),
    (
        "io.k8s.api.autoscaling.v2.HPAScalingRules",
        "policies",
        "Limits on the change within a period: a number of pods or a percentage of the current replicas.",
    ),
    (
        "io.k8s.api.autoscaling.v2.MetricTarget",
        "averageUtilization",
        "The target mean use of a resource over all pods, as a percentage of what the pods request.",
    ),
    (
        "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus",
        "desiredReplicas",
        "The replica count the autoscaler last computed.",
    ),
    (
        "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus",
        "currentReplicas",
        "The target's replica count when the autoscaler last looked.",
    ),
    (
        "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus",
        "lastScaleTime",
        "When the autoscaler last changed the replica count.",
    ),
];

/// Our description of `field` of the schema `owner` (`""`: of the schema itself). A
/// kind's top-level fields and its status's fields fall back on what all kinds share
/// (`shared`).
pub fn of(owner: &str, field: &str, shared: bool) -> Option<&'static str> {
    let find = |o: &str| {
        TEXT.iter()
            .find(|(s, f, _)| *s == o && *f == field)
            .map(|(_, _, t)| *t)
    };
    find(owner).or_else(|| {
        if shared && !field.is_empty() {
            find("*")
        } else {
            None
        }
    })
}
