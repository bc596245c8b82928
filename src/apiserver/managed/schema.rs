//! What the API server knows of the shape of the built-in kinds: the declared fields of each
//! struct, which fields are atomic, which lists are associative (and by which keys) or sets.
//! Field ownership (managedFields), `fieldValidation` and the decoder's type checks
//! (`types`) read it. Parts that are not described are `Any`: owned field by field, never
//! reported as unknown; scalars whose Go type decodes itself (quantities, int-or-string,
//! times) are `Scalar`, not type checked.

mod batch;
/// The type of a value.
pub enum Ty {
    /// A scalar not type checked: a quantity, int-or-string or time (the OpenAPI
    /// definition that describes it), or `string` (`kind`, `apiVersion`).
    Scalar(&'static str),
    /// `int32` (or `*int32`).
    Int32,
    /// `int64` (or `*int64`).
    Int64,
    /// `bool` (or `*bool`).
    Bool,
    /// A string of this Go type (`string`, `v1.Protocol`, `types.UID`).
    Str(&'static str),
    /// A struct of this Go type (`v1.PodSpec`): its declared fields.
    Struct(&'static str, &'static [Field]),
    /// `map[string]T`: each key a field of its own.
    Map(&'static Ty),
    /// Replaced as a whole (atomic struct, map or list); the inner type is for validation.
    Atomic(&'static Ty),
    /// An atomic list of `T` (a list without `listType`).
    List(&'static Ty),
    /// A list of scalars merged as a set (`listType=set`).
    Set,
    /// An associative list: its elements identified by these keys (`listType=map`).
    Keyed(&'static [&'static str], &'static Ty),
    /// Not described: granular, and any field is accepted.
    Any,
}

/// A declared field of a struct.
pub struct Field {
    pub name: &'static str,
    pub ty: &'static Ty,
    /// Present in the Go zero value of the struct (a non-pointer struct, or a list or map
    /// without `omitempty`, encoded as null). A new object is compared with that zero value.
    pub zero: bool,
    /// Listed in the OpenAPI schema's `required` (the API server refuses an object without it).
    pub required: bool,
}

const fn f(name: &'static str, ty: &'static Ty) -> Field {
    Field {
        name,
        ty,
        zero: false,
        required: false,
    }
}

/// A required field.
const fn r(name: &'static str, ty: &'static Ty) -> Field {
    Field {
        name,
        ty,
        zero: false,
        required: true,
    }
}

/// A required field present in the zero value.
const fn rz(name: &'static str, ty: &'static Ty) -> Field {
    Field {
        name,
        ty,
        zero: true,
        required: true,
    }
}

/// A field present in the zero value.
const fn z(name: &'static str, ty: &'static Ty) -> Field {
    Field {
        name,
        ty,
        zero: true,
        required: false,
    }
}

/// Scalars whose Go type decodes itself (not type checked).
const KIND_STR: &Ty = &Ty::Scalar("string");
const TIME: &Ty = &Ty::Scalar("io.k8s.apimachinery.pkg.apis.meta.v1.Time");
const MICRO_TIME: &Ty = &Ty::Scalar("io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime");
const QUANTITY: &Ty = &Ty::Scalar("io.k8s.apimachinery.pkg.api.resource.Quantity");
const INT_OR_STRING: &Ty = &Ty::Scalar("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
const STR: &Ty = &Ty::Str("string");
const I32: &Ty = &Ty::Int32;
const I64: &Ty = &Ty::Int64;
const BOOL: &Ty = &Ty::Bool;
const UID: &Ty = &Ty::Str("types.UID");
const ANY: &Ty = &Ty::Any;
const STRINGS: &Ty = &Ty::List(STR);
const STRING_MAP: &Ty = &Ty::Map(STR);
/// `map[string][]byte`: base64 strings by key.
const BYTES_MAP: &Ty = &Ty::Map(&Ty::Str("[]uint8"));
/// `v1.ResourceList`: quantities by resource name.
const RESOURCE_LIST: &Ty = &Ty::Map(QUANTITY);
const ATOMIC_ANY: &Ty = &Ty::Atomic(ANY);

static OWNER_REFERENCE: Ty = Ty::Struct(
    "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference",
    &[
        r("apiVersion", STR),
        r("kind", STR),
        r("name", STR),
        r("uid", UID),
        f("controller", BOOL),
        f("blockOwnerDeletion", BOOL),
    ],
);

pub static OBJECT_META: Ty = Ty::Struct(
    "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
    &[
        f("name", STR),
        f("generateName", STR),
        f("namespace", STR),
        f("selfLink", STR),
        f("uid", UID),
        f("resourceVersion", STR),
        f("generation", I64),
        z("creationTimestamp", TIME),
        f("deletionTimestamp", TIME),
        f("deletionGracePeriodSeconds", I64),
        f("labels", STRING_MAP),
        f("annotations", STRING_MAP),
        f("ownerReferences", &Ty::Keyed(&["uid"], &OWNER_REFERENCE)),
        f("finalizers", &Ty::Set),
        f("managedFields", &Ty::List(ANY)),
    ],
);

static CONTAINER_PORT: Ty = Ty::Struct(
    "io.k8s.api.core.v1.ContainerPort",
    &[
        f("name", STR),
        f("hostPort", I32),
        r("containerPort", I32),
        f("protocol", &Ty::Str("v1.Protocol")),
        f("hostIP", STR),
    ],
);

static ENV_VAR_SOURCE: Ty = Ty::Struct(
    "io.k8s.api.core.v1.EnvVarSource",
    &[
        f("fieldRef", ATOMIC_ANY),
        f("resourceFieldRef", ATOMIC_ANY),
        f("configMapKeyRef", ATOMIC_ANY),
        f("secretKeyRef", ATOMIC_ANY),
    ],
);

static ENV_VAR: Ty = Ty::Struct(
    "io.k8s.api.core.v1.EnvVar",
    &[
        r("name", STR),
        f("value", STR),
        f("valueFrom", &ENV_VAR_SOURCE),
    ],
);

static VOLUME_MOUNT: Ty = Ty::Struct(
    "io.k8s.api.core.v1.VolumeMount",
    &[
        r("name", STR),
        f("readOnly", BOOL),
        f("recursiveReadOnly", &Ty::Str("v1.RecursiveReadOnlyMode")),
        r("mountPath", STR),
        f("subPath", STR),
        f("mountPropagation", &Ty::Str("v1.MountPropagationMode")),
        f("subPathExpr", STR),
    ],
);

static RESOURCE_REQUIREMENTS: Ty = Ty::Struct(
    "io.k8s.api.core.v1.ResourceRequirements",
    &[
        f("limits", RESOURCE_LIST),
        f("requests", RESOURCE_LIST),
        f("claims", &Ty::Keyed(&["name"], ANY)),
    ],
);

static PROBE: Ty = Ty::Struct(
    "io.k8s.api.core.v1.Probe",
    &[
        f("exec", ANY),
        f("httpGet", ANY),
        f("tcpSocket", ANY),
        f("grpc", ANY),
        f("initialDelaySeconds", I32),
        f("timeoutSeconds", I32),
        f("periodSeconds", I32),
        f("successThreshold", I32),
        f("failureThreshold", I32),
        f("terminationGracePeriodSeconds", I64),
    ],
);

pub static CONTAINER: Ty = Ty::Struct(
    "io.k8s.api.core.v1.Container",
    &[
        r("name", STR),
        f("image", STR),
        f("command", STRINGS),
        f("args", STRINGS),
        f("workingDir", STR),
        f(
            "ports",
            &Ty::Keyed(&["containerPort", "protocol"], &CONTAINER_PORT),
        ),
        f("envFrom", &Ty::List(ANY)),
        f("env", &Ty::Keyed(&["name"], &ENV_VAR)),
        z("resources", &RESOURCE_REQUIREMENTS),
        f("resizePolicy", &Ty::List(ANY)),
        f("restartPolicy", &Ty::Str("v1.ContainerRestartPolicy")),
        f("volumeMounts", &Ty::Keyed(&["mountPath"], &VOLUME_MOUNT)),
        f("volumeDevices", &Ty::Keyed(&["devicePath"], ANY)),
        f("livenessProbe", &PROBE),
        f("readinessProbe", &PROBE),
        f("startupProbe", &PROBE),
        f("lifecycle", ANY),
        f("terminationMessagePath", STR),
        f(
            "terminationMessagePolicy",
            &Ty::Str("v1.TerminationMessagePolicy"),
        ),
        f("imagePullPolicy", &Ty::Str("v1.PullPolicy")),
        f("securityContext", ANY),
        f("stdin", BOOL),
        f("stdinOnce", BOOL),
        f("tty", BOOL),
    ],
);

static VOLUME: Ty = Ty::Struct(
    "io.k8s.api.core.v1.Volume",
    &[
        r("name", STR),
        f("hostPath", ANY),
        f("emptyDir", ANY),
        f("gcePersistentDisk", ANY),
        f("awsElasticBlockStore", ANY),
        f("gitRepo", ANY),
        f("secret", ANY),
        f("nfs", ANY),
        f("iscsi", ANY),
        f("glusterfs", ANY),
        f("persistentVolumeClaim", ANY),
        f("rbd", ANY),
        f("flexVolume", ANY),
        f("cinder", ANY),
        f("cephfs", ANY),
        f("flocker", ANY),
        f("downwardAPI", ANY),
        f("fc", ANY),
        f("azureFile", ANY),
        f("configMap", ANY),
        f("vsphereVolume", ANY),
        f("quobyte", ANY),
        f("azureDisk", ANY),
        f("photonPersistentDisk", ANY),
        f("projected", ANY),
        f("portworxVolume", ANY),
        f("scaleIO", ANY),
        f("storageos", ANY),
        f("csi", ANY),
        f("ephemeral", ANY),
        f("image", ANY),
    ],
);

static TOLERATION: Ty = Ty::Struct(
    "io.k8s.api.core.v1.Toleration",
    &[
        f("key", STR),
        f("operator", &Ty::Str("v1.TolerationOperator")),
        f("value", STR),
        f("effect", &Ty::Str("v1.TaintEffect")),
        f("tolerationSeconds", I64),
    ],
);

static HOST_ALIAS: Ty = Ty::Struct(
    "io.k8s.api.core.v1.HostAlias",
    &[r("ip", STR), f("hostnames", STRINGS)],
);

static NAME_ONLY: Ty = Ty::Struct("", &[f("name", STR)]);

pub static POD_SPEC: Ty = Ty::Struct(
    "io.k8s.api.core.v1.PodSpec",
    &[
        f("volumes", &Ty::Keyed(&["name"], &VOLUME)),
        f("initContainers", &Ty::Keyed(&["name"], &CONTAINER)),
        rz("containers", &Ty::Keyed(&["name"], &CONTAINER)),
        f("ephemeralContainers", &Ty::Keyed(&["name"], ANY)),
        f("restartPolicy", &Ty::Str("v1.RestartPolicy")),
        f("terminationGracePeriodSeconds", I64),
        f("activeDeadlineSeconds", I64),
        f("dnsPolicy", &Ty::Str("v1.DNSPolicy")),
        f("nodeSelector", &Ty::Atomic(STRING_MAP)),
        f("serviceAccountName", STR),
        f("serviceAccount", STR),
        f("automountServiceAccountToken", BOOL),
        f("nodeName", STR),
        f("hostNetwork", BOOL),
        f("hostPID", BOOL),
        f("hostIPC", BOOL),
        f("shareProcessNamespace", BOOL),
        f("securityContext", ANY),
        f("imagePullSecrets", &Ty::Keyed(&["name"], &NAME_ONLY)),
        f("hostname", STR),
        f("subdomain", STR),
        f("affinity", ANY),
        f("schedulerName", STR),
        f("tolerations", &Ty::List(&TOLERATION)),
        f("hostAliases", &Ty::Keyed(&["ip"], &HOST_ALIAS)),
        f("priorityClassName", STR),
        f("priority", I32),
        f("dnsConfig", ANY),
        f("readinessGates", &Ty::List(ANY)),
        f("runtimeClassName", STR),
        f("enableServiceLinks", BOOL),
        f("preemptionPolicy", &Ty::Str("v1.PreemptionPolicy")),
        f("overhead", RESOURCE_LIST),
        f(
            "topologySpreadConstraints",
            &Ty::Keyed(&["topologyKey", "whenUnsatisfiable"], ANY),
        ),
        f("setHostnameAsFQDN", BOOL),
        f("os", ANY),
        f("hostUsers", BOOL),
        f("schedulingGates", &Ty::Keyed(&["name"], &NAME_ONLY)),
        f("resourceClaims", &Ty::Keyed(&["name"], ANY)),
        f("resources", ANY),
    ],
);

/// A status: conditions keyed by type, the rest not described.
static STATUS: Ty = Ty::Struct("", &[f("conditions", &Ty::Keyed(&["type"], ANY))]);

static POD_STATUS: Ty = Ty::Struct(
    "io.k8s.api.core.v1.PodStatus",
    &[
        f("phase", &Ty::Str("v1.PodPhase")),
        f("conditions", &Ty::Keyed(&["type"], ANY)),
        f("message", STR),
        f("reason", STR),
        f("nominatedNodeName", STR),
        f("hostIP", STR),
        f("hostIPs", &Ty::Keyed(&["ip"], ANY)),
        f("podIP", STR),
        f("podIPs", &Ty::Keyed(&["ip"], ANY)),
        f("startTime", TIME),
        f("initContainerStatuses", &Ty::List(ANY)),
        f("containerStatuses", &Ty::List(ANY)),
        f("qosClass", &Ty::Str("v1.PodQOSClass")),
        f("ephemeralContainerStatuses", &Ty::List(ANY)),
        f("resize", &Ty::Str("v1.PodResizeStatus")),
        f("resourceClaimStatuses", &Ty::Keyed(&["name"], ANY)),
    ],
);

static DEPLOYMENT_STATUS: Ty = Ty::Struct(
    "io.k8s.api.apps.v1.DeploymentStatus",
    &[
        f("observedGeneration", I64),
        f("replicas", I32),
        f("updatedReplicas", I32),
        f("readyReplicas", I32),
        f("availableReplicas", I32),
        f("unavailableReplicas", I32),
        f("conditions", &Ty::Keyed(&["type"], ANY)),
        f("collisionCount", I32),
    ],
);

pub static POD_TEMPLATE_SPEC: Ty = Ty::Struct(
    "io.k8s.api.core.v1.PodTemplateSpec",
    &[z("metadata", &OBJECT_META), z("spec", &POD_SPEC)],
);

static ROLLING_UPDATE: Ty = Ty::Struct(
    "io.k8s.api.apps.v1.RollingUpdateDeployment",
    &[
        f("maxUnavailable", INT_OR_STRING),
        f("maxSurge", INT_OR_STRING),
    ],
);

static DEPLOYMENT_STRATEGY: Ty = Ty::Struct(
    "io.k8s.api.apps.v1.DeploymentStrategy",
    &[
        f("type", &Ty::Str("v1.DeploymentStrategyType")),
        f("rollingUpdate", &ROLLING_UPDATE),
    ],
);

static ROLLING_UPDATE_DAEMON_SET: Ty = Ty::Struct(
    "io.k8s.api.apps.v1.RollingUpdateDaemonSet",
    &[
        f("maxUnavailable", INT_OR_STRING),
        f("maxSurge", INT_OR_STRING),
    ],
);

static DAEMON_SET_UPDATE_STRATEGY: Ty = Ty::Struct(
    "io.k8s.api.apps.v1.DaemonSetUpdateStrategy",
    &[
        f("type", &Ty::Str("v1.DaemonSetUpdateStrategyType")),
        f("rollingUpdate", &ROLLING_UPDATE_DAEMON_SET),
    ],
);

static DEPLOYMENT_SPEC: Ty = Ty::Struct(
    "io.k8s.api.apps.v1.DeploymentSpec",
    &[
        f("replicas", I32),
        rz("selector", ATOMIC_ANY),
        rz("template", &POD_TEMPLATE_SPEC),
        z("strategy", &DEPLOYMENT_STRATEGY),
        f("minReadySeconds", I32),
        f("revisionHistoryLimit", I32),
        f("paused", BOOL),
        f("progressDeadlineSeconds", I32),
    ],
);

static REPLICA_SET_SPEC: Ty = Ty::Struct(
    "io.k8s.api.apps.v1.ReplicaSetSpec",
    &[
        f("replicas", I32),
        f("minReadySeconds", I32),
        rz("selector", ATOMIC_ANY),
        z("template", &POD_TEMPLATE_SPEC),
    ],
);

static DAEMON_SET_SPEC: Ty = Ty::Struct(
    "io.k8s.api.apps.v1.DaemonSetSpec",
    &[
        rz("selector", ATOMIC_ANY),
        rz("template", &POD_TEMPLATE_SPEC),
        z("updateStrategy", &DAEMON_SET_UPDATE_STRATEGY),
        f("minReadySeconds", I32),
        f("revisionHistoryLimit", I32),
    ],
);

static SERVICE_PORT: Ty = Ty::Struct(
    "io.k8s.api.core.v1.ServicePort",
    &[
        f("name", STR),
        f("protocol", &Ty::Str("v1.Protocol")),
        f("appProtocol", STR),
        r("port", I32),
        f("targetPort", INT_OR_STRING),
        f("nodePort", I32),
    ],
);

static SERVICE_SPEC: Ty = Ty::Struct(
    "io.k8s.api.core.v1.ServiceSpec",
    &[
        f("ports", &Ty::Keyed(&["port", "protocol"], &SERVICE_PORT)),
        f("selector", &Ty::Atomic(STRING_MAP)),
        f("clusterIP", STR),
        f("clusterIPs", STRINGS),
        f("type", &Ty::Str("v1.ServiceType")),
        f("externalIPs", STRINGS),
        f("sessionAffinity", &Ty::Str("v1.ServiceAffinity")),
        f("loadBalancerIP", STR),
        f("loadBalancerSourceRanges", STRINGS),
        f("externalName", STR),
        f(
            "externalTrafficPolicy",
            &Ty::Str("v1.ServiceExternalTrafficPolicy"),
        ),
        f("healthCheckNodePort", I32),
        f("publishNotReadyAddresses", BOOL),
        f("sessionAffinityConfig", ANY),
        f("ipFamilies", &Ty::List(&Ty::Str("v1.IPFamily"))),
        f("ipFamilyPolicy", &Ty::Str("v1.IPFamilyPolicy")),
        f("allocateLoadBalancerNodePorts", BOOL),
        f("loadBalancerClass", STR),
        f(
            "internalTrafficPolicy",
            &Ty::Str("v1.ServiceInternalTrafficPolicy"),
        ),
        f("trafficDistribution", STR),
    ],
);

static NAMESPACE_SPEC: Ty = Ty::Struct(
    "io.k8s.api.core.v1.NamespaceSpec",
    &[f("finalizers", &Ty::List(&Ty::Str("v1.FinalizerName")))],
);

macro_rules! object {
    ($name:ident, $spec:expr) => {
        object!($name, $spec, &STATUS);
    };
    ($name:ident, $spec:expr, $status:expr) => {
        static $name: Ty = Ty::Struct(
            "",
            &[
                f("kind", KIND_STR),
                f("apiVersion", KIND_STR),
                z("metadata", &OBJECT_META),
                z("spec", $spec),
                z("status", $status),
            ],
        );
    };
}

object!(POD, &POD_SPEC, &POD_STATUS);
object!(DEPLOYMENT, &DEPLOYMENT_SPEC, &DEPLOYMENT_STATUS);
object!(REPLICA_SET, &REPLICA_SET_SPEC);
object!(DAEMON_SET, &DAEMON_SET_SPEC);
object!(SERVICE, &SERVICE_SPEC);
object!(NAMESPACE, &NAMESPACE_SPEC);

static CONFIG_MAP: Ty = Ty::Struct(
    "io.k8s.api.core.v1.ConfigMap",
    &[
        f("kind", KIND_STR),
        f("apiVersion", KIND_STR),
        z("metadata", &OBJECT_META),
        f("data", STRING_MAP),
        f("binaryData", BYTES_MAP),
        f("immutable", BOOL),
    ],
);

static SECRET: Ty = Ty::Struct(
    "io.k8s.api.core.v1.Secret",
    &[
        f("kind", KIND_STR),
        f("apiVersion", KIND_STR),
        z("metadata", &OBJECT_META),
        f("data", BYTES_MAP),
        f("stringData", STRING_MAP),
        f("type", &Ty::Str("v1.SecretType")),
        f("immutable", BOOL),
    ],
);

/// Kinds described for the decoder's type checks only: their other fields are not all
/// listed here, so unknown fields are not reported for them (see `of_kind`).
macro_rules! typed_object {
    ($name:ident, $($field:expr),* $(,)?) => {
        static $name: Ty = Ty::Struct(
            "",
            &[f("kind", KIND_STR), f("apiVersion", KIND_STR), z("metadata", &OBJECT_META), $($field),*],
        );
    };
}

static OBJECT_REFERENCE: Ty = Ty::Struct(
    "io.k8s.api.core.v1.ObjectReference",
    &[
        f("kind", STR),
        f("namespace", STR),
        f("name", STR),
        f("uid", UID),
        f("apiVersion", STR),
        f("resourceVersion", STR),
        f("fieldPath", STR),
    ],
);

// v1 Binding: the pod it is named after goes to the node its target names.
typed_object!(BINDING, r("target", &OBJECT_REFERENCE));

static LEASE_SPEC: Ty = Ty::Struct(
    "io.k8s.api.coordination.v1.LeaseSpec",
    &[
        f("holderIdentity", STR),
        f("leaseDurationSeconds", I32),
        f("acquireTime", MICRO_TIME),
        f("renewTime", MICRO_TIME),
        f("leaseTransitions", I32),
        f("strategy", &Ty::Str("v1.CoordinatedLeaseStrategy")),
        f("preferredHolder", STR),
    ],
);
typed_object!(LEASE, f("spec", &LEASE_SPEC));

static EVENT_SERIES: Ty = Ty::Struct(
    "io.k8s.api.core.v1.EventSeries",
    &[f("count", I32), f("lastObservedTime", MICRO_TIME)],
);
typed_object!(
    EVENT,
    r("involvedObject", &OBJECT_REFERENCE),
    f("reason", STR),
    f("message", STR),
    f("count", I32),
    f("type", STR),
    f("series", &EVENT_SERIES),
    f("action", STR),
    f("related", &OBJECT_REFERENCE),
    f("reportingComponent", STR),
    f("reportingInstance", STR),
);

static ENDPOINT_ADDRESS: Ty = Ty::Struct(
    "io.k8s.api.core.v1.EndpointAddress",
    &[
        r("ip", STR),
        f("hostname", STR),
        f("nodeName", STR),
        f("targetRef", &OBJECT_REFERENCE),
    ],
);
static ENDPOINT_PORT: Ty = Ty::Struct(
    "io.k8s.api.core.v1.EndpointPort",
    &[
        f("name", STR),
        f("port", I32),
        f("protocol", &Ty::Str("v1.Protocol")),
        f("appProtocol", STR),
    ],
);
static ENDPOINT_SUBSET: Ty = Ty::Struct(
    "io.k8s.api.core.v1.EndpointSubset",
    &[
        f("addresses", &Ty::List(&ENDPOINT_ADDRESS)),
        f("notReadyAddresses", &Ty::List(&ENDPOINT_ADDRESS)),
        f("ports", &Ty::List(&ENDPOINT_PORT)),
    ],
);
typed_object!(ENDPOINTS, f("subsets", &Ty::List(&ENDPOINT_SUBSET)));

static SLICE_CONDITIONS: Ty = Ty::Struct(
    "io.k8s.api.discovery.v1.EndpointConditions",
    &[f("ready", BOOL), f("serving", BOOL), f("terminating", BOOL)],
);
static SLICE_ENDPOINT: Ty = Ty::Struct(
    "io.k8s.api.discovery.v1.Endpoint",
    &[
        r("addresses", &Ty::Set),
        f("conditions", &SLICE_CONDITIONS),
        f("hostname", STR),
        f("targetRef", &OBJECT_REFERENCE),
        f("nodeName", STR),
        f("zone", STR),
        f("hints", ANY),
    ],
);
static SLICE_PORT: Ty = Ty::Struct(
    "io.k8s.api.discovery.v1.EndpointPort",
    &[
        f("name", STR),
        f("protocol", &Ty::Str("v1.Protocol")),
        f("port", I32),
        f("appProtocol", STR),
    ],
);
typed_object!(
    ENDPOINT_SLICE,
    r("addressType", &Ty::Str("v1.AddressType")),
    r("endpoints", &Ty::List(&SLICE_ENDPOINT)),
    f("ports", &Ty::List(&SLICE_PORT)),
);

// StatefulSets, ControllerRevisions and the volume kinds (described for type checks, ownership
// and explain; not every field is listed, so unknown fields are not reported for them).
static LABEL_SELECTOR: Ty = Ty::Atomic(ANY);
static VOLUME_RESOURCE_REQUIREMENTS: Ty = Ty::Struct(
    "io.k8s.api.core.v1.VolumeResourceRequirements",
    &[f("limits", RESOURCE_LIST), f("requests", RESOURCE_LIST)],
);
static PVC_SPEC: Ty = Ty::Struct(
    "io.k8s.api.core.v1.PersistentVolumeClaimSpec",
    &[
        f(
            "accessModes",
            &Ty::List(&Ty::Str("v1.PersistentVolumeAccessMode")),
        ),
        f("selector", &LABEL_SELECTOR),
        f("resources", &VOLUME_RESOURCE_REQUIREMENTS),
        f("volumeName", STR),
        f("storageClassName", STR),
        f("volumeMode", &Ty::Str("v1.PersistentVolumeMode")),
        f("dataSource", ATOMIC_ANY),
        f("dataSourceRef", ATOMIC_ANY),
        f("volumeAttributesClassName", STR),
    ],
);
static PVC_STATUS: Ty = Ty::Struct(
    "io.k8s.api.core.v1.PersistentVolumeClaimStatus",
    &[
        f("phase", &Ty::Str("v1.PersistentVolumeClaimPhase")),
        f(
            "accessModes",
            &Ty::List(&Ty::Str("v1.PersistentVolumeAccessMode")),
        ),
        f("capacity", RESOURCE_LIST),
        f("conditions", &Ty::Keyed(&["type"], ANY)),
        f("allocatedResources", RESOURCE_LIST),
        f("currentVolumeAttributesClassName", STR),
    ],
);
object!(PERSISTENT_VOLUME_CLAIM, &PVC_SPEC, &PVC_STATUS);
static PV_SPEC: Ty = Ty::Struct(
    "io.k8s.api.core.v1.PersistentVolumeSpec",
    &[
        f("capacity", RESOURCE_LIST),
        f("hostPath", ANY),
        f("local", ANY),
        f("csi", ANY),
        f("nfs", ANY),
        f(
            "accessModes",
            &Ty::List(&Ty::Str("v1.PersistentVolumeAccessMode")),
        ),
        f("claimRef", ATOMIC_ANY),
        f(
            "persistentVolumeReclaimPolicy",
            &Ty::Str("v1.PersistentVolumeReclaimPolicy"),
        ),
        f("storageClassName", STR),
        f("mountOptions", STRINGS),
        f("volumeMode", &Ty::Str("v1.PersistentVolumeMode")),
        f("nodeAffinity", ANY),
        f("volumeAttributesClassName", STR),
    ],
);
static PV_STATUS: Ty = Ty::Struct(
    "io.k8s.api.core.v1.PersistentVolumeStatus",
    &[
        f("phase", &Ty::Str("v1.PersistentVolumePhase")),
        f("message", STR),
        f("reason", STR),
        f("lastPhaseTransitionTime", TIME),
    ],
);
object!(PERSISTENT_VOLUME, &PV_SPEC, &PV_STATUS);
static PVC_TEMPLATE: Ty = Ty::Struct(
    "io.k8s.api.core.v1.PersistentVolumeClaim",
    &[
        f("kind", KIND_STR),
        f("apiVersion", KIND_STR),
        z("metadata", &OBJECT_META),
        z("spec", &PVC_SPEC),
        z("status", &PVC_STATUS),
    ],
);
static ROLLING_UPDATE_STATEFUL_SET: Ty = Ty::Struct(
    "io.k8s.api.apps.v1.RollingUpdateStatefulSetStrategy",
    &[f("partition", I32), f("maxUnavailable", INT_OR_STRING)],
);
static STATEFUL_SET_UPDATE_STRATEGY: Ty = Ty::Struct(
    "io.k8s.api.apps.v1.StatefulSetUpdateStrategy",
    &[
        f("type", &Ty::Str("v1.StatefulSetUpdateStrategyType")),
        f("rollingUpdate", &ROLLING_UPDATE_STATEFUL_SET),
    ],
);
static STATEFUL_SET_RETENTION: Ty = Ty::Struct(
    "io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy",
    &[
        f(
            "whenDeleted",
            &Ty::Str("v1.PersistentVolumeClaimRetentionPolicyType"),
        ),
        f(
            "whenScaled",
            &Ty::Str("v1.PersistentVolumeClaimRetentionPolicyType"),
        ),
    ],
);
static STATEFUL_SET_SPEC: Ty = Ty::Struct(
    "io.k8s.api.apps.v1.StatefulSetSpec",
    &[
        f("replicas", I32),
        rz("selector", ATOMIC_ANY),
        rz("template", &POD_TEMPLATE_SPEC),
        f("volumeClaimTemplates", &Ty::List(&PVC_TEMPLATE)),
        f("serviceName", STR),
        f(
            "podManagementPolicy",
            &Ty::Str("v1.PodManagementPolicyType"),
        ),
        z("updateStrategy", &STATEFUL_SET_UPDATE_STRATEGY),
        f("revisionHistoryLimit", I32),
        f("minReadySeconds", I32),
        f(
            "persistentVolumeClaimRetentionPolicy",
            &STATEFUL_SET_RETENTION,
        ),
        f("ordinals", ANY),
    ],
);
static STATEFUL_SET_STATUS: Ty = Ty::Struct(
    "io.k8s.api.apps.v1.StatefulSetStatus",
    &[
        f("observedGeneration", I64),
        rz("replicas", I32),
        f("readyReplicas", I32),
        f("currentReplicas", I32),
        f("updatedReplicas", I32),
        f("currentRevision", STR),
        f("updateRevision", STR),
        f("collisionCount", I32),
        f("conditions", &Ty::Keyed(&["type"], ANY)),
        f("availableReplicas", I32),
    ],
);
object!(STATEFUL_SET, &STATEFUL_SET_SPEC, &STATEFUL_SET_STATUS);
typed_object!(CONTROLLER_REVISION, f("data", ANY), r("revision", I64),);

// autoscaling/v2 HorizontalPodAutoscaler (described for ownership and explain).
static HPA_REFERENCE: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v2.CrossVersionObjectReference",
    &[r("kind", STR), r("name", STR), f("apiVersion", STR)],
);
static METRIC_IDENTIFIER: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v2.MetricIdentifier",
    &[r("name", STR), f("selector", &LABEL_SELECTOR)],
);
static METRIC_TARGET: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v2.MetricTarget",
    &[
        r("type", STR),
        f("value", QUANTITY),
        f("averageValue", QUANTITY),
        f("averageUtilization", I32),
    ],
);
static METRIC_VALUE_STATUS: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v2.MetricValueStatus",
    &[
        f("value", QUANTITY),
        f("averageValue", QUANTITY),
        f("averageUtilization", I32),
    ],
);
static RESOURCE_METRIC_STATUS: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v2.ResourceMetricStatus",
    &[r("name", STR), r("current", &METRIC_VALUE_STATUS)],
);
static METRIC_STATUS: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v2.MetricStatus",
    &[
        r("type", STR),
        f("object", ANY),
        f("pods", ANY),
        f("resource", &RESOURCE_METRIC_STATUS),
        f("containerResource", ANY),
        f("external", ANY),
    ],
);
static RESOURCE_METRIC_SOURCE: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v2.ResourceMetricSource",
    &[r("name", STR), r("target", &METRIC_TARGET)],
);
static CONTAINER_RESOURCE_METRIC_SOURCE: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v2.ContainerResourceMetricSource",
    &[
        r("name", STR),
        r("target", &METRIC_TARGET),
        r("container", STR),
    ],
);
static PODS_METRIC_SOURCE: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v2.PodsMetricSource",
    &[r("metric", &METRIC_IDENTIFIER), r("target", &METRIC_TARGET)],
);
static OBJECT_METRIC_SOURCE: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v2.ObjectMetricSource",
    &[
        r("describedObject", &HPA_REFERENCE),
        r("target", &METRIC_TARGET),
        r("metric", &METRIC_IDENTIFIER),
    ],
);
static EXTERNAL_METRIC_SOURCE: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v2.ExternalMetricSource",
    &[r("metric", &METRIC_IDENTIFIER), r("target", &METRIC_TARGET)],
);
static METRIC_SPEC: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v2.MetricSpec",
    &[
        r("type", STR),
        f("object", &OBJECT_METRIC_SOURCE),
        f("pods", &PODS_METRIC_SOURCE),
        f("resource", &RESOURCE_METRIC_SOURCE),
        f("containerResource", &CONTAINER_RESOURCE_METRIC_SOURCE),
        f("external", &EXTERNAL_METRIC_SOURCE),
    ],
);
static HPA_SCALING_POLICY: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v2.HPAScalingPolicy",
    &[r("type", STR), r("value", I32), r("periodSeconds", I32)],
);
static HPA_SCALING_RULES: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v2.HPAScalingRules",
    &[
        f("stabilizationWindowSeconds", I32),
        f("selectPolicy", STR),
        f("policies", &Ty::List(&HPA_SCALING_POLICY)),
    ],
);
static HPA_BEHAVIOR: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerBehavior",
    &[
        f("scaleUp", &HPA_SCALING_RULES),
        f("scaleDown", &HPA_SCALING_RULES),
    ],
);
static HPA_SPEC: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec",
    &[
        r("scaleTargetRef", &HPA_REFERENCE),
        f("minReplicas", I32),
        rz("maxReplicas", I32),
        f("metrics", &Ty::List(&METRIC_SPEC)),
        f("behavior", &HPA_BEHAVIOR),
    ],
);
static HPA_STATUS: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus",
    &[
        f("observedGeneration", I64),
        f("lastScaleTime", TIME),
        f("currentReplicas", I32),
        rz("desiredReplicas", I32),
        f("currentMetrics", &Ty::List(&METRIC_STATUS)),
        f("conditions", &Ty::Keyed(&["type"], ANY)),
    ],
);
object!(HORIZONTAL_POD_AUTOSCALER, &HPA_SPEC, &HPA_STATUS);

