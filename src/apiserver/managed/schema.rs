//! What the API server knows of the shape of the built-in kinds: the declared fields of each
//! struct, which fields are atomic, which lists are associative (and by which keys) or sets.
//! Field ownership (managedFields) and `fieldValidation` both read it. Parts that are not
//! described are `Any`: owned field by field, never reported as unknown.

/// The type of a value.
pub enum Ty {
    /// A string, number, boolean, quantity or int-or-string.
    Scalar,
    /// A struct: its declared fields.
    Struct(&'static [Field]),
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
}

const fn f(name: &'static str, ty: &'static Ty) -> Field {
    Field {
        name,
        ty,
        zero: false,
    }
}

/// A field present in the zero value.
const fn z(name: &'static str, ty: &'static Ty) -> Field {
    Field {
        name,
        ty,
        zero: true,
    }
}

const S: &Ty = &Ty::Scalar;
const ANY: &Ty = &Ty::Any;
const STRINGS: &Ty = &Ty::List(S);
const STRING_MAP: &Ty = &Ty::Map(S);
const ATOMIC_ANY: &Ty = &Ty::Atomic(ANY);

static OWNER_REFERENCE: Ty = Ty::Struct(&[
    f("apiVersion", S),
    f("kind", S),
    f("name", S),
    f("uid", S),
    f("controller", S),
    f("blockOwnerDeletion", S),
]);

pub static OBJECT_META: Ty = Ty::Struct(&[
    f("name", S),
    f("generateName", S),
    f("namespace", S),
    f("selfLink", S),
    f("uid", S),
    f("resourceVersion", S),
    f("generation", S),
    z("creationTimestamp", S),
    f("deletionTimestamp", S),
    f("deletionGracePeriodSeconds", S),
    f("labels", STRING_MAP),
    f("annotations", STRING_MAP),
    f("ownerReferences", &Ty::Keyed(&["uid"], &OWNER_REFERENCE)),
    f("finalizers", &Ty::Set),
    f("managedFields", &Ty::List(ANY)),
]);

static CONTAINER_PORT: Ty = Ty::Struct(&[
    f("name", S),
    f("hostPort", S),
    f("containerPort", S),
    f("protocol", S),
    f("hostIP", S),
]);

static ENV_VAR_SOURCE: Ty = Ty::Struct(&[
    f("fieldRef", ATOMIC_ANY),
    f("resourceFieldRef", ATOMIC_ANY),
    f("configMapKeyRef", ATOMIC_ANY),
    f("secretKeyRef", ATOMIC_ANY),
]);

static ENV_VAR: Ty = Ty::Struct(&[f("name", S), f("value", S), f("valueFrom", &ENV_VAR_SOURCE)]);

static VOLUME_MOUNT: Ty = Ty::Struct(&[
    f("name", S),
    f("readOnly", S),
    f("recursiveReadOnly", S),
    f("mountPath", S),
    f("subPath", S),
    f("mountPropagation", S),
    f("subPathExpr", S),
]);

static RESOURCE_REQUIREMENTS: Ty = Ty::Struct(&[
    f("limits", STRING_MAP),
    f("requests", STRING_MAP),
    f("claims", &Ty::Keyed(&["name"], ANY)),
]);

pub static CONTAINER: Ty = Ty::Struct(&[
    f("name", S),
    f("image", S),
    f("command", STRINGS),
    f("args", STRINGS),
    f("workingDir", S),
    f(
        "ports",
        &Ty::Keyed(&["containerPort", "protocol"], &CONTAINER_PORT),
    ),
    f("envFrom", &Ty::List(ANY)),
    f("env", &Ty::Keyed(&["name"], &ENV_VAR)),
    z("resources", &RESOURCE_REQUIREMENTS),
    f("resizePolicy", &Ty::List(ANY)),
    f("restartPolicy", S),
    f("volumeMounts", &Ty::Keyed(&["mountPath"], &VOLUME_MOUNT)),
    f("volumeDevices", &Ty::Keyed(&["devicePath"], ANY)),
    f("livenessProbe", ANY),
    f("readinessProbe", ANY),
    f("startupProbe", ANY),
    f("lifecycle", ANY),
    f("terminationMessagePath", S),
    f("terminationMessagePolicy", S),
    f("imagePullPolicy", S),
    f("securityContext", ANY),
    f("stdin", S),
    f("stdinOnce", S),
    f("tty", S),
]);

static VOLUME: Ty = Ty::Struct(&[
    f("name", S),
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
]);

static TOLERATION: Ty = Ty::Struct(&[
    f("key", S),
    f("operator", S),
    f("value", S),
    f("effect", S),
    f("tolerationSeconds", S),
]);

static HOST_ALIAS: Ty = Ty::Struct(&[f("ip", S), f("hostnames", STRINGS)]);

static NAME_ONLY: Ty = Ty::Struct(&[f("name", S)]);

pub static POD_SPEC: Ty = Ty::Struct(&[
    f("volumes", &Ty::Keyed(&["name"], &VOLUME)),
    f("initContainers", &Ty::Keyed(&["name"], &CONTAINER)),
    z("containers", &Ty::Keyed(&["name"], &CONTAINER)),
    f("ephemeralContainers", &Ty::Keyed(&["name"], ANY)),
    f("restartPolicy", S),
    f("terminationGracePeriodSeconds", S),
    f("activeDeadlineSeconds", S),
    f("dnsPolicy", S),
    f("nodeSelector", &Ty::Atomic(STRING_MAP)),
    f("serviceAccountName", S),
    f("serviceAccount", S),
    f("automountServiceAccountToken", S),
    f("nodeName", S),
    f("hostNetwork", S),
    f("hostPID", S),
    f("hostIPC", S),
    f("shareProcessNamespace", S),
    f("securityContext", ANY),
    f("imagePullSecrets", &Ty::Keyed(&["name"], &NAME_ONLY)),
    f("hostname", S),
    f("subdomain", S),
    f("affinity", ANY),
    f("schedulerName", S),
    f("tolerations", &Ty::List(&TOLERATION)),
    f("hostAliases", &Ty::Keyed(&["ip"], &HOST_ALIAS)),
    f("priorityClassName", S),
    f("priority", S),
    f("dnsConfig", ANY),
    f("readinessGates", &Ty::List(ANY)),
    f("runtimeClassName", S),
    f("enableServiceLinks", S),
    f("preemptionPolicy", S),
    f("overhead", STRING_MAP),
    f(
        "topologySpreadConstraints",
        &Ty::Keyed(&["topologyKey", "whenUnsatisfiable"], ANY),
    ),
    f("setHostnameAsFQDN", S),
    f("os", ANY),
    f("hostUsers", S),
    f("schedulingGates", &Ty::Keyed(&["name"], &NAME_ONLY)),
    f("resourceClaims", &Ty::Keyed(&["name"], ANY)),
    f("resources", ANY),
]);

/// A status: conditions keyed by type, the rest not described.
static STATUS: Ty = Ty::Struct(&[f("conditions", &Ty::Keyed(&["type"], ANY))]);

pub static POD_TEMPLATE_SPEC: Ty = Ty::Struct(&[z("metadata", &OBJECT_META), z("spec", &POD_SPEC)]);

static ROLLING_UPDATE: Ty = Ty::Struct(&[f("maxUnavailable", S), f("maxSurge", S)]);

static DEPLOYMENT_STRATEGY: Ty = Ty::Struct(&[f("type", S), f("rollingUpdate", &ROLLING_UPDATE)]);

static DEPLOYMENT_SPEC: Ty = Ty::Struct(&[
    f("replicas", S),
    z("selector", ATOMIC_ANY),
    z("template", &POD_TEMPLATE_SPEC),
    z("strategy", &DEPLOYMENT_STRATEGY),
    f("minReadySeconds", S),
    f("revisionHistoryLimit", S),
    f("paused", S),
    f("progressDeadlineSeconds", S),
]);

static REPLICA_SET_SPEC: Ty = Ty::Struct(&[
    f("replicas", S),
    f("minReadySeconds", S),
    z("selector", ATOMIC_ANY),
    z("template", &POD_TEMPLATE_SPEC),
]);

static DAEMON_SET_SPEC: Ty = Ty::Struct(&[
    z("selector", ATOMIC_ANY),
    z("template", &POD_TEMPLATE_SPEC),
    z("updateStrategy", &DEPLOYMENT_STRATEGY),
    f("minReadySeconds", S),
    f("revisionHistoryLimit", S),
]);

static SERVICE_PORT: Ty = Ty::Struct(&[
    f("name", S),
    f("protocol", S),
    f("appProtocol", S),
    f("port", S),
    f("targetPort", S),
    f("nodePort", S),
]);

static SERVICE_SPEC: Ty = Ty::Struct(&[
    f("ports", &Ty::Keyed(&["port", "protocol"], &SERVICE_PORT)),
    f("selector", &Ty::Atomic(STRING_MAP)),
    f("clusterIP", S),
    f("clusterIPs", STRINGS),
    f("type", S),
    f("externalIPs", STRINGS),
    f("sessionAffinity", S),
    f("loadBalancerIP", S),
    f("loadBalancerSourceRanges", STRINGS),
    f("externalName", S),
    f("externalTrafficPolicy", S),
    f("healthCheckNodePort", S),
    f("publishNotReadyAddresses", S),
    f("sessionAffinityConfig", ANY),
    f("ipFamilies", STRINGS),
    f("ipFamilyPolicy", S),
    f("allocateLoadBalancerNodePorts", S),
    f("loadBalancerClass", S),
    f("internalTrafficPolicy", S),
    f("trafficDistribution", S),
]);

static NAMESPACE_SPEC: Ty = Ty::Struct(&[f("finalizers", STRINGS)]);

macro_rules! object {
    ($name:ident, $spec:expr) => {
        static $name: Ty = Ty::Struct(&[
            f("kind", S),
            f("apiVersion", S),
            z("metadata", &OBJECT_META),
            z("spec", $spec),
            z("status", &STATUS),
        ]);
    };
}

object!(POD, &POD_SPEC);
object!(DEPLOYMENT, &DEPLOYMENT_SPEC);
object!(REPLICA_SET, &REPLICA_SET_SPEC);
object!(DAEMON_SET, &DAEMON_SET_SPEC);
object!(SERVICE, &SERVICE_SPEC);
object!(NAMESPACE, &NAMESPACE_SPEC);

static CONFIG_MAP: Ty = Ty::Struct(&[
    f("kind", S),
    f("apiVersion", S),
    z("metadata", &OBJECT_META),
    f("data", STRING_MAP),
    f("binaryData", STRING_MAP),
    f("immutable", S),
]);

static SECRET: Ty = Ty::Struct(&[
    f("kind", S),
    f("apiVersion", S),
    z("metadata", &OBJECT_META),
    f("data", STRING_MAP),
    f("stringData", STRING_MAP),
    f("type", S),
    f("immutable", S),
]);

/// Any other kind: its metadata is known, the rest is not described.
static OTHER: Ty = Ty::Struct(&[
    f("kind", S),
    f("apiVersion", S),
    z("metadata", &OBJECT_META),
]);

/// The type of an object of `kind`, and whether it is fully described (only then are
/// unknown top-level fields reported).
pub fn of_kind(kind: &str) -> (&'static Ty, bool) {
    match kind {
        "Pod" => (&POD, true),
        "Deployment" => (&DEPLOYMENT, true),
        "ReplicaSet" => (&REPLICA_SET, true),
        "DaemonSet" => (&DAEMON_SET, true),
        "Service" => (&SERVICE, true),
        "Namespace" => (&NAMESPACE, true),
        "ConfigMap" => (&CONFIG_MAP, true),
        "Secret" => (&SECRET, true),
        _ => (&OTHER, false),
    }
}

impl Ty {
    /// The declared field `name` of a struct.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        match self {
            Ty::Struct(fields) => fields.iter().find(|f| f.name == name),
            _ => None,
        }
    }

    /// The type of the value under key `name` of this map-like type (`Any` when unknown).
    pub fn child(&self, name: &str) -> &'static Ty {
        match self {
            Ty::Struct(_) => self.field(name).map_or(ANY, |f| f.ty),
            Ty::Map(t) => t,
            _ => ANY,
        }
    }

    /// Adds the fields a Go struct always has (see `Field::zero`) where `v` lacks them, as
    /// decoding into kube's types would: a comparison then sees what kube sees.
    pub fn fill_zero(&self, v: &mut serde_json::Value) {
        let (Ty::Struct(fields), serde_json::Value::Object(map)) = (self, v) else {
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
            Ty::Struct(_) => self.zero_value(),
            _ => serde_json::Value::Null,
        }
    }

    /// The Go zero value of an object of this type: the fields always encoded.
    pub fn zero_value(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        if let Ty::Struct(fields) = self {
            for field in fields.iter().filter(|f| f.zero) {
                let v = match field.ty {
                    Ty::Struct(_) => field.ty.zero_value(),
                    _ => serde_json::Value::Null,
                };
                map.insert(field.name.to_string(), v);
            }
        }
        serde_json::Value::Object(map)
    }
}