// certificates.k8s.io/v1 CertificateSigningRequest.
static CSR_SPEC: Ty = Ty::Struct(
    "io.k8s.api.certificates.v1.CertificateSigningRequestSpec",
    &[
        rz("request", &Ty::Str("[]uint8")),
        rz("signerName", STR),
        f("expirationSeconds", I32),
        f("usages", &Ty::Atomic(&Ty::List(&Ty::Str("v1.KeyUsage")))),
        f("username", STR),
        f("uid", STR),
        f("groups", &Ty::Atomic(STRINGS)),
        f("extra", &Ty::Map(&Ty::Atomic(STRINGS))),
    ],
);
static CSR_CONDITION: Ty = Ty::Struct(
    "io.k8s.api.certificates.v1.CertificateSigningRequestCondition",
    &[
        rz("type", &Ty::Str("v1.RequestConditionType")),
        rz("status", &Ty::Str("v1.ConditionStatus")),
        f("reason", STR),
        f("message", STR),
        f("lastUpdateTime", TIME),
        f("lastTransitionTime", TIME),
    ],
);
static CSR_STATUS: Ty = Ty::Struct(
    "io.k8s.api.certificates.v1.CertificateSigningRequestStatus",
    &[
        f("conditions", &Ty::Keyed(&["type"], &CSR_CONDITION)),
        f("certificate", &Ty::Atomic(&Ty::Str("[]uint8"))),
    ],
);
object!(CERTIFICATE_SIGNING_REQUEST, &CSR_SPEC, &CSR_STATUS);
// autoscaling/v1 HorizontalPodAutoscaler: the CPU-only view of the same objects.
static HPA_V1_REFERENCE: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v1.CrossVersionObjectReference",
    &[r("kind", STR), r("name", STR), f("apiVersion", STR)],
);
static HPA_V1_SPEC: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec",
    &[
        r("scaleTargetRef", &HPA_V1_REFERENCE),
        f("minReplicas", I32),
        rz("maxReplicas", I32),
        f("targetCPUUtilizationPercentage", I32),
    ],
);
static HPA_V1_STATUS: Ty = Ty::Struct(
    "io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerStatus",
    &[
        f("observedGeneration", I64),
        f("lastScaleTime", TIME),
        rz("currentReplicas", I32),
        rz("desiredReplicas", I32),
        f("currentCPUUtilizationPercentage", I32),
    ],
);
object!(HORIZONTAL_POD_AUTOSCALER_V1, &HPA_V1_SPEC, &HPA_V1_STATUS);

// events.k8s.io/v1 Event: core Events under other names.
static EVENTS_V1_SERIES: Ty = Ty::Struct(
    "io.k8s.api.events.v1.EventSeries",
    &[r("count", I32), r("lastObservedTime", MICRO_TIME)],
);
typed_object!(
    EVENTS_V1_EVENT,
    f("eventTime", MICRO_TIME),
    f("series", &EVENTS_V1_SERIES),
    f("reportingController", STR),
    f("reportingInstance", STR),
    f("action", STR),
    f("reason", STR),
    f("regarding", &OBJECT_REFERENCE),
    f("related", &OBJECT_REFERENCE),
    f("note", STR),
    f("type", STR),
    f("deprecatedSource", ANY),
    f("deprecatedFirstTimestamp", TIME),
    f("deprecatedLastTimestamp", TIME),
    f("deprecatedCount", I32),
);

/// The type of a resource stored under another's keys (`registry::stored_version_of`),
/// whose kind `of_kind` describes at the stored version; `of_kind` for the rest.
pub fn of_version(group: &str, kind: &str, version: &str) -> (&'static Ty, bool) {
    match (group, kind, version) {
        ("autoscaling", "HorizontalPodAutoscaler", "v1") => (&HORIZONTAL_POD_AUTOSCALER_V1, false),
        ("events.k8s.io", "Event", "v1") => (&EVENTS_V1_EVENT, false),
        _ => of_kind(kind),
    }
}
typed_object!(
    STORAGE_CLASS,
    r("provisioner", STR),
    f("parameters", STRING_MAP),
    f(
        "reclaimPolicy",
        &Ty::Str("v1.PersistentVolumeReclaimPolicy")
    ),
    f("mountOptions", STRINGS),
    f("allowVolumeExpansion", BOOL),
    f("volumeBindingMode", &Ty::Str("v1.VolumeBindingMode")),
    f("allowedTopologies", &Ty::List(ANY)),
);
static POLICY_RULE: Ty = Ty::Struct(
    "io.k8s.api.rbac.v1.PolicyRule",
    &[
        rz("verbs", STRINGS),
        f("apiGroups", STRINGS),
        f("resources", STRINGS),
        f("resourceNames", STRINGS),
        f("nonResourceURLs", STRINGS),
    ],
);
static AGGREGATION_RULE: Ty = Ty::Struct(
    "io.k8s.api.rbac.v1.AggregationRule",
    &[f("clusterRoleSelectors", &Ty::List(ATOMIC_ANY))],
);
static SUBJECT: Ty = Ty::Atomic(&Ty::Struct(
    "io.k8s.api.rbac.v1.Subject",
    &[
        r("kind", STR),
        f("apiGroup", STR),
        r("name", STR),
        f("namespace", STR),
    ],
));
static ROLE_REF: Ty = Ty::Atomic(&Ty::Struct(
    "io.k8s.api.rbac.v1.RoleRef",
    &[r("apiGroup", STR), r("kind", STR), r("name", STR)],
));
macro_rules! rbac_object {
    ($name:ident, $($field:expr),* $(,)?) => {
        static $name: Ty = Ty::Struct(
            "",
            &[f("kind", KIND_STR), f("apiVersion", KIND_STR), z("metadata", &OBJECT_META), $($field),*],
        );
    };
}
rbac_object!(ROLE, z("rules", &Ty::List(&POLICY_RULE)));
rbac_object!(
    CLUSTER_ROLE,
    z("rules", &Ty::List(&POLICY_RULE)),
    f("aggregationRule", &AGGREGATION_RULE),
);
rbac_object!(
    ROLE_BINDING,
    f("subjects", &Ty::List(&SUBJECT)),
    rz("roleRef", &ROLE_REF),
);
mod admission_policy_kinds;
mod flow_kinds;
mod policy_kinds;
mod webhook_kinds;

/// Any other kind: its metadata is known, the rest is not described.
static OTHER: Ty = Ty::Struct(
    "",
    &[
        f("kind", KIND_STR),
        f("apiVersion", KIND_STR),
        z("metadata", &OBJECT_META),
    ],
);

/// The type of an object of `kind`, and whether it is fully described. Unknown fields are
/// reported only for fully described kinds, and in the metadata of the others.
pub fn of_kind(kind: &str) -> (&'static Ty, bool) {
    match kind {
        "Pod" => (&POD, true),
        "Deployment" => (&DEPLOYMENT, true),
        "ReplicaSet" => (&REPLICA_SET, true),
        "DaemonSet" => (&DAEMON_SET, true),
        "Job" => (&batch::JOB, true),
        "CronJob" => (&batch::CRON_JOB, true),
        "Service" => (&SERVICE, true),
        "Namespace" => (&NAMESPACE, true),
        "ConfigMap" => (&CONFIG_MAP, true),
        "Secret" => (&SECRET, true),
        "Lease" => (&LEASE, false),
        "Event" => (&EVENT, false),
        "Endpoints" => (&ENDPOINTS, false),
        "EndpointSlice" => (&ENDPOINT_SLICE, false),
        "StatefulSet" => (&STATEFUL_SET, false),
        "ControllerRevision" => (&CONTROLLER_REVISION, false),
        "PersistentVolumeClaim" => (&PERSISTENT_VOLUME_CLAIM, false),
        "PersistentVolume" => (&PERSISTENT_VOLUME, false),
        "StorageClass" => (&STORAGE_CLASS, false),
        "Role" => (&ROLE, true),
        "ClusterRole" => (&CLUSTER_ROLE, true),
        "RoleBinding" | "ClusterRoleBinding" => (&ROLE_BINDING, true),
        "HorizontalPodAutoscaler" => (&HORIZONTAL_POD_AUTOSCALER, false),
        "CertificateSigningRequest" => (&CERTIFICATE_SIGNING_REQUEST, true),
        "Binding" => (&BINDING, true),
        _ => match policy_kinds::of_kind(kind)
            .or_else(|| webhook_kinds::of_kind(kind))
            .or_else(|| admission_policy_kinds::of_kind(kind))
            .or_else(|| flow_kinds::of_kind(kind))
        {
            Some(ty) => (ty, true),
            None => (&OTHER, false),
        },
    }
}

impl Ty {
    /// The declared field `name` of a struct.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        match self {
            Ty::Struct(_, fields) => fields.iter().find(|f| f.name == name),
            _ => None,
        }
    }

    /// The type of the value under key `name` of this map-like type (`Any` when unknown).
    pub fn child(&self, name: &str) -> &'static Ty {
        match self {
            Ty::Struct(..) => self.field(name).map_or(ANY, |f| f.ty),
            Ty::Map(t) => t,
            _ => ANY,
        }
    }

    /// Adds the fields a Go struct always has (see `Field::zero`) where `v` lacks them, as
    /// decoding into kube's types would: a comparison then sees what kube sees.
    pub fn fill_zero(&self, v: &mut serde_json::Value) {
        let (Ty::Struct(_, fields), serde_json::Value::Object(map)) = (self, v) else {
            return;
        };
        for field in fields.iter() {
            match map.get_mut(field.name) {
                Some(child) => field.ty.fill_zero(child),
                None if field.zero => {
                    map.insert(field.name.to_string(), field.ty.zero_value_or_null());
                }
                None => {}
            }
        }
    }

    fn zero_value_or_null(&self) -> serde_json::Value {
        match self {
            Ty::Struct(..) => self.zero_value(),
            _ => serde_json::Value::Null,
        }
    }

    /// The Go zero value of an object of this type: the fields always encoded.
    pub fn zero_value(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        if let Ty::Struct(_, fields) = self {
            for field in fields.iter().filter(|f| f.zero) {
                let v = match field.ty {
                    Ty::Struct(..) => field.ty.zero_value(),
                    _ => serde_json::Value::Null,
                };
                map.insert(field.name.to_string(), v);
            }
        }
        serde_json::Value::Object(map)
    }
}
